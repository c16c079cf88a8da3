//! The practice comparison: score, outcome, grounds, withhold map, notice elements,
//! reference grounds with citations and the explanation. Only ever drawn from
//! `Practice::comparison`, which exists once a practice record is signed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{footer, scrolled, span, split_footer};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Context};
use crate::tui::scroll::Scroll;
use crate::tui::theme::Role;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let (body, foot) = split_footer(area);
    let (title, lines, at) = match &state.practice.comparison {
        Some(c) => (format!(" {} ", c.title), c.lines.clone(), c.scroll),
        None => (" Practice ".to_string(), Vec::new(), Scroll::default()),
    };
    scrolled(
        t,
        frame,
        body,
        Line::from(span(t, Role::Title, title)),
        Role::Border,
        &lines,
        at,
    );
    footer(
        state,
        frame,
        foot,
        Context::Practice,
        &[Action::Down, Action::Bottom, Action::Back],
        None,
    );
}
