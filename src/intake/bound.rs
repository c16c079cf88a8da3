//! Whether the decision log binds a case (issue 22). A record binds the SHA-256 of the
//! case file the reviewer saw, so a case with any record is never edited in place, and a
//! new case never takes the id of one the log knows (its file may have been removed).
//!
//! The one place the intake and `edit` read the log, read-only: this user's verified
//! memory of it (`record::memory::catch_up`, what every command that reads the log does
//! first), so a record file someone planted proves nothing, and a log that can no longer
//! be believed is said rather than guessed around.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::record::StateDir;
use crate::record::log::Index;

/// The newest record the log holds for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// How many records of the case the log holds.
    pub records: u64,
    pub seq: u64,
    /// `decision`, `review`, `practice` or `countersign`.
    pub kind: String,
    pub reviewer: String,
    pub time: DateTime<Utc>,
}

/// This user's verified view of which cases the log of a case directory binds.
pub struct LogView {
    index: Index,
}

/// Reads (and, for records new to this user, verifies) the log of `cases` through the
/// memory kept in `state`. A directory without a log binds nothing.
pub fn read(cases: &Path, state: &StateDir) -> Result<LogView, String> {
    let trusted = crate::record::memory::catch_up(cases, state, &mut |_, _| {})
        .map_err(|e| format!("decision log: {e}"))?;
    Ok(LogView {
        index: trusted.index,
    })
}

impl LogView {
    /// The log's newest record for case `id`, if it holds any.
    pub fn binds(&self, id: &str) -> Option<Bound> {
        let h = self.index.cases.get(id)?;
        let last = h.last.as_ref()?;
        Some(Bound {
            records: h.count,
            seq: last.seq,
            kind: last.kind.as_str().to_string(),
            reviewer: last.reviewer.clone(),
            time: last.time,
        })
    }
}
