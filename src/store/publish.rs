//! Atomic publishing of files that must never be seen half-written and never replace
//! an existing name: write a temporary file created exclusively (`O_EXCL`) in the same
//! directory, fsync it, `link()` it to its final name (which fails if the name exists,
//! unlike `rename()`), unlink the temporary, fsync the directory.
//!
//! Modes are set explicitly with `fchmod`/`chmod`, so the umask never decides who can
//! read a decision record.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Prefix of every temporary file; dot-files are skipped by every listing.
pub const TEMP_PREFIX: &str = ".tmp.";

/// Creates `path` (and missing parents) as a directory with exactly `mode` (which may
/// include setgid and sticky bits). An existing directory keeps its mode.
pub fn ensure_dir(path: &Path, mode: u32) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => {
            return Err(io::Error::other(format!(
                "{} exists and is not a directory",
                path.display()
            )));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.exists()
    {
        ensure_dir(parent, mode)?;
    }
    match std::fs::DirBuilder::new().mode(mode & 0o777).create(path) {
        Ok(()) => std::fs::set_permissions(path, Permissions::from_mode(mode)),
        // Another writer created it first: fine, it set the mode.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `bytes` to a new file `dir/name` created exclusively (fails if it exists),
/// with exactly `mode`, fsynced before returning.
pub fn write_exclusive(dir: &Path, name: &str, bytes: &[u8], mode: u32) -> io::Result<PathBuf> {
    let (path, f) = create_exclusive(dir, name, bytes, mode)?;
    if let Err(e) = f.sync_all() {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(path)
}

/// Like [`write_exclusive`] but leaves the fsync to the caller (who may sync several
/// files at once), returning the open file.
pub fn create_exclusive(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    mode: u32,
) -> io::Result<(PathBuf, File)> {
    let path = dir.join(name);
    let mut f: File = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&path)?;
    let result = (|| {
        f.write_all(bytes)?;
        f.set_permissions(Permissions::from_mode(mode))
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok((path, f))
}

/// Replaces the cache file `dir/name` with `bytes`: a temporary of this process in `dir`
/// (created exclusively, `mode`), renamed over the old file. For caches only, which are
/// rebuilt when lost (no fsync); the log is never written by renaming.
pub fn replace_cache(dir: &Path, name: &str, bytes: &[u8], mode: u32) -> io::Result<()> {
    let tmp_name = format!("{TEMP_PREFIX}{}.{name}", std::process::id());
    let _ = std::fs::remove_file(dir.join(&tmp_name));
    let (path, _file) = create_exclusive(dir, &tmp_name, bytes, mode)?;
    let result = std::fs::rename(&path, dir.join(name));
    if result.is_err() {
        let _ = std::fs::remove_file(&path);
    }
    result
}

/// Fsyncs several files concurrently: on a journaling filesystem their flushes share
/// one journal commit, so two files cost about one fsync.
pub fn sync_all_concurrently(files: &[&File]) -> io::Result<()> {
    std::thread::scope(|s| {
        let handles: Vec<_> = files.iter().map(|f| s.spawn(|| f.sync_all())).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("fsync thread panicked")))
            })
            .collect::<io::Result<Vec<()>>>()
    })?;
    Ok(())
}

/// Publishes the temporary file `tmp` under `final_path` with `link()`: fails with
/// `AlreadyExists` rather than replace anything. The temporary is removed either way.
pub fn publish(tmp: &Path, final_path: &Path) -> io::Result<()> {
    let linked = std::fs::hard_link(tmp, final_path);
    let _ = std::fs::remove_file(tmp);
    linked
}

/// Writes `bytes` under `dir/name` through an exclusive temporary file created in
/// `staging` (a directory on the same file system): the name appears complete or not at
/// all, and an existing name is never replaced.
///
/// Temporaries live in `staging`, not in `dir`, because `dir` may carry the sticky bit
/// (nobody may remove another's file): a temporary left there by a writer killed
/// mid-write could then be removed only by its owner, and would block everyone else.
/// `staging` is group-writable without the sticky bit, so the next writer of any
/// member removes what a crashed one left.
pub fn publish_bytes(
    staging: &Path,
    dir: &Path,
    name: &str,
    bytes: &[u8],
    mode: u32,
) -> io::Result<()> {
    let tmp_name = format!("{TEMP_PREFIX}{}.{name}", std::process::id());
    let tmp = staging.join(&tmp_name);
    // A leftover of this very pid from an earlier crash would block create_new.
    let _ = std::fs::remove_file(&tmp);
    write_exclusive(staging, &tmp_name, bytes, mode)?;
    publish(&tmp, &dir.join(name))?;
    fsync_dir(dir)
}

/// Makes the directory entries of `dir` durable (new links and unlinks).
pub fn fsync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Removes leftover temporary files in `dir` (from writers killed mid-write). Only call
/// this while holding the lock the writers take, so no live temporary is removed.
pub fn sweep_temps(dir: &Path) -> io::Result<Vec<String>> {
    sweep(dir, false)
}

/// [`sweep_temps`] for a directory with the sticky bit (older versions left their
/// temporaries in the log itself): this user's leftovers are removed, others' are left
/// for their owners.
pub fn sweep_own_temps(dir: &Path) -> io::Result<Vec<String>> {
    sweep(dir, true)
}

fn sweep(dir: &Path, leave_others: bool) -> io::Result<Vec<String>> {
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with(TEMP_PREFIX) && entry.file_type()?.is_file() {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed.push(name.to_string()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) if leave_others && e.kind() == io::ErrorKind::PermissionDenied => {}
                Err(e) => return Err(e),
            }
        }
    }
    if !removed.is_empty() {
        fsync_dir(dir)?;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_never_replaces_and_sets_modes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("a/b");
        ensure_dir(&d, 0o3770).unwrap();
        let m = std::fs::metadata(&d).unwrap().permissions().mode() & 0o7777;
        assert_eq!(m, 0o3770);
        publish_bytes(&d, &d, "x", b"one", 0o640).unwrap();
        let err = publish_bytes(&d, &d, "x", b"two", 0o640).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(d.join("x")).unwrap(), b"one");
        let m = std::fs::metadata(d.join("x")).unwrap().permissions().mode() & 0o777;
        assert_eq!(m, 0o640);
        // No temporaries left behind, and stray ones are swept.
        std::fs::write(d.join(".tmp.stale"), b"").unwrap();
        assert_eq!(sweep_temps(&d).unwrap(), vec![".tmp.stale".to_string()]);
        let names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }
}
