//! Advisory directory locks (`flock` through `std::fs::File::lock`): freed by the kernel
//! when the holder exits or is killed, so a crashed writer never wedges the log.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
    path: PathBuf,
}

impl LockGuard {
    /// Takes the exclusive lock on `path`, creating the lock file with `mode` if needed.
    /// Blocks until the lock is free.
    pub fn exclusive(path: &Path, mode: u32) -> io::Result<LockGuard> {
        let file = open_lock_file(path, mode)?;
        file.lock()?;
        Ok(LockGuard {
            file,
            path: path.to_path_buf(),
        })
    }

    /// Takes a shared lock (readers that need a consistent listing). Blocks while a
    /// writer holds the exclusive lock.
    pub fn shared(path: &Path, mode: u32) -> io::Result<LockGuard> {
        let file = open_lock_file(path, mode)?;
        file.lock_shared()?;
        Ok(LockGuard {
            file,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        // Closing the descriptor releases the lock anyway; unlocking first is explicit.
        let _ = self.file.unlock();
    }
}

/// Opens (or creates, with an explicit mode whatever the umask) the lock file. flock
/// works on a read-only descriptor, so a reader without write permission can lock too.
fn open_lock_file(path: &Path, mode: u32) -> io::Result<File> {
    match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .mode(mode)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => {
            let meta = f.metadata()?;
            if !meta.is_file() {
                return Err(io::Error::other(format!(
                    "{}: lock file is not a regular file",
                    path.display()
                )));
            }
            // Only the creator may chmod; others' files keep their mode.
            if meta.permissions().mode() & 0o7777 != mode {
                let _ = f.set_permissions(std::fs::Permissions::from_mode(mode));
            }
            Ok(f)
        }
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusive_excludes_shared() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("LOCK");
        let g = LockGuard::exclusive(&p, 0o660).unwrap();
        let other = File::open(&p).unwrap();
        assert!(other.try_lock_shared().is_err());
        drop(g);
        assert!(other.try_lock_shared().is_ok());
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660);
    }
}
