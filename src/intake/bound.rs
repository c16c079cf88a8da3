//! Whether the decision log binds a case (issue 22). A record binds the SHA-256 of the
//! case file the reviewer saw, so a case with any record is never edited in place, and a
//! new case never takes the id of one the log knows (its file may have been removed).
//!
//! The one place the intake and `edit` read the log, read-only, through its public index
//! (`record::log::read_index`): the log's own code may change beneath without these
//! commands changing.

use std::path::Path;

use chrono::{DateTime, Utc};

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

/// The log's newest record for case `id` in the case directory `cases`, if it holds any.
/// A directory without a log holds none.
pub fn log_binds(cases: &Path, id: &str) -> Result<Option<Bound>, String> {
    let index = crate::record::log::read_index(cases).map_err(|e| format!("decision log: {e}"))?;
    Ok(index.cases.get(id).and_then(|h| {
        let last = h.last.as_ref()?;
        Some(Bound {
            records: h.count,
            seq: last.seq,
            kind: last.kind.as_str().to_string(),
            reviewer: last.reviewer.clone(),
            time: last.time,
        })
    }))
}
