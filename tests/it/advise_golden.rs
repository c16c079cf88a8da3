//! Golden test: the advisor's recommendation (outcome, grounds as a set, withhold map)
//! equals every `practice.reference` — RULEBOOK's worked examples (fixtures here) and
//! every sample case in `cases/`. A mismatch lists every disagreeing case at once.

use std::collections::BTreeSet;
use std::path::Path;

use casebench::case::LoadOptions;

use casebench::rules::{CaseSet, load_dir};
use casebench::rules::{Related, Rulebook, advise};
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn load(dir: &Path) -> CaseSet {
    let set = load_dir(dir, &LoadOptions::new(day("2026-12-31")), &|_, _| {}).unwrap();
    let bad: Vec<String> = set
        .invalid
        .iter()
        .flat_map(|i| i.problems.iter().map(|p| p.headline()))
        .collect();
    assert!(
        bad.is_empty(),
        "invalid case files in {}: {bad:#?}",
        dir.display()
    );
    set
}

/// Compares each reference with the advisor; returns the mismatches and the count checked.
fn mismatches(set: &CaseSet) -> (Vec<String>, usize) {
    let rb = Rulebook::for_case_dir(&set.dir).unwrap();
    let mut out = Vec::new();
    let mut checked = 0;
    for lc in &set.cases {
        let Some(practice) = &lc.case.practice else {
            continue;
        };
        checked += 1;
        let reference = &practice.reference;
        let related = Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
        let a = advise(&rb, &lc.case, related, day("2026-12-31"));
        let got = &a.recommended;
        let want_grounds: BTreeSet<&str> = reference.grounds.iter().map(String::as_str).collect();
        let got_grounds: BTreeSet<&str> = got.grounds.iter().map(String::as_str).collect();
        if got.outcome != reference.outcome
            || got_grounds != want_grounds
            || got.withhold != reference.withhold
        {
            out.push(format!(
                "{}: reference {} {:?} {:?}\n{}  advisor   {} {:?} {:?}",
                lc.case.id,
                reference.outcome,
                want_grounds,
                reference.withhold,
                " ".repeat(lc.case.id.len()),
                got.outcome,
                got_grounds,
                got.withhold
            ));
        }
    }
    (out, checked)
}

#[test]
fn rulebook_worked_examples_match_the_advisor() {
    let set = load(Path::new("tests/fixtures/advisor/cases"));
    let (bad, checked) = mismatches(&set);
    assert!(checked >= 9, "only {checked} worked examples found");
    assert!(
        bad.is_empty(),
        "worked examples that disagree:\n{}",
        bad.join("\n")
    );
}

/// Issue 21's worked fixtures whose own facts draw error findings (a fee quoted, a form
/// offered): the reference decision still matches; the findings are checked in
/// advise_disclosures_access.rs.
#[test]
fn access_facts_fixtures_match_the_advisor() {
    let set = load(Path::new("tests/fixtures/advisor/access-facts"));
    let (bad, checked) = mismatches(&set);
    assert!(checked >= 7, "only {checked} fixtures found");
    assert!(
        bad.is_empty(),
        "fixtures that disagree:\n{}",
        bad.join("\n")
    );
}

#[test]
fn sample_cases_match_the_advisor() {
    let set = load(crate::support::common::sample_library());
    let (bad, checked) = mismatches(&set);
    eprintln!("{checked} sample references checked");
    assert!(
        bad.is_empty(),
        "{} of {checked} sample references disagree with the advisor:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Never-valid codes never appear in a recommendation, and no sample case's
/// recommendation draws its own error: run through the same gate `decide` applies
/// (`rules::gate` with no override), each one would be signed.
#[test]
fn recommendations_are_clean() {
    let mut dirs = vec![Path::new("tests/fixtures/advisor/cases")];
    dirs.push(crate::support::common::sample_library());
    let mut checked = 0;
    for dir in dirs {
        let set = load(dir);
        let rb = &set.rules;
        for lc in &set.cases {
            let related = Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
            let a = advise(rb, &lc.case, related, day("2026-12-31"));
            for g in &a.recommended.grounds {
                let rule = rb.ground(g).unwrap();
                assert_ne!(
                    rule.kind,
                    casebench::rules::GroundKind::NeverValid,
                    "{}",
                    lc.case.id
                );
            }
            // The findings on the recommendation, and again through `check` as a
            // proposal (what `decide` does), pass the gate.
            let proposal = a.recommended.to_proposal();
            let again = casebench::rules::check(
                rb,
                &lc.case,
                related,
                &proposal,
                &Default::default(),
                day("2026-12-31"),
            );
            // An extension that does not count is a fact of the case (AR-2026-0117's
            // notice went out on day 34), not of the recommendation: every decision on
            // that case overrides it with a reason, the recommendation included.
            let fact: Vec<(String, String)> = a
                .deadline
                .extension_problem
                .map(|_| ("extension-invalid".into(), "a fact of the case".into()))
                .into_iter()
                .collect();
            for fs in [&a.findings, &again] {
                if let Err(open) = casebench::rules::gate(fs, &fact) {
                    panic!("{}: the recommendation draws errors: {open:#?}", lc.case.id);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "{checked}");
}
