//! Deploying on a clinic server (issue 12, point 5): a forwarded agent that holds one
//! key allowed for the namespace signs as that key's principal without `--reviewer`; a
//! missing `--key` says the key is missing; a private key others can read is warned
//! about.

use crate::support::record as record_support;

use std::os::unix::fs::PermissionsExt;

use record_support::*;

/// `casebench decide` with the agent and neither --reviewer nor --key.
fn decide_via_agent(env: &Env, agent: &Agent, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("SSH_AUTH_SOCK", &agent.sock)
        .arg("decide")
        .args(args)
        .output()
        .unwrap()
}

fn reviewer_of(env: &Env, seq: u64) -> String {
    let text = std::fs::read_to_string(env.record(seq)).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("reviewer: "))
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

#[test]
fn the_one_agent_key_allowed_for_the_namespace_names_the_signer() {
    let env = Env::new();
    let Some(agent) = start_agent(env.tmp.path()) else {
        return;
    };
    // A supervisor's key and a trainee's: each is the only one for its namespace.
    agent.add(&env.key(A));
    agent.add(&env.key(T));
    let o = decide_via_agent(
        &env,
        &agent,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Agent.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ssh-agent key SHA256:"),
        "{}",
        stdout(&o)
    );
    assert_eq!(reviewer_of(&env, 1), A);
    let (good, text) = ssh_verify(&env.allowed(), A, "casebench-decision", &env.record(1), &[]);
    assert!(good, "{text}");
    // A practice record: only the trainee's key is allowed for casebench-practice.
    let o = decide_via_agent(
        &env,
        &agent,
        &[
            CONCERN,
            "--type",
            "practice",
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "Practice via agent.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(reviewer_of(&env, 2), T);
    // Two supervisors' keys: casebench cannot choose, and says whom it could be.
    agent.add(&env.key(B));
    let o = decide_via_agent(
        &env,
        &agent,
        &[
            CONCERN,
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "pass --reviewer ID: the ssh-agent holds 2 keys that allowed_signers lists for casebench-decision ({A}, {B})"
        )),
        "{err}"
    );
    // --reviewer still chooses among them.
    let o = env
        .cmd()
        .env("SSH_AUTH_SOCK", &agent.sock)
        .args([
            "--reviewer",
            B,
            "decide",
            CONCERN,
            "--outcome",
            "warn_and_protect",
        ])
        .args(["--ground", "serious-threat", "--rationale", "B chooses."])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(reviewer_of(&env, 3), B);
    // Only a key allowed_signers does not list: who signs is asked, nothing written.
    agent.clear();
    agent.add(&env.key(U));
    let o = decide_via_agent(
        &env,
        &agent,
        &[
            CASE,
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "who signs? the ssh-agent (SSH_AUTH_SOCK) holds no key that allowed_signers lists for casebench-decision"
        ),
        "{}",
        stderr(&o)
    );
    assert!(!env.record(4).exists());
}

#[test]
fn a_missing_key_file_is_named_as_the_key() {
    let env = Env::new();
    let missing = env.tmp.path().join("mykey");
    for (key, says) in [
        (missing.clone(), "no such key file"),
        (env.tmp.path().join("mykey.pub"), "no such public key file"),
    ] {
        let o = env
            .cmd()
            .env("SSH_AUTH_SOCK", env.tmp.path().join("no-agent"))
            .arg("--reviewer")
            .arg(A)
            .arg("--key")
            .arg(&key)
            .args(["decide", CASE, "--outcome", "release_full"])
            .args(["--ground", "right-of-access", "--rationale", "x"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            format!("casebench: --key {}: {says}\n", key.display())
        );
    }
}

#[test]
fn a_private_key_others_can_read_is_warned_about() {
    let env = Env::new();
    let key = env.tmp.path().join("open_key");
    std::fs::copy(env.key(A), &key).unwrap();
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let decide = |case: &str, outcome: &str, ground: &str| {
        let withhold: &[&str] = if case == CASE {
            &["--withhold", "notes=psychotherapy-notes"]
        } else {
            &[]
        };
        env.cmd()
            .arg("--reviewer")
            .arg(A)
            .arg("--key")
            .arg(&key)
            .args(["decide", case, "--outcome", outcome, "--ground", ground])
            .args(withhold)
            .args(["--rationale", "x"])
            .output()
            .unwrap()
    };
    let o = decide(CASE, "release_partial", "right-of-access");
    // Signed (as ssh would not), and told why that is risky and what to do.
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "casebench: warning: the private key file {} has mode 0644: group or others may read it",
            key.display()
        )),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&format!("chmod 600 {}", key.display())),
        "{}",
        stderr(&o)
    );
    // With mode 0600 nothing is said.
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = decide(CONCERN, "warn_and_protect", "serious-threat");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}
