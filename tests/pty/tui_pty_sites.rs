//! End to end: `casebench audit --sites DIR --tui`, the real binary in a pseudo-terminal
//! (portable-pty) read by a terminal emulator (vt100): the workbench opens on the
//! mirror's audit screen by itself, the site filter works, `q` leaves with status 0.
//! Timeouts are generous bounds for slow machines, never measurements.

use crate::support::record as record_support;

use std::path::Path;
use std::time::Duration;

use crate::support::pty::{self, PATIENCE, Pty};
use record_support::Env;

/// What `sites fetch` leaves for one site: its `decisions/` and allowed_signers.
fn mirror_site(env: &Env, mirror: &Path, site: &str) {
    let dest = mirror.join(site);
    std::fs::create_dir_all(dest.join("reviewers")).unwrap();
    std::fs::copy(env.allowed(), dest.join("reviewers/allowed_signers")).unwrap();
    let o = std::process::Command::new("cp")
        .arg("-a")
        .arg(env.cases.join("decisions"))
        .arg(&dest)
        .output()
        .unwrap();
    assert!(o.status.success());
}

#[test]
fn the_mirror_opens_in_the_audit_screen_and_q_leaves() {
    let north = Env::new();
    let south = Env::new();
    north.fill(3);
    south.fill(2);
    let mirror = north.tmp.path().join("mirror");
    mirror_site(&north, &mirror, "north");
    mirror_site(&south, &mirror, "south");

    let mut cmd = pty::casebench(&north.home());
    cmd.args(["--today", "2026-04-20", "audit", "--sites"]);
    cmd.arg(&mirror);
    cmd.arg("--tui");
    cmd.env("CASEBENCH_CONFIG_DIR", north.tmp.path().join("config"));
    cmd.env("CASEBENCH_DATA_DIR", north.tmp.path().join("data"));
    cmd.cwd(north.tmp.path());
    let mut term = Pty::spawn(cmd, 100, 30);

    // The report is loaded without a key pressed (the event loop's start-up effect).
    term.wait_within("the mirror's audit", Duration::from_secs(30), |s| {
        s.contains("Audit of 2 sites (mirror)") && s.contains("5 records of 2 sites verified")
    });
    term.keys("s");
    term.wait_for("the site filter", |s| {
        s.contains("filters: site north") && s.contains("3 of 5 records")
    });
    term.keys("q");
    let status = term.exit_code_within(PATIENCE);
    assert_eq!(
        status,
        Some(0),
        "q did not leave the workbench with status 0"
    );
}
