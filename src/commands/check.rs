//! `casebench check`: validate every case file and the directory settings.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandResult, Exit, io_out, load_cases};
use crate::case::Problem;
use crate::case::settings::load_settings;
use crate::cli::Global;

pub fn run(global: &Global, json: bool, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let mut problems: Vec<&Problem> = set.problems().collect();
    let settings_problem = load_settings(&set.dir).err();
    if let Some(p) = &settings_problem {
        problems.insert(0, p);
    }
    let bad_files = set.invalid.len() + usize::from(settings_problem.is_some());
    if json {
        let report = json!({
            "valid": set.cases.len(),
            "invalid": bad_files,
            "problems": problems,
        });
        write_json(out, &report, true)?;
    } else {
        for p in &problems {
            writeln!(out, "{p}").map_err(io_out)?;
        }
        writeln!(
            out,
            "{} case file{} valid, {} with problems",
            set.cases.len(),
            if set.cases.len() == 1 { "" } else { "s" },
            bad_files
        )
        .map_err(io_out)?;
    }
    Ok(if problems.is_empty() {
        Exit::Ok
    } else {
        Exit::Problems
    })
}
