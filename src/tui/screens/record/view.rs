//! The record view: a signed record, verified, with its bytes, notice and signature
//! (`tui::record` builds the lines).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::RecordView;
use crate::tui::keymap::Context;
use crate::tui::scroll::{Scroll, Styled};
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, text_page};

pub fn draw(look: Look, record: Option<&RecordView>, frame: &mut Frame, area: Rect) {
    let reading: [Styled; 1] = [vec![(
        Role::Muted,
        "reading and verifying the record...".into(),
    )]];
    // The lines are borrowed: a frame copies nothing.
    let (title, lines, at) = match record {
        Some(r) => (
            format!(" {} ", r.title),
            r.lines.as_deref().unwrap_or(&reading),
            r.scroll,
        ),
        None => (" Record ".to_string(), &[][..], Scroll::default()),
    };
    text_page(look, frame, area, Context::Record, title, lines, at);
}
