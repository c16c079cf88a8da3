//! CSV exports open cleanly in a spreadsheet: RFC 4180 quoting survives a round trip
//! through the `csv` crate, and cells that would run as formulas are guarded.

use casebench::audit::Verification;
use casebench::audit::accounting::{Accounting, Entry};
use casebench::audit::render;
use chrono::NaiveDate;

fn entry(recipient: &str, address: &str, description: &str, purpose: &str) -> Entry {
    Entry {
        date: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        patient_ref: Some("P-1".into()),
        case: "DC-1".into(),
        seq: 7,
        recipient: recipient.into(),
        address: address.into(),
        description: description.into(),
        purpose: purpose.into(),
        basis: vec!["serious-threat".into()],
        verification: Verification::Ok,
        problems: vec![],
        disclosure: 0,
    }
}

fn parse(text: &str) -> Vec<csv::StringRecord> {
    csv::ReaderBuilder::new()
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn awkward_text_round_trips() {
    let a = Accounting {
        patient: None,
        from: NaiveDate::from_ymd_opt(2020, 3, 20).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        entries: vec![entry(
            "O'Brien, \"Sam\"",
            "Line 1\nLine 2\r\nLine 3",
            "Notes, labs; and \"more\"",
            "Ünïcödé purpose",
        )],
        excluded: vec![],
    };
    let text = render::accounting_csv(&a);
    assert!(text.ends_with("\r\n"));
    assert!(text.starts_with(
        "date,patient,case,seq,recipient,address,description,purpose,basis,verification\r\n"
    ));
    let rows = parse(&text);
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], "2026-03-20");
    assert_eq!(&rows[0][4], "O'Brien, \"Sam\"");
    assert_eq!(&rows[0][5], "Line 1\nLine 2\r\nLine 3");
    assert_eq!(&rows[0][6], "Notes, labs; and \"more\"");
    assert_eq!(&rows[0][7], "Ünïcödé purpose");
}

#[test]
fn formula_cells_are_prefixed() {
    let a = Accounting {
        patient: None,
        from: NaiveDate::from_ymd_opt(2020, 3, 20).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        entries: vec![entry(
            "=HYPERLINK(\"http://x.example\",\"click\")",
            "+1 555 0100",
            "-2+3",
            "@SUM(A1:A9)",
        )],
        excluded: vec![],
    };
    let rows = parse(&render::accounting_csv(&a));
    assert_eq!(&rows[0][4], "'=HYPERLINK(\"http://x.example\",\"click\")");
    assert_eq!(&rows[0][5], "'+1 555 0100");
    assert_eq!(&rows[0][6], "'-2+3");
    assert_eq!(&rows[0][7], "'@SUM(A1:A9)");
    assert_eq!(&rows[0][8], "serious-threat");
}
