//! The questions, in the order a clerk meets them, each with the condition under which
//! it is asked (its place in the list below), its check and its default.

use super::{AnswerType, Given, Intake};
use crate::case::schema;

/// What the case is: a request for records, or a concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Access,
    Concern,
}

/// One question.
#[derive(Debug, Clone)]
pub struct Question {
    /// The answer's key: also the flag (`--set KEY=VALUE`) and the answers file's key.
    pub key: String,
    /// The part of the form it belongs to (Arrival, Patient, Requester...).
    pub section: &'static str,
    pub prompt: String,
    pub answer: AnswerType,
    pub required: bool,
    /// Asked on the terminal (false: only from flags or an answers file).
    pub ask: bool,
    /// The answer an empty line takes.
    pub default: fn(&Intake) -> Option<String>,
    /// A check beyond the answer's type, on its canonical text.
    pub check: fn(&Intake, &str) -> Result<(), String>,
}

fn none(_: &Intake) -> Option<String> {
    None
}

fn fine(_: &Intake, _: &str) -> Result<(), String> {
    Ok(())
}

fn q(
    key: &str,
    section: &'static str,
    prompt: &str,
    answer: AnswerType,
    required: bool,
) -> Question {
    Question {
        key: key.to_string(),
        section,
        prompt: prompt.to_string(),
        answer,
        required,
        ask: true,
        default: none,
        check: fine,
    }
}

fn with_default(mut question: Question, default: fn(&Intake) -> Option<String>) -> Question {
    question.default = default;
    question
}

fn with_check(mut question: Question, check: fn(&Intake, &str) -> Result<(), String>) -> Question {
    question.check = check;
    question
}

const PAST: AnswerType = AnswerType::Date { past: true };
const ANY_DATE: AnswerType = AnswerType::Date { past: false };
const YNU: AnswerType = AnswerType::YesNoUnknown;

/// The relationships that act for the patient (their authority is asked about).
const REPRESENTATIVES: &[&str] = &["personal_representative", "parent", "executor"];

/// Every question key there is (for "did you mean" on a mistyped flag).
pub fn all_keys() -> Vec<String> {
    catalogue().into_iter().map(|q| q.key).collect()
}

/// Every question there is, each once, in order (`casebench new --list-questions`); the
/// per-record facts as `records.ID.FACT`.
pub fn catalogue() -> Vec<Question> {
    let mut keys: Vec<Question> = Vec::new();
    for kind in ["access_request", "disclosure_concern"] {
        let mut i = Intake::new(chrono::NaiveDateTime::MIN);
        i.answers.push(("kind".into(), Given::One(kind.into())));
        i.answers
            .push(("requester.relationship".into(), Given::One("parent".into())));
        i.answers.push((
            "requester.identity_verified".into(),
            Given::One("true".into()),
        ));
        i.answers
            .push(("patient.age".into(), Given::One("10".into())));
        i.answers
            .push(("fee.items".into(), Given::One("postage=1".into())));
        i.answers
            .push(("urgency.needed_by".into(), Given::One("2026-01-01".into())));
        i.answers
            .push(("form.requested".into(), Given::One("paper_copy".into())));
        i.answers
            .push(("delivery.method".into(), Given::One("mail".into())));
        let types: &[&str] = if kind == "access_request" {
            schema::INSTRUMENTS
        } else {
            schema::CONCERNS
        };
        for t in types {
            i.answers.retain(|(k, _)| k != "concern.type");
            i.answers
                .push(("concern.type".into(), Given::One(t.to_string())));
            i.answers.retain(|(k, _)| k != "instrument.type");
            i.answers
                .push(("instrument.type".into(), Given::One(t.to_string())));
            i.answers.retain(|(k, _)| k != "records");
            i.answers.push((
                "records".into(),
                Given::Records {
                    lines: vec!["x psychotherapy_notes x".into()],
                    closed: false,
                },
            ));
            for mut q in questions_for(&i) {
                if let Some(fact) = q.key.strip_prefix("records.x.") {
                    q.key = format!("records.<id>.{fact}");
                    q.prompt = q.prompt.replace("`x`", "`<id>`");
                }
                if !keys.iter().any(|k| k.key == q.key) {
                    keys.push(q);
                }
            }
        }
    }
    keys
}

/// The questions that apply to `intake`'s answers so far, in order.
pub fn questions_for(intake: &Intake) -> Vec<Question> {
    let mut out = Vec::new();

    // ---- Arrival ----------------------------------------------------------------------
    out.push(q(
        "kind",
        "Arrival",
        "Is this a request for records (access_request) or a concern that may call for a disclosure (disclosure_concern)?",
        AnswerType::Choice(schema::KINDS),
        true,
    ));
    let kind = intake.kind();
    out.push(q(
        "received",
        "Arrival",
        match kind {
            Some(super::Kind::Concern) => "On what day did the concern arise?",
            _ => "On what day did the request arrive? (the clock starts then)",
        },
        PAST,
        true,
    ));
    out.push(q(
        "arrival.time",
        "Arrival",
        "At what time did it arrive? (HH:MM, 24-hour; empty if not known)",
        AnswerType::Time,
        false,
    ));
    out.push(q(
        "arrival.channel",
        "Arrival",
        "How did it come?",
        AnswerType::Choice(schema::CHANNELS),
        true,
    ));
    out.push(q(
        "arrival.logged_by",
        "Arrival",
        "Who is logging it? (your name; empty to leave out)",
        AnswerType::Text,
        false,
    ));
    out.push(with_default(
        q(
            "jurisdiction",
            "Arrival",
            "Which state's law applies? (US-XX, or US for federal law only)",
            AnswerType::Jurisdiction,
            true,
        ),
        |i| i.home_state.clone(),
    ));
    let mut follows = q(
        "follows",
        "Arrival",
        "The earlier case this one follows, if any",
        AnswerType::CaseId,
        false,
    );
    follows.ask = false;
    out.push(follows);

    // ---- The patient ------------------------------------------------------------------
    out.push(q(
        "patient.ref",
        "Patient",
        "The patient's pseudonymous reference (never the name), e.g. P-10442",
        AnswerType::Text,
        true,
    ));
    out.push(q(
        "patient.age",
        "Patient",
        "The patient's age in years when the request arrived",
        AnswerType::Int { min: 0, max: 130 },
        true,
    ));
    let minor = intake
        .text("patient.age")
        .and_then(|a| a.parse::<u32>().ok())
        .is_some_and(|a| a < 18);
    if minor {
        out.push(q(
            "patient.emancipated",
            "Patient",
            "Is the patient a legally emancipated minor?",
            YNU,
            true,
        ));
    }
    out.push(q(
        "patient.date_of_death",
        "Patient",
        "If the patient has died, the date of death (empty if living)",
        PAST,
        false,
    ));

    if kind == Some(super::Kind::Concern) {
        concern_questions(intake, &mut out);
    } else if kind == Some(super::Kind::Access) {
        request_questions(intake, &mut out, minor);
    }

    // ---- Title and the evaluation ---------------------------------------------------
    if kind.is_some() {
        out.push(with_check(
            with_default(
                q(
                    "title",
                    "Title",
                    "A one-line title for the queue",
                    AnswerType::Text,
                    true,
                ),
                super::write::default_title,
            ),
            |_, t| {
                let n = t.chars().count();
                if n > crate::case::validate::MAX_TITLE_CHARS {
                    Err(format!(
                        "the title is {n} characters; expected at most {}",
                        crate::case::validate::MAX_TITLE_CHARS
                    ))
                } else {
                    Ok(())
                }
            },
        ));
        out.push(q(
            "evaluation.assigned_to",
            "Evaluation of harm",
            "Which clinician is asked for the evaluation of harm? (name and credential; it stays pending until they write it)",
            AnswerType::Text,
            true,
        ));
    }
    out
}

fn request_questions(intake: &Intake, out: &mut Vec<Question>, minor: bool) {
    let is = |k: &str, v: &str| intake.text(k) == Some(v);
    // ---- The requester --------------------------------------------------------------
    out.push(q(
        "requester.name",
        "Requester",
        "Who is asking, as they sign? e.g. M. Reyes (the patient), Harlow & Pike LLP (J. Pike)",
        AnswerType::Text,
        true,
    ));
    out.push(with_check(
        q(
            "requester.relationship",
            "Requester",
            "Their relationship to the patient",
            AnswerType::Choice(schema::RELATIONSHIPS),
            true,
        ),
        |i, rel| {
            let died = i.text("patient.date_of_death");
            match (rel, died) {
                ("executor", None) => Err("an `executor` acts for a deceased patient's estate, and no date of death was given; for a living patient: `personal_representative`".into()),
                ("self", Some(d)) if Some(d) < i.text("received") => Err(format!(
                    "the patient died on {d}, before the request arrived: it comes from an `executor`, a `personal_representative` or `family`"
                )),
                _ => Ok(()),
            }
        },
    ));
    out.push(q(
        "requester.address",
        "Requester",
        "Their postal or email address (for the reply, and the accounting of disclosures)",
        AnswerType::Text,
        false,
    ));
    out.push(q(
        "requester.identity_verified",
        "Requester",
        "Has their identity been checked?",
        YNU,
        true,
    ));
    if is("requester.identity_verified", "true") {
        out.push(q(
            "requester.identity_check.method",
            "Requester",
            "How was it checked?",
            AnswerType::Choice(schema::IDENTITY_METHODS),
            true,
        ));
        out.push(q(
            "requester.identity_check.by",
            "Requester",
            "Who checked it?",
            AnswerType::Text,
            true,
        ));
        out.push(with_default(
            q(
                "requester.identity_check.on",
                "Requester",
                "On what day? (empty: the day it arrived)",
                PAST,
                false,
            ),
            |i| i.text("received").map(str::to_string),
        ));
    }

    // ---- Authority ------------------------------------------------------------------
    let rel = intake.text("requester.relationship").unwrap_or("");
    if REPRESENTATIVES.contains(&rel) {
        out.push(q(
            "requester.authority.document",
            "Authority",
            "What gives them authority to act for the patient?",
            AnswerType::Choice(schema::AUTHORITY_DOCUMENTS),
            true,
        ));
        out.push(q(
            "requester.authority.shown",
            "Authority",
            "Was a copy shown that names them and is in force?",
            YNU,
            true,
        ));
    }

    // ---- The instrument ---------------------------------------------------------------
    out.push(q(
        "instrument.type",
        "Instrument",
        "What came with the request?",
        AnswerType::Choice(schema::INSTRUMENTS),
        true,
    ));
    let t = intake.text("instrument.type").unwrap_or("");
    let signed = |out: &mut Vec<Question>| {
        out.push(q(
            "instrument.signed",
            "Instrument",
            "Is it signed?",
            YNU,
            true,
        ))
    };
    let dated = |out: &mut Vec<Question>| {
        out.push(q(
            "instrument.dated",
            "Instrument",
            "The date written on it (empty if it has none)",
            PAST,
            false,
        ))
    };
    let scope = |out: &mut Vec<Question>| {
        out.push(q(
            "instrument.scope",
            "Instrument",
            "What it asks for or covers, in its own words (empty to leave out)",
            AnswerType::Text,
            false,
        ))
    };
    let judge = |out: &mut Vec<Question>| {
        out.push(q(
            "instrument.judge_signed",
            "Instrument",
            "Did a judge or magistrate sign it (not only a lawyer or a court clerk)?",
            YNU,
            true,
        ))
    };
    let return_date = |out: &mut Vec<Question>| {
        out.push(q(
            "instrument.return_date",
            "Instrument",
            "The date it sets for producing the records (empty if none)",
            ANY_DATE,
            false,
        ))
    };
    match t {
        "written_request" | "patient_direction" => {
            signed(out);
            dated(out);
            scope(out);
        }
        "authorization" => {
            signed(out);
            dated(out);
            out.push(q(
                "instrument.expires",
                "Instrument",
                "Its expiry: a date, or the event in words (empty if the form has none: it is then defective)",
                AnswerType::Expiry,
                false,
            ));
            out.push(q(
                "instrument.covers_psychotherapy_notes",
                "Instrument",
                "Did a separate authorization for psychotherapy notes come with it?",
                YNU,
                true,
            ));
            scope(out);
        }
        "court_order" | "warrant" => {
            judge(out);
            dated(out);
            return_date(out);
            scope(out);
        }
        "subpoena" => {
            judge(out);
            out.push(q(
                "instrument.patient_notified",
                "Instrument",
                "Did the requesting party give written proof that the patient was notified and the time to object passed?",
                YNU,
                true,
            ));
            out.push(q(
                "instrument.protective_order",
                "Instrument",
                "Did they show a qualified protective order was obtained or sought?",
                YNU,
                true,
            ));
            dated(out);
            return_date(out);
            scope(out);
        }
        "administrative_request" => {
            dated(out);
            return_date(out);
            scope(out);
        }
        _ => {}
    }
    if !t.is_empty()
        && !matches!(
            rel,
            "self" | "personal_representative" | "parent" | "executor"
        )
    {
        out.push(q(
            "request.purpose",
            "Instrument",
            "Why are the records asked for? (empty if not stated)",
            AnswerType::Choice(schema::PURPOSES),
            false,
        ));
    }

    // ---- The records ----------------------------------------------------------------
    let parent_of_minor = minor && rel == "parent";
    for r in intake.records() {
        if r.category == "psychotherapy_notes" {
            out.push(q(
                &format!("records.{}.kept_separately", r.id),
                "Records",
                &format!(
                    "Are the notes `{}` kept apart from the chart (a separate file, not shared with the team, not used for billing)? Ask the therapist if unsure",
                    r.id
                ),
                YNU,
                true,
            ));
        }
        if parent_of_minor {
            for (fact, words) in [
                (
                    "minor_consented_alone",
                    "did the minor lawfully consent to it alone?",
                ),
                ("court_ordered_care", "did a court order or consent to it?"),
                (
                    "parent_agreed_confidentiality",
                    "did the parent agree to keep it confidential between the minor and the clinician?",
                ),
            ] {
                out.push(q(
                    &format!("records.{}.{fact}", r.id),
                    "Records",
                    &format!("For the care in `{}`: {words}", r.id),
                    YNU,
                    true,
                ));
            }
        }
    }
    out.push(q(
        "records",
        "Records",
        "A record item asked for, one line: ID CATEGORY DESCRIPTION (an empty line when done)",
        AnswerType::Record,
        true,
    ));

    // ---- Form and delivery ----------------------------------------------------------
    out.push(q(
        "form.requested",
        "Form and delivery",
        "In what form? (empty if not said)",
        AnswerType::Choice(schema::FORMS),
        false,
    ));
    if intake.text("form.requested").is_some() {
        out.push(q(
            "form.format",
            "Form and delivery",
            "The format in their words, e.g. PDF by secure email (empty to leave out)",
            AnswerType::Text,
            false,
        ));
    }
    out.push(q(
        "delivery.method",
        "Form and delivery",
        "How are the records to reach them? (empty if not said)",
        AnswerType::Choice(schema::DELIVERY_METHODS),
        false,
    ));
    if intake.text("delivery.method").is_some() {
        out.push(with_default(
            q(
                "delivery.address",
                "Form and delivery",
                "The address to send them to (empty: the requester's address)",
                AnswerType::Text,
                false,
            ),
            |i| i.text("requester.address").map(str::to_string),
        ));
        out.push(with_default(
            q(
                "delivery.certified",
                "Form and delivery",
                "Is a certified copy asked for? (empty: no)",
                AnswerType::YesNo,
                false,
            ),
            |_| Some("no".into()),
        ));
        out.push(with_default(
            q(
                "delivery.sealed",
                "Form and delivery",
                "In a sealed envelope? (empty: no)",
                AnswerType::YesNo,
                false,
            ),
            |_| Some("no".into()),
        ));
    }

    // ---- Fee ------------------------------------------------------------------------
    out.push(q(
        "fee.items",
        "Fee",
        "The fee quoted, as ITEM=AMOUNT pairs (empty: none quoted)",
        AnswerType::Fee,
        false,
    ));
    if intake.text("fee.items").is_some() {
        out.push(q(
            "fee.method",
            "Fee",
            "How was it worked out?",
            AnswerType::Choice(schema::FEE_METHODS),
            true,
        ));
        out.push(q(
            "fee.told_in_advance",
            "Fee",
            "Were they told the fee before the copy is made?",
            AnswerType::YesNo,
            true,
        ));
    }

    // ---- Urgency --------------------------------------------------------------------
    out.push(q(
        "urgency.needed_by",
        "Urgency",
        "A date the requester needs the records by (their own date, not a legal deadline; empty if none)",
        ANY_DATE,
        false,
    ));
    if intake.text("urgency.needed_by").is_some() {
        out.push(q(
            "urgency.reason",
            "Urgency",
            "Why by then? (empty to leave out)",
            AnswerType::Text,
            false,
        ));
    }
}

fn concern_questions(intake: &Intake, out: &mut Vec<Question>) {
    out.push(q(
        "concern.type",
        "Concern",
        "What kind of concern is it?",
        AnswerType::Choice(schema::CONCERNS),
        true,
    ));
    out.push(q(
        "concern.statement",
        "Concern",
        "What was said or what happened, in the patient's own words where possible",
        AnswerType::Text,
        true,
    ));
    let t = intake.text("concern.type").unwrap_or("");
    if matches!(t, "threat_to_others" | "threat_to_self") {
        for (fact, words) in [
            (
                "identifiable_victim",
                "Can the person at risk be identified?",
            ),
            (
                "means",
                "Does the person have the means to carry out the harm?",
            ),
            (
                "imminent",
                "Could the harm happen soon (a stated time, a plan in motion)?",
            ),
        ] {
            out.push(q(&format!("concern.{fact}"), "Concern", words, YNU, true));
        }
    }
    if !t.is_empty() {
        out.push(q(
            "concern.patient_agrees_to_report",
            "Concern",
            "Does the patient agree to the report or disclosure?",
            YNU,
            true,
        ));
    }
    if matches!(
        t,
        "treatment" | "business_associate" | "medical_emergency" | "required_by_law"
    ) {
        out.push(with_check(
            q(
                "concern.recipient",
                "Concern",
                "Who would receive the information?",
                AnswerType::Choice(schema::RECIPIENTS),
                true,
            ),
            |i, r| {
                let to_associate = matches!(r, "business_associate" | "qualified_service_organization");
                if i.text("concern.type") == Some("business_associate") && !to_associate {
                    Err("a `business_associate` disclosure goes to a `business_associate` or a `qualified_service_organization`".into())
                } else {
                    Ok(())
                }
            },
        ));
    }
}
