//! Helpers shared by the bench binaries (included with `#[path]`; not a bench itself).

#![allow(dead_code)] // each bench uses a part

use std::path::{Path, PathBuf};
use std::process::Command;

/// The value of `--name N` on the command line, or `default`.
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The memory of the log kept by the user `who` (their state directory), under `dir`:
/// never the real home.
pub fn state(dir: &Path, who: &str) -> casebench::record::StateDir {
    casebench::record::StateDir::at(&dir.join("state").join(who))
}

/// `dir/cases` holding the case files of `fixture` (a directory under tests/fixtures)
/// and a fresh ed25519 key (`reviewers/key`) that `principal` may use in `namespace`.
pub fn signing_cases(dir: &Path, fixture: &str, principal: &str, namespace: &str) -> PathBuf {
    let cases = dir.join("cases");
    std::fs::create_dir_all(cases.join("reviewers")).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    let key = cases.join("reviewers/key");
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(st.success());
    let pubkey = std::fs::read_to_string(cases.join("reviewers/key.pub")).unwrap();
    std::fs::write(
        cases.join("reviewers/allowed_signers"),
        format!("{principal} namespaces=\"{namespace}\" {}", pubkey.trim()),
    )
    .unwrap();
    cases
}
