//! `outcome-not-recommended`: a decision whose outcome is not the advisor's
//! recommendation gets a warning that names the recommendation and cites the rule behind
//! it (the recommended grounds' own citations). The reviewer may decide otherwise; the
//! warning makes sure it is a choice, said in the rationale, and not an oversight.
//!
//! The finding is optional in a rulebook: an override rulebook written before it existed
//! stays valid and simply does not report it.

use super::engine::{Engine, Recommended};
use super::findings::{Out, Proposal};

/// `rec` is the root engine's recommendation (the same in every world of the case's
/// unknowns, or the request to find them out).
pub(super) fn outcome_findings(eng: &Engine, p: &Proposal, rec: &Recommended, out: &mut Out) {
    if rec.outcome == p.outcome {
        return;
    }
    let citations: Vec<&str> = rec
        .grounds
        .iter()
        .filter_map(|g| eng.rb.ground(g))
        .map(|g| g.citation.as_str())
        .collect();
    let on = if rec.grounds.is_empty() {
        String::new()
    } else {
        format!(" on {}", rec.grounds.join(", "))
    };
    let citation = citations.join("; ");
    out.add(
        "outcome-not-recommended",
        format!(
            "the advisor recommends `{}`{on}; this decision is `{}`: say in the rationale why",
            rec.outcome, p.outcome
        ),
        (!citation.is_empty()).then_some(citation.as_str()),
    );
}
