//! End to end: a trainee (the sample library's demo key t.lindqvist) decides a practice
//! case in the real binary in a pseudo-terminal; the advisor stays hidden, a `practice`
//! record is signed, and only then the comparison with the reference is shown.
//! Timeouts are generous bounds for slow machines, never measurements.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const CASE: &str = "AR-2026-0101";
const TODAY: &str = "2026-11-23";

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    fn keys(&mut self, k: &str) {
        self.writer.write_all(k.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(tmp: &Path, cols: u16, rows: u16, reviewer: &str) -> Session {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casebench"));
    let cases = tmp.join("cases");
    cmd.args(["--cases", cases.to_str().unwrap(), "--today", TODAY]);
    cmd.args(["--reviewer", reviewer]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("CASEBENCH_DATA_DIR", tmp.join("data"));
    cmd.env("XDG_STATE_HOME", tmp.join("state"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.join("config"));
    cmd.env("SSH_AUTH_SOCK", "");
    cmd.cwd(tmp);
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        rows.try_into().unwrap(),
        cols.try_into().unwrap(),
        0,
    )));
    let p2 = parser.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p2.lock().unwrap().process(&buf[..n]);
        }
    });
    Session {
        parser,
        writer,
        child,
        _master: pair.master,
    }
}

/// The practice fixture case with the sample library's demo reviewers.
fn case_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixture = root.join("tests/fixtures/tuipractice");
    for from in [
        fixture.join(format!("{CASE}.yaml")),
        fixture.join("attachments"),
        root.join("cases/reviewers"),
    ] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(from)
            .arg(&cases)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let _ = std::fs::copy(
        root.join("cases/casebench.yaml"),
        cases.join("casebench.yaml"),
    );
    tmp
}

#[test]
fn a_trainee_signs_a_practice_record_then_sees_the_comparison() {
    let tmp = case_dir();
    let mut s = start(tmp.path(), 160, 48, "t.lindqvist@lakeside.example");
    s.wait_for("the queue", |t| t.contains(CASE));
    s.keys(&format!("/{CASE}\r"));
    s.wait_for("the filter", |t| t.contains(&format!("/{CASE}")));
    s.keys("\r");
    s.wait_for("the case view", |t| t.contains("Documentation"));
    s.keys("a");
    let case = s.wait_for("the advisor panel", |t| t.contains("hidden in practice"));
    assert!(!case.contains("Release in part."), "{case}");
    s.keys("d");
    s.wait_for("the form", |t| t.contains("Outcome"));
    // release_partial on right-of-access, the notes withheld as psychotherapy notes.
    s.keys("ll");
    s.wait_for("the outcome", |t| t.contains("release_partial"));
    s.keys("j\rright-of-access\r");
    s.keys("jjj ");
    s.keys("j\rpsychotherapy-notes\r");
    s.keys("jjj\r");
    s.keys("The notes are kept separately; the chart is released.");
    s.keys("\x1b");
    s.wait_for("the rationale", |t| {
        t.contains("  The notes are kept separately")
    });
    s.keys("j");
    let form = s.wait_for("the sign button", |t| t.contains(">[ Sign ]"));
    assert!(form.contains("a practice record as t.lindqvist"), "{form}");
    assert!(form.contains("type: practice"), "{form}");
    assert!(!form.contains("Release in part."), "{form}");
    s.keys("\r");
    let cmp = s.wait_for("the comparison", |t| t.contains("Score "));
    assert!(cmp.contains("Outcome right"), "{cmp}");
    assert!(cmp.contains("found psychotherapy-notes"), "{cmp}");
    assert!(cmp.contains("Release in part."), "{cmp}");
    let log = tmp.path().join("cases/decisions/log/00000001.yaml");
    let record = std::fs::read_to_string(&log).expect("record written");
    assert!(record.contains("type: practice"), "{record}");
    // Esc closes the box saying the record was signed, then goes back to the queue. Each
    // Esc waits for the screen to answer the one before: two sent together can reach the
    // terminal reader as one sequence.
    s.wait_for("the box saying it was signed", |t| {
        t.contains("Signed (Enter")
    });
    s.keys("\x1b");
    s.wait_for("the box closed", |t| !t.contains("Signed (Enter"));
    s.keys("\x1b");
    s.wait_for("the queue", |t| !t.contains("Score ") && t.contains(CASE));
}
