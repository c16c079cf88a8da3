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
    let settings = match sync_settings(global) {
        Ok(s) => s,
        Err(e) => return json_error(out, args.json, "not_configured", e),
    };
    // Nothing is published from a log that no longer extends what this user verified,
    // or whose new records fail (exit 1).
    match super::trusted::catch_up(global) {
        Ok(Ok(_)) => {}
        Ok(Err(e)) => return super::trusted::refuse(out, &e, args.json),
        Err(e) => return json_error(out, args.json, "io", e),
    }
    let mut pickup = Pickup::default();
    let result = sync_with(&global.cases, &settings, &mut pickup);
    // Witness checkpoints: placed before the sync compared, so reported whatever it did.
    if !args.json {
        write_pickup(&pickup, out)?;
    }
    let witness = serde_json::json!({"placed": pickup.placed, "warnings": pickup.warnings});
    let site = settings.site.to_string();
    match result {
        Ok(r) => {
            if args.json {
                let v = serde_json::json!({
                    "ok": true,
                    "site": r.site,
                    "records": r.records,
                    "already_held": r.already_held,
                    "files": r.added,
                    "head": r.head,
                    "witness": witness,
                });
                write_json(out, &v, false)?;
                return Ok(Exit::Ok);
            }
            if let (Some(a), Some(b)) = (r.already_held.first(), r.already_held.last()) {
                let why = if r.work_area_new {
                    "this work area is new"
                } else {
                    "a push that landed after its connection was cut"
                };
                writeln!(
                    out,
                    "site {}: the remote already held {}, byte for byte ({why}): not \
                     published again",
                    r.site,
                    range("record", *a, *b)
                )
                .map_err(io_out)?;
            }
            if r.added.is_empty() && r.records.is_empty() {
                writeln!(out, "site {}: up to date", r.site).map_err(io_out)?;
            } else {
                let recs = match (r.records.first(), r.records.last()) {
                    (Some(a), Some(b)) => format!("{}, ", range("record", *a, *b)),
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
        Err(e @ (SyncError::Diverged { .. } | SyncError::Refused(_))) => {
            let seq = match &e {
                SyncError::Diverged { seq, .. } => *seq,
                _ => None,
            };
            let message = format!("sync {site}: {e}");
            crate::text::warn(&message);
            if args.json {
                let v = serde_json::json!({
                    "ok": false, "site": site, "error": e.kind(), "seq": seq,
                    "message": message, "witness": witness,
                });
                write_json(out, &v, false)?;
            }
            Ok(Exit::Problems)
        }
        Err(e) => {
            let message = format!("sync {site}: {e}");
            if args.json {
                let v = serde_json::json!({
                    "ok": false, "site": site, "error": e.kind(), "message": message,
                    "witness": witness,
                });
                write_json(out, &v, false)?;
            }
            Err(CommandError::Io(message))
        }
    }
}

/// `records 4..6`, or `record 4` for one.
fn range(what: &str, a: u64, b: u64) -> String {
    if a == b {
        format!("{what} {a}")
    } else {
        format!("{what}s {a}..{b}")
    }
}

/// An error before or instead of a result: with `--json`, also a document on standard
/// output (`ok: false`, `error`, `message`), so a script reading it sees every outcome;
/// the message goes to standard error with the `casebench:` prefix either way.
pub(crate) fn json_error(
    out: &mut dyn Write,
    json: bool,
    kind: &str,
    e: CommandError,
) -> CommandResult {
    if json {
        let message = e.to_string();
        write_json(
            out,
            &serde_json::json!({"ok": false, "error": kind, "message": message}),
            false,
        )?;
    }
    Err(e)
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
