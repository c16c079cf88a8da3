//! The workbench's readers of the disk, each on its own worker thread: the case loader
//! (at start and on `R`) and the decision log's reader (statuses from the index first,
//! then the verified proposals), so the queue never waits for the log.

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
    let worker = reader.clone();
    let spawned = std::thread::Builder::new()
        .name("log-reader".into())
        .spawn(move || {
            let mut set = set;
            loop {
                read_log(&dir, &set, &mut |m| {
                    let _ = tx.send(m);
                });
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
/// the decided statuses from the log's index (`DecidedBy`: cheap, so the status column
/// fills in first); `Log(Verifying)` with the number of records; the pending proposals
/// (`Pending`, from the verified log only: none when it cannot be verified, so nothing
/// unverified is ever offered); and `Log(Idle)` or `Log(Unverified)`. A missing or
/// empty log is read without verifying anything. Public so tests see the real sequence.
pub fn read_log(dir: &std::path::Path, set: &CaseSet, send: &mut dyn FnMut(Msg)) {
    send(Msg::Log(LogLoad::Reading));
    // The index's head is the number of records (seqs run 1, 2, … with no gap).
    let total = match crate::record::log::read_index(dir) {
        Ok(index) => {
            let total = usize::try_from(index.head).unwrap_or(usize::MAX);
            send(Msg::DecidedBy(index.decided_by()));
            Some(total)
        }
        Err(e) => {
            send(Msg::Error(format!("decision log: {e}")));
            None
        }
    };
    if total == Some(0) {
        send(Msg::Pending(Vec::new()));
        send(Msg::Log(LogLoad::Idle));
        return;
    }
    send(Msg::Log(LogLoad::Verifying {
        total: total.unwrap_or(0),
    }));
    match load_pending(dir, set) {
        Ok(pending) => {
            send(Msg::Pending(pending));
            send(Msg::Log(LogLoad::Idle));
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
    let opts = LoadOptions::new(options.today);
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

/// The pending proposals of the log of `cases` (verified; an unreadable log has none).
pub fn load_pending(cases: &std::path::Path, set: &CaseSet) -> Result<Vec<PendingView>, String> {
    let log = crate::record::verify::verify_log(cases, None)?;
    Ok(crate::practice::countersign::pending(set, &log)
        .iter()
        .map(PendingView::from_pending)
        .collect())
}

/// Reads and verifies `which` for the record view (on the caller's thread: the event
/// loop runs it on a worker), as the answer message.
pub fn read_record(
    cases: &std::path::Path,
    set: &CaseSet,
    which: Which,
    today: chrono::NaiveDate,
) -> Msg {
    let result = crate::audit::signed::load(cases, set, &which, today).map(Box::new);
    Msg::SignedRecord { which, result }
}
