//! The bundled sample library in `cases/` is valid and covers what the rulebook needs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use casebench::case::{CaseKind, LoadOptions, load_dir};

fn sample() -> casebench::case::CaseSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    load_dir(&dir, &LoadOptions::new(today), &|_, _| {}).unwrap()
}

#[test]
fn check_passes_on_the_sample_library() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let out = common::casebench(&dir, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stdout(&out));
}

#[test]
fn sample_library_is_broad_enough() {
    let set = sample();
    assert!(set.invalid.is_empty(), "{:?}", set.invalid);
    assert!(set.cases.len() >= 16, "only {} cases", set.cases.len());
    let kinds: BTreeSet<_> = set.cases.iter().map(|c| c.case.kind.as_str()).collect();
    assert_eq!(kinds.len(), 2);
    let states: BTreeSet<_> = set
        .cases
        .iter()
        .map(|c| c.case.jurisdiction.as_str())
        .collect();
    for s in ["US-CA", "US-TX", "US-NY", "US-MA"] {
        assert!(states.contains(s), "no case in {s}: {states:?}");
    }
    let practice = set
        .cases
        .iter()
        .filter(|c| c.case.practice.is_some())
        .count();
    assert!(practice >= 5, "only {practice} practice cases");
    assert!(
        set.cases.iter().any(|c| c.case.patient.age < 18),
        "no minor"
    );
    assert!(
        set.cases.iter().any(|c| c.case.entity.part2_program),
        "no Part 2 program"
    );
    assert!(
        set.cases
            .iter()
            .any(|c| c.case.entity.correctional && c.case.patient.incarcerated),
        "no inmate"
    );
    let access = set
        .cases
        .iter()
        .filter(|c| c.case.kind == CaseKind::AccessRequest)
        .count();
    assert!(access >= 8, "only {access} access requests");
}
