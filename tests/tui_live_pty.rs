//! The live queue, end to end: the workbench in a pseudo-terminal, idle (nothing written),
//! while another process signs a decision; the queue shows the case decided within 1 s,
//! with no key pressed.

mod tui_support;

use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const CASE: &str = "AR-2026-0101";
const WHO: &str = "k.osei@lakeside.example";

/// A case directory with the fixture case and the sample's demo reviewers.
fn cases_dir(tmp: &Path) -> std::path::PathBuf {
    let cases = tmp.join("cases");
    std::fs::create_dir(&cases).unwrap();
    for name in ["AR-2026-0101.yaml", "DC-2026-0007.yaml"] {
        std::fs::copy(tui_support::fixture_dir().join(name), cases.join(name)).unwrap();
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("cases");
    let st = std::process::Command::new("cp")
        .arg("-r")
        .arg(sample.join("reviewers"))
        .arg(&cases)
        .status()
        .unwrap();
    assert!(st.success());
    std::fs::copy(sample.join("casebench.yaml"), cases.join("casebench.yaml")).unwrap();
    cases
}

fn row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(CASE))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn another_process_s_decision_appears_within_a_second_and_idle_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = cases_dir(tmp.path());
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casebench"));
    cmd.args([
        "--cases",
        cases.to_str().unwrap(),
        "--today",
        tui_support::TODAY,
    ]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("CASEBENCH_DATA_DIR", tmp.path().join("data"));
    cmd.env("XDG_STATE_HOME", tmp.path().join("state"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.path().join("config"));
    cmd.cwd(tmp.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let _writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        30u16.try_into().unwrap(),
        120u16.try_into().unwrap(),
        0,
    )));
    let raw = Arc::new(Mutex::new(0usize));
    let (p2, r2) = (parser.clone(), raw.clone());
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p2.lock().unwrap().process(&buf[..n]);
            *r2.lock().unwrap() += n;
        }
    });
    let screen = || parser.lock().unwrap().screen().contents();
    let wait = |what: &str, limit: Duration, cond: &dyn Fn(&str) -> bool| -> String {
        let end = Instant::now() + limit;
        loop {
            let s = screen();
            if cond(&s) {
                return s;
            }
            assert!(Instant::now() < end, "timed out waiting for {what}:\n{s}");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    let s = wait("the queue", Duration::from_secs(20), &|s| {
        s.contains("of 2 cases") && row(s).contains("OVERDUE")
    });
    assert!(!row(&s).contains("decided"), "{s}");
    // Idle: not a byte written.
    std::thread::sleep(Duration::from_millis(500));
    let before = *raw.lock().unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(*raw.lock().unwrap(), before, "output while idle");

    // Another reviewer decides the case from another process.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebench"))
        .env_remove("CASEBENCH_TODAY")
        .env("SSH_AUTH_SOCK", "")
        .env("XDG_STATE_HOME", tmp.path().join("state-other"))
        .args([
            "--cases",
            cases.to_str().unwrap(),
            "--today",
            tui_support::TODAY,
        ])
        .args(["--reviewer", WHO, "decide", CASE])
        .args([
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
        ])
        .args(["--withhold", "notes=psychotherapy-notes"])
        .args([
            "--rationale",
            "The notes are kept separately; the chart is released.",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Drawn only because of the decision: the idle check above saw 0 bytes.
    let s = wait("the decided row", Duration::from_secs(1), &|s| {
        row(s).contains("decided")
    });
    assert!(row(&s).contains("done"), "{s}");
    let _ = child.kill();
    let _ = child.wait();
}
