//! The case file, schema v1 (DESIGN.md section 2), as typed data.
//!
//! Every struct rejects unknown keys: in legal facts a typo must not pass silently.
//! Serialization is derived too so that tests and generators can write case files.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use super::access::{
    AccessForm, FeeItem, FeeItemKind, FeeMethod, FeeQuote, FormRequest, Infeasibility,
    PlannedRelease, RequestPurpose, cents,
};
pub use super::answer::{Answer, Assumed, Slot};
pub use super::arrival::{
    Arrival, Authority, AuthorityDocument, Channel, Delivery, DeliveryMethod, IdentityCheck,
    IdentityMethod, Urgency,
};
pub use super::concern::{Concern, ConcernKind, ConcernRecipient};
pub use super::evaluation::{
    Assessor, AtRisk, EVALUATION_QUESTIONS, Evaluation, HarmEvaluation, HarmType, Imminence,
    Likelihood, PendingEvaluation,
};
pub use super::outcome::{Outcome, Recommendation};
pub use super::part2::{Part2ConsentKind, Part2OrderSection, Part2Source};
use super::strict_date;

/// One disclosure case, exactly as its file states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    pub title: String,
    pub kind: CaseKind,
    #[serde(deserialize_with = "strict_date::required")]
    pub received: NaiveDate,
    pub jurisdiction: String,
    /// How and when exactly it arrived (issue 22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<Arrival>,
    /// The earlier case this one continues (a decided case is never edited: a new case
    /// follows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<String>,
    #[serde(default)]
    pub entity: Entity,
    pub patient: Patient,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Request>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concern: Option<Concern>,
    pub harm_evaluation: HarmEvaluation,
    #[serde(default)]
    pub consultations: Vec<Consultation>,
    #[serde(default)]
    pub documentation: Vec<Document>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub practice: Option<Practice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    AccessRequest,
    DisclosureConcern,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub federal_agency: bool,
    #[serde(default)]
    pub correctional: bool,
    #[serde(default)]
    pub part2_program: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    #[serde(rename = "ref")]
    pub reference: String,
    pub age: u32,
    #[serde(default)]
    pub emancipated: Answer,
    #[serde(default)]
    pub incarcerated: Answer,
    #[serde(default)]
    pub research_suspension_agreed: Answer,
    /// The patient has died (164.502(f): PHI stays protected for 50 years after death).
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub date_of_death: Option<NaiveDate>,
    /// A deceased patient had said that family should not be told (164.510(b)(5)).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub objected_to_family_disclosure: Answer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub requester: Requester,
    pub instrument: Instrument,
    pub records: Vec<RecordItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Extension>,
    /// What the requester wants the records for, where it matters: treatment by another
    /// provider (164.506(c)(2)), or a proceeding, which decides the Part 2 court order
    /// required (42 CFR 2.64, 2.65, 2.66/2.67).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<RequestPurpose>,
    /// The patient (a minor, for a parent's request), told of the request, objects to it
    /// (state law may let that stop a parent's access: the overlay's `minor_objection`).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub patient_objects: Answer,
    /// The form and format asked for (164.524(c)(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormRequest>,
    /// The fee quoted for the individual's copy (164.524(c)(4)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<FeeQuote>,
    /// A date the clinic plans to release (some of) the records on: a delay, judged like a
    /// denial under the information-blocking rule (45 CFR 171.103).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_release: Option<PlannedRelease>,
    /// The clinic cannot fulfil the request (45 CFR 171.204): the written reasons are due
    /// within 10 business days of receipt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infeasible: Option<Infeasibility>,
    /// How the records are to reach the requester (issue 22).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// The requester's own date or urgency: not a legal deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<Urgency>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requester {
    pub name: String,
    pub relationship: Relationship,
    /// `unknown` counts as not verified: verifying is knowing who asks (164.514(h)).
    #[serde(default)]
    pub identity_verified: Answer,
    /// How, by whom and when identity was checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_check: Option<IdentityCheck>,
    /// The requester's authority to act for the patient, and whether it was shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Authority>,
    /// Postal or email address: the recipient's address that the accounting of
    /// disclosures needs (164.528(b)(2)(ii)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Family or another person involved in a deceased patient's care or its payment
    /// (164.510(b)(5)).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub involved_in_care: Answer,
    /// The provider's documented belief that this representative abuses, neglects or
    /// endangers the patient (164.502(g)(5)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endangerment: Option<Endangerment>,
    /// A business associate or qualified service organization agreement is in place with
    /// the requester (164.504(e); 42 CFR 2.11).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub agreement: Answer,
}

/// 164.502(g)(5): the provider may decline to treat a person as personal representative
/// when it reasonably believes the patient has been or may be subjected to domestic
/// violence, abuse or neglect by that person, or that treating them as representative
/// could endanger the patient, and a professional judges it not in the patient's best
/// interest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endangerment {
    pub belief: EndangermentKind,
    #[serde(deserialize_with = "strict_date::required")]
    pub documented_on: NaiveDate,
    /// Who documented it (name and credential).
    pub documented_by: String,
    /// The professional judgment that treating the requester as personal representative
    /// is not in the patient's best interest (164.502(g)(5)(ii)).
    #[serde(default)]
    pub not_in_best_interest: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndangermentKind {
    Abuse,
    Neglect,
    DomesticViolence,
    Endangerment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    #[serde(rename = "self")]
    SelfPatient,
    PersonalRepresentative,
    Parent,
    /// The executor or administrator of a deceased patient's estate (164.502(g)(4)).
    Executor,
    Attorney,
    Insurer,
    Family,
    Employer,
    Provider,
    /// A business associate of the clinic (164.502(e)), asking under its agreement.
    BusinessAssociate,
    /// A qualified service organization of a Part 2 program (42 CFR 2.11, 2.12(c)(4)).
    QualifiedServiceOrganization,
    Court,
    LawEnforcement,
    GovernmentAgency,
    Other,
}

impl Relationship {
    /// Could be treated as the individual under 164.502(g) (subject to the patient's age,
    /// death, and the minor and abuse carve-outs: see [`Case::requester_is_representative`]).
    pub fn is_patient_or_representative(self) -> bool {
        matches!(
            self,
            Relationship::SelfPatient
                | Relationship::PersonalRepresentative
                | Relationship::Parent
                | Relationship::Executor
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    #[serde(rename = "type")]
    pub kind: InstrumentKind,
    #[serde(default)]
    pub signed: Answer,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub dated: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Expiry>,
    #[serde(default)]
    pub judge_signed: Answer,
    #[serde(default)]
    pub patient_notified: Answer,
    #[serde(default)]
    pub protective_order: Answer,
    #[serde(default)]
    pub covers_psychotherapy_notes: Answer,
    #[serde(default)]
    pub part2_court_order: Answer,
    /// The section of 42 CFR Part 2 the court order was made under; `part2_court_order:
    /// true` without it means 2.64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part2_order: Option<Part2OrderSection>,
    /// A separate consent for SUD counseling notes was presented (42 CFR 2.31(b)).
    #[serde(default, skip_serializing_if = "Answer::is_no")]
    pub covers_sud_counseling_notes: Answer,
    /// What the instrument covers, as record ids or categories, separately from what the
    /// request asks for (`records`). Absent: it covers every item asked for, except
    /// psychotherapy notes and SUD counseling notes unless it names them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The date the instrument itself sets for production (a subpoena's return date, an
    /// order's compliance date): the deadline of a request that has no access clock.
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub return_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    None,
    WrittenRequest,
    Authorization,
    PatientDirection,
    CourtOrder,
    Subpoena,
    Warrant,
    AdministrativeRequest,
    Statute,
}

/// An authorization's expiry: a date, or an event (`event: end of litigation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Expiry {
    Date(#[serde(deserialize_with = "strict_date::required")] NaiveDate),
    Event(ExpiryEvent),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpiryEvent {
    pub event: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordItem {
    pub id: String,
    pub description: String,
    pub category: RecordCategory,
    /// Psychotherapy notes kept apart from the chart (164.501). Left out, it is unknown:
    /// "ask the therapist", never "release the notes".
    #[serde(
        default = "Answer::unknown",
        skip_serializing_if = "Answer::is_unknown"
    )]
    pub kept_separately: Answer,
    /// The three facts by which a minor, not the parent, controls this care
    /// (164.502(g)(3)(i)(A)-(C)). Left out, each is unknown: it matters only on a
    /// parent's request for a minor's record, where the advisor then asks.
    #[serde(
        default = "Answer::unknown",
        skip_serializing_if = "Answer::is_unknown"
    )]
    pub minor_consented_alone: Answer,
    /// Care of a minor that a court ordered or consented to (164.502(g)(3)(i)(B)).
    #[serde(
        default = "Answer::unknown",
        skip_serializing_if = "Answer::is_unknown"
    )]
    pub court_ordered_care: Answer,
    /// Care the parent agreed to keep confidential between the minor and the provider
    /// (164.502(g)(3)(i)(C)).
    #[serde(
        default = "Answer::unknown",
        skip_serializing_if = "Answer::is_unknown"
    )]
    pub parent_agreed_confidentiality: Answer,
    /// The item came from a Part 2 program: it stays protected in this holder's hands
    /// (42 CFR 2.12(d)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_from_part2: Option<Part2Source>,
}

impl RecordItem {
    /// Care the minor, not the parent, controls (164.502(g)(3)(i)(A)-(C)), under
    /// `assumed` for unknown answers.
    pub fn minor_controls(&self, assumed: &Assumed) -> bool {
        let id = self.id.as_str();
        self.minor_consented_alone
            .under(assumed, Slot::record("record.minor_consented_alone", id))
            || self
                .court_ordered_care
                .under(assumed, Slot::record("record.court_ordered_care", id))
            || self.parent_agreed_confidentiality.under(
                assumed,
                Slot::record("record.parent_agreed_confidentiality", id),
            )
    }

    /// Kept separately from the chart, under `assumed`.
    pub fn kept_separately(&self, assumed: &Assumed) -> bool {
        self.kept_separately
            .under(assumed, Slot::record("record.kept_separately", &self.id))
    }

    /// Protected by 42 CFR Part 2, whoever holds it: a program's record (its SUD records
    /// or SUD counseling notes), or one received from a program (2.12(d)).
    pub fn part2(&self) -> bool {
        matches!(
            self.category,
            RecordCategory::SudProgram | RecordCategory::SudCounselingNotes
        ) || self.received_from_part2.is_some()
    }

    /// Notes that need their own authorization or consent: psychotherapy notes kept
    /// separately (164.508(a)(2), (b)(3)(ii)) and SUD counseling notes (42 CFR 2.31(b)).
    pub fn separate_notes(&self, assumed: &Assumed) -> bool {
        match self.category {
            RecordCategory::PsychotherapyNotes => self.kept_separately(assumed),
            RecordCategory::SudCounselingNotes => true,
            _ => false,
        }
    }
}

/// The wire names of [`RecordCategory`], for messages that list the allowed values.
pub const CATEGORIES: &[&str] = &[
    "chart",
    "psychotherapy_notes",
    "litigation_material",
    "sud_program",
    "sud_counseling_notes",
    "research",
    "confidential_source",
    "references_other_person",
    "correctional_security",
    "billing",
    "lab",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordCategory {
    Chart,
    PsychotherapyNotes,
    LitigationMaterial,
    SudProgram,
    /// 42 CFR 2.11: a Part 2 program counselor's notes on a counseling session, kept
    /// apart from the rest of the record; they need their own consent (2.31(b)).
    SudCounselingNotes,
    Research,
    ConfidentialSource,
    ReferencesOtherPerson,
    CorrectionalSecurity,
    Billing,
    Lab,
}

impl RecordCategory {
    /// How a written notice names a withheld item of this category: neutral words that
    /// say what kind of record it is and nothing of its content (RULEBOOK R31). The
    /// item's own description, written for the reviewer, may hold the very facts the
    /// denial protects (another person's address, a confidential source's account).
    pub fn neutral_label(self) -> &'static str {
        match self {
            RecordCategory::Chart => "part of your clinical record",
            RecordCategory::PsychotherapyNotes => "psychotherapy notes",
            RecordCategory::LitigationMaterial => "material prepared for a legal proceeding",
            RecordCategory::SudProgram => "substance use disorder program records",
            RecordCategory::SudCounselingNotes => "substance use disorder counseling notes",
            RecordCategory::Research => "records of a research study",
            RecordCategory::ConfidentialSource => "information given to us in confidence",
            RecordCategory::ReferencesOtherPerson => "information about another person",
            RecordCategory::CorrectionalSecurity => "records withheld for safety and security",
            RecordCategory::Billing => "billing records",
            RecordCategory::Lab => "laboratory records",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    #[serde(deserialize_with = "strict_date::required")]
    pub notice_sent: NaiveDate,
    #[serde(deserialize_with = "strict_date::required")]
    pub new_due: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    pub with: Consultant,
    #[serde(deserialize_with = "strict_date::required")]
    pub on: NaiveDate,
    #[serde(default)]
    pub recommendation: Recommendation,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consultant {
    pub name: String,
    pub role: ConsultantRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultantRole {
    Supervisor,
    Colleague,
    LegalCounsel,
    PrivacyOfficer,
    EthicsCommittee,
    Psychiatrist,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: String,
    pub kind: DocumentKind,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub dated: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default)]
    pub summary: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Request,
    Authorization,
    CourtOrder,
    Subpoena,
    Assessment,
    Correspondence,
    ExtensionNotice,
    Policy,
    Note,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    pub reference: Reference,
}

/// The reference decision of a training case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    pub outcome: Outcome,
    #[serde(default)]
    pub grounds: Vec<String>,
    /// Record id -> ground code, for partial outcomes. Ordered for stable output.
    #[serde(default)]
    pub withhold: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub explanation: String,
}

impl Case {
    /// The record items of an access request (empty for a disclosure concern).
    pub fn records(&self) -> &[RecordItem] {
        self.request.as_ref().map_or(&[], |r| r.records.as_slice())
    }

    /// Who is asking, for one-line displays.
    pub fn requester_name(&self) -> Option<&str> {
        self.request.as_ref().map(|r| r.requester.name.as_str())
    }

    /// Under 18 and not emancipated (an unknown `emancipated` read as "no": the
    /// parent's clock runs).
    pub fn patient_is_minor(&self) -> bool {
        self.patient_is_minor_under(&Assumed::none())
    }

    /// Under 18 and not emancipated, under `assumed` for an unknown `emancipated`.
    pub fn patient_is_minor_under(&self, assumed: &Assumed) -> bool {
        self.patient.age < 18
            && !self
                .patient
                .emancipated
                .under(assumed, Slot::case("patient.emancipated"))
    }

    pub fn patient_is_deceased(&self) -> bool {
        self.patient.date_of_death.is_some()
    }

    /// 164.502(f): a deceased patient's information stops being PHI 50 years after death;
    /// counted to the day the request was received.
    pub fn deceased_over_50_years(&self) -> bool {
        self.patient
            .date_of_death
            .and_then(|d| d.checked_add_months(chrono::Months::new(50 * 12)))
            .is_some_and(|end| end < self.received)
    }

    /// A personal representative (164.502(g)): someone with authority to act for the
    /// patient, the parent of an unemancipated minor ((g)(3)), or the executor or
    /// administrator of a deceased patient ((g)(4)). A parent of an adult, or an executor
    /// of a living patient, is not. Taken as the relationship states it: the deadline and
    /// the checks of the file read it so (the clock runs while the authority is checked).
    pub fn requester_is_representative(&self) -> bool {
        match self.request.as_ref().map(|r| r.requester.relationship) {
            Some(Relationship::PersonalRepresentative) => true,
            Some(Relationship::Parent) => self.patient_is_minor(),
            Some(Relationship::Executor) => self.patient_is_deceased(),
            _ => false,
        }
    }

    /// As [`Case::requester_is_representative`], for the advisor: under `assumed` for an
    /// unknown `emancipated`, and only with the authority shown where the case records
    /// one (`requester.authority.shown`: `false` is no representative, `unknown` is
    /// asked about).
    pub fn requester_is_representative_under(&self, assumed: &Assumed) -> bool {
        let Some(req) = self.request.as_ref() else {
            return false;
        };
        let by_relationship = match req.requester.relationship {
            Relationship::PersonalRepresentative => true,
            Relationship::Parent => self.patient_is_minor_under(assumed),
            Relationship::Executor => self.patient_is_deceased(),
            _ => false,
        };
        by_relationship
            && req.requester.authority.as_ref().is_none_or(|a| {
                a.shown
                    .under(assumed, Slot::case("requester.authority_shown"))
            })
    }

    /// The patient, or someone treated as the patient (164.502(g)).
    pub fn requester_is_individual(&self) -> bool {
        self.requester_is_representative()
            || self.request.as_ref().map(|r| r.requester.relationship)
                == Some(Relationship::SelfPatient)
    }

    /// As [`Case::requester_is_individual`], for the advisor (see
    /// [`Case::requester_is_representative_under`]).
    pub fn requester_is_individual_under(&self, assumed: &Assumed) -> bool {
        self.requester_is_representative_under(assumed)
            || self.request.as_ref().map(|r| r.requester.relationship)
                == Some(Relationship::SelfPatient)
    }

    /// The individual's own access under 164.524: a request by the individual, or the
    /// patient's direction to send a copy to a third party (164.524(c)(3)(ii)). Only these
    /// run on the 30-day access clock.
    pub fn is_own_access(&self) -> bool {
        self.kind == CaseKind::AccessRequest
            && (self.requester_is_individual()
                || self
                    .request
                    .as_ref()
                    .is_some_and(|r| r.instrument.kind == InstrumentKind::PatientDirection))
    }
}

impl CaseKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::AccessRequest => "access_request",
            CaseKind::DisclosureConcern => "disclosure_concern",
        }
    }
}

/// A value's wire name (its serde name, e.g. `personal_representative`), or "" for a
/// value that does not serialise to a string.
pub fn snake<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}
