//! The provision form, drawn over the case view: what the decision calls for, then one
//! line per field (the focused one marked), its hint under it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{FIELDS, ProvisionForm};
use crate::tui::layout::split_footer;
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, span};

pub fn draw(look: Look, f: &ProvisionForm, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    let mut lines = vec![
        Line::from(vec![
            span(t, Role::Muted, "to record: "),
            span(t, Role::Normal, f.what.clone()),
        ]),
        Line::default(),
    ];
    for (i, (name, _)) in FIELDS.iter().enumerate() {
        let focused = i == f.focus;
        let value = crate::text::sanitize_line(&f.values[i]);
        lines.push(Line::from(vec![
            span(
                t,
                if focused { Role::Title } else { Role::Muted },
                format!("{}{name:<12} ", if focused { "> " } else { "  " }),
            ),
            span(
                t,
                Role::Normal,
                if focused { format!("{value}_") } else { value },
            ),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(span(t, Role::Muted, FIELDS[f.focus].1)));
    let para = Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(Role::Border))
                .title(span(t, Role::Title, " Record what was provided ")),
        )
        .style(t.style(Role::Normal))
        .wrap(Wrap { trim: false });
    frame.render_widget(Clear, body);
    frame.render_widget(para, body);
    let line = match look.message {
        Some((role, text)) => Line::from(span(
            t,
            *role,
            crate::tui::fit::fit(text, foot.width as usize),
        )),
        None => Line::from(vec![
            span(t, Role::Key, "Tab"),
            span(t, Role::Muted, " next field  "),
            span(t, Role::Key, "Enter"),
            span(t, Role::Muted, " sign the provision  "),
            span(t, Role::Key, "Esc"),
            span(t, Role::Muted, " cancel"),
        ]),
    };
    frame.render_widget(Clear, foot);
    frame.render_widget(Paragraph::new(line).style(t.style(Role::Normal)), foot);
}
