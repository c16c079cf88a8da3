//! The case file an intake writes: plain YAML in the order of docs/CASE-FORMAT.md, text
//! quoted only where YAML would read it otherwise, a short comment at the top saying what
//! comes next.

use super::{Given, Intake, Kind};
use crate::case::validate::MAX_TITLE_CHARS;

/// The title an empty answer takes.
pub(super) fn default_title(i: &Intake) -> Option<String> {
    let patient = i.text("patient.ref")?;
    let t = match i.kind()? {
        Kind::Access => {
            let who = i.text("requester.name")?;
            let rel = i.text("requester.relationship")?.replace('_', " ");
            let what = match i.records().as_slice() {
                [one] => one.description.clone(),
                _ => "records".to_string(),
            };
            if rel == "self" {
                format!("{who} asks for {what}")
            } else {
                format!("{who} ({rel}) asks for {what} of {patient}")
            }
        }
        Kind::Concern => format!(
            "{} concerning {patient}",
            capitalised(&i.text("concern.type")?.replace('_', " "))
        ),
    };
    Some(t.chars().take(MAX_TITLE_CHARS).collect())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `s` as a YAML scalar: plain where every YAML reader reads it back as this text,
/// double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "unknown", "",
    ];
    let first = s.chars().next().unwrap_or(' ');
    let numeric = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | ':' | '_' | 'e' | 'E'))
        && first != 'e'
        && first != 'E';
    let plain = !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w))
        && !numeric
        && (first.is_alphanumeric() || first == '(')
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\\' | '\''));
    if plain {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Doc {
    text: String,
}

impl Doc {
    fn line(&mut self, indent: usize, key: &str, value: &str) {
        self.text.push_str(&" ".repeat(indent));
        self.text.push_str(key);
        self.text.push(':');
        if !value.is_empty() {
            self.text.push(' ');
            self.text.push_str(value);
        }
        self.text.push('\n');
    }

    /// `key: value` from the answer `answer`, written as given (a word, a date, a yes/no).
    fn answer(&mut self, i: &Intake, indent: usize, key: &str, answer: &str) {
        if let Some(v) = i.text(answer) {
            self.line(indent, key, v);
        }
    }

    /// `key: "text"` from the answer `answer`, quoted where needed.
    fn text_answer(&mut self, i: &Intake, indent: usize, key: &str, answer: &str) {
        if let Some(v) = i.text(answer) {
            self.line(indent, key, &scalar(v));
        }
    }
}

/// Whether any of these answers was given (a section with none is left out).
fn any(i: &Intake, keys: &[&str]) -> bool {
    keys.iter().any(|k| i.text(k).is_some())
}

pub(super) fn case_text(i: &Intake, id: &str) -> String {
    let mut d = Doc {
        text: String::new(),
    };
    let kind = i.kind().unwrap_or(Kind::Access);
    d.text.push_str(&format!(
        "# Opened with `casebench new` on {}{}. The evaluation of harm is pending:\n\
         # the clinician replaces its `status`, `assigned_to` and `assigned_on` lines with\n\
         # the evaluation (docs/CASE-FORMAT.md). To correct a fact: casebench edit {id}\n",
        i.now.format("%Y-%m-%d at %H:%M"),
        i.text("arrival.logged_by")
            .map(|w| format!(" by {}", crate::text::sanitize_line(w)))
            .unwrap_or_default(),
    ));
    d.line(0, "id", id);
    d.text_answer(i, 0, "title", "title");
    d.answer(i, 0, "kind", "kind");
    let received = i.received();
    let counting = i.counting_day();
    if let Some(day) = counting {
        d.line(0, "received", &day.to_string());
    }
    d.answer(i, 0, "jurisdiction", "jurisdiction");
    d.line(0, "arrival", "");
    if counting != received
        && let Some(on) = received
    {
        d.line(2, "on", &on.to_string());
    }
    if let Some(t) = i.text("arrival.time") {
        d.line(2, "time", &format!("\"{t}\""));
    }
    d.answer(i, 2, "channel", "arrival.channel");
    d.text_answer(i, 2, "logged_by", "arrival.logged_by");
    d.answer(i, 0, "follows", "follows");

    d.line(0, "patient", "");
    d.text_answer(i, 2, "ref", "patient.ref");
    d.answer(i, 2, "age", "patient.age");
    d.answer(i, 2, "emancipated", "patient.emancipated");
    d.answer(i, 2, "date_of_death", "patient.date_of_death");

    match kind {
        Kind::Access => request(i, &mut d),
        Kind::Concern => concern(i, &mut d),
    }

    d.line(0, "harm_evaluation", "");
    d.line(2, "status", "pending");
    d.text_answer(i, 2, "assigned_to", "evaluation.assigned_to");
    d.line(2, "assigned_on", &i.now.date().to_string());
    d.text
}

fn request(i: &Intake, d: &mut Doc) {
    d.line(0, "request", "");
    d.line(2, "requester", "");
    d.text_answer(i, 4, "name", "requester.name");
    d.answer(i, 4, "relationship", "requester.relationship");
    d.answer(i, 4, "identity_verified", "requester.identity_verified");
    if i.text("requester.identity_check.method").is_some() {
        d.line(4, "identity_check", "");
        d.answer(i, 6, "method", "requester.identity_check.method");
        d.text_answer(i, 6, "by", "requester.identity_check.by");
        d.answer(i, 6, "on", "requester.identity_check.on");
    }
    if i.text("requester.authority.document").is_some() {
        d.line(4, "authority", "");
        d.answer(i, 6, "document", "requester.authority.document");
        d.answer(i, 6, "shown", "requester.authority.shown");
    }
    d.text_answer(i, 4, "address", "requester.address");

    d.line(2, "instrument", "");
    d.answer(i, 4, "type", "instrument.type");
    for key in [
        "signed",
        "dated",
        "judge_signed",
        "patient_notified",
        "protective_order",
        "covers_psychotherapy_notes",
        "return_date",
    ] {
        d.answer(i, 4, key, &format!("instrument.{key}"));
    }
    if let Some(e) = i.text("instrument.expires") {
        match e.strip_prefix("event: ") {
            Some(event) => d.line(4, "expires", &format!("{{ event: {} }}", quoted(event))),
            None => d.line(4, "expires", e),
        }
    }
    d.text_answer(i, 4, "scope", "instrument.scope");

    d.line(2, "records", "");
    for r in i.records() {
        d.line(4, "- id", &scalar(&r.id));
        d.line(6, "description", &scalar(&r.description));
        d.line(6, "category", r.category);
        for fact in [
            "kept_separately",
            "minor_consented_alone",
            "court_ordered_care",
            "parent_agreed_confidentiality",
        ] {
            d.answer(i, 6, fact, &format!("records.{}.{fact}", r.id));
        }
    }
    d.answer(i, 2, "purpose", "request.purpose");
    if i.text("form.requested").is_some() {
        d.line(2, "form", "");
        d.answer(i, 4, "requested", "form.requested");
        d.text_answer(i, 4, "format", "form.format");
    }
    if let Some(items) = i.text("fee.items") {
        d.line(2, "fee", "");
        d.answer(i, 4, "method", "fee.method");
        d.answer(i, 4, "told_in_advance", "fee.told_in_advance");
        d.line(4, "items", "");
        for pair in items.split_whitespace() {
            if let Some((item, amount)) = pair.split_once('=') {
                let amount: f64 = amount.trim_start_matches('$').parse().unwrap_or(0.0);
                d.line(6, "- { item", &format!("{item}, amount: {amount:.2} }}"));
            }
        }
    }
    if any(i, &["delivery.method"]) {
        d.line(2, "delivery", "");
        d.answer(i, 4, "method", "delivery.method");
        d.text_answer(i, 4, "address", "delivery.address");
        for key in ["certified", "sealed"] {
            if i.text(&format!("delivery.{key}")) == Some("true") {
                d.line(4, key, "true");
            }
        }
    }
    if any(i, &["urgency.needed_by"]) {
        d.line(2, "urgency", "");
        d.answer(i, 4, "needed_by", "urgency.needed_by");
        d.text_answer(i, 4, "reason", "urgency.reason");
    }
}

fn concern(i: &Intake, d: &mut Doc) {
    d.line(0, "concern", "");
    d.answer(i, 2, "type", "concern.type");
    d.text_answer(i, 2, "statement", "concern.statement");
    for key in [
        "identifiable_victim",
        "means",
        "imminent",
        "patient_agrees_to_report",
        "recipient",
    ] {
        d.answer(i, 2, key, &format!("concern.{key}"));
    }
}

/// Always double-quoted (inside a flow mapping, where plain text has more limits).
fn quoted(s: &str) -> String {
    let q = scalar(s);
    if q.starts_with('"') {
        q
    } else {
        format!("\"{q}\"")
    }
}

/// `s` double-quoted, as the answers file reads it back (never a YAML word or number).
fn quoted_answer(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub(super) fn answers_text(i: &Intake) -> String {
    let mut out = format!(
        "# The answers of an intake begun on {} and not finished. To go on:\n\
         #   casebench new --answers THIS-FILE\n",
        i.now.format("%Y-%m-%d at %H:%M")
    );
    for (key, given) in &i.answers {
        match given {
            Given::One(v) => {
                // An expiry event is answered in words, without its `event: ` mark.
                let v = v.strip_prefix("event: ").unwrap_or(v);
                out.push_str(&format!("{key}: {}\n", quoted_answer(v)));
            }
            Given::Skipped => out.push_str(&format!("{key}: \"\"\n")),
            Given::Records { lines, .. } => {
                out.push_str(&format!("{key}:\n"));
                for l in lines {
                    out.push_str(&format!("  - {}\n", quoted_answer(l)));
                }
            }
        }
    }
    out
}

impl Given {
    /// The answer as one line of text, for showing the answers back.
    pub fn shown(&self) -> String {
        match self {
            Given::One(s) => s.clone(),
            Given::Skipped => "(none)".into(),
            Given::Records { lines, .. } => lines.join("; "),
        }
    }
}
