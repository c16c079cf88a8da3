//! How an instrument's words name record items: an order's or authorization's `scope`
//! text, read for the items it names (whole words; "all records" reaches everything but
//! separately kept notes and Part 2 records; nothing after "excluding" and the like in
//! the same clause). The facts `record.named_in_scope`, `record.covered` and
//! `instrument.compound` read through here (docs/RULES.md, section 2).

use serde::Serialize;

use crate::case::model::{RecordCategory, RecordItem};

fn snake<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The words that name an item in an instrument's wording: its id, the first three words
/// of its description, its category and the common names for it.
pub(super) fn item_names(rec: &RecordItem) -> Vec<String> {
    let description = normalize(&rec.description);
    let lead: Vec<&str> = description.split(' ').take(3).collect();
    let mut names = vec![
        normalize(&rec.id),
        lead.join(" "),
        normalize(&snake(&rec.category)),
    ];
    names.extend(category_names(rec.category).iter().map(|n| n.to_string()));
    names
}

const BLANKET: &[&str] = &[
    "all records",
    "entire record",
    "complete record",
    "whole record",
    "all medical records",
];

pub(super) fn has_blanket(scope: &str) -> bool {
    scope_names(
        scope,
        &BLANKET.iter().map(|b| b.to_string()).collect::<Vec<_>>(),
    )
}

/// Does the scope reach records other than separately kept notes ("all records", "mental
/// health records"...)?
pub(super) fn scope_reaches_other_records(scope: &str) -> bool {
    let mut names: Vec<String> = BLANKET.iter().map(|b| b.to_string()).collect();
    for c in [
        RecordCategory::Chart,
        RecordCategory::Billing,
        RecordCategory::Lab,
        RecordCategory::SudProgram,
    ] {
        names.extend(category_names(c).iter().map(|n| n.to_string()));
    }
    names.push("records".into());
    scope_names(scope, &names)
}

pub(super) fn category_named(name: &str) -> Option<RecordCategory> {
    serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
}

/// Notes that need their own authorization or consent, by category alone (a
/// psychotherapy-notes entry of a `covers` list is taken as kept separately).
pub(super) fn separates(c: RecordCategory) -> bool {
    matches!(
        c,
        RecordCategory::PsychotherapyNotes | RecordCategory::SudCounselingNotes
    )
}

/// Words that, earlier in the same clause, exclude what follows ("all records excluding
/// psychotherapy notes").
const EXCLUDING: &[&str] = &[
    "excluding",
    "except",
    "excepting",
    "not",
    "no",
    "without",
    "other than",
];

/// Does `scope` name one of `names` (as whole words) in a clause where no excluding word
/// comes before it? Clauses are split at `,` `;` `.` `:` and brackets.
pub(super) fn scope_names(scope: &str, names: &[String]) -> bool {
    scope
        .split([',', ';', '.', ':', '(', ')'])
        .map(normalize)
        .any(|clause| {
            names.iter().any(|n| match find_words(&clause, n) {
                Some(at) => {
                    let before = &clause[..at];
                    !EXCLUDING.iter().any(|x| contains_words(before, x))
                }
                None => false,
            })
        })
}

/// The byte position of `needle` as whole words in `hay`, if there.
fn find_words(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let padded = format!(" {hay} ");
    padded.find(&format!(" {needle} "))
}

/// Common names for a category in an order's or request's wording.
fn category_names(c: RecordCategory) -> &'static [&'static str] {
    match c {
        RecordCategory::Chart => &[
            "mental health",
            "psychiatric",
            "medical record",
            "medical records",
            "treatment records",
            "health records",
        ],
        RecordCategory::PsychotherapyNotes => &["psychotherapy notes", "process notes"],
        RecordCategory::SudProgram => &["substance use", "sud", "addiction", "opioid treatment"],
        RecordCategory::SudCounselingNotes => &["counseling notes", "sud counseling notes"],
        RecordCategory::Billing => &["billing", "bills", "invoices"],
        RecordCategory::Lab => &["lab", "laboratory", "test results"],
        _ => &[],
    }
}

fn normalize(s: &str) -> String {
    let lowered: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn contains_words(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}
