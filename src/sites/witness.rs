//! `casebench witness --sites DIR`: a compliance officer (namespace `casebench-audit`)
//! cosigns each mirrored site's head as a checkpoint, and remembers the last head
//! cosigned per site in `DIR/.witness/<site>`:
//!
//! ```text
//! casebench-witness/1
//! seq: 42
//! head: sha256:<hex of record 42's bytes>
//! ```
//!
//! A head that does not extend the remembered one (fewer records: a rollback; other
//! bytes for the remembered seq: a fork or a rewrite) is refused and reported, and the
//! remembered head is kept. The cosigned checkpoints are written to
//! `DIR/.witness/checkpoints/<site>/` in the format of `decisions/checkpoints/`, so a
//! site can check its own log against them (`verify --checkpoint FILE`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::fetch::mirrored_sites;
use super::write_atomic;
use crate::record::allowed_signers::AllowedSigners;
use crate::record::checkpoint::{CHECKPOINT_TAG, Checkpoint};
use crate::record::model::NS_AUDIT;
use crate::record::signer::Signer;
use crate::record::sshsig;
use crate::record::verify::{LogReport, Options, verify_with};

pub const WITNESS_DIR: &str = ".witness";
const TAG: &str = "casebench-witness/1";

/// The head last cosigned for a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remembered {
    pub seq: u64,
    pub head: String,
}

impl Remembered {
    pub fn to_bytes(&self) -> Vec<u8> {
        format!("{TAG}\nseq: {}\nhead: {}\n", self.seq, self.head).into_bytes()
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Remembered, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
        let mut lines = text.lines();
        let bad = || format!("not a `{TAG}` file (tag, `seq: N`, `head: sha256:<hex>`)");
        if lines.next() != Some(TAG) {
            return Err(bad());
        }
        let seq = lines
            .next()
            .and_then(|l| l.strip_prefix("seq: "))
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(bad)?;
        let head = lines
            .next()
            .and_then(|l| l.strip_prefix("head: "))
            .ok_or_else(bad)?
            .to_string();
        let r = Remembered { seq, head };
        if r.to_bytes() != bytes {
            return Err(bad());
        }
        Ok(r)
    }
}

/// What the witness did for one site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteWitness {
    /// A new head cosigned.
    Cosigned { seq: u64, file: PathBuf },
    /// The head is the one cosigned before.
    Unchanged { seq: u64 },
    /// The head does not extend the remembered one: rollback or fork.
    Refused { seq: u64, message: String },
    /// The site's log does not verify, or cannot be read: nothing cosigned.
    Failed { message: String },
}

impl SiteWitness {
    pub fn ok(&self) -> bool {
        matches!(
            self,
            SiteWitness::Cosigned { .. } | SiteWitness::Unchanged { .. }
        )
    }
}

/// Cosigns every site mirrored in `dir` as `principal`.
pub fn witness_sites(
    dir: &Path,
    principal: &str,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> Result<Vec<(String, SiteWitness)>, String> {
    let sites = mirrored_sites(dir)?;
    if sites.is_empty() {
        return Err(super::mirror::no_site_message(dir));
    }
    let wdir = dir.join(WITNESS_DIR);
    std::fs::create_dir_all(&wdir).map_err(|e| format!("{}: {e}", wdir.display()))?;
    let mut out = Vec::new();
    for site in sites {
        let r = witness_one(dir, site.as_str(), principal, signer, time);
        out.push((site.to_string(), r));
    }
    Ok(out)
}

/// Whether the log of `report` extends the head remembered in `rem`: `Ok(true)` when
/// it is that very head, `Ok(false)` when it goes further, `Err((seq, why))` when it
/// does not extend it (fewer records: a rollback; other bytes: a fork or rewrite).
/// The one check behind `witness` and `verify --sites`.
pub fn extends(report: &LogReport, rem: &Remembered) -> Result<bool, (u64, String)> {
    if report.head < rem.seq {
        return Err((
            rem.seq,
            format!(
                "rollback: the log ends at record {}, but record {} was cosigned before",
                report.head, rem.seq
            ),
        ));
    }
    let link = report
        .records
        .iter()
        .find(|r| r.seq == rem.seq)
        .map(|r| r.link.as_str());
    if link != Some(rem.head.as_str()) {
        return Err((
            rem.seq,
            format!(
                "fork or rewrite: record {} has other bytes than the record cosigned before",
                rem.seq
            ),
        ));
    }
    Ok(report.head == rem.seq)
}

/// The head remembered for `site` in the mirror `dir`, `None` if never cosigned.
pub fn remembered(dir: &Path, site: &str) -> Result<Option<Remembered>, String> {
    let memory = dir.join(WITNESS_DIR).join(site);
    match std::fs::read(&memory) {
        Ok(b) => Remembered::from_bytes(&b)
            .map(Some)
            .map_err(|e| format!("{}: {e}", memory.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", memory.display())),
    }
}

fn witness_one(
    dir: &Path,
    site: &str,
    principal: &str,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> SiteWitness {
    let failed = |message: String| SiteWitness::Failed { message };
    let site_dir = dir.join(site);
    let opts = Options {
        no_case_binding: true,
        ..Options::default()
    };
    let report = match verify_with(&site_dir, &opts) {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    if let Some((seq, msg)) = report.first_bad() {
        let at = seq.map_or_else(String::new, |s| format!("record {s}: "));
        return failed(format!(
            "the log does not verify ({at}{msg}): nothing cosigned"
        ));
    }
    let remembered = match remembered(dir, site) {
        Ok(r) => r,
        Err(e) => return failed(e),
    };
    if let Some(rem) = &remembered {
        match extends(&report, rem) {
            Err((seq, message)) => return SiteWitness::Refused { seq, message },
            Ok(true) => return SiteWitness::Unchanged { seq: rem.seq },
            Ok(false) => {}
        }
    }
    if report.head == 0 {
        return failed("the log is empty: nothing to cosign".into());
    }
    match cosign(
        dir,
        site,
        &report.head_link,
        report.head,
        principal,
        signer,
        time,
    ) {
        Ok(file) => SiteWitness::Cosigned {
            seq: report.head,
            file,
        },
        Err(e) => failed(e),
    }
}

/// Signs the checkpoint, then remembers the head (in this order: a crash between the
/// two only means the next run cosigns the same head again).
fn cosign(
    dir: &Path,
    site: &str,
    head_link: &str,
    seq: u64,
    principal: &str,
    signer: &mut Signer,
    time: DateTime<Utc>,
) -> Result<PathBuf, String> {
    let time = {
        use chrono::Timelike;
        time.with_nanosecond(0).unwrap_or(time)
    };
    let site_dir = dir.join(site);
    let policy_bytes = crate::record::reviewers::read_allowed_signers(&site_dir)?;
    let policy = AllowedSigners::parse(&policy_bytes).map_err(|e| format!("reviewers/{e}"))?;
    policy
        .check(principal, signer.public_key(), NS_AUDIT, time)
        .map_err(|d| format!("cannot cosign for this site: {d}"))?;
    let cp = Checkpoint {
        checkpoint: CHECKPOINT_TAG.to_string(),
        seq,
        head: head_link.to_string(),
        time,
        signer: principal.to_string(),
        key: sshsig::fingerprint(signer.public_key()),
        site: Some(site.to_string()),
    };
    let bytes = cp.to_bytes();
    let pem = sshsig::to_pem(&signer.sign(NS_AUDIT, &bytes)?)?;
    let cps = dir.join(WITNESS_DIR).join("checkpoints").join(site);
    std::fs::create_dir_all(&cps).map_err(|e| format!("{}: {e}", cps.display()))?;
    let file = cps.join(cp.file_name());
    write_atomic(&cps.join(format!("{}.sig", cp.file_name())), pem.as_bytes())?;
    write_atomic(&file, &bytes)?;
    let memory = dir.join(WITNESS_DIR).join(site);
    write_atomic(
        &memory,
        &Remembered {
            seq,
            head: head_link.to_string(),
        }
        .to_bytes(),
    )?;
    Ok(file)
}
