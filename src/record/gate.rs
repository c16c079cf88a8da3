//! The append gate: a record is added only to a log that is whole. Under the log's
//! exclusive lock, before anything is signed:
//!
//! 1. an append interrupted between its two links (a signature without its record) is
//!    completed from the staging directory when its record is there and checks, or its
//!    signature removed;
//! 2. the staging directory is swept (any member may remove another's temporaries);
//! 3. the log is verified: the seq listing has no gap, every record and signature is
//!    there and readable, the `prev` and `case_prev` chains hold over every record, the
//!    signatures of the records after the last verified head ([`super::witness`]) check
//!    (signer, namespace, key), and the newest valid checkpoint matches;
//! 4. the last verified head is still there, byte for byte.
//!
//! Anything wrong is a refusal naming the first bad record; nothing is written.

use std::path::Path;

use super::allowed_signers::AllowedSigners;
use super::append::AppendError;
use super::log::{self, FILE_MODE, Index, MAX_RECORD_BYTES, Paths};
use super::model::{NONE, Record, sha256_link};
use super::sshsig;
use super::verify::{self, LogReport, Options};
use super::witness::{self, VerifiedHead};
use crate::store::publish;
use crate::store::safe_open::SafeDir;

/// What the gate learnt of the log it passed: the index the append rules use, and
/// what the new verified head will extend.
#[derive(Debug)]
pub(crate) struct Passed {
    pub index: Index,
    /// Chained hash of the signature files of records 1..=head.
    pub signatures: String,
}

/// Runs the gate over the log of `cases` (the caller holds the exclusive lock).
pub(crate) fn check(p: &Paths, policy: &AllowedSigners) -> Result<Passed, AppendError> {
    complete_interrupted(p, policy)?;
    publish::sweep_temps(&p.staging).map_err(|e| io(&p.staging, &e))?;
    // Temporaries of older versions, in the log itself: removed when they are ours
    // (the sticky bit keeps others'; `verify` reports them as warnings).
    let _ = publish::sweep_own_temps(&p.log);
    let remembered = witness::read(p);
    let trusted = remembered.as_ref().map_or(0, |w| w.seq);
    let mut report = run(&p.cases, trusted)?;
    if let Some(w) = &remembered {
        check_remembered(&report, w)?;
        // A signature file at or before the verified head changed since: verify every
        // signature again, so the refusal names the record (or nothing is wrong).
        if signatures_up_to(&report, w.seq) != w.signatures {
            report = run(&p.cases, 0)?;
        }
    }
    // Damage found with trusted signatures: verify them all, so the refusal names the
    // record that was changed rather than the one whose link to it broke.
    if trusted > 0 && first_damage(&report).is_some() {
        report = run(&p.cases, 0)?;
    }
    if let Some((seq, msg)) = first_damage(&report) {
        let at = seq.map_or_else(String::new, |s| format!("record {s}: "));
        return Err(AppendError::Damaged(format!(
            "the decision log is damaged: {at}{}; nothing was written. Run `casebench verify` to see every problem",
            crate::text::sanitize_line(&msg)
        )));
    }
    let index = index_of(&report);
    let signatures = signatures_up_to(&report, report.head);
    Ok(Passed { index, signatures })
}

/// The index of a verified log: its head and each case's history.
pub(crate) fn index_of(report: &LogReport) -> Index {
    let mut index = Index {
        head_link: NONE.to_string(),
        ..Index::default()
    };
    for r in &report.records {
        if let Some(rec) = &r.record {
            index.add(rec, r.link.clone());
        }
    }
    index
}

fn run(cases: &Path, trusted_up_to: u64) -> Result<LogReport, AppendError> {
    verify::verify_with(
        cases,
        &Options {
            trusted_up_to,
            locked: true,
            no_case_binding: true,
            checkpoint: None,
        },
    )
    .map_err(AppendError::Io)
}

/// The first thing that makes the log unfit to extend. Changed case files and records
/// signed under an archived policy are not damage; leftovers are not either.
fn first_damage(report: &LogReport) -> Option<(Option<u64>, String)> {
    if report.intact() && report.checkpoints.iter().all(|c| c.problem.is_none()) {
        return None;
    }
    report.first_bad()
}

fn check_remembered(report: &LogReport, w: &VerifiedHead) -> Result<(), AppendError> {
    let at = report.records.iter().find(|r| r.seq == w.seq);
    let problem = match at {
        None => format!(
            "record {}, verified before (decisions/{}/{}), is missing: the log was truncated or rolled back",
            w.seq,
            log::CACHE_DIR,
            witness::FILE_NAME
        ),
        Some(r) if r.link != w.record => format!(
            "record {} is not the record verified before (decisions/{}/{}): the log was rewritten",
            w.seq,
            log::CACHE_DIR,
            witness::FILE_NAME
        ),
        Some(_) => return Ok(()),
    };
    Err(AppendError::Damaged(format!(
        "the decision log is damaged: {problem}; nothing was written. Run `casebench verify`; if the log was restored from a backup on purpose, see docs/RECORDS.md"
    )))
}

/// The chained hash of the signature files of records 1..=`seq`.
pub(crate) fn signatures_up_to(report: &LogReport, seq: u64) -> String {
    witness::chain_signatures(
        None,
        report
            .records
            .iter()
            .take_while(|r| r.seq <= seq)
            .map(|r| r.sig_link.as_str()),
    )
}

/// A writer killed between linking the signature and the record leaves the signature
/// of record `head + 1` in the log and the record in the staging directory. The log
/// directory has the sticky bit, so only that writer could remove the signature: the
/// next writer completes the append instead, when the staged record is the one the
/// signature signs, by an allowed signer, and extends the current head. Otherwise it
/// removes the orphan if it can, or refuses, naming the file and who can remove it.
fn complete_interrupted(p: &Paths, policy: &AllowedSigners) -> Result<(), AppendError> {
    let seqs = log::list_records(&p.log)?;
    let head = seqs.last().copied().unwrap_or(0);
    let next = head + 1;
    let sig_path = p.log.join(log::sig_name(next));
    match std::fs::symlink_metadata(&sig_path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(&sig_path, &e)),
    }
    let staged = staged_record(p, policy, next, head)?;
    match staged {
        Some(bytes) => {
            let name = format!(
                "{}rollforward.{}",
                publish::TEMP_PREFIX,
                log::record_name(next)
            );
            let _ = std::fs::remove_file(p.staging.join(&name));
            let tmp = publish::write_exclusive(&p.staging, &name, &bytes, FILE_MODE)
                .map_err(|e| io(&p.staging, &e))?;
            let target = p.log.join(log::record_name(next));
            publish::publish(&tmp, &target).map_err(|e| io(&target, &e))?;
            publish::fsync_dir(&p.log).map_err(|e| io(&p.log, &e))?;
            Ok(())
        }
        None => match std::fs::remove_file(&sig_path) {
            Ok(()) => publish::fsync_dir(&p.log).map_err(|e| io(&p.log, &e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => {
                use std::os::unix::fs::MetadataExt;
                let owner = std::fs::symlink_metadata(&sig_path)
                    .map(|m| format!("uid {}", m.uid()))
                    .unwrap_or_else(|_| "its owner".into());
                Err(AppendError::Damaged(format!(
                    "{} is the signature of an interrupted append whose record cannot be completed, and it cannot be removed ({e}); only its owner ({owner}) or an administrator can remove it (see docs/DEPLOY.md)",
                    sig_path.display()
                )))
            }
        },
    }
}

/// The staged record of an interrupted append of `seq`, when it is the record the
/// orphaned signature signs and it may join the log: its seq, its `prev` the current
/// head, a valid signature by a signer allowed for its type at its time.
fn staged_record(
    p: &Paths,
    policy: &AllowedSigners,
    seq: u64,
    head: u64,
) -> Result<Option<Vec<u8>>, AppendError> {
    let Ok(staging) = SafeDir::open(&p.staging) else {
        return Ok(None);
    };
    let staged_name = format!("{}{}", publish::TEMP_PREFIX, log::record_name(seq));
    let Ok(bytes) = staging.read_file(&staged_name, MAX_RECORD_BYTES) else {
        return Ok(None);
    };
    let log_dir = SafeDir::open(&p.log).map_err(|e| io(&p.log, &e))?;
    let Ok(pem) = log_dir.read_file(&log::sig_name(seq), 64 * 1024) else {
        return Ok(None);
    };
    let Ok(rec) = Record::from_bytes(&bytes) else {
        return Ok(None);
    };
    let head_link = if head == 0 {
        NONE.to_string()
    } else {
        match log_dir.read_file(&log::record_name(head), MAX_RECORD_BYTES) {
            Ok(b) => sha256_link(&b),
            Err(_) => return Ok(None),
        }
    };
    let ns = rec.kind.namespace();
    let signed = sshsig::from_pem(&pem).and_then(|s| sshsig::verify(&s, ns, &bytes));
    let ok = rec.seq == seq
        && rec.prev == head_link
        && signed.is_ok_and(|key| {
            sshsig::fingerprint(&key) == rec.key
                && policy.check(&rec.reviewer, &key, ns, rec.time).is_ok()
        });
    Ok(ok.then_some(bytes))
}

fn io(path: &Path, e: &std::io::Error) -> AppendError {
    AppendError::Io(if crate::store::access::is_denied(e) {
        crate::store::access::denied_message(path, 'w')
    } else {
        format!("{}: {e}", path.display())
    })
}

/// How many older records each append on the fast path checks again.
pub(crate) const SPOT_WINDOW: u64 = 16;

/// The fast path's check of older records: when the log is as the index describes it
/// (nothing added, removed or renamed since the last append), an in-place rewrite of an
/// older record would not show in its listing or its head. Each append re-checks a
/// window of `SPOT_WINDOW` records, moving along the log and wrapping around, so every
/// record is looked at again every `head / SPOT_WINDOW` appends (and a log of at most
/// `SPOT_WINDOW` records on every append): bytes chained to the next record's `prev`,
/// the signature checked, by an allowed signer. Returns where the next window starts,
/// or `None` when anything is off (then the whole gate runs and names the record).
pub(crate) fn spot_check(
    p: &Paths,
    policy: &AllowedSigners,
    k: &super::index_file::Known,
) -> Option<u64> {
    let head = k.head.seq;
    let start = if (1..=head).contains(&k.window) {
        k.window
    } else {
        1
    };
    let end = (start + SPOT_WINDOW - 1).min(head);
    let dir = SafeDir::open(&p.log).ok()?;
    let read = |seq: u64| -> Option<(Vec<u8>, Record)> { log::read_record(&dir, seq).ok() };
    // A record signed under an archived policy (keys rotated since) is not damage, as
    // for `verify`: allowed by the policy it names, kept in decisions/policies/.
    let archive = verify::Archive::new(&p.policies, policy);
    let allowed = |rec: &Record, key: &ssh_key::PublicKey, ns: &str| {
        policy.check(&rec.reviewer, key, ns, rec.time).is_ok()
            || archive
                .get(&rec.policy)
                .is_some_and(|a| a.check(&rec.reviewer, key, ns, rec.time).is_ok())
    };
    // The link the first record of the window must carry as `prev`.
    let mut prev = if start == 1 {
        NONE.to_string()
    } else {
        sha256_link(&read(start - 1)?.0)
    };
    for seq in start..=end {
        let (bytes, rec) = read(seq)?;
        if rec.prev != prev {
            return None;
        }
        let sig = dir.read_file(&log::sig_name(seq), MAX_RECORD_BYTES).ok()?;
        let ns = rec.kind.namespace();
        let key = sshsig::from_pem(&sig)
            .ok()
            .and_then(|s| sshsig::verify(&s, ns, &bytes).ok())?;
        if sshsig::fingerprint(&key) != rec.key || !allowed(&rec, &key, ns) {
            return None;
        }
        prev = sha256_link(&bytes);
    }
    // The window's last record is chained to what follows it.
    if end == head {
        (prev == k.head.record).then_some(())?;
    } else if read(end + 1)?.1.prev != prev {
        return None;
    }
    Some(if end >= head { 1 } else { end + 1 })
}
