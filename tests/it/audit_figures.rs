//! The library the workbench's audit view calls: filters and chart figures, over a log
//! signed through the record library at fixed times (so days-to-decision and months
//! are exact and never depend on the clock).

use crate::support::audit as audit_support;

use audit_support::*;
use casebench::audit::summary::{AsOf, summarize};
use casebench::audit::{AuditReport, Filter, Verification};
use casebench::case::LoadOptions;
use casebench::decision::proposal::{Proposal, withhold_map};
use casebench::record::model::{OverriddenFinding, RecordType};
use casebench::record::{Log, Signer};
use chrono::{DateTime, NaiveDate, Utc};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{s}T12:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

/// Signs one decision for `case` as `who` on `date` (deadline computed as of that day).
fn sign(
    env: &Env,
    who: &str,
    case: &str,
    date: &str,
    outcome: &str,
    withhold: &[(&str, &str)],
    overrides: &[(&str, &str)],
) {
    let dir = casebench::store::safe_open::SafeDir::open(&env.cases).unwrap();
    let lc = casebench::case::load::load_one(
        &dir,
        &format!("{case}.yaml"),
        &LoadOptions::new(day(date)),
    )
    .unwrap();
    let p = Proposal {
        kind: RecordType::Decision,
        judged: casebench::rules::Proposal {
            outcome: casebench::case::Outcome::parse(outcome).unwrap(),
            grounds: vec![],
            withhold: withhold_map(withhold.iter().map(|(r, g)| (r.to_string(), g.to_string()))),
            notice: None,
        },
        disclosures: None,
        rationale: "Fixed-time test decision.".into(),
        overrides: overrides
            .iter()
            .map(|(c, j)| OverriddenFinding {
                code: c.to_string(),
                justification: j.to_string(),
            })
            .collect(),
    };
    let draft = p
        .unsigned(
            &lc.case,
            casebench::rules::Rulebook::builtin(),
            who,
            true,
            casebench::decision::proposal::Days::same(day(date)),
        )
        .unwrap();
    let mut signer = Signer::from_file(&env.key(who)).unwrap();
    Log::open(&env.cases, &env.state("setup"))
        .append(&lc, &draft, &mut signer, at(date))
        .unwrap();
}

fn fixed_log() -> (Env, AuditReport, casebench::rules::CaseSet) {
    let env = Env::new();
    // 3 days after receipt, on time, March.
    sign(
        &env,
        A,
        "AR-2026-0301",
        "2026-03-05",
        "release_partial",
        &[("notes", "psychotherapy-notes")],
        &[],
    );
    // 68 days, late (due 2026-03-03), April.
    sign(
        &env,
        B,
        "AR-2026-0302",
        "2026-04-10",
        "release_partial",
        &[("means-note", "danger-to-life")],
        &[],
    );
    // 20 days, on time (extended to 2026-04-20), March, with an override.
    sign(
        &env,
        A,
        "AR-2026-0303",
        "2026-03-25",
        "release_partial",
        &[("crisis-note", "danger-to-life")],
        &[("harm-not-licensed", "confirmed in person by Dr. A. Rivera")],
    );
    // Concerns: 0 and 10 days; no statutory clock.
    sign(
        &env,
        A,
        "DC-2026-0304",
        "2026-03-19",
        "warn_and_protect",
        &[],
        &[],
    );
    sign(&env, B, "DC-2026-0305", "2026-03-27", "report", &[], &[]);
    let set =
        casebench::rules::load_dir(&env.cases, &LoadOptions::new(day(TODAY)), &|_, _| {}).unwrap();
    let report = AuditReport::build(&env.cases, &set).unwrap();
    (env, report, set)
}

/// Records what was provided for the decision in force on `case`, on `date` (signed then),
/// through the function `casebench provide` calls.
fn provide(env: &Env, set: &casebench::rules::CaseSet, case: &str, date: &str) {
    let request = casebench::decision::provide::ProvisionRequest {
        on: Some(day(date)),
        notice_sent: Some(day(date)),
        via: "mail".into(),
        form: "paper copy".into(),
        ..Default::default()
    };
    provide_with(env, set, case, date, &request);
}

fn provide_with(
    env: &Env,
    set: &casebench::rules::CaseSet,
    case: &str,
    date: &str,
    request: &casebench::decision::provide::ProvisionRequest,
) {
    let state = env.state_home("setup").join("casebench");
    let setting = casebench::decision::Setting {
        cases: &env.cases,
        clock: casebench::clock::Clock::fixed(day(date).and_hms_opt(12, 0, 0).unwrap().and_utc()),
        reviewer: Some(A),
        key: None,
        state_dir: Some(&state),
    };
    let lc = set.get(case).unwrap();
    let draft =
        match casebench::decision::provide::unsigned(&setting, set, lc, A, request, day(date)) {
            Ok((draft, _)) => draft,
            Err(e) => panic!("no provision for {case}: {e:?}"),
        };
    let mut signer = Signer::from_file(&env.key(A)).unwrap();
    Log::open(&env.cases, &env.state("setup"))
        .append(
            lc,
            &draft,
            &mut signer,
            at(date) + chrono::Duration::hours(1),
        )
        .unwrap();
}

/// The fixed log, and each access request provided on its decision's day (the clock
/// stops there: the same on-time figures as the decisions').
fn provided_log() -> (Env, AuditReport, casebench::rules::CaseSet) {
    let (env, _, set) = fixed_log();
    for (case, date) in [
        ("AR-2026-0301", "2026-03-05"),
        ("AR-2026-0302", "2026-04-10"),
        ("AR-2026-0303", "2026-03-25"),
    ] {
        provide(&env, &set, case, date);
    }
    let report = AuditReport::build(&env.cases, &set).unwrap();
    (env, report, set)
}

#[test]
fn nothing_provided_is_neither_on_time_nor_late() {
    let (_env, report, set) = fixed_log();
    let rows = report.filtered(&Filter::default());
    let s = summarize(&rows, &report, &set, AsOf::same(day("2026-04-15")));
    assert!(s.by_month.is_empty(), "{:?}", s.by_month);
    assert_eq!((s.on_time, s.late), (0, 0));
    let statuses: Vec<_> = rows.iter().map(|r| r.case_status).collect();
    use casebench::rules::Status::*;
    assert_eq!(
        statuses[..3],
        [
            Some(AwaitingProvision),
            Some(AwaitingProvision),
            Some(AwaitingProvision)
        ]
    );
}

#[test]
fn chart_figures_are_exact() {
    let (_env, report, set) = provided_log();
    assert!(report.ok, "{:?}", report.first_bad);
    let all = report.filtered(&Filter::default());
    assert_eq!(all.len(), 8);
    let rows: Vec<_> = all
        .iter()
        .copied()
        .filter(|r| r.kind == Some(RecordType::Decision))
        .collect();
    assert_eq!(rows.len(), 5);
    let days: Vec<Option<i64>> = rows.iter().map(|r| r.days_to_decision).collect();
    assert_eq!(days, [Some(3), Some(68), Some(20), Some(0), Some(10)]);
    let s = summarize(&all, &report, &set, AsOf::same(day("2026-04-15")));
    let buckets: Vec<(&str, usize)> = s
        .days_to_decision
        .iter()
        .map(|b| (b.label.as_str(), b.count))
        .collect();
    assert_eq!(
        buckets,
        [
            ("0-7", 2),
            ("8-14", 1),
            ("15-30", 1),
            ("31-60", 0),
            (">60", 1)
        ]
    );
    let months: Vec<(&str, usize, usize)> = s
        .by_month
        .iter()
        .map(|m| (m.month.as_str(), m.on_time, m.late))
        .collect();
    assert_eq!(months, [("2026-03", 2, 0), ("2026-04", 0, 1)]);
    assert_eq!((s.on_time, s.late), (2, 1));
    let statuses: Vec<_> = rows.iter().map(|r| r.case_status).collect();
    use casebench::rules::Status::*;
    assert_eq!(
        statuses[..3],
        [
            Some(ProvidedOnTime),
            Some(ProvidedLate),
            Some(ProvidedOnTime)
        ]
    );
    let outcomes: Vec<(&str, usize)> = s
        .by_outcome
        .iter()
        .map(|c| (c.label.as_str(), c.count))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("release_full", 0),
            ("release_partial", 3),
            ("deny", 0),
            ("request_information", 0),
            ("warn_and_protect", 1),
            ("report", 1),
            ("maintain_confidentiality", 0)
        ]
    );
    assert_eq!((s.overrides, s.records_with_overrides), (1, 1));
    // As of 2026-04-15 only AR-2026-0306 (due 2026-02-04) is open and overdue.
    assert_eq!(s.overdue_open.len(), 1);
    assert_eq!(s.overdue_open[0].case, "AR-2026-0306");
    assert_eq!(s.overdue_open[0].days_overdue, 70);
    // A filtered window: only April.
    let april = report.filtered(&Filter {
        since: Some(day("2026-04-01")),
        ..Filter::default()
    });
    let s = summarize(&april, &report, &set, AsOf::same(day("2026-04-15")));
    assert_eq!(s.decisions, 1);
    assert_eq!(s.late, 1);
}

#[test]
fn filters_for_the_audit_view() {
    let (env, report, set) = fixed_log();
    let seqs = |f: &Filter| -> Vec<u64> { report.filtered(f).iter().map(|r| r.seq).collect() };
    assert_eq!(
        seqs(&Filter {
            reviewer: Some(B.into()),
            ..Filter::default()
        }),
        [2, 5]
    );
    assert_eq!(
        seqs(&Filter {
            reviewer: Some("Dr. A. Rivera".into()),
            ..Filter::default()
        }),
        [1, 3, 4]
    );
    assert_eq!(
        seqs(&Filter {
            outcome: Some("release_partial".into()),
            ..Filter::default()
        }),
        [1, 2, 3]
    );
    assert_eq!(
        seqs(&Filter {
            overridden_only: true,
            ..Filter::default()
        }),
        [3]
    );
    assert_eq!(
        seqs(&Filter {
            since: Some(day("2026-03-19")),
            until: Some(day("2026-03-25")),
            ..Filter::default()
        }),
        [3, 4]
    );
    let problems = Filter {
        problems_only: true,
        ..Filter::default()
    };
    assert!(seqs(&problems).is_empty());
    assert_eq!(report.reviewers().len(), 2);

    // Tamper with record 2: it fails, and record 3's link to it breaks.
    env.tamper(2, "Fixed-time", "Fixed time");
    let report = AuditReport::build(&env.cases, &set).unwrap();
    assert!(!report.ok);
    let bad: Vec<(u64, Verification)> = report
        .filtered(&problems)
        .iter()
        .map(|r| (r.seq, r.verification))
        .collect();
    assert_eq!(bad, [(2, Verification::Failed), (3, Verification::Failed)]);
    let s = summarize(
        &report.filtered(&Filter::default()),
        &report,
        &set,
        AsOf::same(day("2026-04-15")),
    );
    assert_eq!(s.failing_verification, 2);
    assert_eq!(s.decisions, 3, "failing records feed no figure");

    // Detail view: the record's exact text and signature.
    let (text, sig) = casebench::audit::report::record_text(&env.cases, 1).unwrap();
    assert!(
        text.starts_with("record: casebench-decision/1\nseq: 1\n"),
        "{text}"
    );
    assert!(sig.unwrap().starts_with("-----BEGIN SSH SIGNATURE-----"));
}

/// A warning made three days after its decision was signed dates the accounting's entry
/// (164.528: the date of the disclosure); a decision with no provision recorded keeps its
/// own date.
#[test]
fn the_accounting_is_dated_by_the_provision_not_the_decision() {
    let (env, _, set) = fixed_log();
    let warned = casebench::decision::provide::ProvisionRequest {
        on: Some(day("2026-03-22")),
        via: "phone".into(),
        form: "oral warning".into(),
        ..Default::default()
    };
    provide_with(&env, &set, "DC-2026-0304", "2026-03-22", &warned);
    let o = env
        .cmd(TODAY)
        .args(["audit", "--accounting", "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let date_of = |case: &str| -> Vec<String> {
        let a = &v["accounting"];
        a["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(a["excluded"].as_array().into_iter().flatten())
            .filter(|e| e["case"] == case)
            .map(|e| e["date"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(date_of("DC-2026-0304"), ["2026-03-22"], "{v}");
    assert_eq!(date_of("DC-2026-0305"), ["2026-03-27"], "{v}");
}
