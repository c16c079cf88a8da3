//! `casebench sites fetch --remote URL --into DIR`: exit 0 mirrored; 2 a bad remote, git
//! missing, the remote unreachable or holding no site's branch yet (an empty mirror
//! would fail `verify --sites` with 2 too).

use std::io::Write;

use super::output::write_json;
use super::sync::json_error;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, SitesCommand, SitesFetchArgs};
use crate::sites::fetch::{FetchError, Mirrored, fetch};
use crate::text::sanitize_line;

pub fn run(global: &Global, command: &SitesCommand, out: &mut dyn Write) -> CommandResult {
    match command {
        SitesCommand::Fetch(a) => run_fetch(global, a, out),
    }
}

fn run_fetch(_global: &Global, args: &SitesFetchArgs, out: &mut dyn Write) -> CommandResult {
    let base = match std::env::current_dir() {
        Ok(b) => b,
        Err(e) => {
            let e = CommandError::Io(format!("current directory: {e}"));
            return json_error(out, args.json, "failed", e);
        }
    };
    let report = match fetch(&args.remote, &args.into, &base) {
        Ok(r) => r,
        Err(e) => {
            let kind = e.kind();
            let e = match e {
                FetchError::Usage(m) => CommandError::Usage(m),
                e => CommandError::Io(format!("sites fetch: {e}")),
            };
            return json_error(out, args.json, &kind, e);
        }
    };
    let count = |state| report.sites.iter().filter(|s| s.state == state).count();
    if args.json {
        let sites: Vec<_> = report
            .sites
            .iter()
            .map(|s| {
                serde_json::json!({
                    "site": s.site, "commit": s.commit, "state": s.state,
                    "files": s.files, "written": s.written,
                })
            })
            .collect();
        let v = serde_json::json!({
            "ok": true, "sites": sites, "skipped": report.skipped, "gone": report.gone,
        });
        write_json(out, &v, false)?;
    } else {
        for s in &report.sites {
            let at = &s.commit[..s.commit.len().min(12)];
            match (s.state, s.files) {
                (Mirrored::Unchanged, _) | (_, None) => {
                    writeln!(out, "site {}: unchanged at {at}", s.site)
                }
                (_, Some(files)) => writeln!(
                    out,
                    "site {}: {files} file(s) at {at} ({} written)",
                    s.site, s.written
                ),
            }
            .map_err(io_out)?;
        }
        for s in &report.skipped {
            writeln!(
                out,
                "warning: branch casebench/sites/{s}: not a site id, skipped"
            )
            .map_err(io_out)?;
        }
        for s in &report.gone {
            writeln!(
                out,
                "warning: site {}: its branch is no longer on the remote; its last copy is kept",
                sanitize_line(s)
            )
            .map_err(io_out)?;
        }
        writeln!(
            out,
            "{} site(s) mirrored into {} ({} new, {} updated, {} unchanged)",
            report.sites.len(),
            args.into.display(),
            count(Mirrored::New),
            count(Mirrored::Updated),
            count(Mirrored::Unchanged),
        )
        .map_err(io_out)?;
    }
    Ok(Exit::Ok)
}
