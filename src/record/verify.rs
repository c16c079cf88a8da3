//! Verifying the log: every record's signature, that its signer was allowed for its
//! namespace at its time and is the reviewer it names, the `prev` chain, `case_prev`,
//! the log's rules ([`super::log_rules`]: one decision per case, reviews and
//! countersignatures pointing where they may, namespaces by role), the binding to the
//! case file, files that should not be there, and log directories a member owns.
//!
//! Records are checked in parallel (rayon); the chain is then walked in order.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::allowed_signers::AllowedSigners;
use super::log::{self, MAX_RECORD_BYTES, Paths};
use super::model::{NONE, Record, RecordType, sha256_link};
use super::reviewers;
use super::sshsig;

use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};

mod chain;
mod read;
mod rules;
#[cfg(test)]
mod tests;
use chain::{case_binding, chain};
pub use read::{LogDir, Name};

/// A record's verification state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Everything checks.
    Ok,
    /// Intact and properly signed, but the case file on disk is not the one decided on
    /// (changed or missing since).
    CaseChanged,
    /// Intact, but its signer is authorised only by an archived (older) allowed_signers,
    /// not by the current one.
    SupersededPolicy,
    /// Not intact, not properly signed, or out of place in the chain.
    Invalid,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordReport {
    pub seq: u64,
    pub file: String,
    pub state: State,
    pub case: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<RecordType>,
    pub reviewer: Option<String>,
    pub time: Option<String>,
    pub outcome: Option<String>,
    /// What is wrong, most important first (empty when `ok`).
    pub problems: Vec<String>,
    /// The parsed record, for reports built on top of verification.
    #[serde(skip)]
    pub record: Option<Record>,
    /// `sha256:<hex>` of the file's bytes.
    #[serde(skip)]
    pub link: String,
    /// `sha256:<hex>` of the signature file's bytes (empty when it could not be read).
    #[serde(skip)]
    pub sig_link: String,
    /// Set when a file of this record cannot be read by this user: the whole
    /// verification is then an error, not a verdict.
    #[serde(skip)]
    denied: Option<String>,
    #[serde(skip)]
    case_changed: bool,
    #[serde(skip)]
    superseded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem of the log as a whole: a missing record, an orphaned or stray file.
#[derive(Debug, Clone, Serialize)]
pub struct LogIssue {
    pub severity: Severity,
    /// The seq concerned, if any.
    pub seq: Option<u64>,
    pub file: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct LogReport {
    pub records: Vec<RecordReport>,
    pub issues: Vec<LogIssue>,
    /// Highest seq present (0 for an empty log) and its link.
    pub head: u64,
    pub head_link: String,
    /// The first of `checkpoints` (the one given with `--checkpoint`, else the newest
    /// valid one found in `decisions/checkpoints/`).
    pub checkpoint: Option<super::checkpoint::CheckpointReport>,
    /// Every checkpoint the log was checked against.
    pub checkpoints: Vec<super::checkpoint::CheckpointReport>,
}

impl LogReport {
    /// True when nothing needs attention (warnings about leftovers do not count).
    pub fn ok(&self) -> bool {
        self.first_bad().is_none()
    }

    /// The first thing wrong, in log order, as (seq, message). The seq is `None` for a
    /// problem that is at no record (an unreadable or invalid checkpoint file): those
    /// come after every problem at a record.
    pub fn first_bad(&self) -> Option<(Option<u64>, String)> {
        let rec = self
            .records
            .iter()
            .find(|r| r.state != State::Ok)
            .map(|r| (Some(r.seq), r.problems.first().cloned().unwrap_or_default()));
        let issue = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| (i.seq, i.message.clone()))
            .min_by_key(|(s, _)| s.unwrap_or(u64::MAX));
        let cp = self
            .checkpoints
            .iter()
            .filter_map(|c| c.problem.as_ref().map(|m| (c.bad_seq, m.clone())))
            .min_by_key(|(s, _)| s.unwrap_or(u64::MAX));
        [rec, issue, cp]
            .into_iter()
            .flatten()
            .min_by_key(|(s, _)| s.unwrap_or(u64::MAX))
    }

    /// True when no record is invalid and nothing is missing or orphaned: what a
    /// checkpoint may anchor (changed case files do not make the log itself damaged).
    pub fn intact(&self) -> bool {
        self.records.iter().all(|r| {
            matches!(
                r.state,
                State::Ok | State::CaseChanged | State::SupersededPolicy
            )
        }) && self.issues.iter().all(|i| i.severity != Severity::Error)
    }

    pub fn count(&self, state: State) -> usize {
        self.records.iter().filter(|r| r.state == state).count()
    }
}

/// How [`verify_with`] runs. [`verify_log`] is the auditor's default: everything.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A checkpoint file given by the user (its signature beside it as `FILE.sig`),
    /// checked in addition to the newest valid one in `decisions/checkpoints/`.
    pub checkpoint: Option<PathBuf>,
    /// Signatures of records up to this seq were verified before and are not verified
    /// again (their files are still read and hashed, so the chain covers them). Only the
    /// append gate sets it, from the verified head it remembers.
    pub trusted_up_to: u64,
    /// The caller already holds the log's lock (the append gate holds it exclusively).
    pub locked: bool,
    /// Skip comparing records with the case files on disk (the append gate: a case file
    /// changed after its decision does not make the log damaged).
    pub no_case_binding: bool,
}

/// Verifies the log of the case directory `cases`. `checkpoint` (a checkpoint file,
/// its signature beside it as `FILE.sig`) is checked in addition to the newest valid
/// checkpoint found in `decisions/checkpoints/`.
pub fn verify_log(cases: &Path, checkpoint: Option<&Path>) -> Result<LogReport, String> {
    verify_with(
        cases,
        &Options {
            checkpoint: checkpoint.map(Path::to_path_buf),
            ..Options::default()
        },
    )
}

/// [`verify_log`] with options. An error is returned (never a report) when any part
/// of the log cannot be read by this user: an unreadable log is not a valid one.
pub fn verify_with(cases: &Path, opts: &Options) -> Result<LogReport, String> {
    let p = Paths::new(cases);
    let policy_bytes = reviewers::read_allowed_signers(cases)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    let present = crate::store::access::exists(&p.log)?;
    let listing = list(&p, present, opts.locked)?;
    let mut report = LogReport {
        head_link: NONE.to_string(),
        ..LogReport::default()
    };
    let log_dir = if present {
        Some(LogDir::open(&p.log).map_err(|e| describe_io(&p.log, &e, 'r'))?)
    } else {
        None
    };
    if let Some(dir) = &log_dir {
        let ctx = Ctx {
            dir,
            listing: &listing,
            policy: &policy,
            archive: Archive::new(&p.policies, &policy),
            keys: sshsig::KeyCache::new(policy.entries.iter().map(|e| &e.key)),
            trusted_up_to: opts.trusted_up_to,
        };
        report.records = listing
            .records
            .par_iter()
            .zip(&listing.records_regular)
            .map(|(&seq, &regular)| {
                BUFFERS.with_borrow_mut(|bufs| check_record(&ctx, seq, regular, bufs))
            })
            .collect();
    }
    if let Some(denied) = report.records.iter().find_map(|r| r.denied.clone()) {
        return Err(denied);
    }
    chain(&mut report, &listing);
    let people = reviewers::load(cases)?;
    rules::rules(&mut report, &people);
    for (dir, message) in super::dirs::member_owned(&p) {
        report.issues.push(LogIssue {
            severity: Severity::Error,
            seq: None,
            file: Some(dir.display().to_string()),
            message,
        });
    }
    if !opts.no_case_binding {
        case_binding(&mut report, cases);
    }
    for r in &mut report.records {
        r.state = if r.problems.len() > usize::from(r.case_changed) + usize::from(r.superseded) {
            State::Invalid
        } else if r.superseded {
            State::SupersededPolicy
        } else if r.case_changed {
            State::CaseChanged
        } else {
            State::Ok
        };
    }
    if let Some(last) = report.records.last() {
        report.head = last.seq;
        report.head_link = last.link.clone();
    }
    let found = super::checkpoint::newest_valid(&p, &policy)?;
    for bad in found.skipped {
        report.issues.push(LogIssue {
            severity: Severity::Warning,
            seq: None,
            file: None,
            message: bad,
        });
    }
    if let Some(cp) = &opts.checkpoint {
        report
            .checkpoints
            .push(super::checkpoint::check_against(cp, &policy, &report));
    }
    if let Some(cp) = found.newest {
        let mut r = super::checkpoint::check_against(&cp, &policy, &report);
        r.found = true;
        report.checkpoints.push(r);
    }
    report.checkpoint = report.checkpoints.first().cloned();
    Ok(report)
}

/// An I/O error on a path, saying which permission is missing when it is one.
fn describe_io(path: &Path, e: &std::io::Error, need: char) -> String {
    if crate::store::access::is_denied(e) {
        crate::store::access::denied_message(path, need)
    } else {
        format!("{}: {e}", path.display())
    }
}

/// The log directory's names, read under the shared lock so no append is half seen.
struct Listing {
    records: Vec<u64>,
    /// For each of `records`: the listing showed a regular file (see [`read`]).
    records_regular: Vec<bool>,
    sigs: Vec<u64>,
    sigs_regular: Vec<bool>,
    temps: Vec<String>,
    strays: Vec<String>,
}

fn list(p: &Paths, present: bool, locked: bool) -> Result<Listing, String> {
    let mut l = Listing {
        records: Vec::new(),
        records_regular: Vec::new(),
        sigs: Vec::new(),
        sigs_regular: Vec::new(),
        temps: Vec::new(),
        strays: Vec::new(),
    };
    if !present {
        return Ok(l);
    }
    // A reader without write access to decisions/ may be unable to create LOCK: it
    // then lists without the lock (an append in flight shows as a leftover warning).
    let _guard = if locked {
        None
    } else {
        crate::store::lock::LockGuard::shared(&p.lock, log::LOCK_MODE).ok()
    };
    let rd = std::fs::read_dir(&p.log).map_err(|e| describe_io(&p.log, &e, 'r'))?;
    let (mut records, mut sigs) = (Vec::new(), Vec::new());
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: {e}", p.log.display()))?;
        let os_name = entry.file_name();
        let parsed = usual_name(os_name.as_encoded_bytes()).or_else(|| {
            let name = os_name.to_string_lossy().into_owned();
            let parsed = log::parse_name(&name);
            if parsed.is_none() {
                if name.starts_with(crate::store::publish::TEMP_PREFIX) {
                    l.temps.push(name);
                } else {
                    l.strays.push(name);
                }
            }
            parsed
        });
        if let Some((seq, sig)) = parsed {
            // From the directory entry where the file system records the type.
            let regular = entry.file_type().is_ok_and(|t| t.is_file());
            if sig { &mut sigs } else { &mut records }.push((seq, regular));
        }
    }
    records.sort_unstable();
    sigs.sort_unstable();
    (l.records, l.records_regular) = records.into_iter().unzip();
    (l.sigs, l.sigs_regular) = sigs.into_iter().unzip();
    l.temps.sort();
    l.strays.sort();
    Ok(l)
}

/// [`log::parse_name`] for the names of logs under 100,000,000 records (eight digits,
/// not all zero, then `.yaml` or `.yaml.sig`), without allocating; `None` for any
/// other name, which `parse_name` then judges.
pub(crate) fn usual_name(name: &[u8]) -> Option<(u64, bool)> {
    let (stem, suffix) = name.split_at_checked(8)?;
    let sig = match suffix {
        b".yaml" => false,
        b".yaml.sig" => true,
        _ => return None,
    };
    let mut seq = 0u64;
    for &d in stem {
        if !d.is_ascii_digit() {
            return None;
        }
        seq = seq * 10 + u64::from(d - b'0');
    }
    (seq > 0).then_some((seq, sig))
}

/// Archived policies, read on demand and checked against their names.
pub(crate) struct Archive {
    dir: PathBuf,
    current: String,
    cache: std::sync::Mutex<HashMap<String, Option<std::sync::Arc<AllowedSigners>>>>,
}

impl Archive {
    pub(crate) fn new(dir: &Path, current: &AllowedSigners) -> Archive {
        Archive {
            dir: dir.to_path_buf(),
            current: current.policy_link(),
            cache: std::sync::Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn get(&self, link: &str) -> Option<std::sync::Arc<AllowedSigners>> {
        if link == self.current {
            return None;
        }
        let hex = link.strip_prefix("sha256:")?;
        let mut cache = self.cache.lock().ok()?;
        cache
            .entry(link.to_string())
            .or_insert_with(|| {
                let bytes = SafeDir::open(&self.dir)
                    .ok()?
                    .read_file(&format!("{hex}.allowed_signers"), DEFAULT_MAX_FILE_BYTES)
                    .ok()?;
                let parsed = AllowedSigners::parse(&bytes).ok()?;
                (parsed.policy_link() == link).then(|| std::sync::Arc::new(parsed))
            })
            .clone()
    }
}

/// What every record's check reads, shared by the threads (nothing in it is locked on
/// the usual path: the archive only for records signed under an archived policy).
struct Ctx<'a> {
    dir: &'a LogDir,
    listing: &'a Listing,
    policy: &'a AllowedSigners,
    archive: Archive,
    /// The current policy's keys, decoded once.
    keys: sshsig::KeyCache,
    /// See [`Options::trusted_up_to`].
    trusted_up_to: u64,
}

thread_local! {
    /// Each thread's file buffers, reused from record to record and from run to run
    /// (a buffer per rayon job would be allocated, sized to the cap, once per job).
    static BUFFERS: std::cell::RefCell<Buffers> = std::cell::RefCell::default();
}

#[derive(Default)]
struct Buffers {
    record: Vec<u8>,
    sig: Vec<u8>,
}

/// Reads a log file, without the `fstat` when the listing showed a regular file.
fn read(
    dir: &LogDir,
    name: &Name,
    regular: bool,
    limit: u64,
    buf: &mut Vec<u8>,
) -> std::io::Result<()> {
    if regular {
        dir.read_listed(name, limit, buf)
    } else {
        dir.read_into(name, limit, buf)
    }
}

fn check_record(ctx: &Ctx, seq: u64, regular: bool, bufs: &mut Buffers) -> RecordReport {
    let name = Name::new(seq, false);
    let file = name.as_str().to_string();
    let mut r = RecordReport {
        seq,
        file,
        state: State::Invalid,
        case: None,
        kind: None,
        reviewer: None,
        time: None,
        outcome: None,
        problems: Vec::new(),
        record: None,
        link: String::new(),
        sig_link: String::new(),
        denied: None,
        case_changed: false,
        superseded: false,
    };
    let file = name.as_str();
    if let Err(e) = read(ctx.dir, &name, regular, MAX_RECORD_BYTES, &mut bufs.record) {
        if crate::store::access::is_denied(&e) {
            r.denied = Some(crate::store::access::denied_message(
                &ctx.dir.path().join(file),
                'r',
            ));
        }
        r.problems.push(format!("{file}: cannot read: {e}"));
        return r;
    }
    let bytes = &bufs.record;
    r.link = sha256_link(bytes);
    let rec = match Record::from_bytes(bytes) {
        Ok(rec) => rec,
        Err(e) => {
            r.problems.push(format!("{file}: malformed record: {e}"));
            if ctx.listing.sigs.binary_search(&seq).is_err() {
                r.problems.push(format!(
                    "{file}: no signature ({} missing)",
                    log::sig_name(seq)
                ));
            }
            return r;
        }
    };
    r.case = Some(rec.case.clone());
    r.kind = Some(rec.kind);
    r.reviewer = Some(rec.reviewer.clone());
    r.time = Some(super::model::format_time(&rec.time));
    r.outcome = Some(rec.outcome.clone());
    if rec.seq != seq {
        r.problems.push(format!(
            "{file} holds record {} (records swapped, renamed or copied)",
            rec.seq
        ));
    }
    if ctx.listing.sigs.binary_search(&seq).is_err() {
        r.problems.push(format!(
            "{file}: no signature ({} missing)",
            log::sig_name(seq)
        ));
    } else if seq <= ctx.trusted_up_to {
        read_signature(ctx, &mut r, bufs);
    } else {
        check_signature(ctx, file, &rec, bufs, &mut r);
    }
    r.record = Some(rec);
    r
}

/// Reads the signature file into `bufs.sig` and records its hash; false (with the
/// problem noted) when it cannot be read.
fn read_signature(ctx: &Ctx, r: &mut RecordReport, bufs: &mut Buffers) -> bool {
    let sig_name = Name::new(r.seq, true);
    let regular = ctx
        .listing
        .sigs
        .binary_search(&r.seq)
        .is_ok_and(|j| ctx.listing.sigs_regular[j]);
    if let Err(e) = read(ctx.dir, &sig_name, regular, 64 * 1024, &mut bufs.sig) {
        if crate::store::access::is_denied(&e) {
            r.denied = Some(crate::store::access::denied_message(
                &ctx.dir.path().join(sig_name.as_str()),
                'r',
            ));
        }
        r.problems
            .push(format!("{}: cannot read: {e}", sig_name.as_str()));
        return false;
    }
    r.sig_link = sha256_link(&bufs.sig);
    true
}

fn check_signature(ctx: &Ctx, file: &str, rec: &Record, bufs: &mut Buffers, r: &mut RecordReport) {
    if !read_signature(ctx, r, bufs) {
        return;
    }
    let ns = rec.kind.namespace();
    let key = match sshsig::from_pem(&bufs.sig)
        .and_then(|s| sshsig::verify_cached(&s, ns, &bufs.record, &ctx.keys))
    {
        Ok(k) => k,
        Err(e) => {
            r.problems.push(format!("{file}: {e}"));
            return;
        }
    };
    let fp = ctx.keys.fingerprint(&key);
    if fp != rec.key {
        r.problems.push(format!(
            "{file}: signed with key {fp}, but the record names key {}",
            crate::text::sanitize_line(&rec.key)
        ));
    }
    match ctx.policy.check(&rec.reviewer, &key, ns, rec.time) {
        Ok(_) => {}
        Err(denied) => {
            let archived = ctx
                .archive
                .get(&rec.policy)
                .is_some_and(|a| a.check(&rec.reviewer, &key, ns, rec.time).is_ok());
            if archived {
                let who = crate::text::sanitize_line(&rec.reviewer);
                r.superseded = true;
                r.problems.push(format!(
                    "{file}: {who}'s key is allowed only by the archived policy {} (decisions/policies), not by the current reviewers/allowed_signers: {denied}",
                    rec.policy
                ));
            } else {
                r.problems
                    .push(format!("{file}: signer not allowed: {denied}"));
            }
        }
    }
}
