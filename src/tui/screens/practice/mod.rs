//! Practice in the workbench: a trainee (reviewers.yaml `role: trainee`) signs `practice`
//! records instead of decisions; on a practice case the advisor stays hidden (unless a
//! supervisor switched hints on, `practice::hints`) and, once the record is signed, the
//! comparison with the reference is shown. Nothing of the reference reaches the state
//! before the signed record's feedback arrives (`Msg::Feedback`).

pub mod view;

use crate::practice::Feedback;
use crate::practice::hints::{PracticeSettings, advisor_visible};
use crate::record::model::RecordType;
use crate::record::reviewers;
use crate::rules::CaseSet;
use crate::tui::Options;
use crate::tui::advisor::AdvisorView;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::scroll::{self, Styled};
use crate::tui::step::Step;
use crate::tui::theme::Role;

type PaneLine = Styled;

/// Who is signing, as far as practice goes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Practice {
    pub principal: Option<String>,
    pub trainee: bool,
    pub settings: PracticeSettings,
    /// The comparison screen's content, once a practice record is signed.
    pub comparison: Option<ComparisonView>,
}

/// The comparison, sanitised into lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ComparisonView {
    pub title: String,
    pub lines: Vec<PaneLine>,
    pub scroll: scroll::Scroll,
}

impl Practice {
    /// From `--reviewer`, reviewers.yaml and reviewers/practice.yaml. A file that cannot
    /// be read is reported; the workbench then treats the signer as not a trainee (the
    /// signing itself still goes through allowed_signers' namespaces).
    pub fn load(options: &Options) -> (Practice, Option<String>) {
        let mut problem = None;
        let principal = options.reviewer.clone();
        let trainee = match reviewers::load(&options.cases) {
            Ok(r) => principal.as_deref().is_some_and(|p| r.is_trainee(p)),
            Err(e) => {
                problem = Some(e);
                false
            }
        };
        let settings = PracticeSettings::load(&options.cases).unwrap_or_else(|e| {
            problem.get_or_insert(e);
            PracticeSettings::default()
        });
        let p = Practice {
            principal,
            trainee,
            settings,
            comparison: None,
        };
        (p, problem)
    }

    /// The record a signature from the form writes.
    pub fn record_kind(&self) -> RecordType {
        if self.trainee {
            RecordType::Practice
        } else {
            RecordType::Decision
        }
    }
}

/// Is case `index` of `set` a practice case?
pub fn is_practice_case(set: Option<&CaseSet>, index: usize) -> bool {
    set.and_then(|s| s.cases.get(index))
        .is_some_and(|lc| lc.case.practice.is_some())
}

impl Practice {
    /// Whether the advisor is hidden from this signer on case `index` of `set`.
    pub fn hides_advisor(&self, set: Option<&CaseSet>, index: usize) -> bool {
        let Some(lc) = set.and_then(|s| s.cases.get(index)) else {
            return false;
        };
        !advisor_visible(
            &lc.case,
            self.principal.as_deref(),
            self.trainee,
            &self.settings,
        )
    }

    /// What the sign line says after `[ Sign ]`: who signs (`who`), and for a trainee
    /// that it is a practice record.
    pub fn sign_label(&self, who: &str) -> String {
        if self.trainee {
            format!("a practice record as {who}")
        } else {
            format!("as {who}")
        }
    }

    /// For a trainee, the line above the form's preview that says what happens after
    /// signing (the record itself says `type: practice`).
    pub fn preview_note(&self, practice_case: bool) -> Option<&'static str> {
        if !self.trainee {
            return None;
        }
        Some(if practice_case {
            "# practice record: your answer is compared with the reference after signing"
        } else {
            "# practice record: a proposal for a supervisor to countersign"
        })
    }
}

const HIDDEN: &str = "Hints are hidden in practice: decide on your own; the reference, the \
                      score and why are shown once your practice record is signed. (A \
                      supervisor can switch hints on in reviewers/practice.yaml.)";

/// What the advisor panel shows on a case whose advisor is hidden: a note, no
/// recommendation and no findings (on most practice cases the recommendation is the
/// reference itself).
pub fn hidden_view() -> AdvisorView {
    AdvisorView {
        recommended: "(hidden in practice)".into(),
        lines: vec![(Role::Muted, HIDDEN.into())],
        hidden: true,
        ..AdvisorView::default()
    }
}

/// Back to the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Back;

/// Keys on the comparison screen: scroll, and back to the queue.
pub fn action(c: &mut ComparisonView, size: (u16, u16), action: Action) -> Step<Back> {
    match action {
        a if scroll::is_scroll(a) => {
            let (total, height) = layout::measure(&c.lines, layout::page(size));
            Step::changed_if(c.scroll.act(a, total, height))
        }
        Action::Back | Action::Quit => Step::ask(Back),
        _ => Step::unchanged(),
    }
}

/// The heading of the comparison's list of the rules its explanation cites.
pub const RULES_HEADING: &str = crate::present::practice::RULES_HEADING;

/// The comparison as lines: the presenter's sections (`crate::present::practice`), as
/// `casebench practice` prints them.
pub fn comparison_view(f: &Feedback) -> ComparisonView {
    ComparisonView {
        title: crate::present::practice::title(f),
        lines: crate::tui::sections::lines(&crate::present::practice::sections(f)),
        scroll: Default::default(),
    }
}
