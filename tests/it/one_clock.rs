//! One clock (issue 22 section 4) and the accountable entry built from the case (section
//! 2): in the sample library (its `as_of` pins the deadline day), a court-ordered release
//! signed without `--disclosure` carries the entry the case gives, every date in the
//! record and its notice is the day it was signed (never the `as_of` day), the
//! accounting lists it on that day, and `audit --summary` is "as of" the real day.
//!
//! No date here is compared with a fixed value of the wall clock: the signing day is read
//! from the record's own `time` (`record_day`), and "the real day" of a summary is
//! bracketed by the local day before and after the command.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::common::{record_day, sample_library_copy, stderr, stdout};

/// The sample library's pinned day (cases/casebench.yaml `as_of`).
const AS_OF: &str = "2026-11-23";
const REVIEWER: &str = "k.osei@lakeside.example";

/// casebench on `cases` with no `--today` (the library's `as_of` is in effect), as the
/// demo reviewer, with this test's own home.
fn run(cases: &Path, args: &[&str]) -> Output {
    let home = cases.parent().unwrap().join("home");
    crate::support::cli::casebench(&home)
        .env("NO_COLOR", "1")
        .arg("--cases")
        .arg(cases)
        .arg("--reviewer")
        .arg(REVIEWER)
        .arg("--key")
        .arg(cases.join("reviewers/demo-keys/k.osei"))
        .args(args)
        .output()
        .unwrap()
}

fn local_day() -> String {
    chrono::Local::now().date_naive().to_string()
}

fn decide_court_ordered_release(cases: &Path, extra: &[&str]) -> Output {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = cases.join("reviewers/demo-keys/k.osei");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut args = vec![
        "decide",
        "AR-2026-0127",
        "--outcome",
        "release_partial",
        "--ground",
        "court-order",
        "--withhold",
        "inpatient_notes=outside-order-scope",
        "--withhold",
        "outpatient_chart=outside-order-scope",
        "--rationale",
        "Only what the order names: the discharge summary and the medication record.",
    ];
    args.extend_from_slice(extra);
    run(cases, &args)
}

#[test]
fn a_court_ordered_release_signed_today_carries_the_real_date_everywhere() {
    let tmp = sample_library_copy();
    let cases = tmp.path().join("cases");
    // The library pins the deadline day: `list` computes as of it.
    let list: Value = serde_json::from_slice(&run(&cases, &["list", "--json"]).stdout).unwrap();
    assert_eq!(list["today"], AS_OF);

    let o = decide_court_ordered_release(&cases, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let record = cases.join("decisions/log/00000001.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let signed = record_day(&record);

    // The accountable entry, built from the case: no --disclosure was typed.
    let rec: Value = casebench::yaml::from_str(&text).unwrap();
    let d = rec["disclosures"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{text}");
    let entry = &d[0];
    assert!(
        entry["recipient"]
            .as_str()
            .unwrap()
            .starts_with("L. Okafor-Benn, Esq."),
        "{entry}"
    );
    assert_eq!(entry["address"], "address not known");
    let description = entry["description"].as_str().unwrap();
    assert!(description.starts_with("Discharge summary of the inpatient admission"));
    assert!(description.contains("; Medication administration record"));
    assert!(
        !description.contains("Outpatient chart"),
        "withheld items are not described"
    );
    let purpose = entry["purpose"].as_str().unwrap();
    assert!(purpose.starts_with("In answer to a court order dated 2026-10-29"));
    assert!(purpose.contains("basis: court-order, 45 CFR 164.512(e)(1)(i)"));

    // Every date the record carries of its own is the signing day: the entry's date is
    // the day of the record's `time`. (The case's own dates, such as the order's, are
    // quoted as the case gives them.)
    assert_eq!(entry["date"].as_str().unwrap(), signed);
    if signed != AS_OF {
        assert!(
            !text.contains(AS_OF),
            "the as_of day leaked into the record:\n{text}"
        );
    }

    // The notice of the partial release is dated the signing day too.
    let n = run(&cases, &["notice", "1"]);
    assert_eq!(n.status.code(), Some(0), "{}", stderr(&n));
    let notice = stdout(&n);
    assert!(notice.contains(&format!("Date: {signed}")), "{notice}");
    if signed != AS_OF {
        assert!(!notice.contains(AS_OF), "{notice}");
    }

    // The accounting contains it, dated the signing day.
    let before = local_day();
    let a = run(&cases, &["audit", "--accounting", "--json"]);
    let after = local_day();
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let a: Value = serde_json::from_slice(&a.stdout).unwrap();
    let entries = a["accounting"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{a:#}");
    assert_eq!(entries[0]["seq"], 1);
    assert_eq!(entries[0]["date"], signed.as_str());
    assert_eq!(entries[0]["patient_ref"], "P-11012");
    assert_eq!(entries[0]["basis"][0], "court-order");
    // The period runs to the real day (or the newest record), never to `as_of`.
    let to = a["accounting"]["to"].as_str().unwrap().to_string();
    assert!(to == before || to == after, "{to} is not the real day");
    assert!(to.as_str() >= signed.as_str());

    // `audit --summary` is "as of" the real day; overdue cases are counted as of `as_of`.
    let before = local_day();
    let s = run(&cases, &["audit", "--summary", "--json"]);
    let t = run(&cases, &["audit", "--summary"]);
    let after = local_day();
    let s: Value = serde_json::from_slice(&s.stdout).unwrap();
    let as_of = s["summary"]["today"].as_str().unwrap().to_string();
    assert!(as_of == before || as_of == after, "as of {as_of}");
    let t = stdout(&t);
    assert!(
        t.starts_with(&format!("Decision log summary as of {as_of}")),
        "{t}"
    );
    if as_of != AS_OF {
        assert_eq!(s["summary"]["deadlines_as_of"], AS_OF);
        assert!(t.contains(&format!("(deadlines as of {AS_OF})")), "{t}");
    }
}

#[test]
fn a_disclosure_typed_on_the_command_line_replaces_the_entry_the_case_gives() {
    let tmp = sample_library_copy();
    let cases = tmp.path().join("cases");
    let o = decide_court_ordered_release(
        &cases,
        &[
            "--disclosure",
            "Probate and Family Court, Worcester|225 Main St, Worcester, MA|Discharge summary; MAR|Court order of 2026-10-29",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let record = cases.join("decisions/log/00000001.yaml");
    let text = std::fs::read_to_string(&record).unwrap();
    let rec: Value = casebench::yaml::from_str(&text).unwrap();
    let d = rec["disclosures"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["recipient"], "Probate and Family Court, Worcester");
    assert_eq!(d[0]["address"], "225 Main St, Worcester, MA");
    assert_eq!(d[0]["date"], record_day(&record).as_str());
    // An incomplete one is refused, and nothing is signed.
    let tmp = sample_library_copy();
    let cases = tmp.path().join("cases");
    let o = decide_court_ordered_release(&cases, &["--disclosure", "Court| |x|y"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("all four parts"), "{}", stderr(&o));
    assert!(!cases.join("decisions/log/00000001.yaml").exists());
}

/// The seam: `--today` moves the deadline day only.
#[test]
fn today_moves_deadlines_never_the_signing_day() {
    let tmp = sample_library_copy();
    let cases = tmp.path().join("cases");
    let o = decide_court_ordered_release(&cases, &["--today", "2026-11-10"]);
    // `--today` is a global option: given after the command it is still the global one.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let record = cases.join("decisions/log/00000001.yaml");
    let rec: Value = casebench::yaml::from_str(&std::fs::read_to_string(&record).unwrap()).unwrap();
    assert_eq!(rec["disclosures"][0]["date"], record_day(&record).as_str());
    assert_ne!(rec["disclosures"][0]["date"], "2026-11-10");
}
