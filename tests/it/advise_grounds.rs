//! Every ground code: a case where it is valid and one where it is not (RULEBOOK tables).
//! The table must name every code of the built-in rulebook.

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{Related, Rulebook};
use support::*;

type Build = fn() -> Case;

/// (code, record item or None for a case-level ground, valid case, invalid case)
fn table() -> Vec<(&'static str, Option<&'static str>, Build, Build)> {
    vec![
        (
            // Issue 22: a fact written `unknown` (here: whether the notes are kept apart).
            "facts-unknown",
            None,
            || access(|c| req(c).records[1].kept_separately = Answer::Unknown),
            || access(|_| {}),
        ),
        (
            "psychotherapy-notes",
            Some("notes"),
            || access(|_| {}),
            // Notes kept inside the chart are part of the record (164.501).
            || access(|c| req(c).records[1].kept_separately = Answer::No),
        ),
        (
            "litigation-material",
            Some("lit"),
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("lit", RecordCategory::LitigationMaterial))
                })
            },
            || access(|c| req(c).records.push(item("lit", RecordCategory::Chart))),
        ),
        (
            "correctional-safety",
            Some("sec"),
            || {
                access(|c| {
                    c.entity.correctional = true;
                    c.patient.incarcerated = Answer::Yes;
                    req(c)
                        .records
                        .push(item("sec", RecordCategory::CorrectionalSecurity));
                })
            },
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("sec", RecordCategory::CorrectionalSecurity))
                })
            },
        ),
        (
            "research-suspension",
            Some("study"),
            || {
                access(|c| {
                    c.patient.research_suspension_agreed = Answer::Yes;
                    req(c).records.push(item("study", RecordCategory::Research));
                })
            },
            || access(|c| req(c).records.push(item("study", RecordCategory::Research))),
        ),
        (
            "privacy-act",
            Some("chart"),
            || access(|c| c.entity.federal_agency = true),
            || access(|_| {}),
        ),
        (
            "confidential-source",
            Some("src"),
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("src", RecordCategory::ConfidentialSource))
                })
            },
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("src", RecordCategory::ReferencesOtherPerson))
                })
            },
        ),
        (
            "danger-to-life",
            Some("chart"),
            danger,
            // The same determination, but not by a licensed professional.
            || {
                let mut c = danger();
                c.harm_evaluation.done_mut().unwrap().assessed_by.licensed = false.into();
                c
            },
        ),
        (
            "harm-to-referenced-person",
            Some("other"),
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("other", RecordCategory::ReferencesOtherPerson));
                    let h = c.harm_evaluation.done_mut().unwrap();
                    h.harm_type = HarmType::SubstantialHarm;
                    h.at_risk = AtRisk::OtherPerson;
                    h.likelihood = Likelihood::ReasonablyLikely;
                    h.records = vec!["other".into()];
                })
            },
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("other", RecordCategory::ReferencesOtherPerson));
                    let h = c.harm_evaluation.done_mut().unwrap();
                    h.harm_type = HarmType::SubstantialHarm;
                    h.at_risk = AtRisk::Patient; // harm to the patient, not the other person
                    h.likelihood = Likelihood::ReasonablyLikely;
                    h.records = vec!["other".into()];
                })
            },
        ),
        (
            "harm-via-representative",
            Some("chart"),
            || via_rep(Relationship::PersonalRepresentative),
            || via_rep(Relationship::SelfPatient),
        ),
        (
            "representative-abuse-concern",
            Some("chart"),
            || via_rep(Relationship::Parent),
            || via_rep(Relationship::SelfPatient),
        ),
        (
            "minor-controls-record",
            Some("chart"),
            || minor("US-CA", Relationship::Parent),
            || minor("US-CA", Relationship::SelfPatient),
        ),
        (
            "no-valid-authorization",
            None,
            || attorney(InstrumentKind::None),
            || attorney(InstrumentKind::Authorization),
        ),
        (
            "authorization-defective",
            None,
            || {
                let mut c = attorney(InstrumentKind::Authorization);
                req(&mut c).instrument.expires = None;
                c
            },
            || attorney(InstrumentKind::Authorization),
        ),
        (
            "subpoena-without-assurance",
            Some("chart"),
            || subpoena(false, false, false),
            || subpoena(false, true, false),
        ),
        (
            "outside-order-scope",
            Some("notes"),
            || order("the outpatient chart"),
            || subpoena(false, true, false),
        ),
        (
            "part2-consent-required",
            Some("otp"),
            || part2(InstrumentKind::Subpoena),
            || {
                let mut c = part2(InstrumentKind::Subpoena);
                req(&mut c).instrument.part2_court_order = Answer::Yes;
                c
            },
        ),
        (
            "incomplete-request",
            None,
            || access(|c| req(c).requester.identity_verified = Answer::No),
            || access(|_| {}),
        ),
        (
            "right-of-access",
            None,
            || access(|_| {}),
            || attorney(InstrumentKind::Authorization),
        ),
        (
            "patient-authorization",
            None,
            || attorney(InstrumentKind::Authorization),
            || {
                let mut c = attorney(InstrumentKind::Authorization);
                req(&mut c).instrument.signed = Answer::No;
                c
            },
        ),
        (
            "patient-direction",
            None,
            || attorney(InstrumentKind::PatientDirection),
            || {
                let mut c = attorney(InstrumentKind::PatientDirection);
                req(&mut c).instrument.signed = Answer::No;
                c
            },
        ),
        (
            "court-order",
            None,
            || order("the outpatient chart"),
            // A plain subpoena is not an order.
            || subpoena(false, false, false),
        ),
        (
            "subpoena-with-assurance",
            None,
            || subpoena(false, false, true),
            || subpoena(false, false, false),
        ),
        (
            "law-enforcement",
            None,
            || police(InstrumentKind::Warrant),
            || police(InstrumentKind::None),
        ),
        (
            "law-enforcement-process-required",
            None,
            || police(InstrumentKind::None),
            || police(InstrumentKind::Warrant),
        ),
        (
            "family-involved-in-care",
            None,
            || deceased_family(true, false),
            || deceased_family(true, true), // the patient had objected
        ),
        (
            "decedent-over-50-years",
            None,
            || deceased_family(false, false),
            || {
                let mut c = deceased_family(false, false);
                c.patient.date_of_death = Some(day("2000-01-01"));
                c
            },
        ),
        (
            "serious-threat",
            None,
            || concern(|_| {}),
            || concern(|c| con(c).imminent = Answer::No),
        ),
        (
            "state-duty-to-warn",
            None,
            || concern(|c| c.jurisdiction = "US-CA".into()),
            || concern(|c| c.jurisdiction = "US-TX".into()),
        ),
        (
            "child-abuse-report",
            None,
            || concern(|c| con(c).kind = ConcernKind::ChildAbuse),
            || concern(|_| {}),
        ),
        (
            "adult-abuse-report",
            None,
            || {
                concern(|c| {
                    c.jurisdiction = "US-MI".into();
                    con(c).kind = ConcernKind::ElderAbuse;
                })
            },
            // New York has no mandatory elder-abuse report and the patient declines.
            || {
                concern(|c| {
                    c.jurisdiction = "US-NY".into();
                    con(c).kind = ConcernKind::ElderAbuse;
                })
            },
        ),
        (
            // RULEBOOK R33: an authorization covering only the chart.
            "not-covered-by-instrument",
            Some("billing"),
            || {
                let mut c = attorney(InstrumentKind::Authorization);
                req(&mut c)
                    .records
                    .push(item("billing", RecordCategory::Billing));
                req(&mut c).instrument.covers = Some(vec!["chart".into(), "notes".into()]);
                req(&mut c).instrument.covers_psychotherapy_notes = Answer::Yes;
                c
            },
            // The patient's own request has no coverage to check.
            || {
                access(|c| {
                    req(c)
                        .records
                        .push(item("billing", RecordCategory::Billing))
                })
            },
        ),
        (
            // 740 ILCS 110/4(a)(3): a 15-year-old objects to the father's access.
            "minor-objects-to-parent",
            Some("chart"),
            || minor_objects("US-IL", 15),
            // Under 12 the objection does not count in Illinois.
            || minor_objects("US-IL", 11),
        ),
        (
            "treatment",
            None,
            || disclosure(ConcernKind::Treatment, |_| {}),
            // Part 2 records without the patient's consent (42 CFR 2.31, 2.33).
            || {
                disclosure(ConcernKind::Treatment, |k| {
                    k.part2_records = Answer::Yes;
                })
            },
        ),
        (
            "business-associate",
            None,
            || {
                disclosure(ConcernKind::BusinessAssociate, |k| {
                    k.agreement = Answer::Yes;
                    k.recipient = Some(ConcernRecipient::BusinessAssociate);
                })
            },
            // No business associate agreement in place.
            || {
                disclosure(ConcernKind::BusinessAssociate, |k| {
                    k.recipient = Some(ConcernRecipient::BusinessAssociate);
                })
            },
        ),
        (
            "medical-emergency",
            None,
            || {
                disclosure(ConcernKind::MedicalEmergency, |k| {
                    k.recipient = Some(ConcernRecipient::MedicalPersonnel);
                })
            },
            // Not a present emergency.
            || {
                disclosure(ConcernKind::MedicalEmergency, |k| {
                    k.imminent = Answer::No;
                    k.recipient = Some(ConcernRecipient::MedicalPersonnel);
                })
            },
        ),
        (
            // N.Y. Mental Hygiene Law 9.46.
            "required-by-law",
            None,
            || required_by_law("US-NY"),
            // Ohio's mandated reports are not researched: nothing is said to be required.
            || required_by_law("US-OH"),
        ),
        (
            // Valid only as a third party's missing authorization; never for the patient.
            "lack-of-consent",
            None,
            || attorney(InstrumentKind::None),
            || access(|_| {}),
        ),
    ]
}

fn minor_objects(state: &str, age: u32) -> Case {
    access(|c| {
        c.jurisdiction = state.into();
        c.patient.age = age;
        req(c).requester.relationship = Relationship::Parent;
        req(c).patient_objects = Answer::Yes;
    })
}

fn disclosure(kind: ConcernKind, f: impl FnOnce(&mut Concern)) -> Case {
    concern(|c| {
        con(c).kind = kind;
        con(c).identifiable_victim = Answer::No;
        con(c).recipient = Some(ConcernRecipient::Provider);
        f(con(c));
    })
}

fn required_by_law(state: &str) -> Case {
    concern(|c| {
        c.jurisdiction = state.into();
        con(c).kind = ConcernKind::RequiredByLaw;
        con(c).imminent = Answer::No;
    })
}

fn danger() -> Case {
    access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    })
}

fn via_rep(rel: Relationship) -> Case {
    access(|c| {
        c.patient.age = 12;
        req(c).requester.relationship = rel;
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::SubstantialHarm;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    })
}

fn minor(state: &str, rel: Relationship) -> Case {
    access(|c| {
        c.jurisdiction = state.into();
        c.patient.age = 15;
        req(c).requester.relationship = rel;
        req(c).records[0].minor_consented_alone = Answer::Yes;
    })
}

fn attorney(kind: InstrumentKind) -> Case {
    access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        let i = &mut req(c).instrument;
        i.kind = kind;
        i.dated = Some(day("2026-03-01"));
        i.expires = Some(Expiry::Date(day("2027-03-01")));
        i.covers_psychotherapy_notes = Answer::Yes;
    })
}

fn subpoena(judge: bool, notified: bool, protective: bool) -> Case {
    access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::Subpoena;
        i.judge_signed = Answer::from(judge);
        i.patient_notified = Answer::from(notified);
        i.protective_order = Answer::from(protective);
    })
}

fn order(scope: &str) -> Case {
    access(|c| {
        req(c).requester.relationship = Relationship::Court;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::CourtOrder;
        i.judge_signed = Answer::Yes;
        i.scope = Some(scope.into());
        req(c).records[0].description = "Outpatient chart".into();
    })
}

fn part2(kind: InstrumentKind) -> Case {
    access(|c| {
        c.entity.part2_program = true;
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = kind;
        req(c).records.push(item("otp", RecordCategory::SudProgram));
    })
}

fn police(kind: InstrumentKind) -> Case {
    access(|c| {
        req(c).requester.relationship = Relationship::LawEnforcement;
        req(c).instrument.kind = kind;
    })
}

/// A sibling of a patient who died in 1970 (more than 50 years before 2026-03-02), or
/// with `involved` one who helped with the care of a patient who died in 2025.
fn deceased_family(involved: bool, objected: bool) -> Case {
    access(|c| {
        c.patient.date_of_death = Some(day(if involved { "2025-10-01" } else { "1970-05-01" }));
        c.patient.objected_to_family_disclosure = Answer::from(objected);
        req(c).requester.relationship = Relationship::Family;
        req(c).requester.involved_in_care = Answer::from(involved);
    })
}

fn related_for(code: &str, valid: bool) -> Related {
    Related {
        abuse_concern_on_file: code == "representative-abuse-concern" && valid,
    }
}

#[test]
fn every_ground_code_valid_and_invalid() {
    let mut failures = Vec::new();
    for (code, rec, valid, invalid) in table() {
        if !holds_with(&valid(), code, rec, related_for(code, true)) {
            failures.push(format!("{code}: should hold in its valid case"));
        }
        if holds_with(&invalid(), code, rec, related_for(code, false)) {
            failures.push(format!("{code}: should not hold in its invalid case"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_table_covers_every_ground_of_the_rulebook() {
    let tested: Vec<&str> = table().iter().map(|t| t.0).collect();
    for g in Rulebook::builtin().grounds() {
        let never =
            g.kind == casebench::rules::GroundKind::NeverValid && g.code != "lack-of-consent";
        assert!(
            never || tested.contains(&g.code.as_str()),
            "ground {} has no valid/invalid test",
            g.code
        );
    }
}

#[test]
fn emotional_distress_and_clia_never_hold() {
    for case in [
        access(|_| {}),
        danger(),
        attorney(InstrumentKind::None),
        concern(|_| {}),
    ] {
        for code in ["emotional-distress", "clia"] {
            assert!(!holds(&case, code, None), "{code}");
            for r in case.records() {
                assert!(!holds(&case, code, Some(&r.id)), "{code} {}", r.id);
            }
        }
    }
}

#[test]
fn representative_abuse_concern_needs_an_abuse_case_on_file() {
    let father = via_rep(Relationship::Parent);
    let mut report = concern(|c| con(c).kind = ConcernKind::ChildAbuse);
    report.patient.reference = father.patient.reference.clone();
    report.received = day("2026-02-27");
    let related = Related::from_cases(&father, [&report]);
    assert!(related.abuse_concern_on_file);
    assert!(holds_with(
        &father,
        "representative-abuse-concern",
        Some("chart"),
        related
    ));
    // Another patient's report does not count; nor does one raised after the request.
    report.patient.reference = "P-other".into();
    assert!(!Related::from_cases(&father, [&report]).abuse_concern_on_file);
    report.patient.reference = father.patient.reference.clone();
    report.received = day("2026-03-20");
    assert!(!Related::from_cases(&father, [&report]).abuse_concern_on_file);
    // The other parent, whose access the harm evaluation finds safe: not this ground.
    let mother = access(|c| {
        c.patient.age = 12;
        req(c).requester.relationship = Relationship::Parent;
    });
    let on_file = Related {
        abuse_concern_on_file: true,
    };
    assert!(!holds_with(
        &mother,
        "representative-abuse-concern",
        Some("chart"),
        on_file
    ));
}

#[test]
fn minor_controls_record_follows_the_state_overlay() {
    // California restricts parental access; the federal default leaves it to judgment
    // (the ground stays available); no overlay says "permitted" in the built-in book.
    assert!(holds(
        &minor("US-CA", Relationship::Parent),
        "minor-controls-record",
        Some("chart")
    ));
    assert!(holds(
        &minor("US-HI", Relationship::Parent),
        "minor-controls-record",
        Some("chart")
    ));
    let mut c = minor("US-CA", Relationship::Parent);
    req(&mut c).records[0].minor_consented_alone = Answer::No;
    assert!(!holds(&c, "minor-controls-record", Some("chart")));
}

#[test]
fn authorization_defects_each_make_it_defective() {
    let cases: Vec<(&str, Case)> = vec![
        ("unsigned", {
            let mut c = attorney(InstrumentKind::Authorization);
            req(&mut c).instrument.signed = Answer::No;
            c
        }),
        ("undated", {
            let mut c = attorney(InstrumentKind::Authorization);
            req(&mut c).instrument.dated = None;
            c
        }),
        ("expired", {
            let mut c = attorney(InstrumentKind::Authorization);
            req(&mut c).instrument.expires = Some(Expiry::Date(day("2026-01-01")));
            c
        }),
        // 164.508(b)(3)(ii): one form for the record and the notes, without a separate
        // authorization for the notes, is compound.
        ("compound: notes joined with the record", {
            let mut c = attorney(InstrumentKind::Authorization);
            req(&mut c).instrument.covers_psychotherapy_notes = Answer::No;
            req(&mut c).instrument.scope = Some("all records including psychotherapy notes".into());
            c
        }),
        ("compound, by its covers list", {
            let mut c = attorney(InstrumentKind::Authorization);
            req(&mut c).instrument.covers_psychotherapy_notes = Answer::No;
            req(&mut c).instrument.covers = Some(vec!["chart".into(), "notes".into()]);
            c
        }),
    ];
    for (what, c) in cases {
        assert!(holds(&c, "authorization-defective", None), "{what}");
        assert!(!holds(&c, "patient-authorization", None), "{what}");
    }
    let mut event = attorney(InstrumentKind::Authorization);
    req(&mut event).instrument.expires = Some(Expiry::Event(ExpiryEvent {
        event: "end of litigation".into(),
    }));
    assert!(holds(&event, "patient-authorization", None));
    // The mirror (RULEBOOK R33): an authorization that does not cover the notes at all is
    // valid; the notes are withheld as not covered, the chart goes.
    for scope in [
        "my whole record",
        "all records excluding psychotherapy notes",
    ] {
        let mut silent = attorney(InstrumentKind::Authorization);
        req(&mut silent).instrument.covers_psychotherapy_notes = Answer::No;
        req(&mut silent).instrument.scope = Some(scope.into());
        assert!(!holds(&silent, "authorization-defective", None), "{scope}");
        assert!(holds(&silent, "patient-authorization", None), "{scope}");
        assert!(
            holds(&silent, "not-covered-by-instrument", Some("notes")),
            "{scope}"
        );
        assert!(
            !holds(&silent, "not-covered-by-instrument", Some("chart")),
            "{scope}"
        );
    }
    // A separate authorization for the notes alone is not compound either.
    let mut notes_only = attorney(InstrumentKind::Authorization);
    req(&mut notes_only).instrument.covers_psychotherapy_notes = Answer::No;
    req(&mut notes_only).instrument.covers = Some(vec!["psychotherapy_notes".into()]);
    req(&mut notes_only).records.remove(0);
    assert!(holds(&notes_only, "patient-authorization", None));
    assert!(!holds(&notes_only, "psychotherapy-notes", Some("notes")));
}

#[test]
fn order_scope_names_items_by_id_description_or_category() {
    let c = order("the outpatient chart only");
    assert!(!holds(&c, "outside-order-scope", Some("chart")));
    assert!(holds(&c, "outside-order-scope", Some("notes")));
    // "All records" does not reach psychotherapy notes: they must be named.
    let all = order("all records");
    assert!(!holds(&all, "outside-order-scope", Some("chart")));
    assert!(holds(&all, "outside-order-scope", Some("notes")));
    let named = order("all records including psychotherapy notes");
    assert!(!holds(&named, "outside-order-scope", Some("notes")));
}

#[test]
fn a_parent_of_an_adult_is_a_third_party() {
    let adult = access(|c| req(c).requester.relationship = Relationship::Parent);
    assert!(!holds(&adult, "right-of-access", None));
    assert!(holds(&adult, "no-valid-authorization", None));
    let minor = access(|c| {
        c.patient.age = 12;
        req(c).requester.relationship = Relationship::Parent;
    });
    assert!(holds(&minor, "right-of-access", None));
    let emancipated = access(|c| {
        c.patient.age = 17;
        c.patient.emancipated = Answer::Yes;
        req(c).requester.relationship = Relationship::Parent;
    });
    assert!(!holds(&emancipated, "right-of-access", None));
}
