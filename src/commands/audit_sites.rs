//! `casebench audit --sites DIR [--format table|csv|json] [--summary] [--since D]
//! [--until D]`: the audit of a mirror made by `sites fetch`, every record labelled with
//! its site, each site verified on its own as `verify --sites` does.
//!
//! Exit status: 0 when every site verifies, 1 when any does not (everything is still
//! listed, marked), 2 on usage or I/O errors (an empty mirror included).

use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::audit_outcome::{exit_for, json_text};
use super::{CommandError, CommandResult, io_out};
use crate::audit::sites::{SiteState, build_sites_with, each_site};
use crate::audit::{AuditRow, Filter, render, summary};
use crate::cli::{AuditArgs, AuditFormat, Global};
use crate::rules::CaseSet;
use crate::text::sanitize_line;

pub fn run(
    global: &Global,
    args: &AuditArgs,
    dir: &Path,
    format: AuditFormat,
    out: &mut dyn Write,
) -> CommandResult {
    let json = format == AuditFormat::Json;
    if args.accounting {
        let e = CommandError::Usage(
            "--accounting needs the case files (the patients), which never leave their site: \
             run it on the site"
                .into(),
        );
        return super::sync::json_error(out, json, "usage", e);
    }
    let filter = Filter {
        since: args.since,
        until: args.until,
        ..Filter::default()
    };
    if !args.summary && !json {
        return stream(dir, format, &filter, out);
    }
    // The rows' columns only: each row's parsed record is dropped once read.
    let audit = match build_sites_with(dir, false) {
        Ok(a) => a,
        Err(e) => {
            let e = CommandError::Io(sanitize_line(&e));
            return super::sync::json_error(out, json, "no_site", e);
        }
    };
    let report = &audit.report;
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
        // JSON: `sites` comes before `records`, so the document is written at the end
        // (the table and CSV are written one site at a time: `stream`).
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            today: chrono::NaiveDate,
            ok: bool,
            filter: &'a Filter,
            sites: &'a [SiteState],
            records: &'a [&'a AuditRow],
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
    };
    out.write_all(text.as_bytes()).map_err(io_out)?;
    Ok(exit_for(report))
}

/// The table or CSV of every site's records, written one site at a time as each is
/// verified: the memory of one site, whatever the number of sites.
fn stream(dir: &Path, format: AuditFormat, filter: &Filter, out: &mut dyn Write) -> CommandResult {
    let mut w = std::io::BufWriter::with_capacity(64 * 1024, &mut *out);
    let mut first = true;
    let result = each_site(dir, false, |rows| -> std::io::Result<()> {
        let picked: Vec<&AuditRow> = rows.iter().filter(|r| filter.matches(r)).collect();
        match format {
            AuditFormat::Csv => render::write_rows_csv_by_site_part(&mut w, &picked, first)?,
            _ => {
                if first {
                    w.write_all(render::table_by_site_header().as_bytes())?;
                }
                w.write_all(render::table_by_site_rows(&picked).as_bytes())?;
            }
        }
        first = false;
        Ok(())
    });
    let audit = match result {
        Ok(Ok(a)) => a,
        Ok(Err(e)) => return Err(io_out(e)),
        Err(e) => return Err(CommandError::Io(sanitize_line(&e))),
    };
    // No site had rows to write (none could be read): the header all the same.
    if first {
        match format {
            AuditFormat::Csv => render::write_rows_csv_by_site_part(&mut w, &[], true),
            _ => w.write_all(render::table_by_site_header().as_bytes()),
        }
        .map_err(io_out)?;
    }
    if format != AuditFormat::Csv {
        for warning in &audit.report.warnings {
            writeln!(w, "warning: {}", sanitize_line(warning)).map_err(io_out)?;
        }
        w.write_all(site_lines(&audit.sites).as_bytes())
            .map_err(io_out)?;
    }
    w.flush().map_err(io_out)?;
    drop(w);
    Ok(exit_for(&audit.report))
}

/// One line per site, in the words of `verify --sites`.
fn site_lines(sites: &[SiteState]) -> String {
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
