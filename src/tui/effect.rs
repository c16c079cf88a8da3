//! What the workbench asks the world to do. The screens' updates and the root return
//! these; the event loop carries every one of them out, in one place
//! (`event_loop::effects`), and answers with messages. Plain data: no screen, no I/O.

use std::path::PathBuf;

use crate::audit::signed::Which;
use crate::decision::draft::Draft;
use crate::record::model::RecordType;

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
        kind: RecordType,
        findings: bool,
    },
    /// Sign and record this decision (leaves the full screen for a passphrase).
    Sign(Draft),
    /// The audit screen's work (report, record text, checkpoint) on a worker.
    Audit(AuditEffect),
    /// Countersign proposal `seq` on `case` (leaves the full screen, like `Sign`).
    Countersign {
        case: String,
        seq: u64,
        rationale: String,
    },
    /// Sign a provision record for the decision in force on `case` (leaves the full
    /// screen, like `Sign`).
    Provide {
        case: String,
        fields: crate::decision::provide::ProvisionFields,
    },
    /// Read the decision log (decided cases, then the pending proposals, which verify the
    /// log) on a worker: once the cases are loaded, and after this session signed
    /// something. The worker reports its steps as `Msg::Log`.
    RefreshLog,
    /// Read and verify a signed record for the record view, on a worker.
    ShowRecord(Which),
    /// Write the letter of record `seq` (a PDF) to a new file in the current folder.
    WriteLetter(u64),
    /// Start an intake (`N`): the directory's settings read, the real clock's time.
    BeginIntake,
    /// Write the intake's case file under the next free id (`casebench new`'s function).
    WriteCase(Box<crate::case::intake::Intake>),
    /// Keep the answers of an intake the workbench leaves unfinished (a hang-up) as an
    /// answers file for `casebench new --answers`.
    KeepIntake(Box<crate::case::intake::Intake>),
    /// `e`: case `id` in `$VISUAL`/`$EDITOR` (`casebench edit`'s flow), the terminal
    /// handed to the editor meanwhile.
    EditCase(String),
    Quit,
}

/// The audit screen's work, on a worker thread.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditEffect {
    /// Verify the log and build the report.
    Load,
    /// Sign a checkpoint of the log head with the officer's key.
    Checkpoint,
    /// Verify every site of a `--sites` mirror and build its report.
    LoadSites(PathBuf),
    /// Read record `seq` of a mirrored site (`dir` is the mirror, `site` the site).
    SiteRecord {
        dir: PathBuf,
        site: String,
        seq: u64,
    },
}
