//! Issue 13, point 3: the schema v1 additions (a deceased patient, an executor, family
//! involved in care, the provider's documented belief about a representative, care a
//! court ordered or the parent agreed to keep confidential, an instrument's return date)
//! load, old files still load, unknown keys are still errors with "did you mean", and
//! `casebench check` explains each misuse at its line and column.

use crate::support::common;

use common::*;

fn check(content: &str) -> (i32, String) {
    let dir = dir_with(&[("AR-2026-0150.yaml", content.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    (out.status.code().unwrap_or(-1), stdout(&out))
}

fn base() -> String {
    edit(&access(), "id: AR-2026-0101", "id: AR-2026-0150")
}

fn assert_problem(content: &str, expected: &str) {
    let (code, text) = check(content);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains(expected), "expected `{expected}` in:\n{text}");
}

fn assert_valid(content: &str) {
    let (code, text) = check(content);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("3 case files valid, 0 with problems"),
        "{text}"
    );
}

#[test]
fn old_files_and_every_new_field_load() {
    assert_valid(&base());
    let src = edit(
        &base(),
        "  age: 34\n",
        "  age: 34\n  date_of_death: 2026-01-10\n  objected_to_family_disclosure: false\n",
    );
    let src = edit(&src, "relationship: self", "relationship: executor");
    let src = edit(
        &src,
        "    identity_verified: true\n",
        "    identity_verified: true\n    endangerment:\n      belief: neglect\n      documented_on: 2026-03-03\n      documented_by: Dr. A. Rivera (MD)\n      not_in_best_interest: true\n",
    );
    let src = edit(
        &src,
        "      kept_separately: true\n",
        "      kept_separately: true\n      court_ordered_care: false\n      parent_agreed_confidentiality: false\n",
    );
    assert_valid(&src);
    let family = edit(
        &edit(
            &base(),
            "  age: 34\n",
            "  age: 34\n  date_of_death: 2026-01-10\n",
        ),
        "    relationship: self\n",
        "    relationship: family\n    involved_in_care: true\n",
    );
    assert_valid(&family);
    let subpoena = edit(
        &edit(&base(), "relationship: self", "relationship: attorney"),
        "    type: written_request\n",
        "    type: subpoena\n    return_date: 2027-01-15\n",
    );
    assert_valid(&subpoena);
}

#[test]
fn a_misspelt_new_key_is_an_error_with_a_hint() {
    let src = edit(
        &base(),
        "  age: 34\n",
        "  age: 34\n  date_of_deth: 2026-01-10\n",
    );
    assert_problem(
        &src,
        "unknown key `date_of_deth` (did you mean `date_of_death`?)",
    );
}

#[test]
fn a_date_of_death_in_the_future() {
    let src = edit(
        &base(),
        "  age: 34\n",
        "  age: 34\n  date_of_death: 2999-01-10\n",
    );
    assert_problem(&src, "11:3: date 2999-01-10 is in the future (today is ");
}

#[test]
fn an_executor_of_a_living_patient() {
    let src = edit(&base(), "relationship: self", "relationship: executor");
    assert_problem(
        &src,
        "14:5: `executor` acts for a deceased patient's estate (164.502(g)(4)); this patient has no `date_of_death`",
    );
}

#[test]
fn the_patient_asking_after_death() {
    let src = edit(
        &base(),
        "  age: 34\n",
        "  age: 34\n  date_of_death: 2026-01-10\n",
    );
    assert_problem(
        &src,
        "the patient died on 2026-01-10, before the request was received on 2026-03-02",
    );
}

#[test]
fn family_involved_in_care_of_a_living_patient() {
    let src = edit(
        &base(),
        "    relationship: self\n",
        "    relationship: family\n    involved_in_care: true\n",
    );
    assert_problem(
        &src,
        "`involved_in_care` is about a deceased patient's family or friends (164.510(b)(5))",
    );
    let src = edit(
        &base(),
        "  age: 34\n",
        "  age: 34\n  objected_to_family_disclosure: true\n",
    );
    assert_problem(
        &src,
        "`objected_to_family_disclosure` is about a deceased patient",
    );
}

#[test]
fn endangerment_of_someone_who_is_not_a_representative() {
    let src = edit(
        &base(),
        "    identity_verified: true\n",
        "    identity_verified: true\n    endangerment: { belief: abuse, documented_on: 2026-03-03, documented_by: Dr. X, not_in_best_interest: true }\n",
    );
    assert_problem(
        &src,
        "`endangerment` records the belief that a personal representative abuses, neglects or endangers the patient (164.502(g)(5)); the requester is `self`",
    );
    let src = edit(
        &edit(
            &base(),
            "relationship: self",
            "relationship: personal_representative",
        ),
        "    identity_verified: true\n",
        "    identity_verified: true\n    endangerment: { belief: abuse, documented_on: 2026-03-03, documented_by: Dr. X, not_in_best_interest: true }\n",
    );
    assert_valid(&src);
    let src = edit(&src, "belief: abuse", "belief: abuz");
    assert_problem(&src, "unknown value `abuz` (did you mean `abuse`?)");
}

#[test]
fn a_return_date_on_a_patient_request() {
    let src = edit(
        &base(),
        "    type: written_request\n",
        "    type: written_request\n    return_date: 2026-04-01\n",
    );
    assert_problem(
        &src,
        "`return_date` is the date a subpoena, court order, warrant or administrative request sets for production; the instrument is `written_request`",
    );
}

#[test]
fn an_extension_on_a_request_without_an_access_clock() {
    let src = edit(
        &edit(&base(), "relationship: self", "relationship: attorney"),
        "harm_evaluation:",
        "  extension: { notice_sent: 2026-03-20, new_due: 2026-04-20, reason: backlog }\nharm_evaluation:",
    );
    assert_problem(
        &src,
        "an extension belongs to the individual's own access (164.524(b)(2))",
    );
}
