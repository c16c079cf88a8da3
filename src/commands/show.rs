//! `casebench show ID`: one case, all panes, as readable text (sanitised).

use std::fmt::Write as _;
use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, find_case, io_out, load_cases};
use crate::case::Case;
use crate::case::describe::flag;
use crate::cli::Global;
use crate::rules::Deadline;
use crate::rules::deadline;
use crate::text::{sanitize, sanitize_line};

pub fn run(global: &Global, id: &str, json: bool, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let lc = find_case(&set, id)?;
    let mut dl = deadline::for_case(&lc.case, &set.rules, global.today());
    // The case's status and decision from this user's verified memory of the log; a log
    // that no longer supports it is said, exit 1.
    let trusted = match super::trusted::catch_up(global)? {
        Ok(t) => t,
        Err(e) => return super::trusted::refuse(out, &e, json),
    };
    let history = trusted.index.cases.get(&lc.case.id);
    let in_force = history.and_then(|h| h.final_record());
    let proposal = if in_force.is_none() && lc.case.practice.is_none() {
        trusted
            .proposals()
            .map_err(CommandError::Io)?
            .into_iter()
            .find(|p| p.case == lc.case.id)
    } else {
        None
    };
    let proposal = proposal.as_ref();
    let deadline_status = dl.status;
    // The one status given the log (rules::queue::standing).
    let facts = crate::decision::standing::of_history(history, proposal.is_some());
    let standing = crate::rules::queue::standing(&lc.case, &dl, &facts);
    dl.status = standing.status;
    if json {
        // The practice reference stays hidden: trainees decide before they see it.
        let mut case = serde_json::to_value(&lc.case)
            .map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))?;
        if let Some(obj) = case.as_object_mut()
            && obj.remove("practice").is_some()
        {
            obj.insert("practice".into(), json!({ "reference": "hidden" }));
        }
        let mut deadline = serde_json::to_value(&dl)
            .map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))?;
        if let Some(obj) = deadline.as_object_mut() {
            obj.insert("status".into(), json!(deadline_status));
        }
        let report = json!({
            "path": lc.path.display().to_string(),
            "sha256": lc.sha256_hex(),
            "status": dl.status,
            "on_time": standing.on_time,
            "deadline": deadline,
            "decision": in_force.map(|e| json!({
                "seq": e.seq,
                "type": e.kind.as_str(),
                "reviewer": e.reviewer,
                "time": crate::record::model::format_time(&e.time),
                "outcome": e.outcome,
            })),
            "proposal": proposal.map(|p| p.seq),
            "case": case,
        });
        write_json(out, &report, true)?;
    } else {
        let mut text = render(&lc.case, &dl);
        let line = match (in_force, proposal) {
            (Some(e), _) => Some(format!(
                "decision: record {} ({} by {} at {}): {}\n",
                e.seq,
                e.kind.as_str(),
                sanitize_line(&e.reviewer),
                crate::record::model::format_time(&e.time),
                sanitize_line(&e.outcome)
            )),
            (None, Some(p)) => Some(format!(
                "proposal: record {} awaits a supervisor's countersignature\n",
                p.seq
            )),
            _ => None,
        };
        if let Some(line) = line {
            // After the due line (the third line of the header).
            let at = text
                .match_indices('\n')
                .nth(2)
                .map_or(text.len(), |(i, _)| i + 1);
            text.insert_str(at, &line);
        }
        out.write_all(text.as_bytes()).map_err(io_out)?;
    }
    Ok(Exit::Ok)
}

/// The whole case as text. Every case string passes through the sanitiser.
pub fn render(c: &Case, dl: &Deadline) -> String {
    let s = |t: &str| sanitize_line(t);
    let mut o = String::new();
    let _ = writeln!(o, "{}  {}", s(&c.id), s(&c.title));
    let _ = writeln!(
        o,
        "kind: {}   jurisdiction: {}   received: {}",
        c.kind.as_str(),
        s(&c.jurisdiction),
        c.received
    );
    match (dl.due, dl.days_left) {
        (Some(due), Some(left)) => {
            let ext = if dl.extended { " (extended)" } else { "" };
            let _ = writeln!(
                o,
                "due: {due}{ext}   days left: {left}   status: {}",
                dl.status.as_str()
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "due: {}   status: {}",
                if dl.clock == deadline::Clock::None {
                    "none (a third party's request: no 164.524 access clock)"
                } else {
                    "act without delay (no statutory clock)"
                },
                dl.status.as_str()
            );
        }
    }
    if let Some(name) = &c.entity.name {
        let _ = writeln!(o, "entity: {}", s(name));
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
        let _ = writeln!(o, "entity is: {}", flags.join(", "));
    }
    for (label, text) in crate::case::describe::arrival_facts(c) {
        let _ = writeln!(o, "{label}: {}", s(&text));
    }
    let p = &c.patient;
    let _ = writeln!(
        o,
        "patient: {}, age {}{}",
        s(&p.reference),
        p.age,
        [
            flag("emancipated", p.emancipated),
            flag("incarcerated", p.incarcerated),
            flag(
                "agreed to research suspension",
                p.research_suspension_agreed
            ),
        ]
        .into_iter()
        .flatten()
        .map(|f| format!(", {f}"))
        .collect::<String>(),
    );

    if let Some(r) = &c.request {
        section(&mut o, "Request");
        let _ = writeln!(
            o,
            "requester: {} ({}), identity {}",
            s(&r.requester.name),
            snake(&r.requester.relationship),
            match r.requester.identity_verified {
                crate::case::model::Answer::Yes => "verified",
                crate::case::model::Answer::Unknown => "unknown (NOT verified)",
                crate::case::model::Answer::No => "NOT verified",
            }
        );
        let i = &r.instrument;
        let mut facts = vec![snake(&i.kind)];
        let part2 = if i.part2_order.is_none() {
            i.part2_court_order
        } else {
            crate::case::model::Answer::No
        };
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
        let _ = writeln!(o, "instrument: {}", facts.join(", "));
        if let Some(scope) = &i.scope {
            let _ = writeln!(o, "scope: {}", s(scope));
        }
        for (label, text) in crate::case::describe::request_facts(r) {
            let _ = writeln!(o, "{label}: {}", s(&text));
        }
        let _ = writeln!(o, "records:");
        for rec in &r.records {
            let mut notes = Vec::new();
            if rec.category == crate::case::model::RecordCategory::PsychotherapyNotes {
                notes.extend(flag("kept separately", rec.kept_separately));
            }
            // Unknown by default: worth saying only on a parent's request for a minor.
            let parent_of_minor = c.patient.age < 18
                && r.requester.relationship == crate::case::model::Relationship::Parent;
            notes.extend(
                flag("minor consented alone", rec.minor_consented_alone)
                    .filter(|_| parent_of_minor || rec.minor_consented_alone.is_yes()),
            );
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" [{}]", notes.join(", "))
            };
            let _ = writeln!(
                o,
                "  - {} ({}): {}{notes}",
                s(&rec.id),
                snake(&rec.category),
                s(&rec.description)
            );
            if let Some(note) = crate::case::describe::record_note(rec) {
                let _ = writeln!(o, "      {}", s(&note));
            }
        }
        if let Some(e) = &r.extension {
            let _ = writeln!(
                o,
                "extension: notice sent {}, new due {}",
                e.notice_sent, e.new_due
            );
            if let Some(reason) = &e.reason {
                let _ = writeln!(o, "  reason: {}", s(reason));
            }
        }
    }
    if let Some(con) = &c.concern {
        section(&mut o, "Concern");
        let _ = writeln!(o, "type: {}", snake(&con.kind));
        let _ = writeln!(o, "statement: {}", s(&con.statement));
        let _ = writeln!(
            o,
            "identifiable victim: {}   means: {}   imminent: {}   patient agrees to report: {}",
            yes(con.identifiable_victim),
            yes(con.means),
            yes(con.imminent),
            yes(con.patient_agrees_to_report)
        );
        for (label, text) in crate::case::describe::concern_facts(con) {
            let _ = writeln!(o, "{label}: {}", s(&text));
        }
    }

    section(&mut o, "Evaluation of harm");
    match &c.harm_evaluation {
        crate::case::model::HarmEvaluation::Pending(p) => {
            for (label, text) in crate::case::describe::pending_evaluation(p) {
                let _ = writeln!(o, "{label}: {}", s(&text));
            }
            paragraph(&mut o, &p.summary);
        }
        crate::case::model::HarmEvaluation::Done(he) => {
            let a = &he.assessed_by;
            let _ = writeln!(
                o,
                "assessed by {}{} on {}{}",
                s(&a.name),
                if a.credential.is_empty() {
                    String::new()
                } else {
                    format!(", {}", s(&a.credential))
                },
                he.assessed_on,
                crate::case::describe::assessor_flags(a.licensed, a.treating)
            );
            let _ = writeln!(
                o,
                "at risk: {}   harm: {}   likelihood: {}   imminence: {}",
                snake(&he.at_risk),
                snake(&he.harm_type),
                snake(&he.likelihood),
                snake(&he.imminence)
            );
            if !he.records.is_empty() {
                let recs: Vec<String> = he.records.iter().map(|r| s(r)).collect();
                let _ = writeln!(o, "concerns records: {}", recs.join(", "));
            }
            for f in &he.factors {
                let _ = writeln!(o, "  * {}", s(f));
            }
            paragraph(&mut o, &he.summary);
        }
    }

    section(&mut o, "Consultation notes");
    if c.consultations.is_empty() {
        let _ = writeln!(o, "(none)");
    }
    for con in &c.consultations {
        let _ = writeln!(
            o,
            "{} with {} ({}), recommends {}",
            con.on,
            s(&con.with.name),
            snake(&con.with.role),
            snake(&con.recommendation)
        );
        paragraph(&mut o, &con.summary);
    }

    section(&mut o, "Documentation");
    if c.documentation.is_empty() {
        let _ = writeln!(o, "(none)");
    }
    for d in &c.documentation {
        let dated = d.dated.map_or_else(String::new, |d| format!(", {d}"));
        let _ = writeln!(o, "{} ({}{dated})", s(&d.title), snake(&d.kind));
        if let Some(f) = &d.file {
            let _ = writeln!(o, "  file: {}", s(f));
        }
        paragraph(&mut o, &d.summary);
    }
    if c.practice.is_some() {
        section(&mut o, "Practice");
        let _ = writeln!(
            o,
            "This is a practice case; its reference decision is shown after you decide."
        );
    }
    o
}

fn section(o: &mut String, title: &str) {
    let _ = writeln!(o, "\n== {title} ==");
}

fn paragraph(o: &mut String, text: &str) {
    let text = text.trim_end();
    if text.is_empty() {
        return;
    }
    for line in sanitize(text).lines() {
        let _ = writeln!(o, "  {line}");
    }
}

fn yes(a: crate::case::model::Answer) -> &'static str {
    a.words()
}

/// The snake_case file spelling of an enum value, for display.
fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}
