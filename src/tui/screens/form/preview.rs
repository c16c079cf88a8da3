//! The form's preview: the record's exact text as signing would write it and the
//! advisor's findings on it, from `decision::preview` (the functions signing uses),
//! sanitised for display. Computed by the event loop after each change to the form
//! (`event_loop::answers`); drawn from here.

use crate::case::Outcome;
use crate::tui::advisor::AdvisorView;
use crate::tui::scroll::Styled;
use crate::tui::theme::Role;

/// The form's decision as it would be recorded (`decision::preview`), sanitised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewView {
    /// The record's text, line by line (`seq`, `prev`, `time` as placeholders).
    pub record: Vec<String>,
    /// Why the decision is not a record yet (the record is then empty).
    pub not_yet: Option<String>,
    /// Why signing would refuse it as it stands.
    pub refused: Option<String>,
    /// The advisor's findings on the decision, one line each with its citation.
    pub findings: Vec<(Role, String)>,
    pub errors: usize,
    pub warnings: usize,
    /// The first error finding (else the first warning), for the form's summary line.
    pub first: Option<(Role, String)>,
    /// The written notice the decision would send (164.524(d)(2)): empty unless the
    /// decision withholds something from an access request.
    pub notice: Vec<String>,
    /// Who would sign with which key, once both are known: `principal, key SHA256:...`.
    pub signer: Option<String>,
    /// The accounting entry the case gives for an accountable decision (recipient,
    /// address, description, purpose; sanitised): where the form's first disclosure row
    /// starts from.
    pub built_entry: Option<[String; 4]>,
}

/// The preview panel's lines: what happens after signing (a trainee's note), the record's
/// text or why it is not one yet, why signing would refuse it, and the written notice.
/// `note`: a trainee's line on what happens after signing.
pub fn lines(preview: Option<&PreviewView>, note: Option<&str>) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    if let Some(note) = note {
        out.push(vec![(Role::Muted, note.to_string())]);
    }
    let Some(p) = preview else {
        out.push(vec![(Role::Muted, "(building the record…)".to_string())]);
        return out;
    };
    if let Some(why) = &p.not_yet {
        out.push(vec![
            (Role::Warning, "Not a record yet: ".to_string()),
            (Role::Normal, why.clone()),
        ]);
    }
    out.extend(p.record.iter().map(|l| vec![(Role::Normal, l.clone())]));
    if let Some(why) = &p.refused {
        out.push(Vec::new());
        out.push(vec![
            (Role::Error, "Cannot be signed as it stands: ".to_string()),
            (Role::Normal, why.clone()),
        ]);
    }
    if !p.notice.is_empty() {
        out.push(Vec::new());
        out.push(vec![(
            Role::Header,
            "The written notice this decision sends:".to_string(),
        )]);
        out.extend(p.notice.iter().map(|l| vec![(Role::Normal, l.clone())]));
    }
    out
}

/// The findings panel (`f` in the form): the advisor's recommendation, then every
/// finding on the decision with its citation.
pub fn findings_lines(preview: Option<&PreviewView>, advisor: Option<&AdvisorView>) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    out.push(vec![(Role::Header, "The advisor recommends".to_string())]);
    match advisor {
        Some(a) if a.hidden => {
            out.extend(a.lines.iter().map(|l| vec![l.clone()]));
            return out;
        }
        Some(a) => {
            out.push(vec![(Role::Normal, a.recommended.clone())]);
            out.push(vec![(Role::Muted, a.deadline.clone())]);
        }
        None => out.push(vec![(
            Role::Muted,
            "(the advisor has not answered yet)".to_string(),
        )]),
    }
    out.push(Vec::new());
    match preview {
        None => out.push(vec![(Role::Muted, "(checking the decision…)".to_string())]),
        Some(p) => {
            out.push(vec![(
                Role::Header,
                format!(
                    "Findings on this decision: {} error(s), {} warning(s)",
                    p.errors, p.warnings
                ),
            )]);
            if p.findings.is_empty() {
                out.push(vec![(Role::Ok, "(none)".to_string())]);
            }
            out.extend(p.findings.iter().map(|l| vec![l.clone()]));
            if p.errors > 0 {
                out.push(Vec::new());
                out.push(vec![(
                    Role::Muted,
                    "An error finding refuses the signature unless it is overridden with a \
                     justification (o adds an override: the finding's code and why)."
                        .to_string(),
                )]);
            }
        }
    }
    out
}

/// The one-line summary under the fields: the count of findings and the first error (or
/// warning), always on screen.
pub fn summary(
    outcome: Option<Outcome>,
    preview: Option<&PreviewView>,
    advisor: Option<&AdvisorView>,
) -> (Role, String) {
    if advisor.is_some_and(|a| a.hidden) {
        return (Role::Muted, "Advisor hidden in practice".to_string());
    }
    match (outcome, preview) {
        (None, _) => (Role::Muted, "Findings: choose an outcome first".to_string()),
        (Some(_), None) => (Role::Muted, "Findings: checking…".to_string()),
        (Some(_), Some(p)) if p.errors + p.warnings == 0 => {
            (Role::Ok, "Findings: none on this decision".to_string())
        }
        (Some(_), Some(p)) => {
            let (role, first) = p.first.clone().unwrap_or((Role::Warning, String::new()));
            let first = ["!! error ", "! warning "]
                .iter()
                .find_map(|m| first.strip_prefix(m))
                .map_or(first.clone(), str::to_string);
            let count = |n: usize, what: &str| match n {
                1 => format!("1 {what}"),
                n => format!("{n} {what}s"),
            };
            (
                role,
                format!(
                    "Findings: {}, {} · {first}",
                    count(p.errors, "error"),
                    count(p.warnings, "warning")
                ),
            )
        }
    }
}
