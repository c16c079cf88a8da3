//! The queue: one row per valid case, sorted by when it is due. Shared by `list` and
//! the workbench so that both show the same order and the same figures.

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
    /// Whether the case was provided (or, with nothing to provide, decided) on time;
    /// `None` while nothing is done yet, or without a clock ([`standing`]).
    pub on_time: Option<bool>,
    pub requester: Option<String>,
    pub jurisdiction: String,
    pub title: String,
}

/// The queue of `set` as of `today`, most urgent first ([`urgency`]), then id.
/// `facts_of` says what the decision log holds of each case ([`standing`]).
pub fn entries(
    set: &CaseSet,
    today: NaiveDate,
    facts_of: &dyn Fn(&str) -> LogFacts,
) -> Vec<QueueEntry> {
    let mut rows: Vec<QueueEntry> = set
        .cases
        .iter()
        .enumerate()
        .map(|(index, lc)| {
            let c = &lc.case;
            let dl = deadline::for_case(c, &set.rules, today);
            let st = standing(c, &dl, &facts_of(&c.id));
            QueueEntry {
                index,
                id: c.id.clone(),
                kind: c.kind,
                status: st.status,
                received: c.received,
                due: st.due,
                days_left: st.days_left,
                on_time: st.on_time,
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

/// Where a row sorts, most urgent first (docs/WORKBENCH.md, "The queue's order"):
/// 1. open cases before those done (decided with nothing to provide, or provided); a
///    proposal awaiting countersignature and a decision awaiting provision are not
///    done: they keep their days left and their place;
/// 2. cases with a due date, by that date: the overdue first, then the nearest;
/// 3. then disclosure concerns, by the harm evaluation's imminence (immediate, days,
///    weeks; a pending evaluation, whose imminence nobody has judged yet, before
///    `none`), the oldest first within one;
/// 4. then requests without a legal clock (a third party's request that gives no
///    date), by received date, the oldest first.
fn urgency(set: &CaseSet, e: &QueueEntry) -> (bool, u8, u8, NaiveDate) {
    use crate::case::model::{HarmEvaluation, Imminence};
    let decided = is_done(e.status);
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

/// Whether nothing is left to do on a case of this status: decided with nothing to
/// provide, or provided (on time or late).
pub fn is_done(status: Status) -> bool {
    matches!(
        status,
        Status::Decided | Status::ProvidedOnTime | Status::ProvidedLate
    )
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

/// What the decision log holds of one case, as its status needs it: plain facts (the
/// rules never read the log; the callers take them from this user's verified memory or
/// the verified audit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFacts {
    /// The record in force (a decision, a review, a countersigned proposal).
    pub in_force: Option<InForce>,
    /// A trainee's proposal on a real case awaits a supervisor's countersignature.
    pub proposed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub outcome: String,
    /// The day it was signed.
    pub decided_on: NaiveDate,
    /// The day its provision was done (records provided, notice sent), if recorded.
    pub provided_on: Option<NaiveDate>,
}

/// A case's status, due date, days left and on-time, given the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub status: Status,
    pub due: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub on_time: Option<bool>,
}

/// THE status of a case given the log (issue 22, section 2; issue 23): every surface
/// (`list`, `show`, the queue, `audit`, `audit --summary`) calls it.
/// - no record in force: the deadline's status, `under_review` while a trainee's
///   proposal awaits a countersignature, `waiting_on_clinician` while the evaluation is
///   pending;
/// - in force, with something to provide and nothing provided: `awaiting_provision`
///   (the clock still runs: days left as before);
/// - provided: `provided_on_time` or `provided_late` ([`Deadline::met_on`] of the day it
///   was done; a case without a clock is never late);
/// - in force with nothing to provide: `decided` (on time when signed by the due date).
///
/// `on_time` is `None` until something is done, and for a case without a due date.
pub fn standing(case: &crate::case::model::Case, dl: &Deadline, facts: &LogFacts) -> Standing {
    let clocked = |day: NaiveDate| dl.due.map(|_| dl.met_on(day));
    let (status, on_time) = match &facts.in_force {
        None if facts.proposed => (Status::UnderReview, None),
        None => (waiting_on_clinician(case, dl.status), None),
        Some(f) => {
            let needs =
                crate::case::model::Outcome::parse(&f.outcome).is_none_or(|o| o.needs_provision());
            match (needs, f.provided_on) {
                (true, None) => (Status::AwaitingProvision, None),
                (true, Some(day)) if dl.met_on(day) => (Status::ProvidedOnTime, clocked(day)),
                (true, Some(day)) => (Status::ProvidedLate, clocked(day)),
                (false, _) => (Status::Decided, clocked(f.decided_on)),
            }
        }
    };
    Standing {
        status,
        due: dl.due,
        days_left: dl.days_left,
        on_time,
    }
}

/// Whether a case's status says it is decided and its records are not yet provided
/// (issue 22 section 2). The match lists every status, so a new one cannot be
/// forgotten by `casebench due` and the workbench's header.
pub fn awaits_provision(status: Status) -> bool {
    match status {
        Status::AwaitingProvision => true,
        Status::Overdue
        | Status::DueSoon
        | Status::Open
        | Status::WaitingOnClinician
        | Status::UnderReview
        | Status::Decided
        | Status::ProvidedOnTime
        | Status::ProvidedLate => false,
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
    if is_done(entry.status) {
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
            on_time: None,
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
        assert!(!awaits_provision(Status::Decided));
        // A decision awaiting provision is a reminder whatever its days left; a case
        // provided is none.
        let rows = vec![
            entry("J", Status::AwaitingProvision, Some(25)),
            entry("K", Status::ProvidedLate, Some(-3)),
        ];
        let r = reminders(&rows, 7);
        assert_eq!(r.len(), 1);
        assert_eq!(
            (r[0].0, r[0].1.id.as_str()),
            (Reminder::AwaitingProvision, "J")
        );
    }
}
