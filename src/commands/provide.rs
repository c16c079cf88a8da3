//! `casebench provide ID --on DATE --via CHANNEL --form FORMAT [--fee ITEM=AMOUNT]...`:
//! signs a provision record for the decision in force (docs/RECORDS.md, "Provision
//! records").
//!
//! Exit status: 0 written; 1 refused (no decision in force, already provided, a fee the
//! rule refuses, signer not allowed); 2 usage or I/O errors.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, ProvideArgs};
use crate::decision::provide::{ProvisionRequest, fees_text, parse_fee, provide};
use crate::record::model::{format_date, format_time, sha256_link};
use crate::text::sanitize_line;

pub fn run(global: &Global, args: &ProvideArgs, out: &mut dyn Write) -> CommandResult {
    let set = super::load_cases(global)?;
    let case = super::find_case(&set, &args.id)?;
    if let Err(e) = super::trusted::catch_up(global)? {
        return super::trusted::refuse(out, &e, args.json);
    }
    let fees = args
        .fees
        .iter()
        .map(|f| parse_fee(f))
        .collect::<Result<Vec<_>, _>>()
        .map_err(CommandError::Usage)?;
    let request = ProvisionRequest {
        on: Some(args.on),
        notice_sent: args.notice_sent,
        via: args.via.clone(),
        form: args.form.clone(),
        fees,
        fee_told_on: args.fee_told_on,
        corrects: args.corrects,
        note: args.note.clone(),
    };
    let p = match provide(&global.setting(), &set, case, &request) {
        Ok(p) => p,
        Err(e) => return super::decide::refused(out, e, args.json),
    };
    for w in [&p.key_warning, &p.warning].into_iter().flatten() {
        crate::text::warn(&sanitize_line(w));
    }
    let a = &p.appended;
    let r = &a.record;
    let Some(pr) = r.provision.as_ref() else {
        return Err(CommandError::Io(
            "the record signed is not a provision".into(),
        ));
    };
    if args.json {
        let v = json!({
            "seq": r.seq,
            "file": a.path.display().to_string(),
            "signature": a.sig_path.display().to_string(),
            "case": r.case,
            "type": r.kind.as_str(),
            "provides": pr.provides,
            "what": pr.what.as_str(),
            "on": pr.on,
            "notice_sent": pr.notice_sent,
            "done_on": pr.done_on(),
            "due": r.deadline.due,
            "on_time": r.deadline.decided_on_time,
            "reviewer": r.reviewer,
            "key": r.key,
            "time": format_time(&r.time),
            "sha256": sha256_link(&a.bytes),
            "warning": a.warning,
        });
        write_json(out, &v, false)?;
    } else {
        let when = match r.deadline.due {
            Some(d) if r.deadline.decided_on_time => format!("on time (due {})", format_date(&d)),
            Some(d) => format!("LATE (due {})", format_date(&d)),
            None => "no deadline".to_string(),
        };
        writeln!(
            out,
            "signed record {} (provision of record {} of case {}: {} on {} via {}, {}) as {} with {}\n  {}",
            r.seq,
            pr.provides,
            sanitize_line(&r.case),
            pr.what.as_str(),
            format_date(&pr.done_on()),
            sanitize_line(&pr.via),
            when,
            sanitize_line(&r.reviewer),
            p.signer,
            a.path.display()
        )
        .map_err(io_out)?;
        if !r.fees.is_empty() {
            writeln!(out, "  fee: {}", sanitize_line(&fees_text(&r.fees))).map_err(io_out)?;
        }
    }
    if let Some(w) = &a.warning {
        eprintln!("casebench: warning: {}", sanitize_line(w));
    }
    Ok(Exit::Ok)
}
