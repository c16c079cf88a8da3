//! The case view: a header over the three panes (Evaluation of harm | Consultation
//! notes | Documentation), the advisor as a fourth area, and `/` to search them. Its
//! state is built once from the case (`content`, every string sanitised there); its
//! update scrolls, moves the focus and searches, and asks the root for what reaches
//! beyond the case (the form, the record view, leaving).

pub mod content;
pub mod header;
pub mod layout;
pub mod search;
pub mod update;
pub mod view;

use crate::case::CaseKind;
use crate::decision::draft::Draft;
use crate::tui::advisor::AdvisorView;
use crate::tui::scroll::{Scroll, Styled};
use crate::tui::theme::Role;

/// One line of a pane: pieces of text with their roles.
pub type PaneLine = Styled;

#[derive(Debug, Clone, PartialEq)]
pub struct Pane {
    pub title: &'static str,
    pub lines: Vec<PaneLine>,
    pub scroll: Scroll,
}

pub const PANE_TITLES: [&str; 3] = ["Evaluation of harm", "Consultation notes", "Documentation"];

#[derive(Debug, Clone, PartialEq)]
pub struct CaseView {
    /// Index into `CaseSet::cases`.
    pub index: usize,
    /// The case id as in the file, for effects (draft file names); never drawn.
    pub case_id: String,
    /// Sanitised, for display.
    pub id: String,
    pub title: String,
    pub kind: CaseKind,
    pub requester: String,
    pub jurisdiction: String,
    /// The deadline clock, e.g. `due 2026-04-01 · !! 3 days overdue`, and its role.
    pub clock: (String, Role),
    pub panes: [Pane; 3],
    pub focus: usize,
    /// The saved draft found when the case was opened, offered back.
    pub draft: Option<Draft>,
    pub show_advisor: bool,
    pub advisor: Option<AdvisorView>,
    pub advisor_scroll: Scroll,
    /// `/` in the case view: the search over the panes and the advisor.
    pub search: Search,
    /// "decided by X at T" (from the log's index) when the case is decided.
    pub decided: Option<String>,
}

/// The case view's search (`/`): the query and where it stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub query: String,
    /// The query is being typed (every key is text until Enter or Esc).
    pub typing: bool,
    /// Where the search started: area and wrapped line (the first match at or after it
    /// is the first one shown).
    pub origin: (usize, usize),
    /// The match last moved to.
    pub current: Option<Hit>,
}

impl Search {
    pub fn active(&self) -> bool {
        self.typing || !self.query.is_empty()
    }
}

/// One match: in area `area`, wrapped line `line`, characters `col..col + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub area: usize,
    pub line: usize,
    pub col: usize,
    pub len: usize,
}
