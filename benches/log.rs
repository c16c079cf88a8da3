//! Decision log benchmark: appends per second (fsync on, through the real locked
//! append path), verified records per second over a 100,000-record log (rayon), the raw
//! SSHSIG/ed25519 verification rate on the same cores, and a loop of
//! `ssh-keygen -Y verify` over a sample, side by side.
//!
//! Two raw rates, both over the same messages held in memory, all cores: `ssh-key`'s
//! `PublicKey::verify` (decodes the key's curve point on every call), and ed25519-dalek
//! with the key decoded once (sha512 of the message, the SSHSIG signed data, one
//! `verify`): the ceiling any verifier of these files can reach. The target
//! (casebench verify >= 75 % of raw) is judged against the faster of the two.
//!
//! `cargo bench --bench log` (figures go into docs/PERFORMANCE.md). Optional args:
//! `--records N` (default 100000), `--appends N` (default 2000; 0 skips),
//! `--sample N` (200; 0 skips), `--runs N` (verify runs, best taken; 2),
//! `--fresh N` (appends through a new handle each, as `decide`: 10; 0 skips),
//! `--dir DIR` (keep the log in DIR: generated there on the first run, reused after,
//! so a profiler can watch verification alone). `BENCH_DIR` picks the filesystem of
//! the temporary directories otherwise.

#[path = "support/records.rs"]
mod records;
#[path = "support/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use casebench::record::model::{Record, sha256_link};
use casebench::record::verify::{LogDir, Name};
use casebench::record::{Log, Signer, sshsig};
use rayon::prelude::*;

use records::{P, draft, time};

fn load(cases: &Path) -> casebench::case::LoadedCase {
    records::load(cases, &format!("{}.yaml", records::CASE))
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap()
}

/// Appends through the real path: lock, catch-up, case re-check, policy, sign, two
/// temporaries fsynced, two links, directory fsync.
fn appends(n_appends: usize) {
    let tmp = tempdir();
    let cases = support::signing_cases(tmp.path(), "records/cases", P, "casebench-practice");
    let case = load(&cases);
    let mut signer = Signer::from_file(&cases.join("reviewers/key")).unwrap();
    let mut log = Log::open(&cases, &support::state(tmp.path(), "writer"));
    let t = Instant::now();
    for i in 0..n_appends {
        log.append(&case, &draft(i), &mut signer, time()).unwrap();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "append (fsync on): {n_appends} records in {secs:.2} s = {:.0} appends/s",
        n_appends as f64 / secs
    );
}

/// What one `casebench decide` pays in the log, each append through a new `Log` handle
/// (as `decide` and the workbench's Sign open one), on this log and on an empty one:
/// - a member's first append (their memory is new: the whole log verified once);
/// - then appends by that member, who has verified before (nothing new to verify);
/// - appends after another member appended one record (one record to verify, and the
///   log directory listed again: its stamp changed);
/// - the same member's append on a copy of the log in another directory (the memory is
///   named by the log's first record: nothing verified again).
fn fresh_appends(cases: &Path, n: usize) {
    let base = cases.parent().unwrap().to_path_buf();
    // Fresh memories and no earlier copy (a reused --dir keeps them otherwise).
    let _ = std::fs::remove_dir_all(base.join("state"));
    let _ = std::fs::remove_dir_all(base.join("copy"));
    let each = |cases: &Path, who: &str, i: usize| {
        let case = load(cases);
        let mut signer = Signer::from_file(&cases.join("reviewers/key")).unwrap();
        let state = support::state(&base, who);
        let t = Instant::now();
        Log::open(cases, &state)
            .append(&case, &draft(i), &mut signer, time())
            .unwrap();
        t.elapsed().as_secs_f64() * 1e3
    };
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
    };
    let first = each(cases, "member", 0);
    // The first use wrote the member's memory and its journal of every proposal: let the
    // disk take it before the appends that follow are timed (their fsyncs would wait).
    let _ = std::process::Command::new("sync").status();
    let mut rest: Vec<f64> = (1..n).map(|i| each(cases, "member", i)).collect();
    let mut after_other: Vec<f64> = (0..n)
        .map(|i| {
            each(cases, "other", 1000 + i);
            each(cases, "member", 2000 + i)
        })
        .collect();
    let tmp = tempdir();
    let empty = support::signing_cases(tmp.path(), "records/cases", P, "casebench-practice");
    let mut on_empty: Vec<f64> = (0..n).map(|i| each(&empty, "member", i)).collect();
    let (rest, after_other, on_empty) = (
        median(&mut rest),
        median(&mut after_other),
        median(&mut on_empty),
    );
    println!(
        "append with a fresh handle (as decide): a member's first {first:.1} ms (their memory is new: the whole log verified once); \
         then, a member who verified before: median {rest:.2} ms over {} appends; after another member's append: median {after_other:.2} ms; \
         on an empty log median {on_empty:.2} ms ({:.2}x, after another's {:.2}x)",
        n.saturating_sub(1),
        rest / on_empty,
        after_other / on_empty
    );
    // The log copied elsewhere: the member's memory is found by the log's first record.
    let copy = base.join("copy");
    let st = std::process::Command::new("cp")
        .arg("-a")
        .arg(cases)
        .arg(&copy)
        .status()
        .unwrap();
    assert!(st.success());
    let on_copy = each(&copy, "member", 3000);
    println!(
        "append on a copy of the log in another directory: {on_copy:.1} ms (nothing verified again)"
    );
}

/// A log of `n_records` records under `base`, all on one case, written directly (no
/// fsync) to save time (`support/records.rs`).
fn generate(base: &Path, n_records: usize) -> PathBuf {
    records::one_case(base, n_records)
}

/// Microseconds per item of `f` over `items`, on this thread: the best of five passes
/// (the machine is shared; the best pass is the one least disturbed).
fn per_item<T>(items: &[T], mut f: impl FnMut(&T)) -> f64 {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for i in items {
                f(i);
            }
            t.elapsed().as_secs_f64() * 1e6 / items.len().max(1) as f64
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    let n_records = support::arg("--records", 100_000);
    let n_appends = support::arg("--appends", 2_000);
    let n_sample = support::arg("--sample", 200);
    let n_runs = support::arg("--runs", 2).max(1);
    let dir_arg = std::env::args()
        .skip_while(|a| a != "--dir")
        .nth(1)
        .map(PathBuf::from);
    let threads = rayon::current_num_threads();
    println!("decision log benchmark ({threads} rayon threads)");

    if n_appends > 0 {
        appends(n_appends);
    }
    let n_fresh = support::arg("--fresh", 10);

    // The log: in --dir (reused when already there) or a temporary directory.
    let tmp = tempdir();
    let cases = match &dir_arg {
        Some(d) if d.join("cases/decisions/log").is_dir() => {
            println!("(reusing the log in {})", d.display());
            d.join("cases")
        }
        Some(d) => {
            std::fs::create_dir_all(d).unwrap();
            generate(d, n_records)
        }
        None => generate(tmp.path(), n_records),
    };
    let log_dir = cases.join("decisions/log");
    let n_records = std::fs::read_dir(&log_dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".yaml")
        })
        .count();
    let key = ssh_key::PrivateKey::read_openssh_file(&cases.join("reviewers/key")).unwrap();

    // The messages and signatures, in memory, for the raw rates.
    let dir = LogDir::open(&log_dir).unwrap();
    let msgs: Vec<(Vec<u8>, ssh_key::SshSig)> = (1..=n_records as u64)
        .into_par_iter()
        .map(|seq| {
            let (mut m, mut s) = (Vec::new(), Vec::new());
            dir.read_into(&Name::new(seq, false), 1 << 20, &mut m)
                .unwrap();
            dir.read_into(&Name::new(seq, true), 1 << 20, &mut s)
                .unwrap();
            (m, sshsig::from_pem(&s).unwrap())
        })
        .collect();

    // Where a record's verification time goes (one thread, first 2,000 records).
    let n = n_records.min(support::arg("--breakdown", 2_000));
    let seqs: Vec<u64> = (1..=n as u64).collect();
    let (mut m, mut s) = (Vec::new(), Vec::new());
    // As verify reads them: the listing showed regular files, so no fstat.
    let read_us = per_item(&seqs, |&seq| {
        dir.read_listed(&Name::new(seq, false), 1 << 18, &mut m)
            .unwrap();
        dir.read_listed(&Name::new(seq, true), 1 << 16, &mut s)
            .unwrap();
    });
    let read_fstat_us = per_item(&seqs, |&seq| {
        dir.read_into(&Name::new(seq, false), 1 << 18, &mut m)
            .unwrap();
        dir.read_into(&Name::new(seq, true), 1 << 16, &mut s)
            .unwrap();
    });
    let pems: Vec<Vec<u8>> = seqs
        .iter()
        .map(|&seq| std::fs::read(log_dir.join(Name::new(seq, true).as_str())).unwrap())
        .collect();
    let sample = &msgs[..n];
    let link_us = per_item(sample, |(b, _)| {
        sha256_link(b);
    });
    let parse_us = per_item(sample, |(b, _)| {
        Record::from_bytes(b).unwrap();
    });
    let recs: Vec<Record> = sample
        .iter()
        .map(|(b, _)| Record::from_bytes(b).unwrap())
        .collect();
    let fast_us = per_item(sample, |(b, _)| {
        casebench::record::fastread::read(std::str::from_utf8(b).unwrap()).unwrap();
    });
    let render_us = per_item(&recs, |r| {
        r.to_bytes();
    });
    let check_us = per_item(&recs, |r| {
        r.check_fields().unwrap();
    });
    let pem_us = per_item(&pems, |p| {
        sshsig::from_pem(p).unwrap();
    });
    let sig_us = per_item(sample, |(b, s)| {
        sshsig::verify(s, "casebench-practice", b).unwrap();
    });
    let keys = sshsig::KeyCache::new([key.public_key()]);
    let cached_us = per_item(sample, |(b, s)| {
        sshsig::verify_cached(s, "casebench-practice", b, &keys).unwrap();
    });
    let policy = casebench::record::allowed_signers::AllowedSigners::parse(
        &std::fs::read(cases.join("reviewers/allowed_signers")).unwrap(),
    )
    .unwrap();
    let policy_us = per_item(sample, |_| {
        policy
            .check(P, key.public_key(), "casebench-practice", time())
            .unwrap();
        keys.fingerprint(key.public_key());
    });
    println!("per record, one thread (best of five passes over {n} records):");
    println!("  read 2 files {read_us:.1} us (with fstat: {read_fstat_us:.1} us)");
    println!("  sha256 link {link_us:.1} us");
    println!(
        "  parse + canonical check {parse_us:.1} us \
         (fast read {fast_us:.1}, re-render {render_us:.1}, field checks {check_us:.1})"
    );
    println!("  PEM {pem_us:.1} us");
    println!("  SSHSIG verify {sig_us:.1} us (ssh-key) / {cached_us:.1} us (key cached)");
    println!("  policy + fingerprint {policy_us:.1} us");

    // 3. The raw rates over the same messages in memory, all cores, and
    // 4. casebench verify over the whole log (files, parse, canonical check, signature,
    //    policy, chain, case binding). The machine may be shared: the three are run in
    //    turn, --runs rounds, and the best of each is taken, so that each has the same
    //    chance of a quiet moment (the first round also warms the caches).
    let pk = key.public_key().clone();
    // 3a. Through ssh-key: `PublicKey::verify` (decodes the key's point every time).
    let raw_sshkey_pass = || {
        let t = Instant::now();
        let ok = msgs
            .par_iter()
            .filter(|(m, s)| pk.verify("casebench-practice", m, s).is_ok())
            .count();
        assert_eq!(ok, n_records);
        n_records as f64 / t.elapsed().as_secs_f64()
    };
    // 3b. The ceiling: the key decoded once, then per message sha512, the signed data
    //     and one ed25519-dalek verify (the same `verify` ssh-key calls).
    use ed25519_dalek::Verifier as _;
    let ssh_key::public::KeyData::Ed25519(raw_pk) = pk.key_data() else {
        panic!("the bench key is ed25519")
    };
    let point = ed25519_dalek::VerifyingKey::from_bytes(&raw_pk.0).unwrap();
    let raw_dalek_pass = || {
        let t = Instant::now();
        let ok = msgs
            .par_iter()
            .filter(|(m, s)| {
                let data =
                    ssh_key::SshSig::signed_data("casebench-practice", ssh_key::HashAlg::Sha512, m)
                        .unwrap();
                let sig = ed25519_dalek::Signature::from_slice(s.signature_bytes()).unwrap();
                point.verify(&data, &sig).is_ok()
            })
            .count();
        assert_eq!(ok, n_records);
        n_records as f64 / t.elapsed().as_secs_f64()
    };
    let verify_pass = || {
        let t = Instant::now();
        let report = casebench::record::verify::verify_log(&cases, None).unwrap();
        let secs = t.elapsed().as_secs_f64();
        assert!(report.ok(), "{:?}", report.first_bad());
        assert_eq!(report.records.len(), n_records);
        drop(report);
        secs
    };
    let (mut raw_sshkey, mut raw_dalek, mut secs) = (0f64, 0f64, f64::MAX);
    for round in 1..=n_runs {
        let (a, b, c) = (raw_sshkey_pass(), raw_dalek_pass(), verify_pass());
        println!(
            "  round {round}: raw via ssh-key {a:.0} /s, raw with the key decoded once {b:.0} /s, \
             casebench verify {:.0} records/s",
            n_records as f64 / c
        );
        (raw_sshkey, raw_dalek, secs) = (raw_sshkey.max(a), raw_dalek.max(b), secs.min(c));
    }
    println!("raw SSHSIG ed25519 verify, in memory, ssh-key PublicKey::verify: {raw_sshkey:.0} /s");
    println!("raw SSHSIG ed25519 verify, in memory, key decoded once (dalek): {raw_dalek:.0} /s");
    let raw = raw_sshkey.max(raw_dalek);
    let ours = n_records as f64 / secs;
    println!(
        "casebench verify: {n_records} records in {secs:.2} s = {ours:.0} records/s \
         ({:.0} % of raw via ssh-key, {:.0} % of raw with the key decoded once; \
         target judged on the faster: {:.0} %)",
        100.0 * ours / raw_sshkey,
        100.0 * ours / raw_dalek,
        100.0 * ours / raw
    );

    // 5. Appends as `decide` makes them, on this log.
    if n_fresh > 0 {
        fresh_appends(&cases, n_fresh);
    }

    // 6. ssh-keygen -Y verify, one process per record, over a sample.
    if n_sample == 0 {
        return;
    }
    let allowed = cases.join("reviewers/allowed_signers");
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
