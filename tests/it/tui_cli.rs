//! The workbench's entry point without a terminal: errors that come before the screen.

use assert_cmd::Command;
use predicates::str::contains;

fn bin() -> Command {
    let mut c = Command::from_std(crate::support::cli::casebench(
        crate::support::cli::shared_home(),
    ));
    c.env("CASEBENCH_CONFIG_DIR", "/nonexistent-casebench-config");
    c
}

#[test]
fn an_unknown_theme_is_a_usage_error() {
    bin()
        .args(["--theme", "nope"])
        .assert()
        .code(2)
        .stderr(contains("no theme `nope`"))
        .stderr(contains("high-contrast"));
}

#[test]
fn without_a_terminal_it_says_what_to_use_instead() {
    // stdout is a pipe here.
    bin()
        .assert()
        .code(2)
        .stderr(contains("needs a terminal"))
        .stderr(contains("casebench list"));
}
