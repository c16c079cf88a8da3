//! `casebench audit --sites DIR [--format table|csv|json] [--summary] [--since D]
//! [--until D]`: the audit of a mirror made by `sites fetch`, every record labelled with
//! its site, each site verified on its own as `verify --sites` does.
//!
//! Exit status: 0 when every site verifies, 1 when any does not (everything is still
//! listed, marked), 2 on usage or I/O errors (an empty mirror included).

use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::audit::{exit_for, json_text};
use super::{CommandError, CommandResult, io_out};
use crate::audit::sites::{SiteState, build_sites};
use crate::audit::{Filter, render, summary};
use crate::case::CaseSet;
use crate::cli::{AuditArgs, AuditFormat, Global};
use crate::text::sanitize_line;

pub fn run(
    global: &Global,
    args: &AuditArgs,
    dir: &Path,
    format: AuditFormat,
    out: &mut dyn Write,
) -> CommandResult {
    if args.accounting {
        return Err(CommandError::Usage(
            "--accounting needs the case files (the patients), which never leave their site: \
             run it on the site"
                .into(),
        ));
    }
    let audit = build_sites(dir).map_err(|e| CommandError::Io(sanitize_line(&e)))?;
    let report = &audit.report;
    let filter = Filter {
        since: args.since,
        until: args.until,
        ..Filter::default()
    };
    let rows = report.filtered(&filter);
    let today = global.today();
    let text = if args.summary {
        // No case file is here: no case can be counted overdue from a mirror.
        let sm = summary::summarize(&rows, report, &CaseSet::default(), today);
        match format {
            AuditFormat::Table => render::summary_table(&sm) + &site_lines(&audit.sites),
            AuditFormat::Csv => render::summary_csv(&sm),
            AuditFormat::Json => json_text(&json!({ "summary": sm, "sites": audit.sites }))?,
            // Refused by check_format.
            AuditFormat::Fhir | AuditFormat::Pdf | AuditFormat::Html => String::new(),
        }
    } else {
        match format {
            // Refused by check_format.
            AuditFormat::Fhir | AuditFormat::Pdf | AuditFormat::Html => String::new(),
            AuditFormat::Table => {
                let mut t = render::rows_table_by_site(&rows);
                for w in &report.warnings {
                    t.push_str(&format!("warning: {}\n", sanitize_line(w)));
                }
                t + &site_lines(&audit.sites)
            }
            AuditFormat::Csv => {
                let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
                render::write_rows_csv_by_site(&mut w, &rows)
                    .and_then(|()| w.flush())
                    .map_err(io_out)?;
                String::new()
            }
            AuditFormat::Json => {
                #[derive(serde::Serialize)]
                struct Doc<'a> {
                    today: chrono::NaiveDate,
                    ok: bool,
                    filter: &'a Filter,
                    sites: &'a [SiteState],
                    records: &'a [&'a crate::audit::AuditRow],
                    warnings: &'a [String],
                }
                let doc = Doc {
                    today,
                    ok: report.ok,
                    filter: &filter,
                    sites: &audit.sites,
                    records: &rows,
                    warnings: &report.warnings,
                };
                super::output::write_json(out, &doc, true)?;
                String::new()
            }
        }
    };
    out.write_all(text.as_bytes()).map_err(io_out)?;
    Ok(exit_for(report))
}

/// One line per site, in the words of `verify --sites`.
pub(super) fn site_lines(sites: &[SiteState]) -> String {
    let mut o = String::new();
    for st in sites {
        let site = &st.site;
        let state = match &st.first_bad {
            None => "ok".to_string(),
            Some(b) => match b.seq {
                Some(seq) => format!(
                    "FAILED: first bad record {seq}: {}",
                    sanitize_line(&b.message)
                ),
                None => format!("FAILED: {}", sanitize_line(&b.message)),
            },
        };
        o.push_str(&format!(
            "site {site}: {} record(s); case binding {} (case files stay on site); {state}\n",
            st.records, st.case_binding
        ));
        o.push_str(&format!("  witness: {}\n", sanitize_line(&st.witness)));
    }
    let failed = sites.iter().filter(|s| !s.ok).count();
    o.push_str(&format!("{} site(s): {failed} failed\n", sites.len()));
    o
}
