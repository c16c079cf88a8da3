//! Issue 22: `check` reports every problem of a file in one run, in the case file's own
//! words (never the parser's), at the right line and column, with the allowed values.

use crate::support::common::*;

/// check's headlines for `name` (without the path), asserting exit 1.
fn problems_of(name: &str, content: &str) -> Vec<String> {
    let dir = dir_with(&[(name, content.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let prefix = format!("{}:", dir.path().join(name).display());
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

fn assert_all(got: &[String], want: &[&str]) {
    for w in want {
        assert!(got.iter().any(|g| g == w), "expected `{w}` among {got:#?}");
    }
    for g in got {
        for parser_words in [
            "untagged enum",
            "mapping start",
            "invalid type",
            "struct ",
            "variant of",
        ] {
            assert!(!g.contains(parser_words), "parser's words in `{g}`");
        }
    }
}

const SEVERAL: &str = "\
id: AR-2026-0301
title: several problems at once
kind: access_request
recieved: 2026-03-02
jurisdiction: US-OH
patient:
request:
  requester: { name: The patient, relationship: patient, identity_verified: maybe }
  instrument:
    type: authorization
    signed: true
    expires: { evnt: end of the lawsuit }
    dated: 2026-13-01
  records:
    - { id: notes, description: Notes, category: psychotherapy_notes, kept_seperately: true }
    - { id: chart, category: chart }
";

#[test]
fn a_file_with_several_problems_gets_them_all() {
    let got = problems_of("AR-2026-0301.yaml", SEVERAL);
    assert_all(
        &got,
        &[
            "1:1: missing section `harm_evaluation`: the evaluation of harm. Until the clinician has evaluated, write `status: pending` and `assigned_to: NAME` under it",
            "4:1: unknown key `recieved` (did you mean `received`?); expected one of: id, title, kind, received, jurisdiction, arrival, follows, entity, patient, request, concern, harm_evaluation, consultations, documentation, practice",
            "6:1: `patient` is empty; expected its keys indented below it: ref, age, emancipated, incarcerated, research_suspension_agreed, date_of_death, objected_to_family_disclosure",
            "8:49: unknown value `patient` (did you mean `parent`?); expected one of: self, personal_representative, parent, executor, attorney, insurer, family, employer, provider, business_associate, qualified_service_organization, court, law_enforcement, government_agency, other",
            "8:77: unknown value `maybe`; expected one of: true, false, unknown",
            "12:16: unknown key `evnt` (did you mean `event`?); expected one of: event",
            "13:12: invalid date `2026-13-01` (no such day); expected YYYY-MM-DD",
            "15:71: unknown key `kept_seperately` (did you mean `kept_separately`?); expected one of: id, description, category, kept_separately, minor_consented_alone, court_ordered_care, parent_agreed_confidentiality, received_from_part2",
            "16:7: missing key `description` in `request.records[2]` (record item); expected: id, description, category",
        ],
    );
    // `received` is reported once, as the typo, not again as missing.
    assert!(
        !got.iter().any(|g| g.contains("missing key `received`")),
        "{got:#?}"
    );
    assert_eq!(got.len(), 9, "{got:#?}");
}

#[test]
fn the_schema_and_the_other_rules_in_one_run() {
    // A typo and a wrong type, plus rules that need the whole case read: the id that
    // does not match the file name, and a date in the future.
    let src = edit(
        &edit(&access(), "id: AR-2026-0101", "id: AR-2026-9999"),
        "    relationship: self\n",
        "    relationship: self\n    adress: 12 Elm St\n",
    );
    let src = edit(&src, "assessed_on: 2026-03-05", "assessed_on: 2999-03-05");
    let src = edit(&src, "  age: 34", "  age: [34]");
    let got = problems_of("AR-2026-0101.yaml", &src);
    // `age` is broken, so the rest cannot be read as a case: the schema's problems.
    assert_all(
        &got,
        &[
            "10:8: `age` is a list; expected a whole number, 0 or more",
            "15:5: unknown key `adress` (did you mean `address`?); expected one of: name, relationship, identity_verified, identity_check, authority, address, involved_in_care, endangerment, agreement",
        ],
    );
    // Mend `age`: the case reads, and the other rules are checked in the same run.
    let src = edit(&src, "  age: [34]", "  age: 34");
    let got = problems_of("AR-2026-0101.yaml", &src);
    assert_all(
        &got,
        &[
            "1:1: id `AR-2026-9999` does not match the file name `AR-2026-0101.yaml`; expected `id: AR-2026-0101`",
            "15:5: unknown key `adress` (did you mean `address`?); expected one of: name, relationship, identity_verified, identity_check, authority, address, involved_in_care, endangerment, agreement",
        ],
    );
    // In the future of the real day (the message names the day it compared with).
    assert!(
        got.iter()
            .any(|g| g.starts_with("32:3: date 2999-03-05 is in the future (today is ")),
        "{got:#?}"
    );
}

#[test]
fn a_pending_evaluation_is_checked_in_its_words() {
    let pending = "harm_evaluation:\n  status: pending\n  assigned_to: Dr. A. Rivera (MD)\n  assigned_on: 2026-03-03\n";
    let start = access().find("harm_evaluation:").unwrap();
    let src = format!("{}{pending}", &access()[..start]);
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // A determination beside `status: pending`, and no one assigned.
    let bad = format!(
        "{}harm_evaluation:\n  status: pending\n  at_risk: none\n",
        &access()[..start]
    );
    let got = problems_of("AR-2026-0101.yaml", &bad);
    let line = bad.lines().position(|l| l == "harm_evaluation:").unwrap() + 1;
    assert_all(
        &got,
        &[
            &format!(
                "{line}:1: missing key `assigned_to` in `harm_evaluation`: a pending evaluation names the clinician asked to evaluate"
            ),
            &format!(
                "{}:3: `at_risk` belongs to a finished evaluation; a pending one has none yet (remove `status: pending` once the evaluation is done)",
                line + 2
            ),
        ],
    );
    // A finished evaluation missing its determination.
    let half = format!(
        "{}harm_evaluation:\n  assessed_by: {{ name: Dr. A }}\n  assessed_on: 2026-03-05\n",
        &access()[..start]
    );
    let got = problems_of("AR-2026-0101.yaml", &half);
    assert_all(
        &got,
        &[&format!(
            "{line}:1: missing keys `at_risk`, `harm_type`, `likelihood`, `imminence` in `harm_evaluation`; a finished evaluation needs assessed_by, assessed_on, at_risk, harm_type, likelihood, imminence (or, until the clinician has evaluated, write `status: pending` and `assigned_to: NAME`)"
        )],
    );
}

#[test]
fn a_missing_section_is_said_at_line_one_and_duplicates_beside_the_rest() {
    let start = access().find("patient:").unwrap();
    let end = access().find("request:").unwrap();
    let src = format!("{}{}", &access()[..start], &access()[end..]);
    let src = edit(
        &src,
        "    name: M. Reyes\n",
        "    name: M. Reyes\n    name: M. R.\n",
    );
    let got = problems_of("AR-2026-0101.yaml", &src);
    assert_all(
        &got,
        &[
            "1:1: missing section `patient`: the patient's `ref` and `age`",
            "11:5: duplicate key `name`: each key may appear only once",
        ],
    );
}

#[test]
fn arrival_and_the_counting_day() {
    // Arrived on Friday 2026-03-06 at 18:30; received written as Monday the 9th.
    let src = edit(
        &access(),
        "received: 2026-03-02\njurisdiction: US-OH\n",
        "received: 2026-03-09\njurisdiction: US-OH\narrival: { on: 2026-03-06, time: \"18:30\", channel: email }\n",
    );
    // Without an after-hours rule the day it arrived counts.
    let got = problems_of("AR-2026-0101.yaml", &src);
    assert_all(
        &got,
        &[
            "4:1: received 2026-03-09 is not the day the clock counts from: the request arrived on 2026-03-06 (arrival.on), and casebench.yaml has no after-hours rule (`intake: { closes_at: \"17:00\", after_hours_next_business_day: true }`), so the day it arrived counts. 45 CFR 164.524(b) counts from receipt: write `received: 2026-03-06`",
        ],
    );
    // With the clinic's rule, the next business day counts.
    let settings = "entity: { name: X, state: US-OH }\nprivacy_contact: { title: T, phone: \"1\" }\nintake: { closes_at: \"17:00\", after_hours_next_business_day: true }\n";
    let dir = dir_with(&[
        ("AR-2026-0101.yaml", src.as_bytes()),
        ("casebench.yaml", settings.as_bytes()),
    ]);
    let out = casebench(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // ... but only after closing time.
    let early = edit(&src, "18:30", "16:30");
    let dir = dir_with(&[
        ("AR-2026-0101.yaml", early.as_bytes()),
        ("casebench.yaml", settings.as_bytes()),
    ]);
    let out = casebench(dir.path(), &["check"]);
    assert!(
        stdout(&out)
            .contains("a request that arrived on 2026-03-06 (Fri at 16:30) counts from 2026-03-06"),
        "{}",
        stdout(&out)
    );
    let bad_time = edit(&src, "18:30", "6pm");
    let got = problems_of("AR-2026-0101.yaml", &bad_time);
    assert!(
        got.iter()
            .any(|g| g.contains("invalid time `6pm`; expected HH:MM, 24-hour")),
        "{got:#?}"
    );
}

#[test]
fn a_receipt_after_the_real_calendar_is_refused_whatever_today_says() {
    let src = edit(&access(), "received: 2026-03-02", "received: 2999-03-02");
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = crate::support::cli::casebench(crate::support::cli::shared_home())
        .arg("--cases")
        .arg(dir.path())
        .args(["--today", "3000-01-01", "check"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("4:1: date 2999-03-02 is in the future (the calendar says"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_pending_case_is_in_the_queue_waiting_on_its_clinician() {
    let start = access().find("harm_evaluation:").unwrap();
    let src = format!(
        "{}harm_evaluation:\n  status: pending\n  assigned_to: Dr. A. Rivera (MD)\n  assigned_on: 2026-11-20\n",
        &access()[..start]
    );
    let src = edit(&src, "received: 2026-03-02", "received: 2026-11-10");
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "AR-2026-0101")
        .unwrap();
    assert_eq!(row["status"], "waiting_on_clinician");
    assert_eq!(row["due"], "2026-12-10");
    assert_eq!(row["days_left"], 17);
    let text = stdout(&casebench(dir.path(), &["list"]));
    assert!(
        text.lines()
            .any(|l| l.starts_with("AR-2026-0101") && l.contains("waiting_on_clinician")),
        "{text}"
    );
    let show = stdout(&casebench(dir.path(), &["show", "AR-2026-0101"]));
    assert!(
        show.contains("status: PENDING: no evaluation of harm yet (waiting on clinician)"),
        "{show}"
    );
    assert!(show.contains("assigned to: Dr. A. Rivera (MD)"), "{show}");
}
