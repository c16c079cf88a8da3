//! docs/DEPLOY.md section 3 over a real sshd: the `sshd_config` block as written (names
//! and paths substituted), a member logging in with a key. The forced command
//! (`casebench ssh`) runs a read-only command the client names and refuses the rest.
//! Root and sshd only (`.ci/run` installs openssh-server); skipped with a message
//! elsewhere.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::support::cli::{keygen, stderr, stdout};
use crate::support::sshd::{self, HOST, Sshd};

const MEMBER: &str = "cbtest-member";
const TODAY: &str = "2026-03-28";

fn deploy_block(name: &str) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/DEPLOY.md"))
        .unwrap();
    let marker = format!("<!-- deploy-test: {name} -->");
    let at = doc.find(&marker).expect("the block's marker");
    let rest = &doc[at + marker.len()..];
    let body = &rest[rest.find("```").expect("a code block")..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("\n```").expect("the block's end")].to_string() + "\n"
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_member_runs_read_only_commands_through_the_forced_command_and_nothing_else() {
    if !sshd::available("deploy_sshd") {
        return;
    }
    let _one_at_a_time = sshd::serial();
    sshd::ensure_user(MEMBER, "/bin/sh");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    sshd::open_up(dir);
    // The case directory, readable by the member (a stand-in for the clinic group).
    let cases = dir.join("cases");
    std::fs::create_dir(&cases).unwrap();
    for name in ["AR-2026-0101.yaml", "DC-2026-0007.yaml"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/cases")
                .join(name),
            cases.join(name),
        )
        .unwrap();
        chmod(&cases.join(name), 0o644);
    }
    let reviewers = cases.join("reviewers");
    crate::support::common::copy_dir(
        &crate::support::common::sample_library().join("reviewers"),
        &reviewers,
    );
    for f in ["allowed_signers", "reviewers.yaml"] {
        chmod(&reviewers.join(f), 0o644);
    }
    chmod(&reviewers, 0o755);
    chmod(&cases, 0o755);
    // The installed binary, where the member can run it.
    let bin = dir.join("casebench");
    std::fs::copy(env!("CARGO_BIN_EXE_casebench"), &bin).unwrap();
    chmod(&bin, 0o755);
    let config = deploy_block("sshd_config")
        .replace("Match User arivera", &format!("Match User {MEMBER}"))
        .replace("Match Group clinic", &format!("Match Group {MEMBER}"))
        .replace("/usr/local/bin/casebench", bin.to_str().unwrap())
        .replace("/srv/casebench/cases", cases.to_str().unwrap());
    assert!(
        config.contains(&format!("{} --cases", bin.display())),
        "{config}"
    );
    let key = dir.join("member_key");
    keygen(&key, "");
    std::fs::create_dir_all(dir.join("authorized")).unwrap();
    std::fs::write(
        dir.join("authorized").join(MEMBER),
        format!("{}\n", sshd::pub_line(&key)),
    )
    .unwrap();
    let server = Sshd::start(dir, &format!("AllowUsers {MEMBER}\n{config}"));
    let ssh = sshd::ssh_command(dir, "member", &key, server.port, &server.known_host);
    let run = |remote: &str| -> Output {
        let mut words = ssh.split_whitespace();
        let mut c = Command::new(words.next().unwrap());
        c.args(words).args(["-l", MEMBER, HOST, remote]);
        c.output().unwrap()
    };

    // A read-only command: the same answer as on the server itself.
    let remote = run(&format!("casebench list --json --today {TODAY}"));
    assert_eq!(
        remote.status.code(),
        Some(0),
        "{}\nsshd: {}",
        stderr(&remote),
        server.log()
    );
    let local = crate::support::cli::casebench(crate::support::cli::shared_home())
        .args([
            "--cases",
            cases.to_str().unwrap(),
            "list",
            "--json",
            "--today",
            TODAY,
        ])
        .output()
        .unwrap();
    assert_eq!(stdout(&remote), stdout(&local));
    let remote = run(&format!("verify --today {TODAY}"));
    assert_eq!(remote.status.code(), Some(0), "{}", stderr(&remote));

    // Anything else is refused, nothing is written, and no shell ever runs it.
    let marker = dir.join("owned");
    for asked in [
        "casebench decide AR-2026-0101 --outcome deny --rationale x".to_string(),
        format!("touch {}", marker.display()),
        format!("list; touch {}", marker.display()),
        format!("list --cases {}", dir.display()),
    ] {
        let o = run(&asked);
        assert_eq!(o.status.code(), Some(2), "{asked}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("casebench: "),
            "{asked}: {}",
            stderr(&o)
        );
    }
    assert!(!marker.exists(), "a refused command ran");
    assert!(
        !cases.join("decisions/log").exists(),
        "something was signed"
    );
}
