//! Drafts are safe: `x` asks before discarding, leaving a case says where its draft is,
//! the queue marks cases with a draft, and a draft of a case decided since says so.

use crate::support::tui as tui_support;

use std::collections::HashMap;

use casebench::decision::draft::Draft;
use casebench::record::log::DecidedBy;
use casebench::tui::app::{Effect, Msg, Screen};
use chrono::TimeZone;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const CASE: &str = "AR-2026-0101";

fn draft() -> Draft {
    Draft {
        case: CASE.into(),
        saved: "2026-11-23T18:00:00Z".into(),
        ..Draft::default()
    }
}

fn offered(s: &mut casebench::tui::app::State) {
    open(s, CASE);
    send(
        s,
        [Msg::DraftLoaded {
            case: CASE.into(),
            result: Ok(Some(draft())),
        }],
    );
}

#[test]
fn x_asks_first_and_any_other_key_keeps_the_draft() {
    let mut s = state();
    offered(&mut s);
    assert!(send(&mut s, [key('x')]).is_empty(), "nothing removed yet");
    let b = s.banner.clone().expect("a confirmation box");
    assert!(b.title.contains("Discard"), "{b:?}");
    assert!(b.text.contains("y discards"), "{b:?}");
    assert!(render(&mut s, 80, 24).contains("y discards"));
    // Esc (or n, or anything) keeps it, and the next x asks again.
    assert!(send(&mut s, [code(KeyCode::Esc)]).is_empty());
    assert!(s.banner.is_none() && s.case.as_ref().unwrap().draft.is_some());
    assert_eq!(s.message.as_ref().unwrap().1, "the draft is kept");
    assert!(
        send(&mut s, [key('n')]).is_empty(),
        "n alone is no key here"
    );
    assert!(s.case.as_ref().unwrap().draft.is_some());
    send(&mut s, [key('x')]);
    assert_eq!(send(&mut s, [key('y')]), [Effect::RemoveDraft(CASE.into())]);
    assert!(s.case.as_ref().unwrap().draft.is_none());
    assert!(s.banner.as_ref().unwrap().title.contains("discarded"));
}

#[test]
fn x_without_a_draft_says_so() {
    let mut s = state();
    open(&mut s, CASE);
    assert!(send(&mut s, [key('x')]).is_empty());
    assert!(s.banner.is_none());
    assert_eq!(
        s.message.as_ref().unwrap().1,
        "no saved draft for this case"
    );
}

#[test]
fn q_with_an_unsaved_draft_saves_it_and_says_where() {
    let mut s = state();
    s.drafts_dir = "/home/sam/.local/share/casebench/drafts".into();
    open(&mut s, CASE);
    send(&mut s, [key('d'), key('l')]);
    // Leaving the form saves the draft; q then leaves the case and says where it is.
    let fx = send(&mut s, [code(KeyCode::Esc)]);
    assert!(matches!(fx.as_slice(), [Effect::SaveDraft(_)]), "{fx:?}");
    assert!(send(&mut s, [key('q')]).is_empty());
    assert_eq!(s.screen, Screen::Queue);
    let msg = &s.message.as_ref().unwrap().1;
    assert_eq!(
        msg,
        "d on case AR-2026-0101 resumes its draft, kept in \
         /home/sam/.local/share/casebench/drafts/AR-2026-0101.yaml"
    );
    assert!(render(&mut s, 120, 24).contains("kept in /home/sam"));
    // At 80 columns the instruction stays whole; the path is cut.
    assert!(
        render(&mut s, 80, 24).contains("d on case AR-2026-0101 resumes its draft"),
        "{}",
        render(&mut s, 80, 24)
    );
    // Ctrl-C or a hangup in the form: saved, and the save's answer names the file.
    let mut s = state();
    open(&mut s, CASE);
    send(&mut s, [key('d'), key('l'), code(KeyCode::Esc), key('q')]);
    send(
        &mut s,
        [Msg::DraftSaved(Ok("/tmp/d/AR-2026-0101.yaml".into()))],
    );
    assert_eq!(
        s.message.as_ref().unwrap().1,
        "draft saved in /tmp/d/AR-2026-0101.yaml"
    );
}

#[test]
fn the_queue_marks_cases_with_a_draft() {
    let mut s = state();
    send(&mut s, [Msg::Drafts(Ok(vec![CASE.into()]))]);
    let row = s.rows.iter().find(|r| r.id == CASE).unwrap();
    assert!(row.draft);
    assert!(s.rows.iter().filter(|r| r.draft).count() == 1);
    let screen = render(&mut s, 100, 24);
    let line = screen.lines().find(|l| l.contains(CASE)).unwrap();
    assert!(line.starts_with(">D  AR-2026-0101"), "{line}");
    assert!(screen.contains("D draft"), "legend: {screen}");
    // A draft saved this session marks its case too; a discarded one unmarks it.
    let mut s = state();
    open(&mut s, CASE);
    send(&mut s, [key('d'), key('l'), Msg::DraftDue]);
    assert!(s.drafts.contains(CASE));
    assert!(
        s.rows.iter().any(|r| r.id == CASE && r.draft),
        "the D mark at once"
    );
    send(&mut s, [code(KeyCode::Esc), key('x'), key('y')]);
    assert!(!s.drafts.contains(CASE));
    assert!(!s.rows.iter().any(|r| r.draft));
}

#[test]
fn loading_the_cases_lists_the_drafts() {
    let mut s = casebench::tui::app::State::new(
        today(),
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    let fx = send(&mut s, [Msg::Loaded(Box::new(fixture_set()))]);
    assert_eq!(fx, [Effect::ListDrafts, Effect::RefreshLog]);
}

#[test]
fn a_draft_of_a_case_decided_since_names_who_and_when() {
    let mut s = state();
    let by = HashMap::from([(
        CASE.to_string(),
        DecidedBy {
            outcome: "release_full".into(),
            provided_on: None,
            reviewer: "dr.okafor\x1b[2J".into(),
            time: chrono::Utc
                .with_ymd_and_hms(2026, 11, 24, 9, 30, 0)
                .unwrap(),
        },
    )]);
    send(&mut s, [Msg::DecidedBy(by.clone())]);
    offered(&mut s);
    // Whole, in a box (never cut at 80 columns), and a short line under it.
    let msg = &s.banner.as_ref().unwrap().text;
    assert!(
        msg.contains("decided by dr.okafor^[[2J at 2026-11-24 09:30 UTC"),
        "{msg}"
    );
    assert!(msg.contains("d resumes it anyway"), "{msg}");
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .1
            .contains("d resumes it anyway")
    );
    // Decided while the draft was on offer (another reviewer won the race): said at once.
    let mut s = state();
    offered(&mut s);
    assert!(s.banner.is_none());
    send(&mut s, [Msg::DecidedBy(by)]);
    let msg = &s.banner.as_ref().unwrap().text;
    assert!(msg.contains("decided by dr.okafor"), "{msg}");
}

#[test]
fn a_change_to_the_log_reads_its_index_again_and_draws_only_on_the_answer() {
    let mut s = casebench::tui::app::State::new(
        today(),
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    s.needs_draw = false;
    // Before the cases are loaded the loader reads the log itself.
    assert!(send(&mut s, [Msg::LogChanged]).is_empty());
    let mut s = state();
    s.needs_draw = false;
    assert_eq!(send(&mut s, [Msg::LogChanged]), [Effect::RefreshLog]);
    assert!(!s.needs_draw, "nothing to draw until the index answers");
}
