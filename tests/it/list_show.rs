//! `casebench list` and `casebench show` on the fixtures, text and JSON, and exit codes.

use crate::support::common;

use common::*;

#[test]
fn list_shows_the_queue_in_due_order() {
    let dir = dir_with(&[]);
    let out = casebench(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("ID "), "{text}");
    // Received 2026-03-02, due 04-01: 236 days overdue as of 2026-11-23.
    assert!(lines[1].starts_with("AR-2026-0101"), "{text}");
    assert!(lines[1].contains("access_request"));
    assert!(
        lines[1].contains("2026-03-02 2026-04-01  -236  overdue"),
        "{text}"
    );
    assert!(lines[1].ends_with("Patient asks for her chart and therapy notes"));
    // The concern has no statutory clock.
    assert!(lines[2].starts_with("DC-2026-0007"), "{text}");
    assert!(
        lines[2].contains("2026-05-04 -              -  open"),
        "{text}"
    );
}

#[test]
fn list_json_has_the_documented_fields() {
    let dir = dir_with(&[]);
    let out = casebench(dir.path(), &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["today"], "2026-11-23");
    let first = &v["cases"][0];
    assert_eq!(first["id"], "AR-2026-0101");
    assert_eq!(first["kind"], "access_request");
    assert_eq!(first["status"], "overdue");
    assert_eq!(first["received"], "2026-03-02");
    assert_eq!(first["due"], "2026-04-01");
    assert_eq!(first["days_left"], -236);
    assert_eq!(first["requester"], "M. Reyes");
    assert_eq!(first["jurisdiction"], "US-OH");
    assert_eq!(v["cases"][1]["due"], serde_json::Value::Null);
    assert_eq!(v["invalid"].as_array().map(Vec::len), Some(0));
}

#[test]
fn status_follows_today() {
    let dir = dir_with(&[]);
    let out = crate::support::cli::casebench(crate::support::cli::shared_home())
        .args(["list", "--json"])
        .env("CASEBENCH_CASES", dir.path())
        .env("XDG_STATE_HOME", dir.path().join(".test-state"))
        .env("CASEBENCH_TODAY", "2026-03-28")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cases"][0]["status"], "due_soon");
    assert_eq!(v["cases"][0]["days_left"], 4);
}

#[test]
fn show_prints_every_pane() {
    let dir = dir_with(&[]);
    let out = casebench(dir.path(), &["show", "AR-2026-0101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for needle in [
        "AR-2026-0101  Patient asks for her chart and therapy notes",
        "requester: M. Reyes (self), identity verified",
        "  - notes (psychotherapy_notes): Process notes of weekly sessions [kept separately]",
        "== Evaluation of harm ==",
        "assessed by Dr. A. Rivera, MD on 2026-03-05, licensed, treating",
        "Ms. R. is stable",
        "== Consultation notes ==",
        "2026-03-06 with Dr. K. Osei (supervisor), recommends release_partial",
        "== Documentation ==",
        "Written request (request, 2026-03-01)",
        "due: 2026-04-01   days left: -236   status: overdue",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn show_sanitises_untrusted_text() {
    // YAML double-quoted escapes: ESC ]0;pwned BEL, ESC [2J, RLO, ZWSP.
    let src = edit(
        &access(),
        "- no history of self-harm",
        r#"- "Nothing \e]0;pwned\a here \e[2J \u202Eevil \u200B.""#,
    );
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["show", "AR-2026-0101"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}{}", text, stderr(&out));
    assert!(!text.contains('\u{1b}'), "raw ESC reached the terminal");
    assert!(
        text.contains("Nothing ^[]0;pwned^G here ^[[2J <U+202E>evil <U+200B>."),
        "{text}"
    );
}

#[test]
fn show_json_hides_the_practice_reference() {
    let src = format!(
        "{}practice:\n  reference:\n    outcome: release_partial\n    grounds: [right-of-access, psychotherapy-notes]\n    withhold: {{ notes: psychotherapy-notes }}\n    explanation: secret\n",
        access()
    );
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["show", "AR-2026-0101", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("secret"), "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["case"]["practice"]["reference"], "hidden");
    assert_eq!(v["deadline"]["due"], "2026-04-01");
    assert_eq!(v["sha256"].as_str().map(str::len), Some(64));
    let text = stdout(&casebench(dir.path(), &["show", "AR-2026-0101"]));
    assert!(!text.contains("secret"));
    assert!(text.contains("This is a practice case"));
}

#[test]
fn show_unknown_or_invalid_case_is_a_usage_error() {
    let dir = dir_with(&[("BAD-1.yaml", b"id: [\n")]);
    let out = casebench(dir.path(), &["show", "NOPE-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no case `NOPE-1` in"),
        "{}",
        stderr(&out)
    );
    let out = casebench(dir.path(), &["show", "BAD-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("case `BAD-1` is invalid: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_directory_is_an_io_error() {
    let out = casebench(std::path::Path::new("/nonexistent/cases"), &["list"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/cases: cannot open the case directory"));
}

#[test]
fn bad_usage_exits_2() {
    let dir = dir_with(&[]);
    let out = casebench(dir.path(), &["list", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let out = crate::support::cli::casebench(crate::support::cli::shared_home())
        .args(["--today", "2026-13-01", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("expected YYYY-MM-DD"));
}

#[test]
fn an_unknown_option_suggests_nothing_unrelated() {
    // `--mouse` belongs to the workbench only: it is not offered for a typo in `list`.
    let o = crate::support::cli::casebench(crate::support::cli::shared_home())
        .args(["list", "--bogus"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unexpected argument '--bogus'"), "{err}");
    assert!(!err.contains("--mouse"), "{err}");
}
