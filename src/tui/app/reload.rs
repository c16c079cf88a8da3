//! `R` in the queue: the case files read again, keeping the selection (by case id) and
//! the filters; and the open case's "decided by X at T" line, kept current.

use super::rows::loaded;
use super::state::{Screen, State};
use crate::tui::screens::queue::{self, filter::keep_selection_visible};
use crate::tui::theme::Role;

/// The case files read again (`R`): the selection stays on the same case (by id), the
/// filters stay, an open case keeps its place in the new set, and the message says how
/// many files were read.
pub(super) fn reloaded(state: &mut State, set: crate::rules::CaseSet) {
    state.reloading = false;
    let written = state.reload_select.take();
    let selected = written.clone().or_else(|| {
        state
            .selected_row()
            .and_then(|r| state.set.as_ref()?.cases.get(r.index))
            .map(|c| c.case.id.clone())
    });
    let (valid, invalid) = (set.cases.len(), set.invalid.len());
    loaded(state, set);
    if let Some(id) = selected {
        let at = state.queue.visible.iter().position(|&v| {
            state
                .rows
                .get(v)
                .and_then(|r| state.set.as_ref()?.cases.get(r.index))
                .is_some_and(|c| c.case.id == id)
        });
        if let Some(at) = at {
            state.queue.selected = at;
            keep_selection_visible(&mut state.queue, queue::page(state.size));
        }
    }
    // A case opened while the files were read keeps its place (by id) in the new set.
    if let Some(view) = state.case.as_mut() {
        match state
            .set
            .as_ref()
            .and_then(|s| s.cases.iter().position(|c| c.case.id == view.case_id))
        {
            Some(i) => view.index = i,
            None => {
                state.case = None;
                state.form = None;
                state.screen = Screen::Queue;
            }
        }
    }
    let role = if invalid == 0 {
        Role::Ok
    } else {
        Role::Warning
    };
    // A case just written or edited that did not load (its file is checked as of the
    // workbench's day, which `--today` or a library's `as_of` may set before the real
    // one): said, rather than silently missing from the queue.
    if let Some(id) = written.filter(|id| {
        state
            .set
            .as_ref()
            .is_none_or(|s| s.cases.iter().all(|c| &c.case.id != id))
    }) {
        let key = state.keymap.first_key(
            crate::tui::keymap::Context::Queue,
            crate::tui::keymap::Action::ShowInvalid,
        );
        state.message = Some((
            Role::Warning,
            format!(
                "{} is not in the queue: its file does not load as of {} ({key} lists why)",
                crate::text::sanitize_line(&id),
                state.today
            ),
        ));
        return;
    }
    state.message = Some((
        role,
        format!(
            "reloaded {} case files ({invalid} invalid)",
            valid + invalid
        ),
    ));
}
