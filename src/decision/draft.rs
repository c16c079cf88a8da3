//! A half-written decision, exactly as the decision form holds it (codes as typed, not
//! yet checked), saved as the reviewer types and offered back when the case is opened
//! again. Kept by [`crate::store::drafts`]; turned into a proposal by [`super::stated`].

use serde::{Deserialize, Serialize};

use crate::case::Outcome;
use crate::store::drafts::PerCase;

pub use crate::store::drafts::{DraftError, drafts_dir, list, remove};

/// A half-written decision, exactly as the decision form holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub case: String,
    /// The case file the reviewer was looking at; a changed case is pointed out on resume.
    #[serde(default)]
    pub case_sha256: String,
    /// When it was saved, RFC 3339 UTC.
    #[serde(default)]
    pub saved: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Case-level ground codes as typed (comma or space separated).
    #[serde(default)]
    pub grounds: String,
    #[serde(default)]
    pub records: Vec<DraftRecord>,
    #[serde(default)]
    pub disclosures: Vec<DraftDisclosure>,
    /// Advisor findings the reviewer overrides, each with a justification.
    #[serde(default)]
    pub overrides: Vec<DraftOverride>,
    #[serde(default)]
    pub rationale: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftOverride {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub justification: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftRecord {
    pub id: String,
    pub withhold: bool,
    /// Ground codes as typed (comma or space separated).
    #[serde(default)]
    pub grounds: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftDisclosure {
    #[serde(default)]
    pub recipient: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub purpose: String,
}

impl PerCase for Draft {
    fn case_id(&self) -> &str {
        &self.case
    }
}

/// Saves `draft` in this user's drafts directory. Returns the file's path.
pub fn save(draft: &Draft) -> Result<std::path::PathBuf, DraftError> {
    crate::store::drafts::save(draft)
}

/// The draft of `case_id`, if there is one.
pub fn load(case_id: &str) -> Result<Option<Draft>, DraftError> {
    crate::store::drafts::load(case_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_draft_round_trips_through_the_store() {
        let tmp = tempfile::tempdir().unwrap();
        let d = Draft {
            case: "AR-2026-0101".into(),
            case_sha256: "ab".repeat(32),
            saved: "2026-11-23T18:00:00Z".into(),
            outcome: Some(Outcome::ReleasePartial),
            grounds: "right-of-access".into(),
            records: vec![DraftRecord {
                id: "notes".into(),
                withhold: true,
                grounds: "psychotherapy-notes".into(),
            }],
            disclosures: vec![DraftDisclosure {
                recipient: "M. Reyes".into(),
                ..DraftDisclosure::default()
            }],
            overrides: vec![DraftOverride {
                code: "R12".into(),
                justification: "the court order covers it".into(),
            }],
            rationale: "line one\nline: two # not a comment\n".into(),
        };
        crate::store::drafts::save_in(tmp.path(), &d).unwrap();
        let back: Option<Draft> = crate::store::drafts::load_in(tmp.path(), &d.case).unwrap();
        assert_eq!(back, Some(d));
    }
}
