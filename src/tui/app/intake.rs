//! What the intake (`N`) and `e` do across screens: opening the intake screen over the
//! queue, its keys and asks, the case written (the queue read again, the new case
//! selected), and an edit's outcome (a box; the case files read again when the file
//! was replaced).

use ratatui::crossterm::event::KeyEvent;

use super::drafts::save_if_dirty;
use super::msg::{EditOutcome, EditReport};
use super::state::{Screen, State, ctx};
use crate::case::intake::Intake;
use crate::text::sanitize_line;
use crate::tui::effect::Effect;
use crate::tui::keymap::Action;
use crate::tui::screens::intake::{self, IntakeScreen, Written};
use crate::tui::step::{Banner, Step};
use crate::tui::theme::Role;

/// `N` in the queue: the loop starts an intake (settings, the clock) and answers with
/// `Msg::IntakeBegun`. Whoever may run `casebench new` may press `N`: it asks for no
/// signer and no role.
pub(super) fn begin(state: &mut State) -> Step {
    if let Some(refused) = refuse_in_a_mirror(state) {
        return refused;
    }
    if state.intake.is_some() {
        state.screen = Screen::Intake;
        return Step::changed();
    }
    Step::effect(Effect::BeginIntake)
}

/// The workbench opened on the office's mirror of the sites (`audit --sites DIR --tui`):
/// its directory holds copies of other sites' logs, never a clinic's case files, so no
/// case is opened or edited there.
fn refuse_in_a_mirror(state: &mut State) -> Option<Step> {
    let mirror = state.audit.as_ref().and_then(|a| a.sites.as_ref())?;
    state.message = Some((
        Role::Warning,
        format!(
            "{} is the office's mirror of the sites: cases are opened and edited at their own site",
            sanitize_line(&mirror.display().to_string())
        ),
    ));
    Some(Step::changed())
}

/// The intake started: its screen at the first question.
pub(super) fn begun(state: &mut State, result: Result<Box<Intake>, String>) -> Step {
    match result {
        Ok(intake) => {
            state.intake = Some(IntakeScreen::new(*intake));
            state.screen = Screen::Intake;
            state.message = None;
            // The box of an earlier case opened is done with: Enter is the answer's now.
            state.banner = None;
        }
        Err(e) => {
            state.message = Some((
                Role::Error,
                format!("cannot start an intake: {}", sanitize_line(&e)),
            ))
        }
    }
    Step::changed()
}

/// A key on the intake screen: help (when it is a key that types nothing there), else
/// the screen's own keys.
pub(super) fn key(state: &mut State, k: KeyEvent) -> Step {
    let Some(v) = state.intake.as_mut() else {
        state.screen = Screen::Queue;
        return Step::changed();
    };
    if v.confirm_leave.is_none() && state.keymap.action(v.context(), &k) == Some(Action::Help) {
        state.help = true;
        state.help_scroll = Default::default();
        return Step::changed();
    }
    let step = intake::update::key(v, &mut ctx!(state), k);
    asked(state, step)
}

/// Pasted text on the intake screen.
pub(super) fn paste(state: &mut State, text: &str) -> Step {
    match state.intake.as_mut() {
        Some(v) => {
            let step = intake::update::paste(v, text);
            asked(state, step)
        }
        None => Step::unchanged(),
    }
}

/// Ctrl-C with the intake on screen: asked first when anything was answered. `None`:
/// the intake is not on screen (Ctrl-C quits as everywhere).
pub(super) fn ctrl_c(state: &mut State) -> Option<Step> {
    if state.screen != Screen::Intake {
        return None;
    }
    let v = state.intake.as_mut()?;
    let step = intake::update::quit(v, &mut ctx!(state));
    Some(asked(state, step))
}

/// The workbench leaves with the intake open (a hang-up): its answers are kept, if any.
pub(super) fn keep_on_leaving(state: &mut State) -> Option<Effect> {
    let v = state.intake.take()?;
    v.has_answers()
        .then(|| Effect::KeepIntake(Box::new(v.intake)))
}

/// What the intake screen asked for.
fn asked(state: &mut State, step: Step<intake::Ask>) -> Step {
    let (step, ask) = step.take_ask();
    let Some(ask) = ask else {
        return step;
    };
    step.then(match ask {
        intake::Ask::Write => match state.intake.as_ref() {
            Some(v) => {
                state.banner = Some(Banner::new(
                    Role::Muted,
                    "Writing",
                    "writing the case file under the next free id …",
                ));
                Step::effect(Effect::WriteCase(Box::new(v.intake.clone())))
            }
            None => Step::unchanged(),
        },
        intake::Ask::Leave => {
            state.intake = None;
            state.screen = Screen::Queue;
            Step::changed()
        }
        intake::Ask::Quit => {
            state.intake = None;
            state.quit = true;
            let mut fx = save_if_dirty(state);
            fx.push(Effect::Quit);
            Step::effects(fx)
        }
    })
}

/// The case file written (the queue reads the files again and selects it), or why not
/// (the summary stays, with the problems above it).
pub(super) fn written(state: &mut State, result: Result<Written, Vec<String>>) -> Step {
    match result {
        Ok(w) => {
            let assigned = state
                .intake
                .as_ref()
                .and_then(|v| v.intake.text("evaluation.assigned_to").map(sanitize_line))
                .unwrap_or_default();
            let id = sanitize_line(&w.id);
            let mut text = format!(
                "{id} written to {}: waiting on clinician {assigned}. The evaluation of harm, consultations and documents are added later: e on it (casebench edit {id}).",
                sanitize_line(&w.path)
            );
            if let Some(warning) = &w.warning {
                text.push_str(&format!("\n{}", sanitize_line(warning)));
            }
            state.banner = Some(Banner::new(Role::Ok, "Case opened", text));
            state.intake = None;
            state.screen = Screen::Queue;
            state.reloading = true;
            state.reload_select = Some(w.id);
            Step::effect(Effect::LoadCases)
        }
        Err(lines) => {
            let lines: Vec<String> = lines.iter().map(|l| sanitize_line(l)).collect();
            state.banner = Some(Banner::new(
                Role::Error,
                "Not written",
                lines.last().cloned().unwrap_or_default(),
            ));
            if let Some(v) = state.intake.as_mut() {
                v.problems = lines;
                v.summary_scroll = Default::default();
            }
            Step::changed()
        }
    }
}

/// `e` on a case (the queue's selection, or the case on screen): the loop hands the
/// terminal to the editor and answers with `Msg::CaseEdited`.
pub(super) fn edit(state: &mut State, id: Option<String>) -> Step {
    if let Some(refused) = refuse_in_a_mirror(state) {
        return refused;
    }
    match id {
        Some(id) => Step::effect(Effect::EditCase(id)),
        None => {
            state.message = Some((Role::Muted, "no case selected to edit".into()));
            Step::changed()
        }
    }
}

/// What became of `e`: said in a box. A replaced file is read again (with the others);
/// a case view open on it goes back to the queue, where the case is selected, so that it
/// is opened afresh.
pub(super) fn edited(state: &mut State, id: String, report: EditReport) -> Step {
    let (role, title) = match report.outcome {
        EditOutcome::Replaced => (Role::Ok, "Case file saved"),
        EditOutcome::Unchanged => (Role::Muted, "No change"),
        EditOutcome::Invalid => (Role::Error, "Not saved: the copy has problems"),
        EditOutcome::NotSaved => (Role::Error, "Not saved"),
        EditOutcome::Refused => (Role::Warning, "Not edited"),
    };
    let text: Vec<String> = report.lines.iter().map(|l| sanitize_line(l)).collect();
    state.banner = Some(Banner::new(role, title, text.join("\n")));
    if report.outcome != EditOutcome::Replaced {
        return Step::changed();
    }
    let mut fx = Vec::new();
    if state.screen == Screen::Case && state.case.as_ref().is_some_and(|v| v.case_id == id) {
        fx = save_if_dirty(state);
        state.screen = Screen::Queue;
        state.case = None;
        state.form = None;
    }
    state.reloading = true;
    state.reload_select = Some(id);
    fx.push(Effect::LoadCases);
    Step::effects(fx)
}
