//! The log's rules over every record, in order ([`crate::record::log_rules`]: the same
//! functions the append applies before it signs). A record that breaks one is invalid,
//! and the problem names the rule.

use super::super::log::{CaseHistory, Index};
use super::super::log_rules::{self, Target};
use super::super::reviewers::Reviewers;
use super::LogReport;

pub(super) fn rules(report: &mut LogReport, people: &Reviewers) {
    let mut index = Index::empty();
    let empty = CaseHistory::default();
    let mut found: Vec<(usize, String)> = Vec::new();
    let recs = &report.records;
    // `records` is in seq order, each seq once (see `chain`).
    let target = |s: u64| {
        recs.binary_search_by_key(&s, |r| r.seq)
            .ok()
            .and_then(|i| recs[i].record.as_ref())
            .map(Target::of)
    };
    for (i, r) in recs.iter().enumerate() {
        let Some(rec) = r.record.as_ref() else {
            continue;
        };
        let history = index.cases.get(&rec.case).unwrap_or(&empty);
        if let Err(b) = log_rules::check(rec, history, people, &target) {
            found.push((i, format!("{}: breaks the log's rules: {b}", r.file)));
        }
        index.add(rec, r.link.clone());
    }
    for (i, problem) in found {
        report.records[i].problems.push(problem);
    }
}
