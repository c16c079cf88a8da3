//! `casebench sync`: publish this site's log as commits on `casebench/sites/<site>`.
//!
//! Under the log's exclusive lock (no record is half-written while we read), a bare git
//! repository in `decisions/sync/` uses the case directory as its work tree, so nothing
//! is copied: the index starts from the remote branch's tree, the files that travel are
//! added by name (never a directory, so a case file can never slip in), and then
//! - a file of the remote that this site lacks (`ls-files --deleted`), or
//! - a file of the remote with other bytes here (`diff --cached`, status `M`)
//!
//! under `decisions/` is a fork or a rollback: refused, the seq named, nothing pushed.
//! Otherwise one commit on top of the remote's head is pushed, fast-forward only.
//! Before comparing, the witnesses' checkpoints for this site are picked up
//! ([`super::pickup`]); they then travel with the site's own. Only
//! `reviewers/allowed_signers` may change between syncs (the policy in force evolves;
//! each version is also kept in `decisions/policies/`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::failure::{Failure, RemoteError};
use super::git::{self, Git, GitError, nul_fields};
use super::pickup::{Pickup, pick_up};
use super::{remote_arg, site_branch};
use crate::case::settings::SyncSettings;
use crate::record::log::{self, LOCK_MODE, Paths};
use crate::store::lock::LockGuard;

/// The work area: a bare git repository beside the log.
pub const WORK_DIR: &str = "sync";
/// Where the last fetched remote head is kept in the work area.
const REMOTE_REF: &str = "refs/casebench/remote";
const ALLOWED_SIGNERS: &str = "reviewers/allowed_signers";
/// A push refused because the branch moved (another run of this site pushed, or an
/// earlier push landed after its connection was cut) is tried again on top of the new
/// head this often, each time compared with the log first.
const ATTEMPTS: usize = 3;

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub site: String,
    /// Files published by this run (relative to the case directory).
    pub added: Vec<String>,
    /// Seqs of the records published by this run, each once, in order.
    pub records: Vec<u64>,
    /// Seqs of this log's records that the remote already held, byte for byte, though
    /// this work area had not seen them published: a push that landed after its
    /// connection was cut (its answer never came back), or another run of this site.
    pub already_held: Vec<u64>,
    /// This work area had never fetched the remote before this run (it is new, or was
    /// made anew): what the remote already held was published from an earlier one.
    pub work_area_new: bool,
    /// The remote branch's head after the run (`None`: nothing published yet).
    pub head: Option<String>,
    /// The witness checkpoints placed into `decisions/checkpoints/` by this run.
    pub pickup: Pickup,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The remote holds something this log contradicts: a fork or a rollback.
    #[error("{message}")]
    Diverged { seq: Option<u64>, message: String },
    /// The remote refused the push: a hook declined it, the server cannot write the
    /// repository, or the branch kept moving.
    #[error("the remote refused the update, nothing was published: {0}")]
    Refused(RemoteError),
    /// The remote could not be reached or read, or the connection dropped.
    #[error("nothing was published: {0}")]
    Remote(RemoteError),
    /// Anything else: git missing, an I/O error.
    #[error("{0}")]
    Failed(String),
}

impl SyncError {
    /// The cause, for `--json` (`fork_or_rollback`, a [`Failure`] in snake case, or
    /// `failed`).
    pub fn kind(&self) -> String {
        match self {
            SyncError::Diverged { .. } => "fork_or_rollback".into(),
            SyncError::Refused(e) | SyncError::Remote(e) => serde_json::to_value(e.failure)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_else(|| "other".into()),
            SyncError::Failed(_) => "failed".into(),
        }
    }
}

impl From<GitError> for SyncError {
    fn from(e: GitError) -> SyncError {
        SyncError::Failed(e.to_string())
    }
}

/// Publishes the log of `cases` to the remote of `settings`.
pub fn sync(cases: &Path, settings: &SyncSettings) -> Result<SyncReport, SyncError> {
    let mut pickup = Pickup::default();
    let mut report = sync_with(cases, settings, &mut pickup)?;
    report.pickup = pickup;
    Ok(report)
}

/// [`sync`], telling what the witness pick-up did in `pickup` even when the sync then
/// refuses: the checkpoints are picked up first, so a log truncated after a witnessed
/// head is reported by the site's own `verify` although its sync is refused.
pub fn sync_with(
    cases: &Path,
    settings: &SyncSettings,
    pickup: &mut Pickup,
) -> Result<SyncReport, SyncError> {
    git::check_version()?;
    // git runs in the case directory: every path it is given must not depend on ours.
    let cases = &git::absolute(cases).map_err(SyncError::Failed)?;
    let paths = Paths::new(cases);
    if !paths.log.is_dir() {
        return Err(SyncError::Failed(format!(
            "{}: no decision log yet: nothing to publish",
            paths.log.display()
        )));
    }
    let _lock = LockGuard::exclusive(&paths.lock, LOCK_MODE)
        .map_err(|e| SyncError::Failed(format!("{}: cannot lock: {e}", paths.lock.display())))?;
    let work = paths.decisions.join(WORK_DIR);
    git::init_bare(&work)?;
    let g = Git::new(&work, Some(cases)).map_err(SyncError::Failed)?;
    let remote = remote_arg(&settings.remote, cases);
    let branch = site_branch(&settings.site);
    // The head this work area last saw on the remote, before this run's fetch.
    let known = g.rev(REMOTE_REF)?;

    let mut attempt = 0;
    loop {
        attempt += 1;
        let base = fetch_site(&g, &remote, &branch)?;
        if attempt == 1 {
            *pickup = pick_up(&g, &remote, cases, &settings.site);
        }
        let added = stage(&g, &paths, base.is_some())?;
        let records = record_seqs(&added);
        let already_held = already_held(&g, known.as_deref(), base.as_deref())?;
        let report = |head: Option<String>, added: Vec<String>, records: Vec<u64>| SyncReport {
            site: settings.site.to_string(),
            added,
            records,
            already_held: already_held.clone(),
            work_area_new: known.is_none(),
            head,
            pickup: Pickup::default(),
        };
        if added.is_empty() && !policy_changed(&g, base.is_some())? {
            return Ok(report(base, added, records));
        }
        let message = match (records.first(), records.last()) {
            (Some(a), Some(b)) => format!("casebench sync {}: records {a}..{b}\n", settings.site),
            _ => format!("casebench sync {}: policy and checkpoints\n", settings.site),
        };
        let commit = g.commit_index("casebench@sites.invalid", base.as_deref(), &message)?;
        match g.push_commit(&remote, &commit, &branch) {
            Ok(()) => {
                g.run("update-ref", ["update-ref", REMOTE_REF, &commit], None)?;
                return Ok(report(Some(commit), added, records));
            }
            // The branch moved since the fetch: fetch again and compare again (a fork
            // is then refused as one; our own records are recognised as ours).
            Err(e) if e.failure == Failure::Moved && attempt < ATTEMPTS => continue,
            Err(e)
                if matches!(
                    e.failure,
                    Failure::Moved | Failure::Declined | Failure::NotWritable
                ) =>
            {
                return Err(SyncError::Refused(e));
            }
            Err(e) => return Err(SyncError::Remote(e)),
        }
    }
}

/// Fetches the site's branch into `REMOTE_REF`: `None` when the remote has no such
/// branch yet.
fn fetch_site(g: &Git, remote: &OsString, branch: &str) -> Result<Option<String>, SyncError> {
    if g.remote_head(remote, branch)
        .map_err(SyncError::Remote)?
        .is_none()
    {
        // A remote without our branch: forget what we fetched before, if anything.
        let _ = g.run("update-ref", ["update-ref", "-d", REMOTE_REF], None);
        return Ok(None);
    }
    let refspec = format!("+{branch}:{REMOTE_REF}");
    g.fetch(remote, &[&refspec], false)
        .map_err(SyncError::Remote)?;
    Ok(g.rev(REMOTE_REF)?)
}

/// Starts the index from the remote's tree (or empty), adds the files that travel by
/// name, and compares: a fork or rollback is refused; otherwise the files new to the
/// remote.
fn stage(g: &Git, paths: &Paths, has_base: bool) -> Result<Vec<String>, SyncError> {
    if has_base {
        g.run("read-tree", ["read-tree", REMOTE_REF], None)?;
    } else {
        g.run("read-tree", ["read-tree", "--empty"], None)?;
    }
    let mut list = Vec::new();
    for f in travelling_files(paths)? {
        list.extend_from_slice(f.as_bytes());
        list.push(0);
    }
    g.run(
        "add",
        [
            "add",
            "--force",
            "--ignore-removal",
            "--pathspec-from-file=-",
            "--pathspec-file-nul",
        ],
        Some(&list),
    )?;
    refuse_missing(g)?;
    compare(g, has_base)
}

/// The seqs of the records among `files`, each once, in order (a record travels with
/// its signature: two files, one seq).
fn record_seqs(files: &[String]) -> Vec<u64> {
    let mut seqs: Vec<u64> = files.iter().filter_map(|p| record_seq(p)).collect();
    seqs.sort_unstable();
    seqs.dedup();
    seqs
}

/// The records the remote's head `base` holds that the head this work area last saw,
/// `known`, did not: published by a push whose answer never came back. Called after
/// the comparison, so they are this log's own, byte for byte.
fn already_held(g: &Git, known: Option<&str>, base: Option<&str>) -> Result<Vec<u64>, SyncError> {
    let Some(base) = base else {
        return Ok(Vec::new());
    };
    if known == Some(base) {
        return Ok(Vec::new());
    }
    let out = match known {
        Some(k) => g.run(
            "diff-tree",
            [
                "diff-tree",
                "-r",
                "-z",
                "--no-renames",
                "--name-only",
                "--diff-filter=A",
                k,
                base,
                "--",
                "decisions/log",
            ],
            None,
        )?,
        None => g.run(
            "ls-tree",
            [
                "ls-tree",
                "-r",
                "-z",
                "--name-only",
                base,
                "--",
                "decisions/log",
            ],
            None,
        )?,
    };
    let files: Vec<String> = nul_fields(&out.stdout)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    Ok(record_seqs(&files))
}

/// The files that travel, relative to the case directory: records and signatures (by
/// their log names only), checkpoints, policy snapshots, and allowed_signers.
fn travelling_files(p: &Paths) -> Result<Vec<String>, SyncError> {
    let mut out = Vec::new();
    let dirs: [(&Path, &str, bool); 3] = [
        (&p.log, "decisions/log", true),
        (&p.checkpoints, "decisions/checkpoints", false),
        (&p.policies, "decisions/policies", false),
    ];
    for (dir, rel, log_names_only) in dirs {
        for name in regular_files(dir)? {
            let keep = if log_names_only {
                log::parse_name(&name).is_some()
            } else {
                !name.starts_with('.') && !name.starts_with(crate::store::publish::TEMP_PREFIX)
            };
            if keep {
                out.push(format!("{rel}/{name}"));
            }
        }
    }
    if p.cases.join(ALLOWED_SIGNERS).is_file() {
        out.push(ALLOWED_SIGNERS.to_string());
    }
    out.sort();
    Ok(out)
}

fn regular_files(dir: &Path) -> Result<Vec<String>, SyncError> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(SyncError::Failed(format!("{}: {e}", dir.display()))),
    };
    let mut names = Vec::new();
    for e in rd {
        let e = e.map_err(|e| SyncError::Failed(format!("{}: {e}", dir.display())))?;
        let is_file = e.file_type().map(|t| t.is_file()).unwrap_or(false);
        if let (true, Some(name)) = (is_file, e.file_name().to_str()) {
            names.push(name.to_string());
        }
    }
    Ok(names)
}

/// The seq of a record or signature path under `decisions/log/`.
pub fn record_seq(path: &str) -> Option<u64> {
    let name = path.strip_prefix("decisions/log/")?;
    log::parse_name(name).map(|(seq, _)| seq)
}

fn diverged(path: &str, what: &str) -> SyncError {
    let seq = record_seq(path);
    let message = match seq {
        Some(s) => format!(
            "refusing to sync: record {s}: {what} ({path}); a fork (a copy of this site that grew on its own) or a rollback of this log: nothing was pushed"
        ),
        None => format!("refusing to sync: {path}: {what}; nothing was pushed"),
    };
    SyncError::Diverged { seq, message }
}

/// A file the remote holds and this site lacks.
fn refuse_missing(g: &Git) -> Result<(), SyncError> {
    let out = g.run(
        "ls-files",
        ["ls-files", "-z", "--deleted", "--", "decisions"],
        None,
    )?;
    let mut missing: Vec<String> = nul_fields(&out.stdout)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    missing.sort_by_key(|p| (record_seq(p).unwrap_or(u64::MAX), p.clone()));
    match missing.first() {
        Some(p) => Err(diverged(p, "the remote holds it and this log lacks it")),
        None => Ok(()),
    }
}

/// Files new to the remote; other bytes for a file under `decisions/` are refused.
fn compare(g: &Git, has_base: bool) -> Result<Vec<String>, SyncError> {
    let out = if has_base {
        g.run(
            "diff",
            [
                "diff",
                "--cached",
                "--no-renames",
                "--name-status",
                "-z",
                REMOTE_REF,
                "--",
            ],
            None,
        )?
    } else {
        g.run("ls-files", ["ls-files", "-z", "--cached"], None)?
    };
    let fields: Vec<String> = nul_fields(&out.stdout)
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    if !has_base {
        return Ok(fields);
    }
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for pair in fields.chunks(2) {
        let [status, path] = pair else { continue };
        match status.as_str() {
            "A" => added.push(path.clone()),
            _ if path == ALLOWED_SIGNERS => {}
            _ => changed.push(path.clone()),
        }
    }
    changed.sort_by_key(|p| (record_seq(p).unwrap_or(u64::MAX), p.clone()));
    if let Some(p) = changed.first() {
        return Err(diverged(p, "other bytes here than on the remote"));
    }
    Ok(added)
}

/// Whether allowed_signers differs from the remote's.
fn policy_changed(g: &Git, has_base: bool) -> Result<bool, SyncError> {
    if !has_base {
        return Ok(false);
    }
    let out = g.run(
        "diff",
        [
            "diff",
            "--cached",
            "--name-only",
            "-z",
            REMOTE_REF,
            "--",
            ALLOWED_SIGNERS,
        ],
        None,
    )?;
    Ok(!out.stdout.is_empty())
}

/// The work area of a case directory (for tests and docs).
pub fn work_dir(cases: &Path) -> PathBuf {
    Paths::new(cases).decisions.join(WORK_DIR)
}
