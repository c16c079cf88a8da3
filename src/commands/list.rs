//! `casebench list`: the queue.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out, load_cases, warn_invalid};
use crate::cli::Global;
use crate::record::memory::TrustError;
use crate::rules::{CaseSet, queue};
use crate::text::sanitize_line;

/// The queue of `set` as of `today`, each case's status from this user's verified
/// memory of the decision log (a missing log is empty): what `list` and `due` show.
/// `Err`: the log no longer supports this user's memory (said by the caller, exit 1).
pub(crate) fn rows(
    global: &Global,
    set: &CaseSet,
    today: chrono::NaiveDate,
) -> Result<Result<Vec<queue::QueueEntry>, TrustError>, CommandError> {
    let index = match super::trusted::catch_up(global)? {
        Ok(t) => t.index,
        Err(e) => return Ok(Err(e)),
    };
    let under_review = super::standing::under_review(&index, set);
    let facts = |id: &str| super::standing::facts(&index, &under_review, id);
    Ok(Ok(queue::entries(set, today, &facts)))
}

pub fn run(global: &Global, json: bool, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let today = global.deadline_day();
    // Decided and proposed cases come from this user's verified memory of the decision
    // log; a log that no longer supports it is said, exit 1.
    let rows = match rows(global, &set, today)? {
        Ok(rows) => rows,
        Err(e) => return super::trusted::refuse(out, &e, json),
    };
    if json {
        let invalid: Vec<_> = set
            .invalid
            .iter()
            .map(|i| i.path.display().to_string())
            .collect();
        let report = json!({ "today": today, "cases": rows, "invalid": invalid });
        write_json(out, &report, true)?;
        return Ok(Exit::Ok);
    }
    writeln!(
        out,
        "{:<16} {:<18} {:<10} {:<10} {:>5}  {:<20} TITLE",
        "ID", "KIND", "RECEIVED", "DUE", "LEFT", "STATUS"
    )
    .map_err(io_out)?;
    for r in &rows {
        let due = r.due.map_or_else(|| "-".to_string(), |d| d.to_string());
        let left = r
            .days_left
            .map_or_else(|| "-".to_string(), |d| d.to_string());
        writeln!(
            out,
            "{:<16} {:<18} {:<10} {:<10} {:>5}  {:<20} {}",
            sanitize_line(&r.id),
            r.kind.as_str(),
            r.received,
            due,
            left,
            r.status.as_str(),
            sanitize_line(&r.title)
        )
        .map_err(io_out)?;
    }
    warn_invalid(&set);
    Ok(Exit::Ok)
}
