//! The one state machine: `update(state, msg) -> effects`. Pure: no I/O, no clock, no
//! terminal; the event loop carries out the effects and feeds results back as messages.
//!
//! The root routes: a key goes to the overlay or screen on top, a worker's answer to the
//! screen it is for, and each screen's update works on its own state with a `Ctx` and
//! hands back a `Step`. What crosses screens is done here: opening a case, its form and
//! the record view; a signature's outcome; the queue's rows from the log's facts.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::decision::{
    decide, edited, feedback, filter_effects, outside_of, preview_arrived, sign, signed,
};
use super::drafts;
use super::drafts::save_if_dirty;
use super::intake;
use super::msg::Msg;
use super::navigate::{countersign_key, open_case, open_in_force, open_record};
use super::reload::reloaded;
use super::rows::{case_decided, loaded, rebuild_rows};
use super::state::{Screen, State, ctx};
use crate::audit::signed::Which;
use crate::text::sanitize_line;
use crate::tui::effect::Effect;
use crate::tui::keymap::Action;
use crate::tui::screens::form;
use crate::tui::screens::queue;
use crate::tui::screens::queue::filter::keep_selection_visible;
use crate::tui::screens::queue::{Load, LogLoad};
use crate::tui::screens::{audit, case, countersign, help, invalid, practice, record};
use crate::tui::step::{Banner, Step};
use crate::tui::theme::Role;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let step = handle(state, msg);
    let effects = filter_effects(state, step.effects);
    // A message that changes nothing must not cancel a draw an earlier one asked for.
    state.needs_draw |= step.changed;
    effects
}

/// A step with effects that change nothing on screen (yet).
fn quiet(effects: Vec<Effect>) -> Step {
    Step {
        effects,
        ..Step::unchanged()
    }
}

fn handle(state: &mut State, msg: Msg) -> Step {
    match msg {
        Msg::Key(k) if k.kind == KeyEventKind::Release => Step::unchanged(),
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
            keep_selection_visible(&mut state.queue, queue::page(state.size));
            if let Some(v) = state.audit.as_mut() {
                audit::filter::resized(v, state.size);
            }
            Step::changed()
        }
        Msg::Progress(done, total) => {
            if matches!(state.load, Load::Loading { .. }) {
                state.load = Load::Loading { done, total };
            }
            Step::changed()
        }
        Msg::Loaded(set) => {
            if state.reloading {
                reloaded(state, *set);
            } else {
                loaded(state, *set);
            }
            // The queue is usable now: which cases have a saved draft, then the decision
            // log, read in the background (`Msg::Log` reports its steps).
            Step::effects(vec![Effect::ListDrafts, Effect::RefreshLog])
        }
        Msg::LoadFailed(e) if state.reloading => {
            // The cases already on screen stay; the message says why they were not re-read.
            state.reloading = false;
            state.message = Some((
                Role::Error,
                format!("cannot read the case files again: {}", sanitize_line(&e)),
            ));
            Step::changed()
        }
        Msg::LoadFailed(e) => {
            state.load = Load::Failed(sanitize_line(&e));
            Step::changed()
        }
        Msg::DraftLoaded { case, result } => {
            let Some(view) = state.case.as_mut().filter(|c| c.case_id == case) else {
                return Step::unchanged();
            };
            match result {
                Ok(Some(d)) => {
                    view.draft = Some(d);
                    drafts::offer(state);
                }
                Ok(None) => return Step::unchanged(),
                Err(e) => {
                    state.message = Some((Role::Error, format!("draft: {}", sanitize_line(&e))))
                }
            }
            Step::changed()
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
            Step::changed()
        }
        Msg::DraftDue => {
            let fx = save_if_dirty(state);
            if fx.is_empty() {
                Step::unchanged()
            } else {
                Step::effects(fx)
            }
        }
        Msg::Signed(result) => signed(state, result),
        Msg::Feedback(result) => {
            feedback(state, result);
            Step::changed()
        }
        Msg::Advice { case, view } => {
            let Some(v) = state.case.as_mut().filter(|c| c.case_id == case) else {
                return Step::unchanged();
            };
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
            Step::changed()
        }
        Msg::Preview { case, view } => preview_arrived(state, &case, view),
        Msg::Decided(ids) => {
            state.decided.extend(ids);
            rebuild_rows(state);
            case_decided(state);
            Step::changed()
        }
        Msg::DecidedBy(by) => {
            drafts::decided_by(state, by);
            rebuild_rows(state);
            case_decided(state);
            Step::changed()
        }
        Msg::LogRefused(e) => {
            // No status the log no longer supports: the queue falls back to deadlines.
            state.decided.clear();
            state.decided_by.clear();
            state.decided_by_facts.clear();
            state.countersign.pending.clear();
            state.banner = Some(Banner::new(
                Role::Error,
                "Decision log refused",
                sanitize_line(&e),
            ));
            rebuild_rows(state);
            Step::changed()
        }
        Msg::LogRewound(what) => {
            // The statuses follow from the restored log (`DecidedBy` comes next).
            state.decided.clear();
            state.decided_by.clear();
            state.decided_by_facts.clear();
            rebuild_rows(state);
            state.banner = Some(Banner::new(
                Role::Warning,
                "Decision log restored",
                sanitize_line(&what),
            ));
            Step::changed()
        }
        // Nothing to draw until the index answers (Msg::DecidedBy).
        Msg::LogChanged => match state.set {
            Some(_) => quiet(vec![Effect::RefreshLog]),
            None => Step::unchanged(),
        },
        Msg::Drafts(Ok(ids)) => {
            state.drafts = ids.into_iter().collect();
            rebuild_rows(state);
            Step::changed()
        }
        Msg::Drafts(Err(e)) => {
            state.message = Some((Role::Error, format!("drafts: {}", sanitize_line(&e))));
            Step::changed()
        }
        Msg::Error(e) => {
            state.message = Some((Role::Error, sanitize_line(&e)));
            Step::changed()
        }
        Msg::Audit(m) => match state.audit.as_mut() {
            Some(view) => audit::update::message(view, &mut ctx!(state), m),
            None => Step::unchanged(),
        },
        Msg::Pending(p) => {
            state.countersign.pending = p;
            rebuild_rows(state);
            Step::changed()
        }
        Msg::Log(l) => {
            state.log = match l {
                LogLoad::Unverified(e) => LogLoad::Unverified(sanitize_line(&e)),
                l => l,
            };
            Step::changed()
        }
        Msg::Countersigned { case, result } => {
            let ok = result.is_ok();
            countersign::signed(&mut state.countersign, &mut ctx!(state), &case, result);
            if !ok {
                return Step::changed();
            }
            state.decided.insert(case);
            rebuild_rows(state);
            Step::effect(Effect::RefreshLog)
        }
        Msg::Provided { case: _, result } => {
            let ok = result.is_ok();
            crate::tui::screens::provide::signed(&mut state.provide, &mut ctx!(state), result);
            if !ok {
                return Step::changed();
            }
            Step::effect(Effect::RefreshLog)
        }
        Msg::SignedRecord { which, result } => match state.record.as_mut() {
            Some(v) => record::arrived(v, which, result),
            None => Step::unchanged(),
        },
        Msg::LetterWritten(result) => record::letter_written(&mut ctx!(state), result),
        Msg::IntakeBegun(result) => intake::begun(state, result),
        Msg::IntakeWritten(result) => intake::written(state, result),
        Msg::CaseEdited { id, report } => intake::edited(state, id, report),
        Msg::Hangup(_) => quit(state),
    }
}

/// Leaving the workbench: the form's unsaved edits are saved first, and an unfinished
/// intake's answers are kept (only a hang-up leaves one: Ctrl-C asks first).
fn quit(state: &mut State) -> Step {
    state.quit = true;
    let mut fx = save_if_dirty(state);
    fx.extend(intake::keep_on_leaving(state));
    fx.push(Effect::Quit);
    Step::effects(fx)
}

fn key(state: &mut State, k: KeyEvent) -> Step {
    // Ctrl-C always leaves (saving the draft), whatever the keymap says.
    // On the intake screen it asks first: its answers are not saved anywhere yet.
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return intake::ctrl_c(state).unwrap_or_else(|| quit(state));
    }
    if let Some(step) = drafts::confirm_key(state, &k) {
        return step;
    }
    // An outcome message stays until it is closed (or replaced).
    if state.banner.is_some() && matches!(k.code, KeyCode::Esc | KeyCode::Enter) {
        state.banner = None;
        return Step::changed();
    }
    if state.help {
        let ctx = state.context();
        let (step, close) =
            help::key(&mut state.help_scroll, &state.keymap, ctx, state.size, &k).take_ask();
        if close.is_some() {
            state.help = false;
            return Step::changed();
        }
        return step;
    }
    // While a search query is typed every key is text (`C`, `q` included).
    if state.screen == Screen::Case
        && let Some(v) = state.case.as_mut().filter(|v| v.search.typing)
    {
        return case::search::typing_key(v, &mut ctx!(state), k);
    }
    if state.provide.is_some() {
        return crate::tui::screens::provide::key(&mut state.provide, &mut ctx!(state), k);
    }
    if let Some(step) = countersign_key(state, k) {
        return step;
    }
    match state.screen {
        Screen::Queue if state.queue.filtering => {
            let step =
                queue::update::filter_key(&mut state.queue, &state.rows, &mut ctx!(state), k);
            queue_asked(state, step)
        }
        Screen::Form if state.form.as_ref().is_some_and(|f| f.picker.is_some()) => {
            match state.form.as_mut() {
                Some(f) => {
                    let step = form::pick::key(f, k);
                    form_asked(state, step)
                }
                None => Step::unchanged(),
            }
        }
        Screen::Form if state.form.as_ref().is_some_and(|f| f.editing) => {
            match state.form.as_mut() {
                Some(f) => {
                    let step = form::update::edit_key(f, k);
                    form_asked(state, step)
                }
                None => Step::unchanged(),
            }
        }
        // Every printable key is the answer's text there.
        Screen::Intake => intake::key(state, k),
        Screen::Audit if state.audit.as_ref().is_some_and(audit::input::typing) => {
            match state.audit.as_mut() {
                Some(v) => audit::input::input_key(v, &mut ctx!(state), k),
                None => Step::unchanged(),
            }
        }
        _ => {
            let Some(action) = state.keymap.action(state.context(), &k) else {
                return Step::unchanged();
            };
            state.message = None;
            if action == Action::Help {
                state.help = true;
                state.help_scroll = Default::default();
                return Step::changed();
            }
            screen_action(state, action)
        }
    }
}

/// A key's action on the screen on top.
fn screen_action(state: &mut State, action: Action) -> Step {
    match state.screen {
        Screen::Queue => {
            let step =
                queue::update::action(&mut state.queue, &state.rows, &mut ctx!(state), action);
            queue_asked(state, step)
        }
        Screen::Invalid => {
            let step = invalid::action(
                &mut state.invalid_scroll,
                &state.invalid,
                state.size,
                action,
            );
            let (step, back) = step.take_ask();
            if back.is_some() {
                state.screen = Screen::Queue;
                return Step::changed();
            }
            step
        }
        Screen::Case => {
            let Some(v) = state.case.as_mut() else {
                state.screen = Screen::Queue;
                return Step::changed();
            };
            let (step, ask) = case::update::action(v, &mut ctx!(state), action).take_ask();
            match ask {
                None => step,
                Some(ask) => step.then(case_asked(state, ask)),
            }
        }
        Screen::Form => {
            let Some(f) = state.form.as_mut() else {
                state.screen = Screen::Case;
                return Step::changed();
            };
            let outside = outside_of(
                state.case.as_ref(),
                None,
                &state.practice,
                state.set.as_deref(),
                &state.signer,
            );
            let step = form::update::action(f, &mut ctx!(state), &outside, action);
            form_asked(state, step)
        }
        Screen::Practice => {
            let Some(c) = state.practice.comparison.as_mut() else {
                state.screen = Screen::Queue;
                return Step::changed();
            };
            let (step, back) = practice::action(c, state.size, action).take_ask();
            if back.is_some() {
                state.practice.comparison = None;
                state.screen = Screen::Queue;
                state.case = None;
                state.form = None;
                return Step::changed();
            }
            step
        }
        Screen::Audit => {
            let Some(v) = state.audit.as_mut() else {
                state.screen = Screen::Queue;
                return Step::changed();
            };
            let (step, ask) = audit::update::action(v, &mut ctx!(state), action).take_ask();
            match ask {
                None => step,
                // The same record view as a decided case's `v` (Esc comes back here).
                Some(audit::Ask::Record(seq)) => step.then(open_record(state, Which::Seq(seq))),
                Some(audit::Ask::Back) => {
                    state.screen = Screen::Queue;
                    state.audit = None;
                    Step::changed()
                }
            }
        }
        // Its keys are routed before the keymap (`intake::key`).
        Screen::Intake => Step::unchanged(),
        Screen::Record => {
            let Some(v) = state.record.as_mut() else {
                state.screen = Screen::Queue;
                return Step::changed();
            };
            let (step, back) = record::action(v, &mut ctx!(state), action).take_ask();
            if back.is_some() {
                state.screen = state.record_from;
                state.record = None;
                return Step::changed();
            }
            step
        }
    }
}

/// What the queue asked for.
fn queue_asked(state: &mut State, step: Step<queue::update::Ask>) -> Step {
    use queue::update::Ask;
    let (step, ask) = step.take_ask();
    let Some(ask) = ask else {
        return step;
    };
    step.then(match ask {
        Ask::Open => open_case(state),
        Ask::Audit => {
            let (view, step) = audit::update::opened(&mut ctx!(state));
            state.audit = Some(view);
            state.screen = Screen::Audit;
            step
        }
        Ask::Reload => {
            state.reloading = true;
            state.message = Some((Role::Muted, "reading the case files again...".into()));
            Step::effect(Effect::LoadCases)
        }
        Ask::ShowInvalid => {
            if state.invalid.is_empty() {
                state.message = Some((Role::Ok, "every case file is valid".into()));
            } else {
                state.screen = Screen::Invalid;
                state.invalid_scroll = Default::default();
            }
            Step::changed()
        }
        Ask::Quit => {
            state.quit = true;
            Step::effect(Effect::Quit)
        }
        Ask::NewCase => intake::begin(state),
        Ask::Edit => {
            let id = state
                .selected_row()
                .and_then(|r| state.set.as_ref()?.cases.get(r.index))
                .map(|c| c.case.id.clone());
            intake::edit(state, id)
        }
    })
}

/// What the case view asked for.
fn case_asked(state: &mut State, ask: case::update::Ask) -> Step {
    use case::update::Ask;
    match ask {
        Ask::DiscardDraft => {
            drafts::ask_discard(state);
            Step::changed()
        }
        Ask::Record => open_in_force(state),
        Ask::Edit => {
            let id = state.case.as_ref().map(|v| v.case_id.clone());
            intake::edit(state, id)
        }
        Ask::Decide => decide(state),
        Ask::Back => {
            let fx = save_if_dirty(state);
            drafts::left_with_draft(state);
            state.screen = Screen::Queue;
            state.case = None;
            state.form = None;
            Step::effects(fx)
        }
        Ask::Provide => super::navigate::open_provision(state),
        // Reached only when no proposal awaits this signer (`countersign_key` takes it
        // otherwise).
        Ask::Countersign => {
            let why = if state.practice.trainee {
                "trainees cannot countersign"
            } else {
                "no trainee proposal awaits a countersignature on this case"
            };
            state.message = Some((Role::Muted, why.into()));
            Step::changed()
        }
    }
}

/// What the form asked for.
fn form_asked(state: &mut State, step: Step<form::Ask>) -> Step {
    let (step, ask) = step.take_ask();
    let Some(ask) = ask else {
        return step;
    };
    step.then(match ask {
        form::Ask::Edited => edited(state),
        form::Ask::Sign => sign(state),
        form::Ask::Back => {
            state.screen = Screen::Case;
            Step::effects(save_if_dirty(state))
        }
    })
}

fn paste(state: &mut State, text: &str) -> Step {
    if state.screen == Screen::Intake {
        return intake::paste(state, text);
    }
    if crate::tui::screens::provide::paste(&mut state.provide, text) {
        return Step::changed();
    }
    if countersign::paste(&mut state.countersign, text) {
        return Step::changed();
    }
    if state.screen == Screen::Case
        && let Some(v) = state.case.as_mut().filter(|v| v.search.typing)
    {
        case::search::paste(v, &mut ctx!(state), text);
        return Step::changed();
    }
    if state.screen == Screen::Queue && state.queue.filtering {
        return queue::update::paste(&mut state.queue, &state.rows, &ctx!(state), text);
    }
    if state.screen == Screen::Form
        && let Some(f) = state.form.as_mut()
    {
        let step = form::update::paste(f, text);
        return form_asked(state, step);
    }
    Step::unchanged()
}
