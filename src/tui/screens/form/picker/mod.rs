//! The decision form's grounds picker: every ground code of the rulebook with its one-line
//! meaning and its citation, the grounds that hold for this case (the advisor's answer)
//! first and marked, narrowed by a fuzzy filter as the reviewer types. Enter adds the code
//! to the decision's grounds (or sets the item's withholding ground), Esc cancels. Typing
//! a code by hand (Enter/`e` on the field) works as before.
//!
//! The choices are built when the picker opens, from the case set's rulebook (the one the
//! advisor applies) and the advisor's answer already in the state; every string is
//! sanitised then, since a clinic's rulebook is a file like the cases. This module is the
//! picker alone (its list, filter and keys); `form/pick.rs` opens it on the form and
//! writes the pick into the form.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub mod view;

use super::field::Field;
use crate::rules::Rulebook;
use crate::text::sanitize_line;
use crate::tui::step::Step;

/// One ground as the picker lists it (sanitised).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub code: String,
    pub meaning: String,
    pub citation: String,
    /// The advisor says it holds for this case (or this item).
    pub holds: bool,
}

impl Choice {
    /// What the filter matches: the code, a space, the meaning (the row's first line).
    pub fn haystack(&self) -> String {
        format!("{} {}", self.code, self.meaning)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    /// The field the pick goes to: `CaseGrounds` or `Grounds(i)`.
    pub target: Field,
    /// What is being picked, e.g. `withholding ground of chart` (sanitised).
    pub title: String,
    /// Every ground: those that hold first, then the rest, each in rulebook order.
    pub choices: Vec<Choice>,
    pub query: String,
    /// The choices the filter keeps, in order, each with the characters of its haystack
    /// that matched (char positions, for highlighting).
    pub shown: Vec<(usize, Vec<usize>)>,
    /// Position in `shown`.
    pub selected: usize,
    /// Why nothing is marked, when the advisor cannot say (hidden in practice, no answer).
    pub note: Option<String>,
}

impl Picker {
    /// Narrows `shown` to the choices matching the query: those that hold stay first,
    /// each group by match score (best first; a match in the code before a match only
    /// in the meaning), ties in list order.
    pub fn refilter(&mut self) {
        self.shown.clear();
        if self.query.trim().is_empty() {
            self.shown = (0..self.choices.len()).map(|i| (i, Vec::new())).collect();
        } else {
            let pattern = Pattern::parse(&self.query, CaseMatching::Ignore, Normalization::Smart);
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            let mut scored = Vec::new();
            for (i, c) in self.choices.iter().enumerate() {
                let hay = c.haystack();
                let mut idx = Vec::new();
                let Some(score) =
                    pattern.indices(Utf32Str::new(&hay, &mut buf), &mut matcher, &mut idx)
                else {
                    continue;
                };
                idx.sort_unstable();
                idx.dedup();
                // A match in the code ranks above one only in the meaning.
                let in_code = pattern
                    .score(Utf32Str::new(&c.code, &mut buf), &mut matcher)
                    .is_some();
                let score = score + if in_code { 10_000 } else { 0 };
                // Positions are graphemes; they are characters unless a mark combines.
                let idx = if hay.chars().count() == Utf32Str::new(&hay, &mut buf).len() {
                    idx.into_iter().map(|i| i as usize).collect()
                } else {
                    Vec::new()
                };
                scored.push((!c.holds, std::cmp::Reverse(score), i, idx));
            }
            scored.sort_by_key(|a| (a.0, a.1, a.2));
            self.shown = scored.into_iter().map(|(_, _, i, idx)| (i, idx)).collect();
        }
        self.selected = 0;
    }

    pub fn current(&self) -> Option<&Choice> {
        let (i, _) = self.shown.get(self.selected)?;
        self.choices.get(*i)
    }
}

impl Picker {
    /// The picker for `target`: every ground of `rules`, those in `holding` (the
    /// advisor's) first and marked; `note` says why none is marked.
    pub fn new(
        target: Field,
        title: String,
        holding: &[String],
        note: Option<String>,
        rules: &Rulebook,
    ) -> Picker {
        let all: Vec<Choice> = rules
            .grounds()
            .iter()
            .map(|g| {
                let code = sanitize_line(&g.code);
                Choice {
                    holds: holding.contains(&code),
                    code,
                    meaning: sanitize_line(g.meaning_line()),
                    citation: sanitize_line(&g.citation),
                }
            })
            .collect();
        let (mut choices, rest): (Vec<Choice>, Vec<Choice>) =
            all.into_iter().partition(|c| c.holds);
        choices.extend(rest);
        let mut p = Picker {
            target,
            title,
            choices,
            query: String::new(),
            shown: Vec::new(),
            selected: 0,
            note,
        };
        p.refilter();
        p
    }
}

/// What a key ends the picking with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Esc: nothing picked.
    Cancel,
    /// Enter: the selected ground.
    Pick,
}

/// A key while the picker is open: every printable key is part of the filter; the
/// arrows, Tab and the page keys move; Enter picks, Esc cancels.
pub fn key(p: &mut Picker, k: KeyEvent) -> Step<Done> {
    let last = p.shown.len().saturating_sub(1);
    match k.code {
        KeyCode::Esc => return Step::ask(Done::Cancel),
        KeyCode::Enter => return Step::ask(Done::Pick),
        KeyCode::Down | KeyCode::Tab => p.selected = (p.selected + 1).min(last),
        KeyCode::Up | KeyCode::BackTab => p.selected = p.selected.saturating_sub(1),
        KeyCode::PageDown => p.selected = (p.selected + 5).min(last),
        KeyCode::PageUp => p.selected = p.selected.saturating_sub(5),
        KeyCode::Home => p.selected = 0,
        KeyCode::End => p.selected = last,
        KeyCode::Backspace => {
            if p.query.pop().is_none() {
                return Step::unchanged();
            }
            p.refilter();
        }
        KeyCode::Char(c) if !c.is_control() && !k.modifiers.contains(KeyModifiers::CONTROL) => {
            p.query.push_str(&sanitize_line(c.encode_utf8(&mut [0; 4])));
            p.refilter();
        }
        _ => return Step::unchanged(),
    }
    Step::changed()
}

/// Pasted text goes into the filter (one line).
pub fn paste(p: &mut Picker, text: &str) {
    p.query
        .push_str(&sanitize_line(text.trim_end_matches(['\r', '\n'])));
    p.refilter();
}
