//! Countersigning from the workbench: a supervisor (a signer who is not a trainee) opens
//! a real case with a trainee's pending proposal, presses `C`, reads the proposal, types
//! a one-line rationale and signs a `countersign` record. The signing is the event
//! loop's (`event_loop::sign::countersign`), the library's steps as in `casebench decide
//! --type countersign --countersigns SEQ`; the proposals come from the log's reader
//! (`practice::countersign::pending` on the verified log).

pub mod view;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::practice::countersign::PendingProposal;
use crate::record::model::Action;
use crate::text::{sanitize, sanitize_line};
use crate::tui::effect::Effect;
use crate::tui::step::{Banner, Ctx, Step};
use crate::tui::theme::Role;

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

impl Countersign {
    /// The oldest pending proposal on case `case_id` (the root checks that the signer may
    /// countersign it and that the case is not decided).
    pub fn for_case(&self, case_id: &str) -> Option<&PendingView> {
        self.pending.iter().find(|p| p.case_id == case_id)
    }

    /// Opens the screen on proposal `p`, with an empty rationale.
    pub fn open(&mut self, p: PendingView) {
        self.open = Some(CountersignView {
            proposal: p,
            rationale: String::new(),
        });
    }
}

/// Keys while the countersign screen is open: the rationale is typed, Enter signs it
/// (the effect leaves the full screen), Esc cancels.
pub fn key(cs: &mut Countersign, ctx: &mut Ctx, k: KeyEvent) -> Step {
    let Some(view) = cs.open.as_mut() else {
        return Step::unchanged();
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Esc => {
            cs.open = None;
            ctx.say(Role::Muted, "countersign cancelled");
        }
        KeyCode::Enter if view.rationale.trim().is_empty() => {
            ctx.say(Role::Warning, "type a rationale first");
        }
        KeyCode::Enter => {
            ctx.announce(Banner::new(
                Role::Muted,
                "Signing",
                format!(
                    "signing the countersignature of proposal {} …",
                    view.proposal.seq
                ),
            ));
            return Step::effect(Effect::Countersign {
                case: view.proposal.case_id.clone(),
                seq: view.proposal.seq,
                rationale: view.rationale.trim().to_string(),
            });
        }
        KeyCode::Backspace => {
            view.rationale.pop();
        }
        KeyCode::Char(c) if !c.is_control() && !ctrl => view.rationale.push(c),
        _ => return Step::unchanged(),
    }
    Step::changed()
}

/// Pasted text goes into the rationale (one line); false when the screen is not open.
pub fn paste(cs: &mut Countersign, text: &str) -> bool {
    let Some(view) = cs.open.as_mut() else {
        return false;
    };
    view.rationale
        .extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    true
}

/// The result of signing: the screen closes and the proposal is no longer pending; a
/// refusal stays on the screen. Either way the outcome shows whole in a box until
/// closed. (The root marks the case decided.)
pub fn signed(cs: &mut Countersign, ctx: &mut Ctx, case: &str, result: Result<String, String>) {
    match result {
        Ok(what) => {
            cs.open = None;
            cs.pending.retain(|p| p.case_id != case);
            ctx.announce(Banner::new(Role::Ok, "Countersigned", sanitize_line(&what)));
        }
        Err(e) => ctx.announce(Banner::new(
            Role::Error,
            "Not countersigned",
            sanitize_line(&e),
        )),
    }
}
