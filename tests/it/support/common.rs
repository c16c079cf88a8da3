//! Helpers shared by the integration tests: fixture directories and running the binary.

use std::path::{Path, PathBuf};
use std::process::Output;

pub use super::cli::{stderr, stdout};

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
    super::cli::casebench(super::cli::shared_home())
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

pub fn path_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Replaces exactly one occurrence of `from` in `src` (panics if absent, so a fixture
/// change cannot silently make a test vacuous).
pub fn edit(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "fixture lacks {from:?}");
    src.replacen(from, to, 1)
}

/// The sample library as the checkout holds it, without what anyone signed in it
/// (`decisions/`, git-ignored): a copy made once per test process, to read. Tests never
/// read the checkout's `cases/` itself, whatever a newcomer did there.
pub fn sample_library() -> &'static Path {
    static COPY: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &COPY
        .get_or_init(|| {
            let tmp = tempfile::tempdir().unwrap();
            let cases = tmp.path().join("cases");
            copy_library(&cases);
            (tmp, cases)
        })
        .1
}

/// A fresh copy of the sample library (reviewers and demo keys included, no decisions)
/// at `tmp/cases`, to sign in.
pub fn sample_library_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_library(&tmp.path().join("cases"));
    tmp
}

/// The checkout's `cases/` copied to `to`, without `decisions/`.
pub fn copy_library(to: &Path) {
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("cases"), to);
}

/// `from` copied to `to` recursively (files and folders), leaving out any `decisions/`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name == "decisions" {
            continue;
        }
        let ty = e.file_type().unwrap();
        if ty.is_dir() {
            copy_dir(&e.path(), &to.join(&name));
        } else if ty.is_file() {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// The day a signed record is dated by: the local calendar day of its `time:` (the one
/// clock's `Clock::day_of`), read from the record file itself, so a test compares a
/// date with the record's own instant, never with the wall clock.
pub fn record_day(record: &Path) -> String {
    let text = std::fs::read_to_string(record).unwrap();
    let time = text
        .lines()
        .find_map(|l| l.strip_prefix("time: "))
        .unwrap_or_else(|| panic!("{} has no time", record.display()));
    let t = chrono::DateTime::parse_from_rfc3339(time.trim()).unwrap();
    casebench::clock::Clock::day_of(t.with_timezone(&chrono::Utc)).to_string()
}
