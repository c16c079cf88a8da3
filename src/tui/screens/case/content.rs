//! Builds the case view from a case: the header's facts, the deadline clock, and the
//! three panes, each drawing the presenter's sections (`crate::present::case::PANES`):
//! the same rows `casebench show` prints, sanitised there, once.

use chrono::NaiveDate;

use super::{CaseView, PANE_TITLES, Pane, PaneLine};
use crate::case::Case;
use crate::present::case::PANES;
use crate::present::record::Standing;
use crate::rules::Rulebook;
use crate::rules::deadline::{self, Clock};
use crate::rules::{Deadline, Status};
use crate::text::sanitize_line;
use crate::tui::theme::Role;

pub fn case_view(index: usize, case: &Case, rules: &Rulebook, today: NaiveDate) -> CaseView {
    let dl = deadline::for_case(case, rules, today);
    // The log's standing is the header's "decided by" line (the root keeps it current);
    // the panes draw the case itself.
    let sections = crate::present::case::sections(case, &dl, &Standing::open(dl.status));
    let pane_lines = |i: usize| -> Vec<PaneLine> {
        let chosen: Vec<crate::present::Section> = PANES[i]
            .iter()
            .filter_map(|title| crate::present::find(&sections, title))
            .map(|s| {
                let mut s = s.clone();
                // The pane's own title says it already.
                if s.title == PANE_TITLES[i] {
                    s.title.clear();
                }
                s
            })
            .collect();
        crate::tui::sections::lines(&chosen)
    };
    CaseView {
        index,
        case_id: case.id.clone(),
        id: sanitize_line(&case.id),
        title: sanitize_line(&case.title),
        kind: case.kind,
        requester: case
            .requester_name()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into()),
        jurisdiction: sanitize_line(&case.jurisdiction),
        clock: clock(&dl),
        panes: [
            pane(0, pane_lines(0)),
            pane(1, pane_lines(1)),
            pane(2, pane_lines(2)),
        ],
        focus: 0,
        draft: None,
        show_advisor: false,
        advisor: None,
        advisor_scroll: Default::default(),
        search: Default::default(),
        decided: None,
    }
}

fn pane(i: usize, lines: Vec<PaneLine>) -> Pane {
    Pane {
        title: PANE_TITLES[i],
        lines,
        scroll: Default::default(),
    }
}

/// The deadline clock: text that states the urgency in words and markers, for the
/// status the log gives the case (`rules::queue::standing`, the queue row's): a decided
/// or provided case says so instead of counting days it no longer owes.
pub fn clock_for(dl: &Deadline, status: Status) -> (String, Role) {
    let ext = if dl.extended { " (extended)" } else { "" };
    let due = dl.due.map(|d| format!("due {d}{ext} · "));
    let due = due.as_deref().unwrap_or("");
    match status {
        Status::Decided => (format!("{due}decided"), Role::Muted),
        Status::ProvidedOnTime => (format!("{due}provided on time"), Role::Ok),
        Status::ProvidedLate => (format!("{due}provided late"), Role::Warning),
        Status::AwaitingProvision => match dl.days_left {
            Some(left) if left < 0 => (
                format!(
                    "{due}decided, awaiting provision · !! {} days overdue",
                    -left
                ),
                Role::Overdue,
            ),
            Some(left) if left <= crate::rules::deadline::DUE_SOON_DAYS => (
                format!("{due}decided, awaiting provision · ! {left} days left"),
                Role::DueSoon,
            ),
            Some(left) => (
                format!("{due}decided, awaiting provision · {left} days left"),
                Role::Ok,
            ),
            None => (format!("{due}decided, awaiting provision"), Role::Normal),
        },
        Status::UnderReview => {
            let (text, role) = clock(dl);
            (format!("{text} · a proposal awaits countersignature"), role)
        }
        _ => clock(dl),
    }
}

/// The deadline clock of a case the log says nothing of.
pub fn clock(dl: &Deadline) -> (String, Role) {
    let ext = if dl.extended { " (extended)" } else { "" };
    match (dl.due, dl.days_left) {
        (Some(due), Some(left)) if dl.status == Status::Overdue => (
            format!("due {due}{ext} · !! {} days overdue", -left),
            Role::Overdue,
        ),
        (Some(due), Some(left)) if dl.status == Status::DueSoon => (
            format!("due {due}{ext} · ! {left} days left"),
            Role::DueSoon,
        ),
        (Some(due), Some(left)) => (format!("due {due}{ext} · {left} days left"), Role::Ok),
        _ if dl.clock == Clock::None => (
            format!(
                "received {} · no access deadline (a third party's request)",
                dl.received
            ),
            Role::Ok,
        ),
        _ => (
            format!(
                "raised {} · ! no statutory clock: act without delay",
                dl.received
            ),
            Role::DueSoon,
        ),
    }
}
