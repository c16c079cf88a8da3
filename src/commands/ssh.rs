//! `casebench ssh`: the entry point for sshd's `ForceCommand` (docs/DEPLOY.md, section 3).
//!
//! Like git-shell, it looks at the command the client asked for
//! (`SSH_ORIGINAL_COMMAND`): none opens the workbench; one of the read-only commands
//! runs as if typed on the server; anything else is refused with the list of what is
//! allowed. The command line is split into words as a POSIX shell would (the `shlex`
//! crate) but never run through a shell: no expansion, no redirection, no second
//! command. The case directory is the one on the `ForceCommand` line; a client cannot
//! name another with `--cases`, nor a key with `--key`.

use clap::Parser;

use super::{CommandError, Exit};
use crate::cli::{Cli, Command, Global};

/// The environment variable sshd sets to the command the client asked for.
pub const ORIGINAL_COMMAND: &str = "SSH_ORIGINAL_COMMAND";

/// Commands a client may run through the forced command: each only reads the case
/// directory and the log (and `verify` advances the user's own memory of the log).
pub const READ_ONLY: &[&str] = &[
    "check", "list", "due", "show", "advise", "verify", "audit", "notice", "practice",
];

/// Options a client may not pass: the directory and the key are the server's.
const REFUSED_OPTIONS: &[&str] = &["--cases", "--key"];

/// What the client asked for, once checked.
#[derive(Debug)]
pub enum Asked {
    /// No command: the workbench.
    Workbench,
    /// A read-only command, parsed with the server's global options.
    Run(Box<Cli>),
    /// `--help` or `--version` of an allowed command: clap's text and its exit status.
    Text(String, i32),
}

/// Checks `original` (the value of `SSH_ORIGINAL_COMMAND`) against the allowed commands.
pub fn interpret(global: &Global, original: Option<&str>) -> Result<Asked, CommandError> {
    let Some(line) = original.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(Asked::Workbench);
    };
    let shown = crate::text::sanitize_line(line);
    let Some(mut words) = shlex::split(line) else {
        return Err(CommandError::Usage(format!(
            "cannot read the command `{shown}` (an unclosed quote?)"
        )));
    };
    if words
        .first()
        .is_some_and(|w| w == "casebench" || w.ends_with("/casebench"))
    {
        words.remove(0);
    }
    let Some(name) = words.first() else {
        return Ok(Asked::Workbench);
    };
    if !READ_ONLY.contains(&name.as_str()) {
        return Err(CommandError::Usage(format!(
            "`{}` is not offered over ssh: only the read-only commands run here ({}); \
             log in without a command (ssh -t) for the workbench, where decisions are signed",
            crate::text::sanitize_line(name),
            READ_ONLY.join(", ")
        )));
    }
    if let Some(bad) = words.iter().find(|w| {
        REFUSED_OPTIONS
            .iter()
            .any(|o| *w == o || w.starts_with(&format!("{o}=")))
    }) {
        return Err(CommandError::Usage(format!(
            "`{}` cannot be given over ssh: the server sets the case directory and the key",
            crate::text::sanitize_line(bad)
        )));
    }
    let mut argv: Vec<std::ffi::OsString> = vec!["casebench".into(), "--cases".into()];
    argv.push(global.cases.clone().into_os_string());
    argv.extend(words.into_iter().map(Into::into));
    match Cli::try_parse_from(argv) {
        Ok(cli) if matches!(cli.command, Some(Command::Ssh)) => Err(CommandError::Usage(
            "`ssh` runs only as the forced command".into(),
        )),
        Ok(cli) if writes_a_file(&cli) => Err(CommandError::Usage(
            "`--output` and `--report` write files on the server, which the read-only commands \
             do not do over ssh: let the letter or export come to you on standard output \
             (`ssh HOST casebench notice 7 --format html > letter.html`)"
                .into(),
        )),
        Ok(cli) if sends_a_pdf(&cli) => Err(CommandError::Usage(
            "a PDF is not sent over ssh: the server cannot tell whether your terminal would \
             receive its bytes; ask for --format html (one self-contained file), or write the \
             PDF in the workbench (w in the record view)"
                .into(),
        )),
        Ok(cli) => Ok(Asked::Run(Box::new(cli))),
        Err(e) => match e.kind() {
            clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                Ok(Asked::Text(e.render().to_string(), e.exit_code()))
            }
            _ => Err(CommandError::Usage(
                e.render()
                    .to_string()
                    .trim_end()
                    .trim_start_matches("error: ")
                    .to_string(),
            )),
        },
    }
}

/// Whether the parsed command would write a file on the server (whatever the spelling of
/// the option: `--output F`, `-oF`, `--report=F`...).
fn writes_a_file(cli: &Cli) -> bool {
    match &cli.command {
        Some(Command::Notice(a)) => a.output.is_some(),
        Some(Command::Audit(a)) => a.output.is_some() || a.report.is_some(),
        _ => false,
    }
}

/// Whether the parsed command would send PDF bytes on standard output.
fn sends_a_pdf(cli: &Cli) -> bool {
    match &cli.command {
        Some(Command::Notice(a)) => a.format == crate::cli::NoticeFormat::Pdf,
        Some(Command::Audit(a)) => a.format == crate::cli::AuditFormat::Pdf,
        _ => false,
    }
}

/// The exit status of a refused or unreadable command.
pub fn refused(e: &CommandError) -> i32 {
    crate::text::warn(&e.to_string());
    Exit::Usage as i32
}
