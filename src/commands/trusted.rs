//! What every command that reads the decision log does first: bring this user's memory
//! of it up to date ([`crate::record::memory::catch_up`]). A log that no longer extends
//! what the user saw, or whose new records fail, is said (exit 1, in `--json` too) and
//! nothing is written; a rewind notice honoured on the way, and the progress of a long
//! verification, go to standard error.

use std::io::{IsTerminal, Write};

use super::output::write_json;
use super::{CommandError, CommandResult, Exit};
use crate::cli::Global;
use crate::record::memory::{self, TrustError, Trusted};
use crate::record::verify::LogReport;
use crate::text::sanitize_line;

/// Below this many records to verify, nothing is said while verifying.
const PROGRESS_FROM: u64 = 2000;

/// Progress on standard error: one line when it starts, the count updated in place on a
/// terminal.
struct Progress {
    started: bool,
    tty: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            started: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn report(&mut self, done: u64, total: u64) {
        if total < PROGRESS_FROM {
            return;
        }
        let mut err = std::io::stderr().lock();
        if !self.started {
            self.started = true;
            let _ = writeln!(
                err,
                "casebench: verifying {total} record(s) of the decision log that are new to you (once: they are remembered)"
            );
        }
        if self.tty {
            let _ = write!(err, "\r  {done}/{total}");
            if done == total {
                let _ = writeln!(err);
            }
        }
    }
}

/// This user's verified view of the log of `global`'s case directory, or why the log
/// cannot be believed (`Err` inside: exit 1 material; outside: an I/O error, exit 2).
pub(crate) fn catch_up(global: &Global) -> Result<Result<Trusted, TrustError>, CommandError> {
    let state = global.state().map_err(CommandError::Io)?;
    let mut progress = Progress::new();
    match memory::catch_up(&global.cases, &state, &mut |d, t| progress.report(d, t)) {
        Ok(t) => {
            announce(&t);
            Ok(Ok(t))
        }
        Err(TrustError::Io(e)) => Err(CommandError::Io(e)),
        Err(e) => Ok(Err(e)),
    }
}

/// After a full verification: this user's memory checked against it and, when the log
/// is whole, brought up to date from it.
pub(crate) fn remember(
    global: &Global,
    report: &LogReport,
) -> Result<Result<Trusted, TrustError>, CommandError> {
    let state = global.state().map_err(CommandError::Io)?;
    match memory::remember_report(&global.cases, &state, report) {
        Ok(t) => {
            announce(&t);
            Ok(Ok(t))
        }
        Err(TrustError::Io(e)) => Err(CommandError::Io(e)),
        Err(e) => Ok(Err(e)),
    }
}

/// Says on standard error what the user must know: a rewind notice honoured, and
/// warnings (an interrupted append seen).
pub(crate) fn announce(t: &Trusted) {
    if let Some(r) = &t.rewound {
        crate::text::warn(&r.describe());
    }
    for w in &t.warnings {
        crate::text::warn(&sanitize_line(w));
    }
}

/// The refusal as `--json` says it.
pub(crate) fn json_of(e: &TrustError) -> serde_json::Value {
    serde_json::json!({
        "ok": false,
        "error": e.kind(),
        "seq": e.seq(),
        "message": e.to_string(),
    })
}

/// Says why the log cannot be believed (standard error; `--json`: the refusal on
/// standard output too) and exits 1.
pub(crate) fn refuse(out: &mut dyn Write, e: &TrustError, json: bool) -> CommandResult {
    if json {
        write_json(out, &json_of(e), false)?;
    }
    crate::text::warn(&sanitize_line(&e.to_string()));
    Ok(Exit::Problems)
}
