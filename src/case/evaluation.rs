//! Pane 1, the evaluation of harm (schema v1 `harm_evaluation:`): either done, with the
//! clinician's determination, or pending, assigned to a clinician since a day (issue 22).
//!
//! A pending evaluation holds no determination at all, never a placeholder: a clerk who
//! opens a case cannot write one, and a placeholder was read as a clinician's finding of
//! no harm. The advisor treats a pending evaluation as unknown (`rules::engine`).

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::answer::Answer;
use super::strict_date;

/// The evaluation of harm: done, or waiting for its clinician.
#[derive(Debug, Clone, PartialEq)]
pub enum HarmEvaluation {
    Done(Evaluation),
    Pending(PendingEvaluation),
}

/// `status: pending`: who was asked to evaluate, since when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingEvaluation {
    /// The clinician the evaluation is assigned to (name and credential).
    pub assigned_to: String,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub assigned_on: Option<NaiveDate>,
    /// A note while the evaluation is pending.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
}

/// A finished evaluation: the clinician's determination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    pub assessed_by: Assessor,
    #[serde(deserialize_with = "strict_date::required")]
    pub assessed_on: NaiveDate,
    pub at_risk: AtRisk,
    pub harm_type: HarmType,
    pub likelihood: Likelihood,
    pub imminence: Imminence,
    #[serde(default)]
    pub records: Vec<String>,
    #[serde(default)]
    pub factors: Vec<String>,
    #[serde(default)]
    pub summary: String,
    /// Kept from the pending evaluation, for the history: who it was assigned to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned_to: Option<String>,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub assigned_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessor {
    pub name: String,
    #[serde(default)]
    pub credential: String,
    /// Holds a current licence as a health care professional. Left out, it is unknown:
    /// the reviewable grounds need a licensed professional's determination.
    #[serde(
        default = "Answer::unknown",
        skip_serializing_if = "Answer::is_unknown"
    )]
    pub licensed: Answer,
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub treating: Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AtRisk {
    Patient,
    OtherPerson,
    Both,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HarmType {
    LifeOrPhysicalSafety,
    SubstantialHarm,
    EmotionalDistress,
    None,
}

/// Ordered from least to most likely, so `>=` compares likelihoods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    Remote,
    Possible,
    ReasonablyLikely,
    NearCertain,
}

/// Ordered from not at all to immediate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Imminence {
    None,
    Weeks,
    Days,
    Immediate,
}

/// `status:` of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStatus {
    Pending,
    Done,
}

/// The questions a pending evaluation must answer, in the words the advisor and the
/// intake use (issue 22): the determination the reviewable grounds rest on.
pub const EVALUATION_QUESTIONS: &str = "who is at risk (the patient, another person, both, none), the type of harm (life or physical safety, substantial harm, emotional distress, none), its likelihood (remote to near certain) and imminence (none to immediate), made by a licensed health care professional who says which record items it concerns";

impl HarmEvaluation {
    /// The determination, when the evaluation is done.
    pub fn done(&self) -> Option<&Evaluation> {
        match self {
            HarmEvaluation::Done(e) => Some(e),
            HarmEvaluation::Pending(_) => None,
        }
    }

    pub fn done_mut(&mut self) -> Option<&mut Evaluation> {
        match self {
            HarmEvaluation::Done(e) => Some(e),
            HarmEvaluation::Pending(_) => None,
        }
    }

    pub fn pending(&self) -> Option<&PendingEvaluation> {
        match self {
            HarmEvaluation::Pending(p) => Some(p),
            HarmEvaluation::Done(_) => None,
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, HarmEvaluation::Pending(_))
    }

    /// The record items the evaluation names (none while pending).
    pub fn records(&self) -> &[String] {
        self.done().map_or(&[], |e| e.records.as_slice())
    }

    /// The free text of the pane.
    pub fn summary(&self) -> &str {
        match self {
            HarmEvaluation::Done(e) => &e.summary,
            HarmEvaluation::Pending(p) => &p.summary,
        }
    }
}

/// Everything the file may say under `harm_evaluation:`; checked into a
/// [`HarmEvaluation`] by [`TryFrom`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvaluation {
    #[serde(default)]
    status: Option<EvaluationStatus>,
    #[serde(default)]
    assigned_to: Option<String>,
    #[serde(default, deserialize_with = "strict_date::optional")]
    assigned_on: Option<NaiveDate>,
    #[serde(default)]
    assessed_by: Option<Assessor>,
    #[serde(default, deserialize_with = "strict_date::optional")]
    assessed_on: Option<NaiveDate>,
    #[serde(default)]
    at_risk: Option<AtRisk>,
    #[serde(default)]
    harm_type: Option<HarmType>,
    #[serde(default)]
    likelihood: Option<Likelihood>,
    #[serde(default)]
    imminence: Option<Imminence>,
    #[serde(default)]
    records: Option<Vec<String>>,
    #[serde(default)]
    factors: Option<Vec<String>>,
    #[serde(default)]
    summary: String,
}

/// The keys of a finished evaluation that a pending one must not have.
pub const DETERMINATION_KEYS: &[&str] = &[
    "assessed_by",
    "assessed_on",
    "at_risk",
    "harm_type",
    "likelihood",
    "imminence",
    "records",
    "factors",
];

impl TryFrom<RawEvaluation> for HarmEvaluation {
    type Error = String;
    fn try_from(r: RawEvaluation) -> Result<HarmEvaluation, String> {
        if r.status == Some(EvaluationStatus::Pending) {
            let given = [
                r.assessed_by.is_some(),
                r.assessed_on.is_some(),
                r.at_risk.is_some(),
                r.harm_type.is_some(),
                r.likelihood.is_some(),
                r.imminence.is_some(),
                r.records.is_some(),
                r.factors.is_some(),
            ];
            if let Some(i) = given.iter().position(|g| *g) {
                return Err(format!(
                    "`{}` belongs to a finished evaluation; a pending one has none yet (remove `status: pending` once the evaluation is done)",
                    DETERMINATION_KEYS[i]
                ));
            }
            let assigned_to = r.assigned_to.ok_or(
                "a pending evaluation needs `assigned_to`: the clinician asked to evaluate",
            )?;
            return Ok(HarmEvaluation::Pending(PendingEvaluation {
                assigned_to,
                assigned_on: r.assigned_on,
                summary: r.summary,
            }));
        }
        let missing = |k: &str| format!("missing key `{k}`");
        Ok(HarmEvaluation::Done(Evaluation {
            assessed_by: r.assessed_by.ok_or_else(|| missing("assessed_by"))?,
            assessed_on: r.assessed_on.ok_or_else(|| missing("assessed_on"))?,
            at_risk: r.at_risk.ok_or_else(|| missing("at_risk"))?,
            harm_type: r.harm_type.ok_or_else(|| missing("harm_type"))?,
            likelihood: r.likelihood.ok_or_else(|| missing("likelihood"))?,
            imminence: r.imminence.ok_or_else(|| missing("imminence"))?,
            records: r.records.unwrap_or_default(),
            factors: r.factors.unwrap_or_default(),
            summary: r.summary,
            assigned_to: r.assigned_to,
            assigned_on: r.assigned_on,
        }))
    }
}

impl<'de> Deserialize<'de> for HarmEvaluation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<HarmEvaluation, D::Error> {
        let raw = RawEvaluation::deserialize(d)?;
        HarmEvaluation::try_from(raw).map_err(serde::de::Error::custom)
    }
}

impl Serialize for HarmEvaluation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Pending<'a> {
            status: EvaluationStatus,
            #[serde(flatten)]
            inner: &'a PendingEvaluation,
        }
        match self {
            HarmEvaluation::Done(e) => e.serialize(s),
            HarmEvaluation::Pending(p) => Pending {
                status: EvaluationStatus::Pending,
                inner: p,
            }
            .serialize(s),
        }
    }
}
