//! `casebench edit ID`: the case file's copy in `$VISUAL`/`$EDITOR` (else `vi`), checked
//! when the editor closes; the case file is replaced only by a valid copy
//! (`intake::edit`). A decided case is refused: a new case follows it.

use std::io::Write;

use super::{CommandError, CommandResult, Exit, io_out};
use crate::case::load::LoadOptions;
use crate::cli::{EditArgs, Global};
use crate::intake::edit::{self, EditError, Outcome};

pub fn run(global: &Global, a: &EditArgs, out: &mut dyn Write) -> CommandResult {
    let edits = edit::edits_dir().map_err(refused)?;
    let state = global.state().map_err(CommandError::Io)?;
    let e = edit::begin(&global.cases, &a.id, &edits, a.discard, &state).map_err(refused)?;
    if e.reopened {
        writeln!(
            out,
            "re-opening your copy from an earlier edit: {}{}",
            e.copy.display(),
            if e.changed_since {
                " (the case file changed since it was made: it cannot replace it; `--discard` starts again from the case file)"
            } else {
                ""
            }
        )
        .map_err(io_out)?;
    }
    out.flush().map_err(io_out)?;
    run_editor(&e.copy).map_err(|m| {
        CommandError::Usage(format!(
            "{m}; the case file is unchanged and your copy is kept at {}",
            e.copy.display()
        ))
    })?;
    let mut opts = LoadOptions::new(global.deadline_day());
    opts.intake = crate::case::settings::load_settings(&global.cases)
        .ok()
        .flatten()
        .and_then(|s| s.intake);
    match e.finish(&opts, &state).map_err(refused)? {
        Outcome::Unchanged => {
            writeln!(out, "{}: no change", e.case_path.display()).map_err(io_out)?;
            Ok(Exit::Ok)
        }
        Outcome::Replaced {
            old_sha256,
            new_sha256,
        } => {
            writeln!(
                out,
                "{}: saved (sha256 {} -> {})",
                e.case_path.display(),
                &old_sha256[..12],
                &new_sha256[..12]
            )
            .map_err(io_out)?;
            Ok(Exit::Ok)
        }
        Outcome::Invalid(problems) => {
            for p in &problems {
                writeln!(out, "{p}").map_err(io_out)?;
            }
            writeln!(
                out,
                "{} problem{}; {} was not changed. Your copy is kept at {}: run `casebench edit {}` to open it again, or `casebench edit {} --discard` to start again from the case file",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                e.case_path.display(),
                e.copy.display(),
                e.id,
                e.id
            )
            .map_err(io_out)?;
            Ok(Exit::Problems)
        }
    }
}

fn refused(e: EditError) -> CommandError {
    match e {
        EditError::Io(m) => CommandError::Io(m),
        other => CommandError::Usage(other.to_string()),
    }
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi` on `path`, on this terminal. The variable
/// may hold arguments (`code --wait`); it is split as a shell would, never run by one.
fn run_editor(path: &std::path::Path) -> Result<(), String> {
    let spec = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let words = shlex::split(&spec)
        .filter(|w| !w.is_empty())
        .ok_or_else(|| format!("cannot read the editor command `{spec}`"))?;
    let status = std::process::Command::new(&words[0])
        .args(&words[1..])
        .arg(path)
        .status()
        .map_err(|e| format!("cannot start the editor `{}`: {e}", words[0]))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor `{}` exited with {status}", words[0]))
    }
}
