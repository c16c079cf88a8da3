//! Issue 21, classes 3 and 4 (RULEBOOK R26, R34-R36): disclosures that need no request
//! (treatment, a business associate, a medical emergency, a report a state law requires),
//! and access - fees, form and format, state periods and reviews, a planned release date,
//! the infeasibility reply. Worked fixtures: tests/fixtures/advisor/cases/R34-*, R36-*,
//! R26-* (clean recommendations) and tests/fixtures/advisor/access-facts/ (cases whose own
//! facts, a fee quoted or a form offered, are errors). Each check has its mirror.

use crate::advise_part2_coverage::{about, advice_on, errors, worked};
use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{Advice, Finding, Severity};
use support::*;

use Outcome::*;

fn action<'a>(a: &'a Advice, code: &str) -> &'a casebench::rules::Action {
    a.required_actions
        .iter()
        .find(|x| x.code == code)
        .unwrap_or_else(|| panic!("no {code} action in {:#?}", a.required_actions))
}

fn codes_of(fs: &[Finding]) -> Vec<&str> {
    fs.iter().map(|f| f.code.as_str()).collect()
}

fn with(c: &Case, f: impl FnOnce(&mut Case)) -> Case {
    let mut c = c.clone();
    f(&mut c);
    c
}

// ---- Class 3: disclosures that need no request ---------------------------------------

/// `incomplete-request` never holds on a concern: there is no request to complete.
#[test]
fn incomplete_request_never_holds_on_a_concern() {
    let kinds = [
        ConcernKind::ThreatToOthers,
        ConcernKind::ThreatToSelf,
        ConcernKind::ChildAbuse,
        ConcernKind::ElderAbuse,
        ConcernKind::VulnerableAdultAbuse,
        ConcernKind::CourtOrder,
        ConcernKind::LawEnforcementRequest,
        ConcernKind::Treatment,
        ConcernKind::BusinessAssociate,
        ConcernKind::MedicalEmergency,
        ConcernKind::RequiredByLaw,
    ];
    for kind in kinds {
        let c = concern(|c| con(c).kind = kind);
        assert!(!holds(&c, "incomplete-request", None), "{kind:?}");
        let a = advice_on(&c, "2026-03-03");
        assert!(
            !a.bases.iter().any(|g| g.code == "incomplete-request"),
            "{kind:?}: {:?}",
            a.bases
        );
        let fs = findings(
            &c,
            &proposal(RequestInformation, &["incomplete-request"], &[]),
        );
        assert!(
            fs.iter()
                .any(|f| f.code == "invalid-ground" && f.message.contains("incomplete-request")),
            "{kind:?}: {fs:#?}"
        );
    }
}

#[test]
fn treatment_with_another_provider_needs_no_request() {
    let c = worked("cases", "R34-treatment");
    let a = advice_on(&c, "2026-06-11");
    assert_eq!(
        (a.recommended.outcome, a.recommended.grounds.clone()),
        (ReleaseFull, vec!["treatment".to_string()])
    );
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    // Treatment is not a 164.512 disclosure: no accounting, no minimum necessary.
    let found = codes_of(&a.findings);
    assert!(!found.contains(&"accounting-required") && !found.contains(&"minimum-necessary"));
    assert!(
        action(&a, "disclose")
            .citation
            .starts_with("45 CFR 164.506(c)(2)")
    );
    // Part 2 records without the patient's consent: not yet, and a release is refused.
    let part2 = with(&c, |c| con(c).part2_records = Answer::Yes);
    let a = advice_on(&part2, "2026-06-11");
    assert_eq!(a.recommended.outcome, MaintainConfidentiality);
    let not_yet = action(&a, "not-yet");
    assert!(not_yet.text.contains("2.31"), "{not_yet:?}");
    let fs = findings(&part2, &proposal(ReleaseFull, &["treatment"], &[]));
    assert!(
        fs.iter()
            .any(|f| f.code == "invalid-ground" && f.message.contains("`treatment`"))
    );
    let f = fs.iter().find(|f| f.code == "part2-restriction").unwrap();
    assert_eq!(
        (f.severity, f.citation.as_str()),
        (Severity::Error, "42 CFR 2.31, 2.33(a)")
    );
    // With the consent it goes.
    let consented = with(&part2, |c| con(c).part2_consent = Answer::Yes);
    assert_eq!(
        advice_on(&consented, "2026-06-11").recommended.outcome,
        ReleaseFull
    );
}

#[test]
fn a_provider_asking_for_treatment_is_not_a_third_party_without_authorization() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::Provider;
        req(c).purpose = Some(RequestPurpose::Treatment);
    });
    assert!(!holds(&c, "no-valid-authorization", None));
    let a = advice_on(&c, "2026-03-03");
    // The notes stay back: psychotherapy notes need an authorization (164.508(a)(2)).
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert_eq!(a.recommended.grounds[0], "treatment");
    // Without the stated purpose it is a third party like any other.
    let unstated = with(&c, |c| req(c).purpose = None);
    assert!(holds(&unstated, "no-valid-authorization", None));
}

#[test]
fn a_business_associate_gets_what_the_agreement_covers_not_a_refusal() {
    let c = worked("cases", "R34-business-associate");
    let a = advice_on(&c, "2026-06-12");
    assert_eq!(a.recommended.grounds, ["business-associate"]);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    assert!(action(&a, "disclose").text.contains("minimum necessary"));
    // No agreement: not yet.
    let none = with(&c, |c| con(c).agreement = Answer::No);
    assert_eq!(
        advice_on(&none, "2026-06-12").recommended.outcome,
        MaintainConfidentiality
    );
    // Part 2 records need a qualified service organization agreement (2.12(c)(4)).
    let part2 = with(&c, |c| con(c).part2_records = Answer::Yes);
    let fs = findings(&part2, &proposal(ReleaseFull, &["business-associate"], &[]));
    let f = fs.iter().find(|f| f.code == "part2-restriction").unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.citation.contains("2.12(c)(4)"));
    let qso = with(&part2, |c| {
        con(c).recipient = Some(ConcernRecipient::QualifiedServiceOrganization)
    });
    let fs = findings(&qso, &proposal(ReleaseFull, &["business-associate"], &[]));
    assert!(errors(&fs).is_empty(), "{fs:#?}");
}

#[test]
fn a_medical_emergency_at_a_part2_program() {
    let c = worked("cases", "R34-medical-emergency");
    let a = advice_on(&c, "2026-06-13");
    assert_eq!(a.recommended.grounds, ["medical-emergency"]);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    let w = a
        .findings
        .iter()
        .find(|f| f.code == "part2-restriction")
        .unwrap();
    assert_eq!(
        (w.severity, w.citation.as_str()),
        (Severity::Warning, "42 CFR 2.51")
    );
    assert!(w.message.contains("documented"));
    assert!(action(&a, "disclose").citation.starts_with("42 CFR 2.51"));
    // Not an emergency now: the ground does not hold.
    let later = with(&c, |c| con(c).imminent = Answer::No);
    assert!(!holds(&later, "medical-emergency", None));
}

#[test]
fn new_yorks_mandated_report_is_required_by_law() {
    let c = worked("cases", "R34-NY-9-46");
    let a = advice_on(&c, "2026-06-15");
    assert_eq!(a.recommended.grounds, ["required-by-law"]);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    let r = action(&a, "mandated-report");
    assert_eq!(r.citation, "N.Y. Mental Hygiene Law 9.46(b)");
    assert!(
        r.text.contains("county director of community services"),
        "{r:?}"
    );
    assert!(codes_of(&a.findings).contains(&"accounting-required"));
    // The mirror: keeping it confidential breaks the state's mandate.
    let fs = findings(&c, &proposal(MaintainConfidentiality, &[], &[]));
    let f = fs.iter().find(|f| f.code == "mandatory-report").unwrap();
    assert_eq!(
        (f.severity, f.citation.as_str()),
        (Severity::Error, "N.Y. Mental Hygiene Law 9.46(b)")
    );
    // Not found likely to cause serious harm: no mandate.
    let remote = with(&c, |c| {
        c.harm_evaluation.done_mut().unwrap().likelihood = Likelihood::Possible
    });
    assert!(!holds(&remote, "required-by-law", None));
    // A state whose mandated reports were not researched: said so, nothing invented.
    let ohio = with(&c, |c| c.jurisdiction = "US-OH".into());
    let a = advice_on(&ohio, "2026-06-15");
    assert_eq!(a.recommended.outcome, MaintainConfidentiality);
    let u = a
        .findings
        .iter()
        .find(|f| f.code == "state-law-unchecked")
        .unwrap();
    assert!(u.message.contains("mandated reports"), "{u:?}");
}

#[test]
fn an_imminent_threat_in_new_york_is_warned_and_reported() {
    let c = worked("cases", "R34-NY-threat");
    let a = advice_on(&c, "2026-06-16");
    assert_eq!(a.recommended.outcome, WarnAndProtect);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    action(&a, "warn");
    action(&a, "mandated-report");
    // A warning alone still owes the report.
    let fs = findings(&c, &proposal(WarnAndProtect, &["serious-threat"], &[]));
    assert!(
        !codes_of(&fs).contains(&"mandatory-report"),
        "the warning outcome is not faulted"
    );
    let fs = findings(&c, &proposal(MaintainConfidentiality, &[], &[]));
    assert!(codes_of(&fs).contains(&"mandatory-report"));
}

// ---- Class 4: fees, form and format ----------------------------------------------------

#[test]
fn search_and_retrieval_is_never_charged_and_the_fee_is_told_in_advance() {
    let c = worked("access-facts", "R35-fee-search");
    let a = advice_on(&c, "2026-06-06");
    let f = a
        .findings
        .iter()
        .find(|f| f.code == "fee-not-permitted")
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(
        f.message.contains("search_and_retrieval") && f.message.contains("$25.00"),
        "{f:?}"
    );
    assert!(f.citation.starts_with("45 CFR 164.524(c)(4)"));
    let w = a
        .findings
        .iter()
        .find(|f| f.code == "fee-not-disclosed-in-advance")
        .unwrap();
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("$40.50"), "{w:?}");
    // The mirror: labour, supplies and postage, told in advance.
    let fixed = with(&c, |c| {
        let fee = req(c).fee.as_mut().unwrap();
        fee.items
            .retain(|i| i.item != FeeItemKind::SearchAndRetrieval);
        fee.told_in_advance = true;
    });
    let found = codes_of(&advice_on(&fixed, "2026-06-06").findings).join(" ");
    assert!(!found.contains("fee-"), "{found}");
    // A summary's fee only with the agreement to the summary.
    let summary = with(&fixed, |c| {
        req(c).fee.as_mut().unwrap().items.push(FeeItem {
            item: FeeItemKind::Summary,
            amount: 20.0,
            description: None,
        })
    });
    assert!(codes_of(&advice_on(&summary, "2026-06-06").findings).contains(&"fee-not-permitted"));
    let agreed = with(&summary, |c| {
        req(c).form.as_mut().unwrap().summary_agreed = true
    });
    assert!(!codes_of(&advice_on(&agreed, "2026-06-06").findings).contains(&"fee-not-permitted"));
}

#[test]
fn a_flat_fee_above_six_fifty_for_an_electronic_copy() {
    let c = worked("access-facts", "R35-flat-fee");
    let fs = advice_on(&c, "2026-06-06").findings;
    let f = fs.iter().find(|f| f.code == "fee-not-permitted").unwrap();
    assert!(
        f.message.contains("$25.00") && f.message.contains("$6.50"),
        "{f:?}"
    );
    let capped = with(&c, |c| req(c).fee.as_mut().unwrap().items[0].amount = 6.5);
    assert!(!codes_of(&advice_on(&capped, "2026-06-06").findings).contains(&"fee-not-permitted"));
}

/// The fee rule is rulebook data: counsel's rulebook with a lower flat fee (a state's
/// own cap, say) refuses what the federal one allows, and one that lets search be charged
/// stops refusing it.
#[test]
fn the_fee_rule_is_the_rulebooks() {
    use casebench::rules::{Related, Rulebook, advise};
    let src = Rulebook::builtin_source();
    let on = |rb: &Rulebook, c: &Case| {
        advise(rb, c, Related::default(), day("2026-06-06"))
            .findings
            .iter()
            .any(|f| f.code == "fee-not-permitted")
    };
    let c = worked("access-facts", "R35-flat-fee");
    let six = with(&c, |c| req(c).fee.as_mut().unwrap().items[0].amount = 6.0);
    assert!(!on(Rulebook::builtin(), &six));
    let lower = Rulebook::from_yaml(
        &src.replace("flat_fee_cap_cents: 650", "flat_fee_cap_cents: 500"),
        "counsel",
    )
    .unwrap();
    assert!(on(&lower, &six));
    let search = worked("access-facts", "R35-fee-search");
    assert!(on(Rulebook::builtin(), &search));
    let lenient = Rulebook::from_yaml(
        &src.replace(
            "may_charge: [copying_labor, supplies, postage]",
            "may_charge: [copying_labor, supplies, postage, search_and_retrieval]",
        ),
        "counsel",
    )
    .unwrap();
    assert!(!on(&lenient, &search));
}

#[test]
fn a_patients_direction_to_a_third_party_is_not_fee_capped() {
    let c = worked("access-facts", "R35-direction-fee");
    let found = codes_of(&advice_on(&c, "2026-06-06").findings).join(" ");
    assert!(!found.contains("fee-"), "{found}");
    // The same quote to the patient herself is capped.
    let own = with(&c, |c| {
        req(c).requester.relationship = Relationship::SelfPatient;
        req(c).instrument.kind = InstrumentKind::WrittenRequest;
    });
    assert!(codes_of(&advice_on(&own, "2026-06-06").findings).contains(&"fee-not-permitted"));
}

#[test]
fn the_form_and_format_asked_for_when_readily_producible() {
    let c = worked("access-facts", "R35-form");
    let a = advice_on(&c, "2026-06-06");
    let f = a
        .findings
        .iter()
        .find(|f| f.code == "form-format-not-provided")
        .unwrap();
    assert_eq!(
        (f.severity, f.citation.as_str()),
        (Severity::Error, "45 CFR 164.524(c)(2)")
    );
    assert!(f.message.contains("(c)(2)(i)"), "{f:?}");
    assert!(action(&a, "release").text.contains("PDF by secure email"));
    // Not readily producible: an electronic record still goes in an electronic form.
    let hard = with(&c, |c| {
        req(c).form.as_mut().unwrap().readily_producible = false
    });
    let f = advice_on(&hard, "2026-06-06").findings;
    assert!(
        f.iter()
            .any(|f| f.code == "form-format-not-provided" && f.message.contains("(c)(2)(ii)"))
    );
    let agreed = with(&hard, |c| {
        req(c).form.as_mut().unwrap().offered = Some(AccessForm::ElectronicCopy)
    });
    assert!(
        !codes_of(&advice_on(&agreed, "2026-06-06").findings).contains(&"form-format-not-provided")
    );
    // Paper records that cannot be scanned readily: a readable paper copy is lawful.
    let paper = with(&hard, |c| {
        req(c).form.as_mut().unwrap().maintained_electronically = false
    });
    assert!(
        !codes_of(&advice_on(&paper, "2026-06-06").findings).contains(&"form-format-not-provided")
    );
}

// ---- Class 4: state periods, who may access, the state's own review -------------------

#[test]
fn texas_gives_15_business_days_for_an_electronic_record_asked_for_electronically() {
    let c = worked("cases", "R36-TX-electronic");
    let a = advice_on(&c, "2026-06-08");
    assert_eq!(a.deadline.due, Some(day("2026-06-26")));
    assert_eq!(
        (a.deadline.access_days, a.deadline.day_unit),
        (Some(15), "business")
    );
    assert!(
        a.deadline
            .citation
            .starts_with("Tex. Health & Safety Code 181.102(a)")
    );
    assert!(!codes_of(&a.findings).contains(&"state-law-unchecked"));
    // Who may see the records under Texas law, with its citation.
    assert_eq!(
        action(&a, "state-who").citation,
        "Tex. Health & Safety Code 611.0045(a), (f)"
    );
    assert!(
        a.state
            .access_who
            .as_deref()
            .is_some_and(|w| w.contains("611.0045"))
    );
    // A paper copy: 181.102 does not apply; the federal 30 days, and the warning names
    // what was read but not confirmed.
    let paper = with(&c, |c| {
        req(c).form.as_mut().unwrap().requested = AccessForm::PaperCopy
    });
    let a = advice_on(&paper, "2026-06-08");
    assert_eq!(a.deadline.due, Some(day("2026-07-05")));
    let u = a
        .findings
        .iter()
        .find(|f| f.code == "state-law-unchecked")
        .unwrap();
    assert!(u.message.contains("611.008"), "{u:?}");
}

#[test]
fn texas_names_its_own_review_of_a_denial() {
    let c = worked("access-facts", "R36-TX-denial");
    let a = advice_on(&c, "2026-06-09");
    assert_eq!(a.recommended.outcome, ReleasePartial);
    let n = a.notice.iter().find(|n| n.code == "state_review").unwrap();
    assert_eq!(n.citation, "Tex. Health & Safety Code 611.0045(c), (e)");
    assert!(
        n.text
            .contains("another professional whom the patient selects"),
        "{n:?}"
    );
    assert!(
        action(&a, "state-review")
            .text
            .starts_with("Tell the requester of Texas's own review")
    );
    // A full release has no denial notice and no state review to name.
    let fine = with(&c, |c| {
        c.harm_evaluation.done_mut().unwrap().records.clear()
    });
    assert!(advice_on(&fine, "2026-06-09").notice.is_empty());
}

#[test]
fn new_york_inspection_in_ten_days_and_the_review_committee() {
    let c = worked("access-facts", "R36-NY-inspection");
    let a = advice_on(&c, "2026-06-09");
    assert_eq!(a.deadline.due, Some(day("2026-06-18")));
    assert!(a.deadline.citation.contains("Mental Hygiene Law 33.16(b)"));
    let n = a.notice.iter().find(|n| n.code == "state_review").unwrap();
    assert!(n.citation.contains("33.16(c)(4)") && n.text.contains("access review committee"));
    assert!(!codes_of(&a.findings).contains(&"state-law-unchecked"));
    // Copies: New York's period for them was not confirmed - the federal 30 days, and the
    // warning says what was read.
    let copy = with(&c, |c| {
        req(c).form.as_mut().unwrap().requested = AccessForm::PaperCopy
    });
    let a = advice_on(&copy, "2026-06-09");
    assert_eq!(a.deadline.due, Some(day("2026-07-08")));
    let u = a
        .findings
        .iter()
        .find(|f| f.code == "state-law-unchecked")
        .unwrap();
    assert!(u.message.contains("for inspection"), "{u:?}");
}

#[test]
fn an_illinois_minor_of_12_or_more_can_stop_a_parents_access() {
    let c = worked("cases", "R36-IL-minor");
    let a = advice_on(&c, "2026-06-18");
    assert_eq!(a.recommended.outcome, Deny);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    let r = action(&a, "state-review");
    assert!(
        r.text.contains("petition a court") && r.citation == "740 ILCS 110/4(a)(3)",
        "{r:?}"
    );
    assert!(action(&a, "minor-objection").text.contains("diagnosis"));
    // The mirror: releasing to the father anyway is refused.
    let fs = findings(&c, &proposal(ReleaseFull, &["right-of-access"], &[]));
    let f = about(&fs, "release-not-permitted", "chart");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert!(f[0].citation.contains("164.502(g)(3)(ii)(B)"));
    // No objection, or a child under 12: the parent has access.
    let no = with(&c, |c| req(c).patient_objects = Answer::No);
    assert_eq!(
        advice_on(&no, "2026-06-18").recommended.outcome,
        ReleaseFull
    );
    let young = with(&c, |c| c.patient.age = 11);
    assert_eq!(
        advice_on(&young, "2026-06-18").recommended.outcome,
        ReleaseFull
    );
    // New York lets the provider deny (over 12): a release is lawful but not silent.
    let ny = with(&c, |c| {
        c.jurisdiction = "US-NY".into();
        c.patient.age = 14;
    });
    assert!(holds(&ny, "minor-objects-to-parent", Some("chart")));
    let fs = findings(&ny, &proposal(ReleaseFull, &["right-of-access"], &[]));
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    assert!(codes_of(&fs).contains(&"release-against-advice"));
}

#[test]
fn florida_and_washington_periods_are_not_guessed() {
    let fl = worked("access-facts", "R36-FL");
    let a = advice_on(&fl, "2026-06-09");
    assert_eq!(a.deadline.due, Some(day("2026-07-08")));
    let u = a
        .findings
        .iter()
        .find(|f| f.code == "state-law-unchecked")
        .unwrap();
    assert!(u.message.contains("SB 1606"), "{u:?}");
    let wa = with(&fl, |c| c.jurisdiction = "US-WA".into());
    let u = advice_on(&wa, "2026-06-09")
        .findings
        .into_iter()
        .find(|f| f.code == "state-law-unchecked")
        .unwrap();
    assert!(u.message.contains("70.02.080"), "{u:?}");
}

// ---- Class 4: information blocking -----------------------------------------------------

#[test]
fn a_planned_release_date_is_judged_like_a_denial() {
    let c = worked("cases", "R26-planned-release");
    let a = advice_on(&c, "2026-06-20");
    let f = about(&a.findings, "information-blocking-risk", "labs");
    assert_eq!(f.len(), 1, "{:#?}", a.findings);
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(f[0].citation, "45 CFR 171.103; 171.201");
    assert!(
        f[0].message.contains("after the due date 2026-07-19"),
        "{f:?}"
    );
    assert!(about(&a.findings, "information-blocking-risk", "chart").is_empty());
    // A Preventing Harm ground for the delayed item: the delay is excepted.
    let harm = with(&c, |c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["labs".into()];
    });
    let fs = findings(&harm, &proposal(ReleaseFull, &["right-of-access"], &[]));
    assert!(
        about(&fs, "information-blocking-risk", "labs").is_empty(),
        "{fs:#?}"
    );
}

#[test]
fn the_infeasibility_reply_is_due_in_ten_business_days() {
    let c = worked("cases", "R26-infeasible");
    let a = advice_on(&c, "2026-06-23");
    assert_eq!(a.deadline.infeasibility_reply_due, Some(day("2026-07-06")));
    let x = action(&a, "infeasibility-reply");
    assert_eq!(x.citation, "45 CFR 171.204(b)");
    assert!(x.text.contains("2026-07-06"));
    // Past the tenth business day with no reply: a risk, citing 171.204(b).
    let late = advice_on(&c, "2026-07-07");
    let f = late
        .findings
        .iter()
        .find(|f| f.code == "information-blocking-risk")
        .unwrap();
    assert_eq!(f.citation, "45 CFR 171.204(b)");
    // Sent on the last day: none; a day after: a risk.
    for (sent, risk) in [("2026-07-06", false), ("2026-07-07", true)] {
        let c = with(&c, |c| {
            req(c).infeasible.as_mut().unwrap().reply_sent = Some(day(sent))
        });
        let found =
            codes_of(&advice_on(&c, "2026-07-08").findings).contains(&"information-blocking-risk");
        assert_eq!(found, risk, "{sent}");
    }
}

/// The same disclosures, asked for: a business associate or QSO under its agreement and
/// a provider in a medical emergency are not third parties to refuse (RULEBOOK R34).
#[test]
fn a_business_associate_or_an_emergency_asking_is_not_refused() {
    let ba = access(|c| {
        req(c).requester.relationship = Relationship::BusinessAssociate;
        req(c).requester.agreement = Answer::Yes;
        req(c).records.push(item("otp", RecordCategory::SudProgram));
    });
    assert!(!holds(&ba, "no-valid-authorization", None));
    let a = advice_on(&ba, "2026-03-03");
    assert_eq!(a.recommended.grounds[0], "business-associate");
    // Psychotherapy notes never; Part 2 records only to a QSO (2.12(c)(4)).
    assert_eq!(
        a.recommended.withhold.get("notes").map(String::as_str),
        Some("psychotherapy-notes")
    );
    assert_eq!(
        a.recommended.withhold.get("otp").map(String::as_str),
        Some("part2-consent-required")
    );
    let qso = with(&ba, |c| {
        req(c).requester.relationship = Relationship::QualifiedServiceOrganization
    });
    assert!(!holds(&qso, "part2-consent-required", Some("otp")));
    // Without the agreement it is a third party like any other.
    let none = with(&ba, |c| req(c).requester.agreement = Answer::No);
    assert!(holds(&none, "no-valid-authorization", None));
    // A provider in a bona fide medical emergency gets the Part 2 record (2.51).
    let er = with(&ba, |c| {
        req(c).requester.relationship = Relationship::Provider;
        req(c).requester.agreement = Answer::No;
        req(c).purpose = Some(RequestPurpose::MedicalEmergency);
    });
    let a = advice_on(&er, "2026-03-03");
    assert_eq!(a.recommended.grounds[0], "medical-emergency");
    assert!(
        !a.recommended.withhold.contains_key("otp"),
        "{:?}",
        a.recommended
    );
    // For treatment, the Part 2 record needs consent (2.31, 2.33).
    let tx = with(&er, |c| req(c).purpose = Some(RequestPurpose::Treatment));
    assert!(holds(&tx, "part2-consent-required", Some("otp")));
}
