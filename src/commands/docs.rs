//! `casebench completions SHELL` and `casebench man`: generated from the same clap
//! definitions as the parser (src/cli.rs), so they never drift from the real options.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::{CommandResult, Exit, io_out};
use crate::cli::{Cli, CompletionShell};

pub fn completions(shell: CompletionShell, out: &mut dyn Write) -> CommandResult {
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
    };
    let mut cmd = Cli::command();
    // clap_complete writes through a panic-free Write; write errors surface on flush.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "casebench", &mut buf);
    out.write_all(&buf).map_err(io_out)?;
    Ok(Exit::Ok)
}

/// One page: the global options, then every command with its own arguments (clap_mangen
/// alone would point at `casebench-check(1)` pages that are never installed).
pub fn man(out: &mut dyn Write) -> CommandResult {
    let cmd = Cli::command();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    man.render_title(&mut buf).map_err(io_out)?;
    man.render_name_section(&mut buf).map_err(io_out)?;
    man.render_synopsis_section(&mut buf).map_err(io_out)?;
    man.render_description_section(&mut buf).map_err(io_out)?;
    man.render_options_section(&mut buf).map_err(io_out)?;
    buf.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut usage = sub
            .clone()
            .bin_name(format!("casebench {}", sub.get_name()));
        let usage = usage.render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ");
        buf.extend_from_slice(format!(".SS \"{}\"\n", escape(usage)).as_bytes());
        if let Some(about) = sub.get_about() {
            buf.extend_from_slice(format!("{}\n", escape(&about.to_string())).as_bytes());
        }
        for arg in sub.get_arguments().filter(|a| !a.is_global_set()) {
            let name = match (arg.get_long(), arg.get_short()) {
                (Some(l), _) => format!("\\fB\\-\\-{}\\fR", escape(l)),
                (None, Some(c)) => format!("\\fB\\-{c}\\fR"),
                (None, None) => format!(
                    "\\fI<{}>\\fR",
                    escape(&arg.get_id().as_str().to_uppercase())
                ),
            };
            let help = arg
                .get_help()
                .map(|h| escape(&h.to_string()))
                .unwrap_or_default();
            buf.extend_from_slice(format!(".TP\n{name}\n{help}\n").as_bytes());
        }
    }
    buf.extend_from_slice(
        b".SH ENVIRONMENT\n.TP\nCASEBENCH_CASES, CASEBENCH_REVIEWER, CASEBENCH_KEY, CASEBENCH_TODAY\n\
          The same as \\fB\\-\\-cases\\fR, \\fB\\-\\-reviewer\\fR, \\fB\\-\\-key\\fR, \\fB\\-\\-today\\fR.\n\
          .SH EXIT STATUS\n0 success, 1 problems found, 2 usage or I/O error.\n",
    );
    man.render_version_section(&mut buf).map_err(io_out)?;
    out.write_all(&buf).map_err(io_out)?;
    Ok(Exit::Ok)
}

/// Text for roff: backslashes and hyphens escaped, and no line may start with `.` or `'`
/// (a control line).
fn escape(s: &str) -> String {
    let e = s.replace('\\', "\\e").replace('-', "\\-");
    let e = e.replace('\n', " ");
    if e.starts_with(['.', '\'']) {
        format!("\\&{e}")
    } else {
        e
    }
}
