//! The queue's rows from the case set and the log's facts (decided, under review,
//! drafts, practice), and the open case's "decided by" line: kept current as those
//! facts arrive.

use std::sync::Arc;

use super::state::State;
use crate::rules::queue::entries;
use crate::tui::screens::invalid;
use crate::tui::screens::queue::Load;
use crate::tui::screens::queue::filter::refilter;
use crate::tui::screens::queue::{self, Row};

pub(super) fn loaded(state: &mut State, set: crate::rules::CaseSet) {
    state.invalid = invalid::invalid_rows(&set);
    state.set = Some(Arc::new(set));
    state.load = Load::Ready;
    rebuild_rows(state);
}

/// The queue rows from the set: the one status given the log (`queue::standing`).
pub(super) fn rebuild_rows(state: &mut State) {
    let Some(set) = state.set.as_ref() else {
        return;
    };
    // Pending proposals are found on real cases only (practice::countersign::pending).
    let under_review: std::collections::HashSet<String> = state
        .countersign
        .pending
        .iter()
        .map(|p| p.case_id.clone())
        .collect();
    // The log's facts (`decision::standing`); a decision signed here that the index has
    // not caught up with yet is in force, nothing provided.
    let facts = |id: &str| {
        let by = state.decided_by_facts.get(id);
        let mut f = crate::decision::standing::log_facts(by, under_review.contains(id));
        if f.in_force.is_none() && state.decided.contains(id) {
            f.in_force = Some(crate::rules::queue::InForce {
                outcome: String::new(),
                decided_on: state.today,
                provided_on: None,
            });
        }
        f
    };
    let rows = entries(set, state.today, &facts);
    // The header's counts: `casebench due`'s own classification, over a week.
    state.reminders = crate::rules::queue::ReminderCounts::of(&crate::rules::queue::reminders(
        &rows,
        crate::rules::deadline::DUE_SOON_DAYS,
    ));
    state.rows = rows
        .iter()
        .map(|e| Row {
            draft: set
                .cases
                .get(e.index)
                .is_some_and(|c| state.drafts.contains(&c.case.id)),
            practice: set
                .cases
                .get(e.index)
                .is_some_and(|c| c.case.practice.is_some()),
            ..Row::from_entry(e)
        })
        .collect();
    refilter(&mut state.queue, &state.rows, queue::page(state.size));
}

/// The open case's "decided by X at T" (the text `drafts::decided_by` made from the log's
/// index), or plain "decided" for a decision signed here that the index has not caught up
/// with yet.
pub(super) fn case_decided(state: &mut State) {
    if let Some(view) = state.case.as_mut() {
        view.decided = state.decided_by.get(&view.case_id).cloned().or_else(|| {
            state
                .decided
                .contains(&view.case_id)
                .then(|| "decided".to_string())
        });
        // The header's clock says the status the queue row has (one function).
        let row = state.rows.iter().find(|r| r.id == view.case_id);
        let lc = state
            .set
            .as_ref()
            .and_then(|set| set.get(&view.case_id).map(|lc| (set, lc)));
        if let (Some(row), Some((set, lc))) = (row, lc) {
            let dl = crate::rules::deadline::for_case(&lc.case, &set.rules, state.today);
            view.clock = crate::tui::screens::case::content::clock(&dl, row.status);
        }
    }
}
