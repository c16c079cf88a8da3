//! `R` in the queue reads the case files again (the loader's effect), keeping the
//! selection (by case id) and the filters, and says how many files it read.

use crate::support::tui as tui_support;

use casebench::case::LoadOptions;
use casebench::tui::app::{Effect, Msg, Screen};
use casebench::tui::event_loop::load_messages;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

fn selected_id(s: &casebench::tui::app::State) -> String {
    s.selected_row().unwrap().id.clone()
}

#[test]
fn r_asks_the_loader_and_the_answer_keeps_selection_and_filters() {
    let mut s = state();
    // A status filter and a selection that is not the first row.
    send(&mut s, [key('s')]);
    let status = s.queue.status;
    assert!(status.is_some());
    send(
        &mut s,
        [
            key('s'),
            key('s'),
            key('s'),
            key('s'),
            key('s'),
            key('s'),
            key('s'),
            key('s'),
            key('s'),
        ],
    );
    assert_eq!(s.queue.status, None);
    send(&mut s, [key('/'), key('A'), key('R'), code(KeyCode::Enter)]);
    assert_eq!(s.queue.filter, "AR");
    send(&mut s, [key('j')]);
    let before = selected_id(&s);
    let visible_before = s.queue.visible.len();
    assert!(visible_before >= 2);

    let fx = send(&mut s, [key('R')]);
    assert_eq!(fx, vec![Effect::LoadCases]);
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .1
            .contains("reading the case files again")
    );

    // The new set lists the cases in another order (a new file sorts first), so the
    // selected case sits at another index: the selection follows its id.
    let mut set = fixture_set();
    set.cases.reverse();
    set.cases.push(loaded(
        "AR-2026-0001.yaml",
        &fixture_text("AR-2026-0101.yaml").replace("id: AR-2026-0101", "id: AR-2026-0001"),
    ));
    let n = set.cases.len() + set.invalid.len();
    let fx = send(&mut s, [Msg::Loaded(Box::new(set))]);
    // The log is read again for the new set, as at start (statuses, proposals).
    assert_eq!(fx, vec![Effect::ListDrafts, Effect::RefreshLog]);
    assert!(!s.reloading);
    assert_eq!(s.queue.filter, "AR");
    assert_eq!(selected_id(&s), before);
    assert_eq!(s.queue.visible.len(), visible_before + 1);
    assert_eq!(
        s.message.as_ref().unwrap().1,
        format!("reloaded {n} case files (1 invalid)")
    );
}

#[test]
fn a_failed_reload_keeps_the_cases_on_screen() {
    let mut s = state();
    let rows = s.rows.len();
    send(&mut s, [key('R')]);
    send(&mut s, [Msg::LoadFailed("permission denied".into())]);
    assert_eq!(s.rows.len(), rows);
    assert_eq!(s.load, casebench::tui::app::Load::Ready);
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .1
            .contains("cannot read the case files again: permission denied")
    );
}

#[test]
fn the_first_load_says_nothing_about_reloading() {
    let s = state();
    assert!(s.message.is_none());
}

#[test]
fn an_edited_case_file_shows_its_new_title_after_r() {
    let tmp = tempfile::tempdir().unwrap();
    for name in [
        "AR-2026-0101.yaml",
        "AR-2026-0150.yaml",
        "DC-2026-0007.yaml",
    ] {
        std::fs::write(tmp.path().join(name), fixture_text(name)).unwrap();
    }
    let opts = LoadOptions::new(today());
    let mut s = casebench::tui::app::State::new(
        today(),
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    send(&mut s, load_messages(tmp.path(), &opts, &|_, _| {}));
    let before = render(&mut s, 120, 40);
    assert!(before.contains("Patient asks for her chart"), "{before}");

    let path = tmp.path().join("AR-2026-0101.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let old_title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    std::fs::write(
        &path,
        text.replace(&old_title, "title: Medication list only (amended)"),
    )
    .unwrap();
    // Nothing changes until the key.
    assert!(!render(&mut s, 120, 40).contains("Medication list only"));
    let fx = send(&mut s, [key('R')]);
    assert_eq!(fx, vec![Effect::LoadCases]);
    send(&mut s, load_messages(tmp.path(), &opts, &|_, _| {}));
    let after = render(&mut s, 120, 40);
    assert!(after.contains("Medication list only (amended)"), "{after}");
    assert!(
        after.contains("reloaded 3 case files (0 invalid)"),
        "{after}"
    );
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn r_is_in_the_queue_help() {
    let mut s = state();
    send(&mut s, [key('?')]);
    let out = render(&mut s, 120, 40);
    assert!(out.contains("read the case files again"), "{out}");
}
