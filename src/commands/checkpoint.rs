//! `casebench checkpoint [--json]`: verifies the log and signs its head in namespace
//! `casebench-audit` (compliance officers). Exit 1 when the log is empty or damaged or
//! the signer may not sign checkpoints; 2 on usage or I/O errors.

use std::io::Write;

use chrono::Utc;

use super::output::write_json;
use super::{CommandResult, Exit, io_out};
use crate::cli::{Global, JsonFlag};
use crate::record::checkpoint::write_checkpoint;
use crate::record::model::{NS_AUDIT, format_time};

pub fn run(global: &Global, args: &JsonFlag, out: &mut dyn Write) -> CommandResult {
    let time = Utc::now();
    let (principal, mut signer) = super::resolve_signer(global, NS_AUDIT, time)?;
    match write_checkpoint(&global.cases, &principal, &mut signer, time) {
        Ok((path, cp)) => {
            if args.json {
                let v = serde_json::json!({
                    "file": path.display().to_string(),
                    "signature": format!("{}.sig", path.display()),
                    "seq": cp.seq,
                    "head": cp.head,
                    "time": format_time(&cp.time),
                    "signer": cp.signer,
                    "key": cp.key,
                });
                write_json(out, &v, false)?;
            } else {
                writeln!(
                    out,
                    "checkpoint of record {} signed by {} with {}\n  {}\nkeep a copy (and its .sig) outside this directory",
                    cp.seq,
                    crate::text::sanitize_line(&cp.signer),
                    signer.describe(),
                    path.display()
                )
                .map_err(io_out)?;
            }
            Ok(Exit::Ok)
        }
        Err(e) => {
            if args.json {
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"error": "refused", "message": e})
                )
                .map_err(io_out)?;
            }
            crate::text::warn(&crate::text::sanitize_line(&e));
            Ok(Exit::Problems)
        }
    }
}
