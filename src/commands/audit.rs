//! `casebench audit [--format table|csv|json|fhir] [--since D] [--until D] [--accounting
//! [--patient REF] [--format pdf|html]] [--summary] [--report FILE] [--output FILE]`:
//! the decision log with each record's verification state; the accounting of
//! disclosures (and its letter to the patient); the summary figures; the board's report;
//! the FHIR export.
//!
//! Exit status: 0 when every record verifies, 1 when any does not (the output still
//! lists everything, marked), 2 on usage or I/O errors.

use std::io::{IsTerminal, Write};

use serde_json::json;

use super::audit_outcome::{exit_for, json_text};
use super::{CommandError, CommandResult, io_out, load_cases, warn_invalid};
use crate::audit::accounting::{self, Query};
use crate::audit::letters::write_file;
use crate::audit::{AuditReport, Filter, render, summary};
use crate::cli::{AuditArgs, AuditFormat, Global};

pub fn run(global: &Global, args: &AuditArgs, out: &mut dyn Write) -> CommandResult {
    if args.patient.is_some() && !args.accounting {
        return Err(CommandError::Usage(
            "--patient applies to --accounting only".into(),
        ));
    }
    if args.accounting && args.summary {
        return Err(CommandError::Usage(
            "--accounting and --summary are separate reports; ask for one".into(),
        ));
    }
    if let (Some(s), Some(u)) = (args.since, args.until)
        && s > u
    {
        return Err(CommandError::Usage(format!(
            "--since {s} is after --until {u}"
        )));
    }
    let format = if args.json {
        AuditFormat::Json
    } else {
        args.format
    };
    if args.report.is_some() {
        return super::audit_export::report(global, args, format);
    }
    super::audit_export::check_format(args, format)?;
    if let Some(path) = &args.output {
        // Whole or not at all: the output is made in memory, then published.
        let mut buf = Vec::new();
        let exit = run_to(global, args, format, &mut buf)?;
        write_file(path, &buf)
            .map_err(|e| CommandError::Io(format!("writing {}: {e}", path.display())))?;
        return Ok(exit);
    }
    if format == AuditFormat::Pdf && std::io::stdout().is_terminal() {
        return Err(CommandError::Usage(
            "a PDF is not written to a terminal: give --output FILE, or redirect standard output to a file".into(),
        ));
    }
    run_to(global, args, format, out)
}

/// The audit in `format`, written to `out`.
fn run_to(
    global: &Global,
    args: &AuditArgs,
    format: AuditFormat,
    out: &mut dyn Write,
) -> CommandResult {
    if let Some(dir) = &args.sites {
        return super::audit_sites::run(global, args, dir, format, out);
    }
    let set = load_cases(global)?;
    let today = global.today();
    let log = crate::record::verify::verify_log(&global.cases, None).map_err(CommandError::Io)?;
    // The log must still extend what this user verified before (exit 1 otherwise).
    if let Err(e) = super::trusted::remember(global, &log)? {
        return super::trusted::refuse(out, &e, format == AuditFormat::Json);
    }
    let people = crate::record::reviewers::load(&global.cases).map_err(CommandError::Io)?;
    let report = AuditReport::from_log(log, &set, &people);
    let text = if args.accounting {
        let q = Query {
            today,
            since: args.since,
            until: args.until,
            patient: args.patient.clone(),
        };
        let a = accounting::accounting(&report, &q, &set.rules);
        match format {
            AuditFormat::Table => render::accounting_table(&a),
            AuditFormat::Csv => render::accounting_csv(&a),
            AuditFormat::Json => json_text(&json!({ "today": today, "accounting": a }))?,
            AuditFormat::Pdf | AuditFormat::Html => {
                return super::audit_export::accounting_letter(global, &set, &a, format, args, out);
            }
            AuditFormat::Fhir => {
                return super::audit_export::fhir(
                    global,
                    &report,
                    crate::audit::fhir::Scope::Accounting(&a),
                    out,
                );
            }
        }
    } else {
        let filter = Filter {
            since: args.since,
            until: args.until,
            ..Filter::default()
        };
        let rows = report.filtered(&filter);
        if args.summary {
            let sm = summary::summarize(&rows, &report, &set, today);
            match format {
                AuditFormat::Table => render::summary_table(&sm),
                AuditFormat::Csv => render::summary_csv(&sm),
                AuditFormat::Json => json_text(&json!({ "summary": sm }))?,
                // Refused by check_format.
                AuditFormat::Fhir | AuditFormat::Pdf | AuditFormat::Html => String::new(),
            }
        } else {
            match format {
                AuditFormat::Fhir => {
                    return super::audit_export::fhir(
                        global,
                        &report,
                        crate::audit::fhir::Scope::Log(&rows),
                        out,
                    );
                }
                // Refused by check_format.
                AuditFormat::Pdf | AuditFormat::Html => String::new(),
                AuditFormat::Table => {
                    let mut t = render::rows_table(&rows);
                    for w in &report.warnings {
                        t.push_str(&format!("warning: {}\n", crate::text::sanitize_line(w)));
                    }
                    t
                }
                // The two long reports stream, borrowing the rows.
                AuditFormat::Csv => {
                    let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
                    render::write_rows_csv(&mut w, &rows)
                        .and_then(|()| w.flush())
                        .map_err(io_out)?;
                    String::new()
                }
                AuditFormat::Json => {
                    #[derive(serde::Serialize)]
                    struct Doc<'a> {
                        today: chrono::NaiveDate,
                        ok: bool,
                        head: u64,
                        filter: &'a Filter,
                        records: &'a [&'a crate::audit::AuditRow],
                        warnings: &'a [String],
                    }
                    let doc = Doc {
                        today,
                        ok: report.ok,
                        head: report.head,
                        filter: &filter,
                        records: &rows,
                        warnings: &report.warnings,
                    };
                    super::output::write_json(out, &doc, true)?;
                    String::new()
                }
            }
        }
    };
    out.write_all(text.as_bytes()).map_err(io_out)?;
    warn_invalid(&set);
    Ok(exit_for(&report))
}
