//! `casebench due` (issue 22 section 3) against a generated case directory: the same
//! numbers as `list`, most urgent first, exit 1 when anything is overdue, 0 otherwise, 2
//! for bad input; JSON; and the iCalendar output read back by an independent parser
//! (Python's `icalendar`, tests/ics/parse_ics.py).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::NaiveDate;
use serde_json::Value;

use crate::support::common::{TODAY, access, casebench, concern, edit, stdout};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A case directory of `n` access requests received `ages[i]` days before `TODAY`
/// (AR-2027-0001...), and two disclosure concerns (no clock: never a reminder).
fn generated(ages: &[i64]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let today = day(TODAY);
    for (i, age) in ages.iter().enumerate() {
        let id = format!("AR-2027-{:04}", i + 1);
        let received = today - chrono::TimeDelta::days(*age);
        let src = edit(&access(), "id: AR-2026-0101", &format!("id: {id}"));
        let src = edit(
            &src,
            "received: 2026-03-02",
            &format!("received: {received}"),
        );
        std::fs::write(dir.path().join(format!("{id}.yaml")), src).unwrap();
    }
    for n in [1, 2] {
        let id = format!("DC-2027-{n:04}");
        let src = edit(&concern(), "id: DC-2026-0007", &format!("id: {id}"));
        std::fs::write(dir.path().join(format!("{id}.yaml")), src).unwrap();
    }
    dir
}

/// Ages from 0 to 59 days: received every day of the last two months.
fn spread() -> Vec<i64> {
    (0..60).collect()
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

#[test]
fn due_lists_what_list_says_is_overdue_or_due_within_the_window_most_urgent_first() {
    let dir = generated(&spread());
    let list = casebench(dir.path(), &["list", "--json"]);
    assert_eq!(list.status.code(), Some(0));
    let list = json(&list);
    let cases = list["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 62);
    for within in [7, 14, 0] {
        let o = casebench(
            dir.path(),
            &["due", "--within", &format!("{within}d"), "--json"],
        );
        let v = json(&o);
        // The expected reminders, from `list`'s own rows.
        let mut overdue: Vec<(&str, &str)> = Vec::new();
        let mut soon: Vec<(&str, &str)> = Vec::new();
        for c in cases {
            let Some(left) = c["days_left"].as_i64() else {
                continue;
            };
            let row = (c["due"].as_str().unwrap(), c["id"].as_str().unwrap());
            if left < 0 {
                overdue.push(row);
            } else if left <= within {
                soon.push(row);
            }
        }
        overdue.sort();
        soon.sort();
        assert!(!overdue.is_empty() && !soon.is_empty(), "within {within}");
        assert_eq!(o.status.code(), Some(1), "overdue cases: exit 1");
        assert_eq!(v["today"], TODAY);
        assert_eq!(v["within_days"], within);
        assert_eq!(v["counts"]["overdue"], overdue.len());
        assert_eq!(v["counts"]["due_soon"], soon.len());
        assert_eq!(v["counts"]["awaiting_provision"], 0);
        let got: Vec<(String, String, String)> = v["reminders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["reminder"].as_str().unwrap().to_string(),
                    r["due"].as_str().unwrap().to_string(),
                    r["id"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want: Vec<(String, String, String)> = overdue
            .iter()
            .map(|(d, id)| ("overdue", d, id))
            .chain(soon.iter().map(|(d, id)| ("due_soon", d, id)))
            .map(|(r, d, id)| (r.to_string(), d.to_string(), id.to_string()))
            .collect();
        assert_eq!(got, want, "within {within}");
        // Each reminder carries `list`'s fields for its case, unchanged.
        for r in v["reminders"].as_array().unwrap() {
            let c = cases.iter().find(|c| c["id"] == r["id"]).unwrap();
            for f in ["kind", "status", "received", "due", "days_left", "title"] {
                assert_eq!(r[f], c[f], "{f} of {}", r["id"]);
            }
            assert_eq!(r["what"], "decision");
        }
    }
    // The text names the counts and every case listed.
    let o = casebench(dir.path(), &["due"]);
    assert_eq!(o.status.code(), Some(1));
    let t = stdout(&o);
    let v = json(&casebench(dir.path(), &["due", "--json"]));
    assert!(
        t.starts_with(&format!(
            "As of {TODAY}: {} overdue, {} due within 7 days, 0 awaiting provision",
            v["counts"]["overdue"], v["counts"]["due_soon"]
        )),
        "{t}"
    );
    for r in v["reminders"].as_array().unwrap() {
        assert!(t.contains(r["id"].as_str().unwrap()), "{t}");
    }
    assert!(!t.contains("DC-2027"), "concerns have no clock: {t}");
}

#[test]
fn due_exits_0_when_nothing_is_overdue_and_2_for_bad_input() {
    // Received in the last ten days: nothing overdue, nothing due within a week.
    let dir = generated(&(0..10).collect::<Vec<_>>());
    let o = casebench(dir.path(), &["due"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).starts_with(&format!(
        "As of {TODAY}: 0 overdue, 0 due within 7 days, 0 awaiting provision"
    )));
    // A three-week window takes them in, and still nothing is overdue.
    let o = casebench(dir.path(), &["due", "--within", "3w", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["within_days"], 21);
    assert!(v["counts"]["due_soon"].as_u64().unwrap() > 0, "{v}");
    // An empty directory: nothing due.
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(casebench(empty.path(), &["due"]).status.code(), Some(0));
    // Bad input is a usage error, with the reason.
    for bad in [
        &["due", "--within", "soon"][..],
        &["due", "--within", "-3d"],
        &["due", "--within", "400d"],
        &["due", "--format", "xml"],
    ] {
        let o = casebench(dir.path(), bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert!(stdout(&o).is_empty(), "{bad:?}");
    }
    let o = casebench(dir.path(), &["due", "--within", "soon"]);
    assert!(
        crate::support::common::stderr(&o).contains("expected days such as 7d, 14d or 2w"),
        "{}",
        crate::support::common::stderr(&o)
    );
}

/// The Python that has `icalendar`, or a message and `None`.
fn python() -> Option<PathBuf> {
    let p = std::env::var_os("CASEBENCH_ICS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/py-ical/bin/python"));
    let ok = Command::new(&p)
        .args(["-c", "import icalendar"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!(
            "SKIPPED: no Python with icalendar at {} (.ci/run makes it; or set CASEBENCH_ICS_PYTHON)",
            p.display()
        );
    }
    ok.then_some(p)
}

#[test]
fn the_ics_output_is_rfc_5545_one_all_day_event_per_deadline() {
    let dir = generated(&spread());
    let v = json(&casebench(
        dir.path(),
        &["due", "--within", "14d", "--json"],
    ));
    let reminders = v["reminders"].as_array().unwrap().clone();
    let o = casebench(dir.path(), &["due", "--within", "14d", "--format", "ics"]);
    assert_eq!(o.status.code(), Some(1), "overdue: exit 1 in every format");
    let raw = o.stdout.clone();
    // CRLF everywhere, lines of at most 75 octets, continuations start with a space.
    assert!(raw.ends_with(b"END:VCALENDAR\r\n"));
    let text = String::from_utf8(raw.clone()).unwrap();
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(line.len() <= 75, "{line:?}");
    }
    // No title, requester or patient reference leaves in a calendar.
    assert!(!text.contains("P-10442") && !text.contains("therapy notes"));
    let Some(py) = python() else { return };
    let mut child = Command::new(py)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ics/parse_ics.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&raw).unwrap();
    let parsed = child.wait_with_output().unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let cal: Value = serde_json::from_slice(&parsed.stdout).unwrap();
    let events = cal["events"].as_array().unwrap();
    assert_eq!(events.len(), reminders.len());
    let mut uids = std::collections::HashSet::new();
    for (ev, r) in events.iter().zip(&reminders) {
        let id = r["id"].as_str().unwrap();
        assert_eq!(ev["uid"], format!("{id}-decision@casebench"));
        assert!(uids.insert(ev["uid"].as_str().unwrap().to_string()));
        assert_eq!(ev["dtstart"], r["due"], "an all-day date");
        let due = day(r["due"].as_str().unwrap());
        assert_eq!(ev["dtend"], due.succ_opt().unwrap().to_string());
        let state = if r["reminder"] == "overdue" {
            "overdue"
        } else {
            "due"
        };
        assert_eq!(ev["summary"], format!("{id}: decision {state}"));
        // Escaped text comes back as written.
        assert!(
            ev["description"].as_str().unwrap().starts_with(&format!(
                "access_request received {}; decision due",
                r["received"].as_str().unwrap()
            )),
            "{ev}"
        );
        assert_eq!(ev["categories"][0], r["reminder"]);
    }
    // Stable: the same deadlines give the same UIDs on another run.
    let again = casebench(dir.path(), &["due", "--within", "14d", "--format", "ics"]);
    let uid_lines = |b: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| l.starts_with("UID:"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(uid_lines(&again.stdout), uid_lines(&raw));
}

/// The workbench's header shows `due`'s counts over a week, from the same function, on
/// one line at 80 and 120 columns.
#[test]
fn the_workbench_header_shows_the_counts_of_due() {
    use crate::support::tui::{render, state_on};
    let dir = generated(&spread());
    let v = json(&casebench(dir.path(), &["due", "--json"]));
    let want = format!(
        "{} overdue · {} due this week",
        v["counts"]["overdue"], v["counts"]["due_soon"]
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state_on(dir.path(), w, h);
        let screen = render(&mut s, w, h);
        let line = screen.lines().nth(1).unwrap();
        assert!(line.starts_with(&want), "{w}x{h}: {line}");
        assert!(line.contains("all case files valid"), "{line}");
        assert!(line.chars().count() <= usize::from(w));
    }
}
