use super::*;
use crate::record::log::Index;
use chrono::{DateTime, Utc};

fn rec(seq: u64, kind: RecordType, who: &str, outcome: &str) -> Record {
    Record {
        record: crate::record::model::RECORD_TAG.into(),
        seq,
        prev: "none".into(),
        case: "AR-1".into(),
        case_sha256: "0".repeat(64),
        case_prev: "none".into(),
        kind,
        reviews: None,
        countersigns: None,
        reviewer: who.into(),
        key: "SHA256:x".into(),
        policy: format!("sha256:{}", "0".repeat(64)),
        time: DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap(),
        outcome: outcome.into(),
        grounds: vec![],
        records: vec![],
        disclosures: vec![],
        notice: Default::default(),
        deadline: crate::record::model::DeadlineInfo {
            due: None,
            decided_on_time: true,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![],
        rationale: "x\n".into(),
    }
}

fn history(recs: &[&Record]) -> CaseHistory {
    let mut ix = Index::empty();
    for r in recs {
        ix.add(r, format!("sha256:{:064x}", r.seq));
    }
    ix.cases.remove("AR-1").unwrap_or_default()
}

fn none(_: u64) -> Option<Target> {
    None
}

#[test]
fn a_second_decision_breaks_the_first_rule() {
    let d1 = rec(1, RecordType::Decision, "a", "deny");
    let d2 = rec(2, RecordType::Decision, "b", "release_full");
    let people = Reviewers::default();
    assert!(check(&d1, &history(&[]), &people, &none).is_ok());
    let e = check(&d2, &history(&[&d1]), &people, &none).unwrap_err();
    assert!(matches!(e, Broken::AlreadyDecided { seq: 1, .. }), "{e}");
}

#[test]
fn a_countersignature_needs_an_existing_proposal_unchanged() {
    let p = rec(1, RecordType::Practice, "t", "deny");
    let h = history(&[&p]);
    let people = Reviewers::default();
    let target = |s: u64| (s == 1).then(|| Target::of(&p));
    let mut c = rec(2, RecordType::Countersign, "a", "deny");
    c.countersigns = Some(1);
    assert!(check(&c, &h, &people, &target).is_ok());
    c.countersigns = Some(7);
    assert!(matches!(
        check(&c, &h, &people, &target),
        Err(Broken::NoSuchProposal { seq: 7, .. })
    ));
    c.countersigns = Some(1);
    c.outcome = "release_full".into();
    assert!(matches!(
        check(&c, &h, &people, &target),
        Err(Broken::ProposalChanged { .. })
    ));
    c.outcome = "deny".into();
    c.reviewer = "t".into();
    assert!(matches!(
        check(&c, &h, &people, &target),
        Err(Broken::OwnProposal { .. })
    ));
    // Once settled, the proposal cannot be countersigned again.
    let mut ok = rec(2, RecordType::Countersign, "a", "deny");
    ok.countersigns = Some(1);
    let mut again = rec(3, RecordType::Countersign, "b", "deny");
    again.countersigns = Some(1);
    let e = check(&again, &history(&[&p, &ok]), &people, &target).unwrap_err();
    assert!(matches!(e, Broken::AlreadyDecided { .. }), "{e}");
}

#[test]
fn a_trainee_does_not_sign_decisions() {
    let people: Reviewers = crate::yaml::from_str(
        "reviewers:\n  - { principal: t, name: T, role: trainee }\n  - { principal: a, name: A, role: supervisor }\n",
    )
    .unwrap();
    let d = rec(1, RecordType::Decision, "t", "deny");
    let e = check(&d, &history(&[]), &people, &none).unwrap_err();
    assert!(e.to_string().contains("trainee"), "{e}");
    let p = rec(1, RecordType::Practice, "a", "deny");
    assert!(check(&p, &history(&[]), &people, &none).is_err());
}

#[test]
fn a_review_reviews_the_denial_in_force_once() {
    let d = rec(1, RecordType::Decision, "a", "deny");
    let people = Reviewers::default();
    let mut r = rec(2, RecordType::Review, "b", "release_full");
    r.reviews = Some(1);
    assert!(check(&r, &history(&[&d]), &people, &none).is_ok());
    // Who may review is the rules' (crate::rules::review), not the log's.
    r.reviewer = "a".into();
    assert!(check(&r, &history(&[&d]), &people, &none).is_ok());
    r.reviewer = "b".into();
    r.reviews = Some(9);
    assert!(matches!(
        check(&r, &history(&[&d]), &people, &none),
        Err(Broken::PointsElsewhere { .. })
    ));
    let full = rec(1, RecordType::Decision, "a", "release_full");
    r.reviews = Some(1);
    assert!(matches!(
        check(&r, &history(&[&full]), &people, &none),
        Err(Broken::NotADenial { .. })
    ));
}
