//! What happens to the workbench: keys, a resize, and the answers of the event loop's
//! workers. The root's `update` routes each to the screen it concerns.

use ratatui::crossterm::event::KeyEvent;

use crate::decision::draft::Draft;
use crate::rules::CaseSet;
use crate::tui::advisor::AdvisorView;
use crate::tui::screens::audit::AuditMsg;
use crate::tui::screens::countersign::PendingView;
use crate::tui::screens::form::preview::PreviewView;
use crate::tui::screens::queue::LogLoad;

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
    /// The advisor's findings for a case (the answer to `Effect::Advise`).
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
    /// The log no longer extends what this user verified, or a record new to them fails
    /// (why, unsanitised): a banner, and no status from the log until it is read again.
    LogRefused(String),
    /// A rewind notice was honoured (what it says, unsanitised): a banner.
    LogRewound(String),
    /// The case ids with a saved draft (`drafts::list`), or why they cannot be listed.
    Drafts(Result<Vec<String>, String>),
    /// Something went wrong in the background (removing a draft...): shown, not fatal.
    Error(String),
    /// SIGHUP, SIGTERM or a terminal read error: save and leave now.
    Hangup(String),
    /// The audit screen's worker answers.
    Audit(AuditMsg),
    /// Trainee proposals awaiting a countersignature (from the log's reader, verified).
    Pending(Vec<PendingView>),
    /// Where the reading of the decision log stands (the queue is usable meanwhile).
    Log(LogLoad),
    /// A countersignature of a proposal on `case` was signed, or why not.
    Countersigned {
        case: String,
        result: Result<String, String>,
    },
    /// A provision record on `case` was signed, or why not.
    Provided {
        case: String,
        result: Result<String, String>,
    },
    /// A signed record, read and verified for the record view (or why it cannot be).
    SignedRecord {
        which: crate::audit::signed::Which,
        result: Result<Box<crate::audit::signed::SignedRecord>, String>,
    },
    /// The record view's letter, written (its file) or not (why).
    LetterWritten(Result<std::path::PathBuf, String>),
    /// An intake started (`Effect::BeginIntake`), or why not (unsanitised).
    IntakeBegun(Result<Box<crate::case::intake::Intake>, String>),
    /// The intake's case file written, or why not (lines, unsanitised).
    IntakeWritten(Result<crate::tui::screens::intake::Written, Vec<String>>),
    /// What became of `e` on case `id`.
    CaseEdited {
        id: String,
        report: EditReport,
    },
}

/// What became of an edit (`Effect::EditCase`), and what to say (lines, unsanitised:
/// the copy's problems with file:line:col, where the copy is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditReport {
    pub outcome: EditOutcome,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    /// The case file was replaced by the valid copy.
    Replaced,
    /// The copy equals the case file.
    Unchanged,
    /// The copy does not load: kept, the case file unchanged.
    Invalid,
    /// The editor failed, or the file changed meanwhile: the copy kept.
    NotSaved,
    /// Not opened: a decided case, no such case, a log that cannot be believed.
    Refused,
}
