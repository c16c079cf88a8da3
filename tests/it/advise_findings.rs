//! Every finding: a proposal that triggers it and one that does not (the "wrong
//! reasons" are in advise_wrong_reasons.rs).

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{NoticeStatement, ReviewerFacts, Severity, gate};
use support::*;

use Outcome::*;

fn partial_notes() -> casebench::rules::Proposal {
    proposal(
        ReleasePartial,
        &["right-of-access", "psychotherapy-notes"],
        &[("notes", "psychotherapy-notes")],
    )
}

// ---- each finding: triggered, and not ---------------------------------------------

#[test]
fn invalid_ground_unknown_code_and_not() {
    let c = access(|_| {});
    let fs = findings(
        &c,
        &proposal(
            ReleasePartial,
            &["right-of-acess"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("did you mean `right-of-access`")
    );
    assert!(!has(&findings(&c, &partial_notes()), "invalid-ground"));
}

#[test]
fn invalid_ground_privacy_act_outside_federal_agency() {
    let p = proposal(
        ReleasePartial,
        &["right-of-access", "privacy-act"],
        &[("chart", "privacy-act")],
    );
    let fs = findings(&access(|_| {}), &p);
    assert!(get(&fs, "invalid-ground").message.contains("federal"));
    let fed = access(|c| c.entity.federal_agency = true);
    assert!(!has(&findings(&fed, &p), "invalid-ground"));
}

#[test]
fn invalid_ground_disclosure_basis_used_to_withhold() {
    let fs = findings(
        &access(|_| {}),
        &proposal(
            ReleasePartial,
            &["right-of-access"],
            &[("chart", "right-of-access")],
        ),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("not a ground to withhold")
    );
}

#[test]
fn whole_record_denial_not_when_every_item_has_a_ground() {
    // Only the psychotherapy notes are asked for.
    let c = access(|c| {
        req(c).records.remove(0);
    });
    let fs = findings(
        &c,
        &proposal(
            Deny,
            &["psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert!(!has(&fs, "whole-record-denial"), "{fs:#?}");
    assert!(!has(&fs, "invalid-ground"), "{fs:#?}");
}

#[test]
fn harm_not_licensed_and_not() {
    let mut c = access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    });
    let p = proposal(
        ReleasePartial,
        &["right-of-access", "danger-to-life"],
        &[("chart", "danger-to-life")],
    );
    assert!(!has(&findings(&c, &p), "harm-not-licensed"));
    c.harm_evaluation.done_mut().unwrap().assessed_by.licensed = false.into();
    let fs = findings(&c, &p);
    assert!(
        get(&fs, "harm-not-licensed")
            .citation
            .contains("164.524(a)(3)")
    );
    // An unlicensed reviewer of a denial.
    c.harm_evaluation.done_mut().unwrap().assessed_by.licensed = true.into();
    let who = ReviewerFacts {
        is_review: true,
        licensed: Some(false),
        name: Some("J. Doe".into()),
        ..ReviewerFacts::default()
    };
    assert!(has(
        &findings_as(&c, &p, &who, today()),
        "harm-not-licensed"
    ));
}

#[test]
fn reviewer_participated_and_not() {
    let c = access(|_| {});
    let p = partial_notes();
    // Dr. Halvorsen was consulted on the original decision.
    let consulted = ReviewerFacts {
        is_review: true,
        licensed: Some(true),
        principal: Some("m.halvorsen@clinic.example".into()),
        ..ReviewerFacts::default()
    };
    let fs = findings_as(&c, &p, &consulted, today());
    assert!(
        get(&fs, "reviewer-participated")
            .citation
            .contains("164.524(a)(4)")
    );
    let decider = ReviewerFacts {
        is_review: true,
        licensed: Some(true),
        name: Some("Dr. J. Park".into()),
        participants: vec!["j.park@clinic.example".into()],
        ..ReviewerFacts::default()
    };
    assert!(has(
        &findings_as(&c, &p, &decider, today()),
        "reviewer-participated"
    ));
    let outsider = ReviewerFacts {
        is_review: true,
        licensed: Some(true),
        name: Some("Dr. K. Osei".into()),
        principal: Some("k.osei@clinic.example".into()),
        participants: vec!["j.park@clinic.example".into()],
        ..ReviewerFacts::default()
    };
    assert!(!has(
        &findings_as(&c, &p, &outsider, today()),
        "reviewer-participated"
    ));
    // Not a review: whoever decides, no finding.
    let first = ReviewerFacts {
        is_review: false,
        ..consulted
    };
    assert!(!has(
        &findings_as(&c, &p, &first, today()),
        "reviewer-participated"
    ));
}

#[test]
fn notice_incomplete_and_not() {
    let c = danger_case();
    let mut p = proposal(
        ReleasePartial,
        &["right-of-access", "danger-to-life"],
        &[("chart", "danger-to-life")],
    );
    assert!(!has(&findings(&c, &p), "notice-incomplete"));
    p.notice = Some(NoticeStatement {
        basis: true,
        review_rights: false,
        complaint_routes: true,
    });
    let fs = findings(&c, &p);
    assert!(
        get(&fs, "notice-incomplete")
            .message
            .contains("review rights")
    );
    // Unreviewable ground: no review rights needed.
    let mut q = partial_notes();
    q.notice = p.notice;
    assert!(!has(&findings(&c, &q), "notice-incomplete"));
    q.notice = Some(NoticeStatement {
        basis: true,
        review_rights: false,
        complaint_routes: false,
    });
    assert!(
        get(&findings(&c, &q), "notice-incomplete")
            .message
            .contains("complain")
    );
    // casebench's own notice, without a privacy contact to name.
    let who = ReviewerFacts {
        privacy_contact_missing: true,
        ..ReviewerFacts::default()
    };
    assert!(has(
        &findings_as(&c, &partial_notes(), &who, today()),
        "notice-incomplete"
    ));
    // Release in full needs no denial notice.
    let full = proposal(ReleaseFull, &["right-of-access"], &[]);
    assert!(!has(
        &findings_as(&c, &full, &who, today()),
        "notice-incomplete"
    ));
}

fn danger_case() -> Case {
    access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    })
}

#[test]
fn deadline_missed_near_and_neither() {
    let c = access(|_| {}); // received 03-02, due 04-01
    let p = partial_notes();
    let on = |d: &str| findings_as(&c, &p, &ReviewerFacts::default(), day(d));
    let late = on("2026-04-03");
    assert!(
        get(&late, "deadline-missed")
            .message
            .contains("2 day(s) late")
    );
    assert!(!has(&late, "deadline-near"));
    let near = on("2026-03-26");
    assert!(
        get(&near, "deadline-near")
            .message
            .contains("6 day(s) left")
    );
    let fine = on("2026-03-10");
    assert!(!has(&fine, "deadline-near") && !has(&fine, "deadline-missed"));
    // California's 15 days wins: received 03-02, due 03-17.
    let ca = access(|c| c.jurisdiction = "US-CA".into());
    let fs = findings_as(&ca, &p, &ReviewerFacts::default(), day("2026-03-20"));
    assert!(get(&fs, "deadline-missed").message.contains("2026-03-17"));
    // Concerns have no statutory clock.
    let fs = findings_as(
        &concern(|_| {}),
        &proposal(WarnAndProtect, &["serious-threat"], &[]),
        &ReviewerFacts::default(),
        day("2027-01-01"),
    );
    assert!(!has(&fs, "deadline-missed"));
}

#[test]
fn extension_invalid_not_when_sent_in_time() {
    let c = access(|c| {
        req(c).extension = Some(Extension {
            notice_sent: day("2026-03-20"),
            new_due: day("2026-04-25"),
            reason: Some("records archived off site".into()),
        })
    });
    let fs = findings_as(
        &c,
        &partial_notes(),
        &ReviewerFacts::default(),
        day("2026-04-10"),
    );
    assert!(!has(&fs, "extension-invalid"), "{fs:#?}");
    assert!(!has(&fs, "deadline-missed"), "{fs:#?}");
}

#[test]
fn information_blocking_risk_and_not() {
    let c = access(|_| {});
    let fs = findings(&c, &proposal(RequestInformation, &[], &[]));
    assert!(has(&fs, "information-blocking-risk"));
    assert!(!has(
        &findings(&c, &partial_notes()),
        "information-blocking-risk"
    ));
    // Psychotherapy notes are not EHI: withholding them is never blocking.
    let wrong = proposal(
        ReleasePartial,
        &["right-of-access"],
        &[("notes", "emotional-distress")],
    );
    assert!(!has(&findings(&c, &wrong), "information-blocking-risk"));
    // A third party's request is not the patient's access.
    let atty = access(|c| req(c).requester.relationship = Relationship::Attorney);
    assert!(!has(
        &findings(
            &atty,
            &proposal(RequestInformation, &["no-valid-authorization"], &[])
        ),
        "information-blocking-risk"
    ));
}

#[test]
fn accounting_and_minimum_necessary_and_not() {
    let fs = findings(
        &concern(|_| {}),
        &proposal(WarnAndProtect, &["serious-threat"], &[]),
    );
    assert_eq!(get(&fs, "accounting-required").severity, Severity::Info);
    assert!(get(&fs, "accounting-required").citation.contains("164.528"));
    assert!(has(&fs, "minimum-necessary"));
    let order = access(|c| {
        req(c).requester.relationship = Relationship::Court;
        req(c).instrument.kind = InstrumentKind::CourtOrder;
        req(c).instrument.judge_signed = Answer::Yes;
        req(c).instrument.scope = Some("the outpatient chart".into());
    });
    let fs = findings(
        &order,
        &proposal(
            ReleasePartial,
            &["court-order", "outside-order-scope"],
            &[("notes", "outside-order-scope")],
        ),
    );
    assert!(
        has(&fs, "accounting-required") && has(&fs, "minimum-necessary"),
        "{fs:#?}"
    );
    assert!(!has(&fs, "invalid-ground"), "{fs:#?}");
    // The patient's own access: excluded from the accounting, no minimum necessary.
    let own = findings(&access(|_| {}), &partial_notes());
    assert!(!has(&own, "accounting-required") && !has(&own, "minimum-necessary"));
}

#[test]
fn mandatory_report_and_not() {
    let child = concern(|c| con(c).kind = ConcernKind::ChildAbuse);
    let fs = findings(&child, &proposal(MaintainConfidentiality, &[], &[]));
    assert!(
        get(&fs, "mandatory-report")
            .citation
            .contains("164.512(b)(1)(ii)")
    );
    assert!(!has(
        &findings(&child, &proposal(Report, &["child-abuse-report"], &[])),
        "mandatory-report"
    ));
    let elder = |state: &str| {
        concern(|c| {
            c.jurisdiction = state.into();
            con(c).kind = ConcernKind::ElderAbuse;
        })
    };
    let fs = findings(
        &elder("US-MI"),
        &proposal(MaintainConfidentiality, &[], &[]),
    );
    assert!(get(&fs, "mandatory-report").citation.contains("400.11a"));
    assert!(!has(
        &findings(
            &elder("US-NY"),
            &proposal(MaintainConfidentiality, &[], &[])
        ),
        "mandatory-report"
    ));
}

#[test]
fn duty_to_warn_and_not() {
    let ca = concern(|c| c.jurisdiction = "US-CA".into());
    let fs = findings(&ca, &proposal(MaintainConfidentiality, &[], &[]));
    assert!(get(&fs, "duty-to-warn").citation.contains("43.92"));
    assert!(!has(
        &findings(
            &ca,
            &proposal(
                WarnAndProtect,
                &["serious-threat", "state-duty-to-warn"],
                &[]
            )
        ),
        "duty-to-warn"
    ));
    // Texas: no duty, and no warning to the victim directly.
    let tx = concern(|c| c.jurisdiction = "US-TX".into());
    assert!(!has(
        &findings(&tx, &proposal(MaintainConfidentiality, &[], &[])),
        "duty-to-warn"
    ));
    let fs = findings(&tx, &proposal(WarnAndProtect, &["serious-threat"], &[]));
    let f = get(&fs, "duty-to-warn");
    assert!(
        f.citation.contains("611.004") && f.message.contains("law enforcement"),
        "{f:?}"
    );
    assert!(!has(
        &findings(&tx, &proposal(Report, &["serious-threat"], &[])),
        "duty-to-warn"
    ));
}

#[test]
fn part2_restriction_and_not() {
    let threat = concern(|c| c.entity.part2_program = true);
    let fs = findings(&threat, &proposal(WarnAndProtect, &["serious-threat"], &[]));
    assert_eq!(get(&fs, "part2-restriction").severity, Severity::Warning);
    assert!(!has(
        &findings(
            &concern(|_| {}),
            &proposal(WarnAndProtect, &["serious-threat"], &[])
        ),
        "part2-restriction"
    ));
    // Releasing SUD-program records to an attorney on a subpoena with assurance.
    let sud = access(|c| {
        c.entity.part2_program = true;
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
        req(c).instrument.protective_order = Answer::Yes;
        req(c).records.push(item("otp", RecordCategory::SudProgram));
    });
    let fs = findings(
        &sud,
        &proposal(
            ReleasePartial,
            &["subpoena-with-assurance"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    let f = get(&fs, "part2-restriction");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.citation.contains("2.64"));
    let ok = proposal(
        ReleasePartial,
        &[
            "subpoena-with-assurance",
            "psychotherapy-notes",
            "part2-consent-required",
        ],
        &[
            ("notes", "psychotherapy-notes"),
            ("otp", "part2-consent-required"),
        ],
    );
    assert!(!has(&findings(&sud, &ok), "part2-restriction"));
}

#[test]
fn state_law_unchecked_and_not() {
    let hi = access(|c| c.jurisdiction = "US-HI".into());
    assert_eq!(
        get(&findings(&hi, &partial_notes()), "state-law-unchecked").severity,
        Severity::Warning
    );
    // Ohio has an overlay, but its own access deadline was not researched: the federal
    // 30 days apply, with the warning (issue 13: never guess a state period).
    let oh = findings(&access(|_| {}), &partial_notes());
    assert!(
        get(&oh, "state-law-unchecked")
            .message
            .contains("Ohio's own deadline for access has not been researched"),
        "{oh:#?}"
    );
    // California's period is in the overlay; a concern has no access deadline.
    let ca = access(|c| c.jurisdiction = "US-CA".into());
    assert!(!has(
        &findings(&ca, &partial_notes()),
        "state-law-unchecked"
    ));
    assert!(!has(
        &findings(
            &concern(|_| {}),
            &proposal(WarnAndProtect, &["serious-threat"], &[])
        ),
        "state-law-unchecked"
    ));
}

#[test]
fn findings_are_sorted_errors_first_and_all_cited() {
    let c = access(|c| c.jurisdiction = "US".into());
    let fs = findings(&c, &proposal(Deny, &["clia", "lack-of-consent"], &[]));
    assert!(fs.len() >= 3, "{fs:#?}");
    assert!(fs.windows(2).all(|w| w[0].severity <= w[1].severity));
    assert!(
        fs.iter()
            .all(|f| !f.citation.is_empty() && !f.message.is_empty())
    );
}

#[test]
fn gate_lets_through_only_overridden_errors() {
    let c = access(|_| {});
    let fs = findings(&c, &proposal(Deny, &["psychotherapy-notes"], &[]));
    let errors: Vec<&str> = fs
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code.as_str())
        .collect();
    assert!(!errors.is_empty());
    let open = gate(&fs, &[]).unwrap_err();
    assert_eq!(codes(&open), errors);
    // An empty justification does not count.
    let blank: Vec<(String, String)> = errors
        .iter()
        .map(|c| (c.to_string(), "  ".into()))
        .collect();
    assert!(gate(&fs, &blank).is_err());
    let all: Vec<(String, String)> = errors
        .iter()
        .map(|c| (c.to_string(), "counsel advised".into()))
        .collect();
    let done = gate(&fs, &all).unwrap();
    assert_eq!(done.len(), errors.len());
    assert!(done.iter().all(|o| o.justification == "counsel advised"));
    // No errors, nothing to override.
    assert_eq!(gate(&findings(&c, &partial_notes()), &[]).unwrap(), vec![]);
}

#[test]
fn a_disclosure_needs_a_basis_and_the_outcome_must_fit_the_withhold_map() {
    // Releasing to an attorney with no authorization, citing nothing.
    let atty = access(|c| req(c).requester.relationship = Relationship::Attorney);
    let fs = findings(&atty, &proposal(ReleaseFull, &[], &[]));
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("discloses without a basis")
    );
    // Warning without any ground where the threat is not imminent.
    let calm = concern(|c| {
        con(c).imminent = Answer::No;
        con(c).means = Answer::No;
    });
    let fs = findings(&calm, &proposal(WarnAndProtect, &[], &[]));
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("no disclosure basis holds")
    );
    // The patient's own request, cited properly: no such finding.
    let own = findings(
        &access(|_| {}),
        &proposal(ReleaseFull, &["right-of-access"], &[]),
    );
    assert!(!has(&own, "invalid-ground"), "{own:#?}");
    let fs = findings(
        &access(|_| {}),
        &proposal(ReleasePartial, &["right-of-access"], &[]),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("names no withheld item")
    );
    let fs = findings(
        &access(|_| {}),
        &proposal(
            ReleaseFull,
            &["right-of-access"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("release_partial")
    );
}

#[test]
fn a_mandatory_state_duty_arises_before_imminence() {
    // California: a communicated threat, a victim, the means; not imminent.
    let ca = concern(|c| {
        c.jurisdiction = "US-CA".into();
        con(c).imminent = Answer::No;
    });
    let a = casebench::rules::advise(
        casebench::rules::Rulebook::builtin(),
        &ca,
        Default::default(),
        today(),
    );
    assert_eq!(a.recommended.outcome, WarnAndProtect);
    assert_eq!(a.recommended.grounds, ["state-duty-to-warn"]);
    assert!(has(
        &findings(&ca, &proposal(MaintainConfidentiality, &[], &[])),
        "duty-to-warn"
    ));
    // Without means or imminence, no duty and no permission: keep confidentiality.
    let vague = concern(|c| {
        c.jurisdiction = "US-CA".into();
        con(c).imminent = Answer::No;
        con(c).means = Answer::No;
    });
    let a = casebench::rules::advise(
        casebench::rules::Rulebook::builtin(),
        &vague,
        Default::default(),
        today(),
    );
    assert_eq!(a.recommended.outcome, MaintainConfidentiality);
    assert!(!has(
        &findings(&vague, &proposal(MaintainConfidentiality, &[], &[])),
        "duty-to-warn"
    ));
}

#[test]
fn generated_notice_carries_what_the_ground_needs() {
    use casebench::rules::{Rulebook, generated_notice};
    let rb = Rulebook::builtin();
    let n = generated_notice(rb, &partial_notes(), true).unwrap();
    assert!(n.basis && !n.review_rights && n.complaint_routes);
    let danger = proposal(
        ReleasePartial,
        &["right-of-access", "danger-to-life"],
        &[("chart", "danger-to-life")],
    );
    let n = generated_notice(rb, &danger, false).unwrap();
    assert!(n.review_rights && !n.complaint_routes);
    assert_eq!(
        generated_notice(rb, &proposal(ReleaseFull, &["right-of-access"], &[]), true),
        None
    );
}

#[test]
fn third_party_requests_are_answered_under_164_512_not_164_524() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
    });
    let who = ReviewerFacts {
        privacy_contact_missing: true,
        ..ReviewerFacts::default()
    };
    // Late, everything withheld, no privacy contact: none of 164.524's findings.
    let fs = findings_as(
        &c,
        &proposal(Deny, &["subpoena-without-assurance"], &[]),
        &who,
        day("2026-05-01"),
    );
    for code in [
        "whole-record-denial",
        "notice-incomplete",
        "deadline-missed",
        "invalid-ground",
    ] {
        assert!(!has(&fs, code), "{code}: {fs:#?}");
    }
    let a = casebench::rules::advise(
        casebench::rules::Rulebook::builtin(),
        &c,
        Default::default(),
        today(),
    );
    assert_eq!(a.recommended.outcome, Deny);
    assert!(a.notice.is_empty());
    let act = a
        .required_actions
        .iter()
        .find(|x| x.code == "explain-withheld")
        .unwrap();
    assert!(act.citation.contains("164.512(e)(1)(ii)"), "{act:?}");
    // The patient's own request, same facts otherwise: 164.524 applies.
    let own = access(|_| {});
    let fs = findings_as(
        &own,
        &proposal(Deny, &["psychotherapy-notes"], &[]),
        &who,
        day("2026-05-01"),
    );
    for code in [
        "whole-record-denial",
        "notice-incomplete",
        "deadline-missed",
    ] {
        assert!(has(&fs, code), "{code}: {fs:#?}");
    }
}
