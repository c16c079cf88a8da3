//! The advisor's answer as sections: the recommendation and the deadline, the grounds
//! that hold, the required actions, the notice's elements, the proposal judged, and
//! the findings. `casebench advise` prints them after [`head`]; the workbench's advisor
//! panel and the form draw the same rows. The rulebook can come from the case
//! directory, so its strings are sanitised like case text.

use super::words::days_in_words;
use super::{Row, Section, Tone, s};
use crate::case::model::Case;
use crate::rules::{Advice, Finding, Proposal, Severity};

pub const GROUNDS: &str = "Grounds that hold";
pub const ACTIONS: &str = "Required actions";
pub const NOTICE: &str = "Notice: the written denial must carry";
pub const PROPOSAL: &str = "Your proposal";
pub const FINDINGS_ON_PROPOSAL: &str = "Findings on your proposal";
pub const FINDINGS_ON_RECOMMENDATION: &str = "Findings on the recommendation";
pub const DISCLAIMER: &str =
    "Research notes for decision support, not legal advice (docs/RULES.md).";

/// `ID  title` and `kind: K   jurisdiction: J (state)   rulebook: R`.
pub fn head(case: &Case, a: &Advice) -> Section {
    let mut o = Section::new("");
    o.push(Row::line(format!("{}  {}", s(&case.id), s(&case.title))));
    o.push(Row::facts([
        ("kind", a.kind.to_string()),
        (
            "jurisdiction",
            format!(
                "{} ({}{})",
                s(&case.jurisdiction),
                s(&a.state.name),
                if a.state.checked {
                    ""
                } else {
                    "; state law not checked"
                }
            ),
        ),
        ("rulebook", s(&a.rulebook)),
    ]));
    o
}

/// The deadline as the advisor states it: `received R, due D, N day(s) left (status)
/// [citation]`, with the status the advice carries (the caller sets the log's).
pub fn deadline(a: &Advice) -> Row {
    let d = &a.deadline;
    let row = match (d.due, d.days_left) {
        (Some(due), Some(left)) => Row::fact(
            "deadline",
            format!(
                "received {}, due {due}{}, {} ({})  [{}]",
                d.received,
                if d.extended { " (extended)" } else { "" },
                days_in_words(left),
                d.status.as_str(),
                s(&d.citation)
            ),
        ),
        _ => Row::fact(
            "deadline",
            format!("received {}; {}", d.received, s(&d.citation)),
        ),
    };
    match d.days_left {
        Some(left) if left < 0 => row.tone(Tone::Error),
        _ => row,
    }
}

/// The recommendation: `outcome on grounds`.
pub fn recommended(a: &Advice) -> String {
    let r = &a.recommended;
    let mut t = r.outcome.to_string();
    if !r.grounds.is_empty() {
        let g: Vec<String> = r.grounds.iter().map(|g| s(g)).collect();
        t.push_str(&format!(" on {}", g.join(", ")));
    }
    t
}

/// Everything after the head: the recommendation and deadline (an untitled section),
/// then the titled sections. `proposal`: the findings are on the reviewer's own
/// decision rather than on the recommendation.
pub fn sections(a: &Advice, proposal: Option<&Proposal>) -> Vec<Section> {
    let r = &a.recommended;
    let mut top = Section::new("");
    top.push(deadline(a));
    top.push(Row::fact("Recommended", recommended(a)));
    for (rec, g) in &r.withhold {
        top.push(Row::item(format!("withhold {} on {}", s(rec), s(g))));
    }
    let mut grounds = Section::new(GROUNDS);
    if a.bases.is_empty() && a.records.iter().all(|r| r.valid.is_empty()) {
        grounds.push(Row::line("(none)").tone(Tone::Muted));
    }
    for g in &a.bases {
        grounds.push(Row::item(format!(
            "case: {}  [{}]",
            s(&g.code),
            s(&g.citation)
        )));
    }
    for rg in &a.records {
        if rg.valid.is_empty() {
            grounds.push(
                Row::item(format!(
                    "{} ({}): no withholding ground",
                    s(&rg.record),
                    rg.category
                ))
                .tone(Tone::Muted),
            );
        }
        for g in &rg.valid {
            grounds.push(Row::item(format!(
                "{} ({}): {}{}  [{}]",
                s(&rg.record),
                rg.category,
                s(&g.code),
                if g.reviewable { " (reviewable)" } else { "" },
                s(&g.citation)
            )));
        }
    }
    let mut out = vec![top, grounds];
    if !a.required_actions.is_empty() {
        let mut acts = Section::new(ACTIONS);
        for act in &a.required_actions {
            acts.push(Row::item(format!(
                "{}  [{}]",
                s(&act.text),
                s(&act.citation)
            )));
        }
        out.push(acts);
    }
    if !a.notice.is_empty() {
        let mut n = Section::new(NOTICE);
        for e in &a.notice {
            n.push(Row::item(format!("{}  [{}]", s(&e.text), s(&e.citation))));
        }
        out.push(n);
    }
    if let Some(p) = proposal {
        out.push(proposed(p));
    }
    out.push(findings(
        if proposal.is_some() {
            FINDINGS_ON_PROPOSAL
        } else {
            FINDINGS_ON_RECOMMENDATION
        },
        &a.findings,
    ));
    out
}

/// A proposal as the advisor judged it: outcome, grounds, each withheld item.
pub fn proposed(p: &Proposal) -> Section {
    let mut o = Section::new(PROPOSAL);
    o.push(Row::fact("outcome", p.outcome.to_string()));
    o.push(Row::fact("grounds", list(&p.grounds)));
    for (rec, gs) in &p.withhold {
        o.push(Row::fact("withhold", format!("{} {}", s(rec), list(gs))));
    }
    o
}

/// Findings under `title`, each `!! error code: message  [citation]` with its tone, and
/// the disclaimer.
pub fn findings(title: &str, fs: &[Finding]) -> Section {
    let mut o = Section::new(title);
    if fs.is_empty() {
        o.push(Row::line("(none)").tone(Tone::Good));
    }
    for f in fs {
        o.push(finding(f));
    }
    o.push(Row::line(DISCLAIMER).tone(Tone::Muted));
    o
}

/// One finding: its severity in words (`!! error`, `! warning`, `info`), code, message
/// and citation.
pub fn finding(f: &Finding) -> Row {
    let (mark, tone) = match f.severity {
        Severity::Error => ("!! error", Tone::Error),
        Severity::Warning => ("! warning", Tone::Warning),
        Severity::Info => ("info", Tone::Muted),
    };
    Row::line(format!(
        "{mark} {}: {}  [{}]",
        s(&f.code),
        s(&f.message),
        s(&f.citation)
    ))
    .tone(tone)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.iter().map(|g| s(g)).collect::<Vec<_>>().join(", ")
    }
}
