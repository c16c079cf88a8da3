//! The log directory, read with as few system calls and allocations as a record
//! allows. Like [`crate::store::safe_open::SafeDir`]: `openat` with
//! `O_NOFOLLOW | O_NONBLOCK`, regular files only, size cap.
//!
//! Records are immutable once published, so one `read` is enough: of the size `fstat`
//! gave or, for a file the directory listing (taken under the log's lock) already showed
//! to be a regular file, of the size cap plus one byte, without the `fstat` (three system
//! calls instead of four). A read of a regular file returns less than asked only at its
//! end on local file systems; should a network file system return less, the record reads
//! short and fails its signature (a false alarm, never a false pass). A file swapped for
//! a FIFO after the listing reads empty or what its writer wrote (`O_NONBLOCK`), and such
//! bytes must still be a signed record in its place in the chain.

use std::io::Write as _;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;

pub struct LogDir {
    dir: std::fs::File,
    path: std::path::PathBuf,
}

/// A log file's name, NUL-terminated, built without allocating.
pub struct Name {
    buf: [u8; 40],
    len: usize,
}

impl Name {
    /// `00000042.yaml` (`sig`: `00000042.yaml.sig`), as [`super::log::record_name`].
    pub fn new(seq: u64, sig: bool) -> Name {
        let mut buf = [0u8; 40];
        let mut w = &mut buf[..];
        // 20 digits + ".yaml.sig" + NUL fit in 40 bytes, so the write cannot fail.
        let _ = write!(w, "{seq:08}.yaml{}", if sig { ".sig" } else { "" });
        let len = 40 - w.len();
        Name { buf, len }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits and ".yaml.sig" were written.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    fn c_ptr(&self) -> *const libc::c_char {
        // `buf` was zeroed and `len < 40`, so `buf[len]` is the terminating NUL.
        self.buf.as_ptr().cast()
    }
}

impl LogDir {
    pub fn open(path: &Path) -> std::io::Result<LogDir> {
        Ok(LogDir {
            dir: std::fs::File::open(path)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file `name` into `buf` (cleared first), refusing symbolic links,
    /// anything but a regular file, and files larger than `limit` bytes.
    pub fn read_into(&self, name: &Name, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let fd = self.open_file(name)?;
        read_checked(&fd, limit, buf)
    }

    /// [`LogDir::read_into`] for a file the listing showed to be a regular file.
    pub fn read_listed(&self, name: &Name, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let fd = self.open_file(name)?;
        let want = usize::try_from(limit).unwrap_or(usize::MAX - 1) + 1;
        buf.clear();
        buf.reserve(want);
        loop {
            // SAFETY: reads at most `want` bytes into the spare capacity reserved above.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), want) };
            if n >= 0 {
                // SAFETY: the kernel initialised `n <= want` bytes.
                unsafe { buf.set_len(n.unsigned_abs()) };
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        if buf.len() < want {
            return Ok(());
        }
        // Too large (or no longer a regular file): say so as the checked read does.
        read_checked(&fd, limit, buf)
    }

    fn open_file(&self, name: &Name) -> std::io::Result<OwnedFd> {
        // SAFETY: valid directory fd and NUL-terminated name; the result is checked.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                name.c_ptr(),
                libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            let e = std::io::Error::last_os_error();
            return Err(match e.raw_os_error() {
                Some(libc::ELOOP) => std::io::Error::other("is a symbolic link"),
                _ => e,
            });
        }
        // SAFETY: `fd` was just opened and is owned (closed on drop) from here on.
        Ok(unsafe { OwnedFd::from_raw_fd(fd) })
    }
}

/// One read of the size `fstat` gives, refusing anything but a regular file and files
/// larger than `limit` bytes.
fn read_checked(fd: &OwnedFd, limit: u64, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.clear();
    // SAFETY: `st` is plain data that fstat fills; the result is checked.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    if st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return Err(std::io::Error::other("not a regular file"));
    }
    let size = u64::try_from(st.st_size).unwrap_or(0);
    if size > limit {
        return Err(std::io::Error::other(format!(
            "{size} bytes, more than the limit of {limit}"
        )));
    }
    let size = usize::try_from(size).unwrap_or(0);
    buf.reserve(size);
    while buf.len() < size {
        let want = size - buf.len();
        let spare = buf.spare_capacity_mut();
        // SAFETY: reads at most `want <= spare.len()` bytes into the spare capacity.
        let n = unsafe {
            libc::read(
                fd.as_raw_fd(),
                spare.as_mut_ptr().cast(),
                want.min(spare.len()),
            )
        };
        match n {
            n if n > 0 => {
                // SAFETY: the kernel initialised `n` more bytes.
                unsafe { buf.set_len(buf.len() + n.unsigned_abs()) };
            }
            0 => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "failed to fill whole buffer",
                ));
            }
            _ => {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}
