//! `reviewers/reviewers.yaml`: display names, credentials and licensure per principal.
//! Who may sign what is allowed_signers' business; this file answers "is this person a
//! licensed health care professional" (164.524(a)(3), (a)(4)) and what to call them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, ReadError, SafeDir};

pub const REVIEWERS_DIR: &str = "reviewers";
pub const REVIEWERS_FILE: &str = "reviewers.yaml";
pub const ALLOWED_SIGNERS_FILE: &str = "allowed_signers";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Supervisor,
    ReviewingProfessional,
    Trainee,
    ComplianceOfficer,
    /// Release-of-information staff: sign provision records, never decisions.
    ReleaseOfInformation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    pub principal: String,
    pub name: String,
    #[serde(default)]
    pub credential: String,
    #[serde(default)]
    pub licensed: bool,
    pub role: Role,
    /// A private key file, relative to the reviewers directory (demo and tests).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewers {
    pub reviewers: Vec<Reviewer>,
}

impl Reviewers {
    pub fn get(&self, principal: &str) -> Option<&Reviewer> {
        self.reviewers.iter().find(|r| r.principal == principal)
    }

    /// Whether `principal` is listed with `role: trainee`.
    pub fn is_trainee(&self, principal: &str) -> bool {
        self.get(principal).is_some_and(|r| r.role == Role::Trainee)
    }
}

/// Reads `<cases>/reviewers/reviewers.yaml`; a missing file is an empty list.
pub fn load(cases: &Path) -> Result<Reviewers, String> {
    let dir = cases.join(REVIEWERS_DIR);
    let path = dir.join(REVIEWERS_FILE);
    let safe = match SafeDir::open(&dir) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Reviewers::default()),
        Err(e) => return Err(crate::store::access::io_message(&dir, &e, 'r')),
    };
    let bytes = match safe.read_input(REVIEWERS_FILE, DEFAULT_MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Reviewers::default());
        }
        Err(ReadError::Io(e)) => return Err(crate::store::access::io_message(&path, &e, 'r')),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let src = std::str::from_utf8(&bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?;
    crate::yaml::from_str(src)
        .map_err(|e| format!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message))
}

/// Reads the bytes of `<cases>/reviewers/allowed_signers` (the policy in force).
pub fn read_allowed_signers(cases: &Path) -> Result<Vec<u8>, String> {
    let dir = cases.join(REVIEWERS_DIR);
    let path = dir.join(ALLOWED_SIGNERS_FILE);
    SafeDir::open(&dir)
        .map_err(|e| crate::store::access::io_message(&dir, &e, 'r'))?
        .read_input(ALLOWED_SIGNERS_FILE, DEFAULT_MAX_FILE_BYTES)
        .map_err(|e| match e {
            ReadError::Io(e) => crate::store::access::io_message(&path, &e, 'r'),
            e => format!("{}: {e}", path.display()),
        })
}
