//! Several sites over a real SSH transport, set up as docs/SITES.md says, from its own
//! blocks (issue 26): a real `sshd` on 127.0.0.1 with its own host key, configuration
//! and port; the git account with git-shell as its login shell (and one with `/bin/sh`);
//! the forced command and the `pre-receive` hook; each site's deploy key and the
//! office's. Over it: the documented commands as written, a per-site key refused on
//! another site's branch, a connection cut mid-push (the push landed) and mid-fetch, and
//! a permanent error that `witness` does not retry. Needs root and sshd; skipped with a
//! message elsewhere (`.ci/run` installs sshd and requires these to run).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::record::*;
use crate::support::sites::*;
use crate::support::sshd::*;

/// The office's compliance officer, as SITES.md names them.
const OFFICER: &str = "c.adeyemi@compliance.example";

/// The server side: the repository and sshd, from SITES.md's blocks.
struct Deployment {
    tmp: tempfile::TempDir,
    repo: PathBuf,
    user: &'static str,
    sshd: Sshd,
}

impl Deployment {
    /// Runs the `server` block for `user` (in a directory holding `casebench-push-as` and
    /// `pre-receive` as the document gives them), then starts sshd.
    fn new(user: &'static str, sshd_extra: &str) -> Deployment {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        open_up(dir);
        std::fs::write(dir.join("casebench-push-as"), block("push-as")).unwrap();
        std::fs::write(dir.join("pre-receive"), block("pre-receive")).unwrap();
        let repo = dir.join("sites.git");
        let o = run_block(
            "server",
            dir,
            &[("GIT_USER", user), ("REPO", repo.to_str().unwrap())],
        );
        assert!(o.status.success(), "server block: {}", stderr(&o));
        let sshd = Sshd::start(dir, sshd_extra);
        Deployment {
            tmp,
            repo,
            user,
            sshd,
        }
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }

    fn url(&self) -> String {
        format!("ssh://{}@{HOST}{}", self.user, self.repo.display())
    }

    /// The account's authorized_keys: SITES.md's lines with these keys.
    fn authorize(&self, keys: &[(&str, &Path)]) {
        self.authorize_text(&authorized_keys(keys));
    }

    fn authorize_text(&self, text: &str) {
        std::fs::write(self.dir().join("authorized").join(self.user), text).unwrap();
    }

    /// `GIT_SSH_COMMAND` for `key` (through `port`, the sshd's unless a proxy's).
    fn ssh(&self, name: &str, key: &Path, port: u16) -> String {
        ssh_command(self.dir(), name, key, port, &self.sshd.known_host)
    }

    fn git(&self, args: &[&str]) -> Output {
        Command::new("git")
            .args(["-c", "safe.directory=*", "-C"])
            .arg(&self.repo)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap()
    }

    fn head(&self, branch: &str) -> Option<String> {
        let o = self.git(&["rev-parse", "--verify", "--quiet", branch]);
        o.status
            .success()
            .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
    }
}

/// A clinic whose sync reaches the deployment with its own key.
struct Site {
    env: Env,
    ssh: String,
}

impl Site {
    fn new(d: &Deployment, site: &str, key: &Path, officer_key: &Path) -> Site {
        let env = Env::new();
        // The office's officer may cosign for this site.
        let mut allowed = std::fs::read_to_string(env.allowed()).unwrap();
        allowed.push_str(&format!(
            "{OFFICER} namespaces=\"casebench-audit\" {}\n",
            pub_line(officer_key)
        ));
        std::fs::write(env.allowed(), allowed).unwrap();
        set_sync(&env, site, &d.url());
        let ssh = d.ssh(site, key, d.sshd.port);
        Site { env, ssh }
    }

    fn sync(&self) -> Output {
        self.sync_via(&self.ssh)
    }

    fn sync_via(&self, ssh: &str) -> Output {
        self.env
            .cmd()
            .arg("sync")
            .env("GIT_SSH_COMMAND", ssh)
            .output()
            .unwrap()
    }
}

/// A fresh deploy key in `dir`.
fn key(dir: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    let k = dir.join("keys").join(name);
    keygen(&k, "");
    k
}

/// The office: a directory with no case directory, the officer's key at
/// `~/.ssh/audit`, and `casebench` on PATH, where SITES.md's office blocks run.
struct Office {
    home: PathBuf,
}

impl Office {
    fn new(d: &Deployment, officer_key: &Path) -> Office {
        let home = d.dir().join("office");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::copy(officer_key, home.join(".ssh/audit")).unwrap();
        Office { home }
    }

    fn mirror(&self) -> PathBuf {
        self.home.join("mirror")
    }

    /// A block of SITES.md as the officer runs it, in the office's directory.
    fn run(&self, d: &Deployment, name: &str, ssh: &str) -> Output {
        let bin = Path::new(env!("CARGO_BIN_EXE_casebench")).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Command::new("sh")
            .arg("-e")
            .arg("-c")
            .arg(block(name))
            .current_dir(&self.home)
            .env_clear()
            .env("PATH", path)
            .env("HOME", &self.home)
            .env("REMOTE", d.url())
            .env("MIRROR", self.mirror())
            .env("GIT_SSH_COMMAND", ssh)
            .output()
            .unwrap()
    }
}

#[test]
fn the_sites_md_setup_works_over_ssh_and_a_key_writes_only_its_own_branch() {
    let _serial = serial();
    if !available("sites_sshd") {
        return;
    }
    let d = Deployment::new(GIT_USER, "");
    let (lakeside, north, office) = (
        key(d.dir(), "lakeside"),
        key(d.dir(), "north"),
        key(d.dir(), "office"),
    );
    d.authorize(&[
        ("lakeside", &lakeside),
        ("north", &north),
        ("office", &office),
    ]);
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    let b = Site::new(&d, "north", &north, &office);
    a.env.fill(3);
    b.env.fill(2);
    for (s, n) in [(&a, "records 1..3"), (&b, "records 1..2")] {
        let o = s.sync();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}{}",
            stdout(&o),
            stderr(&o),
            d.sshd.log()
        );
        assert!(stdout(&o).contains(n), "{}", stdout(&o));
    }
    let north_head = d.head("refs/heads/casebench/sites/north").unwrap();

    // North's log with lakeside's key: the hook declines it, in its own words.
    let imposter = Site {
        env: copy_site(&b.env),
        ssh: d.ssh("imposter", &lakeside, d.sshd.port),
    };
    imposter.env.fill(1);
    let o = imposter.sync();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the server declined the update: this key may not write that branch"),
        "{err}"
    );
    assert!(
        err.contains("remote: this key may only update casebench/sites/lakeside"),
        "{err}"
    );
    assert!(!err.contains("^M") && !err.contains("hint:"), "{err}");
    assert_eq!(
        d.head("refs/heads/casebench/sites/north").unwrap(),
        north_head
    );

    // The office, as SITES.md says: no case directory, the mirror and the key.
    let o_ssh = d.ssh("office", &office, d.sshd.port);
    let off = Office::new(&d, &office);
    let o = off.run(&d, "office", &o_ssh);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("site lakeside: ok"), "{out}");
    assert!(out.contains("site north: ok"), "{out}");
    assert!(!off.home.join("cases").exists());
    let o = off.run(&d, "witness", &o_ssh);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("site lakeside: cosigned head 3"), "{out}");
    assert!(
        out.contains(&format!(
            "casebench/witness/{OFFICER}: published 4 checkpoint file(s)"
        )),
        "{out}"
    );
    // Each site picks its checkpoint up on its next sync, over ssh.
    let o = a.sync();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("witness checkpoint placed: decisions/checkpoints/00000003-"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn the_forced_command_works_under_a_plain_shell_and_the_old_one_fails_clearly() {
    let _serial = serial();
    if !available("sites_sshd") {
        return;
    }
    // The forced command of the first SITES.md, under git-shell: refused by git-shell,
    // said as such instead of "remote unreachable".
    let d = Deployment::new(GIT_USER, "");
    let (lakeside, office) = (key(d.dir(), "lakeside"), key(d.dir(), "office"));
    d.authorize_text(&format!(
        "command=\"CASEBENCH_SITE=lakeside exec git-shell -c \\\"$SSH_ORIGINAL_COMMAND\\\"\",restrict {} lakeside\n",
        pub_line(&lakeside)
    ));
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    a.env.fill(1);
    let o = a.sync();
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the server did not run git for this key"),
        "{err}"
    );
    assert!(err.contains("unrecognized command"), "{err}");
    drop(d);

    // The same lines with a plain login shell, the script on the account's PATH.
    ensure_user(SH_USER, "/bin/sh");
    let bin = tempfile::tempdir().unwrap();
    open_up(bin.path());
    std::fs::write(bin.path().join("casebench-push-as"), block("push-as")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            bin.path().join("casebench-push-as"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    // Where the document puts it (/usr/local/bin) stands this test's own directory.
    let d = Deployment::new(
        SH_USER,
        &format!(
            "Match User {SH_USER}\n  SetEnv PATH={}:/usr/local/bin:/usr/bin:/bin\n",
            bin.path().display()
        ),
    );
    let (lakeside, north, office) = (
        key(d.dir(), "lakeside"),
        key(d.dir(), "north"),
        key(d.dir(), "office"),
    );
    d.authorize(&[
        ("lakeside", &lakeside),
        ("north", &north),
        ("office", &office),
    ]);
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    a.env.fill(2);
    let o = a.sync();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}{}",
        stdout(&o),
        stderr(&o),
        d.sshd.log()
    );
    let imposter = Site {
        env: copy_site(&a.env),
        ssh: d.ssh("imposter", &north, d.sshd.port),
    };
    imposter.env.fill(1);
    let o = imposter.sync();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("this key may only update casebench/sites/north"),
        "{}",
        stderr(&o)
    );
}

/// Replaces the repository's hook with one that waits for `gate/go` (after saying
/// `gate/waiting`) before running the document's hook.
fn gate_hook(d: &Deployment) -> PathBuf {
    let gate = d.dir().join("gate");
    std::fs::create_dir_all(&gate).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&gate, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let hooks = d.repo.join("hooks");
    std::fs::rename(hooks.join("pre-receive"), hooks.join("pre-receive.doc")).unwrap();
    std::fs::write(
        hooks.join("pre-receive"),
        format!(
            "#!/bin/sh\ntouch {g}/waiting\nwhile [ ! -e {g}/go ]; do sleep 0.05; done\nexec {h}/pre-receive.doc\n",
            g = gate.display(),
            h = hooks.display()
        ),
    )
    .unwrap();
    let o = Command::new("chmod")
        .arg("0755")
        .arg(hooks.join("pre-receive"))
        .output()
        .unwrap();
    assert!(o.status.success());
    gate
}

#[test]
fn a_push_cut_off_after_the_remote_took_it_is_recognised_by_the_next_sync() {
    let _serial = serial();
    if !available("sites_sshd") {
        return;
    }
    let d = Deployment::new(GIT_USER, "");
    let (lakeside, office) = (key(d.dir(), "lakeside"), key(d.dir(), "office"));
    d.authorize(&[("lakeside", &lakeside), ("office", &office)]);
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    a.env.fill(2);
    assert_eq!(a.sync().status.code(), Some(0));
    let before = d.head("refs/heads/casebench/sites/lakeside").unwrap();
    a.env.fill(2);
    let gate = gate_hook(&d);

    // The push reaches the server; the client's connection is cut while the server
    // still works on it.
    let child = a
        .env
        .cmd()
        .arg("sync")
        .env("GIT_SSH_COMMAND", &a.ssh)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    wait_until("the push to reach the hook", || {
        gate.join("waiting").exists()
    });
    let ssh = descendants_named(pid, "ssh");
    assert!(!ssh.is_empty(), "no ssh client under the sync");
    for p in ssh {
        // SAFETY: kill has no memory effects; p is a child of this test's process.
        unsafe { libc::kill(p as i32, libc::SIGKILL) };
    }
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("the connection was dropped during the transfer"),
        "{}",
        stderr(&o)
    );
    // The server finishes and takes the push, after the client has gone.
    std::fs::write(gate.join("go"), "").unwrap();
    wait_until("the push to land", || {
        d.head("refs/heads/casebench/sites/lakeside")
            .is_some_and(|h| h != before)
    });

    // No false alarm: the remote holds this site's own records, and sync says so.
    let o = a.sync();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("site lakeside: the remote already held records 3..4, byte for byte"),
        "{out}"
    );
    assert!(out.contains("site lakeside: up to date"), "{out}");
    // Each record arrived once, on a linear branch.
    let log = String::from_utf8(
        d.git(&[
            "log",
            "--format=%P",
            "--name-status",
            "refs/heads/casebench/sites/lakeside",
        ])
        .stdout,
    )
    .unwrap();
    for seq in 1..=4 {
        let added = format!("A\tdecisions/log/{seq:08}.yaml\n");
        assert_eq!(log.matches(&added).count(), 1, "{seq}: {log}");
    }
    a.env.fill(1);
    let o = a.sync();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("published record 5,"), "{}", stdout(&o));
}

#[test]
fn a_fetch_cut_midway_changes_nothing_and_the_next_one_completes() {
    let _serial = serial();
    if !available("sites_sshd") {
        return;
    }
    let d = Deployment::new(GIT_USER, "");
    let (lakeside, office) = (key(d.dir(), "lakeside"), key(d.dir(), "office"));
    d.authorize(&[("lakeside", &lakeside), ("office", &office)]);
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    a.env.fill(120);
    assert_eq!(a.sync().status.code(), Some(0));
    let proxy = Proxy::start(d.sshd.port);
    let via_proxy = d.ssh("office-proxy", &office, proxy.port);
    let off = Office::new(&d, &office);

    // A whole fetch through the relay: how many bytes a fetch of 120 records takes.
    let o = off.run(&d, "office", &via_proxy);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let whole = proxy.down.load(std::sync::atomic::Ordering::SeqCst);
    let snapshot = tree_snapshot(&off.mirror().join("lakeside"));

    // 120 more records; a fetch cut halfway through its transfer.
    a.env.fill(120);
    assert_eq!(a.sync().status.code(), Some(0));
    proxy.reset();
    proxy.cut_after(whole / 2);
    let o = off.run(&d, "office", &via_proxy);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("casebench: sites fetch: nothing was mirrored:")
            && err.contains("the connection was dropped during the transfer"),
        "{err}"
    );
    assert_eq!(
        tree_snapshot(&off.mirror().join("lakeside")),
        snapshot,
        "a cut fetch changed the mirror"
    );
    // The next one completes.
    proxy.cut_after(u64::MAX);
    let o = off.run(&d, "office", &via_proxy);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("site lakeside: 240 record(s): 240 ok"),
        "{}",
        stdout(&o)
    );

    // A sync whose own fetch is cut (its work area made anew: everything to fetch).
    std::fs::remove_dir_all(a.env.cases.join("decisions/sync")).unwrap();
    let site_proxy = d.ssh("lakeside-proxy", &lakeside, proxy.port);
    proxy.reset();
    proxy.cut_after(whole / 2);
    let log_before = log_snapshot(&a.env);
    let o = a.sync_via(&site_proxy);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("the connection was dropped during the transfer"),
        "{}",
        stderr(&o)
    );
    assert_eq!(log_snapshot(&a.env), log_before);
    proxy.cut_after(u64::MAX);
    let o = a.sync_via(&site_proxy);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains(
            "the remote already held records 1..240, byte for byte (this work area is new)"
        ),
        "{}",
        stdout(&o)
    );
}

/// Every file under `dir` with its inode and bytes.
fn tree_snapshot(dir: &Path) -> Vec<(String, u64, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                let m = std::fs::metadata(&p).unwrap();
                out.push((
                    p.strip_prefix(dir).unwrap().display().to_string(),
                    m.ino(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn witness_reports_a_read_only_repository_once_and_does_not_retry() {
    let _serial = serial();
    if !available("sites_sshd") {
        return;
    }
    let d = Deployment::new(GIT_USER, "");
    let (lakeside, office) = (key(d.dir(), "lakeside"), key(d.dir(), "office"));
    d.authorize(&[("lakeside", &lakeside), ("office", &office)]);
    let a = Site::new(&d, "lakeside", &lakeside, &office);
    a.env.fill(2);
    assert_eq!(a.sync().status.code(), Some(0));
    let o_ssh = d.ssh("office", &office, d.sshd.port);
    let off = Office::new(&d, &office);
    assert_eq!(off.run(&d, "office", &o_ssh).status.code(), Some(0));

    // The repository becomes read-only for the git account.
    let chmod = |mode: &str| {
        let o = Command::new("chmod")
            .args(["-R", mode])
            .arg(&d.repo)
            .output()
            .unwrap();
        assert!(o.status.success());
    };
    chmod("a-w");
    let trace = d.dir().join("git-trace");
    let witness = |trace: &Path| {
        crate::support::cli::casebench(&off.home)
            .current_dir(&off.home)
            .args([
                "--reviewer",
                OFFICER,
                "--key",
                ".ssh/audit",
                "witness",
                "--sites",
            ])
            .arg(off.mirror())
            .env("GIT_SSH_COMMAND", &o_ssh)
            .env("GIT_TRACE", trace)
            .output()
            .unwrap()
    };
    let o = witness(&trace);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "casebench: casebench/witness/{OFFICER}: NOT PUBLISHED:"
        )) && err.contains("the server cannot write the repository"),
        "{err}"
    );
    // Cosigned and remembered locally all the same.
    assert!(
        stdout(&o).contains("site lakeside: cosigned head 2"),
        "{}",
        stdout(&o)
    );
    let traced = std::fs::read_to_string(&trace).unwrap();
    assert_eq!(
        traced.matches("built-in: git push ").count(),
        1,
        "a permanent error was retried: {traced}"
    );

    // Writable again: the next run publishes what the failed one could not.
    chmod("u+w");
    let o = witness(&d.dir().join("git-trace-2"));
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("published 2 checkpoint file(s)"),
        "{}",
        stdout(&o)
    );
}
