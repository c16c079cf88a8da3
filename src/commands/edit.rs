//! `casebench edit ID`: the case file's copy in `$VISUAL`/`$EDITOR` (else `vi`), checked
//! when the editor closes; the case file is replaced only by a valid copy
//! (`intake::edit`). A decided case is refused: a new case follows it.

use std::io::Write;

use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{EditArgs, Global};
use crate::intake::edit::{self, EditError, Outcome};

pub fn run(global: &Global, a: &EditArgs, out: &mut dyn Write) -> CommandResult {
    let edits = edit::edits_dir().map_err(refused)?;
    let state = global.state().map_err(CommandError::Io)?;
    let e = edit::begin(&global.cases, &a.id, &edits, a.discard, &state).map_err(refused)?;
    if let Some(note) = e.reopened_note() {
        writeln!(out, "{note}").map_err(io_out)?;
    }
    out.flush().map_err(io_out)?;
    edit::run_editor(&e.copy).map_err(|m| {
        CommandError::Usage(format!(
            "{m}; the case file is unchanged and your copy is kept at {}",
            e.copy.display()
        ))
    })?;
    let opts = edit::check_options(&global.cases, global.deadline_day());
    let outcome = e.finish(&opts, &state).map_err(refused)?;
    for line in e.report(&outcome) {
        writeln!(out, "{line}").map_err(io_out)?;
    }
    Ok(match outcome {
        Outcome::Unchanged | Outcome::Replaced { .. } => Exit::Ok,
        Outcome::Invalid(_) => Exit::Problems,
    })
}

fn refused(e: EditError) -> CommandError {
    match e {
        EditError::Io(m) => CommandError::Io(m),
        other => CommandError::Usage(other.to_string()),
    }
}
