//! The workbench's state, the messages that change it and the effects it asks for.
//!
//! Everything shown is in here, already sanitised: views only lay it out. Strings from
//! case files pass through `crate::text::sanitize*` when the state is built from a
//! `CaseSet`, never later.

use std::sync::Arc;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::form::Form;
use super::keymap::{Context, Keymap};
use super::scroll::Scroll;
use super::theme::{Role, Theme};
use crate::case::queue::QueueEntry;
use crate::case::{CaseKind, CaseSet, Status};
use crate::store::drafts::Draft;
use crate::text::{sanitize, sanitize_line};

/// Smallest terminal the workbench draws in; below it a "please enlarge" message.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width on the three case panes sit side by side; below, they are tabs.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// Something that happened: a key, a resize, a result from the worker, a hang-up.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// Files loaded so far, of how many.
    Progress(usize, usize),
    Loaded(Box<CaseSet>),
    LoadFailed(String),
    DraftLoaded {
        case: String,
        result: Result<Option<Draft>, String>,
    },
    /// The path it was saved to, or why not.
    DraftSaved(Result<String, String>),
    /// The typing pause after an edit has passed: time to save the draft.
    DraftDue,
    Signed(Result<String, String>),
    /// A signed practice record's comparison with the reference (or why there is none).
    Feedback(Result<Box<crate::practice::Feedback>, String>),
    /// The advisor's findings for a case (the advisor engine's seam: see `Effect`).
    Advice {
        case: String,
        view: AdvisorView,
    },
    /// The form's decision on `case` as it would be recorded, with the findings on it.
    Preview {
        case: String,
        view: PreviewView,
    },
    /// Cases the decision log holds a decision (or review) for.
    Decided(Vec<String>),
    /// Who signed each decided case's record in force, and when (`Index::decided_by`).
    DecidedBy(std::collections::HashMap<String, crate::record::log::DecidedBy>),
    /// The decision log changed on disk (another process signed): read its index again.
    LogChanged,
    /// The case ids with a saved draft (`drafts::list`), or why they cannot be listed.
    Drafts(Result<Vec<String>, String>),
    /// Something went wrong in the background (removing a draft...): shown, not fatal.
    Error(String),
    /// SIGHUP, SIGTERM or a terminal read error: save and leave now.
    Hangup(String),
    /// The audit screen's worker answers.
    Audit(super::audit::AuditMsg),
    /// Trainee proposals awaiting a countersignature (from the log's reader, verified).
    Pending(Vec<super::countersign::PendingView>),
    /// Where the reading of the decision log stands (the queue is usable meanwhile).
    Log(LogLoad),
    /// A countersignature of a proposal on `case` was signed, or why not.
    Countersigned {
        case: String,
        result: Result<String, String>,
    },
    /// A signed record, read and verified for the record view (or why it cannot be).
    SignedRecord {
        which: crate::audit::signed::Which,
        result: Result<Box<crate::audit::signed::SignedRecord>, String>,
    },
}

/// Work the event loop does for `update` (I/O, time, leaving).
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    LoadCases,
    LoadDraft(String),
    /// Save this draft (the loop stamps the time).
    SaveDraft(Draft),
    /// Restart the typing-pause timer for the draft.
    DraftEdited,
    RemoveDraft(String),
    /// List the saved drafts (the queue marks their cases).
    ListDrafts,
    /// Ask the advisor about case `index` of the set: its recommendation.
    Advise {
        index: usize,
    },
    /// The preview of the form's decision on case `index` as a `kind` record: the record's
    /// text and the advisor's findings on it (left out when `findings` is false: the
    /// advisor is hidden in practice).
    Preview {
        index: usize,
        draft: Draft,
        kind: crate::record::model::RecordType,
        findings: bool,
    },
    /// Seam for the decision log: sign and record this decision.
    Sign(Draft),
    /// The audit screen's work (report, record text, checkpoint) on a worker.
    Audit(super::audit::AuditEffect),
    /// Countersign proposal `seq` on `case` (leaves the full screen, like `Sign`).
    Countersign {
        case: String,
        seq: u64,
        rationale: String,
    },
    /// Read the decision log (decided cases, then the pending proposals, which verify the
    /// log) on a worker: once the cases are loaded, and after this session signed
    /// something. The worker reports its steps as `Msg::Log`.
    RefreshLog,
    /// Read and verify a signed record for the record view, on a worker.
    ShowRecord(crate::audit::signed::Which),
    Quit,
}

/// The advisor's findings for the open case, as plain strings (already sanitised).
/// The advisor engine fills it; until then it stays `None` and the panel says so.
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
}

/// An outcome message (signed, refused, conflict, checkpoint, draft discarded): shown
/// whole, in a box over the screen where the key was pressed, until Enter or Esc closes
/// it or another replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub role: Role,
    pub title: String,
    pub text: String,
}

impl Banner {
    pub fn new(role: Role, title: &str, text: impl Into<String>) -> Banner {
        Banner {
            role,
            title: title.to_string(),
            text: text.into(),
        }
    }
}

/// One queue row, sanitised once when loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub index: usize,
    pub id: String,
    pub kind: CaseKind,
    pub status: Status,
    pub received: String,
    pub due: String,
    pub days_left: Option<i64>,
    pub requester: String,
    pub title: String,
    /// What the fuzzy filter matches against.
    pub haystack: String,
    /// A saved draft exists for this case (marked `D` in the queue).
    pub draft: bool,
    /// A training case (marked `P` in the queue).
    pub practice: bool,
}

impl Row {
    pub fn from_entry(e: &QueueEntry) -> Row {
        let id = sanitize_line(&e.id);
        let requester = e
            .requester
            .as_deref()
            .map(sanitize_line)
            .unwrap_or_default();
        let title = sanitize_line(&e.title);
        Row {
            index: e.index,
            haystack: format!("{id} {requester} {title} {}", e.kind.as_str()),
            id,
            kind: e.kind,
            status: e.status,
            received: e.received.to_string(),
            due: e.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
            days_left: e.days_left,
            requester,
            title,
            draft: false,
            practice: false,
        }
    }
}

/// Days left as text that carries the meaning without colour: `!! -12d`, `! 3d`, `14d`.
pub fn days_left_text(status: Status, days_left: Option<i64>) -> (String, Role) {
    match (status, days_left) {
        (Status::Decided, _) => ("done".into(), Role::Muted),
        (Status::UnderReview, _) => ("review".into(), Role::Muted),
        (Status::Overdue, Some(d)) => (format!("!! {d}d"), Role::Overdue),
        (Status::DueSoon, Some(d)) => (format!("! {d}d"), Role::DueSoon),
        (Status::WaitingOnClinician, Some(d)) if d <= crate::case::deadline::DUE_SOON_DAYS => {
            (format!("! {d}d"), Role::DueSoon)
        }
        (_, Some(d)) => (format!("{d}d"), Role::Ok),
        (_, None) => ("! now".into(), Role::DueSoon),
    }
}

pub fn status_text(s: Status) -> (&'static str, Role) {
    match s {
        Status::Overdue => ("OVERDUE", Role::Overdue),
        Status::DueSoon => ("due soon", Role::DueSoon),
        Status::Open => ("open", Role::Normal),
        // "waiting on clinician", in the 8 columns the queue gives a status.
        Status::WaitingOnClinician => ("waiting", Role::Normal),
        Status::UnderReview => ("review", Role::Muted),
        Status::Decided => ("decided", Role::Muted),
    }
}

pub fn kind_text(k: CaseKind) -> &'static str {
    match k {
        CaseKind::AccessRequest => "access",
        CaseKind::DisclosureConcern => "concern",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading { done: usize, total: usize },
    Ready,
    Failed(String),
}

/// The decision log, read in the background after the cases are loaded: the queue is
/// usable at once; decided statuses fill in from the log's index, then the log is
/// verified for the pending proposals (nothing unverified is offered meanwhile).
#[derive(Debug, Clone, Default, PartialEq)]
pub enum LogLoad {
    /// Nothing being read (read, or never asked for): nothing to say.
    #[default]
    Idle,
    /// Reading the log's index: the decided statuses.
    Reading,
    /// Verifying the log's `total` records (0: count unknown) for pending proposals.
    Verifying { total: usize },
    /// The log could not be verified (why, sanitised): no proposal is offered.
    Unverified(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Queue,
    Invalid,
    Case,
    Form,
    /// A practice record's comparison with the reference.
    Practice,
    Audit,
    /// A signed record (`State::record`).
    Record,
}

impl Screen {
    pub fn context(self) -> Context {
        match self {
            Screen::Queue => Context::Queue,
            Screen::Invalid => Context::Invalid,
            Screen::Case => Context::Case,
            Screen::Form => Context::Form,
            Screen::Practice => Context::Practice,
            Screen::Audit => Context::Audit,
            Screen::Record => Context::Record,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueState {
    /// Indices into `State::rows` that pass the filters, in queue order.
    pub visible: Vec<usize>,
    /// Position in `visible`.
    pub selected: usize,
    /// First visible position drawn (kept by `update` so that drawing stays pure).
    pub offset: usize,
    pub filter: String,
    pub filtering: bool,
    pub status: Option<Status>,
    /// Only training cases (`p`), for trainees.
    pub practice_only: bool,
}

/// An invalid case file and its problems, sanitised.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidRow {
    pub path: String,
    pub problems: Vec<String>,
}

/// One line of a pane: pieces of text with their roles.
pub type PaneLine = Vec<(Role, String)>;

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
    pub search: super::search::Search,
    /// "decided by X at T" (from `State::decided_by`) when the case is decided.
    pub decided: Option<String>,
}

pub struct State {
    pub today: NaiveDate,
    pub cases_dir: String,
    pub theme: Theme,
    pub keymap: Keymap,
    pub load: Load,
    /// The decision log's reading, after the cases (`Load::Ready`).
    pub log: LogLoad,
    pub set: Option<Arc<CaseSet>>,
    pub rows: Vec<Row>,
    pub invalid: Vec<InvalidRow>,
    pub invalid_scroll: Scroll,
    pub queue: QueueState,
    pub screen: Screen,
    pub case: Option<CaseView>,
    pub form: Option<Form>,
    pub help: bool,
    pub help_scroll: Scroll,
    /// The outcome message in its box, until closed.
    pub banner: Option<Banner>,
    /// The audit screen, while open.
    pub audit: Option<super::audit::AuditView>,
    pub message: Option<(Role, String)>,
    /// Terminal size, from the last resize.
    pub size: (u16, u16),
    pub quit: bool,
    /// Case ids with a decision in the log (from the loader, and signed this session).
    pub decided: std::collections::HashSet<String>,
    /// "decided by X at T" (sanitised) per decided case, from the log's index.
    pub decided_by: std::collections::HashMap<String, String>,
    /// Case ids with a saved draft.
    pub drafts: std::collections::HashSet<String>,
    /// "sample library as of 2026-11-23" when the directory's `as_of` day is in effect.
    pub library_note: Option<String>,
    /// Where drafts are saved (sanitised; empty when unknown), to say so on leaving.
    pub drafts_dir: String,
    /// The case whose draft `x` asked to discard: `y` confirms, any other key keeps it.
    pub confirm_discard: Option<String>,
    /// Who would sign, with which key (sanitised), for the form's preview.
    pub signer: String,
    /// Whether the signer is a trainee, hints, and the practice comparison.
    pub practice: super::practice::Practice,
    /// Pending trainee proposals and the countersign screen.
    pub countersign: super::countersign::Countersign,
    /// The signed record on screen (`Screen::Record`), and the screen it goes back to.
    pub record: Option<super::record::RecordView>,
    /// `R` in the queue asked for the case files again; the answer says how many.
    pub reloading: bool,
    /// Set by `update` when something visible changed; the loop draws and clears it.
    pub needs_draw: bool,
}

impl State {
    pub fn new(today: NaiveDate, cases_dir: &str, theme: Theme, keymap: Keymap) -> State {
        State {
            today,
            cases_dir: sanitize_line(cases_dir),
            theme,
            keymap,
            load: Load::Loading { done: 0, total: 0 },
            log: LogLoad::Idle,
            set: None,
            rows: Vec::new(),
            invalid: Vec::new(),
            invalid_scroll: Scroll::default(),
            queue: QueueState::default(),
            screen: Screen::Queue,
            case: None,
            form: None,
            help: false,
            help_scroll: Scroll::default(),
            banner: None,
            audit: None,
            message: None,
            size: (80, 24),
            quit: false,
            decided: Default::default(),
            decided_by: Default::default(),
            drafts: Default::default(),
            drafts_dir: String::new(),
            library_note: None,
            confirm_discard: None,
            signer: "(no --reviewer given)".into(),
            practice: Default::default(),
            countersign: Default::default(),
            record: None,
            reloading: false,
            needs_draw: true,
        }
    }

    /// Records who would sign: the reviewer principal and the key (file or agent).
    pub fn set_signer(&mut self, reviewer: Option<&str>, key: Option<&std::path::Path>) {
        let who = reviewer.map_or("(no --reviewer given)".to_string(), sanitize_line);
        let with = match key {
            Some(k) => format!("key {}", sanitize_line(&k.display().to_string())),
            None => "key from ssh-agent or --key".to_string(),
        };
        self.signer = format!("{who}, {with}");
    }

    /// The row under the cursor in the queue.
    pub fn selected_row(&self) -> Option<&Row> {
        let i = *self.queue.visible.get(self.queue.selected)?;
        self.rows.get(i)
    }

    /// Rows of the queue table that fit on screen (the loop's size minus chrome).
    pub fn queue_page(&self) -> usize {
        (self.size.1 as usize).saturating_sub(4).max(1)
    }

    pub fn context(&self) -> Context {
        self.screen.context()
    }
}

/// The header's note on a sample or training library's fixed day.
pub fn library_note(kind: crate::case::settings::Library, day: NaiveDate) -> String {
    format!("{} library as of {day}", kind.as_str())
}

/// Invalid files as sanitised text: the path and each problem with its snippet.
pub fn invalid_rows(set: &CaseSet) -> Vec<InvalidRow> {
    set.invalid
        .iter()
        .map(|i| InvalidRow {
            path: sanitize_line(&i.path.display().to_string()),
            problems: i
                .problems
                .iter()
                .map(|p| sanitize(&p.to_string()))
                .collect(),
        })
        .collect()
}
