//! The outcomes of a decision (DESIGN.md section 3) and a consultant's recommendation,
//! which names one. Re-exported from [`super::model`].

use serde::{Deserialize, Serialize};

/// A consultant's recommendation: an outcome, or `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    #[default]
    None,
    ReleaseFull,
    ReleasePartial,
    Deny,
    RequestInformation,
    WarnAndProtect,
    Report,
    MaintainConfidentiality,
}

impl Recommendation {
    pub fn outcome(self) -> Option<Outcome> {
        Some(match self {
            Recommendation::None => return None,
            Recommendation::ReleaseFull => Outcome::ReleaseFull,
            Recommendation::ReleasePartial => Outcome::ReleasePartial,
            Recommendation::Deny => Outcome::Deny,
            Recommendation::RequestInformation => Outcome::RequestInformation,
            Recommendation::WarnAndProtect => Outcome::WarnAndProtect,
            Recommendation::Report => Outcome::Report,
            Recommendation::MaintainConfidentiality => Outcome::MaintainConfidentiality,
        })
    }
}

/// The outcomes of DESIGN.md section 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    ReleaseFull,
    ReleasePartial,
    Deny,
    RequestInformation,
    WarnAndProtect,
    Report,
    MaintainConfidentiality,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::ReleaseFull,
        Outcome::ReleasePartial,
        Outcome::Deny,
        Outcome::RequestInformation,
        Outcome::WarnAndProtect,
        Outcome::Report,
        Outcome::MaintainConfidentiality,
    ];

    /// The snake_case name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::ReleaseFull => "release_full",
            Outcome::ReleasePartial => "release_partial",
            Outcome::Deny => "deny",
            Outcome::RequestInformation => "request_information",
            Outcome::WarnAndProtect => "warn_and_protect",
            Outcome::Report => "report",
            Outcome::MaintainConfidentiality => "maintain_confidentiality",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Is this outcome carried out by something provided (records released, a denial's
    /// written notice sent, a concern's disclosure made)? Not a request for information,
    /// nor confidentiality maintained.
    pub fn needs_provision(self) -> bool {
        matches!(
            self,
            Outcome::ReleaseFull
                | Outcome::ReleasePartial
                | Outcome::Deny
                | Outcome::WarnAndProtect
                | Outcome::Report
        )
    }

    /// Does this outcome withhold something the requester asked for (and so need a notice)?
    pub fn is_denial(self) -> bool {
        matches!(self, Outcome::ReleasePartial | Outcome::Deny)
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
