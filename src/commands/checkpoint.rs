//! `casebench checkpoint [--json]`: verifies the log and signs its head in namespace
//! `casebench-audit` (compliance officers). `checkpoint --rewind --reason TEXT` signs a
//! rewind notice instead: the log was restored from a backup on purpose (docs/RECORDS.md,
//! "Restoring a backup"). Exit 1 when the log is empty (a checkpoint) or damaged, or the
//! signer may not sign checkpoints; 2 on usage or I/O errors.

use std::io::Write;

use chrono::Utc;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{CheckpointArgs, Global};
use crate::record::checkpoint::write_checkpoint;
use crate::record::model::{NS_AUDIT, format_time};

pub fn run(global: &Global, args: &CheckpointArgs, out: &mut dyn Write) -> CommandResult {
    let time = Utc::now();
    if args.rewind {
        return rewind(global, args, out);
    }
    // A checkpoint anchors only a log that still extends what this user verified.
    if let Err(e) = super::trusted::catch_up(global)? {
        return super::trusted::refuse(out, &e, args.json);
    }
    let (principal, mut signer) = super::resolve_signer(global, NS_AUDIT, time)?;
    match write_checkpoint(&global.cases, &principal, &mut signer, time) {
        Ok((path, cp)) => {
            if args.json {
                let v = serde_json::json!({
                    "file": path.display().to_string(),
                    "signature": format!("{}.sig", path.display()),
                    "seq": cp.seq,
                    "head": cp.head,
                    "time": format_time(&cp.time),
                    "signer": cp.signer,
                    "key": cp.key,
                });
                write_json(out, &v, false)?;
            } else {
                writeln!(
                    out,
                    "checkpoint of record {} signed by {} with {}\n  {}\nkeep a copy (and its .sig) outside this directory",
                    cp.seq,
                    crate::text::sanitize_line(&cp.signer),
                    signer.describe(),
                    path.display()
                )
                .map_err(io_out)?;
            }
            Ok(Exit::Ok)
        }
        Err(e) => refused(out, &e, args.json),
    }
}

fn refused(out: &mut dyn Write, e: &str, json: bool) -> CommandResult {
    if json {
        writeln!(
            out,
            "{}",
            serde_json::json!({"error": "refused", "message": e})
        )
        .map_err(io_out)?;
    }
    crate::text::warn(&crate::text::sanitize_line(e));
    Ok(Exit::Problems)
}

/// `checkpoint --rewind --reason TEXT`: the rewind notice every member's client honours.
fn rewind(global: &Global, args: &CheckpointArgs, out: &mut dyn Write) -> CommandResult {
    let time = Utc::now();
    let reason = args.reason.as_deref().unwrap_or_default();
    let state = global.state().map_err(CommandError::Io)?;
    let (principal, mut signer) = super::resolve_signer(global, NS_AUDIT, time)?;
    let signed = crate::record::rewind::sign_notice(
        &global.cases,
        &state,
        &principal,
        &mut signer,
        time,
        reason,
    );
    let (path, r) = match signed {
        Ok(x) => x,
        Err(e) => return refused(out, &e, args.json),
    };
    if args.json {
        let v = serde_json::json!({
            "file": path.display().to_string(),
            "signature": format!("{}.sig", path.display()),
            "seq": r.seq,
            "head": r.head,
            "old_seq": r.old_seq,
            "old_head": r.old_head,
            "time": format_time(&r.time),
            "signer": r.signer,
            "key": r.key,
            "reason": r.reason,
        });
        write_json(out, &v, false)?;
    } else {
        writeln!(
            out,
            "rewind notice signed by {} with {}: {}\n  {}\ncheck it with: ssh-keygen -Y verify -f {} -I {} -n casebench-audit -s {}.sig < {}",
            crate::text::sanitize_line(&r.signer),
            signer.describe(),
            r.describe(),
            path.display(),
            global
                .cases
                .join("reviewers/allowed_signers")
                .display(),
            crate::text::sanitize_line(&r.signer),
            path.display(),
            path.display()
        )
        .map_err(io_out)?;
    }
    Ok(Exit::Ok)
}
