//! The sequential checks of [`super::verify_log`], after the parallel pass: the `prev`
//! chain, `case_prev`, review pointers, missing and stray files, the case binding.

use std::collections::HashMap;
use std::path::Path;

use super::super::log;
use super::super::model::{NONE, sha256_link};
use super::{Listing, LogIssue, LogReport, Severity};
use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, SafeDir};

/// The `prev` chain, `case_prev`, missing records, orphaned and stray files.
pub(super) fn chain(report: &mut LogReport, listing: &Listing) {
    let max = listing.records.last().copied().unwrap_or(0);
    let present: HashMap<u64, usize> = report
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.seq, i))
        .collect();
    for seq in 1..=max {
        if !present.contains_key(&seq) {
            report.issues.push(LogIssue {
                severity: Severity::Error,
                seq: Some(seq),
                file: Some(log::record_name(seq)),
                message: format!(
                    "record {seq} is missing ({} deleted?)",
                    log::record_name(seq)
                ),
            });
        }
    }
    let mut case_last: HashMap<String, (String, u64)> = HashMap::new();
    let mut seq_case: HashMap<u64, String> = HashMap::new();
    for i in 0..report.records.len() {
        let (seq, link) = (report.records[i].seq, report.records[i].link.clone());
        let prev_link = if seq == 1 {
            Some(NONE.to_string())
        } else {
            present
                .get(&(seq - 1))
                .map(|&j| report.records[j].link.clone())
        };
        let r = &mut report.records[i];
        let Some(rec) = r.record.as_ref() else {
            continue;
        };
        match prev_link {
            Some(l) if l == rec.prev => {}
            Some(_) => r.problems.push(format!(
                "{}: prev does not match record {} (a record before it was changed, replaced or reordered)",
                r.file,
                seq.saturating_sub(1)
            )),
            None => r.problems.push(format!(
                "{}: prev cannot be checked: record {} is missing",
                r.file,
                seq - 1
            )),
        }
        let expected = case_last
            .get(&rec.case)
            .map_or(NONE.to_string(), |(l, _)| l.clone());
        if rec.case_prev != expected {
            r.problems.push(format!(
                "{}: case_prev does not match the previous record of case {}{}",
                r.file,
                crate::text::sanitize_line(&rec.case),
                case_last
                    .get(&rec.case)
                    .map_or(" (there is none)".to_string(), |(_, s)| format!(
                        " (record {s})"
                    ))
            ));
        }
        if let Some(target) = rec.reviews.or(rec.countersigns)
            && seq_case.get(&target) != Some(&rec.case)
        {
            r.problems.push(format!(
                "{}: points to record {target}, which is not an earlier record of case {}",
                r.file,
                crate::text::sanitize_line(&rec.case)
            ));
        }
        case_last.insert(rec.case.clone(), (link, seq));
        seq_case.insert(seq, rec.case.clone());
    }
    for &s in &listing.sigs {
        if listing.records.binary_search(&s).is_ok() {
            continue;
        }
        let (severity, message) = if s == max + 1 {
            (
                Severity::Warning,
                format!(
                    "{}: signature of an interrupted write, without its record (removed by the next append)",
                    log::sig_name(s)
                ),
            )
        } else {
            (
                Severity::Error,
                format!(
                    "{}: orphaned signature: its record {s} is missing",
                    log::sig_name(s)
                ),
            )
        };
        report.issues.push(LogIssue {
            severity,
            seq: Some(s),
            file: Some(log::sig_name(s)),
            message,
        });
    }
    for t in &listing.temps {
        report.issues.push(LogIssue {
            severity: Severity::Warning,
            seq: None,
            file: Some(t.clone()),
            message: format!(
                "{}: temporary file of an interrupted write (swept by the next writer)",
                crate::text::sanitize_line(t)
            ),
        });
    }
    for s in &listing.strays {
        report.issues.push(LogIssue {
            severity: Severity::Warning,
            seq: None,
            file: Some(s.clone()),
            message: format!("{}: not a log file", crate::text::sanitize_line(s)),
        });
    }
}

/// Compares each record's `case_sha256` with the case file on disk now.
pub(super) fn case_binding(report: &mut LogReport, cases: &Path) {
    let Ok(dir) = SafeDir::open(cases) else {
        return;
    };
    let mut hashes: HashMap<String, Option<String>> = HashMap::new();
    for r in &mut report.records {
        let Some(rec) = r.record.as_ref() else {
            continue;
        };
        let now = hashes.entry(rec.case.clone()).or_insert_with(|| {
            dir.read_file(&format!("{}.yaml", rec.case), DEFAULT_MAX_FILE_BYTES)
                .ok()
                .map(|b| sha256_link(&b)["sha256:".len()..].to_string())
        });
        let case = crate::text::sanitize_line(&rec.case);
        match now {
            Some(h) if *h == rec.case_sha256 => {}
            Some(_) => {
                r.case_changed = true;
                r.problems.push(format!(
                    "{}: case file {case}.yaml changed after the decision",
                    r.file
                ));
            }
            None => {
                r.case_changed = true;
                r.problems
                    .push(format!("{}: case file {case}.yaml is missing", r.file));
            }
        }
    }
}
