//! Drafts on the workbench: the offer when a case opens (stale when the case has since
//! been decided), the confirmation before `x` discards one, and the queue's marks.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::rows::rebuild_rows;
use super::state::State;
use crate::record::log::DecidedBy;
use crate::text::sanitize_line;
use crate::tui::effect::Effect;
use crate::tui::keymap::Action;
use crate::tui::step::{Banner, Step};
use crate::tui::theme::Role;

/// "decided by X at T" for each decided case, sanitised once.
pub(super) fn decided_by(state: &mut State, by: HashMap<String, DecidedBy>) {
    state.decided.extend(by.keys().cloned());
    state.decided_by_facts = by.clone();
    state.decided_by = by
        .into_iter()
        .map(|(id, d)| {
            let when = d.time.format("%Y-%m-%d %H:%M UTC");
            let text = format!("decided by {} at {when}", sanitize_line(&d.reviewer));
            (id, text)
        })
        .collect();
    offer(state);
}

/// Says that the open case has a saved draft, and whether the case has been decided
/// since (by anyone): resuming it would decide the case again.
pub(super) fn offer(state: &mut State) {
    let Some(view) = state.case.as_ref() else {
        return;
    };
    let Some(d) = view.draft.as_ref() else {
        return;
    };
    let ctx = state.screen.context();
    let resume = state.keymap.first_key(ctx, Action::Decide);
    let discard = state.keymap.first_key(ctx, Action::DiscardDraft);
    let saved = sanitize_line(&d.saved);
    // A draft of a case decided since is a warning that must be read whole (at 80
    // columns too): an outcome box, not the one-line message.
    let stale = match state.decided_by.get(&view.case_id) {
        Some(by) => Some(format!("this case was {by}")),
        None if state.decided.contains(&view.case_id) => {
            Some("this case has been decided".to_string())
        }
        None => None,
    };
    match stale {
        Some(what) => {
            state.banner = Some(crate::tui::step::Banner::new(
                Role::Error,
                "A draft of a case decided since",
                format!(
                    "!! A draft saved {saved} exists, but {what} since: {resume} resumes it \
                     anyway, {discard} discards it"
                ),
            ));
            state.message = Some((
                Role::Error,
                format!(
                    "!! decided since the draft: {resume} resumes it anyway, {discard} discards it"
                ),
            ));
        }
        None => {
            state.message = Some((
                Role::Warning,
                format!("draft saved {saved}: {resume} resumes it, {discard} discards it"),
            ));
        }
    }
}

/// `x` on a case with a draft: nothing is removed yet; a box asks first.
pub(super) fn ask_discard(state: &mut State) {
    let Some(view) = state.case.as_ref() else {
        return;
    };
    let Some(d) = view.draft.as_ref() else {
        state.message = Some((Role::Muted, "no saved draft for this case".into()));
        return;
    };
    state.banner = Some(Banner::new(
        Role::Warning,
        "Discard the draft?",
        format!(
            "The draft of case {} saved {} will be deleted and cannot be recovered. \
             y discards it; any other key keeps it.",
            view.id,
            sanitize_line(&d.saved)
        ),
    ));
    state.confirm_discard = Some(view.case_id.clone());
}

/// The key after `x`: `y` discards the draft, anything else keeps it. `None` when no
/// confirmation is pending.
pub(super) fn confirm_key(state: &mut State, k: &KeyEvent) -> Option<Step> {
    let case = state.confirm_discard.take()?;
    state.banner = None;
    let view = state.case.as_mut().filter(|v| v.case_id == case);
    match (k.code, view) {
        (KeyCode::Char('y' | 'Y'), Some(view)) => {
            view.draft = None;
            state.form = None;
            state.drafts.remove(&case);
            state.banner = Some(Banner::new(
                Role::Ok,
                "Draft discarded",
                format!("the saved draft of case {} is discarded", view.id),
            ));
            rebuild_rows(state);
            Some(Step::effect(Effect::RemoveDraft(case)))
        }
        _ => {
            state.message = Some((Role::Muted, "the draft is kept".into()));
            Some(Step::changed())
        }
    }
}

/// Leaving a case (q, Esc) that has a draft: where it is kept and how to resume it.
pub(super) fn left_with_draft(state: &mut State) {
    let Some(view) = state.case.as_ref().filter(|v| v.draft.is_some()) else {
        return;
    };
    let resume = state
        .keymap
        .first_key(state.screen.context(), Action::Decide);
    let at = if state.drafts_dir.is_empty() {
        String::new()
    } else {
        // The file name is the case id (drafts::file_name), which the id column shows.
        format!(", kept in {}/{}.yaml", state.drafts_dir, view.id)
    };
    // The instruction first: at 80 columns the path is what gets cut (with `…`).
    state.message = Some((
        Role::Ok,
        format!("{resume} on case {} resumes its draft{at}", view.id),
    ));
}

/// Asks for the form to be saved if it has unsaved edits; the open case then knows it
/// has a draft on disk (so `x` can discard it).
pub(super) fn save_if_dirty(state: &mut State) -> Vec<Effect> {
    match state.form.as_mut() {
        Some(f) if f.dirty => {
            f.dirty = false;
            let d = f.to_draft();
            state.drafts.insert(d.case.clone());
            // Its `D` mark in the queue at once, not at the next start.
            if let Some(set) = state.set.as_ref() {
                for r in state.rows.iter_mut() {
                    if set.cases.get(r.index).is_some_and(|c| c.case.id == d.case) {
                        r.draft = true;
                    }
                }
            }
            if let Some(view) = state.case.as_mut() {
                view.draft = Some(d.clone());
            }
            vec![Effect::SaveDraft(d)]
        }
        _ => Vec::new(),
    }
}
