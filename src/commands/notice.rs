//! `casebench notice SEQ [--format text|markdown|pdf|html] [--output FILE] [--paper
//! letter|a4]`: the written notice of a denial or partial denial (45 CFR 164.524(d)(2))
//! for decision record SEQ, dated "today"; for a review record, the written result of
//! the review (164.524(d)(4)). PDF and HTML are letters on the entity's letterhead.
//!
//! Exit status: 0 written; 1 the record does not verify (no notice is written from a
//! record that fails verification); 2 usage errors: no such record, not a denial, the
//! case or `casebench.yaml` missing.

use std::io::{IsTerminal, Write};

use super::{CommandError, CommandResult, Exit, io_out, load_cases};
use crate::audit::AuditReport;
use crate::audit::Verification;
use crate::audit::letters::{PaperFormat, write_file};
use crate::audit::notice::NoticeFormat;
use crate::audit::signed::{NoticeFailure, letter_bytes, notice_settings, notice_with};
use crate::cli::{Global, NoticeArgs, NoticeFormat as CliFormat};

pub fn run(global: &Global, args: &NoticeArgs, out: &mut dyn Write) -> CommandResult {
    let usage = CommandError::Usage;
    let settings = notice_settings(&global.cases).map_err(|e| usage(e.to_string()))?;
    let set = load_cases(global)?;
    let log = crate::record::verify::verify_log(&global.cases, None).map_err(CommandError::Io)?;
    // The log must still extend what this user verified before (exit 1 otherwise).
    if let Err(e) = super::trusted::remember(global, &log)? {
        return super::trusted::refuse(out, &e, false);
    }
    let people = crate::record::reviewers::load(&global.cases).map_err(CommandError::Io)?;
    let report = AuditReport::from_log(log, &set, &people);
    let row = report.row(args.seq).ok_or_else(|| {
        usage(format!(
            "no record {} in the log (head is {})",
            args.seq, report.head
        ))
    })?;
    if row.record.is_some() && row.verification != Verification::Ok && !row.verification.is_broken()
    {
        crate::text::warn(&format!(
            "warning: record {}: {}",
            args.seq,
            crate::text::sanitize_line(row.reason())
        ));
    }
    let text_format = match args.format {
        CliFormat::Text => Some(NoticeFormat::Text),
        CliFormat::Markdown => Some(NoticeFormat::Markdown),
        CliFormat::Pdf | CliFormat::Html => None,
    };
    let paper_format = match args.format {
        CliFormat::Pdf => Some(PaperFormat::Pdf),
        CliFormat::Html => Some(PaperFormat::Html),
        _ => None,
    };
    if paper_format == Some(PaperFormat::Pdf)
        && args.output.is_none()
        && std::io::stdout().is_terminal()
    {
        return Err(usage(
            "a PDF is not written to a terminal: give --output FILE, or redirect standard output to a file".into(),
        ));
    }
    // The same functions the workbench's record view calls.
    let bytes = match (text_format, paper_format) {
        (Some(f), _) => notice_with(&global.cases, &settings, &set, row, f).map(String::into_bytes),
        (None, Some(f)) => letter_bytes(&global.cases, &set, row, f, args.paper.paper()),
        (None, None) => unreachable!("every format is text or paper"),
    };
    match bytes {
        Ok(bytes) => {
            match &args.output {
                Some(path) => {
                    write_file(path, &bytes).map_err(|e| {
                        CommandError::Io(format!("writing {}: {e}", path.display()))
                    })?;
                }
                None if paper_format == Some(PaperFormat::Pdf) => {
                    super::write_binary_stdout(out, &bytes)?
                }
                None => out.write_all(&bytes).map_err(io_out)?,
            }
            Ok(Exit::Ok)
        }
        Err(e @ NoticeFailure::DoesNotVerify { .. }) => {
            crate::text::warn(&e.to_string());
            Ok(Exit::Problems)
        }
        Err(NoticeFailure::Case(_)) => {
            // The command's own wording (invalid file named, with its problems).
            let id = row.record.as_ref().map_or("", |r| r.case.as_str());
            super::find_case(&set, id).map(|_| Exit::Ok)
        }
        Err(NoticeFailure::Rulebook(e)) => Err(CommandError::Io(e)),
        Err(e) => Err(usage(e.to_string())),
    }
}
