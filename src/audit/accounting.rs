//! The accounting of disclosures, 45 CFR 164.528 (RULEBOOK R20), from the `disclosures`
//! of the decision records.
//!
//! Which disclosures enter it is decided from the record's grounds and the rulebook's
//! `accounting` of each ground ([`crate::rules::Accounting`]; the law is data there):
//! - a record resting on a ground whose disclosures are included (the 164.512 bases: a
//!   serious threat, a state duty to warn, an abuse report, a court order or subpoena,
//!   law enforcement, a report a state law requires) is included;
//! - a record resting only on grounds 164.528(a)(1) excludes (the individual's own
//!   access, a valid authorization, the individual's direction, treatment, a business
//!   associate, a medical emergency, people involved in care) is excluded, with the
//!   rulebook's reason;
//! - anything else is included: the exclusions are an enumerated list, so a disclosure
//!   not shown to fall in one must be accounted for;
//! - practice records are training, never real disclosures, and are left out; so are
//!   countersignatures, whose disclosures are the countersigned record's.
//!
//! The default window is the six years before the period's end: the newest record's day
//! or the real day, whichever is later (164.528(a)).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::report::{AuditReport, AuditRow, Verification};
use crate::record::model::{Record, RecordType};
use crate::rules::Rulebook;
use crate::rules::model::Accounting as Basis;

/// One entry of the accounting: the four elements of 164.528(b)(2) plus where it
/// comes from and whether that record verifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub date: NaiveDate,
    pub patient_ref: Option<String>,
    pub case: String,
    pub seq: u64,
    pub recipient: String,
    pub address: String,
    pub description: String,
    pub purpose: String,
    /// The 164.512 bases of the record (empty when it names none).
    pub basis: Vec<String>,
    pub verification: Verification,
    pub problems: Vec<String>,
    /// Which of the record's `disclosures` this is (its index), for the exports.
    #[serde(skip)]
    pub disclosure: usize,
}

/// A disclosure left out, and why (shown to the officer, never to the patient).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub date: NaiveDate,
    pub patient_ref: Option<String>,
    pub case: String,
    pub seq: u64,
    pub recipient: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Accounting {
    pub patient: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub entries: Vec<Entry>,
    pub excluded: Vec<Excluded>,
}

/// What to account for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Where the period ends by default: the newest record's day or the real day,
    /// whichever is later ([`crate::clock::Clock::period_end`]).
    pub period_end: NaiveDate,
    /// Default: six years before `period_end`.
    pub since: Option<NaiveDate>,
    /// Default: `period_end`.
    pub until: Option<NaiveDate>,
    /// Only this patient reference.
    pub patient: Option<String>,
}

impl Query {
    pub fn window(&self) -> (NaiveDate, NaiveDate) {
        let from = self
            .since
            .unwrap_or_else(|| six_years_before(self.period_end));
        (from, self.until.unwrap_or(self.period_end))
    }
}

/// The day six years before `today` (29 February falls back to the 28th).
pub fn six_years_before(today: NaiveDate) -> NaiveDate {
    today
        .checked_sub_months(Months::new(72))
        .unwrap_or(NaiveDate::MIN)
}

/// Whether a record's disclosures are accounted for: `Ok(bases)` or `Err(reason)`.
pub fn classify(rec: &Record, rb: &Rulebook) -> Result<Vec<String>, String> {
    match rec.kind {
        RecordType::Practice => {
            return Err("practice record (training, not a real disclosure)".into());
        }
        // Its disclosures, if it repeats any, are the countersigned record's own.
        RecordType::Countersign => {
            return Err("countersignature (the countersigned record carries the entry)".into());
        }
        // It dates the entries of the record it carries out.
        RecordType::Provision => {
            return Err("provision (dates the entries of the record it carries out)".into());
        }
        RecordType::Decision | RecordType::Review => {}
    }
    let of = |g: &String| rb.ground(g).and_then(|r| r.accounting());
    let bases: Vec<String> = rec
        .grounds
        .iter()
        .filter(|g| of(g) == Some(Basis::Included))
        .cloned()
        .collect();
    if !bases.is_empty() {
        return Ok(bases);
    }
    let reasons: Vec<String> = rec
        .grounds
        .iter()
        .filter_map(|g| match of(g) {
            Some(Basis::Excluded(why)) => Some(why),
            _ => None,
        })
        .collect();
    if reasons.is_empty() {
        Ok(Vec::new())
    } else {
        Err(reasons.join("; "))
    }
}

/// The day each record was carried out, from the verified provision records (a
/// correction replaces what it corrects): the accounting's date (issue 22).
pub fn provided_on(report: &AuditReport) -> std::collections::HashMap<u64, NaiveDate> {
    let mut by_seq = std::collections::HashMap::new();
    for row in report.rows.iter().filter(|r| !r.verification.is_broken()) {
        if let Some(p) = row.record.as_ref().and_then(|r| r.provision.as_ref()) {
            by_seq.insert(p.provides, p.done_on());
        }
    }
    by_seq
}

/// The accounting over the report's records (every record, whatever the audit filter).
/// Each entry is dated by the provision of its record when one is recorded (the
/// disclosure made), else by the date the record gives it.
pub fn accounting(report: &AuditReport, q: &Query, rb: &Rulebook) -> Accounting {
    let (from, to) = q.window();
    let provided = provided_on(report);
    let mut entries = Vec::new();
    let mut excluded = Vec::new();
    for row in &report.rows {
        let Some(rec) = &row.record else { continue };
        if q.patient.is_some() && row.patient_ref != q.patient {
            continue;
        }
        let class = classify(rec, rb);
        let dated = |d: &crate::record::model::Disclosure| {
            provided.get(&rec.seq).copied().unwrap_or(d.date)
        };
        for (i, d) in rec
            .disclosures
            .iter()
            .enumerate()
            .filter(|(_, d)| dated(d) >= from && dated(d) <= to)
        {
            match &class {
                Ok(basis) => {
                    let mut e = entry(row, rec, i, basis);
                    e.date = dated(d);
                    entries.push(e);
                }
                Err(reason) => excluded.push(Excluded {
                    date: dated(d),
                    patient_ref: row.patient_ref.clone(),
                    case: rec.case.clone(),
                    seq: rec.seq,
                    recipient: d.recipient.clone(),
                    reason: reason.clone(),
                }),
            }
        }
    }
    entries.sort_by_key(|e| (e.date, e.seq));
    excluded.sort_by_key(|e| (e.date, e.seq));
    Accounting {
        patient: q.patient.clone(),
        from,
        to,
        entries,
        excluded,
    }
}

fn entry(row: &AuditRow, rec: &Record, disclosure: usize, basis: &[String]) -> Entry {
    let d = &rec.disclosures[disclosure];
    Entry {
        date: d.date,
        patient_ref: row.patient_ref.clone(),
        case: rec.case.clone(),
        seq: rec.seq,
        recipient: d.recipient.clone(),
        address: d.address.clone(),
        description: d.description.clone(),
        purpose: d.purpose.clone(),
        basis: basis.to_vec(),
        verification: row.verification,
        problems: row.problems.clone(),
        disclosure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(kind: RecordType, grounds: &[&str]) -> Record {
        use crate::record::model::{DeadlineInfo, Notice};
        Record {
            record: crate::record::model::RECORD_TAG.into(),
            seq: 1,
            prev: "none".into(),
            case: "C".into(),
            case_sha256: "0".repeat(64),
            case_prev: "none".into(),
            kind,
            reviews: None,
            countersigns: None,
            reviewer: "r".into(),
            key: "SHA256:x".into(),
            policy: format!("sha256:{}", "0".repeat(64)),
            time: chrono::DateTime::UNIX_EPOCH,
            outcome: "report".into(),
            grounds: grounds.iter().map(|g| g.to_string()).collect(),
            records: vec![],
            disclosures: vec![],
            notice: Notice::default(),
            deadline: DeadlineInfo {
                due: None,
                decided_on_time: true,
            },
            provision: None,
            fees: Vec::new(),
            findings_overridden: vec![],
            rationale: "r\n".into(),
        }
    }

    fn classify_builtin(r: &Record) -> Result<Vec<String>, String> {
        classify(r, crate::rules::Rulebook::builtin())
    }

    #[test]
    fn what_is_accounted_for() {
        use RecordType::*;
        assert_eq!(
            classify_builtin(&rec(Decision, &["child-abuse-report"])),
            Ok(vec!["child-abuse-report".to_string()])
        );
        // A 164.512 basis wins over an excluded one.
        assert_eq!(
            classify_builtin(&rec(Decision, &["right-of-access", "court-order"])),
            Ok(vec!["court-order".to_string()])
        );
        // No basis shown to be excluded: accounted for.
        assert_eq!(classify_builtin(&rec(Review, &[])), Ok(vec![]));
        assert_eq!(
            classify_builtin(&rec(Decision, &["something-new"])),
            Ok(vec![])
        );
        let r = classify_builtin(&rec(Decision, &["patient-authorization"])).unwrap_err();
        assert!(r.contains("164.528(a)(1)(iv)"), "{r}");
        let r = classify_builtin(&rec(Decision, &["right-of-access", "patient-direction"]))
            .unwrap_err();
        assert!(
            r.contains("(164.528(a)(1)(ii))") && r.contains("direction"),
            "{r}"
        );
        assert!(classify_builtin(&rec(Practice, &["serious-threat"])).is_err());
        assert!(classify_builtin(&rec(Countersign, &["serious-threat"])).is_err());
    }

    #[test]
    fn six_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(six_years_before(d("2026-11-23")), d("2020-11-23"));
        assert_eq!(six_years_before(d("2028-02-29")), d("2022-02-28"));
    }

    #[test]
    fn the_accounting_follows_the_rulebook() {
        use RecordType::*;
        // People involved in care: 164.528(a)(1)(v).
        let r = classify_builtin(&rec(Decision, &["family-involved-in-care"])).unwrap_err();
        assert!(r.contains("164.528(a)(1)(v)"), "{r}");
        // Counsel's rulebook that accounts for disclosures to the family too.
        let line = "accounting: { excluded: \"to a person involved in the individual's care (164.510(b); 164.528(a)(1)(v))\" }";
        let src = crate::rules::Rulebook::builtin_source();
        assert!(src.contains(line));
        let rb =
            crate::rules::Rulebook::from_yaml(&src.replace(line, "accounting: included"), "test")
                .unwrap();
        assert_eq!(
            classify(&rec(Decision, &["family-involved-in-care"]), &rb),
            Ok(vec!["family-involved-in-care".to_string()])
        );
        // Every 164.512 disclosure ground of the built-in rulebook is accounted for.
        for g in crate::rules::Rulebook::builtin().grounds() {
            if g.kind == crate::rules::GroundKind::Disclosure && g.citation.contains("164.512") {
                assert_eq!(g.accounting(), Some(Basis::Included), "{}", g.code);
            }
        }
    }
}
