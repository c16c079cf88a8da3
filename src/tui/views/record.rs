//! The record view: a signed record, verified, with its bytes, notice and signature
//! (`tui::record` builds the lines).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::text_page;
use crate::tui::app::State;
use crate::tui::keymap::Context;
use crate::tui::scroll::{Scroll, Styled};
use crate::tui::theme::Role;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let reading: [Styled; 1] = [vec![(
        Role::Muted,
        "reading and verifying the record...".into(),
    )]];
    // The lines are borrowed: a frame copies nothing.
    let (title, lines, at) = match &state.record {
        Some(r) => (
            format!(" {} ", r.title),
            r.lines.as_deref().unwrap_or(&reading),
            r.scroll,
        ),
        None => (" Record ".to_string(), &[][..], Scroll::default()),
    };
    text_page(state, frame, area, Context::Record, title, lines, at);
}
