use super::*;
use crate::decision::draft::DraftRecord;

fn case() -> Case {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/records/cases/AR-2026-0201.yaml"
    ))
    .unwrap();
    crate::yaml::from_str(&src).unwrap()
}

fn proposal(outcome: Outcome, grounds: &[&str], withhold: &[(&str, &str)]) -> Proposal {
    Proposal {
        kind: RecordType::Decision,
        judged: rules::Proposal {
            outcome,
            grounds: grounds.iter().map(|g| g.to_string()).collect(),
            withhold: withhold_map(withhold.iter().map(|(r, g)| (*r, *g))),
            notice: None,
        },
        disclosures: None,
        rationale: "why".into(),
        overrides: vec![],
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn unsigned(p: &Proposal, on: &str) -> Result<Unsigned, String> {
    p.unsigned(
        &case(),
        Rulebook::builtin(),
        "a@x",
        true,
        Days::same(day(on)),
    )
}

#[test]
fn partial_release_withholds_named_items_and_sets_notice() {
    use Outcome::*;
    let p = proposal(
        ReleasePartial,
        &["right-of-access"],
        &[("notes", "danger-to-life")],
    );
    let d = unsigned(&p, "2026-03-20").unwrap();
    assert_eq!(d.records[0].action, Action::Release);
    assert_eq!(d.records[1].action, Action::Withhold);
    assert_eq!(d.records[1].grounds, vec!["danger-to-life".to_string()]);
    // Review rights come from the rulebook (`review: reviewable`), not from a list.
    assert!(d.notice.basis && d.notice.review_rights && d.notice.complaint_routes);
    assert_eq!(d.deadline.due, Some(day("2026-04-01")));
    assert!(d.deadline.decided_on_time);
    assert!(!unsigned(&p, "2026-04-02").unwrap().deadline.decided_on_time);
    // Without a privacy contact the notice cannot give the complaint routes.
    let d = p
        .unsigned(
            &case(),
            Rulebook::builtin(),
            "a@x",
            false,
            Days::same(day("2026-03-20")),
        )
        .unwrap();
    assert!(d.notice.basis && !d.notice.complaint_routes);
}

#[test]
fn an_item_keeps_every_ground_it_is_withheld_on() {
    let p = proposal(
        Outcome::ReleasePartial,
        &["right-of-access"],
        &[
            ("notes", "danger-to-life"),
            ("notes", "psychotherapy-notes"),
        ],
    );
    let d = unsigned(&p, "2026-03-20").unwrap();
    assert_eq!(
        d.records[1].grounds,
        vec![
            "danger-to-life".to_string(),
            "psychotherapy-notes".to_string()
        ]
    );
    assert_eq!(p.judged.withhold["notes"].len(), 2);
}

#[test]
fn deny_withholds_everything_on_the_decision_grounds() {
    let p = proposal(Outcome::Deny, &["psychotherapy-notes"], &[]);
    let d = unsigned(&p, "2026-03-20").unwrap();
    assert!(d.records.iter().all(|r| r.action == Action::Withhold));
    assert!(d.notice.basis && !d.notice.review_rights);
    let e = unsigned(&proposal(Outcome::Deny, &[], &[]), "2026-03-20");
    assert!(e.unwrap_err().contains("give the ground"));
}

#[test]
fn refuses_inconsistent_proposals() {
    use Outcome::*;
    let err = |p: Proposal| unsigned(&p, "2026-03-20").unwrap_err();
    assert!(err(proposal(ReleaseFull, &[], &[("notes", "x")])).contains("release_partial"));
    assert!(err(proposal(ReleasePartial, &[], &[])).contains("withholds others"));
    assert!(err(proposal(Deny, &[], &[("nope", "x")])).contains("no record item `nope`"));
    assert!(err(proposal(Deny, &["Bad Code"], &[])).contains("not a ground code"));
    let mut p = proposal(ReleaseFull, &[], &[]);
    p.rationale = "  ".into();
    assert!(err(p).contains("rationale"));
    let mut p = proposal(ReleaseFull, &[], &[]);
    p.overrides = vec![OverriddenFinding {
        code: "x".into(),
        justification: " ".into(),
    }];
    assert!(err(p).contains("justification"));
}

fn draft(outcome: Outcome) -> Draft {
    Draft {
        case: "X".into(),
        outcome: Some(outcome),
        records: vec![
            DraftRecord {
                id: "a".into(),
                withhold: true,
                grounds: "psychotherapy-notes, other".into(),
            },
            DraftRecord {
                id: "b".into(),
                withhold: false,
                grounds: String::new(),
            },
        ],
        ..Draft::default()
    }
}

#[test]
fn the_form_s_items_withheld_follow_the_outcome_with_every_code_typed() {
    let w = |o| {
        Proposal::from_draft(&draft(o), RecordType::Decision)
            .map(|p| p.judged.withhold)
            .unwrap_or_default()
    };
    let a = withhold_map([("a", "psychotherapy-notes"), ("a", "other")]);
    assert_eq!(w(Outcome::ReleasePartial), a);
    assert_eq!(w(Outcome::Deny), a);
    assert!(w(Outcome::ReleaseFull).is_empty());
    assert!(w(Outcome::RequestInformation).is_empty());
    assert!(Proposal::from_draft(&Draft::default(), RecordType::Decision).is_err());
}

fn sample(id: &str) -> Case {
    let path = format!("{}/cases/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
    crate::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn court_ordered_release() -> Proposal {
    let mut p = proposal(
        Outcome::ReleasePartial,
        &["court-order"],
        &[
            ("inpatient_notes", "court-order"),
            ("outpatient_chart", "court-order"),
        ],
    );
    p.rationale = "only what the order names".into();
    p
}

#[test]
fn an_accountable_release_carries_the_entry_the_case_gives_dated_the_signing_day() {
    let days = Days {
        deadline: day("2026-11-23"),
        signing: day("2026-12-07"),
    };
    let u = court_ordered_release()
        .unsigned(
            &sample("AR-2026-0127"),
            Rulebook::builtin(),
            "a@x",
            true,
            days,
        )
        .unwrap();
    assert_eq!(u.disclosures.len(), 1);
    let d = &u.disclosures[0];
    assert_eq!(d.date, day("2026-12-07"));
    assert!(d.recipient.starts_with("L. Okafor-Benn"));
    assert!(d.description.starts_with("Discharge summary"));
    assert!(d.purpose.contains("court order dated 2026-10-29"));
}

#[test]
fn an_accountable_release_without_an_entry_is_refused() {
    let rb = Rulebook::builtin();
    let problem = |p: &Proposal| {
        let u = p
            .unsigned(
                &sample("AR-2026-0127"),
                rb,
                "a@x",
                true,
                Days::same(day("2026-11-23")),
            )
            .unwrap();
        p.accounting_problem(rb, &u)
    };
    let mut p = court_ordered_release();
    assert_eq!(problem(&p), None, "the entry the case gives");
    p.disclosures = Some(vec![]);
    let e = problem(&p).unwrap();
    assert!(e.contains("accountable disclosure (45 CFR 164.528)"), "{e}");
    p.disclosures = Some(vec![Entry {
        recipient: "Court".into(),
        ..Entry::default()
    }]);
    assert!(problem(&p).unwrap().contains("all four parts"));
    // Not accountable: no entry needed.
    let mut own = proposal(Outcome::ReleaseFull, &["right-of-access"], &[]);
    own.disclosures = Some(vec![]);
    let u = own
        .unsigned(&case(), rb, "a@x", true, Days::same(day("2026-03-20")))
        .unwrap();
    assert_eq!(own.accounting_problem(rb, &u), None);
}
