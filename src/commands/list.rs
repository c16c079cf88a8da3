//! `casebench list`: the queue.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandResult, Exit, io_out, load_cases, warn_invalid};
use crate::cli::Global;
use crate::rules::queue;
use crate::text::sanitize_line;

pub fn run(global: &Global, json: bool, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let today = global.today();
    // Decided and proposed cases come from this user's verified memory of the decision
    // log (a missing log is empty); a log that no longer supports it is said, exit 1.
    let index = match super::trusted::catch_up(global)? {
        Ok(t) => t.index,
        Err(e) => return super::trusted::refuse(out, &e, json),
    };
    let under_review: std::collections::HashSet<String> = index
        .proposed_cases()
        .into_iter()
        .filter(|id| set.get(id).is_some_and(|c| c.case.practice.is_none()))
        .collect();
    let facts = |id: &str| {
        crate::decision::standing::of_history(index.cases.get(id), under_review.contains(id))
    };
    let rows = queue::entries(&set, today, &facts);
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
