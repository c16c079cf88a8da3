//! The words every surface shows for a case's kind, status, days left and deadline:
//! one function per fact, each with its tone. `list`, `show`, `advise`, the queue, the
//! case header and the audit screen call these, so they say the same.

use super::{Row, Tone};
use crate::case::CaseKind;
use crate::rules::deadline::{Clock, DUE_SOON_DAYS};
use crate::rules::{Deadline, Status};

/// A status as the screens write it (in words: never `OV` or `du`), and its tone. The
/// machine name is `Status::as_str` (`list`, `show`, `--json`).
pub fn status(s: Status) -> (&'static str, Tone) {
    match s {
        Status::Overdue => ("OVERDUE", Tone::Error),
        Status::DueSoon => ("due soon", Tone::Warning),
        Status::Open => ("open", Tone::Normal),
        // "waiting on clinician", in the 8 columns the queue gives a status.
        Status::WaitingOnClinician => ("waiting", Tone::Normal),
        Status::UnderReview => ("review", Tone::Muted),
        Status::Decided => ("decided", Tone::Muted),
        // "decided, awaiting provision", in the queue's 8 columns.
        Status::AwaitingProvision => ("awaiting", Tone::Normal),
        Status::ProvidedOnTime => ("provided", Tone::Muted),
        Status::ProvidedLate => ("late", Tone::Warning),
    }
}

/// A kind in one short word (the queue's column, the case header).
pub fn kind(k: CaseKind) -> &'static str {
    match k {
        CaseKind::AccessRequest => "access",
        CaseKind::DisclosureConcern => "concern",
    }
}

/// Days left as text that carries the meaning without colour: `!! -12d`, `! 3d`, `14d`;
/// `done` once decided (or provided on time), `late` once provided late; `-` for a
/// request without a legal clock; `! now` for a concern (no statutory clock: act without
/// delay). A proposal awaiting countersignature and a decision awaiting provision keep
/// their days left: the clock still runs.
pub fn days_left(status: Status, days_left: Option<i64>, kind: CaseKind) -> (String, Tone) {
    match (status, days_left) {
        (Status::Decided | Status::ProvidedOnTime, _) => ("done".into(), Tone::Muted),
        (Status::ProvidedLate, _) => ("late".into(), Tone::Warning),
        (Status::Overdue, Some(d)) => (format!("!! {d}d"), Tone::Error),
        (_, Some(d)) if d < 0 => (format!("!! {d}d"), Tone::Error),
        (_, Some(d)) if d <= DUE_SOON_DAYS => (format!("! {d}d"), Tone::Warning),
        (_, Some(d)) => (format!("{d}d"), Tone::Good),
        (_, None) if kind == CaseKind::DisclosureConcern => ("! now".into(), Tone::Warning),
        (_, None) => ("-".into(), Tone::Muted),
    }
}

/// An optional date or number as a table cell: `-` when there is none.
pub fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// The deadline row of a case: `due: D (extended)   days left: N   status: S` (or why
/// there is no due date), with the status the log gives (`status`, never the clock's
/// own). `show` prints it; the workbench's header draws it.
pub fn deadline_row(dl: &Deadline, status: Status) -> Row {
    let tone = match status {
        Status::Overdue => Tone::Error,
        Status::DueSoon => Tone::Warning,
        Status::Decided | Status::UnderReview | Status::ProvidedOnTime => Tone::Muted,
        Status::ProvidedLate => Tone::Warning,
        _ => Tone::Normal,
    };
    let row = match (dl.due, dl.days_left) {
        (Some(due), Some(left)) => Row::facts([
            (
                "due",
                format!("{due}{}", if dl.extended { " (extended)" } else { "" }),
            ),
            ("days left", left.to_string()),
            ("status", status.as_str().to_string()),
        ]),
        _ => Row::facts([
            ("due", no_due(dl.clock).to_string()),
            ("status", status.as_str().to_string()),
        ]),
    };
    row.tone(tone)
}

/// The case header's clock: the due date and the urgency in words and markers
/// (`due D · !! 9 days overdue`), or, once the log says more, what was done (`decided`,
/// `provided on time`, `decided, awaiting provision · 3 days left`: the clock still runs
/// until the records are provided). Without a due date: why there is none.
pub fn clock(dl: &Deadline, status: Status) -> (String, Tone) {
    let ext = if dl.extended { " (extended)" } else { "" };
    let due = dl
        .due
        .map(|d| format!("due {d}{ext} · "))
        .unwrap_or_default();
    let days = || match dl.days_left {
        Some(left) if left < 0 => Some((format!("!! {} days overdue", -left), Tone::Error)),
        Some(left) if left <= DUE_SOON_DAYS => Some((format!("! {left} days left"), Tone::Warning)),
        Some(left) => Some((format!("{left} days left"), Tone::Good)),
        None => None,
    };
    let counting = || match (dl.due, days()) {
        (Some(_), Some((d, tone))) => (format!("{due}{d}"), tone),
        _ if dl.clock == Clock::None => (
            format!(
                "received {} · no access deadline (a third party's request)",
                dl.received
            ),
            Tone::Good,
        ),
        _ => (
            format!(
                "raised {} · ! no statutory clock: act without delay",
                dl.received
            ),
            Tone::Warning,
        ),
    };
    match status {
        Status::Decided => (format!("{due}decided"), Tone::Muted),
        Status::ProvidedOnTime => (format!("{due}provided on time"), Tone::Good),
        Status::ProvidedLate => (format!("{due}provided late"), Tone::Warning),
        Status::AwaitingProvision => match days() {
            Some((d, tone)) => (format!("{due}decided, awaiting provision · {d}"), tone),
            None => (format!("{due}decided, awaiting provision"), Tone::Normal),
        },
        Status::UnderReview => {
            let (text, tone) = counting();
            (format!("{text} · a proposal awaits countersignature"), tone)
        }
        _ => counting(),
    }
}

/// Why a case has no due date.
pub fn no_due(clock: Clock) -> &'static str {
    if clock == Clock::None {
        "none (a third party's request: no 164.524 access clock)"
    } else {
        "act without delay (no statutory clock)"
    }
}

/// Days left in a sentence: `3 day(s) left`, `9 day(s) late`.
pub fn days_in_words(left: i64) -> String {
    if left < 0 {
        format!("{} day(s) late", -left)
    } else {
        format!("{left} day(s) left")
    }
}

/// The snake_case name a case file spells an enum value with, for display.
pub fn snake<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
