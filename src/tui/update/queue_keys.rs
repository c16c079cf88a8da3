//! The queue's keys: moving, the fuzzy filter being typed, the filters, opening a case.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::super::app::{Effect, Screen, State};
use super::super::content;
use super::super::keymap::Action;
use super::super::theme::Role;
use super::STATUS_CYCLE;
use super::queue_filter::{keep_selection_visible, move_by, refilter};
use super::reload::case_decided;

pub(super) fn filter_key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    let q = &mut state.queue;
    match k.code {
        KeyCode::Esc => {
            q.filtering = false;
            q.filter.clear();
        }
        KeyCode::Enter => q.filtering = false,
        KeyCode::Backspace => {
            q.filter.pop();
        }
        KeyCode::Down => return queue_action(state, Action::Down),
        KeyCode::Up => return queue_action(state, Action::Up),
        KeyCode::Char(c) if !c.is_control() && !k.modifiers.contains(KeyModifiers::CONTROL) => {
            q.filter.push(c)
        }
        _ => {
            state.needs_draw = false;
            return Vec::new();
        }
    }
    refilter(state);
    Vec::new()
}

pub(super) fn queue_action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.queue_page();
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => {
            let q = &mut state.queue;
            let new = move_by(q.selected, q.visible.len(), action, page);
            if new == q.selected {
                state.needs_draw = false;
            }
            q.selected = new;
            keep_selection_visible(state);
        }
        Action::Open => return open_case(state),
        Action::Audit => return super::super::audit::open(state),
        Action::ReloadCases => {
            state.reloading = true;
            state.message = Some((Role::Muted, "reading the case files again...".into()));
            return vec![Effect::LoadCases];
        }
        Action::Filter => state.queue.filtering = true,
        Action::StatusFilter => {
            let pos = STATUS_CYCLE.iter().position(|s| *s == state.queue.status);
            state.queue.status = STATUS_CYCLE[pos.map_or(0, |p| (p + 1) % STATUS_CYCLE.len())];
            refilter(state);
        }
        Action::PracticeOnly => {
            state.queue.practice_only = !state.queue.practice_only;
            refilter(state);
        }
        Action::ShowInvalid => {
            if state.invalid.is_empty() {
                state.message = Some((Role::Ok, "every case file is valid".into()));
            } else {
                state.screen = Screen::Invalid;
                state.invalid_scroll = Default::default();
            }
        }
        Action::Back => {
            state.queue.filter.clear();
            state.queue.status = None;
            state.queue.practice_only = false;
            refilter(state);
        }
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        _ => state.needs_draw = false,
    }
    Vec::new()
}

fn open_case(state: &mut State) -> Vec<Effect> {
    let (Some(row), Some(set)) = (state.selected_row(), state.set.as_ref()) else {
        state.needs_draw = false;
        return Vec::new();
    };
    let Some(lc) = set.cases.get(row.index) else {
        return Vec::new();
    };
    let row_index = row.index;
    let view = content::case_view(row_index, &lc.case, &set.rules, state.today);
    let id = lc.case.id.clone();
    state.case = Some(view);
    state.form = None;
    state.screen = Screen::Case;
    case_decided(state);
    vec![Effect::LoadDraft(id), Effect::Advise { index: row_index }]
}
