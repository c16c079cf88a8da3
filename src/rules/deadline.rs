//! The deadline of a case: ONE function, [`for_case`], that every surface calls (queue,
//! case header, `list`, `show`, `advise`, the decision form's preview, the signed record,
//! the audit summary, practice countersignatures).
//!
//! - The individual's own access (the patient, a personal representative, the patient's
//!   direction to a third party): due 30 calendar days after receipt (164.524(b)(2)), or
//!   the state's own period where the overlay has one and it ends first (160.203(b)).
//!   One extension counts only if its written notice went out within that period, gives
//!   the reasons for the delay, and the new date is at most 30 days later
//!   (164.524(b)(2)(ii), RULEBOOK R4, R29); under a state period, only as far as the
//!   state's own law allows an extension.
//! - Other requests (a subpoena, an order, the police, an insurer, an authorization): no
//!   access clock; the instrument's own date (a subpoena's return date) when the case
//!   gives one.
//! - Disclosure concerns: no statutory clock; they are acted on at once.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::{AccessPeriod, DayUnit, Rulebook};
use crate::case::model::{Case, CaseKind, Extension};

/// Calendar days the entity has to act on an access request (164.524(b)(2)).
pub const ACCESS_DAYS: i64 = 30;
/// The most one extension may add (164.524(b)(2)(ii)).
pub const EXTENSION_DAYS: i64 = 30;
/// At or below this many days left a case is "due soon".
pub const DUE_SOON_DAYS: i64 = 7;
const FEDERAL_CITATION: &str = "45 CFR 164.524(b)(2)";

/// Where a case stands. `AwaitingProvision`, `UnderReview`, `Decided` and the
/// `Provided*` statuses come from the decision log ([`super::queue::standing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Overdue,
    DueSoon,
    Open,
    /// The evaluation of harm is pending (issue 22); the clock runs as for any case.
    WaitingOnClinician,
    /// Decided, and nothing provided yet (records, a denial's notice, a disclosure): the
    /// access clock still runs (issue 22).
    AwaitingProvision,
    UnderReview,
    /// Decided, with nothing to provide (a request for information, confidentiality
    /// maintained).
    Decided,
    /// Provided (the notice sent, the disclosure made) on or before the due date, or
    /// with no clock to miss.
    ProvidedOnTime,
    /// Provided after the due date.
    ProvidedLate,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::Open => "open",
            Status::WaitingOnClinician => "waiting_on_clinician",
            Status::AwaitingProvision => "awaiting_provision",
            Status::UnderReview => "under_review",
            Status::Decided => "decided",
            Status::ProvidedOnTime => "provided_on_time",
            Status::ProvidedLate => "provided_late",
        }
    }
}

/// Which clock a case runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// The individual's own access: 164.524(b)(2), or the state's shorter period.
    Access,
    /// A date the instrument itself sets (a subpoena's return date).
    Instrument,
    /// No deadline: a third party's request that gives no date of its own.
    None,
    /// A disclosure concern: no statutory clock; act without delay.
    Immediate,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Clock::Access => "access",
            Clock::Instrument => "instrument",
            Clock::None => "none",
            Clock::Immediate => "immediate",
        }
    }
}

/// Why an extension does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionProblem {
    /// Notice sent after the period (day 30, or the state's last day).
    NoticeLate,
    /// The new date is more than the allowed extension past the original due date.
    TooLong,
    /// The new date is not after the original due date.
    NotLater,
    /// The notice gives no reason for the delay (164.524(b)(2)(ii)).
    NoReason,
    /// The state's shorter period has no extension; the federal one cannot carry the
    /// answer past it.
    StateNoExtension,
    /// Not an own-access request: there is no 164.524 clock to extend.
    NoAccessClock,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub received: NaiveDate,
    pub clock: Clock,
    /// None: no clock (see [`Clock`]).
    pub due: Option<NaiveDate>,
    /// The due date before any extension.
    pub original_due: Option<NaiveDate>,
    /// Set when the case has an extension and it counts.
    pub extended: bool,
    pub extension_problem: Option<ExtensionProblem>,
    pub days_left: Option<i64>,
    pub status: Status,
    /// The period that set `original_due` (30, or the state's), for an access clock.
    pub access_days: Option<i64>,
    /// `calendar` or `business` (Monday to Friday; holidays not modelled).
    pub day_unit: &'static str,
    /// The rule the due date comes from.
    pub citation: String,
    /// The case says the request cannot be fulfilled: the written reasons are due 10
    /// business days after receipt (45 CFR 171.204(b)). Holidays are counted as business
    /// days, so this date is never later than the rule's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub infeasibility_reply_due: Option<NaiveDate>,
}

impl Deadline {
    /// Whether what is done on `day` meets this deadline: no clock, or on or before the
    /// due date. The one "on time" every record and figure uses.
    pub fn met_on(&self, day: NaiveDate) -> bool {
        self.due.is_none_or(|d| day <= d)
    }
}

/// Business days the infeasibility exception gives to answer in writing (171.204(b)).
pub const INFEASIBILITY_REPLY_BUSINESS_DAYS: i64 = 10;

/// 45 CFR 171.204(b): the written reasons a request is infeasible are due within 10
/// business days of receipt.
pub fn infeasibility_reply_due(received: NaiveDate) -> NaiveDate {
    add_days(
        received,
        INFEASIBILITY_REPLY_BUSINESS_DAYS,
        DayUnit::Business,
    )
}

/// THE deadline of `case` as of `today`, under the directory's rulebook `rules` (whose
/// state overlay may shorten the period). Every surface calls this; nobody passes a
/// number of days.
pub fn for_case(case: &Case, rules: &Rulebook, today: NaiveDate) -> Deadline {
    let none = |clock: Clock, citation: &str| Deadline {
        received: case.received,
        clock,
        due: None,
        original_due: None,
        extended: false,
        extension_problem: None,
        days_left: None,
        status: Status::Open,
        access_days: None,
        day_unit: DayUnit::Calendar.as_str(),
        citation: citation.to_string(),
        infeasibility_reply_due: None,
    };
    let Some(req) = case
        .request
        .as_ref()
        .filter(|_| case.kind == CaseKind::AccessRequest)
    else {
        return none(Clock::Immediate, "no statutory clock: act without delay");
    };
    if !case.is_own_access() {
        let mut dl = none(
            Clock::None,
            "no 164.524 access clock: not the individual's own access (164.508, 164.512 apply)",
        );
        dl.extension_problem = req
            .extension
            .as_ref()
            .map(|_| ExtensionProblem::NoAccessClock);
        if let Some(date) = req.instrument.return_date {
            let days_left = (date - today).num_days();
            dl.clock = Clock::Instrument;
            dl.due = Some(date);
            dl.original_due = Some(date);
            dl.days_left = Some(days_left);
            dl.status = status_for(days_left);
            dl.citation =
                "the instrument's own date (its return date); not a 164.524 deadline".into();
        }
        dl.infeasibility_reply_due = req
            .infeasible
            .as_ref()
            .map(|_| infeasibility_reply_due(case.received));
        return dl;
    }
    let state = rules.access_period(case);
    let mut dl = access_deadline(case.received, req.extension.as_ref(), today, state.as_ref());
    dl.infeasibility_reply_due = req
        .infeasible
        .as_ref()
        .map(|_| infeasibility_reply_due(case.received));
    dl
}

/// The access clock from `received`: the federal 30 calendar days, or `state`'s period
/// when it ends first.
fn access_deadline(
    received: NaiveDate,
    extension: Option<&Extension>,
    today: NaiveDate,
    state: Option<&AccessPeriod>,
) -> Deadline {
    let federal = add_days(received, ACCESS_DAYS, DayUnit::Calendar);
    let state = state
        .map(|p| (p, add_days(received, p.days, p.unit)))
        .filter(|(_, due)| *due < federal);
    let original = state.map_or(federal, |(_, d)| d);
    let problem = extension.and_then(|e| extension_problem(original, e, state.map(|(p, _)| p)));
    let extended = extension.is_some() && problem.is_none();
    let due = match extension {
        Some(e) if extended => e.new_due,
        _ => original,
    };
    let days_left = (due - today).num_days();
    let (access_days, unit, citation) = match state {
        Some((p, _)) => (
            p.days,
            p.unit,
            format!("{}; {FEDERAL_CITATION}", p.citation),
        ),
        None => (ACCESS_DAYS, DayUnit::Calendar, FEDERAL_CITATION.to_string()),
    };
    Deadline {
        received,
        clock: Clock::Access,
        due: Some(due),
        original_due: Some(original),
        extended,
        extension_problem: problem,
        days_left: Some(days_left),
        status: status_for(days_left),
        access_days: Some(access_days),
        day_unit: unit.as_str(),
        citation,
        infeasibility_reply_due: None,
    }
}

fn extension_problem(
    original_due: NaiveDate,
    e: &Extension,
    state: Option<&AccessPeriod>,
) -> Option<ExtensionProblem> {
    let latest = match state {
        None => Some(original_due + chrono::Days::new(EXTENSION_DAYS as u64)),
        Some(p) => p.extension_days.map(|n| add_days(original_due, n, p.unit)),
    };
    if e.notice_sent > original_due {
        Some(ExtensionProblem::NoticeLate)
    } else if e.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        Some(ExtensionProblem::NoReason)
    } else if e.new_due <= original_due {
        Some(ExtensionProblem::NotLater)
    } else {
        match latest {
            None => Some(ExtensionProblem::StateNoExtension),
            Some(l) if e.new_due > l => Some(ExtensionProblem::TooLong),
            Some(_) => None,
        }
    }
}

/// `from` plus `n` days: calendar days, or business days (Monday to Friday, counted from
/// the day after `from`). Public holidays are counted as business days: which holidays a
/// statute skips differs by state and employer, and counting them keeps the date on or
/// before the law's, never after it (docs/RULES.md, "Business days").
pub fn add_days(from: NaiveDate, n: i64, unit: DayUnit) -> NaiveDate {
    let n = n.max(0);
    match unit {
        DayUnit::Calendar => from + chrono::Days::new(n as u64),
        DayUnit::Business => {
            let mut d = from;
            let mut counted = 0;
            while counted < n {
                d = d.succ_opt().unwrap_or(d);
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    counted += 1;
                }
            }
            d
        }
    }
}

pub fn status_for(days_left: i64) -> Status {
    if days_left < 0 {
        Status::Overdue
    } else if days_left <= DUE_SOON_DAYS {
        Status::DueSoon
    } else {
        Status::Open
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ext(sent: &str, due: &str) -> Extension {
        Extension {
            notice_sent: d(sent),
            new_due: d(due),
            reason: Some("records archived off site".into()),
        }
    }

    fn state(days: i64, unit: DayUnit, extension_days: Option<i64>) -> AccessPeriod {
        AccessPeriod {
            days,
            unit,
            extension_days,
            citation: "State Code 1".into(),
        }
    }

    #[test]
    fn thirty_calendar_days() {
        let dl = access_deadline(d("2026-03-16"), None, d("2026-04-01"), None);
        assert_eq!(dl.due, Some(d("2026-04-15")));
        assert_eq!(dl.days_left, Some(14));
        assert_eq!(dl.status, Status::Open);
        assert_eq!(dl.citation, "45 CFR 164.524(b)(2)");
    }

    #[test]
    fn due_soon_and_overdue() {
        let r = d("2026-03-16");
        let at = |t: &str| access_deadline(r, None, d(t), None).status;
        assert_eq!(at("2026-04-08"), Status::DueSoon);
        assert_eq!(at("2026-04-15"), Status::DueSoon);
        assert_eq!(at("2026-04-16"), Status::Overdue);
        assert_eq!(at("2026-04-07"), Status::Open);
    }

    #[test]
    fn extension_sent_in_time_counts() {
        let e = ext("2026-04-10", "2026-05-15");
        let dl = access_deadline(d("2026-03-16"), Some(&e), d("2026-04-20"), None);
        assert!(dl.extended);
        assert_eq!(dl.due, Some(d("2026-05-15")));
        assert_eq!(dl.status, Status::Open);
    }

    #[test]
    fn extension_on_day_34_does_not_count() {
        // received 03-02, day 30 = 04-01, notice on 04-05 (day 34).
        let e = ext("2026-04-05", "2026-05-01");
        let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-04-10"), None);
        assert!(!dl.extended);
        assert_eq!(dl.extension_problem, Some(ExtensionProblem::NoticeLate));
        assert_eq!(dl.due, Some(d("2026-04-01")));
        assert_eq!(dl.status, Status::Overdue);
    }

    #[test]
    fn extension_longer_than_thirty_days_does_not_count() {
        let e = ext("2026-03-20", "2026-05-15");
        let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-03-21"), None);
        assert_eq!(dl.extension_problem, Some(ExtensionProblem::TooLong));
        assert_eq!(dl.due, Some(d("2026-04-01")));
    }

    #[test]
    fn extension_without_a_reason_does_not_count() {
        for reason in [None, Some("  ".to_string())] {
            let e = Extension {
                reason,
                ..ext("2026-03-20", "2026-04-20")
            };
            let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-03-21"), None);
            assert_eq!(dl.extension_problem, Some(ExtensionProblem::NoReason));
            assert!(!dl.extended);
            assert_eq!(dl.due, Some(d("2026-04-01")));
        }
    }

    #[test]
    fn state_deadline_shorter() {
        let p = state(15, DayUnit::Calendar, None);
        let dl = access_deadline(d("2026-03-02"), None, d("2026-03-03"), Some(&p));
        assert_eq!(dl.due, Some(d("2026-03-17")));
        assert_eq!(dl.access_days, Some(15));
        assert_eq!(dl.citation, "State Code 1; 45 CFR 164.524(b)(2)");
    }

    #[test]
    fn a_state_period_without_an_extension_is_not_extended() {
        let p = state(15, DayUnit::Calendar, None);
        let e = ext("2026-03-10", "2026-04-01");
        let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-03-11"), Some(&p));
        assert_eq!(
            dl.extension_problem,
            Some(ExtensionProblem::StateNoExtension)
        );
        assert_eq!(dl.due, Some(d("2026-03-17")));
    }

    #[test]
    fn business_days_skip_weekends() {
        // 2026-03-06 is a Friday: 15 business days later is Friday 2026-03-27.
        let p = state(15, DayUnit::Business, Some(6));
        let dl = access_deadline(d("2026-03-06"), None, d("2026-03-09"), Some(&p));
        assert_eq!(dl.due, Some(d("2026-03-27")));
        assert_eq!(dl.day_unit, "business");
        // A Saturday receipt counts from Monday: 15 business days -> Friday 03-27 too.
        let dl = access_deadline(d("2026-03-07"), None, d("2026-03-09"), Some(&p));
        assert_eq!(dl.due, Some(d("2026-03-27")));
        // The state's extension: 6 more business days, to Monday 04-06 at the latest.
        let ok = ext("2026-03-20", "2026-04-06");
        let dl = access_deadline(d("2026-03-06"), Some(&ok), d("2026-03-21"), Some(&p));
        assert!(dl.extended, "{dl:?}");
        let long = ext("2026-03-20", "2026-04-07");
        let dl = access_deadline(d("2026-03-06"), Some(&long), d("2026-03-21"), Some(&p));
        assert_eq!(dl.extension_problem, Some(ExtensionProblem::TooLong));
    }

    /// 171.204(b): 10 business days from the day after receipt; weekends skipped,
    /// holidays counted (so the date is never later than the rule's).
    #[test]
    fn the_infeasibility_reply_counts_business_days_and_holidays() {
        // Monday 2026-06-22 -> Monday 2026-07-06 (Friday 07-03, a federal holiday observed,
        // is counted).
        assert_eq!(infeasibility_reply_due(d("2026-06-22")), d("2026-07-06"));
        // Friday 2026-11-20 -> Friday 2026-12-04: Thanksgiving (11-26) and the day after
        // are counted as business days.
        assert_eq!(infeasibility_reply_due(d("2026-11-20")), d("2026-12-04"));
        // A Saturday receipt counts from Monday.
        assert_eq!(infeasibility_reply_due(d("2026-06-20")), d("2026-07-03"));
    }

    #[test]
    fn a_state_period_longer_than_thirty_calendar_days_loses() {
        // 25 business days from 2026-03-02 end on 04-06, after the federal 04-01.
        let p = state(25, DayUnit::Business, None);
        let dl = access_deadline(d("2026-03-02"), None, d("2026-03-03"), Some(&p));
        assert_eq!(dl.due, Some(d("2026-04-01")));
        assert_eq!(dl.citation, "45 CFR 164.524(b)(2)");
    }
}
