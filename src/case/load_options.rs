//! How a case directory is loaded: the days a case is checked against and the limits.
//! A leaf below loading and validation, which both read it.

use chrono::NaiveDate;

use super::settings::IntakeSettings;
use crate::store::safe_open::DEFAULT_MAX_FILE_BYTES;

#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Dates after this day are errors.
    pub today: NaiveDate,
    /// The real calendar day: a case is never received after it, whatever `today` says
    /// (`--today` looks at deadlines "as of" a day; it cannot make the future past).
    pub real_today: NaiveDate,
    pub max_file_bytes: u64,
    /// The directory's after-hours rule (`casebench.yaml` `intake:`); [`crate::rules::library::load_dir`] reads
    /// it when not given.
    pub intake: Option<IntakeSettings>,
}

impl LoadOptions {
    /// The last day a case's dates may name: the later of the deadline day and the real
    /// day. `as_of` and `--today` set the day deadlines are counted against, never what
    /// is "in the future" (one clock, issue 22: a request entered today in a sample
    /// library dated earlier is no less real, and loads).
    pub fn latest_day(&self) -> NaiveDate {
        self.today.max(self.real_today)
    }

    pub fn new(today: NaiveDate) -> LoadOptions {
        LoadOptions {
            today,
            real_today: crate::clock::Clock::system().real_day(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            intake: None,
        }
    }
}
