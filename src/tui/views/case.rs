//! The case view: a header over three panes side by side (tabs below 120 columns), with
//! a seam for the advisor panel as a fourth area.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Text};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Wrap};

use super::{footer, rows, span, split_footer};
use crate::tui::app::{CaseView, Pane, SIDE_BY_SIDE_WIDTH, State, kind_text};
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::{Role, Theme};

const ADVISOR_TITLE: &str = "Advisor";

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let Some(view) = &state.case else {
        return;
    };
    let t = &state.theme;
    let (body, foot) = split_footer(area);
    let parts = rows(body, &[3]);
    header(t, view, frame, parts[0]);
    if area.width >= SIDE_BY_SIDE_WIDTH {
        side_by_side(t, view, frame, parts[1]);
    } else {
        tabs(t, view, frame, parts[1]);
    }
    footer(
        state,
        frame,
        foot,
        Context::Case,
        &[
            Action::NextPane,
            Action::Decide,
            Action::Advisor,
            Action::Back,
        ],
    );
    super::countersign::hint(state, frame, foot);
}

fn header(t: &Theme, v: &CaseView, frame: &mut Frame, area: Rect) {
    let (clock, role) = &v.clock;
    let first = Line::from(vec![
        span(t, Role::Title, v.id.as_str()),
        span(t, Role::Muted, " · "),
        span(t, Role::Normal, kind_text(v.kind)),
        span(t, Role::Muted, " · requester "),
        span(t, Role::Normal, v.requester.as_str()),
        span(t, Role::Muted, " · "),
        span(t, Role::Normal, v.jurisdiction.as_str()),
    ]);
    let second = Line::from(span(t, *role, clock.as_str()));
    let third = Line::from(span(t, Role::Header, v.title.as_str()));
    frame.render_widget(Paragraph::new(vec![first, second, third]), area);
}

fn area_count(v: &CaseView) -> usize {
    if v.show_advisor { 4 } else { 3 }
}

fn side_by_side(t: &Theme, v: &CaseView, frame: &mut Frame, area: Rect) {
    let n = area_count(v) as u32;
    let cols = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(area);
    for (i, rect) in cols.iter().enumerate() {
        let focused = v.focus == i;
        match v.panes.get(i) {
            Some(p) => pane(t, p, focused, frame, *rect),
            None => advisor(t, v, focused, frame, *rect),
        }
    }
}

fn tabs(t: &Theme, v: &CaseView, frame: &mut Frame, area: Rect) {
    let parts = rows(area, &[1]);
    let wide = area.width >= 76;
    let mut spans = Vec::new();
    for i in 0..area_count(v) {
        let title = match v.panes.get(i) {
            Some(p) if wide => p.title,
            Some(_) => ["Harm", "Notes", "Docs"][i],
            None => ADVISOR_TITLE,
        };
        let label = format!("{} {title}", i + 1);
        if i == v.focus {
            spans.push(span(t, Role::Marker, ">"));
            spans.push(ratatui::text::Span::styled(label, t.selected()));
        } else {
            spans.push(span(t, Role::Muted, format!(" {label}")));
        }
        spans.push(span(t, Role::Border, " │ "));
    }
    spans.pop();
    frame.render_widget(Paragraph::new(Line::from(spans)), parts[0]);
    match v.panes.get(v.focus) {
        Some(p) => pane(t, p, true, frame, parts[1]),
        None => advisor(t, v, true, frame, parts[1]),
    }
}

fn block<'a>(t: &Theme, title: &'a str, focused: bool, pos: Option<(usize, usize)>) -> Block<'a> {
    let mut b = Block::default().borders(Borders::ALL);
    b = if focused {
        b.border_type(BorderType::Thick)
            .border_style(t.style(Role::Focus))
            .title(Line::from(vec![
                span(t, Role::Marker, "> "),
                span(t, Role::Focus, title),
                span(t, Role::Marker, " <"),
            ]))
    } else {
        b.border_style(t.style(Role::Border)).title(Line::from(span(
            t,
            Role::Title,
            format!("  {title}  "),
        )))
    };
    if let Some((at, of)) = pos {
        b = b
            .title_bottom(Line::from(span(t, Role::Muted, format!(" {at}/{of} "))).right_aligned());
    }
    b
}

fn pane(t: &Theme, p: &Pane, focused: bool, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = p
        .lines
        .iter()
        .map(|l| {
            Line::from(
                l.iter()
                    .map(|(r, s)| span(t, *r, s.as_str()))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let pos = (!p.lines.is_empty()).then(|| (p.scroll + 1, p.lines.len()));
    let para = Paragraph::new(Text::from(lines))
        .block(block(t, p.title, focused, pos))
        .style(t.style(Role::Normal))
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(p.scroll).unwrap_or(u16::MAX), 0));
    frame.render_widget(para, area);
}

/// The advisor's area. Until the advisor engine fills `CaseView::advisor`, it says so.
fn advisor(t: &Theme, v: &CaseView, focused: bool, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = match &v.advisor {
        None => vec![Line::from(span(
            t,
            Role::Muted,
            "The advisor is not available in this build.",
        ))],
        Some(a) => {
            let mut l = vec![
                Line::from(vec![
                    span(t, Role::Muted, "recommended: "),
                    span(t, Role::Header, a.recommended.as_str()),
                ]),
                Line::from(span(t, Role::Normal, a.deadline.as_str())),
                Line::default(),
            ];
            l.extend(
                a.lines
                    .iter()
                    .map(|(r, s)| Line::from(span(t, *r, s.as_str()))),
            );
            l
        }
    };
    let para = Paragraph::new(lines)
        .block(block(t, ADVISOR_TITLE, focused, None))
        .wrap(Wrap { trim: false });
    frame.render_widget(para, area);
}
