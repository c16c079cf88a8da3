//! Decision log benchmark: appends per second (fsync on, through the real locked
//! append path), verified records per second over a 100,000-record log (rayon), the raw
//! SSHSIG/ed25519 verification rate on the same cores, and a loop of
//! `ssh-keygen -Y verify` over a sample, side by side.
//!
//! `cargo bench --bench log` (figures go into docs/PERFORMANCE.md). Optional args:
//! `--records N` (default 100000), `--appends N` (default 2000), `--sample N` (200).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use casebench::record::model::{DeadlineInfo, Notice, RECORD_TAG, Record, RecordType, sha256_link};
use casebench::record::{Draft, Log, Signer};
use chrono::{DateTime, Utc};
use rayon::prelude::*;

const P: &str = "t.trainee@bench.example";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn setup(dir: &Path) -> std::path::PathBuf {
    let cases = dir.join("cases");
    std::fs::create_dir_all(cases.join("reviewers")).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records/cases");
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
    std::fs::write(
        cases.join("reviewers/allowed_signers"),
        format!("{P} namespaces=\"casebench-practice\" {}", pubkey.trim()),
    )
    .unwrap();
    cases
}

fn draft(i: usize) -> Draft {
    Draft {
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
        findings_overridden: vec![],
        rationale: format!("Benchmark record {i}.\nSecond line of the rationale.\n"),
    }
}

fn time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-20T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn load(cases: &Path) -> casebench::case::LoadedCase {
    let opts =
        casebench::case::LoadOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    let dir = casebench::store::safe_open::SafeDir::open(cases).unwrap();
    casebench::case::load::load_one(&dir, "AR-2026-0201.yaml", &opts).unwrap()
}

fn main() {
    let n_records = arg("--records", 100_000);
    let n_appends = arg("--appends", 2_000);
    let n_sample = arg("--sample", 200);
    let threads = rayon::current_num_threads();
    println!("decision log benchmark ({threads} rayon threads)");

    // 1. Appends through the real path: lock, catch-up, case re-check, policy, sign,
    //    two temporaries fsynced, two links, directory fsync.
    let tmp =
        tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap();
    let cases = setup(tmp.path());
    let case = load(&cases);
    let mut signer = Signer::from_file(&cases.join("reviewers/key")).unwrap();
    let mut log = Log::open(&cases);
    let t = Instant::now();
    for i in 0..n_appends {
        log.append(&case, &draft(i), &mut signer, time()).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "append (fsync on): {n_appends} records in {secs:.2} s = {:.0} appends/s",
        n_appends as f64 / secs
    );

    // 2. A 100,000-record log, written directly (no fsync) to save time.
    let tmp2 =
        tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap();
    let cases2 = setup(tmp2.path());
    let case2 = load(&cases2);
    let key = ssh_key::PrivateKey::read_openssh_file(&cases2.join("reviewers/key")).unwrap();
    let policy = sha256_link(&std::fs::read(cases2.join("reviewers/allowed_signers")).unwrap());
    let log_dir = cases2.join("decisions/log");
    std::fs::create_dir_all(&log_dir).unwrap();
    let t = Instant::now();
    let mut prev = "none".to_string();
    let mut msgs = Vec::with_capacity(n_records);
    for i in 0..n_records {
        let d = draft(i);
        let rec = Record {
            record: RECORD_TAG.into(),
            seq: i as u64 + 1,
            prev: prev.clone(),
            case: case2.case.id.clone(),
            case_sha256: case2.sha256_hex(),
            case_prev: prev.clone(),
            kind: d.kind,
            reviews: None,
            countersigns: None,
            reviewer: P.into(),
            key: casebench::record::sshsig::fingerprint(key.public_key()),
            policy: policy.clone(),
            time: time(),
            outcome: d.outcome,
            grounds: d.grounds,
            records: d.records,
            disclosures: d.disclosures,
            notice: d.notice,
            deadline: d.deadline,
            findings_overridden: d.findings_overridden,
            rationale: d.rationale,
        };
        let bytes = rec.to_bytes();
        let sig = key
            .sign("casebench-practice", ssh_key::HashAlg::Sha512, &bytes)
            .unwrap();
        std::fs::write(
            log_dir.join(format!("{:08}.yaml.sig", i + 1)),
            sig.to_pem(ssh_key::LineEnding::LF).unwrap(),
        )
        .unwrap();
        std::fs::write(log_dir.join(format!("{:08}.yaml", i + 1)), &bytes).unwrap();
        prev = sha256_link(&bytes);
        if msgs.len() < n_records {
            msgs.push((bytes, sig));
        }
    }
    println!(
        "(generated {n_records} records in {:.1} s)",
        t.elapsed().as_secs_f64()
    );

    // Let the writeback of the 200,000 new files finish: verify a log at rest.
    // SAFETY: sync(2) has no preconditions.
    unsafe { libc::sync() };

    // 3. Raw SSHSIG ed25519 verification of the same messages, in memory, all cores.
    let pk = key.public_key().clone();
    let t = Instant::now();
    let ok = msgs
        .par_iter()
        .filter(|(m, s)| pk.verify("casebench-practice", m, s).is_ok())
        .count();
    let raw = n_records as f64 / t.elapsed().as_secs_f64();
    assert_eq!(ok, n_records);
    println!("raw SSHSIG ed25519 verify, in memory: {raw:.0} /s");

    // Where a record's verification time goes (one thread, first 2,000 records).
    let n = n_records.min(2_000);
    let dir = casebench::store::safe_open::SafeDir::open(&log_dir).unwrap();
    let t = Instant::now();
    let files: Vec<(Vec<u8>, Vec<u8>)> = (1..=n)
        .map(|i| {
            (
                dir.read_file(&format!("{i:08}.yaml"), 1 << 20).unwrap(),
                dir.read_file(&format!("{i:08}.yaml.sig"), 1 << 20).unwrap(),
            )
        })
        .collect();
    let read_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let t = Instant::now();
    for (b, _) in &files {
        Record::from_bytes(b).unwrap();
    }
    let parse_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let t = Instant::now();
    for (b, s) in &files {
        let sig = casebench::record::sshsig::from_pem(s).unwrap();
        casebench::record::sshsig::verify(&sig, "casebench-practice", b).unwrap();
    }
    let sig_us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!(
        "per record, one thread: read 2 files {read_us:.1} us, parse + canonical check {parse_us:.1} us, PEM + SSHSIG verify {sig_us:.1} us"
    );

    // 4. casebench verify over the whole log (files, parse, canonical check, signature,
    //    policy, chain, case binding).
    // Best of two runs (the first also warms the dentry cache).
    let mut secs = f64::MAX;
    let mut report = None;
    for _ in 0..2 {
        let t = Instant::now();
        report = Some(casebench::record::verify::verify_log(&cases2, None).unwrap());
        secs = secs.min(t.elapsed().as_secs_f64());
    }
    let report = report.unwrap();
    assert!(report.ok(), "{:?}", report.first_bad());
    assert_eq!(report.records.len(), n_records);
    let ours = n_records as f64 / secs;
    println!(
        "casebench verify: {n_records} records in {secs:.2} s = {ours:.0} records/s ({:.0} % of raw)",
        100.0 * ours / raw
    );

    // 5. ssh-keygen -Y verify, one process per record, over a sample.
    let allowed = cases2.join("reviewers/allowed_signers");
    let t = Instant::now();
    for i in 1..=n_sample.min(n_records) {
        let f = log_dir.join(format!("{i:08}.yaml"));
        let st = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&allowed)
            .args(["-I", P, "-n", "casebench-practice", "-s"])
            .arg(format!("{}.sig", f.display()))
            .stdin(std::fs::File::open(&f).unwrap())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(st.success());
    }
    let rate = n_sample as f64 / t.elapsed().as_secs_f64();
    println!("ssh-keygen -Y verify loop (sample of {n_sample}, sequential): {rate:.0} records/s");
}
