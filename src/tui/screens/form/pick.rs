//! The grounds picker on the form: opened on the focused grounds field (or a record's
//! line) with the advisor's marks, and the pick written into the form as if typed.

use ratatui::crossterm::event::KeyEvent;

use super::field::{Field, grounds};
use super::picker::{self, Done, Picker};
use super::{Ask, Form};
use crate::rules::CaseSet;
use crate::tui::advisor::AdvisorView;
use crate::tui::step::Step;
use crate::tui::theme::Role;

/// Is `code` already where the pick would put it?
pub fn present(form: &Form, target: Field, code: &str) -> bool {
    let text = match target {
        Field::CaseGrounds => Some(&form.grounds),
        Field::Grounds(i) => form.records.get(i).map(|r| &r.grounds),
        _ => None,
    };
    text.is_some_and(|t| grounds(t).iter().any(|g| g == code))
}

/// The field a pick on `field` goes to: the grounds field itself, or the ground of the
/// record item whose action line has focus.
fn target_of(field: Field) -> Option<Field> {
    match field {
        Field::CaseGrounds | Field::Grounds(_) => Some(field),
        Field::Action(i) => Some(Field::Grounds(i)),
        _ => None,
    }
}

/// `g` in the form: opens the picker for the focused grounds field, marking what the
/// advisor's answer (`hold_view`) says holds, over the grounds of the set's rulebook.
pub fn open(f: &mut Form, hold_view: Option<&AdvisorView>, set: &CaseSet) {
    let Some(target) = target_of(f.field()) else {
        f.note = Some((
            Role::Muted,
            "the grounds picker opens on the grounds field or a record's line".into(),
        ));
        return;
    };
    let (title, holding): (String, Vec<String>) = match target {
        Field::Grounds(i) => {
            let Some(r) = f.records.get(i) else {
                return;
            };
            let holds = hold_view
                .and_then(|a| a.holds_record.iter().find(|(id, _)| *id == r.id))
                .map(|(_, codes)| codes.clone())
                .unwrap_or_default();
            (format!("Withholding ground of {}", r.shown_id), holds)
        }
        _ => (
            "Grounds of the decision".into(),
            hold_view.map(|a| a.holds_case.clone()).unwrap_or_default(),
        ),
    };
    let note = match hold_view {
        Some(a) if a.hidden => Some("advisor hidden in practice: no ground is marked".into()),
        None => Some("the advisor has not answered: no ground is marked yet".into()),
        Some(_) => None,
    };
    f.picker = Some(Picker::new(target, title, &holding, note, &set.rules));
}

/// A key while the picker is open. Asks `Edited` when the pick changed the form (the
/// root then previews and saves it).
pub fn key(f: &mut Form, k: KeyEvent) -> Step<Ask> {
    let Some(p) = f.picker.as_mut() else {
        return Step::unchanged();
    };
    let (step, done) = picker::key(p, k).take_ask();
    match done {
        None => step.then(Step::unchanged()),
        Some(Done::Cancel) => {
            f.picker = None;
            Step::changed()
        }
        Some(Done::Pick) if pick(f) => Step::ask(Ask::Edited),
        Some(Done::Pick) => Step::changed(),
    }
}

/// Pasted text goes into the filter (one line); false when no picker is open.
pub fn paste(f: &mut Form, text: &str) -> bool {
    let Some(p) = f.picker.as_mut() else {
        return false;
    };
    picker::paste(p, text);
    true
}

/// Enter: the selected code goes into its field, as if typed; the picker closes.
fn pick(f: &mut Form) -> bool {
    let Some(p) = f.picker.take() else {
        return false;
    };
    let Some(code) = p.current().map(|c| c.code.clone()) else {
        // Nothing matches: keep the picker open, say so.
        f.note = Some((Role::Muted, "no ground matches the filter".into()));
        f.picker = Some(p);
        return false;
    };
    if present(f, p.target, &code) {
        f.note = Some((Role::Muted, format!("{code} is already there")));
        return false;
    }
    match p.target {
        Field::Grounds(i) => {
            let Some(r) = f.records.get_mut(i) else {
                return false;
            };
            r.grounds = code.clone();
            f.note = Some((
                Role::Ok,
                format!("withholding ground of {}: {code}", r.shown_id),
            ));
        }
        _ => {
            let kept = f.grounds.trim_end_matches([',', ' ']);
            f.grounds = if kept.is_empty() {
                code.clone()
            } else {
                format!("{kept}, {code}")
            };
            f.note = Some((Role::Ok, format!("added {code} to the decision's grounds")));
        }
    }
    // Focus on the field that changed, so the reviewer sees it.
    if let Some(pos) = f.fields().iter().position(|x| *x == p.target) {
        f.focus = pos;
    }
    f.dirty = true;
    true
}
