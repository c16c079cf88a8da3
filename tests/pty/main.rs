//! The pseudo-terminal tests: the real binary in a real pty (portable-pty, tmux). A
//! binary of their own so that their waits never compete with the CPU-heavy tests of
//! `tests/it`.

#[path = "../it/support/mod.rs"]
mod support;

mod tui_edit_pty;
mod tui_intake_pty;
mod tui_live_pty;
mod tui_practice_pty;
mod tui_pty;
mod tui_pty_sites;
mod tui_terminal;
