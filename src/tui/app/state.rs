//! The root's state: the screens' states side by side with what they share (the day,
//! the size, the keys, the cases, the log's facts, the message line and the outcome
//! box), and which screen is on top.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::rules::CaseSet;
use crate::text::sanitize_line;
use crate::tui::keymap::{Context, Keymap};
use crate::tui::screens::audit::AuditView;
use crate::tui::screens::case::CaseView;
use crate::tui::screens::countersign::Countersign;
use crate::tui::screens::form::Form;
use crate::tui::screens::intake::IntakeScreen;
use crate::tui::screens::invalid::InvalidRow;
use crate::tui::screens::practice::Practice;
use crate::tui::screens::queue::{Load, LogLoad, QueueState, Row};
use crate::tui::screens::record::RecordView;
use crate::tui::scroll::Scroll;
use crate::tui::step::Banner;
use crate::tui::theme::{Role, Theme};

/// The shared part of the state as a screen's `step::Ctx`, borrowed beside one screen's
/// own state (disjoint fields of `$s: &mut State`).
macro_rules! ctx {
    ($s:ident) => {
        crate::tui::step::Ctx {
            today: $s.today,
            clock: $s.clock,
            size: $s.size,
            keymap: &$s.keymap,
            set: $s.set.as_ref(),
            message: &mut $s.message,
            banner: &mut $s.banner,
        }
    };
}
pub(crate) use ctx;

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
    /// The intake of a new case (`State::intake`).
    Intake,
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
            Screen::Intake => Context::Intake,
        }
    }
}

pub struct State {
    /// The day deadlines are computed against, fixed when the workbench opens.
    pub today: NaiveDate,
    /// The one clock: the real day records, notices and periods run to.
    pub clock: crate::clock::Clock,
    pub cases_dir: String,
    pub theme: Theme,
    pub keymap: Keymap,
    pub load: Load,
    /// The decision log's reading, after the cases (`Load::Ready`).
    pub log: LogLoad,
    pub set: Option<Arc<CaseSet>>,
    pub rows: Vec<Row>,
    /// What is overdue, due this week, awaiting provision (the queue header's counts).
    pub reminders: crate::rules::queue::ReminderCounts,
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
    pub audit: Option<AuditView>,
    pub message: Option<(Role, String)>,
    /// Terminal size, from the last resize.
    pub size: (u16, u16),
    pub quit: bool,
    /// Case ids with a decision in the log (from the loader, and signed this session).
    pub decided: std::collections::HashSet<String>,
    /// "decided by X at T" (sanitised) per decided case, from the log's index.
    pub decided_by: std::collections::HashMap<String, String>,
    /// The record in force on each decided case, as the log's index has it (outcome,
    /// provision): the queue's statuses.
    pub decided_by_facts: std::collections::HashMap<String, crate::record::log::DecidedBy>,
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
    pub practice: Practice,
    /// The provision form, while open (over the case view).
    pub provide: Option<crate::tui::screens::provide::ProvisionForm>,
    /// Pending trainee proposals and the countersign screen.
    pub countersign: Countersign,
    /// The signed record on screen (`Screen::Record`).
    pub record: Option<RecordView>,
    /// The screen Esc goes back to from the record view.
    pub record_from: Screen,
    /// `R` in the queue asked for the case files again; the answer says how many.
    pub reloading: bool,
    /// The intake screen, while open (`N`).
    pub intake: Option<IntakeScreen>,
    /// The case to select once the case files are read again (a case just written).
    pub reload_select: Option<String>,
    /// Set by `update` when something visible changed; the loop draws and clears it.
    pub needs_draw: bool,
}

impl State {
    pub fn new(today: NaiveDate, cases_dir: &str, theme: Theme, keymap: Keymap) -> State {
        State {
            today,
            clock: crate::clock::Clock::system().with_deadline_day(Some(today)),
            cases_dir: sanitize_line(cases_dir),
            theme,
            keymap,
            load: Load::Loading { done: 0, total: 0 },
            log: LogLoad::Idle,
            set: None,
            reminders: Default::default(),
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
            decided_by_facts: Default::default(),
            drafts: Default::default(),
            drafts_dir: String::new(),
            library_note: None,
            confirm_discard: None,
            signer: "the reviewer whose key your ssh-agent holds".into(),
            practice: Default::default(),
            countersign: Default::default(),
            provide: None,
            record: None,
            record_from: Screen::Queue,
            reloading: false,
            intake: None,
            reload_select: None,
            needs_draw: true,
        }
    }

    /// Records who would sign: the reviewer principal and the key (file or agent).
    pub fn set_signer(&mut self, reviewer: Option<&str>, key: Option<&std::path::Path>) {
        // Said in the workbench's words, never the command line's (issue 23).
        self.signer = match (reviewer, key) {
            (Some(who), Some(k)) => format!(
                "{}, key {}",
                sanitize_line(who),
                sanitize_line(&k.display().to_string())
            ),
            (Some(who), None) => format!("{}, key from ssh-agent", sanitize_line(who)),
            (None, Some(k)) => format!(
                "the reviewer key {} belongs to",
                sanitize_line(&k.display().to_string())
            ),
            (None, None) => "the reviewer whose key your ssh-agent holds".to_string(),
        };
    }

    /// The row under the cursor in the queue.
    pub fn selected_row(&self) -> Option<&Row> {
        self.queue.selected_row(&self.rows)
    }

    /// Rows of the queue table that fit on screen (the loop's size minus chrome).
    pub fn queue_page(&self) -> usize {
        crate::tui::screens::queue::page(self.size)
    }

    pub fn context(&self) -> Context {
        match (self.screen, &self.intake) {
            (Screen::Intake, Some(i)) => i.context(),
            (screen, _) => screen.context(),
        }
    }
}

/// The header's note on a sample or training library's fixed day.
pub fn library_note(kind: crate::case::settings::Library, day: NaiveDate) -> String {
    format!("{} library as of {day}", kind.as_str())
}
