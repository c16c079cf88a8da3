//! Provision records (issue 22, section 2): `casebench provide` signs what was provided
//! for the decision in force; the access clock stops there; statuses, the audit and the
//! accounting follow. Case files here are dated relative to the real day, because a
//! provision is signed with the real date and never before its decision.

use super::support::record::*;
use chrono::{Days, NaiveDate};
use serde_json::Value;

fn real_today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An access request of the patient's own, received `ago` days before the real day,
/// with a chart and separately kept psychotherapy notes (the fixture's, re-dated).
fn own_request(env: &Env, id: &str, ago: u64) {
    let received = real_today() - Days::new(ago);
    let src = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml"))).unwrap();
    let text = src
        .replace(CASE, id)
        .replace(
            "received: 2026-03-02",
            &format!("received: {}", day(received)),
        )
        .replace("dated: 2026-03-01", &format!("dated: {}", day(received)))
        .replace(
            "assessed_on: 2026-03-05",
            &format!("assessed_on: {}", day(received)),
        );
    std::fs::write(env.cases.join(format!("{id}.yaml")), text).unwrap();
}

/// `casebench` as `who`, deadlines computed against the real day.
fn cmd(env: &Env, who: &str) -> std::process::Command {
    let mut c = env.cmd_as(who);
    c.env("CASEBENCH_TODAY", day(real_today()));
    c
}

/// `casebench decide` as `who` with `who`'s key, as of `as_of`.
fn decide(env: &Env, who: &str, as_of: NaiveDate, args: &[&str]) -> std::process::Output {
    env.cmd_as(who)
        .env("CASEBENCH_TODAY", day(as_of))
        .arg("--reviewer")
        .arg(who)
        .arg("--key")
        .arg(env.key(who))
        .arg("decide")
        .args(args)
        .output()
        .unwrap()
}

fn release_partial(env: &Env, id: &str) {
    release_partial_as_of(env, id, real_today());
}

fn release_partial_as_of(env: &Env, id: &str, as_of: NaiveDate) {
    let o = decide(
        env,
        A,
        as_of,
        &[
            id,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--disclosure",
            "The patient|12 Elm St, Testville|Outpatient chart|Patient's own access request",
            "--rationale",
            "Chart released; separately kept notes withheld.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn provide(env: &Env, who: &str, id: &str, args: &[&str]) -> std::process::Output {
    cmd(env, who)
        .arg("--reviewer")
        .arg(who)
        .arg("--key")
        .arg(env.key(who))
        .arg("provide")
        .arg(id)
        .args(args)
        .output()
        .unwrap()
}

fn list_row(env: &Env, id: &str) -> Value {
    let o = cmd(env, AUDITOR).args(["list", "--json"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn statuses_move_from_open_to_awaiting_to_provided_on_time_and_the_record_verifies_with_ssh_keygen()
{
    let env = Env::new();
    let id = "AR-2026-0801";
    own_request(&env, id, 3);
    assert_eq!(list_row(&env, id)["status"], "open");
    release_partial(&env, id);
    let row = list_row(&env, id);
    assert_eq!(row["status"], "awaiting_provision");
    assert!(row["days_left"].is_i64(), "the clock still runs: {row}");
    assert_eq!(row["on_time"], Value::Null);
    let today = day(real_today());
    let o = provide(
        &env,
        R,
        id,
        &[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--via",
            "portal",
            "--form",
            "pdf",
            "--fee",
            "copying_labor=6.50",
            "--fee-told-on",
            &today,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let row = list_row(&env, id);
    assert_eq!(row["status"], "provided_on_time");
    assert_eq!(row["on_time"], true);
    // The record: signed in casebench-provision, pointing to the decision by seq and hash.
    let text = std::fs::read_to_string(env.record(2)).unwrap();
    assert!(text.contains("type: provision\n"), "{text}");
    let d1 = casebench::record::model::sha256_link(&std::fs::read(env.record(1)).unwrap());
    assert!(
        text.contains(&format!("provides: 1, provides_sha256: \"{d1}\"")),
        "{text}"
    );
    assert!(text.contains("provided_on_time: true"), "{text}");
    assert!(
        text.contains("  - { item: copying_labor, amount: \"6.50\" }"),
        "{text}"
    );
    let (ok, out) = ssh_verify(
        &env.allowed(),
        R,
        "casebench-provision",
        &env.record(2),
        &[],
    );
    assert!(ok, "{out}");
    let (ok, _) = ssh_verify(&env.allowed(), R, "casebench-decision", &env.record(2), &[]);
    assert!(!ok, "a provision is not signed in the decision namespace");
    let v = cmd(&env, AUDITOR).arg("verify").output().unwrap();
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
}

#[test]
fn provided_after_the_due_date_is_provided_late_everywhere() {
    let env = Env::new();
    let late = "AR-2026-0802";
    let timely = "AR-2026-0803";
    let waiting = "AR-2026-0804";
    own_request(&env, late, 45);
    own_request(&env, timely, 2);
    own_request(&env, waiting, 5);
    for id in [late, timely, waiting] {
        release_partial(&env, id);
    }
    let today = day(real_today());
    for id in [late, timely] {
        let o = provide(
            &env,
            A,
            id,
            &[
                "--on",
                &today,
                "--notice-sent",
                &today,
                "--via",
                "mail",
                "--form",
                "paper copy",
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let expect = [
        (late, "provided_late", Value::Bool(false)),
        (timely, "provided_on_time", Value::Bool(true)),
        (waiting, "awaiting_provision", Value::Null),
    ];
    // list --json
    for (id, status, on_time) in &expect {
        let row = list_row(&env, id);
        assert_eq!(row["status"], *status, "{id}");
        assert_eq!(row["on_time"], *on_time, "{id}");
    }
    // list (text)
    let o = cmd(&env, AUDITOR).arg("list").output().unwrap();
    let text = stdout(&o);
    for (id, status, _) in &expect {
        let line = text.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.contains(status), "{line}");
    }
    // audit --format json: the decision rows carry the same standing
    let o = cmd(&env, AUDITOR)
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    for (id, status, on_time) in &expect {
        let row = v["records"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["case"] == *id && r["type"] == "decision")
            .unwrap();
        assert_eq!(row["case_status"], *status, "{id}");
        assert_eq!(row["case_on_time"], *on_time, "{id}");
    }
    // audit (table): the decision of each case says the same
    let o = cmd(&env, AUDITOR).arg("audit").output().unwrap();
    let table = stdout(&o);
    for (id, word) in [(late, "LATE"), (timely, "on time"), (waiting, "awaiting")] {
        let line = table
            .lines()
            .find(|l| l.contains(id) && l.contains("release_partial") && !l.contains("provision"))
            .unwrap_or_else(|| panic!("{id} in\n{table}"));
        assert!(line.contains(word), "{line}");
    }
    // audit --summary: one on time, one late; the awaiting case neither
    let o = cmd(&env, AUDITOR)
        .args(["audit", "--summary", "--format", "json"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(s["summary"]["on_time"], 1, "{s}");
    assert_eq!(s["summary"]["late"], 1, "{s}");
}

#[test]
fn a_denial_is_carried_out_by_its_notice() {
    let env = Env::new();
    let id = "AR-2026-0805";
    own_request(&env, id, 4);
    // The notes alone: a denial of everything asked for, on its ground.
    let path = env.cases.join(format!("{id}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "    - id: chart\n      description: Outpatient chart 2024-2026\n      category: chart\n",
        "",
    );
    std::fs::write(&path, text).unwrap();
    let o = decide(
        &env,
        A,
        real_today(),
        &[
            id,
            "--outcome",
            "deny",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Denied.",
        ],
    );
    if !o.status.success() {
        // The advisor may refuse a denial of the chart; deny the notes alone then.
        panic!("{}", stderr(&o));
    }
    assert_eq!(list_row(&env, id)["status"], "awaiting_provision");
    let today = day(real_today());
    // --notice-sent is for a partial denial; for a denial --on is the notice's day.
    let o = provide(
        &env,
        R,
        id,
        &[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--via",
            "mail",
            "--form",
            "letter",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let o = provide(
        &env,
        R,
        id,
        &["--on", &today, "--via", "mail", "--form", "letter"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(env.record(2)).unwrap();
    assert!(text.contains("what: notice"), "{text}");
    assert_eq!(list_row(&env, id)["status"], "provided_on_time");
}

#[test]
fn refusals_no_decision_search_fee_dates_and_a_second_provision_without_correction() {
    let env = Env::new();
    let id = "AR-2026-0806";
    own_request(&env, id, 3);
    let today = day(real_today());
    let base = ["--via", "portal", "--form", "pdf"];
    let with = |extra: &[&str]| -> Vec<String> {
        extra
            .iter()
            .chain(base.iter())
            .map(|s| s.to_string())
            .collect()
    };
    let run = |who: &str, args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        provide(&env, who, id, &a)
    };
    // No decision in force.
    let o = run(R, with(&["--on", &today, "--notice-sent", &today]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("no decision in force"),
        "{}",
        stderr(&o)
    );
    assert!(!env.record(1).exists());
    release_partial(&env, id);
    // A search fee: never allowed (164.524(c)(4)).
    let o = run(
        R,
        with(&[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--fee",
            "search_and_retrieval=5.00",
            "--fee-told-on",
            &today,
        ]),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("search and retrieval"),
        "{}",
        stderr(&o)
    );
    assert!(!env.record(2).exists());
    // In the real future; before the decision.
    let tomorrow = day(real_today() + Days::new(1));
    let o = run(R, with(&["--on", &tomorrow, "--notice-sent", &today]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let yesterday = day(real_today() - Days::new(1));
    let o = run(R, with(&["--on", &yesterday, "--notice-sent", &today]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("before record 1"), "{}", stderr(&o));
    // A partial denial needs its notice's day.
    let o = run(R, with(&["--on", &today]));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // The first provision; a second one is refused unless it corrects the first.
    let o = run(R, with(&["--on", &today, "--notice-sent", &today]));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(A, with(&["--on", &today, "--notice-sent", &today]));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("already provided"), "{}", stderr(&o));
    let o = run(
        A,
        with(&["--on", &today, "--notice-sent", &today, "--corrects", "2"]),
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "a correction says why: {}",
        stderr(&o)
    );
    let o = run(
        A,
        with(&[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--corrects",
            "2",
            "--note",
            "the form was paper, not pdf",
        ]),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(env.record(3)).unwrap();
    assert!(text.contains("corrects: 2 }"), "{text}");
    let v = cmd(&env, AUDITOR).arg("verify").output().unwrap();
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
}

#[test]
fn release_of_information_staff_provide_but_do_not_decide() {
    let env = Env::new();
    let id = "AR-2026-0807";
    own_request(&env, id, 3);
    let o = decide(
        &env,
        R,
        real_today(),
        &[
            id,
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
        stderr(&o).contains("release-of-information staff"),
        "{}",
        stderr(&o)
    );
    assert!(!env.record(1).exists());
    release_partial(&env, id);
    let today = day(real_today());
    let o = provide(
        &env,
        R,
        id,
        &[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--via",
            "email",
            "--form",
            "pdf",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    // A trainee signs no provision.
    let id2 = "AR-2026-0808";
    own_request(&env, id2, 3);
    release_partial(&env, id2);
    let o = provide(
        &env,
        T,
        id2,
        &[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--via",
            "email",
            "--form",
            "pdf",
        ],
    );
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_accounting_is_dated_by_the_provision() {
    let env = Env::new();
    let id = "AR-2026-0809";
    own_request(&env, id, 3);
    let yesterday = real_today() - Days::new(1);
    release_partial_as_of(&env, id, yesterday);
    let accounting = |env: &Env| -> Value {
        let o = cmd(env, AUDITOR)
            .args(["audit", "--accounting", "--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let before = accounting(&env);
    let entries = |v: &Value| -> Vec<Value> {
        let a = &v["accounting"];
        a["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(a["excluded"].as_array().into_iter().flatten())
            .filter(|e| e["case"] == id)
            .cloned()
            .collect()
    };
    let b = entries(&before);
    assert!(!b.is_empty(), "{before}");
    // The decision's disclosure is dated the day it was signed (the one clock: never its
    // --today day). The accounting dated by a provision on another day than its decision
    // is audit_figures::the_accounting_is_dated_by_the_provision_not_the_decision.
    assert_eq!(b[0]["date"], day(real_today()).as_str(), "{before}");
    let today = day(real_today());
    let o = provide(
        &env,
        R,
        id,
        &[
            "--on",
            &today,
            "--notice-sent",
            &today,
            "--via",
            "portal",
            "--form",
            "pdf",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let after = cmd(&env, AUDITOR)
        .args(["audit", "--accounting", "--format", "json"])
        .output()
        .unwrap();
    let after: Value = serde_json::from_str(&stdout(&after)).unwrap();
    let a = entries(&after);
    assert!(!a.is_empty(), "{after}");
    assert_eq!(a[0]["date"], today.as_str(), "{after}");
}
