//! The facts of a case that nobody knows yet (issue 22): every yes/no fact written
//! `unknown` (or left out where its absence is not a "no"), and a pending evaluation of
//! harm. Each comes with the question to ask and whom to ask. The engine tries every
//! combination of answers (`engine::Engine::worlds`) and asks only about those that
//! change what may be decided.

use serde::Serialize;

use crate::case::model::{Answer, Assumed, Case, EVALUATION_QUESTIONS, RecordCategory, Slot};

/// The fact name that stands for a pending evaluation of harm.
pub const EVALUATION: &str = "harm_evaluation";

/// The most unknowns the advisor combines (2^8 worlds); past that it asks about all.
pub const MAX_COMBINED: usize = 8;

/// One unknown fact, with its question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownFact {
    /// The rulebook's fact name (`record.kept_separately`), or `harm_evaluation`.
    pub fact: &'static str,
    /// The record item, for an item's fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where the case file says it, e.g. `request.records[notes].kept_separately`.
    pub key: String,
    /// The question, in words.
    pub question: String,
    /// Whom to ask.
    pub ask: &'static str,
    /// The rule the answer matters to.
    pub citation: &'static str,
}

impl UnknownFact {
    /// This unknown assumed "yes" (for the evaluation: the gravest harm) on top of `a`.
    pub fn assume_yes(&self, a: Assumed) -> Assumed {
        if self.fact == EVALUATION {
            return a.with_grave_harm();
        }
        let slot = Slot {
            fact: self.fact,
            record: self.record.as_deref(),
        };
        a.with_yes(slot)
    }

    /// The question and whom to ask, as one sentence.
    pub fn sentence(&self) -> String {
        format!(
            "{} ({} is unknown; ask {})",
            self.question, self.key, self.ask
        )
    }
}

/// The world where the unknowns whose bits are set in `mask` are "yes" and the others
/// "no".
pub fn assumed(unknowns: &[UnknownFact], mask: u32) -> Assumed {
    unknowns
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .fold(Assumed::none(), |a, (_, u)| u.assume_yes(a))
}

/// Every unknown fact of `case`, in file order.
pub fn unknown_facts(case: &Case) -> Vec<UnknownFact> {
    let mut out = Vec::new();
    let mut add = |unknown: bool,
                   fact: &'static str,
                   record: Option<&str>,
                   key: String,
                   question: String,
                   ask: &'static str,
                   citation: &'static str| {
        if unknown {
            out.push(UnknownFact {
                fact,
                record: record.map(str::to_string),
                key,
                question,
                ask,
                citation,
            });
        }
    };
    let p = &case.patient;
    let u = Answer::is_unknown;
    add(
        u(&p.emancipated),
        "patient.emancipated",
        None,
        "patient.emancipated".into(),
        "Is the patient a legally emancipated minor?".into(),
        "the requester for the court's order, or the chart",
        "45 CFR 164.502(g)(3)",
    );
    add(
        u(&p.incarcerated),
        "patient.incarcerated",
        None,
        "patient.incarcerated".into(),
        "Is the patient an inmate?".into(),
        "the chart or the facility",
        "45 CFR 164.524(a)(2)(ii)",
    );
    add(
        u(&p.research_suspension_agreed),
        "patient.research_suspension_agreed",
        None,
        "patient.research_suspension_agreed".into(),
        "Did the patient agree, when joining the study, that access would wait until it ends?"
            .into(),
        "the study's consent form",
        "45 CFR 164.524(a)(2)(iii)",
    );
    add(
        u(&p.objected_to_family_disclosure),
        "patient.objected_to_family_disclosure",
        None,
        "patient.objected_to_family_disclosure".into(),
        "Did the patient, while alive, object to family being told?".into(),
        "the chart",
        "45 CFR 164.510(b)(5)",
    );
    if let Some(r) = &case.request {
        let q = &r.requester;
        add(
            u(&q.involved_in_care),
            "requester.involved_in_care",
            None,
            "request.requester.involved_in_care".into(),
            "Was the requester involved in the patient's care or its payment before death?".into(),
            "the chart and the requester",
            "45 CFR 164.510(b)(5)",
        );
        add(
            u(&q.agreement),
            "requester.agreement",
            None,
            "request.requester.agreement".into(),
            "Is a business associate (or QSO) agreement in place with the requester?".into(),
            "the privacy officer",
            "45 CFR 164.504(e); 42 CFR 2.11",
        );
        add(
            q.authority.as_ref().is_some_and(|a| a.shown.is_unknown()),
            "requester.authority_shown",
            None,
            "request.requester.authority.shown".into(),
            "Was the requester's authority to act for the patient shown (a copy of the document, naming them, in force)?"
                .into(),
            "the requester for a copy",
            "45 CFR 164.502(g)",
        );
        add(
            u(&r.patient_objects),
            "request.patient_objects",
            None,
            "request.patient_objects".into(),
            "Told of the parent's request, does the minor object?".into(),
            "the minor, through the treating clinician",
            "45 CFR 164.502(g)(3)(ii)",
        );
        let i = &r.instrument;
        for (value, fact, question, ask, citation) in [
            (
                i.signed,
                "instrument.signed",
                "Is the instrument signed?",
                "whoever holds the paper",
                "45 CFR 164.508(c)(1)(vi)",
            ),
            (
                i.judge_signed,
                "instrument.judge_signed",
                "Did a judge or magistrate sign it (not only a lawyer or a clerk)?",
                "whoever holds the paper, or counsel",
                "45 CFR 164.512(e)(1)",
            ),
            (
                i.patient_notified,
                "instrument.patient_notified",
                "Did the requesting party give written assurance that the patient was notified and the time to object passed?",
                "the requesting party",
                "45 CFR 164.512(e)(1)(ii)(A), (iii)",
            ),
            (
                i.protective_order,
                "instrument.protective_order",
                "Did the requesting party show a qualified protective order was obtained or sought?",
                "the requesting party",
                "45 CFR 164.512(e)(1)(ii)(B), (iv)",
            ),
            (
                i.covers_psychotherapy_notes,
                "instrument.covers_psychotherapy_notes",
                "Did a separate authorization for the psychotherapy notes come with it?",
                "the requester",
                "45 CFR 164.508(a)(2), (b)(3)(ii)",
            ),
            (
                i.part2_court_order,
                "instrument.part2_court_order",
                "Was a court order made under 42 CFR Part 2 (with its special findings)?",
                "counsel",
                "42 CFR 2.61-2.67",
            ),
            (
                i.covers_sud_counseling_notes,
                "instrument.covers_sud_counseling_notes",
                "Did a separate consent for the SUD counseling notes come with it?",
                "the requester",
                "42 CFR 2.31(b)",
            ),
        ] {
            let key = format!("request.instrument.{}", &fact["instrument.".len()..]);
            add(u(&value), fact, None, key, question.into(), ask, citation);
        }
        for rec in &r.records {
            let id = rec.id.as_str();
            let key = |f: &str| format!("request.records[{id}].{f}");
            add(
                rec.category == RecordCategory::PsychotherapyNotes && u(&rec.kept_separately),
                "record.kept_separately",
                Some(id),
                key("kept_separately"),
                format!(
                    "Are the notes `{id}` kept apart from the chart (a separate file, not shared with the team, not used for billing)?"
                ),
                "the therapist who writes them",
                "45 CFR 164.501; 164.524(a)(1)(i)",
            );
            for (value, fact, question) in [
                (
                    rec.minor_consented_alone,
                    "record.minor_consented_alone",
                    "did the minor lawfully consent to it alone?",
                ),
                (
                    rec.court_ordered_care,
                    "record.court_ordered_care",
                    "did a court order or consent to it?",
                ),
                (
                    rec.parent_agreed_confidentiality,
                    "record.parent_agreed_confidentiality",
                    "did the parent agree to keep it confidential between the minor and the clinician?",
                ),
            ] {
                // Only a parent's request for a minor's record turns on them.
                let relevant = case.patient.age < 18
                    && q.relationship == crate::case::model::Relationship::Parent;
                add(
                    relevant && u(&value),
                    fact,
                    Some(id),
                    key(&fact["record.".len()..]),
                    format!("For the care in `{id}`: {question}"),
                    "the treating clinician",
                    "45 CFR 164.502(g)(3)(i)",
                );
            }
        }
    }
    if let Some(c) = &case.concern {
        for (value, fact, question, ask, citation) in [
            (
                c.identifiable_victim,
                "concern.identifiable_victim",
                "Can the person at risk be identified?",
                "the clinician who heard it",
                "45 CFR 164.512(j); the state's duty-to-warn law",
            ),
            (
                c.means,
                "concern.means",
                "Does the person have the means to carry out the harm?",
                "the clinician who heard it",
                "45 CFR 164.512(j)",
            ),
            (
                c.imminent,
                "concern.imminent",
                "Could the harm happen soon (a stated time, a plan in motion)?",
                "the clinician who heard it",
                "45 CFR 164.512(j)(1)(i)",
            ),
            (
                c.patient_agrees_to_report,
                "concern.patient_agrees_to_report",
                "Does the patient agree to the report or disclosure?",
                "the patient, through the clinician",
                "45 CFR 164.512(c)",
            ),
            (
                c.part2_records,
                "concern.part2_records",
                "Does the information to disclose include Part 2 (SUD program) records?",
                "the records' holder",
                "42 CFR 2.12",
            ),
            (
                c.part2_consent,
                "concern.part2_consent",
                "Does the patient's written Part 2 consent cover this disclosure?",
                "the consent on file",
                "42 CFR 2.31, 2.33",
            ),
            (
                c.agreement,
                "concern.agreement",
                "Is a business associate (or QSO) agreement in place with the recipient?",
                "the privacy officer",
                "45 CFR 164.504(e); 42 CFR 2.11",
            ),
        ] {
            let key = format!("concern.{}", &fact["concern.".len()..]);
            add(u(&value), fact, None, key, question.into(), ask, citation);
        }
    }
    match &case.harm_evaluation {
        crate::case::model::HarmEvaluation::Pending(p) => add(
            true,
            EVALUATION,
            None,
            "harm_evaluation".into(),
            format!(
                "The evaluation of harm is pending ({}{}): it must decide {EVALUATION_QUESTIONS}.",
                crate::text::sanitize_line(&p.assigned_to),
                p.assigned_on
                    .map(|d| format!(", since {d}"))
                    .unwrap_or_default()
            ),
            "the clinician it is assigned to",
            "45 CFR 164.524(a)(3)",
        ),
        crate::case::model::HarmEvaluation::Done(e) => {
            add(
                u(&e.assessed_by.licensed),
                "harm.licensed",
                None,
                "harm_evaluation.assessed_by.licensed".into(),
                "Is the clinician who made the evaluation a licensed health care professional?"
                    .into(),
                "the clinician, or the credentialing file",
                "45 CFR 164.524(a)(3)",
            );
            add(
                u(&e.assessed_by.treating),
                "harm.treating",
                None,
                "harm_evaluation.assessed_by.treating".into(),
                "Does the clinician who made the evaluation treat the patient?".into(),
                "the clinician",
                "45 CFR 164.524(a)(3)",
            );
        }
    }
    out
}
