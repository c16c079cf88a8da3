//! The practice comparison: score, outcome, grounds, withhold map, notice elements,
//! reference grounds with citations and the explanation. Only ever drawn from
//! `Practice::comparison`, which exists once a practice record is signed.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::text_page;
use crate::tui::app::State;
use crate::tui::keymap::Context;
use crate::tui::scroll::Scroll;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    // The lines are borrowed: a frame copies nothing.
    let (title, lines, at) = match &state.practice.comparison {
        Some(c) => (format!(" {} ", c.title), c.lines.as_slice(), c.scroll),
        None => (" Practice ".to_string(), &[][..], Scroll::default()),
    };
    text_page(state, frame, area, Context::Practice, title, lines, at);
}
