//! Several processes writing one log: the lock keeps one intact chain, and of two
//! reviewers deciding the same case at the same moment exactly one wins.
//!
//! Writers are real processes: this test binary re-executed as a child (see
//! `child_appender`), and the `casebench` binary itself for `decide`.

use crate::support::record as record_support;

use std::process::{Command, Stdio};

use casebench::record::verify::State;
use casebench::record::{Log, RecordType};
use record_support::*;

const CHILD_ENV: &str = "CASEBENCH_TEST_CHILD_APPEND";

/// In a child process: appends N practice records to the log of the directory named
/// by the environment, as the trainee whose memory of the log is the state directory
/// named there too. A no-op when run as an ordinary test.
#[test]
fn child_appender() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut parts = spec.split('|');
    let (dir, state, n) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let n: usize = n.parse().unwrap();
    let cases = std::path::PathBuf::from(dir);
    let env = Env {
        tmp: tempfile::tempdir().unwrap(),
        cases,
    };
    let case = env.load_case(CASE);
    let mut signer = env.signer(T);
    let state = casebench::record::StateDir::at(std::path::Path::new(state));
    let mut log = Log::open(&env.cases, &state);
    let d = draft(RecordType::Practice, T, "deny");
    for _ in 0..n {
        log.append(&case, &d, &mut signer, now()).unwrap();
    }
}

pub fn spawn_appender(
    cases: &std::path::Path,
    state: &casebench::record::StateDir,
    n: usize,
) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "record_concurrency::child_appender",
            "--exact",
            "--test-threads=1",
            "--quiet",
        ])
        .env(
            CHILD_ENV,
            format!("{}|{}|{n}", cases.display(), state.path().display()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn four_processes_two_hundred_appends_each_keep_one_chain() {
    // The four processes are one user's: they share (and lock) one memory of the log.
    let env = Env::new();
    let children: Vec<_> = (0..4)
        .map(|_| spawn_appender(&env.cases, &env.state(T), 200))
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert_eq!(r.records.len(), 800);
    assert_eq!(r.count(State::Ok), 800);
    assert_eq!(r.head, 800);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    // That user's memory never moved back: it holds the last head, with nothing left to
    // verify, and its index counts every record.
    let t = casebench::record::memory::catch_up(&env.cases, &env.state(T), &mut |_, _| {}).unwrap();
    assert_eq!(t.head.map(|h| h.seq), Some(800));
    assert_eq!(t.verified, 0);
    assert_eq!(t.index.cases[CASE].count, 800);
}

#[test]
fn two_reviewers_deciding_the_same_case_exactly_one_wins() {
    let env = Env::new();
    let decisions = env.cases.join("decisions");
    let mut wins = [0usize; 2];
    for round in 0..100 {
        if decisions.exists() {
            std::fs::remove_dir_all(&decisions).unwrap();
        }
        // Each round a new log, and each reviewer a memory that never saw the last one.
        let spawn = |who: &str, outcome: &str| {
            env.cmd_as(&format!("{who}-{round}"))
                .args(["--reviewer", who, "--key", env.key(who).to_str().unwrap()])
                .args([
                    "decide",
                    CASE,
                    "--outcome",
                    outcome,
                    "--ground",
                    "right-of-access",
                    "--withhold",
                    "notes=psychotherapy-notes",
                    "--rationale",
                    "Race.",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let a = spawn(A, "release_partial");
        let b = spawn(B, "release_partial");
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        let codes = (a.status.code(), b.status.code());
        let (winner, loser, w) = match codes {
            (Some(0), Some(1)) => (&a, &b, 0),
            (Some(1), Some(0)) => (&b, &a, 1),
            _ => panic!(
                "round {round}: exit codes {codes:?}\n{}\n{}",
                stderr(&a),
                stderr(&b)
            ),
        };
        wins[w] += 1;
        let who = if w == 0 { A } else { B };
        assert!(
            stdout(winner).contains("signed record 1"),
            "{}",
            stdout(winner)
        );
        let msg = stderr(loser);
        assert!(
            msg.contains(&format!("case {CASE} already decided by {who} at ")),
            "round {round}: {msg}"
        );
        assert!(env.record(1).exists() && !env.record(2).exists());
    }
    assert_eq!(wins[0] + wins[1], 100);
}
