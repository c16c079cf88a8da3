//! The decision log on disk: `decisions/log/NNNNNNNN.yaml` + `.yaml.sig`, and the
//! index of it (head, and each case's history) that each user's memory keeps
//! ([`super::memory`]).
//!
//! Layout and modes (explicit, whatever the umask; the directories are the
//! administrator's, [`super::dirs`]):
//! - `decisions/`, `decisions/log/`, `decisions/checkpoints/`, `decisions/policies/`:
//!   3770, owned by root (group may add files; setgid keeps the group; sticky: nobody may
//!   delete or rename another's file; others: nothing);
//! - records, signatures, checkpoints, policy copies: 0640 (nobody may rewrite them);
//! - `decisions/LOCK`: 0660;
//! - `decisions/staging/`: 2770 (group may add and remove any file: no sticky bit), for
//!   the temporaries of writers (a crashed writer's leftovers are removed by the next
//!   writer of any member).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::{NONE, Record, RecordType, sha256_link};
use crate::store::safe_open::SafeDir;

pub const DECISIONS_DIR: &str = "decisions";
pub const LOG_DIR: &str = "log";
pub const CHECKPOINTS_DIR: &str = "checkpoints";
pub const POLICIES_DIR: &str = "policies";
pub const LOCK_FILE: &str = "LOCK";
pub const STAGING_DIR: &str = "staging";
/// Left by casebench before each member kept their own memory: ignored.
pub const CACHE_DIR: &str = "cache";
pub const DIR_MODE: u32 = 0o3770;
/// Staging: setgid, group-writable, no sticky bit.
pub const SHARED_DIR_MODE: u32 = 0o2770;
pub const FILE_MODE: u32 = 0o640;
pub const LOCK_MODE: u32 = 0o660;
/// Records are small; anything larger is not one of ours.
pub const MAX_RECORD_BYTES: u64 = 256 * 1024;

/// `00000042.yaml`.
pub fn record_name(seq: u64) -> String {
    format!("{seq:08}.yaml")
}

pub fn sig_name(seq: u64) -> String {
    format!("{seq:08}.yaml.sig")
}

/// A log file name: (seq, is_signature). Other names are not log entries.
pub fn parse_name(name: &str) -> Option<(u64, bool)> {
    let (stem, sig) = match name.strip_suffix(".yaml.sig") {
        Some(s) => (s, true),
        None => (name.strip_suffix(".yaml")?, false),
    };
    if stem.len() < 8 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seq: u64 = stem.parse().ok()?;
    (stem == format!("{seq:08}") && seq > 0).then_some((seq, sig))
}

/// Paths of a case directory's log.
#[derive(Debug, Clone)]
pub struct Paths {
    pub cases: PathBuf,
    pub decisions: PathBuf,
    pub log: PathBuf,
    pub checkpoints: PathBuf,
    pub policies: PathBuf,
    pub lock: PathBuf,
    pub staging: PathBuf,
    pub cache: PathBuf,
}

impl Paths {
    pub fn new(cases: &Path) -> Paths {
        let decisions = cases.join(DECISIONS_DIR);
        Paths {
            cases: cases.to_path_buf(),
            log: decisions.join(LOG_DIR),
            checkpoints: decisions.join(CHECKPOINTS_DIR),
            policies: decisions.join(POLICIES_DIR),
            lock: decisions.join(LOCK_FILE),
            staging: decisions.join(STAGING_DIR),
            cache: decisions.join(CACHE_DIR),
            decisions,
        }
    }
}

/// What the index remembers of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub kind: RecordType,
    pub reviewer: String,
    pub time: DateTime<Utc>,
    pub outcome: String,
    /// `sha256:<hex>` of the record file.
    pub link: String,
    /// A provision record: what it carries out and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<ProvisionMark>,
}

impl Entry {
    /// What the index keeps of `rec`, whose file hashes to `link`.
    pub fn of(rec: &Record, link: String) -> Entry {
        Entry {
            seq: rec.seq,
            kind: rec.kind,
            reviewer: rec.reviewer.clone(),
            time: rec.time,
            outcome: rec.outcome.clone(),
            link,
            provision: rec.provision.as_ref().map(|p| ProvisionMark {
                provides: p.provides,
                what: p.what,
                done_on: p.done_on(),
                corrects: p.corrects,
            }),
        }
    }
}

/// What the index keeps of a provision record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionMark {
    /// The record carried out.
    pub provides: u64,
    pub what: super::model::ProvisionWhat,
    /// The day the records were provided (the later of provision and notice).
    pub done_on: chrono::NaiveDate,
    /// The provision corrected, if any.
    pub corrects: Option<u64>,
}

/// What the log says of one case, kept up to date record by record (oldest first)
/// without keeping every record: the rules need the record in force, the case's last
/// link, and who took part, never the whole history, so a case with 100,000 records
/// costs no more to look up than one with a single record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHistory {
    /// How many records of the case the log holds.
    pub count: u64,
    /// The newest record of the case (its link is the next record's `case_prev`).
    pub last: Option<Entry>,
    /// The record in force ([`CaseHistory::final_record`]).
    pub(crate) settled: Option<Entry>,
    /// Whether a decision or review was seen: a countersignature settles only before.
    pub(crate) decision_seen: bool,
    /// Whether any trainee's proposal (practice record) was seen.
    pub(crate) practice_seen: bool,
    /// Everyone who signed a record of the case.
    pub(crate) signers: std::collections::BTreeSet<String>,
    /// Those who signed a decision or a countersignature of it (164.524(a)(4)).
    pub(crate) deciders: std::collections::BTreeSet<String>,
    /// Those who countersigned the record in force after it was signed.
    pub(crate) countersigned_settled: std::collections::BTreeSet<String>,
    /// The provision in force for the record in force (the newest, corrections
    /// included); cleared when another record takes force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) provided: Option<Entry>,
}

impl CaseHistory {
    /// Adds the case's next record (records must come in seq order).
    pub fn add(&mut self, e: Entry) {
        self.count += 1;
        self.signers.insert(e.reviewer.clone());
        match e.kind {
            RecordType::Decision | RecordType::Review => {
                if e.kind == RecordType::Decision {
                    self.deciders.insert(e.reviewer.clone());
                }
                self.decision_seen = true;
                self.settled = Some(e.clone());
                self.countersigned_settled.clear();
                self.provided = None;
            }
            RecordType::Countersign => {
                self.deciders.insert(e.reviewer.clone());
                // Before any decision a countersignature made a trainee's proposal
                // final; after one, it is a second signature on the record in force.
                if self.decision_seen {
                    self.countersigned_settled.insert(e.reviewer.clone());
                } else {
                    self.settled = Some(e.clone());
                    self.countersigned_settled.clear();
                    self.provided = None;
                }
            }
            RecordType::Practice => self.practice_seen = true,
            RecordType::Provision => {
                let for_settled = e
                    .provision
                    .zip(self.settled.as_ref())
                    .is_some_and(|(p, s)| p.provides == s.seq);
                if for_settled {
                    self.provided = Some(e.clone());
                }
            }
        }
        self.last = Some(e);
    }

    /// The record that settles the case now: the latest decision or review, or a
    /// countersignature with no decision before it (it made a trainee's proposal final).
    pub fn final_record(&self) -> Option<&Entry> {
        self.settled.as_ref()
    }

    /// The provision in force for the record in force (corrections replace it).
    pub fn provision(&self) -> Option<&Entry> {
        self.provided.as_ref()
    }

    pub fn last_link(&self) -> &str {
        self.last.as_ref().map_or(NONE, |e| e.link.as_str())
    }

    /// Whether a trainee's proposal (a practice record) was signed on the case.
    pub fn has_practice(&self) -> bool {
        self.practice_seen
    }

    /// Everyone who signed a record of the case, sorted.
    pub fn signers(&self) -> impl Iterator<Item = &str> {
        self.signers.iter().map(String::as_str)
    }

    /// Whether `reviewer` countersigned the record in force after it was signed.
    pub fn countersigned_final(&self, reviewer: &str) -> bool {
        self.countersigned_settled.contains(reviewer)
    }
}

/// Who signed the record in force on a case, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedBy {
    pub reviewer: String,
    pub time: DateTime<Utc>,
    /// The record in force's outcome.
    pub outcome: String,
    /// The day its provision was done (records provided, notice sent), if recorded.
    pub provided_on: Option<chrono::NaiveDate>,
}

/// The head of the log and every case's history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub head: u64,
    /// `none` for an empty log.
    pub head_link: String,
    pub cases: HashMap<String, CaseHistory>,
}

impl Index {
    /// The index of an empty log.
    pub fn empty() -> Index {
        Index {
            head_link: NONE.to_string(),
            ..Index::default()
        }
    }

    /// The ids of the cases with a decision in force (decision, review or countersign):
    /// the queue shows them as decided.
    pub fn decided_cases(&self) -> std::collections::HashSet<String> {
        self.decided_by().into_keys().collect()
    }

    /// Who settled each decided case and when: the record in force
    /// ([`CaseHistory::final_record`]), for "decided by X at T".
    pub fn decided_by(&self) -> HashMap<String, DecidedBy> {
        self.cases
            .iter()
            .filter_map(|(id, h)| {
                let e = h.final_record()?;
                Some((
                    id.clone(),
                    DecidedBy {
                        reviewer: e.reviewer.clone(),
                        time: e.time,
                        outcome: e.outcome.clone(),
                        provided_on: h.provision().and_then(|p| p.provision).map(|p| p.done_on),
                    },
                ))
            })
            .collect()
    }

    /// The ids of the cases with a trainee's proposal (a practice record) and no decision
    /// in force. On a real case that proposal awaits a countersignature; on a practice
    /// case it is an exercise, so callers keep only real cases.
    pub fn proposed_cases(&self) -> std::collections::HashSet<String> {
        self.cases
            .iter()
            .filter(|(_, h)| h.final_record().is_none() && h.has_practice())
            .map(|(id, _)| id.clone())
            .collect()
    }

    pub(crate) fn add(&mut self, rec: &Record, link: String) {
        self.cases
            .entry(rec.case.clone())
            .or_default()
            .add(Entry::of(rec, link.clone()));
        self.head = rec.seq;
        self.head_link = link;
    }
}

/// Why the log could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadLogError {
    /// `message` names the path.
    #[error("{message}")]
    Io { path: String, message: String },
    #[error("the log is damaged at record {seq}: {message}; run `casebench verify`")]
    Damaged { seq: u64, message: String },
}

/// The seqs of the records (`.yaml`) in the log directory, sorted; empty if absent.
pub fn list_records(log_dir: &Path) -> Result<Vec<u64>, ReadLogError> {
    let rd = match std::fs::read_dir(log_dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Absent, or hidden behind a directory this user cannot enter.
            return match crate::store::access::exists(log_dir) {
                Ok(_) => Ok(Vec::new()),
                Err(message) => Err(ReadLogError::Io {
                    path: log_dir.display().to_string(),
                    message,
                }),
            };
        }
        Err(e) => return Err(io_err(log_dir, e)),
    };
    let mut seqs = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| io_err(log_dir, e))?;
        if let Some((seq, false)) = entry.file_name().to_str().and_then(parse_name) {
            seqs.push(seq);
        }
    }
    seqs.sort_unstable();
    Ok(seqs)
}

/// Reads record `seq`: its bytes and parsed form.
pub fn read_record(dir: &SafeDir, seq: u64) -> Result<(Vec<u8>, Record), ReadLogError> {
    let bytes = dir
        .read_file(&record_name(seq), MAX_RECORD_BYTES)
        .map_err(|e| match e {
            // Unreadable is not damaged: the log may be whole for those who can read it.
            crate::store::safe_open::ReadError::Io(ref io)
                if crate::store::access::is_denied(io) =>
            {
                ReadLogError::Io {
                    path: dir.path().join(record_name(seq)).display().to_string(),
                    message: crate::store::access::denied_message(
                        &dir.path().join(record_name(seq)),
                        'r',
                    ),
                }
            }
            _ => ReadLogError::Damaged {
                seq,
                message: e.to_string(),
            },
        })?;
    let rec = Record::from_bytes(&bytes).map_err(|e| ReadLogError::Damaged {
        seq,
        message: e.to_string(),
    })?;
    if rec.seq != seq {
        return Err(ReadLogError::Damaged {
            seq,
            message: format!("the file holds record {}", rec.seq),
        });
    }
    Ok((bytes, rec))
}

/// Builds an index from every record (in parallel), **unverified**: signatures are not
/// checked and nothing here is trusted. For tools and tests that look at a log as it
/// is; statuses and the append rules come from each user's verified memory
/// ([`super::memory`]).
pub fn build_index(log_dir: &Path) -> Result<Index, ReadLogError> {
    let seqs = list_records(log_dir)?;
    let mut index = Index {
        head_link: NONE.to_string(),
        ..Index::default()
    };
    if seqs.is_empty() {
        return Ok(index);
    }
    let dir = SafeDir::open(log_dir).map_err(|e| io_err(log_dir, e))?;
    let read: Vec<(Record, String)> = seqs
        .par_iter()
        .map(|&seq| read_record(&dir, seq).map(|(b, r)| (r, sha256_link(&b))))
        .collect::<Result<_, _>>()?;
    for (rec, link) in read {
        index.add(&rec, link);
    }
    Ok(index)
}

pub(crate) fn io_err(path: &Path, e: std::io::Error) -> ReadLogError {
    let message = if crate::store::access::is_denied(&e) {
        crate::store::access::denied_message(path, 'r')
    } else {
        format!("{}: {e}", path.display())
    };
    ReadLogError::Io {
        path: path.display().to_string(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(parse_name("00000042.yaml"), Some((42, false)));
        assert_eq!(parse_name("00000042.yaml.sig"), Some((42, true)));
        assert_eq!(parse_name("123456789.yaml"), Some((123_456_789, false)));
        assert_eq!(parse_name("0000042.yaml"), None);
        assert_eq!(parse_name("000000042.yaml"), None);
        assert_eq!(parse_name("00000000.yaml"), None);
        assert_eq!(parse_name(".tmp.00000001.yaml"), None);
    }
}
