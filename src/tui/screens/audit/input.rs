//! Typing a date on the audit screen (`f` since, `t` until): digits and `-`, Backspace,
//! Enter applies (empty clears), Esc cancels.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::filter::refilter;
use super::{AuditView, DateField};
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

/// Is a date being typed (keys go to `input_key`, not the keymap)?
pub fn typing(view: &AuditView) -> bool {
    view.input.is_some()
}

/// Keys while a date is typed: digits and `-`, Backspace, Enter applies (empty clears),
/// Esc cancels.
pub fn input_key(view: &mut AuditView, ctx: &mut Ctx, k: KeyEvent) -> Step {
    let Some((field, text)) = view.input.as_mut() else {
        return Step::unchanged();
    };
    let field = *field;
    match k.code {
        KeyCode::Esc => view.input = None,
        KeyCode::Backspace => {
            text.pop();
        }
        KeyCode::Char(c)
            if (c.is_ascii_digit() || c == '-')
                && text.len() < 10
                && !k.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            text.push(c)
        }
        KeyCode::Enter => {
            let date = if text.is_empty() {
                None
            } else {
                match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        ctx.say(
                            Role::Error,
                            format!("`{text}` is not a date; expected YYYY-MM-DD"),
                        );
                        return Step::changed();
                    }
                }
            };
            match field {
                DateField::Since => view.filter.since = date,
                DateField::Until => view.filter.until = date,
            }
            view.input = None;
            *ctx.message = None;
            refilter(view, ctx);
        }
        _ => return Step::unchanged(),
    }
    Step::changed()
}
