//! End to end: a trainee (the sample library's demo key t.lindqvist) decides a practice
//! case in the real binary in a pseudo-terminal; the advisor stays hidden, a `practice`
//! record is signed, and only then the comparison with the reference is shown.
//! Timeouts are generous bounds for slow machines, never measurements.

use std::path::Path;

use crate::support::pty::{self, Pty};

const CASE: &str = "AR-2026-0101";
const TODAY: &str = "2026-11-23";

fn start(tmp: &Path, cols: u16, rows: u16, reviewer: &str) -> Pty {
    let mut cmd = pty::casebench(&tmp.join("home"));
    let cases = tmp.join("cases");
    cmd.args(["--cases", cases.to_str().unwrap(), "--today", TODAY]);
    cmd.args(["--reviewer", reviewer]);
    cmd.env("CASEBENCH_DATA_DIR", tmp.join("data"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.join("config"));
    cmd.env("SSH_AUTH_SOCK", "");
    cmd.cwd(tmp);
    Pty::spawn(cmd, cols, rows)
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
        crate::support::common::sample_library().join("reviewers"),
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
        crate::support::common::sample_library().join("casebench.yaml"),
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
    // Wait for the whole comparison: the emulator may be seen half way through a frame.
    let cmp = s.wait_for("the comparison", |t| {
        t.contains("Score: ")
            && t.contains("Outcome: right")
            && t.contains("found psychotherapy-notes")
            && t.contains("Release in part.")
    });
    assert!(cmp.contains("Outcome: right"), "{cmp}");
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
