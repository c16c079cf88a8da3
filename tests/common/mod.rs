//! Helpers shared by the integration tests: fixture directories and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const TODAY: &str = "2026-11-23";

pub fn fixture(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/cases")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The valid access request fixture.
pub fn access() -> String {
    fixture("AR-2026-0101.yaml")
}

/// The valid disclosure concern fixture.
pub fn concern() -> String {
    fixture("DC-2026-0007.yaml")
}

/// A temporary case directory holding the two valid fixtures plus `files`.
pub fn dir_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("AR-2026-0101.yaml"), access()).unwrap();
    std::fs::write(dir.path().join("DC-2026-0007.yaml"), concern()).unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

pub fn casebench(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("casebench")
        .unwrap()
        .env_remove("CASEBENCH_CASES")
        .env_remove("CASEBENCH_TODAY")
        .env("NO_COLOR", "1")
        // This test's memory of the log, inside its directory (never the real home).
        .env("XDG_STATE_HOME", dir.join(".test-state"))
        .arg("--cases")
        .arg(dir)
        .arg("--today")
        .arg(TODAY)
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn path_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Replaces exactly one occurrence of `from` in `src` (panics if absent, so a fixture
/// change cannot silently make a test vacuous).
pub fn edit(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "fixture lacks {from:?}");
    src.replacen(from, to, 1)
}
