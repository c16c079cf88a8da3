//! `casebench ssh`, the entry point for sshd's ForceCommand (docs/DEPLOY.md, section 3):
//! no command opens the workbench, a read-only command runs on the server's case
//! directory, anything else is refused and nothing is written.

use std::process::Output;

use crate::support::cli;
use crate::support::common::{dir_with, stderr, stdout};

const TODAY: &str = "2026-03-28";

/// `casebench --cases DIR ssh` as sshd runs it, with the client's command (if any).
fn forced(dir: &std::path::Path, original: Option<&str>) -> Output {
    let mut c = cli::casebench(cli::shared_home());
    c.arg("--cases")
        .arg(dir)
        .arg("ssh")
        .env("CASEBENCH_TODAY", TODAY);
    if let Some(o) = original {
        c.env("SSH_ORIGINAL_COMMAND", o);
    }
    c.env("TERM", "dumb").output().unwrap()
}

fn plain(dir: &std::path::Path, args: &[&str]) -> Output {
    cli::casebench(cli::shared_home())
        .arg("--cases")
        .arg(dir)
        .env("CASEBENCH_TODAY", TODAY)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_read_only_command_runs_as_if_typed_on_the_server() {
    let dir = dir_with(&[]);
    let want = plain(dir.path(), &["list", "--json"]);
    assert_eq!(want.status.code(), Some(0), "{}", stderr(&want));
    for asked in [
        "casebench list --json",
        "list --json",
        "/usr/local/bin/casebench list --json",
    ] {
        let got = forced(dir.path(), Some(asked));
        assert_eq!(got.status.code(), Some(0), "{asked}: {}", stderr(&got));
        assert_eq!(stdout(&got), stdout(&want), "{asked}");
    }
    // Quoting as a shell reads it: one argument with a space.
    let got = forced(dir.path(), Some("show 'AR-2026-0101'"));
    assert_eq!(got.status.code(), Some(0), "{}", stderr(&got));
    assert_eq!(
        stdout(&got),
        stdout(&plain(dir.path(), &["show", "AR-2026-0101"]))
    );
}

#[test]
fn a_command_that_writes_or_is_not_casebench_is_refused_and_nothing_is_written() {
    let dir = dir_with(&[]);
    for asked in [
        "casebench decide AR-2026-0101 --outcome deny --rationale x",
        "checkpoint",
        "sync",
        "sh -c id",
        "list; rm -rf /",
        "witness --sites /tmp",
    ] {
        let got = forced(dir.path(), Some(asked));
        assert_eq!(got.status.code(), Some(2), "{asked}: {}", stdout(&got));
        let err = stderr(&got);
        assert!(err.starts_with("casebench: "), "{asked}: {err}");
        assert!(
            err.contains("only the read-only commands run here"),
            "{asked}: {err}"
        );
        assert!(err.contains("check, list, due, show, advise, verify, audit, notice, practice"));
        assert!(stdout(&got).is_empty(), "{asked}");
    }
    assert!(
        !dir.path().join("decisions").exists(),
        "something was written"
    );
}

#[test]
fn the_client_cannot_choose_the_directory_or_the_key() {
    let dir = dir_with(&[]);
    for asked in [
        "list --cases /etc",
        "list --cases=/etc",
        "verify --key /tmp/k",
    ] {
        let got = forced(dir.path(), Some(asked));
        assert_eq!(got.status.code(), Some(2), "{asked}");
        assert!(
            stderr(&got).contains("the server sets the case directory and the key"),
            "{asked}: {}",
            stderr(&got)
        );
    }
}

/// Issue 25: the letters' and reports' `--output` and `--report` write files; over the
/// forced command only standard output is offered, in every spelling of the option.
#[test]
fn the_client_cannot_write_files_on_the_server() {
    let dir = dir_with(&[]);
    let target = dir.path().join("written-over-ssh");
    for asked in [
        format!("notice 1 --format pdf --output {}", target.display()),
        format!("notice 1 -o{}", target.display()),
        format!("audit --format csv --output={}", target.display()),
        format!("audit --report {}.html", target.display()),
    ] {
        let got = forced(dir.path(), Some(&asked));
        assert_eq!(got.status.code(), Some(2), "{asked}");
        assert!(
            stderr(&got).contains("write files on the server"),
            "{asked}: {}",
            stderr(&got)
        );
    }
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with("written-over-ssh")),
        "nothing was written"
    );
    // Nor PDF bytes on a channel the server cannot tell from a terminal.
    for asked in [
        "notice 1 --format pdf",
        "audit --accounting --patient P-1 --format pdf",
    ] {
        let got = forced(dir.path(), Some(asked));
        assert_eq!(got.status.code(), Some(2), "{asked}");
        assert!(
            stderr(&got).contains("a PDF is not sent over ssh"),
            "{asked}: {}",
            stderr(&got)
        );
        assert!(!got.stdout.starts_with(b"%PDF"));
    }
}

#[test]
fn bad_quoting_and_bad_arguments_are_usage_errors() {
    let dir = dir_with(&[]);
    let got = forced(dir.path(), Some("show 'AR-2026-0101"));
    assert_eq!(got.status.code(), Some(2));
    assert!(
        stderr(&got).contains("an unclosed quote"),
        "{}",
        stderr(&got)
    );
    let got = forced(dir.path(), Some("list --bogus"));
    assert_eq!(got.status.code(), Some(2));
    assert!(stderr(&got).contains("--bogus"), "{}", stderr(&got));
    // Help is text, exit 0.
    let got = forced(dir.path(), Some("audit --help"));
    assert_eq!(got.status.code(), Some(0), "{}", stderr(&got));
    assert!(stdout(&got).contains("--accounting"), "{}", stdout(&got));
}

#[test]
fn no_command_opens_the_workbench() {
    let dir = dir_with(&[]);
    for original in [None, Some(""), Some("   "), Some("casebench")] {
        let got = forced(dir.path(), original);
        // TERM=dumb: the workbench's own refusal, before anything is drawn.
        assert_eq!(got.status.code(), Some(2), "{original:?}");
        assert!(
            stderr(&got).contains("TERM=dumb") || stdout(&got).contains("TERM=dumb"),
            "{original:?}: {}{}",
            stdout(&got),
            stderr(&got)
        );
    }
}

#[test]
fn ssh_itself_is_not_a_command_a_client_can_ask_for() {
    let dir = dir_with(&[]);
    let got = forced(dir.path(), Some("ssh"));
    assert_eq!(got.status.code(), Some(2));
    assert!(
        stderr(&got).contains("not offered over ssh"),
        "{}",
        stderr(&got)
    );
}
