//! Generators of signed decision logs for the benches (included with `#[path]` next to
//! `support/mod.rs`): records are built and signed here and written directly (no lock,
//! no fsync) to save time, then `sync`ed so that the benches read a log at rest. The
//! records are those the real append path writes (same fields, chain, `case_prev`,
//! signature): `casebench verify` accepts them.
//!
//! Two shapes (issue 14): [`one_case`], N trainee proposals on one real case (a long
//! history); [`many_cases`], N real cases with one proposal each (many histories).

#![allow(dead_code)] // each bench uses a part

use std::path::{Path, PathBuf};
use std::time::Instant;

use casebench::case::LoadedCase;
use casebench::record::model::{DeadlineInfo, Notice, RECORD_TAG, Record, RecordType, sha256_link};
use casebench::record::{Unsigned, sshsig};
use chrono::{DateTime, Utc};

/// The trainee who signs the generated proposals (`casebench-practice` namespace).
pub const P: &str = "t.trainee@bench.example";
/// The real case of the fixture (`tests/fixtures/records/cases`).
pub const CASE: &str = "AR-2026-0201";

/// A trainee's proposal (a practice record on a real case).
pub fn draft(i: usize) -> Unsigned {
    Unsigned {
        kind: RecordType::Practice,
        reviewer: P.into(),
        outcome: "deny".into(),
        grounds: vec!["psychotherapy-notes".into()],
        records: vec![],
        disclosures: vec![],
        notice: Notice::default(),
        deadline: DeadlineInfo {
            due: None,
            decided_on_time: true,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![],
        rationale: format!("Benchmark record {i}.\nSecond line of the rationale.\n"),
    }
}

pub fn time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-20T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()
}

/// Case `file` of the case directory `cases`, loaded as every command loads it.
pub fn load(cases: &Path, file: &str) -> LoadedCase {
    let opts = casebench::case::LoadOptions::new(today());
    let dir = casebench::store::safe_open::SafeDir::open(cases).unwrap();
    casebench::case::load::load_one(&dir, file, &opts).unwrap()
}

/// Signs records and writes them with their signatures, one after the other.
struct Writer {
    log_dir: PathBuf,
    key: ssh_key::PrivateKey,
    fingerprint: String,
    policy: String,
    seq: u64,
    prev: String,
}

impl Writer {
    fn new(cases: &Path) -> Writer {
        let key = ssh_key::PrivateKey::read_openssh_file(&cases.join("reviewers/key")).unwrap();
        let policy = sha256_link(&std::fs::read(cases.join("reviewers/allowed_signers")).unwrap());
        let log_dir = cases.join("decisions/log");
        std::fs::create_dir_all(&log_dir).unwrap();
        Writer {
            log_dir,
            fingerprint: sshsig::fingerprint(key.public_key()),
            key,
            policy,
            seq: 0,
            prev: "none".into(),
        }
    }

    /// Appends proposal `d` on `case`, whose previous record's link is `case_prev`;
    /// returns the new record's link.
    fn write(&mut self, case: &LoadedCase, case_prev: &str, d: Unsigned) -> String {
        self.seq += 1;
        let rec = Record {
            record: RECORD_TAG.into(),
            seq: self.seq,
            prev: self.prev.clone(),
            case: case.case.id.clone(),
            case_sha256: case.sha256_hex(),
            case_prev: case_prev.into(),
            kind: d.kind,
            reviews: None,
            countersigns: None,
            reviewer: P.into(),
            key: self.fingerprint.clone(),
            policy: self.policy.clone(),
            time: time(),
            outcome: d.outcome,
            grounds: d.grounds,
            records: d.records,
            disclosures: d.disclosures,
            notice: d.notice,
            deadline: d.deadline,
            provision: None,
            fees: Vec::new(),
            findings_overridden: d.findings_overridden,
            rationale: d.rationale,
        };
        let bytes = rec.to_bytes();
        let sig = self
            .key
            .sign("casebench-practice", ssh_key::HashAlg::Sha512, &bytes)
            .unwrap();
        std::fs::write(
            self.log_dir.join(format!("{:08}.yaml.sig", self.seq)),
            sig.to_pem(ssh_key::LineEnding::LF).unwrap(),
        )
        .unwrap();
        std::fs::write(self.log_dir.join(format!("{:08}.yaml", self.seq)), &bytes).unwrap();
        self.prev = sha256_link(&bytes);
        self.prev.clone()
    }
}

fn done(what: &str, t: Instant) {
    println!("(generated {what} in {:.1} s)", t.elapsed().as_secs_f64());
    // Let the writeback of the new files finish: the benches read a log at rest.
    // SAFETY: sync(2) has no preconditions.
    unsafe { libc::sync() };
}

/// `base/cases`: the fixture's cases and a log of `n_records` proposals, all on one
/// real case (each record's `case_prev` the one before it).
pub fn one_case(base: &Path, n_records: usize) -> PathBuf {
    let cases = crate::support::signing_cases(base, "records/cases", P, "casebench-practice");
    let case = load(&cases, &format!("{CASE}.yaml"));
    let mut w = Writer::new(&cases);
    let t = Instant::now();
    let mut case_prev = "none".to_string();
    for i in 0..n_records {
        case_prev = w.write(&case, &case_prev, draft(i));
    }
    done(&format!("{n_records} records on one case"), t);
    cases
}

/// The id of generated case `i` (the fixture's real case renumbered).
pub fn case_id(i: usize) -> String {
    format!("AR-2027-{i:05}")
}

/// `base/cases`: the fixture's cases plus `n_cases` copies of its real case (ids
/// renumbered: [`case_id`]), each with one proposal in the log.
pub fn many_cases(base: &Path, n_cases: usize) -> PathBuf {
    let cases = crate::support::signing_cases(base, "records/cases", P, "casebench-practice");
    let text = std::fs::read_to_string(cases.join(format!("{CASE}.yaml"))).unwrap();
    let t = Instant::now();
    for i in 0..n_cases {
        let id = case_id(i);
        std::fs::write(
            cases.join(format!("{id}.yaml")),
            text.replace(&format!("id: {CASE}"), &format!("id: {id}")),
        )
        .unwrap();
    }
    let mut w = Writer::new(&cases);
    for i in 0..n_cases {
        let case = load(&cases, &format!("{}.yaml", case_id(i)));
        w.write(&case, "none", draft(i));
    }
    done(&format!("{n_cases} cases with one proposal each"), t);
    cases
}
