//! A writer killed with SIGKILL at random moments never leaves a half record or a
//! record without its signature; the next writer carries on with an intact chain.

use crate::support::record as record_support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use casebench::record::Record;
use casebench::record::{Log, RecordType};
use record_support::*;

const CHILD_ENV: &str = "CASEBENCH_TEST_CHILD_FOREVER";

/// In a child process: appends practice records until killed, as the trainee whose
/// memory of the log is the state directory the parent names (every child the same).
#[test]
fn child_forever() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (dir, state) = spec.split_once('|').unwrap();
    let env = Env {
        tmp: tempfile::tempdir().unwrap(),
        cases: dir.into(),
    };
    let case = env.load_case(CASE);
    let mut signer = env.signer(T);
    let state = casebench::record::StateDir::at(std::path::Path::new(state));
    let mut log = Log::open(&env.cases, &state);
    let d = draft(RecordType::Practice, T, "deny");
    println!("READY");
    loop {
        log.append(&case, &d, &mut signer, now()).unwrap();
    }
}

#[test]
fn sigkill_at_random_moments_never_leaves_half_records() {
    let env = Env::new();
    let mut rng: u64 = 0x5eed;
    let mut checked_up_to = 0u64;
    let mut leftovers_seen = 0;
    for round in 0..120 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "record_crash::child_forever",
                "--exact",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(
                CHILD_ENV,
                format!("{}|{}", env.cases.display(), env.state(T).path().display()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the writer is about to append, then let it run 0-60 ms: kills land
        // in the initial scan, mid-write, between the links, between appends.
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while out.read_line(&mut line).unwrap() > 0 && !line.contains("READY") {
            line.clear();
        }
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_micros((rng >> 33) % 60_000));
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
        let _ = child.wait();
        // Every published record is complete and has its signature.
        let names: Vec<String> = std::fs::read_dir(env.log())
            .map(|rd| {
                rd.map(|e| e.unwrap().file_name().into_string().unwrap())
                    .collect()
            })
            .unwrap_or_default();
        let mut seqs: Vec<u64> = names
            .iter()
            .filter_map(|n| casebench::record::log::parse_name(n))
            .filter(|(_, sig)| !sig)
            .map(|(s, _)| s)
            .collect();
        seqs.sort_unstable();
        if names.iter().any(|n| n.starts_with(".tmp."))
            || names.iter().any(|n| {
                n.ends_with(".sig") && !names.contains(&n.trim_end_matches(".sig").to_string())
            })
        {
            leftovers_seen += 1;
        }
        for &s in seqs.iter().filter(|&&s| s > checked_up_to) {
            let bytes = std::fs::read(env.record(s)).unwrap();
            Record::from_bytes(&bytes)
                .unwrap_or_else(|e| panic!("round {round}: record {s} is damaged: {e}"));
            assert!(
                env.sig(s).exists(),
                "round {round}: record {s} has no signature"
            );
        }
        assert_eq!(
            seqs.len() as u64,
            seqs.last().copied().unwrap_or(0),
            "round {round}: gap in {seqs:?}"
        );
        checked_up_to = seqs.last().copied().unwrap_or(0);
    }
    assert!(checked_up_to > 0, "the writer never got to append");
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
    assert!(r.intact());
    // The writers' memory, killed mid-write as often as the log: never half written,
    // never ahead of the log; brought up to its head by the next read.
    let t = casebench::record::memory::catch_up(&env.cases, &env.state(T), &mut |_, _| {}).unwrap();
    assert_eq!(t.head.map(|h| h.seq), Some(checked_up_to));
    eprintln!(
        "{checked_up_to} records over 120 kills; leftovers seen after {leftovers_seen} kills"
    );
}
