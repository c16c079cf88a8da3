//! The figures the audit view's charts show, and `casebench audit --summary` prints:
//! decisions by outcome, days from receipt to decision, on time and late by month,
//! overdue open cases, records failing verification, overrides.
//!
//! Figures count decision records (type `decision`) that verify (ok, case changed, or
//! old policy); records that fail verification are counted apart and never feed a
//! figure, since what they say cannot be trusted.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::report::{AuditReport, AuditRow, decided_cases};
use crate::case::{CaseKind, Outcome};
use crate::record::model::RecordType;
use crate::rules::CaseSet;
use crate::rules::deadline::{self, Status};

/// A labelled count: one bar of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    pub label: String,
    pub count: usize,
}

/// One bucket of the days-to-decision histogram: `from..=to` days (`to` none: open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub label: String,
    pub from: i64,
    pub to: Option<i64>,
    pub count: usize,
}

/// Decisions with a statutory deadline in one month (of the decision's date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// `YYYY-MM`.
    pub month: String,
    pub on_time: usize,
    pub late: usize,
}

/// One reviewer's decisions (a chart of the audit report, a row of `--summary`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewerCount {
    /// The allowed_signers principal.
    pub reviewer: String,
    /// The display name from reviewers.yaml, when known.
    pub name: Option<String>,
    /// Verified decision records they signed (what the other figures count).
    pub decisions: usize,
    /// Of those with a statutory deadline: on time and late.
    pub on_time: usize,
    pub late: usize,
    /// Advisor findings they overrode.
    pub overrides: usize,
}

/// An access request past its due date with no decision in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overdue {
    pub case: String,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub days_overdue: i64,
}

/// The days a summary is made on (the one clock, [`crate::clock::Clock`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// Where the period ends: the newest record's day or the real day, whichever is
    /// later ([`crate::clock::Clock::period_end`]). What "as of" says.
    pub period_end: NaiveDate,
    /// The day overdue cases are counted on ([`crate::clock::Clock::deadline_day`]).
    pub deadline_day: NaiveDate,
}

impl AsOf {
    /// The days of `clock` for the log of `report`.
    pub fn of(clock: &crate::clock::Clock, report: &AuditReport) -> AsOf {
        AsOf {
            period_end: clock.period_end(report.newest_day()),
            deadline_day: clock.deadline_day(),
        }
    }

    /// One day for both (tests, a report replayed on a known day).
    pub fn same(day: NaiveDate) -> AsOf {
        AsOf {
            period_end: day,
            deadline_day: day,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The end of the period the figures cover ([`AsOf::period_end`]).
    pub today: NaiveDate,
    /// The day overdue open cases are counted on, when it is not `today` (a pinned
    /// `--today` or a sample library's `as_of`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadlines_as_of: Option<NaiveDate>,
    /// Rows considered (after the filter), of every type.
    pub records: usize,
    /// Decision records among them that verify: what the figures count.
    pub decisions: usize,
    /// Every outcome, in DESIGN order, zero counts included (stable chart axes).
    pub by_outcome: Vec<Count>,
    pub days_to_decision: Vec<Bucket>,
    /// Months in order; only months with a decision that had a due date.
    pub by_month: Vec<Month>,
    pub on_time: usize,
    pub late: usize,
    pub overdue_open: Vec<Overdue>,
    /// Practice cases the queue shows overdue, which `overdue_open` leaves out (a
    /// training case has no real requester waiting): said beside the count, so the
    /// summary and the queue agree (docs/AUDIT.md).
    pub overdue_practice_not_counted: usize,
    /// Rows that fail verification or are missing.
    pub failing_verification: usize,
    /// Rows that verify but not cleanly (case changed, old policy).
    pub needing_attention: usize,
    /// Overridden findings, and the records that carry them.
    pub overrides: usize,
    pub records_with_overrides: usize,
    /// Overridden findings by finding code, most frequent first.
    pub overrides_by_code: Vec<Count>,
    /// Verified decisions by reviewer, in order of their first record.
    pub by_reviewer: Vec<ReviewerCount>,
}

/// Histogram bucket bounds, in calendar days from receipt.
pub const BUCKETS: &[(i64, Option<i64>)] = &[
    (0, Some(7)),
    (8, Some(14)),
    (15, Some(30)),
    (31, Some(60)),
    (61, None),
];

fn bucket_label(from: i64, to: Option<i64>) -> String {
    match to {
        Some(t) => format!("{from}-{t}"),
        None => format!(">{}", from - 1),
    }
}

/// Computes the figures over `rows` (already filtered), as of `as_of.period_end`, with
/// overdue cases from the queue of `set` as of `as_of.deadline_day` (a case is open while
/// the log holds no decision or review for it, whatever the filter; practice cases
/// never count).
pub fn summarize(rows: &[&AuditRow], report: &AuditReport, set: &CaseSet, as_of: AsOf) -> Summary {
    let decisions: Vec<&AuditRow> = rows
        .iter()
        .copied()
        .filter(|r| r.kind == Some(RecordType::Decision) && !r.verification.is_broken())
        .collect();
    let by_outcome = Outcome::ALL
        .iter()
        .map(|o| Count {
            label: o.as_str().to_string(),
            count: decisions
                .iter()
                .filter(|r| r.outcome.as_deref() == Some(o.as_str()))
                .count(),
        })
        .chain({
            // Outcomes this build does not know (a newer writer) still get counted.
            let mut other: BTreeMap<String, usize> = BTreeMap::new();
            for r in &decisions {
                if let Some(o) = &r.outcome
                    && Outcome::parse(o).is_none()
                {
                    *other.entry(o.clone()).or_default() += 1;
                }
            }
            other
                .into_iter()
                .map(|(label, count)| Count { label, count })
        })
        .collect();
    let days_to_decision = BUCKETS
        .iter()
        .map(|&(from, to)| Bucket {
            label: bucket_label(from, to),
            from,
            to,
            count: decisions
                .iter()
                .filter_map(|r| r.days_to_decision)
                // A record dated before receipt (a wrong clock) counts in the first bucket.
                .map(|d| d.max(0))
                .filter(|&d| d >= from && to.is_none_or(|t| d <= t))
                .count(),
        })
        .collect();
    let mut months: BTreeMap<String, Month> = BTreeMap::new();
    for r in &decisions {
        let (Some(date), Some(_), Some(on_time)) = (r.date, r.deadline_due, r.on_time()) else {
            continue;
        };
        let key = date.format("%Y-%m").to_string();
        let m = months.entry(key.clone()).or_insert(Month {
            month: key,
            on_time: 0,
            late: 0,
        });
        if on_time {
            m.on_time += 1;
        } else {
            m.late += 1;
        }
    }
    let by_month: Vec<Month> = months.into_values().collect();
    Summary {
        today: as_of.period_end,
        deadlines_as_of: (as_of.deadline_day != as_of.period_end).then_some(as_of.deadline_day),
        records: rows.len(),
        decisions: decisions.len(),
        by_outcome,
        days_to_decision,
        on_time: by_month.iter().map(|m| m.on_time).sum(),
        late: by_month.iter().map(|m| m.late).sum(),
        by_month,
        overdue_open: overdue_open(report, set, as_of.deadline_day),
        overdue_practice_not_counted: overdue_practice(report, set, as_of.deadline_day),
        failing_verification: rows.iter().filter(|r| r.verification.is_broken()).count(),
        needing_attention: rows
            .iter()
            .filter(|r| !r.verification.is_broken() && r.verification != super::Verification::Ok)
            .count(),
        overrides: rows.iter().map(|r| r.overrides.len()).sum(),
        records_with_overrides: rows.iter().filter(|r| !r.overrides.is_empty()).count(),
        overrides_by_code: overrides_by_code(rows),
        by_reviewer: by_reviewer(&decisions),
    }
}

/// Overridden findings by code, over every row considered (most frequent first, then
/// by code).
fn overrides_by_code(rows: &[&AuditRow]) -> Vec<Count> {
    let mut by: BTreeMap<&str, usize> = BTreeMap::new();
    for o in rows.iter().flat_map(|r| &r.overrides) {
        *by.entry(o.code.as_str()).or_default() += 1;
    }
    let mut out: Vec<Count> = by
        .into_iter()
        .map(|(label, count)| Count {
            label: label.to_string(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    out
}

/// Verified decisions per reviewer, in order of each reviewer's first decision.
fn by_reviewer(decisions: &[&AuditRow]) -> Vec<ReviewerCount> {
    let mut out: Vec<ReviewerCount> = Vec::new();
    for r in decisions {
        let Some(who) = &r.reviewer else { continue };
        let i = match out.iter().position(|c| &c.reviewer == who) {
            Some(i) => i,
            None => {
                out.push(ReviewerCount {
                    reviewer: who.clone(),
                    name: r.reviewer_name.clone(),
                    decisions: 0,
                    on_time: 0,
                    late: 0,
                    overrides: 0,
                });
                out.len() - 1
            }
        };
        let c = &mut out[i];
        c.decisions += 1;
        c.overrides += r.overrides.len();
        if r.deadline_due.is_some() {
            match r.on_time() {
                Some(true) => c.on_time += 1,
                Some(false) => c.late += 1,
                None => {}
            }
        }
    }
    out
}

/// Practice cases past due as of `today` with no decision or review in the log: the
/// queue shows them overdue; the summary says how many it leaves out.
pub fn overdue_practice(report: &AuditReport, set: &CaseSet, today: NaiveDate) -> usize {
    let decided = decided_cases(report);
    set.cases
        .iter()
        .map(|lc| &lc.case)
        .filter(|c| c.practice.is_some() && !decided.contains_key(&c.id))
        .filter(|c| deadline::for_case(c, &set.rules, today).status == Status::Overdue)
        .count()
}

/// Access requests past due as of `today` with no decision or review in the log.
pub fn overdue_open(report: &AuditReport, set: &CaseSet, today: NaiveDate) -> Vec<Overdue> {
    let decided = decided_cases(report);
    let mut out: Vec<Overdue> = set
        .cases
        .iter()
        .map(|lc| &lc.case)
        .filter(|c| c.kind == CaseKind::AccessRequest && c.practice.is_none())
        .filter(|c| !decided.contains_key(&c.id))
        .filter_map(|c| {
            let dl = deadline::for_case(c, &set.rules, today);
            let due = dl.due?;
            (dl.status == Status::Overdue).then(|| Overdue {
                case: c.id.clone(),
                received: c.received,
                due,
                days_overdue: (today - due).num_days(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.case.cmp(&b.case)));
    out
}
