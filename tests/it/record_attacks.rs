//! Attacks on the log, each detected by `verify` with a message that names what is
//! wrong and where, and exit status 1 naming the first bad record.

use crate::support::record as record_support;

use casebench::record::RecordType;
use casebench::record::verify::State;
use record_support::*;

/// Runs `casebench verify` (plus `extra` args) and returns (exit code, stdout).
fn verify_cli(env: &Env, extra: &[&str]) -> (Option<i32>, String) {
    let o = env.cmd().arg("verify").args(extra).output().unwrap();
    (o.status.code(), stdout(&o))
}

fn assert_detected(env: &Env, first: u64, needle: &str) {
    let report = env.verify();
    let (seq, msg) = report.first_bad().expect("verify must find the attack");
    assert_eq!(seq, Some(first), "{msg}");
    assert!(
        msg.contains(needle),
        "first problem `{msg}` should mention `{needle}`"
    );
    let (code, out) = verify_cli(env, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("FAILED: first bad record {first}: ")),
        "{out}"
    );
    assert!(out.contains(needle), "{out}");
}

#[test]
fn intact_log_verifies() {
    let env = Env::new();
    env.fill(5);
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert_eq!(r.count(State::Ok), 5);
    let (code, out) = verify_cli(&env, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("5 record(s): 5 ok"), "{out}");
}

#[test]
fn one_byte_edited() {
    let env = Env::new();
    env.fill(5);
    let mut bytes = std::fs::read(env.record(3)).unwrap();
    let at = bytes.windows(4).position(|w| w == b"Test").unwrap();
    bytes[at] = b'B';
    std::fs::remove_file(env.record(3)).unwrap();
    std::fs::write(env.record(3), &bytes).unwrap();
    assert_detected(
        &env,
        3,
        "00000003.yaml: the signature does not match the file's bytes",
    );
    // The next record's link to it breaks too.
    let r = env.verify();
    assert!(
        r.records[3]
            .problems
            .iter()
            .any(|p| p.contains("prev does not match record 3"))
    );
}

#[test]
fn middle_record_deleted() {
    let env = Env::new();
    env.fill(5);
    std::fs::remove_file(env.record(3)).unwrap();
    std::fs::remove_file(env.sig(3)).unwrap();
    assert_detected(&env, 3, "record 3 is missing");
}

#[test]
fn two_records_swapped() {
    let env = Env::new();
    env.fill(5);
    for ext in ["", ".sig"] {
        let a = format!("{}{ext}", env.record(2).display());
        let b = format!("{}{ext}", env.record(3).display());
        let tmp = format!("{a}.x");
        std::fs::rename(&a, &tmp).unwrap();
        std::fs::rename(&b, &a).unwrap();
        std::fs::rename(&tmp, &b).unwrap();
    }
    assert_detected(&env, 2, "00000002.yaml holds record 3");
}

#[test]
fn signature_removed() {
    let env = Env::new();
    env.fill(5);
    std::fs::remove_file(env.sig(4)).unwrap();
    assert_detected(
        &env,
        4,
        "00000004.yaml: no signature (00000004.yaml.sig missing)",
    );
}

#[test]
fn unknown_key() {
    let env = Env::new();
    env.fill(3);
    let seq = forge(&env, RecordType::Decision, A, U, now());
    assert_eq!(seq, 4);
    assert_detected(&env, 4, "is not in allowed_signers");
}

#[test]
fn a_key_signing_as_b() {
    let env = Env::new();
    env.fill(3);
    forge(&env, RecordType::Decision, B, A, now());
    assert_detected(&env, 4, &format!("belongs to {A}, not to {B}"));
}

#[test]
fn trainee_key_signing_a_decision() {
    let env = Env::new();
    env.fill(3);
    forge(&env, RecordType::Decision, T, T, now());
    assert_detected(
        &env,
        4,
        &format!("{T} may not sign in namespace casebench-decision (allowed: casebench-practice)"),
    );
}

#[test]
fn key_past_valid_before() {
    let env = Env::with_options(&[(B, "valid-before=\"20260301Z\"")]);
    env.fill(3);
    // B's key expired on 2026-03-01; a record dated 2026-03-20 signed with it:
    forge(&env, RecordType::Decision, B, B, now());
    assert_detected(
        &env,
        4,
        &format!("key of {B} expired: valid-before 2026-03-01T00:00:00Z"),
    );
    // casebench itself refuses to sign with it.
    let o = env.decide(
        B,
        &[
            CONCERN,
            "--type",
            "countersign",
            "--outcome",
            "warn_and_protect",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn last_three_truncated_detected_by_checkpoint() {
    let env = Env::new();
    env.fill(6);
    let o = env
        .cmd()
        .args([
            "--reviewer",
            C,
            "--key",
            env.key(C).to_str().unwrap(),
            "checkpoint",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["seq"], 6);
    let cp = v["file"].as_str().unwrap().to_string();
    let (good, text) = ssh_verify(
        &env.allowed(),
        C,
        "casebench-audit",
        std::path::Path::new(&cp),
        &[],
    );
    assert!(good, "{text}");
    // Kept elsewhere, as a compliance officer would.
    let kept = env.tmp.path().join("kept.yaml");
    std::fs::copy(&cp, &kept).unwrap();
    std::fs::copy(format!("{cp}.sig"), format!("{}.sig", kept.display())).unwrap();
    let (code, out) = verify_cli(&env, &["--checkpoint", kept.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("matches"), "{out}");
    for seq in 4..=6 {
        std::fs::remove_file(env.record(seq)).unwrap();
        std::fs::remove_file(env.sig(seq)).unwrap();
    }
    // The checkpoint kept beside the log is used without being named...
    let (code, out) = verify_cli(&env, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("log truncated"), "{out}");
    // ...and an append refuses to extend the truncated log.
    let refused = env.decide(
        A,
        &[
            "DC-2026-0202",
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    // Without it (deleted by whoever truncated the log) the shorter log looks intact to
    // someone who never saw it (the auditor, who did, is not fooled)...
    std::fs::remove_dir_all(env.cases.join("decisions/checkpoints")).unwrap();
    let o = env.cmd_as("newcomer").arg("verify").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let (code, out) = verify_cli(&env, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("record 6, which you saw at"), "{out}");
    // ...with the copy kept elsewhere, the truncation is found.
    let (code, out) = verify_cli(&env, &["--checkpoint", kept.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("log truncated: the checkpoint covers records up to 6 but the log ends at 3"),
        "{out}"
    );
    assert!(out.contains("FAILED: first bad record 4"), "{out}");
    // A rewritten tail (validly signed, chained) is found too.
    for _ in 0..3 {
        forge(
            &env,
            RecordType::Practice,
            T,
            T,
            now() + chrono::Duration::hours(1),
        );
    }
    let (code, out) = verify_cli(&env, &["--checkpoint", kept.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("record 6 differs from the checkpoint"),
        "{out}"
    );
    // A checkpoint with a forged signature is refused.
    let mut bytes = std::fs::read(&kept).unwrap();
    let at = bytes.iter().position(|&b| b == b'6').unwrap();
    bytes[at] = b'5';
    std::fs::write(&kept, bytes).unwrap();
    let (code, out) = verify_cli(&env, &["--checkpoint", kept.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("signature does not match"), "{out}");
}

#[test]
fn case_file_changed_after_decision_is_reported() {
    let env = Env::new();
    env.fill(2);
    let p = env.cases.join(format!("{CASE}.yaml"));
    let mut s = std::fs::read_to_string(&p).unwrap();
    s.push_str("# edited later\n");
    std::fs::write(&p, s).unwrap();
    let r = env.verify();
    assert_eq!(r.records[0].state, State::CaseChanged);
    assert_eq!(r.records[1].state, State::Ok);
    assert!(r.intact());
    assert_detected(
        &env,
        1,
        &format!("case file {CASE}.yaml changed after the decision"),
    );
}

#[test]
fn leftovers_are_warnings_and_orphans_errors() {
    let env = Env::new();
    env.fill(3);
    std::fs::write(env.log().join(".tmp.00000004.yaml"), b"half").unwrap();
    std::fs::copy(env.sig(3), env.sig(4)).unwrap();
    let (code, out) = verify_cli(&env, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("warning: 00000004.yaml.sig: signature of an interrupted append"),
        "{out}"
    );
    assert!(
        out.contains("warning: .tmp.00000004.yaml: temporary file"),
        "{out}"
    );
    // The next append sweeps both and takes seq 4.
    env.fill(1);
    assert!(!env.log().join(".tmp.00000004.yaml").exists());
    let r = env.verify();
    assert!(r.ok() && r.issues.is_empty(), "{:?}", r.issues);
    // A signature whose record was deleted from the middle is an orphan: an error.
    std::fs::remove_file(env.record(2)).unwrap();
    assert_detected(&env, 2, "record 2 is missing");
    assert!(
        env.verify()
            .issues
            .iter()
            .any(|i| i.message.contains("orphaned signature"))
    );
}

#[test]
fn rotated_policy_keeps_old_records_checkable() {
    let env = Env::new();
    env.fill(2);
    let archived = std::fs::read_dir(env.cases.join("decisions/policies"))
        .unwrap()
        .count();
    assert_eq!(archived, 1);
    // Rotation done right: A's line stays, bounded by valid-before. Old records verify.
    env.write_allowed(&[(A, "valid-before=\"20260401Z\"")]);
    assert!(env.verify().ok());
    // Rotation by deleting A's line: records still check against the archived policy,
    // but are flagged: the current file no longer authorises them.
    let kept: String = std::fs::read_to_string(env.allowed())
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with(A))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(env.allowed(), kept).unwrap();
    let r = env.verify();
    assert_eq!(
        r.records[0].state,
        State::SupersededPolicy,
        "{:?}",
        r.records[0].problems
    );
    assert!(r.records[0].problems[0].contains("archived policy"));
}

#[test]
fn hostile_text_in_a_record_never_reaches_the_terminal_raw() {
    let env = Env::new();
    env.fill(2);
    let evil = "\u{1b}]0;owned\u{7}\u{202e}evil@clinic.example";
    forge(&env, RecordType::Decision, evil, A, now());
    let (code, out) = verify_cli(&env, &[]);
    assert_eq!(code, Some(1));
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
        "{out:?}"
    );
    assert!(
        out.contains("^[]0;owned^G<U+202E>evil@clinic.example"),
        "{out}"
    );
}
