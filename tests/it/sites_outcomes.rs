//! What the several-sites commands say and how they end (issue 26): each cause in its
//! own words on standard error with the `casebench:` prefix, git's lines kept one per
//! line without its advice, `--json` on every path, a push that the branch moved under
//! retried (our own records recognised, not a fork), a permanent refusal not retried,
//! an empty remote an error, and a fetch with nothing new that touches nothing.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Output;

use crate::support::record::*;
use crate::support::sites::*;

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}{}", stdout(o), stderr(o)))
}

fn sync_json(env: &Env) -> Output {
    env.cmd().args(["sync", "--json"]).output().unwrap()
}

/// Installs `body` as the remote's pre-receive hook.
fn hook(remote: &Path, body: &str) {
    let p = remote.join("hooks/pre-receive");
    std::fs::write(&p, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn every_outcome_of_sync_is_json_with_json_and_each_seq_is_listed_once() {
    let env = Env::new();
    // Not configured: exit 2, the message on stderr, and a document on stdout.
    let o = sync_json(&env);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("casebench: "), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"], "not_configured");
    // The remote is missing: exit 2, its cause named.
    let remote = remote_in(&env);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(2);
    let o = sync_json(&env);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["error"], "no_repository", "{v}");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("no git repository there"),
        "{v}"
    );
    // Published: each seq once, though a record travels as two files.
    bare(&remote);
    let o = sync_json(&env);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["records"], serde_json::json!([1, 2]), "{v}");
    assert_eq!(v["already_held"], serde_json::json!([]), "{v}");
    assert!(v["files"].as_array().unwrap().len() >= 4, "{v}");
    // A fork: exit 1, said on stderr, and a document naming the seq.
    let copy = copy_site(&env);
    append(&env, "deny");
    assert_eq!(sync(&env).status.code(), Some(0));
    append(&copy, "release_full");
    let o = sync_json(&copy);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("casebench: sync lakeside: refusing to sync: record 3"),
        "{}",
        stderr(&o)
    );
    let v = json(&o);
    assert_eq!(v["error"], "fork_or_rollback");
    assert_eq!(v["seq"], 3);
}

#[test]
fn each_cause_of_a_failed_connection_is_said_in_its_own_words() {
    let env = Env::new();
    env.fill(1);
    // A bad local path.
    set_sync(&env, "lakeside", "../nowhere.git");
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("nowhere.git: no git repository there"),
        "{err}"
    );
    // A refused connection (nothing listens on port 1).
    set_sync(&env, "lakeside", "ssh://127.0.0.1:1/srv/sites.git");
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "casebench: sync lakeside: nothing was published: ssh://127.0.0.1:1/srv/sites.git: \
             cannot connect: the connection was refused"
        ),
        "{err}"
    );
    // git's lines, one per line: no squashed `^M^J`, none of its advice.
    assert!(
        err.contains("\n  ssh: connect to host 127.0.0.1 port 1: Connection refused\n"),
        "{err}"
    );
    for advice in ["^M", "^J", "Please make sure", "access rights", "hint:"] {
        assert!(!err.contains(advice), "{advice}: {err}");
    }
    // A server that refuses the update: its hook's words reach the site.
    let remote = remote_in(&env);
    bare(&remote);
    hook(
        &remote,
        "echo 'this key may only update casebench/sites/north' >&2\nexit 1\n",
    );
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    let o = sync_json(&env);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("the server declined the update: this key may not write that branch"),
        "{err}"
    );
    assert!(
        err.contains("\n  remote: this key may only update casebench/sites/north"),
        "{err}"
    );
    assert_eq!(json(&o)["error"], "declined");
}

#[test]
fn a_push_the_branch_moved_under_is_tried_again_and_our_own_records_are_recognised() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(2);
    assert_eq!(sync(&env).status.code(), Some(0));
    // Record 3 is on two servers of this site, byte for byte; record 4 only here.
    env.fill(1);
    let copy = copy_site(&env);
    env.fill(1);
    let gate = env.tmp.path().join("gate");
    std::fs::create_dir(&gate).unwrap();
    std::fs::write(gate.join("armed"), "").unwrap();
    hook(
        &remote,
        &format!(
            "if [ -e {g}/armed ]; then rm {g}/armed; touch {g}/waiting\n  \
             while [ ! -e {g}/go ]; do sleep 0.05; done; fi\n",
            g = gate.display()
        ),
    );
    // This site's push waits on the server; meanwhile the other copy's push of record 3
    // lands (as a push that was cut off after the remote took it would).
    let child = env
        .cmd()
        .arg("sync")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !gate.join("waiting").exists() {
        assert!(
            std::time::Instant::now() < end,
            "the push never reached the hook"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let o = sync(&copy);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    std::fs::write(gate.join("go"), "").unwrap();
    let o = child.wait_with_output().unwrap();
    // Not the false alarm of a refused update: fetched again, compared again, pushed.
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("site lakeside: the remote already held record 3, byte for byte"),
        "{out}"
    );
    assert!(out.contains("site lakeside: published record 4,"), "{out}");
    let files = tree_files(&remote, &branch("lakeside"));
    assert!(files.contains(&"decisions/log/00000004.yaml".to_string()));
    // The branch stays linear.
    let parents = git_text(&remote, &["log", "--format=%P", &branch("lakeside")]);
    assert!(
        parents.lines().all(|l| l.split(' ').count() <= 1),
        "{parents}"
    );
}

#[test]
fn witness_does_not_retry_a_refusal_that_will_not_change() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "north", remote.to_str().unwrap());
    env.fill(2);
    assert_eq!(sync(&env).status.code(), Some(0));
    let mirror = env.tmp.path().join("mirror");
    assert_eq!(
        fetch(&env, remote.to_str().unwrap(), &mirror).status.code(),
        Some(0)
    );
    let count = env.tmp.path().join("pushes");
    hook(
        &remote,
        &format!(
            "echo x >> {}\necho 'this key may not push' >&2\nexit 1\n",
            count.display()
        ),
    );
    let o = env
        .cmd()
        .args(["--reviewer", C, "--key"])
        .arg(env.key(C))
        .args(["witness", "--json", "--sites"])
        .arg(&mirror)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("NOT PUBLISHED:") && stderr(&o).contains("the server declined"),
        "{}",
        stderr(&o)
    );
    let v = json(&o);
    assert_eq!(v["published"]["ok"], false, "{v}");
    assert_eq!(v["sites"][0]["state"], "cosigned", "{v}");
    assert_eq!(
        std::fs::read_to_string(&count).unwrap().lines().count(),
        1,
        "the refusal was retried"
    );
}

#[test]
fn an_empty_remote_and_an_empty_mirror_are_errors_in_json_too() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    let mirror = env.tmp.path().join("mirror");
    let o = env
        .cmd()
        .args(["sites", "fetch", "--json", "--remote"])
        .arg(&remote)
        .arg("--into")
        .arg(&mirror)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("no site has published yet"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(&o)["error"], "no_site");
    // The next step agrees: an empty mirror is an error too, in every format.
    for args in [
        &["verify", "--json", "--sites"][..],
        &["audit", "--format", "json", "--sites"][..],
        &["witness", "--json", "--sites"][..],
    ] {
        let o = env
            .cmd()
            .args(["--reviewer", C, "--key"])
            .arg(env.key(C))
            .args(args)
            .arg(&mirror)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?}: {}{}",
            stdout(&o),
            stderr(&o)
        );
        assert!(stderr(&o).contains("no mirrored site"), "{}", stderr(&o));
        assert_eq!(json(&o)["ok"], false, "{args:?}");
    }
    // An unreachable remote in JSON.
    let o = env
        .cmd()
        .args([
            "sites",
            "fetch",
            "--json",
            "--remote",
            "ssh://127.0.0.1:1/x.git",
            "--into",
        ])
        .arg(&mirror)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json(&o)["error"], "connection_refused");
}

/// Every file under `dir` but the lock `verify` takes: path, inode and change time (a
/// link or a rewrite moves it).
fn stat_tree(dir: &Path) -> Vec<(String, u64, i64, i64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else if e.file_name() != "LOCK" {
                let m = e.metadata().unwrap();
                out.push((
                    e.path().strip_prefix(dir).unwrap().display().to_string(),
                    m.ino(),
                    m.ctime(),
                    m.ctime_nsec(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_fetch_with_nothing_new_touches_nothing_and_a_grown_site_writes_only_its_new_files() {
    let north = Env::new();
    let south = Env::new();
    let remote = remote_in(&north);
    bare(&remote);
    set_sync(&north, "north", remote.to_str().unwrap());
    set_sync(&south, "south", remote.to_str().unwrap());
    north.fill(3);
    south.fill(2);
    assert_eq!(sync(&north).status.code(), Some(0));
    assert_eq!(sync(&south).status.code(), Some(0));
    let mirror = north.tmp.path().join("mirror");
    let fetch_json = || {
        let o = north
            .cmd()
            .args(["sites", "fetch", "--json", "--remote"])
            .arg(&remote)
            .arg("--into")
            .arg(&mirror)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
        json(&o)
    };
    let v = fetch_json();
    assert_eq!(v["sites"][0]["state"], "new", "{v}");
    let (n0, s0) = (
        stat_tree(&mirror.join("north")),
        stat_tree(&mirror.join("south")),
    );

    // Nothing new: nothing rewritten, nothing linked (same inodes, same change times).
    let v = fetch_json();
    for s in 0..2 {
        assert_eq!(v["sites"][s]["state"], "unchanged", "{v}");
        assert_eq!(v["sites"][s]["written"], 0, "{v}");
    }
    assert_eq!(stat_tree(&mirror.join("north")), n0);
    assert_eq!(stat_tree(&mirror.join("south")), s0);

    // North grows by two records: only their four files are written, its other files
    // are not touched (same inodes, same change times); south is not touched at all.
    north.fill(2);
    assert_eq!(sync(&north).status.code(), Some(0));
    let v = fetch_json();
    assert_eq!(v["sites"][0]["site"], "north");
    assert_eq!(v["sites"][0]["state"], "updated", "{v}");
    assert_eq!(v["sites"][0]["written"], 4, "{v}");
    assert_eq!(v["sites"][1]["state"], "unchanged", "{v}");
    assert_eq!(stat_tree(&mirror.join("south")), s0);
    let n1 = stat_tree(&mirror.join("north"));
    for old in &n0 {
        let now = n1.iter().find(|(p, ..)| *p == old.0).expect(&old.0);
        assert_eq!(now, old, "{} was touched", old.0);
    }
    assert_eq!(n1.len(), n0.len() + 4);
    let o = verify_sites(&north, &mirror);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));

    // A branch gone from the server: its last copy is kept, and said.
    git_text(&remote, &["update-ref", "-d", &branch("south")]);
    let o = fetch(&north, remote.to_str().unwrap(), &mirror);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("warning: site south: its branch is no longer on the remote"),
        "{}",
        stdout(&o)
    );
    assert_eq!(stat_tree(&mirror.join("south")), s0);
}
