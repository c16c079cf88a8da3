//! The queue: one row per valid case, sorted by when it is due. Shared by `list` and
//! the workbench so that both show the same order and the same figures.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::deadline::{self, Deadline, Status};
use super::library::CaseSet;
use crate::case::model::CaseKind;

#[derive(Debug, Clone, Serialize)]
pub struct QueueEntry {
    /// Index into `CaseSet::cases`.
    #[serde(skip)]
    pub index: usize,
    pub id: String,
    pub kind: CaseKind,
    pub status: Status,
    pub received: NaiveDate,
    pub due: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub requester: Option<String>,
    pub jurisdiction: String,
    pub title: String,
}

/// The queue of `set` as of `today`, most urgent first ([`urgency`]), then id.
/// `status_of` lets the decision log override the deadline status (decided, under review).
pub fn entries(
    set: &CaseSet,
    today: NaiveDate,
    status_of: &dyn Fn(&str, &Deadline) -> Status,
) -> Vec<QueueEntry> {
    let mut rows: Vec<QueueEntry> = set
        .cases
        .iter()
        .enumerate()
        .map(|(index, lc)| {
            let c = &lc.case;
            let dl = deadline::for_case(c, &set.rules, today);
            QueueEntry {
                index,
                id: c.id.clone(),
                kind: c.kind,
                status: case_status(c, &dl, status_of),
                received: c.received,
                due: dl.due,
                days_left: dl.days_left,
                requester: c.requester_name().map(str::to_string),
                jurisdiction: c.jurisdiction.clone(),
                title: c.title.clone(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |e: &QueueEntry| urgency(set, e);
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// THE status of a case given the log (`status_of`, e.g. [`log_status`]): every surface
/// (`list`, `show`, `advise`, the workbench) shows this one.
pub fn case_status(
    case: &crate::case::model::Case,
    dl: &Deadline,
    status_of: &dyn Fn(&str, &Deadline) -> Status,
) -> Status {
    waiting_on_clinician(case, status_of(&case.id, dl))
}

/// Where a row sorts, most urgent first (docs/WORKBENCH.md, "The queue's order"):
/// 1. open cases before decided ones (a proposal awaiting countersignature is open: it
///    keeps its days left and its place);
/// 2. cases with a due date, by that date: the overdue first, then the nearest;
/// 3. then disclosure concerns, by the harm evaluation's imminence (immediate, days,
///    weeks; a pending evaluation, whose imminence nobody has judged yet, before
///    `none`), the oldest first within one;
/// 4. then requests without a legal clock (a third party's request that gives no
///    date), by received date, the oldest first.
fn urgency(set: &CaseSet, e: &QueueEntry) -> (bool, u8, u8, NaiveDate) {
    use crate::case::model::{HarmEvaluation, Imminence};
    let decided = e.status == Status::Decided;
    if let Some(due) = e.due {
        return (decided, 0, 0, due);
    }
    if e.kind == CaseKind::DisclosureConcern {
        let rank = match set.cases.get(e.index).map(|lc| &lc.case.harm_evaluation) {
            Some(HarmEvaluation::Done(h)) => match h.imminence {
                Imminence::Immediate => 0,
                Imminence::Days => 1,
                Imminence::Weeks => 2,
                Imminence::None => 4,
            },
            _ => 3,
        };
        return (decided, 1, rank, e.received);
    }
    (decided, 2, 0, e.received)
}

/// A case whose evaluation of harm is pending waits on its clinician (issue 22): an open
/// or due-soon case shows so; an overdue one stays overdue (late is late, whoever it
/// waits on), and a decided one decided. Its due date and days left stay as they are.
pub fn waiting_on_clinician(case: &crate::case::model::Case, status: Status) -> Status {
    match status {
        Status::Open | Status::DueSoon if case.harm_evaluation.is_pending() => {
            Status::WaitingOnClinician
        }
        s => s,
    }
}

/// A case's status once the decision log is consulted: `decided` while a decision is in
/// force; `under_review` while a trainee's proposal on a real case awaits a supervisor's
/// countersignature; otherwise the deadline's status. Shared by `list` and the workbench.
pub fn log_status(
    id: &str,
    dl: &Deadline,
    decided: &HashSet<String>,
    under_review: &HashSet<String>,
) -> Status {
    if decided.contains(id) {
        Status::Decided
    } else if under_review.contains(id) {
        Status::UnderReview
    } else {
        dl.status
    }
}
