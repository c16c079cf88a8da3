//! The intake's keys. At a question every printable key is the answer's text; Enter
//! gives it, Esc goes back a question, F10 leaves (asking first when anything was
//! answered). On the summary `y` writes the case file (asked of the root), Esc goes back
//! to the last question, `q` leaves.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Ask, IntakeScreen, view};
use crate::case::intake::AnswerType;
use crate::text::sanitize_line;
use crate::tui::keymap::{Action, Context};
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

/// What leaving the intake leads to, once the clerk says `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    /// Back to the queue.
    ToQueue,
    /// Out of the workbench (Ctrl-C).
    Quit,
}

impl IntakeScreen {
    /// The keys in force: a question's, or the summary's.
    pub fn context(&self) -> Context {
        if self.at.is_some() {
            Context::Intake
        } else {
            Context::IntakeSummary
        }
    }
}

/// A key on the intake screen (the root has taken Ctrl-C, an open box and help).
pub fn key(s: &mut IntakeScreen, ctx: &mut Ctx, k: KeyEvent) -> Step<Ask> {
    if let Some(leaving) = s.confirm_leave.take() {
        if k.code == KeyCode::Char('y') && !k.modifiers.contains(KeyModifiers::CONTROL) {
            ctx.say(Role::Muted, "the intake was discarded: nothing was written");
            return Step::ask(match leaving {
                Leaving::ToQueue => Ask::Leave,
                Leaving::Quit => Ask::Quit,
            });
        }
        ctx.say(Role::Muted, "the answers are kept");
        return Step::changed();
    }
    *ctx.message = None;
    let action = ctx.keymap.action(s.context(), &k);
    if s.at.is_some() {
        question_key(s, ctx, action, k)
    } else {
        summary_key(s, ctx, action)
    }
}

fn question_key(
    s: &mut IntakeScreen,
    ctx: &mut Ctx,
    action: Option<Action>,
    k: KeyEvent,
) -> Step<Ask> {
    match action {
        Some(Action::Answer) => {
            s.give();
            return Step::changed();
        }
        Some(Action::PrevQuestion) => {
            if s.back() {
                return Step::changed();
            }
            return leave(s, ctx, Leaving::ToQueue);
        }
        Some(Action::LeaveIntake) => return leave(s, ctx, Leaving::ToQueue),
        _ => {}
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let on_records = s.question().is_some_and(|q| q.answer == AnswerType::Record);
    match k.code {
        KeyCode::Backspace if on_records && s.typed_text().is_empty() => {
            if !s.take_back_record() {
                return Step::unchanged();
            }
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() => {
            // An invisible or bidi character typed in is kept as its visible marker.
            s.input
                .insert_str(sanitize_line(c.encode_utf8(&mut [0; 4])));
        }
        KeyCode::Backspace
        | KeyCode::Delete
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Home
        | KeyCode::End => {
            s.input.input(ratatui_textarea::Input::from(k));
        }
        _ => return Step::unchanged(),
    }
    Step::changed()
}

fn summary_key(s: &mut IntakeScreen, ctx: &mut Ctx, action: Option<Action>) -> Step<Ask> {
    let Some(action) = action else {
        return Step::unchanged();
    };
    match action {
        Action::WriteCase => Step::ask(Ask::Write),
        Action::PrevQuestion => Step::changed_if(s.back()),
        Action::LeaveIntake => leave(s, ctx, Leaving::ToQueue),
        a if crate::tui::scroll::is_scroll(a) => {
            let (total, height) = crate::tui::layout::measure(
                &view::summary_lines(s),
                crate::tui::layout::page(ctx.size),
            );
            Step::changed_if(s.summary_scroll.act(a, total, height))
        }
        _ => Step::unchanged(),
    }
}

/// Leaving: at once when nothing was answered, else asked first.
fn leave(s: &mut IntakeScreen, ctx: &mut Ctx, to: Leaving) -> Step<Ask> {
    if !s.has_answers() {
        return Step::ask(match to {
            Leaving::ToQueue => Ask::Leave,
            Leaving::Quit => Ask::Quit,
        });
    }
    s.confirm_leave = Some(to);
    let what = match to {
        Leaving::ToQueue => "Leave the intake?",
        Leaving::Quit => "Quit the workbench?",
    };
    ctx.say(
        Role::Warning,
        format!("{what} y discards the answers (nothing is written); any other key goes on"),
    );
    Step::changed()
}

/// Ctrl-C on the intake screen: asks before the answers are discarded (a second Ctrl-C,
/// or `y`, quits).
pub fn quit(s: &mut IntakeScreen, ctx: &mut Ctx) -> Step<Ask> {
    if s.confirm_leave == Some(Leaving::Quit) {
        return Step::ask(Ask::Quit);
    }
    leave(s, ctx, Leaving::Quit)
}

/// Pasted text at a question: one line of text (line breaks become spaces). At the
/// records question each line is an item: the first is put in the line, the others
/// wait their turn, each put in the line once the one before is given (so that every
/// item is looked at, and its facts asked, before the next).
pub fn paste(s: &mut IntakeScreen, text: &str) -> Step<Ask> {
    let Some(q) = s.question() else {
        return Step::unchanged();
    };
    s.confirm_leave = None;
    if q.answer == AnswerType::Record && text.contains('\n') {
        let mut lines = text
            .lines()
            .map(clean)
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .into_iter();
        if let Some(first) = lines.next() {
            s.input.insert_str(first);
        }
        s.pasted_records.extend(lines);
        return Step::changed();
    }
    s.input.insert_str(clean(text));
    Step::changed()
}

/// Pasted text as one line: control characters as spaces, the rest as shown.
fn clean(text: &str) -> String {
    sanitize_line(
        &text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>(),
    )
}
