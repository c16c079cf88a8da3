//! Appending a signed record: take the lock, bring this user's memory of the log up to
//! date (the log still extends what they verified, and every record new to them
//! verifies: [`super::memory`]; an interrupted append completed, older records
//! spot-checked: [`super::gate`]), check the case file is the one the reviewer saw and
//! that the signer may sign it, apply the log's rules ([`super::log_rules`]) against
//! this user's verified index, build, sign, then publish the signature and then the
//! record, each through an exclusive temporary file in the staging directory, fsynced,
//! `link()`ed into the log, with the directory fsynced; then remember the new head.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::allowed_signers::AllowedSigners;
pub use super::append_error::AppendError;
use super::dirs::{self, Need};
use super::log::{self, FILE_MODE, LOCK_MODE, Paths};
use super::log_rules::{self, Target};
use super::memory::{self, StateDir, TrustError};
use super::model::{
    DeadlineInfo, Disclosure, Fee, Notice, OverriddenFinding, Provision, RECORD_TAG, Record,
    RecordAction, RecordType, sha256_link,
};
use super::reviewers;
use super::signer::Signer;
use super::sshsig;
use crate::case::LoadedCase;
use crate::store::lock::LockGuard;
use crate::store::publish;

/// A validated proposal, ready to be signed: everything of the record except what the
/// log and the signer supply (seq, links, key, policy, time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    pub kind: RecordType,
    pub reviewer: String,
    pub outcome: String,
    pub grounds: Vec<String>,
    pub records: Vec<RecordAction>,
    pub disclosures: Vec<Disclosure>,
    pub notice: Notice,
    pub deadline: DeadlineInfo,
    /// A provision's block: `provides` and `provides_sha256` are set when it is signed,
    /// to the record in force then (like a review's `reviews`).
    pub provision: Option<Provision>,
    pub fees: Vec<Fee>,
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

impl Unsigned {
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
            provision: self.provision.clone(),
            fees: self.fees.clone(),
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
    /// What the user is told besides: a rewind notice honoured on the way, an
    /// interrupted append seen.
    pub notes: Vec<String>,
    /// The case's history after this record (from this user's verified memory).
    pub history: log::CaseHistory,
}

fn io(what: &Path, e: impl std::fmt::Display) -> AppendError {
    AppendError::Io(format!("{}: {e}", what.display()))
}

/// A writer's handle on the log, as one user: the case directory, and the state
/// directory holding that user's memory of the log ([`super::memory`]).
#[derive(Debug, Clone)]
pub struct Log {
    paths: Paths,
    state: StateDir,
}

impl Log {
    pub fn open(cases: &Path, state: &StateDir) -> Log {
        Log {
            paths: Paths::new(cases),
            state: state.clone(),
        }
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Signs `draft` about `case` with `signer` at `time` and appends it.
    pub fn append(
        &mut self,
        case: &LoadedCase,
        draft: &Unsigned,
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
        draft: &Unsigned,
        signer: &mut Signer,
        time: DateTime<Utc>,
        target: u64,
    ) -> Result<Appended, AppendError> {
        self.append_pointing(case, draft, signer, time, Some(target))
    }

    fn append_pointing(
        &mut self,
        case: &LoadedCase,
        draft: &Unsigned,
        signer: &mut Signer,
        time: DateTime<Utc>,
        target: Option<u64>,
    ) -> Result<Appended, AppendError> {
        let p = self.paths.clone();
        dirs::ensure(&p, &[Need::Log, Need::Policies, Need::Staging]).map_err(AppendError::Io)?;
        let _guard = LockGuard::exclusive(&p.lock, LOCK_MODE).map_err(|e| io(&p.lock, e))?;
        let policy_bytes = reviewers::read_allowed_signers(&p.cases).map_err(AppendError::Io)?;
        let policy = AllowedSigners::parse(&policy_bytes)
            .map_err(|e| AppendError::Refused(format!("reviewers/{e}")))?;
        // This user's memory, brought up to date under the lock: the log still extends
        // what they verified, and every record new to them verifies.
        let mut session = memory::open(&p.cases, &self.state, &mut |_, _| {})?;
        if super::preflight::complete_interrupted(&p, &policy, session.index().head)? {
            session.save().map_err(AppendError::Io)?;
            drop(session);
            session = memory::open(&p.cases, &self.state, &mut |_, _| {})?;
        }
        super::preflight::sweep(&p, session.log_temps())?;
        let head = (session.index().head, session.index().head_link.clone());
        let window = super::preflight::spot_check(
            &p,
            &policy,
            &session.policies(),
            session.window(),
            (head.0, &head.1),
        )
        .map_err(|(seq, msg)| {
            AppendError::from(TrustError::Damaged {
                seq: Some(seq),
                message: msg,
            })
        })?;
        session.set_window(window);
        let mut notes: Vec<String> = session
            .rewound()
            .map(|r| r.describe())
            .into_iter()
            .collect();
        let next = head.0 + 1;

        check_case_unchanged(case)?;
        let namespace = draft.kind.namespace();
        let time = time.with_nanosecond_zero();
        policy
            .check(&draft.reviewer, signer.public_key(), namespace, time)
            .map_err(|d| AppendError::NotAllowed(format!("cannot sign: {d}")))?;
        let people = reviewers::load(&p.cases).map_err(AppendError::Io)?;
        let history = session
            .index()
            .cases
            .get(&case.case.id)
            .cloned()
            .unwrap_or_default();
        // The proposal a countersignature names, as this user verified it.
        let verified = match target {
            Some(t) => session.proposal(t).map_err(AppendError::Io)?,
            None => None,
        };
        let (reviews, countersigns) =
            pointers(&p, case, draft, &history, target, head.0, verified.as_ref())?;

        let mut record = draft.to_record(
            case,
            Stamp {
                seq: next,
                prev: head.1.clone(),
                case_prev: history.last_link().to_string(),
                reviews,
                countersigns,
                key: sshsig::fingerprint(signer.public_key()),
                policy: policy.policy_link(),
                time,
            },
        );
        // A provision carries out the record in force now, under the lock.
        if let (Some(p), Some(f)) = (record.provision.as_mut(), history.final_record()) {
            p.provides = f.seq;
            p.provides_sha256 = f.link.clone();
        }
        // The log's rules, as `verify` applies them, from this user's verified index.
        let lookup = |s: u64| target_of(&p, &history, verified.as_ref(), s);
        log_rules::check(&record, &history, &people, &lookup)?;
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
        let remembered = session
            .appended(
                &record,
                &link,
                &sig_link,
                &policy.policy_link(),
                memory::DirStamp::of(&p.log),
            )
            .and_then(|()| session.save());
        if let Err(e) = remembered {
            // The record is in the log; the next command verifies it as new.
            notes.push(format!(
                "record {next} is in the log, but your memory of it could not be saved: {e}"
            ));
        }
        let history = session
            .index()
            .cases
            .get(&case.case.id)
            .cloned()
            .unwrap_or_default();
        Ok(Appended {
            record,
            bytes,
            path,
            sig_path,
            warning,
            notes,
            history,
        })
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

/// Signs and appends one record as the user whose memory `state` holds: the function
/// the workbench's Sign button and `casebench decide` both call.
pub fn sign_and_append(
    cases: &Path,
    state: &StateDir,
    case: &LoadedCase,
    draft: &Unsigned,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> Result<Appended, AppendError> {
    Log::open(cases, state).append(case, draft, signer, time)
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

/// What a review or countersignature points to (`reviews`, `countersigns`): the record
/// in force on the case, or the record named with `--countersigns`. What the log's rules
/// then say of it is [`log_rules::check`]'s; here only what needs the case file or the
/// named record's existence.
fn pointers(
    p: &Paths,
    case: &LoadedCase,
    draft: &Unsigned,
    history: &log::CaseHistory,
    target: Option<u64>,
    head: u64,
    verified: Option<&memory::ProposalRef>,
) -> Result<(Option<u64>, Option<u64>), AppendError> {
    let in_force = history.final_record().map(|f| f.seq);
    let Some(t) = target else {
        return Ok(match draft.kind {
            RecordType::Review => (in_force, None),
            RecordType::Countersign => (None, in_force),
            RecordType::Decision | RecordType::Practice | RecordType::Provision => (None, None),
        });
    };
    let id = &case.case.id;
    if draft.kind != RecordType::Countersign {
        return Err(AppendError::Refused(format!(
            "only a countersignature names a record to countersign, not a {}",
            draft.kind.as_str()
        )));
    }
    let no_such = || AppendError::Refused(format!("there is no record {t} of case {id}"));
    if t == 0 || t > head {
        return Err(no_such());
    }
    let dir = crate::store::safe_open::SafeDir::open(&p.log).map_err(|e| io(&p.log, e))?;
    let (bytes, named) = log::read_record(&dir, t).map_err(|_| no_such())?;
    if named.case != *id {
        return Err(no_such());
    }
    if let Some(proposal) = verified
        && proposal.link != sha256_link(&bytes)
    {
        return Err(AppendError::Damaged(format!(
            "the decision log is damaged: record {t}: it is not the proposal you verified (rewritten since); nothing was written. Run `casebench verify` to see every problem"
        )));
    }
    if named.kind == RecordType::Practice && case.case.practice.is_some() {
        return Err(AppendError::Refused(format!(
            "case {id} is a practice case: attempts are scored, not countersigned"
        )));
    }
    Ok((None, Some(t)))
}

/// Record `seq` as the rules see it: a proposal this user verified (`verified`) must
/// hash as it did; a practice record of an undecided case this user did not verify as a
/// proposal is none; any other record is read for what it is (only to say why it is
/// refused).
fn target_of(
    p: &Paths,
    history: &log::CaseHistory,
    verified: Option<&memory::ProposalRef>,
    seq: u64,
) -> Option<Target> {
    let dir = crate::store::safe_open::SafeDir::open(&p.log).ok()?;
    let (bytes, rec) = log::read_record(&dir, seq).ok()?;
    match verified.filter(|v| v.seq == seq) {
        Some(v) if v.link != sha256_link(&bytes) => None,
        None if rec.kind == RecordType::Practice && history.final_record().is_none() => None,
        _ => Some(Target::of(&rec)),
    }
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
