//! Every pane shows its last line (issue 11, point 3), as a property: for random texts
//! and widths from 20 to 200 columns, scrolling to the end shows the last wrapped line
//! at the bottom (never a blank page), and `j` past it does nothing. Checked on the
//! scroll component itself and through the case view (layout, wrapping and drawing).

use crate::support::tui as tui_support;

use casebench::tui::app::Msg;
use casebench::tui::keymap::Action;
use casebench::tui::scroll::{self, Scroll, Styled};
use casebench::tui::theme::{Role, Theme};
use tui_support::*;

/// A small deterministic generator (xorshift), so that a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const LETTERS: &[&str] = &[
    "a", "b", "c", "d", "e", "n", "o", "r", "s", "t", "é", "ü", "ß", "中", "文", "(", ")", ",",
    ".", ";", "1", "2",
];

fn word(r: &mut Rng) -> String {
    // Mostly short words; now and then one longer than any line.
    let len = if r.below(40) == 0 {
        20 + r.below(240)
    } else {
        1 + r.below(12)
    };
    (0..len)
        .map(|_| LETTERS[r.below(LETTERS.len() as u64) as usize])
        .collect()
}

/// Paragraphs, list items, blank lines and runs of spaces.
fn text(r: &mut Rng) -> String {
    let mut out = String::new();
    for p in 0..(1 + r.below(6)) {
        if p > 0 {
            out.push_str(if r.below(2) == 0 { "\n\n" } else { "\n- " });
        }
        for w in 0..(1 + r.below(80)) {
            if w > 0 {
                out.push_str(if r.below(15) == 0 { "   " } else { " " });
            }
            out.push_str(&word(r));
        }
    }
    out
}

fn plain(l: &Styled) -> String {
    l.iter().map(|(_, s)| s.as_str()).collect()
}

#[test]
fn the_scroll_component_reaches_the_last_wrapped_line_and_stops() {
    let theme = Theme::default_theme();
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..400 {
        let width = 20 + r.below(181) as usize;
        let height = 1 + r.below(60) as usize;
        let source = text(&mut r);
        let lines: Vec<Styled> = source
            .split('\n')
            .map(|l| vec![(Role::Normal, l.to_string())])
            .collect();
        let wrapped = scroll::wrap(&lines, width);
        let ctx = format!("case {case}: width {width}, height {height}");
        // Nothing is wider than the view, and no word is lost.
        for l in &wrapped {
            assert!(casebench::tui::fit::width(&plain(l)) <= width, "{ctx}");
        }
        let words = |s: &str| s.split_whitespace().collect::<String>();
        let all: String = wrapped.iter().map(plain).collect::<Vec<_>>().join(" ");
        assert_eq!(words(&all), words(&source), "{ctx}");
        // `G`: the last line at the bottom, the page full.
        let mut at = Scroll::default();
        at.act(Action::Bottom, wrapped.len(), height);
        let (shown, offset) = scroll::visible(&theme, &wrapped, at, height);
        assert_eq!(shown.len(), height.min(wrapped.len()), "{ctx}");
        let last: String = shown
            .last()
            .unwrap()
            .spans
            .iter()
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(last, plain(wrapped.last().unwrap()), "{ctx}");
        // `j` past the end does nothing; the counter says the end is on screen.
        assert!(!at.act(Action::Down, wrapped.len(), height), "{ctx}");
        assert_eq!(at.offset, offset, "{ctx}");
        let counter = scroll::counter(offset, wrapped.len(), height);
        let n = wrapped.len();
        assert!(
            counter.ends_with(&format!("-{n}/{n}")) || counter.starts_with("all") || n == 1,
            "{ctx}: {counter}"
        );
        // And back to the top.
        at.act(Action::Top, wrapped.len(), height);
        assert_eq!(at.offset, 0, "{ctx}");
    }
}

#[test]
fn the_evaluation_of_harm_pane_shows_its_last_line_at_any_size() {
    let mut r = Rng(0x2545_F491_4F6C_DD1D);
    for round in 0..60 {
        let w = 40 + r.below(161) as u16;
        let h = 10 + r.below(51) as u16;
        let mut set = fixture_set();
        let summary = text(&mut r);
        set.cases[0]
            .case
            .harm_evaluation
            .done_mut()
            .unwrap()
            .summary = summary.clone();
        let id = set.cases[0].case.id.clone();
        let mut s = state_with(set, Theme::default_theme());
        send(&mut s, [Msg::Resize(w, h)]);
        open(&mut s, &id);
        send(&mut s, [key('1'), key('G')]);
        let screen = render(&mut s, w, h);
        let ctx = format!("round {round}: {w}x{h}\n{screen}");
        // The pane's last wrapped line is on screen, right above the bottom border.
        let (wrapped, height) =
            casebench::tui::screens::case::layout::case_focus(s.case.as_ref().unwrap(), s.size)
                .unwrap();
        let last = plain(wrapped.last().unwrap());
        let rows: Vec<&str> = screen.lines().collect();
        let bottom = rows
            .iter()
            .rposition(|l| l.starts_with('┗'))
            .unwrap_or_else(|| panic!("{ctx}"));
        // (A wide character's second cell reads as a space in the text of the frame.)
        let squeeze = |t: &str| t.chars().filter(|c| *c != ' ').collect::<String>();
        // Right above the border when the text is longer than the pane; else after the
        // text's other lines.
        let row = bottom - 1 - height.saturating_sub(wrapped.len());
        assert!(
            squeeze(rows[row]).contains(&squeeze(&last)),
            "{ctx}\nlast wrapped line: {last:?}"
        );
        // The page is full: no blank page after the end.
        let offset = s.case.as_ref().unwrap().panes[0].scroll.offset;
        assert_eq!(offset, wrapped.len().saturating_sub(height), "{ctx}");
        // `j` past the end does nothing, not even a redraw.
        s.needs_draw = false;
        send(&mut s, [key('j')]);
        assert_eq!(
            s.case.as_ref().unwrap().panes[0].scroll.offset,
            offset,
            "{ctx}"
        );
        assert!(!s.needs_draw, "{ctx}");
    }
}
