//! The advisor's answer as the workbench shows it (`crate::rules`), sanitised into plain
//! lines with roles: the case view's advisor panel, the form's findings and the grounds
//! picker's marks read it. The rulebook can come from the case directory, so its strings
//! are untrusted like case text.

use super::scroll::Styled;
use super::theme::Role;
use crate::rules::{Advice, Finding, Severity};
use crate::text::sanitize_line;

/// The advisor's findings for the open case, as plain strings (already sanitised).
/// Until the advisor answers the case view holds none and the panel says so.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AdvisorView {
    pub recommended: String,
    pub deadline: String,
    /// `(role, text)`: grounds, required actions, notice elements.
    pub lines: Vec<(Role, String)>,
    /// `(role, text)`: e.g. `(Role::Error, "!! error R12: ...")`.
    pub findings: Vec<(Role, String)>,
    pub errors: usize,
    pub warnings: usize,
    /// The findings are on the reviewer's decision (the form), not the recommendation.
    pub on_proposal: bool,
    /// Hidden in practice: only a note, no recommendation and no findings.
    pub hidden: bool,
    /// The ground codes that hold for this case (the advisor's applicable grounds), for
    /// the form's grounds picker: the case's bases and every item's withholding grounds.
    pub holds_case: Vec<String>,
    /// Per record item (its id as in the case file, never drawn): the withholding
    /// grounds that hold for it.
    pub holds_record: Vec<(String, Vec<String>)>,
}

/// The advice as the panel shows it. `proposal`: the findings are on the reviewer's own
/// decision (from the form) rather than on the recommendation.
pub fn view(a: &Advice, proposal: bool) -> AdvisorView {
    let s = |t: &str| sanitize_line(t);
    let r = &a.recommended;
    let mut recommended = r.outcome.to_string();
    if !r.grounds.is_empty() {
        let g: Vec<String> = r.grounds.iter().map(|g| s(g)).collect();
        recommended.push_str(&format!(" on {}", g.join(", ")));
    }
    let d = &a.deadline;
    let deadline = match (d.due, d.days_left) {
        (Some(due), Some(left)) if left < 0 => {
            format!("due {due}: !! {} day(s) late  [{}]", -left, s(&d.citation))
        }
        (Some(due), Some(left)) => format!("due {due}: {left} day(s) left  [{}]", s(&d.citation)),
        _ => format!("received {}: {}", d.received, s(&d.citation)),
    };
    let mut lines: Vec<(Role, String)> = Vec::new();
    for (rec, g) in &r.withhold {
        lines.push((Role::Normal, format!("withhold {} on {}", s(rec), s(g))));
    }
    lines.push((Role::Header, "Grounds that hold".into()));
    if a.bases.is_empty() && a.records.iter().all(|r| r.valid.is_empty()) {
        lines.push((Role::Muted, "(none)".into()));
    }
    for g in &a.bases {
        lines.push((
            Role::Normal,
            format!("• {}  [{}]", s(&g.code), s(&g.citation)),
        ));
    }
    for rg in &a.records {
        for g in &rg.valid {
            let review = if g.reviewable { " (reviewable)" } else { "" };
            lines.push((
                Role::Normal,
                format!(
                    "• {}: {}{review}  [{}]",
                    s(&rg.record),
                    s(&g.code),
                    s(&g.citation)
                ),
            ));
        }
    }
    if !a.required_actions.is_empty() {
        lines.push((Role::Header, "Required actions".into()));
        for act in &a.required_actions {
            lines.push((
                Role::Normal,
                format!("- {}  [{}]", s(&act.text), s(&act.citation)),
            ));
        }
    }
    if !a.notice.is_empty() {
        lines.push((Role::Header, "The written notice must carry".into()));
        for n in &a.notice {
            lines.push((
                Role::Normal,
                format!("- {}  [{}]", s(&n.text), s(&n.citation)),
            ));
        }
    }
    let (findings, errors, warnings) = finding_lines(&a.findings);
    let holds_record: Vec<(String, Vec<String>)> = a
        .records
        .iter()
        .map(|rg| {
            (
                rg.record.clone(),
                rg.valid.iter().map(|g| s(&g.code)).collect(),
            )
        })
        .collect();
    let mut holds_case: Vec<String> = Vec::new();
    let codes = a.bases.iter().map(|g| &g.code).chain(&r.grounds);
    for code in codes.chain(
        a.records
            .iter()
            .flat_map(|rg| rg.valid.iter().map(|g| &g.code)),
    ) {
        let code = s(code);
        if !holds_case.contains(&code) {
            holds_case.push(code);
        }
    }
    AdvisorView {
        holds_case,
        holds_record,
        recommended,
        deadline,
        lines,
        findings,
        errors,
        warnings,
        on_proposal: proposal,
        hidden: false,
    }
}

/// Findings as lines (`!! error code: message  [citation]`), sanitised, with the counts
/// of errors and warnings.
pub fn finding_lines(fs: &[Finding]) -> (Vec<(Role, String)>, usize, usize) {
    let s = |t: &str| sanitize_line(t);
    let (mut errors, mut warnings) = (0, 0);
    let mut lines = Vec::new();
    for f in fs {
        let (role, mark) = match f.severity {
            Severity::Error => {
                errors += 1;
                (Role::Error, "!! error")
            }
            Severity::Warning => {
                warnings += 1;
                (Role::Warning, "! warning")
            }
            Severity::Info => (Role::Muted, "info"),
        };
        lines.push((
            role,
            format!(
                "{mark} {}: {}  [{}]",
                s(&f.code),
                s(&f.message),
                s(&f.citation)
            ),
        ));
    }
    (lines, errors, warnings)
}

/// The advisor panel's lines: the recommendation, the deadline, what holds, and the
/// findings (on the recommendation, or on the form's decision).
pub fn panel_lines(a: Option<&AdvisorView>) -> Vec<Styled> {
    let Some(a) = a else {
        return vec![vec![(
            Role::Muted,
            "The advisor has not answered yet.".into(),
        )]];
    };
    let mut l: Vec<Styled> = vec![
        vec![
            (Role::Muted, "recommended: ".into()),
            (Role::Header, a.recommended.clone()),
        ],
        vec![(Role::Normal, a.deadline.clone())],
        Vec::new(),
    ];
    let title = if a.on_proposal {
        "Findings on your decision"
    } else {
        "Findings on the recommendation"
    };
    l.extend(a.lines.iter().map(|x| vec![x.clone()]));
    if a.hidden {
        return l;
    }
    l.push(vec![(Role::Header, title.into())]);
    if a.findings.is_empty() {
        l.push(vec![(Role::Ok, "(none)".into())]);
    }
    l.extend(a.findings.iter().map(|x| vec![x.clone()]));
    l.push(vec![(
        Role::Muted,
        "Research notes for decision support, not legal advice (docs/RULES.md).".into(),
    )]);
    l
}
