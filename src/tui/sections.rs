//! The presenter's sections (`crate::present`) as the workbench draws them: a titled
//! section is a header line (after a blank line); each fact of a row is its own line
//! (`label: ` muted, the value in the row's tone); items are `• value`; free text is
//! reflowed to the pane's width (`prose`); verbatim text keeps its lines; a right/wrong
//! mark is `✓`/`✗`. The strings are already sanitised by the presenter.

use super::scroll::Styled;
use super::theme::Role;
use crate::present::{Row, Section, Shape};

/// All `sections` as lines.
pub fn lines(sections: &[Section]) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    for sec in sections {
        if !out.is_empty() {
            out.push(Vec::new());
        }
        if !sec.title.is_empty() {
            out.push(vec![(Role::Header, sec.title.clone())]);
        }
        rows(&mut out, &sec.rows);
    }
    out
}

/// Rows as lines.
pub fn rows(out: &mut Vec<Styled>, rows: &[Row]) {
    for row in rows {
        row_lines(out, row);
    }
}

/// One row as lines.
pub fn row_lines(out: &mut Vec<Styled>, row: &Row) {
    let role = Role::of(row.tone);
    match row.shape {
        Shape::Facts => {
            for f in &row.facts {
                out.push(if f.label.is_empty() {
                    vec![(role, f.value.clone())]
                } else {
                    vec![
                        (Role::Muted, format!("{}: ", f.label)),
                        (role, f.value.clone()),
                    ]
                });
            }
        }
        Shape::Item => out.push(vec![(role, format!("• {}", row.joined(" · ")))]),
        Shape::Marked => {
            let mark = if row.right == Some(true) {
                (Role::Ok, "✓ ".to_string())
            } else {
                (Role::Error, "✗ ".to_string())
            };
            out.push(vec![mark, (role, row.joined(" · "))]);
        }
        Shape::Prose => {
            let start = out.len();
            super::prose::text(out, &row.joined("\n"));
            for line in &mut out[start..] {
                for piece in line.iter_mut() {
                    piece.0 = role;
                }
            }
        }
        Shape::Verbatim => out.extend(
            row.joined("\n")
                .split('\n')
                .map(|l| vec![(role, l.to_string())]),
        ),
    }
}
