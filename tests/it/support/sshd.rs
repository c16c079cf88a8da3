//! A real OpenSSH server on 127.0.0.1 for the several-sites tests, set up from
//! docs/SITES.md's own blocks: its own host key, configuration, port and log, run in the
//! foreground (`sshd -D`) and killed when dropped. It needs root (sshd switches to the
//! git account) and `sshd` (`openssh-server`, which `.ci/run` installs); elsewhere the
//! tests skip with a message, unless `CASEBENCH_REQUIRE_SSHD=1` (set by `.ci/run`) makes
//! that a failure.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::cli::{keygen, stderr};

/// The git account of docs/SITES.md (login shell git-shell), made by its `server` block.
pub const GIT_USER: &str = "cbtest-git";
/// The same account with a plain login shell, `/bin/sh`.
pub const SH_USER: &str = "cbtest-gitsh";
/// The host name the tests' URLs use (the client's configuration sends it to 127.0.0.1).
pub const HOST: &str = "compliance.test";

/// The code block that follows `<!-- sites-test: NAME -->` in docs/SITES.md.
pub fn block(name: &str) -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/SITES.md"))
        .unwrap();
    let marker = format!("<!-- sites-test: {name} -->");
    let at = doc
        .find(&marker)
        .unwrap_or_else(|| panic!("SITES.md lacks {marker}"));
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

/// `sshd`: `$CASEBENCH_TEST_SSHD`, else `/usr/sbin/sshd` (an absolute path: sshd
/// re-executes itself).
pub fn sshd_binary() -> Option<PathBuf> {
    std::env::var_os("CASEBENCH_TEST_SSHD")
        .map(PathBuf::from)
        .or_else(|| Some("/usr/sbin/sshd".into()))
        .filter(|p| p.is_file())
}

fn which(name: &str) -> Option<PathBuf> {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .ok()?;
    let p = String::from_utf8_lossy(&o.stdout).trim().to_string();
    (o.status.success() && !p.is_empty()).then(|| p.into())
}

/// Whether the sshd tests can run here; prints why not (and fails instead when
/// `CASEBENCH_REQUIRE_SSHD=1`).
pub fn available(test: &str) -> bool {
    let why = if !is_root() {
        Some("needs root (sshd switches to the git account)".to_string())
    } else if sshd_binary().is_none() {
        Some("sshd is not installed (apt-get install openssh-server; .ci/run does)".to_string())
    } else if which("git-shell").is_none() {
        Some("git-shell is not installed".to_string())
    } else if which("useradd").is_none() {
        Some("useradd is not installed".to_string())
    } else {
        None
    };
    match why {
        None => true,
        Some(w) if std::env::var_os("CASEBENCH_REQUIRE_SSHD").is_some_and(|v| v == "1") => {
            panic!("{test}: CASEBENCH_REQUIRE_SSHD=1 but {w}")
        }
        Some(w) => {
            eprintln!("SKIPPED {test}: {w}");
            false
        }
    }
}

/// The sshd tests run one at a time: they share the git accounts and their homes.
pub fn serial() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Runs a block of docs/SITES.md with `sh -e`, in `dir`, with `vars`.
pub fn run_block(name: &str, dir: &Path, vars: &[(&str, &str)]) -> Output {
    let mut c = Command::new("sh");
    c.arg("-e").arg("-c").arg(block(name)).current_dir(dir);
    for (k, v) in vars {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// Makes `path` and every directory above it up to `/` traversable by the git account
/// (temporary directories are 0700).
pub fn open_up(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut p = Some(path);
    while let Some(d) = p {
        if d == Path::new("/") || d == Path::new("/tmp") {
            break;
        }
        let mode = std::fs::metadata(d).unwrap().permissions().mode();
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(mode | 0o755)).unwrap();
        p = d.parent();
    }
}

/// A running sshd, killed when dropped.
pub struct Sshd {
    child: Child,
    pub port: u16,
    log: PathBuf,
    /// `compliance.test ssh-ed25519 AAAA…`: the line of the client's known_hosts.
    pub known_host: String,
}

impl Sshd {
    /// Starts sshd in `dir` with `extra` configuration lines after the test's own.
    /// Keys are read from `dir/authorized/<user>`.
    pub fn start(dir: &Path, extra: &str) -> Sshd {
        let sshd = sshd_binary().expect("sshd");
        // sshd run by root wants its privilege separation directory.
        std::fs::create_dir_all("/run/sshd").unwrap();
        let host_key = dir.join("host_key");
        if !host_key.exists() {
            keygen(&host_key, "");
        }
        std::fs::create_dir_all(dir.join("authorized")).unwrap();
        let host_pub = std::fs::read_to_string(dir.join("host_key.pub")).unwrap();
        let host_pub: Vec<&str> = host_pub.split_whitespace().take(2).collect();
        let known_host = format!("{HOST} {}", host_pub.join(" "));
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let cfg = dir.join("sshd_config");
            std::fs::write(
                &cfg,
                format!(
                    "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile none\n\
                     AuthorizedKeysFile {ak}/%u\nStrictModes no\nUsePAM no\n\
                     PasswordAuthentication no\nKbdInteractiveAuthentication no\n\
                     PubkeyAuthentication yes\nPermitRootLogin no\nAllowUsers {GIT_USER} {SH_USER}\n\
                     PrintMotd no\nLogLevel VERBOSE\n{extra}",
                    hk = host_key.display(),
                    ak = dir.join("authorized").display(),
                ),
            )
            .unwrap();
            let t = Command::new(&sshd)
                .arg("-t")
                .arg("-f")
                .arg(&cfg)
                .output()
                .unwrap();
            assert!(t.status.success(), "sshd -t: {}", stderr(&t));
            let log = dir.join("sshd.log");
            let child = Command::new(&sshd)
                .args(["-D", "-e", "-f"])
                .arg(&cfg)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .unwrap();
            let mut s = Sshd {
                child,
                port,
                log,
                known_host: known_host.clone(),
            };
            if s.wait_listening() {
                return s;
            }
            last = s.log();
        }
        panic!("sshd did not start: {last}");
    }

    fn wait_listening(&mut self) -> bool {
        let end = Instant::now() + Duration::from_secs(20);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// What sshd logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An ssh client configuration that reaches `HOST` at 127.0.0.1:`port` with `key` only,
/// never asking anything; returns the `GIT_SSH_COMMAND` that uses it.
pub fn ssh_command(dir: &Path, name: &str, key: &Path, port: u16, known_host: &str) -> String {
    let known = dir.join(format!("known_hosts_{name}"));
    std::fs::write(&known, format!("{known_host}\n")).unwrap();
    let cfg = dir.join(format!("ssh_config_{name}"));
    std::fs::write(
        &cfg,
        format!(
            "Host {HOST}\n  HostName 127.0.0.1\n  Port {port}\n  HostKeyAlias {HOST}\n  \
             UserKnownHostsFile {}\n  StrictHostKeyChecking yes\n  BatchMode yes\n  \
             IdentitiesOnly yes\n  IdentityFile {}\n  LogLevel ERROR\n  ConnectTimeout 20\n",
            known.display(),
            key.display()
        ),
    )
    .unwrap();
    format!("ssh -F {}", cfg.display())
}

/// The public key line (`ssh-ed25519 AAAA…`) of the key at `key`.
pub fn pub_line(key: &Path) -> String {
    let s = std::fs::read_to_string(format!("{}.pub", key.display())).unwrap();
    s.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

/// SITES.md's authorized_keys block with each `ssh-ed25519 AAAA... NAME` replaced by
/// the key of that name.
pub fn authorized_keys(keys: &[(&str, &Path)]) -> String {
    let mut text = block("authorized_keys");
    for (name, key) in keys {
        text = text.replace(
            &format!("ssh-ed25519 AAAA... {name}"),
            &format!("{} {name}", pub_line(key)),
        );
    }
    text
}

/// Creates a system account with `shell` unless it exists, as SITES.md's block does.
pub fn ensure_user(name: &str, shell: &str) {
    let exists = Command::new("id")
        .arg(name)
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        let o = Command::new("useradd")
            .args(["--system", "--create-home", "--shell", shell, name])
            .output()
            .unwrap();
        assert!(o.status.success(), "useradd: {}", stderr(&o));
        let o = Command::new("usermod")
            .args(["-p", "*", name])
            .output()
            .unwrap();
        assert!(o.status.success(), "usermod: {}", stderr(&o));
    }
}

/// The pids of the descendants of `root` whose command name is `comm`.
pub fn descendants_named(root: u32, comm: &str) -> Vec<u32> {
    let mut parent = std::collections::HashMap::new();
    let mut name = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid ...
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let ppid = stat[close + 2..]
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
            .unwrap_or(0);
        parent.insert(pid, ppid);
        name.insert(pid, stat[open + 1..close].to_string());
    }
    let descends = |mut p: u32| {
        while let Some(&pp) = parent.get(&p) {
            if pp == root {
                return true;
            }
            if pp <= 1 {
                return false;
            }
            p = pp;
        }
        false
    };
    name.iter()
        .filter(|(pid, n)| n.as_str() == comm && descends(**pid))
        .map(|(pid, _)| *pid)
        .collect()
}

/// Waits until `cond` holds (a generous deadline: only a hang fails).
pub fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(120);
    while !cond() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A TCP relay to 127.0.0.1:`target` that counts the bytes sent to the client and,
/// once told, cuts every connection after that many bytes: a connection dropped in the
/// middle of a transfer.
pub struct Proxy {
    pub port: u16,
    /// Bytes relayed to clients since the last [`Proxy::reset`].
    pub down: Arc<AtomicU64>,
    cut_after: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl Proxy {
    pub fn start(target: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let down = Arc::new(AtomicU64::new(0));
        let cut_after = Arc::new(AtomicU64::new(u64::MAX));
        let stop = Arc::new(AtomicBool::new(false));
        let (d, c, s) = (down.clone(), cut_after.clone(), stop.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                    continue;
                };
                relay(client, server, d.clone(), c.clone());
            }
        });
        Proxy {
            port,
            down,
            cut_after,
            stop,
        }
    }

    /// Cuts connections once this many bytes in all went to clients (`u64::MAX`: never).
    pub fn cut_after(&self, bytes: u64) {
        self.cut_after.store(bytes, Ordering::SeqCst);
    }

    pub fn reset(&self) {
        self.down.store(0, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn relay(client: TcpStream, server: TcpStream, down: Arc<AtomicU64>, cut: Arc<AtomicU64>) {
    let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    // Client to server: as is.
    std::thread::spawn(move || {
        let (mut from, mut to) = (c2, s2);
        let mut buf = [0u8; 16384];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to.shutdown(Shutdown::Write);
    });
    // Server to client: counted, and cut when the count passes the limit.
    std::thread::spawn(move || {
        let (mut from, mut to) = (server, client);
        let mut buf = [0u8; 1024];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            let total = down.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
            if total > cut.load(Ordering::SeqCst) {
                let _ = to.shutdown(Shutdown::Both);
                let _ = from.shutdown(Shutdown::Both);
                return;
            }
            if to.write_all(&buf[..n]).is_err() {
                return;
            }
        }
    });
}
