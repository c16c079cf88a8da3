//! `casebench notice SEQ [--format text|markdown]`: the written notice of a denial or
//! partial denial (45 CFR 164.524(d)(2)) for decision record SEQ, dated "today"; for a
//! review record, the written result of the review (164.524(d)(4)).
//!
//! Exit status: 0 written; 1 the record does not verify (no notice is written from a
//! record that fails verification); 2 usage errors: no such record, not a denial, the
//! case or `casebench.yaml` missing.

use std::io::Write;

use super::{CommandError, CommandResult, Exit, io_out, load_cases};
use crate::audit::notice::{NoticeFormat, render};
use crate::audit::notice_input;
use crate::audit::review_notice::{ReviewInfo, render_review};
use crate::audit::{AuditReport, Verification};
use crate::case::settings::load_settings;
use crate::cli::{Global, NoticeArgs, NoticeFormat as CliFormat};
use crate::record::model::RecordType;
use crate::rules::Rulebook;

pub fn run(global: &Global, args: &NoticeArgs, out: &mut dyn Write) -> CommandResult {
    let usage = CommandError::Usage;
    let settings = load_settings(&global.cases)
        .map_err(|p| usage(format!("casebench.yaml: {}", p.headline())))?
        .ok_or_else(|| {
            usage(format!(
                "{}/casebench.yaml is missing: a notice must name the entity and its privacy contact (title and telephone); see docs/AUDIT.md",
                global.cases.display()
            ))
        })?;
    if !settings.privacy_contact.is_complete() {
        return Err(usage(
            "casebench.yaml: privacy_contact needs a title and a phone: the notice must say how to complain to the entity (164.524(d)(2)(iii))".into(),
        ));
    }
    let set = load_cases(global)?;
    let report =
        AuditReport::build(&global.cases, &set).map_err(|e| CommandError::Io(e.to_string()))?;
    let row = report.row(args.seq).ok_or_else(|| {
        usage(format!(
            "no record {} in the log (head is {})",
            args.seq, report.head
        ))
    })?;
    let Some(rec) = row
        .record
        .as_ref()
        .filter(|_| !row.verification.is_broken())
    else {
        crate::text::warn(&format!(
            "record {} does not verify ({}): {}",
            args.seq,
            row.verification.mark(),
            crate::text::sanitize_line(row.reason())
        ));
        return Ok(Exit::Problems);
    };
    if row.verification != Verification::Ok {
        crate::text::warn(&format!(
            "warning: record {}: {}",
            args.seq,
            crate::text::sanitize_line(row.reason())
        ));
    }
    let case = super::find_case(&set, &rec.case)?;
    let rb = Rulebook::for_case_dir(&global.cases).map_err(|e| CommandError::Io(e.to_string()))?;
    let input = notice_input::from_record(rec, &case.case, &settings, &rb, global.today())
        .map_err(|e| usage(e.to_string()))?;
    let format = match args.format {
        CliFormat::Text => NoticeFormat::Text,
        CliFormat::Markdown => NoticeFormat::Markdown,
    };
    let text = match rec.reviews {
        Some(reviewed_seq) if rec.kind == RecordType::Review => {
            let reviewer = row
                .reviewer_name
                .clone()
                .unwrap_or_else(|| rec.reviewer.clone());
            let info = ReviewInfo {
                reviewer,
                reviewed_seq,
            };
            render_review(&input, &info, format)
        }
        _ => render(&input, format),
    };
    out.write_all(text.as_bytes()).map_err(io_out)?;
    Ok(Exit::Ok)
}
