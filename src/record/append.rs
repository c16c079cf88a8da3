//! Appending a signed record: take the lock, pass the gate (the log it extends is whole:
//! [`super::gate`]), check the case file is the one the reviewer saw and that the
//! signer may sign it, apply the "already decided" rule, build, sign, then publish the
//! signature and then the record, each through an exclusive temporary file in the
//! staging directory, fsynced, `link()`ed into the log, with the directory fsynced.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::allowed_signers::AllowedSigners;
use super::log::{
    self, DIR_MODE, FILE_MODE, Index, LOCK_MODE, Paths, ReadLogError, SHARED_DIR_MODE,
};
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
    /// Set when the record was published but something after it failed (the directory
    /// fsync): the record is in the log; the caller says so, and must not decide again.
    pub warning: Option<String>,
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

/// A writer's handle on the log. Between its own appends it remembers what it last
/// wrote, so that when nothing else touched the log its next append costs O(1) reads;
/// otherwise the next append passes the whole gate again.
#[derive(Debug)]
pub struct Log {
    paths: Paths,
    known: Option<Known>,
}

use super::index_file::{self, DirStamp, Known};

impl Log {
    pub fn open(cases: &Path) -> Log {
        Log {
            paths: Paths::new(cases),
            known: None,
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
        publish::ensure_dir(&p.staging, SHARED_DIR_MODE).map_err(|e| io(&p.staging, e))?;
        let _guard = LockGuard::exclusive(&p.lock, LOCK_MODE).map_err(|e| io(&p.lock, e))?;
        let policy_bytes = reviewers::read_allowed_signers(&p.cases).map_err(AppendError::Io)?;
        let policy = AllowedSigners::parse(&policy_bytes)
            .map_err(|e| AppendError::Refused(format!("reviewers/{e}")))?;
        let (index, signatures, window) = self.pass_gate(&policy)?;
        let next = index.head + 1;

        check_case_unchanged(case)?;
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
        let (path, sig_path, warning) = publish_pair(&p, next, &bytes, pem.as_bytes())?;
        let link = sha256_link(&bytes);
        let sig_link = sha256_link(pem.as_bytes());
        let head = super::witness::VerifiedHead {
            seq: next,
            record: link.clone(),
            signatures: super::witness::chain_signatures(
                Some(&signatures),
                std::iter::once(sig_link.as_str()),
            ),
            signature: sig_link,
        };
        // A cache: failing to write it costs the next writer time, nothing else.
        let _ = super::witness::write(&p, &head);
        let mut index = index;
        index.add(&record, link);
        self.known = DirStamp::of(&p.log).map(|stamp| Known {
            index,
            head,
            stamp,
            checkpoints: DirStamp::of(&p.checkpoints),
            window,
        });
        if let Some(k) = &self.known {
            // A cache for the next process: failing to write it costs time only.
            let _ = index_file::store(&p, k);
        }
        Ok(Appended {
            record,
            bytes,
            path,
            sig_path,
            warning,
        })
    }

    /// Under the lock: the index of a log fit to extend, the chained hash of its
    /// signatures, and where the next spot-check starts. When this handle or the index
    /// file ([`index_file`]) describes the log as it is (nothing added, removed or
    /// renamed since the last append, its head unchanged) and the spot-check of a window
    /// of older records passes, that costs O(1) reads; otherwise the whole gate runs.
    fn pass_gate(&mut self, policy: &AllowedSigners) -> Result<(Index, String, u64), AppendError> {
        let p = &self.paths;
        let known = self.known.take().or_else(|| index_file::load(p));
        if let Some(k) = known
            && index_file::untouched_since(p, &k)
            && let Some(window) = super::gate::spot_check(p, policy, &k)
        {
            return Ok((k.index, k.head.signatures, window));
        }
        let passed = super::gate::check(p, policy)?;
        Ok((passed.index, passed.signatures, 1))
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
            if history.took_part_in_decision(&draft.reviewer) {
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
            if history.countersigned_final(&draft.reviewer) {
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
    // The named record, read from the log (the history keeps no list of records).
    let dir = crate::store::safe_open::SafeDir::open(&p.log).map_err(|e| io(&p.log, e))?;
    let no_such = || AppendError::Refused(format!("there is no record {target} of case {id}"));
    if target == 0 || !p.log.join(log::record_name(target)).exists() {
        return Err(no_such());
    }
    let (_, proposal) = log::read_record(&dir, target)?;
    if proposal.case != *id {
        return Err(no_such());
    }
    if proposal.kind != RecordType::Practice {
        return match history.final_record() {
            Some(f) if f.seq == target => rules(id, draft, history, people),
            _ => Err(AppendError::Refused(format!(
                "record {target} is a {} but not the current decision of case {id}; countersign a trainee's proposal or the current decision",
                proposal.kind.as_str()
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
    if proposal.reviewer == draft.reviewer {
        return Err(AppendError::NotAllowed(format!(
            "{} proposed record {target} and cannot countersign it",
            crate::text::sanitize_line(&draft.reviewer)
        )));
    }
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
    match publish::publish_bytes(&p.staging, &p.policies, &name, bytes, FILE_MODE) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(&p.policies, e)),
    }
}

/// Publishes signature then record for `seq` (under the lock). Temporaries live in the
/// staging directory with fixed names per seq, so a leftover of a killed writer (of any
/// member: the staging directory has no sticky bit) is replaced by the next one, and a
/// record staged by a writer killed between the two links can be completed
/// ([`super::gate`]). Returns the paths and a warning when only the final directory
/// fsync failed (the record is published).
fn publish_pair(
    p: &Paths,
    seq: u64,
    record: &[u8],
    sig: &[u8],
) -> Result<(PathBuf, PathBuf, Option<String>), AppendError> {
    let rec_name = log::record_name(seq);
    let sig_name = log::sig_name(seq);
    let tmp_sig = format!("{}{sig_name}", publish::TEMP_PREFIX);
    let tmp_rec = format!("{}{rec_name}", publish::TEMP_PREFIX);
    let final_sig = p.log.join(&sig_name);
    let final_rec = p.log.join(&rec_name);
    for t in [&tmp_sig, &tmp_rec] {
        let _ = std::fs::remove_file(p.staging.join(t));
    }
    let (ts, fs) = publish::create_exclusive(&p.staging, &tmp_sig, sig, FILE_MODE)
        .map_err(|e| io(&p.staging, e))?;
    let (tr, fr) = publish::create_exclusive(&p.staging, &tmp_rec, record, FILE_MODE)
        .map_err(|e| io(&p.staging, e))?;
    publish::sync_all_concurrently(&[&fs, &fr]).map_err(|e| io(&p.staging, e))?;
    // The signature's name appears first; a writer killed between the two links leaves
    // a signature without a record (completed or removed by the next writer), never a
    // record without a signature. One directory fsync covers both links: a journaling
    // filesystem commits them in the order they were made.
    publish::publish(&ts, &final_sig).map_err(|e| io(&final_sig, e))?;
    publish::publish(&tr, &final_rec).map_err(|e| io(&final_rec, e))?;
    let warning = publish::fsync_dir(&p.log).err().map(|e| {
        format!(
            "record {seq} was written to {} but the log directory could not be synced to disk ({e}); it is in the log: do not decide again. Check the disk, then run `casebench verify`",
            final_rec.display()
        )
    });
    Ok((final_rec, final_sig, warning))
}
