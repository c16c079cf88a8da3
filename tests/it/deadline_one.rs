//! One deadline, everywhere (issue 11, point 1): for every sample case and for a generated
//! set that covers every state overlay, a business-day state of an override rulebook,
//! every requester shape (own access, a patient's direction, third parties, an
//! instrument's own return date, a concern) and every extension shape, the queue and
//! `list --json`, `advise --json`, `show --json`, the case header of the workbench, the
//! signed record's `deadline.due` (`build_draft`) and the audit summary all give the same
//! due date.

use std::collections::BTreeMap;
use std::path::Path;

use casebench::case::LoadOptions;
use casebench::decision::proposal::Proposal;
use casebench::rules::Rulebook;
use casebench::rules::deadline::for_case;
use casebench::rules::{CaseSet, load_dir};
use chrono::NaiveDate;
use serde_json::Value;

const TODAY: &str = "2026-12-31";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn run(dir: &Path, args: &[&str]) -> Value {
    let o = crate::support::cli::casebench(crate::support::cli::shared_home())
        .arg("--cases")
        .arg(dir)
        .arg("--today")
        .arg(TODAY)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.code() == Some(0) || o.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn due_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Every surface's due date per case id; a mismatch names the case and the surfaces.
fn assert_one_deadline(dir: &Path) -> usize {
    let set = load_dir(dir, &LoadOptions::new(day(TODAY)), &|_, _| {}).unwrap();
    assert!(
        set.invalid.is_empty(),
        "{:#?}",
        set.invalid
            .iter()
            .flat_map(|i| &i.problems)
            .map(|p| p.headline())
            .collect::<Vec<_>>()
    );
    let list = run(dir, &["list", "--json"]);
    let listed: BTreeMap<String, Option<String>> = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), due_of(&c["due"])))
        .collect();
    let summary = run(dir, &["audit", "--summary", "--json"]);
    let overdue: BTreeMap<String, Option<String>> = summary["summary"]["overdue_open"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["case"].as_str().unwrap().to_string(), due_of(&c["due"])))
        .collect();
    let mut bad = Vec::new();
    let mut with_due = 0;
    for lc in &set.cases {
        let id = lc.case.id.as_str();
        let truth = for_case(&lc.case, &set.rules, day(TODAY))
            .due
            .map(|d| d.to_string());
        with_due += usize::from(truth.is_some());
        let advise = run(dir, &["advise", id, "--json"]);
        let show = run(dir, &["show", id, "--json"]);
        let draft = Proposal {
            kind: casebench::record::RecordType::Decision,
            judged: casebench::rules::Proposal {
                outcome: casebench::case::Outcome::ReleaseFull,
                grounds: vec![],
                withhold: Default::default(),
                notice: None,
            },
            disclosures: None,
            rationale: "x".into(),
            overrides: vec![],
        }
        .unsigned(
            &lc.case,
            &set.rules,
            "k.osei@lakeside.example",
            true,
            casebench::decision::proposal::Days::same(day(TODAY)),
        )
        .unwrap();
        let header =
            casebench::tui::screens::case::content::case_view(0, &lc.case, &set.rules, day(TODAY))
                .clock
                .0;
        let mut seen = vec![
            ("list --json", listed.get(id).cloned().flatten()),
            ("advise --json", due_of(&advise["deadline"]["due"])),
            ("show --json", due_of(&show["deadline"]["due"])),
            ("record", draft.deadline.due.map(|d| d.to_string())),
        ];
        // The audit summary lists the overdue open access requests (not practice cases).
        if let Some(d) = overdue.get(id) {
            seen.push(("audit --summary", d.clone()));
        } else if truth.is_some()
            && lc.case.practice.is_none()
            && lc.case.kind == casebench::case::CaseKind::AccessRequest
        {
            seen.push(("audit --summary (missing)", None));
        }
        for (surface, got) in seen {
            if got != truth {
                bad.push(format!(
                    "{id}: {surface} says {got:?}, the deadline is {truth:?}"
                ));
            }
        }
        match &truth {
            Some(d) if !header.contains(&format!("due {d}")) => {
                bad.push(format!("{id}: header `{header}`, the deadline is {d}"))
            }
            None if header.contains("due ") => bad.push(format!(
                "{id}: header `{header}` shows a due date; there is none"
            )),
            _ => {}
        }
    }
    assert!(bad.is_empty(), "surfaces disagree:\n{}", bad.join("\n"));
    with_due
}

#[test]
fn every_sample_case_has_one_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    crate::support::common::copy_dir(crate::support::common::sample_library(), tmp.path());
    let n = assert_one_deadline(tmp.path());
    assert!(n >= 10, "only {n} sample cases have a due date");
}

/// Who asks, with what: (relationship, instrument line, patient line, extra requester keys).
const SHAPES: &[(&str, &str, &str)] = &[
    (
        "self",
        "{ type: written_request, signed: true }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "parent",
        "{ type: written_request, signed: true }",
        "{ ref: P-1, age: 15 }",
    ),
    (
        "personal_representative",
        "{ type: written_request, signed: true }",
        "{ ref: P-1, age: 80 }",
    ),
    (
        "executor",
        "{ type: written_request, signed: true }",
        "{ ref: P-1, age: 70, date_of_death: 2025-12-01 }",
    ),
    (
        "attorney",
        "{ type: patient_direction, signed: true, dated: 2026-01-02 }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "attorney",
        "{ type: authorization, signed: true, dated: 2026-01-02, expires: 2027-01-01 }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "attorney",
        "{ type: subpoena, patient_notified: true, return_date: 2026-02-20 }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "law_enforcement",
        "{ type: warrant, judge_signed: true }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "insurer",
        "{ type: authorization, signed: true, dated: 2026-01-02, expires: 2027-01-01 }",
        "{ ref: P-1, age: 40 }",
    ),
    (
        "parent",
        "{ type: written_request, signed: true }",
        "{ ref: P-1, age: 30 }",
    ),
    ("concern", "", "{ ref: P-1, age: 40 }"),
];

/// Extension shapes, relative to a case received 2026-01-05 (day 30 = 02-04).
const EXTENSIONS: &[Option<(&str, &str, Option<&str>)>] = &[
    None,
    Some((
        "2026-01-15",
        "2026-02-25",
        Some("records archived off site"),
    )),
    Some(("2026-02-09", "2026-03-01", Some("late notice"))),
    Some(("2026-01-15", "2026-03-20", Some("too long"))),
    Some(("2026-01-15", "2026-01-20", Some("not later"))),
    Some(("2026-01-15", "2026-02-25", None)),
    Some((
        "2026-01-06",
        "2026-01-30",
        Some("inside a short state period"),
    )),
];

fn case_yaml(id: &str, state: &str, shape: usize, ext: usize) -> String {
    let (rel, instrument, patient) = SHAPES[shape];
    let head = format!(
        "id: {id}\ntitle: generated case {id}\nkind: {}\nreceived: 2026-01-05\njurisdiction: {state}\npatient: {patient}\n",
        if rel == "concern" {
            "disclosure_concern"
        } else {
            "access_request"
        }
    );
    let harm = "harm_evaluation:\n  assessed_by: { name: Dr. T. Test, credential: MD, licensed: true }\n  assessed_on: 2026-01-05\n  at_risk: none\n  harm_type: none\n  likelihood: remote\n  imminence: none\n";
    if rel == "concern" {
        return format!("{head}concern: {{ type: threat_to_self, statement: \"test\" }}\n{harm}");
    }
    let mut s = format!(
        "{head}request:\n  requester: {{ name: Test requester, relationship: {rel}, identity_verified: true }}\n  instrument: {instrument}\n  records:\n    - {{ id: chart, description: Chart, category: chart }}\n"
    );
    // `check` refuses an extension on a request without an access clock (shapes 5..).
    if let Some((sent, due, reason)) = EXTENSIONS[ext].filter(|_| shape < 5) {
        s.push_str(&format!(
            "  extension:\n    notice_sent: {sent}\n    new_due: {due}\n"
        ));
        if let Some(r) = reason {
            s.push_str(&format!("    reason: {r}\n"));
        }
    }
    s + harm
}

#[test]
fn a_generated_set_has_one_deadline() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("casebench.yaml"),
        "entity: { name: Test clinic, address: \"1 Test Road\", state: US-OH }\nprivacy_contact: { title: Privacy Officer, phone: \"555-0100\" }\n",
    )
    .unwrap();
    crate::support::common::copy_dir(
        &crate::support::common::sample_library().join("reviewers"),
        &dir.join("reviewers"),
    );
    // Counsel's override: Washington given a 15-business-day period with a 6-day
    // extension (a fixture, not a statement of Washington law).
    let src = Rulebook::builtin_source();
    let needle = "  - code: US-WA\n    name: Washington\n    checked: true\n";
    assert!(src.contains(needle));
    let rb = src.replace(
        needle,
        &format!("{needle}    access_days: 15\n    access_day_unit: business\n    access_extension_days: 6\n    access_days_citation: \"fixture: 15 business days\"\n"),
    );
    std::fs::create_dir_all(dir.join("rules")).unwrap();
    std::fs::write(dir.join("rules/rulebook.yaml"), rb).unwrap();
    let rules = Rulebook::from_yaml(
        &std::fs::read_to_string(dir.join("rules/rulebook.yaml")).unwrap(),
        "t",
    )
    .unwrap();
    let mut states: Vec<String> = rules.file.states.iter().map(|s| s.code.clone()).collect();
    states.push("US-HI".into()); // no overlay: the federal rule
    let combos = SHAPES.len() * EXTENSIONS.len();
    let n = combos.max(states.len());
    for i in 0..n {
        let id = format!("G-{i:03}");
        let shape = i % SHAPES.len();
        let ext = (i / SHAPES.len()) % EXTENSIONS.len();
        let yaml = case_yaml(&id, &states[i % states.len()], shape, ext);
        std::fs::write(dir.join(format!("{id}.yaml")), yaml).unwrap();
    }
    // Every state and every (shape, extension) pair is there, including the short
    // state periods with each extension shape.
    for (shape, ext) in [(0, 6), (0, 1), (3, 5)] {
        for state in ["US-CA", "US-WA"] {
            let id = format!("S-{state}-{shape}-{ext}");
            std::fs::write(
                dir.join(format!("{id}.yaml")),
                case_yaml(&id, state, shape, ext),
            )
            .unwrap();
        }
    }
    let with_due = assert_one_deadline(dir);
    assert!(with_due > 30, "{with_due}");
    // The override's business days reached every surface: 2026-01-05 (a Monday) plus 15
    // business days is 2026-01-26; California's 15 calendar days end on 01-20.
    let set: CaseSet = load_dir(dir, &LoadOptions::new(day(TODAY)), &|_, _| {}).unwrap();
    let due = |id: &str| {
        let lc = set.get(id).unwrap();
        for_case(&lc.case, &set.rules, day(TODAY))
            .due
            .map(|d| d.to_string())
    };
    assert_eq!(due("S-US-WA-0-1").as_deref(), Some("2026-01-26"));
    assert_eq!(due("S-US-CA-0-1").as_deref(), Some("2026-01-20"));
    // Within Washington's period, its 6-day extension counts (01-06 notice, new date
    // 01-30 <= 02-03); California's period has no extension.
    assert_eq!(due("S-US-WA-0-6").as_deref(), Some("2026-01-30"));
    assert_eq!(due("S-US-CA-0-6").as_deref(), Some("2026-01-20"));
}
