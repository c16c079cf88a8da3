//! The record's byte form: every string round-trips through our writer and the YAML
//! reader; the canonical form is stable (golden file); anything else is refused.

use casebench::record::model::*;
use chrono::{DateTime, NaiveDate, Utc};

fn sample() -> Record {
    Record {
        record: RECORD_TAG.into(),
        seq: 42,
        prev: format!("sha256:{}", "ab".repeat(32)),
        case: "AR-2026-0101".into(),
        case_sha256: "0123456789".repeat(6) + "abcd",
        case_prev: "none".into(),
        kind: RecordType::Decision,
        reviews: None,
        countersigns: None,
        reviewer: "a.rivera@lakeside.example".into(),
        key: "SHA256:i5hG/34RbzKicmKlcjI8H9MIFyjCJw8LzhvYtS6Ygmg".into(),
        policy: format!("sha256:{}", "cd".repeat(32)),
        time: DateTime::parse_from_rfc3339("2026-11-23T17:40:05Z")
            .unwrap()
            .with_timezone(&Utc),
        outcome: "release_partial".into(),
        grounds: vec!["right-of-access".into()],
        records: vec![
            RecordAction {
                id: "chart".into(),
                action: Action::Release,
                grounds: vec![],
            },
            RecordAction {
                id: "notes".into(),
                action: Action::Withhold,
                grounds: vec!["psychotherapy-notes".into()],
            },
        ],
        disclosures: vec![Disclosure {
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            recipient: "M. Reyes".into(),
            address: "12 Elm St, Lakeside".into(),
            description: "chart 2024-2026".into(),
            purpose: "patient's request".into(),
        }],
        notice: Notice {
            basis: true,
            review_rights: false,
            complaint_routes: true,
        },
        deadline: DeadlineInfo {
            due: NaiveDate::from_ymd_opt(2026, 4, 1),
            decided_on_time: true,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![OverriddenFinding {
            code: "deadline-near".into(),
            justification: "decided today".into(),
        }],
        rationale:
            "The notes are psychotherapy notes kept separately.\n\nEverything else is released.\n"
                .into(),
    }
}

#[test]
fn golden_bytes() {
    let golden = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/records/record-v1.yaml"
    ))
    .unwrap();
    let bytes = sample().to_bytes();
    assert_eq!(
        String::from_utf8_lossy(&bytes),
        String::from_utf8_lossy(&golden)
    );
    assert_eq!(Record::from_bytes(&golden).unwrap(), sample());
}

/// A small deterministic generator (no extra crates; reproducible failures).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() as usize) % xs.len()]
    }
}

const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "1e5",
    "0x1F",
    "true",
    "No",
    "null",
    "~",
    "-",
    "- ",
    "? ",
    ": ",
    ":",
    "#",
    " #",
    "'",
    "\"",
    "\\",
    "\n",
    "\n\n",
    "\t",
    " ",
    "  ",
    "\r",
    "\r\n",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{200b}",
    "\u{202e}",
    "\u{2028}",
    "\u{feff}",
    "é",
    "日本",
    "🙂",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a",
    "*a",
    "!tag",
    "%",
    "@",
    "`",
    "|",
    ">",
    "---",
    "...",
    "2026-01-01",
    "12:30",
    "+1",
    ".5",
    "sha256:",
    "\u{0}",
    "\u{e0041}",
];

#[test]
fn every_string_round_trips() {
    let mut rng = Lcg(7);
    for i in 0..2000 {
        let n = (rng.next() % 8) as usize;
        let s: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        let mut r = sample();
        r.rationale = s.clone();
        r.reviewer = s.clone();
        r.outcome = s.clone();
        r.grounds = vec![s.clone(), "x".into()];
        r.disclosures[0].recipient = s.clone();
        r.records[1].grounds = vec![s.clone()];
        r.findings_overridden[0].justification = s.clone();
        match i % 3 {
            0 => {
                r.kind = RecordType::Review;
                r.reviews = Some(7);
                r.deadline.due = None;
                r.records.clear();
                r.disclosures.clear();
            }
            1 => {
                r.kind = RecordType::Countersign;
                r.countersigns = Some(41);
                r.findings_overridden.clear();
                r.grounds.clear();
            }
            _ => {}
        }
        let bytes = r.to_bytes();
        // Both readers agree: the fast one recognises every canonical record.
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(
            casebench::record::fastread::read(text).as_ref(),
            Some(&r),
            "case {i}: {s:?}"
        );
        match Record::from_bytes_yaml(&bytes) {
            Ok(back) => assert_eq!(back, r, "case {i}: {s:?}"),
            Err(e) => panic!(
                "case {i}: {s:?} did not read back: {e}\n{}",
                String::from_utf8_lossy(&bytes)
            ),
        }
        assert!(
            bytes.ends_with(b"\n") && !bytes.contains(&b'\r'),
            "case {i}"
        );
    }
}

#[test]
fn non_canonical_and_unknown_are_refused() {
    let good = String::from_utf8(sample().to_bytes()).unwrap();
    let cases = [
        (
            good.replace("seq: 42\n", "seq: 42\nextra: 1\n"),
            "unknown key",
        ),
        (
            good.replace("case: AR-2026-0101\n", "case: \"AR-2026-0101\"\n"),
            "canonical",
        ),
        (format!("# comment\n{good}"), "canonical"),
        (
            good.replace("outcome: release_partial\n", "outcome:  release_partial\n"),
            "canonical",
        ),
        (good.replace('\n', "\r\n"), ""),
        (
            good.replace(
                "record: casebench-decision/1",
                "record: casebench-decision/2",
            ),
            "casebench-decision/1",
        ),
        (good.replace("prev: sha256:", "prev: sha1:"), "prev"),
        (good.trim_end().to_string(), "canonical"),
    ];
    for (text, needle) in cases {
        let e = Record::from_bytes(text.as_bytes()).expect_err(&text);
        assert_eq!(Record::from_bytes_yaml(text.as_bytes()).unwrap_err(), e);
        let msg = e.to_string();
        assert!(
            msg.contains(needle) || (needle == "unknown key" && msg.contains("unknown")),
            "{msg}"
        );
    }
}
