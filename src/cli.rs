//! The command line of DESIGN.md section 5, as clap definitions.
//!
//! Only argument shapes live here; each command's work is in `commands/`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "casebench",
    version,
    about = "Review disclosure cases, see the legal grounds that apply, sign verifiable decisions"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command understands.
#[derive(Debug, Clone, Args)]
pub struct Global {
    /// The case directory.
    #[arg(long, global = true, env = "CASEBENCH_CASES", default_value = "cases")]
    pub cases: PathBuf,
    /// Who you are: an allowed_signers principal.
    #[arg(long, global = true, env = "CASEBENCH_REVIEWER")]
    pub reviewer: Option<String>,
    /// Private key file, or a `.pub` file to pick a key held by ssh-agent.
    #[arg(long, global = true, env = "CASEBENCH_KEY")]
    pub key: Option<PathBuf>,
    /// Theme name (built in, or from the config directory's themes/).
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// The day deadlines are computed against (default: the local date). Deadline
    /// arithmetic only: anything signed carries the real date.
    #[arg(long, global = true, env = "CASEBENCH_TODAY", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// Capture the mouse in the workbench (off by default so terminal selection works).
    #[arg(long)]
    pub mouse: bool,
    /// The directory's `as_of` day, read once (see [`Global::clock`]).
    #[arg(skip)]
    pub as_of_cache: std::sync::OnceLock<Option<(NaiveDate, crate::case::settings::Library)>>,
    /// Where this user's memory of each decision log is kept; `None`: the platform's
    /// state directory (`$XDG_STATE_HOME/casebench`, docs/RECORDS.md). Set by callers
    /// that run as several users at once (tests), never from the command line.
    #[arg(skip)]
    pub state_dir: Option<PathBuf>,
}

impl Global {
    /// The one clock of this run ([`crate::clock::Clock`]): deadlines are computed
    /// against `--today` / `CASEBENCH_TODAY`, else the `as_of` day of a sample or training
    /// library (`casebench.yaml`), else the real day; anything signed carries the real
    /// day. Every command and the workbench call this one function.
    pub fn clock(&self) -> crate::clock::Clock {
        crate::clock::Clock::system()
            .with_deadline_day(self.today.or_else(|| self.library_as_of().map(|(d, _)| d)))
    }

    /// The day deadlines are computed against ([`crate::clock::Clock::deadline_day`]).
    pub fn deadline_day(&self) -> NaiveDate {
        self.clock().deadline_day()
    }

    /// The `as_of` day and kind of library when it is in effect (no `--today`), for the
    /// "sample library as of ..." header. A missing or unreadable `casebench.yaml` has
    /// none (`check` and `notice` report a broken one).
    pub fn library_as_of(&self) -> Option<(NaiveDate, crate::case::settings::Library)> {
        if self.today.is_some() {
            return None;
        }
        *self
            .as_of_cache
            .get_or_init(|| crate::case::settings::as_of(&self.cases).ok().flatten())
    }

    /// The options a decision is made under, for the decision workflow.
    pub fn setting(&self) -> crate::decision::Setting<'_> {
        crate::decision::Setting {
            cases: &self.cases,
            clock: self.clock(),
            reviewer: self.reviewer.as_deref(),
            key: self.key.as_deref(),
            state_dir: self.state_dir.as_deref(),
        }
    }

    /// This user's state directory (their memory of each log).
    pub fn state(&self) -> Result<crate::record::StateDir, String> {
        crate::record::StateDir::resolve(self.state_dir.as_deref())
    }
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; expected YYYY-MM-DD"))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate every case file; prints `path:line:col: message` per problem.
    Check(JsonFlag),
    /// The queue: id, kind, received, due, days left, status, title.
    List(JsonFlag),
    /// What is overdue, due within the window, or awaiting provision, most urgent first;
    /// exit 1 when anything is overdue (for cron and monitoring).
    Due(DueArgs),
    /// One case, all panes, as text.
    Show(ShowArgs),
    /// Applicable grounds, recommended outcome, deadline, required actions and notices.
    Advise(AdviseArgs),
    /// Write a signed decision record.
    Decide(DecideArgs),
    /// Record what was provided for a decision (records, a denial's notice, a disclosure).
    Provide(ProvideArgs),
    /// Open a new case: the intake's questions, on the terminal or as flags (docs/CLI.md).
    New(NewArgs),
    /// Edit a case file in $VISUAL/$EDITOR: it replaces the file only when valid.
    Edit(EditArgs),
    /// Verify every record: signature, signer, namespace, chain, case binding.
    Verify(VerifyArgs),
    /// Sign the current log head (compliance officers); with --rewind, a rewind notice.
    Checkpoint(CheckpointArgs),
    /// The decision log with verification state; accounting of disclosures; summary.
    Audit(AuditArgs),
    /// The written notice (denial letter) for a decision record.
    Notice(NoticeArgs),
    /// A trainee's scores against reference decisions.
    Practice(PracticeArgs),
    /// Publish this site's log to the remote named in casebench.yaml (docs/SITES.md).
    Sync(JsonFlag),
    /// The compliance office's side of several sites.
    #[command(subcommand)]
    Sites(SitesCommand),
    /// Cosign each mirrored site's head; refuse and report a rollback or fork.
    Witness(WitnessArgs),
    /// Print a shell completion script (bash, zsh or fish) to standard output.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to standard output: `casebench man | man -l -`.
    Man,
    /// For sshd's ForceCommand: the workbench, or the read-only command the client asked
    /// for in SSH_ORIGINAL_COMMAND (check, list, due, show, advise, verify, audit, notice,
    /// practice); anything else is refused (docs/DEPLOY.md).
    Ssh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    Text,
    Json,
    /// iCalendar (RFC 5545): one all-day event per deadline.
    Ics,
}

#[derive(Debug, Clone, Args)]
pub struct DueArgs {
    /// The window: cases due within this many days (`7d`, `2w`, or a number of days).
    #[arg(long, default_value = "7d", value_parser = parse_days)]
    pub within: i64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: DueFormat,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
}

/// A window in days: `N`, `Nd` or `Nw`, from 0 to 366 days.
pub fn parse_days(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (n, unit) = match t.strip_suffix(['d', 'D']) {
        Some(n) => (n, 1),
        None => match t.strip_suffix(['w', 'W']) {
            Some(n) => (n, 7),
            None => (t, 1),
        },
    };
    n.parse::<i64>()
        .ok()
        .map(|n| n * unit)
        .filter(|d| (0..=366).contains(d))
        .ok_or_else(|| {
            format!("`{s}` is not a window; expected days such as 7d, 14d or 2w (0 to 366 days)")
        })
}

#[derive(Debug, Clone, Args)]
pub struct WitnessArgs {
    /// The mirror made by `sites fetch`.
    #[arg(long)]
    pub sites: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SitesCommand {
    /// Mirror every site's published log into DIR/<site>/.
    Fetch(SitesFetchArgs),
}

#[derive(Debug, Clone, Args)]
pub struct SitesFetchArgs {
    /// The git remote the sites publish to (a path, file:// or ssh:// URL).
    #[arg(long)]
    pub remote: String,
    /// The mirror directory.
    #[arg(long)]
    pub into: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: CompletionShell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Args)]
pub struct JsonFlag {
    /// Machine-readable output (stable fields, documented in docs/CLI.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CheckpointArgs {
    /// Sign a rewind notice instead: the log was restored from a backup on purpose, and
    /// every member's client should accept it (docs/RECORDS.md, "Restoring a backup").
    #[arg(long, requires = "reason")]
    pub rewind: bool,
    /// Why the log was rewound (with --rewind): one line, kept in the notice.
    #[arg(long, requires = "rewind")]
    pub reason: Option<String>,
    /// Machine-readable output (stable fields, documented in docs/CLI.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

/// A proposed decision, shared by `advise` and `decide`.
#[derive(Debug, Clone, Args)]
pub struct Proposal {
    /// Proposed outcome (release_full, release_partial, deny, request_information,
    /// warn_and_protect, report, maintain_confidentiality).
    #[arg(long)]
    pub outcome: Option<String>,
    /// A ground code the decision rests on (repeatable).
    #[arg(long = "ground")]
    pub grounds: Vec<String>,
    /// Withhold a record item on a ground: REC=GROUND (repeatable).
    #[arg(long = "withhold")]
    pub withhold: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct AdviseArgs {
    pub id: String,
    #[command(flatten)]
    pub proposal: Proposal,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct DecideArgs {
    pub id: String,
    #[command(flatten)]
    pub proposal: Proposal,
    /// Why: free text, written into the record.
    #[arg(long)]
    pub rationale: String,
    /// Override an error finding: CODE=JUSTIFICATION (repeatable).
    #[arg(long = "override")]
    pub overrides: Vec<String>,
    /// Record type: decision (default), review, practice or countersign.
    #[arg(long = "type", default_value = "decision")]
    pub record_type: String,
    /// A disclosure made under this decision: RECIPIENT|ADDRESS|DESCRIPTION|PURPOSE (repeatable).
    #[arg(long = "disclosure")]
    pub disclosures: Vec<String>,
    /// With --type countersign: the seq of the trainee's proposal (a practice record).
    #[arg(long)]
    pub countersigns: Option<u64>,
    #[arg(long)]
    pub json: bool,
}

/// `casebench provide ID --on DATE --via CHANNEL --form FORMAT` (docs/CLI.md).
#[derive(Debug, Clone, Args)]
pub struct ProvideArgs {
    pub id: String,
    /// The day the records were provided (a denial: the day its notice was sent; a
    /// concern: the day the disclosure was made).
    #[arg(long, value_parser = parse_date)]
    pub on: NaiveDate,
    /// How: portal, email, mail, pickup or fax (a concern: also phone, in_person).
    #[arg(long)]
    pub via: String,
    /// The form and format provided, in the clinic's words (pdf, paper copy, letter).
    #[arg(long)]
    pub form: String,
    /// A fee item charged: ITEM=AMOUNT, ITEM one of copying_labor, supplies, postage,
    /// summary, search_and_retrieval, other (repeatable).
    #[arg(long = "fee")]
    pub fees: Vec<String>,
    /// The day the individual was told the fee.
    #[arg(long, value_parser = parse_date)]
    pub fee_told_on: Option<NaiveDate>,
    /// A partial denial: the day the written notice of the part withheld was sent.
    #[arg(long, value_parser = parse_date)]
    pub notice_sent: Option<NaiveDate>,
    /// Correct the provision record SEQ (with --note saying why).
    #[arg(long)]
    pub corrects: Option<u64>,
    /// A note written into the record (required with --corrects: the reason).
    #[arg(long, default_value = "")]
    pub note: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// A signed checkpoint to detect truncation or a rewritten tail against.
    #[arg(long, conflicts_with = "sites")]
    pub checkpoint: Option<PathBuf>,
    /// Verify every site of a mirror made by `sites fetch` instead, each on its own.
    #[arg(long)]
    pub sites: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    Table,
    Csv,
    Json,
    /// FHIR R4 JSON Bundle: AuditEvents (IHE BALP) and Provenances (docs/AUDIT.md).
    Fhir,
    /// With --accounting --patient: the accounting as a letter to the patient.
    Pdf,
    /// With --accounting --patient: the accounting as a letter to the patient.
    Html,
}

/// The paper a PDF is laid out on, and an HTML page printed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    Letter,
    A4,
}

impl PaperArg {
    pub fn paper(self) -> crate::audit::pdf::Paper {
        match self {
            PaperArg::Letter => crate::audit::pdf::Paper::Letter,
            PaperArg::A4 => crate::audit::pdf::Paper::A4,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    #[arg(long, value_enum, default_value = "table")]
    pub format: AuditFormat,
    #[arg(long, value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    #[arg(long, value_parser = parse_date)]
    pub until: Option<NaiveDate>,
    /// The accounting of disclosures (45 CFR 164.528).
    #[arg(long)]
    pub accounting: bool,
    /// Only this patient's disclosures (with --accounting).
    #[arg(long)]
    pub patient: Option<String>,
    /// Summary figures, for email.
    #[arg(long)]
    pub summary: bool,
    /// Same as --format json.
    #[arg(long)]
    pub json: bool,
    /// Audit a mirror made by `sites fetch` instead: every site's records, labelled
    /// with their site (docs/SITES.md).
    #[arg(long, value_name = "DIR")]
    pub sites: Option<PathBuf>,
    /// With --sites: open the mirror in the workbench's audit screen (read-only).
    #[arg(long, requires = "sites")]
    pub tui: bool,
    /// Write the audit report for a board to FILE: one self-contained .html or .pdf
    /// (summary figures, charts, each site's state, the problems).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Write the output to FILE (whole or not at all) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Paper for PDF and for printing HTML.
    #[arg(long, value_enum, default_value = "letter")]
    pub paper: PaperArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoticeFormat {
    Text,
    Markdown,
    /// The letter on the entity's letterhead, as PDF (never written to a terminal).
    Pdf,
    /// The letter on the entity's letterhead, as one self-contained HTML file.
    Html,
}

#[derive(Debug, Clone, Args)]
pub struct NoticeArgs {
    pub seq: u64,
    #[arg(long, value_enum, default_value = "text")]
    pub format: NoticeFormat,
    /// Write the letter to FILE (whole or not at all) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Paper for the PDF, and for printing the HTML.
    #[arg(long, value_enum, default_value = "letter")]
    pub paper: PaperArg,
}

#[derive(Debug, Clone, Args)]
pub struct PracticeArgs {
    /// Whose attempts (default: --reviewer if a trainee, else everyone's, for supervisors).
    #[arg(long)]
    pub trainee: Option<String>,
    /// Show the comparison of the trainee's latest attempt on this case again.
    #[arg(long)]
    pub case: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// access_request or disclosure_concern (the same as `--set kind=...`).
    #[arg(long)]
    pub kind: Option<String>,
    /// The day the request arrived, YYYY-MM-DD (`--set received=...`).
    #[arg(long)]
    pub received: Option<String>,
    /// The patient's pseudonymous reference (`--set patient.ref=...`).
    #[arg(long = "patient-ref")]
    pub patient_ref: Option<String>,
    /// The earlier case this one follows (a decided case is never edited).
    #[arg(long)]
    pub follows: Option<String>,
    /// Answer a question: KEY=VALUE (repeatable; `--list-questions` lists the keys).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// A record item: "ID CATEGORY DESCRIPTION[; FACT=VALUE ...]" (repeatable).
    #[arg(long = "record", value_name = "LINE")]
    pub records: Vec<String>,
    /// Answers from a YAML file: one `key: value` per question, `records:` a list of lines.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Never ask on the terminal: fail, naming every question left unanswered.
    #[arg(long = "no-input")]
    pub no_input: bool,
    /// Print every question (key, what it takes, the question) and exit.
    #[arg(long = "list-questions")]
    pub list_questions: bool,
}

#[derive(Debug, Clone, Args)]
pub struct EditArgs {
    pub id: String,
    /// Throw away your copy from an earlier edit and start again from the case file.
    #[arg(long)]
    pub discard: bool,
}
