//! Text renderings of the audit: tables for a terminal or an email (every string from a
//! case or a record through [`sanitize_line`]), and CSV for spreadsheets ([`super::csv`]).
//! JSON is the serde form of the same structs.

use std::fmt::Write as _;

use super::accounting::Accounting;
use super::csv::line;
use super::report::AuditRow;
use super::summary::Summary;
use crate::text::sanitize_line as s;

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(String::new, ToString::to_string)
}

fn dash(v: String) -> String {
    if v.is_empty() { "-".into() } else { v }
}

/// "on time", "LATE", "awaiting" (decided, nothing provided yet) or "" (no statutory
/// clock): [`AuditRow::on_time`], the case's own for its decision.
pub fn deadline_word(r: &AuditRow) -> &'static str {
    if r.is_final() && r.case_status == Some(crate::rules::Status::AwaitingProvision) {
        return "awaiting";
    }
    match r.on_time() {
        Some(true) => "on time",
        Some(false) => "LATE",
        None => "",
    }
}

fn withheld_text(r: &AuditRow) -> String {
    r.withheld
        .iter()
        .map(|w| format!("{}={}", w.id, w.grounds.join("+")))
        .collect::<Vec<_>>()
        .join("; ")
}

fn overrides_text(r: &AuditRow) -> String {
    r.overrides
        .iter()
        .map(|o| format!("{}: {}", o.code, o.justification))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The audit table: one line per record, then indented detail lines (withheld items,
/// overrides, verification problems).
pub fn rows_table(rows: &[&AuditRow]) -> String {
    table(rows, false)
}

/// The header line of [`rows_table`] of several sites' records, a SITE column first
/// (`audit --sites`); [`table_by_site_rows`] the rows under it: a report written one
/// site at a time. The columns have fixed widths, so the parts line up.
pub fn table_by_site_header() -> String {
    table(&[], true)
}

/// See [`table_by_site_header`].
pub fn table_by_site_rows(rows: &[&AuditRow]) -> String {
    let t = table(rows, true);
    t.split_once('\n')
        .map_or(t.clone(), |(_, rest)| rest.to_string())
}

/// The site cell of a row (`-` when the row has none).
fn site_cell(r: &AuditRow) -> String {
    dash(s(&opt(&r.site)))
}

fn table(rows: &[&AuditRow], by_site: bool) -> String {
    let mut o = String::new();
    if by_site {
        let _ = write!(o, "{:<16}  ", "SITE");
    }
    let _ = writeln!(
        o,
        "{:>6}  {:<20}  {:<11}  {:<14}  {:<10}  {:<24}  {:<24}  {:<10}  {:<8}  VERIFIED",
        "SEQ", "TIME", "TYPE", "CASE", "PATIENT", "REVIEWER", "OUTCOME", "DUE", "DEADLINE"
    );
    for r in rows {
        let reviewer = match (&r.reviewer_name, &r.reviewer) {
            (Some(n), _) => s(n),
            (None, Some(p)) => s(p),
            _ => String::new(),
        };
        if by_site {
            let _ = write!(o, "{:<16}  ", site_cell(r));
        }
        let _ = writeln!(
            o,
            "{:>6}  {:<20}  {:<11}  {:<14}  {:<10}  {:<24}  {:<24}  {:<10}  {:<8}  {}",
            r.seq,
            dash(opt(&r.time)),
            dash(r.kind.map(|k| k.as_str().to_string()).unwrap_or_default()),
            dash(s(&opt(&r.case))),
            dash(s(&opt(&r.patient_ref))),
            dash(reviewer),
            dash(s(&opt(&r.outcome))),
            dash(opt(&r.deadline_due)),
            dash(deadline_word(r).to_string()),
            r.verification.mark()
        );
        if !r.grounds.is_empty() {
            let _ = writeln!(o, "        grounds: {}", s(&r.grounds.join(", ")));
        }
        for w in &r.withheld {
            let _ = writeln!(
                o,
                "        withheld: {} ({}){}",
                s(&w.id),
                s(&w.grounds.join(", ")),
                w.description
                    .as_ref()
                    .map_or_else(String::new, |d| format!(": {}", s(d)))
            );
        }
        for ov in &r.overrides {
            let _ = writeln!(
                o,
                "        override: {}: {}",
                s(&ov.code),
                s(&ov.justification)
            );
        }
        for p in &r.problems {
            let _ = writeln!(o, "        {}: {}", r.verification.mark(), s(p));
        }
    }
    o
}

pub const ROWS_CSV_HEADER: &[&str] = &[
    "seq",
    "time",
    "date",
    "type",
    "case",
    "patient",
    "reviewer",
    "reviewer_name",
    "outcome",
    "grounds",
    "withheld",
    "released",
    "disclosures",
    "deadline_due",
    "decided_on_time",
    "days_to_decision",
    "overrides",
    "verification",
    "problems",
];

pub fn rows_csv(rows: &[&AuditRow]) -> String {
    let mut o = Vec::new();
    // Writing to memory cannot fail.
    let _ = write_rows_csv(&mut o, rows);
    String::from_utf8(o).unwrap_or_default()
}

/// [`rows_csv`] written line by line to `out` (a report of 100,000 records is never
/// held as one string).
pub fn write_rows_csv(out: &mut dyn std::io::Write, rows: &[&AuditRow]) -> std::io::Result<()> {
    write_csv(out, rows, false, true)
}

/// [`write_rows_csv`] of several sites' records, a `site` column first, in parts (one
/// site at a time, `audit --sites`): the header only with `header`.
pub fn write_rows_csv_by_site_part(
    out: &mut dyn std::io::Write,
    rows: &[&AuditRow],
    header: bool,
) -> std::io::Result<()> {
    write_csv(out, rows, true, header)
}

fn write_csv(
    out: &mut dyn std::io::Write,
    rows: &[&AuditRow],
    by_site: bool,
    with_header: bool,
) -> std::io::Result<()> {
    let site: &[&str] = if by_site { &["site"] } else { &[] };
    let header: Vec<&str> = site.iter().chain(ROWS_CSV_HEADER).copied().collect();
    if with_header {
        out.write_all(line(&header).as_bytes())?;
    }
    for r in rows {
        let site = by_site.then(|| opt(&r.site));
        out.write_all(
            line(
                &site
                    .into_iter()
                    .chain([
                        r.seq.to_string(),
                        opt(&r.time),
                        opt(&r.date),
                        r.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                        opt(&r.case),
                        opt(&r.patient_ref),
                        opt(&r.reviewer),
                        opt(&r.reviewer_name),
                        opt(&r.outcome),
                        r.grounds.join("; "),
                        withheld_text(r),
                        r.released.join("; "),
                        r.disclosures.to_string(),
                        opt(&r.deadline_due),
                        opt(&r.decided_on_time),
                        opt(&r.days_to_decision),
                        overrides_text(r),
                        r.verification.as_str().to_string(),
                        r.problems.join("; "),
                    ])
                    .collect::<Vec<_>>(),
            )
            .as_bytes(),
        )?;
    }
    Ok(())
}

pub const ACCOUNTING_CSV_HEADER: &[&str] = &[
    "date",
    "patient",
    "case",
    "seq",
    "recipient",
    "address",
    "description",
    "purpose",
    "basis",
    "verification",
];

pub fn accounting_csv(a: &Accounting) -> String {
    let mut o = line(ACCOUNTING_CSV_HEADER);
    for e in &a.entries {
        o.push_str(&line(&[
            e.date.to_string(),
            opt(&e.patient_ref),
            e.case.clone(),
            e.seq.to_string(),
            e.recipient.clone(),
            e.address.clone(),
            e.description.clone(),
            e.purpose.clone(),
            e.basis.join("; "),
            e.verification.as_str().to_string(),
        ]));
    }
    o
}

pub fn accounting_table(a: &Accounting) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Accounting of disclosures (45 CFR 164.528){}, {} to {}",
        a.patient
            .as_ref()
            .map_or_else(String::new, |p| format!(" for patient {}", s(p))),
        a.from,
        a.to
    );
    if a.entries.is_empty() {
        let _ = writeln!(o, "\nNo disclosures to account for in this period.");
    }
    for e in &a.entries {
        let _ = writeln!(
            o,
            "\n{}  patient {}  (case {}, record {})  [{}]",
            e.date,
            s(&dash(opt(&e.patient_ref))),
            s(&e.case),
            e.seq,
            e.verification.mark()
        );
        let _ = writeln!(o, "  Recipient:   {}", s(&e.recipient));
        let _ = writeln!(o, "  Address:     {}", s(&e.address));
        let _ = writeln!(o, "  Disclosed:   {}", s(&e.description));
        let _ = writeln!(o, "  Purpose:     {}", s(&e.purpose));
        if !e.basis.is_empty() {
            let _ = writeln!(o, "  Basis:       {}", s(&e.basis.join(", ")));
        }
        for p in &e.problems {
            let _ = writeln!(o, "  {}: {}", e.verification.mark(), s(p));
        }
    }
    if !a.excluded.is_empty() {
        let _ = writeln!(
            o,
            "\nNot included ({} disclosure(s) that 164.528(a)(1) excludes):",
            a.excluded.len()
        );
        for x in &a.excluded {
            let _ = writeln!(
                o,
                "  {}  record {}  to {}: {}",
                x.date,
                x.seq,
                s(&x.recipient),
                s(&x.reason)
            );
        }
    }
    o
}

/// A text bar of `n` marks scaled to `max` over `width` columns.
fn bar(n: usize, max: usize, width: usize) -> String {
    if max == 0 || n == 0 {
        return String::new();
    }
    "#".repeat((n * width).div_ceil(max).max(1))
}

pub fn summary_table(sm: &Summary) -> String {
    let mut o = String::new();
    let _ = match sm.deadlines_as_of {
        Some(d) => writeln!(
            o,
            "Decision log summary as of {} (deadlines as of {d})",
            sm.today
        ),
        None => writeln!(o, "Decision log summary as of {}", sm.today),
    };
    let _ = writeln!(
        o,
        "{} record(s); {} verified decision(s); {} failing verification; {} needing attention (case changed or old policy)",
        sm.records, sm.decisions, sm.failing_verification, sm.needing_attention
    );
    let _ = writeln!(
        o,
        "{} overridden finding(s) in {} record(s)",
        sm.overrides, sm.records_with_overrides
    );
    let max = sm.by_outcome.iter().map(|c| c.count).max().unwrap_or(0);
    let _ = writeln!(o, "\nDecisions by outcome");
    for c in &sm.by_outcome {
        let l = format!(
            "  {:<26} {:>5}  {}",
            s(&c.label),
            c.count,
            bar(c.count, max, 30)
        );
        let _ = writeln!(o, "{}", l.trim_end());
    }
    let max = sm
        .days_to_decision
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(0);
    let _ = writeln!(o, "\nDays from receipt to decision");
    for b in &sm.days_to_decision {
        let l = format!(
            "  {:<26} {:>5}  {}",
            b.label,
            b.count,
            bar(b.count, max, 30)
        );
        let _ = writeln!(o, "{}", l.trim_end());
    }
    let _ = writeln!(
        o,
        "\nOn time and late by month ({} on time, {} late)",
        sm.on_time, sm.late
    );
    if sm.by_month.is_empty() {
        let _ = writeln!(o, "  (no decisions with a deadline)");
    }
    for m in &sm.by_month {
        let _ = writeln!(
            o,
            "  {:<10} on time {:>4}  late {:>4}",
            m.month, m.on_time, m.late
        );
    }
    let _ = writeln!(
        o,
        "\nOverdue open cases as of {}: {}{}",
        sm.deadlines_as_of.unwrap_or(sm.today),
        sm.overdue_open.len(),
        practice_left_out(sm)
    );
    for c in &sm.overdue_open {
        let _ = writeln!(
            o,
            "  {:<16} received {}  due {}  {} day(s) overdue",
            s(&c.case),
            c.received,
            c.due,
            c.days_overdue
        );
    }
    let _ = writeln!(o, "\nDecisions by reviewer");
    if sm.by_reviewer.is_empty() {
        let _ = writeln!(o, "  (no verified decisions)");
    }
    for r in &sm.by_reviewer {
        let who = r.name.as_deref().unwrap_or(&r.reviewer);
        let _ = writeln!(
            o,
            "  {:<26} {:>5}  on time {}  late {}  overrides {}",
            s(who),
            r.decisions,
            r.on_time,
            r.late,
            r.overrides
        );
    }
    if !sm.overrides_by_code.is_empty() {
        let _ = writeln!(o, "\nOverridden findings by code");
        for c in &sm.overrides_by_code {
            let _ = writeln!(o, "  {:<26} {:>5}", s(&c.label), c.count);
        }
    }
    o
}

pub fn summary_csv(sm: &Summary) -> String {
    let mut o = line(&["figure", "label", "value"]);
    let mut row = |f: &str, l: &str, v: usize| o.push_str(&line(&[f, l, &v.to_string()]));
    row("records", "", sm.records);
    row("decisions", "", sm.decisions);
    row("failing_verification", "", sm.failing_verification);
    row("needing_attention", "", sm.needing_attention);
    row("overrides", "", sm.overrides);
    row("records_with_overrides", "", sm.records_with_overrides);
    for c in &sm.by_outcome {
        row("outcome", &c.label, c.count);
    }
    for b in &sm.days_to_decision {
        row("days_to_decision", &b.label, b.count);
    }
    for m in &sm.by_month {
        row("on_time", &m.month, m.on_time);
        row("late", &m.month, m.late);
    }
    row("overdue_open", "", sm.overdue_open.len());
    row(
        "overdue_practice_not_counted",
        "",
        sm.overdue_practice_not_counted,
    );
    for c in &sm.overdue_open {
        row("overdue_case", &c.case, c.days_overdue.max(0) as usize);
    }
    for r in &sm.by_reviewer {
        row("reviewer_decisions", &r.reviewer, r.decisions);
    }
    for c in &sm.overrides_by_code {
        row("override", &c.label, c.count);
    }
    o
}

/// ` (practice cases not counted: N)` when the queue shows overdue practice cases that
/// the summary leaves out; nothing otherwise.
pub fn practice_left_out(sm: &crate::audit::summary::Summary) -> String {
    match sm.overdue_practice_not_counted {
        0 => String::new(),
        n => format!(" (practice cases not counted: {n})"),
    }
}
