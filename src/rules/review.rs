//! Who may review a denial (45 CFR 164.524(a)(3)-(4); RULEBOOK R8): a licensed health
//! care professional who did not take part in the original decision. One function,
//! [`problems`], gives the answer to both the advisor's findings (`harm-not-licensed`,
//! `reviewer-participated`) and the refusal when a review is signed
//! ([`crate::decision::sign`]), so the two can never disagree.

use super::findings::ReviewerFacts;
use crate::case::Case;

/// Why a reviewer may not review the denial: the finding's code, its message and its
/// citation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewProblem {
    pub code: &'static str,
    pub message: String,
    pub citation: &'static str,
}

/// What keeps `reviewer` from reviewing the denial of `case`; empty when they may. Only
/// for a review ([`ReviewerFacts::is_review`]). Those who took part are the signers of
/// the case's records (`participants`), the harm assessor and the consultants.
pub fn problems(case: &Case, reviewer: &ReviewerFacts) -> Vec<ReviewProblem> {
    let mut out = Vec::new();
    if !reviewer.is_review {
        return out;
    }
    if reviewer.licensed != Some(true) {
        let who = reviewer.principal.as_deref().unwrap_or("the reviewer");
        let why = if reviewer.licensed == Some(false) {
            "is not a licensed health care professional in reviewers.yaml"
        } else {
            "is not in reviewers.yaml as a licensed health care professional"
        };
        out.push(ReviewProblem {
            code: "harm-not-licensed",
            message: format!(
                "{} {why}: the reviewing official of a denial must be a licensed health care professional",
                crate::text::sanitize_line(who)
            ),
            citation: "45 CFR 164.524(a)(3), (a)(4)",
        });
    }
    let who: Vec<String> = [reviewer.principal.as_deref(), reviewer.name.as_deref()]
        .into_iter()
        .flatten()
        .map(person_key)
        .filter(|k| !k.is_empty())
        .collect();
    let mut took_part: Vec<&str> = reviewer.participants.iter().map(String::as_str).collect();
    // A pending evaluation has no assessor yet.
    if let Some(e) = case.harm_evaluation.done() {
        took_part.push(&e.assessed_by.name);
    }
    took_part.extend(case.consultations.iter().map(|c| c.with.name.as_str()));
    if let Some(p) = took_part.iter().find(|p| who.contains(&person_key(p))) {
        out.push(ReviewProblem {
            code: "reviewer-participated",
            message: format!(
                "the reviewer ({}) took part in the original decision; the review must be done by a licensed professional who did not",
                crate::text::sanitize_line(p)
            ),
            citation: "45 CFR 164.524(a)(4)",
        });
    }
    out
}

/// A comparable key for a person: "Dr. K. Osei" and "k.osei@clinic" both give "k osei".
pub(super) fn person_key(s: &str) -> String {
    let local = s.split('@').next().unwrap_or(s).to_lowercase();
    local
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "dr" | "mr" | "ms" | "mrs" | "prof"))
        .collect::<Vec<_>>()
        .join(" ")
}
