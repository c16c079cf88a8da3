//! The reminders of `casebench due` as an iCalendar file (RFC 5545), for a calendar: one
//! all-day event per deadline.
//!
//! - `UID`: `<case>-<what>@casebench`, stable per case and deadline (`decision` or
//!   `provision`), so an extension moves the same event instead of adding one.
//! - `DTSTART;VALUE=DATE`: the due date; `DTEND` the next day (one whole day).
//! - `SUMMARY`: the case id and what is due ("AR-2026-0104: decision overdue").
//! - `DESCRIPTION`: the kind, the receipt date, the due date and the days left.
//!
//! No title, requester or patient reference: a calendar leaves the clinic's server (a
//! phone, a hosted calendar), so an event says only what identifies the work, the case
//! id (a pseudonymous reference) and its clock (docs/CLI.md, "casebench due").
//! Lines end in CRLF and are folded at 75 octets; text values are escaped.

use chrono::{DateTime, Utc};

use crate::rules::queue::{QueueEntry, Reminder};

/// The calendar of `reminders`, stamped `now` (`DTSTAMP`).
pub fn calendar(reminders: &[(Reminder, &QueueEntry)], now: DateTime<Utc>) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//casebench//due//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", text("casebench deadlines")),
    ];
    for (reminder, e) in reminders {
        let Some(due) = e.due else { continue };
        let what = reminder.what();
        let state = match reminder {
            Reminder::Overdue => "overdue",
            Reminder::DueSoon => "due",
            Reminder::AwaitingProvision => "awaiting provision",
        };
        let left = match e.days_left {
            Some(d) if d < 0 => format!("{} days overdue", -d),
            Some(d) => format!("{d} days left"),
            None => "no clock".into(),
        };
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}-{what}@casebench", uid_part(&e.id)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", due.format("%Y%m%d")),
            format!(
                "DTEND;VALUE=DATE:{}",
                due.succ_opt().unwrap_or(due).format("%Y%m%d")
            ),
            format!("SUMMARY:{}", text(&format!("{}: {what} {state}", e.id))),
            format!(
                "DESCRIPTION:{}",
                text(&format!(
                    "{} received {}; {what} due {due}; {left}.\nDetails: casebench show {}",
                    e.kind.as_str(),
                    e.received,
                    e.id
                ))
            ),
            format!("CATEGORIES:{}", text(reminder.as_str())),
            "TRANSP:TRANSPARENT".into(),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

/// A case id as the left part of a UID: its own characters (ids are
/// `[A-Za-z0-9_-]`), anything else as `_`.
fn uid_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped;
/// other control characters dropped (they have no escape).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded (RFC 5545 3.1): at most 75 octets a line, never inside a UTF-8
/// character, each continuation starting with a space; CRLF after each.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_long_lines_fold_on_character_boundaries() {
        assert_eq!(text("a,b;c\\d\ne\u{7}"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        fold(&long, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
        assert_eq!(uid_part("AR-2026_01"), "AR-2026_01");
        assert_eq!(uid_part("a@b"), "a_b");
    }
}
