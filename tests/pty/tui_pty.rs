//! End to end: the real binary in a pseudo-terminal (portable-pty), its output read by a
//! terminal emulator (vt100). Timeouts are generous bounds for slow machines, never
//! measurements.

use crate::support::tui as tui_support;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::pty::{self, Pty};

/// The workbench in a pty, with the directory it runs in.
struct Session {
    pty: Pty,
    _tmp: tempfile::TempDir,
    /// Its data directory (drafts).
    data: std::path::PathBuf,
}

impl Deref for Session {
    type Target = Pty;
    fn deref(&self) -> &Pty {
        &self.pty
    }
}

impl DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Pty {
        &mut self.pty
    }
}

/// The binary on a copy of the fixture cases.
fn start(cols: u16, rows: u16) -> Session {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    for e in std::fs::read_dir(tui_support::fixture_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    start_in(tmp, cols, rows)
}

/// The binary on `tmp/cases`, with its data and config directories in `tmp`.
fn start_in(tmp: tempfile::TempDir, cols: u16, rows: u16) -> Session {
    start_with(tmp, cols, rows, &[], &[])
}

/// As [`start_in`], with extra environment variables and arguments.
fn start_with(
    tmp: tempfile::TempDir,
    cols: u16,
    rows: u16,
    envs: &[(&str, &str)],
    args: &[&str],
) -> Session {
    let cases = tmp.path().join("cases");
    let data = tmp.path().join("data");
    let mut cmd = pty::casebench(&tmp.path().join("home"));
    cmd.args([
        "--cases",
        cases.to_str().unwrap(),
        "--today",
        tui_support::TODAY,
    ]);
    cmd.env("CASEBENCH_DATA_DIR", &data);
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.path().join("config"));
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.args(args);
    cmd.cwd(tmp.path());
    Session {
        pty: Pty::spawn(cmd, cols, rows),
        _tmp: tmp,
        data,
    }
}

impl Session {
    fn _tmp_path(&self) -> &Path {
        self._tmp.path()
    }

    /// Selects the queue row of `id` with `/` filtering, then opens it.
    fn open(&mut self, id: &str) {
        self.wait_for("the queue", |s| s.contains(id));
        self.keys(&format!("/{id}\r"));
        self.wait_for("the filter", |s| s.contains(&format!("/{id}")));
        self.keys("\r");
        self.wait_for("the case view", |s| s.contains("Documentation"));
    }
}

#[test]
fn opens_a_case_with_the_three_panes_side_by_side() {
    let mut s = start(160, 48);
    s.open("AR-2026-0101");
    // Wait for the whole condition: the emulator may be seen half way through a frame.
    let screen = s.wait_for("the three titles on one row", |s| {
        s.lines().any(|l| {
            l.contains("Evaluation of harm")
                && l.contains("Consultation notes")
                && l.contains("Documentation")
        })
    });
    let row = screen
        .lines()
        .find(|l| l.contains("Evaluation of harm"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        row.contains("Consultation notes") && row.contains("Documentation"),
        "titles not on one row:\n{screen}"
    );
    assert_eq!(
        s.with_parser(|p| p.screen().mouse_protocol_mode()),
        vt100::MouseProtocolMode::None,
        "mouse captured without --mouse"
    );
    // Back to the queue and quit: the process ends and leaves the alternate screen.
    s.keys("\x1b");
    s.wait_for("the queue", |s| s.contains("of 3 cases"));
    s.keys("q");
    assert!(s.gone_within(Duration::from_secs(10)));
    // The terminal is given back: the alternate screen is left.
    let end = Instant::now() + Duration::from_secs(10);
    while s.with_parser(|p| p.screen().alternate_screen()) {
        assert!(Instant::now() < end, "still on the alternate screen");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn hostile_case_text_is_shown_not_obeyed() {
    let mut s = start(160, 48);
    s.open("AR-2026-0150");
    let screen = s.wait_for("the hostile notes", |s| {
        s.contains("^[]0;pwned^G")
            && s.contains("<U+200B>")
            && s.contains("<U+202E>evil")
            && s.contains("Evaluation of harm")
    });
    assert!(screen.contains("^[]0;pwned^G"), "{screen}");
    assert!(screen.contains("^[[2J"), "{screen}");
    assert!(screen.contains("<U+202E>evil"), "{screen}");
    assert!(screen.contains("<U+200B>"), "{screen}");
    // The screen was not cleared under the frame: header and panes are all there.
    assert!(screen.contains("AR-2026-0150") && screen.contains("Evaluation of harm"));
    s.with_parser(|p| {
        assert!(p.callbacks().titles.is_empty(), "the window title was set");
        assert!(p.callbacks().clipboard.is_empty());
    });
    let raw = s.raw();
    for bad in [
        &b"\x1b]0;"[..],
        b"\x1b[2J",
        "\u{202E}".as_bytes(),
        "\u{200B}".as_bytes(),
    ] {
        assert!(
            !raw.windows(bad.len()).any(|w| w == bad),
            "terminal output contains {bad:?}"
        );
    }
}

fn draft_path(data: &Path) -> std::path::PathBuf {
    data.join("drafts/AR-2026-0101.yaml")
}

#[test]
fn hangup_with_an_unsaved_draft_saves_it_and_exits() {
    let mut s = start(100, 30);
    s.open("AR-2026-0101");
    s.keys("d");
    s.wait_for("the form", |s| s.contains("Outcome"));
    // Choose an outcome: an edit that is not saved until the typing pause.
    s.keys("l");
    s.wait_for("the outcome", |s| s.contains("release_full"));
    let pid = s.pid();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    assert!(
        s.gone_within(Duration::from_secs(5)),
        "process still running after SIGHUP"
    );
    let path = draft_path(&s.data);
    let text = std::fs::read_to_string(&path).expect("draft saved");
    assert!(text.contains("outcome: release_full"), "{text}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_saved_draft_is_offered_when_the_case_is_reopened() {
    let mut s = start(100, 30);
    s.open("AR-2026-0101");
    s.keys("d");
    s.wait_for("the form", |s| s.contains("Outcome"));
    s.keys("ll");
    s.wait_for("the outcome", |s| s.contains("release_partial"));
    // Leaving the form saves; leaving the case and coming back offers the draft.
    s.keys("\x1b");
    s.wait_for("the case view", |s| s.contains("d decide"));
    s.keys("\x1b");
    s.wait_for("the queue", |s| {
        s.contains("cases ·") || s.contains("of 3 cases")
    });
    assert!(draft_path(&s.data).exists());
    s.keys("\r");
    s.wait_for("the offer", |s| s.contains("resumes it"));
    s.keys("d");
    s.wait_for("the resumed form", |s| s.contains("release_partial"));
}

#[test]
fn idle_means_silent() {
    let mut s = start(120, 40);
    s.wait_for("the queue", |s| s.contains("of 3 cases"));
    s.keys("j");
    s.wait_for("the selection", |s| s.contains(">   AR-2026-0150"));
    std::thread::sleep(Duration::from_millis(300));
    let before = s.raw_len();
    // Longer than the draft pause: nothing is pending, so nothing may be drawn.
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(s.raw_len(), before, "output while idle");
    // Every frame is wrapped in a synchronized update.
    let raw = s.raw();
    let count = |pat: &[u8]| raw.windows(pat.len()).filter(|w| *w == pat).count();
    let begin = count(b"\x1b[?2026h");
    assert!(begin >= 2);
    assert_eq!(begin, count(b"\x1b[?2026l"));
}

#[test]
fn the_first_frame_comes_before_a_large_directory_is_loaded() {
    let s = start_generated(120, 40, 500);
    s.wait_for("the loaded queue", |t| t.contains("of 500 cases"));
    // The first frame (up to its end-of-synchronized-update) is the progress line.
    let raw = s.output();
    let end = raw.find("\x1b[?2026l").expect("a frame");
    assert!(raw[..end].contains("loading cases"), "{:?}", &raw[..end]);
}

fn start_generated(cols: u16, rows: u16, n: usize) -> Session {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    let base: casebench::case::Case =
        casebench::yaml::from_str(&tui_support::fixture_text("AR-2026-0101.yaml")).unwrap();
    for i in 0..n {
        let mut c = base.clone();
        c.id = format!("AR-2026-{i:05}");
        std::fs::write(
            cases.join(format!("{}.yaml", c.id)),
            casebench::yaml::to_string(&c).unwrap(),
        )
        .unwrap();
    }
    start_in(tmp, cols, rows)
}

#[test]
fn a_stalled_terminal_cannot_keep_the_draft_from_disk() {
    let mut s = start(160, 48);
    s.open("AR-2026-0101");
    s.keys("d");
    s.wait_for("the form", |s| s.contains("Outcome"));
    // Stop reading, make an edit, then demand far more output than the terminal buffers:
    // the event loop blocks in a write and cannot reach the draft's typing pause.
    s.stall(true);
    std::thread::sleep(Duration::from_millis(200));
    s.keys("l");
    for i in 0..300u16 {
        s.keys("?");
        std::thread::sleep(Duration::from_millis(3));
        if i % 15 == 0 {
            // A resize forces a full redraw: tens of kilobytes each.
            s.resize(160 - (i / 15) % 2, 48 - (i / 15) % 2);
        }
    }
    std::thread::sleep(Duration::from_millis(2000));
    let path = draft_path(&s.data);
    assert!(
        !path.exists(),
        "the loop was not stuck: the draft was saved by the pause"
    );
    let pid = s.pid();
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGHUP) }, 0);
    assert!(
        s.gone_within(Duration::from_secs(5)),
        "the watchdog did not end the process"
    );
    let text = std::fs::read_to_string(&path).expect("draft saved by the watchdog");
    assert!(text.contains("outcome: release_full"), "{text}");
}

#[test]
fn the_advisor_panel_and_the_findings_on_the_form() {
    let mut s = start(160, 48);
    s.open("AR-2026-0101");
    s.keys("a");
    let screen = s.wait_for("the advisor", |t| {
        t.contains("recommended:") && t.contains("Grounds that hold")
    });
    assert!(screen.contains("Grounds that hold"), "{screen}");
    // The findings are further down the panel: its end is one key away.
    s.keys("G");
    let screen = s.wait_for("the advisor's findings", |t| {
        t.contains("Findings on the recommendation")
    });
    assert!(
        screen.contains("Findings on the recommendation"),
        "{screen}"
    );
    s.keys("d");
    s.wait_for("the form", |t| t.contains("Outcome"));
    s.keys("l");
    let screen = s.wait_for("findings on the decision", |t| {
        t.contains("Findings: ") && t.contains("release_full")
    });
    assert!(screen.contains("release_full"), "{screen}");
}

#[test]
fn keys_yaml_from_the_config_dir_rebinds_and_help_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    for e in std::fs::read_dir(tui_support::fixture_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    let config = tmp.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("keys.yaml"), "queue:\n  down: [n]\n").unwrap();
    let mut s = start_in(tmp, 120, 40);
    s.wait_for("the queue", |t| t.contains("of 3 cases"));
    s.keys("j"); // no longer bound
    s.keys("n");
    s.wait_for("the moved selection", |t| t.contains(">   AR-2026-0150"));
    s.keys("?");
    let help = s.wait_for("the help", |t| {
        t.contains("Keys: queue") && t.contains("move down") && t.contains("this help")
    });
    let down = help.lines().find(|l| l.contains("move down")).unwrap();
    assert!(
        (down.contains("│n ") || down.contains("┃n ")) && !down.contains("j "),
        "{down}"
    );
}

#[test]
fn a_broken_keys_yaml_is_reported_and_the_defaults_work() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(
        tui_support::fixture_dir().join("AR-2026-0101.yaml"),
        cases.join("AR-2026-0101.yaml"),
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("config")).unwrap();
    std::fs::write(tmp.path().join("config/keys.yaml"), "queue:\n  dwn: [n]\n").unwrap();
    let s = start_in(tmp, 120, 40);
    let screen = s.wait_for("the message", |t| {
        t.contains("keys.yaml ignored") && t.contains("unknown action `dwn`")
    });
    assert!(screen.contains("unknown action `dwn`"), "{screen}");
}

fn fixture_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    for e in std::fs::read_dir(tui_support::fixture_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    tmp
}

fn colour_codes(raw: &[u8]) -> usize {
    [&b"38;5;"[..], b"48;5;", b"38;2;", b"48;2;"]
        .iter()
        .map(|pat| raw.windows(pat.len()).filter(|w| w == pat).count())
        .sum()
}

#[test]
fn no_color_means_no_colour_but_the_markers_stay() {
    let s = start_with(fixture_copy(), 120, 40, &[], &[]);
    s.wait_for("the queue", |t| {
        t.contains("of 3 cases") && t.contains("!! -")
    });
    assert!(colour_codes(&s.raw()) > 0, "the default theme has colour");
    drop(s);
    let s = start_with(fixture_copy(), 120, 40, &[("NO_COLOR", "1")], &[]);
    let screen = s.wait_for("the queue", |t| {
        t.contains("of 3 cases") && t.contains("!! -") && t.contains(">   AR-2026-0101")
    });
    assert!(
        screen.contains("!! -") && screen.contains(">   AR-2026-0101"),
        "{screen}"
    );
    assert_eq!(colour_codes(&s.raw()), 0, "colour despite NO_COLOR");
    drop(s);
    // An explicit --theme keeps its emphasis, but no colour is ever sent under NO_COLOR.
    let s = start_with(
        fixture_copy(),
        120,
        40,
        &[("NO_COLOR", "1")],
        &["--theme", "high-contrast"],
    );
    s.wait_for("the queue", |t| t.contains("of 3 cases"));
    assert_eq!(colour_codes(&s.raw()), 0);
}

#[test]
fn signing_from_the_form_records_the_decision_and_removes_the_draft() {
    // The fixture case, with the sample directory's demo reviewers (unencrypted keys).
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::copy(
        tui_support::fixture_dir().join("AR-2026-0101.yaml"),
        cases.join("AR-2026-0101.yaml"),
    )
    .unwrap();
    let sample = crate::support::common::sample_library().to_path_buf();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(sample.join("reviewers"))
        .arg(&cases)
        .status()
        .unwrap();
    assert!(status.success());
    let _ = std::fs::copy(sample.join("casebench.yaml"), cases.join("casebench.yaml"));
    let mut s = start_with(
        tmp,
        160,
        48,
        &[("SSH_AUTH_SOCK", "")],
        &["--reviewer", "k.osei@lakeside.example"],
    );
    s.open("AR-2026-0101");
    s.keys("d");
    s.wait_for("the form", |t| t.contains("Outcome"));
    // release_partial on right-of-access, the notes withheld as psychotherapy notes.
    s.keys("ll");
    s.wait_for("the outcome", |t| t.contains("release_partial"));
    s.keys("j\rright-of-access\r");
    s.keys("jjj ");
    s.keys("j\rpsychotherapy-notes\r");
    // Down to the rationale (two "add" buttons below the last record), write it.
    s.keys("jjj\r");
    s.keys("The notes are kept separately; the chart is released.");
    s.keys("\x1b");
    s.wait_for("the rationale", |t| {
        t.contains("  The notes are kept separately")
    });
    s.keys("j");
    s.wait_for("the sign button", |t| t.contains(">[ Sign ]"));
    s.keys("\r");
    let screen = s.wait_for("the signed record", |t| t.contains("signed record 1"));
    assert!(screen.contains("k.osei@lakeside.example"), "{screen}");
    let log = s._tmp_path().join("cases/decisions/log/00000001.yaml");
    let record = std::fs::read_to_string(&log).expect("record written");
    assert!(record.contains("outcome: release_partial"), "{record}");
    assert!(record.contains("psychotherapy-notes"), "{record}");
    // Signing returns to the case view, the outcome in a box until Esc closes it; back
    // in the queue the case is decided, awaiting its provision (issue 22).
    assert!(screen.contains("Signed (Enter or Esc closes)"), "{screen}");
    s.keys("\x1b");
    s.wait_for("the box closed", |t| !t.contains("Signed (Enter"));
    s.keys("\x1b");
    s.wait_for("the decided row", |t| t.contains("awaiting"));
    // The draft is gone once the decision is recorded.
    let end = Instant::now() + Duration::from_secs(10);
    while draft_path(&s.data).exists() {
        assert!(Instant::now() < end, "draft not removed");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Quitting leaves nothing of the signing step behind in the shell: the signing line
    // was on the workbench's own screen, which is gone.
    s.keys("q");
    assert!(s.gone_within(Duration::from_secs(10)));
    let shell = s.wait_for("the shell's screen", |t| !t.contains("casebench ·"));
    assert!(!shell.contains("signing"), "{shell}");
    assert!(!shell.contains("casebench:"), "{shell}");
}
