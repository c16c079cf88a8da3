use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::span;
use crate::tui::app::State;
use crate::tui::theme::Role;

/// The keys of the current screen, from the live keymap (so rebinding shows here).
pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let ctx = state.context();
    let bindings = state.keymap.bindings(ctx);
    let mut lines: Vec<Line> = bindings
        .iter()
        .map(|(a, keys)| {
            let k: Vec<String> = keys.iter().map(|k| k.label()).collect();
            Line::from(vec![
                span(t, Role::Key, format!("{:<20}", k.join(" "))),
                span(t, Role::Normal, a.help()),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(span(
        t,
        Role::Muted,
        "Ctrl-C quits from anywhere; the draft is saved first.",
    )));
    let want_w = 72u16.min(area.width);
    let want_h = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - want_w) / 2,
        area.y + (area.height - want_h) / 2,
        want_w,
        want_h,
    );
    frame.render_widget(Clear, rect);
    let title = format!(" Keys: {} (? or Esc closes) ", ctx.name());
    frame.render_widget(
        Paragraph::new(lines).style(t.style(Role::Normal)).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(Role::Focus))
                .title(span(t, Role::Title, title)),
        ),
        rect,
    );
}
