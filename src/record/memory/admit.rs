//! Admitting records into a user's memory: each new record is read, its signature
//! verified (in parallel, in chunks, with progress between them), then, in order, its
//! place in the chain, its signer under the policy, and the log's rules
//! ([`crate::record::log_rules`]) are checked against the memory's index, and it is
//! added. A record that fails stops the admission, naming it; nothing after it is
//! remembered.

use chrono::Utc;
use rayon::prelude::*;

use super::file::{Head, Memory};
use crate::record::allowed_signers::AllowedSigners;
use crate::record::log::{self, MAX_RECORD_BYTES};
use crate::record::log_rules::{self, Target};
use crate::record::model::{Record, sha256_link};
use crate::record::reviewers::Reviewers;
use crate::record::sshsig;
use crate::record::verify::{Archive, LogDir, Name};

/// Records verified in parallel between two progress reports.
const CHUNK: u64 = 4096;

/// Why a record was not admitted: its seq and what is wrong with it.
pub(crate) type Refused = (u64, String);

/// Whom the signer of a record is allowed by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// The allowed_signers in force now.
    Current,
    /// Only the archived policy the record names (`decisions/policies/`).
    Archived(String),
}

/// A record whose signature checked: its bytes' link, its signature's, and by whom it
/// is allowed.
pub(crate) struct Checked {
    pub record: Record,
    pub link: String,
    pub sig_link: String,
    pub allowed: Allowed,
}

/// What every record's check needs, shared by the threads.
pub(crate) struct Checker<'a> {
    pub policy: &'a AllowedSigners,
    pub archive: Archive,
    pub keys: sshsig::KeyCache,
    pub people: &'a Reviewers,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(
        p: &log::Paths,
        policy: &'a AllowedSigners,
        people: &'a Reviewers,
    ) -> Checker<'a> {
        Checker {
            policy,
            archive: Archive::new(&p.policies, policy),
            keys: sshsig::KeyCache::new(policy.entries.iter().map(|e| &e.key)),
            people,
        }
    }

    /// Reads record `seq` and its signature and verifies the signature: the key the
    /// record names, a signer allowed for its namespace at its time by the current
    /// policy or by the archived one it names.
    pub(crate) fn check(&self, dir: &LogDir, seq: u64) -> Result<Checked, Refused> {
        let bad = |m: String| (seq, m);
        let name = Name::new(seq, false);
        let file = name.as_str().to_string();
        let (mut bytes, mut pem) = (Vec::new(), Vec::new());
        dir.read_into(&name, MAX_RECORD_BYTES, &mut bytes)
            .map_err(|e| bad(format!("{file}: cannot read: {e}")))?;
        dir.read_into(&Name::new(seq, true), 64 * 1024, &mut pem)
            .map_err(|e| bad(format!("{file}: its signature cannot be read: {e}")))?;
        let record = Record::from_bytes(&bytes)
            .map_err(|e| bad(format!("{file}: malformed record: {e}")))?;
        if record.seq != seq {
            return Err(bad(format!(
                "{file} holds record {} (records swapped, renamed or copied)",
                record.seq
            )));
        }
        let ns = record.kind.namespace();
        let key = sshsig::from_pem(&pem)
            .and_then(|s| sshsig::verify_cached(&s, ns, &bytes, &self.keys))
            .map_err(|e| bad(format!("{file}: {e}")))?;
        let fp = self.keys.fingerprint(&key);
        if fp != record.key {
            return Err(bad(format!(
                "{file}: signed with key {fp}, but the record names key {}",
                crate::text::sanitize_line(&record.key)
            )));
        }
        let allowed = match self.policy.check(&record.reviewer, &key, ns, record.time) {
            Ok(_) => Allowed::Current,
            Err(denied) => {
                let archived = self
                    .archive
                    .get(&record.policy)
                    .is_some_and(|a| a.check(&record.reviewer, &key, ns, record.time).is_ok());
                if !archived {
                    return Err(bad(format!("{file}: signer not allowed: {denied}")));
                }
                Allowed::Archived(record.policy.clone())
            }
        };
        Ok(Checked {
            link: sha256_link(&bytes),
            sig_link: sha256_link(&pem),
            record,
            allowed,
        })
    }

    /// Adds `c` (the record after the memory's head) to `m`: its chain links, its
    /// signer's policy (the current one, or an archived one this user saw in force), and
    /// the log's rules against the case's history. `target` reads a record a
    /// countersignature points to.
    pub(crate) fn admit(
        &self,
        m: &mut Memory,
        c: Checked,
        target: log_rules::TargetOf<'_>,
    ) -> Result<(), Refused> {
        let rec = &c.record;
        let seq = rec.seq;
        let file = log::record_name(seq);
        let bad = |msg: String| (seq, msg);
        if seq != m.head.seq + 1 {
            return Err(bad(format!(
                "{file} follows record {} in this user's memory, not record {}",
                m.head.seq,
                seq - 1
            )));
        }
        if rec.prev != m.index.head_link {
            return Err(bad(format!(
                "{file}: prev does not match record {} (a record before it was changed, replaced or reordered)",
                m.head.seq
            )));
        }
        let history = m.index.cases.get(&rec.case);
        let last = history.map_or(crate::record::model::NONE, |h| h.last_link());
        if rec.case_prev != last {
            return Err(bad(format!(
                "{file}: case_prev does not match the previous record of case {}",
                crate::text::sanitize_line(&rec.case)
            )));
        }
        if let Allowed::Archived(policy) = &c.allowed
            && !m.policies.contains_key(policy)
        {
            return Err(bad(format!(
                "{file}: {} is allowed to sign it only by the archived policy {policy} (decisions/policies), which you never saw in force in reviewers/allowed_signers; an archived policy is anyone's file. Keep a retired key in allowed_signers with valid-before (docs/RECORDS.md, \"Rotating keys\")",
                crate::text::sanitize_line(&rec.reviewer)
            )));
        }
        let empty = log::CaseHistory::default();
        log_rules::check(rec, history.unwrap_or(&empty), self.people, target)
            .map_err(|b| bad(format!("{file}: breaks the log's rules: {b}")))?;
        m.add(rec, &c.link);
        m.head = Head {
            seq,
            record: c.link,
            signature: c.sig_link,
            first_seen: Utc::now(),
        };
        Ok(())
    }

    /// Verifies and admits records `from..=to` of `dir` into `m`, `CHUNK` at a time in
    /// parallel, reporting `(done, total)` after each chunk. `saved` gives the proposals
    /// this user's journal holds (read once, when a countersignature is met).
    pub(crate) fn admit_range(
        &self,
        dir: &LogDir,
        m: &mut Memory,
        from: u64,
        to: u64,
        progress: &mut dyn FnMut(u64, u64),
        saved: &dyn Fn() -> Vec<super::file::ProposalRef>,
    ) -> Result<u64, Refused> {
        let mut journal: Option<std::collections::HashMap<u64, String>> = None;
        if to < from {
            return Ok(0);
        }
        let total = to - from + 1;
        let mut start = from;
        while start <= to {
            let end = (start + CHUNK - 1).min(to);
            let checked: Vec<Result<Checked, Refused>> = (start..=end)
                .into_par_iter()
                .map(|seq| self.check(dir, seq))
                .collect();
            for c in checked {
                let c = c?;
                // Read before admission, which borrows the memory mutably.
                let points_to = c.record.countersigns;
                if points_to.is_some() && journal.is_none() {
                    journal = Some(saved().into_iter().map(|p| (p.seq, p.link)).collect());
                }
                let t = points_to.and_then(|s| {
                    let verified = m
                        .journal_add
                        .iter()
                        .find(|p| p.seq == s)
                        .map(|p| p.link.clone())
                        .or_else(|| journal.as_ref().and_then(|j| j.get(&s).cloned()));
                    read_target(dir, verified.as_deref(), s)
                });
                let lookup = move |s: u64| (Some(s) == points_to).then(|| t.clone()).flatten();
                self.admit(m, c, &lookup)?;
            }
            progress(end - from + 1, total);
            start = end + 1;
        }
        Ok(total)
    }
}

/// The record a countersignature points to, as the rules need it: a proposal this user
/// verified (`verified`: its link) is read again and must hash as it did; any other
/// record is read for what it is (only to say why the countersignature is refused: the
/// rules accept only a proposal).
pub(crate) fn read_target(dir: &LogDir, verified: Option<&str>, seq: u64) -> Option<Target> {
    let mut bytes = Vec::new();
    dir.read_into(&Name::new(seq, false), MAX_RECORD_BYTES, &mut bytes)
        .ok()?;
    let rec = Record::from_bytes(&bytes).ok()?;
    let link = sha256_link(&bytes);
    match verified {
        Some(l) if l != link => None,
        // A practice record this user never verified as a proposal is not one.
        None if rec.kind == crate::record::model::RecordType::Practice => None,
        _ => Some(Target::of(&rec)),
    }
}
