//! `casebench witness --sites DIR`: cosigns each mirrored site's head (namespace
//! `casebench-audit`). The officer's key and principal are checked against each site's
//! own allowed_signers in the mirror: the office needs no case directory. Exit 0 every
//! site cosigned or unchanged; 1 a site refused (a rollback or fork, seq named) or
//! failing verification, or the checkpoints could not be published on
//! `casebench/witness/<principal>` (each on standard error); 2 usage or I/O errors.

use std::io::Write;

use chrono::Utc;

use super::output::write_json;
use super::sync::json_error;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, WitnessArgs};
use crate::sites::officer::officer;
use crate::sites::witness::{SiteWitness, witness_sites};
use crate::sites::witness_branch::publish;
use crate::text::sanitize_line;

pub fn run(global: &Global, args: &WitnessArgs, out: &mut dyn Write) -> CommandResult {
    let time = Utc::now();
    match crate::sites::fetch::mirrored_sites(&args.sites) {
        Ok(s) if !s.is_empty() => {}
        Ok(_) => {
            let e = CommandError::Io(crate::sites::mirror::no_site_message(&args.sites));
            return json_error(out, args.json, "no_site", e);
        }
        Err(e) => return json_error(out, args.json, "failed", CommandError::Io(e)),
    }
    let (principal, mut signer) = match officer(
        &args.sites,
        global.key.as_deref(),
        global.reviewer.as_deref(),
        time,
    ) {
        Ok(s) => s,
        Err(e) => return json_error(out, args.json, "usage", CommandError::Usage(e)),
    };
    if let Some(w) = signer.warning() {
        crate::text::warn(w);
    }
    let results = match witness_sites(&args.sites, &principal, &mut signer, time) {
        Ok(r) => r,
        Err(e) => return json_error(out, args.json, "failed", CommandError::Io(e)),
    };
    // Every checkpoint cosigned so far that the remote lacks, this run's included.
    let published = publish(&args.sites, &principal);
    let all_ok = results.iter().all(|(_, r)| r.ok()) && published.is_ok();
    let branch = format!("casebench/witness/{}", sanitize_line(&principal));
    // Refusals and failures: on standard error, whatever the output format.
    for (site, r) in &results {
        match r {
            SiteWitness::Refused { message, .. } => {
                crate::text::warn(&format!("site {site}: REFUSED: {message}"))
            }
            SiteWitness::Failed { message } => {
                crate::text::warn(&format!("site {site}: FAILED: {message}"))
            }
            _ => {}
        }
    }
    if let Err(e) = &published {
        crate::text::warn(&format!("{branch}: NOT PUBLISHED: {e}"));
    }
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
            &serde_json::json!({
                "ok": all_ok, "principal": principal, "sites": sites, "published": publication,
            }),
            false,
        )?;
    } else {
        for (site, r) in &results {
            match r {
                SiteWitness::Cosigned { seq, .. } => {
                    writeln!(out, "site {site}: cosigned head {seq}").map_err(io_out)?
                }
                SiteWitness::Unchanged { seq } => {
                    writeln!(out, "site {site}: head {seq} already cosigned").map_err(io_out)?
                }
                SiteWitness::Refused { .. } | SiteWitness::Failed { .. } => {}
            }
        }
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
            Err(_) => {}
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
