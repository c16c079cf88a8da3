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
fn the_presenter_sits_below_the_command_line_and_the_workbench() {
    // src/present turns the domain into rows; the commands and the workbench draw them.
    let bad = offenders(
        &["present"],
        &["crate::tui", "crate::commands", "crate::cli"],
    );
    assert!(
        bad.is_empty(),
        "src/present reaches up:\n{}",
        bad.join("\n")
    );
    // ... and the domain never reaches up to it.
    let domain = [
        "case", "rules", "record", "store", "audit", "practice", "decision", "text", "sites",
        "intake",
    ];
    let bad = offenders(&domain, &["crate::present"]);
    assert!(
        bad.is_empty(),
        "the domain imports the presenter:\n{}",
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
    "tui/layout",
    "tui/options",
    "tui/palette",
    "tui/prose",
    "tui/scroll",
    "tui/sections",
    "tui/step",
    "tui/theme",
    "tui/widgets",
];
const TUI_SCREENS: [&str; 11] = [
    "audit",
    "case",
    "countersign",
    "form",
    "help",
    "intake",
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

/// The rooms of docs/ARCHITECTURE.md, from the ground up, with the rooms each may
/// import (`crate::ROOM`). Every top-level module of `src/` must be here: a new room is
/// placed in the table (and the doc) before it is used.
const ROOMS: &[(&str, &[&str])] = &[
    // The one clock: a leaf every room from `case` up may read.
    ("clock", &[]),
    ("text", &[]),
    ("yaml", &["text"]),
    ("store", &["text", "yaml"]),
    ("config", &["yaml"]),
    ("case", &["clock", "text", "yaml", "store"]),
    ("rules", &["case", "clock", "store", "text", "yaml"]),
    ("record", &["case", "clock", "store", "text", "yaml"]),
    (
        "intake",
        &["case", "clock", "record", "rules", "store", "text", "yaml"],
    ),
    (
        "sites",
        &["case", "clock", "record", "rules", "store", "text", "yaml"],
    ),
    (
        "practice",
        &["case", "clock", "record", "rules", "store", "text", "yaml"],
    ),
    (
        "decision",
        &[
            "case", "clock", "practice", "record", "rules", "sites", "store", "text", "yaml",
        ],
    ),
    (
        "audit",
        &[
            "case", "clock", "decision", "practice", "record", "rules", "sites", "store", "text",
            "yaml",
        ],
    ),
    // The one presenter (issue 23): the domain as sections of labelled rows.
    (
        "present",
        &["audit", "case", "practice", "record", "rules", "text"],
    ),
    // The clap tree, and the global options' own resolution (the directory's `as_of`,
    // the user's state directory, the paper size): the values of its arguments.
    ("cli", &["audit", "case", "clock", "decision", "record"]),
    (
        "tui",
        &[
            "audit", "case", "clock", "config", "decision", "intake", "practice", "present",
            "record", "rules", "sites", "store", "text", "yaml",
        ],
    ),
    (
        "commands",
        &[
            "audit", "case", "cli", "clock", "config", "decision", "intake", "practice", "present",
            "record", "rules", "sites", "store", "text", "tui", "yaml",
        ],
    ),
];

/// The top-level names a file takes from `crate::` (`crate::a::b`, `crate::{a, b::c}`),
/// outside comments and before its `#[cfg(test)]` module.
fn crate_imports(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut code = String::new();
    let mut line_of = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let line = line.split("//").next().unwrap_or("");
        code.push_str(line);
        code.push('\n');
        line_of.extend(std::iter::repeat_n(n + 1, line.len() + 1));
    }
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut at = 0;
    while let Some(i) = code[at..].find("crate::") {
        let start = at + i + "crate::".len();
        let line = line_of.get(start).copied().unwrap_or(0);
        if code[start..].starts_with('{') {
            // A group: its top-level names, nested groups skipped.
            let (mut depth, mut item) = (0, String::new());
            for ch in code[start + 1..].chars() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push((line, ident(&item)));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(ch);
            }
            out.push((line, ident(&item)));
        } else {
            out.push((line, ident(&code[start..])));
        }
        at = start;
    }
    out.retain(|(_, n)| !n.is_empty());
    out
}

#[test]
fn each_room_imports_only_the_rooms_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut bad = Vec::new();
    let mut unplaced = Vec::new();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().to_string();
        if ["lib", "main"].contains(&name.as_str()) {
            continue;
        }
        let Some((_, allowed)) = ROOMS.iter().find(|(r, _)| *r == name) else {
            unplaced.push(name);
            continue;
        };
        let mut files = Vec::new();
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p.clone());
        }
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for (line, room) in crate_imports(&text) {
                if room != name && !allowed.contains(&room.as_str()) {
                    bad.push(format!("{}:{line}: {name} imports {room}", f.display()));
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "rooms of src/ not placed in ROOMS (and docs/ARCHITECTURE.md): {unplaced:?}"
    );
    bad.sort();
    bad.dedup();
    assert!(
        bad.is_empty(),
        "imports against docs/ARCHITECTURE.md's room table:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_import_reader_sees_groups_and_paths() {
    let text = "use crate::case::Case;\nuse crate::{rules::x, record::{a, b}, text};\n\
                // crate::tui in a comment\nfn f() { crate::store::g(); }\n#[cfg(test)]\n\
                mod tests { use crate::tui; }\n";
    let names: Vec<String> = crate_imports(text).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["case", "rules", "record", "text", "store"]);
}
