//! The queue: one row per valid case, most urgent first, with the fuzzy, status and
//! practice filters, the loading and log lines, and the invalid files one key away. Its
//! state is the rows (built by the root from the case set and the log's facts) and the
//! cursor and filters over them.

pub mod filter;
pub mod update;
pub mod view;

use crate::case::CaseKind;
use crate::rules::Status;
use crate::rules::queue::QueueEntry;
use crate::text::sanitize_line;

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

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueState {
    /// Indices into the rows that pass the filters, in queue order.
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

impl QueueState {
    /// The row under the cursor.
    pub fn selected_row<'a>(&self, rows: &'a [Row]) -> Option<&'a Row> {
        rows.get(*self.visible.get(self.selected)?)
    }
}

/// Rows of the queue table that fit on a terminal of `size` (minus the title, status,
/// header and footer lines).
pub fn page(size: (u16, u16)) -> usize {
    (size.1 as usize).saturating_sub(4).max(1)
}

/// Where loading the case files stands.
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

/// What the queue's first two lines tell besides its rows: the directory, a library's
/// fixed day, loading, the log's reading, the invalid files.
pub struct Heading<'a> {
    pub cases_dir: &'a str,
    pub library_note: Option<&'a str>,
    pub load: &'a Load,
    pub log: &'a LogLoad,
    pub invalid: usize,
    /// What `casebench due` counts over a week, from the same function.
    pub reminders: &'a crate::rules::queue::ReminderCounts,
}
