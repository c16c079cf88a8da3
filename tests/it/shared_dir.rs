//! A case directory shared by several Unix users of one clinic group, as on a clinic
//! server (docs/DEPLOY.md): a crashed writer's leftovers never block another member, the
//! sticky bit still protects published records, and a log a user cannot read is an
//! error, never an empty log. These tests create real users and need root; elsewhere
//! they skip with a message (CI runs as root).

use crate::support::record as record_support;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use record_support::*;

const GROUP: &str = "cbtest-clinic";
const ALICE: &str = "cbtest-alice";
const BOB: &str = "cbtest-bob";
/// Not in the clinic group.
const EVE: &str = "cbtest-eve";

/// Creates the group and users (they stay: creating them is idempotent).
fn users() -> bool {
    if !crate::support::unix::can_make_users() {
        return false;
    }
    crate::support::unix::ensure_users(GROUP, &[(ALICE, true), (BOB, true), (EVE, false)]);
    true
}

use crate::support::unix::{chmod, chown, uid_gid, walk};

fn group_gid() -> u32 {
    crate::support::unix::group_gid(GROUP)
}

/// A clinic: the test's case directory made a setgid group directory, a copy of the
/// binary every user can run, and per-user homes and keys.
struct Clinic {
    env: Env,
    bin: PathBuf,
    root: PathBuf,
}

impl Clinic {
    fn new() -> Clinic {
        let env = Env::new();
        // The log's directories as casebench makes them: the log sticky, staging not.
        for (d, mode) in [
            ("decisions", 0o3770),
            ("decisions/log", 0o3770),
            ("decisions/policies", 0o3770),
            ("decisions/staging", 0o2770),
        ] {
            std::fs::create_dir_all(env.cases.join(d)).unwrap();
            chmod(&env.cases.join(d), mode);
        }
        let root = env.tmp.path().to_path_buf();
        chmod(&root, 0o755);
        let bin = root.join("casebench");
        std::fs::copy(env!("CARGO_BIN_EXE_casebench"), &bin).unwrap();
        chmod(&bin, 0o755);
        let gid = group_gid();
        // The case directory and everything in it: root-owned, the clinic's group,
        // group-readable; the log as casebench made it (3770 directories).
        for e in walk(&env.cases) {
            let m = std::fs::symlink_metadata(&e).unwrap();
            chown(&e, 0, gid);
            if m.is_dir() {
                let mode = m.mode() & 0o7777;
                chmod(&e, if mode & 0o3000 != 0 { mode } else { 0o2770 });
            } else {
                chmod(&e, 0o640);
            }
        }
        chown(&root.join("cases"), 0, gid);
        chmod(&env.cases, 0o2770);
        for (u, who) in [(ALICE, A), (BOB, B), (EVE, A)] {
            crate::support::unix::home_with_key(&root, u, &env.key(who));
        }
        Clinic { env, bin, root }
    }

    fn home(&self, user: &str) -> PathBuf {
        self.root.join(format!("home-{user}"))
    }

    /// `casebench --cases DIR ARGS` as `user`.
    fn run(&self, user: &str, cases: &Path, args: &[&str]) -> Output {
        let mut all = vec!["--cases", cases.to_str().unwrap()];
        all.extend_from_slice(args);
        crate::support::unix::run_as(
            user,
            &self.home(user),
            &self.bin,
            &[("CASEBENCH_TODAY", TODAY)],
            &all,
        )
    }

    fn decide(&self, user: &str, who: &str, cases: &Path, args: &[&str]) -> Output {
        let key = self.home(user).join("key");
        let mut all = vec!["--reviewer", who, "--key", key.to_str().unwrap(), "decide"];
        all.extend_from_slice(args);
        self.run(user, cases, &all)
    }

    fn sh(&self, user: &str, script: &str) -> Output {
        crate::support::unix::sh_as(user, script)
    }
}

const CONCERN_ARGS: &[&str] = &[
    CONCERN,
    "--outcome",
    "warn_and_protect",
    "--ground",
    "serious-threat",
    "--rationale",
    "Imminent threat to an identified person.",
];

const CASE_ARGS: &[&str] = &[
    CASE,
    "--outcome",
    "release_partial",
    "--ground",
    "right-of-access",
    "--withhold",
    "notes=psychotherapy-notes",
    "--rationale",
    "Notes kept separately.",
];

fn ok(o: &Output, what: &str) {
    assert!(
        o.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_crashed_members_interrupted_append_never_blocks_another() {
    if !users() {
        return;
    }
    let c = Clinic::new();
    let cases = c.env.cases.clone();
    // Alice's writer is killed between its two links: she signed record 2 in a copy of
    // the directory, and a crash left its signature in the shared log and its record
    // in the staging directory, both hers.
    let scratch = c.root.join("scratch");
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(&cases)
            .arg(&scratch)
            .status()
            .unwrap()
            .success()
    );
    let (auid, agid) = uid_gid(ALICE);
    for e in walk(&scratch) {
        chown(&e, auid, agid);
    }
    ok(
        &c.decide(ALICE, A, &scratch, CONCERN_ARGS),
        "alice in scratch",
    );
    let staging = cases.join("decisions/staging");
    let log = cases.join("decisions/log");
    let script = format!(
        "mv {s}/decisions/log/00000001.yaml.sig {l}/ && mv {s}/decisions/log/00000001.yaml {st}/.tmp.00000001.yaml && touch {st}/.tmp.4242.leftover",
        s = scratch.display(),
        l = log.display(),
        st = staging.display()
    );
    let o = c.sh(ALICE, &script);
    ok(&o, "alice's leftovers");
    assert_eq!(
        std::fs::metadata(log.join("00000001.yaml.sig"))
            .unwrap()
            .uid(),
        auid
    );
    // Bob appends: Alice's signed record is completed, the leftovers removed, and his
    // record follows it.
    let o = c.decide(BOB, B, &cases, CASE_ARGS);
    ok(&o, "bob after alice's crash");
    assert!(
        log.join("00000001.yaml").exists(),
        "alice's record completed"
    );
    assert!(log.join("00000002.yaml").exists(), "bob's record after it");
    let left: Vec<_> = std::fs::read_dir(&staging).unwrap().collect();
    assert!(left.is_empty(), "staging swept: {left:?}");
    let v = c.run(BOB, &cases, &["verify"]);
    ok(&v, "verify");
    // The sticky bit still protects published records from other members.
    // (the completed record is Bob's copy; the signature stays Alice's file).
    let o = c.sh(BOB, &format!("rm -f {}/00000001.yaml.sig", log.display()));
    assert!(!o.status.success(), "bob removed alice's signature");
    assert!(log.join("00000001.yaml.sig").exists());
}

#[test]
fn an_orphan_that_cannot_be_completed_or_removed_is_named_with_its_owner() {
    if !users() {
        return;
    }
    let c = Clinic::new();
    let cases = c.env.cases.clone();
    let log = cases.join("decisions/log");
    ok(&c.decide(ALICE, A, &cases, CONCERN_ARGS), "alice");
    // A signature of record 2 whose record never reached staging.
    let o = c.sh(
        ALICE,
        &format!(
            "cp {l}/00000001.yaml.sig {l}/00000002.yaml.sig",
            l = log.display()
        ),
    );
    ok(&o, "alice's orphan");
    let before: Vec<_> = walk(&log);
    let o = c.decide(BOB, B, &cases, CASE_ARGS);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("00000002.yaml.sig") && err.contains("uid"),
        "{err}"
    );
    assert_eq!(walk(&log), before);
    // Alice's own next append removes her orphan and goes on.
    ok(
        &c.decide(ALICE, A, &cases, CASE_ARGS),
        "alice's next append",
    );
}

#[test]
fn a_log_a_user_cannot_read_is_an_error_not_an_empty_log() {
    if !users() {
        return;
    }
    let c = Clinic::new();
    let cases = c.env.cases.clone();
    ok(&c.decide(ALICE, A, &cases, CONCERN_ARGS), "alice");
    // Eve is not in the clinic group: the case directory is closed to her.
    let open_cases = c.root.join("open-cases");
    std::fs::create_dir(&open_cases).unwrap();
    for e in std::fs::read_dir(&cases).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), open_cases.join(e.file_name())).unwrap();
        }
    }
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(cases.join("reviewers"))
            .arg(&open_cases)
            .status()
            .unwrap()
            .success()
    );
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(cases.join("decisions"))
            .arg(&open_cases)
            .status()
            .unwrap()
            .success()
    );
    for e in walk(&open_cases) {
        let m = std::fs::symlink_metadata(&e).unwrap();
        if !e.starts_with(open_cases.join("decisions")) {
            chmod(&e, if m.is_dir() { 0o755 } else { 0o644 });
        }
    }
    for args in [
        &["verify"][..],
        &["verify", "--json"][..],
        &["list"][..],
        &["audit"][..],
    ] {
        let o = c.run(EVE, &open_cases, args);
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {out}{}", stderr(&o));
        assert!(
            stderr(&o).contains("permission denied"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(!out.contains("\"ok\":true"), "{out}");
    }
    // A member, when one record is closed to the group: the path and the bit.
    let rec = cases.join("decisions/log/00000001.yaml");
    chmod(&rec, 0o600);
    let o = c.run(BOB, &cases, &["verify"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("00000001.yaml") && err.contains("group lacks read permission"),
        "{err}"
    );
    let o = c.decide(BOB, B, &cases, CASE_ARGS);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("permission denied"), "{}", stderr(&o));
}

/// docs/DEPLOY.md promises that a `reviewers/` the group cannot read is named with its
/// owner and the permission it lacks, by every command that needs it.
#[test]
fn an_unreadable_reviewers_directory_names_its_owner_and_the_missing_permission() {
    if !users() {
        return;
    }
    let c = Clinic::new();
    let cases = c.env.cases.clone();
    ok(&c.decide(ALICE, A, &cases, CONCERN_ARGS), "alice");
    let reviewers = cases.join("reviewers");
    chown(&reviewers, 0, group_gid());
    chmod(&reviewers, 0o700);
    for args in [&["verify"][..], &["audit"][..], &["checkpoint"][..]] {
        let o = c.run(BOB, &cases, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("reviewers: permission denied (owner root (uid 0)")
                && err.contains("group lacks read"),
            "{args:?}: {err}"
        );
    }
    let o = c.decide(BOB, B, &cases, CASE_ARGS);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("reviewers: permission denied (owner root (uid 0)")
            && err.contains("group lacks read"),
        "{err}"
    );
    // `list` checks the log's new records against the policy before it shows a status:
    // it cannot, and says why, rather than show the decided case open.
    let o = c.run(BOB, &cases, &["list"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("reviewers: permission denied (owner root (uid 0)"),
        "{err}"
    );
}
