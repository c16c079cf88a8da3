//! Issue 21's schema additions (docs/CASE-FORMAT.md): what an instrument covers, the
//! Part 2 facts (a record received from a program, the order's section, SUD counseling
//! notes), the request's purpose, form, fee, planned release and infeasibility reply, a
//! minor's objection, and the facts of a disclosure without a request. Old files still
//! load; every new field loads; each misuse is explained at its line and column; unknown
//! keys and values are still errors with "did you mean".

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

fn concern_base() -> String {
    edit(&concern(), "id: DC-2026-0007", "id: AR-2026-0150")
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

const INSTRUMENT: &str = "    scope: \"all records of treatment in 2025\"\n";
const NOTES: &str = "      kept_separately: true\n";

/// An attorney's authorization, ready to take the new instrument fields.
fn authorization() -> String {
    let src = edit(&base(), "relationship: self", "relationship: attorney");
    let src = edit(
        &src,
        "    type: written_request\n",
        "    type: authorization\n    expires: 2027-03-01\n",
    );
    edit(&src, "  records:\n", "  purpose: proceeding\n  records:\n")
}

#[test]
fn every_new_field_loads() {
    assert_valid(&base());
    let src = edit(
        &authorization(),
        INSTRUMENT,
        &format!(
            "{INSTRUMENT}    covers: [chart, psychotherapy_notes]\n    covers_psychotherapy_notes: true\n"
        ),
    );
    let src = edit(
        &src,
        NOTES,
        &format!(
            "{NOTES}    - id: otp\n      description: Opioid program summary\n      category: chart\n      received_from_part2: {{ program: Harbor OTP, consent: tpo, received_on: 2026-02-01 }}\n    - id: counseling\n      description: Counselor's notes\n      category: sud_counseling_notes\n"
        ),
    );
    assert_valid(&src);
    let order = edit(
        &edit(&base(), "relationship: self", "relationship: court"),
        "    type: written_request\n",
        "    type: court_order\n    judge_signed: true\n    part2_court_order: true\n    part2_order: \"2.65\"\n",
    );
    assert_valid(&order);
    let access_facts = edit(
        &base(),
        "  records:\n",
        "  patient_objects: false\n  form: { requested: electronic_copy, format: \"PDF by email\", readily_producible: true, maintained_electronically: true, offered: electronic_copy }\n  fee:\n    method: flat\n    told_in_advance: true\n    items:\n      - { item: copying_labor, amount: 6.50 }\n  planned_release: { on: 2026-04-15, records: [chart], reason: \"review visit\" }\n  infeasible: { reason: \"archive unreadable\", reply_sent: 2026-03-10 }\n  records:\n",
    );
    assert_valid(&access_facts);
    let disclosure = edit(
        &edit(
            &concern_base(),
            "type: threat_to_others",
            "type: business_associate",
        ),
        "  statement:",
        "  recipient: qualified_service_organization\n  agreement: true\n  part2_records: true\n  part2_consent: false\n  statement:",
    );
    assert_valid(&disclosure);
}

#[test]
fn misspelt_new_keys_and_values_are_errors_with_a_hint() {
    assert_problem(
        &edit(
            &authorization(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    cover: [chart]\n"),
        ),
        "unknown key `cover` (did you mean `covers`?)",
    );
    assert_problem(
        &edit(&base(), "  records:\n", "  purpose: treatmnt\n  records:\n"),
        "unknown value `treatmnt` (did you mean `treatment`?)",
    );
    assert_problem(
        &edit(&base(), "category: chart", "category: sud_counseling_note"),
        "(did you mean `sud_counseling_notes`?)",
    );
    assert_problem(
        &edit(
            &concern_base(),
            "type: threat_to_others",
            "type: required_by_lw",
        ),
        "(did you mean `required_by_law`?)",
    );
}

#[test]
fn covers_names_record_ids_or_categories() {
    let src = edit(
        &authorization(),
        INSTRUMENT,
        &format!("{INSTRUMENT}    covers: [chart, billng]\n"),
    );
    let (code, text) = check(&src);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("AR-2026-0150.yaml:22:5: `covers` names `billng`, which is neither a record id of this case nor a category (did you mean `billing`?)"),
        "{text}"
    );
    // Coverage belongs to an authorization, a direction or legal process, not to the
    // patient's own request.
    assert_problem(
        &edit(
            &base(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    covers: [chart]\n"),
        ),
        "`covers` says what an authorization, a patient's direction, an order, a subpoena, a warrant or an administrative request covers; the instrument is `written_request`",
    );
    assert_problem(
        &edit(
            &authorization(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    covers: []\n"),
        ),
        "`covers` is empty",
    );
}

#[test]
fn part2_facts_are_where_they_belong() {
    assert_problem(
        &edit(
            &base(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    part2_order: \"2.65\"\n"),
        ),
        "`part2_order` is the section of 42 CFR Part 2 a court order was made under",
    );
    assert_problem(
        &edit(
            &base(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    part2_order: \"2.68\"\n"),
        ),
        "unknown",
    );
    assert_problem(
        &edit(
            &base(),
            INSTRUMENT,
            &format!("{INSTRUMENT}    covers_sud_counseling_notes: true\n"),
        ),
        "`covers_sud_counseling_notes` says a separate written consent for SUD counseling notes was presented (42 CFR 2.31(b)); the instrument is `written_request`",
    );
    assert_problem(
        &edit(
            &base(),
            "      category: chart\n",
            "      category: chart\n      received_from_part2: { program: \"\", consent: tpo }\n",
        ),
        "received_from_part2.program is empty",
    );
    assert_problem(
        &edit(
            &base(),
            "      category: chart\n",
            "      category: chart\n      received_from_part2: { program: Harbor OTP, consent: tpo, received_on: 2027-01-01 }\n",
        ),
        "is in the future",
    );
}

#[test]
fn access_facts_are_checked() {
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  fee: { method: actual, items: [ { item: postage, amount: -3 } ] }\n  records:\n",
        ),
        "amount -3 is not a fee",
    );
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  planned_release: { on: 2026-02-01 }\n  records:\n",
        ),
        "the planned release date 2026-02-01 is before the request was received (2026-03-02)",
    );
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  planned_release: { on: 2026-04-01, records: [chrt] }\n  records:\n",
        ),
        "planned_release names record `chrt`, which the case does not have (did you mean `chart`?)",
    );
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  infeasible: { reason: \"  \" }\n  records:\n",
        ),
        "infeasible.reason is empty",
    );
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  infeasible: { reason: unreadable, reply_sent: 2026-02-01 }\n  records:\n",
        ),
        "the reply was sent on 2026-02-01, before the request was received (2026-03-02)",
    );
    assert_problem(
        &edit(
            &base(),
            "  records:\n",
            "  form: { requested: fax }\n  records:\n",
        ),
        "unknown value `fax`",
    );
}

#[test]
fn disclosure_facts_are_checked() {
    assert_problem(
        &edit(
            &concern_base(),
            "  statement:",
            "  agreement: true\n  statement:",
        ),
        "`agreement` is the business associate or qualified service organization agreement of a `business_associate` disclosure",
    );
    assert_problem(
        &edit(
            &concern_base(),
            "  statement:",
            "  part2_consent: true\n  statement:",
        ),
        "`part2_consent` is the patient's consent to disclose Part 2 records",
    );
    assert_problem(
        &edit(
            &edit(
                &concern_base(),
                "type: threat_to_others",
                "type: business_associate",
            ),
            "  statement:",
            "  recipient: family\n  agreement: true\n  statement:",
        ),
        "a `business_associate` disclosure goes to a `business_associate` or a `qualified_service_organization`",
    );
}

#[test]
fn an_agreement_belongs_to_a_business_associate_or_qso() {
    let ba = edit(
        &base(),
        "relationship: self",
        "relationship: business_associate",
    );
    assert_valid(&edit(
        &ba,
        "    identity_verified: true\n",
        "    identity_verified: true\n    agreement: true\n",
    ));
    assert_problem(
        &edit(
            &base(),
            "    identity_verified: true\n",
            "    identity_verified: true\n    agreement: true\n",
        ),
        "`agreement` is a business associate or qualified service organization agreement (164.504(e); 42 CFR 2.11); the requester is `self`",
    );
}

/// The new facts are shown to the reviewer (`show` and the workbench's documentation
/// pane draw them through one function, `case::describe`).
#[test]
fn show_displays_the_new_facts() {
    let src = edit(
        &base(),
        "  records:\n",
        "  purpose: treatment\n  form: { requested: electronic_copy, format: \"PDF by email\", readily_producible: true, offered: paper_copy }\n  fee: { method: actual, told_in_advance: false, items: [ { item: search_and_retrieval, amount: 25 } ] }\n  planned_release: { on: 2026-04-15, records: [chart] }\n  records:\n",
    );
    let src = edit(
        &src,
        "      category: chart\n",
        "      category: chart\n      received_from_part2: { program: Harbor OTP, consent: tpo }\n",
    );
    let dir = dir_with(&[("AR-2026-0150.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["show", "AR-2026-0150"]);
    let text = stdout(&out);
    for line in [
        "purpose: treatment",
        "form: an electronic copy (PDF by email); readily producible; offered: a paper copy",
        "fee: actual $25.00 (search_and_retrieval $25.00); NOT told in advance",
        "planned release: chart on 2026-04-15",
        "received from Part 2 program Harbor OTP (tpo consent)",
    ] {
        assert!(text.contains(line), "`{line}` in:\n{text}");
    }
}
