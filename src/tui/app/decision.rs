//! The decision's way through the screens: the form opened on a case (a saved draft
//! resumed), previewed after each change, signed; the outcome back on the case and the
//! queue; a practice record's comparison; the advisor hidden in practice.

use super::rows::{case_decided, rebuild_rows};
use super::state::{Screen, State};
use crate::text::sanitize_line;
use crate::tui::effect::Effect;
use crate::tui::keymap::{Action, Context};
use crate::tui::screens::form::preview::PreviewView;
use crate::tui::screens::form::{self, Form};
use crate::tui::screens::{case, practice};
use crate::tui::step::{Banner, Step};
use crate::tui::theme::Role;

/// `d` on a case: the form (resuming the saved draft), with its preview at once.
pub(super) fn decide(state: &mut State) -> Step {
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
pub(super) fn edited(state: &State) -> Step {
    let mut fx = vec![Effect::DraftEdited];
    fx.extend(preview_effect(state));
    Step::effects(fx)
}

/// Enter on `[ Sign ]`: the draft is signed by the loop; until it answers, a box says so
/// (it is drawn before the loop leaves the screen for a passphrase).
pub(super) fn sign(state: &mut State) -> Step {
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
pub(super) fn signed(state: &mut State, result: Result<String, String>) -> Step {
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
pub(super) fn preview_arrived(state: &mut State, case: &str, view: PreviewView) -> Step {
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

/// What the form shows from outside itself: the case, the advisor's answer, a
/// trainee's note above the preview, and who signs (the key found for the preview, once
/// known; else the options as given).
pub(super) fn outside_of<'a>(
    case: Option<&'a case::CaseView>,
    form: Option<&Form>,
    practice: &practice::Practice,
    set: Option<&crate::rules::CaseSet>,
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

/// The signed practice record's feedback arrived: the comparison screen (or why there
/// is none).
pub(super) fn feedback(state: &mut State, result: Result<Box<crate::practice::Feedback>, String>) {
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
pub(super) fn filter_effects(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
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
