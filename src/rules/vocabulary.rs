//! The fact vocabulary: every fact name a rulebook condition may use, with its values.

use serde::{Deserialize, Serialize};

// The values a case file may hold, as the case schema lists them (one list each).
use crate::case::schema::{IMMINENCE, INSTRUMENTS, KINDS, LIKELIHOOD, RELATIONSHIPS};

/// A fact's value, and the values conditions compare against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Value {
    pub(crate) fn s(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

/// What values a fact takes.
#[derive(Debug, Clone, Copy)]
pub enum FactType {
    Bool,
    Int,
    /// One of these names, unordered.
    Enum(&'static [&'static str]),
    /// One of these names, from lowest to highest (so `at_least` works).
    Ordered(&'static [&'static str]),
    /// Free text (compared with `is`/`in` only).
    Text,
}

pub struct FactSpec {
    pub name: &'static str,
    pub ty: FactType,
    pub describe: &'static str,
}

impl FactSpec {
    /// Does `v` belong to this fact's values? Catches typos in the rulebook's values.
    pub fn accepts(&self, v: &Value) -> Result<(), String> {
        match (self.ty, v) {
            (FactType::Bool, Value::Bool(_)) | (FactType::Int, Value::Int(_)) => Ok(()),
            (FactType::Text, Value::Str(_)) => Ok(()),
            (FactType::Enum(names) | FactType::Ordered(names), Value::Str(s)) => {
                if names.contains(&s.as_str()) {
                    Ok(())
                } else {
                    Err(format!(
                        "unknown value `{s}`{}; expected one of: {}",
                        did_you_mean(s, names.iter().copied()),
                        names.join(", ")
                    ))
                }
            }
            (ty, v) => Err(format!("value {v:?} does not fit a {ty:?} fact")),
        }
    }

    pub fn ordered(&self) -> bool {
        matches!(self.ty, FactType::Ordered(_) | FactType::Int)
    }

    pub fn rank(&self, v: &Value) -> Option<i64> {
        match (self.ty, v) {
            (FactType::Int, Value::Int(n)) => Some(*n),
            (FactType::Ordered(names), Value::Str(s)) => {
                names.iter().position(|n| n == s).map(|p| p as i64)
            }
            _ => None,
        }
    }
}

const CONCERNS: &[&str] = &[
    "none",
    "threat_to_others",
    "threat_to_self",
    "child_abuse",
    "elder_abuse",
    "vulnerable_adult_abuse",
    "court_order",
    "law_enforcement_request",
    "treatment",
    "business_associate",
    "medical_emergency",
    "required_by_law",
];
const RECIPIENTS: &[&str] = &[
    "none",
    "provider",
    "medical_personnel",
    "business_associate",
    "qualified_service_organization",
    "government_agency",
    "law_enforcement",
    "family",
    "victim",
    "other",
];
const PURPOSES: &[&str] = &[
    "none",
    "treatment",
    "proceeding",
    "investigate_or_prosecute_patient",
    "investigate_program",
    "medical_emergency",
    "other",
];
const FORMS: &[&str] = &[
    "none",
    "paper_copy",
    "electronic_copy",
    "inspection",
    "summary",
];
const PART2_ORDERS: &[&str] = &["none", "unspecified", "2.64", "2.65", "2.66", "2.67"];
const MANDATED: &[&str] = &["mandatory", "permissive", "none", "unknown"];
/// The record categories of case files (`record.category`, `instrument.covers`).
pub use crate::case::model::CATEGORIES;
const HARM_TYPES: &[&str] = &[
    "none",
    "emotional_distress",
    "substantial_harm",
    "life_or_physical_safety",
];
const AT_RISK: &[&str] = &["none", "patient", "other_person", "both"];
pub const DUTY_CATEGORIES: &[&str] = &[
    "mandatory_statute",
    "mandatory_case_law",
    "permissive",
    "none",
    "unknown",
];
pub const REPORTING: &[&str] = &["mandatory", "permissive", "none"];
pub const PARENT_ACCESS: &[&str] = &["restricted", "permitted", "professional_judgment"];

macro_rules! fact {
    ($name:literal, $ty:expr, $d:literal) => {
        FactSpec {
            name: $name,
            ty: $ty,
            describe: $d,
        }
    };
}

/// Every fact a condition may name. docs/RULES.md lists the same table.
pub const FACTS: &[FactSpec] = &[
    fact!(
        "case.kind",
        FactType::Enum(KINDS),
        "access_request or disclosure_concern"
    ),
    fact!(
        "case.facts_unknown",
        FactType::Bool,
        "the case has a fact written `unknown` (or left out where that means unknown) or a pending evaluation of harm (rules::unknowns)"
    ),
    fact!(
        "case.jurisdiction",
        FactType::Text,
        "US or US-XX as written in the case"
    ),
    fact!(
        "entity.federal_agency",
        FactType::Bool,
        "the entity is a federal agency"
    ),
    fact!(
        "entity.correctional",
        FactType::Bool,
        "the entity is a correctional institution"
    ),
    fact!(
        "entity.part2_program",
        FactType::Bool,
        "a federally assisted SUD program (42 CFR Part 2)"
    ),
    fact!("patient.age", FactType::Int, "age in years"),
    fact!(
        "patient.minor",
        FactType::Bool,
        "under 18 and not emancipated"
    ),
    fact!(
        "patient.incarcerated",
        FactType::Bool,
        "the patient is an inmate"
    ),
    fact!(
        "patient.research_suspension_agreed",
        FactType::Bool,
        "agreed to suspend access during research"
    ),
    fact!(
        "patient.abuse_concern_on_file",
        FactType::Bool,
        "another case of the same patient, received no later than this one, holds a child-, elder- or vulnerable-adult-abuse concern"
    ),
    fact!(
        "patient.deceased",
        FactType::Bool,
        "the case gives a date of death"
    ),
    fact!(
        "patient.deceased_over_50_years",
        FactType::Bool,
        "died more than 50 years before the request: no longer PHI (164.502(f))"
    ),
    fact!(
        "patient.objected_to_family_disclosure",
        FactType::Bool,
        "a deceased patient had objected to disclosure to family (164.510(b)(5))"
    ),
    fact!(
        "requester.relationship",
        FactType::Enum(RELATIONSHIPS),
        "the requester's relationship (none for a concern)"
    ),
    fact!(
        "requester.identity_verified",
        FactType::Bool,
        "identity verified (164.514(h))"
    ),
    fact!(
        "requester.authority_shown",
        FactType::Bool,
        "the requester's authority to act for the patient was shown (`requester.authority.shown`; true when the case records no authority)"
    ),
    fact!(
        "requester.third_party",
        FactType::Bool,
        "neither the patient nor a personal representative (including the parent of a minor and the executor of a deceased patient)"
    ),
    fact!(
        "requester.representative",
        FactType::Bool,
        "a personal representative, the parent of a minor (not emancipated), or the executor of a deceased patient"
    ),
    fact!(
        "requester.involved_in_care",
        FactType::Bool,
        "involved in a deceased patient's care or its payment (164.510(b)(5))"
    ),
    fact!(
        "requester.endangerment_documented",
        FactType::Bool,
        "the case documents the provider's belief that the requester abuses, neglects or endangers the patient (164.502(g)(5)(i))"
    ),
    fact!(
        "requester.declined_as_representative",
        FactType::Bool,
        "that belief plus the professional judgment that treating the requester as representative is not in the patient's best interest (164.502(g)(5))"
    ),
    fact!(
        "requester.agreement",
        FactType::Bool,
        "a business associate or qualified service organization agreement is in place with the requester"
    ),
    fact!(
        "request.purpose",
        FactType::Enum(PURPOSES),
        "why the records are asked for (`request.purpose`); law enforcement without a stated purpose: investigate_or_prosecute_patient"
    ),
    fact!(
        "request.purpose_stated",
        FactType::Bool,
        "the case states `request.purpose` (not inferred for law enforcement)"
    ),
    fact!(
        "request.legal_process",
        FactType::Bool,
        "a subpoena, court order, warrant or administrative request, a court or law-enforcement requester, or a purpose of a proceeding or an investigation"
    ),
    fact!(
        "request.patient_objects",
        FactType::Bool,
        "the patient, told of the request, objects to it"
    ),
    fact!(
        "request.form",
        FactType::Enum(FORMS),
        "the form asked for (`request.form.requested`; none when not given)"
    ),
    fact!(
        "request.maintained_electronically",
        FactType::Bool,
        "the records are kept electronically (`request.form.maintained_electronically`)"
    ),
    fact!(
        "request.scope_stated",
        FactType::Bool,
        "the request says what it wants: a `scope` text or at least one item under `records`"
    ),
    fact!(
        "request.includes_psychotherapy_notes",
        FactType::Bool,
        "an item is psychotherapy notes"
    ),
    fact!(
        "instrument.type",
        FactType::Enum(INSTRUMENTS),
        "the authority presented (none for a concern)"
    ),
    fact!("instrument.signed", FactType::Bool, "signed"),
    fact!("instrument.dated", FactType::Bool, "has a date"),
    fact!(
        "instrument.has_expiry",
        FactType::Bool,
        "has an expiry date or event"
    ),
    fact!(
        "instrument.expired",
        FactType::Bool,
        "the expiry date is before the request was received"
    ),
    fact!(
        "instrument.judge_signed",
        FactType::Bool,
        "signed by a judge"
    ),
    fact!(
        "instrument.patient_notified",
        FactType::Bool,
        "subpoena: documented notice to the patient, objection period lapsed"
    ),
    fact!(
        "instrument.protective_order",
        FactType::Bool,
        "subpoena: qualified protective order obtained or sought"
    ),
    fact!(
        "instrument.covers_psychotherapy_notes",
        FactType::Bool,
        "expressly and separately covers psychotherapy notes"
    ),
    fact!(
        "instrument.part2_court_order",
        FactType::Bool,
        "an order under 42 CFR 2.64"
    ),
    fact!(
        "instrument.part2_order",
        FactType::Enum(PART2_ORDERS),
        "the section of 42 CFR Part 2 the order was made under; `unspecified` for `part2_court_order: true` without `part2_order`; none without an order"
    ),
    fact!(
        "instrument.covers_sud_counseling_notes",
        FactType::Bool,
        "a separate consent for SUD counseling notes was presented (42 CFR 2.31(b))"
    ),
    fact!(
        "instrument.compound",
        FactType::Bool,
        "an authorization that joins psychotherapy notes (or SUD counseling notes) with other records, without a separate authorization for them (164.508(b)(3)(ii); 42 CFR 2.31(b))"
    ),
    fact!(
        "instrument.authorization_valid",
        FactType::Bool,
        "an authorization signed, dated, with an expiry, not expired, and a separate one if psychotherapy notes are asked for"
    ),
    fact!(
        "instrument.order",
        FactType::Bool,
        "a court order, or a subpoena, signed by a judge"
    ),
    fact!(
        "instrument.law_enforcement_process",
        FactType::Bool,
        "process 164.512(f)(1) accepts: a warrant, a judge-signed order or subpoena, an administrative request, or a statute requiring the disclosure"
    ),
    fact!(
        "instrument.releases_psychotherapy_notes",
        FactType::Bool,
        "a valid authorization or judge-signed order that expressly covers psychotherapy notes"
    ),
    fact!(
        "concern.type",
        FactType::Enum(CONCERNS),
        "the concern's type (none for an access request)"
    ),
    fact!(
        "concern.identifiable_victim",
        FactType::Bool,
        "a reasonably identifiable victim"
    ),
    fact!("concern.means", FactType::Bool, "the patient has the means"),
    fact!("concern.imminent", FactType::Bool, "the threat is imminent"),
    fact!(
        "concern.patient_agrees_to_report",
        FactType::Bool,
        "the patient agrees to a report"
    ),
    fact!(
        "concern.recipient",
        FactType::Enum(RECIPIENTS),
        "who the disclosure would go to (none when not given)"
    ),
    fact!(
        "concern.part2_records",
        FactType::Bool,
        "the disclosure includes Part 2 records (`concern.part2_records`, or the entity is a Part 2 program)"
    ),
    fact!(
        "concern.part2_consent",
        FactType::Bool,
        "the patient's written Part 2 consent covers the disclosure"
    ),
    fact!(
        "concern.agreement",
        FactType::Bool,
        "a business associate or qualified service organization agreement is in place"
    ),
    fact!(
        "harm.licensed",
        FactType::Bool,
        "the harm evaluation is by a licensed professional"
    ),
    fact!(
        "harm.treating",
        FactType::Bool,
        "the assessor currently treats the patient"
    ),
    fact!(
        "harm.type",
        FactType::Enum(HARM_TYPES),
        "harm_evaluation.harm_type"
    ),
    fact!(
        "harm.likelihood",
        FactType::Ordered(LIKELIHOOD),
        "harm_evaluation.likelihood"
    ),
    fact!(
        "harm.imminence",
        FactType::Ordered(IMMINENCE),
        "harm_evaluation.imminence"
    ),
    fact!(
        "harm.at_risk",
        FactType::Enum(AT_RISK),
        "harm_evaluation.at_risk"
    ),
    fact!(
        "state.checked",
        FactType::Bool,
        "the jurisdiction has its own overlay"
    ),
    fact!(
        "state.duty_to_warn",
        FactType::Enum(DUTY_CATEGORIES),
        "the overlay's duty-to-warn category"
    ),
    fact!(
        "state.warn_victim_allowed",
        FactType::Bool,
        "the overlay lets a warning go to the victim directly"
    ),
    fact!(
        "state.adult_abuse_reporting",
        FactType::Enum(REPORTING),
        "the overlay's adult-abuse reporting status"
    ),
    fact!(
        "state.minor_consent_parent_access",
        FactType::Enum(PARENT_ACCESS),
        "parental access to care a minor consented to"
    ),
    fact!(
        "state.mandated_report",
        FactType::Enum(MANDATED),
        "the overlay's mandated report other than abuse (164.512(a)); unknown when not researched"
    ),
    fact!(
        "state.minor_objection_applies",
        FactType::Bool,
        "the overlay gives a minor of the patient's age a say over a parent's access (`minor_objection.from_age`)"
    ),
    fact!(
        "state.minor_objection_stops_access",
        FactType::Bool,
        "the minor's objection stops the parent's access (not merely lets the provider deny it)"
    ),
    fact!("record.id", FactType::Text, "the item's id"),
    fact!(
        "record.category",
        FactType::Enum(CATEGORIES),
        "the item's category"
    ),
    fact!(
        "record.kept_separately",
        FactType::Bool,
        "kept separately from the chart"
    ),
    fact!(
        "record.minor_consented_alone",
        FactType::Bool,
        "care the minor consented to alone"
    ),
    fact!(
        "record.court_ordered_care",
        FactType::Bool,
        "care of a minor a court ordered or consented to (164.502(g)(3)(i)(B))"
    ),
    fact!(
        "record.parent_agreed_confidentiality",
        FactType::Bool,
        "care the parent agreed to keep confidential (164.502(g)(3)(i)(C))"
    ),
    fact!(
        "record.minor_controls",
        FactType::Bool,
        "any of the three: the minor, not the parent, controls this care (164.502(g)(3)(i))"
    ),
    fact!(
        "record.evaluated",
        FactType::Bool,
        "the harm evaluation names this item"
    ),
    fact!(
        "record.named_in_scope",
        FactType::Bool,
        "the instrument's scope names the item (see docs/RULES.md)"
    ),
    fact!(
        "record.covered",
        FactType::Bool,
        "the instrument covers the item (`instrument.covers`; without it every item but separately kept notes it does not name)"
    ),
    fact!(
        "record.separate_notes",
        FactType::Bool,
        "psychotherapy notes kept separately, or SUD counseling notes: they need their own authorization or consent"
    ),
    fact!(
        "record.part2",
        FactType::Bool,
        "protected by 42 CFR Part 2 whoever holds it: SUD program records, SUD counseling notes, or an item received from a Part 2 program"
    ),
    fact!(
        "record.part2_consent",
        FactType::Bool,
        "a valid authorization (the patient's written consent, 42 CFR 2.31) that covers the item"
    ),
    fact!(
        "record.part2_hipaa_redisclosure",
        FactType::Bool,
        "received from a Part 2 program under a treatment-payment-operations consent by a holder that is not itself a program: it may be redisclosed as HIPAA permits, except in proceedings against the patient (42 CFR 2.33(b)(1))"
    ),
];

pub use crate::yaml::suggest as did_you_mean;
