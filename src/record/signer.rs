//! Who signs: a private key file (passphrase-protected allowed) or a key held by a
//! running ssh-agent (`SSH_AUTH_SOCK`, possibly forwarded), so the key need never touch
//! the server.
//!
//! Passphrases are never read from the command line or the environment. They come from
//! the terminal (`/dev/tty`, echo off), or, when `CASEBENCH_ASKPASS` names a program,
//! from that program's standard output (like ssh's `SSH_ASKPASS`; the prompt is its
//! first argument) — for graphical front ends and tests.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use ssh_agent_client_rs::{Client, Identity};
use ssh_key::{PrivateKey, PublicKey, SshSig};

use super::sshsig::{self, HASH};

pub const ASKPASS_ENV: &str = "CASEBENCH_ASKPASS";

pub enum Signer {
    File {
        key: Box<PrivateKey>,
        path: PathBuf,
        /// Said once to the person signing (the key file's mode lets others read it).
        warning: Option<String>,
    },
    Agent {
        client: Box<Client>,
        key: PublicKey,
        socket: PathBuf,
    },
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Signer {
    /// Loads a private key file, asking for the passphrase (terminal or
    /// `CASEBENCH_ASKPASS`) if it is encrypted.
    pub fn from_file(path: &Path) -> Result<Signer, String> {
        Signer::from_file_with(path, &mut passphrase)
    }

    /// Loads a private key file; `ask(prompt)` supplies the passphrase if the key is
    /// encrypted (the workbench passes its own masked prompt here).
    pub fn from_file_with(
        path: &Path,
        ask: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<Signer, String> {
        use crate::store::safe_open::{ReadError, read_path};
        // A key file is small; a FIFO or a device named by mistake must not hang us.
        let text = read_path(path, MAX_KEY_FILE_BYTES).map_err(|e| match e {
            ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
                format!("{}: no such key file", path.display())
            }
            e => format!("{}: {e}", path.display()),
        })?;
        let warning = exposed_key_warning(path);
        let key = PrivateKey::from_openssh(&text)
            .map_err(|e| format!("{}: not an OpenSSH private key ({e})", path.display()))?;
        // Decision records are signed with ed25519 keys (DESIGN section 4); casebench never
        // performs RSA private-key operations (see deny.toml: RUSTSEC-2023-0071).
        if key.algorithm() != ssh_key::Algorithm::Ed25519 {
            return Err(format!(
                "{}: a {} key; casebench signs with ed25519 keys only (ssh-keygen -t ed25519)",
                path.display(),
                key.algorithm()
            ));
        }
        let key = if key.is_encrypted() {
            let pass = ask(&format!("Passphrase for {}: ", path.display()))?;
            key.decrypt(pass.as_bytes())
                .map_err(|_| format!("{}: wrong passphrase", path.display()))?
        } else {
            key
        };
        Ok(Signer::File {
            key: Box::new(key),
            path: path.to_path_buf(),
            warning,
        })
    }

    /// `"; warning: …"` to append to a one-line message, or nothing.
    pub fn warning_note(&self) -> String {
        self.warning()
            .map_or_else(String::new, |w| format!("; {w}"))
    }

    /// What the person signing should be told about the key (a private key file that
    /// others can read), if anything.
    pub fn warning(&self) -> Option<&str> {
        match self {
            Signer::File { warning, .. } => warning.as_deref(),
            Signer::Agent { .. } => None,
        }
    }

    /// Uses the agent at `socket`, with `want` if given (from a `.pub` file), else the
    /// first agent key among `candidates` (the keys allowed_signers lists for the signer).
    pub fn from_agent(
        socket: &Path,
        want: Option<&PublicKey>,
        candidates: &[&PublicKey],
    ) -> Result<Signer, String> {
        let (client, held) = agent_keys(socket)?;
        let chosen = match want {
            Some(w) => held
                .into_iter()
                .find(|k| k.key_data() == w.key_data())
                .ok_or_else(|| {
                    format!("ssh-agent does not hold the key {}", sshsig::fingerprint(w))
                })?,
            None => held
                .into_iter()
                .find(|k| candidates.iter().any(|c| c.key_data() == k.key_data()))
                .ok_or("ssh-agent holds none of the keys allowed_signers lists for you")?,
        };
        Ok(Signer::Agent {
            client: Box::new(client),
            key: chosen,
            socket: socket.to_path_buf(),
        })
    }

    /// No `--reviewer`: the one key the agent at `socket` holds that `policy` lists for
    /// `namespace` at `time` names the principal (under `ForceCommand`, a plain `ssh
    /// clinic` with a forwarded agent then signs as its owner). Refused, saying why, when
    /// no key or more than one qualifies, or the key is listed for several principals.
    pub fn from_agent_alone(
        socket: &Path,
        policy: &super::allowed_signers::AllowedSigners,
        namespace: &str,
        time: chrono::DateTime<chrono::Utc>,
    ) -> Result<(String, Signer), String> {
        let (client, held) = agent_keys(socket)?;
        let mut usable: Vec<(PublicKey, Vec<String>)> = held
            .into_iter()
            .map(|k| {
                let who = policy.principals_allowed(&k, namespace, time);
                (k, who)
            })
            .filter(|(_, who)| !who.is_empty())
            .collect();
        let (key, mut who) = match usable.len() {
            0 => {
                return Err(format!(
                    "who signs? the ssh-agent (SSH_AUTH_SOCK) holds no key that \
                     allowed_signers lists for {namespace}; pass --reviewer ID (or \
                     CASEBENCH_REVIEWER), and --key PATH unless ssh-agent holds your key"
                ));
            }
            1 => usable.remove(0),
            n => {
                let mut all: Vec<String> = usable.into_iter().flat_map(|(_, w)| w).collect();
                all.sort();
                all.dedup();
                return Err(format!(
                    "pass --reviewer ID: the ssh-agent holds {n} keys that allowed_signers \
                     lists for {namespace} ({})",
                    all.join(", ")
                ));
            }
        };
        if who.len() != 1 {
            return Err(format!(
                "pass --reviewer ID: the ssh-agent key {} is listed for {} principals for \
                 {namespace} ({})",
                sshsig::fingerprint(&key),
                who.len(),
                who.join(", ")
            ));
        }
        let signer = Signer::Agent {
            client: Box::new(client),
            key,
            socket: socket.to_path_buf(),
        };
        Ok((who.remove(0), signer))
    }

    pub fn public_key(&self) -> &PublicKey {
        match self {
            Signer::File { key, .. } => key.public_key(),
            Signer::Agent { key, .. } => key,
        }
    }

    /// "key file PATH (SHA256:...)" or "ssh-agent key SHA256:..." for the signing step.
    pub fn describe(&self) -> String {
        let fp = sshsig::fingerprint(self.public_key());
        match self {
            Signer::File { path, .. } => format!("key file {} ({fp})", path.display()),
            Signer::Agent { socket, .. } => {
                format!("ssh-agent key {fp} (via {})", socket.display())
            }
        }
    }

    /// Signs `msg` in `namespace` (SSHSIG, sha512).
    pub fn sign(&mut self, namespace: &str, msg: &[u8]) -> Result<SshSig, String> {
        match self {
            Signer::File { key, .. } => key
                .sign(namespace, HASH, msg)
                .map_err(|e| format!("signing failed: {e}")),
            Signer::Agent { client, key, .. } => {
                let data = sshsig::signed_data(namespace, msg)?;
                let sig = client
                    .sign(&*key, &data)
                    .map_err(|e| format!("ssh-agent refused to sign: {e}"))?;
                SshSig::new(key.key_data().clone(), namespace, HASH, sig)
                    .map_err(|e| format!("ssh-agent signature: {e}"))
            }
        }
    }
}

/// An OpenSSH key file is a few kilobytes at most.
const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// The agent's plain keys (certificates are not used), with the connection.
fn agent_keys(socket: &Path) -> Result<(Client, Vec<PublicKey>), String> {
    let mut client =
        Client::connect(socket).map_err(|e| format!("ssh-agent at {}: {e}", socket.display()))?;
    let held = client
        .list_all_identities()
        .map_err(|e| format!("ssh-agent at {}: {e}", socket.display()))?
        .into_iter()
        .filter_map(|i| match i {
            Identity::PublicKey(k) => Some(k.into_owned()),
            Identity::Certificate(_) => None,
        })
        .collect();
    Ok((client, held))
}

/// ssh refuses a private key file that group or others may access ("UNPROTECTED
/// PRIVATE KEY FILE"); casebench signs with it but says so (docs/DEPLOY.md: why a warning
/// and not a refusal).
fn exposed_key_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o7777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "warning: the private key file {} has mode {mode:04o}: group or others may read \
             it, and whoever can read it can sign as you (ssh refuses such a key); run \
             chmod 600 {}",
            path.display(),
            path.display()
        )
    })
}

/// Reads a public key file (`--key something.pub`).
pub fn read_public_key(path: &Path) -> Result<PublicKey, String> {
    use crate::store::safe_open::{ReadError, read_path};
    let bytes = read_path(path, MAX_KEY_FILE_BYTES).map_err(|e| match e {
        ReadError::Io(e) if e.kind() == std::io::ErrorKind::NotFound => {
            format!("{}: no such public key file", path.display())
        }
        e => format!("{}: {e}", path.display()),
    })?;
    let text = String::from_utf8_lossy(&bytes);
    PublicKey::from_openssh(text.trim())
        .map_err(|e| format!("{}: not a public key ({e})", path.display()))
}

/// Asks for a passphrase: `CASEBENCH_ASKPASS`, else the controlling terminal.
pub fn passphrase(prompt: &str) -> Result<String, String> {
    if let Some(prog) = std::env::var_os(ASKPASS_ENV).filter(|p| !p.is_empty()) {
        let out = std::process::Command::new(&prog)
            .arg(prompt)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("{ASKPASS_ENV} program {}: {e}", Path::new(&prog).display()))?;
        if !out.status.success() {
            return Err("passphrase entry cancelled".into());
        }
        let s = String::from_utf8(out.stdout).map_err(|_| "passphrase is not UTF-8".to_string())?;
        return Ok(s.lines().next().unwrap_or("").to_string());
    }
    read_tty(prompt)
}

/// Prompts on /dev/tty with echo off; restores the terminal mode afterwards.
fn read_tty(prompt: &str) -> Result<String, String> {
    use std::os::fd::AsRawFd;
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|e| format!("the key is passphrase-protected and there is no terminal to ask on ({e}); use ssh-agent or {ASKPASS_ENV}"))?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it for a valid fd.
    let mut old: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: fd is open for the lifetime of `tty`.
    let have_termios = unsafe { libc::tcgetattr(fd, &mut old) } == 0;
    if have_termios {
        let mut quiet = old;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: valid fd and termios value.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &quiet) };
    }
    let mut w = &tty;
    let _ = w.write_all(prompt.as_bytes());
    let _ = w.flush();
    let mut line = String::new();
    let read = std::io::BufReader::new(&tty).read_line(&mut line);
    if have_termios {
        // SAFETY: restores the mode read above on the same fd.
        unsafe { libc::tcsetattr(fd, libc::TCSANOW, &old) };
    }
    read.map_err(|e| format!("reading the passphrase: {e}"))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

/// Picks the signer for `principal` (or finds the principal from the key) from the
/// global options: `--key file` (a private key, or a `.pub` whose key ssh-agent holds);
/// else a key of the principal held by ssh-agent (`SSH_AUTH_SOCK`); else the `key:` of
/// the principal in reviewers.yaml (demo and tests).
pub fn resolve(
    cases: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    namespace: &str,
    time: chrono::DateTime<chrono::Utc>,
) -> Result<(String, Signer), String> {
    resolve_with(cases, key, principal, namespace, time, &mut passphrase)
}

/// [`resolve`] with the passphrase prompt supplied by the caller.
pub fn resolve_with(
    cases: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    namespace: &str,
    time: chrono::DateTime<chrono::Utc>,
    ask: &mut dyn FnMut(&str) -> Result<String, String>,
) -> Result<(String, Signer), String> {
    choose(
        cases,
        key,
        principal,
        namespace,
        time,
        &mut |path: &Path| Signer::from_file_with(path, ask),
    )
}

/// Who would sign and with which public key, found as [`resolve`] finds them but without
/// unlocking a key file (its public half is readable without the passphrase): for the
/// workbench's preview, which names the key before anything is signed.
pub fn identify(
    cases: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    namespace: &str,
    time: chrono::DateTime<chrono::Utc>,
) -> Result<(String, PublicKey), String> {
    let (who, signer) = choose(
        cases,
        key,
        principal,
        namespace,
        time,
        &mut |path: &Path| {
            let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let key = PrivateKey::from_openssh(&text)
                .map_err(|e| format!("{}: not an OpenSSH private key ({e})", path.display()))?;
            if key.algorithm() != ssh_key::Algorithm::Ed25519 {
                return Err(format!(
                    "{}: a {} key; casebench signs with ed25519 keys only",
                    path.display(),
                    key.algorithm()
                ));
            }
            // Never used to sign: only its public half is read below.
            Ok(Signer::File {
                key: Box::new(key),
                path: path.to_path_buf(),
                warning: None,
            })
        },
    )?;
    Ok((who, signer.public_key().clone()))
}

/// The choice of key and principal behind [`resolve`] and [`identify`]; `load_file`
/// turns a private key file into a signer.
fn choose(
    cases: &Path,
    key: Option<&Path>,
    principal: Option<&str>,
    namespace: &str,
    time: chrono::DateTime<chrono::Utc>,
    load_file: &mut dyn FnMut(&Path) -> Result<Signer, String>,
) -> Result<(String, Signer), String> {
    let policy_bytes = super::reviewers::read_allowed_signers(cases)?;
    let policy = super::allowed_signers::AllowedSigners::parse(&policy_bytes)
        .map_err(|e| format!("reviewers/{e}"))?;
    let agent = std::env::var_os("SSH_AUTH_SOCK")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    let signer = match key {
        Some(k) if k.extension().is_some_and(|e| e == "pub") => {
            let want = read_public_key(k).map_err(|e| format!("--key {e}"))?;
            let sock = agent.ok_or_else(|| {
                format!("{} is a public key: its private half must be in ssh-agent, but SSH_AUTH_SOCK is not set", k.display())
            })?;
            Signer::from_agent(&sock, Some(&want), &[])?
        }
        Some(k) => load_file(k).map_err(|e| format!("--key {e}"))?,
        None => {
            let Some(who) = principal else {
                return match agent.as_deref() {
                    Some(sock) => Signer::from_agent_alone(sock, &policy, namespace, time),
                    None => Err(
                        "who signs? pass --reviewer ID (or CASEBENCH_REVIEWER), and \
                                 --key PATH unless ssh-agent holds your key"
                            .into(),
                    ),
                };
            };
            let from_agent = agent
                .as_deref()
                .map(|sock| Signer::from_agent(sock, None, &policy.keys_for(who, namespace, time)));
            match from_agent {
                Some(Ok(s)) => s,
                other => {
                    let people = super::reviewers::load(cases)?;
                    match people.get(who).and_then(|r| r.key.as_ref()) {
                        Some(rel) => {
                            load_file(&cases.join(super::reviewers::REVIEWERS_DIR).join(rel))?
                        }
                        None => {
                            return Err(match other {
                                Some(Err(e)) => e,
                                _ => "no key: pass --key PATH (a private key, or a .pub held by ssh-agent), or start ssh-agent with your key".into(),
                            });
                        }
                    }
                }
            }
        }
    };
    let principal = match principal {
        Some(p) => p.to_string(),
        None => {
            let mut names = policy.principals_of(signer.public_key());
            if names.len() != 1 {
                return Err(format!(
                    "pass --reviewer: the key {} is listed for {} principal(s) in allowed_signers",
                    sshsig::fingerprint(signer.public_key()),
                    names.len()
                ));
            }
            names.remove(0)
        }
    };
    Ok((principal, signer))
}
