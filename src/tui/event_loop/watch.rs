//! The live queue: a watcher (`notify`, inotify on Linux: no polling, no timer) wakes the
//! event loop when the decision log changes, so another reviewer's decision shows within
//! a second and an idle workbench writes nothing. Only the log's index is read again
//! (`Effect::RefreshLog`); the case files are not.
//!
//! What is watched: `decisions/log/` (records are published into it with `link()`, one
//! create event each). While it does not exist yet, its nearest existing parent is
//! watched, and the watch moves down as the directories appear. Only changes are asked
//! for (create, remove, rename, close after writing): the workbench's own reads of the
//! log (open, close without writing) would otherwise wake it after every read.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};

use notify::{Config, EventKindMask, RecommendedWatcher, RecursiveMode, Watcher};

use crate::record::log::Paths;
use crate::tui::app::Msg;

/// The events that mean the log changed: what the old inotify mask asked for
/// (IN_CREATE, IN_MOVED_TO, IN_CLOSE_WRITE, IN_DELETE).
const CHANGES: EventKindMask = EventKindMask::CREATE
    .union(EventKindMask::REMOVE)
    .union(EventKindMask::MODIFY_NAME)
    .union(EventKindMask::ACCESS_CLOSE);

/// Starts the watcher thread for the log of `cases`. Without a watcher (another OS, no
/// inotify watches left) the queue is simply not live: said once, nothing else changes.
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

fn watch(log: &Path, tx: &Sender<Msg>) -> notify::Result<()> {
    let (events_tx, events) = mpsc::channel();
    let mut watcher =
        RecommendedWatcher::new(events_tx, Config::default().with_event_kinds(CHANGES))?;
    let mut watching: Option<PathBuf> = None;
    loop {
        // (Re)aim the watch: at the log once it exists.
        if let Some(t) = target(log)
            && watching.as_ref() != Some(&t)
        {
            if let Some(old) = watching.take() {
                // Gone already when it was removed: nothing to undo then.
                let _ = watcher.unwatch(&old);
            }
            watcher.watch(&t, RecursiveMode::NonRecursive)?;
            let at_log = t == log;
            watching = Some(t);
            // The log may have been written between the loader's read and this watch.
            if at_log && tx.send(Msg::LogChanged).is_err() {
                return Ok(());
            }
        }
        // Blocks until something happens: no timeout, no polling. An error from the
        // watcher (its queue overflowed, say) may hide a change: read the log again.
        if events.recv().is_err() {
            return Ok(());
        }
        let in_log = watching.as_deref() == Some(log);
        if in_log && tx.send(Msg::LogChanged).is_err() {
            return Ok(()); // the workbench has ended
        }
    }
}
