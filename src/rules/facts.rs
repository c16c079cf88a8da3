//! The fact view: what the rulebook's conditions can ask about a case, by name.
//!
//! Case facts come straight from the case file (plus a few derived ones, documented
//! here and in docs/RULES.md); record facts are evaluated per record item; state facts
//! come from the jurisdiction's overlay; `patient.abuse_concern_on_file` comes from the
//! other cases of the same patient ([`Related`]).

use serde::{Deserialize, Serialize};

use super::model::Cond;
use super::overlay::StateOverlay;
use crate::case::model::{
    Case, ConcernKind, Expiry, InstrumentKind, RecordCategory, RecordItem, Relationship,
};

/// A fact's value, and the values conditions compare against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Value {
    fn s(s: &str) -> Value {
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

    fn rank(&self, v: &Value) -> Option<i64> {
        match (self.ty, v) {
            (FactType::Int, Value::Int(n)) => Some(*n),
            (FactType::Ordered(names), Value::Str(s)) => {
                names.iter().position(|n| n == s).map(|p| p as i64)
            }
            _ => None,
        }
    }
}

const KINDS: &[&str] = &["access_request", "disclosure_concern"];
const RELATIONSHIPS: &[&str] = &[
    "self",
    "personal_representative",
    "parent",
    "attorney",
    "insurer",
    "family",
    "employer",
    "provider",
    "court",
    "law_enforcement",
    "government_agency",
    "other",
];
const INSTRUMENTS: &[&str] = &[
    "none",
    "written_request",
    "authorization",
    "patient_direction",
    "court_order",
    "subpoena",
    "warrant",
    "administrative_request",
    "statute",
];
const CONCERNS: &[&str] = &[
    "none",
    "threat_to_others",
    "threat_to_self",
    "child_abuse",
    "elder_abuse",
    "vulnerable_adult_abuse",
    "court_order",
    "law_enforcement_request",
];
const CATEGORIES: &[&str] = &[
    "chart",
    "psychotherapy_notes",
    "litigation_material",
    "sud_program",
    "research",
    "confidential_source",
    "references_other_person",
    "correctional_security",
    "billing",
    "lab",
];
const HARM_TYPES: &[&str] = &[
    "none",
    "emotional_distress",
    "substantial_harm",
    "life_or_physical_safety",
];
const LIKELIHOOD: &[&str] = &["remote", "possible", "reasonably_likely", "near_certain"];
const IMMINENCE: &[&str] = &["none", "weeks", "days", "immediate"];
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
        "requester.third_party",
        FactType::Bool,
        "neither the patient, a personal representative nor a parent"
    ),
    fact!(
        "requester.representative",
        FactType::Bool,
        "a personal representative or a parent"
    ),
    fact!(
        "request.scope_stated",
        FactType::Bool,
        "the instrument states what is asked for"
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
        "harm.licensed",
        FactType::Bool,
        "the harm evaluation is by a licensed professional"
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
        "record.evaluated",
        FactType::Bool,
        "the harm evaluation names this item"
    ),
    fact!(
        "record.named_in_scope",
        FactType::Bool,
        "the instrument's scope names the item (see docs/RULES.md)"
    ),
];

/// "(did you mean `x`?)" when a close candidate exists, else "".
pub fn did_you_mean<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (crate::yaml::edit_distance(given, c), c))
        .filter(|(d, c)| *d <= (c.len().max(given.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Facts that come from other cases of the directory, not from this case's file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Related {
    pub abuse_concern_on_file: bool,
}

impl Related {
    /// Looks for abuse concerns about the same patient (same `patient.ref`), raised no
    /// later than `case` was received: the 164.502(g)(5) carve-out.
    pub fn from_cases<'a>(case: &Case, others: impl IntoIterator<Item = &'a Case>) -> Related {
        let abuse = others.into_iter().any(|o| {
            o.id != case.id
                && o.patient.reference == case.patient.reference
                && o.received <= case.received
                && o.concern.as_ref().is_some_and(|c| {
                    matches!(
                        c.kind,
                        ConcernKind::ChildAbuse
                            | ConcernKind::ElderAbuse
                            | ConcernKind::VulnerableAdultAbuse
                    )
                })
        });
        Related {
            abuse_concern_on_file: abuse,
        }
    }
}

/// A case seen through the rulebook's fact names.
pub struct FactView<'a> {
    pub case: &'a Case,
    pub state: &'a StateOverlay,
    pub related: Related,
}

fn snake<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl FactView<'_> {
    /// The value of fact `name`, for record item `rec` where the fact is about an item.
    /// `None`: the fact does not apply (a record fact without an item).
    pub fn get(&self, name: &str, rec: Option<&RecordItem>) -> Option<Value> {
        use Value::{Bool, Int};
        let c = self.case;
        let req = c.request.as_ref();
        let ins = req.map(|r| &r.instrument);
        let con = c.concern.as_ref();
        let he = &c.harm_evaluation;
        let rel = req.map(|r| r.requester.relationship);
        let b = |f: &dyn Fn(&crate::case::model::Instrument) -> bool| Bool(ins.is_some_and(f));
        Some(match name {
            "case.kind" => Value::s(c.kind.as_str()),
            "case.jurisdiction" => Value::Str(c.jurisdiction.clone()),
            "entity.federal_agency" => Bool(c.entity.federal_agency),
            "entity.correctional" => Bool(c.entity.correctional),
            "entity.part2_program" => Bool(c.entity.part2_program),
            "patient.age" => Int(i64::from(c.patient.age)),
            "patient.minor" => Bool(c.patient.age < 18 && !c.patient.emancipated),
            "patient.incarcerated" => Bool(c.patient.incarcerated),
            "patient.research_suspension_agreed" => Bool(c.patient.research_suspension_agreed),
            "patient.abuse_concern_on_file" => Bool(self.related.abuse_concern_on_file),
            "requester.relationship" => match rel {
                Some(r) => Value::Str(snake(&r)),
                None => Value::s("other"),
            },
            "requester.identity_verified" => {
                Bool(req.is_some_and(|r| r.requester.identity_verified))
            }
            "requester.third_party" => Bool(rel.is_some_and(|r| !r.is_patient_or_representative())),
            "requester.representative" => Bool(matches!(
                rel,
                Some(Relationship::PersonalRepresentative | Relationship::Parent)
            )),
            "request.scope_stated" => {
                b(&|i| i.scope.as_deref().is_some_and(|s| !s.trim().is_empty()))
            }
            "request.includes_psychotherapy_notes" => Bool(self.includes_psychotherapy_notes()),
            "instrument.type" => Value::Str(ins.map_or("none".into(), |i| snake(&i.kind))),
            "instrument.signed" => b(&|i| i.signed),
            "instrument.dated" => b(&|i| i.dated.is_some()),
            "instrument.has_expiry" => b(&|i| i.expires.is_some()),
            "instrument.expired" => Bool(self.expired()),
            "instrument.judge_signed" => b(&|i| i.judge_signed),
            "instrument.patient_notified" => b(&|i| i.patient_notified),
            "instrument.protective_order" => b(&|i| i.protective_order),
            "instrument.covers_psychotherapy_notes" => b(&|i| i.covers_psychotherapy_notes),
            "instrument.part2_court_order" => b(&|i| i.part2_court_order),
            "instrument.authorization_valid" => Bool(self.authorization_valid()),
            "instrument.order" => Bool(self.is_order()),
            "instrument.releases_psychotherapy_notes" => Bool(
                ins.is_some_and(|i| i.covers_psychotherapy_notes)
                    && (self.authorization_valid() || self.is_order()),
            ),
            "concern.type" => Value::Str(con.map_or("none".into(), |k| snake(&k.kind))),
            "concern.identifiable_victim" => Bool(con.is_some_and(|k| k.identifiable_victim)),
            "concern.means" => Bool(con.is_some_and(|k| k.means)),
            "concern.imminent" => Bool(con.is_some_and(|k| k.imminent)),
            "concern.patient_agrees_to_report" => {
                Bool(con.is_some_and(|k| k.patient_agrees_to_report))
            }
            "harm.licensed" => Bool(he.assessed_by.licensed),
            "harm.type" => Value::Str(snake(&he.harm_type)),
            "harm.likelihood" => Value::Str(snake(&he.likelihood)),
            "harm.imminence" => Value::Str(snake(&he.imminence)),
            "harm.at_risk" => Value::Str(snake(&he.at_risk)),
            "state.checked" => Bool(self.state.checked),
            "state.duty_to_warn" => Value::s(self.state.duty_category()),
            "state.warn_victim_allowed" => Bool(self.state.victim_allowed()),
            "state.adult_abuse_reporting" => Value::s(self.state.adult_reporting()),
            "state.minor_consent_parent_access" => Value::s(self.state.parent_access()),
            "record.id" => Value::Str(rec?.id.clone()),
            "record.category" => Value::Str(snake(&rec?.category)),
            "record.kept_separately" => Bool(rec?.kept_separately),
            "record.minor_consented_alone" => Bool(rec?.minor_consented_alone),
            "record.evaluated" => {
                let id = &rec?.id;
                Bool(he.records.iter().any(|r| r == id))
            }
            "record.named_in_scope" => Bool(self.named_in_scope(rec?)),
            _ => return None,
        })
    }

    /// Evaluates a compiled condition for record item `rec` (or the case as a whole).
    pub fn holds(&self, cond: &Cond, rec: Option<&RecordItem>) -> bool {
        match cond {
            Cond::All(cs) => cs.iter().all(|c| self.holds(c, rec)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c, rec)),
            Cond::Not(c) => !self.holds(c, rec),
            Cond::Is(f, v) => self.get(f, rec).is_some_and(|x| x == *v),
            Cond::In(f, vs) => self.get(f, rec).is_some_and(|x| vs.contains(&x)),
            Cond::AtLeast(f, v) | Cond::Below(f, v) => {
                let Some(spec) = FACTS.iter().find(|s| s.name == f) else {
                    return false;
                };
                let (Some(x), Some(y)) =
                    (self.get(f, rec).and_then(|x| spec.rank(&x)), spec.rank(v))
                else {
                    return false;
                };
                if matches!(cond, Cond::AtLeast(..)) {
                    x >= y
                } else {
                    x < y
                }
            }
        }
    }

    fn includes_psychotherapy_notes(&self) -> bool {
        self.case
            .records()
            .iter()
            .any(|r| r.category == RecordCategory::PsychotherapyNotes)
    }

    fn expired(&self) -> bool {
        let ins = self.case.request.as_ref().map(|r| &r.instrument);
        matches!(ins.and_then(|i| i.expires.as_ref()), Some(Expiry::Date(d)) if *d < self.case.received)
    }

    /// 164.508(c): core elements we can see; 164.508(b)(3)(ii): a separate authorization
    /// for psychotherapy notes.
    fn authorization_valid(&self) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        i.kind == InstrumentKind::Authorization
            && i.signed
            && i.dated.is_some()
            && i.expires.is_some()
            && !self.expired()
            && (!self.includes_psychotherapy_notes() || i.covers_psychotherapy_notes)
    }

    /// A court order signed by a judge, or a subpoena a judge signed (a court's order).
    fn is_order(&self) -> bool {
        self.case.request.as_ref().is_some_and(|r| {
            matches!(
                r.instrument.kind,
                InstrumentKind::CourtOrder | InstrumentKind::Subpoena
            ) && r.instrument.judge_signed
        })
    }

    /// Does the instrument's scope name this item? Matched on whole words: the item's id,
    /// the first three words of its description, or its category's name or a common name
    /// for it ("mental health records" names a chart, "substance use" SUD-program
    /// records). "All records" names every item except psychotherapy notes and
    /// SUD-program records, which an order must name expressly.
    fn named_in_scope(&self, rec: &RecordItem) -> bool {
        let Some(scope) = self
            .case
            .request
            .as_ref()
            .and_then(|r| r.instrument.scope.as_deref())
        else {
            return false;
        };
        let scope = normalize(scope);
        let description = normalize(&rec.description);
        let lead: Vec<&str> = description.split(' ').take(3).collect();
        let mut names = vec![
            normalize(&rec.id),
            lead.join(" "),
            normalize(&snake(&rec.category)),
        ];
        names.extend(category_names(rec.category).iter().map(|n| n.to_string()));
        let named = names.iter().any(|n| contains_words(&scope, n));
        let special = matches!(
            rec.category,
            RecordCategory::PsychotherapyNotes | RecordCategory::SudProgram
        );
        let blanket = [
            "all records",
            "entire record",
            "complete record",
            "whole record",
            "all medical records",
        ]
        .iter()
        .any(|b| contains_words(&scope, b));
        named || (blanket && !special)
    }
}

/// Common names for a category in an order's or request's wording.
fn category_names(c: RecordCategory) -> &'static [&'static str] {
    match c {
        RecordCategory::Chart => &[
            "mental health",
            "psychiatric",
            "medical record",
            "medical records",
            "treatment records",
            "health records",
        ],
        RecordCategory::PsychotherapyNotes => &["psychotherapy notes", "process notes"],
        RecordCategory::SudProgram => &["substance use", "sud", "addiction", "opioid treatment"],
        RecordCategory::Billing => &["billing", "bills", "invoices"],
        RecordCategory::Lab => &["lab", "laboratory", "test results"],
        _ => &[],
    }
}

fn normalize(s: &str) -> String {
    let lowered: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn contains_words(hay: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}
