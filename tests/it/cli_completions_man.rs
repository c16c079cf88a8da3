//! `casebench completions bash|zsh|fish` and `casebench man`: generated from the parser's
//! own definitions, printed to standard output, needing no case directory.

use assert_cmd::Command;

fn run(args: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    Command::from_std(crate::support::cli::casebench(
        crate::support::cli::shared_home(),
    ))
    .current_dir(dir.path())
    .args(args)
    .output()
    .unwrap()
}

fn ok_stdout(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap()
}

const COMMANDS: [&str; 12] = [
    "check",
    "list",
    "show",
    "advise",
    "decide",
    "verify",
    "checkpoint",
    "audit",
    "notice",
    "practice",
    "completions",
    "man",
];

#[test]
fn bash_completion_knows_every_command_and_option_and_parses() {
    let s = ok_stdout(&["completions", "bash"]);
    assert!(s.contains("_casebench()"), "{s}");
    assert!(s.contains("complete -F _casebench"), "{s}");
    for c in COMMANDS {
        assert!(s.contains(c), "no {c}");
    }
    for o in ["--today", "--cases", "--reviewer", "--trainee", "--json"] {
        assert!(s.contains(o), "no {o}");
    }
    // The script is valid bash (when bash is there to say so).
    if let Ok(st) = std::process::Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(&s)
        .status()
    {
        assert!(st.success(), "bash -n refused the script");
    }
}

#[test]
fn zsh_and_fish_completions() {
    let z = ok_stdout(&["completions", "zsh"]);
    assert!(z.starts_with("#compdef casebench"), "{z}");
    assert!(z.contains("--today") && z.contains("advise"), "{z}");
    let f = ok_stdout(&["completions", "fish"]);
    assert!(f.contains("complete -c casebench"), "{f}");
    assert!(f.contains("-l today") && f.contains("advise"), "{f}");
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_shells() {
    let out = run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("bash, zsh, fish"), "{e}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_man_page_is_roff_with_every_command_and_its_options() {
    let m = ok_stdout(&["man"]);
    assert!(m.contains(".TH casebench 1"), "{m}");
    for sec in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH EXIT STATUS",
    ] {
        assert!(m.contains(sec), "no {sec}");
    }
    for c in COMMANDS {
        assert!(m.contains(&format!(".SS \"casebench {c}")), "no {c}");
    }
    // Options are escaped roff (`\-\-today`), and no page for casebench-check(1) is
    // pointed at that is never installed.
    assert!(m.contains("\\fB\\-\\-today\\fR"), "{m}");
    assert!(m.contains("\\fB\\-\\-trainee\\fR"), "{m}");
    assert!(!m.contains("casebench\\-check(1)"), "{m}");
    // No text line that roff would take for a request.
    for l in m.lines() {
        assert!(
            !l.starts_with('\'') && (!l.starts_with('.') || l.len() > 1),
            "{l}"
        );
    }
}
