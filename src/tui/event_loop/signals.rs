//! Hang-ups and termination: a thread that waits for SIGHUP, SIGTERM, SIGINT (and
//! SIGWINCH) with `sigwait`, tells the event loop, and stands watch: if the loop has not
//! ended the process within [`WATCHDOG`], it saves the last draft snapshot itself and
//! `_exit`s. No handler runs in signal context, nothing polls, nothing spins.
//!
//! `pthread_sigmask` + `sigwait` from libc: the signals are blocked in the main thread
//! before any other thread exists, so every thread inherits the mask and only the signal
//! thread takes them, with no handler at all. `signal-hook` (in the tree through
//! crossterm) cannot do this: it works through handlers, and its registry runs every
//! handler registered for a signal, crossterm's own SIGWINCH handler included. Once that
//! one runs, crossterm's event source (mio, edge-triggered) can lose the terminal's
//! readiness when a resize and a key come in the same poll: the key stays unread and the
//! input thread, woken again and again with nothing to read, takes the terminal for
//! closed. Tried with signal-hook, the stalled-terminal pty test
//! (`a_stalled_terminal_cannot_keep_the_draft_from_disk`, which resizes while typing)
//! failed in 9 of 21 runs on a loaded machine with "terminal closed" and one byte left
//! unread on the terminal; with `sigwait` 0 of 20 on the same load.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::decision::draft::{self as drafts, Draft};
use crate::tui::app::Msg;

/// How long the event loop has to save and leave before the watchdog does it.
pub const WATCHDOG: Duration = Duration::from_millis(600);

/// The draft to save if the event loop cannot: the form's content while unsaved.
pub type Snapshot = Arc<Mutex<Option<Draft>>>;

/// The session's snapshot, for the panic hook (which has no other way to reach it).
static SNAPSHOT: std::sync::OnceLock<Snapshot> = std::sync::OnceLock::new();

/// Makes `snapshot` the one [`save_snapshot`] writes.
pub fn register(snapshot: &Snapshot) {
    let _ = SNAPSHOT.set(snapshot.clone());
}

/// Writes the unsaved draft, if any, without ever waiting on a lock a stuck or panicking
/// thread might hold. For the watchdog and the panic hook.
pub fn save_snapshot() {
    let Some(snapshot) = SNAPSHOT.get() else {
        return;
    };
    for _ in 0..20 {
        if let Ok(guard) = snapshot.try_lock() {
            if let Some(d) = guard.as_ref() {
                let mut d = d.clone();
                d.saved = now();
                let _ = drafts::save(&d);
            }
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

const LEAVE: [libc::c_int; 3] = [libc::SIGHUP, libc::SIGTERM, libc::SIGINT];

fn set_of(signals: &[libc::c_int]) -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset initialise and fill a local sigset_t; the signal
    // numbers are valid constants.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for &s in signals {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

fn all() -> libc::sigset_t {
    set_of(&[libc::SIGHUP, libc::SIGTERM, libc::SIGINT, libc::SIGWINCH])
}

/// Blocks the signals in the calling thread (call before spawning any thread).
pub fn block() -> std::io::Result<()> {
    let set = all();
    // SAFETY: `set` is initialised; a null old-set pointer is allowed.
    let rc = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::from_raw_os_error(rc))
    }
}

fn name(sig: libc::c_int) -> &'static str {
    match sig {
        libc::SIGHUP => "SIGHUP (the terminal hung up)",
        libc::SIGTERM => "SIGTERM",
        libc::SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Starts the signal thread. `restore` puts the terminal back (it must not panic).
pub fn spawn(tx: Sender<Msg>, restore: fn()) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let set = all();
            let sig = loop {
                let mut sig: libc::c_int = 0;
                // SAFETY: `set` is initialised and `sig` is a valid out-pointer.
                if unsafe { libc::sigwait(&set, &mut sig) } != 0 {
                    continue;
                }
                if LEAVE.contains(&sig) {
                    break sig;
                }
                // SIGWINCH: the input thread blocks in poll(2) on the terminal only,
                // so resizes are reported from here.
                if let Ok((w, h)) = ratatui::crossterm::terminal::size() {
                    let _ = tx.send(Msg::Resize(w, h));
                }
            };
            let _ = tx.send(Msg::Hangup(name(sig).into()));
            std::thread::sleep(WATCHDOG);
            // Still here: the event loop is stuck (a blocked write, a spinning reader).
            save_snapshot();
            restore();
            // Exit status 2, as after any I/O error. SAFETY: _exit ends the process at once.
            unsafe { libc::_exit(2) }
        })
        .map(|_| ())
}

/// The time drafts are stamped with.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
