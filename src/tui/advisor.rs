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

/// The advice as the panel shows it: the presenter's rows (`crate::present::advice`),
/// as `casebench advise` prints them. `proposal`: the findings are on the reviewer's own
/// decision (from the form) rather than on the recommendation.
pub fn view(a: &Advice, proposal: bool) -> AdvisorView {
    use crate::present::advice;
    let s = |t: &str| sanitize_line(t);
    let r = &a.recommended;
    let mut lines: Vec<(Role, String)> = Vec::new();
    let sections = advice::sections(a, None);
    for sec in &sections {
        // The recommendation and the deadline are the panel's first lines; the
        // findings are kept apart (the form replaces them with its own).
        if sec.title == advice::FINDINGS_ON_RECOMMENDATION {
            continue;
        }
        if sec.title.is_empty() {
            for row in sec.rows.iter().skip(2) {
                lines.push((Role::of(row.tone), flat(row)));
            }
            continue;
        }
        lines.push((Role::Header, sec.title.clone()));
        for row in &sec.rows {
            lines.push((Role::of(row.tone), flat(row)));
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
        recommended: advice::recommended(a),
        deadline: flat(&advice::deadline(a)),
        lines,
        findings,
        errors,
        warnings,
        on_proposal: proposal,
        hidden: false,
    }
}

/// A row on one line, as the panel shows it: items with `• `.
fn flat(row: &crate::present::Row) -> String {
    match row.shape {
        crate::present::Shape::Item => format!("• {}", row.joined(" · ")),
        _ => row.joined("   "),
    }
}

/// Findings as lines (`!! error code: message  [citation]`), sanitised, with the counts
/// of errors and warnings.
pub fn finding_lines(fs: &[Finding]) -> (Vec<(Role, String)>, usize, usize) {
    let errors = fs.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = fs
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let lines = fs
        .iter()
        .map(|f| {
            let row = crate::present::advice::finding(f);
            (Role::of(row.tone), row.joined(""))
        })
        .collect();
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
        crate::present::advice::DISCLAIMER.into(),
    )]);
    l
}
