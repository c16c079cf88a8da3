//! Countersignature: on a real case (no `practice.reference`), a trainee's decision is a
//! proposal, a `practice` record signed in the `casebench-practice` namespace, which does
//! not decide the case. A supervisor reviews it and signs a `countersign` record
//! (`casebench-decision` namespace) with `countersigns: <seq>` naming it; that record
//! carries the proposal's outcome, grounds and per-item actions unchanged and makes the
//! case decided. The proposal's bytes are bound through the log's `prev` chain: changing
//! the proposal after the countersignature breaks the chain at the next record.
//!
//! A supervisor who disagrees signs their own `decision` instead.

use std::path::Path;

use serde::Serialize;

use crate::case::Case;

use crate::record::append::AppendError;
use crate::record::log::CaseHistory;
use crate::record::log::{self, Paths};
use crate::record::model::{Record, RecordAction, RecordType};
use crate::record::verify::{LogReport, State};
use crate::rules::CaseSet;
use crate::store::safe_open::SafeDir;

/// A trainee's proposal awaiting a supervisor's countersignature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingProposal {
    pub seq: u64,
    pub case: String,
    pub title: String,
    pub trainee: String,
    pub time: String,
    pub outcome: String,
    pub grounds: Vec<String>,
    pub records: Vec<RecordAction>,
    pub rationale: String,
}

/// The verified proposals of `log` on real cases of `set` that are not decided yet,
/// oldest first. A proposal whose record fails verification is never offered.
pub fn pending(set: &CaseSet, log: &LogReport) -> Vec<PendingProposal> {
    let mut histories: std::collections::HashMap<&str, CaseHistory> = Default::default();
    for r in &log.records {
        if let Some(rec) = &r.record {
            histories
                .entry(rec.case.as_str())
                .or_default()
                .add(log::Entry::of(rec, r.link.clone()));
        }
    }
    // Each case's history is judged once (not once per proposal: k proposals on one
    // case would cost k² otherwise).
    let decided: std::collections::HashSet<&str> = histories
        .iter()
        .filter(|(_, h)| h.final_record().is_some())
        .map(|(id, _)| *id)
        .collect();
    log.records
        .iter()
        .filter(|r| r.state == State::Ok && r.kind == Some(RecordType::Practice))
        .filter_map(|r| {
            let rec = r.record.as_ref()?;
            let case = set.get(&rec.case)?;
            let open = case.case.practice.is_none() && !decided.contains(rec.case.as_str());
            open.then(|| PendingProposal {
                seq: rec.seq,
                case: rec.case.clone(),
                title: case.case.title.clone(),
                trainee: rec.reviewer.clone(),
                time: crate::record::model::format_time(&rec.time),
                outcome: rec.outcome.clone(),
                grounds: rec.grounds.clone(),
                records: rec.records.clone(),
                rationale: rec.rationale.clone(),
            })
        })
        .collect()
}

/// The proposals this user verified (`proposals`: on cases with no record in force,
/// oldest first) that are on real cases of `set`: each record is read from the log of
/// `cases` and must hash as it did when this user verified it (one that does not is left
/// out, and named in the second list). O(proposals), not O(log).
pub fn pending_in(
    cases: &Path,
    set: &CaseSet,
    proposals: &[crate::record::memory::ProposalRef],
) -> (Vec<PendingProposal>, Vec<String>) {
    let refs: Vec<(u64, &str, &str)> = proposals
        .iter()
        .filter(|p| set.get(&p.case).is_some_and(|c| c.case.practice.is_none()))
        .map(|p| (p.seq, p.case.as_str(), p.link.as_str()))
        .collect();
    let Ok(dir) = SafeDir::open(&Paths::new(cases).log) else {
        return (Vec::new(), Vec::new());
    };
    // Read in parallel (a log of 100,000 proposals is 100,000 files), kept in seq order.
    use rayon::prelude::*;
    let read: Vec<Result<PendingProposal, String>> = refs
        .par_iter()
        .map(|&(seq, id, link)| {
            let rec = dir
                .read_file(&log::record_name(seq), log::MAX_RECORD_BYTES)
                .ok()
                .filter(|b| crate::record::model::sha256_link(b) == link)
                .and_then(|b| Record::from_bytes(&b).ok());
            match (rec, set.get(id)) {
                (Some(rec), Some(case)) => Ok(PendingProposal {
                    seq: rec.seq,
                    case: rec.case.clone(),
                    title: case.case.title.clone(),
                    trainee: rec.reviewer.clone(),
                    time: crate::record::model::format_time(&rec.time),
                    outcome: rec.outcome,
                    grounds: rec.grounds,
                    records: rec.records,
                    rationale: rec.rationale,
                }),
                _ => Err(format!(
                    "record {seq} is not the proposal you verified (changed or gone since): not offered"
                )),
            }
        })
        .collect();
    let mut out = Vec::with_capacity(read.len());
    let mut changed = Vec::new();
    for r in read {
        match r {
            Ok(p) => out.push(p),
            Err(e) => changed.push(e),
        }
    }
    (out, changed)
}

/// Reads record `seq` of the log of `cases` (unverified: the append re-checks it under
/// the lock, and `verify` checks its signature).
pub fn read_record(cases: &Path, seq: u64) -> Result<Record, AppendError> {
    let p = Paths::new(cases);
    let dir = SafeDir::open(&p.log)
        .map_err(|_| AppendError::Refused(format!("there is no record {seq}: the log is empty")))?;
    if !p.log.join(log::record_name(seq)).exists() {
        return Err(AppendError::Refused(format!("there is no record {seq}")));
    }
    Ok(log::read_record(&dir, seq)?.1)
}

/// Checks that `proposal` is a trainee's proposal on `case` that may be countersigned.
pub fn check_proposal(case: &Case, proposal: &Record) -> Result<(), AppendError> {
    if proposal.case != case.id {
        return Err(AppendError::Refused(format!(
            "record {} is about case {}, not {}",
            proposal.seq,
            crate::text::sanitize_line(&proposal.case),
            case.id
        )));
    }
    if proposal.kind != RecordType::Practice {
        return Err(AppendError::Refused(format!(
            "record {} is a {} record, not a trainee's proposal (a practice record)",
            proposal.seq,
            proposal.kind.as_str()
        )));
    }
    if case.practice.is_some() {
        return Err(AppendError::Refused(format!(
            "case {} is a practice case: attempts are scored, not countersigned",
            case.id
        )));
    }
    Ok(())
}
