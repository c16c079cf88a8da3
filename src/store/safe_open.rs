//! Reading untrusted files from a directory without being tricked: symlinks, FIFOs,
//! devices and oversized files are refused before a single byte is parsed.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

/// Default cap on a case file's size, checked before parsing.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("refused: is a symbolic link (case files must be regular files)")]
    Symlink,
    #[error("refused: is a {0}, not a regular file")]
    NotRegular(&'static str),
    #[error("refused: file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("refused: `{0}` is not a plain file name")]
    BadName(String),
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// An open directory; files are opened relative to it with `openat(O_NOFOLLOW)`, so a
/// name can never escape it or follow a link.
#[derive(Debug)]
pub struct SafeDir {
    fd: OwnedFd,
    path: PathBuf,
}

impl SafeDir {
    pub fn open(path: &Path) -> io::Result<SafeDir> {
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"))?;
        // SAFETY: `c` is a valid NUL-terminated string; the returned fd is checked below
        // and owned by `OwnedFd` from then on.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a freshly opened, valid descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(SafeDir {
            fd,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the regular file `name` (one path component) entirely, refusing anything
    /// larger than `limit` bytes.
    pub fn read_file(&self, name: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        if name.is_empty() || name.contains('/') || name == "." || name == ".." {
            return Err(ReadError::BadName(name.to_string()));
        }
        let c = std::ffi::CString::new(name).map_err(|_| ReadError::BadName(name.into()))?;
        // O_NONBLOCK: opening a FIFO must not hang waiting for a writer.
        // SAFETY: valid dir fd and NUL-terminated name; result checked below.
        let fd = unsafe {
            libc::openat(
                self.fd.as_raw_fd(),
                c.as_ptr(),
                libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let err = io::Error::last_os_error();
            return Err(match err.raw_os_error() {
                Some(libc::ELOOP) => ReadError::Symlink,
                _ => ReadError::Io(err),
            });
        }
        // SAFETY: `fd` is a freshly opened descriptor owned by `File` from here on.
        let file = unsafe { File::from_raw_fd(fd) };
        let meta = file.metadata()?;
        let ft = meta.file_type();
        if !ft.is_file() {
            return Err(ReadError::NotRegular(describe(&ft)));
        }
        if meta.len() > limit {
            return Err(ReadError::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        let mut buf = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // The file may grow between fstat and read: never read past the limit.
        file.take(limit + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > limit {
            return Err(ReadError::TooLarge {
                size: buf.len() as u64,
                limit,
            });
        }
        Ok(buf)
    }
}

fn describe(ft: &std::fs::FileType) -> &'static str {
    if ft.is_dir() {
        "directory"
    } else if ft.is_fifo() {
        "FIFO (named pipe)"
    } else if ft.is_socket() {
        "socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "device"
    } else if ft.is_symlink() {
        "symbolic link"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_fifos_and_big_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ok.yaml"), b"a: 1\n").unwrap();
        std::fs::write(dir.path().join("big.yaml"), vec![b'#'; 2048]).unwrap();
        std::os::unix::fs::symlink("ok.yaml", dir.path().join("link.yaml")).unwrap();
        let fifo =
            std::ffi::CString::new(dir.path().join("pipe.yaml").as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let d = SafeDir::open(dir.path()).unwrap();
        assert_eq!(d.read_file("ok.yaml", 100).unwrap(), b"a: 1\n");
        assert!(matches!(
            d.read_file("big.yaml", 1024),
            Err(ReadError::TooLarge { .. })
        ));
        assert!(matches!(
            d.read_file("link.yaml", 1024),
            Err(ReadError::Symlink)
        ));
        assert!(matches!(
            d.read_file("pipe.yaml", 1024),
            Err(ReadError::NotRegular(_))
        ));
        assert!(matches!(
            d.read_file("../x", 1024),
            Err(ReadError::BadName(_))
        ));
    }
}
