//! Scrolling the queue row by row past the screen's edge is cheap for the terminal: the
//! rows move by half a page when the cursor leaves the screen (not one row per key, which
//! repaints every row), so keys average well under 2 KB at 200×60 even when every title
//! differs. Bytes, not time: deterministic (benches/render.rs measures the same at
//! 10,000 cases).

use crate::support::tui as tui_support;

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;

use casebench::rules::CaseSet;
use casebench::tui::app::Msg;
use casebench::tui::app::update;
use casebench::tui::event_loop::{byte_terminal, draw_frame};
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `n` cases, each title different in most of its characters.
fn many(n: usize) -> CaseSet {
    let text = fixture_text("AR-2026-0101.yaml");
    let words = [
        "access", "records", "therapy", "notes", "copy", "portal", "legal", "guardian", "release",
        "school", "letter", "insurer", "court", "family", "summary", "chart",
    ];
    let cases = (0..n)
        .map(|i| {
            let mut c = loaded("AR-2026-0101.yaml", &text);
            c.case.id = format!("AR-2026-{i:05}");
            c.case.title = (0..12)
                .map(|k| words[(i * 7 + k * 5 + i / 3 * k) % words.len()])
                .collect::<Vec<_>>()
                .join(" ");
            c
        })
        .collect();
    CaseSet {
        dir: "cases".into(),
        cases,
        ..CaseSet::default()
    }
}

#[test]
fn scrolling_keys_average_under_2_kb_at_200x60() {
    let mut s = state_with(many(400), casebench::tui::theme::Theme::default_theme());
    update(&mut s, Msg::Resize(200, 60));
    let bytes = Counter::default();
    let mut term = byte_terminal(bytes.clone(), 200, 60).unwrap();
    draw_frame(&mut term, &s).unwrap();
    for (k, start) in [(KeyCode::Down, KeyCode::Home), (KeyCode::Up, KeyCode::End)] {
        update(&mut s, Msg::Key(k_event(start)));
        draw_frame(&mut term, &s).unwrap();
        let keys = 300;
        bytes.0.set(0);
        let mut repaints = 0;
        for _ in 0..keys {
            let before = bytes.0.get();
            update(&mut s, Msg::Key(k_event(k)));
            draw_frame(&mut term, &s).unwrap();
            repaints += usize::from(bytes.0.get() - before > 1024);
            // The cursor is always on screen.
            let page = s.queue_page();
            assert!(s.queue.offset <= s.queue.selected);
            assert!(s.queue.selected < s.queue.offset + page);
        }
        let mean = bytes.0.get() / keys;
        assert!(mean <= 2048, "{k:?}: {mean} B per key");
        // The table is repainted once every half page (28 rows at 60 lines), not per key.
        assert!(repaints <= keys / 28 + 1, "{k:?}: {repaints} repaints");
        assert!(repaints >= 1, "{k:?}: the rows never moved");
    }
}

fn k_event(c: KeyCode) -> ratatui::crossterm::event::KeyEvent {
    ratatui::crossterm::event::KeyEvent::from(c)
}
