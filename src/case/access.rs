//! What an individual's access request asks for beyond the records: why (the purpose),
//! in what form (164.524(c)(2)), at what fee (164.524(c)(4)), and the clinic's own answers
//! that the information-blocking rule judges (a planned release date, 171.103; a request
//! it cannot fulfil, 171.204). Part of the case file, schema v1 (docs/CASE-FORMAT.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::strict_date;

fn is_false(b: &bool) -> bool {
    !*b
}

/// Why a request is made, where the law cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestPurpose {
    /// Treatment of the patient by the requesting provider (164.506(c)(2)).
    Treatment,
    /// Use in a civil, criminal, administrative or legislative proceeding (42 CFR 2.64).
    Proceeding,
    /// To investigate or prosecute the patient for a crime (42 CFR 2.65).
    InvestigateOrProsecutePatient,
    /// To investigate or prosecute the program or the holder of the records (42 CFR
    /// 2.66, 2.67).
    InvestigateProgram,
    /// A bona fide medical emergency in which the patient's consent cannot be obtained
    /// (42 CFR 2.51; under HIPAA, treatment).
    MedicalEmergency,
    Other,
}

/// The form in which the individual asks for the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessForm {
    PaperCopy,
    ElectronicCopy,
    Inspection,
    Summary,
}

impl AccessForm {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessForm::PaperCopy => "paper_copy",
            AccessForm::ElectronicCopy => "electronic_copy",
            AccessForm::Inspection => "inspection",
            AccessForm::Summary => "summary",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            AccessForm::PaperCopy => "a paper copy",
            AccessForm::ElectronicCopy => "an electronic copy",
            AccessForm::Inspection => "inspection",
            AccessForm::Summary => "a summary",
        }
    }
}

/// 164.524(c)(2): the form and format requested, and what the clinic can produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormRequest {
    pub requested: AccessForm,
    /// The format asked for, in the requester's words ("PDF by secure email").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The form and format asked for can readily be produced.
    #[serde(default)]
    pub readily_producible: bool,
    /// The records are kept electronically (an electronic health record).
    #[serde(default)]
    pub maintained_electronically: bool,
    /// What the clinic plans to provide; absent: what was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered: Option<AccessForm>,
    /// The individual agreed in advance to a summary (and to its fee) instead of the
    /// records (164.524(c)(2)(iii)).
    #[serde(default, skip_serializing_if = "is_false")]
    pub summary_agreed: bool,
}

/// How a fee was worked out (OCR's three methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeMethod {
    Actual,
    Average,
    Flat,
}

/// What a fee item charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeItemKind {
    CopyingLabor,
    Supplies,
    Postage,
    Summary,
    SearchAndRetrieval,
    Other,
}

impl FeeItemKind {
    /// In a sentence: "labour for copying", "supplies", ...
    pub fn words(self) -> &'static str {
        match self {
            FeeItemKind::CopyingLabor => "labour for copying",
            FeeItemKind::Supplies => "supplies",
            FeeItemKind::Postage => "postage",
            FeeItemKind::Summary => "a summary",
            FeeItemKind::SearchAndRetrieval => "search and retrieval",
            FeeItemKind::Other => "other costs",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FeeItemKind::CopyingLabor => "copying_labor",
            FeeItemKind::Supplies => "supplies",
            FeeItemKind::Postage => "postage",
            FeeItemKind::Summary => "summary",
            FeeItemKind::SearchAndRetrieval => "search_and_retrieval",
            FeeItemKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeItem {
    pub item: FeeItemKind,
    /// In US dollars, e.g. `12.50`.
    pub amount: f64,
    /// What an `other` item is, in the clinic's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The fee quoted for an individual's copy (164.524(c)(4)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeQuote {
    pub method: FeeMethod,
    /// The individual was told the (approximate) fee before the copy was made.
    #[serde(default)]
    pub told_in_advance: bool,
    pub items: Vec<FeeItem>,
}

impl FeeQuote {
    /// The total, in cents (amounts are rounded to the cent).
    pub fn total_cents(&self) -> i64 {
        self.items.iter().map(|i| cents(i.amount)).sum()
    }
}

/// Dollars to cents, rounded.
pub fn cents(amount: f64) -> i64 {
    (amount * 100.0).round() as i64
}

/// A planned release date: a delay of access (45 CFR 171.103).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlannedRelease {
    #[serde(deserialize_with = "strict_date::required")]
    pub on: NaiveDate,
    /// Which items wait (record ids); empty: every item released.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// 45 CFR 171.204: the request cannot be fulfilled; the reasons go to the requester in
/// writing within 10 business days of receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Infeasibility {
    pub reason: String,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub reply_sent: Option<NaiveDate>,
}
