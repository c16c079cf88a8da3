use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{footer, scrolled, span, split_footer};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Context};
use crate::tui::scroll::Styled;
use crate::tui::theme::Role;

/// Invalid case files, each with its problems (`path:line:col: message` and snippet).
pub fn lines(state: &State) -> Vec<Styled> {
    let mut lines = Vec::new();
    for f in &state.invalid {
        lines.push(vec![(Role::Error, f.path.clone())]);
        for p in &f.problems {
            for l in p.split('\n') {
                lines.push(vec![(Role::Normal, format!("  {l}"))]);
            }
        }
    }
    lines
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let (body, foot) = split_footer(area);
    let title = format!(" {} invalid case file(s) ", state.invalid.len());
    scrolled(
        t,
        frame,
        body,
        Line::from(span(t, Role::Title, title)),
        Role::Border,
        &lines(state),
        state.invalid_scroll,
    );
    footer(state, frame, foot, Context::Invalid, &[Action::Back], None);
}
