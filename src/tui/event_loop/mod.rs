//! The event loop: one channel of messages (keys from the input thread, cases from the
//! worker, signals from the signal thread, the log's watcher), `update`, effects, and a
//! draw only when something changed. Idle, it blocks: no timers, no redraws. The one
//! timeout it ever waits with is the draft's typing pause, and only while there is an
//! unsaved edit.
//!
//! Everything that touches the world is in this folder: the threads (`input`, `loader`,
//! `signals`, `watch`), the terminal, the workers (`audit`, `sign`), the advisor's
//! answers, and `effects`, the one place where each effect is carried out.

mod answers;
mod audit;
mod effects;
mod frame;
mod input;
mod intake;
mod loader;
mod notice_preview;
mod sign;
mod signals;
mod terminal;
mod watch;

use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub use answers::{Answers, compute as compute_preview};
pub use audit::run_effect as run_audit_effect;
pub use effects::DRAFT_PAUSE;
pub use frame::{byte_terminal, draw_frame};
pub use intake::{begin_intake, edit_case, write_intake};
pub use loader::{load_messages, load_pending, read_log, read_record, write_letter};
pub use sign::{countersign, provide, refusal, sign};
pub use terminal::restore as restore_terminal;

use crate::tui::Options;
use crate::tui::app::{self, Effect, Msg, State};
use effects::{Effects, Flow};
use input::{InputGate, spawn_input};
use signals::Snapshot;

/// At most this many messages are handled between two draws.
const COALESCE: usize = 64;

pub fn run_loop(options: &Options, mut state: State) -> i32 {
    let (tx, rx) = mpsc::channel::<Msg>();
    let snapshot: Snapshot = Arc::new(Mutex::new(None));
    signals::register(&snapshot);
    // Before any other thread exists: every thread spawned after inherits the mask.
    if let Err(e) = signals::block() {
        eprintln!("casebench: cannot set up signal handling: {e}");
        return 2;
    }
    if let Err(e) = signals::spawn(tx.clone(), terminal::emergency_restore) {
        eprintln!("casebench: cannot start the signal thread: {e}");
        return 2;
    }
    let mut term = match terminal::enter(options.mouse) {
        Ok(t) => t,
        Err(e) => {
            terminal::restore();
            eprintln!("casebench: cannot open the terminal: {e}");
            return 2;
        }
    };
    if let Ok(size) = term.size() {
        state.size = (size.width, size.height);
    }
    // The first frame (with its progress line) before any case is read.
    let mut broken = draw_frame(&mut term, &state).is_err();
    state.needs_draw = false;
    let gate = Arc::new(InputGate::default());
    spawn_input(tx.clone(), gate.clone());
    watch::spawn(&options.cases, tx.clone());
    let mut pending: VecDeque<Msg> = VecDeque::new();
    let mut effects = Effects::new(options, tx.clone(), gate);
    let _ = effects.run(Effect::LoadCases, &state, &mut term, &mut pending);
    if let Some(effect) = app::startup(&state) {
        let _ = effects.run(effect, &state, &mut term, &mut pending);
    }
    let mut code = 0;
    let mut coalesced = 0;
    if broken {
        pending.push_back(Msg::Hangup("cannot draw".into()));
    }
    'outer: loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match next(&rx, effects.draft_due) {
                Some(m) => m,
                None => break,
            },
        };
        if matches!(msg, Msg::DraftDue) {
            effects.draft_due = None;
        }
        if let Msg::Hangup(_) = &msg {
            code = 2; // the terminal went away: an I/O error (DESIGN section 5)
        }
        for effect in app::update(&mut state, msg) {
            if effects.run(effect, &state, &mut term, &mut pending) == Flow::Quit {
                break 'outer;
            }
        }
        update_snapshot(&snapshot, &state);
        // Coalesce: handle what is already queued before drawing once (but draw at least
        // every COALESCE messages, so a flood of input cannot starve the screen).
        coalesced += 1;
        if coalesced < COALESCE {
            if !pending.is_empty() {
                continue;
            }
            if let Ok(m) = rx.try_recv() {
                pending.push_back(m);
                continue;
            }
        }
        coalesced = 0;
        if state.needs_draw && !broken {
            state.needs_draw = false;
            if draw_frame(&mut term, &state).is_err() {
                broken = true;
                pending.push_back(Msg::Hangup("terminal write error".into()));
            }
        }
    }
    // Whatever was unsaved goes to disk before we leave (quit, hang-up, or error).
    if let Some(f) = state.form.as_ref().filter(|f| f.dirty) {
        let _ = effects::save(f.to_draft());
    }
    terminal::restore();
    match effects.kept_intake.take() {
        Some(Ok(path)) => crate::text::warn(&format!(
            "the unfinished intake's answers are kept at {}: `casebench new --answers {}` goes on from there",
            path.display(),
            path.display()
        )),
        Some(Err(e)) => crate::text::warn(&format!(
            "the unfinished intake's answers could not be kept: {e}"
        )),
        None => {}
    }
    code
}

fn next(rx: &Receiver<Msg>, draft_due: Option<Instant>) -> Option<Msg> {
    match draft_due {
        Some(when) => match rx.recv_timeout(when.saturating_duration_since(Instant::now())) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Timeout) => Some(Msg::DraftDue),
            Err(RecvTimeoutError::Disconnected) => None,
        },
        None => rx.recv().ok(),
    }
}

fn update_snapshot(snapshot: &Snapshot, state: &State) {
    let draft = state
        .form
        .as_ref()
        .filter(|f| f.dirty)
        .map(|f| f.to_draft());
    if let Ok(mut g) = snapshot.lock() {
        *g = draft;
    }
}
