//! Writing an intake's case file: the next free id, checked by the loader's own rules,
//! created exclusively and atomically (a temporary file linked to its name, which fails
//! rather than replace anything). Two clerks at the same moment get two ids.

use std::path::{Path, PathBuf};

use crate::case::intake::{Intake, Kind};
use crate::case::load::{self, LoadOptions};
use crate::case::problem::Problem;

pub use super::files::CASE_FILE_MODE;

/// How many ids past the last one a writer tries before giving up (only other writers
/// taking the same numbers at the same moment can make it try more than one).
const MAX_TRIES: u32 = 1000;

#[derive(Debug, thiserror::Error)]
pub enum NewCaseError {
    #[error("questions left unanswered: {}", .0.join(", "))]
    Unanswered(Vec<String>),
    /// The written file would not load: never written into the case directory.
    #[error("the case file would not load:\n{}", .problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid {
        problems: Vec<Problem>,
        text: String,
    },
    #[error("{0}")]
    Io(String),
}

/// An intake for the case directory `dir` on the real clock `now`: the directory's
/// after-hours rule and its home state (the jurisdiction's default) from
/// `casebench.yaml`. The one start of every intake (`casebench new`, the workbench's `N`).
pub fn begin(dir: &Path, now: chrono::NaiveDateTime) -> Result<Intake, String> {
    let settings = crate::case::settings::load_settings(dir).map_err(|p| p.headline())?;
    let mut intake = Intake::new(now);
    intake.after_hours = settings.as_ref().and_then(|s| s.intake.clone());
    intake.home_state = settings
        .as_ref()
        .map(|s| s.entity.state.clone())
        .filter(|s| crate::case::validate::is_valid_jurisdiction(s));
    Ok(intake)
}

/// The loader's options a new case is checked with: the intake's own day and its
/// after-hours rule.
pub fn load_options(intake: &Intake) -> LoadOptions {
    let mut opts = LoadOptions::new(intake.now.date());
    opts.intake = intake.after_hours.clone();
    opts
}

/// The id a new case of this intake will take the next free number of
/// (`AR-2026-`), once its kind and received day are answered.
pub fn id_stem(intake: &Intake) -> Option<String> {
    let (kind, day) = (intake.kind()?, intake.counting_day()?);
    Some(format!(
        "{}-{}-",
        prefix(kind),
        chrono::Datelike::year(&day)
    ))
}

/// Keeps the text of a case that would not load in `dir` (the user's own edits
/// directory, mode 0600), so that no answer is lost; returns its path.
pub fn keep_unwritten(dir: &Path, text: &str) -> std::io::Result<PathBuf> {
    crate::store::publish::ensure_dir(dir, 0o700)?;
    let name = format!(
        "new-{}-{}.yaml",
        chrono::Local::now().format("%Y%m%d-%H%M%S"),
        std::process::id()
    );
    crate::store::publish::write_exclusive(dir, &name, text.as_bytes(), 0o600)
}

/// Keeps the text of a case that would not load in this user's edits directory
/// (`keep_unwritten`); its path, or `None` when even that cannot be written.
pub fn keep_in_edits(text: &str) -> Option<PathBuf> {
    let dir = super::files::edits_dir().ok()?;
    keep_unwritten(&dir, text).ok()
}

/// Keeps the answers of an intake that was cut off (the terminal hung up) in this
/// user's edits directory, mode 0600, as an answers file (`Intake::answers_text`):
/// `casebench new --answers PATH` goes on from there. Its path, or why not.
pub fn keep_answers(intake: &Intake) -> Result<PathBuf, String> {
    let dir = super::files::edits_dir()?;
    crate::store::publish::ensure_dir(&dir, 0o700)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    let name = format!(
        "answers-{}-{}.yaml",
        chrono::Local::now().format("%Y%m%d-%H%M%S"),
        std::process::id()
    );
    crate::store::publish::write_exclusive(&dir, &name, intake.answers_text().as_bytes(), 0o600)
        .map_err(|e| format!("{}: {e}", dir.join(&name).display()))
}

/// The id prefix of a kind: `AR` for a request, `DC` for a concern.
pub fn prefix(kind: Kind) -> &'static str {
    match kind {
        Kind::Access => "AR",
        Kind::Concern => "DC",
    }
}

/// The number of `PREFIX-YEAR-NNNN.yaml` in `names`, if it is one.
fn number_of(name: &str, stem: &str) -> Option<u32> {
    let rest = name.strip_prefix(stem)?.strip_suffix(".yaml")?;
    if rest.len() >= 4 && rest.bytes().all(|b| b.is_ascii_digit()) {
        rest.parse().ok()
    } else {
        None
    }
}

/// The first number after every `PREFIX-YEAR-NNNN` case file of `dir`.
pub fn next_number(dir: &Path, stem: &str) -> Result<u32, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut max = 0;
    for entry in rd.flatten() {
        if let Some(n) = entry.file_name().to_str().and_then(|n| number_of(n, stem)) {
            max = max.max(n);
        }
    }
    Ok(max + 1)
}

/// A case written: its id, its file, and what to tell the clerk besides.
#[derive(Debug)]
pub struct Written {
    pub id: String,
    pub path: PathBuf,
    /// The decision log could not be believed, so the id was checked against the case
    /// files only (an intake is never blocked by a damaged log: the clock runs).
    pub warning: Option<String>,
}

/// Writes the intake's case into `dir` under the next free id (`AR-YYYY-NNNN` or
/// `DC-YYYY-NNNN`, the year of the day its clock counts from). The file is checked by
/// the loader's rules first; an id the decision log already knows is skipped.
pub fn write_new_case(
    dir: &Path,
    intake: &Intake,
    opts: &LoadOptions,
    state: &crate::record::StateDir,
) -> Result<Written, NewCaseError> {
    let missing = intake.missing();
    if !missing.is_empty() {
        return Err(NewCaseError::Unanswered(
            missing.into_iter().map(|q| q.key).collect(),
        ));
    }
    let Some(stem) = id_stem(intake) else {
        return Err(NewCaseError::Unanswered(vec![
            "kind".into(),
            "received".into(),
        ]));
    };
    let first = next_number(dir, &stem).map_err(NewCaseError::Io)?;
    let (log, warning) = match super::bound::read(dir, state) {
        Ok(view) => (Some(view), None),
        Err(e) => (
            None,
            Some(format!(
                "{e}; the new case's id was checked against the case files only"
            )),
        ),
    };
    for n in first..first.saturating_add(MAX_TRIES) {
        let id = format!("{stem}{n:04}");
        if log.as_ref().is_some_and(|l| l.binds(&id).is_some()) {
            continue;
        }
        let text = intake
            .case_text(&id)
            .map_err(|m| NewCaseError::Unanswered(m.into_iter().map(|q| q.key).collect()))?;
        let name = format!("{id}.yaml");
        let path = dir.join(&name);
        load::parse(&path, text.as_bytes(), &name, dir, opts).map_err(|problems| {
            NewCaseError::Invalid {
                problems,
                text: text.clone(),
            }
        })?;
        match crate::store::publish::publish_bytes(dir, dir, &name, text.as_bytes(), CASE_FILE_MODE)
        {
            Ok(()) => {
                return Ok(Written { id, path, warning });
            }
            // Another clerk took this id a moment ago: the next one.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(NewCaseError::Io(format!("{}: {e}", path.display())));
            }
        }
    }
    Err(NewCaseError::Io(format!(
        "no free id after {MAX_TRIES} tries in {}",
        dir.display()
    )))
}
