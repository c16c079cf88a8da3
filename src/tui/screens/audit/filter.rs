//! The audit table's rows and charts under the filters, and the cursor kept on screen.

use std::path::PathBuf;

use super::{AuditView, Charts, table_page};
use crate::audit::summary::{AsOf, summarize};
use crate::rules::CaseSet;
use crate::text::sanitize_line;
use crate::tui::step::Ctx;

/// Recomputes the visible rows and the charts from the filter.
pub fn refilter(view: &mut AuditView, ctx: &Ctx) {
    let set = ctx.set.cloned();
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
    let as_of = AsOf {
        period_end: ctx.clock.period_end(report.newest_day()),
        deadline_day: ctx.today,
    };
    let s = summarize(&rows, &report, set, as_of);
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
        practice_left_out: crate::audit::render::practice_left_out(&s),
        failing: s.failing_verification,
    };
    keep_visible(view, table_page(ctx.size));
}

pub(super) fn keep_visible(v: &mut AuditView, page: usize) {
    v.selected = v.selected.min(v.visible.len().saturating_sub(1));
    if v.selected < v.offset {
        v.offset = v.selected;
    } else if v.selected >= v.offset + page {
        v.offset = v.selected + 1 - page;
    }
    v.offset = v.offset.min(v.visible.len().saturating_sub(page));
}

/// A resize keeps the cursor on screen.
pub fn resized(view: &mut AuditView, size: (u16, u16)) {
    keep_visible(view, table_page(size));
}

/// Cycles `current` through `choices` and back to none.
pub(super) fn cycle(current: &Option<String>, choices: &[String]) -> Option<String> {
    let pos = current
        .as_ref()
        .and_then(|c| choices.iter().position(|x| x == c));
    match pos {
        None => choices.first().cloned(),
        Some(p) => choices.get(p + 1).cloned(),
    }
}
