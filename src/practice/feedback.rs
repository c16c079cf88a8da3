//! What a trainee sees once their practice record is signed: the comparison with the
//! reference and its score, the notice elements a denial needs, the rulebook's words on
//! each ground (why it holds, or why the one cited does not), and the explanation.
//!
//! The workbench's practice screen and `casebench decide --type practice` /
//! `casebench practice --case` all build it here, from the signed record: nothing of the
//! reference is computed before the record exists.

use std::collections::BTreeMap;

use serde::Serialize;

use super::score::{Attempt, Comparison, compare};
use super::topics::TopicMap;
use crate::case::{Case, Outcome, Reference};
use crate::record::model::{Action, Record, RecordType};
use crate::rules::{GroundKind, NoticeElement, Recommended, Related, Rulebook};

/// A ground with the rulebook's words about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroundNote {
    pub code: String,
    /// The rulebook's citation; empty when the rulebook does not know the code.
    pub citation: String,
    /// For the reference's grounds: what the ground is. For a wrong one: why it does not
    /// hold (the rulebook's `invalid_reason`).
    pub text: String,
}

/// The notice elements the trainee's record says it carries (164.524(d)(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoticeGiven {
    pub basis: bool,
    pub review_rights: bool,
    pub complaint_routes: bool,
}

/// Everything the practice comparison screen shows for one signed attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feedback {
    pub seq: u64,
    pub trainee: String,
    pub time: String,
    pub case: String,
    pub title: String,
    pub comparison: Comparison,
    /// The elements the written notice of the reference decision needs (empty when the
    /// reference denies nothing, or for a third party's request).
    pub notice_needed: Vec<NoticeElement>,
    pub notice_given: NoticeGiven,
    /// The reference's grounds, with citations.
    pub reference_grounds: Vec<GroundNote>,
    /// The grounds cited that the reference does not rest on, with why they fail.
    pub wrong_grounds: Vec<GroundNote>,
    /// The topics this case exercises (ids of the topic map).
    pub topics: Vec<String>,
}

/// Why an attempt cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedbackError {
    #[error("record {0} is not a practice record")]
    NotPractice(u64),
    #[error("record {seq} is about case {record_case}, not {case}")]
    OtherCase {
        seq: u64,
        record_case: String,
        case: String,
    },
    #[error("case {0} has no practice reference: a practice record on it is a proposal")]
    NoReference(String),
    #[error("record {seq}: unknown outcome `{outcome}`")]
    Outcome { seq: u64, outcome: String },
}

/// The trainee's answer as the scorer reads it from a signed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    pub outcome: Outcome,
    pub grounds: Vec<String>,
    pub withhold: BTreeMap<String, String>,
}

impl RecordedAnswer {
    /// Reads the answer of `rec`. An item withheld on several grounds counts as withheld
    /// on the reference's ground when it is among them, else on the first.
    pub fn of(rec: &Record, reference: &Reference) -> Result<RecordedAnswer, FeedbackError> {
        let outcome = Outcome::parse(&rec.outcome).ok_or_else(|| FeedbackError::Outcome {
            seq: rec.seq,
            outcome: crate::text::sanitize_line(&rec.outcome),
        })?;
        let withhold = rec
            .records
            .iter()
            .filter(|r| r.action == Action::Withhold)
            .filter_map(|r| {
                let expected = reference.withhold.get(&r.id);
                let g = match expected {
                    Some(e) if r.grounds.contains(e) => Some(e.clone()),
                    _ => r.grounds.first().cloned(),
                }?;
                Some((r.id.clone(), g))
            })
            .collect();
        Ok(RecordedAnswer {
            outcome,
            grounds: rec.grounds.clone(),
            withhold,
        })
    }
}

/// Whether the rulebook calls `code` never valid for what it is usually cited for.
pub fn never_valid(rb: &Rulebook, code: &str) -> bool {
    rb.ground(code)
        .is_some_and(|g| g.kind == GroundKind::NeverValid)
}

/// Compares the signed practice record `rec` with the reference of `case`.
pub fn feedback(
    rb: &Rulebook,
    case: &Case,
    related: Related,
    rec: &Record,
) -> Result<Feedback, FeedbackError> {
    if rec.kind != RecordType::Practice {
        return Err(FeedbackError::NotPractice(rec.seq));
    }
    if rec.case != case.id {
        return Err(FeedbackError::OtherCase {
            seq: rec.seq,
            record_case: crate::text::sanitize_line(&rec.case),
            case: case.id.clone(),
        });
    }
    let reference = &case
        .practice
        .as_ref()
        .ok_or_else(|| FeedbackError::NoReference(case.id.clone()))?
        .reference;
    let answer = RecordedAnswer::of(rec, reference)?;
    let comparison = compare(
        case,
        reference,
        &Attempt {
            outcome: answer.outcome,
            grounds: &answer.grounds,
            withhold: &answer.withhold,
        },
        &|code| never_valid(rb, code),
    );
    let state = rb.state(&case.jurisdiction);
    let engine = crate::rules::engine::Engine::new(rb, case, &state, related);
    let as_recommended = Recommended {
        outcome: reference.outcome,
        grounds: reference.grounds.clone(),
        withhold: reference.withhold.clone(),
    };
    let notice_needed = crate::rules::notice_elements(&engine, &as_recommended);
    let mut reference_codes: Vec<&String> = reference.grounds.iter().collect();
    for g in reference.withhold.values() {
        if !reference_codes.contains(&g) {
            reference_codes.push(g);
        }
    }
    let note = |code: &str, wrong: bool| {
        let g = rb.ground(code);
        GroundNote {
            code: code.to_string(),
            citation: g.map(|g| g.citation.clone()).unwrap_or_default(),
            text: match (g, wrong) {
                (Some(g), false) => g.describe.clone(),
                (Some(g), true) => g.invalid_reason.clone(),
                (None, _) => "not a ground code of the rulebook".to_string(),
            },
        }
    };
    Ok(Feedback {
        seq: rec.seq,
        trainee: rec.reviewer.clone(),
        time: crate::record::model::format_time(&rec.time),
        case: case.id.clone(),
        title: case.title.clone(),
        notice_needed,
        notice_given: NoticeGiven {
            basis: rec.notice.basis,
            review_rights: rec.notice.review_rights,
            complaint_routes: rec.notice.complaint_routes,
        },
        reference_grounds: reference_codes.iter().map(|c| note(c, false)).collect(),
        wrong_grounds: comparison
            .grounds_wrong
            .iter()
            .map(|c| note(c, true))
            .collect(),
        topics: TopicMap::builtin().topics_of(case, reference),
        comparison,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::model::RecordAction;

    fn reference() -> Reference {
        Reference {
            outcome: Outcome::Deny,
            grounds: vec!["subpoena-without-assurance".into()],
            withhold: BTreeMap::from([
                ("chart".into(), "subpoena-without-assurance".into()),
                ("notes".into(), "subpoena-without-assurance".into()),
            ]),
            explanation: String::new(),
        }
    }

    fn action(id: &str, grounds: &[&str]) -> RecordAction {
        RecordAction {
            id: id.into(),
            action: if grounds.is_empty() {
                Action::Release
            } else {
                Action::Withhold
            },
            grounds: grounds.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn answer_prefers_the_reference_ground_among_several() {
        let rec = Record {
            record: crate::record::model::RECORD_TAG.into(),
            seq: 3,
            prev: "none".into(),
            case: "X".into(),
            case_sha256: "0".repeat(64),
            case_prev: "none".into(),
            kind: RecordType::Practice,
            reviews: None,
            countersigns: None,
            reviewer: "t".into(),
            key: "SHA256:x".into(),
            policy: format!("sha256:{}", "0".repeat(64)),
            time: chrono::DateTime::from_timestamp(0, 0).unwrap(),
            outcome: "deny".into(),
            grounds: vec![
                "lack-of-consent".into(),
                "subpoena-without-assurance".into(),
            ],
            records: vec![
                action("chart", &["lack-of-consent", "subpoena-without-assurance"]),
                action("notes", &["lack-of-consent"]),
                action("billing", &[]),
            ],
            disclosures: vec![],
            notice: Default::default(),
            deadline: crate::record::model::DeadlineInfo {
                due: None,
                decided_on_time: true,
            },
            provision: None,
            fees: Vec::new(),
            findings_overridden: vec![],
            rationale: "x\n".into(),
        };
        let a = RecordedAnswer::of(&rec, &reference()).unwrap();
        assert_eq!(a.outcome, Outcome::Deny);
        assert_eq!(a.withhold["chart"], "subpoena-without-assurance");
        assert_eq!(a.withhold["notes"], "lack-of-consent");
        assert!(!a.withhold.contains_key("billing"));
        let bad = Record {
            outcome: "maybe".into(),
            ..rec
        };
        assert!(matches!(
            RecordedAnswer::of(&bad, &reference()),
            Err(FeedbackError::Outcome { seq: 3, .. })
        ));
    }
}
