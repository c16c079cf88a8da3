//! The workbench's readers of the disk, each on its own worker thread: the case loader
//! (at start and on `R`) and the decision log's reader (this user's memory brought up to
//! date, then the statuses and the proposals from it), so the queue never waits for the
//! log.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use crate::audit::signed::Which;
use crate::case::LoadOptions;
use crate::rules::{CaseSet, load_dir};
use crate::tui::Options;
use crate::tui::app::{LogLoad, Msg};
use crate::tui::screens::countersign::PendingView;

/// One reader of the decision log at a time: asked again while it reads, it reads once
/// more when done (with the newest case set), so an older answer can never arrive after
/// a newer one.
#[derive(Default)]
pub(super) struct LogReader {
    /// `Some` while a reader runs; the inner `Some` is a read asked for meanwhile.
    busy: Mutex<Option<Option<Arc<CaseSet>>>>,
}

/// Reads the decision log on a worker (`read_log`): after the cases are loaded, and
/// again after a signature or a change by another process.
pub(super) fn spawn_log_refresh(
    options: &Options,
    reader: &Arc<LogReader>,
    set: Arc<CaseSet>,
    tx: Sender<Msg>,
) {
    {
        let mut busy = reader.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(again) = busy.as_mut() {
            *again = Some(set);
            return;
        }
        *busy = Some(None);
    }
    let dir = options.cases.clone();
    let state = options.state();
    let worker = reader.clone();
    let spawned = std::thread::Builder::new()
        .name("log-reader".into())
        .spawn(move || {
            let mut set = set;
            loop {
                match &state {
                    Ok(state) => read_log(&dir, state, &set, &mut |m| {
                        let _ = tx.send(m);
                    }),
                    Err(e) => {
                        let _ = tx.send(Msg::Log(LogLoad::Unverified(e.clone())));
                    }
                }
                let mut busy = worker.busy.lock().unwrap_or_else(|e| e.into_inner());
                match busy.as_mut().and_then(Option::take) {
                    Some(newer) => set = newer,
                    None => {
                        *busy = None;
                        return;
                    }
                }
            }
        });
    if let Err(e) = spawned {
        *reader.busy.lock().unwrap_or_else(|e| e.into_inner()) = None;
        crate::text::warn(&format!("cannot read the decision log: {e}"));
    }
}

/// The log's state as messages, in the order the queue can use them: `Log(Reading)`;
/// `Log(Verifying)` with the number of records new to this user, when there are many
/// (a first use verifies the whole log once); a rewind notice honoured on the way
/// (`LogRewound`); the decided statuses from this user's verified memory of the log
/// (`DecidedBy`); the pending proposals (`Pending`: read from the log, each as verified);
/// `Log(Idle)`. A log that no longer extends what this user saw, or whose new records
/// fail, is `LogRefused`: a banner, and no status it no longer supports. Public so tests
/// see the real sequence.
pub fn read_log(
    dir: &std::path::Path,
    state: &crate::record::StateDir,
    set: &CaseSet,
    send: &mut dyn FnMut(Msg),
) {
    use crate::record::memory::{TrustError, catch_up};
    send(Msg::Log(LogLoad::Reading));
    let mut said = false;
    let trusted = catch_up(dir, state, &mut |_, total| {
        if !said && total >= 1000 {
            said = true;
            send(Msg::Log(LogLoad::Verifying {
                total: usize::try_from(total).unwrap_or(usize::MAX),
            }));
        }
    });
    let t = match trusted {
        Ok(t) => t,
        Err(TrustError::Io(e)) => {
            send(Msg::Error(format!("decision log: {e}")));
            send(Msg::Pending(Vec::new()));
            send(Msg::Log(LogLoad::Unverified(e)));
            return;
        }
        Err(e) => {
            send(Msg::LogRefused(e.to_string()));
            send(Msg::Log(LogLoad::Unverified(e.to_string())));
            return;
        }
    };
    if let Some(r) = &t.rewound {
        send(Msg::LogRewound(r.describe()));
    }
    send(Msg::DecidedBy(t.index.decided_by()));
    match pending_views(dir, set, &t) {
        Ok((pending, changed)) => {
            send(Msg::Pending(pending));
            match changed.first() {
                Some(e) => send(Msg::Log(LogLoad::Unverified(e.clone()))),
                None => send(Msg::Log(LogLoad::Idle)),
            }
        }
        Err(e) => {
            send(Msg::Pending(Vec::new()));
            send(Msg::Log(LogLoad::Unverified(e)));
        }
    }
}

/// Loads the case directory on a worker thread, reporting progress every ~2%.
pub(super) fn spawn_loader(options: &Options, tx: Sender<Msg>) {
    let dir = options.cases.clone();
    let opts = LoadOptions::new(options.deadline_day());
    let spawned = std::thread::Builder::new()
        .name("loader".into())
        .spawn(move || {
            let last = AtomicUsize::new(0);
            let progress = |done: usize, total: usize| {
                let step = (total / 50).max(1);
                let prev = last.load(Ordering::Relaxed);
                if (done >= prev + step || done == total)
                    && last
                        .compare_exchange(prev, done, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    let _ = tx.send(Msg::Progress(done, total));
                }
            };
            for m in load_messages(&dir, &opts, &progress) {
                let _ = tx.send(m);
            }
        });
    if let Err(e) = spawned {
        eprintln!("casebench: cannot start the loader: {e}");
    }
}

/// What the loader answers `Effect::LoadCases` with (at start and on `R`): the case set,
/// then the log's state; or why the directory cannot be read. Tests call it directly.
pub fn load_messages(
    dir: &std::path::Path,
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Msg> {
    match load_dir(dir, opts, progress) {
        // The queue is usable now; `update` asks for the log (`RefreshLog`), which is
        // read on its own worker.
        Ok(set) => vec![Msg::Loaded(Box::new(set))],
        Err(e) => vec![Msg::LoadFailed(e.to_string())],
    }
}

/// The pending proposals of the log of `cases`, from this user's verified memory of it
/// (`state`, brought up to date first); an unreadable or refused log has none.
pub fn load_pending(
    cases: &std::path::Path,
    state: &crate::record::StateDir,
    set: &CaseSet,
) -> Result<Vec<PendingView>, String> {
    let t =
        crate::record::memory::catch_up(cases, state, &mut |_, _| {}).map_err(|e| e.to_string())?;
    Ok(pending_views(cases, set, &t)?.0)
}

/// The pending proposals this user verified (`trusted`), as the workbench shows them,
/// and what was left out (a proposal changed since it was verified).
pub fn pending_views(
    cases: &std::path::Path,
    set: &CaseSet,
    trusted: &crate::record::memory::Trusted,
) -> Result<(Vec<PendingView>, Vec<String>), String> {
    let (pending, changed) =
        crate::practice::countersign::pending_in(cases, set, &trusted.proposals()?);
    Ok((
        pending.iter().map(PendingView::from_pending).collect(),
        changed,
    ))
}

/// Reads and verifies `which` for the record view (on the caller's thread: the event
/// loop runs it on a worker), as the answer message; the record in force on a case is
/// the one this user's memory of the log (`state`) holds.
pub fn read_record(
    cases: &std::path::Path,
    state: &crate::record::StateDir,
    set: &CaseSet,
    which: Which,
) -> Msg {
    let result = crate::audit::signed::load(cases, state, set, &which).map(Box::new);
    Msg::SignedRecord { which, result }
}

/// Writes the letter of record `seq` as a PDF on Letter paper, in a new file of `dir`
/// (the workbench's current folder: `notice-<case>-<seq>.pdf`, never replacing one):
/// the same letter as `casebench notice SEQ --format pdf`. Runs on a worker; the answer
/// is a message.
pub fn write_letter(
    cases: &std::path::Path,
    set: &CaseSet,
    seq: u64,
    dir: &std::path::Path,
) -> Msg {
    use crate::audit::letters::{PaperFormat, fresh_name, write_file};
    let result = (|| {
        let report = crate::audit::AuditReport::build(cases, set).map_err(|e| e.to_string())?;
        let row = report
            .row(seq)
            .ok_or_else(|| format!("no record {seq} in the log"))?;
        let bytes = crate::audit::signed::letter_bytes(
            cases,
            set,
            row,
            PaperFormat::Pdf,
            crate::audit::pdf::Paper::Letter,
        )
        .map_err(|e| e.to_string())?;
        let case = row.case.clone().unwrap_or_default();
        let path = fresh_name(dir, &format!("notice-{case}-{seq}"), PaperFormat::Pdf);
        write_file(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
    })();
    Msg::LetterWritten(result)
}
