//! What the workbench is opened with. The command layer builds it from its own options
//! (`workbench` in src/commands), so the workbench never reads the command line: the same
//! workbench could be opened by anything that can fill in these fields.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::case::settings::Library;

/// The workbench's options: the case directory, the day, who signs with which key, the
/// theme, the mouse.
#[derive(Debug, Clone)]
pub struct Options {
    /// The case directory (or, for `audit --sites DIR --tui`, the mirror).
    pub cases: PathBuf,
    /// The one clock: the day deadlines are computed against (fixed for the session: the
    /// workbench reads [`crate::clock::Clock::deadline_day`] when it opens), and the real
    /// day records and notices are dated by.
    pub clock: crate::clock::Clock,
    /// The signer: an allowed_signers principal.
    pub reviewer: Option<String>,
    /// A private key file, or a `.pub` file naming a key held by ssh-agent.
    pub key: Option<PathBuf>,
    /// A theme name (built in, or from the config directory's themes/).
    pub theme: Option<String>,
    /// Capture the mouse (the wheel scrolls); off by default so selection works.
    pub mouse: bool,
    /// The sample or training library's `as_of` day and kind, when it is in effect
    /// (for the header's "sample library as of ..." note).
    pub library: Option<(NaiveDate, Library)>,
    /// Where this user's memory of the decision log is kept (`None`: the platform's
    /// state directory; docs/RECORDS.md, "What each member remembers").
    pub state_dir: Option<PathBuf>,
}

impl Options {
    /// Options on `cases` with deadlines as of `today` (the system clock for the rest),
    /// no signer, the default theme, no mouse.
    pub fn new(cases: impl Into<PathBuf>, today: NaiveDate) -> Options {
        Options {
            cases: cases.into(),
            clock: crate::clock::Clock::system().with_deadline_day(Some(today)),
            reviewer: None,
            key: None,
            theme: None,
            mouse: false,
            library: None,
            state_dir: None,
        }
    }

    /// The day deadlines are computed against.
    pub fn deadline_day(&self) -> NaiveDate {
        self.clock.deadline_day()
    }

    /// This user's state directory (their memory of each log).
    pub fn state(&self) -> Result<crate::record::StateDir, String> {
        crate::record::StateDir::resolve(self.state_dir.as_deref())
    }

    /// The options a decision is made under (the decision workflow's view of these).
    pub fn setting(&self) -> crate::decision::Setting<'_> {
        crate::decision::Setting {
            cases: &self.cases,
            clock: self.clock,
            reviewer: self.reviewer.as_deref(),
            key: self.key.as_deref(),
            state_dir: self.state_dir.as_deref(),
        }
    }
}
