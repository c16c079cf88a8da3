//! The practice comparison: score, outcome, grounds, withhold map, notice elements,
//! reference grounds with citations and the explanation. Only ever drawn from
//! `Practice::comparison`, which exists once a practice record is signed.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::ComparisonView;
use crate::tui::keymap::Context;
use crate::tui::scroll::Scroll;
use crate::tui::widgets::{Look, text_page};

pub fn draw(look: Look, comparison: Option<&ComparisonView>, frame: &mut Frame, area: Rect) {
    // The lines are borrowed: a frame copies nothing.
    let (title, lines, at) = match comparison {
        Some(c) => (format!(" {} ", c.title), c.lines.as_slice(), c.scroll),
        None => (" Practice ".to_string(), &[][..], Scroll::default()),
    };
    text_page(look, frame, area, Context::Practice, title, lines, at);
}
