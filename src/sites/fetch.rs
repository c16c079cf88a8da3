//! `casebench sites fetch --remote URL --into DIR`: the compliance office mirrors every
//! site's branch into `DIR/<site>/` (its `decisions/` and `reviewers/allowed_signers`),
//! through a bare repository in `DIR/.git`.
//!
//! Only what changed is touched ([`super::mirror`]): a site whose branch did not move
//! is not opened at all, so a fetch with nothing new costs one `git fetch` and one
//! listing of refs, whatever the number of records; a site whose branch grew gets its
//! new files; one rewound or rewritten is rebuilt whole and swapped in. A rewound
//! branch is mirrored as it now is (`verify --sites` and `witness` are what notice).

use std::collections::BTreeMap;
use std::path::Path;

use super::failure::RemoteError;
use super::git::{self, Git};
pub use super::mirror::{FetchedSite, Mirrored};
use super::mirror::{MIRRORED_PREFIX, mirror_site};
use super::{SITES_PREFIX, remote_arg};
use crate::case::settings::{Remote, SiteId};

/// Where fetched branches are kept in the mirror's repository.
const MIRROR_PREFIX: &str = "refs/sites/";
pub const GIT_DIR: &str = ".git";

#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    pub sites: Vec<FetchedSite>,
    /// Branches whose name is not a valid site id (not mirrored).
    pub skipped: Vec<String>,
    /// Sites mirrored before whose branch the remote no longer has: their directory is
    /// kept as it was.
    pub gone: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Usage(String),
    /// The remote could not be reached or read.
    #[error("nothing was mirrored: {0}")]
    Remote(RemoteError),
    /// The remote holds no site's branch.
    #[error("{0}")]
    Empty(String),
    #[error("{0}")]
    Failed(String),
}

impl FetchError {
    /// The cause, for `--json`.
    pub fn kind(&self) -> String {
        match self {
            FetchError::Usage(_) => "usage".into(),
            FetchError::Remote(e) => serde_json::to_value(e.failure)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "other".into()),
            FetchError::Empty(_) => "no_site".into(),
            FetchError::Failed(_) => "failed".into(),
        }
    }
}

/// Mirrors every `casebench/sites/*` branch of `remote` into `into/<site>/`. A relative
/// remote path is taken from `base` (the current directory on the command line), a
/// relative `into` from the current directory.
pub fn fetch(remote: &str, into: &Path, base: &Path) -> Result<FetchReport, FetchError> {
    let remote = Remote::try_from(remote.to_string()).map_err(FetchError::Usage)?;
    git::check_version().map_err(|e| FetchError::Failed(e.to_string()))?;
    let into = &git::absolute(into).map_err(FetchError::Failed)?;
    let base = &git::absolute(base).map_err(FetchError::Failed)?;
    std::fs::create_dir_all(into)
        .map_err(|e| FetchError::Failed(format!("{}: {e}", into.display())))?;
    let git_dir = into.join(GIT_DIR);
    git::init_bare(&git_dir).map_err(|e| FetchError::Failed(e.to_string()))?;
    let g = Git::new(&git_dir, Some(into)).map_err(FetchError::Failed)?;
    let failed = |e: git::GitError| FetchError::Failed(e.to_string());
    let remote_os = remote_arg(&remote, base);
    let refspec = format!("+{SITES_PREFIX}*:{MIRROR_PREFIX}*");
    g.fetch(&remote_os, &[&refspec], true)
        .map_err(FetchError::Remote)?;
    record_remote(&git_dir, &remote_os)?;
    let refs = g
        .run(
            "for-each-ref",
            [
                "for-each-ref",
                "--format=%(objectname) %(refname)",
                MIRROR_PREFIX,
                MIRRORED_PREFIX,
            ],
            None,
        )
        .map_err(failed)?;
    let mut branches = BTreeMap::new();
    let mut mirrored = BTreeMap::new();
    for line in String::from_utf8_lossy(&refs.stdout).lines() {
        let Some((id, name)) = line.split_once(' ') else {
            continue;
        };
        if let Some(site) = name.strip_prefix(MIRROR_PREFIX) {
            branches.insert(site.to_string(), id.to_string());
        } else if let Some(site) = name.strip_prefix(MIRRORED_PREFIX) {
            mirrored.insert(site.to_string(), id.to_string());
        }
    }
    let mut report = FetchReport::default();
    for (name, commit) in &branches {
        match SiteId::try_from(name.clone()) {
            Ok(site) => {
                let before = mirrored.get(name).map(String::as_str);
                report.sites.push(
                    mirror_site(&g, into, &site, commit, before).map_err(FetchError::Failed)?,
                );
            }
            Err(_) => report.skipped.push(crate::text::sanitize_line(name)),
        }
    }
    report.gone = mirrored
        .keys()
        .filter(|s| !branches.contains_key(*s))
        .cloned()
        .collect();
    if report.sites.is_empty() && report.gone.is_empty() {
        return Err(FetchError::Empty(format!(
            "{}: no site has published yet (no casebench/sites/<site> branch{}): nothing \
             was mirrored",
            crate::text::sanitize_line(remote.as_str()),
            if report.skipped.is_empty() {
                String::new()
            } else {
                format!("; skipped, not site ids: {}", report.skipped.join(", "))
            }
        )));
    }
    Ok(report)
}

/// The file in the mirror's repository naming the remote it was fetched from (as git
/// was given it: a relative path already taken from where `sites fetch` ran), so that
/// `witness` publishes its checkpoints there.
const REMOTE_FILE: &str = "casebench-remote";

fn record_remote(git_dir: &Path, remote: &std::ffi::OsStr) -> Result<(), FetchError> {
    use std::os::unix::ffi::OsStrExt;
    let path = git_dir.join(REMOTE_FILE);
    let mut bytes = remote.as_bytes().to_vec();
    bytes.push(b'\n');
    if std::fs::read(&path).is_ok_and(|b| b == bytes) {
        return Ok(());
    }
    crate::sites::write_atomic(&path, &bytes).map_err(FetchError::Failed)
}

/// The remote the mirror `dir` was last fetched from.
pub fn recorded_remote(dir: &Path) -> Result<Remote, String> {
    let path = dir.join(GIT_DIR).join(REMOTE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "{}: no remote recorded; run `casebench sites fetch --remote URL --into {}` first",
                dir.display(),
                dir.display()
            ));
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?;
    Remote::try_from(text.trim_end_matches('\n').to_string())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The sites mirrored in `dir`: its subdirectories named as site ids, sorted.
pub fn mirrored_sites(dir: &Path) -> Result<Vec<SiteId>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut sites = Vec::new();
    for e in rd {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if let (true, Some(name)) = (is_dir, e.file_name().to_str())
            && let Ok(site) = SiteId::try_from(name.to_string())
        {
            sites.push(site);
        }
    }
    sites.sort();
    Ok(sites)
}
