//! The queue's keys: moving, the fuzzy filter being typed, the filters. Opening a case,
//! the audit screen, the invalid files, reading the cases again and quitting are asked of
//! the root.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::filter::{keep_selection_visible, move_by, refilter};
use super::{QueueState, Row, page};
use crate::rules::Status;
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
    /// `N`: a new case (the intake screen).
    NewCase,
    /// `e`: edit the selected case's file.
    Edit,
}

const STATUS_CYCLE: [Option<Status>; 10] = [
    None,
    Some(Status::Overdue),
    Some(Status::DueSoon),
    Some(Status::Open),
    Some(Status::WaitingOnClinician),
    Some(Status::AwaitingProvision),
    Some(Status::UnderReview),
    Some(Status::Decided),
    Some(Status::ProvidedOnTime),
    Some(Status::ProvidedLate),
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
        Action::NewCase => return Step::ask(Ask::NewCase),
        Action::EditCase => return Step::ask(Ask::Edit),
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

#[cfg(test)]
mod tests {
    //! The queue's update alone: its own state, a `Ctx`, no workbench around it.

    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    use super::*;
    use crate::case::CaseKind;
    use crate::tui::keymap::Keymap;

    fn row(i: usize, title: &str) -> Row {
        Row {
            index: i,
            id: format!("AR-2026-{i:04}"),
            kind: CaseKind::AccessRequest,
            status: Status::Open,
            received: "2026-11-01".into(),
            due: "2026-12-01".into(),
            days_left: Some(8),
            requester: String::new(),
            title: title.into(),
            haystack: format!("AR-2026-{i:04} {title} access_request"),
            draft: false,
            practice: false,
        }
    }

    fn queue(rows: &[Row]) -> QueueState {
        let mut q = QueueState::default();
        refilter(&mut q, rows, 20);
        q
    }

    /// Runs `f` with a context of an 80×24 terminal and default keys; returns the message
    /// line it left.
    fn with_ctx<T>(
        f: impl FnOnce(&mut Ctx) -> T,
    ) -> (T, Option<(crate::tui::theme::Role, String)>) {
        let keymap = Keymap::default();
        let (mut message, mut banner) = (None, None);
        let mut ctx = Ctx {
            today: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default(),
            clock: crate::clock::Clock::system(),
            size: (80, 24),
            keymap: &keymap,
            set: None,
            message: &mut message,
            banner: &mut banner,
        };
        let out = f(&mut ctx);
        (out, message)
    }

    #[test]
    fn moving_says_whether_anything_changed_and_opening_is_asked_of_the_root() {
        let rows = [row(1, "one"), row(2, "two"), row(3, "three")];
        let mut q = queue(&rows);
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Down));
        assert_eq!(step, Step::changed());
        assert_eq!(q.selected, 1);
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Bottom));
        assert!(step.changed);
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Down));
        assert_eq!(step, Step::unchanged(), "past the end nothing moves");
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Open));
        assert_eq!(step, Step::ask(Ask::Open));
        assert!(step.effects.is_empty(), "opening is the root's to do");
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Decide));
        assert_eq!(step, Step::unchanged(), "a key the queue has no use for");
    }

    #[test]
    fn typing_the_filter_narrows_the_rows_and_esc_clears_it() {
        let rows = [row(1, "chart request"), row(2, "court order")];
        let mut q = queue(&rows);
        let (step, _) = with_ctx(|ctx| action(&mut q, &rows, ctx, Action::Filter));
        assert!(step.changed && q.filtering);
        for c in "court".chars() {
            let (step, _) =
                with_ctx(|ctx| filter_key(&mut q, &rows, ctx, KeyEvent::from(KeyCode::Char(c))));
            assert!(step.changed);
        }
        assert_eq!(q.visible, [1]);
        let (step, _) =
            with_ctx(|ctx| filter_key(&mut q, &rows, ctx, KeyEvent::from(KeyCode::F(5))));
        assert_eq!(step, Step::unchanged());
        let _ = with_ctx(|ctx| filter_key(&mut q, &rows, ctx, KeyEvent::from(KeyCode::Esc)));
        assert!(!q.filtering && q.filter.is_empty());
        assert_eq!(q.visible, [0, 1]);
    }
}
