//! Where drafts of unfinished decisions are kept: one file per case, private to the
//! user. What a draft holds is the decision form's ([`crate::decision::draft`]).
//!
//! Where: `$CASEBENCH_DATA_DIR/drafts/` when that variable is set (tests), otherwise the
//! platform data directory of `directories::ProjectDirs` (on Linux
//! `~/.local/share/casebench/drafts/`). The data directory is per user, so on a shared
//! server every supervisor has their own drafts. The directory is created mode 0700 and
//! every draft file mode 0600.
//!
//! How: written to a temporary file created with `O_EXCL` (mode 0600) in the same
//! directory, fsynced, then renamed over the previous draft, then the directory is
//! fsynced. Renaming over a draft is fine here (unlike the decision log, which is
//! append-only and publishes with `link()`): a draft is private, replaceable, and the
//! rename is atomic, so a reader sees the old draft or the new one, never half of one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::store::safe_open::{ReadError, SafeDir};

/// Environment variable that overrides the data directory (used by tests).
pub const DATA_DIR_ENV: &str = "CASEBENCH_DATA_DIR";

/// Drafts larger than this are refused when read back (a draft is a few kilobytes).
const MAX_DRAFT_BYTES: u64 = 4 * 1024 * 1024;

/// What is saved as a draft: one value per case, which knows its case (a draft read back
/// under another case's name is refused). The decision form's draft is
/// [`crate::decision::draft::Draft`]; this module knows only how drafts are kept.
pub trait PerCase: Serialize + DeserializeOwned {
    fn case_id(&self) -> &str;
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error("no data directory: set {DATA_DIR_ENV} or HOME")]
    NoDataDir,
    #[error("`{0}` is not a valid case id")]
    BadId(String),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

/// The drafts directory of this user (not created).
pub fn drafts_dir() -> Result<PathBuf, DraftError> {
    if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d).join("drafts"));
    }
    directories::ProjectDirs::from("", "", "casebench")
        .map(|p| p.data_dir().join("drafts"))
        .ok_or(DraftError::NoDataDir)
}

/// Saves `draft` (stamping nothing: the caller sets the time). Returns the file's path.
pub fn save<D: PerCase>(draft: &D) -> Result<PathBuf, DraftError> {
    save_in(&drafts_dir()?, draft)
}

/// The draft of `case_id`, if there is one.
pub fn load<D: PerCase>(case_id: &str) -> Result<Option<D>, DraftError> {
    load_in(&drafts_dir()?, case_id)
}

/// The case ids that have a saved draft, sorted. No drafts directory is no drafts.
pub fn list() -> Result<Vec<String>, DraftError> {
    list_in(&drafts_dir()?)
}

pub fn list_in(dir: &Path) -> Result<Vec<String>, DraftError> {
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(DraftError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut ids = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|source| DraftError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        // Temporary files start with `.`; file_name() refuses ids that are not case ids.
        let id = name.to_str().and_then(|n| n.strip_suffix(".yaml"));
        if let Some(id) = id.filter(|id| file_name(id).is_ok()) {
            ids.push(id.to_string());
        }
    }
    ids.sort();
    Ok(ids)
}

/// Removes the draft of `case_id` (after its decision was recorded). No draft is fine.
pub fn remove(case_id: &str) -> Result<(), DraftError> {
    remove_in(&drafts_dir()?, case_id)
}

fn file_name(case_id: &str) -> Result<String, DraftError> {
    let ok = !case_id.is_empty()
        && case_id.len() <= 64
        && case_id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && case_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(format!("{case_id}.yaml"))
    } else {
        Err(DraftError::BadId(crate::text::sanitize_line(case_id)))
    }
}

pub fn save_in<D: PerCase>(dir: &Path, draft: &D) -> Result<PathBuf, DraftError> {
    let name = file_name(draft.case_id())?;
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| DraftError::Io { path, source }
    };
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io_err(dir))?;
    let text = crate::yaml::to_string(draft).map_err(|message| DraftError::Invalid {
        path: dir.join(&name),
        message,
    })?;
    let target = dir.join(&name);
    let tmp = create_temp(dir, &name)?;
    let written = write_sync(&tmp.1, text.as_bytes()).and_then(|()| fs::rename(&tmp.0, &target));
    if let Err(source) = written {
        let _ = fs::remove_file(&tmp.0);
        return Err(DraftError::Io {
            path: target,
            source,
        });
    }
    // Make the rename itself durable.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(target)
}

/// A fresh `.name.<pid>.<n>.tmp` created exclusively with mode 0600.
fn create_temp(dir: &Path, name: &str) -> Result<(PathBuf, File), DraftError> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100u32 {
        let path = dir.join(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&path)
        {
            Ok(f) => return Ok((path, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(source) => return Err(DraftError::Io { path, source }),
        }
    }
    Err(DraftError::Io {
        path: dir.join(name),
        source: last.unwrap_or_else(|| io::Error::other("no temporary name free")),
    })
}

fn write_sync(mut f: &File, bytes: &[u8]) -> io::Result<()> {
    f.write_all(bytes)?;
    f.sync_all()
}

pub fn load_in<D: PerCase>(dir: &Path, case_id: &str) -> Result<Option<D>, DraftError> {
    let name = file_name(case_id)?;
    let path = dir.join(&name);
    let safe = match SafeDir::open(dir) {
        Ok(s) => s,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(DraftError::Io { path, source }),
    };
    let bytes = match safe.read_file(&name, MAX_DRAFT_BYTES) {
        Ok(b) => b,
        Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(DraftError::Invalid {
                path,
                message: e.to_string(),
            });
        }
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| DraftError::Invalid {
        path: path.clone(),
        message: "not UTF-8".into(),
    })?;
    let draft: D = crate::yaml::from_str(text).map_err(|e| DraftError::Invalid {
        path: path.clone(),
        message: format!("{}:{}: {}", e.line, e.column, e.message),
    })?;
    if draft.case_id() != case_id {
        return Err(DraftError::Invalid {
            path,
            message: "draft belongs to another case".into(),
        });
    }
    Ok(Some(draft))
}

pub fn remove_in(dir: &Path, case_id: &str) -> Result<(), DraftError> {
    let path = dir.join(file_name(case_id)?);
    match fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(DraftError::Io { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in for what a form saves.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Note {
        case: String,
        rationale: String,
    }

    impl PerCase for Note {
        fn case_id(&self) -> &str {
            &self.case
        }
    }

    fn sample() -> Note {
        Note {
            case: "AR-2026-0101".into(),
            rationale: "line one\nline: two # not a comment\n".into(),
        }
    }

    #[test]
    fn list_names_the_cases_with_a_draft_and_skips_temporaries() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("drafts");
        assert_eq!(
            list_in(&dir).unwrap(),
            Vec::<String>::new(),
            "no directory yet"
        );
        let mut d = sample();
        save_in(&dir, &d).unwrap();
        d.case = "AR-2026-0007".into();
        save_in(&dir, &d).unwrap();
        fs::write(dir.join(".AR-2026-0101.yaml.1.0.tmp"), "x").unwrap();
        fs::write(dir.join("notes.txt"), "x").unwrap();
        assert_eq!(list_in(&dir).unwrap(), ["AR-2026-0007", "AR-2026-0101"]);
        remove_in(&dir, "AR-2026-0007").unwrap();
        assert_eq!(list_in(&dir).unwrap(), ["AR-2026-0101"]);
    }

    #[test]
    fn round_trip_private_and_removable() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("drafts");
        let d = sample();
        let path = save_in(&dir, &d).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dmode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(dmode, 0o700);
        assert_eq!(load_in(&dir, &d.case).unwrap(), Some(d.clone()));
        // Saving again replaces it and leaves no temporary file behind.
        let mut d2 = d.clone();
        d2.rationale = "changed".into();
        save_in(&dir, &d2).unwrap();
        assert_eq!(load_in(&dir, &d.case).unwrap(), Some(d2));
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        remove_in(&dir, &d.case).unwrap();
        assert_eq!(load_in::<Note>(&dir, &d.case).unwrap(), None);
        remove_in(&dir, &d.case).unwrap();
    }

    #[test]
    fn refuses_bad_ids_and_missing_dir_is_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let mut d = sample();
        d.case = "../escape".into();
        assert!(matches!(save_in(tmp.path(), &d), Err(DraftError::BadId(_))));
        assert_eq!(
            load_in::<Note>(&tmp.path().join("none"), "AR-1").unwrap(),
            None
        );
    }

    #[test]
    fn refuses_a_draft_filed_under_another_case() {
        let tmp = tempfile::tempdir().unwrap();
        let d = sample();
        save_in(tmp.path(), &d).unwrap();
        fs::rename(
            tmp.path().join("AR-2026-0101.yaml"),
            tmp.path().join("OTHER.yaml"),
        )
        .unwrap();
        assert!(load_in::<Note>(tmp.path(), "OTHER").is_err());
    }
}
