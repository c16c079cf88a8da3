//! Rewind notices: the one lawful way back. Restoring the log from a backup loses the
//! records written after it; every member who saw them would rightly refuse the shorter
//! log ([`super::memory`]). A compliance officer then signs a rewind notice (namespace
//! `casebench-audit`, like a checkpoint) into `decisions/checkpoints/`:
//!
//! ```yaml
//! rewind: casebench-rewind/1
//! seq: 39                                 # the head of the restored log (0: emptied)
//! head: sha256:<hex of record 39's bytes> # `none` when seq is 0
//! old_seq: 42                             # the newest head the signer had verified
//! old_head: sha256:<hex>                  # `none` when the signer had seen none
//! time: 2026-11-24T09:00:00Z
//! signer: c.adeyemi@lakeside.example
//! key: SHA256:<fingerprint>
//! reason: "disk failure; restored from the backup of 2026-11-23"
//! ```
//!
//! as `rewind-NNNNNNNN-YYYYMMDDTHHMMSSZ.yaml` + `.yaml.sig`, checkable with
//! `ssh-keygen -Y verify -n casebench-audit`. A member's client honours it (prints it,
//! then verifies the restored log from its start) when the notice is valid, the log
//! holds its head byte for byte, the head the member remembers was first seen before
//! the notice was signed, and the member has not honoured it before. A notice signed by
//! anyone else (a trainee's key, a supervisor's, another namespace) is refused and
//! named. Checkpoints signed before a notice, above its seq, are superseded by it.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::allowed_signers::AllowedSigners;
use super::log::Paths;
use super::model::{NONE, NS_AUDIT, format_time, sha256_link};
use super::sshsig;
use super::yamlout::{Out, is_sha256_link};

pub const REWIND_TAG: &str = "casebench-rewind/1";
const PREFIX: &str = "rewind-";
/// A notice is ~400 bytes; anything near this is not one.
const MAX_BYTES: u64 = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rewind {
    pub rewind: String,
    pub seq: u64,
    pub head: String,
    pub old_seq: u64,
    pub old_head: String,
    #[serde(with = "super::model::time_str")]
    pub time: DateTime<Utc>,
    pub signer: String,
    pub key: String,
    pub reason: String,
}

impl Rewind {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Out::default();
        o.kv_plain("rewind", &self.rewind);
        o.kv_plain("seq", &self.seq.to_string());
        o.kv_str("head", &self.head);
        o.kv_plain("old_seq", &self.old_seq.to_string());
        o.kv_str("old_head", &self.old_head);
        o.kv_plain("time", &format_time(&self.time));
        o.kv_str("signer", &self.signer);
        o.kv_str("key", &self.key);
        o.kv_str("reason", &self.reason);
        o.finish()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Rewind, String> {
        let src = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
        let r: Rewind = crate::yaml::from_str(src)
            .map_err(|e| format!("line {}, column {}: {}", e.line, e.column, e.message))?;
        if r.rewind != REWIND_TAG {
            return Err(format!("not a `{REWIND_TAG}` file"));
        }
        let link_ok = |seq: u64, l: &str| {
            if seq == 0 {
                l == NONE
            } else {
                is_sha256_link(l)
            }
        };
        if !link_ok(r.seq, &r.head) || !(link_ok(r.old_seq, &r.old_head)) {
            return Err("head and old_head must be `sha256:<64 hex>` (`none` with seq 0)".into());
        }
        if r.reason.trim().is_empty() {
            return Err("the reason is empty".into());
        }
        if r.to_bytes() != bytes {
            return Err("not in canonical form: the file was edited".into());
        }
        Ok(r)
    }

    /// `rewind-00000039-20261124T090000Z.yaml`
    pub fn file_name(&self) -> String {
        format!(
            "{PREFIX}{:08}-{}.yaml",
            self.seq,
            self.time.format("%Y%m%dT%H%M%SZ")
        )
    }

    /// One line for people: what it rewinds, by whom, when and why.
    pub fn describe(&self) -> String {
        let from = if self.old_seq == 0 {
            String::new()
        } else {
            format!("from record {} ", self.old_seq)
        };
        format!(
            "the log was rewound {from}to record {} by {} at {}: {}",
            self.seq,
            crate::text::sanitize_line(&self.signer),
            format_time(&self.time),
            crate::text::sanitize_line(&self.reason)
        )
    }
}

/// Checks a notice's bytes and its signature (PEM): canonical form, a valid
/// `casebench-audit` signature by the key it names, of a signer `policy` allows at the
/// notice's time.
pub fn verify_bytes(bytes: &[u8], pem: &[u8], policy: &AllowedSigners) -> Result<Rewind, String> {
    if bytes.len() as u64 > MAX_BYTES || pem.len() as u64 > MAX_BYTES {
        return Err("too large to be a rewind notice".into());
    }
    let r = Rewind::from_bytes(bytes)?;
    let key = sshsig::from_pem(pem)
        .and_then(|s| sshsig::verify(&s, NS_AUDIT, bytes))
        .map_err(|e| e.to_string())?;
    policy
        .check(&r.signer, &key, NS_AUDIT, r.time)
        .map_err(|d| format!("signer not allowed: {d}"))?;
    if sshsig::fingerprint(&key) != r.key {
        return Err("signed with another key than it names".into());
    }
    Ok(r)
}

/// A valid notice found beside the log.
#[derive(Debug, Clone)]
pub struct Notice {
    pub file: PathBuf,
    pub rewind: Rewind,
    /// `sha256:<hex>` of its bytes.
    pub sha256: String,
}

/// The notices in `decisions/checkpoints/`: the valid ones (oldest first), and why the
/// others are not.
#[derive(Debug, Default)]
pub struct Found {
    pub valid: Vec<Notice>,
    pub invalid: Vec<String>,
}

/// Reads every `rewind-*.yaml` in `decisions/checkpoints/` (a missing directory has none).
pub fn find(p: &Paths, policy: &AllowedSigners) -> Result<Found, String> {
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
    let mut names: Vec<String> = rd
        .filter_map(|e| e.ok()?.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with(PREFIX) && n.ends_with(".yaml"))
        .collect();
    names.sort();
    for name in names {
        let path = p.checkpoints.join(&name);
        match read(&path, policy) {
            Ok((rewind, sha256)) => found.valid.push(Notice {
                file: path,
                rewind,
                sha256,
            }),
            Err(e) => found.invalid.push(format!(
                "decisions/checkpoints/{} is not a valid rewind notice ({}): not honoured",
                crate::text::sanitize_line(&name),
                crate::text::sanitize_line(&e)
            )),
        }
    }
    found.valid.sort_by_key(|n| n.rewind.time);
    Ok(found)
}

fn read(path: &Path, policy: &AllowedSigners) -> Result<(Rewind, String), String> {
    use crate::store::safe_open::read_path;
    let bytes = read_path(path, MAX_BYTES).map_err(|e| e.to_string())?;
    let mut sig = path.as_os_str().to_owned();
    sig.push(".sig");
    let pem = read_path(Path::new(&sig), MAX_BYTES).map_err(|e| format!("its signature: {e}"))?;
    let r = verify_bytes(&bytes, &pem, policy)?;
    Ok((r, sha256_link(&bytes)))
}

/// The notice a member honours, if any: valid (`found`), not honoured by them before
/// (`applied` holds the sha256 of those), signed after they first saw the head they
/// remember (`seen`), and whose head the log holds (`holds(seq, link)`; always for seq
/// 0). The newest such. Otherwise the reasons the notices there do not apply.
pub fn applicable(
    found: &Found,
    seen: DateTime<Utc>,
    applied: &[String],
    holds: &dyn Fn(u64, &str) -> bool,
) -> Result<Notice, Vec<String>> {
    let mut why = found.invalid.clone();
    let mut best: Option<&Notice> = None;
    for n in &found.valid {
        let name = n
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let r = &n.rewind;
        if applied.contains(&n.sha256) {
            why.push(format!(
                "decisions/checkpoints/{name} was honoured before; a notice is honoured once"
            ));
        } else if r.time <= seen {
            why.push(format!(
                "decisions/checkpoints/{name} was signed at {}, before you saw that record: it does not rewind what you saw since",
                format_time(&r.time)
            ));
        } else if r.seq > 0 && !holds(r.seq, &r.head) {
            why.push(format!(
                "decisions/checkpoints/{name} rewinds to record {}, which the log does not hold as the notice says",
                r.seq
            ));
        } else if best.is_none_or(|b| b.rewind.time < r.time) {
            best = Some(n);
        }
    }
    best.cloned().ok_or(why)
}

/// Signs a rewind notice for the log of `cases` as `principal` (a `casebench-audit`
/// key) into `decisions/checkpoints/`, under the log's lock: the restored log must be
/// whole (every record verifies and keeps the log's rules); its head is the notice's;
/// the old head is the newest this signer had verified (their memory, `state`).
pub fn sign_notice(
    cases: &Path,
    state: &super::memory::StateDir,
    principal: &str,
    signer: &mut super::signer::Signer,
    time: DateTime<Utc>,
    reason: &str,
) -> Result<(PathBuf, Rewind), String> {
    use super::dirs::{self, Need};
    use crate::store::publish;
    if reason.trim().is_empty() || reason.contains(['\n', '\r']) {
        return Err("--reason: one line saying why the log was rewound".into());
    }
    let p = Paths::new(cases);
    dirs::ensure(&p, &[Need::Checkpoints, Need::Staging])?;
    let _guard = crate::store::lock::LockGuard::exclusive(&p.lock, super::log::LOCK_MODE)
        .map_err(|e| format!("{}: {e}", p.lock.display()))?;
    let report = super::verify::verify_with(
        cases,
        &super::verify::Options {
            locked: true,
            ..Default::default()
        },
    )?;
    if !report.intact() {
        let (seq, msg) = report.first_bad().unwrap_or((None, String::new()));
        let at = seq.map_or_else(String::new, |s| format!("first at record {s}: "));
        return Err(format!(
            "the log is damaged ({at}{msg}); a rewind notice would make every member accept it"
        ));
    }
    // A whole second after now: everything a member saw before this moment is rewound.
    let time = {
        use chrono::Timelike;
        let whole = time.with_nanosecond(0).unwrap_or(time);
        if whole < time {
            whole + chrono::Duration::seconds(1)
        } else {
            whole
        }
    };
    let policy_bytes = super::reviewers::read_allowed_signers(cases)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    policy
        .check(principal, signer.public_key(), NS_AUDIT, time)
        .map_err(|d| format!("cannot sign a rewind notice: {d}"))?;
    let old = super::memory::remembered_head(cases, state).map(|h| (h.seq, h.record));
    let r = notice(
        report.head,
        &report.head_link,
        old,
        principal,
        &sshsig::fingerprint(signer.public_key()),
        time,
        reason,
    );
    let bytes = r.to_bytes();
    let sig = signer.sign(NS_AUDIT, &bytes)?;
    let pem = sshsig::to_pem(&sig)?;
    let name = r.file_name();
    let err = |e: std::io::Error| format!("{}: {e}", p.checkpoints.join(&name).display());
    publish::publish_bytes(
        &p.staging,
        &p.checkpoints,
        &format!("{name}.sig"),
        pem.as_bytes(),
        super::log::FILE_MODE,
    )
    .map_err(err)?;
    publish::publish_bytes(
        &p.staging,
        &p.checkpoints,
        &name,
        &bytes,
        super::log::FILE_MODE,
    )
    .map_err(err)?;
    Ok((p.checkpoints.join(name), r))
}

/// The notice `principal` signs: the log's head now (`seq`, `head`) and the newest head
/// they had verified (`old`: seq and link), with `reason`.
pub fn notice(
    seq: u64,
    head: &str,
    old: Option<(u64, String)>,
    principal: &str,
    key: &str,
    time: DateTime<Utc>,
    reason: &str,
) -> Rewind {
    let (old_seq, old_head) = old.unwrap_or((0, NONE.to_string()));
    Rewind {
        rewind: REWIND_TAG.to_string(),
        seq,
        head: if seq == 0 {
            NONE.to_string()
        } else {
            head.to_string()
        },
        old_seq,
        old_head: if old_seq == 0 {
            NONE.to_string()
        } else {
            old_head
        },
        time,
        signer: principal.to_string(),
        key: key.to_string(),
        reason: reason.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Rewind {
        notice(
            39,
            &format!("sha256:{}", "a".repeat(64)),
            Some((42, format!("sha256:{}", "b".repeat(64)))),
            "c.adeyemi@lakeside.example",
            "SHA256:abc",
            DateTime::<Utc>::from_timestamp(1_795_000_000, 0).unwrap(),
            "restored from the backup of 2026-11-23",
        )
    }

    #[test]
    fn round_trips_and_refuses_edits() {
        let r = sample();
        let bytes = r.to_bytes();
        assert_eq!(Rewind::from_bytes(&bytes).unwrap(), r);
        let text = String::from_utf8(bytes).unwrap();
        assert!(Rewind::from_bytes(text.replace("seq: 39", "seq: 38").as_bytes()).is_ok());
        assert!(Rewind::from_bytes(text.replace("seq: 39", "seq:  39").as_bytes()).is_err());
        assert!(Rewind::from_bytes(format!("{text}# note\n").as_bytes()).is_err());
        assert!(r.file_name().starts_with("rewind-00000039-"));
    }

    #[test]
    fn only_a_later_unapplied_notice_whose_head_the_log_holds_applies() {
        let r = sample();
        let n = Notice {
            file: PathBuf::from("rewind.yaml"),
            rewind: r.clone(),
            sha256: "sha256:x".into(),
        };
        let found = Found {
            valid: vec![n],
            invalid: vec!["forged".into()],
        };
        let before = r.time - chrono::Duration::hours(1);
        let holds = |s: u64, l: &str| s == 39 && l == r.head;
        assert!(applicable(&found, before, &[], &holds).is_ok());
        let why = applicable(&found, r.time, &[], &holds).unwrap_err();
        assert!(why.iter().any(|w| w.contains("before you saw")), "{why:?}");
        assert!(why.iter().any(|w| w == "forged"), "{why:?}");
        assert!(applicable(&found, before, &["sha256:x".into()], &holds).is_err());
        assert!(applicable(&found, before, &[], &|_, _| false).is_err());
    }
}
