//! Where each scrollable view sits on a terminal of a given size: one set of functions
//! that the views draw with and that `update` scrolls with, so that a view's page, its
//! last line and its counter agree with what is on screen.

use ratatui::layout::{Constraint, Layout, Rect};

use super::app::{CaseView, SIDE_BY_SIDE_WIDTH, State};
use super::scroll::{self, Styled};

/// The whole terminal.
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// The last row of `area` (the footer) and everything above it.
pub fn split_footer(area: Rect) -> (Rect, Rect) {
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let foot = Rect::new(
        area.x,
        area.y.saturating_add(area.height.saturating_sub(1)),
        area.width,
        area.height.min(1),
    );
    (body, foot)
}

/// Inside a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// Splits `area` into rows of the given heights from the top; the last gets the rest.
pub fn rows(area: Rect, heights: &[u16]) -> Vec<Rect> {
    let mut out = Vec::with_capacity(heights.len() + 1);
    let mut y = area.y;
    let bottom = area.y.saturating_add(area.height);
    for &h in heights {
        let h = h.min(bottom.saturating_sub(y));
        out.push(Rect::new(area.x, y, area.width, h));
        y = y.saturating_add(h);
    }
    out.push(Rect::new(area.x, y, area.width, bottom.saturating_sub(y)));
    out
}

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
    let header_h = super::views::case_header_lines(v, area.width).len() as u16;
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
    let header_h = super::views::case_header_lines(v, area.width).len() as u16;
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
        None => super::advice::panel_lines(v.advisor.as_ref()),
    }
}

/// The focused case area's text, wrapped at its width, and its height: what scrolling
/// moves over.
pub fn case_focus(state: &State) -> Option<(Vec<Styled>, usize)> {
    let v = state.case.as_ref()?;
    let l = case(screen(state.size), v);
    let (_, rect) = l.areas.iter().find(|(i, _)| *i == v.focus)?;
    let r = inner(*rect);
    let wrapped = scroll::wrap(&case_lines(v, v.focus), r.width as usize);
    Some((wrapped, r.height as usize))
}

/// The help overlay's width in `area` (its text wraps at this minus the borders).
pub fn help_width(area: Rect) -> u16 {
    72u16.min(area.width)
}

/// The help overlay's box for `lines` wrapped lines, centred in `area`.
pub fn help_box(area: Rect, lines: usize) -> Rect {
    let w = help_width(area);
    let h = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A full-screen bordered view above the footer (practice comparison, audit record,
/// invalid files): its text area.
pub fn page(size: (u16, u16)) -> Rect {
    inner(split_footer(screen(size)).0)
}

/// Wrapped `lines` in `r`: the count and the height to scroll over.
pub fn measure(lines: &[Styled], r: Rect) -> (usize, usize) {
    (
        scroll::wrap(lines, r.width as usize).len(),
        r.height as usize,
    )
}

/// The decision form: the title line, the left column (fields, or in their place the
/// findings or, when narrow and `[ Sign ]` has focus, the preview), the findings summary
/// line, the rationale editor, the sign line; from 120 columns the preview on the right.
pub struct FormLayout {
    pub title: Rect,
    pub left: Rect,
    pub summary: Rect,
    pub rationale: Rect,
    pub sign: Rect,
    pub right: Option<Rect>,
    pub footer: Rect,
}

pub fn form(area: Rect) -> FormLayout {
    let (body, footer) = split_footer(area);
    let parts = rows(body, &[1]);
    let (left, right) = if area.width >= SIDE_BY_SIDE_WIDTH {
        let c = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .split(parts[1]);
        (c[0], Some(c[1]))
    } else {
        (parts[1], None)
    };
    let rat_h = if left.height >= 30 { 10 } else { 5 };
    let top_h = left.height.saturating_sub(rat_h + 2);
    let l = rows(left, &[top_h, 1, rat_h]);
    FormLayout {
        title: parts[0],
        left: l[0],
        summary: l[1],
        rationale: l[2],
        sign: l[3],
        right,
        footer,
    }
}

/// Which scrollable panel of the form is on screen, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormPanel {
    Findings,
    Preview,
}

/// The form's panels on screen: the findings (in the fields' place, when open) and the
/// preview (on the right, or in the fields' place while `[ Sign ]` has focus).
pub fn form_panels(state: &State) -> Vec<(FormPanel, Rect)> {
    let Some(f) = state.form.as_ref() else {
        return Vec::new();
    };
    let l = form(screen(state.size));
    let mut out = Vec::new();
    if f.findings_open {
        out.push((FormPanel::Findings, l.left));
    } else if l.right.is_none() && f.field() == super::form::Field::Sign {
        out.push((FormPanel::Preview, l.left));
    }
    if let Some(r) = l.right {
        out.push((FormPanel::Preview, r));
    }
    out
}
