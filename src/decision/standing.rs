//! The log's facts about a case as the one status function needs them
//! ([`crate::rules::queue::standing`]): from this user's verified memory (`list`, `show`,
//! the workbench) or from the verified audit (`audit`, `audit --summary`), so that
//! every surface gives each case the same status, due date, days left and on-time.

use std::collections::HashMap;

use crate::record::log::{CaseHistory, DecidedBy, Index};
use crate::rules::queue::{InForce, LogFacts};

/// The facts of a case whose record in force is `by` (none: undecided), with a
/// trainee's proposal awaiting a countersignature or not.
pub fn log_facts(by: Option<&DecidedBy>, proposed: bool) -> LogFacts {
    LogFacts {
        in_force: by.map(|d| InForce {
            outcome: d.outcome.clone(),
            decided_on: d.time.date_naive(),
            provided_on: d.provided_on,
        }),
        proposed,
    }
}

/// The facts of one case's history.
pub fn of_history(h: Option<&CaseHistory>, proposed: bool) -> LogFacts {
    LogFacts {
        in_force: h.and_then(|h| {
            let f = h.final_record()?;
            Some(InForce {
                outcome: f.outcome.clone(),
                decided_on: f.time.date_naive(),
                provided_on: h.provision().and_then(|p| p.provision).map(|p| p.done_on),
            })
        }),
        proposed,
    }
}

/// Every case's facts from an index (cases the log never mentions have none).
pub fn of_index(index: &Index) -> HashMap<String, LogFacts> {
    index
        .cases
        .iter()
        .map(|(id, h)| (id.clone(), of_history(Some(h), false)))
        .collect()
}
