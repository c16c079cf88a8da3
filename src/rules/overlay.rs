//! State overlays: the rules marked STATE in RULEBOOK.md, per jurisdiction, as data.
//!
//! A jurisdiction without an overlay falls back to `US` (federal rules only) and the
//! advisor warns that state law was not checked.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateOverlay {
    /// `US` or `US-XX`.
    pub code: String,
    pub name: String,
    /// False only for the `US` fallback: nothing state-specific was applied.
    #[serde(default)]
    pub checked: bool,
    /// A state deadline for access shorter than 30 days (the shorter one wins, 160.203(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_days_citation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_to_warn: Option<DutyToWarn>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_abuse_reporting: Option<AdultAbuseReporting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_consent: Option<MinorConsent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DutyCategory {
    MandatoryStatute,
    MandatoryCaseLaw,
    Permissive,
    None,
    Unknown,
}

impl DutyCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            DutyCategory::MandatoryStatute => "mandatory_statute",
            DutyCategory::MandatoryCaseLaw => "mandatory_case_law",
            DutyCategory::Permissive => "permissive",
            DutyCategory::None => "none",
            DutyCategory::Unknown => "unknown",
        }
    }

    pub fn is_mandatory(self) -> bool {
        matches!(
            self,
            DutyCategory::MandatoryStatute | DutyCategory::MandatoryCaseLaw
        )
    }
}

/// Who may receive a warning or a threat disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Victim,
    LawEnforcement,
    MedicalPersonnel,
    Family,
    CrisisTeam,
}

impl Recipient {
    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Victim => "victim",
            Recipient::LawEnforcement => "law_enforcement",
            Recipient::MedicalPersonnel => "medical_personnel",
            Recipient::Family => "family",
            Recipient::CrisisTeam => "crisis_team",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Recipient::Victim => "the intended victim",
            Recipient::LawEnforcement => "law enforcement",
            Recipient::MedicalPersonnel => "medical personnel",
            Recipient::Family => "family",
            Recipient::CrisisTeam => "a crisis team",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyToWarn {
    pub category: DutyCategory,
    pub recipients: Vec<Recipient>,
    pub citation: String,
    #[serde(default)]
    pub discharge: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportingStatus {
    Mandatory,
    Permissive,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdultAbuseReporting {
    pub status: ReportingStatus,
    pub citation: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParentAccess {
    Restricted,
    Permitted,
    ProfessionalJudgment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinorConsent {
    pub parent_access: ParentAccess,
    pub citation: String,
}

impl StateOverlay {
    /// Fills what this state leaves unsaid from the `US` default.
    pub fn merged_with(&self, base: &StateOverlay) -> StateOverlay {
        StateOverlay {
            code: self.code.clone(),
            name: self.name.clone(),
            checked: self.checked,
            access_days: self.access_days.or(base.access_days),
            access_days_citation: self
                .access_days
                .and(self.access_days_citation.clone())
                .or_else(|| base.access_days_citation.clone()),
            duty_to_warn: self
                .duty_to_warn
                .clone()
                .or_else(|| base.duty_to_warn.clone()),
            adult_abuse_reporting: self
                .adult_abuse_reporting
                .clone()
                .or_else(|| base.adult_abuse_reporting.clone()),
            minor_consent: self
                .minor_consent
                .clone()
                .or_else(|| base.minor_consent.clone()),
        }
    }

    pub fn duty_category(&self) -> &'static str {
        self.duty_to_warn
            .as_ref()
            .map_or("unknown", |d| d.category.as_str())
    }

    pub fn duty_mandatory(&self) -> bool {
        self.duty_to_warn
            .as_ref()
            .is_some_and(|d| d.category.is_mandatory())
    }

    pub fn recipients(&self) -> &[Recipient] {
        self.duty_to_warn
            .as_ref()
            .map_or(&[], |d| d.recipients.as_slice())
    }

    pub fn victim_allowed(&self) -> bool {
        self.recipients().contains(&Recipient::Victim)
    }

    pub fn adult_reporting(&self) -> &'static str {
        match self.adult_abuse_reporting.as_ref().map(|a| a.status) {
            Some(ReportingStatus::Mandatory) => "mandatory",
            Some(ReportingStatus::Permissive) => "permissive",
            Some(ReportingStatus::None) | None => "none",
        }
    }

    pub fn parent_access(&self) -> &'static str {
        match self.minor_consent.as_ref().map(|m| m.parent_access) {
            Some(ParentAccess::Restricted) => "restricted",
            Some(ParentAccess::Permitted) => "permitted",
            Some(ParentAccess::ProfessionalJudgment) | None => "professional_judgment",
        }
    }

    /// Every citation this overlay carries (for the "no rule without a citation" check).
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::new();
        if self.access_days.is_some() {
            out.push((
                "access_days",
                self.access_days_citation.as_deref().unwrap_or(""),
            ));
        }
        if let Some(d) = &self.duty_to_warn {
            out.push(("duty_to_warn", d.citation.as_str()));
        }
        if let Some(a) = &self.adult_abuse_reporting {
            out.push(("adult_abuse_reporting", a.citation.as_str()));
        }
        if let Some(m) = &self.minor_consent {
            out.push(("minor_consent", m.citation.as_str()));
        }
        out
    }
}
