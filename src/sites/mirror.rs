//! One site's directory in the office's mirror, `DIR/<site>/`, brought to the commit of
//! its branch, touching only what changed ([`super::fetch`] decides when):
//!
//! - the branch did not move since the directory was built (`refs/casebench/mirrored/
//!   <site>`): nothing is opened;
//! - the branch only grew (files added; `reviewers/allowed_signers` may change): the
//!   new files are written into the directory, each through a temporary file renamed
//!   into place, under the exclusive lock of its log (`decisions/LOCK`, the lock
//!   `verify` takes shared to list it), in log order: policy snapshots, the
//!   allowed_signers, records (signature first) by seq, then checkpoints. The other
//!   files keep their inodes;
//! - anything else (a first fetch, a directory gone, a branch rewound or rewritten):
//!   the directory is built whole beside the old one and put in its place, so a mirror
//!   never mixes two histories.

use std::path::{Path, PathBuf};

use super::git::{Git, nul_fields};
use crate::case::settings::SiteId;
use crate::record::log::{self, LOCK_MODE};
use crate::store::lock::LockGuard;

/// The commit each site's directory was last built from.
pub(crate) const MIRRORED_PREFIX: &str = "refs/casebench/mirrored/";
const ALLOWED_SIGNERS: &[u8] = b"reviewers/allowed_signers";

/// What a fetch did with one site's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mirrored {
    /// Built whole: the first time, its directory was missing, or its branch was
    /// rewound or rewritten.
    New,
    /// Its branch grew: the new files written, the others left as they were.
    Updated,
    /// Its branch did not move: nothing touched.
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchedSite {
    pub site: String,
    pub commit: String,
    pub state: Mirrored,
    /// Files in the site's directory (`None` when unchanged: not counted, not read).
    pub files: Option<usize>,
    /// Files written by this fetch.
    pub written: usize,
}

/// Only what a site publishes is mirrored, whatever else its branch holds.
fn wanted(path: &[u8]) -> bool {
    path.starts_with(b"decisions/") || path == ALLOWED_SIGNERS
}

/// Brings `into/<site>/` to `commit`; `before` is the commit it was built from, if
/// any. `g` is the mirror's repository.
pub fn mirror_site(
    g: &Git,
    into: &Path,
    site: &SiteId,
    commit: &str,
    before: Option<&str>,
) -> Result<FetchedSite, String> {
    let dest = into.join(site.as_str());
    let present = dest.is_dir();
    let done = |state, files, written| FetchedSite {
        site: site.to_string(),
        commit: commit.to_string(),
        state,
        files,
        written,
    };
    if present && before == Some(commit) {
        return Ok(done(Mirrored::Unchanged, None, 0));
    }
    let gs = g.with_index(&g.git_dir().join(format!("index-{site}")))?;
    gs.run("read-tree", ["read-tree", commit], None)
        .map_err(|e| e.to_string())?;
    let listed = gs
        .run("ls-files", ["ls-files", "-z", "--cached"], None)
        .map_err(|e| e.to_string())?;
    let files = nul_fields(&listed.stdout).filter(|f| wanted(f)).count();
    let grown = match (present, before) {
        (true, Some(b)) => only_added(g, b, commit)?,
        _ => None,
    };
    let (state, written) = match grown {
        Some(added) => (
            Mirrored::Updated,
            add_in_place(g, into, site, commit, added)?,
        ),
        None => (Mirrored::New, rebuild(&gs, into, site, &listed.stdout)?),
    };
    let refname = format!("{MIRRORED_PREFIX}{site}");
    g.run("update-ref", ["update-ref", &refname, commit], None)
        .map_err(|e| e.to_string())?;
    Ok(done(state, Some(files), written))
}

/// The files the branch added between `before` and `commit` (and allowed_signers if it
/// changed), or `None` when it did anything else to what is mirrored.
fn only_added(g: &Git, before: &str, commit: &str) -> Result<Option<Vec<Vec<u8>>>, String> {
    let out = g
        .run(
            "diff-tree",
            [
                "diff-tree",
                "-r",
                "-z",
                "--no-renames",
                "--name-status",
                before,
                commit,
            ],
            None,
        )
        .map_err(|e| e.to_string())?;
    let fields: Vec<&[u8]> = nul_fields(&out.stdout).collect();
    let mut added = Vec::new();
    for pair in fields.chunks(2) {
        let [status, path] = pair else {
            return Ok(None);
        };
        if !wanted(path) {
            continue;
        }
        match *status {
            b"A" => added.push(path.to_vec()),
            b"M" if *path == ALLOWED_SIGNERS => added.push(path.to_vec()),
            _ => return Ok(None),
        }
    }
    Ok(Some(added))
}

/// The order a reader could see files appear in without a false alarm: the policy in
/// force first, a record's signature before the record, records by seq, checkpoints
/// (which name a head) last.
fn log_order(path: &[u8]) -> (u8, u64, Vec<u8>, bool) {
    let text = String::from_utf8_lossy(path);
    let is_sig = text.ends_with(".sig");
    let stem = text
        .strip_suffix(".sig")
        .unwrap_or(&text)
        .as_bytes()
        .to_vec();
    if text.starts_with("decisions/policies/") {
        (0, 0, stem, !is_sig)
    } else if path == ALLOWED_SIGNERS {
        (1, 0, stem, false)
    } else if let Some(name) = text.strip_prefix("decisions/log/") {
        let seq = log::parse_name(name).map_or(u64::MAX, |(s, _)| s);
        (2, seq, stem, !is_sig)
    } else if text.starts_with("decisions/checkpoints/") {
        (4, 0, stem, !is_sig)
    } else {
        (3, 0, stem, !is_sig)
    }
}

/// Writes the `added` files of `commit` into `into/<site>/` under its log's lock.
fn add_in_place(
    g: &Git,
    into: &Path,
    site: &SiteId,
    commit: &str,
    mut added: Vec<Vec<u8>>,
) -> Result<usize, String> {
    if added.is_empty() {
        return Ok(0);
    }
    added.sort_by_key(|p| log_order(p));
    let mut request = Vec::new();
    for p in &added {
        request.extend_from_slice(commit.as_bytes());
        request.push(b':');
        request.extend_from_slice(p);
        request.push(b'\n');
    }
    let out = g
        .run("cat-file", ["cat-file", "--batch"], Some(&request))
        .map_err(|e| e.to_string())?;
    let blobs = batch_blobs(&out.stdout, added.len())?;
    let dest = into.join(site.as_str());
    let decisions = dest.join("decisions");
    std::fs::create_dir_all(&decisions).map_err(|e| format!("{}: {e}", decisions.display()))?;
    let lock = decisions.join("LOCK");
    let _lock = LockGuard::exclusive(&lock, LOCK_MODE)
        .map_err(|e| format!("{}: cannot lock: {e}", lock.display()))?;
    // Temporaries live in the repository (same file system), never in a log directory.
    let tmp = g.git_dir().join(format!("incoming-{site}"));
    remove_dir(&tmp)?;
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let mut dirs: Vec<PathBuf> = Vec::new();
    for (i, (path, bytes)) in added.iter().zip(blobs).enumerate() {
        use std::os::unix::ffi::OsStrExt;
        let target = dest.join(std::ffi::OsStr::from_bytes(path));
        let parent = target.parent().unwrap_or(&dest).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        let staged = tmp.join(i.to_string());
        super::write_atomic(&staged, bytes)?;
        std::fs::rename(&staged, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        if !dirs.contains(&parent) {
            dirs.push(parent);
        }
    }
    for d in &dirs {
        std::fs::File::open(d)
            .and_then(|f| f.sync_all())
            .map_err(|e| format!("{}: {e}", d.display()))?;
    }
    remove_dir(&tmp)?;
    Ok(added.len())
}

/// The contents of `--batch` output for `n` requested blobs, in order.
fn batch_blobs(mut out: &[u8], n: usize) -> Result<Vec<&[u8]>, String> {
    let bad = || "git cat-file --batch: unexpected output".to_string();
    let mut blobs = Vec::with_capacity(n);
    for _ in 0..n {
        let eol = out.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&out[..eol]);
        let mut f = header.split(' ');
        let (Some(_), Some("blob"), Some(size)) = (f.next(), f.next(), f.next()) else {
            return Err(format!("git cat-file --batch: {header}"));
        };
        let size: usize = size.parse().map_err(|_| bad())?;
        let body = out.get(eol + 1..eol + 1 + size).ok_or_else(bad)?;
        blobs.push(body);
        out = out.get(eol + 2 + size..).ok_or_else(bad)?;
    }
    Ok(blobs)
}

/// Builds `into/<site>/` whole from the index of `gs` (`listed`: its files) beside the
/// old directory, then puts it in its place.
fn rebuild(gs: &Git, into: &Path, site: &SiteId, listed: &[u8]) -> Result<usize, String> {
    let mut wanted_list = Vec::new();
    let mut n = 0;
    for f in nul_fields(listed).filter(|f| wanted(f)) {
        wanted_list.extend_from_slice(f);
        wanted_list.push(0);
        n += 1;
    }
    let fresh = into.join(format!(".new-{site}"));
    let old = into.join(format!(".old-{site}"));
    let dest = into.join(site.as_str());
    for leftover in [&fresh, &old] {
        remove_dir(leftover)?;
    }
    std::fs::create_dir_all(&fresh).map_err(|e| format!("{}: {e}", fresh.display()))?;
    let prefix = format!("--prefix=.new-{site}/");
    gs.run(
        "checkout-index",
        ["checkout-index", "--force", "-z", "--stdin", &prefix],
        Some(&wanted_list),
    )
    .map_err(|e| e.to_string())?;
    if dest.exists() {
        std::fs::rename(&dest, &old).map_err(|e| format!("{}: {e}", dest.display()))?;
    }
    std::fs::rename(&fresh, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    remove_dir(&old)?;
    Ok(n)
}

pub(crate) fn remove_dir(p: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", p.display())),
    }
}

/// Why a directory is not a mirror to verify: it holds no site.
pub fn no_site_message(dir: &Path) -> String {
    format!(
        "{}: no mirrored site; run `casebench sites fetch --remote URL --into {}` first",
        dir.display(),
        dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_added_in_an_order_no_reader_mistakes_for_a_problem() {
        let mut paths: Vec<Vec<u8>> = [
            "decisions/checkpoints/00000003-20260320T100000Z.yaml",
            "decisions/checkpoints/00000003-20260320T100000Z.yaml.sig",
            "decisions/log/00000010.yaml",
            "decisions/log/00000009.yaml.sig",
            "decisions/log/00000009.yaml",
            "decisions/log/00000010.yaml.sig",
            "reviewers/allowed_signers",
            "decisions/policies/ab.allowed_signers",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
        paths.sort_by_key(|p| log_order(p));
        let names: Vec<String> = paths
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "decisions/policies/ab.allowed_signers",
                "reviewers/allowed_signers",
                "decisions/log/00000009.yaml.sig",
                "decisions/log/00000009.yaml",
                "decisions/log/00000010.yaml.sig",
                "decisions/log/00000010.yaml",
                "decisions/checkpoints/00000003-20260320T100000Z.yaml.sig",
                "decisions/checkpoints/00000003-20260320T100000Z.yaml",
            ]
        );
    }

    #[test]
    fn batch_output_is_split_into_blobs() {
        let out = b"abc blob 3\nxyz\ndef blob 0\n\nghi blob 2\nq\n\n";
        let blobs = batch_blobs(out, 3).unwrap();
        assert_eq!(blobs, vec![&b"xyz"[..], b"", b"q\n"]);
        assert!(batch_blobs(b"abc missing\n", 1).is_err());
        assert!(batch_blobs(b"abc blob 9\nxy\n", 1).is_err());
    }
}
