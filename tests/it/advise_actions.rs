//! Required actions and notice elements: report, warn and to whom, accounting entry,
//! inform the patient, offer review, what a defective authorization lacks.

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{Advice, Related, Rulebook, advise};
use support::*;

fn advice(c: &Case) -> Advice {
    advise(Rulebook::builtin(), c, Related::default(), today())
}

fn action<'a>(a: &'a Advice, code: &str) -> &'a casebench::rules::Action {
    a.required_actions
        .iter()
        .find(|x| x.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", a.required_actions))
}

fn has_action(a: &Advice, code: &str) -> bool {
    a.required_actions.iter().any(|x| x.code == code)
}

#[test]
fn every_action_and_notice_element_is_cited() {
    let cases = [
        access(|_| {}),
        concern(|_| {}),
        concern(|c| con(c).kind = ConcernKind::ChildAbuse),
        access(|c| req(c).requester.identity_verified = Answer::No),
    ];
    for c in &cases {
        let a = advice(c);
        assert!(!a.required_actions.is_empty());
        for x in &a.required_actions {
            assert!(!x.citation.trim().is_empty() && !x.text.is_empty(), "{x:?}");
        }
        for n in &a.notice {
            assert!(!n.citation.trim().is_empty(), "{n:?}");
        }
    }
}

#[test]
fn reviewable_denial_offers_review_and_says_so_in_the_notice() {
    let c = access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
        req(c)
            .records
            .push(item("billing", RecordCategory::Billing));
    });
    let a = advice(&c);
    assert_eq!(a.recommended.outcome, Outcome::ReleasePartial);
    assert!(
        action(&a, "offer-review")
            .citation
            .contains("164.524(a)(4)")
    );
    assert!(
        action(&a, "release").text.contains("2026-04-01"),
        "due date named"
    );
    let codes: Vec<&str> = a.notice.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["basis", "review_rights", "complaint_routes"]);
    // Unreviewable (psychotherapy notes only): no review offer, no review element.
    let a = advice(&access(|_| {}));
    assert!(!has_action(&a, "offer-review"));
    let codes: Vec<&str> = a.notice.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["basis", "complaint_routes"]);
    assert!(a.notice[0].text.contains("164.524(a)(1)(i)"));
}

#[test]
fn warnings_name_who_is_told() {
    let ca = advice(&concern(|c| c.jurisdiction = "US-CA".into()));
    let warn = action(&ca, "warn");
    assert!(
        warn.text
            .contains("the intended victim and law enforcement"),
        "{warn:?}"
    );
    assert!(warn.citation.contains("43.92"));
    assert!(has_action(&ca, "accounting") && has_action(&ca, "minimum-necessary"));
    let tx = advice(&concern(|c| c.jurisdiction = "US-TX".into()));
    let report = action(&tx, "report");
    assert!(
        report
            .text
            .contains("law enforcement and medical personnel only"),
        "{report:?}"
    );
    assert!(!has_action(&tx, "warn"));
}

#[test]
fn reports_and_informing_the_patient() {
    let child = advice(&concern(|c| con(c).kind = ConcernKind::ChildAbuse));
    assert!(
        action(&child, "report")
            .citation
            .contains("164.512(b)(1)(ii)")
    );
    assert!(
        !has_action(&child, "inform-patient"),
        "no HIPAA duty to tell the parent"
    );
    assert!(has_action(&child, "accounting"));
    let elder = advice(&concern(|c| {
        c.jurisdiction = "US-MI".into();
        con(c).kind = ConcernKind::ElderAbuse;
    }));
    assert!(
        action(&elder, "inform-patient")
            .citation
            .contains("164.512(c)(2)")
    );
    assert!(has_action(&elder, "accounting"));
}

#[test]
fn a_defective_authorization_is_returned_with_its_defects() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Authorization;
        req(c).instrument.dated = None;
        // One form for the whole record and the therapist's notes: a compound
        // authorization (164.508(b)(3)(ii)).
        req(c).instrument.scope = Some("my whole record including psychotherapy notes".into());
    });
    let a = advice(&c);
    assert_eq!(a.recommended.outcome, Outcome::RequestInformation);
    let x = action(&a, "request-information");
    for defect in [
        "no signature date",
        "no expiration date",
        "separate authorization",
    ] {
        assert!(x.text.contains(defect), "{defect}: {}", x.text);
    }
    assert!(
        x.text.contains("164.524(c)(3)(ii)"),
        "the patient-direction alternative"
    );
    assert!(!has_action(&a, "accounting"));
    // An authorization that does not name the notes is not compound: its defects are its
    // own (here the missing date and expiry), never "a separate authorization".
    let mut plain = c.clone();
    req(&mut plain).instrument.scope = Some("my whole record".into());
    let x = action(&advice(&plain), "request-information").clone();
    assert!(!x.text.contains("separate authorization"), "{}", x.text);
    assert!(x.text.contains("no signature date"), "{}", x.text);
}

#[test]
fn a_police_phone_call_gets_nothing_but_a_request_for_process() {
    let c = concern(|c| {
        con(c).kind = ConcernKind::LawEnforcementRequest;
        con(c).imminent = Answer::No;
        con(c).identifiable_victim = Answer::No;
    });
    let a = advice(&c);
    assert_eq!(a.recommended.outcome, Outcome::MaintainConfidentiality);
    assert!(
        action(&a, "ask-for-process")
            .citation
            .contains("(f)(1)(ii)")
    );
    assert!(!has_action(&a, "accounting"));
}

#[test]
fn part2_cautions() {
    let a = advice(&concern(|c| c.entity.part2_program = true));
    assert!(action(&a, "part2").citation.contains("2.51"));
    let a = advice(&access(|c| {
        c.entity.part2_program = true;
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
        req(c).instrument.protective_order = Answer::Yes;
        req(c).records.push(item("otp", RecordCategory::SudProgram));
    }));
    assert_eq!(
        a.recommended.withhold.get("otp").map(String::as_str),
        Some("part2-consent-required")
    );
    assert!(
        action(&a, "part2-records")
            .text
            .contains("a subpoena alone never suffices")
    );
}
