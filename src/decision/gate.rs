//! The advisor's check before a decision is signed: error findings refuse the decision
//! unless each is overridden with a justification (`--override CODE=WHY`), and the
//! record's notice and deadline come from the rulebook (state overlays included).

use std::collections::BTreeMap;

use super::Setting;
use crate::case::{CaseSet, LoadedCase, Outcome};
use crate::record::Draft;
use crate::record::model::{Notice, OverriddenFinding, RecordType};
use crate::rules::{self, Finding, Related, Rulebook};
use crate::text::sanitize_line;

/// Why the gate stops a decision.
#[derive(Debug)]
pub enum GateError {
    /// Error findings without an override: exit 1, listing each.
    Findings(Vec<Finding>),
    /// Bad usage (an override for a finding that is not there, a broken rulebook): exit 2.
    Usage(String),
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
    let today = setting.today;
    let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
    let advice = rules::advise(&rb, &case.case, related, today);
    draft.deadline.due = advice.deadline.due;
    draft.deadline.decided_on_time = advice.deadline.due.is_none_or(|d| today <= d);
    if draft.kind == RecordType::Practice {
        return Ok(());
    }
    let outcome = Outcome::parse(&draft.outcome).ok_or_else(|| {
        GateError::Usage(format!(
            "unknown outcome `{}`",
            sanitize_line(&draft.outcome)
        ))
    })?;
    let withhold: BTreeMap<String, String> = draft
        .records
        .iter()
        .filter(|r| r.action == crate::record::model::Action::Withhold)
        .filter_map(|r| r.grounds.first().map(|g| (r.id.clone(), g.clone())))
        .collect();
    let contact = crate::case::settings::privacy_contact_known(setting.cases);
    let mut proposal = rules::Proposal {
        outcome,
        grounds: draft.grounds.clone(),
        withhold,
        notice: None,
    };
    proposal.notice = rules::generated_notice(&rb, &proposal, contact);
    let facts = super::facts::for_signer(setting.cases, &draft.reviewer, draft.kind, &case.case.id);
    let findings = rules::check(&rb, &case.case, related, &proposal, &facts, today);
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
            return Err(GateError::Usage(format!(
                "--override {}: the advisor reports no error finding with that code for this decision",
                sanitize_line(code)
            )));
        }
    }
    let overridden = rules::gate(&findings, &given).map_err(GateError::Findings)?;
    let mut seen = std::collections::HashSet::new();
    draft.findings_overridden = overridden
        .into_iter()
        .filter(|o| seen.insert((o.code.clone(), o.justification.clone())))
        .map(|o| OverriddenFinding {
            code: o.code,
            justification: o.justification,
        })
        .collect();
    if let Some(n) = proposal.notice {
        draft.notice = Notice {
            basis: n.basis,
            review_rights: n.review_rights,
            complaint_routes: n.complaint_routes,
        };
    }
    Ok(())
}
