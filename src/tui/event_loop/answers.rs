//! The advisor's answers (`Effect::Advise`, `Effect::Preview`), computed on the loop's
//! thread: the rulebook is read once per session, the preview's context (signer, key,
//! policy, the case's history) once per case and again after the log changed.

use crate::decision::Setting;
use crate::decision::draft::Draft;
use crate::decision::preview::{Context, preview};
use crate::record::model::RecordType;
use crate::rules::CaseSet;
use crate::rules::{Related, Rulebook};
use crate::text::sanitize_line;
use crate::tui::Options;
use crate::tui::app::{Effect, Msg, State};
use crate::tui::screens::form::preview::PreviewView;
use crate::tui::theme::Role;

/// Answers to the advisor's effects (`Advise`, `Preview`), computed on the loop's thread
/// (microseconds: docs/PERFORMANCE.md). Public so that tests answer them exactly as the
/// workbench does.
pub struct Answers<'a> {
    options: &'a Options,
    rulebook: Option<Result<Rulebook, String>>,
    /// The form's preview context, for one case and record type.
    preview: Option<(String, RecordType, crate::decision::preview::Context)>,
}

impl<'a> Answers<'a> {
    pub fn new(options: &'a Options) -> Answers<'a> {
        Answers {
            options,
            rulebook: None,
            preview: None,
        }
    }

    /// The log changed (a signature): the preview's context is read again.
    pub fn forget_log(&mut self) {
        self.preview = None;
    }

    /// The message answering `effect`, for `Advise` and `Preview`; `None` otherwise.
    pub fn answer(&mut self, state: &State, effect: &Effect) -> Option<Msg> {
        let options = self.options;
        let set = state.set.as_ref()?;
        match effect {
            Effect::Advise { index } => {
                let lc = set.cases.get(*index)?;
                let rb = self.rulebook.get_or_insert_with(|| {
                    Rulebook::for_case_dir(&options.cases).map_err(|e| e.to_string())
                });
                Some(match rb {
                    Ok(rb) => {
                        let related =
                            Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
                        let reviewer = crate::decision::facts::for_advice(
                            &options.cases,
                            options.reviewer.as_deref(),
                        );
                        let mut advice = crate::rules::engine::advise_with(
                            rb,
                            &lc.case,
                            related,
                            None,
                            &reviewer,
                            options.deadline_day(),
                        );
                        // The status the log gives the case (the queue row's, one
                        // function), as `casebench advise` says it.
                        if let Some(row) = state.rows.iter().find(|r| r.id == lc.case.id) {
                            advice.deadline.status = row.status;
                        }
                        Msg::Advice {
                            case: lc.case.id.clone(),
                            view: crate::tui::advisor::view(&advice, false),
                        }
                    }
                    Err(e) => Msg::Error(format!("advisor: {e}")),
                })
            }
            Effect::Preview {
                index,
                draft,
                kind,
                findings,
            } => {
                let setting = options.setting();
                // The signer's key, the policy and the case's history are read once per
                // case (and again after the log changed), not on every keystroke.
                let fresh =
                    matches!(&self.preview, Some((id, k, _)) if *id == draft.case && k == kind);
                if !fresh {
                    let c = crate::decision::preview::context(&setting, &draft.case, *kind);
                    self.preview = Some((draft.case.clone(), *kind, c));
                }
                let (_, _, c) = self.preview.as_ref()?;
                let view = compute(&setting, c, set, *index, draft, *kind, *findings);
                Some(Msg::Preview {
                    case: draft.case.clone(),
                    view,
                })
            }
            _ => None,
        }
    }
}

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
    let stated = match crate::decision::proposal::Proposal::from_draft(draft, kind) {
        Ok(s) => s,
        Err(e) => {
            return PreviewView {
                not_yet: Some(sanitize_line(&e)),
                ..PreviewView::default()
            };
        }
    };
    let p = preview(ctx, &setting.clock, set, lc, &stated);
    let mut view = PreviewView {
        built_entry: p
            .built_entry
            .as_ref()
            .map(|e| e.parts().map(|part| sanitize_line(&part))),
        ..PreviewView::default()
    };
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
        let (lines, errors, warnings) = crate::tui::advisor::finding_lines(&p.findings);
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
            setting.clock.signing_day(),
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
