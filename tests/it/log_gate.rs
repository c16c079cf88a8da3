//! An append never extends a damaged log (DESIGN section 4; issue "a shared decision log
//! that defends itself", and issue 20: every member's client is a witness). Each
//! tampering a sysadmin or an insider could do to a log of five records is followed by
//! `casebench decide` by a member who had seen the log: it must refuse (exit 1), name
//! the first bad record, and write nothing. A member using the log for the first time
//! verifies it whole, and refuses every tampering inside it; a rollback is refused by
//! everyone who saw more. Files any member can write (`decisions/cache/`) change nothing.

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

/// Five records, which the trainee (who appends in these tests) has seen.
fn fresh() -> Env {
    let env = Env::new();
    env.fill(5);
    look(&env, T);
    env
}

/// `who` reads the log (`casebench list`): their memory now holds its head.
fn look(env: &Env, who: &str) {
    let o = env.cmd_as(who).arg("list").output().unwrap();
    assert!(o.status.success(), "{who} list: {}", stderr(&o));
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
    assert!(
        err.contains("damaged") || err.contains("no longer holds what you verified"),
        "{what}: {err}"
    );
    assert!(
        err.contains(&format!("record {first_bad}")),
        "{what}: expected record {first_bad}: {err}"
    );
    assert!(
        err.contains("casebench verify") || err.contains("rewind notice"),
        "{what}: {err}"
    );
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
fn a_members_first_use_refuses_every_tampering_inside_the_log() {
    // The trainee never saw the log: their first use verifies every record once.
    for (what, first_bad, tamper) in &TAMPERINGS[..14] {
        let env = Env::new();
        env.fill(5);
        tamper(&env);
        assert_refused(&env, what, *first_bad);
    }
}

#[test]
fn files_any_member_can_write_change_no_answer() {
    let env = fresh();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    // A "verified head" and an index left in the shared cache directory, as older
    // versions kept them, written by anyone: false, malformed, or blocking. Ignored.
    let cache = env.cases.join("decisions/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join("verified-head"),
        format!(
            "casebench-verified-head/1\nseq: 3\nrecord: sha256:{z}\nsignature: sha256:{z}\nsignatures: sha256:{z}\n",
            z = "0".repeat(64)
        ),
    )
    .unwrap();
    std::fs::write(cache.join("index"), "casebench-index/1\njunk\n").unwrap();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_dir_all(&cache).unwrap();
    let o = append(&env);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert_eq!(r.head, 8);
}

#[test]
fn a_rollback_stays_refused_by_everyone_who_saw_more_even_after_verify() {
    let env = fresh();
    std::fs::remove_file(env.record(5)).unwrap();
    std::fs::remove_file(env.sig(5)).unwrap();
    assert_refused(&env, "rollback", 5);
    // `verify` does not launder it: the trainee's verify fails, naming record 5 and
    // when they saw it, and their next append is still refused.
    let o = env.cmd_as(T).arg("verify").output().unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("record 5, which you saw at"), "{out}");
    assert_refused(&env, "rollback after verify", 5);
    // The member who wrote it is refused too (list: exit 1, the seq named).
    let o = env.cmd_as(SETUP).args(["list", "--json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["error"], "log_diverged");
    assert_eq!(v["seq"], 5);
}

#[test]
fn a_checkpoint_beside_the_log_guards_appends_and_plain_verify() {
    // The trainee never looked at the log: only the checkpoint remembers its head.
    let env = Env::new();
    env.fill(5);
    let o = env
        .cmd()
        .args(["--reviewer", C, "--key"])
        .arg(env.key(C))
        .arg("checkpoint")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_file(env.record(5)).unwrap();
    std::fs::remove_file(env.sig(5)).unwrap();
    assert_refused(&env, "truncated below a checkpoint", 5);
    // Users who never saw the log (the compliance officer did: their memory says so).
    for (who, args) in [("newcomer", &["verify"][..]), ("newcomer2", &["audit"][..])] {
        let o = env.cmd_as(who).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(all.contains("log truncated"), "{args:?}: {all}");
    }
}
