//! Verifying the log: every record's signature, that its signer was allowed for its
//! namespace at its time and is the reviewer it names, the `prev` chain, `case_prev`,
//! the binding to the case file, and files that should not be there.
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

mod chain;
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};
use chain::{case_binding, chain};

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
    pub checkpoint: Option<super::checkpoint::CheckpointReport>,
}

impl LogReport {
    /// True when nothing needs attention (warnings about leftovers do not count).
    pub fn ok(&self) -> bool {
        self.first_bad().is_none()
    }

    /// The first thing wrong, in log order, as (seq, message).
    pub fn first_bad(&self) -> Option<(u64, String)> {
        let rec = self
            .records
            .iter()
            .find(|r| r.state != State::Ok)
            .map(|r| (r.seq, r.problems.first().cloned().unwrap_or_default()));
        let issue = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| (i.seq.unwrap_or(u64::MAX), i.message.clone()))
            .min_by_key(|(s, _)| *s);
        let cp = self.checkpoint.as_ref().and_then(|c| {
            c.problem
                .as_ref()
                .map(|m| (c.bad_seq.unwrap_or(u64::MAX), m.clone()))
        });
        [rec, issue, cp]
            .into_iter()
            .flatten()
            .min_by_key(|(s, _)| *s)
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

/// Verifies the log of the case directory `cases`. `checkpoint` (a checkpoint file,
/// its signature beside it as `FILE.sig`) adds the truncation and tail checks.
pub fn verify_log(cases: &Path, checkpoint: Option<&Path>) -> Result<LogReport, String> {
    let p = Paths::new(cases);
    let policy_bytes = reviewers::read_allowed_signers(cases)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    let listing = list(&p)?;
    let mut report = LogReport {
        head_link: NONE.to_string(),
        ..LogReport::default()
    };
    let log_dir = if p.log.exists() {
        Some(LogDir::open(&p.log).map_err(|e| format!("{}: {e}", p.log.display()))?)
    } else {
        None
    };
    let archive = Archive::new(&p.policies, &policy);
    if let Some(dir) = &log_dir {
        report.records = listing
            .records
            .par_iter()
            .map(|&seq| check_record(dir, seq, &listing, &policy, &archive))
            .collect();
    }
    chain(&mut report, &listing);
    case_binding(&mut report, cases);
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
    if let Some(cp) = checkpoint {
        report.checkpoint = Some(super::checkpoint::check_against(cp, &policy, &report));
    }
    Ok(report)
}

/// The log directory's names, read under the shared lock so no append is half seen.
struct Listing {
    records: Vec<u64>,
    sigs: Vec<u64>,
    temps: Vec<String>,
    strays: Vec<String>,
}

fn list(p: &Paths) -> Result<Listing, String> {
    let mut l = Listing {
        records: Vec::new(),
        sigs: Vec::new(),
        temps: Vec::new(),
        strays: Vec::new(),
    };
    if !p.log.exists() {
        return Ok(l);
    }
    // A reader without write access to decisions/ may be unable to create LOCK: it
    // then lists without the lock (an append in flight shows as a leftover warning).
    let _guard = crate::store::lock::LockGuard::shared(&p.lock, log::LOCK_MODE).ok();
    let rd = std::fs::read_dir(&p.log).map_err(|e| format!("{}: {e}", p.log.display()))?;
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: {e}", p.log.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        match log::parse_name(&name) {
            Some((seq, false)) => l.records.push(seq),
            Some((seq, true)) => l.sigs.push(seq),
            None if name.starts_with(crate::store::publish::TEMP_PREFIX) => l.temps.push(name),
            None => l.strays.push(name),
        }
    }
    l.records.sort_unstable();
    l.sigs.sort_unstable();
    l.temps.sort();
    l.strays.sort();
    Ok(l)
}

/// The log directory, read with as few system calls as a record allows: records are
/// immutable once published, so one `read` of the size `fstat` gave is enough. Like
/// [`SafeDir`]: `openat` with `O_NOFOLLOW | O_NONBLOCK`, regular files only, size cap.
struct LogDir {
    dir: std::fs::File,
}

impl LogDir {
    fn open(path: &Path) -> std::io::Result<LogDir> {
        Ok(LogDir {
            dir: std::fs::File::open(path)?,
        })
    }

    fn read_file(&self, name: &str, limit: u64) -> std::io::Result<Vec<u8>> {
        use std::io::Read;
        use std::os::fd::{AsRawFd, FromRawFd};
        let c = std::ffi::CString::new(name)
            .map_err(|_| std::io::Error::other("file name contains NUL"))?;
        // SAFETY: valid directory fd and NUL-terminated name; the result is checked.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let e = std::io::Error::last_os_error();
            return Err(match e.raw_os_error() {
                Some(libc::ELOOP) => std::io::Error::other("is a symbolic link"),
                _ => e,
            });
        }
        // SAFETY: `fd` was just opened and is owned by `file` from here on.
        let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        if meta.len() > limit {
            return Err(std::io::Error::other(format!(
                "{} bytes, more than the limit of {limit}",
                meta.len()
            )));
        }
        let mut buf = vec![0; usize::try_from(meta.len()).unwrap_or(0)];
        file.read_exact(&mut buf)?;
        Ok(buf)
    }
}

/// Archived policies, read on demand and checked against their names.
struct Archive {
    dir: PathBuf,
    current: String,
    cache: std::sync::Mutex<HashMap<String, Option<std::sync::Arc<AllowedSigners>>>>,
}

impl Archive {
    fn new(dir: &Path, current: &AllowedSigners) -> Archive {
        Archive {
            dir: dir.to_path_buf(),
            current: current.policy_link(),
            cache: std::sync::Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, link: &str) -> Option<std::sync::Arc<AllowedSigners>> {
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

fn check_record(
    dir: &LogDir,
    seq: u64,
    listing: &Listing,
    policy: &AllowedSigners,
    archive: &Archive,
) -> RecordReport {
    let file = log::record_name(seq);
    let mut r = RecordReport {
        seq,
        file: file.clone(),
        state: State::Invalid,
        case: None,
        kind: None,
        reviewer: None,
        time: None,
        outcome: None,
        problems: Vec::new(),
        record: None,
        link: String::new(),
        case_changed: false,
        superseded: false,
    };
    let bytes = match dir.read_file(&file, MAX_RECORD_BYTES) {
        Ok(b) => b,
        Err(e) => {
            r.problems.push(format!("{file}: cannot read: {e}"));
            return r;
        }
    };
    r.link = sha256_link(&bytes);
    let rec = match Record::from_bytes(&bytes) {
        Ok(rec) => rec,
        Err(e) => {
            r.problems.push(format!("{file}: malformed record: {e}"));
            if listing.sigs.binary_search(&seq).is_err() {
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
    if listing.sigs.binary_search(&seq).is_err() {
        r.problems.push(format!(
            "{file}: no signature ({} missing)",
            log::sig_name(seq)
        ));
    } else {
        check_signature(dir, &file, &bytes, &rec, policy, archive, &mut r);
    }
    r.record = Some(rec);
    r
}

fn check_signature(
    dir: &LogDir,
    file: &str,
    bytes: &[u8],
    rec: &Record,
    policy: &AllowedSigners,
    archive: &Archive,
    r: &mut RecordReport,
) {
    let sig_file = log::sig_name(r.seq);
    let pem = match dir.read_file(&sig_file, 64 * 1024) {
        Ok(b) => b,
        Err(e) => {
            r.problems.push(format!("{sig_file}: cannot read: {e}"));
            return;
        }
    };
    let ns = rec.kind.namespace();
    let key = match sshsig::from_pem(&pem).and_then(|s| sshsig::verify(&s, ns, bytes)) {
        Ok(k) => k,
        Err(e) => {
            r.problems.push(format!("{file}: {e}"));
            return;
        }
    };
    let fp = sshsig::fingerprint(&key);
    if fp != rec.key {
        r.problems.push(format!(
            "{file}: signed with key {fp}, but the record names key {}",
            crate::text::sanitize_line(&rec.key)
        ));
    }
    let who = crate::text::sanitize_line(&rec.reviewer);
    match policy.check(&rec.reviewer, &key, ns, rec.time) {
        Ok(_) => {}
        Err(denied) => {
            let archived = archive
                .get(&rec.policy)
                .is_some_and(|a| a.check(&rec.reviewer, &key, ns, rec.time).is_ok());
            if archived {
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
