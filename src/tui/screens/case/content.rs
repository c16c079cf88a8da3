//! Builds the case view's text from a case: header, deadline clock and the three panes.
//! Every string from the case goes through the sanitiser here, once.

use chrono::NaiveDate;

use super::{CaseView, PANE_TITLES, Pane, PaneLine};
use crate::case::Case;
use crate::rules::Rulebook;
use crate::rules::deadline::{self, Clock};
use crate::rules::{Deadline, Status};
use crate::text::sanitize_line;
use crate::tui::prose::text;
use crate::tui::theme::Role;

pub fn case_view(index: usize, case: &Case, rules: &Rulebook, today: NaiveDate) -> CaseView {
    let dl = deadline::for_case(case, rules, today);
    CaseView {
        index,
        case_id: case.id.clone(),
        id: sanitize_line(&case.id),
        title: sanitize_line(&case.title),
        kind: case.kind,
        requester: case
            .requester_name()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into()),
        jurisdiction: sanitize_line(&case.jurisdiction),
        clock: clock(&dl),
        panes: [
            pane(0, harm(case)),
            pane(1, consultations(case)),
            pane(2, documentation(case)),
        ],
        focus: 0,
        draft: None,
        show_advisor: false,
        advisor: None,
        advisor_scroll: Default::default(),
        search: Default::default(),
        decided: None,
    }
}

fn pane(i: usize, lines: Vec<PaneLine>) -> Pane {
    Pane {
        title: PANE_TITLES[i],
        lines,
        scroll: Default::default(),
    }
}

/// The deadline clock: text that states the urgency in words and markers.
pub fn clock(dl: &Deadline) -> (String, Role) {
    let ext = if dl.extended { " (extended)" } else { "" };
    match (dl.due, dl.days_left) {
        (Some(due), Some(left)) if dl.status == Status::Overdue => (
            format!("due {due}{ext} · !! {} days overdue", -left),
            Role::Overdue,
        ),
        (Some(due), Some(left)) if dl.status == Status::DueSoon => (
            format!("due {due}{ext} · ! {left} days left"),
            Role::DueSoon,
        ),
        (Some(due), Some(left)) => (format!("due {due}{ext} · {left} days left"), Role::Ok),
        _ if dl.clock == Clock::None => (
            format!(
                "received {} · no access deadline (a third party's request)",
                dl.received
            ),
            Role::Ok,
        ),
        _ => (
            format!(
                "raised {} · ! no statutory clock: act without delay",
                dl.received
            ),
            Role::DueSoon,
        ),
    }
}

fn label(l: &str, v: String) -> PaneLine {
    vec![(Role::Muted, format!("{l}: ")), (Role::Normal, v)]
}

fn heading(s: String) -> PaneLine {
    vec![(Role::Header, s)]
}

fn snake<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn yes(a: crate::case::model::Answer) -> String {
    a.words().into()
}

fn harm(c: &Case) -> Vec<PaneLine> {
    let h = match &c.harm_evaluation {
        crate::case::model::HarmEvaluation::Done(h) => h,
        crate::case::model::HarmEvaluation::Pending(p) => {
            let mut out: Vec<PaneLine> = crate::case::describe::pending_evaluation(p)
                .into_iter()
                .map(|(l, t)| label(l, sanitize_line(&t)))
                .collect();
            concern_lines(c, &mut out);
            if !p.summary.is_empty() {
                out.push(Vec::new());
                out.push(heading("Summary".into()));
                text(&mut out, &p.summary);
            }
            return out;
        }
    };
    let a = &h.assessed_by;
    let mut out = vec![
        label(
            "assessed by",
            format!(
                "{}, {}{}",
                sanitize_line(&a.name),
                sanitize_line(&a.credential),
                crate::case::describe::assessor_flags(a.licensed, a.treating)
            ),
        ),
        label("on", h.assessed_on.to_string()),
        label("at risk", snake(&h.at_risk)),
        label("harm", snake(&h.harm_type)),
        label("likelihood", snake(&h.likelihood)),
        label("imminence", snake(&h.imminence)),
    ];
    if !h.records.is_empty() {
        let recs: Vec<String> = h.records.iter().map(|r| sanitize_line(r)).collect();
        out.push(label("records", recs.join(", ")));
    }
    concern_lines(c, &mut out);
    if !h.factors.is_empty() {
        out.push(Vec::new());
        out.push(heading("Factors".into()));
        for f in &h.factors {
            out.push(vec![(Role::Normal, format!("• {}", sanitize_line(f)))]);
        }
    }
    if !h.summary.is_empty() {
        out.push(Vec::new());
        out.push(heading("Summary".into()));
        text(&mut out, &h.summary);
    }
    out
}

/// The concern under the evaluation in the first pane.
fn concern_lines(c: &Case, out: &mut Vec<PaneLine>) {
    if let Some(con) = &c.concern {
        out.push(Vec::new());
        out.push(heading(format!("Concern: {}", snake(&con.kind))));
        text(out, &con.statement);
        out.push(label(
            "victim identifiable / means / imminent",
            format!(
                "{} / {} / {}",
                yes(con.identifiable_victim),
                yes(con.means),
                yes(con.imminent)
            ),
        ));
        for (l, t) in crate::case::describe::concern_facts(con) {
            out.push(label(l, sanitize_line(&t)));
        }
    }
}

fn consultations(c: &Case) -> Vec<PaneLine> {
    let mut out = Vec::new();
    if c.consultations.is_empty() {
        out.push(vec![(Role::Muted, "No consultations recorded.".into())]);
    }
    for (i, con) in c.consultations.iter().enumerate() {
        if i > 0 {
            out.push(Vec::new());
        }
        out.push(heading(format!(
            "{} · {} ({})",
            con.on,
            sanitize_line(&con.with.name),
            snake(&con.with.role)
        )));
        let rec = con
            .recommendation
            .outcome()
            .map_or("none".into(), |o| o.to_string());
        out.push(label("recommends", rec));
        text(&mut out, &con.summary);
    }
    out
}

fn documentation(c: &Case) -> Vec<PaneLine> {
    let mut out = Vec::new();
    if let Some(r) = &c.request {
        let i = &r.instrument;
        out.push(heading("Request".into()));
        out.push(label(
            "requester",
            format!(
                "{} ({}, identity {})",
                sanitize_line(&r.requester.name),
                snake(&r.requester.relationship),
                if r.requester.identity_verified.is_yes() {
                    "verified"
                } else {
                    "NOT verified"
                }
            ),
        ));
        out.push(label(
            "instrument",
            format!(
                "{}{}",
                snake(&i.kind),
                match i.signed {
                    crate::case::model::Answer::Yes => ", signed",
                    crate::case::model::Answer::No => ", unsigned",
                    crate::case::model::Answer::Unknown => ", signed: unknown",
                }
            ),
        ));
        if let Some(s) = &i.scope {
            out.push(label("scope", sanitize_line(s)));
        }
        for (l, t) in crate::case::describe::request_facts(r) {
            out.push(label(l, sanitize_line(&t)));
        }
        out.push(heading("Records".into()));
        for rec in &r.records {
            out.push(vec![
                (Role::Normal, format!("• {} ", sanitize_line(&rec.id))),
                (Role::Muted, format!("[{}] ", snake(&rec.category))),
                (Role::Normal, sanitize_line(&rec.description)),
            ]);
            if let Some(note) = crate::case::describe::record_note(rec) {
                out.push(vec![(Role::Muted, format!("  {}", sanitize_line(&note)))]);
            }
        }
        if let Some(e) = &r.extension {
            out.push(label(
                "extension",
                format!("notice {} → new due {}", e.notice_sent, e.new_due),
            ));
        }
        out.push(Vec::new());
    }
    if c.documentation.is_empty() {
        out.push(vec![(Role::Muted, "No documents.".into())]);
    }
    for (i, d) in c.documentation.iter().enumerate() {
        if i > 0 {
            out.push(Vec::new());
        }
        let date = d.dated.map(|d| format!("{d} · ")).unwrap_or_default();
        out.push(heading(format!(
            "{date}{} ({})",
            sanitize_line(&d.title),
            snake(&d.kind)
        )));
        if let Some(f) = &d.file {
            out.push(label("file", sanitize_line(f)));
        }
        text(&mut out, &d.summary);
    }
    out
}
