//! The case view: a header over three panes side by side (tabs below 120 columns), and
//! the advisor panel as a fourth area. Every area scrolls over its wrapped lines
//! (`tui::scroll`), at the width `tui::layout` gives it.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::header::header_lines;
use super::{CaseView, layout, search};
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{Look, Mark, footer, scrolled_marked, span};

const ADVISOR_TITLE: &str = "Advisor";

/// Draws the case view; `size` is the terminal's (the search measures with it), `hint`
/// the right-hand footer hint (a proposal to countersign).
pub fn draw(
    look: Look,
    view: &CaseView,
    size: (u16, u16),
    hint: Option<&str>,
    frame: &mut Frame,
    area: ratatui::layout::Rect,
) {
    let t = look.theme;
    let l = layout::case(area, view);
    let header: Vec<Line> = header_lines(view, area.width)
        .into_iter()
        .map(|l| {
            Line::from(
                l.into_iter()
                    .map(|(r, s)| span(t, r, s))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(header), l.header);
    if let Some(tabs_rect) = l.tabs {
        tabs(t, view, frame, tabs_rect);
    }
    let hits = search::hits(view, size);
    let current = view.search.current;
    for (i, rect) in &l.areas {
        let title = area_title(t, view, *i);
        let at = match view.panes.get(*i) {
            Some(p) => p.scroll,
            None => view.advisor_scroll,
        };
        let border = if view.focus == *i {
            Role::Focus
        } else {
            Role::Border
        };
        let lines = layout::case_lines(view, *i);
        let marks: Vec<Mark> = hits
            .iter()
            .filter(|h| h.area == *i)
            .map(|h| (h.line, h.col, h.len, Some(*h) == current))
            .collect();
        scrolled_marked(t, frame, *rect, title, border, &lines, at, &marks);
    }
    // A decided case offers its signed record first.
    let keys: &[Action] = if view.decided.is_some() {
        &[
            Action::Record,
            Action::NextPane,
            Action::Decide,
            Action::Advisor,
            Action::Back,
        ]
    } else {
        &[
            Action::NextPane,
            Action::Decide,
            Action::EditCase,
            Action::Advisor,
            Action::Back,
        ]
    };
    footer(
        look,
        frame,
        l.footer,
        Context::Case,
        keys,
        hint.map(|h| (Role::Key, h)),
    );
}

fn area_title<'a>(t: &Theme, v: &'a CaseView, i: usize) -> Line<'a> {
    let name = v.panes.get(i).map_or(ADVISOR_TITLE, |p| p.title);
    if v.focus == i {
        Line::from(vec![
            span(t, Role::Marker, "> "),
            span(t, Role::Focus, name),
            span(t, Role::Marker, " <"),
        ])
    } else {
        Line::from(span(t, Role::Title, format!("  {name}  ")))
    }
}

fn tabs(t: &Theme, v: &CaseView, frame: &mut Frame, rect: ratatui::layout::Rect) {
    let wide = rect.width >= 76;
    let n = if v.show_advisor { 4 } else { 3 };
    let mut spans = Vec::new();
    for i in 0..n {
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
    frame.render_widget(Paragraph::new(Line::from(spans)), rect);
}
