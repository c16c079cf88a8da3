//! What went wrong when git talked to a remote, in words a clinic can act on.
//!
//! git reports every failure the same way: a few lines on standard error, some of them
//! advice for a person at a terminal ("use 'git pull'", "check access rights") that is
//! wrong here, with the `\r\n` line ends of ssh. [`Failure::of`] sorts that text into
//! one of a few causes, each said in its own words ([`Failure::headline`]), and
//! [`said`] keeps git's own lines, one per line, without the advice.

use serde::Serialize;

/// A git run that failed: the command (without user text) and what git said.
#[derive(Debug, Clone)]
pub struct GitError {
    pub what: String,
    pub status: Option<i32>,
    pub stderr: String,
}

impl std::fmt::Display for GitError {
    /// `git WHAT failed`, then git's own lines, one per line (see [`said`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.status {
            // Not run at all: the reason is the whole message.
            None => write!(f, "git {}: {}", self.what, self.stderr.trim()),
            Some(_) => {
                write!(f, "git {} failed", self.what)?;
                write_said(f, self)
            }
        }
    }
}

/// Why a git command that talks to a remote failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    /// No git repository at that path or URL (a wrong path, or nothing set up yet).
    NoRepository,
    /// No connection at all: refused, unknown host, unreachable network, timeout.
    ConnectionRefused,
    /// The SSH server did not let this account in (its key, or the server's host key).
    NotAuthenticated,
    /// The server ran something else than git for this key (a forced command that
    /// does not work under the account's shell, docs/SITES.md).
    NotGit,
    /// The connection was dropped during the transfer.
    Dropped,
    /// A hook of the server declined the update: this key may not write that branch.
    Declined,
    /// The server could not write the repository: permissions, a read-only disk.
    NotWritable,
    /// The branch moved on the remote between this run's fetch and its push.
    Moved,
    /// Anything else git reported.
    Other,
}

impl Failure {
    /// Sorts git's standard error. The order matters: one failure prints several of
    /// these phrases (a refused connection also says "Could not read from remote
    /// repository"; a hook that declines also says "rejected").
    pub fn of(stderr: &str) -> Failure {
        let s = stderr.to_ascii_lowercase();
        let any = |words: &[&str]| words.iter().any(|w| s.contains(w));
        // What the server's git said (`remote:` lines) against what ssh and the local
        // git said: a permission problem is the server's only in the former.
        let (server, local): (Vec<&str>, Vec<&str>) = s
            .split(['\n', '\r'])
            .partition(|l| l.trim_start().starts_with("remote:"));
        let said = |lines: &[&str], words: &[&str]| {
            lines.iter().any(|l| words.iter().any(|w| l.contains(w)))
        };
        if said(
            &local,
            &[
                "permission denied (",
                "host key verification failed",
                "too many authentication failures",
                "no matching host key",
                "authentication failed",
            ],
        ) {
            Failure::NotAuthenticated
        } else if any(&[
            "connection refused",
            "could not resolve hostname",
            "name or service not known",
            "no route to host",
            "network is unreachable",
            "connection timed out",
            "operation timed out",
        ]) {
            Failure::ConnectionRefused
        } else if any(&["hook declined"]) {
            Failure::Declined
        } else if any(&["remote unpack failed", "unpacker error"])
            || said(
                &server,
                &[
                    "permission denied",
                    "insufficient permission",
                    "read-only file system",
                    "no space left on device",
                    "unable to create temporary object directory",
                ],
            )
        {
            Failure::NotWritable
        } else if any(&[
            "non-fast-forward",
            "(fetch first)",
            "failed to update ref",
            "cannot lock ref",
            "but expected",
            "stale info",
        ]) {
            Failure::Moved
        } else if any(&[
            "does not appear to be a git repository",
            "not a git repository",
            "repository not found",
            "no such repository",
        ]) {
            Failure::NoRepository
        } else if any(&["unrecognized command", "command not found", ": not found"]) {
            Failure::NotGit
        } else if any(&[
            "early eof",
            "hung up unexpectedly",
            "unexpected disconnect",
            "connection closed",
            "connection reset",
            "broken pipe",
            "index-pack failed",
            "protocol error",
            "unexpected end of file",
            "closed by remote host",
            "timeout, server",
        ]) {
            Failure::Dropped
        } else {
            Failure::Other
        }
    }

    /// The cause in casebench's words, after the remote's name.
    pub fn headline(self) -> &'static str {
        match self {
            Failure::NoRepository => "no git repository there (check the path or URL)",
            Failure::ConnectionRefused => {
                "cannot connect: the connection was refused or the host cannot be reached"
            }
            Failure::NotAuthenticated => {
                "the SSH server did not let this account in (its key, or the server's host key)"
            }
            Failure::NotGit => {
                "the server did not run git for this key (check its forced command in \
                 authorized_keys, docs/SITES.md)"
            }
            Failure::Dropped => "the connection was dropped during the transfer",
            Failure::Declined => {
                "the server declined the update: this key may not write that branch"
            }
            Failure::NotWritable => {
                "the server cannot write the repository (permissions or a read-only disk)"
            }
            Failure::Moved => "the branch moved on the remote during this run",
            Failure::Other => "git failed",
        }
    }
}

/// A remote that could not be used: the cause, the remote as the user named it, and
/// what git said.
#[derive(Debug, Clone)]
pub struct RemoteError {
    pub failure: Failure,
    /// The remote, for messages (a path or URL the user wrote, sanitised when shown).
    pub remote: String,
    pub git: GitError,
}

impl RemoteError {
    pub fn new(remote: &std::ffi::OsStr, git: GitError) -> RemoteError {
        RemoteError {
            failure: Failure::of(&git.stderr),
            remote: remote.to_string_lossy().into_owned(),
            git,
        }
    }
}

impl std::fmt::Display for RemoteError {
    /// `REMOTE: cause`, then git's own lines, indented (see [`said`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            crate::text::sanitize_line(&self.remote),
            self.failure.headline()
        )?;
        if self.failure == Failure::Other {
            write!(f, " (git {})", self.git.what)?;
        }
        write_said(f, &self.git)
    }
}

/// Writes git's lines under a headline, each on its own indented line.
pub(crate) fn write_said(f: &mut dyn std::fmt::Write, e: &GitError) -> std::fmt::Result {
    let lines = said(&e.stderr);
    if lines.is_empty() {
        if let Some(code) = e.status {
            write!(f, "\n  git {} exited with status {code}", e.what)?;
        }
        return Ok(());
    }
    for l in lines {
        write!(f, "\n  {}", crate::text::sanitize_line(&l))?;
    }
    Ok(())
}

/// Most lines of git's output kept under a headline; more are summarised.
const MAX_LINES: usize = 12;

/// git's standard error as lines: `\r\n` and `\r` end lines too (ssh's, and progress),
/// blank lines and repeats are dropped, and so is git's advice for a person at a
/// terminal (`hint:` lines, "Please make sure you have the correct access rights",
/// "failed to push some refs"), which is wrong here: casebench never pulls or merges.
pub fn said(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.split(['\n', '\r']) {
        let line = line.trim_end();
        let lower = line.to_ascii_lowercase();
        let advice = lower.starts_with("hint:")
            || lower.starts_with("please make sure you have the correct access rights")
            || lower == "and the repository exists."
            || lower.starts_with("error: failed to push some refs")
            || lower.starts_with("to add an exception for this directory")
            || lower.trim_start().starts_with("git config --global");
        if line.trim().is_empty() || advice || out.last().is_some_and(|l| l == line) {
            continue;
        }
        out.push(line.to_string());
    }
    if out.len() > MAX_LINES {
        let more = out.len() - MAX_LINES + 1;
        out.truncate(MAX_LINES - 1);
        out.push(format!("({more} more line(s) of git output)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_told_apart() {
        let cases = [
            (
                "fatal: '/x/nowhere.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
                Failure::NoRepository,
            ),
            (
                "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\nfatal: Could not read from remote repository.\n",
                Failure::ConnectionRefused,
            ),
            (
                "git@h: Permission denied (publickey).\r\nfatal: Could not read from remote repository.\n",
                Failure::NotAuthenticated,
            ),
            (
                "fatal: unrecognized command 'CASEBENCH_SITE=x exec git-shell -c ...'\nfatal: Could not read from remote repository.\n",
                Failure::NotGit,
            ),
            (
                "Connection closed by 127.0.0.1 port 2222\r\nfatal: the remote end hung up unexpectedly\nfatal: early EOF\n",
                Failure::Dropped,
            ),
            (
                "remote: this key may only update casebench/sites/north\nTo ssh://h/r.git\n ! [remote rejected] abc -> casebench/sites/south (pre-receive hook declined)\nerror: failed to push some refs to 'ssh://h/r.git'\n",
                Failure::Declined,
            ),
            (
                "error: remote unpack failed: unable to create temporary object directory\nTo ../ro.git\n ! [remote rejected] HEAD -> y (unpacker error)\n",
                Failure::NotWritable,
            ),
            (
                "To ../r.git\n ! [rejected]        HEAD -> x (non-fast-forward)\nerror: failed to push some refs to '../r.git'\nhint: Updates were rejected because a pushed branch tip is behind its remote\nhint: counterpart. If you want to integrate the remote changes, use 'git pull'\n",
                Failure::Moved,
            ),
            (
                " ! [remote rejected] c -> b (failed to update ref)\n",
                Failure::Moved,
            ),
            (
                "remote: error: cannot lock ref 'refs/heads/x': Unable to create '/srv/r.git/refs/heads/x.lock': Permission denied\n ! [remote rejected] c -> x (failed to update ref)\n",
                Failure::NotWritable,
            ),
            // This side's own work area, not the server: said as git said it.
            (
                "error: cannot open '/srv/cases/decisions/sync/FETCH_HEAD': Permission denied\n",
                Failure::Other,
            ),
            ("fatal: something new\n", Failure::Other),
        ];
        for (text, want) in cases {
            assert_eq!(Failure::of(text), want, "{text}");
        }
    }

    #[test]
    fn git_lines_are_kept_one_per_line_without_the_advice() {
        let text = "ssh: connect to host 127.0.0.1 port 1: Connection refused\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";
        assert_eq!(
            said(text),
            vec![
                "ssh: connect to host 127.0.0.1 port 1: Connection refused",
                "fatal: Could not read from remote repository.",
            ]
        );
        let push = "To ../r.git\n ! [rejected]        HEAD -> x (non-fast-forward)\nerror: failed to push some refs to '../r.git'\nhint: use 'git pull'\nhint: before pushing again.\n";
        let lines = said(push);
        assert_eq!(
            lines,
            vec![
                "To ../r.git",
                " ! [rejected]        HEAD -> x (non-fast-forward)"
            ]
        );
        assert!(lines.iter().all(|l| !l.contains("pull")));
        let many: String = (0..40).map(|i| format!("line {i}\n")).collect();
        let lines = said(&many);
        assert_eq!(lines.len(), MAX_LINES);
        assert_eq!(lines[MAX_LINES - 1], "(29 more line(s) of git output)");
    }

    #[test]
    fn a_remote_error_is_a_headline_then_gits_lines() {
        let e = RemoteError::new(
            std::ffi::OsStr::new("ssh://h/r.git"),
            GitError {
                what: "fetch".into(),
                status: Some(128),
                stderr: "Connection closed by 127.0.0.1 port 22\r\nfatal: early EOF\n".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "ssh://h/r.git: the connection was dropped during the transfer\n  Connection closed by 127.0.0.1 port 22\n  fatal: early EOF"
        );
    }
}
