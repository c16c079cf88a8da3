//! Countersignature end to end: on a real case a trainee's decision is a proposal (a
//! practice record that does not decide the case); a supervisor countersigns it, which
//! decides the case with the proposal's outcome, grounds and items; the log verifies.
//! A trainee cannot countersign; nor can a proposal be countersigned twice, or a
//! record that does not exist, is not a practice record, or belongs to a practice case.

use crate::support::practice as practice_support;

use casebench::case::LoadOptions;

use casebench::practice::countersign;
use casebench::record::model::{Action, Record, RecordType};
use casebench::rules::load_dir;
use practice_support::*;

fn propose(env: &Env, who: &str) -> u64 {
    let v = env.decide_json(
        who,
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
            "Release the chart; the notes are kept separately.",
        ],
    );
    assert_eq!(v["type"], "practice");
    assert_eq!(v["practice"]["proposal"], true, "{v}");
    assert_eq!(v["practice"]["scored"], false);
    v["seq"].as_u64().unwrap()
}

fn countersign_args(seq: u64) -> Vec<String> {
    [
        REAL,
        "--type",
        "countersign",
        "--countersigns",
        &seq.to_string(),
        "--rationale",
        "Agreed: notes are psychotherapy notes.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn refused(env: &Env, who: &str, args: &[&str], why: &str) {
    let o = env.decide(who, args);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(why), "{args:?}: {}", stderr(&o));
}

fn pending(env: &Env) -> Vec<countersign::PendingProposal> {
    let opts = LoadOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    let set = load_dir(&env.cases, &opts, &|_, _| {}).unwrap();
    let log = casebench::record::verify::verify_log(&env.cases, None).unwrap();
    countersign::pending(&set, &log)
}

/// The case's status in `casebench list --json`.
fn listed_status(env: &Env, case: &str) -> String {
    let o = env.cmd().args(["list", "--json"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let row = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == case)
        .cloned();
    row.map(|r| r["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn trainee_proposes_supervisor_countersigns_case_decided_verify_passes() {
    let env = Env::new();
    assert_ne!(listed_status(&env, REAL), "under_review");
    let p = propose(&env, T);
    // The queue shows the real case as under review until it is decided.
    assert_eq!(listed_status(&env, REAL), "under_review");
    // The proposal does not decide the case: it is pending, and a second trainee may
    // propose too.
    let list = pending(&env);
    assert_eq!(list.len(), 1);
    assert_eq!((list[0].seq, list[0].trainee.as_str()), (p, T));
    let p2 = propose(&env, T2);
    assert_eq!(pending(&env).len(), 2);

    // A trainee cannot countersign (not even another trainee's proposal).
    let a: Vec<String> = countersign_args(p);
    let args: Vec<&str> = a.iter().map(String::as_str).collect();
    refused(
        &env,
        T2,
        &args,
        &format!("{T2} may not sign in namespace casebench-decision"),
    );
    // Nor can a supervisor change the proposal while countersigning it.
    let mut other = args.clone();
    other.extend(["--outcome", "deny"]);
    refused(&env, A, &other, "a countersignature agrees with it");

    // The supervisor countersigns: the case is decided.
    let v = env.decide_json(A, &args);
    let cs = v["seq"].as_u64().unwrap();
    assert_eq!(v["type"], "countersign");
    assert_eq!(v["countersigns"], p);
    assert_eq!(v["proposed_by"], T);
    let bytes = std::fs::read(env.record(cs)).unwrap();
    let rec = Record::from_bytes(&bytes).unwrap();
    let prop = Record::from_bytes(&std::fs::read(env.record(p)).unwrap()).unwrap();
    assert_eq!(rec.kind, RecordType::Countersign);
    assert_eq!(rec.countersigns, Some(p));
    assert_eq!(rec.reviewer, A);
    assert_eq!(rec.outcome, prop.outcome);
    assert_eq!(rec.grounds, prop.grounds);
    assert_eq!(rec.records, prop.records);
    assert_eq!(rec.records[1].action, Action::Withhold);
    assert_eq!(rec.notice, prop.notice);
    assert!(rec.rationale.contains("Agreed"));
    assert!(
        pending(&env).is_empty(),
        "a decided case has nothing pending"
    );
    assert_eq!(listed_status(&env, REAL), "awaiting_provision");

    // Decided: no other decision, no countersignature of the other proposal.
    refused(
        &env,
        B,
        &[
            REAL,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "x",
        ],
        &format!("case {REAL} already decided by {A}"),
    );
    let a2 = countersign_args(p2);
    let args2: Vec<&str> = a2.iter().map(String::as_str).collect();
    refused(
        &env,
        B,
        &args2,
        &format!("case {REAL} already decided by {A}"),
    );
    refused(
        &env,
        B,
        &args,
        &format!("case {REAL} already decided by {A}"),
    );
    // A trainee may still practise on the decided case, but that is no proposal.
    let late = env.decide_json(
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
            "Late.",
        ],
    );
    assert_eq!(late["practice"]["proposal"], false, "{late}");
    assert_eq!(late["practice"]["decided_by"], A);
    assert!(pending(&env).is_empty());

    // The log verifies, in casebench and in OpenSSH (decision namespace for the
    // countersignature, practice namespace for the proposal).
    let o = env.verify();
    assert!(o.status.success(), "{}", stdout(&o));
    let (good, text) = ssh_verify(&env.allowed(), A, "casebench-decision", &env.record(cs));
    assert!(good, "{text}");
    let (good, text) = ssh_verify(&env.allowed(), T, "casebench-practice", &env.record(p));
    assert!(good, "{text}");
    // A review of the countersigned partial denial is possible, by someone else.
    let o = env.decide(
        B,
        &[
            REAL,
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Upheld.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    refused(
        &env,
        A,
        &[
            REAL,
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "x",
        ],
        "reviewer-participated",
    );
}

#[test]
fn countersign_refusals() {
    let env = Env::new();
    // Nothing to countersign yet.
    refused(
        &env,
        A,
        &[
            REAL,
            "--type",
            "countersign",
            "--countersigns",
            "1",
            "--rationale",
            "x",
        ],
        "there is no record 1",
    );
    // A supervisor's decision is not a trainee's proposal.
    let o = env.decide(
        A,
        &[
            REAL_CONCERN,
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "Warn.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    refused(
        &env,
        B,
        &[
            REAL_CONCERN,
            "--type",
            "countersign",
            "--countersigns",
            "1",
            "--rationale",
            "x",
        ],
        "record 1 is a decision record, not a trainee's proposal",
    );
    // A record of another case.
    let p = propose(&env, T);
    refused(
        &env,
        B,
        &[
            REAL_CONCERN,
            "--type",
            "countersign",
            "--countersigns",
            &p.to_string(),
            "--rationale",
            "x",
        ],
        &format!("record {p} is about case {REAL}, not {REAL_CONCERN}"),
    );
    // A non-existent record.
    refused(
        &env,
        B,
        &[
            REAL,
            "--type",
            "countersign",
            "--countersigns",
            "99",
            "--rationale",
            "x",
        ],
        "there is no record 99",
    );
    // A practice case's attempt is scored, never countersigned.
    let f = env.attempt(
        T,
        PA,
        &["--outcome", "release_full", "--ground", "right-of-access"],
    );
    let seq = f["seq"].as_u64().unwrap().to_string();
    refused(
        &env,
        A,
        &[
            PA,
            "--type",
            "countersign",
            "--countersigns",
            &seq,
            "--rationale",
            "x",
        ],
        "is a practice case",
    );
    // --countersigns belongs to --type countersign; it takes the proposal as it stands.
    let o = env.decide(
        A,
        &[REAL, "--countersigns", &p.to_string(), "--rationale", "x"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--countersigns goes with --type countersign"));
    let o = env.decide(
        A,
        &[
            REAL,
            "--type",
            "countersign",
            "--countersigns",
            &p.to_string(),
            "--ground",
            "clia",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    // None of that wrote anything: decision 1, proposal 2, attempt 3.
    assert_eq!(env.records(), 3);
    let o = env.verify();
    assert!(o.status.success(), "{}", stdout(&o));
    // A supervisor who disagrees signs a decision instead; the proposal is then moot.
    assert_eq!(pending(&env).len(), 1);
    let o = env.decide(
        A,
        &[
            REAL,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Release all.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(pending(&env).is_empty());
    refused(
        &env,
        B,
        &[
            REAL,
            "--type",
            "countersign",
            "--countersigns",
            &p.to_string(),
            "--rationale",
            "x",
        ],
        &format!("case {REAL} already decided by {A}"),
    );
}

#[test]
fn a_countersignature_is_bound_to_the_proposal() {
    let env = Env::new();
    let p = propose(&env, T);
    let a = countersign_args(p);
    let args: Vec<&str> = a.iter().map(String::as_str).collect();
    env.decide_json(A, &args);
    // Editing the proposal afterwards (even re-signed by the trainee) breaks the chain.
    let path = env.record(p);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("outcome: release_partial", "outcome: deny"),
    )
    .unwrap();
    let o = env.verify();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("prev does not match record 1"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_countersignature_passes_the_advisors_gate() {
    let env = Env::new();
    // The trainee's proposal is signed whatever its mistakes (practice is not gated)...
    let v = env.decide_json(
        T,
        &[
            REAL,
            "--type",
            "practice",
            "--outcome",
            "deny",
            "--ground",
            "lack-of-consent",
            "--rationale",
            "No release signed.",
        ],
    );
    let p = v["seq"].as_u64().unwrap().to_string();
    // ... but making it final is a decision: error findings refuse it.
    let o = env.decide(
        A,
        &[
            REAL,
            "--type",
            "countersign",
            "--countersigns",
            &p,
            "--rationale",
            "Agree.",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("invalid-ground"), "{}", stderr(&o));
    assert_eq!(env.records(), 1);
    assert_eq!(pending(&env).len(), 1);
}
