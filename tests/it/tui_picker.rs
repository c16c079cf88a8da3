//! The decision form's grounds picker: every ground of the rulebook with its meaning and
//! citation, the ones that hold for the case first and marked, a fuzzy filter; Enter
//! picks, Esc cancels; picking gives the same record as typing the code.

use crate::support::tui as tui_support;

use casebench::tui::app::{Msg, State};
use casebench::tui::screens::form::Field;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn settled(s: &mut State, msgs: impl IntoIterator<Item = Msg>) {
    let mut a = fixture_answers(None);
    let fx = send(s, msgs);
    settle(s, &mut a, fx);
}

/// AR-2026-0101 open (the advisor answered), its form open on the outcome field.
fn form() -> State {
    let mut s = state();
    let fx = open(&mut s, "AR-2026-0101");
    let mut a = fixture_answers(None);
    settle(&mut s, &mut a, fx);
    settled(&mut s, [key('d')]);
    s
}

fn picker(s: &State) -> &casebench::tui::screens::form::picker::Picker {
    s.form.as_ref().unwrap().picker.as_ref().unwrap()
}

fn codes(s: &State) -> Vec<String> {
    let p = picker(s);
    p.shown
        .iter()
        .map(|(i, _)| p.choices[*i].code.clone())
        .collect()
}

#[test]
fn g_on_the_grounds_field_lists_every_ground_holding_first() {
    let mut s = form();
    settled(&mut s, [key('j'), key('g')]);
    let p = picker(&s);
    assert_eq!(p.target, Field::CaseGrounds);
    let rb = casebench::rules::Rulebook::builtin();
    assert_eq!(p.choices.len(), rb.grounds().len());
    // The advisor's grounds that hold for AR-2026-0101: right-of-access (and the notes'
    // psychotherapy-notes), listed first and marked; nothing else marked.
    let holding: Vec<&str> = p
        .choices
        .iter()
        .take_while(|c| c.holds)
        .map(|c| c.code.as_str())
        .collect();
    assert!(holding.contains(&"right-of-access"), "{holding:?}");
    assert!(holding.contains(&"psychotherapy-notes"), "{holding:?}");
    assert!(p.choices.iter().skip(holding.len()).all(|c| !c.holds));
    // Each with its meaning and citation from the rulebook.
    let c = p.choices.iter().find(|c| c.code == "clia").unwrap();
    assert_eq!(c.meaning, rb.ground("clia").unwrap().meaning);
    assert_eq!(c.citation, rb.ground("clia").unwrap().citation);
}

#[test]
fn an_items_picker_marks_the_grounds_that_hold_for_that_item() {
    let mut s = form();
    // Outcome, grounds, chart action, chart grounds, notes action: `g` on the notes line.
    settled(&mut s, [key('j'), key('j'), key('j'), key('j'), key('g')]);
    let p = picker(&s);
    assert_eq!(p.target, Field::Grounds(1));
    assert_eq!(p.title, "Withholding ground of notes");
    assert_eq!(p.choices[0].code, "psychotherapy-notes");
    assert!(p.choices[0].holds);
    assert!(!p.choices[1].holds, "{:?}", p.choices[1]);
}

#[test]
fn typing_filters_fuzzily_and_enter_adds_the_code() {
    let mut s = form();
    settled(&mut s, [key('j'), key('g')]);
    settled(&mut s, "chld".chars().map(key));
    assert_eq!(codes(&s)[0], "child-abuse-report");
    // The matched characters, for highlighting: c, h, l, d in order.
    let p = picker(&s);
    let (i, hits) = &p.shown[0];
    let hay: Vec<char> = p.choices[*i].haystack().chars().collect();
    let got: String = hits.iter().map(|&h| hay[h]).collect();
    assert_eq!(got.to_lowercase(), "chld", "{hits:?}");
    // Nothing matches: the list says so, Enter keeps the picker open.
    settled(&mut s, "zzzz".chars().map(key));
    assert!(codes(&s).is_empty());
    settled(&mut s, [code(KeyCode::Enter)]);
    assert!(s.form.as_ref().unwrap().picker.is_some());
    for _ in 0..4 {
        settled(&mut s, [code(KeyCode::Backspace)]);
    }
    settled(&mut s, [code(KeyCode::Enter)]);
    let f = s.form.as_ref().unwrap();
    assert!(f.picker.is_none());
    assert_eq!(f.grounds, "child-abuse-report");
    assert!(f.dirty);
    // A second pick appends; the same code again is shown as present and not doubled.
    settled(&mut s, [key('g')]);
    settled(&mut s, "right-of-access".chars().map(key));
    settled(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(
        s.form.as_ref().unwrap().grounds,
        "child-abuse-report, right-of-access"
    );
    settled(&mut s, [key('g')]);
    settled(&mut s, "right-of-access".chars().map(key));
    let p = picker(&s);
    assert!(casebench::tui::screens::form::pick::present(
        s.form.as_ref().unwrap(),
        p.target,
        "right-of-access"
    ));
    let out = render(&mut s, 120, 40);
    assert!(out.contains("✓ right-of-access"), "{out}");
    settled(&mut s, [code(KeyCode::Enter)]);
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.grounds, "child-abuse-report, right-of-access");
    assert!(f.note.as_ref().unwrap().1.contains("already there"));
}

#[test]
fn esc_cancels_and_changes_nothing() {
    let mut s = form();
    settled(&mut s, [key('j'), key('g')]);
    settled(&mut s, "serious".chars().map(key));
    let fx = send(&mut s, [code(KeyCode::Esc)]);
    assert!(fx.is_empty(), "{fx:?}");
    let f = s.form.as_ref().unwrap();
    assert!(f.picker.is_none());
    assert_eq!(f.grounds, "");
    assert!(!f.dirty);
    // Still in the form: Esc closed only the picker.
    assert_eq!(s.screen, casebench::tui::app::Screen::Form);
}

#[test]
fn picking_an_items_ground_sets_it() {
    let mut s = form();
    settled(&mut s, [key('j'), key('j'), key('j'), key('j'), key('g')]);
    settled(&mut s, [code(KeyCode::Enter)]);
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.records[1].grounds, "psychotherapy-notes");
    assert_eq!(f.field(), Field::Grounds(1));
    // Typing by hand still works on the same field.
    settled(&mut s, [key('e')]);
    settled(&mut s, ", x".chars().map(key));
    settled(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(
        s.form.as_ref().unwrap().records[1].grounds,
        "psychotherapy-notes, x"
    );
}

#[test]
fn g_elsewhere_says_where_it_works() {
    let mut s = form();
    settled(&mut s, [key('g')]);
    let f = s.form.as_ref().unwrap();
    assert!(f.picker.is_none());
    assert!(f.note.as_ref().unwrap().1.contains("grounds picker"));
}

#[test]
fn in_practice_with_hints_hidden_nothing_is_marked() {
    let mut s = form();
    // As the practice filter leaves it: the advisor hidden.
    if let Some(a) = s.case.as_mut().and_then(|c| c.advisor.as_mut()) {
        a.hidden = true;
        a.holds_case.clear();
        a.holds_record.clear();
    }
    settled(&mut s, [key('j'), key('g')]);
    let p = picker(&s);
    assert!(p.choices.iter().all(|c| !c.holds));
    assert!(p.note.as_ref().unwrap().contains("hidden in practice"));
}

fn picker_open_filtered() -> State {
    let mut s = form();
    settled(&mut s, [key('j'), key('j'), key('j'), key('j'), key('g')]);
    settled(&mut s, "harm".chars().map(key));
    s
}

fn picker_open() -> State {
    let mut s = form();
    settled(&mut s, [key('j'), key('g')]);
    s
}

#[test]
fn snapshots_of_the_picker() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = picker_open();
        insta::assert_snapshot!(format!("picker_open_{w}x{h}"), render(&mut s, w, h));
        let mut s = picker_open_filtered();
        insta::assert_snapshot!(format!("picker_filtered_{w}x{h}"), render(&mut s, w, h));
    }
}

#[test]
fn the_help_and_the_footer_name_the_key() {
    let mut s = form();
    settled(&mut s, [key('j')]);
    let out = render(&mut s, 80, 24);
    assert!(out.contains("g pick ground"), "{out}");
    settled(&mut s, [key('?')]);
    let out = render(&mut s, 80, 24);
    assert!(out.contains("pick a ground from the rulebook"), "{out}");
}

/// One truth: a decision whose grounds were picked is recorded exactly as one whose
/// grounds were typed (the preview is the record's bytes, tests/tui_preview_record.rs).
#[test]
fn picking_gives_the_same_record_preview_as_typing() {
    // release_partial on right-of-access, the notes withheld on psychotherapy-notes.
    let common = |s: &mut State| {
        settled(s, [key('l'), key('l')]);
    };
    let finish = |s: &mut State| {
        settled(s, [key('j'), key('j'), key('j'), key(' ')]);
    };
    let mut typed = form();
    common(&mut typed);
    settled(&mut typed, [key('j'), code(KeyCode::Enter)]);
    settled(&mut typed, "right-of-access".chars().map(key));
    settled(&mut typed, [code(KeyCode::Enter)]);
    finish(&mut typed);
    settled(&mut typed, [key('j'), code(KeyCode::Enter)]);
    settled(&mut typed, "psychotherapy-notes".chars().map(key));
    settled(&mut typed, [code(KeyCode::Enter)]);

    let mut picked = form();
    common(&mut picked);
    settled(&mut picked, [key('j'), key('g')]);
    settled(&mut picked, "access".chars().map(key));
    settled(&mut picked, [code(KeyCode::Enter)]);
    finish(&mut picked);
    // `g` on the notes' action line picks its ground: the one that holds is first.
    settled(&mut picked, [key('g'), code(KeyCode::Enter)]);

    let (t, p) = (typed.form.as_ref().unwrap(), picked.form.as_ref().unwrap());
    assert_eq!(t.grounds, "right-of-access");
    assert_eq!(p.to_draft(), t.to_draft());
    let (tv, pv) = (t.preview.as_ref().unwrap(), p.preview.as_ref().unwrap());
    assert!(
        tv.record.iter().any(|l| l.contains("psychotherapy-notes")),
        "{:?} {:?}",
        tv.record,
        tv.not_yet
    );
    assert_eq!(pv, tv);
}

/// Issue 21: on a disclosure concern there is no request, so `incomplete-request` never
/// holds and is never offered first; the concern's own ground is (a California threat: serious-threat).
#[test]
fn a_concerns_picker_never_offers_incomplete_request_first() {
    let mut s = state();
    let fx = open(&mut s, "DC-2026-0007");
    let mut a = fixture_answers(None);
    settle(&mut s, &mut a, fx);
    settled(&mut s, [key('d'), key('j'), key('g')]);
    let p = picker(&s);
    assert_eq!(p.target, Field::CaseGrounds);
    let first = &p.choices[0];
    assert!(first.holds, "{first:?}");
    assert_eq!(first.code, "serious-threat");
    let incomplete = p
        .choices
        .iter()
        .position(|c| c.code == "incomplete-request")
        .unwrap();
    assert!(!p.choices[incomplete].holds);
    assert!(incomplete > 0);
    assert_ne!(codes(&s)[0], "incomplete-request");
}
