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

/// Whether a case's status says it is decided and its records are not yet provided
/// (issue 22 section 2). The provision records' status is not in this build yet: when it
/// lands, its variant is the one arm that says `true` here (the match lists every status,
/// so a new one cannot be forgotten), and `casebench due` and the workbench's header
/// count it at once.
pub fn awaits_provision(status: Status) -> bool {
    match status {
        Status::Overdue
        | Status::DueSoon
        | Status::Open
        | Status::WaitingOnClinician
        | Status::UnderReview
        | Status::Decided => false,
    }
}

/// What a reminder is about (issue 22 section 3): a decision past its due date, a
/// decision due within the window, or records to provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    Overdue,
    DueSoon,
    AwaitingProvision,
}

impl Reminder {
    pub fn as_str(self) -> &'static str {
        match self {
            Reminder::Overdue => "overdue",
            Reminder::DueSoon => "due_soon",
            Reminder::AwaitingProvision => "awaiting_provision",
        }
    }

    /// What is due, in the words of a reminder: the decision, or the records.
    pub fn what(self) -> &'static str {
        match self {
            Reminder::Overdue | Reminder::DueSoon => "decision",
            Reminder::AwaitingProvision => "provision",
        }
    }
}

/// The reminder a queue entry calls for with a window of `within_days`, if any: a case
/// awaiting provision; else an undecided case with a due date, overdue (days left below
/// zero) or due within the window. Decided cases and cases without a clock (disclosure
/// concerns, third parties' requests that give no date) call for none.
pub fn reminder(entry: &QueueEntry, within_days: i64) -> Option<Reminder> {
    if awaits_provision(entry.status) {
        return Some(Reminder::AwaitingProvision);
    }
    if entry.status == Status::Decided {
        return None;
    }
    match entry.days_left? {
        d if d < 0 => Some(Reminder::Overdue),
        d if d <= within_days => Some(Reminder::DueSoon),
        _ => None,
    }
}

/// The reminders of `entries` (the queue, [`entries`]) with a window of `within_days`,
/// most urgent first: overdue (the longest overdue first), due within the window
/// (nearest first), then awaiting provision (nearest first); ties by id.
pub fn reminders(entries: &[QueueEntry], within_days: i64) -> Vec<(Reminder, &QueueEntry)> {
    let mut out: Vec<(Reminder, &QueueEntry)> = entries
        .iter()
        .filter_map(|e| reminder(e, within_days).map(|r| (r, e)))
        .collect();
    out.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then_with(|| a.due.cmp(&b.due))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// How many reminders of each kind: what `casebench due` counts and the workbench's
/// header shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReminderCounts {
    pub overdue: usize,
    pub due_soon: usize,
    pub awaiting_provision: usize,
}

impl ReminderCounts {
    /// The counts of `reminders`.
    pub fn of(reminders: &[(Reminder, &QueueEntry)]) -> ReminderCounts {
        let n = |k: Reminder| reminders.iter().filter(|(r, _)| *r == k).count();
        ReminderCounts {
            overdue: n(Reminder::Overdue),
            due_soon: n(Reminder::DueSoon),
            awaiting_provision: n(Reminder::AwaitingProvision),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, status: Status, days_left: Option<i64>) -> QueueEntry {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        QueueEntry {
            index: 0,
            id: id.into(),
            kind: CaseKind::AccessRequest,
            status,
            received: today,
            due: days_left.map(|d| today + chrono::TimeDelta::days(d)),
            days_left,
            requester: None,
            jurisdiction: "US-OH".into(),
            title: String::new(),
        }
    }

    #[test]
    fn reminders_are_overdue_then_due_within_the_window_nearest_first() {
        let rows = vec![
            entry("A", Status::Open, Some(20)),
            entry("B", Status::DueSoon, Some(3)),
            entry("C", Status::Overdue, Some(-2)),
            entry("D", Status::Overdue, Some(-9)),
            entry("E", Status::Decided, Some(-30)),
            entry("F", Status::WaitingOnClinician, Some(0)),
            entry("G", Status::Open, None),
            entry("H", Status::UnderReview, Some(-1)),
            entry("I", Status::Open, Some(10)),
        ];
        let r = reminders(&rows, 7);
        let got: Vec<(&str, Reminder)> = r.iter().map(|(k, e)| (e.id.as_str(), *k)).collect();
        assert_eq!(
            got,
            [
                ("D", Reminder::Overdue),
                ("C", Reminder::Overdue),
                ("H", Reminder::Overdue),
                ("F", Reminder::DueSoon),
                ("B", Reminder::DueSoon),
            ]
        );
        let c = ReminderCounts::of(&r);
        assert_eq!((c.overdue, c.due_soon, c.awaiting_provision), (3, 2, 0));
        // A wider window takes in I, not A.
        assert_eq!(ReminderCounts::of(&reminders(&rows, 14)).due_soon, 3);
        // No status awaits provision in this build.
        assert!(!awaits_provision(Status::Decided));
    }
}
