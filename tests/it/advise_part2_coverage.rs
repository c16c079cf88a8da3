//! Issue 21, classes 1 and 2 (RULEBOOK R32, R33): Part 2 protection follows the records,
//! with the right court order named; what an instrument covers is not what was
//! requested. Each worked fixture (tests/fixtures/advisor/cases/R32-*, R33-*) states the
//! facts and the reference decision; here is the rest of the expected advice, with its
//! citation, and the mirror of each check: a wrong reason to withhold is refused, and so
//! is a release the law forbids.

use std::path::Path;

use crate::support::advisor as support;

use casebench::case::LoadOptions;
use casebench::case::model::*;
use casebench::rules::load_dir;
use casebench::rules::{Advice, Finding, Related, Rulebook, Severity, advise};
use support::*;

use Outcome::*;

/// A worked fixture by id, from `tests/fixtures/advisor/<dir>`.
pub fn worked(dir: &str, id: &str) -> Case {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/advisor")
        .join(dir);
    let set = load_dir(&path, &LoadOptions::new(day("2026-12-31")), &|_, _| {}).unwrap();
    assert!(set.invalid.is_empty(), "{:?}", set.invalid);
    set.cases
        .into_iter()
        .map(|c| c.case)
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no fixture {id} in {dir}"))
}

pub fn advice_on(c: &Case, on: &str) -> Advice {
    advise(Rulebook::builtin(), c, Related::default(), day(on))
}

pub fn errors(fs: &[Finding]) -> Vec<&Finding> {
    fs.iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The findings of `code` about item `id` (messages start with the item).
pub fn about<'a>(fs: &'a [Finding], code: &str, id: &str) -> Vec<&'a Finding> {
    fs.iter()
        .filter(|f| f.code == code && f.message.starts_with(&format!("`{id}`")))
        .collect()
}

fn action<'a>(a: &'a Advice, code: &str) -> Vec<&'a casebench::rules::Action> {
    a.required_actions
        .iter()
        .filter(|x| x.code == code)
        .collect()
}

fn with(c: &Case, f: impl FnOnce(&mut Case)) -> Case {
    let mut c = c.clone();
    f(&mut c);
    c
}

// ---- Class 1: Part 2 follows the records (42 CFR 2.12(d)) ----------------------------

#[test]
fn a_warrant_never_reaches_part2_records_at_a_general_hospital() {
    let c = worked("cases", "R32-hospital-warrant");
    assert!(!c.entity.part2_program, "the holder is not a program");
    let a = advice_on(&c, "2026-06-02");
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    // The action names the 2.65 order (to investigate or prosecute the patient).
    let p2 = action(&a, "part2-records");
    assert_eq!(p2.len(), 1, "{p2:#?}");
    assert!(
        p2[0].text.contains("otp_summary") && p2[0].text.contains("2.65"),
        "{p2:#?}"
    );
    assert!(p2[0].citation.contains("2.65") && p2[0].citation.contains("2.12(d)"));
    // The ground is valid although the holder is not a program (the old error).
    let withhold = proposal(
        ReleasePartial,
        &["law-enforcement", "part2-consent-required"],
        &[("otp_summary", "part2-consent-required")],
    );
    assert!(errors(&findings(&c, &withhold)).is_empty());
    // The mirror: releasing everything on the warrant is refused, naming 2.65.
    let fs = findings(&c, &proposal(ReleaseFull, &["law-enforcement"], &[]));
    let f = about(&fs, "part2-restriction", "otp_summary");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].citation.contains("2.65"), "{f:?}");
    assert!(
        f[0].message
            .contains("a warrant or a subpoena alone never suffices")
    );
    assert!(about(&fs, "part2-restriction", "ed_chart").is_empty());
    // A 2.65 order (with process) lets it go.
    let ordered = with(&c, |c| {
        req(c).instrument.part2_order = Some(Part2OrderSection::S2_65)
    });
    let fs = findings(&ordered, &proposal(ReleaseFull, &["law-enforcement"], &[]));
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    // A 2.64 order is the wrong one for a prosecution of the patient.
    let wrong = with(&c, |c| {
        req(c).instrument.part2_order = Some(Part2OrderSection::S2_64)
    });
    let fs = findings(&wrong, &proposal(ReleaseFull, &["law-enforcement"], &[]));
    assert_eq!(about(&fs, "part2-restriction", "otp_summary").len(), 1);
}

#[test]
fn the_police_are_taken_to_investigate_the_patient_unless_the_case_says_otherwise() {
    let c = with(&worked("cases", "R32-hospital-warrant"), |c| {
        req(c).purpose = None;
    });
    let fs = findings(&c, &proposal(ReleaseFull, &["law-enforcement"], &[]));
    assert!(
        about(&fs, "part2-restriction", "otp_summary")[0]
            .citation
            .contains("2.65")
    );
}

/// `part2_court_order: true` without a section: it fits when the case states no purpose
/// (the schema before `part2_order`), and is a 2.64 order when it states one.
#[test]
fn an_order_of_unstated_section() {
    let base = with(&worked("cases", "R32-hospital-warrant"), |c| {
        req(c).instrument.part2_court_order = Answer::Yes;
    });
    let unstated = with(&base, |c| req(c).purpose = None);
    assert!(!holds(
        &unstated,
        "part2-consent-required",
        Some("otp_summary")
    ));
    assert!(holds(&base, "part2-consent-required", Some("otp_summary")));
    let proceeding = with(&base, |c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
        req(c).purpose = Some(RequestPurpose::Proceeding);
    });
    assert!(!holds(
        &proceeding,
        "part2-consent-required",
        Some("otp_summary")
    ));
}

#[test]
fn each_purpose_names_its_own_part2_order() {
    let base = worked("cases", "R32-hospital-warrant");
    let cases = [
        (RequestPurpose::Proceeding, "2.64"),
        (RequestPurpose::InvestigateProgram, "2.66"),
        (RequestPurpose::InvestigateOrProsecutePatient, "2.65"),
    ];
    for (purpose, order) in cases {
        let c = with(&base, |c| {
            req(c).requester.relationship = Relationship::GovernmentAgency;
            req(c).instrument.kind = InstrumentKind::AdministrativeRequest;
            req(c).purpose = Some(purpose);
        });
        let a = advice_on(&c, "2026-06-02");
        let p2 = action(&a, "part2-records");
        assert!(
            p2.iter()
                .any(|x| x.citation.contains(order) && x.text.contains(order)),
            "{purpose:?}: {p2:#?}"
        );
        assert_eq!(
            a.recommended
                .withhold
                .get("otp_summary")
                .map(String::as_str),
            Some("part2-consent-required"),
            "{purpose:?}"
        );
    }
    // 2.66 and 2.67 both serve an investigation of the program.
    let c = with(&base, |c| {
        req(c).requester.relationship = Relationship::GovernmentAgency;
        req(c).instrument.kind = InstrumentKind::CourtOrder;
        req(c).instrument.part2_order = Some(Part2OrderSection::S2_67);
        req(c).purpose = Some(RequestPurpose::InvestigateProgram);
    });
    assert!(!holds(&c, "part2-consent-required", Some("otp_summary")));
}

#[test]
fn a_tpo_consent_lets_a_covered_entity_redisclose_for_treatment_never_for_proceedings() {
    let c = worked("cases", "R32-tpo-treatment");
    let a = advice_on(&c, "2026-06-04");
    assert_eq!(a.recommended.outcome, ReleaseFull);
    assert_eq!(a.recommended.grounds, ["treatment"]);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    assert_eq!(
        a.bases
            .iter()
            .find(|g| g.code == "treatment")
            .map(|g| g.citation.as_str()),
        Some(
            "45 CFR 164.506(c)(2); 42 CFR 2.31, 2.33(a) (Part 2 records need the patient's written consent)"
        )
    );
    // Received under a consent for one disclosure only: no HIPAA redisclosure (2.32).
    let other = with(&c, |c| {
        req(c).records[1]
            .received_from_part2
            .as_mut()
            .unwrap()
            .consent = Part2ConsentKind::Other;
    });
    let a = advice_on(&other, "2026-06-04");
    assert_eq!(
        a.recommended
            .withhold
            .get("otp_summary")
            .map(String::as_str),
        Some("part2-consent-required")
    );
    let fs = findings(&other, &proposal(ReleaseFull, &["treatment"], &[]));
    let f = about(&fs, "part2-restriction", "otp_summary");
    assert!(f[0].citation.contains("2.33(b)"), "{f:?}");
    // The same TPO record, asked for by a prosecutor with a subpoena: 2.33(b)(1) stops at
    // proceedings against the patient.
    let subpoena = with(&c, |c| {
        req(c).requester.relationship = Relationship::LawEnforcement;
        req(c).instrument.kind = InstrumentKind::Subpoena;
        req(c).instrument.judge_signed = Answer::Yes;
        req(c).purpose = Some(RequestPurpose::InvestigateOrProsecutePatient);
    });
    assert!(holds(
        &subpoena,
        "part2-consent-required",
        Some("otp_summary")
    ));
    // The program's own records never ride on that permission.
    let program = with(&c, |c| c.entity.part2_program = true);
    assert!(holds(
        &program,
        "part2-consent-required",
        Some("otp_summary")
    ));
}

#[test]
fn a_civil_subpoena_with_assurance_still_needs_a_2_64_order_for_part2_records() {
    let c = worked("cases", "R32-civil-subpoena");
    let a = advice_on(&c, "2026-06-05");
    assert_eq!(a.recommended.outcome, ReleasePartial);
    let p2 = action(&a, "part2-records");
    assert!(
        p2[0].text.contains("2.64") && p2[0].citation.contains("2.64"),
        "{p2:#?}"
    );
    let fs = findings(
        &c,
        &proposal(ReleaseFull, &["subpoena-with-assurance"], &[]),
    );
    assert!(
        about(&fs, "part2-restriction", "detox_records")[0]
            .citation
            .contains("2.64")
    );
    // With a 2.64 order the records go (the subpoena compels, 2.61).
    let ordered = with(&c, |c| req(c).instrument.part2_court_order = Answer::Yes);
    assert!(!holds(
        &ordered,
        "part2-consent-required",
        Some("detox_records")
    ));
    let fs = findings(
        &ordered,
        &proposal(ReleaseFull, &["subpoena-with-assurance"], &[]),
    );
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    // Not a Part 2 record at all: the ground is refused as a reason to withhold.
    let plain = with(&c, |c| {
        req(c).records[1].category = RecordCategory::Chart;
        req(c).records[1].received_from_part2 = None;
    });
    let fs = findings(
        &plain,
        &proposal(
            ReleasePartial,
            &["subpoena-with-assurance", "part2-consent-required"],
            &[("detox_records", "part2-consent-required")],
        ),
    );
    assert!(
        fs.iter()
            .any(|f| f.code == "invalid-ground" && f.message.contains("part2-consent-required")),
        "{fs:#?}"
    );
}

#[test]
fn sud_counseling_notes_need_their_own_consent() {
    let c = worked("cases", "R32-counseling-notes");
    let a = advice_on(&c, "2026-06-06");
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    // Releasing them on the general consent is refused (2.31(b)).
    let fs = findings(&c, &proposal(ReleaseFull, &["patient-authorization"], &[]));
    let f = about(&fs, "part2-restriction", "counseling_notes");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("2.31(b)"), "{f:?}");
    assert!(about(&fs, "part2-restriction", "program_records").is_empty());
    // Their own separate consent covers them.
    let separate = with(&c, |c| {
        req(c).instrument.covers_sud_counseling_notes = Answer::Yes
    });
    let fs = findings(
        &separate,
        &proposal(ReleaseFull, &["patient-authorization"], &[]),
    );
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    // One consent joining them with the program records is compound: defective.
    let compound = with(&c, |c| {
        req(c).instrument.covers = Some(vec!["program_records".into(), "counseling_notes".into()]);
    });
    assert!(holds(&compound, "authorization-defective", None));
    let a = advice_on(&compound, "2026-06-06");
    assert_eq!(a.recommended.outcome, RequestInformation);
    let x = action(&a, "request-information");
    assert!(x[0].text.contains("2.31(b)"), "{x:#?}");
}

// ---- Class 2: what an instrument covers is not what was requested ---------------------

#[test]
fn a_valid_authorization_that_does_not_cover_the_notes_is_not_defective() {
    let c = worked("cases", "R33-chart-only");
    assert!(!holds(&c, "authorization-defective", None));
    let a = advice_on(&c, "2026-06-09");
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    // Withholding the notes as psychotherapy notes is as lawful: the partial release the
    // third round saw refused now passes either way.
    let pn = proposal(
        ReleasePartial,
        &["patient-authorization", "psychotherapy-notes"],
        &[("therapy_notes", "psychotherapy-notes")],
    );
    assert!(
        errors(&findings(&c, &pn)).is_empty(),
        "{:#?}",
        findings(&c, &pn)
    );
    let g = Rulebook::builtin()
        .ground("not-covered-by-instrument")
        .unwrap();
    assert_eq!(
        g.citation,
        "45 CFR 164.508(a)(1), (c)(1)(i); 42 CFR 2.31(a)(3)"
    );
    // The old wrong answer - return the whole authorization as defective - is refused.
    let fs = findings(
        &c,
        &proposal(RequestInformation, &["authorization-defective"], &[]),
    );
    assert!(
        fs.iter()
            .any(|f| f.code == "invalid-ground" && f.message.contains("authorization-defective")),
        "{fs:#?}"
    );
    // The mirror: the notes may not go on it (164.508(a)(2)).
    let fs = findings(&c, &proposal(ReleaseFull, &["patient-authorization"], &[]));
    let f = about(&fs, "release-not-permitted", "therapy_notes");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].citation, "45 CFR 164.524(a)(1)(i); 164.508(a)(2)");
    assert!(about(&fs, "release-not-permitted", "chart").is_empty());
}

#[test]
fn covers_lists_what_the_instrument_covers_apart_from_what_is_asked() {
    let c = worked("cases", "R33-covers-list");
    let a = advice_on(&c, "2026-06-10");
    assert_eq!(a.recommended.withhold.len(), 2);
    let fs = findings(&c, &proposal(ReleaseFull, &["patient-authorization"], &[]));
    for id in ["billing", "labs"] {
        let f = about(&fs, "release-not-permitted", id);
        assert_eq!(f.len(), 1, "{id}: {fs:#?}");
        assert!(f[0].citation.starts_with("45 CFR 164.508(a)(1)"), "{f:?}");
    }
    assert!(about(&fs, "release-not-permitted", "chart").is_empty());
    // Withholding what it does cover, as "not covered", is a wrong reason.
    let fs = findings(
        &c,
        &proposal(
            Deny,
            &["not-covered-by-instrument"],
            &[
                ("chart", "not-covered-by-instrument"),
                ("billing", "not-covered-by-instrument"),
                ("labs", "not-covered-by-instrument"),
            ],
        ),
    );
    assert!(
        fs.iter()
            .any(|f| f.code == "invalid-ground" && f.message.contains("`chart`")),
        "{fs:#?}"
    );
    // A category in the list covers every item of it.
    let by_category = with(&c, |c| {
        req(c).instrument.covers = Some(vec!["chart".into(), "billing".into(), "lab".into()]);
    });
    assert!(
        advice_on(&by_category, "2026-06-10")
            .recommended
            .withhold
            .is_empty()
    );
}

#[test]
fn a_compound_authorization_is_defective_and_nothing_goes_on_it() {
    let c = worked("cases", "R33-compound");
    let a = advice_on(&c, "2026-06-11");
    assert_eq!(a.recommended.outcome, RequestInformation);
    let x = action(&a, "request-information");
    assert!(x[0].text.contains("joins psychotherapy notes"), "{x:#?}");
    assert!(
        x[0].citation.contains("164.508(b)(2), (b)(3)(ii)"),
        "{x:#?}"
    );
    // Releasing the chart on it anyway: no basis holds (164.502(a)).
    let fs = findings(
        &c,
        &proposal(
            ReleasePartial,
            &["patient-authorization", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert_eq!(
        about(&fs, "release-not-permitted", "chart").len(),
        1,
        "{fs:#?}"
    );
    // "Excluding psychotherapy notes" is not joining them.
    let excluded = with(&c, |c| {
        req(c).instrument.scope = Some("all records, excluding psychotherapy notes".into());
    });
    assert!(!holds(&excluded, "authorization-defective", None));
}
