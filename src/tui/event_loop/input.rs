//! The input thread: it blocks in poll(2) on the terminal, so a hang-up (POLLHUP,
//! POLLERR) or a read error ends it instead of letting it spin; and the gate that holds
//! it off while a passphrase is asked for on the terminal.

use std::io;
use std::os::fd::AsRawFd;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, MouseEventKind};

use crate::tui::app::Msg;

/// Lets the event loop stop the input thread from reading the terminal, so that a
/// passphrase prompt (signing) gets the keystrokes instead.
#[derive(Default)]
pub struct InputGate {
    paused: Mutex<bool>,
    cv: std::sync::Condvar,
}

impl InputGate {
    pub(super) fn set(&self, paused: bool) {
        let mut g = self.paused.lock().unwrap_or_else(|e| e.into_inner());
        *g = paused;
        self.cv.notify_all();
    }

    fn is_paused(&self) -> bool {
        *self.paused.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Blocks while paused (no CPU: a condition variable).
    fn wait(&self) {
        let mut g = self.paused.lock().unwrap_or_else(|e| e.into_inner());
        while *g {
            g = self.cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// Reads the terminal on its own thread. It blocks in poll(2) on the terminal, so a
/// hang-up (POLLHUP/POLLERR) or read error ends it instead of letting it spin.
pub(super) fn spawn_input(tx: Sender<Msg>, gate: Arc<InputGate>) {
    let _ = std::thread::Builder::new()
        .name("input".into())
        .spawn(move || {
            let reason = input_loop(&tx, &gate);
            let _ = tx.send(Msg::Hangup(reason));
        });
}

fn input_loop(tx: &Sender<Msg>, gate: &InputGate) -> String {
    let tty = TtyFd::open();
    let mut idle_wakeups = 0u32;
    loop {
        gate.wait();
        // Everything crossterm can read without blocking.
        loop {
            match event::poll(Duration::ZERO) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return format!("terminal read error: {e}"),
            }
            let msg = match event::read() {
                Ok(Event::Key(k)) => Msg::Key(k),
                Ok(Event::Paste(s)) => Msg::Paste(s),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                // With --mouse, the wheel scrolls like the arrow keys.
                Ok(Event::Mouse(m)) => match m.kind {
                    MouseEventKind::ScrollDown => Msg::Key(KeyEvent::from(KeyCode::Down)),
                    MouseEventKind::ScrollUp => Msg::Key(KeyEvent::from(KeyCode::Up)),
                    _ => continue,
                },
                Ok(_) => continue,
                Err(e) => return format!("terminal read error: {e}"),
            };
            idle_wakeups = 0;
            if tx.send(msg).is_err() {
                return "event loop gone".into();
            }
        }
        match tty.wait() {
            Ok(true) => return "terminal hung up".into(),
            Ok(false) => {}
            Err(e) => return format!("terminal poll error: {e}"),
        }
        if gate.is_paused() {
            // The bytes that woke us are someone else's (a passphrase): don't read them.
            idle_wakeups = 0;
            continue;
        }
        // Readable but nothing came out: an end of file reads as "ready" forever.
        idle_wakeups += 1;
        if idle_wakeups > 1000 {
            return "terminal closed".into();
        }
    }
}

/// The terminal's file descriptor for poll(2): stdin when it is the terminal (crossterm
/// reads it then), else our own /dev/tty.
struct TtyFd {
    fd: libc::c_int,
    _owned: Option<std::fs::File>,
}

impl TtyFd {
    fn open() -> TtyFd {
        // SAFETY: isatty only inspects the descriptor.
        if unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 {
            return TtyFd {
                fd: libc::STDIN_FILENO,
                _owned: None,
            };
        }
        let owned = std::fs::File::open("/dev/tty").ok();
        TtyFd {
            fd: owned.as_ref().map_or(libc::STDIN_FILENO, |f| f.as_raw_fd()),
            _owned: owned,
        }
    }

    /// Blocks until input arrives (false) or the terminal hangs up (true).
    fn wait(&self) -> io::Result<bool> {
        let mut p = libc::pollfd {
            fd: self.fd,
            events: libc::POLLIN,
            revents: 0,
        };
        loop {
            // SAFETY: one valid pollfd, infinite timeout.
            let rc = unsafe { libc::poll(&mut p, 1, -1) };
            if rc >= 0 {
                break;
            }
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        }
        Ok(p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0)
    }
}
