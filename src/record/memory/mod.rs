//! Each user's memory of each log: every member's client is a witness (DESIGN.md
//! section 4, "Trust"; docs/RECORDS.md, "What each member remembers").
//!
//! For each log (named by the hash of its record 1), a user keeps in their own state
//! directory ([`StateDir`]) the newest head they verified (seq, record hash, signature
//! hash, when first seen) and their own index of the records they verified (each case's
//! history: the record in force, who took part, the proposals awaiting a
//! countersignature). Nothing another member can write is believed: not a shared index,
//! not a "verified head" file, not anything in `cache/` or `staging/`.
//!
//! Every command that reads the log first calls [`catch_up`] (the append calls
//! [`open`] and keeps the session while it writes):
//!
//! 1. the log must still extend what this user remembers: the same log in this case
//!    directory (its record 1), and the remembered head there byte for byte (record and
//!    signature). Otherwise [`TrustError::Diverged`] names the seq, what changed and when
//!    this user saw it, unless a valid rewind notice applies ([`super::rewind`]);
//! 2. when `decisions/log/` changed since (its inode and times), its names are listed:
//!    no record missing, none without its signature;
//! 3. only the records after the head are verified (signature, signer under the policy,
//!    chain, the log's rules) and remembered: O(new). A user's first use of a log
//!    verifies it whole, once, with progress;
//! 4. the newest valid checkpoint beside the log must match it.
//!
//! One process of a user at a time brings their memory of a log up to date (a lock in
//! their state directory), and it only moves forward; only an honoured rewind notice
//! moves it back.

mod admit;
mod file;
mod session;
mod source;
mod start;

use std::path::Path;

use chrono::{DateTime, Utc};

pub(crate) use file::PlaceKey;
pub use file::{AppliedRewind, DirStamp, Head, ProposalRef, StateDir};
pub(crate) use session::Session;
use source::read_opt;

use super::log::{self, Index, Paths};
use super::model::{format_time, sha256_link};
use super::rewind::Rewind;
use super::verify::{LogDir, LogReport};

/// What this user may believe of the log: their verified index, up to date.
#[derive(Debug, Clone)]
pub struct Trusted {
    pub index: Index,
    /// The newest head verified (`None` for an empty log).
    pub head: Option<Head>,
    /// A rewind notice honoured on the way.
    pub rewound: Option<Rewound>,
    /// Records verified in this call (all of them on a first use).
    pub verified: u64,
    /// This user had never verified this log before.
    pub first_use: bool,
    /// Said to the user, not errors: an interrupted append, notices not honoured.
    pub warnings: Vec<String>,
    /// Where the proposals are kept (this user's journal of the log), when there is one.
    journal: Option<(StateDir, String)>,
}

impl Trusted {
    /// The trainees' proposals on cases with no record in force, oldest first, as this
    /// user verified them (read from their journal: O(proposals)).
    pub fn proposals(&self) -> Result<Vec<ProposalRef>, String> {
        let (Some((state, id)), Some(head)) = (&self.journal, &self.head) else {
            return Ok(Vec::new());
        };
        Ok(state
            .proposals(id, head.seq)?
            .into_iter()
            .filter(|p| {
                self.index
                    .cases
                    .get(&p.case)
                    .is_some_and(|h| h.final_record().is_none())
            })
            .collect())
    }
}

/// A rewind notice this user honoured: what it says, and what it rewound of theirs.
#[derive(Debug, Clone)]
pub struct Rewound {
    pub file: String,
    pub notice: Rewind,
    /// The head this user had, and when they first saw it.
    pub from_seq: u64,
    pub from_seen: DateTime<Utc>,
}

impl Rewound {
    /// What the user is told: the notice, and that their memory starts again from it.
    pub fn describe(&self) -> String {
        format!(
            "{} (rewind notice decisions/checkpoints/{}); your memory of the log (record {}, seen at {}) now starts from the restored log, verified again",
            self.notice.describe(),
            crate::text::sanitize_line(&self.file),
            self.from_seq,
            format_time(&self.from_seen)
        )
    }
}

/// What changed at the seq this user remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The log now ends before it (truncated, rolled back, or emptied: `ends_at` 0).
    Truncated { ends_at: u64 },
    /// It is gone from the middle of the log (the log goes on to `ends_at`).
    Missing { ends_at: u64 },
    /// Other bytes in its record file.
    Record,
    /// Other bytes in its signature file.
    Signature,
    /// Record 1 is not the one this user saw in this case directory: another log.
    Replaced,
}

/// The log no longer extends what this user saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Divergence {
    pub seq: u64,
    pub change: Change,
    /// When this user first saw that record there.
    pub seen: DateTime<Utc>,
    /// Rewind notices beside the log that do not apply, and why.
    pub notes: Vec<String>,
}

impl std::fmt::Display for Divergence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let seq = self.seq;
        let what = match &self.change {
            Change::Truncated { ends_at: 0 } => "is gone: the log is empty now".to_string(),
            Change::Truncated { ends_at } => {
                format!("is gone: the log now ends at record {ends_at} (truncated or rolled back)")
            }
            Change::Missing { ends_at } => format!(
                "is missing: {} was deleted (the log goes on to record {ends_at})",
                log::record_name(seq)
            ),
            Change::Record => format!(
                "has other bytes now: {} was rewritten or replaced",
                log::record_name(seq)
            ),
            Change::Signature => format!(
                "has another signature now: {} was replaced",
                log::sig_name(seq)
            ),
            Change::Replaced => format!(
                "has other bytes now: {} was rewritten, or the log you saw in this directory replaced by another",
                log::record_name(seq)
            ),
        };
        write!(
            f,
            "the decision log no longer holds what you verified: record {seq}, which you saw at {}, {what}; nothing was written. Only a rewind notice signed by a compliance officer makes a restored log acceptable (docs/RECORDS.md, \"Restoring a backup\")",
            format_time(&self.seen)
        )?;
        for n in &self.notes {
            write!(f, "; {n}")?;
        }
        Ok(())
    }
}

/// Why the log cannot be believed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// It no longer extends what this user saw.
    #[error("{0}")]
    Diverged(Divergence),
    /// A record new to this user (or the log's listing, or a checkpoint) fails.
    #[error(
        "the decision log is damaged: {at}{message}; nothing was written. Run `casebench verify` to see every problem",
        at = seq.map_or_else(String::new, |s| format!("record {s}: "))
    )]
    Damaged { seq: Option<u64>, message: String },
    /// Something cannot be read (a permission, the user's own state directory).
    #[error("{0}")]
    Io(String),
}

impl TrustError {
    /// The seq it names, if any.
    pub fn seq(&self) -> Option<u64> {
        match self {
            TrustError::Diverged(d) => Some(d.seq),
            TrustError::Damaged { seq, .. } => *seq,
            TrustError::Io(_) => None,
        }
    }

    /// `log_diverged`, `log_damaged` or `io`: for `--json`.
    pub fn kind(&self) -> &'static str {
        match self {
            TrustError::Diverged(_) => "log_diverged",
            TrustError::Damaged { .. } => "log_damaged",
            TrustError::Io(_) => "io",
        }
    }
}

fn damaged((seq, message): (u64, String)) -> TrustError {
    TrustError::Damaged {
        seq: Some(seq),
        message,
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> TrustError {
    TrustError::Io(if crate::store::access::is_denied(e) {
        crate::store::access::denied_message(path, 'r')
    } else {
        format!("{}: {e}", path.display())
    })
}

/// Brings this user's memory of the log of `cases` up to date and returns it. `progress`
/// hears `(done, total)` while records are verified.
pub fn catch_up(
    cases: &Path,
    state: &StateDir,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Trusted, TrustError> {
    open(cases, state, progress)?.finish()
}

/// This user's memory of the log of `cases` as it stands, unchecked (the advisor's view
/// of who took part in a case, before the append checks everything under the lock).
pub fn recall(cases: &Path, state: &StateDir) -> Option<Index> {
    // The log this user saw in this directory, else the one there now.
    let seen_here = state
        .place(&PlaceKey::of(cases))
        .ok()
        .flatten()
        .map(|p| p.log)
        .filter(|l| l != super::model::NONE);
    let id = seen_here.or_else(|| {
        let dir = LogDir::open(&Paths::new(cases).log).ok()?;
        read_opt(&dir, 1).ok()?.map(|b| sha256_link(&b))
    })?;
    state.load(&id).ok()?.map(|m| m.index)
}

/// The newest head this user verified of the log in `cases`: of the log there now, or of
/// the one they saw there before (a log restored or replaced since).
pub fn remembered_head(cases: &Path, state: &StateDir) -> Option<Head> {
    let p = Paths::new(cases);
    let id = LogDir::open(&p.log)
        .ok()
        .and_then(|d| read_opt(&d, 1).ok().flatten())
        .map(|b| sha256_link(&b));
    let place = state.place(&PlaceKey::of(cases)).ok().flatten();
    let ids = place.map(|pl| pl.log).into_iter().chain(id);
    ids.filter_map(|id| state.load(&id).ok().flatten())
        .map(|m| m.head)
        .filter(|h| h.seq > 0)
        .max_by_key(|h| h.first_seen)
}

/// Opens this user's memory of the log of `cases` and brings it up to date (see the
/// module's steps). The session holds this user's lock on that memory until dropped.
pub(crate) fn open(
    cases: &Path,
    state: &StateDir,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Session, TrustError> {
    let p = Paths::new(cases);
    let present = crate::store::access::exists(&p.log).map_err(TrustError::Io)?;
    let dir = if present {
        Some(LogDir::open(&p.log).map_err(|e| io_error(&p.log, &e))?)
    } else {
        None
    };
    start::start(cases, state, source::Source::Files(dir), progress)
}

/// After a full verification (`verify`, `audit`): checks that the log `report` read
/// still extends what this user remembers, and, when it is whole, remembers its new
/// records (no file is read again).
pub fn remember_report(
    cases: &Path,
    state: &StateDir,
    report: &LogReport,
) -> Result<Trusted, TrustError> {
    start::start(cases, state, source::Source::Report(report), &mut |_, _| {})?.finish()
}
