//! Whether the advisor's hints are shown on a practice case before the attempt is
//! signed. By default they are not: the advisor's recommendation is, on most practice
//! cases, the reference itself. A supervisor may switch hints on for beginners in
//! `reviewers/practice.yaml` (beside allowed_signers, which supervisors control):
//!
//! ```yaml
//! hints:
//!   all: false                       # true: hints for every trainee
//!   trainees: [t.new@clinic.example] # or for these principals only
//! ```
//!
//! The workbench's advisor panel and `casebench advise` ask [`advisor_visible`].

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::case::Case;
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, ReadError, SafeDir};

pub const PRACTICE_FILE: &str = "practice.yaml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hints {
    #[serde(default)]
    pub all: bool,
    #[serde(default)]
    pub trainees: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeSettings {
    #[serde(default)]
    pub hints: Hints,
}

impl PracticeSettings {
    /// Reads `<cases>/reviewers/practice.yaml`; a missing file means no hints.
    pub fn load(cases: &Path) -> Result<PracticeSettings, String> {
        let dir = cases.join(crate::record::reviewers::REVIEWERS_DIR);
        let path = dir.join(PRACTICE_FILE);
        let safe = match SafeDir::open(&dir) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(PracticeSettings::default());
            }
            Err(e) => return Err(format!("{}: {e}", dir.display())),
        };
        let bytes = match safe.read_file(PRACTICE_FILE, DEFAULT_MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(PracticeSettings::default());
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let src =
            std::str::from_utf8(&bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?;
        crate::yaml::from_str(src)
            .map_err(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
    }

    /// Does `principal` get hints on practice cases?
    pub fn hints_for(&self, principal: Option<&str>) -> bool {
        self.hints.all || principal.is_some_and(|p| self.hints.trainees.iter().any(|t| t == p))
    }
}

/// Is the advisor shown to `principal` on `case`? Always on real cases; on a practice
/// case only to someone who is not a trainee (a supervisor preparing the case) or a
/// trainee with hints switched on. `is_trainee`: reviewers.yaml says `role: trainee`.
pub fn advisor_visible(
    case: &Case,
    principal: Option<&str>,
    is_trainee: bool,
    settings: &PracticeSettings,
) -> bool {
    case.practice.is_none() || !is_trainee || settings.hints_for(principal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_off_unless_switched_on() {
        let none = PracticeSettings::default();
        assert!(!none.hints_for(Some("t")));
        let some: PracticeSettings =
            crate::yaml::from_str("hints:\n  trainees: [t.new@x]\n").unwrap();
        assert!(some.hints_for(Some("t.new@x")));
        assert!(!some.hints_for(Some("t.old@x")));
        assert!(!some.hints_for(None));
        let all: PracticeSettings = crate::yaml::from_str("hints: { all: true }\n").unwrap();
        assert!(all.hints_for(None));
        assert!(crate::yaml::from_str::<PracticeSettings>("hint: { all: true }\n").is_err());
    }

    #[test]
    fn load_reads_the_reviewers_directory() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(
            PracticeSettings::load(tmp.path()).unwrap(),
            PracticeSettings::default()
        );
        std::fs::create_dir(tmp.path().join("reviewers")).unwrap();
        std::fs::write(
            tmp.path().join("reviewers/practice.yaml"),
            "hints:\n  all: true\n",
        )
        .unwrap();
        assert!(PracticeSettings::load(tmp.path()).unwrap().hints.all);
        std::fs::write(tmp.path().join("reviewers/practice.yaml"), "hints: [\n").unwrap();
        assert!(
            PracticeSettings::load(tmp.path())
                .unwrap_err()
                .contains("practice.yaml:")
        );
    }
}
