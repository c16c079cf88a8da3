//! `casebench sites fetch --remote URL --into DIR`: exit 0 mirrored; 2 bad remote, git
//! missing, remote unreachable.

use std::io::Write;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{Global, SitesCommand, SitesFetchArgs};
use crate::sites::fetch::{FetchError, fetch};
use crate::text::sanitize_line;

pub fn run(global: &Global, command: &SitesCommand, out: &mut dyn Write) -> CommandResult {
    match command {
        SitesCommand::Fetch(a) => run_fetch(global, a, out),
    }
}

fn run_fetch(_global: &Global, args: &SitesFetchArgs, out: &mut dyn Write) -> CommandResult {
    let base =
        std::env::current_dir().map_err(|e| CommandError::Io(format!("current directory: {e}")))?;
    let report = fetch(&args.remote, &args.into, &base).map_err(|e| match e {
        FetchError::Usage(m) => CommandError::Usage(m),
        e => CommandError::Io(sanitize_line(&e.to_string())),
    })?;
    if args.json {
        let sites: Vec<_> = report
            .sites
            .iter()
            .map(|s| serde_json::json!({"site": s.site, "commit": s.commit, "files": s.files}))
            .collect();
        let v = serde_json::json!({"sites": sites, "skipped": report.skipped});
        write_json(out, &v, false)?;
    } else {
        for s in &report.sites {
            writeln!(
                out,
                "site {}: {} file(s) at {}",
                s.site,
                s.files,
                &s.commit[..s.commit.len().min(12)]
            )
            .map_err(io_out)?;
        }
        for s in &report.skipped {
            writeln!(
                out,
                "warning: branch casebench/sites/{s}: not a site id, skipped"
            )
            .map_err(io_out)?;
        }
        writeln!(
            out,
            "{} site(s) mirrored into {}",
            report.sites.len(),
            args.into.display()
        )
        .map_err(io_out)?;
    }
    Ok(Exit::Ok)
}
