//! A case's standing in this user's verified memory of the log, for the commands that
//! show one case or the queue (`list`, `show`, `advise`): the status comes from the one
//! status function (`rules::queue::case_status` over `rules::queue::log_status`), so
//! every surface says the same.

use std::collections::HashSet;

use crate::case::Case;
use crate::present::record::Standing;
use crate::record::log::Index;
use crate::record::memory::Trusted;
use crate::rules::{CaseSet, Deadline, Status, queue};

/// The log's facts that decide a status: which cases are decided, and which real cases
/// have a trainee's proposal awaiting countersignature.
pub(crate) struct LogFacts {
    pub decided: HashSet<String>,
    pub under_review: HashSet<String>,
}

impl LogFacts {
    pub fn of(index: &Index, set: &CaseSet) -> LogFacts {
        LogFacts {
            decided: index.decided_cases(),
            under_review: index
                .proposed_cases()
                .into_iter()
                .filter(|id| set.get(id).is_some_and(|c| c.case.practice.is_none()))
                .collect(),
        }
    }

    /// `rules::queue::log_status` over these facts.
    pub fn log_status(&self, id: &str, dl: &Deadline) -> Status {
        queue::log_status(id, dl, &self.decided, &self.under_review)
    }

    /// The case's status, as the queue shows it.
    pub fn status(&self, case: &Case, dl: &Deadline) -> Status {
        queue::case_status(case, dl, &|id, dl| self.log_status(id, dl))
    }
}

/// The standing of `case`: its status, the record in force, or the proposal.
pub(crate) fn of(
    trusted: &Trusted,
    set: &CaseSet,
    case: &Case,
    dl: &Deadline,
) -> Result<Standing, String> {
    let facts = LogFacts::of(&trusted.index, set);
    let status = facts.status(case, dl);
    let decision = trusted
        .index
        .cases
        .get(&case.id)
        .and_then(|h| h.final_record())
        .cloned();
    let proposal = if status == Status::UnderReview {
        trusted
            .proposals()?
            .into_iter()
            .find(|p| p.case == case.id)
            .map(|p| p.seq)
    } else {
        None
    };
    Ok(Standing {
        status,
        decision,
        proposal,
    })
}
