//! Deadlines of access requests: 45 CFR 164.524(b)(2), RULEBOOK R4.
//!
//! Due 30 calendar days after receipt; one extension of up to 30 more days counts only
//! if its written notice was sent within those first 30 days.

use chrono::NaiveDate;
use serde::Serialize;

use super::model::{Case, CaseKind, Extension};

/// Calendar days the entity has to act on an access request (164.524(b)(2)).
pub const ACCESS_DAYS: i64 = 30;
/// The most one extension may add (164.524(b)(2)(ii)).
pub const EXTENSION_DAYS: i64 = 30;
/// At or below this many days left a case is "due soon".
pub const DUE_SOON_DAYS: i64 = 7;

/// Where a case stands. `Decided` and `UnderReview` come from the decision log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Overdue,
    DueSoon,
    Open,
    UnderReview,
    Decided,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Overdue => "overdue",
            Status::DueSoon => "due_soon",
            Status::Open => "open",
            Status::UnderReview => "under_review",
            Status::Decided => "decided",
        }
    }
}

/// Why an extension does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionProblem {
    /// Notice sent after day 30.
    NoticeLate,
    /// The new date is more than 30 days past the original due date.
    TooLong,
    /// The new date is not after the original due date.
    NotLater,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub received: NaiveDate,
    /// None for disclosure concerns: no statutory clock, they are acted on at once.
    pub due: Option<NaiveDate>,
    /// received + 30, before any extension.
    pub original_due: Option<NaiveDate>,
    /// Set when the case has an extension and it counts.
    pub extended: bool,
    pub extension_problem: Option<ExtensionProblem>,
    pub days_left: Option<i64>,
    pub status: Status,
}

/// The deadline of `case` as of `today`, with `access_days` for the jurisdiction (30
/// federally; a state overlay may shorten it).
pub fn deadline(case: &Case, today: NaiveDate, access_days: i64) -> Deadline {
    match case.kind {
        CaseKind::AccessRequest => {
            let ext = case.request.as_ref().and_then(|r| r.extension.as_ref());
            access_deadline(case.received, ext, today, access_days)
        }
        CaseKind::DisclosureConcern => Deadline {
            received: case.received,
            due: None,
            original_due: None,
            extended: false,
            extension_problem: None,
            days_left: None,
            status: Status::Open,
        },
    }
}

pub fn access_deadline(
    received: NaiveDate,
    extension: Option<&Extension>,
    today: NaiveDate,
    access_days: i64,
) -> Deadline {
    let original = received + chrono::Days::new(access_days.max(0) as u64);
    let problem = extension.and_then(|e| extension_problem(original, e));
    let extended = extension.is_some() && problem.is_none();
    let due = match extension {
        Some(e) if extended => e.new_due,
        _ => original,
    };
    let days_left = (due - today).num_days();
    Deadline {
        received,
        due: Some(due),
        original_due: Some(original),
        extended,
        extension_problem: problem,
        days_left: Some(days_left),
        status: status_for(days_left),
    }
}

fn extension_problem(original_due: NaiveDate, e: &Extension) -> Option<ExtensionProblem> {
    if e.notice_sent > original_due {
        Some(ExtensionProblem::NoticeLate)
    } else if e.new_due <= original_due {
        Some(ExtensionProblem::NotLater)
    } else if (e.new_due - original_due).num_days() > EXTENSION_DAYS {
        Some(ExtensionProblem::TooLong)
    } else {
        None
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
            reason: None,
        }
    }

    #[test]
    fn thirty_calendar_days() {
        let dl = access_deadline(d("2026-03-16"), None, d("2026-04-01"), 30);
        assert_eq!(dl.due, Some(d("2026-04-15")));
        assert_eq!(dl.days_left, Some(14));
        assert_eq!(dl.status, Status::Open);
    }

    #[test]
    fn due_soon_and_overdue() {
        let r = d("2026-03-16");
        assert_eq!(
            access_deadline(r, None, d("2026-04-08"), 30).status,
            Status::DueSoon
        );
        assert_eq!(
            access_deadline(r, None, d("2026-04-15"), 30).status,
            Status::DueSoon
        );
        assert_eq!(
            access_deadline(r, None, d("2026-04-16"), 30).status,
            Status::Overdue
        );
        assert_eq!(
            access_deadline(r, None, d("2026-04-07"), 30).status,
            Status::Open
        );
    }

    #[test]
    fn extension_sent_in_time_counts() {
        let e = ext("2026-04-10", "2026-05-15");
        let dl = access_deadline(d("2026-03-16"), Some(&e), d("2026-04-20"), 30);
        assert!(dl.extended);
        assert_eq!(dl.due, Some(d("2026-05-15")));
        assert_eq!(dl.status, Status::Open);
    }

    #[test]
    fn extension_on_day_34_does_not_count() {
        // received 03-02, day 30 = 04-01, notice on 04-05 (day 34).
        let e = ext("2026-04-05", "2026-05-01");
        let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-04-10"), 30);
        assert!(!dl.extended);
        assert_eq!(dl.extension_problem, Some(ExtensionProblem::NoticeLate));
        assert_eq!(dl.due, Some(d("2026-04-01")));
        assert_eq!(dl.status, Status::Overdue);
    }

    #[test]
    fn extension_longer_than_thirty_days_does_not_count() {
        let e = ext("2026-03-20", "2026-05-15");
        let dl = access_deadline(d("2026-03-02"), Some(&e), d("2026-03-21"), 30);
        assert_eq!(dl.extension_problem, Some(ExtensionProblem::TooLong));
        assert_eq!(dl.due, Some(d("2026-04-01")));
    }

    #[test]
    fn state_deadline_shorter() {
        let dl = access_deadline(d("2026-03-02"), None, d("2026-03-03"), 15);
        assert_eq!(dl.due, Some(d("2026-03-17")));
    }
}
