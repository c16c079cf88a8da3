//! The advisor's check before a decision is signed: error findings refuse the decision
//! unless each is overridden with a justification (`--override CODE=WHY`), and the
//! record's notice and deadline come from the rulebook (state overlays included).
//!
//! [`apply`] reads what the check needs (rulebook, reviewers, the case's history) and
//! runs [`complete`]; the workbench's preview reads them once per form and runs
//! [`complete`] on every change, so the preview shows what signing would record.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::Setting;
use crate::case::{LoadedCase, Outcome};
use crate::record::Draft;
use crate::record::model::{Action, Notice, OverriddenFinding, RecordType};
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

/// What the check knows besides the case and the draft.
pub struct Inputs<'a> {
    pub rulebook: &'a Rulebook,
    pub today: NaiveDate,
    /// What the rules know of the signer ([`super::facts::for_signer`]).
    pub facts: &'a ReviewerFacts,
    /// casebench.yaml names the privacy contact (the notice's complaint routes).
    pub contact: bool,
}

/// The check's answer: the findings on the decision, and whether it may be signed.
#[derive(Debug, Clone, PartialEq)]
pub struct Gated {
    /// Every finding on the decision (none for a practice record).
    pub findings: Vec<Finding>,
    /// The decision as the rules see it (`None` for an unknown outcome).
    pub proposal: Option<rules::Proposal>,
    pub result: Result<(), GateError>,
}

/// Checks `draft` for `case` with the advisor and, when it passes, completes it: the
/// overridden findings, the notice statement and the (state-aware) deadline. Practice
/// records are not gated: the trainee's mistakes are what the score is for, and the
/// findings would give the answer away.
pub fn apply(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    draft: &mut Draft,
) -> Result<(), GateError> {
    let rb = Rulebook::for_case_dir(setting.cases).map_err(|e| GateError::Usage(e.to_string()))?;
    let facts = super::facts::for_signer(setting, &draft.reviewer, draft.kind, &case.case.id);
    let inputs = Inputs {
        rulebook: &rb,
        today: setting.today,
        facts: &facts,
        contact: crate::case::settings::privacy_contact_known(setting.cases),
    };
    complete(&inputs, set, case, draft).result
}

/// The check itself. The deadline is filled in always, the notice statement whenever the
/// outcome denies something, the overridden findings when the gate passes.
pub fn complete(inputs: &Inputs, set: &CaseSet, case: &LoadedCase, draft: &mut Draft) -> Gated {
    let rb = inputs.rulebook;
    let today = inputs.today;
    let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
    let advice = rules::advise(rb, &case.case, related, today);
    draft.deadline.due = advice.deadline.due;
    draft.deadline.decided_on_time = advice.deadline.due.is_none_or(|d| today <= d);
    let proposal = rules_proposal(rb, draft, inputs.contact);
    let done = |findings, result| Gated {
        findings,
        proposal: proposal.clone(),
        result,
    };
    if draft.kind == RecordType::Practice {
        return done(Vec::new(), Ok(()));
    }
    let Some(proposal) = proposal.clone() else {
        let why = format!("unknown outcome `{}`", sanitize_line(&draft.outcome));
        return done(Vec::new(), Err(GateError::Usage(why)));
    };
    let findings = rules::check(rb, &case.case, related, &proposal, inputs.facts, today);
    if let Some(n) = proposal.notice {
        draft.notice = Notice {
            basis: n.basis,
            review_rights: n.review_rights,
            complaint_routes: n.complaint_routes,
        };
    }
    let given: Vec<(String, String)> = draft
        .findings_overridden
        .iter()
        .map(|o| (o.code.clone(), o.justification.clone()))
        .collect();
    // An override must answer a finding that is there: a typo must not pass silently.
    for (code, _) in &given {
        if !findings
            .iter()
            .any(|f| f.code == *code && f.severity == rules::Severity::Error)
        {
            let why = format!(
                "--override {}: the advisor reports no error finding with that code for this decision",
                sanitize_line(code)
            );
            return done(findings, Err(GateError::Usage(why)));
        }
    }
    let overridden = match rules::gate(&findings, &given) {
        Ok(o) => o,
        Err(open) => return done(findings, Err(GateError::Findings(open))),
    };
    let mut seen = std::collections::HashSet::new();
    draft.findings_overridden = overridden
        .into_iter()
        .filter(|o| seen.insert((o.code.clone(), o.justification.clone())))
        .map(|o| OverriddenFinding {
            code: o.code,
            justification: o.justification,
        })
        .collect();
    done(findings, Ok(()))
}

/// The draft as the rules see it: each withheld item on its first ground, and the notice
/// casebench writes for it. `None` for an unknown outcome.
pub fn rules_proposal(rb: &Rulebook, draft: &Draft, contact: bool) -> Option<rules::Proposal> {
    let outcome = Outcome::parse(&draft.outcome)?;
    let withhold: BTreeMap<String, String> = draft
        .records
        .iter()
        .filter(|r| r.action == Action::Withhold)
        .filter_map(|r| r.grounds.first().map(|g| (r.id.clone(), g.clone())))
        .collect();
    let mut proposal = rules::Proposal {
        outcome,
        grounds: draft.grounds.clone(),
        withhold,
        notice: None,
    };
    proposal.notice = rules::generated_notice(rb, &proposal, contact);
    Some(proposal)
}
