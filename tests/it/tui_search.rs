//! `/` in the case view: the search over the panes and the advisor as shown (sanitised,
//! wrapped), `n`/`N` between matches (switching pane and scrolling, wrapping around),
//! the matches highlighted in every theme, Esc clears.

use crate::support::tui as tui_support;

use casebench::tui::app::{Msg, Screen, State};
use casebench::tui::screens::case::{Hit, search};

/// Every match of the open case's search, at the state's size.
fn hits(s: &State) -> Vec<Hit> {
    s.case
        .as_ref()
        .map_or_else(Vec::new, |v| search::hits(v, s.size))
}
use casebench::tui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;
use tui_support::*;

fn settled(s: &mut State, msgs: impl IntoIterator<Item = Msg>) {
    let mut a = fixture_answers(None);
    let fx = send(s, msgs);
    settle(s, &mut a, fx);
}

/// AR-2026-0101 open at `w`×`h`, the advisor answered (hidden until asked for).
fn case(w: u16, h: u16) -> State {
    let mut s = state();
    update_size(&mut s, w, h);
    let fx = open(&mut s, "AR-2026-0101");
    let mut a = fixture_answers(None);
    settle(&mut s, &mut a, fx);
    s
}

fn update_size(s: &mut State, w: u16, h: u16) {
    casebench::tui::app::update(s, Msg::Resize(w, h));
}

fn search(s: &mut State, q: &str) {
    settled(s, [key('/')]);
    settled(s, q.chars().map(key));
}

fn message(s: &State) -> String {
    s.message.as_ref().map(|m| m.1.clone()).unwrap_or_default()
}

fn current(s: &State) -> Hit {
    s.case.as_ref().unwrap().search.current.unwrap()
}

/// The text of the cells drawn as matches (reverse video and underlined), per row.
fn marked_text(b: &ratatui::buffer::Buffer) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..b.area.height {
        let mut run = String::new();
        for x in 0..b.area.width {
            let c = &b[(x, y)];
            let m = c.style().add_modifier;
            if m.contains(Modifier::REVERSED | Modifier::UNDERLINED) {
                run.push_str(c.symbol());
            } else if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
        }
        if !run.is_empty() {
            out.push(run);
        }
    }
    out
}

#[test]
fn typing_a_query_finds_every_match_and_moves_to_the_first() {
    let mut s = case(80, 24);
    search(&mut s, "chart");
    let all = hits(&s);
    assert!(all.len() >= 4, "{all:?}");
    // The panes and the advisor all hold "chart".
    for area in 0..4 {
        assert!(all.iter().any(|h| h.area == area), "area {area}: {all:?}");
    }
    assert_eq!(current(&s), all[0]);
    assert!(
        message(&s).starts_with("/chart▏  match 1 of"),
        "{}",
        message(&s)
    );
    settled(&mut s, [code(KeyCode::Enter)]);
    let v = s.case.as_ref().unwrap();
    assert!(!v.search.typing);
    assert_eq!(
        message(&s),
        format!(
            "match 1 of {} in Evaluation of harm · n next, N previous, Esc clears",
            all.len()
        )
    );
}

#[test]
fn search_is_case_insensitive() {
    let mut s = case(120, 40);
    search(&mut s, "chart");
    let lower = hits(&s);
    settled(&mut s, [code(KeyCode::Esc)]);
    search(&mut s, "ChArT");
    assert_eq!(hits(&s), lower);
}

#[test]
fn n_and_shift_n_walk_the_matches_across_panes_and_wrap() {
    let mut s = case(80, 24);
    search(&mut s, "chart");
    settled(&mut s, [code(KeyCode::Enter)]);
    let all = hits(&s);
    for (i, h) in all.iter().enumerate().skip(1) {
        settled(&mut s, [key('n')]);
        assert_eq!(current(&s), *h);
        let v = s.case.as_ref().unwrap();
        // The pane (tab) with the match has the focus; the advisor is shown for its own.
        assert_eq!(v.focus, h.area);
        assert!(h.area < 3 || v.show_advisor);
        assert!(
            message(&s).starts_with(&format!("match {} of {}", i + 1, all.len())),
            "{}",
            message(&s)
        );
    }
    settled(&mut s, [key('n')]);
    assert_eq!(current(&s), all[0]);
    assert!(
        message(&s).ends_with("(wrapped to the top)"),
        "{}",
        message(&s)
    );
    settled(&mut s, [key('N')]);
    let all = hits(&s);
    assert_eq!(current(&s), *all.last().unwrap());
    assert!(
        message(&s).ends_with("(wrapped to the bottom)"),
        "{}",
        message(&s)
    );
}

#[test]
fn no_match_says_so() {
    let mut s = case(80, 24);
    search(&mut s, "zebra");
    assert!(
        message(&s).contains("no match for “zebra”"),
        "{}",
        message(&s)
    );
    settled(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(message(&s), "no match for “zebra”");
    settled(&mut s, [key('n')]);
    assert_eq!(message(&s), "no match for “zebra”");
}

#[test]
fn n_without_a_search_says_how_to_start_one() {
    let mut s = case(80, 24);
    settled(&mut s, [key('n')]);
    assert_eq!(message(&s), "no search yet: / searches");
}

#[test]
fn keys_are_text_while_typing_and_esc_clears_before_leaving() {
    let mut s = case(80, 24);
    // `q`, `d` and `C` are text in the query, not "back", "decide", "countersign".
    search(&mut s, "qdC");
    assert_eq!(s.screen, Screen::Case);
    assert_eq!(s.case.as_ref().unwrap().search.query, "qdC");
    settled(&mut s, [code(KeyCode::Backspace), code(KeyCode::Backspace)]);
    assert_eq!(s.case.as_ref().unwrap().search.query, "q");
    // Esc while typing cancels the search.
    settled(&mut s, [code(KeyCode::Esc)]);
    assert!(!s.case.as_ref().unwrap().search.active());
    assert_eq!(s.screen, Screen::Case);
    // A kept search: the first Esc clears it, the second leaves the case.
    search(&mut s, "chart");
    settled(&mut s, [code(KeyCode::Enter), code(KeyCode::Esc)]);
    assert!(!s.case.as_ref().unwrap().search.active());
    assert_eq!(s.screen, Screen::Case);
    assert_eq!(message(&s), "search cleared");
    assert!(marked_text(&buffer(&mut s, 80, 24)).is_empty());
    settled(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn matches_are_highlighted_in_every_theme() {
    for (name, _) in casebench::tui::theme::BUILTIN {
        let mut s = case(120, 40);
        s.theme = Theme::builtin(name).unwrap();
        search(&mut s, "chart");
        settled(&mut s, [code(KeyCode::Enter)]);
        let b = buffer(&mut s, 120, 40);
        let marked = marked_text(&b);
        // Every pane on screen shows its matches (the advisor is not shown yet).
        let on_screen = hits(&s).iter().filter(|h| h.area < 3).count();
        assert_eq!(marked.len(), on_screen, "{name}: {marked:?}");
        assert!(
            marked.iter().all(|m| m.eq_ignore_ascii_case("chart")),
            "{name}: {marked:?}"
        );
    }
}

#[test]
fn a_match_further_down_is_scrolled_into_view() {
    let mut s = state_on(&sample_dir(), 80, 24);
    let fx = open(&mut s, "AR-2026-0124");
    let mut a = fixture_answers(None);
    settle(&mut s, &mut a, fx);
    search(&mut s, "the");
    settled(&mut s, [code(KeyCode::Enter)]);
    let all = hits(&s);
    // A match below the first screen of its pane.
    let far = all
        .iter()
        .position(|h| h.line > 30)
        .expect("a long pane with a late match");
    for _ in 0..far {
        settled(&mut s, [key('n')]);
    }
    let h = current(&s);
    assert_eq!(h, all[far]);
    let v = s.case.as_ref().unwrap();
    let offset = match v.panes.get(h.area) {
        Some(p) => p.scroll.offset,
        None => v.advisor_scroll.offset,
    };
    assert!(offset > 0 && offset <= h.line, "{offset} {h:?}");
    // The current match is on screen, bold as well.
    let b = buffer(&mut s, 80, 24);
    let bold = (0..b.area.height).any(|y| {
        (0..b.area.width).any(|x| {
            b[(x, y)]
                .style()
                .add_modifier
                .contains(Modifier::REVERSED | Modifier::UNDERLINED | Modifier::BOLD)
        })
    });
    assert!(bold);
}

#[test]
fn snapshots_of_a_search() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = case(w, h);
        search(&mut s, "chart");
        settled(&mut s, [code(KeyCode::Enter), key('n')]);
        let b = buffer(&mut s, w, h);
        insta::assert_snapshot!(
            format!("search_{w}x{h}"),
            format!(
                "{}\nmatches drawn: {:?}\n\n{}",
                text(&b),
                marked_text(&b),
                style_map(&b)
            )
        );
    }
}

#[test]
fn the_help_lists_the_search_keys() {
    let mut s = case(80, 24);
    settled(&mut s, [key('?')]);
    let out = render(&mut s, 80, 24);
    for k in ["search the panes", "next match", "previous match"] {
        assert!(out.contains(k), "{k}: {out}");
    }
}

/// The queue's fuzzy filter shows which characters matched in each row.
#[test]
fn the_queue_filter_highlights_what_matched() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state();
        settled(&mut s, [key('/')]);
        settled(&mut s, "0150".chars().map(key));
        let b = buffer(&mut s, w, h);
        let marked = marked_text(&b);
        assert_eq!(marked, ["0150"], "{w}x{h}");
        // Fuzzy: the characters of "rvw" scattered in a title are each marked.
        let mut s = state();
        settled(&mut s, [key('/')]);
        settled(&mut s, "chrt".chars().map(key));
        let b = buffer(&mut s, w, h);
        // The first row (AR-2026-0101, "…her chart…"): at 80 columns its title is cut
        // after "ch", and only what is shown is marked.
        let row: String = (0..b.area.width)
            .map(|x| &b[(x, 3)])
            .filter(|c| {
                c.style()
                    .add_modifier
                    .contains(Modifier::REVERSED | Modifier::UNDERLINED)
            })
            .map(|c| c.symbol())
            .collect();
        let want = if w == 80 { "ch" } else { "chrt" };
        assert_eq!(row, want, "{w}x{h}:\n{}", text(&b));
        insta::assert_snapshot!(
            format!("queue_filter_{w}x{h}"),
            format!(
                "{}\nmatches drawn: {:?}\n\n{}",
                text(&b),
                marked_text(&b),
                style_map(&b)
            )
        );
        // No filter, no marks.
        settled(&mut s, [code(KeyCode::Esc)]);
        assert!(marked_text(&buffer(&mut s, w, h)).is_empty());
    }
}
