//! A disclosure concern (schema v1, `concern:`): something in care that may justify or
//! require a disclosure without a request, and the facts the rulebook's disclosure
//! grounds look at.

use serde::{Deserialize, Serialize};

use super::answer::Answer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concern {
    #[serde(rename = "type")]
    pub kind: ConcernKind,
    pub statement: String,
    #[serde(default)]
    pub identifiable_victim: Answer,
    #[serde(default)]
    pub means: Answer,
    #[serde(default)]
    pub imminent: Answer,
    #[serde(default)]
    pub patient_agrees_to_report: Answer,
    /// Who the disclosure would go to (disclosures without a request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<ConcernRecipient>,
    /// The information to disclose includes Part 2 records (42 CFR Part 2).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub part2_records: Answer,
    /// The patient's written Part 2 consent covers this disclosure (42 CFR 2.31, 2.33).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub part2_consent: Answer,
    /// A business associate agreement (164.504(e)) or qualified service organization
    /// agreement (42 CFR 2.11) is in place with the recipient.
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub agreement: Answer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcernKind {
    ThreatToOthers,
    ThreatToSelf,
    ChildAbuse,
    ElderAbuse,
    VulnerableAdultAbuse,
    CourtOrder,
    LawEnforcementRequest,
    /// A disclosure to another provider for the patient's treatment (164.506(c)(2)).
    Treatment,
    /// A routine disclosure to a business associate or qualified service organization
    /// under an agreement (164.502(e); 42 CFR 2.11, 2.12(c)(4)).
    BusinessAssociate,
    /// A bona fide medical emergency (42 CFR 2.51; 164.506(c)).
    MedicalEmergency,
    /// A report a state law requires, other than abuse (164.512(a)): the overlay's
    /// `mandated_report`.
    RequiredByLaw,
}

/// Who a disclosure without a request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConcernRecipient {
    Provider,
    MedicalPersonnel,
    BusinessAssociate,
    QualifiedServiceOrganization,
    GovernmentAgency,
    LawEnforcement,
    Family,
    Victim,
    Other,
}
