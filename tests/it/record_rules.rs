//! Who may append what, and when: the case file must be the one the reviewer saw, the
//! "already decided" rule, reviews and countersignatures, modes whatever the umask, and
//! the index other parts read a case's status from.

use crate::support::record as record_support;

use std::os::unix::fs::PermissionsExt;

use casebench::record::{AppendError, Log, RecordType};
use record_support::*;

#[test]
fn signing_stops_when_the_case_file_changed_since_it_was_loaded() {
    let env = Env::new();
    let case = env.load_case(CASE);
    let p = env.cases.join(format!("{CASE}.yaml"));
    let mut text = std::fs::read_to_string(&p).unwrap();
    text.push_str("# changed while the reviewer was reading\n");
    std::fs::write(&p, text).unwrap();
    let mut log = Log::open(&env.cases, &env.state(SETUP));
    let err = log
        .append(
            &case,
            &draft(RecordType::Decision, A, "deny"),
            &mut env.signer(A),
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, AppendError::CaseChanged { .. }), "{err}");
    assert!(
        err.to_string().contains("changed since it was opened"),
        "{err}"
    );
    assert!(!env.record(1).exists());
}

#[test]
fn reviews_and_countersignatures_follow_the_rules() {
    let env = Env::new();
    let case = env.load_case(CASE);
    let mut log = Log::open(&env.cases, &env.state(SETUP));
    let (mut a, mut b) = (env.signer(A), env.signer(B));
    let mut t = env.signer(T);
    let msg = |r: Result<_, AppendError>| r.err().map(|e| e.to_string()).unwrap_or_default();
    // Nothing to review or countersign yet.
    let r = log.append(
        &case,
        &draft(RecordType::Review, B, "release_full"),
        &mut b,
        now(),
    );
    assert!(msg(r).contains("has no decision to review"));
    log.append(
        &case,
        &draft(RecordType::Decision, A, "deny"),
        &mut a,
        now(),
    )
    .unwrap();
    // A second decision: refused under the lock, naming who and when.
    let r = log.append(
        &case,
        &draft(RecordType::Decision, B, "release_full"),
        &mut b,
        now(),
    );
    assert_eq!(
        msg(r),
        format!("case {CASE} already decided by {A} at 2026-03-20T10:00:00Z")
    );
    // The author cannot countersign their own denial. (Who may review is the rules'
    // answer, checked when a review is signed: see who_may_review_is_the_rules_answer.)
    let r = log.append(
        &case,
        &draft(RecordType::Countersign, A, "deny"),
        &mut a,
        now(),
    );
    assert!(msg(r).contains("cannot countersign"));
    // A countersignature agrees with the outcome.
    let r = log.append(
        &case,
        &draft(RecordType::Countersign, B, "release_full"),
        &mut b,
        now(),
    );
    assert!(msg(r).contains("agrees with the decision"));
    // A trainee may not review (namespace), whatever reviewers.yaml says.
    let r = log.append(
        &case,
        &draft(RecordType::Review, T, "release_full"),
        &mut t,
        now(),
    );
    assert!(msg(r).contains("may not sign in namespace casebench-review"));
    // B, licensed and not involved, reviews; it points to record 1; only once.
    let rev = log
        .append(
            &case,
            &draft(RecordType::Review, B, "release_full"),
            &mut b,
            now(),
        )
        .unwrap();
    assert_eq!(rev.record.reviews, Some(1));
    let r = log.append(&case, &draft(RecordType::Review, B, "deny"), &mut b, now());
    assert!(msg(r).contains("already reviewed by"));
    // Practice records never conflict.
    for _ in 0..2 {
        log.append(
            &case,
            &draft(RecordType::Practice, T, "deny"),
            &mut t,
            now(),
        )
        .unwrap();
    }
    let report = env.verify();
    assert!(report.ok(), "{:?}", report.first_bad());
    // The index other parts use for a case's status: a reader's own verified memory.
    let index = casebench::record::memory::catch_up(&env.cases, &env.state(B), &mut |_, _| {})
        .unwrap()
        .index;
    assert_eq!(index.head, 4);
    let h = &index.cases[CASE];
    assert_eq!(h.count, 4);
    let f = h.final_record().unwrap();
    assert_eq!(
        (f.seq, f.kind, f.reviewer.as_str()),
        (2, RecordType::Review, B)
    );
}

#[test]
fn modes_are_explicit_whatever_the_umask() {
    for umask in ["000", "077"] {
        let env = Env::new();
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "umask {umask}; exec \"$0\" --cases \"$1\" --reviewer \"$2\" --key \"$3\" decide {CASE} --outcome release_partial --ground right-of-access --withhold notes=psychotherapy-notes --rationale modes"
            ))
            .arg(env!("CARGO_BIN_EXE_casebench"))
            .arg(&env.cases)
            .arg(A)
            .arg(env.key(A))
            .env("CASEBENCH_TODAY", TODAY)
            .env("XDG_STATE_HOME", env.state_home(A))
            .env_remove("SSH_AUTH_SOCK")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let mode =
            |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        // A single user's directory (not the group's): casebench makes what is
        // missing, theirs to write, the group's to read (docs/RECORDS.md, "Layout").
        for d in ["decisions", "decisions/log", "decisions/policies"] {
            assert_eq!(mode(&env.cases.join(d)), 0o750, "umask {umask}: {d}");
        }
        assert_eq!(mode(&env.record(1)), 0o640, "umask {umask}");
        assert_eq!(mode(&env.sig(1)), 0o640, "umask {umask}");
        assert_eq!(
            mode(&env.cases.join("decisions/LOCK")),
            0o660,
            "umask {umask}"
        );
    }
}

#[test]
fn a_writer_refuses_a_log_that_vanished_under_it() {
    let env = Env::new();
    let case = env.load_case(CASE);
    let mut log = Log::open(&env.cases, &env.state(SETUP));
    let mut t = env.signer(T);
    for _ in 0..3 {
        log.append(
            &case,
            &draft(RecordType::Practice, T, "deny"),
            &mut t,
            now(),
        )
        .unwrap();
    }
    // The log is moved away (an empty one left in its place, say): this user saw three
    // records here, so starting again from nothing is refused, naming record 3.
    std::fs::rename(
        env.cases.join("decisions"),
        env.tmp.path().join("old-decisions"),
    )
    .unwrap();
    let e = log
        .append(
            &case,
            &draft(RecordType::Practice, T, "deny"),
            &mut t,
            now(),
        )
        .unwrap_err();
    assert!(matches!(e, AppendError::Damaged(_)), "{e}");
    let msg = e.to_string();
    assert!(msg.contains("record 3") && msg.contains("empty"), "{msg}");
    assert!(!env.record(1).exists(), "nothing was written");
    // Moved back, the same log is the one remembered: appends go on.
    std::fs::remove_dir_all(env.cases.join("decisions")).ok();
    std::fs::rename(
        env.tmp.path().join("old-decisions"),
        env.cases.join("decisions"),
    )
    .unwrap();
    let a = log
        .append(
            &case,
            &draft(RecordType::Practice, T, "deny"),
            &mut t,
            now(),
        )
        .unwrap();
    assert_eq!(a.record.seq, 4);
    assert!(env.verify().ok());
}

#[test]
fn the_workbench_can_supply_its_own_passphrase_prompt() {
    let env = Env::new();
    let enc = env.tmp.path().join("enc");
    keygen(&enc, "s3cret");
    let mut prompts = Vec::new();
    let mut ask = |p: &str| {
        prompts.push(p.to_string());
        Ok("wrong".to_string())
    };
    let e = casebench::record::Signer::from_file_with(&enc, &mut ask).unwrap_err();
    assert!(e.contains("wrong passphrase"), "{e}");
    let s = casebench::record::Signer::from_file_with(&enc, &mut |_| Ok("s3cret".into())).unwrap();
    assert!(s.describe().starts_with("key file "));
    assert_eq!(prompts.len(), 1);
    assert!(prompts[0].starts_with("Passphrase for "));
    // An unencrypted key never asks.
    casebench::record::Signer::from_file_with(&env.key(A), &mut |_| Err("asked".into())).unwrap();
}

/// Who may review a denial (a licensed professional who took no part in it,
/// 164.524(a)(3)-(4)) is one function of the rules, which both the advisor's findings and
/// signing use: the author of the denial and an unlicensed reviewer are refused by
/// `decide --type review`, whatever they override; a licensed outsider signs.
#[test]
fn who_may_review_is_the_rules_answer() {
    let env = Env::new();
    let case = env.load_case(CASE);
    Log::open(&env.cases, &env.state(SETUP))
        .append(
            &case,
            &draft(RecordType::Decision, A, "deny"),
            &mut env.signer(A),
            now(),
        )
        .unwrap();
    let review = |who: &str| {
        env.decide(
            who,
            &[
                CASE,
                "--type",
                "review",
                "--outcome",
                "release_full",
                "--ground",
                "right-of-access",
                "--rationale",
                "Reviewed.",
                "--override",
                "reviewer-participated=we disagree",
            ],
        )
    };
    let o = review(A);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("took part in the original decision"),
        "{}",
        stderr(&o)
    );
    let people = env.cases.join("reviewers/reviewers.yaml");
    let original = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        original.replace(
            "Dr. B. Osei, credential: MD, licensed: true",
            "Dr. B. Osei, credential: MD, licensed: false",
        ),
    )
    .unwrap();
    let o = review(B);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a licensed health care professional"),
        "{}",
        stderr(&o)
    );
    assert!(!env.record(2).exists());
    std::fs::write(&people, original).unwrap();
    let o = env.decide(
        B,
        &[
            CASE,
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--withhold",
            "notes=psychotherapy-notes",
            "--ground",
            "right-of-access",
            "--rationale",
            "Reviewed.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(env.record(2).exists());
}
