//! `casebench sites fetch --remote URL --into DIR`: the compliance office mirrors every
//! site's branch into `DIR/<site>/` (its `decisions/` and `reviewers/allowed_signers`),
//! through a bare repository in `DIR/.git`.
//!
//! Each site's directory is rebuilt whole from its branch beside the old one, then put
//! in its place, so a mirror never mixes two heads; a rewound branch is mirrored as it
//! now is (fetch follows it: `verify --sites` and `witness` are what notice).

use std::path::{Path, PathBuf};

use super::git::{self, Git, nul_fields};
use super::{SITES_PREFIX, remote_arg};
use crate::case::settings::{Remote, SiteId};

/// Where fetched branches are kept in the mirror's repository.
const MIRROR_PREFIX: &str = "refs/sites/";
pub const GIT_DIR: &str = ".git";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedSite {
    pub site: String,
    pub commit: String,
    pub files: usize,
}

#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    pub sites: Vec<FetchedSite>,
    /// Branches whose name is not a valid site id (not mirrored).
    pub skipped: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}")]
    Usage(String),
    #[error("remote unreachable: {0}")]
    Unreachable(String),
    #[error("{0}")]
    Failed(String),
}

/// Mirrors every `casebench/sites/*` branch of `remote` into `into/<site>/`. A relative
/// remote path is taken from `base` (the current directory on the command line).
pub fn fetch(remote: &str, into: &Path, base: &Path) -> Result<FetchReport, FetchError> {
    let remote = Remote::try_from(remote.to_string()).map_err(FetchError::Usage)?;
    git::check_version().map_err(|e| FetchError::Failed(e.to_string()))?;
    std::fs::create_dir_all(into)
        .map_err(|e| FetchError::Failed(format!("{}: {e}", into.display())))?;
    let git_dir = into.join(GIT_DIR);
    git::init_bare(&git_dir).map_err(|e| FetchError::Failed(e.to_string()))?;
    let g = Git {
        git_dir: git_dir.clone(),
        work_tree: Some(into.to_path_buf()),
        cwd: into.to_path_buf(),
        index: None,
    };
    let failed = |e: git::GitError| FetchError::Failed(e.to_string());
    let refspec = format!("+{SITES_PREFIX}*:{MIRROR_PREFIX}*");
    let fetch: Vec<std::ffi::OsString> = vec![
        "fetch".into(),
        "--quiet".into(),
        "--no-tags".into(),
        "--prune".into(),
        "--no-write-fetch-head".into(),
        "--".into(),
        remote_arg(&remote, base),
        refspec.into(),
    ];
    g.run("fetch", &fetch, None)
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    record_remote(&git_dir, &remote_arg(&remote, base))?;
    let refs = g
        .run(
            "for-each-ref",
            ["for-each-ref", "--format=%(refname)", MIRROR_PREFIX],
            None,
        )
        .map_err(failed)?;
    let mut report = FetchReport::default();
    for line in String::from_utf8_lossy(&refs.stdout).lines() {
        let name = line.strip_prefix(MIRROR_PREFIX).unwrap_or(line);
        match SiteId::try_from(name.to_string()) {
            Ok(site) => report.sites.push(mirror_site(&g, into, &site)?),
            Err(_) => report.skipped.push(crate::text::sanitize_line(name)),
        }
    }
    Ok(report)
}

/// The file in the mirror's repository naming the remote it was fetched from (as git
/// was given it: a relative path already taken from where `sites fetch` ran), so that
/// `witness` publishes its checkpoints there.
const REMOTE_FILE: &str = "casebench-remote";

fn record_remote(git_dir: &Path, remote: &std::ffi::OsStr) -> Result<(), FetchError> {
    use std::os::unix::ffi::OsStrExt;
    let path = git_dir.join(REMOTE_FILE);
    let mut bytes = remote.as_bytes().to_vec();
    bytes.push(b'\n');
    crate::sites::write_atomic(&path, &bytes).map_err(FetchError::Failed)
}

/// The remote the mirror `dir` was last fetched from.
pub fn recorded_remote(dir: &Path) -> Result<Remote, String> {
    let path = dir.join(GIT_DIR).join(REMOTE_FILE);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "{}: no remote recorded; run `casebench sites fetch --remote URL --into {}` first",
                dir.display(),
                dir.display()
            ));
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let text = String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?;
    Remote::try_from(text.trim_end_matches('\n').to_string())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Rebuilds `into/<site>/` from the fetched branch.
fn mirror_site(g: &Git, into: &Path, site: &SiteId) -> Result<FetchedSite, FetchError> {
    let failed = |e: git::GitError| FetchError::Failed(e.to_string());
    let refname = format!("{MIRROR_PREFIX}{site}");
    let commit = g
        .rev(&refname)
        .map_err(failed)?
        .ok_or_else(|| FetchError::Failed(format!("{refname}: vanished while mirroring")))?;
    let gs = Git {
        index: Some(g.git_dir.join(format!("index-{site}"))),
        ..g.clone()
    };
    gs.run("read-tree", ["read-tree", &commit], None)
        .map_err(failed)?;
    let listed = gs
        .run("ls-files", ["ls-files", "-z", "--cached"], None)
        .map_err(failed)?;
    // Only what a site publishes is mirrored, whatever else its branch holds.
    let mut wanted = Vec::new();
    let mut files = 0;
    for f in nul_fields(&listed.stdout) {
        if f.starts_with(b"decisions/") || f == b"reviewers/allowed_signers" {
            wanted.extend_from_slice(f);
            wanted.push(0);
            files += 1;
        }
    }
    let fresh: PathBuf = into.join(format!(".new-{site}"));
    let old: PathBuf = into.join(format!(".old-{site}"));
    let dest = into.join(site.as_str());
    for leftover in [&fresh, &old] {
        remove_dir(leftover)?;
    }
    std::fs::create_dir_all(&fresh)
        .map_err(|e| FetchError::Failed(format!("{}: {e}", fresh.display())))?;
    let prefix = format!("--prefix=.new-{site}/");
    gs.run(
        "checkout-index",
        ["checkout-index", "--force", "-z", "--stdin", &prefix],
        Some(&wanted),
    )
    .map_err(failed)?;
    if dest.exists() {
        std::fs::rename(&dest, &old)
            .map_err(|e| FetchError::Failed(format!("{}: {e}", dest.display())))?;
    }
    std::fs::rename(&fresh, &dest)
        .map_err(|e| FetchError::Failed(format!("{}: {e}", dest.display())))?;
    remove_dir(&old)?;
    Ok(FetchedSite {
        site: site.to_string(),
        commit,
        files,
    })
}

fn remove_dir(p: &Path) -> Result<(), FetchError> {
    match std::fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(FetchError::Failed(format!("{}: {e}", p.display()))),
    }
}

/// The sites mirrored in `dir`: its subdirectories named as site ids, sorted.
pub fn mirrored_sites(dir: &Path) -> Result<Vec<SiteId>, String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut sites = Vec::new();
    for e in rd {
        let e = e.map_err(|e| format!("{}: {e}", dir.display()))?;
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if let (true, Some(name)) = (is_dir, e.file_name().to_str())
            && let Ok(site) = SiteId::try_from(name.to_string())
        {
            sites.push(site);
        }
    }
    sites.sort();
    Ok(sites)
}
