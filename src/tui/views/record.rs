//! The record view: a signed record, verified, with its bytes, notice and signature
//! (`tui::record` builds the lines).

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
    let (title, lines, at) = match &state.record {
        Some(r) => {
            let lines = r.lines.clone().unwrap_or_else(|| {
                vec![vec![(
                    Role::Muted,
                    "reading and verifying the record...".into(),
                )]]
            });
            (format!(" {} ", r.title), lines, r.scroll)
        }
        None => (" Record ".to_string(), Vec::new(), Scroll::default()),
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
        Context::Record,
        &[Action::Down, Action::Bottom, Action::Back],
        None,
    );
}
