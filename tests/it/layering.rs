//! The shape of the code (DESIGN.md section 7), checked on the source tree: the
//! workbench never borrows from the command line, and the domain knows neither.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Files under `src/<dir>` (or the file `src/<dir>.rs`) whose text names one of `paths`.
fn offenders(dirs: &[&str], paths: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for d in dirs {
        let dir = src.join(d);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let file = src.join(format!("{d}.rs"));
        if file.is_file() {
            files.push(file);
        }
    }
    assert!(!files.is_empty(), "no source files under {dirs:?}");
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            if paths.iter().any(|p| line.contains(p)) {
                bad.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    bad
}

#[test]
fn the_workbench_never_imports_the_command_line_commands() {
    let bad = offenders(&["tui"], &["commands::"]);
    assert!(
        bad.is_empty(),
        "src/tui uses src/commands:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_domain_imports_neither_the_workbench_nor_the_command_line() {
    let domain = [
        "case", "rules", "record", "store", "audit", "practice", "decision", "text", "sites",
        "intake",
    ];
    let bad = offenders(&domain, &["crate::tui", "crate::commands", "crate::cli"]);
    assert!(
        bad.is_empty(),
        "the domain reaches out:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_workbench_never_reads_the_command_line_options() {
    // It is opened with a `tui::Options` that the command layer builds.
    let bad = offenders(&["tui"], &["crate::cli", "clap::"]);
    assert!(
        bad.is_empty(),
        "src/tui uses the command line:\n{}",
        bad.join("\n")
    );
}

/// The workbench's rooms (docs/ARCHITECTURE.md, "The workbench"), from the top: the
/// entry, the event loop, the root, the screens, and the shared pieces below them.
const TUI_SHARED: [&str; 13] = [
    "tui/advisor",
    "tui/effect",
    "tui/fit",
    "tui/keymap",
    "tui/labels",
    "tui/layout",
    "tui/options",
    "tui/palette",
    "tui/prose",
    "tui/scroll",
    "tui/step",
    "tui/theme",
    "tui/widgets",
];
const TUI_SCREENS: [&str; 10] = [
    "audit",
    "case",
    "countersign",
    "form",
    "help",
    "invalid",
    "practice",
    "provide",
    "queue",
    "record",
];

#[test]
fn a_workbench_screen_never_imports_the_root_the_loop_or_another_screen() {
    for screen in TUI_SCREENS {
        let mut forbidden = vec![
            "tui::app".to_string(),
            "tui::event_loop".to_string(),
            "tui::start".to_string(),
        ];
        forbidden.extend(
            TUI_SCREENS
                .iter()
                .filter(|s| **s != screen)
                .map(|s| format!("screens::{s}")),
        );
        let forbidden: Vec<&str> = forbidden.iter().map(String::as_str).collect();
        let bad = offenders(&[&format!("tui/screens/{screen}")], &forbidden);
        assert!(
            bad.is_empty(),
            "the {screen} screen reaches out of its room:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn the_workbench_s_shared_pieces_know_no_screen_root_or_loop() {
    let bad = offenders(
        &TUI_SHARED,
        &["tui::screens", "tui::app", "tui::event_loop", "tui::start"],
    );
    assert!(
        bad.is_empty(),
        "a shared piece of the workbench imports a room above it:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_workbench_s_root_never_runs_an_effect_itself() {
    // The root returns effects; the event loop carries them out, in one place.
    let bad = offenders(&["tui/app"], &["tui::event_loop", "tui::start"]);
    assert!(
        bad.is_empty(),
        "the workbench's root reaches into the event loop:\n{}",
        bad.join("\n")
    );
}

/// Tests read the sample library through `support::common::sample_library()` (a copy
/// without `decisions/`), never the checkout's `cases/`: a newcomer who signs a decision
/// there, as the README shows, must not make `cargo test` fail.
#[test]
fn tests_never_read_the_checkout_s_library() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut files = Vec::new();
    rust_files(&tests, &mut files);
    let mut bad = Vec::new();
    for f in files {
        if f.ends_with("support/common.rs") || f.ends_with("layering.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            // (A `PathBuf::from("cases/...")` in a fixture is a label, never opened.)
            let names_library = line.contains(r#"join("cases"#)
                && line.contains("CARGO_MANIFEST_DIR")
                || line.contains(r#"Path::new("cases"#);
            if names_library {
                bad.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "tests reading the checkout's cases/ (use support::common::sample_library()):\n{}",
        bad.join("\n")
    );
}
