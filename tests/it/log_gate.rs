//! An append never extends a damaged log (DESIGN section 4; issue "a shared decision log
//! that defends itself"). Each tampering a sysadmin or an insider could do to a log of
//! five records is followed by `casebench decide`: it must refuse (exit 1), name the
//! first bad record and `casebench verify`, and write nothing. The untouched log, and
//! the same log without its verified-head cache, accept the append.

use crate::support::record as record_support;

use std::collections::BTreeMap;
use std::path::Path;

use casebench::record::RecordType;
use record_support::*;

/// A practice record by the trainee: an append that the advisor never stops, so any
/// refusal comes from the log.
fn append(env: &Env) -> std::process::Output {
    env.decide(
        T,
        &[
            CASE,
            "--type",
            "practice",
            "--outcome",
            "deny",
            "--ground",
            "lack-of-consent",
            "--rationale",
            "Practice.",
        ],
    )
}

/// Every file of the log, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

fn fresh() -> Env {
    let env = Env::new();
    env.fill(5);
    env
}

fn flip_byte(path: &Path, needle: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    let at = String::from_utf8_lossy(&bytes).find(needle).unwrap();
    bytes[at] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn replace_text(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// A signature over `record`'s bytes by `key_of`'s key in namespace `ns`.
fn resign(env: &Env, seq: u64, key_of: &str, ns: &str) {
    let key = ssh_key::PrivateKey::read_openssh_file(&env.key(key_of)).unwrap();
    let bytes = std::fs::read(env.record(seq)).unwrap();
    let sig = key.sign(ns, ssh_key::HashAlg::Sha512, &bytes).unwrap();
    std::fs::write(env.sig(seq), sig.to_pem(ssh_key::LineEnding::LF).unwrap()).unwrap();
}

fn assert_refused(env: &Env, what: &str, first_bad: u64) {
    let before = snapshot(&env.log());
    let o = append(env);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert!(err.contains("damaged"), "{what}: {err}");
    assert!(
        err.contains(&format!("record {first_bad}")),
        "{what}: expected record {first_bad}: {err}"
    );
    assert!(err.contains("casebench verify"), "{what}: {err}");
    assert_eq!(snapshot(&env.log()), before, "{what}: the log changed");
}

type Tamper = fn(&Env);

const TAMPERINGS: &[(&str, u64, Tamper)] = &[
    ("record deleted from the middle", 3, |e| {
        std::fs::remove_file(e.record(3)).unwrap()
    }),
    ("record and signature deleted from the middle", 3, |e| {
        std::fs::remove_file(e.record(3)).unwrap();
        std::fs::remove_file(e.sig(3)).unwrap();
    }),
    ("flipped byte in the middle", 3, |e| {
        flip_byte(&e.record(3), "rationale")
    }),
    ("flipped byte in the newest record", 5, |e| {
        flip_byte(&e.record(5), "rationale")
    }),
    ("reviewer line changed in the middle", 2, |e| {
        replace_text(&e.record(2), A, B)
    }),
    ("reviewer line changed in the newest record", 5, |e| {
        replace_text(&e.record(5), T, A)
    }),
    ("signature deleted in the middle", 3, |e| {
        std::fs::remove_file(e.sig(3)).unwrap()
    }),
    ("signature of the newest record deleted", 5, |e| {
        std::fs::remove_file(e.sig(5)).unwrap()
    }),
    ("signature by a foreign key in the middle", 2, |e| {
        resign(e, 2, U, "casebench-decision")
    }),
    (
        "signature in the wrong namespace on the newest record",
        5,
        |e| resign(e, 5, T, "casebench-decision"),
    ),
    (
        "a decision forged by the trainee in a supervisor's name",
        6,
        |e| {
            forge(e, RecordType::Decision, A, T, now());
        },
    ),
    ("a decision signed by the trainee", 6, |e| {
        forge(e, RecordType::Decision, T, T, now());
    }),
    ("records swapped", 2, |e| {
        let (two, three) = (e.record(2), e.record(3));
        let tmp = e.log().join("swap");
        std::fs::rename(&two, &tmp).unwrap();
        std::fs::rename(&three, &two).unwrap();
        std::fs::rename(&tmp, &three).unwrap();
    }),
    ("a record copied beyond a gap", 6, |e| {
        std::fs::copy(e.record(4), e.record(7)).unwrap();
        std::fs::copy(e.sig(4), e.sig(7)).unwrap();
    }),
    ("the newest record deleted (rollback)", 5, |e| {
        std::fs::remove_file(e.record(5)).unwrap();
        std::fs::remove_file(e.sig(5)).unwrap();
    }),
    (
        "the newest record replaced by another, validly signed and chained",
        5,
        |e| {
            std::fs::remove_file(e.record(5)).unwrap();
            std::fs::remove_file(e.sig(5)).unwrap();
            forge(
                e,
                RecordType::Practice,
                T,
                T,
                now() + chrono::Duration::hours(2),
            );
        },
    ),
];

#[test]
fn every_tampering_is_refused_and_nothing_written() {
    for (what, first_bad, tamper) in TAMPERINGS {
        let env = fresh();
        tamper(&env);
        assert_refused(&env, what, *first_bad);
    }
}

#[test]
fn without_the_cache_tamperings_inside_the_log_are_still_refused() {
    // With no verified head remembered, the gate verifies every signature once.
    for (what, first_bad, tamper) in &TAMPERINGS[..14] {
        let env = fresh();
        std::fs::remove_dir_all(env.cases.join("decisions/cache")).unwrap();
        tamper(&env);
        assert_refused(&env, what, *first_bad);
    }
}

#[test]
fn a_whole_log_is_extended_with_or_without_its_cache() {
    let env = fresh();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = env.cases.join("decisions/cache/verified-head");
    let remembered = std::fs::read_to_string(&cache).unwrap();
    assert!(remembered.contains("seq: 6"), "{remembered}");
    // Deleting the cache changes no answer, only the time.
    std::fs::remove_file(&cache).unwrap();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    // A malformed cache is ignored, never trusted.
    std::fs::write(&cache, "casebench-verified-head/1\nseq: nonsense\n").unwrap();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert_eq!(r.head, 8);
}

#[test]
fn rollback_is_refused_until_verify_has_looked_at_the_log() {
    let env = fresh();
    std::fs::remove_file(env.record(5)).unwrap();
    std::fs::remove_file(env.sig(5)).unwrap();
    assert_refused(&env, "rollback", 5);
    // `verify` finds the shorter log whole (no checkpoint covers it) and says that
    // the remembered head is gone; appends then go on from the log as it is.
    let o = env.cmd().arg("verify").output().unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("warning: record 5 verified earlier") && out.contains("missing"),
        "{out}"
    );
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_checkpoint_beside_the_log_guards_appends_and_plain_verify() {
    let env = fresh();
    let o = env
        .cmd()
        .args(["--reviewer", C, "--key"])
        .arg(env.key(C))
        .arg("checkpoint")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // Truncate and remove the verified head too: only the checkpoint remembers.
    std::fs::remove_file(env.record(5)).unwrap();
    std::fs::remove_file(env.sig(5)).unwrap();
    std::fs::remove_dir_all(env.cases.join("decisions/cache")).unwrap();
    assert_refused(&env, "truncated below a checkpoint", 5);
    for args in [&["verify"][..], &["audit"][..]] {
        let o = env.cmd().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("log truncated"), "{args:?}: {all}");
    }
}
