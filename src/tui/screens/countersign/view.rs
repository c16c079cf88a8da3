//! The countersign screen: a trainee's proposal (sanitised when the state was built) and
//! the supervisor's one-line rationale, drawn over the case view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::CountersignView;
use crate::tui::layout::split_footer;
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, span};

pub fn draw(look: Look, view: &CountersignView, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let p = &view.proposal;
    let (body, foot) = split_footer(area);
    let field = |k: &'static str, v: &str| {
        Line::from(vec![
            span(t, Role::Muted, format!("{k:<10}")),
            span(t, Role::Normal, v.to_string()),
        ])
    };
    let mut lines = vec![
        field("trainee", &p.trainee),
        field("proposed", &format!("{} (record {})", p.time, p.seq)),
        field("outcome", &p.outcome),
        field("grounds", &p.grounds),
    ];
    for item in &p.items {
        lines.push(field("item", item));
    }
    lines.push(Line::from(span(t, Role::Muted, "trainee's rationale:")));
    lines.extend(
        p.rationale
            .lines()
            .map(|l| Line::from(span(t, Role::Normal, format!("  {l}")))),
    );
    lines.push(Line::default());
    lines.push(Line::from(vec![
        span(t, Role::Title, "your rationale: "),
        span(t, Role::Normal, format!("{}_", view.rationale)),
    ]));
    let para = Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(Role::Border))
                .title(span(t, Role::Title, " Countersign the trainee's proposal ")),
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
            span(t, Role::Key, "Enter"),
            span(t, Role::Muted, " sign countersignature  "),
            span(t, Role::Key, "Esc"),
            span(t, Role::Muted, " cancel"),
        ]),
    };
    frame.render_widget(Clear, foot);
    frame.render_widget(Paragraph::new(line).style(t.style(Role::Normal)), foot);
}
