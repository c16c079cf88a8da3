//! The one way the tests start the `casebench` binary, generate keys and read output.
//!
//! Nothing of the caller's environment reaches the binary: not their identity, case
//! directory, day, agent, themes, drafts, or each user's own state (the memory of the log
//! a user has verified). Every directory the binary may write for "the user" lives under
//! the `home` the caller gives, so tests never touch the real home and never see each
//! other's state.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Variables that change what casebench does, removed from every run.
pub const AMBIENT: &[&str] = &[
    "CASEBENCH_CASES",
    "CASEBENCH_TODAY",
    "CASEBENCH_KEY",
    "CASEBENCH_REVIEWER",
    "CASEBENCH_ASKPASS",
    "CASEBENCH_CONFIG_DIR",
    "CASEBENCH_DATA_DIR",
    "CASEBENCH_STATE_DIR",
    "SSH_AUTH_SOCK",
    "NO_COLOR",
    "COLORTERM",
];

/// `casebench` with a clean environment whose user directories are under `home`.
pub fn casebench(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_casebench"));
    for v in AMBIENT {
        c.env_remove(v);
    }
    for (var, sub) in user_dirs() {
        c.env(var, home.join(sub));
    }
    c
}

/// The variables that place a user's directories, and where under `home` they go.
pub fn user_dirs() -> [(&'static str, &'static str); 5] {
    [
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_CACHE_HOME", ".cache"),
    ]
}

/// One home for the runs of this test process that keep no state of their own worth
/// isolating (checking, advising and listing fixture directories without a log).
pub fn shared_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// A home of its own for one simulated user inside a test's temporary directory.
pub fn home_in(tmp: &Path, who: &str) -> PathBuf {
    tmp.join("homes").join(who)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh ed25519 key at `path` (and `path.pub`) with passphrase `pass`.
pub fn keygen(path: &Path, pass: &str) {
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-C", "test", "-N", pass, "-f"])
        .arg(path)
        .status()
        .expect("ssh-keygen must be installed (openssh-client)");
    assert!(st.success());
}
