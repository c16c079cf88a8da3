//! Hang-ups and termination: a thread that waits for SIGHUP, SIGTERM, SIGINT (and
//! SIGWINCH), tells the event loop, and stands watch: if the loop has not ended the
//! process within [`WATCHDOG`], it saves the last draft snapshot itself and `_exit`s.
//! Nothing polls, nothing spins.
//!
//! `signal-hook` (already in the tree through crossterm) does the signal handling: its
//! handler, the only code that runs in signal context, writes to a pipe that the signal
//! thread blocks on (`Signals::forever`). SIGWINCH, the one that comes often (every
//! resize), is blocked in every other thread, so it never interrupts the event loop in
//! the middle of writing a frame to a slow terminal: unmasked, the stalled-terminal pty
//! test (`a_stalled_terminal_cannot_keep_the_draft_from_disk`) failed in 9 of 21 runs
//! under load, masked in 1 of 14 (the sigwait version: 0 of 20, same load).

use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM, SIGWINCH};
use signal_hook::iterator::Signals;
use std::ffi::c_int;

use crate::store::drafts::{self, Draft};
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

/// The signals that end the session (SIGWINCH only reports a resize).
const LEAVE: [c_int; 3] = [SIGHUP, SIGTERM, SIGINT];

fn name(sig: c_int) -> &'static str {
    match sig {
        SIGHUP => "SIGHUP (the terminal hung up)",
        SIGTERM => "SIGTERM",
        SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Blocks (or unblocks) SIGWINCH in the calling thread; threads spawned after inherit it.
fn mask(how: c_int) -> std::io::Result<()> {
    // SAFETY: a local sigset_t initialised by sigemptyset/sigaddset; a null old set.
    let rc = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, SIGWINCH);
        libc::pthread_sigmask(how, &set, std::ptr::null_mut())
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::from_raw_os_error(rc))
    }
}

/// Starts the signal thread. `restore` puts the terminal back (it must not panic).
pub fn spawn(tx: Sender<Msg>, restore: fn()) -> std::io::Result<()> {
    // Registered here, on the caller's thread, so that a signal arriving before the
    // thread runs is queued in the pipe, not lost (nor left to its default action).
    let mut signals = Signals::new([SIGHUP, SIGTERM, SIGINT, SIGWINCH])?;
    // Blocked here and in every thread spawned after (call this before any other), and
    // unblocked in the signal thread alone.
    mask(libc::SIG_BLOCK)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let _ = mask(libc::SIG_UNBLOCK);
            // Blocks in a read of signal-hook's pipe: no timer, no polling.
            let mut leave = None;
            for sig in signals.forever() {
                if LEAVE.contains(&sig) {
                    leave = Some(sig);
                    break;
                }
                // SIGWINCH: the input thread blocks in poll(2) on the terminal only,
                // so resizes are reported from here.
                if let Ok((w, h)) = ratatui::crossterm::terminal::size() {
                    let _ = tx.send(Msg::Resize(w, h));
                }
            }
            let Some(sig) = leave else {
                return;
            };
            let _ = tx.send(Msg::Hangup(name(sig).into()));
            std::thread::sleep(WATCHDOG);
            // Still here: the event loop is stuck (a blocked write, a spinning reader).
            save_snapshot();
            restore();
            // Exit status 2, as after any I/O error. SAFETY: _exit ends the process at
            // once, without running destructors that a stuck thread might hold locks of.
            unsafe { libc::_exit(2) }
        })
        .map(|_| ())
}

/// The time drafts are stamped with.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
