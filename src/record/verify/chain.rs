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
    // `report.records` is in seq order (the listing's), each seq once: the record
    // before `records[i]` in the chain, if present, is `records[i - 1]`.
    let recs = &report.records;
    let mut at = 0;
    for seq in 1..=max {
        while at < recs.len() && recs[at].seq < seq {
            at += 1;
        }
        if recs.get(at).is_none_or(|r| r.seq != seq) {
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
    // Problems are gathered with the records borrowed, then added in order.
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut case_last: HashMap<&str, (&str, u64)> = HashMap::new();
    for (i, r) in recs.iter().enumerate() {
        let seq = r.seq;
        let prev_link = if seq == 1 {
            Some(NONE)
        } else {
            i.checked_sub(1)
                .map(|j| &recs[j])
                .filter(|p| p.seq == seq - 1)
                .map(|p| p.link.as_str())
        };
        let Some(rec) = r.record.as_ref() else {
            continue;
        };
        match prev_link {
            Some(l) if l == rec.prev => {}
            Some(_) => found.push((i, format!(
                "{}: prev does not match record {} (a record before it was changed, replaced or reordered)",
                r.file,
                seq.saturating_sub(1)
            ))),
            None => found.push((i, format!(
                "{}: prev cannot be checked: record {} is missing",
                r.file,
                seq - 1
            ))),
        }
        let last = case_last.get(rec.case.as_str());
        if rec.case_prev != last.map_or(NONE, |(l, _)| l) {
            found.push((
                i,
                format!(
                    "{}: case_prev does not match the previous record of case {}{}",
                    r.file,
                    crate::text::sanitize_line(&rec.case),
                    last.map_or(" (there is none)".to_string(), |(_, s)| format!(
                        " (record {s})"
                    ))
                ),
            ));
        }
        // The target must be an earlier record (so one before `i`) of the same case.
        if let Some(target) = rec.reviews.or(rec.countersigns) {
            let earlier = recs[..i]
                .binary_search_by_key(&target, |p| p.seq)
                .ok()
                .and_then(|j| recs[j].record.as_ref());
            if earlier.is_none_or(|e| e.case != rec.case) {
                found.push((
                    i,
                    format!(
                        "{}: points to record {target}, which is not an earlier record of case {}",
                        r.file,
                        crate::text::sanitize_line(&rec.case)
                    ),
                ));
            }
        }
        case_last.insert(&rec.case, (&r.link, seq));
    }
    for (i, problem) in found {
        report.records[i].problems.push(problem);
    }
    for &s in &listing.sigs {
        if listing.records.binary_search(&s).is_ok() {
            continue;
        }
        let (severity, message) = if s == max + 1 {
            (
                Severity::Warning,
                format!(
                    "{}: signature of an interrupted append, without its record (the next append completes it from decisions/staging, or removes it)",
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
                "{}: temporary file of an interrupted write by an older casebench (removed by its owner's next append; temporaries now live in decisions/staging)",
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
        if !hashes.contains_key(rec.case.as_str()) {
            let hash = dir
                .read_file(&format!("{}.yaml", rec.case), DEFAULT_MAX_FILE_BYTES)
                .ok()
                .map(|b| sha256_link(&b)["sha256:".len()..].to_string());
            hashes.insert(rec.case.clone(), hash);
        }
        let now = &hashes[rec.case.as_str()];
        if now.as_ref().is_some_and(|h| *h == rec.case_sha256) {
            continue;
        }
        let case = crate::text::sanitize_line(&rec.case);
        match now {
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
