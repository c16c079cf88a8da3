//! The schema table against the typed model: the same keys in the same order, the same
//! required keys, the same allowed values. serde's own errors list a struct's keys and
//! an enum's values, so nothing here is typed twice.

use serde::de::DeserializeOwned;
use serde_json::{Value as J, json};

use super::*;
use crate::case::evaluation::EvaluationStatus;
use crate::case::model::*;

type Reader = fn(J) -> Result<(), String>;

fn reader<T: DeserializeOwned>() -> Reader {
    |j| {
        serde_json::from_value::<T>(j)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

fn shapes() -> Vec<(&'static Shape, Reader)> {
    vec![
        (&CASE, reader::<Case>()),
        (&ARRIVAL, reader::<Arrival>()),
        (&ENTITY, reader::<Entity>()),
        (&PATIENT, reader::<Patient>()),
        (&REQUEST, reader::<Request>()),
        (&REQUESTER, reader::<Requester>()),
        (&IDENTITY_CHECK, reader::<IdentityCheck>()),
        (&AUTHORITY, reader::<Authority>()),
        (&ENDANGERMENT, reader::<Endangerment>()),
        (&INSTRUMENT, reader::<Instrument>()),
        (&EXPIRY_EVENT, reader::<ExpiryEvent>()),
        (&RECORD, reader::<RecordItem>()),
        (&PART2_SOURCE, reader::<Part2Source>()),
        (&EXTENSION, reader::<Extension>()),
        (&FORM, reader::<FormRequest>()),
        (&FEE, reader::<FeeQuote>()),
        (&FEE_ITEM, reader::<FeeItem>()),
        (&PLANNED_RELEASE, reader::<PlannedRelease>()),
        (&INFEASIBLE, reader::<Infeasibility>()),
        (&DELIVERY, reader::<Delivery>()),
        (&URGENCY, reader::<Urgency>()),
        (&CONCERN, reader::<Concern>()),
        (&EVALUATION, reader::<HarmEvaluation>()),
        (&ASSESSOR, reader::<Assessor>()),
        (&CONSULTATION, reader::<Consultation>()),
        (&CONSULTANT, reader::<Consultant>()),
        (&DOCUMENT, reader::<Document>()),
        (&PRACTICE, reader::<Practice>()),
        (&REFERENCE, reader::<Reference>()),
    ]
}

/// The names serde lists after "expected" in an unknown-field or unknown-variant error.
fn listed(err: &str) -> Vec<String> {
    let list = err
        .split_once("expected one of ")
        .or_else(|| err.split_once("expected "))
        .map_or("", |(_, l)| l);
    let list = list.split(" at line").next().unwrap_or(list);
    list.split(", ")
        .flat_map(|s| s.split("` or `"))
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn every_mapping_has_the_models_keys_in_order() {
    for (shape, read) in shapes() {
        let err = read(json!({ "\u{1}bogus": 0 })).unwrap_err();
        let keys: Vec<&str> = shape.fields.iter().map(|f| f.key).collect();
        assert_eq!(listed(&err), keys, "{}: {err}", shape.name);
    }
}

fn sample(ty: &Ty) -> J {
    match ty {
        Ty::Text => json!("x"),
        Ty::Date | Ty::Expiry => json!("2026-01-02"),
        Ty::Int => json!(1),
        Ty::Number => json!(1.5),
        Ty::Bool => json!(true),
        Ty::Answer => json!("unknown"),
        Ty::Choice(values) => json!(values[0]),
        Ty::Map(shape) => sample_map(shape),
        Ty::List(item) => json!([sample(item)]),
        Ty::TextMap => json!({ "a": "b" }),
        Ty::Evaluation => sample_map(&EVALUATION),
    }
}

fn sample_map(shape: &Shape) -> J {
    let mut m = serde_json::Map::new();
    for f in shape.fields {
        m.insert(f.key.to_string(), sample(&f.ty));
    }
    if std::ptr::eq(shape, &EVALUATION) {
        m.insert("status".into(), json!("done"));
    }
    J::Object(m)
}

#[test]
fn the_required_keys_are_the_models() {
    for (shape, read) in shapes() {
        let full = sample_map(shape);
        read(full.clone()).unwrap_or_else(|e| panic!("{}: {e}", shape.name));
        for f in shape.fields {
            let mut without = full.clone();
            without.as_object_mut().unwrap().remove(f.key);
            let required =
                f.required || (std::ptr::eq(shape, &EVALUATION) && DONE_REQUIRED.contains(&f.key));
            assert_eq!(
                read(without).is_err(),
                required,
                "{}.{}: required is {required} here",
                shape.name,
                f.key
            );
        }
    }
}

#[test]
fn a_pending_evaluation_has_only_its_assignment() {
    let read = reader::<HarmEvaluation>();
    read(json!({ "status": "pending", "assigned_to": "Dr. X", "assigned_on": "2026-01-02" }))
        .unwrap();
    assert!(read(json!({ "status": "pending" })).is_err());
    assert!(read(json!({ "status": "pending", "assigned_to": "X", "at_risk": "none" })).is_err());
}

fn values<T: DeserializeOwned>() -> Vec<String> {
    match serde_json::from_value::<T>(json!("\u{1}bogus")) {
        Ok(_) => Vec::new(),
        Err(e) => listed(&e.to_string()),
    }
}

#[test]
fn every_choice_has_the_models_values() {
    let table: Vec<(&[&str], Vec<String>)> = vec![
        (KINDS, values::<CaseKind>()),
        (RELATIONSHIPS, values::<Relationship>()),
        (INSTRUMENTS, values::<InstrumentKind>()),
        (CATEGORIES, values::<RecordCategory>()),
        (CONCERNS, values::<ConcernKind>()),
        (RECIPIENTS, values::<ConcernRecipient>()),
        (PURPOSES, values::<RequestPurpose>()),
        (FORMS, values::<AccessForm>()),
        (FEE_METHODS, values::<FeeMethod>()),
        (FEE_ITEMS, values::<FeeItemKind>()),
        (PART2_ORDERS, values::<Part2OrderSection>()),
        (PART2_CONSENTS, values::<Part2ConsentKind>()),
        (BELIEFS, values::<EndangermentKind>()),
        (CHANNELS, values::<Channel>()),
        (IDENTITY_METHODS, values::<IdentityMethod>()),
        (AUTHORITY_DOCUMENTS, values::<AuthorityDocument>()),
        (DELIVERY_METHODS, values::<DeliveryMethod>()),
        (STATUSES, values::<EvaluationStatus>()),
        (AT_RISK, values::<AtRisk>()),
        (HARM_TYPES, values::<HarmType>()),
        (LIKELIHOOD, values::<Likelihood>()),
        (IMMINENCE, values::<Imminence>()),
        (ROLES, values::<ConsultantRole>()),
        (RECOMMENDATIONS, values::<Recommendation>()),
        (OUTCOMES, values::<Outcome>()),
        (DOCUMENT_KINDS, values::<DocumentKind>()),
    ];
    for (ours, serde) in table {
        assert_eq!(ours, serde.as_slice());
    }
}

// ---- The walk's messages ------------------------------------------------------------

fn problems(src: &str) -> Vec<String> {
    let tree = crate::yaml::tree::parse(src).unwrap();
    walk::check(src, &tree)
        .problems
        .iter()
        .map(|v| format!("{}:{}: {}", v.line, v.column, v.message))
        .collect()
}

const BROKEN: &str = "\
id: AR-2026-0001
title: test
kind: access_request
recieved: 2026-03-02
jurisdiction: US-OH
patient:
request:
  requester: { name: The patient, relationship: patient, identity_verified: maybe }
  instrument:
    type: authorization
    expires: { evnt: x }
    dated: 2026-13-01
  records:
    - { id: notes, description: Notes, category: psychotherapy_notes, kept_seperately: true }
    - { id: chart, category: chart }
";

#[test]
fn every_problem_in_one_run_in_the_files_words() {
    let got = problems(BROKEN);
    let want = [
        "1:1: missing section `harm_evaluation`: the evaluation of harm. Until the clinician has evaluated, write `status: pending` and `assigned_to: NAME` under it",
        "4:1: unknown key `recieved` (did you mean `received`?); expected one of: id, title, kind, received, jurisdiction, arrival, follows, entity, patient, request, concern, harm_evaluation, consultations, documentation, practice",
        "6:1: `patient` is empty; expected its keys indented below it: ref, age, emancipated, incarcerated, research_suspension_agreed, date_of_death, objected_to_family_disclosure",
        "8:49: unknown value `patient` (did you mean `parent`?); expected one of: self, personal_representative, parent, executor, attorney, insurer, family, employer, provider, business_associate, qualified_service_organization, court, law_enforcement, government_agency, other",
        "8:77: unknown value `maybe`; expected one of: true, false, unknown",
        "11:16: unknown key `evnt` (did you mean `event`?); expected one of: event",
        "12:12: invalid date `2026-13-01` (no such day); expected YYYY-MM-DD",
        "14:71: unknown key `kept_seperately` (did you mean `kept_separately`?); expected one of: id, description, category, kept_separately, minor_consented_alone, court_ordered_care, parent_agreed_confidentiality, received_from_part2",
        "15:7: missing key `description` in `request.records[2]` (record item); expected: id, description, category",
    ];
    assert_eq!(got, want, "{got:#?}");
}

#[test]
fn a_pending_evaluation_is_checked_as_one() {
    let src = "harm_evaluation:\n  status: pending\n  at_risk: none\n";
    let got = problems(src);
    assert!(
        got.contains(&"1:1: missing key `assigned_to` in `harm_evaluation`: a pending evaluation names the clinician asked to evaluate".to_string())
            || got.iter().any(|g| g.contains("missing key `assigned_to`")),
        "{got:#?}"
    );
    assert!(
        got.iter()
            .any(|g| g.starts_with("3:3: `at_risk` belongs to a finished evaluation")),
        "{got:#?}"
    );
    let done = "harm_evaluation:\n  assessed_on: 2026-01-02\n";
    let got = problems(done);
    assert!(
        got.iter().any(|g| g.starts_with("1:1: missing keys `assessed_by`, `at_risk`, `harm_type`, `likelihood`, `imminence` in `harm_evaluation`")),
        "{got:#?}"
    );
}

#[test]
fn duplicates_wrong_kinds_and_expiry_words() {
    let src = "patient:\n  ref: P\n  age: 3\n  age: 4\ntitle: [a, b]\nrequest:\n  instrument: { type: authorization, expires: someday }\n";
    let got = problems(src);
    for want in [
        "4:3: duplicate key `age`: each key may appear only once",
        "5:8: `title` is a list; expected text on one line, or a `|` block",
        "7:47: invalid expiry `someday`; expected a date YYYY-MM-DD, or the expiry event as `{ event: \"...\" }`",
    ] {
        assert!(got.iter().any(|g| g == want), "{want}\n{got:#?}");
    }
    assert!(
        !got.iter()
            .any(|g| g.contains("untagged") || g.contains("mapping start")),
        "{got:#?}"
    );
}
