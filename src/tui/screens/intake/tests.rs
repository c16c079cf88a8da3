//! The intake screen's state machine alone: answers, back, a refusal asked again, the
//! records, the summary, leaving.

use chrono::NaiveDateTime;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::update::{self, Leaving};
use super::{Ask, IntakeScreen, view};
use crate::case::intake::Intake;
use crate::tui::keymap::Keymap;
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 10:30", "%Y-%m-%d %H:%M").unwrap()
}

fn screen() -> IntakeScreen {
    let mut i = Intake::new(now());
    i.home_state = Some("US-OH".into());
    IntakeScreen::new(i)
}

/// Sends `k` with an 80×24 context; the step and the message line it left.
fn press(s: &mut IntakeScreen, k: KeyEvent) -> (Step<Ask>, Option<(Role, String)>) {
    let keymap = Keymap::default();
    let (mut message, mut banner) = (None, None);
    let mut ctx = Ctx {
        today: now().date(),
        clock: crate::clock::Clock::fixed(now().and_utc()),
        size: (80, 24),
        keymap: &keymap,
        set: None,
        message: &mut message,
        banner: &mut banner,
    };
    let step = update::key(s, &mut ctx, k);
    (step, message)
}

fn code(s: &mut IntakeScreen, c: KeyCode) -> (Step<Ask>, Option<(Role, String)>) {
    press(s, KeyEvent::new(c, KeyModifiers::NONE))
}

/// A key whose step does not matter here.
fn hit(s: &mut IntakeScreen, c: KeyCode) {
    let _ = code(s, c);
}

/// Types `text` and Enter.
fn answer(s: &mut IntakeScreen, text: &str) {
    for c in text.chars() {
        hit(s, KeyCode::Char(c));
    }
    hit(s, KeyCode::Enter);
}

fn at(s: &IntakeScreen) -> Option<&str> {
    s.at.as_deref()
}

/// Every answer of a patient's own request for her chart, in the order asked.
const SELF_REQUEST: &[(&str, &str)] = &[
    ("kind", "access_request"),
    ("received", "2026-11-20"),
    ("arrival.time", "09:15"),
    ("arrival.channel", "mail"),
    ("arrival.logged_by", "J. Clerk"),
    ("jurisdiction", ""),
    ("patient.ref", "P-40001"),
    ("patient.age", "34"),
    ("patient.date_of_death", ""),
    ("requester.name", "M. Reyes"),
    ("requester.relationship", "self"),
    ("requester.address", "4 Oak Rd, Lakeside, OH 44000"),
    ("requester.identity_verified", "unknown"),
    ("instrument.type", "written_request"),
    ("instrument.signed", "yes"),
    ("instrument.dated", ""),
    ("instrument.scope", ""),
    ("records", "chart chart Outpatient chart 2024-2026"),
    ("records", ""),
    ("form.requested", ""),
    ("delivery.method", ""),
    ("fee.items", ""),
    ("urgency.needed_by", ""),
    ("title", ""),
    ("evaluation.assigned_to", "Dr. A. Rivera (MD)"),
];

fn answer_all(s: &mut IntakeScreen, answers: &[(&str, &str)]) {
    for (k, v) in answers {
        assert_eq!(at(s), Some(*k), "before answering {k}={v}");
        answer(s, v);
        assert_eq!(s.refusal, None, "{k}={v}");
    }
}

#[test]
fn the_questions_come_one_at_a_time_in_the_model_s_order_then_the_summary() {
    let mut s = screen();
    assert_eq!(s.context(), crate::tui::keymap::Context::Intake);
    answer_all(&mut s, SELF_REQUEST);
    assert_eq!(at(&s), None, "the summary");
    assert_eq!(s.context(), crate::tui::keymap::Context::IntakeSummary);
    assert!(s.intake.missing().is_empty());
    assert_eq!(s.intake.text("jurisdiction"), Some("US-OH"), "the default");
    let text: String = view::summary_lines(&s)
        .iter()
        .map(|l| l.iter().map(|(_, t)| t.as_str()).collect::<String>() + "\n")
        .collect();
    assert!(text.contains("AR-2026-NNNN"), "{text}");
    assert!(text.contains("M. Reyes"), "{text}");
    assert!(
        text.contains("1. chart chart Outpatient chart 2024-2026"),
        "{text}"
    );
    assert!(text.contains("Dr. A. Rivera (MD)"), "{text}");
    let (step, _) = code(&mut s, KeyCode::Char('y'));
    assert_eq!(step.ask, Some(Ask::Write));
}

#[test]
fn a_bad_answer_is_asked_again_with_the_model_s_refusal_and_the_text_kept() {
    let mut s = screen();
    answer(&mut s, "acess_request");
    assert_eq!(at(&s), Some("kind"), "asked again");
    let refusal = s.refusal.clone().unwrap();
    assert!(
        refusal.contains("unknown value `acess_request`")
            && refusal.contains("did you mean `access_request`?")
            && refusal.contains("expected one of: access_request, disclosure_concern"),
        "{refusal}"
    );
    assert_eq!(s.typed_text(), "acess_request", "kept to be corrected");
    // Mended in place: Home, then the missing letter.
    hit(&mut s, KeyCode::Home);
    for _ in 0..2 {
        hit(&mut s, KeyCode::Right);
    }
    answer(&mut s, "c");
    assert_eq!(s.refusal, None);
    assert_eq!(s.intake.text("kind"), Some("access_request"));
    answer(&mut s, "2099-01-01");
    assert_eq!(at(&s), Some("received"));
    assert!(
        s.refusal.as_deref().unwrap().contains("is in the future"),
        "{:?}",
        s.refusal
    );
}

#[test]
fn back_keeps_every_answer_and_enter_walks_forward_through_them() {
    let mut s = screen();
    answer_all(&mut s, &SELF_REQUEST[..8]);
    assert_eq!(at(&s), Some("patient.date_of_death"));
    // Something typed and not given is kept too.
    for c in "2026-1".chars() {
        hit(&mut s, KeyCode::Char(c));
    }
    hit(&mut s, KeyCode::Esc);
    assert_eq!(at(&s), Some("patient.age"));
    assert_eq!(s.typed_text(), "34", "the answer as it was typed");
    hit(&mut s, KeyCode::Up);
    assert_eq!(at(&s), Some("patient.ref"));
    assert_eq!(s.typed_text(), "P-40001");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), Some("patient.age"));
    hit(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), Some("patient.date_of_death"));
    assert_eq!(s.typed_text(), "2026-1");
    assert_eq!(s.intake.text("patient.ref"), Some("P-40001"));
    // The position says where the clerk is.
    let (n, of) = s.position();
    assert_eq!(n, 9);
    assert!(of >= n);
}

#[test]
fn a_changed_answer_brings_its_own_follow_ups_and_drops_the_others() {
    let mut s = screen();
    answer_all(&mut s, &SELF_REQUEST[..13]);
    assert_eq!(at(&s), Some("instrument.type"));
    // Back to the relationship: a parent now, so the authority questions come in.
    for _ in 0..3 {
        hit(&mut s, KeyCode::Esc);
    }
    assert_eq!(at(&s), Some("requester.relationship"));
    for _ in 0.."self".len() {
        hit(&mut s, KeyCode::Backspace);
    }
    answer(&mut s, "personal_representative");
    assert_eq!(at(&s), Some("requester.address"), "the next one, answered");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), Some("requester.identity_verified"));
    hit(&mut s, KeyCode::Enter);
    assert_eq!(
        at(&s),
        Some("requester.authority.document"),
        "the new question"
    );
    // An instrument with follow-ups, then another: the first one's answers go.
    answer(&mut s, "guardianship_order");
    answer(&mut s, "yes");
    answer(&mut s, "subpoena");
    answer(&mut s, "no");
    assert_eq!(at(&s), Some("instrument.patient_notified"));
    answer(&mut s, "no");
    hit(&mut s, KeyCode::Esc);
    hit(&mut s, KeyCode::Esc);
    hit(&mut s, KeyCode::Esc);
    assert_eq!(at(&s), Some("instrument.type"));
    assert_eq!(s.typed_text(), "subpoena");
    for _ in 0.."subpoena".len() {
        hit(&mut s, KeyCode::Backspace);
    }
    answer(&mut s, "written_request");
    assert!(s.intake.text("instrument.judge_signed").is_none());
    assert!(s.intake.text("instrument.patient_notified").is_none());
    assert_eq!(at(&s), Some("instrument.signed"));
}

#[test]
fn records_are_one_line_each_with_their_facts_and_the_last_can_be_taken_back() {
    let mut s = screen();
    answer_all(&mut s, &SELF_REQUEST[..17]);
    assert_eq!(at(&s), Some("records"));
    // An empty list cannot end.
    hit(&mut s, KeyCode::Enter);
    assert!(
        s.refusal
            .as_deref()
            .unwrap()
            .contains("at least one record item"),
        "{:?}",
        s.refusal
    );
    answer(&mut s, "chart chart Outpatient chart");
    assert_eq!(at(&s), Some("records"), "the next item");
    answer(&mut s, "notes psychotherapy_notes Process notes");
    assert_eq!(
        at(&s),
        Some("records.notes.kept_separately"),
        "the item's own fact first"
    );
    answer(&mut s, "unknown");
    assert_eq!(at(&s), Some("records"));
    assert_eq!(s.record_lines().len(), 2);
    answer(&mut s, "bad");
    assert!(s.refusal.is_some());
    for _ in 0..3 {
        hit(&mut s, KeyCode::Backspace);
    }
    // Backspace on the empty line: the last item comes back to be corrected.
    hit(&mut s, KeyCode::Backspace);
    assert_eq!(s.typed_text(), "notes psychotherapy_notes Process notes");
    assert_eq!(s.record_lines().len(), 1);
    assert!(s.intake.text("records.notes.kept_separately").is_none());
    for _ in 0.."Process notes".len() {
        hit(&mut s, KeyCode::Backspace);
    }
    answer(&mut s, "Therapist's notes");
    assert_eq!(at(&s), Some("records.notes.kept_separately"));
    assert_eq!(s.typed_text(), "unknown", "its fact as it was given before");
    hit(&mut s, KeyCode::Enter);
    answer(&mut s, "");
    assert_eq!(
        at(&s),
        Some("form.requested"),
        "an empty line ends the list"
    );
    assert_eq!(
        s.record_lines(),
        [
            "chart chart Outpatient chart",
            "notes psychotherapy_notes Therapist's notes"
        ]
    );
}

#[test]
fn several_record_lines_pasted_come_one_at_a_time() {
    let mut s = screen();
    answer_all(&mut s, &SELF_REQUEST[..17]);
    let step = update::paste(
        &mut s,
        "chart chart Outpatient chart\nnotes psychotherapy_notes Notes\n\nbills billing Invoices\n",
    );
    assert!(step.changed);
    assert_eq!(s.typed_text(), "chart chart Outpatient chart");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(s.typed_text(), "notes psychotherapy_notes Notes");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), Some("records.notes.kept_separately"));
    assert_eq!(s.typed_text(), "", "a fact is never filled from the paste");
    answer(&mut s, "yes");
    assert_eq!(s.typed_text(), "bills billing Invoices");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(s.record_lines().len(), 3);
}

#[test]
fn leaving_asks_before_discarding_and_only_y_discards() {
    let mut s = screen();
    // Nothing answered: Esc on the first question leaves at once.
    let (step, _) = code(&mut s, KeyCode::Esc);
    assert_eq!(step.ask, Some(Ask::Leave));

    let mut s = screen();
    answer(&mut s, "access_request");
    hit(&mut s, KeyCode::Esc);
    assert_eq!(at(&s), Some("kind"));
    let (step, msg) = code(&mut s, KeyCode::Esc);
    assert_eq!(step.ask, None);
    assert_eq!(s.confirm_leave, Some(Leaving::ToQueue));
    assert!(msg.unwrap().1.contains("y discards the answers"));
    // Any other key keeps them (and is not typed).
    let (step, msg) = code(&mut s, KeyCode::Char('n'));
    assert_eq!(step.ask, None);
    assert_eq!(msg.unwrap().1, "the answers are kept");
    assert_eq!(s.typed_text(), "access_request");
    assert_eq!(s.intake.text("kind"), Some("access_request"));
    // F10 leaves from anywhere, asking first.
    hit(&mut s, KeyCode::F(10));
    let (step, _) = code(&mut s, KeyCode::Char('y'));
    assert_eq!(step.ask, Some(Ask::Leave));

    // Ctrl-C: asked too; a second Ctrl-C is the answer.
    let mut s = screen();
    answer(&mut s, "access_request");
    let keymap = Keymap::default();
    let (mut message, mut banner) = (None, None);
    let mut ctx = Ctx {
        today: now().date(),
        clock: crate::clock::Clock::fixed(now().and_utc()),
        size: (80, 24),
        keymap: &keymap,
        set: None,
        message: &mut message,
        banner: &mut banner,
    };
    assert_eq!(update::quit(&mut s, &mut ctx).ask, None);
    assert!(message.unwrap().1.contains("Quit the workbench?"));
    let (mut message, mut banner) = (None, None);
    let mut ctx = Ctx {
        today: now().date(),
        clock: crate::clock::Clock::fixed(now().and_utc()),
        size: (80, 24),
        keymap: &keymap,
        set: None,
        message: &mut message,
        banner: &mut banner,
    };
    assert_eq!(update::quit(&mut s, &mut ctx).ask, Some(Ask::Quit));
}

#[test]
fn the_summary_goes_back_to_the_last_question_and_q_asks_first() {
    let mut s = screen();
    answer_all(&mut s, SELF_REQUEST);
    hit(&mut s, KeyCode::Esc);
    assert_eq!(at(&s), Some("evaluation.assigned_to"));
    assert_eq!(s.typed_text(), "Dr. A. Rivera (MD)");
    hit(&mut s, KeyCode::Enter);
    assert_eq!(at(&s), None);
    let (step, _) = code(&mut s, KeyCode::Char('q'));
    assert_eq!(step.ask, None);
    assert!(s.confirm_leave.is_some());
    let (step, _) = code(&mut s, KeyCode::Char('x'));
    assert_eq!(step.ask, None);
    assert_eq!(at(&s), None, "still on the summary");
}

#[test]
fn typed_invisible_characters_are_kept_visible() {
    let mut s = screen();
    hit(&mut s, KeyCode::Char('\u{202e}'));
    assert!(!s.typed_text().contains('\u{202e}'), "{:?}", s.typed_text());
    assert!(!s.typed_text().is_empty());
}
