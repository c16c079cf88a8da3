//! The intake's and the edit's work for the loop, through the same library functions as
//! `casebench new` and `casebench edit`: an intake started from the directory's settings
//! on the real clock; its case file written under the next free id, exclusively
//! (`intake::new_case::write_new_case`); an edit begun, the copy handed to the editor,
//! checked, and the case file replaced only by a valid copy (`intake::edit`). Public so
//! that tests drive the same functions the loop does.

use std::path::Path;

use crate::case::intake::Intake;
use crate::intake::edit::{self, Outcome};
use crate::intake::new_case::{NewCaseError, begin, keep_in_edits, load_options, write_new_case};
use crate::tui::Options;
use crate::tui::app::{EditOutcome, EditReport, Msg};
use crate::tui::screens::intake::Written;

/// `N`: an intake on the directory's settings, on the real clock (`--today` sets the
/// day for deadlines only; a request is never received in the calendar's future).
pub fn begin_intake(options: &Options) -> Msg {
    let now = options
        .clock
        .now()
        .with_timezone(&chrono::Local)
        .naive_local();
    Msg::IntakeBegun(begin(&options.cases, now).map(Box::new))
}

/// `y` on the intake's summary: the case file, written as `casebench new` writes it.
pub fn write_intake(options: &Options, intake: &Intake) -> Msg {
    let state = match options.state() {
        Ok(s) => s,
        Err(e) => return Msg::IntakeWritten(Err(vec![format!("nothing was written: {e}")])),
    };
    let result = match write_new_case(&options.cases, intake, &load_options(intake), &state) {
        Ok(w) => Ok(Written {
            id: w.id,
            path: w.path.display().to_string(),
            warning: w.warning,
        }),
        Err(NewCaseError::Invalid { problems, text }) => {
            let mut lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            lines.push(match keep_in_edits(&text) {
                Some(p) => format!(
                    "nothing was written to the case directory; the case as answered is kept at {}: go back to the answers to mend them, or mend that file and move it in under its id",
                    p.display()
                ),
                None => "nothing was written to the case directory".into(),
            });
            Err(lines)
        }
        Err(NewCaseError::Unanswered(keys)) => Err(vec![format!(
            "questions left unanswered ({}); nothing was written",
            keys.join(", ")
        )]),
        Err(NewCaseError::Io(e)) => Err(vec![format!("nothing was written: {e}")]),
    };
    Msg::IntakeWritten(result)
}

/// `e` on case `id`: `casebench edit`'s flow, with `editor` run on the copy (the loop
/// hands it the terminal; tests pass their own). A decided case is refused with the
/// command line's words.
pub fn edit_case(
    options: &Options,
    id: &str,
    editor: &mut dyn FnMut(&Path) -> Result<(), String>,
) -> Msg {
    let report = |outcome, lines| Msg::CaseEdited {
        id: id.to_string(),
        report: EditReport { outcome, lines },
    };
    let started = edit::edits_dir().and_then(|edits| {
        let state = options.state().map_err(edit::EditError::Io)?;
        Ok((
            edit::begin(&options.cases, id, &edits, false, &state)?,
            state,
        ))
    });
    let (e, state) = match started {
        Ok(x) => x,
        Err(err) => return report(EditOutcome::Refused, vec![err.to_string()]),
    };
    let mut lines: Vec<String> = e.reopened_note().into_iter().collect();
    if let Err(m) = editor(&e.copy) {
        lines.push(format!(
            "{m}; the case file is unchanged and your copy is kept at {}",
            e.copy.display()
        ));
        return report(EditOutcome::NotSaved, lines);
    }
    match e.finish(
        &edit::check_options(&options.cases, options.clock.deadline_day()),
        &state,
    ) {
        Ok(outcome) => {
            let kind = match &outcome {
                Outcome::Replaced { .. } => EditOutcome::Replaced,
                Outcome::Unchanged => EditOutcome::Unchanged,
                Outcome::Invalid(_) => EditOutcome::Invalid,
            };
            lines.extend(e.report(&outcome));
            report(kind, lines)
        }
        Err(err) => {
            lines.push(err.to_string());
            report(EditOutcome::NotSaved, lines)
        }
    }
}
