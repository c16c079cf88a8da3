//! `casebench verify [--checkpoint FILE] [--json]`: exit 0 when every record checks,
//! 1 naming the first bad record otherwise (a case file changed after its decision
//! counts: the record no longer matches the facts on disk), 2 on usage or I/O errors.
//! Leftovers of interrupted writes are reported as warnings and do not fail.

use std::io::Write;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, VerifyArgs};
use crate::record::verify::{Severity, State, verify_log};
// Messages quote record fields (reviewer, case, key): untrusted text.
use crate::text::sanitize_line;

pub fn run(global: &Global, args: &VerifyArgs, out: &mut dyn Write) -> CommandResult {
    let mut report =
        verify_log(&global.cases, args.checkpoint.as_deref()).map_err(CommandError::Io)?;
    crate::record::witness::after_verify(&global.cases, &mut report);
    let first_bad = report.first_bad();
    if args.json {
        let v = serde_json::json!({
            "ok": first_bad.is_none(),
            "first_bad": first_bad.as_ref().map(|(s, m)| serde_json::json!({"seq": s, "message": m})),
            "head": report.head,
            "head_sha256": report.head_link,
            "counts": {
                "records": report.records.len(),
                "ok": report.count(State::Ok),
                "case_changed": report.count(State::CaseChanged),
                "superseded_policy": report.count(State::SupersededPolicy),
                "invalid": report.count(State::Invalid),
            },
            "records": report.records,
            "issues": report.issues,
            "checkpoint": report.checkpoint,
            "checkpoints": report.checkpoints,
        });
        write_json(out, &v, false)?;
    } else {
        for r in report.records.iter().filter(|r| r.state != State::Ok) {
            for p in &r.problems {
                writeln!(out, "{}", sanitize_line(p)).map_err(io_out)?;
            }
        }
        for i in &report.issues {
            let tag = match i.severity {
                Severity::Error => "",
                Severity::Warning => "warning: ",
            };
            writeln!(out, "{tag}{}", sanitize_line(&i.message)).map_err(io_out)?;
        }
        for cp in &report.checkpoints {
            match &cp.problem {
                Some(p) => writeln!(out, "{}", sanitize_line(p)).map_err(io_out)?,
                None => writeln!(
                    out,
                    "checkpoint {} (record {}, signed by {}{}): matches",
                    sanitize_line(&cp.file),
                    cp.seq.unwrap_or(0),
                    sanitize_line(cp.signer.as_deref().unwrap_or("")),
                    if cp.found {
                        ", found in decisions/checkpoints"
                    } else {
                        ""
                    }
                )
                .map_err(io_out)?,
            }
        }
        writeln!(
            out,
            "{} record(s): {} ok, {} case changed, {} superseded policy, {} invalid",
            report.records.len(),
            report.count(State::Ok),
            report.count(State::CaseChanged),
            report.count(State::SupersededPolicy),
            report.count(State::Invalid)
        )
        .map_err(io_out)?;
        match &first_bad {
            Some((Some(seq), msg)) => writeln!(
                out,
                "FAILED: first bad record {seq}: {}",
                sanitize_line(msg)
            )
            .map_err(io_out)?,
            // A problem at no record (the checkpoint file itself) says what it is.
            Some((None, msg)) => writeln!(out, "FAILED: {}", sanitize_line(msg)).map_err(io_out)?,
            None => {}
        }
    }
    Ok(if first_bad.is_none() {
        Exit::Ok
    } else {
        Exit::Problems
    })
}
