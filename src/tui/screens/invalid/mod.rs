//! The invalid case files (`i` in the queue): each file with every problem
//! (`path:line:col: message` and the offending line), scrollable.

pub mod view;

use crate::rules::CaseSet;
use crate::text::{sanitize, sanitize_line};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::scroll::{self, Scroll, Styled};
use crate::tui::step::Step;
use crate::tui::theme::Role;

/// An invalid case file and its problems, sanitised.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRow {
    pub path: String,
    pub problems: Vec<String>,
}

/// Invalid files as sanitised text: the path and each problem with its snippet.
pub fn invalid_rows(set: &CaseSet) -> Vec<InvalidRow> {
    set.invalid
        .iter()
        .map(|i| InvalidRow {
            path: sanitize_line(&i.path.display().to_string()),
            problems: i
                .problems
                .iter()
                .map(|p| sanitize(&p.to_string()))
                .collect(),
        })
        .collect()
}

/// Invalid case files, each with its problems (`path:line:col: message` and snippet).
pub fn lines(rows: &[InvalidRow]) -> Vec<Styled> {
    let mut lines = Vec::new();
    for f in rows {
        lines.push(vec![(Role::Error, f.path.clone())]);
        for p in &f.problems {
            for l in p.split('\n') {
                lines.push(vec![(Role::Normal, format!("  {l}"))]);
            }
        }
    }
    lines
}

/// What the list asks of the root: back to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Back;

/// A key's action on the list: scroll, or back.
pub fn action(
    at: &mut Scroll,
    rows: &[InvalidRow],
    size: (u16, u16),
    action: Action,
) -> Step<Back> {
    match action {
        Action::Back => Step::ask(Back),
        a if scroll::is_scroll(a) => {
            let (total, height) = layout::measure(&lines(rows), layout::page(size));
            Step::changed_if(at.act(a, total, height))
        }
        _ => Step::unchanged(),
    }
}
