//! The rulebook's types: grounds with their validity conditions, findings, state overlays.
//!
//! Parsed from YAML through `crate::yaml`, then checked (`Rulebook::from_yaml`): every rule
//! must carry a citation, every fact a condition names must exist, codes must be unique.

use serde::{Deserialize, Serialize};

pub use super::condition::{Cond, Condition};
use super::overlay::StateOverlay;

/// The whole rulebook, as read from its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulebookFile {
    pub version: u32,
    pub title: String,
    #[serde(default)]
    pub source: String,
    pub grounds: Vec<GroundRule>,
    /// RULEBOOK R27: what may not be released to this requester, per item. Required: a
    /// rulebook without them would let every release through.
    pub release_limits: Vec<ReleaseLimit>,
    pub findings: Vec<FindingRule>,
    pub states: Vec<StateOverlay>,
    /// RULEBOOK R35: what an individual's own copy may cost. Left out of a clinic's
    /// rulebook: the federal rule below ([`FeeRule::federal`]).
    #[serde(default = "FeeRule::federal")]
    pub fees: FeeRule,
}

/// What the fee for an individual's own copy may include (45 CFR 164.524(c)(4)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeRule {
    pub citation: String,
    /// The items a fee may charge for; anything else draws `fee-not-permitted`.
    pub may_charge: Vec<crate::case::model::FeeItemKind>,
    /// A summary may be charged for when the individual agreed in advance to it and its
    /// fee (164.524(c)(2)(iii), (c)(4)(iv)).
    pub summary_if_agreed: bool,
    /// The flat fee OCR allows for an electronic copy of records kept electronically, in
    /// cents (all labour, supplies and postage included).
    pub flat_fee_cap_cents: i64,
    pub flat_fee_citation: String,
}

impl FeeRule {
    /// 164.524(c)(4) and OCR's flat-fee option, as the built-in rulebook states them.
    pub fn federal() -> FeeRule {
        use crate::case::model::FeeItemKind::*;
        FeeRule {
            citation: "45 CFR 164.524(c)(4)".into(),
            may_charge: vec![CopyingLabor, Supplies, Postage],
            summary_if_agreed: true,
            flat_fee_cap_cents: 650,
            flat_fee_citation: "HHS OCR access guidance on fees (2016): a flat fee of at most $6.50 for electronic copies of records kept electronically".into(),
        }
    }
}

/// A rule that forbids releasing a record item (RULEBOOK R27): when `forbidden_when`
/// holds for an item a proposal releases, the proposal draws `finding` (by default
/// `release-not-permitted`, an error) with this rule's citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseLimit {
    pub code: String,
    pub citation: String,
    /// Why the item may not go out, in a clinician's words.
    pub describe: String,
    #[serde(default = "release_not_permitted")]
    pub finding: String,
    pub forbidden_when: Condition,
}

fn release_not_permitted() -> String {
    "release-not-permitted".to_string()
}

/// What a ground code does in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroundKind {
    /// Withholds a record item from an access request.
    Withholding,
    /// Answers with a request for more (identity, a valid authorization).
    RequestInformation,
    /// A basis for releasing or disclosing.
    Disclosure,
    /// Cited for a purpose it never serves.
    NeverValid,
}

impl GroundKind {
    pub fn as_str(self) -> &'static str {
        match self {
            GroundKind::Withholding => "withholding",
            GroundKind::RequestInformation => "request_information",
            GroundKind::Disclosure => "disclosure",
            GroundKind::NeverValid => "never_valid",
        }
    }
}

/// Whether a denial on this ground can be reviewed (164.524(a)(3)-(4)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Review {
    Reviewable,
    None,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundRule {
    pub code: String,
    pub kind: GroundKind,
    pub citation: String,
    pub review: Review,
    /// The advisor may recommend this ground when it is valid (false: valid, never suggested).
    #[serde(default = "yes")]
    pub recommend: bool,
    pub describe: String,
    /// The ground in one line of plain language (about 70 characters), for the decision
    /// form's grounds picker. Optional in a clinic's own rulebook: `describe` stands in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub meaning: String,
    /// Why the ground fails, for the `invalid-ground` message.
    pub invalid_reason: String,
    pub valid_when: Condition,
    /// Disclosure grounds only: whether a disclosure on this ground enters the
    /// accounting of disclosures (45 CFR 164.528). Left out: included, since the
    /// exclusions of 164.528(a)(1) are an enumerated list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting: Option<Accounting>,
}

/// Whether disclosures on a ground enter the accounting of disclosures (164.528).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accounting {
    /// Every disclosure on the ground is entered (a 164.512 disclosure).
    Included,
    /// 164.528(a)(1) leaves it out, for the reason given (with its citation).
    Excluded(String),
}

fn yes() -> bool {
    true
}

impl GroundRule {
    /// The one-line meaning, or the description when the rulebook gives none.
    pub fn meaning_line(&self) -> &str {
        if self.meaning.trim().is_empty() {
            &self.describe
        } else {
            &self.meaning
        }
    }

    pub fn reviewable(&self) -> bool {
        self.review == Review::Reviewable
    }

    /// For a disclosure ground, whether its disclosures are accounted for; `None` for a
    /// withholding ground (nothing is disclosed on it).
    pub fn accounting(&self) -> Option<Accounting> {
        match self.kind {
            GroundKind::Disclosure => Some(self.accounting.clone().unwrap_or(Accounting::Included)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRule {
    pub code: String,
    pub severity: Severity,
    pub citation: String,
    pub describe: String,
}
