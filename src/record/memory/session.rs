//! A user's memory of one log, open while a command works with it ([`super::open`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::file::{self, Memory, PlaceKey};
use super::{DirStamp, Head, ProposalRef, Rewound, StateDir, TrustError, Trusted};
use crate::record::log::Index;
use crate::store::lock::LockGuard;

/// A user's memory of one log, open for as long as a command works with it: their lock
/// on it is held, so no other process of theirs moves it meanwhile.
pub(crate) struct Session {
    pub(super) state: StateDir,
    pub(super) place: PlaceKey,
    pub(super) lock: Option<LockGuard>,
    pub(super) memory: Option<Memory>,
    pub(super) dirty: bool,
    pub(super) rewound: Option<Rewound>,
    pub(super) verified: u64,
    pub(super) first_use: bool,
    pub(super) warnings: Vec<String>,
    pub(super) empty: Index,
    /// The log's listing (when it was listed) showed temporaries of older versions.
    pub(super) log_temps: bool,
}

impl Session {
    /// The verified index.
    pub(crate) fn index(&self) -> &Index {
        self.memory.as_ref().map_or(&self.empty, |m| &m.index)
    }

    /// Where the next spot-check of older records starts.
    pub(crate) fn window(&self) -> u64 {
        self.memory.as_ref().map_or(1, |m| m.window)
    }

    /// The `allowed_signers` versions this user saw in force.
    pub(crate) fn policies(&self) -> BTreeMap<String, DateTime<Utc>> {
        self.memory
            .as_ref()
            .map(|m| m.policies.clone())
            .unwrap_or_default()
    }

    pub(crate) fn rewound(&self) -> Option<&Rewound> {
        self.rewound.as_ref()
    }

    /// Whether the log's listing showed temporaries older versions left in it.
    pub(crate) fn log_temps(&self) -> bool {
        self.log_temps
    }

    /// Proposal `seq`, as this user verified it, if it awaits a countersignature.
    pub(crate) fn proposal(&self, seq: u64) -> Result<Option<ProposalRef>, String> {
        let Some(m) = &self.memory else {
            return Ok(None);
        };
        let unsettled = |p: &ProposalRef| {
            m.index
                .cases
                .get(&p.case)
                .is_some_and(|h| h.final_record().is_none())
        };
        if let Some(p) = m.journal_add.iter().find(|p| p.seq == seq) {
            return Ok(Some(p.clone()).filter(unsettled));
        }
        Ok(self
            .state
            .proposals(&m.log, m.head.seq)?
            .into_iter()
            .find(|p| p.seq == seq)
            .filter(unsettled))
    }

    pub(crate) fn set_window(&mut self, window: u64) {
        if let Some(m) = &mut self.memory
            && m.window != window
        {
            m.window = window;
            self.dirty = true;
        }
    }

    /// Remembers the record this user just appended (`policy`: the allowed_signers it
    /// was signed under, seen in force), and the log directory's stamp after it.
    pub(crate) fn appended(
        &mut self,
        rec: &crate::record::model::Record,
        link: &str,
        sig_link: &str,
        policy: &str,
        stamp: Option<DirStamp>,
    ) -> Result<(), String> {
        let now = Utc::now();
        if self.memory.is_none() {
            // The log's first record: its hash names the log from now on.
            self.lock = Some(self.state.lock(link)?);
            let mut m = match self.state.load(link)? {
                Some(m) => m,
                None => Memory::new(link, BTreeMap::new(), Vec::new()),
            };
            m.index = Index::empty();
            m.head = Head {
                seq: 0,
                record: crate::record::model::NONE.to_string(),
                signature: crate::record::model::NONE.to_string(),
                first_seen: now,
            };
            self.memory = Some(m);
        }
        let Some(m) = self.memory.as_mut() else {
            return Ok(());
        };
        m.policies.entry(policy.to_string()).or_insert(now);
        m.add(rec, link);
        m.head = Head {
            seq: rec.seq,
            record: link.to_string(),
            signature: sig_link.to_string(),
            first_seen: now,
        };
        m.stamp = stamp;
        self.dirty = true;
        Ok(())
    }

    /// Writes the memory when it changed (and which log this case directory holds).
    pub(crate) fn save(&mut self) -> Result<(), String> {
        let Some(m) = &mut self.memory else {
            return Ok(());
        };
        if self.dirty {
            self.state.save(m)?;
            self.dirty = false;
        }
        let here = self.state.place(&self.place)?;
        if here.as_ref().is_none_or(|p| p.log != m.log) {
            self.state.set_place(
                &self.place,
                &file::Place {
                    path: self.place.path.clone(),
                    log: m.log.clone(),
                    first_seen: Utc::now(),
                },
            )?;
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Trusted, TrustError> {
        self.save().map_err(TrustError::Io)?;
        let head = self.memory.as_ref().map(|m| m.head.clone());
        let journal = self
            .memory
            .as_ref()
            .map(|m| (self.state.clone(), m.log.clone()));
        Ok(Trusted {
            index: self.memory.map_or(self.empty, |m| m.index),
            head: head.filter(|h| h.seq > 0),
            rewound: self.rewound,
            verified: self.verified,
            first_use: self.first_use,
            warnings: self.warnings,
            journal,
        })
    }
}
