//! Entering and leaving the terminal. `restore` never panics and ignores every error: it
//! runs from the panic hook, the watchdog and every exit path, also when the terminal is
//! already gone (writes then fail with EIO, and that is fine).

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::terminal::{
    Clear, ClearType, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{cursor, execute};

static MOUSE: AtomicBool = AtomicBool::new(false);
static MOUSE_WANTED: AtomicBool = AtomicBool::new(false);
static ENTERED: AtomicBool = AtomicBool::new(false);
/// Set once the terminal was taken over; never cleared (for the emergency restore).
static TAKEN: AtomicBool = AtomicBool::new(false);

pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Raw mode, alternate screen, bracketed paste, and the mouse only if asked for. Installs
/// a panic hook that restores the terminal before the panic message is printed.
pub fn enter(mouse: bool) -> io::Result<Term> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Keep the unsaved draft, then the raw restore: a panicking thread must not wait
        // for the stdout lock.
        super::signals::save_snapshot();
        emergency_restore();
        previous(info);
    }));
    ENTERED.store(true, Ordering::SeqCst);
    TAKEN.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        MOUSE_WANTED.store(true, Ordering::SeqCst);
        MOUSE.store(true, Ordering::SeqCst);
        execute!(out, EnableMouseCapture)?;
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// For the signing step: line mode with the cursor shown on `row` (cleared), still on
/// the workbench's alternate screen, so that a passphrase prompt appears there and
/// nothing of it is left in the shell once the workbench ends.
pub fn suspend_for_prompt(row: u16) -> io::Result<()> {
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        execute!(out, DisableMouseCapture)?;
    }
    execute!(
        out,
        DisableBracketedPaste,
        cursor::MoveTo(0, row),
        Clear(ClearType::CurrentLine),
        cursor::Show
    )?;
    out.flush()?;
    disable_raw_mode()
}

/// Takes the terminal back after [`suspend_for_prompt`]; the next frame redraws
/// everything (a prompt may have written over the screen).
pub fn resume_after_prompt(term: &mut Term) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(out, EnableBracketedPaste, cursor::Hide)?;
    if MOUSE_WANTED.load(Ordering::SeqCst) {
        MOUSE.store(true, Ordering::SeqCst);
        execute!(out, EnableMouseCapture)?;
    }
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// For a program that takes the whole terminal (the editor of `e`): the workbench's
/// alternate screen is left and the terminal's modes are put back as the shell had them
/// (line mode, cursor shown, no bracketed paste, no mouse), so the program starts on an
/// ordinary terminal, and what it leaves there is not the workbench's concern.
pub fn suspend_for_program() -> io::Result<()> {
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        execute!(out, DisableMouseCapture)?;
    }
    execute!(
        out,
        EndSynchronizedUpdate,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    )?;
    out.flush()?;
    disable_raw_mode()
}

/// Takes the terminal back after [`suspend_for_program`]: raw mode, the alternate
/// screen, bracketed paste, the mouse if it was asked for; the next frame draws every
/// cell (the buffers are cleared).
pub fn resume_after_program(term: &mut Term) -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    execute!(
        out,
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    if MOUSE_WANTED.load(Ordering::SeqCst) {
        MOUSE.store(true, Ordering::SeqCst);
        execute!(out, EnableMouseCapture)?;
    }
    // `resize` clears the screen and the buffers (never asking the terminal where its
    // cursor is, which a slow link may not answer in time).
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Puts the terminal back. Safe to call any number of times, from any thread.
pub fn restore() {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    if MOUSE.swap(false, Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        EndSynchronizedUpdate,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
    let _ = disable_raw_mode();
}

/// Puts the terminal back without Rust's stdout lock and without blocking: for the panic
/// hook and the watchdog, which may run while another thread is stuck in a write to a
/// stalled terminal (holding that lock). What does not fit at once is dropped.
pub fn emergency_restore() {
    if !TAKEN.load(Ordering::SeqCst) {
        return;
    }
    const RESET: &[u8] = b"\x1b[?2026l\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l\x1b[?2004l\x1b[?1049l\x1b[?25h";
    let fd = libc::STDOUT_FILENO;
    // SAFETY: fcntl and write on our own stdout descriptor with a valid buffer; the
    // descriptor's flags are put back as they were.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        let _ = libc::write(fd, RESET.as_ptr().cast(), RESET.len());
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags);
        }
    }
    // tcsetattr(TCSANOW): does not wait for output to drain.
    let _ = disable_raw_mode();
}
