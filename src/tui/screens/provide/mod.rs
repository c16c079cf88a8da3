//! The provision form: from a decided case (`p` in the case view), the records provided
//! (or the denial's notice sent, the disclosure made): the day, the channel, the form,
//! the fees. Enter signs it through the same function as `casebench provide`
//! (`decision::provide::provide`, carried out by the event loop: `Effect::Provide`); the
//! fields are handed over as typed (`decision::provide::ProvisionFields`), and the domain
//! reads them.

pub mod view;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::decision::provide::ProvisionFields;
use crate::tui::effect::Effect;
use crate::tui::step::{Banner, Ctx, Step};
use crate::tui::theme::Role;

/// The fields, in the order the form shows them.
pub const FIELDS: [(&str, &str); 6] = [
    (
        "provided on",
        "YYYY-MM-DD: the day the records went out (a denial: its notice)",
    ),
    (
        "notice sent",
        "a partial denial: the day its written notice was sent",
    ),
    (
        "via",
        "portal, email, mail, pickup or fax (a concern: phone, in_person)",
    ),
    ("form", "the form and format: pdf, paper copy, letter"),
    (
        "fees",
        "ITEM=AMOUNT, ...: copying_labor, supplies, postage, summary, other",
    ),
    (
        "fee told on",
        "YYYY-MM-DD: when the fee was told (before the copy)",
    ),
];

/// The form while open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionForm {
    /// Raw, for the effect only.
    pub case_id: String,
    /// What the decision in force calls for, sanitised: "records provided (release_partial:
    /// and the notice of the part withheld)".
    pub what: String,
    pub values: [String; 6],
    pub focus: usize,
}

impl ProvisionForm {
    /// A form for `case_id` whose record in force decided `outcome`, the day prefilled.
    pub fn new(case_id: &str, outcome: &str, today: chrono::NaiveDate) -> ProvisionForm {
        let what = match outcome {
            "release_partial" => "the records released, and the notice of the part withheld",
            "deny" => "the written notice of the denial (provided on: the day it was sent)",
            "warn_and_protect" | "report" => "the disclosure made (the warning, the report)",
            _ => "the records released",
        };
        let day = today.format("%Y-%m-%d").to_string();
        let mut values: [String; 6] = Default::default();
        values[0] = day.clone();
        if outcome == "release_partial" {
            values[1] = day;
        }
        ProvisionForm {
            case_id: case_id.to_string(),
            what: format!("{what} ({})", crate::text::sanitize_line(outcome)),
            values,
            focus: 0,
        }
    }

    pub fn fields(&self) -> ProvisionFields {
        let v = &self.values;
        ProvisionFields {
            on: v[0].clone(),
            notice_sent: v[1].clone(),
            via: v[2].clone(),
            form: v[3].clone(),
            fees: v[4].clone(),
            fee_told_on: v[5].clone(),
        }
    }
}

/// Keys while the form is open: Tab / Down and BackTab / Up move between the fields,
/// typing edits the focused one, Enter signs, Esc cancels.
pub fn key(open: &mut Option<ProvisionForm>, ctx: &mut Ctx, k: KeyEvent) -> Step {
    let Some(f) = open.as_mut() else {
        return Step::unchanged();
    };
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match k.code {
        KeyCode::Esc => {
            *open = None;
            ctx.say(Role::Muted, "provision cancelled");
        }
        KeyCode::Tab | KeyCode::Down => f.focus = (f.focus + 1) % FIELDS.len(),
        KeyCode::BackTab | KeyCode::Up => f.focus = (f.focus + FIELDS.len() - 1) % FIELDS.len(),
        KeyCode::Enter => {
            ctx.announce(Banner::new(
                Role::Muted,
                "Signing",
                "signing the provision record …".to_string(),
            ));
            return Step::effect(Effect::Provide {
                case: f.case_id.clone(),
                fields: f.fields(),
            });
        }
        KeyCode::Backspace => {
            f.values[f.focus].pop();
        }
        KeyCode::Char(c) if !c.is_control() && !ctrl => {
            if f.values[f.focus].chars().count() < 80 {
                f.values[f.focus].push(c);
            }
        }
        _ => return Step::unchanged(),
    }
    Step::changed()
}

/// Pasted text goes into the focused field (one line); false when the form is not open.
pub fn paste(open: &mut Option<ProvisionForm>, text: &str) -> bool {
    let Some(f) = open.as_mut() else {
        return false;
    };
    f.values[f.focus].extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    true
}

/// The result of signing: the form closes; a refusal keeps it open with its values.
/// Either way the outcome shows whole in a box until closed.
pub fn signed(open: &mut Option<ProvisionForm>, ctx: &mut Ctx, result: Result<String, String>) {
    match result {
        Ok(what) => {
            *open = None;
            ctx.announce(Banner::new(
                Role::Ok,
                "Provided",
                crate::text::sanitize_line(&what),
            ));
        }
        Err(e) => ctx.announce(Banner::new(
            Role::Error,
            "Not signed",
            crate::text::sanitize_line(&e),
        )),
    }
}
