//! A case's standing in this user's verified memory of the log, for the commands that
//! show one case or the queue (`list`, `show`, `advise`, `due`): the status, due date,
//! days left and on-time come from the one function, `rules::queue::standing`, over the
//! log's facts (`decision::standing`), so every surface says the same.

use std::collections::HashSet;

use crate::case::Case;
use crate::present::record::Standing;
use crate::record::log::Index;
use crate::record::memory::Trusted;
use crate::rules::queue::{self, LogFacts};
use crate::rules::{CaseSet, Deadline, Status};

/// The real cases with a trainee's proposal awaiting a supervisor's countersignature
/// (a practice case's proposal is the trainee's own work, never "under review").
pub(crate) fn under_review(index: &Index, set: &CaseSet) -> HashSet<String> {
    index
        .proposed_cases()
        .into_iter()
        .filter(|id| set.get(id).is_some_and(|c| c.case.practice.is_none()))
        .collect()
}

/// What the log holds of case `id`, as the one status function needs it.
pub(crate) fn facts(index: &Index, under_review: &HashSet<String>, id: &str) -> LogFacts {
    crate::decision::standing::of_history(index.cases.get(id), under_review.contains(id))
}

/// The standing of `case`: its status and on-time, the record in force, or the proposal.
pub(crate) fn of(
    trusted: &Trusted,
    set: &CaseSet,
    case: &Case,
    dl: &Deadline,
) -> Result<Standing, String> {
    let facts = facts(&trusted.index, &under_review(&trusted.index, set), &case.id);
    let st = queue::standing(case, dl, &facts);
    let decision = trusted
        .index
        .cases
        .get(&case.id)
        .and_then(|h| h.final_record())
        .cloned();
    let proposal = if st.status == Status::UnderReview {
        trusted
            .proposals()?
            .into_iter()
            .find(|p| p.case == case.id)
            .map(|p| p.seq)
    } else {
        None
    };
    Ok(Standing {
        status: st.status,
        on_time: st.on_time,
        decision,
        proposal,
    })
}
