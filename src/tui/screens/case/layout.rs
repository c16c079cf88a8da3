//! Where the case view's areas sit: the header, the tab bar when narrow, the three panes
//! and the advisor. The view draws with these and the update scrolls with them.

use ratatui::layout::{Constraint, Layout, Rect};

use super::CaseView;
use super::header::header_lines;
use crate::tui::layout::{SIDE_BY_SIDE_WIDTH, inner, rows, screen, split_footer};
use crate::tui::scroll::{self, Styled};

/// The case view: its header, the tab bar when narrow, and each area shown (index 0-2
/// the panes, 3 the advisor) with its rectangle, borders included.
pub struct CaseLayout {
    pub header: Rect,
    pub tabs: Option<Rect>,
    pub areas: Vec<(usize, Rect)>,
    pub footer: Rect,
}

pub fn case(area: Rect, v: &CaseView) -> CaseLayout {
    let (body, footer) = split_footer(area);
    let header_h = header_lines(v, area.width).len() as u16;
    let parts = rows(body, &[header_h]);
    let n = if v.show_advisor { 4 } else { 3 };
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let cols =
            Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n as u32))).split(parts[1]);
        CaseLayout {
            header: parts[0],
            tabs: None,
            areas: cols.iter().copied().enumerate().collect(),
            footer,
        }
    } else {
        let t = rows(parts[1], &[1]);
        CaseLayout {
            header: parts[0],
            tabs: Some(t[0]),
            areas: vec![(v.focus.min(n - 1), t[1])],
            footer,
        }
    }
}

/// The rectangle case area `i` (0-2 a pane, 3 the advisor) has when it is on screen with
/// the advisor shown or not: its column when side by side, else the one tab's place. The
/// same split as [`case`], for the search, which looks in areas not on screen.
pub fn case_area(area: Rect, v: &CaseView, i: usize, advisor: bool) -> Rect {
    let (body, _) = split_footer(area);
    let header_h = header_lines(v, area.width).len() as u16;
    let parts = rows(body, &[header_h]);
    let n: u32 = if advisor { 4 } else { 3 };
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let cols = Layout::horizontal((0..n).map(|_| Constraint::Ratio(1, n))).split(parts[1]);
        cols.get(i).copied().unwrap_or_default()
    } else {
        rows(parts[1], &[1])[1]
    }
}

/// The lines of case area `i` (a pane, or the advisor).
pub fn case_lines(v: &CaseView, i: usize) -> Vec<Styled> {
    match v.panes.get(i) {
        Some(p) => p.lines.clone(),
        None => crate::tui::advisor::panel_lines(v.advisor.as_ref()),
    }
}

/// The focused case area's text, wrapped at its width, and its height: what scrolling
/// moves over.
pub fn case_focus(v: &CaseView, size: (u16, u16)) -> Option<(Vec<Styled>, usize)> {
    let l = case(screen(size), v);
    let (_, rect) = l.areas.iter().find(|(i, _)| *i == v.focus)?;
    let r = inner(*rect);
    let wrapped = scroll::wrap(&case_lines(v, v.focus), r.width as usize);
    Some((wrapped, r.height as usize))
}
