//! The live queue: a thread blocked on inotify (no polling, no timer) wakes the event loop
//! when the decision log changes, so another reviewer's decision shows within a second and
//! an idle workbench writes nothing. Only the log's index is read again
//! (`Effect::RefreshLog`); the case files are not.
//!
//! What is watched: `decisions/log/` (records are published into it with `link()`, one
//! IN_CREATE each). While it does not exist yet, its nearest existing parent is watched,
//! and the watch moves down as the directories appear.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use super::app::Msg;
use crate::record::log::Paths;

/// Starts the watcher thread for the log of `cases`. Without inotify (another OS, no
/// watches left) the queue is simply not live: said once, nothing else changes.
pub fn spawn(cases: &Path, tx: Sender<Msg>) {
    let log = Paths::new(cases).log;
    let spawned = std::thread::Builder::new()
        .name("log-watch".into())
        .spawn(move || {
            if let Err(e) = watch(&log, &tx) {
                let _ = tx.send(Msg::Error(format!("live queue off: {e}")));
            }
        });
    if let Err(e) = spawned {
        crate::text::warn(&format!("live queue off: {e}"));
    }
}

/// The log directory, else its nearest existing ancestor (what can be watched now).
fn target(log: &Path) -> Option<PathBuf> {
    log.ancestors().find(|p| p.is_dir()).map(Path::to_path_buf)
}

fn watch(log: &Path, tx: &Sender<Msg>) -> std::io::Result<()> {
    // SAFETY: plain syscalls on an fd this function owns; the buffer outlives each read.
    let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC) };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mask = libc::IN_CREATE | libc::IN_MOVED_TO | libc::IN_CLOSE_WRITE | libc::IN_DELETE;
    let mut watching: Option<(PathBuf, i32)> = None;
    let mut buf = [0u8; 4096];
    loop {
        // (Re)aim the watch: at the log once it exists.
        if let Some(t) = target(log)
            && watching.as_ref().is_none_or(|(w, _)| *w != t)
        {
            if let Some((_, wd)) = watching.take() {
                // SAFETY: fd and wd come from inotify_init1 / inotify_add_watch.
                unsafe { libc::inotify_rm_watch(fd, wd) };
            }
            let c = CString::new(t.as_os_str().as_bytes())
                .map_err(|_| std::io::Error::other("a NUL byte in the path"))?;
            // SAFETY: c is a valid NUL-terminated path.
            let wd = unsafe { libc::inotify_add_watch(fd, c.as_ptr(), mask) };
            if wd < 0 {
                let e = std::io::Error::last_os_error();
                // SAFETY: fd is ours and closed once.
                unsafe { libc::close(fd) };
                return Err(e);
            }
            let at_log = t == log;
            watching = Some((t, wd));
            if at_log {
                // The log may have been written between the loader's read and this watch.
                if tx.send(Msg::LogChanged).is_err() {
                    break;
                }
            }
        }
        // Blocks until something happens: no timeout, no polling.
        // SAFETY: buf is valid for buf.len() bytes.
        let n = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if n < 0 {
            let e = std::io::Error::last_os_error();
            if e.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            // SAFETY: as above.
            unsafe { libc::close(fd) };
            return Err(e);
        }
        let in_log = watching.as_ref().is_some_and(|(w, _)| w == log);
        if in_log && tx.send(Msg::LogChanged).is_err() {
            break; // the workbench has ended
        }
    }
    // SAFETY: as above.
    unsafe { libc::close(fd) };
    Ok(())
}
