//! The witness's checkpoints published on the remote, branch
//! `casebench/witness/<principal>`, one file per site and head:
//!
//! ```text
//! <site>/NNNNNNNN-YYYYMMDDTHHMMSSZ.yaml      the checkpoint (it names its site)
//! <site>/NNNNNNNN-YYYYMMDDTHHMMSSZ.yaml.sig  its casebench-audit signature
//! ```
//!
//! `witness --sites DIR` pushes, fast-forward only, every checkpoint of
//! `DIR/.witness/checkpoints/` the branch does not hold yet (so a failed push is caught
//! up by the next run) to the remote the mirror was fetched from. Each site's `sync`
//! then picks up its own ([`super::pickup`]).

use std::ffi::OsString;
use std::path::Path;

use super::failure::{Failure, RemoteError};
use super::fetch::{GIT_DIR, mirrored_sites, recorded_remote};
use super::git::{Git, GitError, nul_fields};
use super::remote_arg;
use super::witness::WITNESS_DIR;
use crate::record::checkpoint::parse_file_name;

/// The branch prefix of the witnesses' checkpoints on the remote.
pub const WITNESS_PREFIX: &str = "refs/heads/casebench/witness/";
/// Where the witness's own branch is fetched to in the mirror's repository.
const OWN_REF: &str = "refs/casebench/witness-own";
/// Another witness run may push between our fetch and our push: try again this often.
const ATTEMPTS: usize = 3;

/// `refs/heads/casebench/witness/<principal>`, or why the principal cannot name a
/// branch. Principals are e-mail-like; anything git could read as a range, a pattern
/// or a reflog expression is refused rather than rewritten.
pub fn witness_branch(principal: &str) -> Result<String, String> {
    let ok_chars = principal
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._@+-".contains(&b));
    let bad = principal.is_empty()
        || principal.len() > 200
        || !ok_chars
        || principal.starts_with(['.', '-'])
        || principal.ends_with('.')
        || principal.ends_with(".lock")
        || principal.contains("..")
        || principal == "@";
    if bad {
        return Err(format!(
            "principal `{}` cannot name the branch casebench/witness/<principal> \
             (letters, digits and `._@+-` only, not starting with `.` or `-`)",
            crate::text::sanitize_line(principal)
        ));
    }
    Ok(format!("{WITNESS_PREFIX}{principal}"))
}

/// What a publication did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// `<site>/<file>` paths added to the branch by this run.
    pub added: Vec<String>,
    /// Files of the branch with other bytes than the witness's own copy: kept as they
    /// are on the branch (never rewritten) and reported.
    pub conflicts: Vec<String>,
    /// The branch's head after the run.
    pub head: Option<String>,
}

/// Publishes the witness checkpoints of the mirror `dir` on the branch of `principal`.
/// A push refused because the branch moved (another run of the same officer) is tried
/// again on top of it; any other failure is final at once.
pub fn publish(dir: &Path, principal: &str) -> Result<Published, String> {
    let branch = witness_branch(principal)?;
    let dir = &super::git::absolute(dir)?;
    let remote = recorded_remote(dir)?;
    let remote = remote_arg(&remote, dir);
    let files = local_files(dir)?;
    let g = Git::new(&dir.join(GIT_DIR), Some(dir))?
        .with_index(&dir.join(GIT_DIR).join("index-witness"))?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match attempt_once(&g, &remote, &branch, &files) {
            Ok(p) => return Ok(p),
            Err(Attempt::Moved(_)) if attempt < ATTEMPTS => continue,
            Err(Attempt::Moved(e)) => {
                return Err(format!(
                    "the branch moved on the remote {ATTEMPTS} times while this run pushed: {e}"
                ));
            }
            Err(Attempt::Failed(e)) => return Err(e),
        }
    }
}

enum Attempt {
    /// The branch moved between the fetch and the push: worth another attempt.
    Moved(RemoteError),
    Failed(String),
}

impl From<GitError> for Attempt {
    fn from(e: GitError) -> Attempt {
        Attempt::Failed(e.to_string())
    }
}

impl From<RemoteError> for Attempt {
    fn from(e: RemoteError) -> Attempt {
        match e.failure {
            Failure::Moved => Attempt::Moved(e),
            _ => Attempt::Failed(e.to_string()),
        }
    }
}

/// `<site>/<name>` and the path (relative to `dir`) of every witness checkpoint file.
fn local_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for site in mirrored_sites(&dir.join(WITNESS_DIR).join("checkpoints")).unwrap_or_default() {
        let sdir = dir
            .join(WITNESS_DIR)
            .join("checkpoints")
            .join(site.as_str());
        let rd = std::fs::read_dir(&sdir).map_err(|e| format!("{}: {e}", sdir.display()))?;
        for e in rd {
            let e = e.map_err(|e| format!("{}: {e}", sdir.display()))?;
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                continue;
            };
            let yaml = name.strip_suffix(".sig").unwrap_or(&name);
            if parse_file_name(yaml).is_some() && e.file_type().is_ok_and(|t| t.is_file()) {
                out.push((
                    format!("{site}/{name}"),
                    format!("{WITNESS_DIR}/checkpoints/{site}/{name}"),
                ));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn attempt_once(
    g: &Git,
    remote: &OsString,
    branch: &str,
    files: &[(String, String)],
) -> Result<Published, Attempt> {
    let base = if g.remote_head(remote, branch)?.is_some() {
        g.fetch(remote, &[&format!("+{branch}:{OWN_REF}")], false)?;
        g.rev(OWN_REF)?
    } else {
        None
    };
    match &base {
        Some(b) => g.run("read-tree", ["read-tree", b.as_str()], None)?,
        None => g.run("read-tree", ["read-tree", "--empty"], None)?,
    };
    // What the branch holds: path -> blob.
    let staged = g.run("ls-files", ["ls-files", "-z", "--stage"], None)?;
    let mut on_branch = std::collections::BTreeMap::new();
    for f in nul_fields(&staged.stdout) {
        let f = String::from_utf8_lossy(f);
        if let Some((meta, path)) = f.split_once('\t')
            && let Some(blob) = meta.split(' ').nth(1)
        {
            on_branch.insert(path.to_string(), blob.to_string());
        }
    }
    let mut paths = Vec::new();
    for (_, local) in files {
        paths.extend_from_slice(local.as_bytes());
        paths.push(b'\n');
    }
    let hashed = if files.is_empty() {
        Vec::new()
    } else {
        g.run(
            "hash-object",
            ["hash-object", "-w", "--no-filters", "--stdin-paths"],
            Some(&paths),
        )?
        .stdout
    };
    let blobs: Vec<&str> = std::str::from_utf8(&hashed)
        .map_err(|_| Attempt::Failed("git hash-object: unreadable output".into()))?
        .lines()
        .collect();
    if blobs.len() != files.len() {
        return Err(Attempt::Failed(
            "git hash-object: one hash per file expected".into(),
        ));
    }
    let mut published = Published::default();
    let mut index_info = Vec::new();
    for ((path, _), blob) in files.iter().zip(blobs) {
        match on_branch.get(path) {
            Some(b) if b == blob => {}
            Some(_) => published.conflicts.push(path.clone()),
            None => {
                index_info.extend_from_slice(format!("100644 {blob}\t{path}").as_bytes());
                index_info.push(0);
                published.added.push(path.clone());
            }
        }
    }
    if published.added.is_empty() {
        published.head = base;
        return Ok(published);
    }
    g.run(
        "update-index",
        ["update-index", "-z", "--index-info"],
        Some(&index_info),
    )?;
    let message = format!(
        "casebench witness: {} checkpoint file(s)\n",
        published.added.len()
    );
    let commit = g.commit_index("casebench@witness.invalid", base.as_deref(), &message)?;
    g.push_commit(remote, &commit, branch)?;
    published.head = Some(commit);
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::witness_branch;

    #[test]
    fn a_principal_names_a_branch_or_is_refused() {
        assert_eq!(
            witness_branch("c.adeyemi@compliance.example").unwrap(),
            "refs/heads/casebench/witness/c.adeyemi@compliance.example"
        );
        for bad in [
            "", "-x", ".x", "x.", "a..b", "x.lock", "a b", "a/b", "a:b", "a~1", "x@{1}", "@", "a*",
            "é",
        ] {
            assert!(witness_branch(bad).is_err(), "{bad:?}");
        }
    }
}
