//! The queue's keys: moving, the fuzzy filter being typed, the filters. Opening a case,
//! the audit screen, the invalid files, reading the cases again and quitting are asked of
//! the root.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::filter::{keep_selection_visible, move_by, refilter};
use super::{QueueState, Row, page};
use crate::case::Status;
use crate::tui::keymap::Action;
use crate::tui::step::{Ctx, Step};

/// What the queue asks of the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Enter: open the selected case.
    Open,
    /// `A`: the audit screen.
    Audit,
    /// `R`: read the case files again.
    Reload,
    /// `i`: the invalid case files.
    ShowInvalid,
    /// `q`: leave the workbench.
    Quit,
}

const STATUS_CYCLE: [Option<Status>; 6] = [
    None,
    Some(Status::Overdue),
    Some(Status::DueSoon),
    Some(Status::Open),
    Some(Status::UnderReview),
    Some(Status::Decided),
];

/// A key while the fuzzy filter is typed: every printable key is text.
pub fn filter_key(q: &mut QueueState, rows: &[Row], ctx: &mut Ctx, k: KeyEvent) -> Step<Ask> {
    match k.code {
        KeyCode::Esc => {
            q.filtering = false;
            q.filter.clear();
        }
        KeyCode::Enter => q.filtering = false,
        KeyCode::Backspace => {
            q.filter.pop();
        }
        KeyCode::Down => return action(q, rows, ctx, Action::Down),
        KeyCode::Up => return action(q, rows, ctx, Action::Up),
        KeyCode::Char(c) if !c.is_control() && !k.modifiers.contains(KeyModifiers::CONTROL) => {
            q.filter.push(c)
        }
        _ => return Step::unchanged(),
    }
    refilter(q, rows, page(ctx.size));
    Step::changed()
}

/// Pasted text while the fuzzy filter is typed (the caller checks that it is).
pub fn paste(q: &mut QueueState, rows: &[Row], ctx: &Ctx, text: &str) -> Step {
    q.filter.extend(text.chars().filter(|c| !c.is_control()));
    refilter(q, rows, page(ctx.size));
    Step::changed()
}

/// A key's action on the queue.
pub fn action(q: &mut QueueState, rows: &[Row], ctx: &mut Ctx, action: Action) -> Step<Ask> {
    let page = page(ctx.size);
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => {
            let new = move_by(q.selected, q.visible.len(), action, page);
            let moved = new != q.selected;
            q.selected = new;
            keep_selection_visible(q, page);
            return Step::changed_if(moved);
        }
        Action::Open => return Step::ask(Ask::Open),
        Action::Audit => return Step::ask(Ask::Audit),
        Action::ReloadCases => return Step::ask(Ask::Reload),
        Action::ShowInvalid => return Step::ask(Ask::ShowInvalid),
        Action::Quit => return Step::ask(Ask::Quit),
        Action::Filter => q.filtering = true,
        Action::StatusFilter => {
            let pos = STATUS_CYCLE.iter().position(|s| *s == q.status);
            q.status = STATUS_CYCLE[pos.map_or(0, |p| (p + 1) % STATUS_CYCLE.len())];
            refilter(q, rows, page);
        }
        Action::PracticeOnly => {
            q.practice_only = !q.practice_only;
            refilter(q, rows, page);
        }
        Action::Back => {
            q.filter.clear();
            q.status = None;
            q.practice_only = false;
            refilter(q, rows, page);
        }
        _ => return Step::unchanged(),
    }
    Step::changed()
}
