//! What the workbench asks of the terminal, decided from the environment before it is
//! touched (issue 12, point 4): `TERM=dumb` is refused with a message and exit 2, and a
//! theme's 24-bit colours are sent as such only when `COLORTERM` says the terminal takes
//! them. The real binary runs in a pseudo-terminal; its raw output is inspected.

use crate::support::tui as tui_support;

use std::time::Duration;

use crate::support::pty::{self, PATIENCE, Pty};

struct Run {
    pty: Pty,
    _tmp: tempfile::TempDir,
}

/// The binary on the fixture cases in an 100x30 pseudo-terminal with `envs` set (TERM
/// first of all) and COLORTERM/NO_COLOR removed unless given.
fn run(envs: &[(&str, &str)], args: &[&str]) -> Run {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    for e in std::fs::read_dir(tui_support::fixture_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    let mut cmd = pty::casebench(&tmp.path().join("home"));
    cmd.args([
        "--cases",
        cases.to_str().unwrap(),
        "--today",
        tui_support::TODAY,
    ]);
    cmd.args(args);
    cmd.env("CASEBENCH_DATA_DIR", tmp.path().join("data"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.path().join("config"));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.cwd(tmp.path());
    Run {
        pty: Pty::spawn(cmd, 100, 30),
        _tmp: tmp,
    }
}

impl Run {
    fn output(&self) -> String {
        self.pty.output()
    }

    /// Waits (bounded) for the process to end; its exit code.
    fn exit_code(&mut self) -> Option<u32> {
        self.pty.exit_code_within(PATIENCE)
    }

    /// Waits (bounded) until the output holds `what`, then quits the workbench.
    fn drawn_until(&mut self, what: &str) -> String {
        self.pty.wait_for_output(what);
        // Let the frame finish, then leave.
        std::thread::sleep(Duration::from_millis(200));
        self.pty.keys("q");
        self.exit_code();
        self.output()
    }
}

#[test]
fn term_dumb_is_refused_before_the_terminal_is_touched() {
    let mut r = run(&[("TERM", "dumb")], &[]);
    let code = r.exit_code();
    // The reader thread may still hold the last bytes when the process has ended.
    let out = r.pty.wait_for_output("casebench list");
    assert_eq!(code, Some(2), "{out:?}");
    assert!(
        out.contains("TERM=dumb: this terminal cannot show the workbench"),
        "{out:?}"
    );
    assert!(out.contains("casebench list"), "{out:?}");
    // Not one escape sequence: no alternate screen, no colour, no cursor movement.
    assert!(!out.contains('\u{1b}'), "{out:?}");
}

/// The colour parameters of every SGR sequence in `out`: (`5` or `2`, first value) for
/// `38;5;N`/`48;5;N` (palette index N) and `38;2;R;G;B`/`48;2;...` (24-bit).
fn colours(out: &str) -> Vec<(u32, u32)> {
    let mut found = Vec::new();
    for seq in out.split("\u{1b}[").skip(1) {
        let Some(end) = seq.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !seq[end..].starts_with('m') {
            continue;
        }
        let params: Vec<u32> = seq[..end]
            .split(';')
            .filter_map(|p| p.parse().ok())
            .collect();
        let mut i = 0;
        while i < params.len() {
            if (params[i] == 38 || params[i] == 48) && i + 2 < params.len() {
                found.push((params[i + 1], params[i + 2]));
                i += if params[i + 1] == 2 { 5 } else { 3 };
            } else {
                i += 1;
            }
        }
    }
    found
}

/// The light theme's `#rrggbb` colours, seen from three terminals.
#[test]
fn truecolor_only_when_colorterm_says_so() {
    // 256-colour terminal, COLORTERM not passed (the usual case over SSH): the theme's
    // 24-bit colours arrive as indexes of the 256-colour palette.
    let out = run(&[("TERM", "xterm-256color")], &["--theme", "light"]).drawn_until("AR-2026");
    let c = colours(&out);
    assert!(c.iter().all(|&(kind, _)| kind == 5), "{c:?}");
    assert!(c.iter().any(|&(_, n)| n >= 16), "{c:?}");
    // A 16-colour terminal: only the 16 ANSI colours.
    let out = run(&[("TERM", "xterm")], &["--theme", "light"]).drawn_until("AR-2026");
    let c = colours(&out);
    assert!(
        !c.is_empty() && c.iter().all(|&(kind, n)| kind == 5 && n < 16),
        "{c:?}"
    );
    // COLORTERM=truecolor: the theme's own colours.
    let out = run(
        &[("TERM", "xterm-256color"), ("COLORTERM", "truecolor")],
        &["--theme", "light"],
    )
    .drawn_until("AR-2026");
    assert!(colours(&out).iter().any(|&(kind, _)| kind == 2), "{out:?}");
}
