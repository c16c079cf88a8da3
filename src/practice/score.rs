//! Scoring a trainee's decision against a practice case's reference decision.
//!
//! The formula (documented for trainees and supervisors in docs/PRACTICE.md):
//!
//! | part | access request | disclosure concern |
//! |---|---|---|
//! | outcome right | 50 | 60 |
//! | grounds: share of the reference's grounds found | 30 | 40 |
//! | record items: share handled right (release, or withhold on the reference's ground) | 20 | – |
//!
//! Penalties: every ground the trainee cited that the reference does not rest on costs 5;
//! one that the rulebook calls never valid for that purpose (`lack-of-consent`,
//! `emotional-distress`, `clia`) costs all the ground points plus 5 (35, or 45 on a
//! concern), so that it always costs more than missing any one ground: relying on it is
//! the mistake the law most often sees. The score is clamped to 0..=100.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::case::{Case, CaseKind, Outcome, Reference};

/// What the trainee decided.
#[derive(Debug, Clone)]
pub struct Attempt<'a> {
    pub outcome: Outcome,
    pub grounds: &'a [String],
    /// Record id -> ground the trainee withheld it on.
    pub withhold: &'a BTreeMap<String, String>,
}

pub const OUTCOME_POINTS_ACCESS: f64 = 50.0;
pub const GROUND_POINTS_ACCESS: f64 = 30.0;
pub const ITEM_POINTS_ACCESS: f64 = 20.0;
pub const OUTCOME_POINTS_CONCERN: f64 = 60.0;
pub const GROUND_POINTS_CONCERN: f64 = 40.0;
pub const WRONG_GROUND_PENALTY: f64 = 5.0;

/// How one record item was handled, against the reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemComparison {
    pub id: String,
    /// The reference's withholding ground, `None` when the item is released.
    pub expected: Option<String>,
    pub given: Option<String>,
    pub right: bool,
}

/// The whole comparison, ready to show after the practice record is signed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub case: String,
    pub outcome_expected: Outcome,
    pub outcome_given: Outcome,
    pub outcome_right: bool,
    pub grounds_found: Vec<String>,
    pub grounds_missed: Vec<String>,
    /// Cited but not in the reference (never-valid ones included).
    pub grounds_wrong: Vec<String>,
    /// The subset of `grounds_wrong` that the rulebook calls never valid.
    pub never_valid_used: Vec<String>,
    pub items: Vec<ItemComparison>,
    pub points_outcome: f64,
    pub points_grounds: f64,
    pub points_items: f64,
    pub penalties: f64,
    /// 0..=100, rounded.
    pub score: u32,
    pub explanation: String,
}

/// Compares `attempt` with `reference` for `case`. `never_valid(code)` says whether the
/// rulebook lists a ground as never valid for what it is usually cited for.
pub fn compare(
    case: &Case,
    reference: &Reference,
    attempt: &Attempt,
    never_valid: &dyn Fn(&str) -> bool,
) -> Comparison {
    let expected: BTreeSet<&str> = reference.grounds.iter().map(String::as_str).collect();
    // A withholding ground the trainee put only in the withhold map still counts as cited.
    let given: BTreeSet<&str> = attempt
        .grounds
        .iter()
        .map(String::as_str)
        .chain(attempt.withhold.values().map(String::as_str))
        .collect();
    let found: Vec<String> = expected
        .intersection(&given)
        .map(|s| s.to_string())
        .collect();
    let missed: Vec<String> = expected.difference(&given).map(|s| s.to_string()).collect();
    let wrong: Vec<String> = given.difference(&expected).map(|s| s.to_string()).collect();
    let never: Vec<String> = wrong.iter().filter(|g| never_valid(g)).cloned().collect();

    let items: Vec<ItemComparison> = case
        .records()
        .iter()
        .map(|r| {
            let exp = reference.withhold.get(&r.id).cloned();
            let giv = attempt.withhold.get(&r.id).cloned();
            ItemComparison {
                id: r.id.clone(),
                right: exp == giv,
                expected: exp,
                given: giv,
            }
        })
        .collect();

    let (outcome_pts, ground_pts, item_pts) = match case.kind {
        CaseKind::AccessRequest => (
            OUTCOME_POINTS_ACCESS,
            GROUND_POINTS_ACCESS,
            ITEM_POINTS_ACCESS,
        ),
        CaseKind::DisclosureConcern => (OUTCOME_POINTS_CONCERN, GROUND_POINTS_CONCERN, 0.0),
    };
    let outcome_right = attempt.outcome == reference.outcome;
    let points_outcome = if outcome_right { outcome_pts } else { 0.0 };
    let points_grounds = if expected.is_empty() {
        // Nothing to find: full marks unless something was cited (penalised below).
        ground_pts
    } else {
        ground_pts * found.len() as f64 / expected.len() as f64
    };
    let points_items = if items.is_empty() {
        item_pts
    } else {
        item_pts * items.iter().filter(|i| i.right).count() as f64 / items.len() as f64
    };
    let never_valid_penalty = ground_pts + WRONG_GROUND_PENALTY;
    let penalties = never.len() as f64 * never_valid_penalty
        + (wrong.len() - never.len()) as f64 * WRONG_GROUND_PENALTY;
    let raw = points_outcome + points_grounds + points_items - penalties;
    Comparison {
        case: case.id.clone(),
        outcome_expected: reference.outcome,
        outcome_given: attempt.outcome,
        outcome_right,
        grounds_found: found,
        grounds_missed: missed,
        grounds_wrong: wrong,
        never_valid_used: never,
        items,
        points_outcome,
        points_grounds,
        points_items,
        penalties,
        score: raw.clamp(0.0, 100.0).round() as u32,
        explanation: reference.explanation.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::load::{LoadOptions, parse};

    const NEVER: [&str; 3] = ["lack-of-consent", "emotional-distress", "clia"];

    fn never_valid(code: &str) -> bool {
        NEVER.contains(&code)
    }

    fn case_with_reference() -> (Case, Reference) {
        let src = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/cases/AR-2026-0101.yaml"
        ))
        .unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let case = parse(
            std::path::Path::new("AR-2026-0101.yaml"),
            src.as_bytes(),
            "AR-2026-0101.yaml",
            std::path::Path::new("."),
            &LoadOptions::new(today),
        )
        .unwrap();
        let reference = Reference {
            outcome: Outcome::ReleasePartial,
            grounds: vec!["right-of-access".into(), "psychotherapy-notes".into()],
            withhold: BTreeMap::from([("notes".into(), "psychotherapy-notes".into())]),
            explanation: "Release the chart; withhold the notes kept separately.".into(),
        };
        (case, reference)
    }

    fn score(outcome: Outcome, grounds: &[&str], withhold: &[(&str, &str)]) -> Comparison {
        let (case, reference) = case_with_reference();
        let grounds: Vec<String> = grounds.iter().map(|s| s.to_string()).collect();
        let withhold: BTreeMap<String, String> = withhold
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        compare(
            &case,
            &reference,
            &Attempt {
                outcome,
                grounds: &grounds,
                withhold: &withhold,
            },
            &never_valid,
        )
    }

    #[test]
    fn perfect_answer_scores_100() {
        let c = score(
            Outcome::ReleasePartial,
            &["right-of-access", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        );
        assert_eq!(c.score, 100);
        assert!(c.outcome_right);
        assert!(c.grounds_missed.is_empty() && c.grounds_wrong.is_empty());
        assert!(c.items.iter().all(|i| i.right));
    }

    #[test]
    fn wrong_outcome_loses_the_most() {
        let c = score(
            Outcome::Deny,
            &["right-of-access", "psychotherapy-notes"],
            &[("notes", "psychotherapy-notes")],
        );
        assert!(!c.outcome_right);
        assert_eq!(c.score, 50);
    }

    #[test]
    fn missed_ground_costs_its_share() {
        // Withheld the notes (so that ground counts as cited) but forgot right-of-access.
        let c = score(
            Outcome::ReleasePartial,
            &[],
            &[("notes", "psychotherapy-notes")],
        );
        assert_eq!(c.grounds_missed, vec!["right-of-access".to_string()]);
        assert_eq!(c.score, 85);
    }

    #[test]
    fn never_valid_ground_costs_more_than_a_missed_one() {
        let missed = score(
            Outcome::ReleasePartial,
            &[],
            &[("notes", "psychotherapy-notes")],
        );
        let never = score(
            Outcome::ReleasePartial,
            &[
                "right-of-access",
                "psychotherapy-notes",
                "emotional-distress",
            ],
            &[("notes", "psychotherapy-notes")],
        );
        assert_eq!(
            never.never_valid_used,
            vec!["emotional-distress".to_string()]
        );
        assert_eq!(never.score, 65);
        let other_wrong = score(
            Outcome::ReleasePartial,
            &["right-of-access", "psychotherapy-notes", "danger-to-life"],
            &[("notes", "psychotherapy-notes")],
        );
        assert_eq!(other_wrong.score, 95);
        assert!(never.score < missed.score && never.score < other_wrong.score);
    }

    #[test]
    fn whole_record_denial_loses_items_and_outcome() {
        let c = score(
            Outcome::Deny,
            &["psychotherapy-notes", "lack-of-consent"],
            &[
                ("chart", "lack-of-consent"),
                ("notes", "psychotherapy-notes"),
            ],
        );
        let chart = c.items.iter().find(|i| i.id == "chart").unwrap();
        assert!(!chart.right);
        assert_eq!(chart.given.as_deref(), Some("lack-of-consent"));
        // 0 outcome + 15 grounds + 10 items - 35 never valid: clamped to 0.
        assert_eq!(c.score, 0);
        assert_eq!(c.points_grounds + c.points_items, 25.0);
    }

    #[test]
    fn score_never_goes_below_zero() {
        let c = score(
            Outcome::Deny,
            &["clia", "lack-of-consent", "emotional-distress"],
            &[("chart", "clia"), ("notes", "clia")],
        );
        assert_eq!(c.score, 0);
    }
}
