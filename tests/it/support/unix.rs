//! Real Unix users and groups for the tests of a directory shared by a clinic's members
//! (root only: they create users; elsewhere the callers skip with a message).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

pub fn is_root() -> bool {
    // SAFETY: geteuid never fails.
    unsafe { libc::geteuid() == 0 }
}

/// Whether users can be made here (root, with `useradd`); says why not otherwise.
pub fn can_make_users() -> bool {
    if !is_root() || Command::new("useradd").arg("--help").output().is_err() {
        eprintln!("SKIPPED: needs root and useradd to create other Unix users");
        return false;
    }
    true
}

fn exists(db: &str, name: &str) -> bool {
    Command::new("getent")
        .args([db, name])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// One test at a time creates users (two `groupadd` of one name would race).
static MAKING: Mutex<()> = Mutex::new(());

/// Makes `group` and each user (without a home; in `group` when asked) if missing. They
/// stay: making them again is a no-op.
pub fn ensure_users(group: &str, users: &[(&str, bool)]) {
    let _one = MAKING.lock().unwrap_or_else(|e| e.into_inner());
    if !exists("group", group) {
        let st = Command::new("groupadd").arg(group).status().unwrap();
        assert!(st.success() || exists("group", group));
    }
    for (u, in_group) in users {
        if !exists("passwd", u) {
            let mut c = Command::new("useradd");
            c.args(["-M", "-N", "-s", "/bin/sh"]);
            if *in_group {
                c.args(["-G", group]);
            }
            let st = c.arg(u).status().unwrap();
            assert!(st.success() || exists("passwd", u));
        }
    }
}

pub fn uid_gid(name: &str) -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let o = Command::new("id").args([flag, name]).output().unwrap();
        String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
    };
    (id("-u"), id("-g"))
}

pub fn group_gid(group: &str) -> u32 {
    let o = Command::new("getent")
        .args(["group", group])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .split(':')
        .nth(2)
        .unwrap()
        .parse()
        .unwrap()
}

pub fn chown(path: &Path, uid: u32, gid: u32) {
    std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
}

pub fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Every path under `dir` (itself first).
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![dir.to_path_buf()];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if std::fs::symlink_metadata(&p).unwrap().is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A home of `user`'s own (0700) under `root`, with a copy of `key` as `home/key` (0600).
pub fn home_with_key(root: &Path, user: &str, key: &Path) -> PathBuf {
    let home = root.join(format!("home-{user}"));
    std::fs::create_dir_all(&home).unwrap();
    let copy = home.join("key");
    std::fs::copy(key, &copy).unwrap();
    chmod(&copy, 0o600);
    let (uid, gid) = uid_gid(user);
    chown(&home, uid, gid);
    chown(&copy, uid, gid);
    chmod(&home, 0o700);
    home
}

/// `bin ARGS` as `user`, with `home` as their home and nothing of this process's user
/// directories (their memory of the log is theirs).
pub fn run_as(user: &str, home: &Path, bin: &Path, envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new("runuser");
    c.args(["-u", user, "--", "env"]);
    for v in [
        "XDG_STATE_HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
        "CASEBENCH_DATA_DIR",
        "CASEBENCH_CONFIG_DIR",
        "SSH_AUTH_SOCK",
    ] {
        c.args(["-u", v]);
    }
    c.arg(format!("HOME={}", home.display()));
    for (k, v) in envs {
        c.arg(format!("{k}={v}"));
    }
    c.arg(bin).args(args).output().unwrap()
}

/// `sh -c SCRIPT` as `user`.
pub fn sh_as(user: &str, script: &str) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", "sh", "-c", script])
        .output()
        .unwrap()
}
