//! Reading untrusted files from a directory without being tricked: symlinks, FIFOs,
//! devices and oversized files are refused before a single byte is parsed; files people
//! write (cases, settings, reviewers, rulebook) are refused too when they have more than
//! one hard link, since a link made with `ln /etc/shadow cases/x.yaml` is not a symlink
//! yet shows another file's content (in an error snippet, say).

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
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
    #[error(
        "refused: has {0} hard links (an input file must have exactly one: a second link may \
         be another file's content); copy the file instead of linking it"
    )]
    HardLink(u64),
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
    /// larger than `limit` bytes. For files casebench itself publishes (the log, whose
    /// records are published with `link()` and may briefly have two names).
    pub fn read_file(&self, name: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.read_at(name, limit, false)
    }

    /// [`SafeDir::read_file`] for a file people write (a case, the settings, the
    /// reviewers, a rulebook): a file with more than one hard link is refused as well,
    /// before a byte of it is read.
    pub fn read_input(&self, name: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        self.read_at(name, limit, true)
    }

    fn read_at(&self, name: &str, limit: u64, single_link: bool) -> Result<Vec<u8>, ReadError> {
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
        read_open(file, limit, single_link)
    }
}

/// Reads the file at `path`, which someone named on the command line (a checkpoint, for
/// example): a symlink is followed, but what it leads to must be a regular file of at
/// most `limit` bytes. Opened with `O_NONBLOCK`, so a FIFO never blocks, and checked with
/// `fstat` before reading, so `/dev/zero` is never read.
pub fn read_path(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    read_open(file, limit, false)
}

/// The checks and the bounded read shared by every open file.
fn read_open(file: File, limit: u64, single_link: bool) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata()?;
    let ft = meta.file_type();
    if !ft.is_file() {
        return Err(ReadError::NotRegular(describe(&ft)));
    }
    if single_link && meta.nlink() > 1 {
        return Err(ReadError::HardLink(meta.nlink()));
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

    #[test]
    fn inputs_with_a_second_hard_link_are_refused_log_files_are_not() {
        let outside = tempfile::tempdir().unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"root:x:0:0\n").unwrap();
        std::fs::hard_link(outside.path().join("secret"), dir.path().join("x.yaml")).unwrap();
        let d = SafeDir::open(dir.path()).unwrap();
        assert!(matches!(
            d.read_input("x.yaml", 1024),
            Err(ReadError::HardLink(2))
        ));
        // A published record may briefly have two names (link, then unlink).
        assert_eq!(d.read_file("x.yaml", 1024).unwrap(), b"root:x:0:0\n");
        std::fs::remove_file(outside.path().join("secret")).unwrap();
        assert_eq!(d.read_input("x.yaml", 1024).unwrap(), b"root:x:0:0\n");
    }

    #[test]
    fn a_named_path_must_lead_to_a_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let c = std::ffi::CString::new(fifo.as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(
            read_path(&fifo, 1024),
            Err(ReadError::NotRegular("FIFO (named pipe)"))
        ));
        assert!(matches!(
            read_path(Path::new("/dev/zero"), 1024),
            Err(ReadError::NotRegular("device"))
        ));
        std::fs::write(dir.path().join("big"), vec![b'x'; 2000]).unwrap();
        assert!(matches!(
            read_path(&dir.path().join("big"), 1024),
            Err(ReadError::TooLarge { size: 2000, .. })
        ));
        std::os::unix::fs::symlink("big", dir.path().join("link")).unwrap();
        assert_eq!(
            read_path(&dir.path().join("link"), 4096).unwrap().len(),
            2000
        );
    }
}
