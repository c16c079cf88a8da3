//! Practice topics: which points of the rulebook a practice case exercises, so that a
//! trainee's scores can be read per topic and the weakest topics suggested next.
//!
//! The map is data (`topics.yaml`, compiled in and parsed through `crate::yaml`): a topic
//! lists ground codes and case features. Features are the few facts of a case file that
//! make it a lesson whatever the answer (a minor patient, a subpoena, an extension).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::case::{
    Case, ConcernKind, HarmType, InstrumentKind, RecordCategory, Reference, Relationship,
};

const BUILTIN: &str = include_str!("topics.yaml");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub grounds: Vec<String>,
    #[serde(default)]
    pub features: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicMap {
    pub version: u32,
    pub topics: Vec<Topic>,
}

/// The case features a topic may name, each with what it means.
pub const FEATURES: &[(&str, &str)] = &[
    (
        "own_access",
        "the patient or a personal representative asks for the records",
    ),
    (
        "third_party",
        "an attorney, insurer, family member, employer or other third party asks",
    ),
    ("minor", "the patient is under 18 and not emancipated"),
    (
        "deceased",
        "the patient has died (a date of death is given)",
    ),
    ("parent_request", "a parent asks for the records"),
    (
        "psychotherapy_notes",
        "a record item is in the psychotherapy-notes category",
    ),
    (
        "part2",
        "a federally assisted SUD program, or an SUD program record item",
    ),
    (
        "legal_process",
        "a court order, subpoena, warrant or administrative request, or a court or police concern",
    ),
    ("threat", "a threat to others or to self"),
    ("abuse", "a child, elder or vulnerable-adult abuse concern"),
    ("extension", "the request's deadline was extended"),
    (
        "harm_evaluated",
        "an access request whose harm evaluation finds some harm (not `none`)",
    ),
    (
        "disclosure_without_request",
        "a disclosure that needs no request: treatment, a business associate, a medical emergency, a report a law requires",
    ),
    (
        "form_or_fee",
        "an access request that states the form and format, or the fee quoted",
    ),
    (
        "information_blocking",
        "a planned release date, or a request the clinic cannot fulfil (45 CFR 171)",
    ),
];

impl TopicMap {
    /// The compiled-in map (checked by the tests).
    pub fn builtin() -> &'static TopicMap {
        static MAP: OnceLock<TopicMap> = OnceLock::new();
        MAP.get_or_init(|| {
            TopicMap::from_yaml(BUILTIN)
                .unwrap_or_else(|e| panic!("the built-in topic map is invalid: {e}"))
        })
    }

    /// Parses and checks a topic map: version 1, unique ids, known features.
    pub fn from_yaml(src: &str) -> Result<TopicMap, String> {
        let map: TopicMap = crate::yaml::from_str(src)
            .map_err(|e| format!("topics:{}:{}: {}", e.line, e.column, e.message))?;
        if map.version != 1 {
            return Err(format!("topic map version {} is not 1", map.version));
        }
        let mut seen = std::collections::HashSet::new();
        for t in &map.topics {
            if !seen.insert(t.id.as_str()) {
                return Err(format!("topic `{}` defined twice", t.id));
            }
            if let Some(f) = t
                .features
                .iter()
                .find(|f| !FEATURES.iter().any(|(k, _)| k == f))
            {
                return Err(format!("topic `{}`: unknown feature `{f}`", t.id));
            }
        }
        Ok(map)
    }

    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// The ids of the topics `case` (with its reference) belongs to, in map order.
    pub fn topics_of(&self, case: &Case, reference: &Reference) -> Vec<String> {
        let features = features_of(case);
        self.topics
            .iter()
            .filter(|t| {
                t.grounds.iter().any(|g| {
                    reference.grounds.contains(g) || reference.withhold.values().any(|w| w == g)
                }) || t.features.iter().any(|f| features.contains(&f.as_str()))
            })
            .map(|t| t.id.clone())
            .collect()
    }
}

/// The features `case` shows (names from [`FEATURES`]).
pub fn features_of(case: &Case) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut add = |yes: bool, f: &'static str| {
        if yes {
            out.push(f);
        }
    };
    add(case.patient_is_deceased(), "deceased");
    if let Some(r) = &case.request {
        let rel = r.requester.relationship;
        add(
            matches!(
                rel,
                Relationship::SelfPatient
                    | Relationship::PersonalRepresentative
                    | Relationship::Executor
            ),
            "own_access",
        );
        add(
            matches!(
                rel,
                Relationship::Attorney
                    | Relationship::Insurer
                    | Relationship::Family
                    | Relationship::Employer
                    | Relationship::Other
            ),
            "third_party",
        );
        add(rel == Relationship::Parent, "parent_request");
        add(
            matches!(
                r.instrument.kind,
                InstrumentKind::CourtOrder
                    | InstrumentKind::Subpoena
                    | InstrumentKind::Warrant
                    | InstrumentKind::AdministrativeRequest
            ) || matches!(rel, Relationship::Court | Relationship::LawEnforcement),
            "legal_process",
        );
        add(r.extension.is_some(), "extension");
        add(r.form.is_some() || r.fee.is_some(), "form_or_fee");
        add(
            r.planned_release.is_some() || r.infeasible.is_some(),
            "information_blocking",
        );
    }
    add(case.patient_is_minor(), "minor");
    let has = |c: RecordCategory| case.records().iter().any(|r| r.category == c);
    add(
        has(RecordCategory::PsychotherapyNotes),
        "psychotherapy_notes",
    );
    add(
        case.entity.part2_program
            || case.records().iter().any(|r| r.part2())
            || case
                .concern
                .as_ref()
                .is_some_and(|c| !c.part2_records.is_no()),
        "part2",
    );
    if let Some(c) = &case.concern {
        add(
            matches!(
                c.kind,
                ConcernKind::CourtOrder | ConcernKind::LawEnforcementRequest
            ),
            "legal_process",
        );
        add(
            matches!(
                c.kind,
                ConcernKind::ThreatToOthers | ConcernKind::ThreatToSelf
            ),
            "threat",
        );
        add(
            matches!(
                c.kind,
                ConcernKind::ChildAbuse
                    | ConcernKind::ElderAbuse
                    | ConcernKind::VulnerableAdultAbuse
            ),
            "abuse",
        );
        add(
            matches!(
                c.kind,
                ConcernKind::Treatment
                    | ConcernKind::BusinessAssociate
                    | ConcernKind::MedicalEmergency
                    | ConcernKind::RequiredByLaw
            ),
            "disclosure_without_request",
        );
    }
    add(
        case.request.is_some()
            && case
                .harm_evaluation
                .done()
                .is_some_and(|h| h.harm_type != HarmType::None),
        "harm_evaluated",
    );
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| seen.insert(*f));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::load::{LoadOptions, parse};

    fn fixture(name: &str) -> Case {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/practice/cases");
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        parse(
            &dir.join(name),
            &bytes,
            name,
            &dir,
            &LoadOptions::new(today),
        )
        .unwrap()
    }

    #[test]
    fn features_come_from_the_case_file() {
        let access = fixture("PA-2026-0301.yaml");
        assert_eq!(features_of(&access), ["own_access", "psychotherapy_notes"]);
        let concern = fixture("PD-2026-0302.yaml");
        assert_eq!(features_of(&concern), ["threat"]);
        let mut minor = access.clone();
        minor.patient.age = 15;
        assert!(features_of(&minor).contains(&"minor"));
        minor.patient.emancipated = crate::case::Answer::Yes;
        assert!(!features_of(&minor).contains(&"minor"));
    }

    #[test]
    fn topics_from_grounds_and_features() {
        let map = TopicMap::builtin();
        let case = fixture("PA-2026-0301.yaml");
        let mut reference = case.practice.clone().unwrap().reference;
        assert_eq!(
            map.topics_of(&case, &reference),
            ["right-of-access", "psychotherapy-notes"]
        );
        // A ground only in the withhold map counts.
        reference.grounds.clear();
        reference
            .withhold
            .insert("chart".into(), "danger-to-life".into());
        assert!(
            map.topics_of(&case, &reference)
                .contains(&"harm-based-denials".to_string())
        );
    }

    #[test]
    fn every_feature_named_in_the_map_is_known_and_used() {
        let map = TopicMap::builtin();
        for (f, _) in FEATURES {
            assert!(
                map.topics.iter().any(|t| t.features.iter().any(|x| x == f)),
                "feature `{f}` is in no topic"
            );
        }
    }
}
