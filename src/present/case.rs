//! A case as sections of rows: its head (id and title, kind, deadline, standing in the
//! log, entity, arrival, patient), the request or the concern, the evaluation of harm,
//! the consultation notes and the documentation. `casebench show` prints them; the
//! workbench's case view draws them in its three panes ([`PANES`]).

use super::record::Standing;
use super::words::{deadline_row, snake};
use super::{Row, Section, Tone, s};
use crate::case::Case;
use crate::case::describe::{self, flag};
use crate::case::model::{Answer, HarmEvaluation, RecordCategory, Relationship};
use crate::rules::Deadline;

pub const REQUEST: &str = "Request";
pub const CONCERN: &str = "Concern";
pub const EVALUATION: &str = "Evaluation of harm";
pub const CONSULTATIONS: &str = "Consultation notes";
pub const DOCUMENTATION: &str = "Documentation";
pub const PRACTICE: &str = "Practice";
/// The head's facts that the workbench shows under the documentation (entity, arrival,
/// patient): the header above the panes already shows id, kind and deadline.
pub const CASE: &str = "Case";

/// Which sections each of the workbench's three panes shows, in order.
pub const PANES: [&[&str]; 3] = [
    &[EVALUATION, CONCERN],
    &[CONSULTATIONS],
    &[CASE, REQUEST, DOCUMENTATION, PRACTICE],
];

/// The first lines of a case: `ID  title`, kind, jurisdiction and received, and the
/// deadline with the status the log gives, then the record in force or the proposal.
pub fn head(c: &Case, dl: &Deadline, standing: &Standing) -> Section {
    let mut head = Section::new("");
    head.push(Row::line(format!("{}  {}", s(&c.id), s(&c.title))));
    head.push(Row::facts([
        ("kind", c.kind.as_str().to_string()),
        ("jurisdiction", s(&c.jurisdiction)),
        ("received", c.received.to_string()),
    ]));
    head.push(deadline_row(dl, standing.status));
    if let Some(row) = standing.row() {
        head.push(row);
    }
    head
}

/// The whole case: [`head`], then the sections. Every case string is sanitised.
pub fn sections(c: &Case, dl: &Deadline, standing: &Standing) -> Vec<Section> {
    let mut out = vec![head(c, dl, standing), facts(c)];
    if let Some(r) = request(c) {
        out.push(r);
    }
    if let Some(r) = concern(c) {
        out.push(r);
    }
    out.push(evaluation(c));
    out.push(consultations(c));
    out.push(documentation(c));
    if c.practice.is_some() {
        let mut p = Section::new(PRACTICE);
        p.push(Row::line(
            "This is a practice case; its reference decision is shown after you decide.",
        ));
        out.push(p);
    }
    out
}

/// Entity, arrival and patient.
fn facts(c: &Case) -> Section {
    let mut o = Section::new(CASE);
    if let Some(name) = &c.entity.name {
        o.push(Row::fact("entity", s(name)));
    }
    let flags: Vec<&str> = [
        (c.entity.federal_agency, "federal agency"),
        (c.entity.correctional, "correctional institution"),
        (c.entity.part2_program, "42 CFR Part 2 program"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    if !flags.is_empty() {
        o.push(Row::fact("entity is", flags.join(", ")));
    }
    for (label, text) in describe::arrival_facts(c) {
        o.push(Row::fact(label, s(&text)));
    }
    let p = &c.patient;
    let flags: String = [
        flag("emancipated", p.emancipated),
        flag("incarcerated", p.incarcerated),
        flag(
            "agreed to research suspension",
            p.research_suspension_agreed,
        ),
    ]
    .into_iter()
    .flatten()
    .map(|f| format!(", {f}"))
    .collect();
    o.push(Row::fact(
        "patient",
        format!("{}, age {}{flags}", s(&p.reference), p.age),
    ));
    o
}

/// The request: requester, the instrument's legal facts, scope, the intake's facts,
/// the record items and the extension.
fn request(c: &Case) -> Option<Section> {
    let r = c.request.as_ref()?;
    let mut o = Section::new(REQUEST);
    let (identity, tone) = match r.requester.identity_verified {
        Answer::Yes => ("verified", Tone::Normal),
        Answer::Unknown => ("unknown (NOT verified)", Tone::Warning),
        Answer::No => ("NOT verified", Tone::Warning),
    };
    o.push(
        Row::fact(
            "requester",
            format!(
                "{} ({}), identity {identity}",
                s(&r.requester.name),
                snake(&r.requester.relationship)
            ),
        )
        .tone(tone),
    );
    let i = &r.instrument;
    let mut facts = vec![snake(&i.kind)];
    let part2 = if i.part2_order.is_none() {
        i.part2_court_order
    } else {
        Answer::No
    };
    if i.signed == Answer::No {
        facts.push("unsigned".into());
    }
    for (on, what) in [
        (i.signed, "signed"),
        (i.judge_signed, "signed by a judge"),
        (i.patient_notified, "patient notified"),
        (i.protective_order, "protective order"),
        (i.covers_psychotherapy_notes, "covers psychotherapy notes"),
        (part2, "Part 2 court order"),
    ] {
        facts.extend(flag(what, on));
    }
    if let Some(d) = i.dated {
        facts.push(format!("dated {d}"));
    }
    match &i.expires {
        Some(crate::case::Expiry::Date(d)) => facts.push(format!("expires {d}")),
        Some(crate::case::Expiry::Event(e)) => {
            facts.push(format!("expires on event: {}", s(&e.event)))
        }
        None => {}
    }
    o.push(Row::fact("instrument", facts.join(", ")));
    if let Some(scope) = &i.scope {
        o.push(Row::fact("scope", s(scope)));
    }
    for (label, text) in describe::request_facts(r) {
        o.push(Row::fact(label, s(&text)));
    }
    o.push(Row::fact("records", String::new()).tone(Tone::Muted));
    // Unknown by default: worth saying only on a parent's request for a minor.
    let parent_of_minor = c.patient.age < 18 && r.requester.relationship == Relationship::Parent;
    for rec in &r.records {
        let mut notes = Vec::new();
        if rec.category == RecordCategory::PsychotherapyNotes {
            notes.extend(flag("kept separately", rec.kept_separately));
        }
        notes.extend(
            flag("minor consented alone", rec.minor_consented_alone)
                .filter(|_| parent_of_minor || rec.minor_consented_alone.is_yes()),
        );
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join(", "))
        };
        o.push(Row::item(format!(
            "{} ({}): {}{notes}",
            s(&rec.id),
            snake(&rec.category),
            s(&rec.description)
        )));
        if let Some(note) = describe::record_note(rec) {
            o.push(Row::line(format!("    {}", s(&note))).tone(Tone::Muted));
        }
    }
    if let Some(e) = &r.extension {
        o.push(Row::fact(
            "extension",
            format!("notice sent {}, new due {}", e.notice_sent, e.new_due),
        ));
        if let Some(reason) = &e.reason {
            o.push(Row::fact("  reason", s(reason)));
        }
    }
    Some(o)
}

fn concern(c: &Case) -> Option<Section> {
    let con = c.concern.as_ref()?;
    let mut o = Section::new(CONCERN);
    o.push(Row::fact("type", snake(&con.kind)));
    o.push(Row::fact("statement", s(&con.statement)));
    o.push(Row::facts([
        (
            "identifiable victim",
            con.identifiable_victim.words().to_string(),
        ),
        ("means", con.means.words().to_string()),
        ("imminent", con.imminent.words().to_string()),
        (
            "patient agrees to report",
            con.patient_agrees_to_report.words().to_string(),
        ),
    ]));
    for (label, text) in describe::concern_facts(con) {
        o.push(Row::fact(label, s(&text)));
    }
    Some(o)
}

fn evaluation(c: &Case) -> Section {
    let mut o = Section::new(EVALUATION);
    match &c.harm_evaluation {
        HarmEvaluation::Pending(p) => {
            for (i, (label, text)) in describe::pending_evaluation(p).into_iter().enumerate() {
                let row = Row::fact(label, s(&text));
                o.push(if i == 0 { row.tone(Tone::Warning) } else { row });
            }
            if !p.summary.trim().is_empty() {
                o.push(Row::prose(&p.summary));
            }
        }
        HarmEvaluation::Done(he) => {
            let a = &he.assessed_by;
            o.push(Row::line(format!(
                "assessed by {}{} on {}{}",
                s(&a.name),
                if a.credential.is_empty() {
                    String::new()
                } else {
                    format!(", {}", s(&a.credential))
                },
                he.assessed_on,
                describe::assessor_flags(a.licensed, a.treating)
            )));
            o.push(Row::facts([
                ("at risk", snake(&he.at_risk)),
                ("harm", snake(&he.harm_type)),
                ("likelihood", snake(&he.likelihood)),
                ("imminence", snake(&he.imminence)),
            ]));
            if !he.records.is_empty() {
                let recs: Vec<String> = he.records.iter().map(|r| s(r)).collect();
                o.push(Row::fact("concerns records", recs.join(", ")));
            }
            for f in &he.factors {
                o.push(Row::item(s(f)));
            }
            if !he.summary.trim().is_empty() {
                o.push(Row::prose(&he.summary));
            }
        }
    }
    o
}

fn consultations(c: &Case) -> Section {
    let mut o = Section::new(CONSULTATIONS);
    if c.consultations.is_empty() {
        o.push(Row::line("(none)").tone(Tone::Muted));
    }
    for con in &c.consultations {
        o.push(Row::line(format!(
            "{} with {} ({}), recommends {}",
            con.on,
            s(&con.with.name),
            snake(&con.with.role),
            snake(&con.recommendation)
        )));
        if !con.summary.trim().is_empty() {
            o.push(Row::prose(&con.summary));
        }
    }
    o
}

fn documentation(c: &Case) -> Section {
    let mut o = Section::new(DOCUMENTATION);
    if c.documentation.is_empty() {
        o.push(Row::line("(none)").tone(Tone::Muted));
    }
    for d in &c.documentation {
        let dated = d.dated.map_or_else(String::new, |d| format!(", {d}"));
        o.push(Row::line(format!(
            "{} ({}{dated})",
            s(&d.title),
            snake(&d.kind)
        )));
        if let Some(f) = &d.file {
            o.push(Row::fact("  file", s(f)));
        }
        if !d.summary.trim().is_empty() {
            o.push(Row::prose(&d.summary));
        }
    }
    o
}
