//! The event loop: one channel of messages (keys from the input thread, cases from the
//! worker, signals from the signal thread), `update`, effects, and a draw only when
//! something changed. Idle, it blocks: no timers, no redraws. The one timeout it ever
//! waits with is the draft's typing pause, and only while there is an unsaved edit.

use std::collections::VecDeque;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::event::{self, Event, KeyCode, KeyEvent, MouseEventKind};
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::crossterm::{execute, queue};

use super::app::{Effect, Msg, State};
use super::loader::{LogReader, spawn_loader, spawn_log_refresh};
pub use super::loader::{load_messages, read_log};
use super::signals::{self, Snapshot};
use super::{update::update, views};
use crate::cli::Global;
use crate::record::model::RecordType;
use crate::rules::{Related, Rulebook};
use crate::store::drafts;

/// Pause after the last edit before the draft is written.
pub const DRAFT_PAUSE: Duration = Duration::from_secs(1);

/// Lets the event loop stop the input thread from reading the terminal, so that a
/// passphrase prompt (signing) gets the keystrokes instead.
#[derive(Default)]
pub struct InputGate {
    paused: Mutex<bool>,
    cv: std::sync::Condvar,
}

impl InputGate {
    fn set(&self, paused: bool) {
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

/// At most this many messages are handled between two draws.
const COALESCE: usize = 64;

/// Draws one frame, wrapped in a synchronized update so the terminal shows it at once.
/// ratatui diffs against the previous frame, so only changed cells are written.
pub fn draw_frame<B: Backend + Write>(terminal: &mut Terminal<B>, state: &State) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal
        .draw(|f| views::draw(state, f))
        .map_err(Into::into)?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)
}

pub fn run_loop(global: &Global, mut state: State, mouse: bool) -> i32 {
    let (tx, rx) = mpsc::channel::<Msg>();
    let snapshot: Snapshot = Arc::new(Mutex::new(None));
    signals::register(&snapshot);
    if let Err(e) = signals::block() {
        eprintln!("casebench: cannot set up signal handling: {e}");
        return 2;
    }
    if let Err(e) = signals::spawn(tx.clone(), super::terminal::emergency_restore) {
        eprintln!("casebench: cannot start the signal thread: {e}");
        return 2;
    }
    let mut terminal = match super::terminal::enter(mouse) {
        Ok(t) => t,
        Err(e) => {
            super::terminal::restore();
            eprintln!("casebench: cannot open the terminal: {e}");
            return 2;
        }
    };
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    // The first frame (with its progress line) before any case is read.
    let mut broken = draw_frame(&mut terminal, &state).is_err();
    state.needs_draw = false;
    let gate = Arc::new(InputGate::default());
    spawn_input(tx.clone(), gate.clone());
    super::watch::spawn(&global.cases, tx.clone());
    let mut pending: VecDeque<Msg> = VecDeque::new();
    let mut ctx = Ctx {
        global,
        answers: Answers::new(global),
        log_reader: Arc::default(),
    };
    run_effect(&mut ctx, &state, Effect::LoadCases, &tx, &mut pending);
    if let Some(effect) = super::audit::startup(&state) {
        run_effect(&mut ctx, &state, effect, &tx, &mut pending);
    }
    let mut draft_due: Option<Instant> = None;
    let mut code = 0;
    let mut coalesced = 0;
    if broken {
        pending.push_back(Msg::Hangup("cannot draw".into()));
    }
    'outer: loop {
        let msg = match pending.pop_front() {
            Some(m) => m,
            None => match next(&rx, draft_due) {
                Some(m) => m,
                None => break,
            },
        };
        if matches!(msg, Msg::DraftDue) {
            draft_due = None;
        }
        if let Msg::Hangup(_) = &msg {
            code = 2; // the terminal went away: an I/O error (DESIGN section 5)
        }
        for effect in update(&mut state, msg) {
            match effect {
                Effect::Quit => break 'outer,
                Effect::DraftEdited => draft_due = Some(Instant::now() + DRAFT_PAUSE),
                Effect::SaveDraft(_) => {
                    draft_due = None;
                    run_effect(&mut ctx, &state, effect, &tx, &mut pending);
                }
                Effect::Sign(d) => {
                    // Saved first: whatever happens next, the decision is on disk.
                    pending.push_back(Msg::DraftSaved(save(d.clone())));
                    // The "signing" box is on screen before a passphrase may be asked for.
                    let _ = draw_frame(&mut terminal, &state);
                    ctx.answers.forget_log();
                    let result = sign_outside(global, &state, &d, &gate, &mut terminal);
                    let (result, feedback) = match result {
                        Ok((m, f)) => (Ok(m), f),
                        Err(e) => (Err(e), None),
                    };
                    pending.push_back(Msg::Signed(result));
                    if let Some(f) = feedback {
                        pending.push_back(Msg::Feedback(f));
                    }
                }
                Effect::Countersign {
                    case,
                    seq,
                    rationale,
                } => {
                    let _ = draw_frame(&mut terminal, &state);
                    ctx.answers.forget_log();
                    let result = match state.set.as_ref() {
                        Some(set) => outside(&gate, &mut terminal, || {
                            super::countersign::sign(global, set, &case, seq, &rationale)
                        }),
                        None => Err("the cases are not loaded yet".into()),
                    };
                    pending.push_back(Msg::Countersigned { case, result });
                }
                e => run_effect(&mut ctx, &state, e, &tx, &mut pending),
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
            if draw_frame(&mut terminal, &state).is_err() {
                broken = true;
                pending.push_back(Msg::Hangup("terminal write error".into()));
            }
        }
    }
    // Whatever was unsaved goes to disk before we leave (quit, hang-up, or error).
    if let Some(f) = state.form.as_ref().filter(|f| f.dirty) {
        let _ = save(f.to_draft());
    }
    super::terminal::restore();
    code
}

/// Leaves the full screen, signs (a key's passphrase may be asked for on the terminal,
/// with the input thread held off), and comes back.
fn sign_outside(
    global: &Global,
    state: &State,
    d: &drafts::Draft,
    gate: &InputGate,
    terminal: &mut super::terminal::Term,
) -> Result<(String, super::sign::Feedback), String> {
    let Some(set) = state.set.as_ref() else {
        return Err("the cases are not loaded yet".into());
    };
    outside(gate, terminal, || {
        super::sign::sign(global, set, d, state.practice.record_kind())
    })
}

/// Runs `f` with the terminal in line mode (a key's passphrase may be asked for on it,
/// with the input thread held off), then takes it back. The workbench's own screen stays
/// (the "signing" box drawn by the caller, the prompt on its last line), so nothing is
/// left behind in the shell.
fn outside<T>(
    gate: &InputGate,
    terminal: &mut super::terminal::Term,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    gate.set(true);
    let row = terminal.size().map_or(0, |s| s.height.saturating_sub(1));
    let _ = super::terminal::suspend_for_prompt(row);
    let result = f();
    let back = super::terminal::resume_after_prompt(terminal);
    gate.set(false);
    back.map_err(|e| format!("terminal: {e}"))?;
    result
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

fn save(mut d: drafts::Draft) -> Result<String, String> {
    d.saved = signals::now();
    drafts::save(&d)
        .map(|p| p.display().to_string())
        .map_err(|e| e.to_string())
}

/// What effects need beyond the state: the options, and the rulebook once read.
struct Ctx<'a> {
    global: &'a Global,
    answers: Answers<'a>,
    log_reader: Arc<LogReader>,
}

/// Answers to the advisor's effects (`Advise`, `Preview`), computed on the loop's thread
/// (microseconds: docs/PERFORMANCE.md). Public so that tests answer them exactly as the
/// workbench does.
pub struct Answers<'a> {
    global: &'a Global,
    rulebook: Option<Result<Rulebook, String>>,
    /// The form's preview context, for one case and record type.
    preview: Option<(String, RecordType, crate::decision::preview::Context)>,
}

impl<'a> Answers<'a> {
    pub fn new(global: &'a Global) -> Answers<'a> {
        Answers {
            global,
            rulebook: None,
            preview: None,
        }
    }

    /// The log changed (a signature): the preview's context is read again.
    pub fn forget_log(&mut self) {
        self.preview = None;
    }

    /// The message answering `effect`, for `Advise` and `Preview`; `None` otherwise.
    pub fn answer(&mut self, state: &State, effect: &Effect) -> Option<Msg> {
        let global = self.global;
        let set = state.set.as_ref()?;
        match effect {
            Effect::Advise { index } => {
                let lc = set.cases.get(*index)?;
                let rb = self.rulebook.get_or_insert_with(|| {
                    Rulebook::for_case_dir(&global.cases).map_err(|e| e.to_string())
                });
                Some(match rb {
                    Ok(rb) => {
                        let related =
                            Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
                        let reviewer = crate::decision::facts::for_advice(
                            &global.cases,
                            global.reviewer.as_deref(),
                        );
                        let advice = crate::rules::engine::advise_with(
                            rb,
                            &lc.case,
                            related,
                            None,
                            &reviewer,
                            global.today(),
                        );
                        Msg::Advice {
                            case: lc.case.id.clone(),
                            view: super::advice::view(&advice, false),
                        }
                    }
                    Err(e) => Msg::Error(format!("advisor: {e}")),
                })
            }
            Effect::Preview {
                index,
                draft,
                kind,
                findings,
            } => {
                let setting = global.setting();
                // The signer's key, the policy and the case's history are read once per
                // case (and again after the log changed), not on every keystroke.
                let fresh =
                    matches!(&self.preview, Some((id, k, _)) if *id == draft.case && k == kind);
                if !fresh {
                    let c = crate::decision::preview::context(&setting, &draft.case, *kind);
                    self.preview = Some((draft.case.clone(), *kind, c));
                }
                let (_, _, c) = self.preview.as_ref()?;
                let view =
                    super::preview::compute(&setting, c, set, *index, draft, *kind, *findings);
                Some(Msg::Preview {
                    case: draft.case.clone(),
                    view,
                })
            }
            _ => None,
        }
    }
}

fn run_effect(
    ctx: &mut Ctx,
    state: &State,
    effect: Effect,
    tx: &Sender<Msg>,
    pending: &mut VecDeque<Msg>,
) {
    let global = ctx.global;
    match effect {
        Effect::LoadCases => spawn_loader(global, tx.clone()),
        e @ (Effect::Advise { .. } | Effect::Preview { .. }) => {
            if let Some(m) = ctx.answers.answer(state, &e) {
                pending.push_back(m);
            }
        }
        Effect::LoadDraft(case) => {
            let result = drafts::load(&case).map_err(|e| e.to_string());
            pending.push_back(Msg::DraftLoaded { case, result });
        }
        Effect::SaveDraft(d) => pending.push_back(Msg::DraftSaved(save(d))),
        Effect::ListDrafts => {
            let result = drafts::list().map_err(|e| e.to_string());
            pending.push_back(Msg::Drafts(result));
        }
        Effect::RemoveDraft(case) => {
            if let Err(e) = drafts::remove(&case) {
                pending.push_back(Msg::Error(format!("removing the draft: {e}")));
            }
        }
        Effect::Audit(a) => super::audit::run_effect(global, state.set.clone(), a, tx.clone()),
        // Handled by the loop itself (it needs the terminal).
        Effect::RefreshLog => {
            ctx.answers.forget_log();
            if let Some(set) = state.set.clone() {
                spawn_log_refresh(global, &ctx.log_reader, set, tx.clone());
            }
        }
        Effect::ShowRecord(which) => {
            if let Some(set) = state.set.clone() {
                let (cases, today, tx) = (global.cases.clone(), global.today(), tx.clone());
                let spawned = std::thread::Builder::new()
                    .name("record".into())
                    .spawn(move || {
                        let _ = tx.send(super::record::read(&cases, &set, which, today));
                    });
                if let Err(e) = spawned {
                    pending.push_back(Msg::Error(format!("cannot read the record: {e}")));
                }
            }
        }
        Effect::WriteLetter(seq) => {
            if let Some(set) = state.set.clone() {
                let (cases, today, tx) = (global.cases.clone(), global.today(), tx.clone());
                let spawned = std::thread::Builder::new()
                    .name("letter".into())
                    .spawn(move || {
                        let msg = match std::env::current_dir() {
                            Ok(dir) => super::record::write_letter(&cases, &set, seq, today, &dir),
                            Err(e) => Msg::LetterWritten(Err(format!("the current folder: {e}"))),
                        };
                        let _ = tx.send(msg);
                    });
                if let Err(e) = spawned {
                    pending.push_back(Msg::Error(format!("cannot write the letter: {e}")));
                }
            }
        }
        Effect::Sign(_) | Effect::Countersign { .. } | Effect::DraftEdited | Effect::Quit => {}
    }
}

/// Reads the terminal on its own thread. It blocks in poll(2) on the terminal, so a
/// hang-up (POLLHUP/POLLERR) or read error ends it instead of letting it spin.
fn spawn_input(tx: Sender<Msg>, gate: Arc<InputGate>) {
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

/// A terminal of a fixed size on any writer, for benchmarks and tests of the bytes a
/// frame costs.
pub fn byte_terminal<W: Write>(
    out: W,
    w: u16,
    h: u16,
) -> io::Result<Terminal<CrosstermBackend<W>>> {
    let backend = CrosstermBackend::new(out);
    Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
        },
    )
}
