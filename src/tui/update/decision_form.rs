//! The decision form's part of the state machine: editing keys, form actions, the
//! preview's scrolling, and the result of signing.

use ratatui::crossterm::event::KeyEvent;

use super::{rebuild_rows, save_if_dirty};
use crate::text::sanitize_line;
use crate::tui::app::{Banner, Effect, Screen, State};
use crate::tui::form::Field;
use crate::tui::keymap::Action;
use crate::tui::layout::{self, FormPanel};
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

/// The preview of the form's decision as it now stands: the record's text and the
/// findings on it, computed by the event loop with the functions signing uses.
pub(super) fn preview_effect(state: &State) -> Option<Effect> {
    let view = state.case.as_ref()?;
    let f = state.form.as_ref()?;
    Some(Effect::Preview {
        index: view.index,
        draft: f.to_draft(),
        kind: state.practice.record_kind(),
        findings: true,
    })
}

/// After a change to the form: restart the draft's typing pause, and preview the
/// decision as it now stands.
pub(super) fn edited(state: &State) -> Vec<Effect> {
    let mut fx = vec![Effect::DraftEdited];
    fx.extend(preview_effect(state));
    fx
}

pub(super) fn form_action(state: &mut State, action: Action) -> Vec<Effect> {
    let panels = layout::form_panels(state);
    let Some(f) = state.form.as_mut() else {
        state.screen = Screen::Case;
        return Vec::new();
    };
    match action {
        Action::Back => {
            state.screen = Screen::Case;
            save_if_dirty(state)
        }
        Action::Sign => sign(state),
        Action::Edit if f.field() == Field::Sign => sign(state),
        Action::PickGround => {
            crate::tui::picker::open(state);
            Vec::new()
        }
        Action::Findings => {
            f.findings_open = !f.findings_open;
            f.findings_scroll = Default::default();
            Vec::new()
        }
        // PgDn/PgUp, Home/End scroll the findings when open, else the preview (when shown).
        Action::PageDown | Action::PageUp | Action::Top | Action::Bottom => {
            let want = if f.findings_open {
                FormPanel::Findings
            } else {
                FormPanel::Preview
            };
            let Some((_, rect)) = panels.into_iter().find(|(p, _)| *p == want) else {
                state.needs_draw = false;
                return Vec::new();
            };
            let lines = match want {
                FormPanel::Findings => crate::tui::preview::findings_lines(state),
                FormPanel::Preview => crate::tui::preview::lines(state),
            };
            let (total, height) = layout::measure(&lines, layout::inner(rect));
            let Some(f) = state.form.as_mut() else {
                return Vec::new();
            };
            let at = match want {
                FormPanel::Findings => &mut f.findings_scroll,
                FormPanel::Preview => &mut f.preview_scroll,
            };
            state.needs_draw = at.act(action, total, height);
            Vec::new()
        }
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

/// Enter on `[ Sign ]`: the draft is signed by the loop; until it answers, a box says so
/// (it is drawn before the loop leaves the screen for a passphrase).
fn sign(state: &mut State) -> Vec<Effect> {
    let Some(f) = state.form.as_ref() else {
        return Vec::new();
    };
    let id = state.case.as_ref().map_or(String::new(), |c| c.id.clone());
    state.banner = Some(Banner::new(
        Role::Muted,
        "Signing",
        format!("signing the decision on {id} …"),
    ));
    vec![Effect::Sign(f.to_draft())]
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
            if let Some(id) = id.as_ref() {
                state.drafts.remove(id);
                rebuild_rows(state);
            }
            state.screen = Screen::Case;
            super::case_decided(state);
            let mut text = sanitize_line(&what);
            // The record just written, as signed and verified, is one key away.
            if !state.practice.trainee {
                let v = state
                    .keymap
                    .first_key(crate::tui::keymap::Context::Case, Action::Record);
                text.push_str(&format!(
                    ". {v} shows the signed record: its bytes, verification and notice"
                ));
            }
            state.banner = Some(Banner::new(Role::Ok, "Signed", text));
            // A trainee's proposal puts the case under review; the log says so.
            let mut fx: Vec<Effect> = id.map(Effect::RemoveDraft).into_iter().collect();
            fx.push(Effect::RefreshLog);
            fx
        }
        Err(e) => {
            state.banner = Some(Banner::new(
                Role::Error,
                "Not signed (the draft is kept)",
                sanitize_line(&e),
            ));
            Vec::new()
        }
    }
}
