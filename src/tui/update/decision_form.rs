//! The decision form's part of the state machine: editing keys, form actions, and the
//! result of signing.

use ratatui::crossterm::event::KeyEvent;

use super::{rebuild_rows, save_if_dirty};
use crate::text::sanitize_line;
use crate::tui::app::{Effect, Screen, State};
use crate::tui::form::Field;
use crate::tui::keymap::Action;
use crate::tui::theme::Role;

pub(super) fn form_edit(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    let Some(f) = state.form.as_mut() else {
        return Vec::new();
    };
    if f.edit_key(k) {
        f.dirty = true;
        return edited(state);
    }
    Vec::new()
}

/// After a change to the form: restart the draft's typing pause, and ask the advisor
/// about the decision as it now stands (once it has an outcome).
pub(super) fn edited(state: &State) -> Vec<Effect> {
    let mut fx = vec![Effect::DraftEdited];
    if let (Some(view), Some(p)) = (
        state.case.as_ref(),
        state.form.as_ref().and_then(crate::tui::advice::proposal),
    ) {
        fx.push(Effect::Advise {
            index: view.index,
            proposal: Some(p),
        });
    }
    fx
}

pub(super) fn form_action(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(f) = state.form.as_mut() else {
        state.screen = Screen::Case;
        return Vec::new();
    };
    match action {
        Action::Back => {
            state.screen = Screen::Case;
            save_if_dirty(state)
        }
        Action::Sign => vec![Effect::Sign(f.to_draft())],
        Action::Edit if f.field() == Field::Sign => vec![Effect::Sign(f.to_draft())],
        a => {
            if f.act(a) {
                f.dirty = true;
                edited(state)
            } else {
                Vec::new()
            }
        }
    }
}

pub(super) fn signed(state: &mut State, result: Result<String, String>) -> Vec<Effect> {
    match result {
        Ok(what) => {
            let id = state.form.take().map(|f| f.case_id);
            // A trainee's practice record decides nothing (on a real case it is a proposal).
            if let Some(id) = id.as_ref().filter(|_| !state.practice.trainee) {
                state.decided.insert(id.clone());
                rebuild_rows(state);
            }
            if let Some(v) = state.case.as_mut() {
                v.draft = None;
            }
            state.screen = Screen::Case;
            state.message = Some((Role::Ok, sanitize_line(&what)));
            // A trainee's proposal puts the case under review; the log says so.
            let mut fx: Vec<Effect> = id.map(Effect::RemoveDraft).into_iter().collect();
            fx.push(Effect::RefreshLog);
            fx
        }
        Err(e) => {
            if let Some(f) = state.form.as_mut() {
                f.note = Some((Role::Warning, sanitize_line(&e)));
            }
            Vec::new()
        }
    }
}
