//! The intake model on its own: questions in order and by dependency, every answer
//! checked with the allowed values, and the written case file read back by the loader.

use chrono::NaiveDateTime;

use super::*;

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-03-04 10:30", "%Y-%m-%d %H:%M").unwrap()
}

fn answer_all(i: &mut Intake, answers: &[(&str, &str)]) {
    for (k, v) in answers {
        i.answer(k, v).unwrap_or_else(|e| panic!("{k}={v}: {e}"));
    }
}

const PARENT: &[(&str, &str)] = &[
    ("kind", "access_request"),
    ("received", "2026-03-02"),
    ("arrival.time", "17:45"),
    ("arrival.channel", "email"),
    ("arrival.logged_by", "J. Clerk"),
    ("jurisdiction", "us-ca"),
    ("patient.ref", "P-20001"),
    ("patient.age", "15"),
    ("patient.emancipated", "no"),
    ("patient.date_of_death", ""),
    ("requester.name", "D. Marchetti (mother)"),
    ("requester.relationship", "parent"),
    ("requester.address", "12 Elm St, Lakeside, OH 44000"),
    ("requester.identity_verified", "yes"),
    ("requester.identity_check.method", "photo_id"),
    ("requester.identity_check.by", "J. Clerk"),
    ("requester.identity_check.on", ""),
    ("requester.authority.document", "birth_certificate"),
    ("requester.authority.shown", "unknown"),
    ("instrument.type", "written_request"),
    ("instrument.signed", "y"),
    ("instrument.dated", "2026-03-01"),
    (
        "instrument.scope",
        "all of my daughter's records: notes too",
    ),
    ("records", "chart chart Outpatient chart 2025"),
    ("records.chart.minor_consented_alone", "no"),
    ("records.chart.court_ordered_care", "no"),
    ("records.chart.parent_agreed_confidentiality", "?"),
    (
        "records",
        "notes psychotherapy_notes Therapist's \"process\" notes",
    ),
    ("records.notes.kept_separately", "unknown"),
    ("records.notes.minor_consented_alone", "unknown"),
    ("records.notes.court_ordered_care", "no"),
    ("records.notes.parent_agreed_confidentiality", "no"),
    ("records", ""),
    ("form.requested", "electronic_copy"),
    ("form.format", "PDF by secure email"),
    ("delivery.method", "email"),
    ("delivery.address", ""),
    ("delivery.certified", "yes"),
    ("delivery.sealed", ""),
    ("fee.items", "copying_labor=12 postage=3.50"),
    ("fee.method", "actual"),
    ("fee.told_in_advance", "yes"),
    ("urgency.needed_by", "2026-03-20"),
    ("urgency.reason", "school meeting on 20 March"),
    ("title", ""),
    ("evaluation.assigned_to", "Dr. A. Rivera (MD)"),
];

/// Answers whatever `next()` asks from `answers` (each used once, in order per key)
/// and returns the sections in the order they came.
fn drive(i: &mut Intake, answers: &[(&str, &str)]) -> Vec<&'static str> {
    let mut left: Vec<(&str, &str)> = answers.to_vec();
    let mut sections: Vec<&'static str> = Vec::new();
    let mut asked = 0;
    while let Some(q) = i.next() {
        asked += 1;
        assert!(asked < 200, "the intake never ends");
        let at = left
            .iter()
            .position(|(k, _)| *k == q.key)
            .unwrap_or_else(|| panic!("no answer for {}", q.key));
        let (_, a) = left.remove(at);
        if sections.last() != Some(&q.section) {
            sections.push(q.section);
        }
        i.answer(&q.key, a).unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(left.is_empty(), "never asked: {left:?}");
    sections
}

#[test]
fn questions_come_in_the_clerks_order() {
    let mut i = Intake::new(now());
    let sections = drive(&mut i, PARENT);
    assert_eq!(
        sections,
        [
            "Arrival",
            "Patient",
            "Requester",
            "Authority",
            "Instrument",
            "Records",
            "Form and delivery",
            "Fee",
            "Urgency",
            "Title",
            "Evaluation of harm"
        ]
    );
    assert!(i.missing().is_empty());
}

#[test]
fn every_answer_lands_in_a_case_the_loader_accepts() {
    let mut i = Intake::new(now());
    answer_all(&mut i, PARENT);
    assert!(i.next().is_none(), "{:?}", i.next().map(|q| q.key));
    let text = i.case_text("AR-2026-0001").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let opts = crate::case::LoadOptions::new(now().date());
    let case = crate::case::load::parse(
        std::path::Path::new("AR-2026-0001.yaml"),
        text.as_bytes(),
        "AR-2026-0001.yaml",
        dir.path(),
        &opts,
    )
    .unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
    // Every line is plain style: the general parser reads the same case.
    let general: crate::case::Case = crate::yaml::from_str_general(&text).unwrap();
    assert_eq!(general, case);
    assert_eq!(case.received.to_string(), "2026-03-02");
    assert_eq!(case.jurisdiction, "US-CA");
    let a = case.arrival.as_ref().unwrap();
    assert_eq!(a.time.as_deref(), Some("17:45"));
    assert_eq!(a.logged_by.as_deref(), Some("J. Clerk"));
    assert_eq!(a.on, None);
    let r = case.request.as_ref().unwrap();
    assert_eq!(
        r.requester.address.as_deref(),
        Some("12 Elm St, Lakeside, OH 44000")
    );
    let check = r.requester.identity_check.as_ref().unwrap();
    assert_eq!(
        check.on.map(|d| d.to_string()).as_deref(),
        Some("2026-03-02")
    );
    assert_eq!(
        r.requester.authority.as_ref().unwrap().shown,
        Answer::Unknown
    );
    assert_eq!(
        r.instrument.scope.as_deref(),
        Some("all of my daughter's records: notes too")
    );
    assert_eq!(r.records[1].description, "Therapist's \"process\" notes");
    assert_eq!(r.records[1].kept_separately, Answer::Unknown);
    assert_eq!(r.records[0].parent_agreed_confidentiality, Answer::Unknown);
    assert_eq!(r.records[0].minor_consented_alone, Answer::No);
    let fee = r.fee.as_ref().unwrap();
    assert_eq!(fee.total_cents(), 1550);
    let delivery = r.delivery.as_ref().unwrap();
    assert!(delivery.certified && !delivery.sealed);
    assert_eq!(
        delivery.address.as_deref(),
        Some("12 Elm St, Lakeside, OH 44000")
    );
    assert_eq!(
        r.urgency.as_ref().unwrap().needed_by.unwrap().to_string(),
        "2026-03-20"
    );
    assert_eq!(
        case.title,
        "D. Marchetti (mother) (parent) asks for records of P-20001"
    );
    let p = case.harm_evaluation.pending().unwrap();
    assert_eq!(p.assigned_to, "Dr. A. Rivera (MD)");
    assert_eq!(p.assigned_on.unwrap().to_string(), "2026-03-04");
}

#[test]
fn a_bad_answer_says_what_is_allowed() {
    let mut i = Intake::new(now());
    let e = i.answer("kind", "access").unwrap_err();
    assert!(
        e.message
            .contains("expected one of: access_request, disclosure_concern"),
        "{e}"
    );
    i.answer("kind", "access_request").unwrap();
    let e = i.answer("received", "2026-03-05").unwrap_err();
    assert!(
        e.message.contains("in the future (today is 2026-03-04)"),
        "{e}"
    );
    let e = i.answer("received", "3/2/2026").unwrap_err();
    assert!(e.message.contains("expected YYYY-MM-DD"), "{e}");
    i.answer("received", "2026-03-04").unwrap();
    let e = i.answer("arrival.time", "11:00").unwrap_err();
    assert!(e.message.contains("in the future"), "{e}");
    i.answer("arrival.time", "09:05").unwrap();
    let e = i.answer("patient.age", "old").unwrap_err();
    assert_eq!(e.message, "expected a whole number from 0 to 130");
    let e = i.answer("requester.relationship", "mother").unwrap_err();
    assert!(
        e.message
            .contains("expected one of: self, personal_representative, parent,"),
        "{e}"
    );
    // Answers that would not load together are refused when given.
    let e = i.answer("requester.relationship", "executor").unwrap_err();
    assert!(e.message.contains("no date of death was given"), "{e}");
    let e = i.answer("concern.type", "threat_to_self").unwrap_err();
    assert!(e.message.contains("does not apply to this case"), "{e}");
    let e = i.answer("jurisdiction", "Ohio").unwrap_err();
    assert!(e.message.contains("US-OH"), "{e}");
    let e = i.answer("recieved", "2026-03-01").unwrap_err();
    assert!(e.message.contains("did you mean `received`"), "{e}");
}

#[test]
fn follow_up_questions_depend_on_the_answers() {
    let mut i = Intake::new(now());
    answer_all(
        &mut i,
        &[
            ("kind", "access_request"),
            ("patient.age", "40"),
            ("requester.relationship", "attorney"),
            ("instrument.type", "subpoena"),
        ],
    );
    let keys: Vec<String> = i.questions().into_iter().map(|q| q.key).collect();
    for k in [
        "instrument.judge_signed",
        "instrument.patient_notified",
        "instrument.protective_order",
        "request.purpose",
    ] {
        assert!(keys.contains(&k.to_string()), "{k} missing: {keys:?}");
    }
    for k in [
        "patient.emancipated",
        "requester.authority.document",
        "instrument.signed",
        "instrument.expires",
    ] {
        assert!(!keys.contains(&k.to_string()), "{k} asked: {keys:?}");
    }
    i.answer("instrument.type", "authorization").unwrap();
    let keys: Vec<String> = i.questions().into_iter().map(|q| q.key).collect();
    assert!(keys.contains(&"instrument.expires".to_string()));
    assert!(!keys.contains(&"instrument.judge_signed".to_string()));
    i.answer("instrument.expires", "end of the lawsuit")
        .unwrap();
    assert_eq!(
        i.text("instrument.expires"),
        Some("event: end of the lawsuit")
    );
    assert!(i.answer("instrument.expires", "2026-02-30").is_err());
}

#[test]
fn records_are_lines_with_their_facts() {
    let mut i = Intake::new(now());
    answer_all(&mut i, &[("kind", "access_request")]);
    let e = i.answer("records", "").unwrap_err();
    assert!(e.message.contains("at least one record item"), "{e}");
    let e = i
        .answer("records", "Notes psychotherapy_notes x")
        .unwrap_err();
    assert!(e.message.contains("invalid record id"), "{e}");
    let e = i
        .answer("records", "notes psychotherapy_note x")
        .unwrap_err();
    assert!(
        e.message.contains("did you mean `psychotherapy_notes`"),
        "{e}"
    );
    let e = i.answer("records", "notes chart").unwrap_err();
    assert!(e.message.contains("description is missing"), "{e}");
    i.answer(
        "records",
        "notes psychotherapy_notes Process notes; kept_separately=no",
    )
    .unwrap();
    assert_eq!(i.text("records.notes.kept_separately"), Some("false"));
    let e = i.answer("records", "notes chart again").unwrap_err();
    assert!(e.message.contains("already used"), "{e}");
}

#[test]
fn after_hours_counts_from_the_next_business_day_only_where_the_clinic_says_so() {
    // Friday 2026-03-06, 18:30.
    let friday_evening =
        NaiveDateTime::parse_from_str("2026-03-06 20:00", "%Y-%m-%d %H:%M").unwrap();
    let mut i = Intake::new(friday_evening);
    answer_all(
        &mut i,
        &[
            ("kind", "access_request"),
            ("received", "2026-03-06"),
            ("arrival.time", "18:30"),
        ],
    );
    assert_eq!(i.counting_day().unwrap().to_string(), "2026-03-06");
    i.after_hours = Some(crate::case::settings::IntakeSettings {
        closes_at: "17:00".into(),
        after_hours_next_business_day: true,
    });
    assert_eq!(i.counting_day().unwrap().to_string(), "2026-03-09");
    // The case file it writes counts from Monday, which is ahead of the clock on Friday
    // evening, and loads: the day it arrived is the one never in the future.
    answer_all(
        &mut i,
        &[
            ("arrival.channel", "email"),
            ("jurisdiction", "US-OH"),
            ("patient.ref", "P-1"),
            ("patient.age", "40"),
            ("requester.name", "The patient"),
            ("requester.relationship", "self"),
            ("requester.identity_verified", "no"),
            ("instrument.type", "none"),
            ("records", "chart chart Chart"),
            ("evaluation.assigned_to", "Dr. X"),
        ],
    );
    i.fill_defaults();
    let text = i.case_text("AR-2026-0001").unwrap();
    assert!(
        text.contains("received: 2026-03-09\n") && text.contains("  on: 2026-03-06\n"),
        "{text}"
    );
    let mut opts = crate::case::LoadOptions::new(friday_evening.date());
    opts.intake = i.after_hours.clone();
    let dir = tempfile::tempdir().unwrap();
    crate::case::load::parse(
        std::path::Path::new("AR-2026-0001.yaml"),
        text.as_bytes(),
        "AR-2026-0001.yaml",
        dir.path(),
        &opts,
    )
    .unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
    i.answer("arrival.time", "16:59").unwrap();
    assert_eq!(i.counting_day().unwrap().to_string(), "2026-03-06");
}

#[test]
fn scalars_are_quoted_only_where_needed() {
    for (s, want) in [
        ("Dr. A. Rivera (MD)", "Dr. A. Rivera (MD)"),
        ("yes", "\"yes\""),
        ("2024", "\"2024\""),
        ("He said: no", "\"He said: no\""),
        ("a #b", "\"a #b\""),
        ("\"x\"", "\"\\\"x\\\"\""),
        ("- dash", "\"- dash\""),
    ] {
        assert_eq!(write::scalar(s), want);
        let back: std::collections::BTreeMap<String, String> =
            crate::yaml::from_str(&format!("k: {}\n", write::scalar(s))).unwrap();
        assert_eq!(back["k"], s);
    }
}

/// A valid answer for every kind of question, varied by key where the questions that
/// follow depend on it.
fn sample_answer(q: &Question, i: &Intake, instrument: &str, concern: &str) -> String {
    match (q.key.as_str(), q.answer) {
        ("kind", _) => unreachable_kind(),
        ("instrument.type", _) => instrument.into(),
        ("concern.type", _) => concern.into(),
        // A parent on the patient's own kinds of request, an attorney on legal process.
        ("requester.relationship", _) => {
            if matches!(instrument, "written_request" | "patient_direction" | "none") {
                "parent".into()
            } else {
                "attorney".into()
            }
        }
        ("patient.age", _) => "15".into(),
        ("concern.recipient", _) => "business_associate".into(),
        ("records", _) => match i.records().len() {
            0 => "notes psychotherapy_notes Process notes".into(),
            1 => "chart chart Outpatient chart".into(),
            _ => String::new(),
        },
        (_, AnswerType::Date { .. }) => "2026-03-02".into(),
        (_, AnswerType::Time) => "09:05".into(),
        (_, AnswerType::Text) => format!("text of {}", q.key),
        (_, AnswerType::Int { min, .. }) => min.to_string(),
        (_, AnswerType::Choice(values)) => values[values.len() - 1].to_string(),
        (_, AnswerType::YesNoUnknown) if q.key.starts_with("records.") => "unknown".into(),
        (_, AnswerType::YesNoUnknown | AnswerType::YesNo) => "yes".into(),
        (_, AnswerType::Jurisdiction) => "US-CA".into(),
        (_, AnswerType::CaseId) => "AR-2026-0001".into(),
        (_, AnswerType::Expiry) => "end of the lawsuit".into(),
        (_, AnswerType::Fee) => "copying_labor=6.50 postage=2".into(),
        (_, AnswerType::Record) => String::new(),
    }
}

fn unreachable_kind() -> String {
    panic!("kind is answered first")
}

/// Where a question's answer lives in the case, as a JSON path.
fn json_path(key: &str, case: &serde_json::Value) -> Option<serde_json::Value> {
    let mut parts: Vec<String> = key.split('.').map(str::to_string).collect();
    let root = parts[0].as_str();
    let prefix: &[&str] = match root {
        "requester" | "instrument" | "form" | "fee" | "delivery" | "urgency" => &["request"],
        "evaluation" => {
            parts[0] = "harm_evaluation".into();
            &[]
        }
        "records" => {
            let id = parts[1].clone();
            let recs = case["request"]["records"].as_array()?;
            let rec = recs.iter().find(|r| r["id"] == id.as_str())?;
            return rec.get(&parts[2]).cloned();
        }
        "patient" if parts[1] == "ref" => return case["patient"].get("ref").cloned(),
        _ => &[],
    };
    let mut v = case;
    for p in prefix.iter().map(|s| s.to_string()).chain(parts) {
        v = v.get(&p)?;
    }
    Some(v.clone())
}

/// The canonical answer as the case file holds it.
fn as_json(q: &Question, text: &str) -> serde_json::Value {
    use serde_json::json;
    match q.answer {
        AnswerType::YesNoUnknown | AnswerType::YesNo => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!("unknown"),
        },
        AnswerType::Int { .. } => json!(text.parse::<u64>().unwrap()),
        AnswerType::Expiry => match text.strip_prefix("event: ") {
            Some(e) => json!({ "event": e }),
            None => json!(text),
        },
        AnswerType::Fee => json!([
            { "item": "copying_labor", "amount": 6.5 },
            { "item": "postage", "amount": 2.0 }
        ]),
        _ => json!(text),
    }
}

#[test]
fn every_question_of_every_path_lands_in_the_case_file() {
    let mut asked = std::collections::BTreeSet::new();
    let paths: Vec<(&str, &str, &str)> = schema::INSTRUMENTS
        .iter()
        .map(|t| ("access_request", *t, ""))
        .chain(
            schema::CONCERNS
                .iter()
                .map(|c| ("disclosure_concern", "", *c)),
        )
        .collect();
    for (kind, instrument, concern) in paths {
        let mut i = Intake::new(now());
        i.answer("kind", kind).unwrap();
        i.answer("follows", "AR-2026-0001").unwrap();
        while let Some(q) = i.next() {
            let a = sample_answer(&q, &i, instrument, concern);
            i.answer(&q.key, &a)
                .unwrap_or_else(|e| panic!("{kind}/{instrument}{concern}: {e}"));
        }
        let text = i.case_text("AR-2026-0009").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let case = crate::case::load::parse(
            std::path::Path::new("AR-2026-0009.yaml"),
            text.as_bytes(),
            "AR-2026-0009.yaml",
            dir.path(),
            &crate::case::LoadOptions::new(now().date()),
        )
        .unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
        let json = serde_json::to_value(&case).unwrap();
        for q in i.questions() {
            let Some(value) = i.text(&q.key) else {
                continue;
            };
            if q.key == "fee.items" {
                assert_eq!(
                    json["request"]["fee"]["items"],
                    as_json(&q, value),
                    "{text}"
                );
            } else {
                let want = as_json(&q, value);
                match json_path(&q.key, &json) {
                    Some(got) => assert_eq!(got, want, "{}\n{text}", q.key),
                    // The model leaves a default out when it writes itself back (an
                    // unknown fact whose default is unknown): the intake's file says it.
                    None => {
                        let field = q.key.rsplit('.').next().unwrap_or("");
                        assert!(
                            want == serde_json::json!("unknown")
                                && text.contains(&format!("{field}: unknown")),
                            "{}: not in the file\n{text}",
                            q.key
                        );
                    }
                }
            }
            let generic: Vec<&str> = q
                .key
                .split('.')
                .map(|p| {
                    if p == "notes" || p == "chart" {
                        "<id>"
                    } else {
                        p
                    }
                })
                .collect();
            asked.insert(generic.join("."));
        }
        for r in i.records() {
            asked.insert("records".to_string());
            let recs = json["request"]["records"].as_array().unwrap();
            assert!(
                recs.iter().any(|x| x["id"] == r.id.as_str()
                    && x["category"] == r.category
                    && x["description"] == r.description.as_str()),
                "{}: {text}",
                r.id
            );
        }
    }
    // Every question there is was asked on some path.
    for q in catalogue() {
        assert!(asked.contains(&q.key), "{} never asked", q.key);
    }
}

#[test]
fn a_changed_answer_drops_the_answers_that_no_longer_apply() {
    let mut i = Intake::new(now());
    answer_all(&mut i, PARENT);
    assert!(i.forget_inapplicable().is_empty(), "nothing to drop yet");
    // Another instrument: its own follow-ups, not the written request's.
    i.answer("instrument.type", "subpoena").unwrap();
    let dropped = i.forget_inapplicable();
    assert!(
        dropped.contains(&"instrument.signed".to_string()),
        "{dropped:?}"
    );
    assert!(i.text("instrument.signed").is_none());
    assert_eq!(
        i.next().map(|q| q.key).as_deref(),
        Some("instrument.judge_signed")
    );
    // A patient of age: the minor's questions go, with the per-record facts.
    i.answer("patient.age", "40").unwrap();
    let dropped = i.forget_inapplicable();
    for k in [
        "patient.emancipated",
        "records.chart.minor_consented_alone",
        "records.notes.parent_agreed_confidentiality",
    ] {
        assert!(dropped.contains(&k.to_string()), "{k}: {dropped:?}");
    }
    assert_eq!(
        i.text("records.notes.kept_separately"),
        Some("unknown"),
        "a fact that still applies stays"
    );
}

#[test]
fn the_last_record_item_can_be_taken_back() {
    let mut i = Intake::new(now());
    answer_all(&mut i, PARENT);
    assert_eq!(
        i.take_last_record().as_deref(),
        Some("notes psychotherapy_notes Therapist's \"process\" notes")
    );
    assert_eq!(i.records().len(), 1);
    assert!(
        i.text("records.notes.kept_separately").is_none(),
        "its facts go with it"
    );
    // The list is open again: the next question is the records one.
    assert_eq!(i.next().map(|q| q.key).as_deref(), Some("records"));
    assert!(i.take_last_record().is_some());
    assert!(i.given("records").is_none());
    assert!(i.take_last_record().is_none());
    assert!(i.missing().iter().any(|q| q.key == "records"));
}

#[test]
fn the_answers_so_far_read_back_as_an_answers_file() {
    let mut i = Intake::new(now());
    answer_all(&mut i, &PARENT[..25]);
    i.answer("instrument.type", "authorization").unwrap();
    i.answer("instrument.expires", "end of the lawsuit")
        .unwrap();
    let text = i.answers_text();
    assert!(text.starts_with("# The answers of an intake begun on 2026-03-04 at 10:30"));
    assert!(text.contains("arrival.time: \"17:45\"\n"), "{text}");
    assert!(text.contains("patient.date_of_death: \"\"\n"), "{text}");
    assert!(
        text.contains("records:\n  - \"chart chart Outpatient chart 2025\"\n"),
        "{text}"
    );
    assert!(
        text.contains("instrument.expires: \"end of the lawsuit\"\n"),
        "{text}"
    );
    let tree = crate::yaml::tree::parse(&text).unwrap();
    let crate::yaml::tree::Value::Map(entries) = &tree.value else {
        panic!("{text}");
    };
    let scope = entries
        .iter()
        .find(|(k, _)| k.value.scalar_text().as_deref() == Some("instrument.scope"))
        .map(|(_, v)| v.value.clone());
    assert_eq!(
        scope,
        Some(crate::yaml::tree::Value::Str(
            "all of my daughter's records: notes too".into()
        ))
    );
}
