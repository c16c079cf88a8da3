//! Opening the workbench: the terminal checked, the theme and the keys read, the signer
//! and the practice settings looked up, the root's state built, then the event loop.

use std::path::PathBuf;

use super::{Options, app, event_loop, keymap, palette, screens, theme};

/// Environment variable that overrides the config directory (themes/, keys.yaml).
pub const CONFIG_DIR_ENV: &str = "CASEBENCH_CONFIG_DIR";

/// Where user themes and keys.yaml live: `$CASEBENCH_CONFIG_DIR`, else the platform's
/// config directory (on Linux `~/.config/casebench/`).
pub fn config_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os(CONFIG_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "casebench").map(|p| p.config_dir().to_path_buf())
}

/// Opens the workbench on `options.cases`. Returns the process exit status.
pub fn run(options: &Options) -> i32 {
    match prepare(options) {
        Ok(state) => event_loop::run_loop(options, state),
        Err(code) => code,
    }
}

/// Opens the workbench on the audit screen of the `--sites` mirror `options.cases`
/// (read-only; leaving the screen leaves the workbench). The mirror stands in for the
/// case directory: it holds no case file, so the queue is empty and nothing is watched
/// but it.
pub fn run_sites(options: &Options) -> i32 {
    match prepare(options) {
        Ok(mut state) => {
            // The loop starts the load itself (`audit::startup`).
            let _ = app::open_sites(&mut state, options.cases.clone());
            event_loop::run_loop(options, state)
        }
        Err(code) => code,
    }
}

/// The workbench's state before the loop starts, or the exit status when it cannot
/// start (a terminal that cannot draw, a broken theme, no terminal).
fn prepare(options: &Options) -> Result<app::State, i32> {
    use std::io::IsTerminal;
    // Before anything touches the terminal: a terminal that cannot draw is told so.
    if let Some(why) = palette::unusable_terminal(std::env::var("TERM").ok().as_deref()) {
        crate::text::warn(&why);
        return Err(2);
    }
    let config = config_dir();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = match theme::select(options.theme.as_deref(), no_color, config.as_deref()) {
        Ok(t) => t.for_depth(palette::ColorDepth::from_env()),
        Err(e) => {
            crate::text::warn(&e);
            return Err(2);
        }
    };
    // A broken keys.yaml must not lock anyone out: defaults, and say why.
    let (keymap, key_problem) = match keymap::Keymap::load(config.as_deref()) {
        Ok(k) => (k, None),
        Err(e) => (keymap::Keymap::default(), Some(e)),
    };
    if !std::io::stdout().is_terminal() {
        eprintln!(
            "casebench: the workbench needs a terminal; for text output use `casebench list` or `casebench show ID`"
        );
        return Err(2);
    }
    let mut state = app::State::new(
        options.deadline_day(),
        &options.cases.display().to_string(),
        theme,
        keymap,
    );
    state.clock = options.clock;
    state.set_signer(options.reviewer.as_deref(), options.key.as_deref());
    state.library_note = options
        .library
        .map(|(day, kind)| app::library_note(kind, day));
    if let Ok(d) = crate::decision::draft::drafts_dir() {
        state.drafts_dir = crate::text::sanitize_line(&d.display().to_string());
    }
    let (practice, practice_problem) = screens::practice::Practice::load(options);
    state.practice = practice;
    if let Some(e) = practice_problem {
        state.message = Some((
            theme::Role::Error,
            format!("practice: {}", crate::text::sanitize_line(&e)),
        ));
    }
    if let Some(e) = key_problem {
        state.message = Some((
            theme::Role::Error,
            format!("keys.yaml ignored: {}", crate::text::sanitize_line(&e)),
        ));
    }
    Ok(state)
}
