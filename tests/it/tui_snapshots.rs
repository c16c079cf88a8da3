//! Snapshots of every screen at 200×50, 120×40, 80×24 and 20×5 (text, default theme),
//! style maps per theme at 80×24, and no panic at any size down to 0×0.

use crate::support::tui as tui_support;

use casebench::tui::theme::{BUILTIN, Role, Theme};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;
use tui_support::*;

type Make = fn() -> casebench::tui::app::State;

const SIZES: [(u16, u16); 4] = [(200, 50), (120, 40), (80, 24), (20, 5)];

/// Sends messages and answers the advisor's effects as the event loop does.
fn send(
    s: &mut casebench::tui::app::State,
    msgs: impl IntoIterator<Item = casebench::tui::app::Msg>,
) -> Vec<casebench::tui::app::Effect> {
    let mut a = fixture_answers(None);
    let fx = tui_support::send(s, msgs);
    settle(s, &mut a, fx)
}

fn queue() -> casebench::tui::app::State {
    state()
}

fn case_view() -> casebench::tui::app::State {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    s
}

fn form() -> casebench::tui::app::State {
    let mut s = case_view();
    // Outcome release_partial on right-of-access, withhold the notes on a ground, one
    // disclosure, a rationale.
    send(
        &mut s,
        [key('d'), key('l'), key('l'), key('j'), code(KeyCode::Enter)],
    );
    send(&mut s, "right-of-access".chars().map(key));
    send(
        &mut s,
        [code(KeyCode::Enter), key('j'), key('j'), key('j'), key(' ')],
    );
    send(&mut s, [key('j'), code(KeyCode::Enter)]);
    send(&mut s, "psychotherapy-notes".chars().map(key));
    send(&mut s, [code(KeyCode::Enter), key('a')]);
    send(&mut s, "M. Reyes".chars().map(key));
    send(&mut s, [code(KeyCode::Esc)]);
    for _ in 0..6 {
        send(&mut s, [key('j')]);
    }
    send(&mut s, [code(KeyCode::Enter)]);
    send(&mut s, "Notes are kept separately.".chars().map(key));
    send(&mut s, [code(KeyCode::Esc)]);
    s
}

fn help() -> casebench::tui::app::State {
    let mut s = state();
    send(&mut s, [key('?')]);
    s
}

fn snap_all(name: &str, make: fn() -> casebench::tui::app::State) {
    for (w, h) in SIZES {
        let mut s = make();
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&mut s, w, h));
    }
}

#[test]
fn queue_at_every_size() {
    snap_all("queue", queue);
}

#[test]
fn case_view_at_every_size() {
    snap_all("case", case_view);
}

#[test]
fn form_at_every_size() {
    snap_all("form", form);
}

#[test]
fn help_at_every_size() {
    snap_all("help", help);
}

#[test]
fn form_preview_replaces_fields_when_narrow_and_sign_has_focus() {
    let mut s = form();
    send(&mut s, [key('j'), key('j'), key('j'), key('j')]);
    insta::assert_snapshot!("form_sign_80x24", render(&mut s, 80, 24));
}

#[test]
fn invalid_list() {
    let mut s = state();
    send(&mut s, [key('i')]);
    insta::assert_snapshot!("invalid_80x24", render(&mut s, 80, 24));
}

#[test]
fn style_maps_per_theme() {
    let makers: [(&str, Make); 4] = [
        ("queue", queue),
        ("case", case_view),
        ("form", form),
        ("help", help),
    ];
    for (name, _) in BUILTIN {
        for (screen, make) in makers {
            let mut s = make();
            s.theme = Theme::builtin(name).unwrap();
            insta::assert_snapshot!(
                format!("styles_{screen}_{name}"),
                style_map(&buffer(&mut s, 80, 24))
            );
        }
    }
}

#[test]
fn themes_change_style_never_text() {
    let mut base = queue();
    let text0 = render(&mut base, 80, 24);
    for (name, _) in BUILTIN {
        let mut s = state_with(fixture_set(), Theme::builtin(name).unwrap());
        assert_eq!(render(&mut s, 80, 24), text0, "{name}");
    }
}

#[test]
fn overdue_and_selection_use_their_roles_and_markers() {
    for (name, _) in BUILTIN {
        let theme = Theme::builtin(name).unwrap();
        let mut s = state_with(fixture_set(), theme.clone());
        let b = buffer(&mut s, 120, 20);
        let t = text(&b);
        // The first row is selected: a `>` marker in reverse video, whatever the theme.
        let row = t.lines().position(|l| l.starts_with('>')).unwrap() as u16;
        assert!(
            b[(0, row)]
                .style()
                .add_modifier
                .contains(Modifier::REVERSED),
            "{name}"
        );
        // Overdue rows carry the `!!` marker and the overdue role's style.
        let (y, line) = t
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("!! -"))
            .unwrap();
        let x = line.find("!! -").unwrap() as u16;
        let st = b[(x, y as u16)].style();
        let want = theme.style(Role::Overdue);
        let reset = |c: Option<ratatui::style::Color>| c.unwrap_or(ratatui::style::Color::Reset);
        assert_eq!(reset(st.fg), reset(want.fg), "{name}");
        assert!(st.add_modifier.contains(want.add_modifier), "{name}");
    }
    let def = Theme::builtin("default").unwrap();
    assert_ne!(def.style(Role::Overdue), def.style(Role::Ok));
    assert_ne!(def.style(Role::Muted), def.style(Role::Normal));
}

#[test]
fn no_panic_at_any_size() {
    let makers: [Make; 4] = [queue, case_view, form, help];
    for make in makers {
        let mut s = make();
        for w in 0..=130u16 {
            for h in [0u16, 1, 2, 3, 5, 9, 10, 11, 24] {
                let _ = buffer(&mut s, w, h);
            }
        }
        for h in 0..=60u16 {
            for w in [1u16, 39, 40, 79, 80, 119, 120, 200] {
                let _ = buffer(&mut s, w, h);
            }
        }
    }
}

#[test]
fn too_small_says_so() {
    let mut s = queue();
    let t = render(&mut s, 39, 10);
    assert!(t.contains("Please"), "{t}");
    let t = render(&mut s, 40, 10);
    assert!(!t.contains("Please enlarge"), "{t}");
}

#[test]
fn form_preview_shows_the_notice_the_decision_sends() {
    use casebench::tui::app::Msg;
    use casebench::tui::screens::form::preview::PreviewView;
    let mut s = form();
    let view = PreviewView {
        record: vec!["record: casebench-decision/1".into()],
        notice: vec![
            "RESPONSE TO YOUR REQUEST FOR RECORDS".into(),
            "How to complain".into(),
        ],
        ..PreviewView::default()
    };
    send(
        &mut s,
        [Msg::Preview {
            case: "AR-2026-0101".into(),
            view,
        }],
    );
    let screen = render(&mut s, 200, 50);
    assert!(
        screen.contains("The written notice this decision sends:"),
        "{screen}"
    );
    assert!(
        screen.contains("RESPONSE TO YOUR REQUEST FOR RECORDS"),
        "{screen}"
    );
}

/// 80 columns (issue 23): with a long case directory, the queue's title line keeps the
/// status filter in words and the `/` pattern being typed; the path is cut with `…`.
#[test]
fn the_queue_title_keeps_the_filters_at_80_and_120_columns() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = casebench::tui::app::State::new(
            today(),
            "/srv/clinic/lakeside-behavioral-health/casebench/cases",
            Theme::default_theme(),
            casebench::tui::keymap::Keymap::default(),
        );
        casebench::tui::app::update(
            &mut s,
            casebench::tui::app::Msg::Loaded(Box::new(fixture_set())),
        );
        send(
            &mut s,
            [key('s'), key('s'), key('s'), key('/'), key('c'), key('h')],
        );
        let screen = render(&mut s, w, h);
        let title = screen.lines().next().unwrap();
        assert!(title.contains("status: open"), "{title}");
        assert!(title.contains("/ch▏"), "{title}");
        // The path is what gives way, with `…`, where the line would not fit.
        assert_eq!(title.contains('…'), w == 80, "{title}");
        insta::assert_snapshot!(format!("queue_filters_{w}x{h}"), screen);
    }
}
