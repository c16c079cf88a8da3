//! `casebench new`: the intake (issue 22). Answers come from `--answers FILE`, then the
//! flags, then the terminal: every question still open is asked on standard input, in
//! the clerk's order, with a clear re-ask on a bad answer. The case file is written under
//! the next free id, exclusively and atomically (`intake::new_case`).

use std::io::{BufRead, Write};

use super::{CommandError, CommandResult, Exit, io_out};
use crate::case::intake::{AnswerType, Intake, catalogue};
use crate::cli::{Global, NewArgs};
use crate::intake::new_case::{NewCaseError, begin, load_options, write_new_case};
use crate::text::sanitize_line;

/// One given answer and where it came from (for messages).
struct Given {
    key: String,
    value: String,
    origin: String,
}

pub fn run(global: &Global, a: &NewArgs, out: &mut dyn Write) -> CommandResult {
    if a.list_questions {
        return list_questions(out);
    }
    // The intake runs on the real clock: `--today` looks at deadlines "as of" a day,
    // but a request cannot be received in the future of the calendar.
    let now = global
        .clock()
        .now()
        .with_timezone(&chrono::Local)
        .naive_local();
    let mut intake = begin(&global.cases, now).map_err(CommandError::Usage)?;
    let given = gather(a)?;
    apply(&mut intake, given)?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    if a.no_input {
        intake.fill_defaults();
    } else {
        ask(&mut intake, &mut input, out)?;
    }
    let opts = load_options(&intake);
    let state = global.state().map_err(CommandError::Io)?;
    match write_new_case(&global.cases, &intake, &opts, &state) {
        Ok(crate::intake::new_case::Written { id, path, warning }) => {
            if let Some(w) = warning {
                crate::text::warn(&w);
            }
            let set = super::load_cases(global)?;
            let due = set
                .get(&id)
                .map(|c| {
                    crate::rules::deadline::for_case(&c.case, &set.rules, global.deadline_day())
                })
                .and_then(|d| d.due)
                .map(|d| format!(", due {d}"))
                .unwrap_or_default();
            writeln!(
                out,
                "wrote {} ({id}): waiting on clinician {}{due}. The evaluation of harm, consultations and documents are added later: casebench edit {id}",
                path.display(),
                sanitize_line(intake.text("evaluation.assigned_to").unwrap_or("")),
            )
            .map_err(io_out)?;
            Ok(Exit::Ok)
        }
        Err(NewCaseError::Unanswered(keys)) => Err(unanswered(&intake, &keys)),
        Err(NewCaseError::Invalid { problems, text }) => {
            for p in &problems {
                writeln!(out, "{p}").map_err(io_out)?;
            }
            // The answers are never lost: the file is kept where the user's edits live.
            let kept = crate::intake::new_case::keep_in_edits(&text);
            match kept {
                Some(p) => writeln!(
                    out,
                    "nothing was written to the case directory; the case as answered is kept at {}: mend it and move it in under its id, or run `casebench new` again",
                    p.display()
                ),
                None => writeln!(out, "nothing was written"),
            }
            .map_err(io_out)?;
            Ok(Exit::Problems)
        }
        Err(NewCaseError::Io(e)) => Err(CommandError::Io(e)),
    }
}

fn list_questions(out: &mut dyn Write) -> CommandResult {
    let mut section = "";
    for q in catalogue() {
        if q.section != section {
            section = q.section;
            writeln!(out, "{section}").map_err(io_out)?;
        }
        writeln!(
            out,
            "  {}{}  [{}]\n      {}",
            q.key,
            if q.required { " (required)" } else { "" },
            q.answer.expected(),
            q.prompt
        )
        .map_err(io_out)?;
    }
    Ok(Exit::Ok)
}

/// The answers of the answers file, then of the flags, in that order.
fn gather(a: &NewArgs) -> Result<Vec<Given>, CommandError> {
    let mut out = Vec::new();
    if let Some(path) = &a.answers {
        out.extend(answers_file(path)?);
    }
    let flag = |key: &str, value: &str, name: &str| Given {
        key: key.to_string(),
        value: value.to_string(),
        origin: format!("--{name}"),
    };
    for (key, value, name) in [
        ("kind", &a.kind, "kind"),
        ("received", &a.received, "received"),
        ("patient.ref", &a.patient_ref, "patient-ref"),
        ("follows", &a.follows, "follows"),
    ] {
        if let Some(v) = value {
            out.push(flag(key, v, name));
        }
    }
    for s in &a.set {
        let Some((k, v)) = s.split_once('=') else {
            return Err(CommandError::Usage(format!(
                "--set {}: expected KEY=VALUE",
                sanitize_line(s)
            )));
        };
        out.push(flag(k.trim(), v, "set"));
    }
    for r in &a.records {
        out.push(flag("records", r, "record"));
    }
    Ok(out)
}

/// `key: value` lines (a list for `records`), read as written: `17:45` stays a time.
fn answers_file(path: &std::path::Path) -> Result<Vec<Given>, CommandError> {
    use crate::yaml::tree::Value;
    let bytes = crate::store::safe_open::read_path(path, 1024 * 1024)
        .map_err(|e| CommandError::Usage(format!("{}: {e}", path.display())))?;
    let src = std::str::from_utf8(&bytes)
        .map_err(|_| CommandError::Usage(format!("{}: not UTF-8 text", path.display())))?;
    let tree = crate::yaml::tree::parse(src).map_err(|e| {
        CommandError::Usage(format!(
            "{}:{}:{}: {}",
            path.display(),
            e.line,
            e.column,
            e.message
        ))
    })?;
    let Value::Map(entries) = &tree.value else {
        return Err(CommandError::Usage(format!(
            "{}: expected `question: answer` lines",
            path.display()
        )));
    };
    let text = |n: &crate::yaml::tree::Node| -> Option<String> {
        match &n.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null => Some(String::new()),
            _ => n
                .source(src)
                .map(str::to_string)
                .or_else(|| n.value.scalar_text()),
        }
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let key = k.value.scalar_text().unwrap_or_default();
        let origin = format!("{}:{}:{}", path.display(), v.line, v.column);
        let values: Vec<String> = match &v.value {
            Value::Seq(items) => items.iter().filter_map(text).collect(),
            Value::Map(_) => {
                return Err(CommandError::Usage(format!(
                    "{origin}: `{}` holds a mapping; expected one answer (or a list of record lines)",
                    sanitize_line(&key)
                )));
            }
            _ => text(v).into_iter().collect(),
        };
        for value in values {
            out.push(Given {
                key: key.clone(),
                value,
                origin: origin.clone(),
            });
        }
    }
    Ok(out)
}

/// Gives every answer to the intake. A question applies only once the answers it
/// depends on are in (the instrument's questions after its type...), so the answers go
/// in rounds until none is left or none more applies.
fn apply(intake: &mut Intake, mut pending: Vec<Given>) -> Result<(), CommandError> {
    let had_records = pending.iter().any(|g| g.key == "records");
    loop {
        let before = pending.len();
        let mut rest = Vec::new();
        for g in pending {
            let applies = intake.questions().iter().any(|q| q.key == g.key);
            if !applies {
                rest.push(g);
                continue;
            }
            intake.answer(&g.key, &g.value).map_err(|e| {
                CommandError::Usage(format!("{}: {}: {}", g.origin, e.key, e.message))
            })?;
        }
        pending = rest;
        if pending.is_empty() || pending.len() == before {
            break;
        }
    }
    if let Some(g) = pending.first() {
        // Answer it anyway: the intake says why it does not apply.
        let e = intake.answer(&g.key, &g.value).err();
        return Err(CommandError::Usage(format!(
            "{}: {}",
            g.origin,
            e.map_or_else(
                || format!("`{}` does not apply", sanitize_line(&g.key)),
                |e| format!("{}: {}", sanitize_line(&e.key), e.message)
            )
        )));
    }
    // Record lines given as answers are the whole list.
    if had_records {
        let _ = intake.answer("records", "");
    }
    Ok(())
}

/// Asks every open question on `input`, re-asking a refused answer with what is allowed.
pub(crate) fn ask(
    intake: &mut Intake,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> Result<(), CommandError> {
    let mut section = "";
    while let Some(q) = intake.next() {
        if q.section != section {
            section = q.section;
            writeln!(out, "\n{section}").map_err(io_out)?;
        }
        let default = (q.default)(intake)
            .map(|d| format!("; empty: {}", sanitize_line(&d)))
            .unwrap_or_default();
        let count = match q.answer {
            AnswerType::Record => format!(" (item {})", intake.records().len() + 1),
            _ => String::new(),
        };
        writeln!(
            out,
            "  {}{count} [{}{default}]",
            q.prompt,
            q.answer.expected()
        )
        .map_err(io_out)?;
        write!(out, "  {}> ", q.key).map_err(io_out)?;
        out.flush().map_err(io_out)?;
        let mut line = String::new();
        let n = input
            .read_line(&mut line)
            .map_err(|e| CommandError::Io(format!("reading the answers: {e}")))?;
        if n == 0 {
            writeln!(out).map_err(io_out)?;
            return Err(CommandError::Usage(format!(
                "the input ended before `{}` was answered; nothing was written",
                q.key
            )));
        }
        if let Err(e) = intake.answer(&q.key, line.trim_end_matches(['\n', '\r'])) {
            writeln!(out, "  ! {}", sanitize_line(&e.message)).map_err(io_out)?;
        }
    }
    Ok(())
}

fn unanswered(intake: &Intake, keys: &[String]) -> CommandError {
    let lines: Vec<String> = intake
        .questions()
        .into_iter()
        .filter(|q| keys.contains(&q.key))
        .map(|q| format!("  {}: {} [{}]", q.key, q.prompt, q.answer.expected()))
        .collect();
    CommandError::Usage(format!(
        "questions left unanswered; nothing was written:\n{}",
        lines.join("\n")
    ))
}
