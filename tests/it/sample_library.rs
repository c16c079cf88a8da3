//! The bundled sample library in `cases/` is valid and covers what the rulebook needs.

use crate::support::common;

use std::collections::BTreeSet;

use casebench::case::{CaseKind, LoadOptions};

use casebench::rules::load_dir;

fn sample() -> casebench::rules::CaseSet {
    let dir = crate::support::common::sample_library().to_path_buf();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    load_dir(&dir, &LoadOptions::new(today), &|_, _| {}).unwrap()
}

#[test]
fn check_passes_on_the_sample_library() {
    let dir = crate::support::common::sample_library().to_path_buf();
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
            .any(|c| c.case.entity.correctional && c.case.patient.incarcerated.is_yes()),
        "no inmate"
    );
    let access = set
        .cases
        .iter()
        .filter(|c| c.case.kind == CaseKind::AccessRequest)
        .count();
    assert!(access >= 8, "only {access} access requests");
}

/// The bundled library's own day (`as_of` in cases/casebench.yaml).
fn as_of() -> chrono::NaiveDate {
    let dir = crate::support::common::sample_library().to_path_buf();
    casebench::case::settings::load_settings(&dir)
        .unwrap()
        .unwrap()
        .as_of
        .expect("the sample library states its day")
}

/// Issue 16: a new user's first queue looks like a clinic's on a working day. At `as_of`
/// the samples are recent, most cases have days left, a few are overdue by a few days (so
/// the marker is seen) and none by weeks or months (the samples are dated for this day;
/// docs/CASE-FORMAT.md, "A sample or training library's day").
#[test]
fn the_sample_queue_looks_current_at_its_as_of() {
    use casebench::rules::deadline::{Status, for_case};
    let day = as_of();
    let set = sample();
    let mut overdue = Vec::new();
    let (mut with_clock, mut days_left) = (0, 0);
    for lc in &set.cases {
        let c = &lc.case;
        let age = (day - c.received).num_days();
        // An extension can keep a request open past 30 days; nothing sits for a season.
        assert!(
            (0..=60).contains(&age),
            "{} received {} ({age} days before {day})",
            c.id,
            c.received
        );
        let dl = for_case(c, &set.rules, day);
        let Some(left) = dl.days_left else { continue };
        with_clock += 1;
        if dl.status == Status::Overdue {
            assert!(left >= -10, "{} is {} days overdue at {day}", c.id, -left);
            overdue.push(c.id.clone());
        } else {
            days_left += 1;
        }
    }
    assert!(
        (2..=4).contains(&overdue.len()),
        "overdue at {day}: {overdue:?}"
    );
    assert!(
        days_left * 4 >= with_clock * 3,
        "only {days_left} of {with_clock} cases with a clock have days left"
    );
}
