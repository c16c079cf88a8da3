//! `casebench due [--within 7d] [--format text|json|ics]`: what is overdue, what is due
//! within the window, and what awaits provision, most urgent first (issue 22 section 3).
//! The queue's own rows (`list`'s, [`super::list::rows`]) and the one classification
//! ([`queue::reminders`]), so the numbers are `list`'s and the workbench header's.
//!
//! Exit status: 1 when anything is overdue (or the log cannot be believed), 0 otherwise,
//! 2 for bad input (an unknown format, a window that is not a number of days).

use std::io::Write;

use serde::Serialize;

use super::output::write_json;
use super::{CommandResult, Exit, io_out, load_cases, warn_invalid};
use crate::cli::{DueArgs, DueFormat, Global};
use crate::rules::queue::{self, QueueEntry, Reminder, ReminderCounts};
use crate::text::sanitize_line;

/// One reminder in `--format json`: what it is about, then the queue entry's fields
/// (those of `list --json`).
#[derive(Serialize)]
struct Item<'a> {
    reminder: Reminder,
    what: &'static str,
    #[serde(flatten)]
    entry: &'a QueueEntry,
}

pub fn run(global: &Global, args: &DueArgs, out: &mut dyn Write) -> CommandResult {
    let format = if args.json {
        DueFormat::Json
    } else {
        args.format
    };
    let set = load_cases(global)?;
    let clock = global.clock();
    let today = clock.deadline_day();
    let rows = match super::list::rows(global, &set, today)? {
        Ok(rows) => rows,
        Err(e) => return super::trusted::refuse(out, &e, format == DueFormat::Json),
    };
    let reminders = queue::reminders(&rows, args.within);
    let counts = ReminderCounts::of(&reminders);
    match format {
        DueFormat::Json => {
            let items: Vec<Item> = reminders
                .iter()
                .map(|(r, e)| Item {
                    reminder: *r,
                    what: r.what(),
                    entry: e,
                })
                .collect();
            let doc = serde_json::json!({
                "today": today,
                "within_days": args.within,
                "counts": counts,
                "reminders": items,
            });
            write_json(out, &doc, true)?;
        }
        DueFormat::Ics => {
            out.write_all(crate::audit::ics::calendar(&reminders, clock.now()).as_bytes())
                .map_err(io_out)?;
        }
        DueFormat::Text => {
            write_text(out, &reminders, &counts, args.within, today)?;
        }
    }
    warn_invalid(&set);
    Ok(if counts.overdue > 0 {
        Exit::Problems
    } else {
        Exit::Ok
    })
}

fn write_text(
    out: &mut dyn Write,
    reminders: &[(Reminder, &QueueEntry)],
    counts: &ReminderCounts,
    within: i64,
    today: chrono::NaiveDate,
) -> CommandResult {
    writeln!(
        out,
        "As of {today}: {} overdue, {} due within {within} days, {} awaiting provision",
        counts.overdue, counts.due_soon, counts.awaiting_provision
    )
    .map_err(io_out)?;
    for kind in [
        Reminder::Overdue,
        Reminder::DueSoon,
        Reminder::AwaitingProvision,
    ] {
        let these: Vec<&QueueEntry> = reminders
            .iter()
            .filter(|(r, _)| *r == kind)
            .map(|(_, e)| *e)
            .collect();
        if these.is_empty() {
            continue;
        }
        let heading = match kind {
            Reminder::Overdue => "Overdue".to_string(),
            Reminder::DueSoon => format!("Due within {within} days"),
            Reminder::AwaitingProvision => "Awaiting provision".to_string(),
        };
        writeln!(out, "\n{heading}").map_err(io_out)?;
        for e in these {
            let due = e.due.map_or_else(|| "-".to_string(), |d| d.to_string());
            let left = match e.days_left {
                Some(d) if d < 0 => format!("{} days overdue", -d),
                Some(0) => "due today".to_string(),
                Some(1) => "1 day left".to_string(),
                Some(d) => format!("{d} days left"),
                None => "-".to_string(),
            };
            writeln!(
                out,
                "  {:<16} {:<18} due {:<10}  {:<16} {}",
                sanitize_line(&e.id),
                e.kind.as_str(),
                due,
                left,
                sanitize_line(&e.title)
            )
            .map_err(io_out)?;
        }
    }
    Ok(Exit::Ok)
}
