//! The form's preview: the record's exact text as signing would write it and the
//! advisor's findings on it, from `decision::preview` (the functions signing uses),
//! sanitised for display. Run by the event loop after each change to the form.

use super::app::{PreviewView, State};
use super::scroll::Styled;
use super::theme::Role;
use crate::case::CaseSet;
use crate::decision::Setting;
use crate::decision::preview::{Context, preview};
use crate::record::model::RecordType;
use crate::store::drafts::Draft;
use crate::text::sanitize_line;

/// The preview of `draft` on case `index` of `set`, signed as a `kind` record.
/// `findings`: whether the advisor's findings may be shown (not in hidden practice).
pub fn compute(
    setting: &Setting,
    ctx: &Context,
    set: &CaseSet,
    index: usize,
    draft: &Draft,
    kind: RecordType,
    findings: bool,
) -> PreviewView {
    let Some(lc) = set.cases.get(index) else {
        return PreviewView {
            not_yet: Some("the case is no longer loaded".into()),
            ..PreviewView::default()
        };
    };
    let stated = match crate::decision::stated::from_draft(draft, kind, setting.today) {
        Ok(s) => s,
        Err(e) => {
            return PreviewView {
                not_yet: Some(sanitize_line(&e)),
                ..PreviewView::default()
            };
        }
    };
    let p = preview(ctx, setting.today, set, lc, &stated);
    let mut view = PreviewView::default();
    if let (Ok(who), Ok(key)) = (&ctx.reviewer, &ctx.key) {
        view.signer = Some(sanitize_line(&format!("{who}, key {key}")));
    }
    match &p.record {
        Ok(lines) => {
            view.record = lines.iter().map(|l| sanitize_line(l)).collect();
            view.refused = p
                .refused
                .as_ref()
                .map(|e| sanitize_line(&super::sign::refusal(e)));
        }
        Err(e) => view.not_yet = Some(sanitize_line(e)),
    }
    if findings {
        let (lines, errors, warnings) = super::advice::finding_lines(&p.findings);
        view.first = lines
            .iter()
            .find(|(r, _)| *r == Role::Error)
            .or_else(|| lines.iter().find(|(r, _)| *r == Role::Warning))
            .cloned();
        view.findings = lines;
        view.errors = errors;
        view.warnings = warnings;
    }
    // The written notice, once the decision is a record that withholds something.
    let withholds = p
        .actions
        .iter()
        .any(|a| a.action == crate::record::model::Action::Withhold);
    if let (Some(prop), Ok(rb), true) = (&p.proposal, &ctx.rulebook, p.record.is_ok())
        && withholds
    {
        view.notice = super::notice_preview::lines(
            setting.cases,
            setting.today,
            rb,
            &lc.case,
            prop,
            &p.actions,
        )
        .iter()
        .map(|l| sanitize_line(l))
        .collect();
    }
    view
}

/// The preview panel's lines: what happens after signing (a trainee's note), the record's
/// text or why it is not one yet, why signing would refuse it, and the written notice.
pub fn lines(state: &State) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    if let Some(note) = super::practice::preview_note(state) {
        out.push(vec![(Role::Muted, note.to_string())]);
    }
    let Some(f) = state.form.as_ref() else {
        return out;
    };
    let Some(p) = f.preview.as_ref() else {
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
pub fn findings_lines(state: &State) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    let advisor = state.case.as_ref().and_then(|c| c.advisor.as_ref());
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
    let p = state.form.as_ref().and_then(|f| f.preview.as_ref());
    match p {
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
pub fn summary(state: &State) -> (Role, String) {
    let hidden = state
        .case
        .as_ref()
        .and_then(|c| c.advisor.as_ref())
        .is_some_and(|a| a.hidden);
    if hidden {
        return (Role::Muted, "Advisor hidden in practice".to_string());
    }
    let Some(f) = state.form.as_ref() else {
        return (Role::Muted, String::new());
    };
    match (f.outcome, f.preview.as_ref()) {
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
