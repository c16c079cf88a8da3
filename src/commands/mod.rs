//! The headless commands. Each takes parsed arguments and writes to `out`; the binary
//! only maps the result to an exit status (0 success, 1 problems found, 2 usage or I/O).

use std::io::Write;

use crate::cli::{Cli, Command, Global};

mod advise;
mod audit;
mod audit_export;
mod audit_outcome;
mod audit_sites;
mod check;
mod checkpoint;
mod decide;
mod docs;
mod due;
mod edit;
mod list;
mod new;
mod notice;
pub mod output;
mod practice;
mod provide;
mod show;
mod sites;
pub mod ssh;
mod standing;
mod sync;
mod trusted;
mod verify;
mod witness;

/// What a command concluded, as the process exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    Problems = 1,
    Usage = 2,
}

/// A failure that stops a command: bad usage, a missing case, an I/O error.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(String),
}

pub type CommandResult = Result<Exit, CommandError>;

/// Runs a headless command. `None` means "open the workbench", which the binary handles.
pub fn run(global: &Global, command: &Command, out: &mut dyn Write) -> CommandResult {
    let result = match command {
        Command::Check(a) => check::run(global, a.json, out),
        Command::List(a) => list::run(global, a.json, out),
        Command::Due(a) => due::run(global, a, out),
        Command::Show(a) => show::run(global, &a.id, a.json, out),
        Command::Advise(a) => advise::run(global, a, out),
        Command::Decide(a) => decide::run(global, a, out),
        Command::Provide(a) => provide::run(global, a, out),
        Command::New(a) => new::run(global, a, out),
        Command::Edit(a) => edit::run(global, a, out),
        Command::Verify(a) => verify::run(global, a, out),
        Command::Checkpoint(a) => checkpoint::run(global, a, out),
        Command::Audit(a) => audit::run(global, a, out),
        Command::Notice(a) => notice::run(global, a, out),
        Command::Practice(a) => practice::run(global, a, out),
        Command::Sync(a) => sync::run(global, a, out),
        Command::Sites(c) => sites::run(global, c, out),
        Command::Witness(a) => witness::run(global, a, out),
        Command::Completions(a) => docs::completions(a.shell, out),
        Command::Man => docs::man(out),
        Command::Ssh => Err(CommandError::Usage(
            "`ssh` runs only as the forced command (see docs/DEPLOY.md)".into(),
        )),
    };
    out.flush()
        .map_err(|e| CommandError::Io(format!("writing output: {e}")))?;
    result
}

/// The workbench's options from the command line's (`tui::Options`): the workbench never
/// reads the command line itself. The day is fixed here, once, for the session.
pub fn workbench(global: &Global) -> crate::tui::Options {
    crate::tui::Options {
        cases: global.cases.clone(),
        clock: global.clock(),
        reviewer: global.reviewer.clone(),
        key: global.key.clone(),
        theme: global.theme.clone(),
        mouse: global.mouse,
        library: global.library_as_of(),
        state_dir: global.state_dir.clone(),
    }
}

/// Converts an output error (a closed pipe, a full disk) into a command error.
pub(crate) fn io_out(e: std::io::Error) -> CommandError {
    CommandError::Io(format!("writing output: {e}"))
}

/// Bytes that are not text (a PDF) to standard output, around the terminal guard (which
/// would show its control bytes instead of sending them). Callers refuse a terminal
/// first: this is for a pipe or a file.
pub(crate) fn write_binary_stdout(
    out: &mut dyn std::io::Write,
    bytes: &[u8],
) -> Result<(), CommandError> {
    use std::io::Write as _;
    out.flush().map_err(io_out)?;
    let mut raw = std::io::stdout().lock();
    raw.write_all(bytes)
        .and_then(|()| raw.flush())
        .map_err(io_out)
}

/// Entry point used by `main`: parse, run, map to an exit status.
pub fn main_with(cli: Cli) -> i32 {
    let Some(command) = &cli.command else {
        return crate::tui::start::run(&workbench(&cli.global));
    };
    if let Command::Ssh = command {
        let original = std::env::var(ssh::ORIGINAL_COMMAND).ok();
        return match ssh::interpret(&cli.global, original.as_deref()) {
            Ok(ssh::Asked::Workbench) => crate::tui::start::run(&workbench(&cli.global)),
            Ok(ssh::Asked::Run(asked)) => main_with(*asked),
            Ok(ssh::Asked::Text(text, code)) => {
                print!("{text}");
                code
            }
            Err(e) => ssh::refused(&e),
        };
    }
    // The workbench owns the terminal: opened before standard output is locked.
    if let crate::cli::Command::Audit(a) = command
        && a.tui
        && let Some(dir) = &a.sites
    {
        // The mirror stands in for the case directory (its own day, no queue).
        let mirror = crate::cli::Global {
            cases: dir.clone(),
            as_of_cache: Default::default(),
            ..cli.global.clone()
        };
        return crate::tui::start::run_sites(&workbench(&mirror));
    }
    let stdout = std::io::stdout();
    // The guard sits after the buffer's owner and before the buffer: whatever a command
    // writes, no control character reaches the terminal (see `output`).
    let mut out = output::TerminalSafe::new(std::io::BufWriter::new(stdout.lock()));
    match run(&cli.global, command, &mut out) {
        Ok(exit) => exit as i32,
        Err(e) => {
            let _ = out.flush();
            crate::text::warn(&e.to_string());
            Exit::Usage as i32
        }
    }
}

/// Who signs with which key, from the global options (`record::signer::resolve`); a
/// warning about the key (a private key file others can read) goes to standard error.
pub(crate) fn resolve_signer(
    global: &Global,
    namespace: &str,
    time: chrono::DateTime<chrono::Utc>,
) -> Result<(String, crate::record::Signer), CommandError> {
    let (who, signer) = crate::record::signer::resolve(
        &global.cases,
        global.key.as_deref(),
        global.reviewer.as_deref(),
        namespace,
        time,
    )
    .map_err(CommandError::Usage)?;
    if let Some(w) = signer.warning() {
        crate::text::warn(w);
    }
    Ok((who, signer))
}

/// Loads the case directory of `global` as of its "today".
pub(crate) fn load_cases(global: &Global) -> Result<crate::rules::CaseSet, CommandError> {
    let opts = crate::case::LoadOptions::new(global.deadline_day());
    crate::rules::load_dir(&global.cases, &opts, &|_, _| {})
        .map_err(|e| CommandError::Io(e.to_string()))
}

/// A case by id, or an error that says why it is not there (invalid, or unknown).
pub(crate) fn find_case<'a>(
    set: &'a crate::rules::CaseSet,
    id: &str,
) -> Result<&'a crate::case::LoadedCase, CommandError> {
    if let Some(c) = set.get(id) {
        return Ok(c);
    }
    let file = format!("{id}.yaml");
    if let Some(bad) = set
        .invalid
        .iter()
        .find(|i| i.path.file_name().is_some_and(|n| n == file.as_str()))
    {
        let first = bad
            .problems
            .first()
            .map(|p| p.headline())
            .unwrap_or_default();
        return Err(CommandError::Usage(format!(
            "case `{}` is invalid: {first}",
            crate::text::sanitize_line(id)
        )));
    }
    Err(CommandError::Usage(format!(
        "no case `{}` in {}",
        crate::text::sanitize_line(id),
        set.dir.display()
    )))
}

/// Tells stderr how many case files were skipped, so a listing never hides them.
pub(crate) fn warn_invalid(set: &crate::rules::CaseSet) {
    if !set.invalid.is_empty() {
        crate::text::warn(&format!(
            "{} case file(s) invalid and not listed; run `casebench check`",
            set.invalid.len()
        ));
    }
}
