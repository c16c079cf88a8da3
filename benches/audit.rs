//! Audit benchmark: over a log of N signed decision records (default 20,000, half of
//! them with two disclosures each), times verification (`verify_log`, what `verify`
//! runs) apart from the audit's own work: building the rows, a filter, the summary
//! figures, the accounting of disclosures, and the table, CSV and JSON renderings.
//!
//! `cargo bench --bench audit [-- --records N]`; figures go into docs/PERFORMANCE.md.

#[path = "support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::Instant;

use casebench::audit::accounting::{self, Query};
use casebench::audit::{AuditReport, Filter, render, summary};
use casebench::case::LoadOptions;
use casebench::record::model::{
    Action, DeadlineInfo, Disclosure, Notice, RECORD_TAG, Record, RecordAction, RecordType,
    sha256_link,
};
use casebench::rules::CaseSet;
use chrono::{DateTime, Duration, NaiveDate, Utc};

const A: &str = "a.rivera@bench.example";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn main() {
    let n = support::arg("--records", 20_000);
    println!(
        "audit benchmark: {n} records ({} rayon threads)",
        rayon::current_num_threads()
    );
    let tmp =
        tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap();
    let cases = support::signing_cases(tmp.path(), "audit/cases", A, "casebench-decision");
    let set: CaseSet =
        casebench::rules::load_dir(&cases, &LoadOptions::new(day("2026-03-20")), &|_, _| {})
            .unwrap();
    let key = ssh_key::PrivateKey::read_openssh_file(&cases.join("reviewers/key")).unwrap();
    let policy = sha256_link(&std::fs::read(cases.join("reviewers/allowed_signers")).unwrap());
    let log_dir = cases.join("decisions/log");
    std::fs::create_dir_all(&log_dir).unwrap();
    let t0: DateTime<Utc> = DateTime::parse_from_rfc3339("2020-01-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let mut prev = "none".to_string();
    let mut case_prev: HashMap<&str, String> = HashMap::new();
    let t = Instant::now();
    for i in 0..n {
        let access = i % 2 == 0;
        let case_id = if access {
            "AR-2026-0301"
        } else {
            "DC-2026-0304"
        };
        let lc = set.get(case_id).unwrap();
        let time = t0 + Duration::hours(i as i64 * 3);
        let date = time.date_naive();
        let rec = Record {
            record: RECORD_TAG.into(),
            seq: i as u64 + 1,
            prev: prev.clone(),
            case: case_id.into(),
            case_sha256: lc.sha256_hex(),
            case_prev: case_prev
                .get(case_id)
                .cloned()
                .unwrap_or_else(|| "none".into()),
            kind: RecordType::Decision,
            reviews: None,
            countersigns: None,
            reviewer: A.into(),
            key: casebench::record::sshsig::fingerprint(key.public_key()),
            policy: policy.clone(),
            time,
            outcome: if access {
                "release_partial"
            } else {
                "warn_and_protect"
            }
            .into(),
            grounds: if access {
                vec!["right-of-access".into()]
            } else {
                vec!["serious-threat".into(), "state-duty-to-warn".into()]
            },
            records: if access {
                vec![
                    RecordAction {
                        id: "chart".into(),
                        action: Action::Release,
                        grounds: vec![],
                    },
                    RecordAction {
                        id: "notes".into(),
                        action: Action::Withhold,
                        grounds: vec!["psychotherapy-notes".into()],
                    },
                ]
            } else {
                vec![]
            },
            disclosures: if access {
                vec![]
            } else {
                ["Jane Doe", "Testville Police Department"]
                    .iter()
                    .map(|r| Disclosure {
                        date,
                        recipient: (*r).into(),
                        address: "44 Oak Ave, Testville, OH".into(),
                        description: "The threat and the patient's name".into(),
                        purpose: "Warn and protect".into(),
                    })
                    .collect()
            },
            notice: Notice {
                basis: access,
                review_rights: false,
                complaint_routes: access,
            },
            deadline: DeadlineInfo {
                due: access.then(|| date + Duration::days(30)),
                decided_on_time: i % 7 != 0,
            },
            provision: None,
            fees: Vec::new(),
            findings_overridden: vec![],
            rationale: format!("Benchmark decision {i}.\n"),
        };
        let bytes = rec.to_bytes();
        let sig = key
            .sign("casebench-decision", ssh_key::HashAlg::Sha512, &bytes)
            .unwrap();
        std::fs::write(
            log_dir.join(format!("{:08}.yaml.sig", i + 1)),
            sig.to_pem(ssh_key::LineEnding::LF).unwrap(),
        )
        .unwrap();
        std::fs::write(log_dir.join(format!("{:08}.yaml", i + 1)), &bytes).unwrap();
        prev = sha256_link(&bytes);
        case_prev.insert(case_id, prev.clone());
    }
    println!("(generated in {:.1} s)", t.elapsed().as_secs_f64());

    let time = |label: &str, f: &mut dyn FnMut() -> usize| {
        let mut best = f64::MAX;
        let mut size = 0;
        for _ in 0..3 {
            let t = Instant::now();
            size = f();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{label:<44} {:>9.1} ms  ({size})", best * 1e3);
    };
    let mut log = None;
    time("verify_log (signatures, chain, binding)", &mut || {
        let r = casebench::record::verify::verify_log(&cases, None).unwrap();
        let k = r.records.len();
        log = Some(r);
        k
    });
    let log = log.unwrap();
    let people = casebench::record::reviewers::load(&cases).unwrap();
    let mut report = None;
    let mut copies = vec![log.clone(), log.clone(), log.clone()];
    time("AuditReport::from_log (rows)", &mut || {
        let r = AuditReport::from_log(copies.pop().unwrap(), &set, &people);
        let k = r.rows.len();
        report = Some(r);
        k
    });
    let report = report.unwrap();
    assert!(report.ok);
    let filter = Filter {
        outcome: Some("warn_and_protect".into()),
        since: Some(day("2021-01-01")),
        ..Filter::default()
    };
    time("filter (outcome + date)", &mut || {
        report.filtered(&filter).len()
    });
    let all = report.filtered(&Filter::default());
    time("summary figures", &mut || {
        summary::summarize(&all, &report, &set, summary::AsOf::same(day("2026-03-20"))).decisions
    });
    let q = Query {
        period_end: day("2026-03-20"),
        since: None,
        until: None,
        patient: None,
    };
    time("accounting of disclosures (6 years)", &mut || {
        accounting::accounting(&report, &q, &set.rules)
            .entries
            .len()
    });
    time("table rendering (bytes)", &mut || {
        render::rows_table(&all).len()
    });
    time("CSV rendering (bytes)", &mut || {
        render::rows_csv(&all).len()
    });
    time("JSON rendering (bytes)", &mut || {
        serde_json::to_string(&all).unwrap().len()
    });
}
