use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{InvalidRow, lines};
use crate::tui::keymap::{Action, Context};
use crate::tui::layout::split_footer;
use crate::tui::scroll::Scroll;
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, footer, scrolled, span};

pub fn draw(look: Look, rows: &[InvalidRow], at: Scroll, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    let title = format!(" {} invalid case file(s) ", rows.len());
    scrolled(
        t,
        frame,
        body,
        Line::from(span(t, Role::Title, title)),
        Role::Border,
        &lines(rows),
        at,
    );
    footer(look, frame, foot, Context::Invalid, &[Action::Back], None);
}
