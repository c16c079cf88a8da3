//! The issue 21 facts of a case file in words, for the screens that show a case
//! (`casebench show` and the workbench's documentation pane call the same function, so
//! they say the same). Labelled lines, unsanitised: callers pass every string through
//! `crate::text::sanitize_line` before display, as for the rest of the case.

use serde::Serialize;

use super::model::{
    Answer, Concern, EVALUATION_QUESTIONS, PendingEvaluation, RecordItem, Request, cents,
};

/// A yes/no/unknown fact as a phrase: `what` when yes, `what: unknown` when unknown,
/// nothing when no. Shared by `show` and the workbench.
pub fn flag(what: &str, a: Answer) -> Option<String> {
    match a {
        Answer::Yes => Some(what.to_string()),
        Answer::Unknown => Some(format!("{what}: unknown")),
        Answer::No => None,
    }
}

/// A value's snake_case name, as the case file spells it.
fn snake<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A pending evaluation of harm as labelled lines: who it is assigned to, since when,
/// and what it must decide. Shared by `show` and the workbench's first pane.
pub fn pending_evaluation(p: &PendingEvaluation) -> Vec<(&'static str, String)> {
    let mut out = vec![(
        "status",
        "PENDING: no evaluation of harm yet (waiting on clinician)".to_string(),
    )];
    out.push(("assigned to", p.assigned_to.clone()));
    if let Some(d) = p.assigned_on {
        out.push(("since", d.to_string()));
    }
    out.push(("must decide", EVALUATION_QUESTIONS.to_string()));
    out
}

/// The assessor's licence and treating relationship, as the panes print them after the
/// name: `, licensed, treating`, `, NOT licensed`, `, licence unknown`.
pub fn assessor_flags(licensed: Answer, treating: Answer) -> String {
    let mut t = match licensed {
        Answer::Yes => ", licensed",
        Answer::No => ", NOT licensed",
        Answer::Unknown => ", licence unknown",
    }
    .to_string();
    t.push_str(match treating {
        Answer::Yes => ", treating",
        Answer::Unknown => ", treating: unknown",
        Answer::No => "",
    });
    t
}

/// Labelled lines for a request's purpose, coverage, Part 2 order, form, fee, planned
/// release, infeasibility and the patient's objection: only what the case states.
pub fn request_facts(r: &Request) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(t) = flag(
        "business associate / QSO agreement in place",
        r.requester.agreement,
    ) {
        out.push(("agreement", t));
    }
    if let Some(p) = r.purpose {
        out.push(("purpose", snake(&p).replace('_', " ")));
    }
    if let Some(t) = flag("told of the request, objects", r.patient_objects) {
        out.push(("patient", t));
    }
    let i = &r.instrument;
    if let Some(list) = &i.covers {
        out.push(("covers", list.join(", ")));
    }
    if let Some(t) = flag(
        "a separate consent for SUD counseling notes",
        i.covers_sud_counseling_notes,
    ) {
        out.push(("consent", t));
    }
    match (i.part2_order, i.part2_court_order) {
        (Some(s), _) => out.push(("Part 2 order", format!("under 42 CFR {}", s.as_str()))),
        (None, Answer::Yes) => out.push(("Part 2 order", "section not stated".to_string())),
        (None, Answer::Unknown) => out.push(("Part 2 order", "unknown".to_string())),
        _ => {}
    }
    if let Some(f) = &r.form {
        let mut t = f.requested.words().to_string();
        if let Some(fmt) = &f.format {
            t.push_str(&format!(" ({fmt})"));
        }
        t.push_str(if f.readily_producible {
            "; readily producible"
        } else {
            "; not readily producible"
        });
        if f.maintained_electronically {
            t.push_str("; kept electronically");
        }
        if let Some(o) = f.offered.filter(|o| *o != f.requested) {
            t.push_str(&format!("; offered: {}", o.words()));
        }
        if f.summary_agreed {
            t.push_str("; summary agreed");
        }
        out.push(("form", t));
    }
    if let Some(fee) = &r.fee {
        let items: Vec<String> = fee
            .items
            .iter()
            .map(|it| {
                let c = cents(it.amount);
                format!("{} ${}.{:02}", snake(&it.item), c / 100, c % 100)
            })
            .collect();
        let total = fee.total_cents();
        out.push((
            "fee",
            format!(
                "{} ${}.{:02} ({}); {}",
                snake(&fee.method),
                total / 100,
                total % 100,
                items.join(", "),
                if fee.told_in_advance {
                    "told in advance"
                } else {
                    "NOT told in advance"
                }
            ),
        ));
    }
    if let Some(p) = &r.planned_release {
        let which = if p.records.is_empty() {
            "everything".to_string()
        } else {
            p.records.join(", ")
        };
        let why = p
            .reason
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default();
        out.push(("planned release", format!("{which} on {}{why}", p.on)));
    }
    if let Some(inf) = &r.infeasible {
        let sent = inf
            .reply_sent
            .map_or("reply not sent".to_string(), |d| format!("reply sent {d}"));
        out.push(("infeasible", format!("{}; {sent}", inf.reason)));
    }
    // Issue 22: what the intake records.
    let q = &r.requester;
    if let Some(c) = &q.identity_check {
        out.push((
            "identity",
            format!(
                "checked by {} ({}{})",
                c.by,
                snake(&c.method).replace('_', " "),
                c.on.map(|d| format!(", {d}")).unwrap_or_default()
            ),
        ));
    }
    if let Some(a) = &q.authority {
        out.push((
            "authority",
            format!(
                "{}, shown: {}{}",
                snake(&a.document).replace('_', " "),
                a.shown.words(),
                a.note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ),
        ));
    }
    if let Some(a) = &q.address {
        out.push(("address", a.clone()));
    }
    if let Some(d) = &r.delivery {
        let mut t = snake(&d.method).replace('_', " ");
        if let Some(a) = &d.address {
            t.push_str(&format!(" to {a}"));
        }
        if d.certified {
            t.push_str("; certified copy");
        }
        if d.sealed {
            t.push_str("; sealed");
        }
        out.push(("delivery", t));
    }
    if let Some(u) = &r.urgency {
        let by = u
            .needed_by
            .map(|d| format!("needed by {d} (their date, not a legal deadline)"))
            .unwrap_or_else(|| "urgent".into());
        let why = u
            .reason
            .as_deref()
            .map(|x| format!(": {x}"))
            .unwrap_or_default();
        out.push(("urgency", format!("{by}{why}")));
    }
    out
}

/// How and when the case arrived, and the case it follows (issue 22), as labelled
/// lines: only what the case states.
pub fn arrival_facts(c: &super::model::Case) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(a) = &c.arrival {
        let mut t = match a.on {
            Some(on) => format!("{on} (counted from {})", c.received),
            None => c.received.to_string(),
        };
        if let Some(time) = &a.time {
            t.push_str(&format!(" at {time}"));
        }
        t.push_str(&format!(" by {}", snake(&a.channel).replace('_', " ")));
        if let Some(w) = &a.logged_by {
            t.push_str(&format!(", logged by {w}"));
        }
        out.push(("arrived", t));
    }
    if let Some(f) = &c.follows {
        out.push(("follows", f.clone()));
    }
    out
}

/// A record item's Part 2 source, if it came from a program.
pub fn record_note(rec: &RecordItem) -> Option<String> {
    rec.received_from_part2.as_ref().map(|s| {
        format!(
            "received from Part 2 program {} ({} consent{})",
            s.program,
            snake(&s.consent),
            s.received_on.map(|d| format!(", {d}")).unwrap_or_default()
        )
    })
}

/// Labelled lines for a disclosure without a request: recipient, Part 2, agreement.
pub fn concern_facts(con: &Concern) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(r) = con.recipient {
        out.push(("recipient", snake(&r).replace('_', " ")));
    }
    let consent = match con.part2_consent {
        Answer::Yes => "the patient's consent covers them",
        Answer::No => "no consent",
        Answer::Unknown => "consent unknown",
    };
    match con.part2_records {
        Answer::Yes => out.push(("Part 2", format!("includes Part 2 records; {consent}"))),
        Answer::Unknown => out.push(("Part 2", format!("Part 2 records: unknown; {consent}"))),
        Answer::No => {}
    }
    if let Some(t) = flag("business associate / QSO agreement in place", con.agreement) {
        out.push(("agreement", t));
    }
    out
}
