//! The verified head: the newest head of the log that was verified whole, left by the
//! last successful append or `verify`, in `decisions/cache/verified-head`.
//!
//! ```text
//! casebench-verified-head/1
//! seq: 42
//! record: sha256:<hex of record 42's bytes>
//! signature: sha256:<hex of 00000042.yaml.sig's bytes>
//! signatures: sha256:<chained hash of the signature hashes of records 1..=42>
//! ```
//!
//! It is a cache with one extra use. As a cache, it lets an append skip verifying again
//! the signatures of records up to `seq` (their bytes are still read and chained). As a
//! local witness, an append refuses a log that no longer holds record `seq` byte for
//! byte: deleting the newest record and deciding again would otherwise reuse its seq.
//! `verify` never trusts it (its answer depends only on the log, the policy and the
//! checkpoints); when it finds the log whole it rewrites the file, and says so when the
//! remembered head was gone. Any member of the clinic group may replace the file (the
//! cache directory has no sticky bit); a missing or malformed file only costs time.

use sha2::{Digest, Sha256};

use super::log::{CACHE_FILE_MODE, Paths, SHARED_DIR_MODE};

const TAG: &str = "casebench-verified-head/1";
pub const FILE_NAME: &str = "verified-head";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedHead {
    pub seq: u64,
    /// `sha256:<hex>` of the record's bytes.
    pub record: String,
    /// `sha256:<hex>` of its signature file's bytes.
    pub signature: String,
    /// [`chain_signatures`] over records 1..=seq.
    pub signatures: String,
}

/// The running hash of the signature files: `h0 = sha256("")`,
/// `h(n) = sha256(h(n-1) || sig_link(n))`, written `sha256:<hex>`.
pub fn chain_signatures<'a>(
    start: Option<&str>,
    sig_links: impl Iterator<Item = &'a str>,
) -> String {
    let mut h: [u8; 32] = match start.and_then(|s| s.strip_prefix("sha256:")) {
        Some(hex_) => {
            let mut out = [0u8; 32];
            if hex::decode_to_slice(hex_, &mut out).is_ok() {
                out
            } else {
                Sha256::digest(b"").into()
            }
        }
        None => Sha256::digest(b"").into(),
    };
    for l in sig_links {
        let mut d = Sha256::new();
        d.update(h);
        d.update(l.as_bytes());
        h = d.finalize().into();
    }
    format!("sha256:{}", hex::encode(h))
}

/// The remembered head; `None` when there is none or the file is not one of ours.
pub fn read(p: &Paths) -> Option<VerifiedHead> {
    let dir = crate::store::safe_open::SafeDir::open(&p.cache).ok()?;
    let bytes = dir.read_file(FILE_NAME, 4096).ok()?;
    parse(std::str::from_utf8(&bytes).ok()?)
}

fn parse(s: &str) -> Option<VerifiedHead> {
    let mut lines = s.lines();
    if lines.next()? != TAG {
        return None;
    }
    let mut field = |name: &str| {
        lines
            .next()?
            .strip_prefix(name)?
            .strip_prefix(": ")
            .map(str::to_string)
    };
    let seq = field("seq")?.parse().ok()?;
    let record = field("record")?;
    let signature = field("signature")?;
    let signatures = field("signatures")?;
    let links = [&record, &signature, &signatures];
    links
        .iter()
        .all(|l| super::yamlout::is_sha256_link(l))
        .then_some(VerifiedHead {
            seq,
            record,
            signature,
            signatures,
        })
}

fn render(v: &VerifiedHead) -> String {
    format!(
        "{TAG}\nseq: {}\nrecord: {}\nsignature: {}\nsignatures: {}\n",
        v.seq, v.record, v.signature, v.signatures
    )
}

/// Replaces the remembered head (a temporary in the cache directory, renamed over the
/// old file). Failing to write a cache is not an error for the caller's work.
pub fn write(p: &Paths, v: &VerifiedHead) -> std::io::Result<()> {
    crate::store::publish::ensure_dir(&p.cache, SHARED_DIR_MODE)?;
    crate::store::publish::replace_cache(&p.cache, FILE_NAME, render(v).as_bytes(), CACHE_FILE_MODE)
}

/// After a full verification by `verify`: when the log is whole, notes whether the
/// remembered head is still in it (a warning in `report` when not: the log was rolled
/// back, or the cache edited) and remembers the new head. Never changes the verdict.
pub fn after_verify(cases: &std::path::Path, report: &mut super::verify::LogReport) {
    let p = Paths::new(cases);
    let whole = report.intact() && report.checkpoints.iter().all(|c| c.problem.is_none());
    if !whole {
        return;
    }
    if let Some(w) = read(&p) {
        let here = report.records.iter().find(|r| r.seq == w.seq);
        if here.is_none_or(|r| r.link != w.record) {
            report.issues.push(super::verify::LogIssue {
                severity: super::verify::Severity::Warning,
                seq: Some(w.seq),
                file: Some(format!("decisions/{}/{FILE_NAME}", super::log::CACHE_DIR)),
                message: format!(
                    "record {} verified earlier (decisions/{}/{FILE_NAME}) is {} now: the log was rolled back or rewritten after it, or that file was edited; appends refused it until this verification",
                    w.seq,
                    super::log::CACHE_DIR,
                    if here.is_none() { "missing" } else { "different" }
                ),
            });
        }
    }
    let Some(last) = report.records.last() else {
        return;
    };
    let head = VerifiedHead {
        seq: last.seq,
        record: last.link.clone(),
        signature: last.sig_link.clone(),
        signatures: chain_signatures(None, report.records.iter().map(|r| r.sig_link.as_str())),
    };
    // Without write access (a read-only auditor) nothing is remembered.
    if write(&p, &head).is_err() {
        return;
    }
    // The index for the next `decide` or `list` (trusted only when this user made the
    // last append: [`super::index_file::load`]).
    if let Some(stamp) = super::index_file::DirStamp::of(&p.log) {
        let known = super::index_file::Known {
            index: super::gate::index_of(report),
            head,
            stamp,
            checkpoints: super::index_file::DirStamp::of(&p.checkpoints),
            window: 1,
        };
        // Only the owner of the head record writes an index others will believe: an
        // auditor's copy would replace a good one with one nobody trusts.
        if super::index_file::owns_head(&p, &known)
            && super::index_file::untouched_since(&p, &known)
        {
            let _ = super::index_file::store(&p, &known);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects_junk() {
        let l = |c: char| format!("sha256:{}", c.to_string().repeat(64));
        let v = VerifiedHead {
            seq: 7,
            record: l('a'),
            signature: l('b'),
            signatures: l('c'),
        };
        assert_eq!(parse(&render(&v)), Some(v.clone()));
        assert_eq!(parse("junk"), None);
        assert_eq!(parse(&render(&v).replace("seq: 7", "seq: x")), None);
        assert_eq!(parse(&render(&v).replace(&l('b'), "sha256:zz")), None);
    }

    #[test]
    fn signature_chain_is_incremental() {
        let all = chain_signatures(None, ["x", "y", "z"].into_iter());
        let two = chain_signatures(None, ["x", "y"].into_iter());
        assert_eq!(chain_signatures(Some(&two), ["z"].into_iter()), all);
        assert_ne!(chain_signatures(None, ["x", "z", "y"].into_iter()), all);
    }
}
