//! The practice comparison: score, outcome, grounds, withhold map, notice elements,
//! reference grounds with citations and the explanation. Only ever drawn from
//! `Practice::comparison`, which exists once a practice record is signed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{footer, span, split_footer};
use crate::tui::app::State;
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::Role;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let (body, foot) = split_footer(area);
    let (title, lines, scroll) = match &state.practice.comparison {
        Some(c) => (
            format!(" {} ", c.title),
            c.lines
                .iter()
                .map(|l| {
                    Line::from(
                        l.iter()
                            .map(|(r, s)| span(t, *r, s.as_str()))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect(),
            c.scroll,
        ),
        None => (" Practice ".to_string(), Vec::new(), 0),
    };
    let para = Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(Role::Border))
                .title(span(t, Role::Title, title)),
        )
        .style(t.style(Role::Normal))
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0));
    frame.render_widget(para, body);
    footer(
        state,
        frame,
        foot,
        Context::Invalid,
        &[Action::Down, Action::Back],
    );
}
