//! One story on every surface (issue 23): for each kind of case standing (open, a
//! proposal awaiting countersignature, decided, ...) and for every sample case, the same
//! status, due date and days left appear in `list`, `list --json`, `show`, `show --json`,
//! `advise`, `advise --json`, the workbench's queue row and case header, and, once a
//! record exists, in `audit --format json` and the audit table.
//!
//! Table-driven: a new standing (provision's "provided on time") is one more row of
//! [`STANDINGS`].

use std::path::Path;

use casebench::tui::app::{Msg, State, update};
use casebench::tui::keymap::Keymap;
use casebench::tui::theme::Theme;
use serde_json::Value;

use crate::support::cli::{stderr, stdout};
use crate::support::record::{A, AUDITOR, CASE, CONCERN, Env, T, today};

/// What one surface says of a case.
#[derive(Debug, Clone, PartialEq)]
struct Said {
    status: String,
    due: Option<String>,
    days_left: Option<i64>,
}

/// A standing of a case, how to bring it about, and the status every surface must say.
struct Standing {
    name: &'static str,
    case: &'static str,
    act: fn(&Env),
    status: &'static str,
    /// A signed record exists: the audit must give its due date and on-time.
    recorded: bool,
}

fn nothing(_: &Env) {}

fn propose(env: &Env) {
    // A trainee's practice record on a real case: a proposal for a supervisor.
    let o = env.decide(
        T,
        &[
            CASE,
            "--type",
            "practice",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Proposed.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn decide(env: &Env) {
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
            "Notes withheld.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

fn decide_and_provide(env: &Env) {
    decide(env);
    // Provided (and the notice for the withheld notes sent) the real day: the one clock.
    let day = casebench::clock::Clock::system().real_day().to_string();
    let o = env
        .cmd_as(A)
        .arg("--reviewer")
        .arg(A)
        .arg("--key")
        .arg(env.key(A))
        .args([
            "provide",
            CASE,
            "--on",
            &day,
            "--notice-sent",
            &day,
            "--via",
            "portal",
            "--form",
            "pdf",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

const STANDINGS: &[Standing] = &[
    Standing {
        name: "open access request",
        case: CASE,
        act: nothing,
        status: "",
        recorded: false,
    },
    Standing {
        name: "open concern",
        case: CONCERN,
        act: nothing,
        status: "",
        recorded: false,
    },
    Standing {
        name: "proposed, awaiting countersignature",
        case: CASE,
        act: propose,
        status: "under_review",
        recorded: true,
    },
    Standing {
        name: "decided, awaiting provision",
        case: CASE,
        act: decide,
        status: "awaiting_provision",
        recorded: true,
    },
    Standing {
        name: "decided and provided",
        case: CASE,
        act: decide_and_provide,
        // On time or late, by the real day against the due date: every surface says
        // the same one.
        status: "provided_*",
        recorded: true,
    },
];

fn json(env: &Env, args: &[&str]) -> Value {
    let o = env.cmd_as(AUDITOR).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn text(env: &Env, args: &[&str]) -> String {
    let o = env.cmd_as(AUDITOR).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn said_json(status: &Value, due: &Value, left: &Value) -> Said {
    Said {
        status: status.as_str().unwrap().to_string(),
        due: due.as_str().map(str::to_string),
        days_left: left.as_i64(),
    }
}

/// Every surface's account of case `id` on `cases`, by name.
fn surfaces(env: &Env, id: &str) -> Vec<(&'static str, Said)> {
    let mut out = Vec::new();
    let list = json(env, &["list", "--json"]);
    let row = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    out.push((
        "list --json",
        said_json(&row["status"], &row["due"], &row["days_left"]),
    ));
    // list: ID KIND RECEIVED DUE LEFT STATUS TITLE
    let table = text(env, &["list"]);
    let cols: Vec<&str> = table
        .lines()
        .find(|l| l.starts_with(id))
        .unwrap()
        .split_whitespace()
        .collect();
    out.push((
        "list",
        Said {
            status: cols[5].to_string(),
            due: (cols[3] != "-").then(|| cols[3].to_string()),
            days_left: cols[4].parse().ok(),
        },
    ));
    let show = json(env, &["show", id, "--json"]);
    out.push((
        "show --json",
        said_json(
            &show["status"],
            &show["deadline"]["due"],
            &show["deadline"]["days_left"],
        ),
    ));
    out.push((
        "show --json deadline",
        said_json(
            &show["deadline"]["status"],
            &show["deadline"]["due"],
            &show["deadline"]["days_left"],
        ),
    ));
    out.push(("show", from_show_text(&text(env, &["show", id]))));
    let advice = json(env, &["advise", id, "--json"]);
    let d = &advice["deadline"];
    out.push((
        "advise --json",
        said_json(&d["status"], &d["due"], &d["days_left"]),
    ));
    out.push(("advise", from_advise_text(&text(env, &["advise", id]), d)));
    out.push(("workbench queue row", from_workbench(&env.cases, id)));
    out
}

/// `due: D   days left: N   status: S`, or `due: none ...   status: S`.
fn from_show_text(t: &str) -> Said {
    let line = t.lines().find(|l| l.starts_with("due: ")).unwrap();
    let field = |label: &str| {
        line.split("   ")
            .find_map(|p| p.strip_prefix(label))
            .map(str::to_string)
    };
    let due = field("due: ").unwrap();
    Said {
        status: field("status: ").unwrap(),
        due: due
            .chars()
            .next()
            .filter(char::is_ascii_digit)
            .map(|_| due[..10].to_string()),
        days_left: field("days left: ").and_then(|d| d.parse().ok()),
    }
}

/// `deadline: received R, due D, N day(s) left (status)  [...]`; without a due date the
/// line gives no status, so the json's is taken and the line checked for no due date.
fn from_advise_text(t: &str, d: &Value) -> Said {
    let line = t.lines().find(|l| l.starts_with("deadline: ")).unwrap();
    match line.split_once(", due ") {
        Some((_, rest)) => {
            let due = rest[..10].to_string();
            let status = rest
                .split_once(" (")
                .and_then(|(_, r)| r.split_once(')'))
                .map(|(s, _)| s.to_string())
                .unwrap();
            let n: i64 = rest
                .split(", ")
                .nth(1)
                .and_then(|p| p.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap();
            let late = rest.contains("day(s) late");
            Said {
                status,
                due: Some(due),
                days_left: Some(if late { -n } else { n }),
            }
        }
        None => Said {
            status: d["status"].as_str().unwrap().to_string(),
            due: None,
            days_left: None,
        },
    }
}

/// The workbench's queue row for `id`, after it read the log as the event loop does, and
/// its rendering at 120×40 (the status word and the days left as the screen says them).
fn from_workbench(cases: &Path, id: &str) -> Said {
    let set = casebench::rules::load_dir(
        cases,
        &casebench::case::LoadOptions::new(today()),
        &|_, _| {},
    )
    .unwrap();
    let state_dir = casebench::record::StateDir::at(&cases.parent().unwrap().join("wb-state"));
    let mut msgs = Vec::new();
    casebench::tui::event_loop::read_log(cases, &state_dir, &set, &mut |m| msgs.push(m));
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    update(&mut s, Msg::Resize(120, 40));
    for m in msgs {
        update(&mut s, m);
    }
    let row = s.rows.iter().find(|r| r.id == id).unwrap();
    Said {
        status: row.status.as_str().to_string(),
        due: (row.due != "-").then(|| row.due.clone()),
        days_left: row.days_left,
    }
}

/// The workbench's audit screen (`A`), with the report its worker builds, at 120×40: the
/// row of case `id`.
fn audit_screen(cases: &Path, id: &str) -> String {
    let set = casebench::rules::load_dir(
        cases,
        &casebench::case::LoadOptions::new(today()),
        &|_, _| {},
    )
    .unwrap();
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set.clone())));
    crate::support::tui::send(&mut s, [crate::support::tui::key('A')]);
    let report = casebench::audit::AuditReport::build(cases, &set).map_err(|e| e.to_string());
    update(
        &mut s,
        Msg::Audit(casebench::tui::screens::audit::AuditMsg::Loaded(
            report.map(Box::new),
        )),
    );
    let out = crate::support::tui::render(&mut s, 120, 40);
    out.lines()
        .filter(|l| l.contains(id))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_surface_tells_the_same_status_due_date_and_days_left() {
    for st in STANDINGS {
        let env = Env::new();
        (st.act)(&env);
        let all = surfaces(&env, st.case);
        let (_, first) = &all[0];
        if let Some(prefix) = st.status.strip_suffix('*') {
            assert!(
                first.status.starts_with(prefix),
                "{}: {}",
                st.name,
                first.status
            );
        } else if !st.status.is_empty() {
            assert_eq!(first.status, st.status, "{}", st.name);
        }
        for (surface, said) in &all {
            assert_eq!(
                said, first,
                "{}: {surface} disagrees with list --json",
                st.name
            );
        }
        if st.recorded {
            // The audit gives the record's due date, the same as every surface.
            let audit = json(&env, &["audit", "--format", "json"]);
            let rows = audit["records"].as_array().unwrap();
            let row = rows.iter().find(|r| r["case"] == st.case).unwrap();
            assert_eq!(
                row["deadline_due"].as_str().map(str::to_string),
                first.due,
                "{}: audit --format json",
                st.name
            );
            // The case's status and on-time as the audit gives them (the record in
            // force's row; a proposal's row has none).
            if let Some(status) = row["case_status"].as_str() {
                assert_eq!(status, first.status, "{}: audit case_status", st.name);
            }
            // A proposal's row says its own on-time (signed by the due date).
            let on_time = if row["case_status"].is_null() {
                row["decided_on_time"].as_bool()
            } else {
                row["case_on_time"].as_bool()
            };
            let table = text(&env, &["audit"]);
            let line = table.lines().find(|l| l.contains(st.case)).unwrap();
            match (first.due.as_ref(), on_time, first.status.as_str()) {
                (Some(_), Some(true), _) => assert!(line.contains("on time"), "{line}"),
                (Some(_), Some(false), _) => assert!(line.contains("LATE"), "{line}"),
                (_, _, "awaiting_provision") => assert!(line.contains("awaiting"), "{line}"),
                _ => assert!(!line.contains("on time"), "{line}"),
            }
            // The workbench's audit screen says the same word on the case's row.
            let screen = audit_screen(&env.cases, st.case);
            for word in ["on time", "LATE", "awaiting"] {
                assert_eq!(
                    screen.contains(word),
                    line.contains(word),
                    "{}: `{word}` in the audit table and the audit screen:\n{line}\n{screen}",
                    st.name
                );
            }
        }
    }
}

#[test]
fn every_sample_case_tells_the_same_story_in_list_show_and_the_workbench() {
    // The sample library (a copy), nothing signed: every case on every surface.
    let tmp = crate::support::common::sample_library_copy();
    let cases = tmp.path().join("cases");
    let home = tmp.path().join("home");
    let run = |args: &[&str]| {
        let o = crate::support::cli::casebench(&home)
            .arg("--cases")
            .arg(&cases)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let list: Value = serde_json::from_str(&run(&["list", "--json"])).unwrap();
    let today: chrono::NaiveDate = serde_json::from_value(list["today"].clone()).unwrap();
    let set = casebench::rules::load_dir(
        &cases,
        &casebench::case::LoadOptions::new(today),
        &|_, _| {},
    )
    .unwrap();
    let mut s = State::new(today, "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    for c in list["cases"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let listed = said_json(&c["status"], &c["due"], &c["days_left"]);
        let show: Value = serde_json::from_str(&run(&["show", id, "--json"])).unwrap();
        let shown = said_json(
            &show["status"],
            &show["deadline"]["due"],
            &show["deadline"]["days_left"],
        );
        assert_eq!(shown, listed, "{id}: show --json");
        assert_eq!(from_show_text(&run(&["show", id])), listed, "{id}: show");
        let row = s.rows.iter().find(|r| r.id == id).unwrap();
        let workbench = Said {
            status: row.status.as_str().to_string(),
            due: (row.due != "-").then(|| row.due.clone()),
            days_left: row.days_left,
        };
        assert_eq!(workbench, listed, "{id}: the workbench's queue row");
    }
}

/// The queue's order (issue 23): dated cases first by due date (the overdue first), then
/// concerns, then requests without a clock, and the same order in `list` and the
/// workbench.
#[test]
fn the_queue_puts_overdue_first_and_requests_without_a_clock_last_with_a_dash() {
    let tmp = crate::support::common::sample_library_copy();
    let cases = tmp.path().join("cases");
    let o = crate::support::cli::casebench(&tmp.path().join("home"))
        .arg("--cases")
        .arg(&cases)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = list["cases"].as_array().unwrap();
    let group = |c: &Value| {
        if c["status"] == "decided" {
            3
        } else if !c["due"].is_null() {
            0
        } else if c["kind"] == "disclosure_concern" {
            1
        } else {
            2
        }
    };
    let groups: Vec<i32> = rows.iter().map(group).collect();
    assert!(groups.is_sorted(), "{groups:?}");
    let dues: Vec<&str> = rows
        .iter()
        .filter(|c| group(c) == 0)
        .map(|c| c["due"].as_str().unwrap())
        .collect();
    assert!(dues.is_sorted(), "{dues:?}");
    assert!(
        groups.contains(&2),
        "the sample library has a request without a clock"
    );
    // On screen: `-`, never `! now`, for a request without a clock.
    let today: chrono::NaiveDate = serde_json::from_value(list["today"].clone()).unwrap();
    let set = casebench::rules::load_dir(
        &cases,
        &casebench::case::LoadOptions::new(today),
        &|_, _| {},
    )
    .unwrap();
    let mut s = State::new(today, "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    let order: Vec<&str> = s.rows.iter().map(|r| r.id.as_str()).collect();
    let listed: Vec<&str> = rows.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(order, listed, "the workbench and list sort alike");
    for r in &s.rows {
        let (word, _) = casebench::present::words::days_left(r.status, r.days_left, r.kind);
        if r.days_left.is_none() && r.kind == casebench::case::CaseKind::AccessRequest {
            assert_eq!(word, "-", "{}", r.id);
        }
    }
}

/// `audit --summary` counts the overdue cases the queue shows, and says how many
/// practice cases it leaves out (docs/AUDIT.md, "Overdue open cases").
#[test]
fn the_audit_summary_and_the_queue_agree_on_what_is_overdue() {
    let tmp = crate::support::common::sample_library_copy();
    let cases = tmp.path().join("cases");
    let home = tmp.path().join("home");
    let run = |args: &[&str]| {
        let o = crate::support::cli::casebench(&home)
            .arg("--cases")
            .arg(&cases)
            .args(["--today", "2027-03-01"])
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let list: Value = serde_json::from_str(&run(&["list", "--json"])).unwrap();
    let overdue = |practice: bool| {
        list["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "overdue")
            .filter(|c| {
                let file = cases.join(format!("{}.yaml", c["id"].as_str().unwrap()));
                std::fs::read_to_string(file)
                    .unwrap()
                    .contains("\npractice:")
                    == practice
            })
            .count()
    };
    let (real, practice) = (overdue(false), overdue(true));
    assert!(
        practice > 0,
        "the sample library has overdue practice cases then"
    );
    let summary: Value =
        serde_json::from_str(&run(&["audit", "--summary", "--format", "json"])).unwrap();
    let sm = &summary["summary"];
    assert_eq!(sm["overdue_open"].as_array().unwrap().len(), real);
    assert_eq!(sm["overdue_practice_not_counted"], practice);
    let table = run(&["audit", "--summary"]);
    assert!(
        table.contains(&format!(
            ": {real} (practice cases not counted: {practice})"
        )),
        "{table}"
    );
}
