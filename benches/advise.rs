//! Advisor benchmark: parsing the built-in rulebook, and `advise` / `check` on every sample
//! case and worked example, many times over (the workbench re-checks the draft on every
//! change of the decision form). Run: `cargo bench --bench advise`. Figures go in
//! docs/PERFORMANCE.md, section "advisor".

use std::path::Path;
use std::time::Instant;

use casebench::case::LoadOptions;

use casebench::rules::load_dir;
use casebench::rules::{Related, ReviewerFacts, Rulebook, advise, check};

const ROUNDS: usize = 200;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let opts = LoadOptions::new(today);
    let mut cases = Vec::new();
    for dir in ["cases", "tests/fixtures/advisor/cases"] {
        let path = root.join(dir);
        if path.join("casebench.yaml").exists() {
            let set = load_dir(&path, &opts, &|_, _| {}).unwrap_or_else(|e| panic!("{e}"));
            cases.extend(set.cases.into_iter().map(|c| c.case));
        }
    }
    assert!(!cases.is_empty(), "no cases to advise on");

    let src = Rulebook::builtin_source();
    let start = Instant::now();
    let parses = 50;
    for _ in 0..parses {
        let rb = Rulebook::from_yaml(src, "bench").unwrap_or_else(|e| panic!("{e}"));
        std::hint::black_box(rb);
    }
    let parse = start.elapsed() / parses;
    println!(
        "rulebook parse + check: {:.2} ms ({} bytes)",
        parse.as_secs_f64() * 1e3,
        src.len()
    );

    let rb = Rulebook::builtin();
    let related: Vec<Related> = cases
        .iter()
        .map(|c| Related::from_cases(c, cases.iter()))
        .collect();
    let start = Instant::now();
    let mut n = 0usize;
    for _ in 0..ROUNDS {
        for (c, r) in cases.iter().zip(&related) {
            std::hint::black_box(advise(rb, c, *r, today));
            n += 1;
        }
    }
    let per = start.elapsed() / n as u32;
    println!(
        "advise: {n} calls, {:.1} us per call",
        per.as_secs_f64() * 1e6
    );

    let proposals: Vec<_> = cases
        .iter()
        .zip(&related)
        .map(|(c, r)| advise(rb, c, *r, today).recommended.to_proposal())
        .collect();
    let who = ReviewerFacts::default();
    let start = Instant::now();
    let mut n = 0usize;
    for _ in 0..ROUNDS {
        for ((c, r), p) in cases.iter().zip(&related).zip(&proposals) {
            std::hint::black_box(check(rb, c, *r, p, &who, today));
            n += 1;
        }
    }
    let per = start.elapsed() / n as u32;
    println!(
        "check: {n} calls, {:.1} us per call",
        per.as_secs_f64() * 1e6
    );
}
