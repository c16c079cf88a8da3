//! The one state machine: `update(state, msg) -> effects`. Pure: no I/O, no clock, no
//! terminal; the event loop carries out the effects and feeds results back as messages.
//!
//! The root routes: a key goes to the overlay or screen on top, a worker's answer to the
//! screen it is for, and each screen's update works on its own state with a `Ctx` and
//! hands back a `Step`. What crosses screens is done here: opening a case, its form and
//! the record view; a signature's outcome; the queue's rows from the log's facts.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::reload::{case_decided, reloaded};
use super::{Effect, Load, LogLoad, Msg, Screen, State, ctx, drafts};
use crate::audit::signed::Which;
use crate::case::queue::entries;
use crate::text::sanitize_line;
use crate::tui::keymap::{Action, Context};
use crate::tui::screens::form::preview::PreviewView;
use crate::tui::screens::form::{self, Form};
use crate::tui::screens::queue::filter::{keep_selection_visible, refilter};
use crate::tui::screens::queue::{self, Row};
use crate::tui::screens::record::{self, RecordView};
use crate::tui::screens::{audit, case, countersign, help, invalid, practice};
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
        Msg::SignedRecord { which, result } => match state.record.as_mut() {
            Some(v) => record::arrived(v, which, result),
            None => Step::unchanged(),
        },
        Msg::Hangup(_) => quit(state),
    }
}

/// Leaving the workbench: the form's unsaved edits are saved first.
fn quit(state: &mut State) -> Step {
    state.quit = true;
    let mut fx = save_if_dirty(state);
    fx.push(Effect::Quit);
    Step::effects(fx)
}

/// Asks for the form to be saved if it has unsaved edits; the open case then knows it
/// has a draft on disk (so `x` can discard it).
pub(super) fn save_if_dirty(state: &mut State) -> Vec<Effect> {
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

pub(super) fn loaded(state: &mut State, set: crate::case::CaseSet) {
    state.invalid = invalid::invalid_rows(&set);
    state.set = Some(Arc::new(set));
    state.load = Load::Ready;
    rebuild_rows(state);
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
    refilter(&mut state.queue, &state.rows, queue::page(state.size));
}

fn key(state: &mut State, k: KeyEvent) -> Step {
    // Ctrl-C always leaves (saving the draft), whatever the keymap says.
    if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
        return quit(state);
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
                    let step = form::picker::key(f, k);
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
        Screen::Record => {
            let Some(v) = state.record.as_mut() else {
                state.screen = Screen::Queue;
                return Step::changed();
            };
            let (step, back) = record::action(v, state.size, action).take_ask();
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
        Ask::Decide => decide(state),
        Ask::Back => {
            let fx = save_if_dirty(state);
            drafts::left_with_draft(state);
            state.screen = Screen::Queue;
            state.case = None;
            state.form = None;
            Step::effects(fx)
        }
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

/// What the form shows from outside itself: the case, the advisor's answer, a
/// trainee's note above the preview, and who signs (the key found for the preview, once
/// known; else the options as given).
pub(super) fn outside_of<'a>(
    case: Option<&'a case::CaseView>,
    form: Option<&Form>,
    practice: &practice::Practice,
    set: Option<&crate::case::CaseSet>,
    signer: &str,
) -> form::Outside<'a> {
    let practice_case = case.is_some_and(|v| practice::is_practice_case(set, v.index));
    let who = form
        .and_then(|f| f.preview.as_ref())
        .and_then(|p| p.signer.as_deref())
        .unwrap_or(signer);
    form::Outside {
        id: case.map_or("", |c| c.id.as_str()),
        title: case.map_or("", |c| c.title.as_str()),
        advisor: case.and_then(|c| c.advisor.as_ref()),
        note: practice.preview_note(practice_case),
        sign_label: practice.sign_label(who),
    }
}

fn paste(state: &mut State, text: &str) -> Step {
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

/// The countersign screen's keys while it is open, and the countersign key (`C`) on a
/// case with a pending proposal; `None` lets the key through to the keymap.
fn countersign_key(state: &mut State, k: KeyEvent) -> Option<Step> {
    if state.countersign.open.is_some() {
        return Some(countersign::key(
            &mut state.countersign,
            &mut ctx!(state),
            k,
        ));
    }
    if state.screen != Screen::Case
        || state.keymap.action(state.context(), &k) != Some(Action::Countersign)
    {
        return None;
    }
    let Some(p) = pending_for_case(state).cloned() else {
        // While the log is read, a proposal may be there but is not offered yet.
        if matches!(state.log, LogLoad::Reading | LogLoad::Verifying { .. })
            && !state.practice.trainee
        {
            state.message = Some((
                Role::Warning,
                "the decision log is being verified: proposals are offered once verified".into(),
            ));
            return Some(Step::changed());
        }
        return None;
    };
    state.message = None;
    state.countersign.open(p);
    Some(Step::changed())
}

/// The oldest pending proposal on the open case, if this signer may countersign it.
pub fn pending_for_case(state: &State) -> Option<&countersign::PendingView> {
    if state.practice.trainee || state.screen != Screen::Case {
        return None;
    }
    let id = &state.case.as_ref()?.case_id;
    if state.decided.contains(id) {
        return None;
    }
    state.countersign.for_case(id)
}

fn open_case(state: &mut State) -> Step {
    let (Some(row), Some(set)) = (state.selected_row(), state.set.as_ref()) else {
        return Step::unchanged();
    };
    let Some(lc) = set.cases.get(row.index) else {
        return Step::changed();
    };
    let row_index = row.index;
    let view = case::content::case_view(row_index, &lc.case, &set.rules, state.today);
    let id = lc.case.id.clone();
    state.case = Some(view);
    state.form = None;
    state.screen = Screen::Case;
    case_decided(state);
    Step::effects(vec![
        Effect::LoadDraft(id),
        Effect::Advise { index: row_index },
    ])
}

/// `d` on a case: the form (resuming the saved draft), with its preview at once.
fn decide(state: &mut State) -> Step {
    let Some(view) = state.case.as_ref() else {
        return Step::changed();
    };
    if state.form.is_none() {
        let Some(lc) = state.set.as_ref().and_then(|s| s.cases.get(view.index)) else {
            return Step::changed();
        };
        let sha = lc.sha256_hex();
        state.form = Some(match &view.draft {
            Some(d) => Form::from_draft(&lc.case, &sha, d),
            None => Form::new(&lc.case, &sha),
        });
    }
    state.screen = Screen::Form;
    // The preview (and a resumed decision's findings) at once.
    Step::effects(preview_effect(state).into_iter().collect())
}

/// The preview of the form's decision as it now stands: the record's text and the
/// findings on it, computed by the event loop with the functions signing uses.
fn preview_effect(state: &State) -> Option<Effect> {
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
fn edited(state: &State) -> Step {
    let mut fx = vec![Effect::DraftEdited];
    fx.extend(preview_effect(state));
    Step::effects(fx)
}

/// Enter on `[ Sign ]`: the draft is signed by the loop; until it answers, a box says so
/// (it is drawn before the loop leaves the screen for a passphrase).
fn sign(state: &mut State) -> Step {
    let Some(f) = state.form.as_ref() else {
        return Step::changed();
    };
    let id = state.case.as_ref().map_or(String::new(), |c| c.id.clone());
    let draft = f.to_draft();
    state.banner = Some(Banner::new(
        Role::Muted,
        "Signing",
        format!("signing the decision on {id} …"),
    ));
    Step::effect(Effect::Sign(draft))
}

/// The outcome of signing the form: the case decided (for a supervisor), the draft
/// removed, the box saying what was recorded; or why not, with the draft kept.
fn signed(state: &mut State, result: Result<String, String>) -> Step {
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
            case_decided(state);
            let mut text = sanitize_line(&what);
            // The record just written, as signed and verified, is one key away.
            if !state.practice.trainee {
                let v = state.keymap.first_key(Context::Case, Action::Record);
                text.push_str(&format!(
                    ". {v} shows the signed record: its bytes, verification and notice"
                ));
            }
            state.banner = Some(Banner::new(Role::Ok, "Signed", text));
            // A trainee's proposal puts the case under review; the log says so.
            let mut fx: Vec<Effect> = id.map(Effect::RemoveDraft).into_iter().collect();
            fx.push(Effect::RefreshLog);
            Step::effects(fx)
        }
        Err(e) => {
            state.banner = Some(Banner::new(
                Role::Error,
                "Not signed (the draft is kept)",
                sanitize_line(&e),
            ));
            Step::changed()
        }
    }
}

/// The form's preview arrived: it goes to the form (if it is still about that case), and
/// its findings to the advisor panel, which then shows the findings on the decision.
fn preview_arrived(state: &mut State, case: &str, view: PreviewView) -> Step {
    let Some(f) = state.form.as_mut().filter(|f| f.case_id == case) else {
        return Step::unchanged();
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
    Step::changed()
}

/// Opens the record view on `which`; the worker reads and verifies it. Esc goes back to
/// the screen it was opened from.
fn open_record(state: &mut State, which: Which) -> Step {
    state.record = Some(RecordView::reading(which.clone()));
    state.record_from = state.screen;
    state.screen = Screen::Record;
    Step::effect(Effect::ShowRecord(which))
}

/// `v` on a case: the record in force, once the case is decided.
fn open_in_force(state: &mut State) -> Step {
    let Some(id) = state.case.as_ref().map(|v| v.case_id.clone()) else {
        return Step::changed();
    };
    if !state.decided.contains(&id) {
        state.message = Some((
            Role::Muted,
            "no signed decision on this case yet: the record view opens once it is decided".into(),
        ));
        return Step::changed();
    }
    open_record(state, Which::InForce(id))
}

/// The signed practice record's feedback arrived: the comparison screen (or why there
/// is none).
fn feedback(state: &mut State, result: Result<Box<crate::practice::Feedback>, String>) {
    match result {
        Ok(f) => {
            state.practice.comparison = Some(practice::comparison_view(&f));
            state.screen = Screen::Practice;
        }
        Err(e) => {
            state.message = Some((
                Role::Error,
                format!(
                    "practice record signed, but not scored: {}",
                    sanitize_line(&e)
                ),
            ));
        }
    }
}

/// Drops the advisor's work on a case whose advisor is hidden, leaving a note in the
/// panel instead (no recommendation and no findings: on most practice cases the
/// recommendation is the reference itself).
fn filter_effects(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    let mut out = Vec::with_capacity(effects.len());
    for e in effects {
        let set = state.set.as_deref();
        match e {
            Effect::Advise { index } if state.practice.hides_advisor(set, index) => {
                if let Some(v) = state.case.as_mut().filter(|v| v.index == index) {
                    v.advisor = Some(practice::hidden_view());
                }
            }
            // The preview of the record is shown; the findings on it are not.
            Effect::Preview {
                index,
                draft,
                kind,
                findings: true,
            } if state.practice.hides_advisor(set, index) => out.push(Effect::Preview {
                index,
                draft,
                kind,
                findings: false,
            }),
            e => out.push(e),
        }
    }
    out
}

/// Opens the audit screen on the `--sites` mirror `dir` (the workbench opened with
/// `audit --sites DIR --tui`).
pub fn open_sites(state: &mut State, dir: std::path::PathBuf) -> Vec<Effect> {
    let (view, step) = audit::sites::opened(&mut ctx!(state), dir);
    state.audit = Some(view);
    state.screen = Screen::Audit;
    step.effects
}

/// What the event loop runs at start besides loading cases: the mirror's report, when
/// the workbench was opened on one.
pub fn startup(state: &State) -> Option<Effect> {
    audit::sites::startup(state.audit.as_ref())
}
