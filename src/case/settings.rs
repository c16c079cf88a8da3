//! `casebench.yaml`: the directory's settings (not a case). Notices name the entity and
//! the privacy contact from here.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::load::SETTINGS_FILE;
use super::problem::Problem;
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub entity: SettingsEntity,
    pub privacy_contact: PrivacyContact,
    #[serde(default)]
    pub site: String,
    /// What this directory is: a real clinic's (the default), or a sample or training
    /// library of synthetic cases.
    #[serde(default)]
    pub library: Library,
    /// The day a sample or training library is dated to: its deadlines are computed as of
    /// this day unless `--today` / `CASEBENCH_TODAY` says otherwise. Refused on a real
    /// directory, whose deadlines always run on the calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<chrono::NaiveDate>,
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
