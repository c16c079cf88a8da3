//! End to end: `casebench audit --sites DIR --tui`, the real binary in a pseudo-terminal
//! (portable-pty) read by a terminal emulator (vt100): the workbench opens on the
//! mirror's audit screen by itself, the site filter works, `q` leaves with status 0.
//! Timeouts are generous bounds for slow machines, never measurements.

mod record_support;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
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

fn wait_for(parser: &Mutex<vt100::Parser>, what: &str, cond: impl Fn(&str) -> bool) {
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        let s = parser.lock().unwrap().screen().contents();
        if cond(&s) {
            return;
        }
        assert!(
            Instant::now() < end,
            "timed out waiting for {what}; screen:\n{s}"
        );
        std::thread::sleep(Duration::from_millis(30));
    }
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

    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casebench"));
    cmd.args(["--today", "2026-04-20", "audit", "--sites"]);
    cmd.arg(&mirror);
    cmd.arg("--tui");
    cmd.env("TERM", "xterm-256color");
    cmd.env("CASEBENCH_CONFIG_DIR", north.tmp.path().join("config"));
    cmd.env("CASEBENCH_DATA_DIR", north.tmp.path().join("data"));
    cmd.env("XDG_STATE_HOME", north.tmp.path().join("state"));
    cmd.cwd(north.tmp.path());
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        30u16.try_into().unwrap(),
        100u16.try_into().unwrap(),
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

    // The report is loaded without a key pressed (the event loop's start-up effect).
    wait_for(&parser, "the mirror's audit", |s| {
        s.contains("Audit of 2 sites (mirror)") && s.contains("5 records of 2 sites verified")
    });
    writer.write_all(b"s").unwrap();
    writer.flush().unwrap();
    wait_for(&parser, "the site filter", |s| {
        s.contains("filters: site north") && s.contains("3 of 5 records")
    });
    writer.write_all(b"q").unwrap();
    writer.flush().unwrap();
    let end = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < end, "q did not leave the workbench");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}
