//! `casebench edit` without the editor (issue 22): a copy of the case file in the user's
//! own data directory, checked by the loader's rules, and the case file replaced
//! atomically only by a valid copy, only if nobody changed it meanwhile, and never once a
//! decision record binds it (`bound`).
//!
//! The copy lives in `<data>/edits/<ID>.yaml` (mode 0600) beside `<ID>.base`, which
//! holds the case directory and the SHA-256 of the file the copy was made from. A copy
//! that does not validate is kept: `casebench edit ID` re-opens it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::bound::Bound;
use crate::case::load::{self, LoadOptions};
use crate::case::problem::Problem;
use crate::record::StateDir;
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};

/// An edit in progress.
#[derive(Debug, Clone)]
pub struct Edit {
    pub id: String,
    pub cases: PathBuf,
    pub case_path: PathBuf,
    /// The copy the editor opens.
    pub copy: PathBuf,
    base: PathBuf,
    /// SHA-256 (hex) of the case file the copy was made from.
    pub base_sha256: String,
    /// The copy was left by an earlier edit (re-opened rather than made afresh).
    pub reopened: bool,
    /// The case file changed since that earlier copy was made.
    pub changed_since: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("`{0}` is not a case id")]
    BadId(String),
    #[error("no case file {}", .0.display())]
    NoCase(PathBuf),
    /// A record binds the case: never edited in place.
    #[error("{}", decided_message(.id, .bound))]
    Decided { id: String, bound: Bound },
    /// Someone replaced the case file since the copy was made.
    #[error("{} changed since your copy was made (someone else edited it); the case file is unchanged and your copy is kept at {}: compare the two, then run `casebench edit {id} --discard` to start again from the case file", .case.display(), .copy.display())]
    ChangedMeanwhile {
        id: String,
        case: PathBuf,
        copy: PathBuf,
    },
    #[error("{0}")]
    Io(String),
}

/// What to say when a decided case is to be edited, and what to do instead.
pub fn decided_message(id: &str, b: &Bound) -> String {
    format!(
        "{id} is decided: the log holds {} record{} of it (the newest, {} {} by {} at {}), and each binds the SHA-256 of the case file the reviewer saw, so the file is never edited in place. To correct or add facts, open a new case that follows it: `casebench new --follows {id}` (or `follows: {id}` in the new file); its decision refers to this one (docs/CASE-FORMAT.md, \"Cases that follow a decided case\")",
        b.records,
        if b.records == 1 { "" } else { "s" },
        b.kind,
        b.seq,
        crate::text::sanitize_line(&b.reviewer),
        b.time.format("%Y-%m-%d %H:%M UTC")
    )
}

fn io(path: &Path, e: impl std::fmt::Display) -> EditError {
    EditError::Io(format!("{}: {e}", path.display()))
}

fn sha_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Where this user's edit copies live: `<data>/edits`.
pub fn edits_dir() -> Result<PathBuf, EditError> {
    super::files::edits_dir().map_err(EditError::Io)
}

/// Reads the case file `id` of `cases` (it need not be valid: editing is how a broken
/// file is mended).
fn read_case(cases: &Path, id: &str) -> Result<Vec<u8>, EditError> {
    let name = format!("{id}.yaml");
    let dir = SafeDir::open(cases).map_err(|e| io(cases, e))?;
    dir.read_input(&name, DEFAULT_MAX_FILE_BYTES)
        .map_err(|e| match e {
            crate::store::safe_open::ReadError::Io(x)
                if x.kind() == std::io::ErrorKind::NotFound =>
            {
                EditError::NoCase(cases.join(&name))
            }
            other => io(&cases.join(&name), other),
        })
}

/// Refuses a case the log binds (or a log that cannot be believed: then nobody can say
/// the case is undecided).
pub fn refuse_if_decided(cases: &Path, id: &str, state: &StateDir) -> Result<(), EditError> {
    match super::bound::read(cases, state)
        .map_err(EditError::Io)?
        .binds(id)
    {
        Some(bound) => Err(EditError::Decided {
            id: id.to_string(),
            bound,
        }),
        None => Ok(()),
    }
}

/// Starts (or re-opens) an edit of case `id` in `cases`, copies under `edits`. With
/// `discard`, an earlier copy is thrown away first.
pub fn begin(
    cases: &Path,
    id: &str,
    edits: &Path,
    discard: bool,
    state: &StateDir,
) -> Result<Edit, EditError> {
    if !crate::case::validate::is_valid_case_id(id) {
        return Err(EditError::BadId(crate::text::sanitize_line(id)));
    }
    let bytes = read_case(cases, id)?;
    refuse_if_decided(cases, id, state)?;
    crate::store::publish::ensure_dir(edits, 0o700).map_err(|e| io(edits, e))?;
    let copy = edits.join(format!("{id}.yaml"));
    let base = edits.join(format!("{id}.base"));
    let cases_abs = cases.canonicalize().map_err(|e| io(cases, e))?;
    let current = sha_hex(&bytes);
    if discard {
        let _ = fs::remove_file(&copy);
        let _ = fs::remove_file(&base);
    }
    if let (Ok(b), true) = (fs::read_to_string(&base), copy.exists()) {
        let mut lines = b.lines();
        let (dir, sha) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
        if Path::new(dir) == cases_abs {
            return Ok(Edit {
                id: id.to_string(),
                cases: cases.to_path_buf(),
                case_path: cases.join(format!("{id}.yaml")),
                copy,
                base,
                base_sha256: sha.to_string(),
                reopened: true,
                changed_since: sha != current,
            });
        }
        return Err(EditError::Io(format!(
            "{} holds your copy of {id} from another case directory ({dir}); finish or remove it first (`casebench edit {id} --discard` there)",
            copy.display()
        )));
    }
    write_private(&copy, &bytes)?;
    write_private(
        &base,
        format!("{}\n{current}\n", cases_abs.display()).as_bytes(),
    )?;
    Ok(Edit {
        id: id.to_string(),
        cases: cases.to_path_buf(),
        case_path: cases.join(format!("{id}.yaml")),
        copy,
        base,
        base_sha256: current,
        reopened: false,
        changed_since: false,
    })
}

/// Writes `bytes` to `path`, mode 0600, fsynced (replacing an earlier copy of this user).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), EditError> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
        .map_err(|e| io(path, e))?;
    f.write_all(bytes).map_err(|e| io(path, e))?;
    f.sync_all().map_err(|e| io(path, e))
}

/// What became of an edit after the editor closed.
#[derive(Debug)]
pub enum Outcome {
    /// The copy equals the case file: nothing to do (the copy is removed).
    Unchanged,
    /// The case file was replaced by the copy.
    Replaced {
        old_sha256: String,
        new_sha256: String,
    },
    /// The copy does not load: every problem, located in the copy. It is kept.
    Invalid(Vec<Problem>),
}

impl Edit {
    /// Checks the copy and, when it is valid, replaces the case file with it.
    pub fn finish(&self, opts: &LoadOptions, state: &StateDir) -> Result<Outcome, EditError> {
        let name = format!("{}.yaml", self.id);
        let new = crate::store::safe_open::read_path(&self.copy, DEFAULT_MAX_FILE_BYTES)
            .map_err(|e| io(&self.copy, e))?;
        let old = read_case(&self.cases, &self.id)?;
        let old_sha = sha_hex(&old);
        if new == old {
            self.forget();
            return Ok(Outcome::Unchanged);
        }
        if let Err(problems) = load::parse(&self.copy, &new, &name, &self.cases, opts) {
            return Ok(Outcome::Invalid(problems));
        }
        // A decision signed while the editor was open binds the file as it was.
        refuse_if_decided(&self.cases, &self.id, state)?;
        self.replace(&new, &old_sha)?;
        self.forget();
        Ok(Outcome::Replaced {
            old_sha256: old_sha,
            new_sha256: sha_hex(&new),
        })
    }

    /// Replaces the case file with `new`, under an exclusive lock on it, only if it still
    /// has the bytes the copy was made from: a temporary file in the case directory,
    /// fsynced, renamed over the case file, the directory fsynced.
    fn replace(&self, new: &[u8], current_sha: &str) -> Result<(), EditError> {
        let path = &self.case_path;
        let held = fs::File::open(path).map_err(|e| io(path, e))?;
        held.lock().map_err(|e| io(path, e))?;
        // Read again under the lock: another edit may have replaced it since.
        let now = read_case(&self.cases, &self.id)?;
        if sha_hex(&now) != self.base_sha256 || current_sha != self.base_sha256 {
            return Err(EditError::ChangedMeanwhile {
                id: self.id.clone(),
                case: path.clone(),
                copy: self.copy.clone(),
            });
        }
        let mode = held
            .metadata()
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(super::files::CASE_FILE_MODE);
        let tmp_name = format!(
            "{}{}.{}.yaml",
            crate::store::publish::TEMP_PREFIX,
            std::process::id(),
            self.id
        );
        let _ = fs::remove_file(self.cases.join(&tmp_name));
        let tmp = crate::store::publish::write_exclusive(&self.cases, &tmp_name, new, mode)
            .map_err(|e| io(&self.cases.join(&tmp_name), e))?;
        if let Err(e) = fs::rename(&tmp, path) {
            let _ = fs::remove_file(&tmp);
            let why = if e.kind() == std::io::ErrorKind::PermissionDenied {
                " (the case directory lets only a file's owner replace it: ask them, or the administrator)"
            } else {
                ""
            };
            return Err(EditError::Io(format!(
                "{}: {e}{why}; your copy is kept at {}",
                path.display(),
                self.copy.display()
            )));
        }
        crate::store::publish::fsync_dir(&self.cases).map_err(|e| io(&self.cases, e))?;
        drop(held);
        Ok(())
    }

    /// Removes the copy and its base (the edit is over).
    pub fn forget(&self) {
        let _ = fs::remove_file(&self.copy);
        let _ = fs::remove_file(&self.base);
    }
}

impl Edit {
    /// What to say after the editor closed, one line each (every problem first, with the
    /// copy's file:line:col): the same words on the command line and in the workbench.
    pub fn report(&self, outcome: &Outcome) -> Vec<String> {
        match outcome {
            Outcome::Unchanged => vec![format!("{}: no change", self.case_path.display())],
            Outcome::Replaced {
                old_sha256,
                new_sha256,
            } => vec![format!(
                "{}: saved (sha256 {} -> {})",
                self.case_path.display(),
                old_sha256.get(..12).unwrap_or(old_sha256),
                new_sha256.get(..12).unwrap_or(new_sha256)
            )],
            Outcome::Invalid(problems) => {
                let mut out: Vec<String> = problems.iter().map(ToString::to_string).collect();
                out.push(format!(
                    "{} problem{}; {} was not changed. Your copy is kept at {}: run `casebench edit {}` to open it again, or `casebench edit {} --discard` to start again from the case file",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    self.case_path.display(),
                    self.copy.display(),
                    self.id,
                    self.id
                ));
                out
            }
        }
    }

    /// The note when the copy was left by an earlier edit, if it was.
    pub fn reopened_note(&self) -> Option<String> {
        self.reopened.then(|| {
            format!(
                "re-opening your copy from an earlier edit: {}{}",
                self.copy.display(),
                if self.changed_since {
                    " (the case file changed since it was made: it cannot replace it; `--discard` starts again from the case file)"
                } else {
                    ""
                }
            )
        })
    }
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi` on `path`, on this terminal, and waits for
/// it. The variable may hold arguments (`code --wait`); it is split as a shell would,
/// never run by one. `Err`: why the edit did not happen (the copy is kept either way).
pub fn run_editor(path: &Path) -> Result<(), String> {
    let spec = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let words = shlex::split(&spec)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| format!("cannot read the editor command `{spec}`"))?;
    let status = std::process::Command::new(&words[0])
        .args(&words[1..])
        .arg(path)
        .status()
        .map_err(|e| format!("cannot start the editor `{}`: {e}", words[0]))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor `{}` exited with {status}", words[0]))
    }
}

/// The loader's options an edited copy is checked with: the day deadlines are computed
/// against and the directory's after-hours rule.
pub fn check_options(cases: &Path, today: chrono::NaiveDate) -> LoadOptions {
    let mut opts = LoadOptions::new(today);
    opts.intake = crate::case::settings::load_settings(cases)
        .ok()
        .flatten()
        .and_then(|s| s.intake);
    opts
}
