//! `casebench sync`: publishes this site's log to the remote named in `casebench.yaml`
//! (DESIGN.md section 9). Exit 0 published or already up to date; 1 refused (a fork or
//! a rollback: the seq is named, nothing pushed; or the remote refused the update);
//! 2 not configured, git missing, remote unreachable (the log is untouched).

use std::io::Write;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::case::settings::{SyncSettings, load_settings};
use crate::cli::{Global, JsonFlag};
use crate::sites::pickup::Pickup;
use crate::sites::sync::{SyncError, sync_with};
use crate::text::sanitize_line;

/// The `sync` settings of the case directory, or why there are none.
pub(crate) fn sync_settings(global: &Global) -> Result<SyncSettings, CommandError> {
    let settings = load_settings(&global.cases)
        .map_err(|p| CommandError::Usage(p.headline()))?
        .ok_or_else(|| {
            CommandError::Usage(format!(
                "{}: no casebench.yaml: `sync` needs `sync: {{ site, remote }}` there",
                global.cases.display()
            ))
        })?;
    settings.sync.ok_or_else(|| {
        CommandError::Usage(format!(
            "{}: casebench.yaml has no `sync: {{ site, remote }}`; see docs/SITES.md",
            global.cases.display()
        ))
    })
}

pub fn run(global: &Global, args: &JsonFlag, out: &mut dyn Write) -> CommandResult {
    let settings = sync_settings(global)?;
    // Nothing is published from a log that no longer extends what this user verified,
    // or whose new records fail (exit 1).
    if let Err(e) = super::trusted::catch_up(global)? {
        return super::trusted::refuse(out, &e, args.json);
    }
    let mut pickup = Pickup::default();
    let result = sync_with(&global.cases, &settings, &mut pickup);
    // Witness checkpoints: placed before the sync compared, so reported whatever it did.
    if !args.json {
        write_pickup(&pickup, out)?;
    }
    let witness = serde_json::json!({"placed": pickup.placed, "warnings": pickup.warnings});
    match result {
        Ok(r) => {
            if args.json {
                let v = serde_json::json!({
                    "ok": true,
                    "site": r.site,
                    "records": r.records,
                    "files": r.added,
                    "head": r.head,
                    "witness": witness,
                });
                write_json(out, &v, false)?;
            } else if r.added.is_empty() && r.records.is_empty() {
                writeln!(out, "site {}: up to date", r.site).map_err(io_out)?;
            } else {
                let recs = match (r.records.first(), r.records.last()) {
                    (Some(a), Some(b)) => format!("records {a}..{b}, "),
                    _ => String::new(),
                };
                writeln!(
                    out,
                    "site {}: published {recs}{} file(s)",
                    r.site,
                    r.added.len()
                )
                .map_err(io_out)?;
            }
            Ok(Exit::Ok)
        }
        Err(e @ (SyncError::Diverged { .. } | SyncError::Rejected(_))) => {
            let seq = match &e {
                SyncError::Diverged { seq, .. } => *seq,
                _ => None,
            };
            if args.json {
                let v = serde_json::json!({
                    "ok": false, "seq": seq, "message": e.to_string(), "witness": witness,
                });
                write_json(out, &v, false)?;
            } else {
                writeln!(out, "{}", sanitize_line(&e.to_string())).map_err(io_out)?;
            }
            Ok(Exit::Problems)
        }
        Err(e) => Err(CommandError::Io(sanitize_line(&e.to_string()))),
    }
}

/// One line per witness checkpoint placed, one warning per checkpoint not placed.
fn write_pickup(p: &Pickup, out: &mut dyn Write) -> Result<(), CommandError> {
    for name in &p.placed {
        writeln!(
            out,
            "witness checkpoint placed: decisions/checkpoints/{}",
            sanitize_line(name)
        )
        .map_err(io_out)?;
    }
    for w in &p.warnings {
        writeln!(out, "warning: {w}").map_err(io_out)?;
    }
    Ok(())
}
