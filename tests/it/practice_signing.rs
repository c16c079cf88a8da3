//! A trainee's key is allowed only for `casebench-practice`: it cannot sign a `decision`
//! (decide refuses, and a record forged with it fails verification), and practice
//! records that fail verification are never scored.

use crate::support::practice as practice_support;

use std::process::{Command, Stdio};

use practice_support::*;

/// `ssh-keygen -Y sign -n ns -f key` of `file`, written over `file.sig`.
fn resign(env: &Env, who: &str, ns: &str, file: &std::path::Path) {
    use std::io::Write;
    let mut child = Command::new("ssh-keygen")
        .args(["-Y", "sign", "-n", ns, "-f"])
        .arg(env.key(who))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(file).unwrap())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    std::fs::write(format!("{}.sig", file.display()), out.stdout).unwrap();
}

#[test]
fn decide_refuses_a_decision_signed_with_a_trainee_key() {
    let env = Env::new();
    for case in [REAL, PA] {
        let o = env.decide(
            T,
            &[
                case,
                "--outcome",
                "release_partial",
                "--ground",
                "right-of-access",
                "--withhold",
                "notes=psychotherapy-notes",
                "--rationale",
                "x",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!(
                "{T} may not sign in namespace casebench-decision (allowed: casebench-practice)"
            )),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(env.records(), 0);
    // ... nor a review.
    let o = env.decide(
        T,
        &[
            REAL,
            "--type",
            "review",
            "--outcome",
            "deny",
            "--ground",
            "psychotherapy-notes",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(env.records(), 0);
}

#[test]
fn a_decision_forged_with_a_trainee_key_fails_verification() {
    let env = Env::new();
    let o = env.decide(
        T,
        &[
            REAL,
            "--type",
            "practice",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "x",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let ok = env.verify();
    assert!(ok.status.success(), "{}", stdout(&ok));
    // The trainee turns the practice record into a decision and signs it in the
    // decision namespace with their own key: the bytes stay canonical and the chain
    // intact, only the signer's authority is missing.
    let rec = env.record(1);
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.replace("type: practice\n", "type: decision\n")).unwrap();
    resign(&env, T, "casebench-decision", &rec);
    let v = env.verify();
    assert_eq!(v.status.code(), Some(1), "{}", stdout(&v));
    assert!(
        stdout(&v).contains(&format!(
            "{T} may not sign in namespace casebench-decision (allowed: casebench-practice)"
        )),
        "{}",
        stdout(&v)
    );
    let (good, _) = ssh_verify(&env.allowed(), T, "casebench-decision", &rec);
    assert!(!good, "OpenSSH must refuse it too");
}

#[test]
fn practice_records_failing_verification_are_not_scored() {
    let env = Env::new();
    let perfect = [
        "--outcome",
        "release_partial",
        "--ground",
        "right-of-access",
        "--withhold",
        "notes=psychotherapy-notes",
    ];
    env.attempt(
        T,
        PA,
        &["--outcome", "deny", "--ground", "psychotherapy-notes"],
    );
    env.attempt(T, PA, &perfect);
    let before = env.practice_json(&["--trainee", T]);
    assert_eq!(before["trainee"]["cases"][0]["best"], 100);
    // Record 2 re-signed with a key allowed_signers does not list for T. Whoever saw it
    // before is refused (its signature is not the one they verified)...
    resign(&env, U, "casebench-practice", &env.record(2));
    let o = env.practice(&["--trainee", T]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("record 2, which you saw at"),
        "{}",
        stderr(&o)
    );
    // ...and someone new to the log sees it not scored.
    let o = env
        .cmd_as("newcomer")
        .args(["practice", "--trainee", T])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("NOT scored"), "{}", stdout(&o));
    let after: serde_json::Value = serde_json::from_slice(
        &env.cmd_as("newcomer2")
            .args(["practice", "--json", "--trainee", T])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let t = &after["trainee"];
    assert_eq!(t["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(t["cases"][0]["best"], t["cases"][0]["latest"]);
    assert!(t["cases"][0]["best"].as_u64().unwrap() < 100);
    let skipped = after["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["seq"], 2);
    assert!(
        skipped[0]["reason"]
            .as_str()
            .unwrap()
            .contains("failed verification"),
        "{after:#}"
    );
}

#[test]
fn attempts_at_a_case_that_is_no_longer_loadable_are_flagged() {
    let env = Env::new();
    env.attempt(
        T,
        PA,
        &["--outcome", "release_full", "--ground", "right-of-access"],
    );
    std::fs::remove_file(env.cases.join(format!("{PA}.yaml"))).unwrap();
    let o = env.practice(&["--trainee", T]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("case file is missing or invalid"),
        "{}",
        stdout(&o)
    );
}
