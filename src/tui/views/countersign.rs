//! The countersign screen: a trainee's proposal (sanitised when the state was built) and
//! the supervisor's one-line rationale, drawn over the case view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{span, split_footer};
use crate::tui::app::State;
use crate::tui::countersign::for_case;
use crate::tui::keymap::Action;
use crate::tui::theme::Role;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let Some(view) = &state.countersign.open else {
        return;
    };
    let t = &state.theme;
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
    let line = match &state.message {
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

/// For the case view's footer, right-aligned: the key, when a proposal awaits this signer.
pub fn hint(state: &State) -> Option<String> {
    let p = for_case(state).filter(|_| state.message.is_none())?;
    let key = state.keymap.first_key(state.context(), Action::Countersign);
    Some(format!("{key} countersign {}'s proposal", p.trainee))
}
