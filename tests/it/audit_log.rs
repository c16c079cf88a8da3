//! `casebench audit` over a log built through the real `casebench decide`: the table,
//! CSV (parsed back with the `csv` crate), JSON and the accounting of disclosures,
//! field by field; a tampered record shows as failed in every one of them.

use crate::support::audit as audit_support;

use audit_support::*;
use serde_json::Value;

fn csv_rows(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.unwrap()).collect();
    (header, rows)
}

fn field<'a>(header: &[String], row: &'a csv::StringRecord, name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    &row[i]
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn table_lists_every_record_with_its_state() {
    let env = Env::new();
    build_log(&env);
    let (code, out) = env.audit(&[]);
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("   SEQ  TIME"), "{out}");
    let main: Vec<&str> = lines[1..]
        .iter()
        .copied()
        .filter(|l| !l.starts_with("        "))
        .collect();
    assert_eq!(main.len(), 5, "{out}");
    for l in &main {
        assert!(l.ends_with("  ok"), "{l}");
    }
    assert!(main[0].contains("AR-2026-0301") && main[0].contains("P-90301"));
    assert!(main[0].contains("Dr. A. Rivera") && main[0].contains("release_partial"));
    // On time means provided on time: nothing is provided in this log, so each access
    // request's decision says it awaits its provision (the clock still runs).
    assert!(main[0].contains("2026-04-01") && main[0].contains("awaiting"));
    assert!(
        main[1].contains("Dr. B. Osei") && main[1].contains("awaiting"),
        "{}",
        main[1]
    );
    assert!(main[3].contains("warn_and_protect") && main[3].contains("P-90304"));
    assert!(main[4].contains("report") && main[4].contains("DC-2026-0305"));
    assert!(out.contains(
        "        withheld: notes (psychotherapy-notes): Psychotherapy notes, kept separately"
    ));
    assert!(out.contains("        override: harm-not-licensed: Dr. A. Rivera (MD) confirmed"));
    assert!(out.contains("        grounds: serious-threat, state-duty-to-warn"));
}

#[test]
fn csv_parses_back_field_by_field() {
    let env = Env::new();
    build_log(&env);
    let (code, out) = env.audit(&["--format", "csv"]);
    assert_eq!(code, 0);
    let (h, rows) = csv_rows(&out);
    assert_eq!(h[0], "seq");
    assert_eq!(rows.len(), 5);
    let f = |i: usize, n: &str| field(&h, &rows[i], n).to_string();
    assert_eq!(f(0, "seq"), "1");
    assert_eq!(f(0, "type"), "decision");
    assert_eq!(f(0, "case"), "AR-2026-0301");
    assert_eq!(f(0, "patient"), "P-90301");
    assert_eq!(f(0, "reviewer"), A);
    assert_eq!(f(0, "reviewer_name"), "Dr. A. Rivera");
    assert_eq!(f(0, "outcome"), "release_partial");
    assert_eq!(f(0, "grounds"), "right-of-access");
    assert_eq!(f(0, "withheld"), "notes=psychotherapy-notes");
    assert_eq!(f(0, "released"), "chart");
    assert_eq!(f(0, "disclosures"), "1");
    assert_eq!(f(0, "deadline_due"), "2026-04-01");
    assert_eq!(f(0, "decided_on_time"), "true");
    assert_eq!(f(0, "verification"), "ok");
    assert_eq!(f(0, "problems"), "");
    // ISO date and RFC 3339 time.
    assert_eq!(f(0, "date").len(), 10);
    assert_eq!(&f(0, "time")[..f(0, "date").len()], f(0, "date"));
    assert!(f(0, "time").ends_with('Z'));
    assert_eq!(f(1, "decided_on_time"), "false");
    assert_eq!(f(1, "deadline_due"), "2026-03-03");
    assert_eq!(f(1, "reviewer"), B);
    assert_eq!(
        f(2, "overrides"),
        "invalid-ground: The licensed determination is documented in the crisis note, not yet in the case file; harm-not-licensed: Dr. A. Rivera (MD) confirmed the determination in person on 2026-03-07"
    );
    assert_eq!(f(3, "grounds"), "serious-threat; state-duty-to-warn");
    assert_eq!(f(3, "deadline_due"), "");
    assert_eq!(f(3, "disclosures"), "2");
    assert_eq!(f(4, "outcome"), "report");
}

#[test]
fn json_has_the_documented_fields() {
    let env = Env::new();
    build_log(&env);
    let (code, out) = env.audit(&["--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    assert_eq!(v["head"], 5);
    let r = v["records"].as_array().unwrap();
    assert_eq!(r.len(), 5);
    assert_eq!(r[0]["seq"], 1);
    assert_eq!(r[0]["type"], "decision");
    assert_eq!(r[0]["case"], "AR-2026-0301");
    assert_eq!(r[0]["patient_ref"], "P-90301");
    assert_eq!(r[0]["reviewer"], A);
    assert_eq!(r[0]["reviewer_name"], "Dr. A. Rivera");
    assert_eq!(r[0]["received"], "2026-03-02");
    assert_eq!(r[0]["withheld"][0]["id"], "notes");
    assert_eq!(r[0]["withheld"][0]["grounds"][0], "psychotherapy-notes");
    assert_eq!(
        r[0]["withheld"][0]["description"],
        "Psychotherapy notes, kept separately"
    );
    assert_eq!(r[0]["deadline_due"], "2026-04-01");
    assert_eq!(r[0]["decided_on_time"], true);
    assert_eq!(r[0]["verification"], "ok");
    assert_eq!(r[0]["problems"].as_array().unwrap().len(), 0);
    assert_eq!(r[1]["decided_on_time"], false);
    // In the advisor's order of findings.
    assert_eq!(r[2]["overrides"][0]["code"], "invalid-ground");
    assert_eq!(r[2]["overrides"][1]["code"], "harm-not-licensed");
    assert_eq!(
        r[2]["overrides"][1]["justification"],
        "Dr. A. Rivera (MD) confirmed the determination in person on 2026-03-07"
    );
    assert_eq!(r[3]["outcome"], "warn_and_protect");
    assert_eq!(r[3]["deadline_due"], Value::Null);
    // --format json is the same as --json.
    let (_, again) = env.audit(&["--format", "json"]);
    assert_eq!(json(&again)["records"], v["records"]);
}

#[test]
fn accounting_entries_field_by_field() {
    let env = Env::new();
    build_log(&env);
    let (code, out) = env.audit(&["--accounting", "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    let a = &v["accounting"];
    // The window runs to the newest record or the real day (never `--today`), from six
    // years before it.
    let (from, end) = env.period();
    assert_eq!(
        a["from"],
        from.as_str(),
        "six years before the period's end"
    );
    assert_eq!(a["to"], end.as_str());
    let e = a["entries"].as_array().unwrap();
    assert_eq!(e.len(), 3, "{a:#}");
    // Sorted by date, then by record: each entry is dated the day its record was signed
    // (the real day, whatever `--today` said), so record 4's two come first.
    assert_eq!(e[0]["date"], env.record_day(4).as_str());
    assert_eq!(e[0]["recipient"], "Jane Doe (the named victim)");
    assert_eq!(e[0]["address"], "44 Oak Ave, Testville, OH");
    assert_eq!(
        e[0]["basis"],
        serde_json::json!(["serious-threat", "state-duty-to-warn"])
    );
    assert_eq!(e[1]["recipient"], "Testville Police Department");
    assert_eq!(
        e[1]["purpose"],
        "Report to law enforcement under the duty to protect"
    );
    assert_eq!(e[2]["date"], env.record_day(5).as_str());
    assert_eq!(e[2]["recipient"], "County Children Services, \"intake\"");
    assert_eq!(e[2]["address"], "9 Court St, Testville, OH");
    assert_eq!(
        e[2]["description"],
        "The child's statement and the therapist's observations"
    );
    assert_eq!(e[2]["purpose"], "Mandatory report of suspected child abuse");
    assert_eq!(e[2]["patient_ref"], "P-90305");
    assert_eq!(e[2]["basis"][0], "child-abuse-report");
    assert_eq!(e[2]["seq"], 5);
    for x in e {
        assert_eq!(x["verification"], "ok");
    }
    // The disclosure to the patient herself is excluded, with the reason.
    let x = a["excluded"].as_array().unwrap();
    assert_eq!(x.len(), 1);
    assert_eq!(x[0]["seq"], 1);
    assert!(
        x[0]["reason"]
            .as_str()
            .unwrap()
            .contains("164.528(a)(1)(ii)")
    );

    // CSV of the same.
    let (_, out) = env.audit(&["--accounting", "--format", "csv"]);
    let (h, rows) = csv_rows(&out);
    assert_eq!(
        h,
        [
            "date",
            "patient",
            "case",
            "seq",
            "recipient",
            "address",
            "description",
            "purpose",
            "basis",
            "verification"
        ]
    );
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][4], "Jane Doe (the named victim)");
    assert_eq!(rows[0][0], env.record_day(4));
    assert_eq!(&rows[0][8], "serious-threat; state-duty-to-warn");
    assert_eq!(&rows[2][4], "County Children Services, \"intake\"");

    // Table.
    let (_, out) = env.audit(&["--accounting"]);
    assert!(out.contains(&format!(
        "Accounting of disclosures (45 CFR 164.528), {from} to {end}"
    )));
    assert!(out.contains("  Recipient:   Testville Police Department"));
    assert!(out.contains("  Address:     44 Oak Ave, Testville, OH"));
    assert!(out.contains("Not included (1 disclosure(s) that 164.528(a)(1) excludes)"));
}

#[test]
fn accounting_for_one_patient_and_window() {
    let env = Env::new();
    build_log(&env);
    let (_, out) = env.audit(&["--accounting", "--patient", "P-90304", "--json"]);
    let a = &json(&out)["accounting"];
    assert_eq!(a["patient"], "P-90304");
    let e = a["entries"].as_array().unwrap();
    assert_eq!(e.len(), 2);
    assert!(e.iter().all(|x| x["patient_ref"] == "P-90304"));
    // Every entry is dated its record's day: a window that ends the day before holds
    // none of them, one that holds the day holds them all.
    let signed = env.record_day(5);
    let day = chrono::NaiveDate::parse_from_str(&signed, "%Y-%m-%d").unwrap();
    let before = day.pred_opt().unwrap().to_string();
    let entries = |args: &[&str]| {
        let (_, out) = env.audit(&[&["--accounting", "--json"], args].concat());
        json(&out)["accounting"]["entries"]
            .as_array()
            .unwrap()
            .clone()
    };
    assert_eq!(entries(&["--until", &before]).len(), 0);
    let e = entries(&["--since", &signed, "--until", &signed]);
    assert_eq!(e.len(), 3);
    assert_eq!(e[2]["seq"], 5);
    let (_, out) = env.audit(&["--accounting", "--patient", "P-00000"]);
    assert!(
        out.contains("No disclosures to account for in this period."),
        "{out}"
    );
}

#[test]
fn tampered_record_fails_everywhere() {
    let env = Env::new();
    build_log(&env);
    env.tamper(4, "Jane Doe", "Jane Roe");
    let (code, table) = env.audit(&[]);
    assert_eq!(code, 1, "a log that does not verify exits 1");
    let line4 = table
        .lines()
        .find(|l| l.trim_start().starts_with("4  "))
        .unwrap();
    assert!(line4.ends_with("FAILED"), "{line4}");
    assert!(
        table.contains("        FAILED: 00000004.yaml: the signature does not match"),
        "{table}"
    );
    // The next record's chain link breaks too.
    assert!(table.contains("prev does not match record 4"), "{table}");

    let (code, out) = env.audit(&["--format", "csv"]);
    assert_eq!(code, 1);
    let (h, rows) = csv_rows(&out);
    assert_eq!(field(&h, &rows[3], "verification"), "failed");
    assert!(field(&h, &rows[3], "problems").contains("signature does not match"));
    assert_eq!(field(&h, &rows[0], "verification"), "ok");

    let (_, out) = env.audit(&["--json"]);
    let v = json(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["records"][3]["verification"], "failed");
    assert_eq!(v["records"][4]["verification"], "failed");
    assert_eq!(v["records"][0]["verification"], "ok");

    let (code, out) = env.audit(&["--accounting", "--json"]);
    assert_eq!(code, 1);
    let e = json(&out)["accounting"]["entries"]
        .as_array()
        .unwrap()
        .clone();
    let roe = e
        .iter()
        .find(|x| x["recipient"] == "Jane Roe (the named victim)")
        .unwrap();
    assert_eq!(roe["verification"], "failed");
    let (_, out) = env.audit(&["--accounting"]);
    assert!(
        out.contains("(case DC-2026-0304, record 4)  [FAILED]"),
        "{out}"
    );
    let (_, out) = env.audit(&["--summary", "--json"]);
    assert_eq!(json(&out)["summary"]["failing_verification"], 2);
}

#[test]
fn deleted_record_shows_as_missing() {
    let env = Env::new();
    build_log(&env);
    std::fs::remove_file(env.record(2)).unwrap();
    let (code, out) = env.audit(&["--json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["records"][1]["seq"], 2);
    assert_eq!(v["records"][1]["verification"], "missing");
    let (_, table) = env.audit(&[]);
    assert!(table.contains("MISSING: record 2 is missing"), "{table}");
}

#[test]
fn summary_figures() {
    let env = Env::new();
    build_log(&env);
    let (code, out) = env.audit(&["--summary", "--json"]);
    assert_eq!(code, 0);
    let s = &json(&out)["summary"];
    assert_eq!(s["today"], env.period().1.as_str());
    assert_eq!(s["deadlines_as_of"], TODAY);
    assert_eq!(s["records"], 5);
    assert_eq!(s["decisions"], 5);
    let count = |o: &str| {
        s["by_outcome"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["label"] == o)
            .unwrap()["count"]
            .clone()
    };
    assert_eq!(count("release_partial"), 3);
    assert_eq!(count("warn_and_protect"), 1);
    assert_eq!(count("report"), 1);
    assert_eq!(count("deny"), 0);
    // Nothing provided yet: no decision counts as on time or late (tests/it/audit_figures
    // counts them once provided).
    assert_eq!(s["on_time"], 0);
    assert_eq!(s["late"], 0);
    let buckets: u64 = s["days_to_decision"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(buckets, 5, "every decision falls in one bucket");
    assert_eq!(s["overrides"], 2);
    assert_eq!(s["records_with_overrides"], 1);
    assert_eq!(s["failing_verification"], 0);
    let overdue = s["overdue_open"].as_array().unwrap();
    assert_eq!(
        overdue.len(),
        1,
        "decided AR-2026-0302 is not open: {overdue:?}"
    );
    assert_eq!(overdue[0]["case"], "AR-2026-0306");
    assert_eq!(overdue[0]["days_overdue"], 44);

    let (_, t) = env.audit(&["--summary"]);
    assert!(t.contains("Decisions by outcome"), "{t}");
    assert!(t.contains("  release_partial                3  ###"), "{t}");
    // "As of" the period's end (the newest record or the real day); overdue cases are
    // counted on the deadline day, `--today`.
    let (_, end) = env.period();
    assert!(
        t.contains(&format!(
            "Decision log summary as of {end} (deadlines as of 2026-03-20)"
        )),
        "{t}"
    );
    assert!(t.contains("Overdue open cases as of 2026-03-20: 1"));
    assert!(
        t.contains("  AR-2026-0306     received 2026-01-05  due 2026-02-04  44 day(s) overdue")
    );
    let (_, c) = env.audit(&["--summary", "--format", "csv"]);
    let (h, rows) = csv_rows(&c);
    assert_eq!(h, ["figure", "label", "value"]);
    assert!(
        rows.iter()
            .any(|r| &r[0] == "outcome" && &r[1] == "release_partial" && &r[2] == "3")
    );
    assert!(
        rows.iter()
            .any(|r| &r[0] == "overdue_case" && &r[1] == "AR-2026-0306" && &r[2] == "44")
    );
}

#[test]
fn date_filters_and_usage_errors() {
    let env = Env::new();
    build_log(&env);
    // Records are dated by their signing time; a window far in the past holds none.
    let (_, out) = env.audit(&["--until", "2000-01-01", "--json"]);
    assert_eq!(json(&out)["records"].as_array().unwrap().len(), 0);
    let (_, out) = env.audit(&["--since", "2000-01-01", "--json"]);
    assert_eq!(json(&out)["records"].as_array().unwrap().len(), 5);
    let (code, _) = env.audit(&["--since", "2026-03-02", "--until", "2026-03-01"]);
    assert_eq!(code, 2);
    let (code, _) = env.audit(&["--patient", "P-90304"]);
    assert_eq!(code, 2, "--patient needs --accounting");
}

#[test]
fn hostile_text_is_sanitised_in_tables() {
    let env = Env::new();
    let case = std::fs::read_to_string(env.cases.join("DC-2026-0305.yaml"))
        .unwrap()
        .replace("DC-2026-0305", "DC-2026-0399")
        .replace("ref: P-90305", "ref: \"P-\\e[2J99\"");
    std::fs::write(env.cases.join("DC-2026-0399.yaml"), case).unwrap();
    env.decide(
        B,
        TODAY,
        &[
            "DC-2026-0399",
            "--outcome",
            "report",
            "--ground",
            "child-abuse-report",
            "--disclosure",
            "CPS \u{1b}]0;pwned\u{7}|1 St\u{202e}reet|Statement|Mandatory report",
            "--rationale",
            "Report.",
        ],
    );
    // An override justification with an escape sequence (AR-2026-0303 draws two errors).
    env.decide(
        A,
        TODAY,
        &[
            "AR-2026-0303",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "crisis-note=danger-to-life",
            "--override",
            "harm-not-licensed=why \u{1b}[31mred",
            "--override",
            "invalid-ground=see above",
            "--rationale",
            "Withhold.",
        ],
    );
    for args in [&[][..], &["--accounting"][..], &["--summary"][..]] {
        let (code, out) = env.audit(args);
        assert_eq!(code, 0, "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{out}"
        );
    }
    let (_, t) = env.audit(&[]);
    assert!(t.contains("P-^[[2J99"), "{t}");
    assert!(
        t.contains("override: harm-not-licensed: why ^[[31mred"),
        "{t}"
    );
    let (_, a) = env.audit(&["--accounting"]);
    assert!(a.contains("Recipient:   CPS ^[]0;pwned^G"), "{a}");
    assert!(a.contains("Address:     1 St<U+202E>reet"), "{a}");
    // JSON keeps the exact strings (escaped by JSON's own rules).
    let (_, j) = env.audit(&["--accounting", "--json"]);
    assert_eq!(
        json(&j)["accounting"]["entries"][0]["recipient"],
        "CPS \u{1b}]0;pwned\u{7}"
    );
}
