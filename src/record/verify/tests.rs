//! The parallel pass's reading and signature paths: what they accept and the messages
//! with which they refuse.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ssh_key::private::Ed25519Keypair;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, Signature, SshSig};

use super::super::model::{
    DeadlineInfo, NONE, Notice, RECORD_TAG, Record, RecordType, sha256_link,
};
use super::super::{log, sshsig};
use super::{Name, State, verify_log};

const WHO: &str = "a.rivera@lakeside.example";
/// Signs the reviews: someone who took no part in the decision (164.524(a)(4)).
const REVIEWER: &str = "b.osei@lakeside.example";
const NS: &str = "casebench-decision";

fn key(seed: u8) -> PrivateKey {
    PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
}

/// A case directory with a 3-record log signed by `key(1)`, the only allowed key.
struct Fixture {
    _tmp: tempfile::TempDir,
    cases: PathBuf,
    log: PathBuf,
    records: Vec<Vec<u8>>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture::custom(&[("AR-1", None), ("AR-2", None), ("AR-3", None)], |_, _| {})
    }

    /// A log of records (case, reviews) with correct links, each changed by `tweak`
    /// before it is signed: a case's first record is a decision (a denial), a review
    /// when it names one, and a practice record otherwise (the log's rules allow one
    /// decision per case).
    fn custom(specs: &[(&str, Option<u64>)], tweak: impl Fn(u64, &mut Record)) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        let log = cases.join("decisions/log");
        std::fs::create_dir_all(&log).unwrap();
        std::fs::create_dir_all(cases.join("reviewers")).unwrap();
        std::fs::write(
            cases.join("reviewers/allowed_signers"),
            format!(
                "{WHO},{REVIEWER} namespaces=\"{NS},casebench-review,casebench-practice\" {}\n",
                key(1).public_key().to_openssh().unwrap()
            ),
        )
        .unwrap();
        std::fs::write(cases.join("AR-1.yaml"), "case file\n").unwrap();
        std::fs::write(cases.join("AR-2.yaml"), "case file\n").unwrap();
        std::fs::write(cases.join("AR-3.yaml"), "case file\n").unwrap();
        let policy = sha256_link(&std::fs::read(cases.join("reviewers/allowed_signers")).unwrap());
        let mut f = Fixture {
            _tmp: tmp,
            cases,
            log,
            records: Vec::new(),
        };
        let mut prev = NONE.to_string();
        let mut case_prev: std::collections::HashMap<&str, String> = Default::default();
        let mut decided: std::collections::HashSet<&str> = Default::default();
        for (i, (case, reviews)) in specs.iter().enumerate() {
            let seq = i as u64 + 1;
            let mut rec = f.record(seq, &prev, &policy);
            rec.case = case.to_string();
            rec.case_prev = case_prev.get(case).cloned().unwrap_or(NONE.into());
            if reviews.is_some() {
                rec.kind = RecordType::Review;
                rec.reviews = *reviews;
                rec.reviewer = REVIEWER.into();
            } else if !decided.insert(case) {
                rec.kind = RecordType::Practice;
            }
            tweak(seq, &mut rec);
            let bytes = rec.to_bytes();
            prev = sha256_link(&bytes);
            case_prev.insert(case, prev.clone());
            let sig = key(1)
                .sign(rec.kind.namespace(), HashAlg::Sha512, &bytes)
                .unwrap();
            f.write(seq, &bytes, &sig);
            f.records.push(bytes);
        }
        f
    }

    fn record(&self, seq: u64, prev: &str, policy: &str) -> Record {
        let case_hash = sha256_link(b"case file\n")["sha256:".len()..].to_string();
        Record {
            record: RECORD_TAG.into(),
            seq,
            prev: prev.into(),
            case: "AR-1".into(),
            case_sha256: case_hash,
            case_prev: prev.into(),
            kind: RecordType::Decision,
            reviews: None,
            countersigns: None,
            reviewer: WHO.into(),
            key: sshsig::fingerprint(key(1).public_key()),
            policy: policy.into(),
            time: DateTime::parse_from_rfc3339("2026-03-20T10:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            outcome: "deny".into(),
            grounds: vec!["right-of-access".into()],
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
            rationale: format!("Record {seq}.\n"),
        }
    }

    fn write(&self, seq: u64, bytes: &[u8], sig: &SshSig) {
        std::fs::write(self.log.join(log::record_name(seq)), bytes).unwrap();
        self.write_sig(seq, sshsig::to_pem(sig).unwrap().as_bytes());
    }

    fn write_sig(&self, seq: u64, pem: &[u8]) {
        let p = self.log.join(log::sig_name(seq));
        let _ = std::fs::remove_file(&p);
        std::fs::write(p, pem).unwrap();
    }

    /// Record 2's state and problems.
    fn second(&self) -> (State, Vec<String>) {
        let r = verify_log(&self.cases, None).unwrap();
        assert_eq!(r.records.len(), 3);
        assert_eq!(r.records[0].state, State::Ok, "{:?}", r.records[0].problems);
        (r.records[1].state, r.records[1].problems.clone())
    }
}

fn has(problems: &[String], needle: &str) {
    assert!(
        problems.iter().any(|p| p.contains(needle)),
        "no {needle:?} in {problems:?}"
    );
}

#[test]
fn intact_log_verifies() {
    let f = Fixture::new();
    let r = verify_log(&f.cases, None).unwrap();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert_eq!(r.count(State::Ok), 3);
    assert_eq!(r.head, 3);
    assert_eq!(r.head_link, sha256_link(&f.records[2]));
}

#[test]
fn tampered_record_is_refused() {
    let f = Fixture::new();
    let edited = String::from_utf8(f.records[1].clone())
        .unwrap()
        .replace("Record 2.", "Record 9.");
    std::fs::write(f.log.join("00000002.yaml"), edited).unwrap();
    let (state, problems) = f.second();
    assert_eq!(state, State::Invalid);
    has(
        &problems,
        "00000002.yaml: the signature does not match the file's bytes",
    );
}

#[test]
fn signature_by_another_key_is_refused() {
    let f = Fixture::new();
    let sig = key(2).sign(NS, HashAlg::Sha512, &f.records[1]).unwrap();
    f.write_sig(2, sshsig::to_pem(&sig).unwrap().as_bytes());
    let (state, problems) = f.second();
    assert_eq!(state, State::Invalid);
    let fp = sshsig::fingerprint(key(2).public_key());
    has(
        &problems,
        &format!("00000002.yaml: signed with key {fp}, but the record names key"),
    );
    has(
        &problems,
        &format!("00000002.yaml: signer not allowed: key {fp} is not in allowed_signers"),
    );
}

#[test]
fn wrong_namespace_is_refused() {
    let f = Fixture::new();
    let sig = key(1)
        .sign("casebench-practice", HashAlg::Sha512, &f.records[1])
        .unwrap();
    f.write_sig(2, sshsig::to_pem(&sig).unwrap().as_bytes());
    let (state, problems) = f.second();
    assert_eq!(state, State::Invalid);
    has(
        &problems,
        "00000002.yaml: signature namespace is `casebench-practice`, expected `casebench-decision`",
    );
}

#[test]
fn malformed_and_foreign_signatures_are_refused_as_before() {
    let f = Fixture::new();
    f.write_sig(
        2,
        b"-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
    );
    let (state, problems) = f.second();
    assert_eq!(state, State::Invalid);
    has(
        &problems,
        "00000002.yaml: the signature file is not an SSH signature: ",
    );
    // An ed25519 key with a signature labelled RSA: the message is the one the
    // uncached path gives.
    let good = key(1).sign(NS, HashAlg::Sha512, &f.records[1]).unwrap();
    let rsa = SshSig::new(
        good.public_key().clone(),
        NS,
        HashAlg::Sha512,
        Signature::new(
            Algorithm::Rsa {
                hash: Some(HashAlg::Sha512),
            },
            vec![7u8; 256],
        )
        .unwrap(),
    )
    .unwrap();
    let expected = sshsig::verify(&rsa, NS, &f.records[1]).unwrap_err();
    f.write_sig(2, rsa.to_pem(LineEnding::LF).unwrap().as_bytes());
    let (state, problems) = f.second();
    assert_eq!(state, State::Invalid);
    has(&problems, &format!("00000002.yaml: {expected}"));
}

#[cfg(unix)]
#[test]
fn reading_refuses_links_specials_and_oversized_files() {
    let f = Fixture::new();
    let two = f.log.join("00000002.yaml");
    let elsewhere = f.cases.join("copy.yaml");
    std::fs::write(&elsewhere, &f.records[1]).unwrap();
    std::fs::remove_file(&two).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &two).unwrap();
    let (_, problems) = f.second();
    has(&problems, "00000002.yaml: cannot read: is a symbolic link");

    std::fs::remove_file(&two).unwrap();
    mkfifo(&two);
    let (_, problems) = f.second();
    has(&problems, "00000002.yaml: cannot read: not a regular file");

    std::fs::remove_file(&two).unwrap();
    std::fs::create_dir(&two).unwrap();
    let (_, problems) = f.second();
    has(&problems, "00000002.yaml: cannot read: not a regular file");

    std::fs::remove_dir(&two).unwrap();
    std::fs::write(&two, &f.records[1]).unwrap();
    f.write_sig(2, &vec![b'A'; 64 * 1024 + 1]);
    let (_, problems) = f.second();
    has(
        &problems,
        "00000002.yaml.sig: cannot read: 65537 bytes, more than the limit of 65536",
    );
}

fn mkfifo(p: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

#[test]
fn names_are_the_log_names() {
    for seq in [1, 42, 99_999_999, 100_000_000, u64::MAX] {
        assert_eq!(Name::new(seq, false).as_str(), log::record_name(seq));
        assert_eq!(Name::new(seq, true).as_str(), log::sig_name(seq));
    }
}

#[test]
fn the_usual_names_are_read_as_parse_name_reads_them() {
    let names = [
        "00000001.yaml",
        "00000001.yaml.sig",
        "99999999.yaml",
        "00000000.yaml",
        "00000000.yaml.sig",
        "0000001.yaml",
        "000000001.yaml",
        "100000000.yaml.sig",
        "1234567a.yaml",
        "12345678.yml",
        "12345678.yaml.sigx",
        "12345678.yaml~",
        "-1234567.yaml",
        "+1234567.yaml",
        " 1234567.yaml",
        "12345678",
        "",
        ".tmp-12345678.yaml",
    ];
    let mut usual = 0;
    for n in names {
        let fast = super::usual_name(n.as_bytes());
        if fast.is_some() {
            usual += 1;
            assert_eq!(fast, log::parse_name(n), "{n}");
        }
    }
    assert_eq!(usual, 3);
    for seq in [1, 7, 4711, 99_999_999] {
        for sig in [false, true] {
            let n = Name::new(seq, sig);
            assert_eq!(super::usual_name(n.as_str().as_bytes()), Some((seq, sig)));
        }
    }
}

#[test]
fn chain_case_prev_and_pointers() {
    // Two cases interleaved, a review of an earlier record of its case: all fine.
    let specs = [
        ("AR-1", None),
        ("AR-2", None),
        ("AR-1", None),
        ("AR-2", Some(2)),
    ];
    let f = Fixture::custom(&specs, |_, _| {});
    let r = verify_log(&f.cases, None).unwrap();
    assert!(r.ok(), "{:?}", r.first_bad());

    // A review of a record of another case (pointers to itself or later ones are
    // malformed records: `check_fields`).
    let f = Fixture::custom(&specs, |s, rec| {
        if s == 4 {
            rec.reviews = Some(1);
        }
    });
    let r = verify_log(&f.cases, None).unwrap();
    has(
        &r.records[3].problems,
        "00000004.yaml: points to record 1, which is not an earlier record of case AR-2",
    );

    // case_prev naming nothing where there is a previous record of the case, and
    // naming a record where there is none.
    let f = Fixture::custom(&specs, |s, rec| match s {
        3 => rec.case_prev = NONE.into(),
        2 => rec.case_prev = rec.prev.clone(),
        _ => {}
    });
    let r = verify_log(&f.cases, None).unwrap();
    has(
        &r.records[2].problems,
        "00000003.yaml: case_prev does not match the previous record of case AR-1 (record 1)",
    );
    has(
        &r.records[1].problems,
        "00000002.yaml: case_prev does not match the previous record of case AR-2 (there is none)",
    );
    assert_eq!(r.count(State::Ok), 2);

    // A record deleted: it is missing, and the next one's prev cannot be checked.
    let f = Fixture::custom(&specs, |_, _| {});
    std::fs::remove_file(f.log.join("00000002.yaml")).unwrap();
    let r = verify_log(&f.cases, None).unwrap();
    assert!(
        r.issues
            .iter()
            .any(|i| i.message == "record 2 is missing (00000002.yaml deleted?)")
    );
    has(
        &r.records[1].problems,
        "00000003.yaml: prev cannot be checked: record 2 is missing",
    );
    // The review of record 2 now points to nothing.
    has(
        &r.records[2].problems,
        "00000004.yaml: points to record 2, which is not an earlier record of case AR-2",
    );
    assert!(
        r.issues
            .iter()
            .any(|i| i.message == "00000002.yaml.sig: orphaned signature: its record 2 is missing")
    );

    // Record 1 edited (and re-signed): record 2's prev no longer matches.
    let f = Fixture::custom(&specs, |_, _| {});
    let edited = String::from_utf8(f.records[0].clone())
        .unwrap()
        .replace("Record 1.", "Record 0.");
    let sig = key(1).sign(NS, HashAlg::Sha512, edited.as_bytes()).unwrap();
    f.write(1, edited.as_bytes(), &sig);
    let r = verify_log(&f.cases, None).unwrap();
    assert_eq!(r.records[0].state, State::Ok);
    has(
        &r.records[1].problems,
        "00000002.yaml: prev does not match record 1 (a record before it was changed, replaced or reordered)",
    );
    // ... and record 3's case_prev (record 1 is its case's previous record).
    has(
        &r.records[2].problems,
        "00000003.yaml: case_prev does not match the previous record of case AR-1 (record 1)",
    );
}

#[cfg(unix)]
#[test]
fn reading_a_listed_regular_file_without_fstat() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = super::LogDir::open(tmp.path()).unwrap();
    let name = Name::new(1, false);
    let path = tmp.path().join(name.as_str());
    let mut buf = vec![9; 3];
    for len in [0usize, 1, 1000, 4096] {
        let content: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &content).unwrap();
        dir.read_listed(&name, 4096, &mut buf).unwrap();
        assert_eq!(buf, content, "{len}");
        dir.read_into(&name, 4096, &mut buf).unwrap();
        assert_eq!(buf, content, "{len}");
    }
    std::fs::write(&path, vec![b'x'; 4097]).unwrap();
    for e in [
        dir.read_listed(&name, 4096, &mut buf).unwrap_err(),
        dir.read_into(&name, 4096, &mut buf).unwrap_err(),
    ] {
        assert_eq!(e.to_string(), "4097 bytes, more than the limit of 4096");
    }
    // Were it swapped after the listing: a link is still refused, a directory cannot
    // be read, a FIFO without a writer reads empty (and fails as a record).
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &path).unwrap();
    let e = dir.read_listed(&name, 4096, &mut buf).unwrap_err();
    assert_eq!(e.to_string(), "is a symbolic link");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();
    assert!(dir.read_listed(&name, 4096, &mut buf).is_err());
    std::fs::remove_dir(&path).unwrap();
    mkfifo(&path);
    dir.read_listed(&name, 4096, &mut buf).unwrap();
    assert!(buf.is_empty());
}
