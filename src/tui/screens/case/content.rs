//! Builds the case view from a case: the header's facts, the deadline clock, and the
//! three panes, each drawing the presenter's sections (`crate::present::case::PANES`):
//! the same rows `casebench show` prints, sanitised there, once.

use chrono::NaiveDate;

use super::{CaseView, PANE_TITLES, Pane, PaneLine};
use crate::case::Case;
use crate::present::case::PANES;
use crate::present::record::Standing;
use crate::rules::Rulebook;
use crate::rules::deadline;
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
        clock: clock(&dl, dl.status),
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

/// The header's clock line for the status the log gives the case: the presenter's words
/// (`present::words::clock`), drawn in the deadline's roles.
pub fn clock(dl: &Deadline, status: Status) -> (String, Role) {
    let (text, tone) = crate::present::words::clock(dl, status);
    (text, Role::of_deadline(tone))
}
