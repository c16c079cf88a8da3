//! Where the decision form's parts sit: the fields, the findings line, the rationale,
//! the sign line and, from 120 columns, the preview on the right.

use ratatui::layout::{Constraint, Layout, Rect};

use super::{Field, Form};
use crate::tui::layout::{SIDE_BY_SIDE_WIDTH, rows, screen, split_footer};

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
pub fn form_panels(f: &Form, size: (u16, u16)) -> Vec<(FormPanel, Rect)> {
    let l = form(screen(size));
    let mut out = Vec::new();
    if f.findings_open {
        out.push((FormPanel::Findings, l.left));
    } else if l.right.is_none() && f.field() == Field::Sign {
        out.push((FormPanel::Preview, l.left));
    }
    if let Some(r) = l.right {
        out.push((FormPanel::Preview, r));
    }
    out
}
