//! Practice benchmark: `casebench practice` over a log of many practice attempts (by
//! several trainees, on the two practice fixtures), split into verification of the log
//! (rayon), scoring every attempt, and building every trainee's progress.
//!
//! `cargo bench --bench practice` (figures in docs/PERFORMANCE.md). Optional args:
//! `--attempts N` (default 5000), `--trainees N` (default 20).

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use casebench::case::LoadOptions;

use casebench::case::Outcome;
use casebench::decision::proposal::{Proposal, withhold_map};
use casebench::practice::progress;
use casebench::record::model::RecordType;
use casebench::record::{Log, Signer};
use casebench::rules::Rulebook;
use casebench::rules::load_dir;
use chrono::{DateTime, NaiveDate, Utc};

/// (outcome, grounds, withhold map) of one practice answer.
type Answer = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, &'static str)],
);

fn trainee(i: usize) -> String {
    format!("t{i:03}@bench.example")
}

fn main() {
    let attempts = support::arg("--attempts", 5000);
    let trainees = support::arg("--trainees", 20).max(1);
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir_all(cases.join("reviewers")).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice/cases");
    for e in std::fs::read_dir(fixture).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    let key = cases.join("reviewers/key");
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(st.success());
    let pubkey = std::fs::read_to_string(cases.join("reviewers/key.pub")).unwrap();
    let policy: String = (0..trainees)
        .map(|i| {
            format!(
                "{} namespaces=\"casebench-practice\" {}\n",
                trainee(i),
                pubkey.trim()
            )
        })
        .collect();
    std::fs::write(cases.join("reviewers/allowed_signers"), policy).unwrap();

    let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
    let opts = LoadOptions::new(today);
    let set = load_dir(&cases, &opts, &|_, _| {}).unwrap();
    let pa = set.get("PA-2026-0301").unwrap();
    let pd = set.get("PD-2026-0302").unwrap();
    let answers: [Answer; 4] = [
        (
            "release_partial",
            &["right-of-access"],
            &[("notes", "psychotherapy-notes")],
        ),
        ("deny", &["psychotherapy-notes"], &[]),
        (
            "release_partial",
            &["emotional-distress"],
            &[("notes", "psychotherapy-notes")],
        ),
        ("release_full", &["right-of-access"], &[]),
    ];
    let mut signer = Signer::from_file(&key).unwrap();
    let mut log = Log::open(&cases, &support::state(tmp.path(), "trainee"));
    let time: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-03-20T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let t0 = Instant::now();
    for i in 0..attempts {
        let who = trainee(i % trainees);
        let (case, p) = if i % 3 == 2 {
            let p = practice(Outcome::WarnAndProtect, &["serious-threat"], &[]);
            (pd, p)
        } else {
            let (o, g, w) = answers[i % 4];
            let p = practice(Outcome::parse(o).unwrap(), g, w);
            (pa, p)
        };
        let d = p
            .unsigned(
                &case.case,
                &set.rules,
                &who,
                true,
                casebench::decision::proposal::Days::same(today),
            )
            .unwrap();
        log.append(case, &d, &mut signer, time).unwrap();
    }
    let append = t0.elapsed();

    let t1 = Instant::now();
    let report = casebench::record::verify::verify_log(&cases, None).unwrap();
    let verify = t1.elapsed();
    assert_eq!(report.records.len(), attempts);
    let rb = Rulebook::builtin();
    let t2 = Instant::now();
    let scored = progress::collect(&set, &report, rb);
    let collect = t2.elapsed();
    assert!(scored.skipped.is_empty());
    let people = casebench::record::reviewers::Reviewers::default();
    let t3 = Instant::now();
    let rows = progress::overview(&set, &scored, &people);
    let one = progress::trainee_progress(&set, &scored, &trainee(0), &people);
    let build = t3.elapsed();
    assert_eq!(rows.len(), trainees);
    assert!(!one.attempts.is_empty());

    println!("practice: {attempts} attempts by {trainees} trainees");
    println!(
        "  append (signed, fsynced): {:.2} s ({:.0}/s)",
        append.as_secs_f64(),
        attempts as f64 / append.as_secs_f64()
    );
    println!("  verify the log:          {:.3} s", verify.as_secs_f64());
    println!(
        "  score every attempt:     {:.3} s ({:.1} us/attempt)",
        collect.as_secs_f64(),
        collect.as_secs_f64() * 1e6 / attempts as f64
    );
    println!("  overview + one trainee:  {:.3} s", build.as_secs_f64());
    println!(
        "  `casebench practice` total (verify + score + build): {:.3} s",
        (verify + collect + build).as_secs_f64()
    );
}

/// A trainee's practice proposal.
fn practice(outcome: Outcome, grounds: &[&str], withhold: &[(&str, &str)]) -> Proposal {
    Proposal {
        kind: RecordType::Practice,
        judged: casebench::rules::Proposal {
            outcome,
            grounds: grounds.iter().map(|s| s.to_string()).collect(),
            withhold: withhold_map(withhold.iter().map(|(a, b)| (a.to_string(), b.to_string()))),
            notice: None,
        },
        disclosures: None,
        rationale: "x".into(),
        overrides: vec![],
    }
}
