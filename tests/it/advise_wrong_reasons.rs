//! The "wrong reasons" the source articles give, each caught with its citation: consent
//! demanded for a patient's own request, emotional distress as danger, CLIA, a plain
//! subpoena, denying the whole file for one qualifying part, an extension sent on day 34.

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{ReviewerFacts, Severity};
use support::*;

use Outcome::*;

fn partial_notes() -> casebench::rules::Proposal {
    proposal(
        ReleasePartial,
        &["right-of-access", "psychotherapy-notes"],
        &[("notes", "psychotherapy-notes")],
    )
}

// ---- wrong reasons ----------------------------------------------------------------

#[test]
fn wrong_reason_consent_demanded_for_own_request() {
    let c = access(|_| {});
    let fs = findings(&c, &proposal(Deny, &["lack-of-consent"], &[]));
    let f = get(&fs, "invalid-ground");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("lack-of-consent"), "{}", f.message);
    assert!(f.citation.contains("164.524"), "{}", f.citation);
    assert!(has(&fs, "information-blocking-risk"));
}

#[test]
fn wrong_reason_emotional_distress_as_danger() {
    let c = access(|c| {
        c.harm_evaluation.done_mut().unwrap().harm_type = HarmType::EmotionalDistress;
        c.harm_evaluation.done_mut().unwrap().at_risk = AtRisk::Patient;
        c.harm_evaluation.done_mut().unwrap().likelihood = Likelihood::NearCertain;
        c.harm_evaluation.done_mut().unwrap().records = vec!["chart".into()];
    });
    for p in [
        proposal(
            ReleasePartial,
            &["right-of-access", "emotional-distress"],
            &[("chart", "emotional-distress")],
        ),
        proposal(
            ReleasePartial,
            &["right-of-access", "danger-to-life"],
            &[("chart", "danger-to-life")],
        ),
    ] {
        let fs = findings(&c, &p);
        let f = get(&fs, "invalid-ground");
        assert!(f.citation.contains("164.524(a)(3)(i)"), "{}", f.citation);
        assert!(has(&fs, "information-blocking-risk"), "{fs:#?}");
    }
}

#[test]
fn wrong_reason_clia() {
    let c = access(|c| req(c).records.push(item("labs", RecordCategory::Lab)));
    let fs = findings(
        &c,
        &proposal(
            ReleasePartial,
            &["right-of-access", "clia"],
            &[("labs", "clia")],
        ),
    );
    let f = get(&fs, "invalid-ground");
    assert!(f.message.contains("clia"));
    assert!(f.citation.contains("2014"), "{}", f.citation);
}

#[test]
fn wrong_reason_plain_subpoena_treated_as_order() {
    let c = access(|c| {
        req(c).requester.relationship = Relationship::Attorney;
        req(c).instrument.kind = InstrumentKind::Subpoena;
    });
    let fs = findings(&c, &proposal(ReleaseFull, &["court-order"], &[]));
    let f = get(&fs, "invalid-ground");
    assert!(
        f.message.contains("court-order") && f.message.contains("subpoena"),
        "{}",
        f.message
    );
    assert!(f.citation.contains("164.512(e)(1)(i)"));
    // And a subpoena "with assurance" that has none.
    let fs = findings(
        &c,
        &proposal(ReleaseFull, &["subpoena-with-assurance"], &[]),
    );
    assert!(
        get(&fs, "invalid-ground")
            .citation
            .contains("164.512(e)(1)(ii)")
    );
}

#[test]
fn wrong_reason_whole_file_denied_for_one_qualifying_part() {
    let c = access(|_| {});
    let fs = findings(&c, &proposal(Deny, &["psychotherapy-notes"], &[]));
    let f = get(&fs, "whole-record-denial");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.citation.contains("164.524(d)(1)"));
    assert!(f.message.contains("chart"), "{}", f.message);
}

#[test]
fn wrong_reason_extension_sent_on_day_34() {
    // Received 03-02; day 30 = 04-01; the notice went out on 04-05 (day 34).
    let c = access(|c| {
        req(c).extension = Some(Extension {
            notice_sent: day("2026-04-05"),
            new_due: day("2026-05-01"),
            reason: Some("archived".into()),
        })
    });
    let fs = findings_as(
        &c,
        &partial_notes(),
        &ReviewerFacts::default(),
        day("2026-04-10"),
    );
    let f = get(&fs, "extension-invalid");
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.contains("day 34"), "{}", f.message);
    assert!(f.citation.contains("164.524(b)(2)"));
    assert!(has(&fs, "deadline-missed"));
}
