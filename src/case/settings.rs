//! `casebench.yaml`: the directory's settings (not a case). Notices name the entity and
//! the privacy contact from here.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::problem::Problem;
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};

/// The directory's settings file; the one reserved name that is not a case.
pub const SETTINGS_FILE: &str = "casebench.yaml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub entity: SettingsEntity,
    pub privacy_contact: PrivacyContact,
    #[serde(default)]
    pub site: String,
    /// Publishing this site's log to the health system's remote (DESIGN.md section 9).
    #[serde(default)]
    pub sync: Option<SyncSettings>,
    /// What this directory is: a real clinic's (the default), or a sample or training
    /// library of synthetic cases.
    #[serde(default)]
    pub library: Library,
    /// The day a sample or training library is dated to: its deadlines are computed as of
    /// this day unless `--today` / `CASEBENCH_TODAY` says otherwise. Refused on a real
    /// directory, whose deadlines always run on the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<chrono::NaiveDate>,
    /// How the intake counts a request that arrives after hours (issue 22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake: Option<IntakeSettings>,
}

/// `intake:` in casebench.yaml. 164.524(b) counts from receipt, so by default the day a
/// request arrives counts, whatever the hour. A clinic whose policy (and counsel) says a
/// request received after the close of business, or on a Saturday or Sunday, is received
/// on the next business day writes so here; only then may a case's `received` be later
/// than the day in `arrival.on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeSettings {
    /// The close of business, local time `HH:MM`.
    pub closes_at: String,
    #[serde(default)]
    pub after_hours_next_business_day: bool,
}

impl IntakeSettings {
    /// Minutes after midnight of the close of business (`None`: not a valid `HH:MM`).
    pub fn closes_at_minutes(&self) -> Option<u32> {
        super::arrival::parse_time(&self.closes_at).ok()
    }

    /// The day the clock counts from for a request that arrived on `on` at `time`
    /// (minutes after midnight): the next business day (Monday to Friday; holidays are
    /// not modelled) when the policy says so and it arrived after closing or on a
    /// weekend; otherwise `on` itself.
    pub fn counting_day(&self, on: chrono::NaiveDate, time: Option<u32>) -> chrono::NaiveDate {
        use chrono::{Datelike, Weekday};
        let weekend = matches!(on.weekday(), Weekday::Sat | Weekday::Sun);
        let late = match (time, self.closes_at_minutes()) {
            (Some(t), Some(close)) => t >= close,
            _ => false,
        };
        if !self.after_hours_next_business_day || !(weekend || late) {
            return on;
        }
        let mut d = on.succ_opt().unwrap_or(on);
        while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }
}

/// `sync: { site, remote, after_decide }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    pub site: SiteId,
    pub remote: Remote,
    /// Run `sync` after each decision (a failed sync never blocks the decision).
    #[serde(default)]
    pub after_decide: bool,
}

/// A site id: `^[a-z0-9][a-z0-9-]{0,31}$`. It names a git branch and a directory, so
/// nothing else may pass (no `/`, `..`, leading `-` or upper case).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SiteId(String);

impl SiteId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SiteId {
    type Error = String;
    fn try_from(s: String) -> Result<SiteId, String> {
        let b = s.as_bytes();
        let ok = !b.is_empty()
            && b.len() <= 32
            && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-');
        if ok {
            Ok(SiteId(s))
        } else {
            Err(format!(
                "site id `{}`: expected 1 to 32 of a-z, 0-9 and `-`, starting with a letter or digit",
                crate::text::sanitize_line(&s)
            ))
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Library {
    #[default]
    Real,
    Sample,
    Training,
}

impl Library {
    pub fn as_str(self) -> &'static str {
        match self {
            Library::Real => "real",
            Library::Sample => "sample",
            Library::Training => "training",
        }
    }
}

impl From<SiteId> for String {
    fn from(s: SiteId) -> String {
        s.0
    }
}

impl std::fmt::Display for SiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A git remote: an absolute or relative path, a `file://` or an `ssh://` URL. Other
/// transports (and git's `ext::`/`fd::` helpers, which run programs) are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Remote(String);

impl Remote {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Remote {
    type Error = String;
    fn try_from(s: String) -> Result<Remote, String> {
        let bad = |why: &str| {
            Err(format!(
                "remote `{}`: {why}; expected a path, a file:// or an ssh:// URL",
                crate::text::sanitize_line(&s)
            ))
        };
        if s.is_empty() {
            return bad("empty");
        }
        if s.starts_with('-') {
            return bad("starts with `-`");
        }
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return bad("contains spaces or control characters");
        }
        if let Some(rest) = s.strip_prefix("file://") {
            if !rest.starts_with('/') {
                return bad("a file:// URL needs an absolute path");
            }
        } else if let Some(rest) = s.strip_prefix("ssh://") {
            let host = rest.split('/').next().unwrap_or("");
            if host.is_empty() || host.starts_with('-') || !rest.contains('/') {
                return bad("an ssh:// URL needs a host and a path");
            }
        } else if s.contains("::") || s.contains("://") || scp_like(&s) {
            return bad("unsupported transport");
        }
        Ok(Remote(s))
    }
}

/// `host:path` is git's scp-like syntax (it would reach the network): only the
/// explicit `ssh://` form is accepted, so a path is never mistaken for a host.
fn scp_like(s: &str) -> bool {
    match s.find(':') {
        Some(i) => !s[..i].contains('/'),
        None => false,
    }
}

impl From<Remote> for String {
    fn from(r: Remote) -> String {
        r.0
    }
}

impl std::fmt::Display for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The day a sample or training library is "as of", from `dir/casebench.yaml`.
pub fn as_of(dir: &Path) -> Result<Option<(chrono::NaiveDate, Library)>, Problem> {
    Ok(load_settings(dir)?.and_then(|s| s.as_of.map(|d| (d, s.library))))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsEntity {
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// "US" or "US-XX": the entity's home jurisdiction.
    #[serde(default)]
    pub state: String,
    /// The letterhead's logo: a PNG, JPEG or SVG file inside the case directory, by a
    /// relative path (`letterhead/logo.png`). Its content is checked when a letter is
    /// written (`audit::letterhead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<LogoPath>,
}

/// The logo's path: relative, inside the case directory (no `..`, no absolute path, no
/// hidden component), naming a `.png`, `.jpg`/`.jpeg` or `.svg` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LogoPath(String);

impl LogoPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path's components (checked plain names).
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }
}

impl TryFrom<String> for LogoPath {
    type Error = String;
    fn try_from(s: String) -> Result<LogoPath, String> {
        let bad = |why: &str| {
            Err(format!(
                "logo `{}`: {why}; expected a relative path inside the case directory to a \
                 .png, .jpg, .jpeg or .svg file (for example letterhead/logo.png)",
                crate::text::sanitize_line(&s)
            ))
        };
        if s.is_empty() {
            return bad("empty");
        }
        if s.starts_with('/') {
            return bad("an absolute path");
        }
        if s.chars().any(|c| c.is_control() || c == '\\') {
            return bad("contains control characters or a backslash");
        }
        if s.split('/').any(|c| c.is_empty() || c.starts_with('.')) {
            return bad("has an empty, `.`, `..` or hidden component");
        }
        let lower = s.to_ascii_lowercase();
        if ![".png", ".jpg", ".jpeg", ".svg"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return bad("not a .png, .jpg, .jpeg or .svg file");
        }
        Ok(LogoPath(s))
    }
}

impl From<LogoPath> for String {
    fn from(p: LogoPath) -> String {
        p.0
    }
}

/// The person or office that receives complaints (164.524(d)(2)(iii), 164.530(d)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyContact {
    pub title: String,
    pub phone: String,
}

impl PrivacyContact {
    /// A notice can name this contact: both title and telephone are given.
    pub fn is_complete(&self) -> bool {
        !self.title.trim().is_empty() && !self.phone.trim().is_empty()
    }
}

/// Whether `dir/casebench.yaml` names a complete privacy contact (an unreadable or
/// missing file names none).
pub fn privacy_contact_known(dir: &Path) -> bool {
    load_settings(dir)
        .ok()
        .flatten()
        .is_some_and(|s| s.privacy_contact.is_complete())
}

/// Reads `dir/casebench.yaml`. `Ok(None)` when the file does not exist.
pub fn load_settings(dir: &Path) -> Result<Option<Settings>, Problem> {
    let path = dir.join(SETTINGS_FILE);
    let safe = SafeDir::open(dir)
        .map_err(|e| Problem::file_level(path.clone(), format!("cannot open directory: {e}")))?;
    let bytes = match safe.read_input(SETTINGS_FILE, DEFAULT_MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(crate::store::safe_open::ReadError::Io(e))
            if e.kind() == std::io::ErrorKind::NotFound =>
        {
            return Ok(None);
        }
        Err(e) => return Err(Problem::file_level(path, e.to_string())),
    };
    let src = std::str::from_utf8(&bytes)
        .map_err(|_| Problem::file_level(path.clone(), "invalid UTF-8; expected UTF-8 text"))?;
    let settings: Settings = crate::yaml::from_str(src)
        .map_err(|e| Problem::at(path.clone(), src, e.line, e.column, e.message))?;
    if let Some(i) = &settings.intake
        && let Err(msg) = super::arrival::parse_time(&i.closes_at)
    {
        let line = src
            .lines()
            .position(|l| l.trim_start().starts_with("closes_at:"))
            .map_or(1, |i| i as u32 + 1);
        return Err(Problem::at(
            path,
            src,
            line,
            1,
            format!("intake.closes_at: {msg}"),
        ));
    }
    if settings.as_of.is_some() && settings.library == Library::Real {
        // A real clinic's deadlines must never run on a fixed date.
        let line = src
            .lines()
            .position(|l| l.trim_start().starts_with("as_of:"))
            .map_or(1, |i| i as u32 + 1);
        return Err(Problem::at(
            path,
            src,
            line,
            1,
            "as_of is only for a sample or training library; expected `library: sample` or \
             `library: training` beside it (a real case directory runs on the calendar)"
                .into(),
        ));
    }
    Ok(Some(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Settings, crate::yaml::YamlError> {
        crate::yaml::from_str(src)
    }

    const BASE: &str = "entity: { name: X }\nprivacy_contact: { title: T, phone: '1' }\n";

    #[test]
    fn sync_settings_parse() {
        let s = parse(&format!(
            "{BASE}sync:\n  site: lakeside-2\n  remote: ssh://compliance.example/cb.git\n  after_decide: true\n"
        ))
        .unwrap();
        let sync = s.sync.unwrap();
        assert_eq!(sync.site.as_str(), "lakeside-2");
        assert_eq!(sync.remote.as_str(), "ssh://compliance.example/cb.git");
        assert!(sync.after_decide);
        for remote in ["/srv/cb.git", "../cb.git", "file:///srv/cb.git"] {
            let s = parse(&format!("{BASE}sync: {{ site: a, remote: '{remote}' }}\n")).unwrap();
            assert!(!s.sync.unwrap().after_decide);
        }
    }

    #[test]
    fn bad_site_ids_are_refused_with_position() {
        for bad in ["Lakeside", "-a", "a/b", "..", "a_b", "", &"a".repeat(33)] {
            let src = format!("{BASE}sync:\n  site: '{bad}'\n  remote: /srv/x.git\n");
            let e = parse(&src).unwrap_err();
            assert!(e.message.contains("site id"), "{bad}: {}", e.message);
            assert_eq!(e.line, 4, "{bad}: {e:?}");
        }
        assert!(
            parse(&format!(
                "{BASE}sync: {{ site: {}, remote: /x }}\n",
                "a".repeat(32)
            ))
            .is_ok()
        );
    }

    #[test]
    fn bad_remotes_are_refused() {
        for bad in [
            "ext::sh -c touch% /tmp/x",
            "-uhack",
            "host:repo.git",
            "https://example/x.git",
            "file://relative",
            "ssh:///nohost",
            "fd::3",
        ] {
            let src = format!("{BASE}sync:\n  site: a\n  remote: '{bad}'\n");
            let e = parse(&src).unwrap_err();
            assert!(e.message.contains("remote"), "{bad}: {}", e.message);
            assert_eq!(e.line, 5, "{bad}: {e:?}");
        }
    }

    #[test]
    fn logo_paths_stay_inside_the_directory() {
        for good in ["logo.png", "letterhead/Logo.SVG", "a/b/c.jpeg"] {
            let s = parse(&format!(
                "entity: {{ name: X, logo: '{good}' }}\nprivacy_contact: {{ title: T, phone: '1' }}\n"
            ))
            .unwrap();
            assert_eq!(s.entity.logo.unwrap().as_str(), good);
        }
        for bad in [
            "/etc/logo.png",
            "../logo.png",
            "a/../b.png",
            "logo.gif",
            ".x/l.png",
            "a//b.png",
            "",
        ] {
            let e = parse(&format!(
                "entity:\n  name: X\n  logo: '{bad}'\nprivacy_contact: {{ title: T, phone: '1' }}\n"
            ))
            .unwrap_err();
            assert!(e.message.contains("logo"), "{bad}: {}", e.message);
            assert_eq!(e.line, 3, "{bad}: {e:?}");
        }
    }

    #[test]
    fn unknown_sync_key_is_an_error() {
        let e = parse(&format!(
            "{BASE}sync: {{ site: a, remote: /x, after: true }}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("after"), "{}", e.message);
    }
}
