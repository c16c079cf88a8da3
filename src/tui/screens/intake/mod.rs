//! The intake screen (`N` in the queue, issue 22): the questions of `casebench new`,
//! from the same model (`case::intake::Intake`: its questions, their order, their checks
//! and its refusals), one at a time, then a summary of the answers, and `y` writes the
//! case file through the same function as `casebench new` (the event loop's
//! `Effect::WriteCase`: the next free id, an exclusive create).
//!
//! How the clerk moves: Enter gives the answer typed and goes on; Esc goes back one
//! question, keeping every answer (the answer given is typed in again, and text typed
//! but not given is kept too). After an answer the next question is the first one the
//! answer brought in before it (a record item's facts), else the one after it (already
//! answered ones show their answer: Enter keeps it), else the summary. An answer that
//! makes other questions stop applying drops their answers
//! (`Intake::forget_inapplicable`), and remembers what was typed for them should they
//! apply again.

pub mod update;
pub mod view;

use std::collections::BTreeMap;

use ratatui_textarea::TextArea;

use crate::case::intake::{AnswerType, Given, Intake, Question};
use crate::tui::scroll::Scroll;

/// What the intake asks of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// `y` on the summary: write the case file (the root hands the answers to the loop).
    Write,
    /// The clerk left (nothing answered, or the discarding confirmed).
    Leave,
    /// Ctrl-C, confirmed: out of the workbench.
    Quit,
}

/// The case file written, as the loop reports it (sanitised by the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub id: String,
    pub path: String,
    /// The log could not be believed: the id was checked against the case files only.
    pub warning: Option<String>,
}

/// The intake screen's state.
#[derive(Debug, Clone)]
pub struct IntakeScreen {
    pub intake: Intake,
    /// The question on screen (its key); `None`: the summary.
    pub at: Option<String>,
    /// The answer being typed (one line).
    pub input: TextArea<'static>,
    /// What each answer was typed as when it was accepted, shown again when the clerk
    /// comes back to its question (also for answers dropped because they stopped
    /// applying, should their question come back).
    given_as: BTreeMap<String, String>,
    /// Text typed at a question and not given (the clerk went back): kept.
    typed: BTreeMap<String, String>,
    /// The model's refusal of the last answer (sanitised): the question is asked again.
    pub refusal: Option<String>,
    /// Leaving was asked for: `y` discards the answers, any other key keeps them.
    pub confirm_leave: Option<update::Leaving>,
    /// Record items pasted several at once, waiting their turn in the line.
    pub pasted_records: std::collections::VecDeque<String>,
    pub summary_scroll: Scroll,
    /// Why the last write did not happen (sanitised lines), shown above the summary.
    pub problems: Vec<String>,
}

impl IntakeScreen {
    /// The screen on a fresh intake, at its first question.
    pub fn new(intake: Intake) -> IntakeScreen {
        let mut s = IntakeScreen {
            intake,
            at: None,
            input: line_input(""),
            given_as: BTreeMap::new(),
            typed: BTreeMap::new(),
            refusal: None,
            confirm_leave: None,
            pasted_records: Default::default(),
            summary_scroll: Scroll::default(),
            problems: Vec::new(),
        };
        match s.intake.next() {
            Some(q) => s.show(&q.key),
            None => s.at = None,
        }
        s
    }

    /// The question on screen, if any (`None` on the summary).
    pub fn question(&self) -> Option<Question> {
        let key = self.at.as_ref()?;
        asked(&self.intake).into_iter().find(|q| &q.key == key)
    }

    /// Where the question on screen is among the questions asked so far: (1-based, of).
    pub fn position(&self) -> (usize, usize) {
        let order = asked(&self.intake);
        let at = self
            .at
            .as_ref()
            .and_then(|k| order.iter().position(|q| &q.key == k))
            .map_or(order.len(), |p| p + 1);
        (at, order.len())
    }

    /// Whether anything was answered (leaving then asks first).
    pub fn has_answers(&self) -> bool {
        asked(&self.intake)
            .iter()
            .any(|q| self.intake.given(&q.key).is_some())
            || !self.input.lines().concat().trim().is_empty()
    }

    /// The text in the input line.
    pub fn typed_text(&self) -> String {
        self.input.lines().concat()
    }

    /// Shows question `key`, its answer (or what was typed there) in the input line.
    pub fn show(&mut self, key: &str) {
        self.at = Some(key.to_string());
        let records = self
            .question()
            .is_some_and(|q| q.answer == AnswerType::Record);
        let mut text = self
            .typed
            .get(key)
            .or_else(|| (!records).then(|| self.given_as.get(key)).flatten())
            .cloned()
            .unwrap_or_default();
        if records && text.is_empty() {
            text = self.pasted_records.pop_front().unwrap_or_default();
        }
        self.input = line_input(&text);
        self.refusal = None;
    }

    /// Keeps what is typed at the question on screen, if it is not its answer as given.
    fn keep_typed(&mut self) {
        let Some(key) = self.at.clone() else {
            return;
        };
        let text = self.typed_text();
        if text.is_empty() || self.given_as.get(&key) == Some(&text) {
            self.typed.remove(&key);
        } else {
            self.typed.insert(key, text);
        }
    }

    /// Gives the typed text as the answer to the question on screen. `false`: refused
    /// (the refusal is on screen, the text stays to be corrected).
    pub fn give(&mut self) -> bool {
        let Some(q) = self.question() else {
            return false;
        };
        let text = self.typed_text();
        if let Err(e) = self.intake.answer(&q.key, &text) {
            self.refusal = Some(crate::text::sanitize_line(&e.message));
            return false;
        }
        self.typed.remove(&q.key);
        self.intake.forget_inapplicable();
        if q.answer == AnswerType::Record && !text.trim().is_empty() {
            // One more item: its facts (if any) first, then the list again.
            match self.first_open_before(&q.key) {
                Some(k) => self.show(&k),
                None => self.show(&q.key),
            }
            return true;
        }
        if q.answer != AnswerType::Record {
            self.given_as.insert(q.key.clone(), text);
        }
        self.forward_from(&q.key);
        true
    }

    /// After question `key` was answered: the first question its answer brought in before
    /// it, else the one after it, else any still open, else the summary.
    fn forward_from(&mut self, key: &str) {
        let order = asked(&self.intake);
        let next = self.first_open_before(key).or_else(|| {
            let pos = order.iter().position(|q| q.key == key)?;
            order.get(pos + 1).map(|q| q.key.clone())
        });
        match next.or_else(|| self.intake.next().map(|q| q.key)) {
            Some(k) => self.show(&k),
            None => self.summary(),
        }
    }

    /// The first question before `key` that has no answer yet.
    fn first_open_before(&self, key: &str) -> Option<String> {
        asked(&self.intake)
            .into_iter()
            .take_while(|q| q.key != key)
            .find(|q| !answered(&self.intake, q))
            .map(|q| q.key)
    }

    /// Shows the summary (every question answered).
    fn summary(&mut self) {
        self.at = None;
        self.input = line_input("");
        self.refusal = None;
        self.summary_scroll = Scroll::default();
    }

    /// Back one question, keeping every answer. `false`: there is none before (the first
    /// question is on screen).
    pub fn back(&mut self) -> bool {
        let order = asked(&self.intake);
        let prev = match &self.at {
            None => order.last().map(|q| q.key.clone()),
            Some(k) => {
                let pos = order.iter().position(|q| &q.key == k).unwrap_or(0);
                pos.checked_sub(1)
                    .and_then(|p| order.get(p))
                    .map(|q| q.key.clone())
            }
        };
        let Some(prev) = prev else {
            return false;
        };
        self.keep_typed();
        self.problems.clear();
        self.show(&prev);
        true
    }

    /// Backspace on an empty line at the records question: the last item comes back
    /// into the line to be corrected. `false`: there is none.
    pub fn take_back_record(&mut self) -> bool {
        match self.intake.take_last_record() {
            Some(line) => {
                self.input = line_input(&line);
                self.refusal = None;
                true
            }
            None => false,
        }
    }

    /// The record items given so far (each its line as the model holds it).
    pub fn record_lines(&self) -> Vec<String> {
        match self.intake.given("records") {
            Some(Given::Records { lines, .. }) => lines.clone(),
            _ => Vec::new(),
        }
    }
}

/// The questions the screen asks, in order (those only flags answer are left out).
pub fn asked(intake: &Intake) -> Vec<Question> {
    intake.questions().into_iter().filter(|q| q.ask).collect()
}

/// Whether question `q` has its answer (the records: once the list is ended).
fn answered(intake: &Intake, q: &Question) -> bool {
    match intake.given(&q.key) {
        None => false,
        Some(Given::Records { closed, .. }) => *closed,
        Some(_) => true,
    }
}

/// A one-line input holding `text`, the cursor at its end.
fn line_input(text: &str) -> TextArea<'static> {
    let mut t = TextArea::new(vec![text.to_string()]);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t.set_cursor_line_style(ratatui::style::Style::default());
    t
}

#[cfg(test)]
mod tests;
