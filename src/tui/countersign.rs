//! Countersigning from the workbench: a supervisor (a signer who is not a trainee) opens
//! a real case with a trainee's pending proposal, presses `C`, reads the proposal, types
//! a one-line rationale and signs a `countersign` record. The steps are the library's,
//! as in `casebench decide --type countersign --countersigns SEQ`: `countersign::pending`
//! finds the proposals, and `decision::countersign` reads and checks the proposal,
//! builds the record, runs the advisor's gate (which may refuse it) and signs and
//! appends it under the log's lock.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{Banner, Effect, LogLoad, Screen, State};
use super::keymap::Action as KeyAction;
use super::theme::Role;
use crate::case::CaseSet;
use crate::cli::Global;
use crate::decision::DecideError;
use crate::practice::countersign::{self, PendingProposal};
use crate::record::model::Action;
use crate::text::{sanitize, sanitize_line};

/// A pending proposal, sanitised for display (`case_id` is raw, for effects only).
#[derive(Debug, Clone, PartialEq)]
pub struct PendingView {
    pub seq: u64,
    pub case_id: String,
    pub trainee: String,
    pub time: String,
    pub outcome: String,
    pub grounds: String,
    /// One line per item: `id: action (ground)`.
    pub items: Vec<String>,
    pub rationale: String,
}

impl PendingView {
    pub fn from_pending(p: &PendingProposal) -> PendingView {
        PendingView {
            seq: p.seq,
            case_id: p.case.clone(),
            trainee: sanitize_line(&p.trainee),
            time: sanitize_line(&p.time),
            outcome: sanitize_line(&p.outcome),
            grounds: sanitize_line(&p.grounds.join(", ")),
            items: p
                .records
                .iter()
                .map(|r| {
                    let action = match r.action {
                        Action::Release => "release",
                        Action::Withhold => "withhold",
                    };
                    let text = if r.grounds.is_empty() {
                        format!("{}: {action}", r.id)
                    } else {
                        format!("{}: {action} ({})", r.id, r.grounds.join(", "))
                    };
                    sanitize_line(&text)
                })
                .collect(),
            rationale: sanitize(&p.rationale),
        }
    }
}

/// The countersign screen, while open: the proposal and the rationale being typed.
#[derive(Debug, Clone, PartialEq)]
pub struct CountersignView {
    pub proposal: PendingView,
    pub rationale: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Countersign {
    /// Verified, undecided trainee proposals (from the loader).
    pub pending: Vec<PendingView>,
    pub open: Option<CountersignView>,
}

/// The pending proposals of the log of `cases`, from this user's verified memory of it
/// (`state`, brought up to date first); an unreadable or refused log has none.
pub fn load_pending(
    cases: &std::path::Path,
    state: &crate::record::StateDir,
    set: &CaseSet,
) -> Result<Vec<PendingView>, String> {
    let t =
        crate::record::memory::catch_up(cases, state, &mut |_, _| {}).map_err(|e| e.to_string())?;
    Ok(views(cases, set, &t)?.0)
}

/// The pending proposals this user verified (`trusted`), as the workbench shows them,
/// and what was left out (a proposal changed since it was verified).
pub fn views(
    cases: &std::path::Path,
    set: &CaseSet,
    trusted: &crate::record::memory::Trusted,
) -> Result<(Vec<PendingView>, Vec<String>), String> {
    let (pending, changed) = countersign::pending_in(cases, set, &trusted.proposals()?);
    Ok((
        pending.iter().map(PendingView::from_pending).collect(),
        changed,
    ))
}

/// The oldest pending proposal on the open case, if this signer may countersign it.
pub fn for_case(state: &State) -> Option<&PendingView> {
    if state.practice.trainee || state.screen != Screen::Case {
        return None;
    }
    let id = &state.case.as_ref()?.case_id;
    if state.decided.contains(id) {
        return None;
    }
    state.countersign.pending.iter().find(|p| &p.case_id == id)
}

/// Keys for the countersign screen while it is open, and the countersign key (`C`) on a
/// case with a pending proposal; `None` lets the key through to the keymap.
pub fn key(state: &mut State, k: KeyEvent) -> Option<Vec<Effect>> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if let Some(view) = state.countersign.open.as_mut() {
        match k.code {
            KeyCode::Esc => {
                state.countersign.open = None;
                state.message = Some((Role::Muted, "countersign cancelled".into()));
            }
            KeyCode::Enter if view.rationale.trim().is_empty() => {
                state.message = Some((Role::Warning, "type a rationale first".into()));
            }
            KeyCode::Enter => {
                state.banner = Some(Banner::new(
                    Role::Muted,
                    "Signing",
                    format!(
                        "signing the countersignature of proposal {} …",
                        view.proposal.seq
                    ),
                ));
                return Some(vec![Effect::Countersign {
                    case: view.proposal.case_id.clone(),
                    seq: view.proposal.seq,
                    rationale: view.rationale.trim().to_string(),
                }]);
            }
            KeyCode::Backspace => {
                view.rationale.pop();
            }
            KeyCode::Char(c) if !c.is_control() && !ctrl => view.rationale.push(c),
            _ => state.needs_draw = false,
        }
        return Some(Vec::new());
    }
    if state.screen == Screen::Case
        && state.keymap.action(state.context(), &k) == Some(KeyAction::Countersign)
    {
        let Some(p) = for_case(state).cloned() else {
            // While the log is read, a proposal may be there but is not offered yet.
            if matches!(state.log, LogLoad::Reading | LogLoad::Verifying { .. })
                && !state.practice.trainee
            {
                state.message = Some((
                    Role::Warning,
                    "the decision log is being verified: proposals are offered once verified"
                        .into(),
                ));
                return Some(Vec::new());
            }
            return None;
        };
        state.message = None;
        state.countersign.open = Some(CountersignView {
            proposal: p,
            rationale: String::new(),
        });
        return Some(Vec::new());
    }
    None
}

/// Pasted text goes into the rationale (one line).
pub fn paste(state: &mut State, text: &str) -> bool {
    let Some(view) = state.countersign.open.as_mut() else {
        return false;
    };
    view.rationale
        .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    true
}

/// The result of signing: the case is decided and the screen closes; a refusal stays on
/// the screen. Either way the outcome shows whole in a box until closed.
pub fn signed(state: &mut State, case: String, result: Result<String, String>) {
    match result {
        Ok(what) => {
            state.countersign.open = None;
            state.countersign.pending.retain(|p| p.case_id != case);
            state.decided.insert(case);
            super::update::rebuild_rows(state);
            state.banner = Some(Banner::new(Role::Ok, "Countersigned", sanitize_line(&what)));
        }
        Err(e) => {
            state.banner = Some(Banner::new(
                Role::Error,
                "Not countersigned",
                sanitize_line(&e),
            ))
        }
    }
}

/// Signs a countersignature of proposal `seq` on case `case_id` with `rationale`, as
/// `global.reviewer`: the same library steps as `casebench decide --countersigns`.
pub fn sign(
    global: &Global,
    set: &CaseSet,
    case_id: &str,
    seq: u64,
    rationale: &str,
) -> Result<String, String> {
    let case = set
        .get(case_id)
        .ok_or_else(|| format!("case {} is no longer loaded", sanitize_line(case_id)))?;
    let setting = global.setting();
    let c = match crate::decision::countersign::countersign(
        &setting,
        set,
        case,
        seq,
        rationale,
        Vec::new(),
        None,
    ) {
        Ok(c) => c,
        Err(DecideError::Usage(m)) => return Err(m),
        Err(DecideError::Refused(e)) => return Err(e.to_string()),
        Err(DecideError::Findings(open)) => {
            let list: Vec<String> = open
                .iter()
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect();
            return Err(format!(
                "not signed: the advisor reports {} error finding(s) ({}); sign your own \
                 decision instead (d), with overrides if justified",
                open.len(),
                list.join("; ")
            ));
        }
    };
    let a = &c.appended;
    Ok(format!(
        "signed record {} (countersign of {}'s proposal {seq}: {}); case {} is decided{}",
        a.record.seq,
        sanitize_line(&c.proposal.reviewer),
        a.record.outcome,
        sanitize_line(&a.record.case),
        c.key_warning
            .as_deref()
            .map_or_else(String::new, |w| format!("; {}", sanitize_line(w)))
    ))
}
