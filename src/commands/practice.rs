//! `casebench practice [--trainee ID] [--case ID] [--json]`: a trainee's scores against
//! reference decisions (attempts over time, per case, per topic, what to study next), a
//! supervisor's overview of every trainee, or one attempt's comparison again.
//!
//! Exit status: 0 shown; 1 some practice records failed verification (they are listed
//! and not scored); 2 usage or I/O errors.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, PracticeArgs};
use crate::practice::progress::{self, TraineeRow};
use crate::record::reviewers::{self, Role};
use crate::rules::Rulebook;
use crate::text::sanitize_line;

mod render;

pub use render::write_feedback;

pub fn run(global: &Global, args: &PracticeArgs, out: &mut dyn Write) -> CommandResult {
    let set = super::load_cases(global)?;
    let rb = rulebook(global)?;
    let log = crate::record::verify::verify_log(&global.cases, None).map_err(CommandError::Io)?;
    // The log must still extend what this user verified before (exit 1 otherwise).
    if let Err(e) = super::trusted::remember(global, &log)? {
        return super::trusted::refuse(out, &e, args.json);
    }
    let people = reviewers::load(&global.cases).map_err(CommandError::Io)?;
    let attempts = progress::collect(&set, &log, &rb);
    let trainee = args.trainee.clone().or_else(|| {
        global
            .reviewer
            .clone()
            .filter(|r| people.get(r).is_some_and(|p| p.role == Role::Trainee))
    });
    // A name nobody knows is a typo, not a trainee with no attempts.
    if let Some(t) = &args.trainee
        && people.get(t).is_none()
        && !attempts.by_trainee.contains_key(t)
    {
        let known: Vec<&str> = people
            .reviewers
            .iter()
            .filter(|r| r.role == Role::Trainee)
            .map(|r| r.principal.as_str())
            .collect();
        return Err(CommandError::Usage(format!(
            "no trainee {} in reviewers/reviewers.yaml or the log{}",
            sanitize_line(t),
            if known.is_empty() {
                String::new()
            } else {
                format!(" (trainees: {})", sanitize_line(&known.join(", ")))
            }
        )));
    }
    let exit = if attempts.skipped.is_empty() {
        Exit::Ok
    } else {
        Exit::Problems
    };
    if let Some(case_id) = &args.case {
        let who = trainee.ok_or_else(|| {
            CommandError::Usage("--case: whose attempt? pass --trainee ID (or --reviewer)".into())
        })?;
        let case = super::find_case(&set, case_id)?;
        let f = attempts
            .by_trainee
            .get(&who)
            .and_then(|list| list.iter().rev().find(|a| a.case == case.case.id))
            .ok_or_else(|| {
                CommandError::Usage(format!(
                    "{} has no verified attempt at case {}",
                    sanitize_line(&who),
                    case.case.id
                ))
            })?;
        if args.json {
            write_json(out, &f.feedback, true)?;
        } else {
            write_feedback(out, &f.feedback).map_err(io_out)?;
        }
        return Ok(exit);
    }
    match trainee {
        Some(t) => {
            let p = progress::trainee_progress(&set, &attempts, &t, &people);
            if args.json {
                let v = json!({ "trainee": p, "skipped": attempts.skipped });
                write_json(out, &v, true)?;
            } else {
                render::write_progress(out, &p).map_err(io_out)?;
                render::write_skipped(out, &attempts).map_err(io_out)?;
            }
        }
        None => {
            let rows: Vec<TraineeRow> = progress::overview(&set, &attempts, &people);
            if args.json {
                let v = json!({
                    "practice_cases": attempts.practice_cases,
                    "trainees": rows,
                    "skipped": attempts.skipped,
                });
                write_json(out, &v, true)?;
            } else {
                render::write_overview(out, &rows, attempts.practice_cases.len())
                    .map_err(io_out)?;
                render::write_skipped(out, &attempts).map_err(io_out)?;
            }
        }
    }
    Ok(exit)
}

fn rulebook(global: &Global) -> Result<Rulebook, CommandError> {
    Rulebook::for_case_dir(&global.cases).map_err(|e| CommandError::Io(e.to_string()))
}
