//! The system `git`, called as a program with fixed arguments: never a shell, user text
//! (a remote, a path) only after `--` or on standard input, never in an option.
//!
//! The environment is pinned so that the machine's git configuration cannot change what
//! runs: no system or global config (no hooks path, no credential helper, no aliases),
//! no terminal prompt (a sync run from cron must fail, not hang), and only the `file`
//! and `ssh` transports (`ext::` would run a program).

pub use super::failure::GitError;
use super::failure::RemoteError;
use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The oldest git whose behaviour we rely on (`--pathspec-from-file`, `ls-remote --`).
pub const MIN_VERSION: (u32, u32) = (2, 34);

/// A git repository (bare, `git_dir`), optionally with a work tree elsewhere. Every
/// path is absolute ([`Git::new`]): git runs in `cwd`, so a relative `GIT_DIR` would be
/// taken from there, not from where casebench was started.
#[derive(Debug, Clone)]
pub struct Git {
    git_dir: PathBuf,
    work_tree: Option<PathBuf>,
    /// Where git runs.
    cwd: PathBuf,
    /// An index file other than the repository's own.
    index: Option<PathBuf>,
}

/// What git printed, when it succeeded.
#[derive(Debug)]
pub struct Output {
    pub stdout: Vec<u8>,
}

fn base_command() -> Command {
    let mut c = Command::new("git");
    // ssh must never ask a question (a host key, a passphrase): from cron or the
    // workbench it would hang or draw over the screen. GIT_SSH_COMMAND still overrides.
    c.args(["-c", "core.sshCommand=ssh -o BatchMode=yes"]);
    c.env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROTOCOL_FROM_USER", "0")
        .env("GIT_ALLOW_PROTOCOL", "file:ssh")
        .env("LC_ALL", "C")
        // A file named `*.yaml` or `:x` is a file, never a pattern.
        .env("GIT_LITERAL_PATHSPECS", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_OBJECT_DIRECTORY")
        .env_remove("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .env_remove("GIT_NAMESPACE")
        .env_remove("GIT_CONFIG_PARAMETERS")
        .env_remove("GIT_CONFIG_COUNT")
        .stdin(Stdio::null());
    c
}

fn spawn_error(what: &str, e: &std::io::Error) -> GitError {
    let stderr = if e.kind() == std::io::ErrorKind::NotFound {
        "the `git` program was not found; install git 2.34 or newer".to_string()
    } else {
        format!("cannot run git: {e}")
    };
    GitError {
        what: what.to_string(),
        status: None,
        stderr,
    }
}

/// Checks that git is installed and recent enough.
pub fn check_version() -> Result<(), GitError> {
    let out = base_command()
        .arg("--version")
        .output()
        .map_err(|e| spawn_error("--version", &e))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .split_whitespace()
        .nth(2)
        .and_then(|v| {
            let mut it = v.split('.').map(|n| n.parse::<u32>().ok());
            Some((it.next()??, it.next()??))
        })
        .ok_or_else(|| GitError {
            what: "--version".into(),
            status: None,
            stderr: format!("cannot read the git version from `{}`", text.trim()),
        })?;
    if version < MIN_VERSION {
        return Err(GitError {
            what: "--version".into(),
            status: None,
            stderr: format!(
                "git {}.{} is too old; casebench needs git {}.{} or newer",
                version.0, version.1, MIN_VERSION.0, MIN_VERSION.1
            ),
        });
    }
    Ok(())
}

/// `git init --bare --shared=group` of `dir` (creating it), if it is not a repository
/// yet. Group-shared: on a clinic server any member's `sync` (or `decide` with
/// `after_decide`) must be able to use the work area another member created.
pub fn init_bare(dir: &Path) -> Result<(), GitError> {
    if dir.join("HEAD").is_file() {
        return Ok(());
    }
    let out = base_command()
        .args(["init", "--quiet", "--bare", "--shared=group", "--"])
        .arg(dir)
        .output()
        .map_err(|e| spawn_error("init", &e))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(GitError {
            what: "init".into(),
            status: out.status.code(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// `path` made absolute against the current directory (not resolving symlinks): the
/// one place where a relative `--cases`, `--into` or `--sites` is made absolute, at
/// each entry point of this module.
pub fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))
}

impl Git {
    /// The repository `git_dir`, with `work_tree` (if any) as its work tree; git runs in
    /// the work tree, or in `git_dir` without one.
    pub fn new(git_dir: &Path, work_tree: Option<&Path>) -> Result<Git, String> {
        let git_dir = absolute(git_dir)?;
        let work_tree = work_tree.map(absolute).transpose()?;
        Ok(Git {
            cwd: work_tree.clone().unwrap_or_else(|| git_dir.clone()),
            git_dir,
            work_tree,
            index: None,
        })
    }

    /// The same repository with its own index file (absolute, like every path here).
    pub fn with_index(&self, index: &Path) -> Result<Git, String> {
        Ok(Git {
            index: Some(absolute(index)?),
            ..self.clone()
        })
    }

    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    /// Runs `git <args>` with `input` on standard input. `what` names the command in
    /// errors (fixed text, never user input).
    pub fn run<I, S>(&self, what: &str, args: I, input: Option<&[u8]>) -> Result<Output, GitError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = base_command();
        c.current_dir(&self.cwd).env("GIT_DIR", &self.git_dir);
        if let Some(w) = &self.work_tree {
            c.env("GIT_WORK_TREE", w);
        }
        if let Some(i) = &self.index {
            c.env("GIT_INDEX_FILE", i);
        }
        c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
        if input.is_some() {
            c.stdin(Stdio::piped());
        }
        let mut child = c.spawn().map_err(|e| spawn_error(what, &e))?;
        if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
            // A git that exits early closes the pipe: its status says why.
            let _ = stdin.write_all(bytes);
        }
        let out = child
            .wait_with_output()
            .map_err(|e| spawn_error(what, &e))?;
        if out.status.success() {
            Ok(Output { stdout: out.stdout })
        } else {
            Err(GitError {
                what: what.to_string(),
                status: out.status.code(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            })
        }
    }

    /// Commits the index as a tree on top of `base` (none: a root commit), as
    /// `casebench <email>`, with `message`; returns the new commit.
    pub fn commit_index(
        &self,
        email: &str,
        base: Option<&str>,
        message: &str,
    ) -> Result<String, GitError> {
        let tree = trimmed(self.run("write-tree", ["write-tree"], None)?.stdout);
        let email = format!("user.email={email}");
        let mut args = vec![
            "-c",
            "user.name=casebench",
            "-c",
            email.as_str(),
            "commit-tree",
            &tree,
        ];
        if let Some(b) = base {
            args.extend(["-p", b]);
        }
        args.extend(["-F", "-"]);
        let out = self.run("commit-tree", &args, Some(message.as_bytes()))?;
        Ok(trimmed(out.stdout))
    }

    /// Pushes `commit` to `branch` of `remote`, fast-forward only (no `+`, no force).
    pub fn push_commit(
        &self,
        remote: &OsStr,
        commit: &str,
        branch: &str,
    ) -> Result<(), RemoteError> {
        let push: Vec<&OsStr> = vec![
            OsStr::new("push"),
            OsStr::new("--quiet"),
            OsStr::new("--"),
            remote,
        ];
        let refspec = format!("{commit}:{branch}");
        let args = push
            .into_iter()
            .chain(std::iter::once(OsStr::new(&refspec)));
        self.run("push", args, None)
            .map(|_| ())
            .map_err(|e| RemoteError::new(remote, e))
    }

    /// `git fetch` of `refspecs` from `remote` (quiet, no tags, no FETCH_HEAD; with
    /// `prune`, local refs the remote no longer has are removed).
    pub fn fetch(&self, remote: &OsStr, refspecs: &[&str], prune: bool) -> Result<(), RemoteError> {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("fetch"),
            OsStr::new("--quiet"),
            OsStr::new("--no-tags"),
            OsStr::new("--no-write-fetch-head"),
        ];
        if prune {
            args.push(OsStr::new("--prune"));
        }
        args.extend([OsStr::new("--"), remote]);
        args.extend(refspecs.iter().map(OsStr::new));
        self.run("fetch", args, None)
            .map(|_| ())
            .map_err(|e| RemoteError::new(remote, e))
    }

    /// The commit of `branch` on `remote` (`git ls-remote`), `None` when it has none.
    pub fn remote_head(&self, remote: &OsStr, branch: &str) -> Result<Option<String>, RemoteError> {
        let args = [
            OsStr::new("ls-remote"),
            OsStr::new("--"),
            remote,
            OsStr::new(branch),
        ];
        let out = self
            .run("ls-remote", args, None)
            .map_err(|e| RemoteError::new(remote, e))?;
        Ok(String::from_utf8_lossy(&out.stdout).lines().find_map(|l| {
            let mut f = l.split_whitespace();
            let (id, name) = (f.next()?, f.next()?);
            (name == branch).then(|| id.to_string())
        }))
    }

    /// The commit a local ref points at, `None` when there is no such ref.
    pub fn rev(&self, refname: &str) -> Result<Option<String>, GitError> {
        let out = self.run(
            "rev-parse",
            [
                "rev-parse",
                "--quiet",
                "--verify",
                "--end-of-options",
                refname,
            ],
            None,
        );
        match out {
            Ok(o) => Ok(Some(String::from_utf8_lossy(&o.stdout).trim().to_string())),
            Err(e) if e.status == Some(1) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Git's answer as one trimmed line of text.
pub fn trimmed(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// Splits NUL-separated git output.
pub fn nul_fields(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|b| *b == 0).filter(|f| !f.is_empty())
}
