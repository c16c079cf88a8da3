//! The decision workflow: the steps from a reviewer's stated decision to a signed record,
//! shared by `casebench decide` and the workbench (its form and its countersign screen),
//! so that both surfaces sign through the same functions.
//!
//! - [`gate`]: the advisor's check before signing (error findings refuse unless each is
//!   overridden with a justification).
//! - [`facts`]: what the rules need to know of the signer.
//! - [`sign`]: resolve the signer, build the draft, gate it, sign and append.
//! - [`countersign`]: a supervisor's countersignature of a trainee's proposal.
//! - [`after`]: what a signed practice record leads to (a score, or a proposal).
//! - [`proposal`]: the one typed proposal (from the form's draft, the command line or a
//!   trainee's record), what the advisor judges, and the unsigned record it becomes; the
//!   outcomes that fit a case.
//! - [`provide`]: recording what was provided for a decision (records, a notice, a
//!   disclosure): a `provision` record through the same append.
//! - [`preview`]: the record's exact text before signing, from the same functions.
//!
//! Knows nothing of terminals or of the command line: callers pass a [`Setting`].

use std::path::Path;

use chrono::NaiveDate;

use crate::record::AppendError;
use crate::rules::Finding;

pub mod after;
pub mod countersign;
pub mod draft;
pub mod entry;
pub mod facts;
pub mod gate;
pub mod preview;
pub mod proposal;
pub mod provide;
pub mod sign;
pub mod standing;

/// Where and as whom a decision is made: the case directory, the clock (the day deadlines
/// are computed against, and the real day a record is dated by), the signer as configured (`--reviewer`, `--key`), and where this
/// user's memory of the log is (`None`: the platform's state directory).
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    pub cases: &'a Path,
    pub clock: crate::clock::Clock,
    pub reviewer: Option<&'a str>,
    pub key: Option<&'a Path>,
    pub state_dir: Option<&'a Path>,
}

impl Setting<'_> {
    /// The day deadlines are computed against.
    pub fn deadline_day(&self) -> NaiveDate {
        self.clock.deadline_day()
    }

    /// This user's state directory.
    pub fn state(&self) -> Result<crate::record::StateDir, String> {
        crate::record::StateDir::resolve(self.state_dir)
    }
}

/// Why a decision was not signed.
#[derive(Debug)]
pub enum DecideError {
    /// Bad usage: a malformed decision, no key, an override for a finding that is not
    /// there, a broken rulebook.
    Usage(String),
    /// Error findings without an override: nothing was signed.
    Findings(Vec<Finding>),
    /// The log refused the record (already decided, case changed, not allowed...) or
    /// could not be written.
    Refused(AppendError),
}

impl From<gate::GateError> for DecideError {
    fn from(e: gate::GateError) -> Self {
        match e {
            gate::GateError::Usage(m) => DecideError::Usage(m),
            gate::GateError::Findings(f) => DecideError::Findings(f),
        }
    }
}
