//! Opening screens over others: a case from the queue, the record view (from a case or
//! the audit screen, Esc going back), the audit screen on a `--sites` mirror; and the
//! countersign screen on a case with a trainee's proposal.

use ratatui::crossterm::event::KeyEvent;

use super::rows::case_decided;
use super::state::{Screen, State, ctx};
use crate::audit::signed::Which;
use crate::tui::effect::Effect;
use crate::tui::keymap::Action;
use crate::tui::screens::queue::LogLoad;
use crate::tui::screens::record::RecordView;
use crate::tui::screens::{audit, case, countersign};
use crate::tui::step::Step;
use crate::tui::theme::Role;

pub(super) fn open_case(state: &mut State) -> Step {
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

/// Opens the record view on `which`; the worker reads and verifies it. Esc goes back to
/// the screen it was opened from.
pub(super) fn open_record(state: &mut State, which: Which) -> Step {
    state.record = Some(RecordView::reading(which.clone()));
    state.record_from = state.screen;
    state.screen = Screen::Record;
    Step::effect(Effect::ShowRecord(which))
}

/// `v` on a case: the record in force, once the case is decided.
pub(super) fn open_in_force(state: &mut State) -> Step {
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

/// `p` on a case: the provision form, when a decision with something to provide is in
/// force (the log's index says which); otherwise why not.
pub(super) fn open_provision(state: &mut State) -> Step {
    let Some(id) = state.case.as_ref().map(|v| v.case_id.clone()) else {
        return Step::unchanged();
    };
    let Some(by) = state.decided_by_facts.get(&id) else {
        let why = if state.decided.contains(&id) {
            "the decision log is being read again: press p once it shows the decision"
        } else {
            "this case is not decided: there is nothing to provide yet"
        };
        state.message = Some((Role::Muted, why.into()));
        return Step::changed();
    };
    let needs = crate::case::Outcome::parse(&by.outcome).is_some_and(|o| o.needs_provision());
    if !needs {
        state.message = Some((
            Role::Muted,
            format!(
                "decided `{}`: nothing is provided for it",
                crate::text::sanitize_line(&by.outcome)
            ),
        ));
        return Step::changed();
    }
    state.message = None;
    state.provide = Some(crate::tui::screens::provide::ProvisionForm::new(
        &id,
        &by.outcome,
        state.clock.real_day(),
    ));
    Step::changed()
}

/// The countersign screen's keys while it is open, and the countersign key (`C`) on a
/// case with a pending proposal; `None` lets the key through to the keymap.
pub(super) fn countersign_key(state: &mut State, k: KeyEvent) -> Option<Step> {
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
