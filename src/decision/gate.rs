//! The advisor's check before a decision is signed: error findings refuse the decision
//! unless each is overridden with a justification (`--override CODE=WHY`).
//!
//! [`apply`] reads what the check needs (rulebook, reviewers, the case's history) and
//! runs [`check`]; the workbench's preview reads them once per form and runs [`check`]
//! on every change, so the preview shows what signing would decide. The advisor reads
//! the proposal itself ([`Proposal::judged`]), never a copy rebuilt from the record.

use chrono::NaiveDate;

use super::Setting;
use super::proposal::Proposal;
use crate::case::LoadedCase;
use crate::record::model::{OverriddenFinding, RecordType};
use crate::rules::CaseSet;
use crate::rules::{self, Finding, Related, ReviewerFacts, Rulebook};
use crate::text::sanitize_line;

/// Why the gate stops a decision.
#[derive(Debug, Clone, PartialEq)]
pub enum GateError {
    /// Error findings without an override: exit 1, listing each.
    Findings(Vec<Finding>),
    /// Bad usage (an override for a finding that is not there, a broken rulebook): exit 2.
    Usage(String),
}

/// What the check knows besides the case and the proposal.
pub struct Inputs<'a> {
    pub rulebook: &'a Rulebook,
    pub today: NaiveDate,
    /// What the rules know of the signer ([`super::facts::for_signer`]).
    pub facts: &'a ReviewerFacts,
    /// casebench.yaml names the privacy contact (the notice's complaint routes).
    pub contact: bool,
}

/// The check's answer: the findings on the decision, and the overrides it accepted
/// (each answering an error finding that is there, once) or why it refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct Gated {
    /// Every finding on the decision (none for a practice record).
    pub findings: Vec<Finding>,
    pub result: Result<Vec<OverriddenFinding>, GateError>,
}

/// Checks `proposal` for `case` with the advisor, reading what the check needs from the
/// setting. Practice records are not gated: the trainee's mistakes are what the score is
/// for, and the findings would give the answer away. The accepted overrides.
pub fn apply(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    reviewer: &str,
    proposal: &Proposal,
) -> Result<Vec<OverriddenFinding>, GateError> {
    let facts = super::facts::for_signer(setting, reviewer, proposal.kind, &case.case.id);
    let inputs = Inputs {
        rulebook: &set.rules,
        today: setting.deadline_day(),
        facts: &facts,
        contact: crate::case::settings::privacy_contact_known(setting.cases),
    };
    check(&inputs, set, case, proposal).result
}

/// The check itself.
pub fn check(inputs: &Inputs, set: &CaseSet, case: &LoadedCase, proposal: &Proposal) -> Gated {
    if proposal.kind == RecordType::Practice {
        return Gated {
            findings: Vec::new(),
            result: Ok(proposal.overrides.clone()),
        };
    }
    let findings = findings(inputs, set, case, proposal);
    let result = accepted_overrides(&findings, &proposal.overrides);
    Gated { findings, result }
}

/// What the advisor says of `proposal` (with the notice casebench would send), whatever
/// the record type: the preview shows them on practice cases where hints are on.
pub fn findings(
    inputs: &Inputs,
    set: &CaseSet,
    case: &LoadedCase,
    proposal: &Proposal,
) -> Vec<Finding> {
    let judged = proposal
        .clone()
        .with_notice(inputs.rulebook, inputs.contact)
        .judged;
    let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
    rules::check(
        inputs.rulebook,
        &case.case,
        related,
        &judged,
        inputs.facts,
        inputs.today,
    )
}

/// The overrides that answer the error findings, once each; an override of a finding
/// that is not there is refused (a typo must not pass silently), and an error finding
/// without one refuses the decision.
fn accepted_overrides(
    findings: &[Finding],
    given: &[OverriddenFinding],
) -> Result<Vec<OverriddenFinding>, GateError> {
    let given: Vec<(String, String)> = given
        .iter()
        .map(|o| (o.code.clone(), o.justification.clone()))
        .collect();
    for (code, _) in &given {
        if !findings
            .iter()
            .any(|f| f.code == *code && f.severity == rules::Severity::Error)
        {
            return Err(GateError::Usage(format!(
                "--override {}: the advisor reports no error finding with that code for this decision",
                sanitize_line(code)
            )));
        }
    }
    let overridden = rules::gate(findings, &given).map_err(GateError::Findings)?;
    let mut seen = std::collections::HashSet::new();
    Ok(overridden
        .into_iter()
        .filter(|o| seen.insert((o.code.clone(), o.justification.clone())))
        .map(|o| OverriddenFinding {
            code: o.code,
            justification: o.justification,
        })
        .collect())
}
