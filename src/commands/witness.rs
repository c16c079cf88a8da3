//! `casebench witness --sites DIR`: cosigns each mirrored site's head (namespace
//! `casebench-audit`). Exit 0 every site cosigned or unchanged; 1 a site refused (a
//! rollback or fork, seq named) or failing verification, or the checkpoints could not
//! be published on `casebench/witness/<principal>`; 2 usage or I/O errors.

use std::io::Write;

use chrono::Utc;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, WitnessArgs};
use crate::record::model::NS_AUDIT;
use crate::sites::witness::{SiteWitness, witness_sites};
use crate::sites::witness_branch::publish;
use crate::text::sanitize_line;

pub fn run(global: &Global, args: &WitnessArgs, out: &mut dyn Write) -> CommandResult {
    let time = Utc::now();
    let (principal, mut signer) = super::resolve_signer(global, NS_AUDIT, time)?;
    let results =
        witness_sites(&args.sites, &principal, &mut signer, time).map_err(CommandError::Io)?;
    // Every checkpoint cosigned so far that the remote lacks, this run's included.
    let published = publish(&args.sites, &principal);
    let all_ok = results.iter().all(|(_, r)| r.ok()) && published.is_ok();
    if args.json {
        let sites: Vec<_> = results
            .iter()
            .map(|(site, r)| match r {
                SiteWitness::Cosigned { seq, file } => serde_json::json!({
                    "site": site, "ok": true, "state": "cosigned", "seq": seq,
                    "file": file.display().to_string(),
                }),
                SiteWitness::Unchanged { seq } => serde_json::json!({
                    "site": site, "ok": true, "state": "unchanged", "seq": seq,
                }),
                SiteWitness::Refused { seq, message } => serde_json::json!({
                    "site": site, "ok": false, "state": "refused", "seq": seq, "message": message,
                }),
                SiteWitness::Failed { message } => serde_json::json!({
                    "site": site, "ok": false, "state": "failed", "message": message,
                }),
            })
            .collect();
        let publication = match &published {
            Ok(p) => serde_json::json!({
                "ok": true, "added": p.added, "conflicts": p.conflicts, "head": p.head,
            }),
            Err(e) => serde_json::json!({"ok": false, "message": e}),
        };
        write_json(
            out,
            &serde_json::json!({"ok": all_ok, "sites": sites, "published": publication}),
            false,
        )?;
    } else {
        for (site, r) in &results {
            let line = match r {
                SiteWitness::Cosigned { seq, .. } => format!("site {site}: cosigned head {seq}"),
                SiteWitness::Unchanged { seq } => {
                    format!("site {site}: head {seq} already cosigned")
                }
                SiteWitness::Refused { message, .. } => {
                    format!("site {site}: REFUSED: {}", sanitize_line(message))
                }
                SiteWitness::Failed { message } => {
                    format!("site {site}: FAILED: {}", sanitize_line(message))
                }
            };
            writeln!(out, "{line}").map_err(io_out)?;
        }
        let branch = format!("casebench/witness/{}", sanitize_line(&principal));
        match &published {
            Ok(p) if p.added.is_empty() => {
                writeln!(out, "{branch}: up to date").map_err(io_out)?;
            }
            Ok(p) => writeln!(
                out,
                "{branch}: published {} checkpoint file(s)",
                p.added.len()
            )
            .map_err(io_out)?,
            Err(e) => {
                writeln!(out, "{branch}: NOT PUBLISHED: {}", sanitize_line(e)).map_err(io_out)?
            }
        }
        for c in published.iter().flat_map(|p| &p.conflicts) {
            writeln!(
                out,
                "warning: {branch}: {} holds other bytes than this witness's copy: kept",
                sanitize_line(c)
            )
            .map_err(io_out)?;
        }
    }
    Ok(if all_ok { Exit::Ok } else { Exit::Problems })
}
