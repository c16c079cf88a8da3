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

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};

pub use file::{AppliedRewind, DirStamp, Head, ProposalRef, StateDir};
pub(crate) use file::{Memory, PlaceKey};

use super::allowed_signers::AllowedSigners;
use super::log::{self, Index, MAX_RECORD_BYTES, Paths};
use super::model::{format_time, sha256_link};
use super::reviewers;
use super::rewind::{self, Rewind};
use super::verify::{LogDir, LogReport, Name, State};
use crate::store::lock::LockGuard;

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

/// A user's memory of one log, open for as long as a command works with it: their lock
/// on it is held, so no other process of theirs moves it meanwhile.
pub(crate) struct Session {
    state: StateDir,
    place: PlaceKey,
    lock: Option<LockGuard>,
    memory: Option<Memory>,
    dirty: bool,
    rewound: Option<Rewound>,
    verified: u64,
    first_use: bool,
    warnings: Vec<String>,
    empty: Index,
}

impl Session {
    /// The verified index.
    pub(crate) fn index(&self) -> &Index {
        self.memory.as_ref().map_or(&self.empty, |m| &m.index)
    }

    /// Where the next spot-check of older records starts.
    pub(crate) fn window(&self) -> u64 {
        self.memory.as_ref().map_or(1, |m| m.window)
    }

    /// The `allowed_signers` versions this user saw in force.
    pub(crate) fn policies(&self) -> BTreeMap<String, DateTime<Utc>> {
        self.memory
            .as_ref()
            .map(|m| m.policies.clone())
            .unwrap_or_default()
    }

    pub(crate) fn rewound(&self) -> Option<&Rewound> {
        self.rewound.as_ref()
    }

    /// Proposal `seq`, as this user verified it, if it awaits a countersignature.
    pub(crate) fn proposal(&self, seq: u64) -> Result<Option<ProposalRef>, String> {
        let Some(m) = &self.memory else {
            return Ok(None);
        };
        let unsettled = |p: &ProposalRef| {
            m.index
                .cases
                .get(&p.case)
                .is_some_and(|h| h.final_record().is_none())
        };
        if let Some(p) = m.journal_add.iter().find(|p| p.seq == seq) {
            return Ok(Some(p.clone()).filter(unsettled));
        }
        Ok(self
            .state
            .proposals(&m.log, m.head.seq)?
            .into_iter()
            .find(|p| p.seq == seq)
            .filter(unsettled))
    }

    pub(crate) fn set_window(&mut self, window: u64) {
        if let Some(m) = &mut self.memory
            && m.window != window
        {
            m.window = window;
            self.dirty = true;
        }
    }

    /// Remembers the record this user just appended (`policy`: the allowed_signers it
    /// was signed under, seen in force), and the log directory's stamp after it.
    pub(crate) fn appended(
        &mut self,
        rec: &super::model::Record,
        link: &str,
        sig_link: &str,
        policy: &str,
        stamp: Option<DirStamp>,
    ) -> Result<(), String> {
        let now = Utc::now();
        if self.memory.is_none() {
            // The log's first record: its hash names the log from now on.
            self.lock = Some(self.state.lock(link)?);
            let mut m = match self.state.load(link)? {
                Some(m) => m,
                None => Memory::new(link, BTreeMap::new(), Vec::new()),
            };
            m.index = Index::empty();
            m.head = Head {
                seq: 0,
                record: super::model::NONE.to_string(),
                signature: super::model::NONE.to_string(),
                first_seen: now,
            };
            self.memory = Some(m);
        }
        let Some(m) = self.memory.as_mut() else {
            return Ok(());
        };
        m.policies.entry(policy.to_string()).or_insert(now);
        m.add(rec, link);
        m.head = Head {
            seq: rec.seq,
            record: link.to_string(),
            signature: sig_link.to_string(),
            first_seen: now,
        };
        m.stamp = stamp;
        self.dirty = true;
        Ok(())
    }

    /// Writes the memory when it changed (and which log this case directory holds).
    pub(crate) fn save(&mut self) -> Result<(), String> {
        let Some(m) = &mut self.memory else {
            return Ok(());
        };
        if self.dirty {
            self.state.save(m)?;
            self.dirty = false;
        }
        let here = self.state.place(&self.place)?;
        if here.as_ref().is_none_or(|p| p.log != m.log) {
            self.state.set_place(
                &self.place,
                &file::Place {
                    path: self.place.path.clone(),
                    log: m.log.clone(),
                    first_seen: Utc::now(),
                },
            )?;
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Trusted, TrustError> {
        self.save().map_err(TrustError::Io)?;
        let head = self.memory.as_ref().map(|m| m.head.clone());
        let journal = self
            .memory
            .as_ref()
            .map(|m| (self.state.clone(), m.log.clone()));
        Ok(Trusted {
            index: self.memory.map_or(self.empty, |m| m.index),
            head: head.filter(|h| h.seq > 0),
            rewound: self.rewound,
            verified: self.verified,
            first_use: self.first_use,
            warnings: self.warnings,
            journal,
        })
    }
}

/// Reads record `seq`'s bytes; `None` when there is no such file.
fn read_opt(dir: &LogDir, seq: u64) -> Result<Option<Vec<u8>>, TrustError> {
    read_file_opt(dir, &Name::new(seq, false), MAX_RECORD_BYTES)
}

fn read_file_opt(dir: &LogDir, name: &Name, limit: u64) -> Result<Option<Vec<u8>>, TrustError> {
    let mut buf = Vec::new();
    match dir.read_into(name, limit, &mut buf) {
        Ok(()) => Ok(Some(buf)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if crate::store::access::is_denied(&e) => {
            Err(io_error(&dir.path().join(name.as_str()), &e))
        }
        Err(e) => Err(TrustError::Damaged {
            seq: None,
            message: format!("{}: cannot read: {e}", name.as_str()),
        }),
    }
}

/// Where a session reads the log from: the files, or a verification that read them all.
enum Source<'a> {
    Files(Option<LogDir>),
    Report(&'a LogReport),
}

impl Source<'_> {
    /// (record link, signature link) of record `seq`, if there is one.
    fn links(&self, seq: u64) -> Result<Option<(String, String)>, TrustError> {
        match self {
            Source::Files(None) => Ok(None),
            Source::Files(Some(dir)) => {
                let Some(rec) = read_opt(dir, seq)? else {
                    return Ok(None);
                };
                let sig = read_file_opt(dir, &Name::new(seq, true), 64 * 1024)?;
                Ok(Some((
                    sha256_link(&rec),
                    sig.map_or_else(String::new, |s| sha256_link(&s)),
                )))
            }
            Source::Report(r) => Ok(r
                .records
                .iter()
                .find(|x| x.seq == seq)
                .filter(|x| !x.link.is_empty())
                .map(|x| (x.link.clone(), x.sig_link.clone()))),
        }
    }

    /// The highest seq of a record in the log.
    fn ends_at(&self, p: &Paths) -> Result<u64, TrustError> {
        match self {
            Source::Files(None) => Ok(0),
            Source::Files(Some(_)) => Ok(listing(p)?.max),
            Source::Report(r) => Ok(r.head),
        }
    }
}

/// What `decisions/log/` holds, by name: every record up to the highest, each with its
/// signature (a signature after the last record is an append in flight or interrupted).
struct Listing {
    max: u64,
    problem: Option<(u64, String)>,
    warning: Option<String>,
}

fn listing(p: &Paths) -> Result<Listing, TrustError> {
    let rd = match std::fs::read_dir(&p.log) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Listing {
                max: 0,
                problem: None,
                warning: None,
            });
        }
        Err(e) => return Err(io_error(&p.log, &e)),
    };
    let (mut records, mut sigs) = (Vec::new(), Vec::new());
    for entry in rd {
        let entry = entry.map_err(|e| io_error(&p.log, &e))?;
        let name = entry.file_name();
        let parsed = super::verify::usual_name(name.as_encoded_bytes())
            .or_else(|| log::parse_name(&name.to_string_lossy()));
        if let Some((seq, sig)) = parsed {
            if sig { &mut sigs } else { &mut records }.push(seq);
        }
    }
    records.sort_unstable();
    sigs.sort_unstable();
    let max = records.last().copied().unwrap_or(0);
    let mut out = Listing {
        max,
        problem: None,
        warning: None,
    };
    if let Some(missing) = records
        .iter()
        .enumerate()
        .find(|&(i, &s)| s != i as u64 + 1)
        .map(|(i, _)| i as u64 + 1)
    {
        out.problem = Some((
            missing,
            format!(
                "record {missing} is missing ({} deleted?)",
                log::record_name(missing)
            ),
        ));
        return Ok(out);
    }
    if let Some(&s) = records.iter().find(|s| sigs.binary_search(s).is_err()) {
        out.problem = Some((
            s,
            format!(
                "{}: no signature ({} missing)",
                log::record_name(s),
                log::sig_name(s)
            ),
        ));
        return Ok(out);
    }
    for &s in sigs.iter().filter(|s| records.binary_search(s).is_err()) {
        if s == max + 1 {
            out.warning = Some(format!(
                "{}: signature of an interrupted (or running) append, without its record",
                log::sig_name(s)
            ));
        } else {
            out.problem = Some((
                s,
                format!(
                    "{}: orphaned signature: its record {s} is missing",
                    log::sig_name(s)
                ),
            ));
            return Ok(out);
        }
    }
    Ok(out)
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
    start(cases, state, Source::Files(dir), progress)
}

/// After a full verification (`verify`, `audit`): checks that the log `report` read
/// still extends what this user remembers, and, when it is whole, remembers its new
/// records (no file is read again).
pub fn remember_report(
    cases: &Path,
    state: &StateDir,
    report: &LogReport,
) -> Result<Trusted, TrustError> {
    start(cases, state, Source::Report(report), &mut |_, _| {})?.finish()
}

fn start(
    cases: &Path,
    state: &StateDir,
    source: Source,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Session, TrustError> {
    let p = Paths::new(cases);
    let place = PlaceKey::of(cases);
    let mut session = Session {
        state: state.clone(),
        place: place.clone(),
        lock: None,
        memory: None,
        dirty: false,
        rewound: None,
        verified: 0,
        first_use: false,
        warnings: Vec::new(),
        empty: Index::empty(),
    };
    let id = source.links(1)?.map(|(link, _)| link);
    let seen_here = state.place(&place).map_err(TrustError::Io)?;
    if id.is_none()
        && seen_here
            .as_ref()
            .is_none_or(|h| h.log == super::model::NONE)
    {
        // No log, and none seen here: nothing to check or remember.
        return Ok(session);
    }
    let policy_bytes = reviewers::read_allowed_signers(cases).map_err(TrustError::Io)?;
    let policy = AllowedSigners::parse(&policy_bytes)
        .map_err(|e| TrustError::Io(format!("reviewers/{e}")))?;
    let people = reviewers::load(cases).map_err(TrustError::Io)?;
    // What a rewind carries over from the memory it replaces.
    let mut carried: (BTreeMap<String, DateTime<Utc>>, Vec<AppliedRewind>) = Default::default();
    if let Some(here) = &seen_here
        && here.log != super::model::NONE
        && id.as_deref() != Some(here.log.as_str())
    {
        let old = state.load(&here.log).map_err(TrustError::Io)?;
        let (seq, seen) = old.as_ref().map_or((1, here.first_seen), |m| {
            (m.head.seq.max(1), m.head.first_seen)
        });
        let div = Divergence {
            seq: if id.is_some() { 1 } else { seq },
            change: match id {
                Some(_) => Change::Replaced,
                None => Change::Truncated { ends_at: 0 },
            },
            seen,
            notes: Vec::new(),
        };
        let applied = old.as_ref().map(|m| m.rewinds.clone()).unwrap_or_default();
        let notice = honour(&p, &policy, &source, div, &applied)?;
        carried = (
            old.as_ref().map(|m| m.policies.clone()).unwrap_or_default(),
            applied,
        );
        carried.1.push(applied_now(&notice));
        session.rewound = Some(rewound(notice, seq, seen));
        if id.is_none() {
            // Emptied by the notice: nothing is remembered here until a record is.
            state
                .set_place(
                    &place,
                    &file::Place {
                        path: place.path.clone(),
                        log: super::model::NONE.to_string(),
                        first_seen: Utc::now(),
                    },
                )
                .map_err(TrustError::Io)?;
        }
    }
    let Some(id) = id else {
        return Ok(session);
    };
    session.lock = Some(state.lock(&id).map_err(TrustError::Io)?);
    let mut memory = state.load(&id).map_err(TrustError::Io)?;
    if let Some(m) = &memory
        && m.head.seq > 0
    {
        let change = match source.links(m.head.seq)? {
            Some((rec, _)) if rec != m.head.record => Some(Change::Record),
            Some((_, sig)) if sig != m.head.signature => Some(Change::Signature),
            Some(_) => None,
            None => {
                let ends_at = source.ends_at(&p)?;
                Some(if ends_at < m.head.seq {
                    Change::Truncated { ends_at }
                } else {
                    Change::Missing { ends_at }
                })
            }
        };
        if let Some(change) = change {
            let div = Divergence {
                seq: m.head.seq,
                change,
                seen: m.head.first_seen,
                notes: Vec::new(),
            };
            let notice = honour(&p, &policy, &source, div, &m.rewinds)?;
            let mut rewinds = m.rewinds.clone();
            rewinds.push(applied_now(&notice));
            carried = (m.policies.clone(), rewinds);
            session.rewound = Some(rewound(notice, m.head.seq, m.head.first_seen));
            memory = None;
        }
    }
    let mut m = match memory {
        Some(mut m) => {
            // A memory of this log from elsewhere, after a rewind here: keep both.
            let (policies, rewinds) = std::mem::take(&mut carried);
            for (k, v) in policies {
                m.policies.entry(k).or_insert(v);
            }
            for r in rewinds {
                if !m.rewinds.iter().any(|x| x.sha256 == r.sha256) {
                    m.rewinds.push(r);
                    session.dirty = true;
                }
            }
            m
        }
        None => {
            session.dirty = true;
            let (policies, rewinds) = std::mem::take(&mut carried);
            Memory::new(&id, policies, rewinds)
        }
    };
    session.first_use = m.head.seq == 0;
    let now = Utc::now();
    if let std::collections::btree_map::Entry::Vacant(e) = m.policies.entry(policy.policy_link()) {
        e.insert(now);
        session.dirty = true;
    }
    let checker = admit::Checker::new(&p, &policy, &people);
    match &source {
        Source::Files(None) => {}
        Source::Files(Some(dir)) => {
            // Names: listed again only when the directory changed (or a record follows
            // the head within the kernel clock's tick).
            let stamp = DirStamp::of(&p.log);
            let mut end = m.head.seq;
            let next = read_opt(dir, m.head.seq + 1)?.is_some();
            if session.first_use || stamp.is_none() || stamp != m.stamp || next {
                let l = listing(&p)?;
                if let Some(problem) = l.problem {
                    return Err(damaged(problem));
                }
                session.warnings.extend(l.warning);
                end = l.max;
                if stamp != m.stamp {
                    m.stamp = stamp;
                    session.dirty = true;
                }
            }
            let from = m.head.seq + 1;
            let (log_id, saved_head) = (m.log.clone(), m.head.seq);
            let saved = || state.proposals(&log_id, saved_head).unwrap_or_default();
            let verified = checker
                .admit_range(dir, &mut m, from, end, progress, &saved)
                .map_err(damaged)?;
            session.verified = verified;
            if verified > 0 {
                session.dirty = true;
            }
            check_checkpoint(&p, &policy, dir, &m)?;
        }
        Source::Report(report) => {
            // Remembered only from a whole log: `verify` reports the rest itself.
            if report.intact() && report.checkpoints.iter().all(|c| c.problem.is_none()) {
                let from = m.head.seq;
                admit_report(&checker, &mut m, report)?;
                session.verified = m.head.seq - from;
                if session.verified > 0 {
                    session.dirty = true;
                }
            }
        }
    }
    session.memory = Some(m);
    Ok(session)
}

/// Admits the records of a verified `report` after the memory's head.
fn admit_report(
    checker: &admit::Checker,
    m: &mut Memory,
    report: &LogReport,
) -> Result<(), TrustError> {
    let by_seq = |s: u64| {
        report
            .records
            .get(usize::try_from(s).ok()?.checked_sub(1)?)
            .filter(|r| r.seq == s)
    };
    let after = m.head.seq;
    for r in report.records.iter().filter(|r| r.seq > after) {
        let Some(rec) = r.record.clone() else {
            return Err(damaged((
                r.seq,
                r.problems.first().cloned().unwrap_or_default(),
            )));
        };
        let allowed = match r.state {
            State::Ok | State::CaseChanged => admit::Allowed::Current,
            State::SupersededPolicy => admit::Allowed::Archived(rec.policy.clone()),
            State::Invalid => {
                return Err(damaged((
                    r.seq,
                    r.problems.first().cloned().unwrap_or_default(),
                )));
            }
        };
        let target = |s: u64| {
            by_seq(s)
                .and_then(|x| x.record.as_ref())
                .map(super::log_rules::Target::of)
        };
        checker
            .admit(
                m,
                admit::Checked {
                    record: rec,
                    link: r.link.clone(),
                    sig_link: r.sig_link.clone(),
                    allowed,
                },
                &target,
            )
            .map_err(damaged)?;
    }
    Ok(())
}

fn applied_now(n: &rewind::Notice) -> AppliedRewind {
    AppliedRewind {
        file: n
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: n.sha256.clone(),
        applied: Utc::now(),
    }
}

fn rewound(n: rewind::Notice, from_seq: u64, from_seen: DateTime<Utc>) -> Rewound {
    Rewound {
        file: n
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        notice: n.rewind,
        from_seq,
        from_seen,
    }
}

/// The rewind notice that makes `div` lawful, or `div` with the reasons none does.
fn honour(
    p: &Paths,
    policy: &AllowedSigners,
    source: &Source,
    div: Divergence,
    applied: &[AppliedRewind],
) -> Result<rewind::Notice, TrustError> {
    let found = rewind::find(p, policy).map_err(TrustError::Io)?;
    let applied: Vec<String> = applied.iter().map(|a| a.sha256.clone()).collect();
    let holds = |seq: u64, link: &str| {
        source
            .links(seq)
            .ok()
            .flatten()
            .is_some_and(|(l, _)| l == link)
    };
    rewind::applicable(&found, div.seen, &applied, &holds)
        .map_err(|notes| TrustError::Diverged(Divergence { notes, ..div }))
}

/// The newest valid checkpoint beside the log must match what this user remembers.
fn check_checkpoint(
    p: &Paths,
    policy: &AllowedSigners,
    dir: &LogDir,
    m: &Memory,
) -> Result<(), TrustError> {
    let found = super::checkpoint::newest_valid(p, policy).map_err(TrustError::Io)?;
    let Some(cp) = found.checkpoint else {
        return Ok(());
    };
    let head = m.head.seq;
    if cp.seq > head {
        return Err(TrustError::Damaged {
            seq: Some(head + 1),
            message: format!(
                "log truncated: the checkpoint covers records up to {} but the log ends at {head}",
                cp.seq
            ),
        });
    }
    let link = if cp.seq == head {
        Some(m.head.record.clone())
    } else {
        read_opt(dir, cp.seq)?.map(|b| sha256_link(&b))
    };
    if link.as_deref() != Some(cp.head.as_str()) {
        return Err(TrustError::Damaged {
            seq: Some(cp.seq),
            message: format!(
                "record {} differs from the checkpoint: the log was rewritten up to or at it",
                cp.seq
            ),
        });
    }
    Ok(())
}
