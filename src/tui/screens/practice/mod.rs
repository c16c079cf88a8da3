//! Practice in the workbench: a trainee (reviewers.yaml `role: trainee`) signs `practice`
//! records instead of decisions; on a practice case the advisor stays hidden (unless a
//! supervisor switched hints on, `practice::hints`) and, once the record is signed, the
//! comparison with the reference is shown. Nothing of the reference reaches the state
//! before the signed record's feedback arrives (`Msg::Feedback`).

pub mod view;

use crate::practice::hints::{PracticeSettings, advisor_visible};
use crate::practice::{Feedback, ItemComparison};
use crate::record::model::RecordType;
use crate::record::reviewers;
use crate::rules::CaseSet;
use crate::text::sanitize_line;
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
pub const RULES_HEADING: &str = "The rules cited above (R1, R2 ... of the rulebook)";

/// `text  [citation]`, without empty brackets when the rulebook has no citation.
fn cited(text: &str, citation: &str) -> String {
    let (t, c) = (sanitize_line(text), sanitize_line(citation));
    if c.is_empty() {
        t
    } else {
        format!("{t}  [{}]", whole_citations(&c))
    }
}

/// "45 CFR 164.501" stays on one line when wrapped (no-break spaces around `CFR`), so a
/// line never ends with a stray "[45".
fn whole_citations(s: &str) -> String {
    s.replace(" CFR ", "\u{a0}CFR\u{a0}")
}

fn line(role: Role, text: impl Into<String>) -> PaneLine {
    vec![(role, text.into())]
}

fn mark(right: bool) -> (Role, String) {
    if right {
        (Role::Ok, "✓ ".into())
    } else {
        (Role::Error, "✗ ".into())
    }
}

fn on_or_release(g: &Option<String>) -> String {
    match g {
        Some(g) => format!("withhold on {}", sanitize_line(g)),
        None => "release".into(),
    }
}

fn item_line(i: &ItemComparison) -> PaneLine {
    vec![
        mark(i.right),
        (Role::Normal, format!("{}: ", sanitize_line(&i.id))),
        (
            Role::Muted,
            format!(
                "reference {} · yours {}",
                on_or_release(&i.expected),
                on_or_release(&i.given)
            ),
        ),
    ]
}

/// The comparison as lines, every string from the case, record or rulebook sanitised.
pub fn comparison_view(f: &Feedback) -> ComparisonView {
    let c = &f.comparison;
    let s = |t: &str| sanitize_line(t);
    let mut l: Vec<PaneLine> = Vec::new();
    l.push(vec![
        (Role::Header, format!("Score {}/100", c.score)),
        (
            Role::Muted,
            format!(
                "  (outcome {:.0} + grounds {:.0} + record items {:.0} − penalties {:.0})",
                c.points_outcome, c.points_grounds, c.points_items, c.penalties
            ),
        ),
    ]);
    l.push(vec![
        mark(c.outcome_right),
        (
            Role::Normal,
            format!(
                "Outcome {}: yours {}, reference {}",
                if c.outcome_right { "right" } else { "wrong" },
                c.outcome_given.as_str(),
                c.outcome_expected.as_str()
            ),
        ),
    ]);
    l.push(Vec::new());
    l.push(line(Role::Header, "Grounds"));
    if c.grounds_found.is_empty() && c.grounds_missed.is_empty() && c.grounds_wrong.is_empty() {
        l.push(line(Role::Muted, "(none expected, none cited)"));
    }
    for g in &c.grounds_found {
        l.push(vec![mark(true), (Role::Normal, format!("found {}", s(g)))]);
    }
    for g in &c.grounds_missed {
        l.push(vec![
            mark(false),
            (Role::Normal, format!("missed {}", s(g))),
        ]);
    }
    for g in &f.wrong_grounds {
        let never = if c.never_valid_used.contains(&g.code) {
            " (never valid)"
        } else {
            ""
        };
        l.push(vec![
            mark(false),
            (Role::Normal, format!("wrong {}{never}: ", s(&g.code))),
            (Role::Muted, cited(&g.text, &g.citation)),
        ]);
    }
    if !c.items.is_empty() {
        l.push(Vec::new());
        l.push(line(Role::Header, "Record items (withhold map)"));
        l.extend(c.items.iter().map(item_line));
    }
    if !f.notice_needed.is_empty() {
        l.push(Vec::new());
        l.push(line(Role::Header, "The written notice must carry"));
        let given = &f.notice_given;
        for n in &f.notice_needed {
            let has = match n.code.as_str() {
                "basis" => Some(given.basis),
                "review_rights" => Some(given.review_rights),
                "complaint_routes" => Some(given.complaint_routes),
                _ => None,
            };
            let mut row = match has {
                Some(h) => vec![mark(h)],
                None => vec![(Role::Muted, "- ".into())],
            };
            row.push((
                Role::Normal,
                format!("{}  [{}]", s(&n.text), s(&n.citation)),
            ));
            l.push(row);
        }
    }
    l.push(Vec::new());
    l.push(line(Role::Header, "Reference grounds"));
    if f.reference_grounds.is_empty() {
        l.push(line(Role::Muted, "(none)"));
    }
    for g in &f.reference_grounds {
        l.push(vec![
            (Role::Normal, format!("• {}: ", s(&g.code))),
            (Role::Muted, cited(&g.text, &g.citation)),
        ]);
    }
    l.push(Vec::new());
    l.push(line(Role::Header, "Why (the reference explanation)"));
    // Hard-wrapped in the file: reflowed into paragraphs, like the case's panes.
    crate::tui::prose::text(&mut l, &whole_citations(&c.explanation));
    // The explanation cites the rulebook's rules by number: each is explained here.
    let rules = crate::rules::references::RuleRefs::builtin().cited_in(&c.explanation);
    if !rules.is_empty() {
        l.push(Vec::new());
        l.push(line(Role::Header, RULES_HEADING));
        for r in rules {
            l.push(vec![
                (Role::Key, format!("{} ", s(&r.id))),
                (Role::Normal, format!("{}: ", s(&r.title))),
                (Role::Muted, cited(&r.says, &r.citation)),
            ]);
        }
    }
    if !f.topics.is_empty() {
        l.push(Vec::new());
        let topics: Vec<String> = f.topics.iter().map(|t| s(t)).collect();
        l.push(line(Role::Muted, format!("Topics: {}", topics.join(", "))));
    }
    ComparisonView {
        title: format!(
            "Practice · {} · {} · record {} by {}",
            s(&f.case),
            s(&f.title),
            f.seq,
            s(&f.trainee)
        ),
        lines: l,
        scroll: Default::default(),
    }
}
