//! Interop with the real OpenSSH: every record casebench writes verifies with
//! `ssh-keygen -Y verify`; ssh-keygen's signatures verify with casebench (and are
//! byte-identical for ed25519); signing through a real ssh-agent; a passphrase key.

use crate::support::record as record_support;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use record_support::*;

fn ns_of(env: &Env, seq: u64) -> &'static str {
    let rec =
        casebench::record::Record::from_bytes(&std::fs::read(env.record(seq)).unwrap()).unwrap();
    rec.kind.namespace()
}

#[test]
fn every_record_verifies_with_ssh_keygen_and_signatures_are_identical() {
    let env = Env::new();
    let ok = |o: std::process::Output| assert!(o.status.success(), "{}", stderr(&o));
    ok(env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Notes kept separately.\n  Indented line: \"quoted\" # not a comment",
        ],
    ));
    ok(env.decide(
        B,
        &[
            CASE,
            "--type",
            "countersign",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Agree.",
        ],
    ));
    ok(env.decide(
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
    ));
    ok(env.decide(
        A,
        &[
            CONCERN,
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--disclosure",
            "Police, 3rd precinct|1 Main St: desk|threat: \"tonight\"|prevent harm",
            "--rationale",
            "Warn.",
        ],
    ));
    // A review by a licensed reviewer who took no part: needs a fresh denial.
    let env2 = Env::new();
    ok(env2.decide(
        A,
        &[
            CASE,
            "--outcome",
            "deny",
            "--ground",
            "danger-to-life",
            // The fixture supports no such denial: the advisor's error findings are
            // overridden so that there is a denial to review.
            "--override",
            "invalid-ground=test fixture: a denial for the reviewer to reverse",
            "--override",
            "whole-record-denial=test fixture: a denial for the reviewer to reverse",
            "--rationale",
            "Deny.",
        ],
    ));
    ok(env2.decide(
        B,
        &[
            CASE,
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "On review, release.",
        ],
    ));

    let mut checked = 0;
    for (e, seqs) in [(&env, 1..=4u64), (&env2, 1..=2)] {
        for seq in seqs {
            let rec = casebench::record::Record::from_bytes(&std::fs::read(e.record(seq)).unwrap())
                .unwrap();
            let (good, text) = ssh_verify(
                &e.allowed(),
                &rec.reviewer,
                ns_of(e, seq),
                &e.record(seq),
                &[],
            );
            assert!(good, "record {seq}: {text}");
            assert!(
                text.contains(&format!(
                    "Good \"{}\" signature for {}",
                    ns_of(e, seq),
                    rec.reviewer
                )),
                "{text}"
            );
            // ssh-keygen signs the same bytes to the same PEM (ed25519 is deterministic).
            let theirs = ssh_sign(
                &e.key(&rec.reviewer),
                ns_of(e, seq),
                &std::fs::read(e.record(seq)).unwrap(),
                &[],
            );
            assert_eq!(theirs, std::fs::read(e.sig(seq)).unwrap(), "record {seq}");
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
    // Namespaces per type: a countersign is a decision-namespace signature; review has its own.
    assert_eq!(ns_of(&env, 2), "casebench-decision");
    assert_eq!(ns_of(&env, 3), "casebench-practice");
    assert_eq!(ns_of(&env2, 2), "casebench-review");
    let v = env.cmd().arg("verify").output().unwrap();
    assert!(v.status.success(), "{}", stdout(&v));
    // Records are 0640, whatever the umask.
    let mode = std::fs::metadata(env.record(1))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640);
}

#[test]
fn ssh_keygen_signatures_are_accepted() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Release.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(env.record(1)).unwrap();
    // sha256 differs from ours byte for byte but is a valid SSHSIG: accepted.
    let theirs = ssh_sign(
        &env.key(A),
        "casebench-decision",
        &bytes,
        &["-O", "hashalg=sha256"],
    );
    assert_ne!(theirs, std::fs::read(env.sig(1)).unwrap());
    std::fs::remove_file(env.sig(1)).unwrap();
    std::fs::write(env.sig(1), &theirs).unwrap();
    let v = env.cmd().arg("verify").output().unwrap();
    assert!(v.status.success(), "{}", stdout(&v));
    // A signature in the wrong namespace is refused, naming it.
    let wrong = ssh_sign(&env.key(A), "casebench-practice", &bytes, &[]);
    std::fs::remove_file(env.sig(1)).unwrap();
    std::fs::write(env.sig(1), &wrong).unwrap();
    let v = env.cmd().arg("verify").output().unwrap();
    assert_eq!(v.status.code(), Some(1));
    assert!(
        stdout(&v).contains("namespace is `casebench-practice`, expected `casebench-decision`"),
        "{}",
        stdout(&v)
    );
}

#[test]
fn signs_through_a_real_ssh_agent() {
    let env = Env::new();
    let agent = start_agent(env.tmp.path()).expect("ssh-agent");
    let add = Command::new("ssh-add")
        .arg(env.key(A))
        .env("SSH_AUTH_SOCK", &agent.sock)
        .output()
        .unwrap();
    assert!(add.status.success(), "{}", stderr(&add));
    // Move the private key away: only the agent can sign now.
    let private = env.key(A);
    std::fs::rename(&private, env.tmp.path().join("elsewhere")).unwrap();
    let pubkey = format!("{}.pub", private.display());
    let o = env
        .cmd()
        .env("SSH_AUTH_SOCK", &agent.sock)
        .args([
            "--reviewer",
            A,
            "--key",
            &pubkey,
            "decide",
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Via agent.",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ssh-agent key SHA256:"),
        "{}",
        stdout(&o)
    );
    let (good, text) = ssh_verify(&env.allowed(), A, "casebench-decision", &env.record(1), &[]);
    assert!(good, "{text}");
    // Without --key, the agent key allowed for the reviewer is found by itself.
    let o = env
        .cmd()
        .env("SSH_AUTH_SOCK", &agent.sock)
        .args([
            "--reviewer",
            A,
            "decide",
            CONCERN,
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "Agent, no --key.",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("ssh-agent key"), "{}", stdout(&o));
    let (good, text) = ssh_verify(&env.allowed(), A, "casebench-decision", &env.record(2), &[]);
    assert!(good, "{text}");
    // A .pub the agent does not hold is refused with a clear message.
    let o = env
        .cmd()
        .env("SSH_AUTH_SOCK", &agent.sock)
        .args([
            "--reviewer",
            B,
            "--key",
            &format!("{}.pub", env.key(B).display()),
            "decide",
            CONCERN,
            "--type",
            "countersign",
            "--outcome",
            "warn_and_protect",
            "--rationale",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ssh-agent does not hold the key"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn passphrase_protected_key_via_askpass() {
    let env = Env::new();
    let enc = env.tmp.path().join("enc_key");
    keygen(&enc, "correct horse");
    // Give A the encrypted key in the policy.
    let line = std::fs::read_to_string(format!("{}.pub", enc.display())).unwrap();
    let line: String = line
        .split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    std::fs::write(
        env.allowed(),
        format!("{A} namespaces=\"casebench-decision\" {line}\n"),
    )
    .unwrap();
    let script = |name: &str, pass: &str| {
        let p = env.tmp.path().join(name);
        std::fs::write(&p, format!("#!/bin/sh\nprintf '%s\\n' '{pass}'\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700)).unwrap();
        p
    };
    let args = [
        "--reviewer",
        A,
        "--key",
        enc.to_str().unwrap(),
        "decide",
        CASE,
        "--outcome",
        "release_partial",
        "--ground",
        "right-of-access",
        "--withhold",
        "notes=psychotherapy-notes",
        "--rationale",
        "Encrypted key.",
    ];
    let wrong = env
        .cmd()
        .env("CASEBENCH_ASKPASS", script("wrong.sh", "nope"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        stderr(&wrong).contains("wrong passphrase"),
        "{}",
        stderr(&wrong)
    );
    assert!(!env.record(1).exists());
    let good = env
        .cmd()
        .env("CASEBENCH_ASKPASS", script("good.sh", "correct horse"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(good.status.success(), "{}", stderr(&good));
    let (ok, text) = ssh_verify(&env.allowed(), A, "casebench-decision", &env.record(1), &[]);
    assert!(ok, "{text}");
}

/// Our reading of allowed_signers agrees with ssh-keygen's on principals (wildcards,
/// negation, quotes), namespaces and validity at a given time.
#[test]
fn allowed_signers_subset_agrees_with_ssh_keygen() {
    use casebench::record::allowed_signers::{AllowedSigners, parse_ssh_time};
    let env = Env::new();
    let key = env.pubkey_line(A);
    let policy = format!(
        "\"*@clinic.example,!b.*\" namespaces=\"casebench-decision,casebench-r*\",valid-after=\"20260101Z\",valid-before=\"20261231235959Z\" {key} comment here\n"
    );
    let allowed = env.tmp.path().join("allowed");
    std::fs::write(&allowed, &policy).unwrap();
    let parsed = AllowedSigners::parse(policy.as_bytes()).unwrap();
    let msg = env.tmp.path().join("msg");
    let mut cases = 0;
    for ns in [
        "casebench-decision",
        "casebench-review",
        "casebench-practice",
    ] {
        std::fs::write(&msg, b"hello\n").unwrap();
        std::fs::write(
            format!("{}.sig", msg.display()),
            ssh_sign(&env.key(A), ns, b"hello\n", &[]),
        )
        .unwrap();
        for who in [A, B, "x@other.example"] {
            for when in ["20251231Z", "20260601Z", "20270101Z"] {
                let (theirs, _) = ssh_verify(
                    &allowed,
                    who,
                    ns,
                    &msg,
                    &["-O", &format!("verify-time={when}")],
                );
                let pk = ssh_key::PublicKey::from_openssh(&key).unwrap();
                let ours = parsed
                    .check(who, &pk, ns, parse_ssh_time(when).unwrap())
                    .is_ok();
                assert_eq!(ours, theirs, "{who} {ns} {when}");
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 27);
}
