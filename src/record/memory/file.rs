//! Where and how a user's memory is kept: their own state directory, never the shared
//! case directory.
//!
//! ```text
//! $XDG_STATE_HOME/casebench/          0700 (else ~/.local/state/casebench, or the
//!                                          platform's local data directory)
//!   logs/<hex of record 1's hash>.json     0600  the memory of one log
//!   logs/<hex>.proposals                    0600  its trainees' proposals, one JSON line each
//!   logs/<hex>.lock                         0600  flock: one process of this user at a time
//!   places/<hex of the case directory's path>.json  0600  which log this user saw there
//! ```
//!
//! Each file is JSON: `{"format": TAG, "sum": "sha256:<hex>", "memory": {...}}`, the sum
//! taken over the exact bytes of the `memory` value. It is written to a temporary created
//! exclusively (0600) beside it, fsynced, renamed over the old file, and the directory
//! fsynced: a reader sees the old memory or the new, never half of one. A file whose sum
//! does not match is an error naming it (the memory is this user's evidence: it is never
//! silently dropped).
//!
//! The proposals (practice records signed while their case had no record in force: what
//! a supervisor may countersign) are a journal beside it, appended to and fsynced before
//! the memory that covers them is written, read only when proposals are asked for: a
//! log of 100,000 proposals costs an append nothing more than a log of one. Lines after
//! the memory's head (a writer killed between the two) are not believed; a torn last
//! line is skipped.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::record::log::Index;
use crate::store::lock::LockGuard;

/// The format tag of a log's memory file.
pub const MEMORY_TAG: &str = "casebench-memory/1";
/// The format tag of a place file.
pub const PLACE_TAG: &str = "casebench-place/1";
const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// This user's state directory: where each log's memory is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDir {
    dir: PathBuf,
}

impl StateDir {
    /// The directory `dir` itself (tests, and callers that know better).
    pub fn at(dir: &Path) -> StateDir {
        StateDir {
            dir: dir.to_path_buf(),
        }
    }

    /// This user's: `$XDG_STATE_HOME/casebench` (on Linux; `~/.local/state/casebench`
    /// when unset), else the platform's local data directory.
    pub fn of_user() -> Result<StateDir, String> {
        let dirs = directories::ProjectDirs::from("", "", "casebench").ok_or_else(|| {
            "no home directory to keep this user's memory of the decision log in: set HOME (or XDG_STATE_HOME)".to_string()
        })?;
        let dir = dirs
            .state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf();
        Ok(StateDir { dir })
    }

    /// `dir` when given, else [`StateDir::of_user`].
    pub fn resolve(dir: Option<&Path>) -> Result<StateDir, String> {
        match dir {
            Some(d) => Ok(StateDir::at(d)),
            None => StateDir::of_user(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn logs(&self) -> PathBuf {
        self.dir.join("logs")
    }

    fn places(&self) -> PathBuf {
        self.dir.join("places")
    }

    /// The memory file of the log `id` (`sha256:<hex>` of its record 1).
    pub fn memory_file(&self, id: &str) -> PathBuf {
        self.logs().join(format!("{}.json", hex_of(id)))
    }

    /// Creates the directory and its two subdirectories, mode 0700; an existing one of
    /// this user's with looser bits is tightened.
    fn ensure(&self, sub: &Path) -> Result<(), String> {
        let err = |p: &Path, e: std::io::Error| {
            format!(
                "{}: cannot keep this user's memory of the decision log here: {e}",
                p.display()
            )
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(sub)
            .map_err(|e| err(sub, e))?;
        for d in [&self.dir, &sub.to_path_buf()] {
            let m = std::fs::symlink_metadata(d).map_err(|e| err(d, e))?;
            if !m.is_dir() {
                return Err(format!("{}: not a directory", d.display()));
            }
            // SAFETY: geteuid has no preconditions.
            let me = unsafe { libc::geteuid() };
            if m.uid() != me {
                return Err(format!(
                    "{}: belongs to uid {}, not to this user (uid {me}): a user's memory of the decision log must be their own",
                    d.display(),
                    m.uid()
                ));
            }
            if m.mode() & 0o077 != 0 {
                std::fs::set_permissions(d, std::fs::Permissions::from_mode(DIR_MODE))
                    .map_err(|e| err(d, e))?;
            }
        }
        Ok(())
    }

    /// Takes this user's lock on the memory of log `id` (blocks while another process of
    /// theirs holds it).
    pub(crate) fn lock(&self, id: &str) -> Result<LockGuard, String> {
        let logs = self.logs();
        self.ensure(&logs)?;
        let path = logs.join(format!("{}.lock", hex_of(id)));
        LockGuard::exclusive(&path, FILE_MODE).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The memory of log `id`, if this user has one.
    pub(crate) fn load(&self, id: &str) -> Result<Option<Memory>, String> {
        let path = self.memory_file(id);
        let m: Option<Memory> = read_sealed(&path, MEMORY_TAG)?;
        match m {
            Some(m) if m.log != id => Err(format!(
                "{}: holds the memory of another log ({}); move it away",
                path.display(),
                m.log
            )),
            m => Ok(m),
        }
    }

    /// Writes `m`: first its new proposals into the journal (emptied first when the
    /// memory starts again), then the memory itself.
    pub(crate) fn save(&self, m: &mut Memory) -> Result<(), String> {
        let logs = self.logs();
        self.ensure(&logs)?;
        if m.journal_reset || !m.journal_add.is_empty() {
            self.append_journal(&m.log, m.journal_reset, &m.journal_add)?;
            m.journal_reset = false;
            m.journal_add.clear();
        }
        write_sealed(&logs, &format!("{}.json", hex_of(&m.log)), MEMORY_TAG, m)
    }

    fn journal_file(&self, id: &str) -> PathBuf {
        self.logs().join(format!("{}.proposals", hex_of(id)))
    }

    fn append_journal(&self, id: &str, reset: bool, add: &[ProposalRef]) -> Result<(), String> {
        use std::io::Write as _;
        let path = self.journal_file(id);
        let err = |e: std::io::Error| format!("{}: {e}", path.display());
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true)
            .mode(FILE_MODE)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
        if reset {
            opts.write(true).truncate(true);
        } else {
            opts.append(true);
        }
        let mut f = opts.open(&path).map_err(err)?;
        let mut buf = Vec::with_capacity(add.len() * 120);
        for p in add {
            serde_json::to_writer(&mut buf, p).map_err(|e| format!("{}: {e}", path.display()))?;
            buf.push(b'\n');
        }
        f.write_all(&buf).map_err(err)?;
        f.sync_all().map_err(err)
    }

    /// The journal's proposals of log `id` up to seq `head` (each seq once, oldest first).
    pub(crate) fn proposals(&self, id: &str, head: u64) -> Result<Vec<ProposalRef>, String> {
        let path = self.journal_file(id);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let mut by_seq = BTreeMap::new();
        for line in bytes.split(|&b| b == b'\n') {
            // A torn last line (a writer killed mid-append) is not a proposal.
            if let Ok(p) = serde_json::from_slice::<ProposalRef>(line)
                && p.seq <= head
            {
                by_seq.insert(p.seq, p);
            }
        }
        Ok(by_seq.into_values().collect())
    }

    /// Which log this user last saw in the case directory `key` names.
    pub(crate) fn place(&self, key: &PlaceKey) -> Result<Option<Place>, String> {
        read_sealed(&self.places().join(&key.file), PLACE_TAG)
    }

    pub(crate) fn set_place(&self, key: &PlaceKey, place: &Place) -> Result<(), String> {
        let places = self.places();
        self.ensure(&places)?;
        write_sealed(&places, &key.file, PLACE_TAG, place)
    }
}

fn hex_of(link: &str) -> &str {
    link.strip_prefix("sha256:").unwrap_or(link)
}

/// A case directory, as the name of its place file: the hash of its canonical path.
#[derive(Debug, Clone)]
pub(crate) struct PlaceKey {
    pub path: String,
    file: String,
}

impl PlaceKey {
    pub(crate) fn of(cases: &Path) -> PlaceKey {
        let path = std::fs::canonicalize(cases)
            .or_else(|_| std::path::absolute(cases))
            .unwrap_or_else(|_| cases.to_path_buf());
        let shown = path.display().to_string();
        let file = format!(
            "{}.json",
            hex::encode(Sha256::digest(path.as_os_str().as_encoded_bytes()))
        );
        PlaceKey { path: shown, file }
    }
}

/// The log this user saw in a case directory (so that a log deleted, or replaced by
/// another, in the same place is noticed even though the memory is named by the log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Place {
    pub path: String,
    /// `sha256:<hex>` of its record 1.
    pub log: String,
    pub first_seen: DateTime<Utc>,
}

/// The newest head this user verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Head {
    pub seq: u64,
    /// `sha256:<hex>` of the record file.
    pub record: String,
    /// `sha256:<hex>` of its signature file.
    pub signature: String,
    /// When this user first saw it.
    pub first_seen: DateTime<Utc>,
}

/// A trainee's proposal this user verified: a practice record signed while its case had
/// no record in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposalRef {
    pub seq: u64,
    pub case: String,
    /// `sha256:<hex>` of the record file as verified: a later read must hash the same.
    pub link: String,
}

/// A rewind notice this user honoured (never honoured twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedRewind {
    pub file: String,
    /// `sha256:<hex>` of the notice's bytes.
    pub sha256: String,
    pub applied: DateTime<Utc>,
}

/// Inode and modification/change times of `decisions/log/`: they change when a name is
/// added, removed or renamed in it. Unchanged since the memory was written, no record
/// was added or deleted (to the kernel clock's tick), so the directory need not be
/// listed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirStamp {
    pub ino: u64,
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
}

impl DirStamp {
    pub fn of(dir: &Path) -> Option<DirStamp> {
        let m = std::fs::symlink_metadata(dir).ok()?;
        Some(DirStamp {
            ino: m.ino(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        })
    }
}

/// One user's memory of one log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Memory {
    /// `sha256:<hex>` of record 1: the log's identity, wherever it is.
    pub log: String,
    /// The newest head verified (`seq` 0 before the first record).
    pub head: Head,
    /// The index of every record up to the head, each verified by this user.
    pub index: Index,
    /// `decisions/log/` when the memory was last brought up to date.
    pub stamp: Option<DirStamp>,
    /// Where the next append's spot-check of older records starts.
    pub window: u64,
    /// Every `allowed_signers` this user saw in force (`sha256:<hex>` → when first seen):
    /// a record allowed only by an archived policy is accepted when this user saw that
    /// policy in force.
    pub policies: BTreeMap<String, DateTime<Utc>>,
    /// The rewind notices honoured.
    pub rewinds: Vec<AppliedRewind>,
    /// Proposals admitted since the memory was read, for the journal.
    #[serde(skip)]
    pub journal_add: Vec<ProposalRef>,
    /// The journal starts again (a new memory of this log).
    #[serde(skip)]
    pub journal_reset: bool,
}

impl Memory {
    /// A memory of log `id` that has seen nothing yet, keeping what a rewind carries over.
    pub(crate) fn new(
        id: &str,
        policies: BTreeMap<String, DateTime<Utc>>,
        rewinds: Vec<AppliedRewind>,
    ) -> Memory {
        Memory {
            log: id.to_string(),
            head: Head {
                seq: 0,
                record: crate::record::model::NONE.to_string(),
                signature: crate::record::model::NONE.to_string(),
                first_seen: DateTime::<Utc>::UNIX_EPOCH,
            },
            index: Index::empty(),
            stamp: None,
            window: 1,
            policies,
            rewinds,
            journal_add: Vec::new(),
            journal_reset: true,
        }
    }

    /// Adds record `rec` (with its file's `link`) to the index, and to the journal when
    /// it is a proposal.
    pub(crate) fn add(&mut self, rec: &crate::record::model::Record, link: &str) {
        let unsettled = self
            .index
            .cases
            .get(&rec.case)
            .is_none_or(|h| h.final_record().is_none());
        if rec.kind == crate::record::model::RecordType::Practice && unsettled {
            self.journal_add.push(ProposalRef {
                seq: rec.seq,
                case: rec.case.clone(),
                link: link.to_string(),
            });
        }
        self.index.add(rec, link.to_string());
    }
}

#[derive(Serialize)]
struct SealedOut<'a> {
    format: &'a str,
    sum: &'a str,
    memory: &'a serde_json::value::RawValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedIn<'a> {
    format: String,
    sum: String,
    #[serde(borrow)]
    memory: &'a serde_json::value::RawValue,
}

/// Writes `value` as `dir/name` (temporary, fsync, rename, directory fsync).
fn write_sealed<T: Serialize>(dir: &Path, name: &str, tag: &str, value: &T) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", dir.join(name).display());
    let body = serde_json::to_string(value).map_err(|e| err(&e))?;
    let raw = serde_json::value::RawValue::from_string(body).map_err(|e| err(&e))?;
    let sum = format!(
        "sha256:{}",
        hex::encode(Sha256::digest(raw.get().as_bytes()))
    );
    let mut bytes = serde_json::to_vec(&SealedOut {
        format: tag,
        sum: &sum,
        memory: &raw,
    })
    .map_err(|e| err(&e))?;
    bytes.push(b'\n');
    let tmp = format!(".{name}.{}.tmp", std::process::id());
    let _ = std::fs::remove_file(dir.join(&tmp));
    let path = crate::store::publish::write_exclusive(dir, &tmp, &bytes, FILE_MODE)
        .map_err(|e| err(&e))?;
    if let Err(e) = std::fs::rename(&path, dir.join(name)) {
        let _ = std::fs::remove_file(&path);
        return Err(err(&e));
    }
    crate::store::publish::fsync_dir(dir).map_err(|e| err(&e))
}

/// Reads a sealed file; `None` when there is none.
fn read_sealed<T: DeserializeOwned>(path: &Path, tag: &str) -> Result<Option<T>, String> {
    let damaged = |what: &str| {
        format!(
            "{}: this user's memory of the decision log is damaged ({what}); it is your evidence of what the log held, so casebench does not drop it: look at it, then move it away (`mv {} {}.bad`) to verify the log again from the start",
            path.display(),
            path.display(),
            path.display()
        )
    };
    let mut file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !meta.is_file() {
        return Err(damaged("not a regular file"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let sealed: SealedIn = serde_json::from_slice(&bytes).map_err(|e| damaged(&e.to_string()))?;
    if sealed.format != tag {
        return Err(damaged(&format!("not a `{tag}` file")));
    }
    let sum = format!(
        "sha256:{}",
        hex::encode(Sha256::digest(sealed.memory.get().as_bytes()))
    );
    if sum != sealed.sum {
        return Err(damaged("its checksum does not match its content"));
    }
    serde_json::from_str(sealed.memory.get())
        .map(Some)
        .map_err(|e| damaged(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_round_trips_privately_and_an_edit_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::at(&tmp.path().join("state"));
        let id = format!("sha256:{}", "a".repeat(64));
        assert!(state.load(&id).unwrap().is_none());
        let mut m = Memory::new(&id, BTreeMap::new(), Vec::new());
        m.head.seq = 3;
        state.save(&mut m).unwrap();
        let back = state.load(&id).unwrap().unwrap();
        assert_eq!(back.head, m.head);
        let file = state.memory_file(&id);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(&tmp.path().join("state")), 0o700);
        assert_eq!(mode(&tmp.path().join("state/logs")), 0o700);
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, text.replace("\"seq\":3", "\"seq\":2")).unwrap();
        let e = state.load(&id).unwrap_err();
        assert!(e.contains("checksum"), "{e}");
        std::fs::write(&file, "junk").unwrap();
        assert!(state.load(&id).is_err());
    }

    #[test]
    fn a_place_names_the_log_seen_there() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::at(tmp.path());
        let key = PlaceKey::of(tmp.path());
        assert!(state.place(&key).unwrap().is_none());
        let place = Place {
            path: key.path.clone(),
            log: format!("sha256:{}", "b".repeat(64)),
            first_seen: DateTime::<Utc>::UNIX_EPOCH,
        };
        state.set_place(&key, &place).unwrap();
        assert_eq!(state.place(&key).unwrap(), Some(place));
    }
}

#[cfg(test)]
mod journal_tests {
    use super::*;

    #[test]
    fn the_journal_keeps_each_proposal_once_up_to_the_head() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir::at(tmp.path());
        let id = format!("sha256:{}", "c".repeat(64));
        let p = |seq: u64| ProposalRef {
            seq,
            case: "AR-1".into(),
            link: format!("sha256:{seq:064x}"),
        };
        let mut m = Memory::new(&id, BTreeMap::new(), Vec::new());
        m.journal_add = vec![p(1), p(2)];
        state.save(&mut m).unwrap();
        m.journal_add = vec![p(2), p(3)];
        state.save(&mut m).unwrap();
        assert_eq!(state.proposals(&id, 2).unwrap(), vec![p(1), p(2)]);
        assert_eq!(state.proposals(&id, 9).unwrap(), vec![p(1), p(2), p(3)]);
        // A torn last line is skipped; a new memory starts the journal again.
        let file = state.journal_file(&id);
        let mut text = std::fs::read(&file).unwrap();
        text.extend_from_slice(b"{\"seq\":4,\"ca");
        std::fs::write(&file, text).unwrap();
        assert_eq!(state.proposals(&id, 9).unwrap().len(), 3);
        let mut fresh = Memory::new(&id, BTreeMap::new(), Vec::new());
        state.save(&mut fresh).unwrap();
        assert!(state.proposals(&id, 9).unwrap().is_empty());
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
