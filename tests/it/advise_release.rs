//! Issue 13 ("the advisor never approves an unlawful release, and never delays a lawful
//! one"), worked examples for points 1-4 (point 5, the notice, is tests/notice_neutral.rs;
//! the gate is tests/decide_gate.rs; the deadline on every surface tests/deadline_one.rs).
//!
//! Each example states the facts, the proposal, and what the advisor must say with which
//! citation (RULEBOOK R27-R30).

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::deadline::{Clock, ExtensionProblem};
use casebench::rules::{Advice, Finding, Related, Rulebook, Severity, advise};
use support::*;

use Outcome::*;

fn advice(c: &Case) -> Advice {
    advise(Rulebook::builtin(), c, Related::default(), today())
}

fn errors(fs: &[Finding]) -> Vec<&Finding> {
    fs.iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The release-not-permitted findings about item `id`.
fn not_permitted<'a>(fs: &'a [Finding], id: &str) -> Vec<&'a Finding> {
    fs.iter()
        .filter(|f| f.code == "release-not-permitted" && f.message.starts_with(&format!("`{id}`")))
        .collect()
}

/// The advisor's own recommendation never draws an error.
fn assert_recommendation_clean(c: &Case) -> Advice {
    let a = advice(c);
    assert!(errors(&a.findings).is_empty(), "{:#?}", a.findings);
    a
}

fn minor_ca(f: impl FnOnce(&mut RecordItem)) -> Case {
    access(|c| {
        c.jurisdiction = "US-CA".into();
        c.patient.age = 15;
        req(c).requester.relationship = Relationship::Parent;
        // The mother consented to the rest of the care (facts a parent's request turns on).
        for r in &mut req(c).records {
            r.minor_consented_alone = Answer::No;
            r.court_ordered_care = Answer::No;
            r.parent_agreed_confidentiality = Answer::No;
        }
        req(c).records.push(item("therapy", RecordCategory::Chart));
        f(req(c).records.last_mut().unwrap());
    })
}

// ---- Point 1: every released item needs a basis for this requester -------------------

#[test]
fn release_full_of_psychotherapy_notes_to_the_patient_is_an_error() {
    let c = access(|_| {});
    let fs = findings(&c, &proposal(ReleaseFull, &["right-of-access"], &[]));
    let f = not_permitted(&fs, "notes");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(f[0].citation, "45 CFR 164.524(a)(1)(i); 164.508(a)(2)");
    assert!(not_permitted(&fs, "chart").is_empty(), "{fs:#?}");
    // The advisor's own answer withholds them and is clean.
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, ReleasePartial);
}

#[test]
fn psychotherapy_notes_need_a_separate_authorization_never_a_direction() {
    let direction = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::PatientDirection;
    });
    let fs = findings(
        &direction,
        &proposal(ReleaseFull, &["patient-direction"], &[]),
    );
    assert_eq!(not_permitted(&fs, "notes").len(), 1, "{fs:#?}");
    // An authorization that does not separately cover the notes: nothing may go out.
    let general = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::Authorization;
        i.expires = Some(Expiry::Date(day("2027-03-01")));
    });
    let fs = findings(
        &general,
        &proposal(ReleaseFull, &["patient-authorization"], &[]),
    );
    assert_eq!(not_permitted(&fs, "notes").len(), 1, "{fs:#?}");
    // A separate psychotherapy-notes authorization permits them.
    let separate = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::Authorization;
        i.expires = Some(Expiry::Date(day("2027-03-01")));
        i.covers_psychotherapy_notes = Answer::Yes;
    });
    let fs = findings(
        &separate,
        &proposal(ReleaseFull, &["patient-authorization"], &[]),
    );
    assert!(
        !fs.iter().any(|f| f.code == "release-not-permitted"),
        "{fs:#?}"
    );
}

#[test]
fn a_parent_gets_no_care_the_minor_consented_to_alone_where_the_state_restricts() {
    let c = minor_ca(|r| r.minor_consented_alone = Answer::Yes);
    let p = proposal(
        ReleasePartial,
        &["right-of-access", "psychotherapy-notes"],
        &[("notes", "psychotherapy-notes")],
    );
    let fs = findings(&c, &p);
    let f = not_permitted(&fs, "therapy");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert!(f[0].citation.contains("164.502(g)(3)(i)(A), (g)(3)(ii)(B)"));
    let a = assert_recommendation_clean(&c);
    assert_eq!(
        a.recommended.withhold.get("therapy").map(String::as_str),
        Some("minor-controls-record")
    );
    // Ohio leaves it to professional judgment: the release is lawful, but never silent.
    let mut oh = c.clone();
    oh.jurisdiction = "US-OH".into();
    let fs = findings(&oh, &p);
    assert!(not_permitted(&fs, "therapy").is_empty(), "{fs:#?}");
    let w = get(&fs, "release-against-advice");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("minor-controls-record"));
}

#[test]
fn care_a_court_ordered_or_kept_confidential_is_the_minors() {
    for c in [
        minor_ca(|r| r.court_ordered_care = Answer::Yes),
        minor_ca(|r| r.parent_agreed_confidentiality = Answer::Yes),
    ] {
        assert!(holds(&c, "minor-controls-record", Some("therapy")));
        let a = assert_recommendation_clean(&c);
        assert_eq!(
            a.recommended.withhold.get("therapy").map(String::as_str),
            Some("minor-controls-record")
        );
    }
    // Neither for a patient of 19: the parent is a third party anyway.
    let mut adult = minor_ca(|r| r.court_ordered_care = Answer::Yes);
    adult.patient.age = 19;
    assert!(!holds(&adult, "minor-controls-record", Some("therapy")));
}

#[test]
fn an_order_releases_only_what_it_names() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::Court;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::CourtOrder;
        i.judge_signed = Answer::Yes;
        i.scope = Some("the outpatient chart".into());
        req(c).records[0].description = "Outpatient chart".into();
        req(c)
            .records
            .push(item("billing", RecordCategory::Billing));
    });
    let fs = findings(&c, &proposal(ReleaseFull, &["court-order"], &[]));
    let f = not_permitted(&fs, "billing");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].citation, "45 CFR 164.512(e)(1)(i)");
    assert!(not_permitted(&fs, "chart").is_empty());
    assert_recommendation_clean(&c);
}

#[test]
fn a_representative_the_provider_believes_endangers_the_patient() {
    // The belief and the professional judgment recorded on the case itself: no separate
    // abuse case is needed any more.
    let c = access(|c| {
        c.patient.age = 82;
        req(c).requester.relationship = Relationship::PersonalRepresentative;
        req(c).requester.endangerment = Some(Endangerment {
            belief: EndangermentKind::Neglect,
            documented_on: day("2026-03-04"),
            documented_by: "Dr. A. Rivera (MD)".into(),
            not_in_best_interest: true,
        });
    });
    assert!(holds(&c, "representative-abuse-concern", Some("chart")));
    let fs = findings(&c, &proposal(ReleaseFull, &["right-of-access"], &[]));
    let f = not_permitted(&fs, "chart");
    assert_eq!(f.len(), 1, "{fs:#?}");
    assert_eq!(f[0].citation, "45 CFR 164.502(g)(5)");
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, Deny);
    assert_eq!(
        a.recommended.withhold.get("chart").map(String::as_str),
        Some("representative-abuse-concern")
    );
    // A belief without the professional judgment does not yet decline the representative.
    let mut belief_only = c.clone();
    if let Some(e) = req(&mut belief_only).requester.endangerment.as_mut() {
        e.not_in_best_interest = false;
    }
    assert!(!holds(
        &belief_only,
        "representative-abuse-concern",
        Some("chart")
    ));
}

#[test]
fn the_police_without_process_get_nothing() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::LawEnforcement;
        req(c).instrument.kind = InstrumentKind::None;
    });
    // Its own ground, citing 164.512(f), not no-valid-authorization (164.508).
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, RequestInformation);
    assert_eq!(
        a.recommended.grounds,
        vec!["law-enforcement-process-required"]
    );
    let g = Rulebook::builtin()
        .ground("law-enforcement-process-required")
        .unwrap();
    assert_eq!(g.citation, "45 CFR 164.512(f)(1)");
    assert!(!holds(&c, "no-valid-authorization", None));
    let fs = findings(
        &c,
        &proposal(RequestInformation, &["no-valid-authorization"], &[]),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("no-valid-authorization")
    );
    // Releasing anyway: each item is an error citing 164.512(f)(1).
    let fs = findings(&c, &proposal(ReleaseFull, &["law-enforcement"], &[]));
    assert!(
        not_permitted(&fs, "chart")
            .iter()
            .any(|f| f.citation == "45 CFR 164.512(f)(1)"),
        "{fs:#?}"
    );
    // With a warrant the chart may go (the separately kept notes still may not).
    let mut warrant = c.clone();
    req(&mut warrant).instrument.kind = InstrumentKind::Warrant;
    let fs = findings(
        &warrant,
        &proposal(
            ReleasePartial,
            &["law-enforcement", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert!(
        !fs.iter().any(|f| f.code == "release-not-permitted"),
        "{fs:#?}"
    );
}

#[test]
fn an_unverified_requester_or_a_third_party_without_a_basis() {
    let unverified = access(|c| req(c).requester.identity_verified = Answer::No);
    let fs = findings(
        &unverified,
        &proposal(
            ReleasePartial,
            &["right-of-access", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert_eq!(
        not_permitted(&fs, "chart")[0].citation,
        "45 CFR 164.514(h)(1)"
    );
    let insurer = access(|c| {
        req(c).requester.relationship = Relationship::Insurer;
        req(c).instrument.kind = InstrumentKind::WrittenRequest;
    });
    let fs = findings(&insurer, &proposal(ReleaseFull, &["right-of-access"], &[]));
    assert!(
        not_permitted(&fs, "chart")
            .iter()
            .any(|f| f.citation == "45 CFR 164.502(a); 164.508(a)"),
        "{fs:#?}"
    );
}

#[test]
fn releasing_despite_a_discretionary_ground_is_lawful_but_never_silent() {
    let c = access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    });
    let fs = findings(
        &c,
        &proposal(
            ReleasePartial,
            &["right-of-access", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        ),
    );
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    let w = get(&fs, "release-against-advice");
    assert!(w.message.contains("danger-to-life"));
    assert!(w.citation.contains("164.524(a)(3)(i)"));
}

// ---- Point 2: ordinary requests are not "incomplete" ---------------------------------

#[test]
fn a_listed_request_without_a_scope_text_is_complete() {
    let c = access(|c| {
        req(c).instrument.scope = None;
        req(c).records.pop(); // the chart only
    });
    assert!(!holds(&c, "incomplete-request", None));
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, ReleaseFull);
    assert_eq!(a.recommended.grounds, vec!["right-of-access"]);
    let fs = findings(
        &c,
        &proposal(RequestInformation, &["incomplete-request"], &[]),
    );
    assert!(
        get(&fs, "invalid-ground")
            .message
            .contains("incomplete-request")
    );
    assert!(has(&fs, "information-blocking-risk"));
    // Only an unverified identity makes it incomplete.
    let mut unverified = c.clone();
    req(&mut unverified).requester.identity_verified = Answer::No;
    assert!(holds(&unverified, "incomplete-request", None));
}

// ---- Point 3: deceased patients ----------------------------------------------------

fn deceased(f: impl FnOnce(&mut Case)) -> Case {
    access(|c| {
        c.patient.date_of_death = Some(day("2026-01-10"));
        f(c);
    })
}

#[test]
fn the_executor_is_the_personal_representative() {
    let c = deceased(|c| req(c).requester.relationship = Relationship::Executor);
    assert!(holds(&c, "right-of-access", None));
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert_eq!(a.deadline.clock, Clock::Access);
    assert_eq!(a.deadline.due, Some(day("2026-04-01")));
}

#[test]
fn family_involved_in_care_gets_what_is_relevant_unless_the_patient_objected() {
    let c = deceased(|c| {
        req(c).requester.relationship = Relationship::Family;
        req(c).requester.involved_in_care = Answer::Yes;
    });
    let a = assert_recommendation_clean(&c);
    assert_eq!(a.recommended.outcome, ReleasePartial);
    assert!(
        a.recommended
            .grounds
            .contains(&"family-involved-in-care".to_string())
    );
    assert_eq!(
        a.recommended.withhold.get("notes").map(String::as_str),
        Some("psychotherapy-notes")
    );
    let release = a
        .required_actions
        .iter()
        .find(|x| x.code == "release")
        .unwrap();
    assert!(release.text.contains("relevant to their involvement"));
    assert_eq!(release.citation, "45 CFR 164.510(b)(5)");
    // No access clock for the family.
    assert_eq!(a.deadline.clock, Clock::None);
    let mut objected = c.clone();
    objected.patient.objected_to_family_disclosure = Answer::Yes;
    let a = advice(&objected);
    assert_eq!(a.recommended.grounds, vec!["no-valid-authorization"]);
}

#[test]
fn fifty_years_after_death_it_is_no_longer_phi() {
    let c = deceased(|c| {
        c.patient.date_of_death = Some(day("1975-02-01"));
        req(c).requester.relationship = Relationship::Other;
    });
    assert!(holds(&c, "decedent-over-50-years", None));
    let fs = findings(&c, &proposal(ReleaseFull, &["decedent-over-50-years"], &[]));
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    // One day short of 50 years it still is.
    let mut recent = c.clone();
    recent.patient.date_of_death = Some(day("1976-03-03"));
    assert!(!holds(&recent, "decedent-over-50-years", None));
}

// ---- Point 4: clocks, reasons and citations that fit the request ----------------------

#[test]
fn only_the_individuals_own_access_runs_on_the_30_day_clock() {
    let on = day("2026-12-01");
    let p = proposal(RequestInformation, &["no-valid-authorization"], &[]);
    let authorization = access(|c| {
        req(c).requester.relationship = Relationship::Insurer;
        req(c).instrument.kind = InstrumentKind::Authorization;
    });
    let a = advice(&authorization);
    assert_eq!((a.deadline.clock, a.deadline.due), (Clock::None, None));
    let fs = findings_as(&authorization, &p, &Default::default(), on);
    assert!(!has(&fs, "deadline-missed"), "{fs:#?}");
    // A subpoena's return date is its own deadline, cited as such.
    let subpoena = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
        req(c).instrument.return_date = Some(day("2026-04-20"));
    });
    let a = advice(&subpoena);
    assert_eq!(a.deadline.clock, Clock::Instrument);
    assert_eq!(a.deadline.due, Some(day("2026-04-20")));
    let fs = findings_as(&subpoena, &p, &Default::default(), on);
    assert!(get(&fs, "deadline-missed").citation.contains("return date"));
    // The patient's direction to a third party is the patient's own access.
    let direction = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::PatientDirection;
    });
    assert_eq!(advice(&direction).deadline.due, Some(day("2026-04-01")));
}

#[test]
fn an_extension_without_reasons_does_not_count() {
    let c = access(|c| {
        req(c).extension = Some(Extension {
            notice_sent: day("2026-03-20"),
            new_due: day("2026-04-25"),
            reason: None,
        })
    });
    let a = advice(&c);
    assert_eq!(
        a.deadline.extension_problem,
        Some(ExtensionProblem::NoReason)
    );
    assert_eq!(a.deadline.due, Some(day("2026-04-01")));
    let f = get(&a.findings, "extension-invalid");
    assert!(f.message.contains("gives no reason for the delay"), "{f:?}");
    assert_eq!(f.citation, "45 CFR 164.524(b)(2)(ii)");
}

#[test]
fn a_threat_to_self_cites_164_512_j_and_family_may_be_told() {
    let self_threat = |state: &str| {
        concern(|c| {
            c.jurisdiction = state.into();
            con(c).kind = ConcernKind::ThreatToSelf;
            con(c).identifiable_victim = Answer::No;
            c.harm_evaluation.done_mut().unwrap().at_risk = AtRisk::Patient;
        })
    };
    let a = assert_recommendation_clean(&self_threat("US-CA"));
    let warn = a
        .required_actions
        .iter()
        .find(|x| x.code == "warn")
        .unwrap();
    assert!(
        warn.citation.starts_with("45 CFR 164.512(j)(1)(i)"),
        "{warn:?}"
    );
    assert!(!warn.citation.contains("43.92"), "{warn:?}");
    assert!(warn.text.contains("family"), "{warn:?}");
    assert!(
        !a.recommended
            .grounds
            .contains(&"state-duty-to-warn".to_string())
    );
    // Texas limits who may be told: its emergency-disclosure statute, not Thapar.
    let a = assert_recommendation_clean(&self_threat("US-TX"));
    let report = a
        .required_actions
        .iter()
        .find(|x| x.code == "report")
        .unwrap();
    assert!(report.citation.contains("611.004(a)(2)"), "{report:?}");
    assert!(!report.citation.contains("Thapar"), "{report:?}");
    assert!(!report.text.contains("family"), "{report:?}");
}

#[test]
fn a_state_period_is_used_only_where_the_overlay_is_sure_of_it() {
    // California: 15 calendar days for copies, with its citation.
    let ca = access(|c| c.jurisdiction = "US-CA".into());
    let a = advice(&ca);
    assert_eq!(a.deadline.due, Some(day("2026-03-17")));
    assert_eq!(a.deadline.access_days, Some(15));
    assert!(
        a.deadline
            .citation
            .starts_with("Cal. Health & Safety Code 123110(b)")
    );
    assert!(!has(&a.findings, "state-law-unchecked"));
    // Texas was not researched: federal 30 days, and the warning says so.
    let tx = access(|c| c.jurisdiction = "US-TX".into());
    let a = advice(&tx);
    assert_eq!(a.deadline.due, Some(day("2026-04-01")));
    assert!(
        get(&a.findings, "state-law-unchecked")
            .message
            .contains("Texas's own deadline for access has not been researched")
    );
}
