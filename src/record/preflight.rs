//! What an append does under the log's exclusive lock before this user's memory is
//! brought up to date ([`super::memory`]): an append interrupted between its two links
//! (a signature without its record) is completed from the staging directory when its
//! record is there and checks, or its signature removed; the staging directory is
//! swept (any member may remove another's temporaries). After the memory: a spot-check
//! of a window of older records, which the memory does not read again.
//!
//! Anything wrong is a refusal naming the record; nothing is written.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::allowed_signers::AllowedSigners;
use super::append_error::AppendError;
use super::log::{self, FILE_MODE, MAX_RECORD_BYTES, Paths};
use super::model::{NONE, Record, sha256_link};
use super::sshsig;
use super::verify;
use crate::store::publish;
use crate::store::safe_open::SafeDir;

/// Under the exclusive lock, once the interrupted append is dealt with: the staging
/// directory swept, and (`log_temps`: the memory's listing of the log showed some)
/// temporaries older versions left in the log itself, when they are ours (the sticky bit
/// keeps others'; `verify` reports them as warnings). The log is never listed for this
/// alone: that would cost every append the whole log's names.
pub(crate) fn sweep(p: &Paths, log_temps: bool) -> Result<(), AppendError> {
    publish::sweep_temps(&p.staging).map_err(|e| io(&p.staging, &e))?;
    if log_temps {
        let _ = publish::sweep_own_temps(&p.log);
    }
    Ok(())
}

/// A writer killed between linking the signature and the record leaves the signature
/// of record `head + 1` in the log and the record in the staging directory. The log
/// directory has the sticky bit, so only that writer could remove the signature: the
/// next writer completes the append instead, when the staged record is the one the
/// signature signs, by an allowed signer, and extends the current head. Otherwise it
/// removes the orphan if it can, or refuses, naming the file and who can remove it.
/// `head` is the log's last record (this user's memory has just verified up to it).
/// True when a record was completed (the memory then has one more record to verify).
pub(crate) fn complete_interrupted(
    p: &Paths,
    policy: &AllowedSigners,
    head: u64,
) -> Result<bool, AppendError> {
    let next = head + 1;
    let sig_path = p.log.join(log::sig_name(next));
    match std::fs::symlink_metadata(&sig_path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
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
            Ok(true)
        }
        None => match std::fs::remove_file(&sig_path) {
            Ok(()) => publish::fsync_dir(&p.log)
                .map(|()| false)
                .map_err(|e| io(&p.log, &e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
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

/// How many older records each append checks again.
pub(crate) const SPOT_WINDOW: u64 = 16;

/// The append's check of older records: this user's memory verified them when they were
/// new and reads only the head again, so an older record rewritten in place (by its
/// owner after a `chmod`, or by root) would not show. Each append re-checks a window of
/// `SPOT_WINDOW` records, moving along the log and wrapping around, so every record is
/// looked at again every `head / SPOT_WINDOW` appends (and a log of at most
/// `SPOT_WINDOW` records on every append): bytes chained to the next record's `prev`,
/// the signature checked, by a signer allowed by the current policy or by an archived
/// policy this user saw in force. Returns where the next window starts, or the record
/// that fails and why.
pub(crate) fn spot_check(
    p: &Paths,
    policy: &AllowedSigners,
    seen: &BTreeMap<String, DateTime<Utc>>,
    window: u64,
    head: (u64, &str),
) -> Result<u64, (u64, String)> {
    let (head, head_link) = head;
    if head == 0 {
        return Ok(1);
    }
    let start = if (1..=head).contains(&window) {
        window
    } else {
        1
    };
    let end = (start + SPOT_WINDOW - 1).min(head);
    let dir = SafeDir::open(&p.log).map_err(|e| (start, format!("{}: {e}", p.log.display())))?;
    let read = |seq: u64| -> Result<(Vec<u8>, Record), (u64, String)> {
        log::read_record(&dir, seq).map_err(|e| (seq, e.to_string()))
    };
    let archive = verify::Archive::new(&p.policies, policy);
    let allowed = |rec: &Record, key: &ssh_key::PublicKey, ns: &str| {
        policy.check(&rec.reviewer, key, ns, rec.time).is_ok()
            || (seen.contains_key(&rec.policy)
                && archive
                    .get(&rec.policy)
                    .is_some_and(|a| a.check(&rec.reviewer, key, ns, rec.time).is_ok()))
    };
    let changed = |seq: u64| {
        (
            seq,
            format!(
                "{}: prev does not match record {} (a record before it was changed, replaced or reordered)",
                log::record_name(seq),
                seq - 1
            ),
        )
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
            return Err(changed(seq));
        }
        let file = log::record_name(seq);
        let sig = dir
            .read_file(&log::sig_name(seq), MAX_RECORD_BYTES)
            .map_err(|e| (seq, format!("{}: cannot read: {e}", log::sig_name(seq))))?;
        let ns = rec.kind.namespace();
        let key = sshsig::from_pem(&sig)
            .and_then(|s| sshsig::verify(&s, ns, &bytes))
            .map_err(|e| (seq, format!("{file}: {e}")))?;
        if sshsig::fingerprint(&key) != rec.key || !allowed(&rec, &key, ns) {
            return Err((
                seq,
                format!("{file}: signer not allowed, or not the key it names"),
            ));
        }
        prev = sha256_link(&bytes);
    }
    // The window's last record is chained to what follows it.
    if end == head {
        if prev != head_link {
            return Err((
                head,
                format!("{}: not the record remembered", log::record_name(head)),
            ));
        }
    } else if read(end + 1)?.1.prev != prev {
        return Err(changed(end + 1));
    }
    Ok(if end >= head { 1 } else { end + 1 })
}
