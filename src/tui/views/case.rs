//! The case view: a header over three panes side by side (tabs below 120 columns), and
//! the advisor panel as a fourth area. Every area scrolls over its wrapped lines
//! (`tui::scroll`), at the width `tui::layout` gives it.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{footer, scrolled_marked, span};
use crate::tui::app::{CaseView, State, kind_text};
use crate::tui::fit::{fit, width};
use crate::tui::keymap::{Action, Context};
use crate::tui::layout;
use crate::tui::scroll::{self, Styled};
use crate::tui::theme::{Role, Theme};

const ADVISOR_TITLE: &str = "Advisor";

pub fn draw(state: &State, frame: &mut Frame, area: ratatui::layout::Rect) {
    let Some(view) = &state.case else {
        return;
    };
    let t = &state.theme;
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
    let hits = crate::tui::search::hits(state);
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
        let marks: Vec<super::Mark> = hits
            .iter()
            .filter(|h| h.area == *i)
            .map(|h| (h.line, h.col, h.len, Some(*h) == current))
            .collect();
        scrolled_marked(t, frame, *rect, title, border, &lines, at, &marks);
    }
    let hint = super::countersign::hint(state);
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
            Action::Advisor,
            Action::Back,
        ]
    };
    footer(
        state,
        frame,
        l.footer,
        Context::Case,
        keys,
        hint.as_deref().map(|h| (Role::Key, h)),
    );
}

/// The header: id, kind, requester and jurisdiction (the requester is cut, never the
/// jurisdiction); the deadline clock; "decided by X at T" once decided; the title,
/// wrapped on up to two lines.
pub fn header_lines(v: &CaseView, cols: u16) -> Vec<Styled> {
    let cols = cols as usize;
    let fixed = format!(
        "{} · {} · requester  · {}",
        v.id,
        kind_text(v.kind),
        v.jurisdiction
    );
    let room = cols.saturating_sub(width(&fixed)).max(1);
    let first = vec![
        (Role::Title, fit(&v.id, cols)),
        (Role::Muted, " · ".into()),
        (Role::Normal, kind_text(v.kind).into()),
        (Role::Muted, " · requester ".into()),
        (Role::Normal, fit(&v.requester, room)),
        (Role::Muted, " · ".into()),
        (Role::Normal, v.jurisdiction.clone()),
    ];
    let (clock, role) = &v.clock;
    let mut out = vec![first, vec![(*role, fit(clock, cols))]];
    if let Some(d) = &v.decided {
        out.push(vec![(Role::Ok, fit(d, cols))]);
    }
    let mut title = scroll::wrap_line(&[(Role::Header, v.title.clone())], cols.max(1));
    if title.len() > 2 {
        // The rest of the title is in the queue and `casebench show`; cut, with `…`.
        let second: String = title[1].iter().map(|(_, s)| s.as_str()).collect();
        title.truncate(1);
        title.push(vec![(Role::Header, fit(&format!("{second} …"), cols))]);
    }
    out.extend(title);
    out
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
