//! `casebench show ID`: one case, all panes, as readable text (the presenter's sections,
//! `crate::present::case`), or `--json`.

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, find_case, io_out, load_cases};
use crate::cli::Global;
use crate::present;
use crate::rules::deadline;

pub fn run(global: &Global, id: &str, json: bool, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let lc = find_case(&set, id)?;
    let mut dl = deadline::for_case(&lc.case, &set.rules, global.deadline_day());
    // The case's status and decision from this user's verified memory of the log; a log
    // that no longer supports it is said, exit 1.
    let trusted = match super::trusted::catch_up(global)? {
        Ok(t) => t,
        Err(e) => return super::trusted::refuse(out, &e, json),
    };
    let standing = super::standing::of(&trusted, &set, &lc.case, &dl).map_err(CommandError::Io)?;
    // One status on every surface: the deadline's own says the same as the case's.
    dl.status = standing.status;
    if json {
        // The practice reference stays hidden: trainees decide before they see it.
        let mut case = serde_json::to_value(&lc.case)
            .map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))?;
        if let Some(obj) = case.as_object_mut()
            && obj.remove("practice").is_some()
        {
            obj.insert("practice".into(), json!({ "reference": "hidden" }));
        }
        let report = json!({
            "path": lc.path.display().to_string(),
            "sha256": lc.sha256_hex(),
            "status": standing.status,
            "on_time": standing.on_time,
            "deadline": dl,
            "decision": standing.decision.as_ref().map(|e| json!({
                "seq": e.seq,
                "type": e.kind.as_str(),
                "reviewer": e.reviewer,
                "time": crate::record::model::format_time(&e.time),
                "outcome": e.outcome,
            })),
            "proposal": standing.proposal,
            "case": case,
        });
        write_json(out, &report, true)?;
    } else {
        let text = present::text::render(&present::case::sections(&lc.case, &dl, &standing));
        out.write_all(text.as_bytes()).map_err(io_out)?;
    }
    Ok(Exit::Ok)
}
