//! `outcome-not-recommended`: a decision that departs from the advisor's recommendation
//! gets a warning naming the recommendation, with the citation of the rule behind it.

use crate::support::advisor as support;

use casebench::case::model::*;
use casebench::rules::{Rulebook, Severity, advise};
use support::*;

use Outcome::*;

#[test]
fn keeping_confidence_against_a_recommended_warning_is_a_warning_finding() {
    // California: the state duty to warn holds; the advisor recommends warn_and_protect.
    let ca = concern(|c| {
        c.jurisdiction = "US-CA".into();
        con(c).imminent = Answer::No;
    });
    let a = advise(Rulebook::builtin(), &ca, Default::default(), today());
    assert_eq!(a.recommended.outcome, WarnAndProtect);
    let fs = findings(&ca, &proposal(MaintainConfidentiality, &[], &[]));
    let f = get(&fs, "outcome-not-recommended");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("`warn_and_protect`"), "{}", f.message);
    assert!(
        f.message.contains("`maintain_confidentiality`"),
        "{}",
        f.message
    );
    // The citation is the recommended ground's own, not a generic one.
    let duty = Rulebook::builtin().ground("state-duty-to-warn").unwrap();
    assert_eq!(f.citation, duty.citation);
}

#[test]
fn the_recommended_outcome_has_no_such_finding() {
    let ca = concern(|c| {
        c.jurisdiction = "US-CA".into();
        con(c).imminent = Answer::No;
    });
    let fs = findings(&ca, &proposal(WarnAndProtect, &["state-duty-to-warn"], &[]));
    assert!(!has(&fs, "outcome-not-recommended"), "{:?}", codes(&fs));
}

#[test]
fn without_recommended_grounds_the_rulebook_citation_is_given() {
    // Without means or imminence the advisor keeps confidentiality (no grounds).
    let vague = concern(|c| {
        c.jurisdiction = "US-CA".into();
        con(c).imminent = Answer::No;
        con(c).means = Answer::No;
    });
    let fs = findings(&vague, &proposal(Report, &[], &[]));
    let f = get(&fs, "outcome-not-recommended");
    let rule = Rulebook::builtin()
        .finding("outcome-not-recommended")
        .unwrap();
    assert_eq!(f.citation, rule.citation);
}

#[test]
fn the_sample_case_dc_2026_0016_warns_on_maintain_confidentiality() {
    let dir = crate::support::common::sample_library().to_path_buf();
    let on = day("2026-11-23");
    let set = casebench::rules::load_dir(&dir, &casebench::case::LoadOptions::new(on), &|_, _| {})
        .unwrap();
    let c = &set.get("DC-2026-0016").unwrap().case;
    let who = casebench::rules::ReviewerFacts::default();
    let fs = findings_as(c, &proposal(MaintainConfidentiality, &[], &[]), &who, on);
    assert!(has(&fs, "outcome-not-recommended"), "{:?}", codes(&fs));
}
