//! Issue 22: facts a clerk may not know, and an evaluation of harm still pending. The
//! advisor never reads an unknown as "no": it asks where the answers lead to different
//! decisions, and a decision right for one answer only is an error until the answer is
//! known (mirror checks: an unknown never releases what a "no" would withhold, and never
//! withholds what a "yes" would release).

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::engine::advise;
use casebench::rules::{Finding, Proposal, Related, Rulebook, Severity};
use support::*;

fn errors(fs: &[Finding]) -> Vec<&Finding> {
    fs.iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

fn rec(case: &Case) -> casebench::rules::Recommended {
    advise(Rulebook::builtin(), case, Related::default(), today()).recommended
}

fn as_proposal(r: &casebench::rules::Recommended) -> Proposal {
    r.to_proposal()
}

type Setter = fn(&mut Case, Answer);

/// A case where a fact matters, and how to set it.
fn scenarios() -> Vec<(&'static str, Case, Setter)> {
    let parent_ca = access(|c| {
        c.jurisdiction = "US-CA".into();
        c.patient.age = 15;
        req(c).requester.relationship = Relationship::Parent;
        req(c).records.truncate(1);
        let r = &mut req(c).records[0];
        r.minor_consented_alone = Answer::No;
        r.court_ordered_care = Answer::No;
        r.parent_agreed_confidentiality = Answer::No;
    });
    let subpoena = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).records.truncate(1);
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::Subpoena;
    });
    let authorization = access(|c| {
        req(c).requester.relationship = Relationship::Insurer;
        let i = &mut req(c).instrument;
        i.kind = InstrumentKind::Authorization;
        i.expires = Some(Expiry::Date(day("2027-01-01")));
    });
    let danger = access(|c| {
        let h = c.harm_evaluation.done_mut().unwrap();
        h.at_risk = AtRisk::Patient;
        h.harm_type = HarmType::LifeOrPhysicalSafety;
        h.likelihood = Likelihood::ReasonablyLikely;
        h.records = vec!["chart".into()];
    });
    let guardian = access(|c| {
        req(c).requester.relationship = Relationship::PersonalRepresentative;
        req(c).requester.authority = Some(Authority {
            document: AuthorityDocument::GuardianshipOrder,
            shown: Answer::Yes,
            note: None,
        });
    });
    let inmate = access(|c| {
        c.entity.correctional = true;
        req(c)
            .records
            .push(item("security", RecordCategory::CorrectionalSecurity));
    });
    vec![
        ("kept_separately", access(|_| {}), |c, a| {
            req(c).records[1].kept_separately = a
        }),
        ("minor_consented_alone", parent_ca.clone(), |c, a| {
            req(c).records[0].minor_consented_alone = a
        }),
        ("court_ordered_care", parent_ca.clone(), |c, a| {
            req(c).records[0].court_ordered_care = a
        }),
        ("emancipated", parent_ca, |c, a| c.patient.emancipated = a),
        ("judge_signed", subpoena.clone(), |c, a| {
            req(c).instrument.judge_signed = a
        }),
        ("patient_notified", subpoena.clone(), |c, a| {
            req(c).instrument.patient_notified = a
        }),
        ("protective_order", subpoena, |c, a| {
            req(c).instrument.protective_order = a
        }),
        ("signed", authorization.clone(), |c, a| {
            req(c).instrument.signed = a
        }),
        ("covers_psychotherapy_notes", authorization, |c, a| {
            req(c).instrument.covers_psychotherapy_notes = a
        }),
        ("licensed", danger, |c, a| {
            c.harm_evaluation.done_mut().unwrap().assessed_by.licensed = a
        }),
        ("authority shown", guardian, |c, a| {
            req(c).requester.authority.as_mut().unwrap().shown = a
        }),
        ("incarcerated", inmate, |c, a| c.patient.incarcerated = a),
        ("identifiable_victim", concern(|_| {}), |c, a| {
            con(c).identifiable_victim = a
        }),
        (
            "imminent",
            concern(|c| con(c).means = Answer::No),
            |c, a| con(c).imminent = a,
        ),
    ]
}

fn with(case: &Case, set: Setter, a: Answer) -> Case {
    let mut c = case.clone();
    set(&mut c, a);
    c
}

#[test]
fn every_scenario_turns_on_its_fact() {
    for (name, base, set) in scenarios() {
        let yes = rec(&with(&base, set, Answer::Yes));
        let no = rec(&with(&base, set, Answer::No));
        assert_ne!(yes, no, "{name}: the scenario must turn on the fact");
    }
}

#[test]
fn an_unknown_asks_and_never_assumes() {
    for (name, base, set) in scenarios() {
        let (yes, no, unknown) = (
            with(&base, set, Answer::Yes),
            with(&base, set, Answer::No),
            with(&base, set, Answer::Unknown),
        );
        let (ry, rn) = (rec(&yes), rec(&no));
        let r = rec(&unknown);
        if ry.outcome == rn.outcome && ry.withhold == rn.withhold {
            // The same decision either way: made, on the grounds both answers give.
            assert_eq!(r.outcome, ry.outcome, "{name}");
            assert!(
                r.grounds
                    .iter()
                    .all(|g| ry.grounds.contains(g) && rn.grounds.contains(g)),
                "{name}: {r:?}"
            );
        } else {
            assert_eq!(r.outcome, Outcome::RequestInformation, "{name}: {r:?}");
            assert_eq!(r.grounds, ["facts-unknown"], "{name}");
            assert!(r.withhold.is_empty(), "{name}");
        }
        let a = advise(Rulebook::builtin(), &unknown, Related::default(), today());
        assert!(
            a.findings.iter().any(|f| f.code == "question-open"),
            "{name}: {:#?}",
            a.findings
        );
        assert!(
            a.required_actions.iter().any(|x| x.code == "find-out"),
            "{name}"
        );
        // The recommendation itself is clean for a request: asking releases and
        // withholds nothing. For a threat, asking may itself breach a duty to warn in one
        // world: the advisor says so, as that world's error.
        let errs: Vec<&str> = errors(&a.findings)
            .iter()
            .map(|f| f.code.as_str())
            .collect();
        if unknown.kind == CaseKind::AccessRequest {
            assert!(errs.is_empty(), "{name}: {:#?}", a.findings);
        } else {
            assert!(
                errs.iter().all(|c| *c == "decided-on-unknown"),
                "{name}: {:#?}",
                a.findings
            );
        }
        // Mirror: a decision has an error under the unknown exactly when it has one under
        // either answer (an unknown is never more permissive, nor stricter, than both).
        for p in [as_proposal(&rec(&yes)), as_proposal(&rec(&no))] {
            let in_yes = !errors(&findings(&yes, &p)).is_empty();
            let in_no = !errors(&findings(&no, &p)).is_empty();
            let fs = findings(&unknown, &p);
            assert_eq!(
                !errors(&fs).is_empty(),
                in_yes || in_no,
                "{name}: {p:?}\n{fs:#?}"
            );
            if in_yes != in_no {
                let f = fs
                    .iter()
                    .find(|f| f.code == "decided-on-unknown")
                    .unwrap_or_else(|| panic!("{name}: {fs:#?}"));
                assert_eq!(f.severity, Severity::Error);
                assert!(f.message.contains("is unknown; ask"), "{}", f.message);
            }
        }
    }
}

#[test]
fn an_unknown_that_changes_nothing_is_not_asked_about() {
    // Whether a chart is "kept separately" means nothing: not a question.
    let c = access(|c| req(c).records[0].kept_separately = Answer::Unknown);
    let a = advise(Rulebook::builtin(), &c, Related::default(), today());
    assert_eq!(a.recommended.outcome, Outcome::ReleasePartial);
    assert!(!a.findings.iter().any(|f| f.code == "question-open"));
    // A parent's request turns on the minor facts; the patient's own does not.
    let own = access(|c| req(c).records[0].minor_consented_alone = Answer::Unknown);
    assert_eq!(rec(&own), rec(&access(|_| {})));
}

#[test]
fn kept_separately_left_out_is_asked_not_released() {
    // The issue's example: a missing `kept_separately` used to read as "no", and the
    // advisor released the psychotherapy notes. Now it asks the therapist.
    let src = r#"
id: T-NOTES
title: notes without kept_separately
kind: access_request
received: 2026-03-02
jurisdiction: US-OH
patient: { ref: P-1, age: 34 }
request:
  requester: { name: The patient, relationship: self, identity_verified: true }
  instrument: { type: written_request, signed: true }
  records:
    - { id: chart, description: Outpatient chart, category: chart }
    - { id: notes, description: Process notes, category: psychotherapy_notes }
harm_evaluation:
  assessed_by: { name: Dr. A, credential: MD, licensed: true, treating: true }
  assessed_on: 2026-03-05
  at_risk: none
  harm_type: none
  likelihood: remote
  imminence: none
"#;
    let c: Case = casebench::yaml::from_str(src).unwrap();
    assert_eq!(c.records()[1].kept_separately, Answer::Unknown);
    let a = advise(Rulebook::builtin(), &c, Related::default(), today());
    assert_eq!(a.recommended.grounds, ["facts-unknown"]);
    let q = a
        .findings
        .iter()
        .find(|f| f.code == "question-open")
        .unwrap();
    assert!(q.message.contains("ask the therapist"), "{}", q.message);
    assert!(
        q.message.contains("If yes, the advisor would recommend release_partial (withhold notes: psychotherapy-notes); if no, release_full"),
        "{}",
        q.message
    );
    let release = findings(
        &c,
        &proposal(Outcome::ReleaseFull, &["right-of-access"], &[]),
    );
    assert!(
        release.iter().any(|f| f.code == "decided-on-unknown"),
        "{release:#?}"
    );
}

fn pending(case: &mut Case) {
    case.harm_evaluation = HarmEvaluation::Pending(PendingEvaluation {
        assigned_to: "Dr. A. Rivera (MD)".into(),
        assigned_on: Some(day("2026-03-03")),
        summary: String::new(),
    });
}

#[test]
fn a_pending_evaluation_is_never_a_finding() {
    // The patient's own chart: with no evaluation yet, the advisor neither releases
    // (the clinician may find danger) nor withholds (nobody has).
    let c = access(|c| {
        pending(c);
        req(c).records.truncate(1);
    });
    let a = advise(Rulebook::builtin(), &c, Related::default(), today());
    assert_eq!(a.recommended.outcome, Outcome::RequestInformation);
    assert_eq!(a.recommended.grounds, ["facts-unknown"]);
    let f = a
        .findings
        .iter()
        .find(|f| f.code == "evaluation-pending")
        .unwrap();
    for words in [
        "who is at risk",
        "type of harm",
        "likelihood",
        "imminence",
        "licensed health care professional",
        "Dr. A. Rivera (MD)",
    ] {
        assert!(f.message.contains(words), "{words}: {}", f.message);
    }
    assert!(
        a.required_actions
            .iter()
            .any(|x| x.code == "obtain-evaluation")
    );
    // No reviewable ground rests on it, in any world: withholding on danger-to-life is
    // an error, whatever the evaluation will say.
    for code in ["danger-to-life", "harm-via-representative"] {
        assert!(!holds(&c, code, Some("chart")), "{code}");
        let fs = findings(&c, &proposal(Outcome::Deny, &[code], &[("chart", code)]));
        assert!(!errors(&fs).is_empty(), "{code}: {fs:#?}");
        assert!(
            fs.iter().any(|f| f.code == "harm-not-licensed"
                && f.message.contains("pending")
                && f.severity == Severity::Error),
            "{code}: {fs:#?}"
        );
    }
    // Releasing is lawful whatever the evaluation finds (a reviewable ground only
    // permits a denial): warnings, no error.
    let fs = findings(
        &c,
        &proposal(Outcome::ReleaseFull, &["right-of-access"], &[]),
    );
    assert!(errors(&fs).is_empty(), "{fs:#?}");
    assert!(fs.iter().any(|f| f.code == "evaluation-pending"), "{fs:#?}");
    assert!(
        fs.iter().any(|f| f.code == "outcome-not-recommended"),
        "{fs:#?}"
    );
}

#[test]
fn a_pending_evaluation_changes_nothing_where_the_answer_does_not_rest_on_it() {
    // A third party without authorization: ask for one, whatever the clinician says.
    let c = access(|c| {
        pending(c);
        req(c).requester.relationship = Relationship::Employer;
    });
    let a = advise(Rulebook::builtin(), &c, Related::default(), today());
    assert_eq!(a.recommended.grounds, ["no-valid-authorization"]);
    assert!(a.findings.iter().any(|f| f.code == "evaluation-pending"));
    assert!(!a.findings.iter().any(|f| f.code == "question-open"));
}

#[test]
fn a_threat_is_decided_on_its_own_facts_while_the_evaluation_is_pending() {
    // 164.512(j) turns on the threat as stated (serious, imminent), not on the
    // evaluation: a pending one holds nothing up, and is still said.
    let done = concern(|_| {});
    let c = concern(pending);
    let a = advise(Rulebook::builtin(), &c, Related::default(), today());
    assert_eq!(a.recommended, rec(&done));
    assert_eq!(a.recommended.outcome, Outcome::WarnAndProtect);
    assert!(a.findings.iter().any(|f| f.code == "evaluation-pending"));
    // An unknown about the threat itself is asked about, and while it is, keeping
    // confidentiality is an error in the world where the duty holds.
    let c = concern(|c| {
        pending(c);
        con(c).means = Answer::No;
        con(c).imminent = Answer::Unknown;
    });
    let keep = findings(&c, &proposal(Outcome::MaintainConfidentiality, &[], &[]));
    let f = keep
        .iter()
        .find(|f| f.code == "decided-on-unknown")
        .unwrap_or_else(|| panic!("{keep:#?}"));
    assert!(
        f.message.contains("concern.imminent is unknown"),
        "{}",
        f.message
    );
}

#[test]
fn identity_unknown_is_not_verified() {
    let c = access(|c| req(c).requester.identity_verified = Answer::Unknown);
    assert_eq!(rec(&c).grounds, ["incomplete-request"]);
}
