//! The audit screen (compliance officers): the decision log with a verification mark per
//! record, filters, charts, and a checkpoint; Enter opens the record view (`tui::record`).
//!
//! State and its update handling live here; drawing in `views/audit.rs`. The report is
//! built on a worker thread (`AuditEffect::Load`) by the same library code as
//! `casebench audit`; every string from a record or case is sanitised when it lands here.

use std::path::PathBuf;
use std::sync::Arc;

use super::app::{Banner, Effect, Screen, State};
use super::keymap::Action;
use super::theme::Role;
use crate::audit::report::{AuditReport, AuditRow, Filter, Verification};
use crate::audit::summary::summarize;
use crate::case::CaseSet;
use crate::text::{sanitize, sanitize_line};

mod input;
mod sites;
mod worker;
pub use input::{DateField, input_key, typing};
pub use sites::{open_sites, startup};
pub use worker::run_effect;

/// Work for the worker thread.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditEffect {
    /// Verify the log and build the report.
    Load,
    /// Sign a checkpoint of the log head with the officer's key.
    Checkpoint,
    /// Verify every site of a `--sites` mirror and build its report.
    LoadSites(PathBuf),
    /// Read record `seq` of a mirrored site (`dir` is the mirror, `site` the site).
    SiteRecord {
        dir: PathBuf,
        site: String,
        seq: u64,
    },
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

/// Default keys of the audit screen (keymap.rs lists them under `audit`).
pub const DEFAULT_KEYS: &[(Action, &[&str])] = &[
    (Action::Down, &["j", "Down"]),
    (Action::Up, &["k", "Up"]),
    (Action::PageDown, &["PageDown", "Space"]),
    (Action::PageUp, &["PageUp", "b"]),
    (Action::Top, &["g", "Home"]),
    (Action::Bottom, &["G", "End"]),
    (Action::Open, &["Enter", "l", "Right"]),
    (Action::ReviewerFilter, &["r"]),
    (Action::OutcomeFilter, &["o"]),
    (Action::Since, &["f"]),
    (Action::Until, &["t"]),
    (Action::ProblemsOnly, &["p"]),
    (Action::OverriddenOnly, &["v"]),
    (Action::ClearFilters, &["x"]),
    (Action::Checkpoint, &["c"]),
    (Action::Reload, &["R"]),
    (Action::SiteFilter, &["s"]),
    (Action::Back, &["Esc", "q", "h", "Left"]),
    (Action::Help, &["?", "F1"]),
];

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
            mark_role: mark_role(r.verification),
            days: r.days_to_decision.map_or("-".into(), |d| d.to_string()),
            timely: match r.decided_on_time {
                Some(true) => "on time".into(),
                Some(false) => "LATE".into(),
                None => "-".into(),
            },
            overrides: r.overrides.len(),
            problems: r.problems.iter().map(|p| sanitize_line(p)).collect(),
        }
    }
}

pub fn mark_role(v: Verification) -> Role {
    match v {
        Verification::Ok => Role::Ok,
        Verification::CaseChanged | Verification::SupersededPolicy => Role::Warning,
        Verification::Failed | Verification::Missing => Role::Error,
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

/// `A` on the queue: the audit screen, loading the report on the worker.
pub fn open(state: &mut State) -> Vec<Effect> {
    state.screen = Screen::Audit;
    state.audit = Some(AuditView::default());
    state.message = Some((Role::Muted, "verifying the decision log...".into()));
    vec![Effect::Audit(AuditEffect::Load)]
}

pub fn message(state: &mut State, msg: AuditMsg) -> Vec<Effect> {
    let Some(view) = state.audit.as_mut() else {
        state.needs_draw = false;
        return Vec::new();
    };
    match msg {
        AuditMsg::Loaded(Ok(report)) => {
            let report = Arc::new(*report);
            view.lines = report.rows.iter().map(AuditLine::from_row).collect();
            view.reviewers = report.reviewers().into_iter().map(|(p, _)| p).collect();
            view.outcomes = Vec::new();
            for r in &report.rows {
                if let Some(o) = &r.outcome
                    && !view.outcomes.contains(o)
                {
                    view.outcomes.push(o.clone());
                }
            }
            view.error = None;
            if view.sites.is_some() {
                view.site_ids = sites::site_ids(&report);
            }
            let (n, bad) = (
                report.rows.len(),
                report
                    .rows
                    .iter()
                    .filter(|r| r.verification.is_broken())
                    .count(),
            );
            let mirror = view.sites.is_some().then(|| sites::loaded_message(&report));
            view.report = Some(report);
            state.message = Some(if let Some(m) = mirror {
                m
            } else if bad == 0 {
                (Role::Ok, format!("{n} records verified"))
            } else {
                (
                    Role::Error,
                    format!("{bad} of {n} records FAILED verification"),
                )
            });
            refilter(state);
        }
        AuditMsg::Loaded(Err(e)) => {
            let e = sanitize_line(&e);
            state.message = Some((Role::Error, format!("audit: {e}")));
            view.error = Some(e);
        }
        AuditMsg::SiteRecord { site, seq, result } => {
            let Some(d) = view
                .detail
                .as_mut()
                .filter(|d| d.seq == seq && d.site.as_deref() == Some(site.as_str()))
            else {
                state.needs_draw = false;
                return Vec::new();
            };
            let row = view.report.as_ref().and_then(|r| {
                r.rows
                    .iter()
                    .find(|x| x.seq == seq && x.site.as_deref() == Some(site.as_str()))
            });
            d.lines = Some(detail_lines(row, result));
        }
        AuditMsg::Checkpoint(Ok(done)) => {
            state.message = None;
            let (role, title, text, reload) = match done {
                CheckpointDone::Written(t) => (Role::Ok, "Checkpoint written", t, true),
                CheckpointDone::Unchanged(t) => (Role::Warning, "No checkpoint written", t, false),
            };
            state.banner = Some(Banner::new(role, title, sanitize_line(&text)));
            return if reload {
                vec![Effect::Audit(AuditEffect::Load)]
            } else {
                Vec::new()
            };
        }
        AuditMsg::Checkpoint(Err(e)) => {
            state.message = None;
            state.banner = Some(Banner::new(
                Role::Error,
                "Checkpoint refused",
                sanitize_line(&e),
            ));
        }
    }
    Vec::new()
}

/// The detail text: verification, problems, signer, the record's exact text, the
/// signature file.
pub(crate) fn detail_lines(
    row: Option<&AuditRow>,
    result: Result<(String, Option<String>), String>,
) -> Vec<(Role, String)> {
    let mut out = Vec::new();
    if let Some(r) = row {
        if let Some(site) = &r.site {
            out.push((Role::Normal, format!("site: {}", sanitize_line(site))));
        }
        out.push((
            mark_role(r.verification),
            format!(
                "verification: {} ({})",
                r.verification.mark(),
                r.verification.as_str()
            ),
        ));
        for p in &r.problems {
            out.push((Role::Error, format!("  problem: {}", sanitize_line(p))));
        }
        if let Some(rec) = &r.record {
            out.push((
                Role::Normal,
                format!("signed by: {}", sanitize_line(&rec.reviewer)),
            ));
        }
        if let Some(name) = &r.reviewer_name {
            out.push((Role::Normal, format!("name: {}", sanitize_line(name))));
        }
        out.push((Role::Muted, format!("file: {}", sanitize_line(&r.file))));
    }
    out.push((Role::Muted, String::new()));
    match result {
        Ok((text, sig)) => {
            out.push((Role::Header, "Record (exact text)".into()));
            out.extend(
                sanitize(&text)
                    .lines()
                    .map(|l| (Role::Normal, l.to_string())),
            );
            out.push((Role::Muted, String::new()));
            out.push((Role::Header, "Signature".into()));
            match sig {
                Some(s) => out.extend(sanitize(&s).lines().map(|l| (Role::Muted, l.to_string()))),
                None => out.push((Role::Error, "MISSING: no readable signature file".into())),
            }
        }
        Err(e) => out.push((Role::Error, format!("cannot read: {}", sanitize_line(&e)))),
    }
    out
}

/// Recomputes the visible rows and the charts from the filter.
pub fn refilter(state: &mut State) {
    let today = state.today;
    let set = state.set.clone();
    let Some(view) = state.audit.as_mut() else {
        return;
    };
    let Some(report) = view.report.clone() else {
        return;
    };
    let keep_seq = view.selected_line().map(|l| l.seq);
    view.visible = report
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| view.filter.matches(r))
        .map(|(i, _)| i)
        .collect();
    view.selected = keep_seq
        .and_then(|s| view.visible.iter().position(|&i| view.lines[i].seq == s))
        .unwrap_or(0);
    let rows = report.filtered(&view.filter);
    let empty;
    // A mirror holds no case file: nothing is counted overdue from it.
    let set = if view.sites.is_some() { None } else { set };
    let set: &CaseSet = match set.as_deref() {
        Some(s) => s,
        None => {
            empty = CaseSet {
                dir: PathBuf::new(),
                cases: Vec::new(),
                invalid: Vec::new(),
                ..CaseSet::default()
            };
            &empty
        }
    };
    let s = summarize(&rows, &report, set, today);
    let n = |c: usize| c as u64;
    view.charts = Charts {
        by_outcome: s
            .by_outcome
            .iter()
            .map(|c| (sanitize_line(&c.label), n(c.count)))
            .collect(),
        days: s
            .days_to_decision
            .iter()
            .map(|b| (sanitize_line(&b.label), n(b.count)))
            .collect(),
        months: s
            .by_month
            .iter()
            .map(|m| (sanitize_line(&m.month), n(m.on_time), n(m.late)))
            .collect(),
        decisions: s.decisions,
        on_time: s.on_time,
        late: s.late,
        overdue_open: s.overdue_open.len(),
        failing: s.failing_verification,
    };
    keep_visible(view, table_page(state.size));
}

fn keep_visible(v: &mut AuditView, page: usize) {
    v.selected = v.selected.min(v.visible.len().saturating_sub(1));
    if v.selected < v.offset {
        v.offset = v.selected;
    } else if v.selected >= v.offset + page {
        v.offset = v.selected + 1 - page;
    }
    v.offset = v.offset.min(v.visible.len().saturating_sub(page));
}

/// A resize keeps the cursor on screen.
pub fn resized(state: &mut State) {
    let page = table_page(state.size);
    if let Some(v) = state.audit.as_mut() {
        keep_visible(v, page);
    }
}

/// Cycles `current` through `choices` and back to none.
fn cycle(current: &Option<String>, choices: &[String]) -> Option<String> {
    let pos = current
        .as_ref()
        .and_then(|c| choices.iter().position(|x| x == c));
    match pos {
        None => choices.first().cloned(),
        Some(p) => choices.get(p + 1).cloned(),
    }
}

pub fn action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = table_page(state.size);
    let detail_area = crate::tui::layout::page(state.size);
    let Some(view) = state.audit.as_mut() else {
        state.screen = Screen::Queue;
        return Vec::new();
    };
    if let Some(d) = view.detail.as_mut() {
        match action {
            Action::Back => view.detail = None,
            a if crate::tui::scroll::is_scroll(a) => {
                let lines: Vec<crate::tui::scroll::Styled> =
                    d.lines.iter().flatten().map(|l| vec![l.clone()]).collect();
                let (total, height) = crate::tui::layout::measure(&lines, detail_area);
                state.needs_draw = d.scroll.act(a, total, height);
            }
            _ => state.needs_draw = false,
        }
        return Vec::new();
    }
    if view.sites.is_some()
        && let Some(fx) = sites::action(state, action)
    {
        return fx;
    }
    let Some(view) = state.audit.as_mut() else {
        return Vec::new();
    };
    let last = view.visible.len().saturating_sub(1);
    match action {
        Action::Down => view.selected = (view.selected + 1).min(last),
        Action::Up => view.selected = view.selected.saturating_sub(1),
        Action::PageDown => view.selected = (view.selected + page).min(last),
        Action::PageUp => view.selected = view.selected.saturating_sub(page),
        Action::Top => view.selected = 0,
        Action::Bottom => view.selected = last,
        Action::Open => {
            let Some(seq) = view.selected_line().map(|l| l.seq) else {
                state.needs_draw = false;
                return Vec::new();
            };
            // The same record view as a decided case's `v` (Esc comes back here).
            return crate::tui::record::open(state, crate::audit::signed::Which::Seq(seq));
        }
        Action::ReviewerFilter => {
            view.filter.reviewer = cycle(&view.filter.reviewer, &view.reviewers);
            refilter(state);
        }
        Action::OutcomeFilter => {
            view.filter.outcome = cycle(&view.filter.outcome, &view.outcomes);
            refilter(state);
        }
        Action::Since => view.input = Some((DateField::Since, String::new())),
        Action::Until => view.input = Some((DateField::Until, String::new())),
        Action::ProblemsOnly => {
            view.filter.problems_only = !view.filter.problems_only;
            refilter(state);
        }
        Action::OverriddenOnly => {
            view.filter.overridden_only = !view.filter.overridden_only;
            refilter(state);
        }
        Action::ClearFilters => {
            view.filter = Filter::default();
            refilter(state);
        }
        Action::Checkpoint => {
            state.message = Some((Role::Muted, "signing a checkpoint...".into()));
            return vec![Effect::Audit(AuditEffect::Checkpoint)];
        }
        Action::Reload => {
            state.message = Some((Role::Muted, "verifying the decision log...".into()));
            return vec![Effect::Audit(AuditEffect::Load)];
        }
        Action::Back => {
            state.screen = Screen::Queue;
            state.audit = None;
        }
        _ => state.needs_draw = false,
    }
    if let Some(v) = state.audit.as_mut() {
        keep_visible(v, page);
    }
    Vec::new()
}
