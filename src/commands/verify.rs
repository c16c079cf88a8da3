//! `casebench verify [--checkpoint FILE] [--json]`: exit 0 when every record checks,
//! 1 naming the first bad record otherwise (a case file changed after its decision
//! counts: the record no longer matches the facts on disk; a rule of the log broken; a
//! log directory a member owns), or when the log no longer extends what this user
//! verified before (their memory: never laundered); 2 on usage or I/O errors. Leftovers
//! of interrupted writes are reported as warnings and do not fail. A whole log is
//! remembered as this user's newest verified head.

use std::io::Write;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, VerifyArgs};
use crate::record::verify::{Severity, State, verify_log};
// Messages quote record fields (reviewer, case, key): untrusted text.
use crate::text::sanitize_line;

pub fn run(global: &Global, args: &VerifyArgs, out: &mut dyn Write) -> CommandResult {
    if let Some(dir) = &args.sites {
        return run_sites(dir, args.json, out);
    }
    let report = verify_log(&global.cases, args.checkpoint.as_deref()).map_err(CommandError::Io)?;
    // This user's memory: the log must still extend what they verified (a rollback is
    // an error, never a new normal), and a whole log is remembered.
    let memory = super::trusted::remember(global, &report)?;
    let diverged = memory.as_ref().err();
    let first_bad = report.first_bad();
    if args.json {
        let v = serde_json::json!({
            "ok": first_bad.is_none() && diverged.is_none(),
            "memory": match diverged {
                None => serde_json::json!({"ok": true}),
                Some(e) => super::trusted::json_of(e),
            },
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
        if let Some(e) = diverged {
            writeln!(out, "FAILED: {}", sanitize_line(&e.to_string())).map_err(io_out)?;
        }
    }
    Ok(if first_bad.is_none() && diverged.is_none() {
        Exit::Ok
    } else {
        Exit::Problems
    })
}

/// `verify --sites DIR`: one result per mirrored site, each written as soon as it is
/// verified (one site's report in memory at a time); exit 1 if any fails, with a line
/// on standard error naming the first failing site.
fn run_sites(dir: &std::path::Path, json: bool, out: &mut dyn Write) -> CommandResult {
    use crate::sites::verify::{CASE_BINDING_HERE, verify_sites};
    let results = match verify_sites(dir) {
        Ok(r) => r,
        Err(e) => {
            return super::sync::json_error(out, json, "no_site", CommandError::Io(e));
        }
    };
    let mut sites = Vec::new();
    let mut failed: Vec<(String, Option<u64>, String)> = Vec::new();
    let mut total = 0;
    for r in results {
        total += 1;
        let bad = r.first_bad();
        if let Some((seq, msg)) = &bad {
            failed.push((r.site.clone(), *seq, msg.clone()));
        }
        if json {
            let (head, link, counts) = match &r.report {
                Ok(rep) => (
                    Some(rep.head),
                    Some(rep.head_link.clone()),
                    serde_json::json!({
                        "records": rep.records.len(),
                        "ok": rep.count(State::Ok),
                        "superseded_policy": rep.count(State::SupersededPolicy),
                        "invalid": rep.count(State::Invalid),
                    }),
                ),
                Err(_) => (None, None, serde_json::Value::Null),
            };
            sites.push(serde_json::json!({
                "site": r.site,
                "ok": bad.is_none(),
                "head": head,
                "head_sha256": link,
                "counts": counts,
                "first_bad": bad.map(|(s, m)| serde_json::json!({"seq": s, "message": m})),
                "case_binding": "not checkable here",
            }));
            continue;
        }
        let site = &r.site;
        if let Ok(rep) = &r.report {
            for rec in rep.records.iter().filter(|x| x.state != State::Ok) {
                for p in &rec.problems {
                    writeln!(out, "site {site}: {}", sanitize_line(p)).map_err(io_out)?;
                }
            }
            for i in &rep.issues {
                let tag = match i.severity {
                    Severity::Error => "",
                    Severity::Warning => "warning: ",
                };
                writeln!(out, "site {site}: {tag}{}", sanitize_line(&i.message)).map_err(io_out)?;
            }
            writeln!(
                out,
                "site {site}: {} record(s): {} ok, {} superseded policy, {} invalid; case binding {CASE_BINDING_HERE}",
                rep.records.len(),
                rep.count(State::Ok),
                rep.count(State::SupersededPolicy),
                rep.count(State::Invalid)
            )
            .map_err(io_out)?;
        }
        match bad {
            Some((Some(seq), msg)) => writeln!(
                out,
                "site {site}: FAILED: first bad record {seq}: {}",
                sanitize_line(&msg)
            )
            .map_err(io_out)?,
            Some((None, msg)) => {
                writeln!(out, "site {site}: FAILED: {}", sanitize_line(&msg)).map_err(io_out)?
            }
            None => writeln!(out, "site {site}: ok").map_err(io_out)?,
        }
    }
    if json {
        let v = serde_json::json!({"ok": failed.is_empty(), "sites": sites});
        write_json(out, &v, false)?;
    } else {
        writeln!(out, "{total} site(s): {} failed", failed.len()).map_err(io_out)?;
    }
    if let Some((site, seq, msg)) = failed.first() {
        let at = seq.map_or_else(String::new, |s| format!(" at record {s}"));
        crate::text::warn(&format!(
            "{} of {total} site(s) failed verification; first: site {site}{at}: {}",
            failed.len(),
            sanitize_line(msg)
        ));
        return Ok(Exit::Problems);
    }
    Ok(Exit::Ok)
}
