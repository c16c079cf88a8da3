//! The intake (issue 22): the questions a clerk answers to open a case, as data, in the
//! order a clerk meets them (arrival; the patient; the requester, relationship, identity
//! check; authority; the instrument, with follow-up questions for its type only; the
//! records, one line each, with their yes/no/unknown facts; form and delivery; the fee
//! quoted; urgency; the title; then the clinician the evaluation of harm is assigned to).
//!
//! One model for every surface: `casebench new` asks these on a terminal or takes them
//! from flags and an answers file, and a workbench screen can ask the same ones through
//! [`Intake::next`] and [`Intake::answer`]. Each answer is checked when given (with the
//! allowed values in the message); [`Intake::case_text`] writes the case file.

use chrono::{NaiveDate, NaiveDateTime};

use super::model::Answer;
use super::schema;
use super::settings::IntakeSettings;

mod questions;
mod write;

#[cfg(test)]
mod tests;

pub use questions::{Kind, Question, catalogue, questions_for};

/// What kind of answer a question takes, and so how it is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerType {
    /// `YYYY-MM-DD`, never later than the intake's clock (`past: true`).
    Date { past: bool },
    /// `HH:MM`, 24-hour.
    Time,
    /// One line of text.
    Text,
    /// A whole number in a range.
    Int { min: u32, max: u32 },
    /// One of these words.
    Choice(&'static [&'static str]),
    /// yes, no or unknown.
    YesNoUnknown,
    /// yes or no.
    YesNo,
    /// `US` or `US-` and a state code.
    Jurisdiction,
    /// A case id (`AR-2026-0101`).
    CaseId,
    /// A date, or the expiry event in words.
    Expiry,
    /// One record item: `ID CATEGORY DESCRIPTION` (repeated; an empty line ends it).
    Record,
    /// `ITEM=AMOUNT ...` on one line (empty: no fee quoted).
    Fee,
}

impl AnswerType {
    /// What the answer must look like, for prompts and re-asks.
    pub fn expected(self) -> String {
        match self {
            AnswerType::Date { .. } => "a date YYYY-MM-DD".into(),
            AnswerType::Time => "a time HH:MM (24-hour)".into(),
            AnswerType::Text => "one line of text".into(),
            AnswerType::Int { min, max } => format!("a whole number from {min} to {max}"),
            AnswerType::Choice(values) => format!("one of: {}", values.join(", ")),
            AnswerType::YesNoUnknown => "yes, no or unknown".into(),
            AnswerType::YesNo => "yes or no".into(),
            AnswerType::Jurisdiction => "`US`, or `US-` and a state code such as US-OH".into(),
            AnswerType::CaseId => "a case id such as AR-2026-0101".into(),
            AnswerType::Expiry => {
                "a date YYYY-MM-DD, or the expiry event in words (\"end of the lawsuit\")".into()
            }
            AnswerType::Record => format!(
                "ID CATEGORY DESCRIPTION: a short id (lower-case letters, digits, - or _), one of the categories {}, then what the item is",
                schema::CATEGORIES.join(", ")
            ),
            AnswerType::Fee => format!(
                "ITEM=AMOUNT pairs such as `copying_labor=12.00 postage=3.50`, ITEM one of: {}",
                schema::FEE_ITEMS.join(", ")
            ),
        }
    }
}

/// An answer as given, after its check: canonical text (`true`, `2026-03-02`, ...), or a
/// list for the repeated questions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    One(String),
    /// An optional question answered with nothing.
    Skipped,
    /// The record items (each its `ID CATEGORY DESCRIPTION` line, checked); `closed` once
    /// an empty line ended the list.
    Records {
        lines: Vec<String>,
        closed: bool,
    },
}

/// A record item as the intake holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordLine {
    pub id: String,
    pub category: &'static str,
    pub description: String,
}

impl RecordLine {
    /// Parses `ID CATEGORY DESCRIPTION`.
    pub fn parse(line: &str) -> Result<RecordLine, String> {
        let line = line.trim();
        let mut parts = line.splitn(3, char::is_whitespace);
        let (Some(id), Some(cat)) = (parts.next(), parts.next()) else {
            return Err(format!("expected {}", AnswerType::Record.expected()));
        };
        let description = parts.next().unwrap_or("").trim();
        if !super::validate::is_valid_record_id(id) {
            return Err(format!(
                "invalid record id `{}`; expected lower-case letters, digits, `_` or `-`",
                crate::text::sanitize_line(id)
            ));
        }
        let Some(category) = schema::CATEGORIES.iter().find(|c| **c == cat) else {
            return Err(format!(
                "unknown category `{}`{}; expected one of: {}",
                crate::text::sanitize_line(cat),
                crate::yaml::suggest(cat, schema::CATEGORIES.iter().copied()),
                schema::CATEGORIES.join(", ")
            ));
        };
        if description.is_empty() {
            return Err(
                "the description is missing; expected ID CATEGORY DESCRIPTION (what the item is: dates, who wrote it, where it is kept)"
                    .into(),
            );
        }
        Ok(RecordLine {
            id: id.to_string(),
            category,
            description: description.to_string(),
        })
    }
}

/// An intake in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Intake {
    answers: Vec<(String, Given)>,
    /// The real clock (local time): a date or time that has happened is never later.
    pub now: NaiveDateTime,
    /// The directory's after-hours rule, if any.
    pub after_hours: Option<IntakeSettings>,
    /// The directory's home jurisdiction (`casebench.yaml` entity.state), the default.
    pub home_state: Option<String>,
}

/// Why an answer was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub key: String,
    pub message: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl Intake {
    pub fn new(now: NaiveDateTime) -> Intake {
        Intake {
            answers: Vec::new(),
            now,
            after_hours: None,
            home_state: None,
        }
    }

    pub fn given(&self, key: &str) -> Option<&Given> {
        self.answers.iter().find(|(k, _)| k == key).map(|(_, g)| g)
    }

    /// The canonical text of an answered question.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.given(key)? {
            Given::One(s) => Some(s),
            _ => None,
        }
    }

    /// A yes/no/unknown answer (`None` when not asked or skipped).
    pub fn yes_no(&self, key: &str) -> Option<Answer> {
        self.text(key).and_then(Answer::parse_words)
    }

    pub fn kind(&self) -> Option<Kind> {
        match self.text("kind")? {
            "access_request" => Some(Kind::Access),
            "disclosure_concern" => Some(Kind::Concern),
            _ => None,
        }
    }

    /// The record items entered so far.
    pub fn records(&self) -> Vec<RecordLine> {
        match self.given("records") {
            Some(Given::Records { lines, .. }) => lines
                .iter()
                .filter_map(|l| RecordLine::parse(l).ok())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Every question that applies given the answers so far, in order.
    pub fn questions(&self) -> Vec<Question> {
        questions_for(self)
    }

    /// The next question to ask: the first that applies and has no answer yet.
    pub fn next(&self) -> Option<Question> {
        self.questions().into_iter().find(|q| {
            q.ask
                && match self.given(&q.key) {
                    None => true,
                    Some(Given::Records { closed, .. }) => !closed,
                    Some(_) => false,
                }
        })
    }

    /// The required questions that still have no answer.
    pub fn missing(&self) -> Vec<Question> {
        self.questions()
            .into_iter()
            .filter(|q| {
                q.required
                    && match self.given(&q.key) {
                        None | Some(Given::Skipped) => true,
                        Some(Given::Records { lines, .. }) => lines.is_empty(),
                        Some(Given::One(_)) => false,
                    }
            })
            .collect()
    }

    /// For an intake without a terminal: every open question that has a default takes
    /// it, every optional one is skipped, and a list of records given is closed. What is
    /// left is [`Intake::missing`].
    pub fn fill_defaults(&mut self) {
        loop {
            let open: Vec<Question> = self
                .questions()
                .into_iter()
                .filter(|q| match self.given(&q.key) {
                    None => true,
                    Some(Given::Records { closed, lines }) => !closed && !lines.is_empty(),
                    Some(_) => false,
                })
                .filter(|q| {
                    q.answer == AnswerType::Record || !q.required || (q.default)(self).is_some()
                })
                .collect();
            let before = self.answers.clone();
            for q in open {
                if q.answer == AnswerType::Record && self.records().is_empty() {
                    continue;
                }
                let _ = self.answer(&q.key, "");
            }
            if self.answers == before {
                break;
            }
        }
    }

    /// Answers question `key` with `raw` (as typed, or from a flag). An empty answer
    /// skips an optional question (or takes its default), and ends the list of records.
    pub fn answer(&mut self, key: &str, raw: &str) -> Result<(), Refused> {
        let refuse = |message: String| Refused {
            key: key.to_string(),
            message,
        };
        let q = self
            .questions()
            .into_iter()
            .find(|q| q.key == key)
            .ok_or_else(|| refuse(self.unknown_key_message(key)))?;
        let raw = raw.trim();
        if q.answer == AnswerType::Record {
            return self.answer_record(&q, raw).map_err(refuse);
        }
        if raw.is_empty() {
            if let Some(d) = (q.default)(self) {
                return self.answer(key, &d);
            }
            if q.required {
                return Err(refuse(format!(
                    "an answer is required; expected {}",
                    q.answer.expected()
                )));
            }
            self.set(key, Given::Skipped);
            return Ok(());
        }
        let value = self.check(&q, raw).map_err(refuse)?;
        self.set(key, Given::One(value));
        Ok(())
    }

    /// Drops every answer whose question no longer applies (an earlier answer changed:
    /// another instrument, a relationship, a record taken back), until none is left, so
    /// the case file never holds a fact nobody was asked for. Returns the keys dropped.
    /// (A surface that lets the clerk go back and change an answer calls this after
    /// each answer; the command line never changes an answer.)
    pub fn forget_inapplicable(&mut self) -> Vec<String> {
        let mut dropped = Vec::new();
        loop {
            let keys: Vec<String> = self.questions().into_iter().map(|q| q.key).collect();
            let before = self.answers.len();
            self.answers.retain(|(k, _)| {
                let keep = keys.contains(k);
                if !keep {
                    dropped.push(k.clone());
                }
                keep
            });
            if self.answers.len() == before {
                return dropped;
            }
        }
    }

    /// Takes the last record item back off the list (to correct it), opening the list
    /// again; its line as it was given. The facts asked about it go with it.
    pub fn take_last_record(&mut self) -> Option<String> {
        let Some(Given::Records { lines, .. }) = self.given("records") else {
            return None;
        };
        let mut lines = lines.clone();
        let last = lines.pop()?;
        if lines.is_empty() {
            self.answers.retain(|(k, _)| k != "records");
        } else {
            self.set(
                "records",
                Given::Records {
                    lines,
                    closed: false,
                },
            );
        }
        self.forget_inapplicable();
        Some(last)
    }

    fn unknown_key_message(&self, key: &str) -> String {
        let all = questions::all_keys();
        format!(
            "no such question{}, or it does not apply to this case; the questions are: {}",
            crate::yaml::suggest(key, all.iter().map(String::as_str)),
            all.join(", ")
        )
    }

    fn set(&mut self, key: &str, g: Given) {
        match self.answers.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = g,
            None => self.answers.push((key.to_string(), g)),
        }
    }

    /// Adds a record item (or, with an empty line, ends the list). A line may carry the
    /// item's facts after `;` for scripts: `notes psychotherapy_notes Process notes;
    /// kept_separately=unknown`.
    fn answer_record(&mut self, q: &Question, raw: &str) -> Result<(), String> {
        let mut lines = match self.given(&q.key) {
            Some(Given::Records { lines, .. }) => lines.clone(),
            _ => Vec::new(),
        };
        if raw.is_empty() {
            if lines.is_empty() {
                return Err(format!(
                    "at least one record item is required; expected {}",
                    AnswerType::Record.expected()
                ));
            }
            self.set(
                &q.key,
                Given::Records {
                    lines,
                    closed: true,
                },
            );
            return Ok(());
        }
        let (line, facts) = match raw.split_once(';') {
            Some((l, f)) => (l.trim(), f.trim()),
            None => (raw, ""),
        };
        let rec = RecordLine::parse(line)?;
        if self.records().iter().any(|r| r.id == rec.id) {
            return Err(format!(
                "record id `{}` is already used in this case; expected a new id",
                rec.id
            ));
        }
        lines.push(format!("{} {} {}", rec.id, rec.category, rec.description));
        let closed = matches!(
            self.given(&q.key),
            Some(Given::Records { closed: true, .. })
        );
        self.set(&q.key, Given::Records { lines, closed });
        for pair in facts.split([',', ' ']).filter(|p| !p.trim().is_empty()) {
            let Some((fact, value)) = pair.split_once('=') else {
                return Err(format!(
                    "`{}`: expected FACT=VALUE after `;`, e.g. kept_separately=unknown",
                    crate::text::sanitize_line(pair)
                ));
            };
            let key = format!("records.{}.{}", rec.id, fact.trim());
            self.answer(&key, value).map_err(|r| r.message)?;
        }
        Ok(())
    }

    /// Checks one answer and returns its canonical text.
    fn check(&self, q: &Question, raw: &str) -> Result<String, String> {
        if raw.chars().any(char::is_control) {
            return Err("control characters are not allowed; expected one line of text".into());
        }
        let value = match q.answer {
            AnswerType::Date { past } => {
                let d = super::strict_date::parse(raw)?;
                if past && d > self.now.date() {
                    return Err(format!(
                        "{d} is in the future (today is {}); expected a past or present date",
                        self.now.date()
                    ));
                }
                d.to_string()
            }
            AnswerType::Time => {
                let minutes = super::arrival::parse_time(raw)?;
                let arrived_today = self
                    .text("received")
                    .and_then(|d| super::strict_date::parse(d).ok())
                    == Some(self.now.date());
                let now = self.now.time();
                let now_minutes =
                    chrono::Timelike::hour(&now) * 60 + chrono::Timelike::minute(&now);
                if arrived_today && minutes > now_minutes {
                    return Err(format!(
                        "{raw} today is in the future (it is {}); expected the time it arrived",
                        self.now.format("%H:%M")
                    ));
                }
                raw.to_string()
            }
            AnswerType::Text => raw.to_string(),
            AnswerType::Int { min, max } => match raw.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => n.to_string(),
                _ => return Err(format!("expected {}", q.answer.expected())),
            },
            AnswerType::Choice(values) => {
                let v = raw.to_lowercase().replace([' ', '-'], "_");
                let v = if values.contains(&raw) {
                    raw.to_string()
                } else {
                    v
                };
                if !values.contains(&v.as_str()) {
                    return Err(format!(
                        "unknown value `{}`{}; expected one of: {}",
                        crate::text::sanitize_line(raw),
                        crate::yaml::suggest(&v, values.iter().copied()),
                        values.join(", ")
                    ));
                }
                v
            }
            AnswerType::YesNoUnknown => match Answer::parse_words(raw) {
                Some(a) => a.as_str().to_string(),
                None => return Err(format!("expected {}", q.answer.expected())),
            },
            AnswerType::YesNo => match Answer::parse_words(raw) {
                Some(a) if !a.is_unknown() => a.as_str().to_string(),
                _ => return Err(format!("expected {}", q.answer.expected())),
            },
            AnswerType::Jurisdiction => {
                let j = raw.to_uppercase();
                if !super::validate::is_valid_jurisdiction(&j) {
                    return Err(format!(
                        "unknown jurisdiction `{}`; expected {}",
                        crate::text::sanitize_line(raw),
                        q.answer.expected()
                    ));
                }
                j
            }
            AnswerType::CaseId => {
                if !super::validate::is_valid_case_id(raw) {
                    return Err(format!("expected {}", q.answer.expected()));
                }
                raw.to_string()
            }
            AnswerType::Expiry => match super::strict_date::parse(raw) {
                Ok(d) => d.to_string(),
                Err(_) if raw.len() == 10 && raw.as_bytes().get(4) == Some(&b'-') => {
                    return Err(super::strict_date::parse(raw).unwrap_err());
                }
                Err(_) => format!("event: {raw}"),
            },
            AnswerType::Fee => {
                for pair in raw.split_whitespace() {
                    let Some((item, amount)) = pair.split_once('=') else {
                        return Err(format!("expected {}", q.answer.expected()));
                    };
                    if !schema::FEE_ITEMS.contains(&item) {
                        return Err(format!(
                            "unknown fee item `{}`{}; expected one of: {}",
                            crate::text::sanitize_line(item),
                            crate::yaml::suggest(item, schema::FEE_ITEMS.iter().copied()),
                            schema::FEE_ITEMS.join(", ")
                        ));
                    }
                    match amount.trim_start_matches('$').parse::<f64>() {
                        Ok(a) if a.is_finite() && a >= 0.0 => {}
                        _ => {
                            return Err(format!(
                                "amount `{}` of {item}: expected dollars, 0 or more, e.g. 12.50",
                                crate::text::sanitize_line(amount)
                            ));
                        }
                    }
                }
                raw.split_whitespace().collect::<Vec<_>>().join(" ")
            }
            // Record lines are checked by `answer_record`.
            AnswerType::Record => return Err(format!("expected {}", q.answer.expected())),
        };
        (q.check)(self, &value)?;
        Ok(value)
    }

    /// The received date, once answered.
    pub fn received(&self) -> Option<NaiveDate> {
        self.text("received")
            .and_then(|d| super::strict_date::parse(d).ok())
    }

    /// The day the clock counts from: `received`, or under the directory's after-hours
    /// rule the next business day for a request that arrived after closing or on a
    /// weekend.
    pub fn counting_day(&self) -> Option<NaiveDate> {
        let on = self.received()?;
        let time = self
            .text("arrival.time")
            .and_then(|t| super::arrival::parse_time(t).ok());
        Some(match (&self.after_hours, self.kind()) {
            (Some(p), Some(Kind::Access)) => p.counting_day(on, time),
            _ => on,
        })
    }

    /// The answers given so far as an answers file (`casebench new --answers FILE` reads
    /// it): one `key: "answer"` line each in the order asked, the record items as a list;
    /// for an intake cut off (a terminal that hung up) to go on from where it was.
    pub fn answers_text(&self) -> String {
        write::answers_text(self)
    }

    /// The case file's text for case `id`: every answer in its place, the evaluation of
    /// harm pending. `Err`: the required questions still unanswered.
    pub fn case_text(&self, id: &str) -> Result<String, Vec<Question>> {
        let missing = self.missing();
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(write::case_text(self, id))
    }
}
