//! Helpers of the several-sites tests: the real `git`, local bare repositories
//! configured as docs/SITES.md says, and the casebench commands of a site or a mirror.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casebench::record::Log;
use casebench::record::model::RecordType;

use crate::support::record::*;

pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap()
}

pub fn git_text(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// A bare repository that refuses rewrites and deletions, as docs/SITES.md sets it up.
pub fn bare(path: &Path) {
    let o = Command::new("git")
        .args(["init", "--quiet", "--bare"])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    git_text(path, &["config", "receive.denyNonFastForwards", "true"]);
    git_text(path, &["config", "receive.denyDeletes", "true"]);
}

pub fn set_sync(env: &Env, site: &str, remote: &str) {
    let settings = env.cases.join("casebench.yaml");
    let mut s = std::fs::read_to_string(fixture_dir().join("casebench.yaml")).unwrap();
    s.push_str(&format!("sync:\n  site: {site}\n  remote: {remote}\n"));
    std::fs::write(settings, s).unwrap();
}

pub fn set_sync_after_decide(env: &Env, site: &str, remote: &str) {
    set_sync(env, site, remote);
    let path = env.cases.join("casebench.yaml");
    let mut s = std::fs::read_to_string(&path).unwrap();
    s.push_str("  after_decide: true\n");
    std::fs::write(path, s).unwrap();
}

pub const CONCERN_ARGS: &[&str] = &[
    CONCERN,
    "--outcome",
    "warn_and_protect",
    "--ground",
    "serious-threat",
    "--rationale",
    "Credible threat; warned the named person.",
];

pub const CASE_ARGS: &[&str] = &[
    CASE,
    "--outcome",
    "release_partial",
    "--ground",
    "right-of-access",
    "--withhold",
    "notes=psychotherapy-notes",
    "--rationale",
    "Notes kept separately.",
];

pub fn sync(env: &Env) -> Output {
    env.cmd().arg("sync").output().unwrap()
}

pub fn branch(site: &str) -> String {
    format!("refs/heads/casebench/sites/{site}")
}

/// The head of a site's branch in the bare repository, `None` when absent.
pub fn head(remote: &Path, site: &str) -> Option<String> {
    let o = git(remote, &["rev-parse", "--verify", "--quiet", &branch(site)]);
    o.status
        .success()
        .then(|| String::from_utf8(o.stdout).unwrap().trim().to_string())
}

pub fn tree_files(remote: &Path, rev: &str) -> Vec<String> {
    git_text(remote, &["ls-tree", "-r", "--name-only", rev])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every file of the log directory, with its bytes.
pub fn log_snapshot(env: &Env) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in std::fs::read_dir(env.log()).unwrap() {
        let e = e.unwrap();
        m.insert(
            e.file_name().to_string_lossy().into_owned(),
            std::fs::read(e.path()).unwrap(),
        );
    }
    m
}

/// Appends one practice record with this outcome (so two copies of a site can grow two
/// different ways: records with the same content would be byte-identical).
pub fn append(env: &Env, outcome: &str) {
    let mut log = Log::open(&env.cases, &env.state(T));
    let case = env.load_case(CASE);
    let mut t = env.signer(T);
    log.append(
        &case,
        &draft(RecordType::Practice, T, outcome),
        &mut t,
        now(),
    )
    .unwrap();
}

/// A copy of a whole site (its case directory, keys included) on a "second server".
pub fn copy_site(env: &Env) -> Env {
    let tmp = tempfile::tempdir().unwrap();
    let o = Command::new("cp")
        .arg("-a")
        .arg(&env.cases)
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let cases = tmp.path().join("cases");
    Env { tmp, cases }
}

pub fn remote_in(env: &Env) -> PathBuf {
    env.tmp.path().join("remote.git")
}

pub fn fetch(env: &Env, remote: &str, into: &Path) -> Output {
    env.cmd()
        .args(["sites", "fetch", "--remote", remote, "--into"])
        .arg(into)
        .output()
        .unwrap()
}

pub fn verify_sites(env: &Env, mirror: &Path) -> Output {
    env.cmd()
        .arg("verify")
        .arg("--sites")
        .arg(mirror)
        .output()
        .unwrap()
}

pub fn witness(env: &Env, mirror: &Path) -> Output {
    env.cmd()
        .arg("--reviewer")
        .arg(C)
        .arg("--key")
        .arg(env.key(C))
        .arg("witness")
        .arg("--sites")
        .arg(mirror)
        .output()
        .unwrap()
}
