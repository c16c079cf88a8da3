//! `casebench check` on every validation rule: each broken file is reported with its exact
//! `path:line:col: message`, exit status 1, and the valid cases beside it still load.

use crate::support::common;

use common::*;

/// Writes `content` as `name` beside the valid fixtures and returns check's report lines
/// that name that file (headlines only), after asserting exit 1 and that the two valid
/// fixtures still loaded.
fn problems_of(name: &str, content: &str) -> Vec<String> {
    let dir = dir_with(&[(name, content.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let valid = if ["AR-2026-0101.yaml", "DC-2026-0007.yaml"].contains(&name) {
        1
    } else {
        2
    };
    let summary = format!(
        "{valid} case file{} valid, 1 with problems",
        if valid == 1 { "" } else { "s" }
    );
    assert!(
        text.contains(&summary),
        "valid cases must still load: {text}"
    );
    let prefix = format!("{}:", dir.path().join(name).display());
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

fn assert_problem(name: &str, content: &str, expected: &str) {
    let got = problems_of(name, content);
    assert!(
        got.iter().any(|g| g == expected),
        "expected `{expected}` among {got:#?}"
    );
}

#[test]
fn the_valid_fixtures_pass() {
    let dir = dir_with(&[]);
    let out = casebench(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "2 case files valid, 0 with problems\n");
}

#[test]
fn unknown_key_has_a_did_you_mean_hint() {
    let src = edit(&access(), "received:", "recieved:");
    let got = problems_of("AR-2026-0101.yaml", &src);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("4:1: unknown key `recieved` (did you mean `received`?); expected one of: id, title, kind, received,"),
        "{got:?}"
    );
}

#[test]
fn unknown_value_has_a_did_you_mean_hint() {
    let src = edit(&access(), "relationship: self", "relationship: parnet");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "14:19: unknown value `parnet` (did you mean `parent`?); expected one of: self, personal_representative, parent, executor, attorney, insurer, family, employer, provider, business_associate, qualified_service_organization, court, law_enforcement, government_agency, other",
    );
}

#[test]
fn invalid_date_says_the_format() {
    let src = edit(&access(), "received: 2026-03-02", "received: 2026-02-30");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "4:11: invalid date `2026-02-30` (no such day); expected YYYY-MM-DD",
    );
    let src = edit(&access(), "on: 2026-03-06", "on: 2026-3-6");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "44:9: invalid date `2026-3-6`; expected YYYY-MM-DD",
    );
    let src = edit(
        &access(),
        "    dated: 2026-03-01\n    scope",
        "    dated: 1 March 2026\n    scope",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "19:12: invalid date `1 March 2026`; expected YYYY-MM-DD",
    );
}

#[test]
fn id_must_match_the_pattern() {
    let src = edit(&access(), "id: AR-2026-0101", "id: \"../x\"");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "1:1: invalid id `../x`; expected a letter or digit, then up to 63 letters, digits, `_` or `-`",
    );
}

#[test]
fn id_must_equal_the_file_stem() {
    assert_problem(
        "AR-2026-0199.yaml",
        &access(),
        "1:1: id `AR-2026-0101` does not match the file name `AR-2026-0199.yaml`; expected `id: AR-2026-0199`",
    );
}

#[test]
fn access_request_needs_a_request() {
    let src = access();
    let start = src.find("request:\n").unwrap();
    let end = src.find("harm_evaluation:").unwrap();
    let src = format!("{}{}", &src[..start], &src[end..])
        .replace("records: [chart, notes]", "records: []");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "3:1: `kind: access_request` needs a `request:` section (requester, instrument, records)",
    );
}

#[test]
fn access_request_has_no_concern() {
    let src = edit(
        &access(),
        "harm_evaluation:",
        "concern:\n  type: threat_to_self\n  statement: x\nharm_evaluation:",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "29:1: `concern:` is only for `kind: disclosure_concern`; an access request has `request:`",
    );
}

#[test]
fn disclosure_concern_needs_a_concern_and_no_request() {
    let src = concern();
    let start = src.find("concern:\n").unwrap();
    let end = src.find("harm_evaluation:").unwrap();
    let no_concern = format!("{}{}", &src[..start], &src[end..]);
    assert_problem(
        "DC-2026-0007.yaml",
        &no_concern,
        "3:1: `kind: disclosure_concern` needs a `concern:` section (type, statement, ...)",
    );
    let with_request = edit(
        &src,
        "harm_evaluation:",
        "request:\n  requester: {name: X, relationship: self}\n  instrument: {type: none}\n  records: [{id: a, description: d, category: chart}]\nharm_evaluation:",
    );
    assert_problem(
        "DC-2026-0007.yaml",
        &with_request,
        "15:1: `request:` is only for `kind: access_request`; a disclosure concern has `concern:`",
    );
}

#[test]
fn record_ids_are_unique_and_well_formed() {
    let src = edit(&access(), "- id: notes", "- id: chart");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "25:7: duplicate record id `chart`; record ids must be unique in a case",
    );
    let src = edit(&access(), "- id: notes", "- id: Notes");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "25:7: invalid record id `Notes`; expected lower-case letters, digits, `_` or `-`",
    );
}

#[test]
fn harm_evaluation_names_existing_records() {
    let src = edit(
        &access(),
        "records: [chart, notes]",
        "records:\n    - chart\n    - billing",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "38:5: harm_evaluation names record `billing`, which the case does not have; expected one of: chart, notes",
    );
}

#[test]
fn attachments_stay_inside_the_case_directory() {
    let with_file = |f: &str| {
        edit(
            &access(),
            "    summary: Signed request form.",
            &format!("    file: {f}\n    summary: Signed request form."),
        )
    };
    assert_problem(
        "AR-2026-0101.yaml",
        &with_file("../../etc/passwd"),
        "52:5: file `../../etc/passwd` points outside the case directory; expected a path inside it",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &with_file("/etc/passwd"),
        "52:5: file `/etc/passwd` is an absolute path; expected a path inside the case directory",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &with_file("attachments/missing.pdf"),
        "52:5: file `attachments/missing.pdf` does not exist in the case directory",
    );
}

#[test]
fn attachment_link_leading_outside_is_refused() {
    let dir = dir_with(&[]);
    std::fs::create_dir(dir.path().join("attachments")).unwrap();
    std::os::unix::fs::symlink("/etc", dir.path().join("attachments/etc")).unwrap();
    let src = edit(
        &access(),
        "    summary: Signed request form.",
        "    file: attachments/etc/hostname\n    summary: Signed request form.",
    );
    std::fs::write(dir.path().join("AR-2026-0101.yaml"), src).unwrap();
    let out = casebench(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("52:5: file `attachments/etc/hostname` resolves outside the case directory"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn an_attachment_inside_is_fine() {
    let src = edit(
        &access(),
        "    summary: Signed request form.",
        "    file: attachments/AR-2026-0101/request.txt\n    summary: Signed request form.",
    );
    let dir = dir_with(&[
        ("AR-2026-0101.yaml", src.as_bytes()),
        ("attachments/AR-2026-0101/request.txt", b"scan"),
    ]);
    let out = casebench(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn title_is_one_short_line() {
    let long = "x".repeat(121);
    let src = edit(
        &access(),
        "title: Patient asks for her chart and therapy notes",
        &format!("title: {long}"),
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "2:1: title is 121 characters; expected at most 120",
    );
    let src = edit(
        &access(),
        "title: Patient asks for her chart and therapy notes",
        "title: \"two\\nlines\"",
    );
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "2:1: title spans several lines; expected one line",
    );
}

/// "In the future" is after the real day (or `--today`, when that is later): `--today`
/// and `as_of` set the day deadlines count from, never what is real (one clock). The
/// message names the day it compared with, which is the real one here.
fn assert_future(name: &str, content: &str, at: &str, date: &str) {
    let got = problems_of(name, content);
    let head = format!("{at}: date {date} is in the future (today is ");
    assert!(
        got.iter()
            .any(|g| g.starts_with(&head) && g.ends_with("); expected a past or present date")),
        "expected `{head}...` among {got:#?}"
    );
}

#[test]
fn dates_are_not_in_the_future() {
    let src = edit(&access(), "received: 2026-03-02", "received: 2999-11-24");
    assert_future("AR-2026-0101.yaml", &src, "4:1", "2999-11-24");
    let src = edit(&access(), "on: 2026-03-06", "on: 2999-01-01");
    assert_future("AR-2026-0101.yaml", &src, "44:5", "2999-01-01");
    // After `--today` (2026-11-23 here) but not after the real day: real, so valid.
    let src = edit(&access(), "on: 2026-03-06", "on: 2026-11-30");
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    assert!(
        !stdout(&out).contains("2026-11-30 is in the future"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn jurisdiction_is_a_us_state() {
    let src = edit(&access(), "jurisdiction: US-OH", "jurisdiction: US-ZZ");
    assert_problem(
        "AR-2026-0101.yaml",
        &src,
        "5:1: unknown jurisdiction `US-ZZ`; expected `US` or `US-` and a state code such as `US-CA`",
    );
}

#[test]
fn every_problem_of_a_file_is_listed() {
    let src = edit(&access(), "jurisdiction: US-OH", "jurisdiction: XX");
    let src = edit(&src, "- id: notes", "- id: chart");
    let got = problems_of("AR-2026-0101.yaml", &src);
    assert_eq!(got.len(), 3, "{got:#?}"); // bad jurisdiction, duplicate id, and `notes` no longer exists
}

#[test]
fn check_json_lists_problems() {
    let src = edit(&access(), "jurisdiction: US-OH", "jurisdiction: XX");
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], 1);
    assert_eq!(v["invalid"], 1);
    assert_eq!(v["problems"][0]["line"], 5);
    assert_eq!(v["problems"][0]["column"], 1);
}
