//! Appending a signed record: take the lock, re-read the head, check the case file is
//! the one the reviewer saw and that the signer may sign it, apply the "already
//! decided" rule, build, sign, then publish the signature and then the record, each
//! through an exclusive temporary file, fsynced, `link()`ed, with the directory fsynced.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::allowed_signers::AllowedSigners;
use super::log::{self, DIR_MODE, FILE_MODE, Index, LOCK_MODE, Paths, ReadLogError};
use super::model::{
    DeadlineInfo, Disclosure, Notice, OverriddenFinding, RECORD_TAG, Record, RecordAction,
    RecordType, sha256_link,
};
use super::reviewers::{self, Reviewers};
use super::signer::Signer;
use super::sshsig;
use crate::case::LoadedCase;
use crate::store::lock::LockGuard;
use crate::store::publish;

/// A validated proposal, ready to be signed: everything of the record except what the
/// log and the signer supply (seq, links, key, policy, time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: RecordType,
    pub reviewer: String,
    pub outcome: String,
    pub grounds: Vec<String>,
    pub records: Vec<RecordAction>,
    pub disclosures: Vec<Disclosure>,
    pub notice: Notice,
    pub deadline: DeadlineInfo,
    pub findings_overridden: Vec<OverriddenFinding>,
    pub rationale: String,
}

/// What the log and the signer add to a draft when it is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub seq: u64,
    pub prev: String,
    pub case_prev: String,
    pub reviews: Option<u64>,
    pub countersigns: Option<u64>,
    /// The signing key's fingerprint (`SHA256:...`).
    pub key: String,
    /// `sha256:<hex>` of the allowed_signers file in force.
    pub policy: String,
    pub time: DateTime<Utc>,
}

impl Draft {
    /// The record this draft becomes with `stamp`: the one function that builds a
    /// record from a draft, for the log and for the workbench's preview alike.
    pub fn to_record(&self, case: &LoadedCase, stamp: Stamp) -> Record {
        Record {
            record: RECORD_TAG.to_string(),
            seq: stamp.seq,
            prev: stamp.prev,
            case: case.case.id.clone(),
            case_sha256: case.sha256_hex(),
            case_prev: stamp.case_prev,
            kind: self.kind,
            reviews: stamp.reviews,
            countersigns: stamp.countersigns,
            reviewer: self.reviewer.clone(),
            key: stamp.key,
            policy: stamp.policy,
            time: stamp.time,
            outcome: self.outcome.clone(),
            grounds: self.grounds.clone(),
            records: self.records.clone(),
            disclosures: self.disclosures.clone(),
            notice: self.notice,
            deadline: self.deadline,
            findings_overridden: self.findings_overridden.clone(),
            rationale: normalise_text(&self.rationale),
        }
    }
}

/// A record written to the log.
#[derive(Debug, Clone)]
pub struct Appended {
    pub record: Record,
    pub bytes: Vec<u8>,
    pub path: PathBuf,
    pub sig_path: PathBuf,
}

/// Why a record was not written. Everything but `Io` is a refusal the user can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("case {case} already decided by {by} at {at}")]
    AlreadyDecided {
        case: String,
        by: String,
        at: String,
    },
    #[error(
        "the case file {path} changed since it was opened; reload it and check the decision again"
    )]
    CaseChanged { path: String },
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Damaged(String),
    #[error("{0}")]
    Io(String),
}

impl From<ReadLogError> for AppendError {
    fn from(e: ReadLogError) -> Self {
        match e {
            ReadLogError::Io { .. } => AppendError::Io(e.to_string()),
            ReadLogError::Damaged { .. } => AppendError::Damaged(e.to_string()),
        }
    }
}

fn io(what: &Path, e: impl std::fmt::Display) -> AppendError {
    AppendError::Io(format!("{}: {e}", what.display()))
}

/// A writer's handle on the log. It keeps the index between appends and catches up
/// with other writers' records under the lock, so an append costs O(1) reads.
#[derive(Debug)]
pub struct Log {
    paths: Paths,
    index: Option<Index>,
}

impl Log {
    pub fn open(cases: &Path) -> Log {
        Log {
            paths: Paths::new(cases),
            index: None,
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Signs `draft` about `case` with `signer` at `time` and appends it.
    pub fn append(
        &mut self,
        case: &LoadedCase,
        draft: &Draft,
        signer: &mut Signer,
        time: DateTime<Utc>,
    ) -> Result<Appended, AppendError> {
        self.append_pointing(case, draft, signer, time, None)
    }

    /// Appends a countersignature of record `target` of the case: a trainee's proposal
    /// (a `practice` record on a real case, which the countersignature makes final), or
    /// the case's current decision (a second signature on it).
    pub fn append_countersign(
        &mut self,
        case: &LoadedCase,
        draft: &Draft,
        signer: &mut Signer,
        time: DateTime<Utc>,
        target: u64,
    ) -> Result<Appended, AppendError> {
        self.append_pointing(case, draft, signer, time, Some(target))
    }

    fn append_pointing(
        &mut self,
        case: &LoadedCase,
        draft: &Draft,
        signer: &mut Signer,
        time: DateTime<Utc>,
        target: Option<u64>,
    ) -> Result<Appended, AppendError> {
        let p = self.paths.clone();
        for d in [&p.decisions, &p.log, &p.policies] {
            publish::ensure_dir(d, DIR_MODE).map_err(|e| io(d, e))?;
        }
        let _guard = LockGuard::exclusive(&p.lock, LOCK_MODE).map_err(|e| io(&p.lock, e))?;
        let index = self.refresh_locked()?;
        let next = index.head + 1;

        check_case_unchanged(case)?;
        let policy_bytes = reviewers::read_allowed_signers(&p.cases).map_err(AppendError::Io)?;
        let policy = AllowedSigners::parse(&policy_bytes)
            .map_err(|e| AppendError::Refused(format!("reviewers/{e}")))?;
        let namespace = draft.kind.namespace();
        let time = time.with_nanosecond_zero();
        policy
            .check(&draft.reviewer, signer.public_key(), namespace, time)
            .map_err(|d| AppendError::NotAllowed(format!("cannot sign: {d}")))?;
        let people = reviewers::load(&p.cases).map_err(AppendError::Io)?;
        let history = index.cases.get(&case.case.id).cloned().unwrap_or_default();
        let (reviews, countersigns) = match target {
            None => rules(&case.case.id, draft, &history, &people)?,
            Some(t) => pointed_countersign(&p, case, draft, &history, &people, t)?,
        };

        let record = draft.to_record(
            case,
            Stamp {
                seq: next,
                prev: index.head_link.clone(),
                case_prev: history.last_link().to_string(),
                reviews,
                countersigns,
                key: sshsig::fingerprint(signer.public_key()),
                policy: policy.policy_link(),
                time,
            },
        );
        record.check_fields().map_err(AppendError::Refused)?;
        let bytes = record.to_bytes();
        let sig = signer
            .sign(namespace, &bytes)
            .map_err(AppendError::Refused)?;
        let pem = sshsig::to_pem(&sig).map_err(AppendError::Refused)?;

        keep_policy(&p, &policy, &policy_bytes)?;
        let (path, sig_path) = publish_pair(&p.log, next, &bytes, pem.as_bytes())?;
        if let Some(ix) = self.index.as_mut() {
            ix.add(&record, sha256_link(&bytes));
        }
        Ok(Appended {
            record,
            bytes,
            path,
            sig_path,
        })
    }

    /// Under the lock: first time, sweep leftovers and read the whole log; afterwards,
    /// read only what other writers appended.
    fn refresh_locked(&mut self) -> Result<&Index, AppendError> {
        let p = &self.paths;
        match &mut self.index {
            None => {
                publish::sweep_temps(&p.log).map_err(|e| io(&p.log, e))?;
                publish::sweep_temps(&p.policies).map_err(|e| io(&p.policies, e))?;
                self.index = Some(log::build_index(&p.log)?);
            }
            Some(ix) => log::catch_up(ix, &p.log)?,
        }
        let ix = self
            .index
            .as_ref()
            .ok_or_else(|| AppendError::Io("log index missing".into()))?;
        Ok(ix)
    }
}

trait SecondsOnly {
    fn with_nanosecond_zero(self) -> Self;
}

impl SecondsOnly for DateTime<Utc> {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}

/// Signs and appends one record: the function the workbench's Sign button and
/// `casebench decide` both call.
pub fn sign_and_append(
    cases: &Path,
    case: &LoadedCase,
    draft: &Draft,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> Result<Appended, AppendError> {
    Log::open(cases).append(case, draft, signer, time)
}

/// Free text is stored as given, with exactly one final newline.
fn normalise_text(s: &str) -> String {
    let t = s.trim_end_matches(['\n', '\r']);
    format!("{t}\n")
}

/// Refuses to sign if the case file on disk is not the one that was loaded.
fn check_case_unchanged(case: &LoadedCase) -> Result<(), AppendError> {
    let changed = || AppendError::CaseChanged {
        path: case.path.display().to_string(),
    };
    let dir = case.path.parent().unwrap_or(Path::new("."));
    let name = case
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(changed)?;
    let safe = crate::store::safe_open::SafeDir::open(dir).map_err(|e| io(dir, e))?;
    let bytes = safe
        .read_file(name, crate::store::safe_open::DEFAULT_MAX_FILE_BYTES)
        .map_err(|_| changed())?;
    if Sha256::digest(&bytes).as_slice() != case.sha256 {
        return Err(changed());
    }
    Ok(())
}

/// The "already decided" rule and what reviews and countersignatures point to.
fn rules(
    case: &str,
    draft: &Draft,
    history: &log::CaseHistory,
    people: &Reviewers,
) -> Result<(Option<u64>, Option<u64>), AppendError> {
    let final_rec = history.final_record();
    let who = crate::text::sanitize_line(&draft.reviewer);
    match draft.kind {
        RecordType::Practice => Ok((None, None)),
        RecordType::Decision => match final_rec {
            Some(f) => Err(AppendError::AlreadyDecided {
                case: case.to_string(),
                by: f.reviewer.clone(),
                at: super::model::format_time(&f.time),
            }),
            None => Ok((None, None)),
        },
        RecordType::Review => {
            let f = final_rec.ok_or_else(|| {
                AppendError::Refused(format!("case {case} has no decision to review"))
            })?;
            if f.kind == RecordType::Review {
                return Err(AppendError::Refused(format!(
                    "case {case} already reviewed by {} at {}",
                    f.reviewer,
                    super::model::format_time(&f.time)
                )));
            }
            if !matches!(f.outcome.as_str(), "deny" | "release_partial") {
                return Err(AppendError::Refused(format!(
                    "only a denial can be reviewed; record {} decided `{}`",
                    f.seq, f.outcome
                )));
            }
            let licensed = people.get(&draft.reviewer).is_some_and(|r| r.licensed);
            if !licensed {
                return Err(AppendError::NotAllowed(format!(
                    "{who} is not a licensed health care professional in reviewers.yaml; a review of a denial needs one (45 CFR 164.524(a)(4))"
                )));
            }
            if history.entries.iter().any(|e| {
                e.reviewer == draft.reviewer
                    && matches!(e.kind, RecordType::Decision | RecordType::Countersign)
            }) {
                return Err(AppendError::NotAllowed(format!(
                    "{who} took part in the original decision and may not review it (45 CFR 164.524(a)(4))"
                )));
            }
            Ok((Some(f.seq), None))
        }
        RecordType::Countersign => {
            let f = final_rec.ok_or_else(|| {
                AppendError::Refused(format!("case {case} has no decision to countersign"))
            })?;
            if f.reviewer == draft.reviewer {
                return Err(AppendError::NotAllowed(format!(
                    "{who} signed record {} and cannot countersign it",
                    f.seq
                )));
            }
            if history.entries.iter().any(|e| {
                e.kind == RecordType::Countersign && e.seq > f.seq && e.reviewer == draft.reviewer
            }) {
                return Err(AppendError::Refused(format!(
                    "{who} already countersigned record {}",
                    f.seq
                )));
            }
            if f.outcome != draft.outcome {
                return Err(AppendError::Refused(format!(
                    "a countersignature agrees with the decision: record {} decided `{}`, not `{}`",
                    f.seq,
                    f.outcome,
                    crate::text::sanitize_line(&draft.outcome)
                )));
            }
            Ok((None, Some(f.seq)))
        }
    }
}

/// A countersignature that names its record. A trainee's proposal (a `practice`
/// record on a case without a reference) becomes final when a supervisor countersigns
/// it unchanged; a decision is countersigned under the ordinary rules.
fn pointed_countersign(
    p: &Paths,
    case: &LoadedCase,
    draft: &Draft,
    history: &log::CaseHistory,
    people: &Reviewers,
    target: u64,
) -> Result<(Option<u64>, Option<u64>), AppendError> {
    let id = &case.case.id;
    if draft.kind != RecordType::Countersign {
        return Err(AppendError::Refused(format!(
            "only a countersignature names a record to countersign, not a {}",
            draft.kind.as_str()
        )));
    }
    let entry = history
        .entries
        .iter()
        .find(|e| e.seq == target)
        .ok_or_else(|| AppendError::Refused(format!("there is no record {target} of case {id}")))?;
    if entry.kind != RecordType::Practice {
        return match history.final_record() {
            Some(f) if f.seq == target => rules(id, draft, history, people),
            _ => Err(AppendError::Refused(format!(
                "record {target} is a {} but not the current decision of case {id}; countersign a trainee's proposal or the current decision",
                entry.kind.as_str()
            ))),
        };
    }
    if case.case.practice.is_some() {
        return Err(AppendError::Refused(format!(
            "case {id} is a practice case: attempts are scored, not countersigned"
        )));
    }
    if let Some(f) = history.final_record() {
        return Err(AppendError::AlreadyDecided {
            case: id.clone(),
            by: f.reviewer.clone(),
            at: super::model::format_time(&f.time),
        });
    }
    if entry.reviewer == draft.reviewer {
        return Err(AppendError::NotAllowed(format!(
            "{} proposed record {target} and cannot countersign it",
            crate::text::sanitize_line(&draft.reviewer)
        )));
    }
    let dir = crate::store::safe_open::SafeDir::open(&p.log).map_err(|e| io(&p.log, e))?;
    let (_, proposal) = log::read_record(&dir, target)?;
    if proposal.outcome != draft.outcome
        || proposal.grounds != draft.grounds
        || proposal.records != draft.records
    {
        return Err(AppendError::Refused(format!(
            "a countersignature makes proposal {target} final as it stands (outcome `{}`); to decide otherwise, sign a decision",
            proposal.outcome
        )));
    }
    Ok((None, Some(target)))
}

/// Keeps a copy of the allowed_signers in force, named by its hash, so records signed
/// under it can be checked after the file is rotated.
fn keep_policy(p: &Paths, policy: &AllowedSigners, bytes: &[u8]) -> Result<(), AppendError> {
    let name = format!("{}.allowed_signers", hex::encode(policy.sha256));
    if p.policies.join(&name).exists() {
        return Ok(());
    }
    match publish::publish_bytes(&p.policies, &name, bytes, FILE_MODE) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(&p.policies, e)),
    }
}

/// Publishes signature then record for `seq` (under the lock). Temporaries have fixed
/// names per seq, so a leftover of a killed writer is replaced by the next one.
fn publish_pair(
    log_dir: &Path,
    seq: u64,
    record: &[u8],
    sig: &[u8],
) -> Result<(PathBuf, PathBuf), AppendError> {
    let rec_name = log::record_name(seq);
    let sig_name = log::sig_name(seq);
    let tmp_sig = format!("{}{sig_name}", publish::TEMP_PREFIX);
    let tmp_rec = format!("{}{rec_name}", publish::TEMP_PREFIX);
    let final_sig = log_dir.join(&sig_name);
    let final_rec = log_dir.join(&rec_name);
    // A signature without its record is what a writer killed between the two links
    // leaves; the record never appeared, so the signature is removed.
    if final_sig.exists() && !final_rec.exists() {
        std::fs::remove_file(&final_sig).map_err(|e| io(&final_sig, e))?;
    }
    for t in [&tmp_sig, &tmp_rec] {
        let _ = std::fs::remove_file(log_dir.join(t));
    }
    let (ts, fs) =
        publish::create_exclusive(log_dir, &tmp_sig, sig, FILE_MODE).map_err(|e| io(log_dir, e))?;
    let (tr, fr) = publish::create_exclusive(log_dir, &tmp_rec, record, FILE_MODE)
        .map_err(|e| io(log_dir, e))?;
    publish::sync_all_concurrently(&[&fs, &fr]).map_err(|e| io(log_dir, e))?;
    // The signature's name appears first; a writer killed between the two links leaves
    // a signature without a record (swept later), never a record without a signature.
    // One directory fsync covers both links: a journaling filesystem commits them in
    // the order they were made.
    publish::publish(&ts, &final_sig).map_err(|e| io(&final_sig, e))?;
    publish::publish(&tr, &final_rec).map_err(|e| io(&final_rec, e))?;
    publish::fsync_dir(log_dir).map_err(|e| io(log_dir, e))?;
    Ok((final_rec, final_sig))
}
