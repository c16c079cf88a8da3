//! Turning a proposed decision (outcome, grounds, withheld items, disclosures,
//! rationale) into a [`Draft`]: the per-record actions, the notice elements and the
//! deadline. Shared by `casebench decide` and the workbench's decision form.

use chrono::NaiveDate;

use super::append::Draft;
use super::model::{
    Action, DeadlineInfo, Disclosure, Notice, OverriddenFinding, RecordAction, RecordType,
};
use crate::case::{Case, CaseKind};
use crate::rules::Rulebook;

pub const OUTCOMES: &[&str] = &[
    "release_full",
    "release_partial",
    "deny",
    "request_information",
    "warn_and_protect",
    "report",
    "maintain_confidentiality",
];

/// Withholding grounds that carry a right to review (164.524(a)(3); RULEBOOK R7).
const REVIEWABLE: &[&str] = &[
    "danger-to-life",
    "harm-to-referenced-person",
    "harm-via-representative",
];

/// A proposed decision as the reviewer states it, before findings are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    pub kind: Option<RecordType>,
    pub outcome: String,
    pub grounds: Vec<String>,
    /// (record id, ground) pairs.
    pub withhold: Vec<(String, String)>,
    pub disclosures: Vec<Disclosure>,
    pub rationale: String,
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Checks the proposal against the case and builds the draft signed by `reviewer` on
/// `today`; the deadline is the one every surface shows ([`crate::rules::deadline::for_case`]
/// under the directory's rulebook `rules`). Errors are usage errors, worded for the person who typed the proposal.
pub fn build_draft(
    case: &Case,
    rules: &Rulebook,
    reviewer: &str,
    p: &Proposal,
    overrides: Vec<OverriddenFinding>,
    today: NaiveDate,
) -> Result<Draft, String> {
    if !OUTCOMES.contains(&p.outcome.as_str()) {
        return Err(format!(
            "unknown outcome `{}`; expected one of: {}",
            crate::text::sanitize_line(&p.outcome),
            OUTCOMES.join(", ")
        ));
    }
    for g in p.grounds.iter().chain(p.withhold.iter().map(|(_, g)| g)) {
        if !is_code(g) {
            return Err(format!(
                "`{}` is not a ground code",
                crate::text::sanitize_line(g)
            ));
        }
    }
    for o in &overrides {
        if !is_code(&o.code) {
            return Err(format!(
                "`{}` is not a finding code",
                crate::text::sanitize_line(&o.code)
            ));
        }
        if o.justification.trim().is_empty() {
            return Err(format!("override of `{}` needs a justification", o.code));
        }
    }
    if p.rationale.trim().is_empty() {
        return Err("the rationale must not be empty".into());
    }
    let records = record_actions(case, p)?;
    let withheld: Vec<&RecordAction> = records
        .iter()
        .filter(|r| r.action == Action::Withhold)
        .collect();
    let denial = case.kind == CaseKind::AccessRequest && !withheld.is_empty();
    let notice = Notice {
        basis: denial,
        review_rights: denial
            && withheld
                .iter()
                .any(|r| r.grounds.iter().any(|g| REVIEWABLE.contains(&g.as_str()))),
        complaint_routes: denial,
    };
    let dl = crate::rules::deadline::for_case(case, rules, today);
    Ok(Draft {
        kind: p.kind.unwrap_or(RecordType::Decision),
        reviewer: reviewer.to_string(),
        outcome: p.outcome.clone(),
        grounds: dedup(p.grounds.clone()),
        records,
        disclosures: p.disclosures.clone(),
        notice,
        deadline: DeadlineInfo {
            due: dl.due,
            decided_on_time: dl.due.is_none_or(|d| today <= d),
        },
        findings_overridden: overrides,
        rationale: p.rationale.clone(),
    })
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

/// Items not withheld are released when the outcome releases; for `deny` every item
/// is withheld (on its own grounds, or the decision's).
fn record_actions(case: &Case, p: &Proposal) -> Result<Vec<RecordAction>, String> {
    let items = case
        .request
        .as_ref()
        .map(|r| r.records.as_slice())
        .unwrap_or(&[]);
    for (id, _) in &p.withhold {
        if !items.iter().any(|i| &i.id == id) {
            let known: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
            return Err(format!(
                "--withhold: case {} has no record item `{}` (items: {})",
                case.id,
                crate::text::sanitize_line(id),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ));
        }
    }
    let releases = matches!(p.outcome.as_str(), "release_full" | "release_partial");
    let deny = p.outcome == "deny";
    if !releases && !deny {
        if !p.withhold.is_empty() {
            return Err(format!(
                "--withhold does not apply to outcome `{}`",
                p.outcome
            ));
        }
        return Ok(Vec::new());
    }
    if p.outcome == "release_full" && !p.withhold.is_empty() {
        return Err("release_full withholds nothing; use release_partial".into());
    }
    let mut out = Vec::new();
    for item in items {
        let own: Vec<String> = dedup(
            p.withhold
                .iter()
                .filter(|(id, _)| id == &item.id)
                .map(|(_, g)| g.clone())
                .collect(),
        );
        let action = if !own.is_empty() {
            RecordAction {
                id: item.id.clone(),
                action: Action::Withhold,
                grounds: own,
            }
        } else if deny {
            if p.grounds.is_empty() {
                return Err(format!(
                    "deny: give the ground for `{}` with --withhold {}=GROUND or --ground GROUND",
                    item.id, item.id
                ));
            }
            RecordAction {
                id: item.id.clone(),
                action: Action::Withhold,
                grounds: dedup(p.grounds.clone()),
            }
        } else {
            RecordAction {
                id: item.id.clone(),
                action: Action::Release,
                grounds: Vec::new(),
            }
        };
        out.push(action);
    }
    if p.outcome == "release_partial" {
        let withheld = out.iter().filter(|r| r.action == Action::Withhold).count();
        if withheld == 0 || withheld == out.len() {
            return Err(
                "release_partial releases some items and withholds others (--withhold REC=GROUND)"
                    .into(),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> Case {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/records/cases/AR-2026-0201.yaml"
        ))
        .unwrap();
        crate::yaml::from_str(&src).unwrap()
    }

    fn proposal(outcome: &str, grounds: &[&str], withhold: &[(&str, &str)]) -> Proposal {
        Proposal {
            kind: None,
            outcome: outcome.into(),
            grounds: grounds.iter().map(|g| g.to_string()).collect(),
            withhold: withhold
                .iter()
                .map(|(r, g)| (r.to_string(), g.to_string()))
                .collect(),
            disclosures: vec![],
            rationale: "why".into(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn partial_release_withholds_named_items_and_sets_notice() {
        let p = proposal(
            "release_partial",
            &["right-of-access"],
            &[("notes", "danger-to-life")],
        );
        let d = build_draft(
            &case(),
            Rulebook::builtin(),
            "a@x",
            &p,
            vec![],
            day("2026-03-20"),
        )
        .unwrap();
        assert_eq!(d.records[0].action, Action::Release);
        assert_eq!(d.records[1].action, Action::Withhold);
        assert_eq!(d.records[1].grounds, vec!["danger-to-life".to_string()]);
        assert!(d.notice.basis && d.notice.review_rights && d.notice.complaint_routes);
        assert_eq!(d.deadline.due, Some(day("2026-04-01")));
        assert!(d.deadline.decided_on_time);
        let late = build_draft(
            &case(),
            Rulebook::builtin(),
            "a@x",
            &p,
            vec![],
            day("2026-04-02"),
        )
        .unwrap();
        assert!(!late.deadline.decided_on_time);
    }

    #[test]
    fn deny_withholds_everything_on_the_decision_grounds() {
        let p = proposal("deny", &["psychotherapy-notes"], &[]);
        let d = build_draft(
            &case(),
            Rulebook::builtin(),
            "a@x",
            &p,
            vec![],
            day("2026-03-20"),
        )
        .unwrap();
        assert!(d.records.iter().all(|r| r.action == Action::Withhold));
        assert!(d.notice.basis && !d.notice.review_rights);
        let e = build_draft(
            &case(),
            Rulebook::builtin(),
            "a@x",
            &proposal("deny", &[], &[]),
            vec![],
            day("2026-03-20"),
        );
        assert!(e.unwrap_err().contains("give the ground"));
    }

    #[test]
    fn refuses_inconsistent_proposals() {
        let t = day("2026-03-20");
        let c = case();
        let err =
            |p: Proposal| build_draft(&c, Rulebook::builtin(), "a@x", &p, vec![], t).unwrap_err();
        assert!(err(proposal("release_full", &[], &[("notes", "x")])).contains("release_partial"));
        assert!(err(proposal("release_partial", &[], &[])).contains("withholds others"));
        assert!(err(proposal("deny", &[], &[("nope", "x")])).contains("no record item `nope`"));
        assert!(err(proposal("shrug", &[], &[])).contains("unknown outcome"));
        assert!(err(proposal("deny", &["Bad Code"], &[])).contains("not a ground code"));
        let mut p = proposal("release_full", &[], &[]);
        p.rationale = "  ".into();
        assert!(err(p).contains("rationale"));
        let over = vec![OverriddenFinding {
            code: "x".into(),
            justification: " ".into(),
        }];
        let p = proposal("release_full", &[], &[]);
        assert!(
            build_draft(&c, Rulebook::builtin(), "a@x", &p, over, t)
                .unwrap_err()
                .contains("justification")
        );
    }
}
