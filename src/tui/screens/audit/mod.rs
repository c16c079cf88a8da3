//! The audit screen (compliance officers): the decision log with a verification mark per
//! record, filters, charts, and a checkpoint; Enter opens the record view (`tui::record`).
//!
//! The state here, its update in `update.rs`, drawing in `view.rs`. The report is built
//! on a worker thread (`AuditEffect::Load`, `event_loop::audit`) by the same library
//! code as `casebench audit`; every string from a record or case is sanitised when it
//! lands here.

use std::path::PathBuf;
use std::sync::Arc;

use crate::audit::report::{AuditReport, AuditRow, Filter};
use crate::text::sanitize_line;
use crate::tui::theme::Role;

pub mod filter;
pub mod input;
pub mod sites;
pub mod update;
pub mod view;

/// What the audit screen asks of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// Enter: the record view on record `seq` (Esc comes back here).
    Record(u64),
    /// Esc: back to the queue.
    Back,
}

/// Which date a typed filter sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Since,
    Until,
}

/// What the worker answers.
#[derive(Debug)]
pub enum AuditMsg {
    Loaded(Result<Box<AuditReport>, String>),
    Checkpoint(Result<CheckpointDone, String>),
    /// A mirrored site's record (seqs repeat across sites: the site says whose).
    SiteRecord {
        site: String,
        seq: u64,
        result: Result<(String, Option<String>), String>,
    },
}

/// What `c` did: wrote a checkpoint, or found the head already checkpointed.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckpointDone {
    Written(String),
    Unchanged(String),
}

/// One table row, sanitised.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLine {
    /// The record's site on a `--sites` mirror; empty on a single site.
    pub site: String,
    pub seq: u64,
    pub date: String,
    pub kind: String,
    pub case: String,
    pub reviewer: String,
    pub outcome: String,
    pub mark: &'static str,
    pub mark_role: Role,
    pub days: String,
    /// `on time`, `LATE` or `-`.
    pub timely: String,
    pub overrides: usize,
    pub problems: Vec<String>,
}

impl AuditLine {
    fn from_row(r: &AuditRow) -> AuditLine {
        let opt = |s: &Option<String>| s.as_deref().map_or("-".into(), sanitize_line);
        AuditLine {
            site: r.site.as_deref().map_or_else(String::new, sanitize_line),
            seq: r.seq,
            date: r.date.map_or("-".into(), |d| d.to_string()),
            kind: r
                .kind
                .map_or("-".into(), |k| sanitize_line(&format!("{k:?}"))),
            case: opt(&r.case),
            reviewer: opt(&r.reviewer),
            // A review, practice or countersign record says so: only decisions are bare.
            outcome: match r.kind {
                Some(k) if k != crate::record::model::RecordType::Decision => {
                    format!("{}: {}", k.as_str(), opt(&r.outcome))
                }
                _ => opt(&r.outcome),
            },
            mark: r.verification.mark(),
            mark_role: Role::of(crate::present::record::verification(r.verification).1),
            days: r.days_to_decision.map_or("-".into(), |d| d.to_string()),
            // The audit table's word (`render::deadline_word`): on time, LATE, awaiting;
            // `-` where the case had no due date, never "on time" (issue 23).
            timely: match crate::audit::render::deadline_word(r) {
                "" => "-".into(),
                w => w.into(),
            },
            overrides: r.overrides.len(),
            problems: r.problems.iter().map(|p| sanitize_line(p)).collect(),
        }
    }
}

/// The figures the charts draw, from the filtered rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Charts {
    pub by_outcome: Vec<(String, u64)>,
    pub days: Vec<(String, u64)>,
    /// `(YYYY-MM, on time, late)`.
    pub months: Vec<(String, u64, u64)>,
    pub decisions: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue_open: usize,
    /// ` (practice cases not counted: N)`, or empty.
    pub practice_left_out: String,
    pub failing: usize,
}

/// The record under Enter: its exact text and signature, scrollable.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub seq: u64,
    /// The record's site, on a `--sites` mirror.
    pub site: Option<String>,
    /// `None` while the worker reads it.
    pub lines: Option<Vec<(Role, String)>>,
    pub scroll: crate::tui::scroll::Scroll,
}

#[derive(Debug, Clone, Default)]
pub struct AuditView {
    pub report: Option<Arc<AuditReport>>,
    /// Why the report could not be built.
    pub error: Option<String>,
    pub lines: Vec<AuditLine>,
    pub filter: Filter,
    /// Principals in log order (sanitised copies are shown; the raw ones filter).
    pub reviewers: Vec<String>,
    pub outcomes: Vec<String>,
    /// Indices into `lines` that pass the filter.
    pub visible: Vec<usize>,
    pub selected: usize,
    pub offset: usize,
    pub charts: Charts,
    /// A date being typed: which one and the text so far.
    pub input: Option<(DateField, String)>,
    pub detail: Option<Detail>,
    /// The mirror (`audit --sites DIR --tui`): read-only, a site column and filter.
    pub sites: Option<PathBuf>,
    /// The mirrored sites, in order (the site filter's choices; raw ids).
    pub site_ids: Vec<String>,
}

impl AuditView {
    pub fn selected_line(&self) -> Option<&AuditLine> {
        self.lines.get(*self.visible.get(self.selected)?)
    }

    /// The filters in force, as text (empty when none).
    pub fn filter_text(&self) -> String {
        let f = &self.filter;
        let mut parts = Vec::new();
        if let Some(site) = &f.site {
            parts.push(format!("site {}", sanitize_line(site)));
        }
        if let Some(r) = &f.reviewer {
            parts.push(format!("reviewer {}", sanitize_line(r)));
        }
        if let Some(o) = &f.outcome {
            parts.push(format!("outcome {}", sanitize_line(o)));
        }
        if let Some(d) = f.since {
            parts.push(format!("since {d}"));
        }
        if let Some(d) = f.until {
            parts.push(format!("until {d}"));
        }
        if f.problems_only {
            parts.push("problems only".into());
        }
        if f.overridden_only {
            parts.push("overridden only".into());
        }
        parts.join(", ")
    }
}

/// Rows of the audit table that fit (screen minus title, filter line, header, footer and
/// the charts; the view uses the same split).
pub fn table_page(size: (u16, u16)) -> usize {
    let (_, table_h, _) = split_heights(size.1);
    (table_h as usize).saturating_sub(3).max(1)
}

/// `(heading lines, table block, charts block)` for a terminal `h` rows high (the footer
/// is the one row left).
pub fn split_heights(h: u16) -> (u16, u16, u16) {
    let body = h.saturating_sub(3);
    let charts = if body >= 30 { 14 } else { (body / 2).max(3) };
    (2, body.saturating_sub(charts), charts)
}
