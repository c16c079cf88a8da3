//! docs/DEPLOY.md, tested as far as a test can: its set-up script gives the modes it
//! promises and casebench then writes group-readable records into the inherited group
//! whatever the umask (root only: it changes owners); its backup waits for a writer's
//! lock and restores to a log that verifies; its sshd configuration parses and applies
//! to a member (where sshd is installed). The blocks are read from the document itself.

use crate::support::record as record_support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use record_support::*;

/// The code block that follows `<!-- deploy-test: NAME -->` in docs/DEPLOY.md.
pub(crate) fn block(name: &str) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/DEPLOY.md"))
        .unwrap();
    let marker = format!("<!-- deploy-test: {name} -->");
    let at = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("DEPLOY.md lacks {marker}"));
    let rest = &doc[at + marker.len()..];
    let open = rest.find("```").expect("a code block after the marker");
    let body = &rest[open..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("\n```").expect("the block's end")].to_string() + "\n"
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

/// A group other than root's own, so that inheriting it shows: `users` (gid 100 on
/// Debian and most distributions).
fn other_group() -> Option<(String, u32)> {
    let name = std::ffi::CString::new("users").unwrap();
    // SAFETY: a valid NUL-terminated name; the result is read at once.
    let g = unsafe { libc::getgrnam(name.as_ptr()) };
    // SAFETY: non-null means a valid group entry.
    (!g.is_null()).then(|| ("users".to_string(), unsafe { (*g).gr_gid }))
}

#[test]
fn the_setup_script_gives_the_promised_modes_and_records_inherit_the_group() {
    if !is_root() {
        eprintln!("skipped: the set-up script of docs/DEPLOY.md chowns to root (run as root)");
        return;
    }
    let Some((group, gid)) = other_group() else {
        eprintln!("skipped: no group `users` to stand for the clinic group");
        return;
    };
    let env = Env::new();
    let out = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(block("setup"))
        .env("CASES", &env.cases)
        .env("GROUP", &group)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&env.cases), 0o3770);
    assert_eq!(mode(&env.cases.join("reviewers")), 0o2750);
    assert_eq!(mode(&env.allowed()), 0o640);
    assert_eq!(mode(&env.cases.join("reviewers/reviewers.yaml")), 0o640);
    // Every directory of the log, root's (a member who owned one could delete anyone's
    // records in it).
    for (d, m) in [
        ("decisions", 0o3770),
        ("decisions/log", 0o3770),
        ("decisions/checkpoints", 0o3770),
        ("decisions/policies", 0o3770),
        ("decisions/staging", 0o2770),
    ] {
        let p = env.cases.join(d);
        assert_eq!(mode(&p), m, "{d}");
        let meta = std::fs::metadata(&p).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (0, gid), "{d}");
    }
    assert_eq!(mode(&env.cases.join("decisions/LOCK")), 0o660);
    // The script kept the policy it found (touch, not truncate): casebench still works.
    // A member with the most private umask decides: the record is still the group's.
    let mut cmd = env.cmd();
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: umask is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                libc::umask(0o077);
                Ok(())
            });
        }
    }
    let o = cmd
        .args(["--reviewer", A, "--key"])
        .arg(env.key(A))
        .args(["decide", CASE, "--outcome", "release_partial"])
        .args([
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
        ])
        .args(["--rationale", "Set up."])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    for (p, m) in [
        (env.record(1), 0o640),
        (env.sig(1), 0o640),
        (env.log(), 0o3770),
        (env.cases.join("decisions/staging"), 0o2770),
    ] {
        assert_eq!(mode(&p), m, "{}", p.display());
        assert_eq!(std::fs::metadata(&p).unwrap().gid(), gid, "{}", p.display());
    }
    // Running the script again (an upgrade, say) changes nothing casebench wrote.
    let before = std::fs::read(env.record(1)).unwrap();
    let out = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(block("setup"))
        .env("CASES", &env.cases)
        .env("GROUP", &group)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&env.cases.join("decisions/LOCK")), 0o660);
    assert_eq!(std::fs::read(env.record(1)).unwrap(), before);
}

#[test]
fn the_backup_waits_for_a_writer_and_restores_to_a_log_that_verifies() {
    let env = Env::new();
    env.fill(3);
    let backup = env.tmp.path().join("backup.tar.gz");
    // A writer holds the lock: the backup must wait for it.
    let lock = env.cases.join("decisions/LOCK");
    let guard = casebench::store::lock::LockGuard::exclusive(&lock, 0o660).unwrap();
    let mut child = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(block("backup"))
        .env("CASES", &env.cases)
        .env("BACKUP", &backup)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the backup did not wait for the lock"
    );
    assert!(!backup.exists() || std::fs::metadata(&backup).unwrap().len() == 0);
    drop(guard);
    let end = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < end, "the backup did not finish");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    // Restored elsewhere, keeping modes: every record verifies.
    let restore = env.tmp.path().join("restore");
    std::fs::create_dir(&restore).unwrap();
    let out = Command::new("tar")
        .arg("-xpzf")
        .arg(&backup)
        .arg("-C")
        .arg(&restore)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = restore.join("cases");
    assert_eq!(mode(&restored.join("decisions/log")), mode(&env.log()));
    let v = crate::support::cli::casebench(crate::support::cli::shared_home())
        .arg("--cases")
        .arg(&restored)
        .env("CASEBENCH_TODAY", TODAY)
        .arg("verify")
        .output()
        .unwrap();
    assert!(v.status.success(), "{}{}", stdout(&v), stderr(&v));
    assert!(stdout(&v).contains("3 record(s): 3 ok"), "{}", stdout(&v));
}

/// `sshd`: `$CASEBENCH_TEST_SSHD`, else `/usr/sbin/sshd`.
fn sshd() -> Option<std::path::PathBuf> {
    std::env::var_os("CASEBENCH_TEST_SSHD")
        .map(Into::into)
        .or_else(|| Some("/usr/sbin/sshd".into()))
        .filter(|p: &std::path::PathBuf| p.exists())
}

fn user_and_group() -> (String, String) {
    // SAFETY: getpwuid/getgrgid return static entries, read at once.
    unsafe {
        let pw = libc::getpwuid(libc::geteuid());
        assert!(!pw.is_null());
        let user = std::ffi::CStr::from_ptr((*pw).pw_name)
            .to_string_lossy()
            .into_owned();
        let gr = libc::getgrgid((*pw).pw_gid);
        assert!(!gr.is_null());
        let group = std::ffi::CStr::from_ptr((*gr).gr_name)
            .to_string_lossy()
            .into_owned();
        (user, group)
    }
}

#[test]
fn the_sshd_configuration_parses_and_applies_to_a_member() {
    let Some(sshd) = sshd() else {
        eprintln!(
            "skipped: sshd is not installed (set CASEBENCH_TEST_SSHD to test DEPLOY.md's sshd_config)"
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let hostkey = tmp.path().join("hostkey");
    keygen(&hostkey, "");
    // This account and its group stand for `arivera` and `clinic`.
    let (user, group) = user_and_group();
    let snippet = block("sshd_config");
    assert!(snippet.contains("Match User arivera") && snippet.contains("Match Group clinic"));
    let snippet = snippet
        .replace("Match User arivera", &format!("Match User {user}"))
        .replace("Match Group clinic", &format!("Match Group {group}"));
    let cfg = tmp.path().join("sshd_config");
    std::fs::write(&cfg, format!("HostKey {}\n{snippet}", hostkey.display())).unwrap();
    let t = Command::new(&sshd)
        .arg("-t")
        .arg("-f")
        .arg(&cfg)
        .output()
        .unwrap();
    let err = stderr(&t);
    if err.contains("Privilege separation user") || err.contains("privilege separation directory") {
        eprintln!("skipped: sshd cannot run its checks here ({})", err.trim());
        return;
    }
    assert!(t.status.success(), "sshd -t: {err}");
    let o = Command::new(&sshd)
        .arg("-T")
        .arg("-f")
        .arg(&cfg)
        .arg("-C")
        .arg(format!("user={user},host=laptop,addr=192.0.2.10"))
        .output()
        .unwrap();
    assert!(o.status.success(), "sshd -T: {}", stderr(&o));
    let eff = stdout(&o);
    for line in [
        "forcecommand /usr/local/bin/casebench --cases /srv/casebench/cases ssh",
        "setenv CASEBENCH_REVIEWER=a.rivera@lakeside.example",
        "allowagentforwarding yes",
        "allowtcpforwarding no",
        "x11forwarding no",
        "permituserrc no",
        "clientaliveinterval 30",
        "clientalivecountmax 4",
    ] {
        assert!(
            eff.lines().any(|l| l == line),
            "missing `{line}` in:\n{eff}"
        );
    }
}

/// Section 1b's files, written into a fresh directory as docs/DEPLOY.md shows (without
/// the set-up, which only changes owners): a real clinic's directory that `check` and
/// `list` accept, with no `library:` or `as_of:` (its deadlines run on the calendar),
/// and a `reviewers.yaml` in the documented format.
#[test]
fn the_directory_s_files_as_documented_are_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir_all(cases.join("reviewers")).unwrap();
    let out = Command::new("sh")
        .arg("-e")
        .arg("-c")
        .arg(block("fill"))
        .env("CASES", &cases)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let settings = std::fs::read_to_string(cases.join("casebench.yaml")).unwrap();
    assert!(
        !settings.contains("as_of") && !settings.contains("library"),
        "{settings}"
    );
    // A case as `casebench new` would add it, so that there is something to check.
    std::fs::copy(
        crate::support::common::sample_library().join("AR-2026-0102.yaml"),
        cases.join("AR-2026-0102.yaml"),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    for args in [&["check"][..], &["list", "--json"][..]] {
        let o = crate::support::cli::casebench(home.path())
            .arg("--cases")
            .arg(&cases)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        );
    }
    let reviewers = casebench::record::reviewers::load(&cases).unwrap();
    let r = reviewers
        .get("a.rivera@lakeside.example")
        .expect("the documented reviewer");
    assert!(r.licensed && r.key.is_none());
}
