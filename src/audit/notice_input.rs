//! Gathering a written notice's content ([`NoticeInput`]) from a decision, its case, the
//! directory's settings and the rulebook: each withheld item with its ground's plain
//! basis, citation and review right; the requester; the extension, if any.
//!
//! [`from_record`] serves `casebench notice`; [`from_decision`] serves the decision
//! form's preview, before a record exists.

use chrono::NaiveDate;

use super::addressee::Addressee;
use super::notice::{NoticeInput, WithheldItem};
use crate::case::settings::Settings;
use crate::case::{Case, CaseKind, Outcome};
use crate::record::model::{Action, Record, RecordAction, RecordType};
use crate::rules::Rulebook;

/// Why no notice can be written for a decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error(
        "record {seq} is `{outcome}`, not a denial or partial denial: a written denial notice applies only to deny and release_partial"
    )]
    NotADenial { seq: u64, outcome: String },
    #[error(
        "record {seq} decides case {case}, a {kind}: written denial notices answer access requests only"
    )]
    NotAnAccessRequest {
        seq: u64,
        case: String,
        kind: &'static str,
    },
    #[error(
        "record {seq} is a {kind} record: written notices answer decisions (and reviews of denials) only"
    )]
    NotADecision { seq: u64, kind: &'static str },
    #[error("record {seq} withholds nothing, so there is nothing to explain")]
    NothingWithheld { seq: u64 },
    #[error(
        "record {seq} withholds `{item}` on `{ground}`, which the rulebook does not define: the notice cannot state its basis"
    )]
    UnknownGround {
        seq: u64,
        item: String,
        ground: String,
    },
}

/// The decision to explain: the parts of a record a notice needs.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub seq: u64,
    pub outcome: &'a str,
    pub actions: &'a [RecordAction],
}

/// The notice content for a signed decision record, dated `date`. For a review record
/// it is the content of the review-result letter
/// ([`super::review_notice::render_review`]): what the review upholds, which may be
/// nothing.
pub fn from_record<'a>(
    rec: &Record,
    case: &Case,
    settings: &'a Settings,
    rb: &Rulebook,
    date: NaiveDate,
) -> Result<NoticeInput<'a>, NoticeError> {
    let d = Decision {
        seq: rec.seq,
        outcome: &rec.outcome,
        actions: &rec.records,
    };
    match rec.kind {
        RecordType::Decision => from_decision(d, case, settings, rb, date),
        RecordType::Review => gather(d, case, settings, rb, date, false),
        other => Err(NoticeError::NotADecision {
            seq: rec.seq,
            kind: other.as_str(),
        }),
    }
}

/// The notice content for a decision (signed or not): the decision form's preview.
pub fn from_decision<'a>(
    d: Decision<'_>,
    case: &Case,
    settings: &'a Settings,
    rb: &Rulebook,
    date: NaiveDate,
) -> Result<NoticeInput<'a>, NoticeError> {
    gather(d, case, settings, rb, date, true)
}

/// A neutral name for each withheld item: its category's label, numbered when several
/// withheld items share one ("psychotherapy notes (1 of 2)").
fn neutral_labels(
    request: &crate::case::Request,
    actions: &[RecordAction],
    addressee: Addressee,
) -> std::collections::HashMap<String, String> {
    let label = |id: &str| {
        addressee.item_label(
            request
                .records
                .iter()
                .find(|i| i.id == id)
                .map(|i| i.category),
        )
    };
    let withheld: Vec<&str> = actions
        .iter()
        .filter(|a| a.action == Action::Withhold)
        .map(|a| a.id.as_str())
        .collect();
    let mut out = std::collections::HashMap::new();
    for id in &withheld {
        let l = label(id);
        let same: Vec<&&str> = withheld.iter().filter(|o| label(o) == l).collect();
        let text = match same.iter().position(|o| **o == *id) {
            Some(i) if same.len() > 1 => format!("{l} ({} of {})", i + 1, same.len()),
            _ => l.clone(),
        };
        out.insert(id.to_string(), text);
    }
    out
}

/// The state's own review of a denial that serves this requester, from the rulebook's
/// overlay (RULEBOOK R36): what the notice must name beside the federal review rights.
fn state_review(case: &Case, rb: &Rulebook) -> Option<(String, Vec<(String, String)>)> {
    let state = rb.state(&case.jurisdiction);
    let rel = case.request.as_ref().map(|r| r.requester.relationship);
    let reviews: Vec<(String, String)> = state
        .denial_review
        .iter()
        .filter(|r| r.serves(rel))
        .map(|r| (r.describe.clone(), r.citation.clone()))
        .collect();
    (!reviews.is_empty()).then_some((state.name.clone(), reviews))
}

/// `denial`: the decision must deny something (a denial notice); false for a review's
/// result, which may release everything.
fn gather<'a>(
    d: Decision<'_>,
    case: &Case,
    settings: &'a Settings,
    rb: &Rulebook,
    date: NaiveDate,
    denial: bool,
) -> Result<NoticeInput<'a>, NoticeError> {
    if denial && !Outcome::parse(d.outcome).is_some_and(Outcome::is_denial) {
        return Err(NoticeError::NotADenial {
            seq: d.seq,
            outcome: crate::text::sanitize_line(d.outcome),
        });
    }
    let Some(request) = case
        .request
        .as_ref()
        .filter(|_| case.kind == CaseKind::AccessRequest)
    else {
        return Err(NoticeError::NotAnAccessRequest {
            seq: d.seq,
            case: crate::text::sanitize_line(&case.id),
            kind: case.kind.as_str(),
        });
    };
    let describe = |id: &str| {
        request
            .records
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| id.to_string(), |i| i.description.clone())
    };
    let addressee = Addressee::of(case);
    let neutral = neutral_labels(request, d.actions, addressee);
    let mut released = Vec::new();
    let mut withheld = Vec::new();
    for a in d.actions {
        match a.action {
            Action::Release => released.push(describe(&a.id)),
            Action::Withhold => {
                for g in &a.grounds {
                    let rule = rb.ground(g).ok_or_else(|| NoticeError::UnknownGround {
                        seq: d.seq,
                        item: crate::text::sanitize_line(&a.id),
                        ground: crate::text::sanitize_line(g),
                    })?;
                    withheld.push(WithheldItem {
                        // Never the item's own description: it may hold what the denial
                        // protects (R31).
                        description: neutral.get(&a.id).cloned().unwrap_or_default(),
                        basis: rule.describe.clone(),
                        citation: rule.citation.clone(),
                        reviewable: rule.reviewable(),
                    });
                }
            }
        }
    }
    if denial && withheld.is_empty() {
        return Err(NoticeError::NothingWithheld { seq: d.seq });
    }
    let extension = request.extension.as_ref().map(|e| {
        let reason = e.reason.clone().unwrap_or_else(|| {
            format!(
                "of the reason given in our written notice of {}",
                e.notice_sent
            )
        });
        (reason, e.new_due)
    });
    Ok(NoticeInput {
        settings,
        recipient: request.requester.name.clone(),
        addressee,
        patient_ref: case.patient.reference.clone(),
        case_id: case.id.clone(),
        record_seq: d.seq,
        request_received: case.received,
        date,
        released,
        withheld,
        extension,
        held_elsewhere: None,
        state_review: state_review(case, rb),
    })
}
