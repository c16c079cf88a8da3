use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{footer, span, split_footer};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::Role;

/// Invalid case files, each with its problems (`path:line:col: message` and snippet).
pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let (body, foot) = split_footer(area);
    let mut lines = Vec::new();
    for f in &state.invalid {
        lines.push(Line::from(span(t, Role::Error, f.path.as_str())));
        for p in &f.problems {
            for l in p.split('\n') {
                lines.push(Line::from(span(t, Role::Normal, format!("  {l}"))));
            }
        }
    }
    let title = format!(" {} invalid case file(s) ", state.invalid.len());
    let para = Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(Role::Border))
                .title(span(t, Role::Title, title)),
        )
        .scroll((u16::try_from(state.invalid_scroll).unwrap_or(u16::MAX), 0));
    frame.render_widget(para, body);
    footer(state, frame, foot, Context::Invalid, &[Action::Back]);
}
