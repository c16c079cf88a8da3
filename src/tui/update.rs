//! The one state machine: `update(state, msg) -> effects`. Pure: no I/O, no clock, no
//! terminal; the event loop carries out the effects and feeds results back as messages.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{Effect, Load, Msg, PreviewView, Row, Screen, State, invalid_rows};
use super::form::Form;
use super::keymap::Action;
use super::theme::Role;
use crate::case::Status;
use crate::case::queue::entries;
use crate::text::sanitize_line;

mod decision_form;
mod drafts;
mod queue_filter;
mod queue_keys;
mod reload;
use decision_form::{edited, form_action, form_edit, signed};
use queue_filter::keep_selection_visible;
pub use queue_filter::{match_positions, refilter};
use queue_keys::{filter_key, queue_action};
use reload::{case_decided, reloaded};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    // A message that changes nothing must not cancel a draw an earlier one asked for.
    let pending_draw = state.needs_draw;
    state.needs_draw = true;
    let effects = handle(state, msg);
    let effects = super::practice::filter_effects(state, effects);
    state.needs_draw |= pending_draw;
    effects
}

fn handle(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(k) if k.kind == KeyEventKind::Release => {
            state.needs_draw = false;
            Vec::new()
        }
        Msg::Key(k) => key(state, k),
        Msg::Paste(text) => paste(state, &text),
        Msg::Resize(w, h) => {
            // The wrapped lines moved: `n` goes on from where the search began.
            if state.size != (w, h)
                && let Some(v) = state.case.as_mut()
            {
                v.search.current = None;
            }
            state.size = (w, h);
            keep_selection_visible(state);
            super::audit::resized(state);
            Vec::new()
        }
        Msg::Progress(done, total) => {
            if matches!(state.load, Load::Loading { .. }) {
                state.load = Load::Loading { done, total };
            }
            Vec::new()
        }
        Msg::Loaded(set) => {
            if state.reloading {
                reloaded(state, *set);
            } else {
                loaded(state, *set);
            }
            loaded_effects()
        }
        Msg::LoadFailed(e) if state.reloading => {
            // The cases already on screen stay; the message says why they were not re-read.
            state.reloading = false;
            state.message = Some((
                Role::Error,
                format!("cannot read the case files again: {}", sanitize_line(&e)),
            ));
            Vec::new()
        }
        Msg::LoadFailed(e) => {
            state.load = Load::Failed(sanitize_line(&e));
            Vec::new()
        }
        Msg::DraftLoaded { case, result } => {
            let Some(view) = state.case.as_mut().filter(|c| c.case_id == case) else {
                state.needs_draw = false;
                return Vec::new();
            };
            match result {
                Ok(Some(d)) => {
                    view.draft = Some(d);
                    drafts::offer(state);
                }
                Ok(None) => state.needs_draw = false,
                Err(e) => {
                    state.message = Some((Role::Error, format!("draft: {}", sanitize_line(&e))))
                }
            }
            Vec::new()
        }
        Msg::DraftSaved(result) => {
            let note = match result {
                // Off the form (left with q or Esc), the message says where it is.
                Ok(path) if state.form.is_none() => {
                    (Role::Ok, format!("draft saved in {}", sanitize_line(&path)))
                }
                Ok(_) => (Role::Muted, "draft saved".to_string()),
                Err(e) => {
                    if let Some(f) = state.form.as_mut() {
                        f.dirty = true;
                    }
                    (
                        Role::Error,
                        format!("draft NOT saved: {}", sanitize_line(&e)),
                    )
                }
            };
            match state.form.as_mut() {
                Some(f) => f.note = Some(note),
                None => state.message = Some(note),
            }
            Vec::new()
        }
        Msg::DraftDue => {
            let fx = save_if_dirty(state);
            if fx.is_empty() {
                state.needs_draw = false;
            }
            fx
        }
        Msg::Signed(result) => signed(state, result),
        Msg::Feedback(result) => {
            super::practice::feedback(state, result);
            Vec::new()
        }
        Msg::Advice { case, view } => {
            match state.case.as_mut().filter(|c| c.case_id == case) {
                Some(v) => {
                    // Findings on the form's decision outlive a fresh recommendation.
                    let keep = v.advisor.as_ref().filter(|a| a.on_proposal).cloned();
                    let mut view = view;
                    if let Some(k) = keep {
                        view.findings = k.findings;
                        view.errors = k.errors;
                        view.warnings = k.warnings;
                        view.on_proposal = true;
                    }
                    v.advisor = Some(view);
                }
                None => state.needs_draw = false,
            }
            Vec::new()
        }
        Msg::Preview { case, view } => {
            preview_arrived(state, &case, view);
            Vec::new()
        }
        Msg::Decided(ids) => {
            state.decided.extend(ids);
            rebuild_rows(state);
            case_decided(state);
            Vec::new()
        }
        Msg::DecidedBy(by) => {
            drafts::decided_by(state, by);
            rebuild_rows(state);
            case_decided(state);
            Vec::new()
        }
        Msg::LogChanged => {
            // Nothing to draw until the index answers (Msg::DecidedBy).
            state.needs_draw = false;
            match state.set {
                Some(_) => vec![Effect::RefreshLog],
                None => Vec::new(),
            }
        }
        Msg::Drafts(Ok(ids)) => {
            state.drafts = ids.into_iter().collect();
            rebuild_rows(state);
            Vec::new()
        }
        Msg::Drafts(Err(e)) => {
            state.message = Some((Role::Error, format!("drafts: {}", sanitize_line(&e))));
            Vec::new()
        }
        Msg::Error(e) => {
            state.message = Some((Role::Error, sanitize_line(&e)));
            Vec::new()
        }
        Msg::Audit(m) => super::audit::message(state, m),
        Msg::Pending(p) => {
            state.countersign.pending = p;
            rebuild_rows(state);
            Vec::new()
        }
        Msg::Log(l) => {
            state.log = match l {
                super::app::LogLoad::Unverified(e) => {
                    super::app::LogLoad::Unverified(sanitize_line(&e))
                }
                l => l,
            };
            Vec::new()
        }
        Msg::Countersigned { case, result } => {
            let ok = result.is_ok();
            super::countersign::signed(state, case, result);
            if ok {
                vec![Effect::RefreshLog]
            } else {
                Vec::new()
            }
        }
        Msg::SignedRecord { which, result } => {
            super::record::arrived(state, which, result);
            Vec::new()
        }
        Msg::Hangup(_) => {
            state.quit = true;
            let mut fx = save_if_dirty(state);
            fx.push(Effect::Quit);
            fx
        }
    }
}

/// Asks for the form to be saved if it has unsaved edits; the open case then knows it
/// has a draft on disk (so `x` can discard it).
fn save_if_dirty(state: &mut State) -> Vec<Effect> {
    match state.form.as_mut() {
        Some(f) if f.dirty => {
            f.dirty = false;
            let d = f.to_draft();
            state.drafts.insert(d.case.clone());
            if let Some(view) = state.case.as_mut() {
                view.draft = Some(d.clone());
            }
            vec![Effect::SaveDraft(d)]
        }
        _ => Vec::new(),
    }
}

fn loaded(state: &mut State, set: crate::case::CaseSet) {
    state.invalid = invalid_rows(&set);
    state.set = Some(Arc::new(set));
    state.load = Load::Ready;
    rebuild_rows(state);
}

/// After the cases are loaded (the queue is usable now): which have a saved draft, then
/// the decision log, read in the background (`Msg::Log` reports its steps).
fn loaded_effects() -> Vec<Effect> {
    vec![Effect::ListDrafts, Effect::RefreshLog]
}

/// The queue rows from the set: status from the deadline, or `decided` / `under_review`
/// from the decision log (`queue::log_status`; those sort last).
pub(super) fn rebuild_rows(state: &mut State) {
    let Some(set) = state.set.as_ref() else {
        return;
    };
    let decided = &state.decided;
    // Pending proposals are found on real cases only (practice::countersign::pending).
    let under_review: std::collections::HashSet<String> = state
        .countersign
        .pending
        .iter()
        .map(|p| p.case_id.clone())
        .collect();
    let status = |id: &str, dl: &crate::case::Deadline| {
        crate::case::queue::log_status(id, dl, decided, &under_review)
    };
    let rows = entries(set, state.today, &status);
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
    refilter(state);
}

fn key(state: &mut State, k: KeyEvent) -> Vec<Effect> {
    // Ctrl-C always leaves (saving the draft), whatever the keymap says.
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        let mut fx = save_if_dirty(state);
        fx.push(Effect::Quit);
        return fx;
    }
    if let Some(fx) = drafts::confirm_key(state, &k) {
        return fx;
    }
    // An outcome message stays until it is closed (or replaced).
    if state.banner.is_some() && matches!(k.code, KeyCode::Esc | KeyCode::Enter) {
        state.banner = None;
        return Vec::new();
    }
    if state.help {
        let a = state.keymap.action(state.context(), &k);
        match a {
            Some(Action::Help | Action::Back | Action::Quit) => state.help = false,
            _ if k.code == KeyCode::Esc => state.help = false,
            Some(a) if super::scroll::is_scroll(a) => {
                let area = super::layout::screen(state.size);
                let w = super::layout::help_width(area).saturating_sub(2) as usize;
                let lines = super::views::help_lines(state);
                let total = super::scroll::wrap(&lines, w).len();
                let height = super::layout::help_box(area, total)
                    .height
                    .saturating_sub(2);
                state.needs_draw = state.help_scroll.act(a, total, height as usize);
            }
            _ => state.needs_draw = false,
        }
        return Vec::new();
    }
    // While a search query is typed every key is text (`C`, `q` included).
    if state.screen == Screen::Case && state.case.as_ref().is_some_and(|v| v.search.typing) {
        super::search::typing_key(state, k);
        return Vec::new();
    }
    if let Some(fx) = super::countersign::key(state, k) {
        return fx;
    }
    match state.screen {
        Screen::Queue if state.queue.filtering => filter_key(state, k),
        Screen::Form if state.form.as_ref().is_some_and(|f| f.picker.is_some()) => {
            if super::picker::key(state, k) {
                return edited(state);
            }
            Vec::new()
        }
        Screen::Form if state.form.as_ref().is_some_and(|f| f.editing) => form_edit(state, k),
        Screen::Audit if super::audit::typing(state) => super::audit::input_key(state, k),
        _ => {
            let Some(action) = state.keymap.action(state.context(), &k) else {
                state.needs_draw = false;
                return Vec::new();
            };
            state.message = None;
            if action == Action::Help {
                state.help = true;
                state.help_scroll = Default::default();
                return Vec::new();
            }
            match state.screen {
                Screen::Queue => queue_action(state, action),
                Screen::Invalid => invalid_action(state, action),
                Screen::Case => case_action(state, action),
                Screen::Form => form_action(state, action),
                Screen::Practice => super::practice::action(state, action),
                Screen::Audit => super::audit::action(state, action),
                Screen::Record => super::record::action(state, action),
            }
        }
    }
}

fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    if super::countersign::paste(state, text) || super::search::paste(state, text) {
        return Vec::new();
    }
    if state.screen == Screen::Queue && state.queue.filtering {
        state
            .queue
            .filter
            .extend(text.chars().filter(|c| !c.is_control()));
        refilter(state);
        return Vec::new();
    }
    if state.screen == Screen::Form && super::picker::paste(state, text) {
        return Vec::new();
    }
    if state.screen == Screen::Form
        && let Some(f) = state.form.as_mut()
        && f.paste(text)
    {
        f.dirty = true;
        return edited(state);
    }
    state.needs_draw = false;
    Vec::new()
}

const STATUS_CYCLE: [Option<Status>; 7] = [
    None,
    Some(Status::Overdue),
    Some(Status::DueSoon),
    Some(Status::Open),
    Some(Status::WaitingOnClinician),
    Some(Status::UnderReview),
    Some(Status::Decided),
];

fn invalid_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Back => state.screen = Screen::Queue,
        a if super::scroll::is_scroll(a) => {
            let lines = super::views::invalid_lines(state);
            let (total, height) = super::layout::measure(&lines, super::layout::page(state.size));
            state.needs_draw = state.invalid_scroll.act(a, total, height);
        }
        _ => state.needs_draw = false,
    }
    Vec::new()
}

fn case_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Search => {
            super::search::start(state);
            return Vec::new();
        }
        Action::NextMatch | Action::PrevMatch => {
            super::search::step(state, action);
            return Vec::new();
        }
        // Esc clears a search before it leaves the case.
        Action::Back if super::search::clear(state) => return Vec::new(),
        _ => {}
    }
    let focus = super::layout::case_focus(state);
    let Some(view) = state.case.as_mut() else {
        state.screen = Screen::Queue;
        return Vec::new();
    };
    let areas = if view.show_advisor { 4 } else { 3 };
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => {
            let Some((wrapped, height)) = focus else {
                return Vec::new();
            };
            let at = match view.panes.get_mut(view.focus) {
                Some(p) => &mut p.scroll,
                None => &mut view.advisor_scroll,
            };
            state.needs_draw = at.act(action, wrapped.len(), height);
        }
        Action::NextPane => view.focus = (view.focus + 1) % areas,
        Action::PrevPane => view.focus = (view.focus + areas - 1) % areas,
        Action::Pane1 => view.focus = 0,
        Action::Pane2 => view.focus = 1,
        Action::Pane3 => view.focus = 2,
        Action::Advisor => {
            view.show_advisor = !view.show_advisor;
            view.focus = if view.show_advisor {
                3
            } else {
                view.focus.min(2)
            };
        }
        Action::DiscardDraft => drafts::ask_discard(state),
        Action::Record => return super::record::open_in_force(state),
        Action::Decide => {
            if state.form.is_none() {
                let Some(lc) = state.set.as_ref().and_then(|s| s.cases.get(view.index)) else {
                    return Vec::new();
                };
                let sha = lc.sha256_hex();
                state.form = Some(match &view.draft {
                    Some(d) => Form::from_draft(&lc.case, &sha, d),
                    None => Form::new(&lc.case, &sha),
                });
            }
            state.screen = Screen::Form;
            // The preview (and a resumed decision's findings) at once.
            return decision_form::preview_effect(state).into_iter().collect();
        }
        Action::Back => {
            let fx = save_if_dirty(state);
            drafts::left_with_draft(state);
            state.screen = Screen::Queue;
            state.case = None;
            state.form = None;
            return fx;
        }
        // Reached only when no proposal awaits this signer (countersign::key takes it
        // otherwise).
        Action::Countersign => {
            let why = if state.practice.trainee {
                "trainees cannot countersign"
            } else {
                "no trainee proposal awaits a countersignature on this case"
            };
            state.message = Some((Role::Muted, why.into()));
        }
        _ => state.needs_draw = false,
    }
    Vec::new()
}

/// The form's preview arrived: it goes to the form (if it is still about that case), and
/// its findings to the advisor panel, which then shows the findings on the decision.
fn preview_arrived(state: &mut State, case: &str, view: PreviewView) {
    let Some(f) = state.form.as_mut().filter(|f| f.case_id == case) else {
        state.needs_draw = false;
        return;
    };
    if let Some(a) = state
        .case
        .as_mut()
        .filter(|c| c.case_id == case)
        .and_then(|c| c.advisor.as_mut())
        .filter(|a| !a.hidden)
        && f.outcome.is_some()
    {
        a.findings = view.findings.clone();
        a.errors = view.errors;
        a.warnings = view.warnings;
        a.on_proposal = true;
    }
    f.preview = Some(view);
}
