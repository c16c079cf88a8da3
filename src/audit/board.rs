//! The audit report for a board (`casebench audit --report FILE.html|FILE.pdf`): the
//! summary figures, charts (on time by month, outcomes, overrides, by reviewer), the
//! verification and witness state of each site, and the problems listed.
//!
//! It is built on the very [`Summary`] that `audit --summary --json` prints: [`build`]
//! calls [`summarize`], the one function that computes the figures, and [`compose`]
//! only lays them out. Nothing in the report is counted anywhere else.

use chrono::NaiveDate;
use serde::Serialize;

use super::document::{Block, Chart, Document, Letterhead, Table};
use super::report::{AuditReport, Filter, Verification};
use super::sites::SiteState;
use super::summary::{Summary, summarize};
use crate::rules::CaseSet;

/// A record that does not verify cleanly, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemRow {
    pub site: Option<String>,
    pub seq: u64,
    pub case: Option<String>,
    pub verification: Verification,
    pub problems: Vec<String>,
}

/// Everything the board report shows.
#[derive(Debug, Clone, Serialize)]
pub struct BoardReport {
    pub today: NaiveDate,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The same figures as `audit --summary --json`.
    pub summary: Summary,
    /// Every site of a `--sites` mirror; empty for one site's own log.
    pub sites: Vec<SiteState>,
    /// True when every record (of every site) verifies.
    pub ok: bool,
    pub head: u64,
    pub problems: Vec<ProblemRow>,
    /// Warnings about the log directory (leftovers of interrupted writes...).
    pub warnings: Vec<String>,
}

/// Builds the report over `report`'s rows in the date range of `filter`, as of
/// `as_of.period_end` (overdue cases as of `as_of.deadline_day`).
pub fn build(
    report: &AuditReport,
    set: &CaseSet,
    filter: &Filter,
    as_of: super::summary::AsOf,
    sites: &[SiteState],
) -> BoardReport {
    let rows = report.filtered(filter);
    let summary = summarize(&rows, report, set, as_of);
    let today = as_of.period_end;
    let problems = rows
        .iter()
        .filter(|r| r.verification != Verification::Ok)
        .map(|r| ProblemRow {
            site: r.site.clone(),
            seq: r.seq,
            case: r.case.clone(),
            verification: r.verification,
            problems: r.problems.clone(),
        })
        .collect();
    BoardReport {
        today,
        since: filter.since,
        until: filter.until,
        summary,
        sites: sites.to_vec(),
        ok: report.ok,
        head: report.head,
        problems,
        warnings: report.warnings.clone(),
    }
}

fn period(b: &BoardReport) -> String {
    match (b.since, b.until) {
        (None, None) => "every record in the log".into(),
        (Some(s), None) => format!("records signed from {s}"),
        (None, Some(u)) => format!("records signed up to {u}"),
        (Some(s), Some(u)) => format!("records signed from {s} to {u}"),
    }
}

/// The charts, from the summary alone.
pub fn charts(sm: &Summary) -> Vec<Chart> {
    let months = Chart {
        title: "Decisions on time and late, by month".into(),
        series: vec!["on time".into(), "late".into()],
        bars: sm
            .by_month
            .iter()
            .map(|m| (m.month.clone(), vec![m.on_time, m.late]))
            .collect(),
        summary: if sm.by_month.is_empty() {
            "No decision with a statutory deadline in the period.".into()
        } else {
            format!(
                "{} on time and {} late over {} month(s) (access requests, by the month of the decision).",
                sm.on_time,
                sm.late,
                sm.by_month.len()
            )
        },
    };
    let outcomes = Chart {
        title: "Decisions by outcome".into(),
        series: vec!["decisions".into()],
        bars: sm
            .by_outcome
            .iter()
            .map(|c| (c.label.clone(), vec![c.count]))
            .collect(),
        summary: format!(
            "{} verified decision(s): {}.",
            sm.decisions,
            sm.by_outcome
                .iter()
                .filter(|c| c.count > 0)
                .map(|c| format!("{} {}", c.count, c.label))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let overrides = Chart {
        title: "Overridden advisor findings, by finding".into(),
        series: vec!["overrides".into()],
        bars: sm
            .overrides_by_code
            .iter()
            .map(|c| (c.label.clone(), vec![c.count]))
            .collect(),
        summary: format!(
            "{} overridden finding(s) in {} record(s); each override carries the reviewer's justification in the record.",
            sm.overrides, sm.records_with_overrides
        ),
    };
    let reviewers = Chart {
        title: "Decisions by reviewer".into(),
        series: vec!["on time".into(), "late".into(), "no deadline".into()],
        bars: sm
            .by_reviewer
            .iter()
            .map(|r| {
                let who = r.name.clone().unwrap_or_else(|| r.reviewer.clone());
                let other = r.decisions.saturating_sub(r.on_time + r.late);
                (who, vec![r.on_time, r.late, other])
            })
            .collect(),
        summary: sm
            .by_reviewer
            .iter()
            .map(|r| {
                format!(
                    "{}: {} decision(s), {} on time, {} late, {} override(s)",
                    r.name.as_deref().unwrap_or(&r.reviewer),
                    r.decisions,
                    r.on_time,
                    r.late,
                    r.overrides
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
            + ".",
    };
    vec![months, outcomes, overrides, reviewers]
}

/// The report as a document on the entity's letterhead.
pub fn compose(b: &BoardReport, letterhead: Letterhead) -> Document {
    let sm = &b.summary;
    let mut blocks = vec![Block::Fields(vec![
        ("As of".into(), b.today.to_string()),
        ("Covers".into(), period(b)),
        (
            "Log".into(),
            if b.ok {
                format!("every record verifies ({} record(s) in the log)", b.head)
            } else {
                format!(
                    "DOES NOT VERIFY cleanly: see the problems below ({} record(s) in the log)",
                    b.head
                )
            },
        ),
    ])];
    blocks.push(Block::Heading("Summary figures".into()));
    blocks.push(Block::Figures(vec![
        ("records considered".into(), sm.records.to_string()),
        ("verified decisions".into(), sm.decisions.to_string()),
        // On time means provided on time (docs/AUDIT.md), the same words as the summary.
        ("on time".into(), sm.on_time.to_string()),
        ("late".into(), sm.late.to_string()),
        (
            "open access requests past their due date".into(),
            format!(
                "{}{}",
                sm.overdue_open.len(),
                super::render::practice_left_out(sm)
            ),
        ),
        (
            "records failing verification".into(),
            sm.failing_verification.to_string(),
        ),
        (
            "records needing attention (case changed, old policy)".into(),
            sm.needing_attention.to_string(),
        ),
        (
            "overridden advisor findings".into(),
            sm.overrides.to_string(),
        ),
    ]));
    blocks.push(Block::Para(
        "The figures count verified decision records. A record that fails verification is \
         counted apart and feeds no figure, since what it says cannot be trusted \
         (docs/AUDIT.md)."
            .into(),
    ));
    blocks.push(Block::Heading("Charts".into()));
    blocks.extend(charts(sm).into_iter().map(Block::Chart));

    blocks.push(Block::Heading("Days from receipt to decision".into()));
    blocks.push(Block::Table(Table {
        header: vec!["days".into(), "decisions".into()],
        rows: sm
            .days_to_decision
            .iter()
            .map(|d| vec![d.label.clone(), d.count.to_string()])
            .collect(),
        widths: vec![1, 1],
    }));

    if !b.sites.is_empty() {
        blocks.push(Block::Heading("Sites".into()));
        blocks.push(Block::Table(Table {
            header: vec![
                "site".into(),
                "records".into(),
                "verification".into(),
                "witness".into(),
            ],
            rows: b
                .sites
                .iter()
                .map(|st| {
                    let state = match &st.first_bad {
                        None => "ok".to_string(),
                        Some(f) => match f.seq {
                            Some(seq) => format!("FAILED: first bad record {seq}: {}", f.message),
                            None => format!("FAILED: {}", f.message),
                        },
                    };
                    vec![
                        st.site.clone(),
                        st.records.to_string(),
                        format!("{state} (case binding {})", st.case_binding),
                        st.witness.clone(),
                    ]
                })
                .collect(),
            widths: vec![2, 1, 4, 3],
        }));
    }

    blocks.push(Block::Heading("Problems".into()));
    if b.problems.is_empty() && b.warnings.is_empty() && sm.overdue_open.is_empty() {
        blocks.push(Block::Para(
            "None: every record in the period verifies, and no open access request is past \
             its due date."
                .into(),
        ));
    }
    if !b.problems.is_empty() {
        blocks.push(Block::Para(format!(
            "{} record(s) do not verify cleanly:",
            b.problems.len()
        )));
        let by_site = b.problems.iter().any(|p| p.site.is_some());
        let mut header = vec![
            "record".into(),
            "case".into(),
            "state".into(),
            "what is wrong".into(),
        ];
        let mut widths = vec![1, 2, 2, 6];
        if by_site {
            header.insert(0, "site".into());
            widths.insert(0, 2);
        }
        blocks.push(Block::Table(Table {
            header,
            rows: b
                .problems
                .iter()
                .map(|p| {
                    let mut row = vec![
                        p.seq.to_string(),
                        p.case.clone().unwrap_or_else(|| "-".into()),
                        p.verification.mark().to_string(),
                        p.problems.join("; "),
                    ];
                    if by_site {
                        row.insert(0, p.site.clone().unwrap_or_default());
                    }
                    row
                })
                .collect(),
            widths,
        }));
    }
    if !sm.overdue_open.is_empty() {
        blocks.push(Block::Para(format!(
            "{} open access request(s) past their due date as of {}:",
            sm.overdue_open.len(),
            sm.deadlines_as_of.unwrap_or(b.today)
        )));
        blocks.push(Block::Table(Table {
            header: vec![
                "case".into(),
                "received".into(),
                "due".into(),
                "days overdue".into(),
            ],
            rows: sm
                .overdue_open
                .iter()
                .map(|o| {
                    vec![
                        o.case.clone(),
                        o.received.to_string(),
                        o.due.to_string(),
                        o.days_overdue.to_string(),
                    ]
                })
                .collect(),
            widths: vec![2, 2, 2, 1],
        }));
    }
    if !b.warnings.is_empty() {
        blocks.push(Block::Para("Warnings about the log directory:".into()));
        blocks.push(Block::Bullets(b.warnings.clone()));
    }
    let footer = format!(
        "{} · audit report as of {} · {}",
        letterhead.entity,
        b.today,
        period(b)
    );
    Document {
        title: "Audit of the decision log".into(),
        letterhead,
        blocks,
        footer,
    }
}
