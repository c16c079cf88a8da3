//! State overlays: the rules marked STATE in RULEBOOK.md, per jurisdiction, as data.
//!
//! A jurisdiction without an overlay falls back to `US` (federal rules only) and the
//! advisor warns that state law was not checked.

use serde::{Deserialize, Serialize};

use super::condition::{Cond, Condition};
use crate::case::model::Relationship;

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
    /// Whether `access_days` counts calendar days (the default) or business days.
    #[serde(default, skip_serializing_if = "DayUnit::is_calendar")]
    pub access_day_unit: DayUnit,
    /// Days (in `access_day_unit`) the state's own law lets a written notice giving the
    /// reasons add after its period. Absent: the state's period has no extension, and a
    /// 164.524(b)(2) extension cannot carry the answer past it (160.203(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_extension_days: Option<i64>,
    /// The state's access period was researched: with no `access_days`, the state sets
    /// none shorter than the federal 30 days. False (the default, and for every state
    /// without `access_days`): an own-access case carries `state-law-unchecked`.
    #[serde(default)]
    pub access_checked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duty_to_warn: Option<DutyToWarn>,
    /// The state's law on disclosing to prevent harm in an emergency, where it limits who
    /// may be told (cited for a threat to self, which duty-to-warn statutes do not cover).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_disclosure_citation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adult_abuse_reporting: Option<AdultAbuseReporting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_consent: Option<MinorConsent>,
    /// Periods that apply to some requests only (a form asked for, an electronic record),
    /// each with its condition over the case's facts. With `access_days` (which applies to
    /// every request), the shortest that applies wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_periods: Vec<ConditionalPeriod>,
    /// Who may see the records under the state's own law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_who: Option<CitedText>,
    /// The state's own review of a denial of access, which the written denial must name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denial_review: Vec<DenialReview>,
    /// What was read of the state's access law but not confirmed (shown with
    /// `state-law-unchecked`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_research_note: Option<String>,
    /// A report the state's law requires other than abuse (164.512(a)), in the shape of
    /// `duty_to_warn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandated_report: Option<MandatedReport>,
    /// A minor's objection to a parent's access under state law.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor_objection: Option<MinorObjection>,
}

/// A state access period that applies only when its condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionalPeriod {
    pub days: i64,
    #[serde(default, skip_serializing_if = "DayUnit::is_calendar")]
    pub unit: DayUnit,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_days: Option<i64>,
    pub citation: String,
    /// The requests it applies to, in words.
    pub describe: String,
    pub when: Condition,
}

/// A statement of the law with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitedText {
    pub describe: String,
    pub citation: String,
}

/// The state's own review of a denial (a second professional, a review committee, a
/// court), for the requesters it serves (empty: any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenialReview {
    pub describe: String,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requesters: Vec<Relationship>,
}

impl DenialReview {
    pub fn serves(&self, rel: Option<Relationship>) -> bool {
        self.requesters.is_empty() || rel.is_some_and(|r| self.requesters.contains(&r))
    }
}

/// A report state law requires, other than abuse (164.512(a)): e.g. New York's report of
/// a patient likely to cause serious harm (Mental Hygiene Law 9.46).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MandatedReport {
    pub category: MandateCategory,
    /// To whom the report goes.
    pub recipient: String,
    pub citation: String,
    #[serde(default)]
    pub discharge: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MandateCategory {
    Mandatory,
    Permissive,
    None,
    Unknown,
}

impl MandateCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            MandateCategory::Mandatory => "mandatory",
            MandateCategory::Permissive => "permissive",
            MandateCategory::None => "none",
            MandateCategory::Unknown => "unknown",
        }
    }
}

/// State law on a minor's objection to a parent's access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinorObjection {
    /// The youngest age at which the objection counts.
    pub from_age: u32,
    pub effect: ObjectionEffect,
    pub citation: String,
    pub describe: String,
}

impl MinorObjection {
    pub fn stops_access(&self) -> bool {
        self.effect == ObjectionEffect::StopsAccess
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectionEffect {
    /// The parent has no access while the minor objects.
    StopsAccess,
    /// The provider may deny the parent's request (a professional judgment).
    ProviderMayDeny,
}

/// How a state's access period is counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    #[default]
    Calendar,
    /// Monday to Friday; public holidays are not modelled.
    Business,
}

impl DayUnit {
    pub fn is_calendar(&self) -> bool {
        *self == DayUnit::Calendar
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DayUnit::Calendar => "calendar",
            DayUnit::Business => "business",
        }
    }
}

/// A state's own period for answering the individual's access request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPeriod {
    pub days: i64,
    pub unit: DayUnit,
    /// What the state's law lets a written notice of the reasons add (same unit);
    /// `None`: no extension past the state's period.
    pub extension_days: Option<i64>,
    pub citation: String,
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
            // The unit and the extension belong to whichever overlay set the period.
            access_day_unit: if self.access_days.is_some() {
                self.access_day_unit
            } else {
                base.access_day_unit
            },
            access_extension_days: if self.access_days.is_some() {
                self.access_extension_days
            } else {
                base.access_extension_days
            },
            access_checked: self.access_checked || self.access_days.is_some(),
            duty_to_warn: self
                .duty_to_warn
                .clone()
                .or_else(|| base.duty_to_warn.clone()),
            emergency_disclosure_citation: self
                .emergency_disclosure_citation
                .clone()
                .or_else(|| base.emergency_disclosure_citation.clone()),
            adult_abuse_reporting: self
                .adult_abuse_reporting
                .clone()
                .or_else(|| base.adult_abuse_reporting.clone()),
            minor_consent: self
                .minor_consent
                .clone()
                .or_else(|| base.minor_consent.clone()),
            // A state's conditional periods, review and notes are its own.
            access_periods: self.access_periods.clone(),
            access_who: self.access_who.clone().or_else(|| base.access_who.clone()),
            denial_review: self.denial_review.clone(),
            access_research_note: self.access_research_note.clone(),
            mandated_report: self
                .mandated_report
                .clone()
                .or_else(|| base.mandated_report.clone()),
            minor_objection: self
                .minor_objection
                .clone()
                .or_else(|| base.minor_objection.clone()),
        }
    }

    /// The overlay's mandated-report category (`unknown` when not researched).
    pub fn mandated_category(&self) -> &'static str {
        self.mandated_report
            .as_ref()
            .map_or("unknown", |m| m.category.as_str())
    }

    /// The state's own period for the individual's access, if the overlay sets one. The
    /// deadline takes whichever of it and the federal 30 days ends first (160.203(b)).
    pub fn state_access_period(&self) -> Option<AccessPeriod> {
        let days = self.access_days?;
        Some(AccessPeriod {
            days,
            unit: self.access_day_unit,
            extension_days: self.access_extension_days,
            citation: self
                .access_days_citation
                .clone()
                .unwrap_or_else(|| format!("{} access law", self.name)),
        })
    }

    /// Was the state's own access period researched (a period, or none shorter)?
    pub fn access_period_checked(&self) -> bool {
        self.access_checked || self.access_days.is_some()
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
        if let Some(c) = &self.emergency_disclosure_citation {
            out.push(("emergency_disclosure_citation", c.as_str()));
        }
        if let Some(m) = &self.minor_consent {
            out.push(("minor_consent", m.citation.as_str()));
        }
        for p in &self.access_periods {
            out.push(("access_periods", p.citation.as_str()));
        }
        if let Some(w) = &self.access_who {
            out.push(("access_who", w.citation.as_str()));
        }
        for r in &self.denial_review {
            out.push(("denial_review", r.citation.as_str()));
        }
        if let Some(m) = &self.mandated_report {
            out.push(("mandated_report", m.citation.as_str()));
        }
        if let Some(m) = &self.minor_objection {
            out.push(("minor_objection", m.citation.as_str()));
        }
        out
    }

    /// The state's conditional access periods, compiled (parallel to `access_periods`).
    pub(crate) fn compile_periods(&self) -> Result<Vec<Cond>, String> {
        self.access_periods
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.when
                    .compile(&format!("state `{}` access period {}", self.code, i + 1))
            })
            .collect()
    }
}
