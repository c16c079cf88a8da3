//! Checkpoints: a log head (seq and the hash of that record's bytes) signed by a
//! compliance officer in namespace `casebench-audit`. Kept elsewhere, a checkpoint
//! shows that a log was truncated or its tail rewritten after it was taken.
//!
//! `decisions/checkpoints/NNNNNNNN-YYYYMMDDTHHMMSSZ.yaml` + `.yaml.sig`:
//!
//! ```yaml
//! checkpoint: casebench-checkpoint/1
//! seq: 42
//! head: sha256:<hex of record 42's bytes>
//! time: 2026-11-23T18:00:00Z
//! signer: c.adeyemi@lakeside.example
//! key: SHA256:<fingerprint>
//! site: lakeside            # only in a witness's checkpoint (docs/SITES.md)
//! ```

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::allowed_signers::AllowedSigners;
use super::log::{FILE_MODE, LOCK_MODE, Paths};
use super::model::{NS_AUDIT, format_time};
use super::signer::Signer;
use super::sshsig;
use super::verify::LogReport;
use super::yamlout::{Out, is_sha256_link};
use crate::store::lock::LockGuard;
use crate::store::publish;

pub const CHECKPOINT_TAG: &str = "casebench-checkpoint/1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub checkpoint: String,
    pub seq: u64,
    pub head: String,
    #[serde(with = "super::model::time_str")]
    pub time: DateTime<Utc>,
    pub signer: String,
    pub key: String,
    /// The site a witness cosigned this head for (several sites, docs/SITES.md): a
    /// checkpoint published for one site can then never be placed in another's log.
    /// Absent in a site's own checkpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

impl Checkpoint {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Out::default();
        o.kv_plain("checkpoint", &self.checkpoint);
        o.kv_plain("seq", &self.seq.to_string());
        o.kv_str("head", &self.head);
        o.kv_plain("time", &format_time(&self.time));
        o.kv_str("signer", &self.signer);
        o.kv_str("key", &self.key);
        if let Some(site) = &self.site {
            o.kv_str("site", site);
        }
        o.finish()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint, String> {
        let src = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
        let c: Checkpoint = crate::yaml::from_str(src)
            .map_err(|e| format!("line {}, column {}: {}", e.line, e.column, e.message))?;
        if c.checkpoint != CHECKPOINT_TAG {
            return Err(format!("not a `{CHECKPOINT_TAG}` file"));
        }
        if c.seq == 0 || !is_sha256_link(&c.head) {
            return Err("seq must be >= 1 and head `sha256:<64 hex>`".into());
        }
        if c.to_bytes() != bytes {
            return Err("not in canonical form: the file was edited".into());
        }
        Ok(c)
    }

    /// `00000042-20261123T180000Z.yaml`
    pub fn file_name(&self) -> String {
        format!(
            "{:08}-{}.yaml",
            self.seq,
            self.time.format("%Y%m%dT%H%M%SZ")
        )
    }
}

/// Verifies the log, then signs its head as `principal` into `decisions/checkpoints/`.
/// Refuses an empty or damaged log: a checkpoint must never anchor a broken chain.
pub fn write_checkpoint(
    cases: &Path,
    principal: &str,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> Result<(PathBuf, Checkpoint), String> {
    let p = Paths::new(cases);
    // The directories are the administrator's in a shared case directory.
    super::dirs::ensure(
        &p,
        &[super::dirs::Need::Checkpoints, super::dirs::Need::Staging],
    )?;
    // Under the log's lock: the head cannot move while it is checked and signed, and
    // no appender sweeps the staging directory under our temporaries.
    let _guard = LockGuard::exclusive(&p.lock, LOCK_MODE)
        .map_err(|e| format!("{}: {e}", p.lock.display()))?;
    let report = super::verify::verify_with(
        cases,
        &super::verify::Options {
            locked: true,
            ..Default::default()
        },
    )?;
    if report.head == 0 {
        return Err("the log is empty: nothing to checkpoint".into());
    }
    if !report.intact() {
        let (seq, msg) = report.first_bad().unwrap_or((None, String::new()));
        let at = seq.map_or_else(String::new, |s| format!("first at record {s}: "));
        return Err(format!(
            "the log is damaged ({at}{msg}); a checkpoint would anchor it"
        ));
    }
    let time = {
        use chrono::Timelike;
        time.with_nanosecond(0).unwrap_or(time)
    };
    let policy_bytes = super::reviewers::read_allowed_signers(cases)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    policy
        .check(principal, signer.public_key(), NS_AUDIT, time)
        .map_err(|d| format!("cannot sign a checkpoint: {d}"))?;
    let cp = Checkpoint {
        checkpoint: CHECKPOINT_TAG.to_string(),
        seq: report.head,
        head: report.head_link.clone(),
        time,
        signer: principal.to_string(),
        key: sshsig::fingerprint(signer.public_key()),
        site: None,
    };
    let bytes = cp.to_bytes();
    let sig = signer.sign(NS_AUDIT, &bytes)?;
    let pem = sshsig::to_pem(&sig)?;
    let name = cp.file_name();
    let err = |e: std::io::Error| format!("{}: {e}", p.checkpoints.join(&name).display());
    publish::publish_bytes(
        &p.staging,
        &p.checkpoints,
        &format!("{name}.sig"),
        pem.as_bytes(),
        FILE_MODE,
    )
    .map_err(err)?;
    publish::publish_bytes(&p.staging, &p.checkpoints, &name, &bytes, FILE_MODE).map_err(err)?;
    Ok((p.checkpoints.join(name), cp))
}

/// The outcome of checking a log against a checkpoint.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointReport {
    pub file: String,
    pub seq: Option<u64>,
    pub signer: Option<String>,
    pub time: Option<String>,
    /// None when the checkpoint is valid and the log matches it.
    pub problem: Option<String>,
    /// The record the problem is at, if any.
    pub bad_seq: Option<u64>,
    /// Found in `decisions/checkpoints/` (not given with `--checkpoint`).
    pub found: bool,
}

/// The newest checkpoint of `decisions/checkpoints/` whose signature and signer check,
/// and what was passed over on the way (newer files that do not check, and checkpoints
/// a later rewind notice superseded).
#[derive(Debug, Default)]
pub struct Found {
    pub newest: Option<PathBuf>,
    /// Its content.
    pub checkpoint: Option<Checkpoint>,
    pub skipped: Vec<String>,
}

/// Finds the newest valid checkpoint kept beside the log, so that plain `verify`,
/// `audit`, the workbench and the append gate all check the log against it: a record
/// deleted or changed after a checkpoint was taken is then reported without anyone
/// having to pass `--checkpoint`. Only a directory this user cannot read is an error.
pub fn newest_valid(p: &Paths, policy: &AllowedSigners) -> Result<Found, String> {
    let mut found = Found::default();
    let rd = match std::fs::read_dir(&p.checkpoints) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            crate::store::access::exists(&p.checkpoints)?;
            return Ok(found);
        }
        Err(e) if crate::store::access::is_denied(&e) => {
            return Err(crate::store::access::denied_message(&p.checkpoints, 'r'));
        }
        Err(e) => return Err(format!("{}: {e}", p.checkpoints.display())),
    };
    let mut names: Vec<(u64, String)> = Vec::new();
    for entry in rd {
        let entry = entry.map_err(|e| format!("{}: {e}", p.checkpoints.display()))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        if let Some(seq) = parse_file_name(&name) {
            names.push((seq, name));
        }
    }
    // Newest first: highest seq, then latest time (the name's second part).
    names.sort_by(|a, b| b.cmp(a));
    // A checkpoint signed before a rewind notice, above the head it restored, is
    // superseded: the records it covers were given up on purpose.
    let rewinds = if names.is_empty() {
        Vec::new()
    } else {
        super::rewind::find(p, policy)?.valid
    };
    for (_, name) in names {
        let path = p.checkpoints.join(&name);
        match read_and_verify(&path, policy) {
            Ok(cp) => {
                if let Some(r) = rewinds.iter().find(|r| {
                    r.rewind.time > cp.time && (r.rewind.seq == 0 || cp.seq > r.rewind.seq)
                }) {
                    found.skipped.push(format!(
                        "checkpoint {} (record {}) is superseded by the rewind notice {} (the log was restored to record {})",
                        crate::text::sanitize_line(&name),
                        cp.seq,
                        r.file
                            .file_name()
                            .map(|f| f.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        r.rewind.seq
                    ));
                    continue;
                }
                found.newest = Some(path);
                found.checkpoint = Some(cp);
                break;
            }
            Err(e) => found.skipped.push(format!(
                "{} (not used: it does not check)",
                crate::text::sanitize_line(&e)
            )),
        }
    }
    Ok(found)
}

/// The seq of a checkpoint file name `NNNNNNNN-YYYYMMDDTHHMMSSZ.yaml`.
pub fn parse_file_name(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".yaml")?;
    let (seq, time) = stem.split_once('-')?;
    let ok_time = time.len() == 16
        && time.ends_with('Z')
        && time.as_bytes()[8] == b'T'
        && time
            .bytes()
            .enumerate()
            .all(|(i, b)| i == 8 || i == 15 || b.is_ascii_digit());
    if !ok_time || seq.len() < 8 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    seq.parse().ok().filter(|&s| s > 0)
}

/// Checks the checkpoint `file` (signature `file.sig`) and the log `report` against it.
pub fn check_against(file: &Path, policy: &AllowedSigners, report: &LogReport) -> CheckpointReport {
    let mut out = CheckpointReport {
        file: file.display().to_string(),
        seq: None,
        signer: None,
        time: None,
        problem: None,
        bad_seq: None,
        found: false,
    };
    match read_and_verify(file, policy) {
        Err(e) => out.problem = Some(e),
        Ok(cp) => {
            out.seq = Some(cp.seq);
            out.signer = Some(cp.signer.clone());
            out.time = Some(format_time(&cp.time));
            let at = report.records.iter().find(|r| r.seq == cp.seq);
            match at {
                None if report.head < cp.seq => {
                    out.bad_seq = Some(report.head + 1);
                    out.problem = Some(format!(
                        "log truncated: the checkpoint covers records up to {} but the log ends at {}",
                        cp.seq, report.head
                    ));
                }
                None => {
                    out.bad_seq = Some(cp.seq);
                    out.problem = Some(format!("record {} of the checkpoint is missing", cp.seq));
                }
                Some(r) if r.link != cp.head => {
                    out.bad_seq = Some(cp.seq);
                    out.problem = Some(format!(
                        "record {} differs from the checkpoint: the log was rewritten up to or at it",
                        cp.seq
                    ));
                }
                Some(_) => {}
            }
        }
    }
    out
}

/// A checkpoint is ~250 bytes and its signature ~300: anything near this is not one.
const MAX_CHECKPOINT_BYTES: u64 = 64 * 1024;

fn read_and_verify(file: &Path, policy: &AllowedSigners) -> Result<Checkpoint, String> {
    use crate::store::safe_open::read_path;
    let shown = file.display();
    // Bounded reads of regular files only: a FIFO must not block, /dev/zero must not
    // be read for ever.
    let bytes =
        read_path(file, MAX_CHECKPOINT_BYTES).map_err(|e| format!("checkpoint {shown}: {e}"))?;
    let mut sig_path = file.as_os_str().to_owned();
    sig_path.push(".sig");
    let pem = read_path(Path::new(&sig_path), MAX_CHECKPOINT_BYTES).map_err(|e| {
        format!(
            "checkpoint signature {}: {e}",
            Path::new(&sig_path).display()
        )
    })?;
    verify_bytes(&bytes, &pem, policy).map_err(|e| format!("checkpoint {shown}: {e}"))
}

/// Checks a checkpoint's bytes and its signature (PEM): canonical form, a valid
/// `casebench-audit` signature by the key it names, of a signer `policy` allows at the
/// checkpoint's time. The one check behind every use of a checkpoint (files beside the
/// log, `--checkpoint`, witness checkpoints picked up by `sync`).
pub fn verify_bytes(
    bytes: &[u8],
    pem: &[u8],
    policy: &AllowedSigners,
) -> Result<Checkpoint, String> {
    if bytes.len() as u64 > MAX_CHECKPOINT_BYTES || pem.len() as u64 > MAX_CHECKPOINT_BYTES {
        return Err("too large to be a checkpoint".into());
    }
    let cp = Checkpoint::from_bytes(bytes)?;
    let key = sshsig::from_pem(pem)
        .and_then(|s| sshsig::verify(&s, NS_AUDIT, bytes))
        .map_err(|e| e.to_string())?;
    policy
        .check(&cp.signer, &key, NS_AUDIT, cp.time)
        .map_err(|d| format!("signer not allowed: {d}"))?;
    if sshsig::fingerprint(&key) != cp.key {
        return Err("signed with another key than it names".into());
    }
    Ok(cp)
}

/// A valid checkpoint in `decisions/checkpoints/` of the log's current head (same seq,
/// same hash), if there is one: a second checkpoint of an unchanged head would add
/// nothing. Checkpoints that do not verify are not counted.
pub fn covering_head(cases: &Path) -> Result<Option<(PathBuf, Checkpoint)>, String> {
    let report = super::verify::verify_log(cases, None)?;
    if report.head == 0 {
        return Ok(None);
    }
    let policy_bytes = super::reviewers::read_allowed_signers(cases)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    let dir = Paths::new(cases).checkpoints;
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(None);
    };
    let mut names: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    Ok(names.into_iter().rev().find_map(|p| {
        read_and_verify(&p, &policy)
            .ok()
            .filter(|cp| cp.seq == report.head && cp.head == report.head_link)
            .map(|cp| (p, cp))
    }))
}
