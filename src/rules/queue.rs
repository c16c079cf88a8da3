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

/// The queue of `set` as of `today`, most urgent first: by due date (a case without a
/// clock, such as a disclosure concern or a third party's request that gives no date,
/// counts from the day it was received: the oldest unanswered first), then id.
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
        let key = |e: &QueueEntry| (e.status >= Status::UnderReview, e.due.unwrap_or(e.received));
        key(a).cmp(&key(b)).then_with(|| a.id.cmp(&b.id))
    });
    rows
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
