//! Bringing a memory up to date ([`super::open`], [`super::remember_report`]): the log
//! must extend it, its names listed when they changed, the new records admitted, a
//! rewind notice honoured when one applies, the newest checkpoint matched.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::admit;
use super::file::{self, Memory, PlaceKey};
use super::session::Session;
use super::source::{Source, listing, read_opt};
use super::{AppliedRewind, Change, DirStamp, Divergence, Rewound, StateDir, TrustError, damaged};
use crate::record::allowed_signers::AllowedSigners;
use crate::record::log::{Index, Paths};
use crate::record::model::sha256_link;
use crate::record::reviewers;
use crate::record::rewind;
use crate::record::verify::{LogDir, LogReport, State};

pub(super) fn start(
    cases: &Path,
    state: &StateDir,
    source: Source,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Session, TrustError> {
    let p = Paths::new(cases);
    let place = PlaceKey::of(cases);
    let mut session = Session {
        state: state.clone(),
        place: place.clone(),
        lock: None,
        memory: None,
        dirty: false,
        rewound: None,
        verified: 0,
        first_use: false,
        warnings: Vec::new(),
        empty: Index::empty(),
        log_temps: false,
    };
    let id = source.links(1)?.map(|(link, _)| link);
    let seen_here = state.place(&place).map_err(TrustError::Io)?;
    if id.is_none()
        && seen_here
            .as_ref()
            .is_none_or(|h| h.log == crate::record::model::NONE)
    {
        // No log, and none seen here: nothing to check or remember.
        return Ok(session);
    }
    let policy_bytes = reviewers::read_allowed_signers(cases).map_err(TrustError::Io)?;
    let policy = AllowedSigners::parse(&policy_bytes)
        .map_err(|e| TrustError::Io(format!("reviewers/{e}")))?;
    let people = reviewers::load(cases).map_err(TrustError::Io)?;
    // What a rewind carries over from the memory it replaces.
    let mut carried: (BTreeMap<String, DateTime<Utc>>, Vec<AppliedRewind>) = Default::default();
    if let Some(here) = &seen_here
        && here.log != crate::record::model::NONE
        && id.as_deref() != Some(here.log.as_str())
    {
        let old = state.load(&here.log).map_err(TrustError::Io)?;
        let (seq, seen) = old.as_ref().map_or((1, here.first_seen), |m| {
            (m.head.seq.max(1), m.head.first_seen)
        });
        let div = Divergence {
            seq: if id.is_some() { 1 } else { seq },
            change: match id {
                Some(_) => Change::Replaced,
                None => Change::Truncated { ends_at: 0 },
            },
            seen,
            notes: Vec::new(),
        };
        let applied = old.as_ref().map(|m| m.rewinds.clone()).unwrap_or_default();
        let notice = honour(&p, &policy, &source, div, &applied)?;
        carried = (
            old.as_ref().map(|m| m.policies.clone()).unwrap_or_default(),
            applied,
        );
        carried.1.push(applied_now(&notice));
        session.rewound = Some(rewound(notice, seq, seen));
        if id.is_none() {
            // Emptied by the notice: nothing is remembered here until a record is.
            state
                .set_place(
                    &place,
                    &file::Place {
                        path: place.path.clone(),
                        log: crate::record::model::NONE.to_string(),
                        first_seen: Utc::now(),
                    },
                )
                .map_err(TrustError::Io)?;
        }
    }
    let Some(id) = id else {
        return Ok(session);
    };
    session.lock = Some(state.lock(&id).map_err(TrustError::Io)?);
    let mut memory = state.load(&id).map_err(TrustError::Io)?;
    if let Some(m) = &memory
        && m.head.seq > 0
    {
        let change = match source.links(m.head.seq)? {
            Some((rec, _)) if rec != m.head.record => Some(Change::Record),
            Some((_, sig)) if sig != m.head.signature => Some(Change::Signature),
            Some(_) => None,
            None => {
                let ends_at = source.ends_at(&p)?;
                Some(if ends_at < m.head.seq {
                    Change::Truncated { ends_at }
                } else {
                    Change::Missing { ends_at }
                })
            }
        };
        if let Some(change) = change {
            let div = Divergence {
                seq: m.head.seq,
                change,
                seen: m.head.first_seen,
                notes: Vec::new(),
            };
            let notice = honour(&p, &policy, &source, div, &m.rewinds)?;
            let mut rewinds = m.rewinds.clone();
            rewinds.push(applied_now(&notice));
            carried = (m.policies.clone(), rewinds);
            session.rewound = Some(rewound(notice, m.head.seq, m.head.first_seen));
            memory = None;
        }
    }
    let mut m = match memory {
        Some(mut m) => {
            // A memory of this log from elsewhere, after a rewind here: keep both.
            let (policies, rewinds) = std::mem::take(&mut carried);
            for (k, v) in policies {
                m.policies.entry(k).or_insert(v);
            }
            for r in rewinds {
                if !m.rewinds.iter().any(|x| x.sha256 == r.sha256) {
                    m.rewinds.push(r);
                    session.dirty = true;
                }
            }
            m
        }
        None => {
            session.dirty = true;
            let (policies, rewinds) = std::mem::take(&mut carried);
            Memory::new(&id, policies, rewinds)
        }
    };
    session.first_use = m.head.seq == 0;
    let now = Utc::now();
    if let std::collections::btree_map::Entry::Vacant(e) = m.policies.entry(policy.policy_link()) {
        e.insert(now);
        session.dirty = true;
    }
    let checker = admit::Checker::new(&p, &policy, &people);
    match &source {
        Source::Files(None) => {}
        Source::Files(Some(dir)) => {
            // Names: listed again only when the directory changed (or a record follows
            // the head within the kernel clock's tick).
            let stamp = DirStamp::of(&p.log);
            let mut end = m.head.seq;
            let next = read_opt(dir, m.head.seq + 1)?.is_some();
            if session.first_use || stamp.is_none() || stamp != m.stamp || next {
                let l = listing(&p)?;
                if let Some(problem) = l.problem {
                    return Err(damaged(problem));
                }
                session.warnings.extend(l.warning);
                session.log_temps = l.temps;
                end = l.max;
                if stamp != m.stamp {
                    m.stamp = stamp;
                    session.dirty = true;
                }
            }
            let from = m.head.seq + 1;
            let (log_id, saved_head) = (m.log.clone(), m.head.seq);
            let saved = || state.proposals(&log_id, saved_head).unwrap_or_default();
            let verified = checker
                .admit_range(dir, &mut m, from, end, progress, &saved)
                .map_err(damaged)?;
            session.verified = verified;
            if verified > 0 {
                session.dirty = true;
            }
            check_checkpoint(&p, &policy, dir, &m)?;
        }
        Source::Report(report) => {
            // Remembered only from a whole log: `verify` reports the rest itself.
            if report.intact() && report.checkpoints.iter().all(|c| c.problem.is_none()) {
                let from = m.head.seq;
                admit_report(&checker, &mut m, report)?;
                session.verified = m.head.seq - from;
                if session.verified > 0 {
                    session.dirty = true;
                }
            }
        }
    }
    session.memory = Some(m);
    Ok(session)
}

/// Admits the records of a verified `report` after the memory's head.
fn admit_report(
    checker: &admit::Checker,
    m: &mut Memory,
    report: &LogReport,
) -> Result<(), TrustError> {
    let by_seq = |s: u64| {
        report
            .records
            .get(usize::try_from(s).ok()?.checked_sub(1)?)
            .filter(|r| r.seq == s)
    };
    let after = m.head.seq;
    for r in report.records.iter().filter(|r| r.seq > after) {
        let Some(rec) = r.record.clone() else {
            return Err(damaged((
                r.seq,
                r.problems.first().cloned().unwrap_or_default(),
            )));
        };
        let allowed = match r.state {
            State::Ok | State::CaseChanged => admit::Allowed::Current,
            State::SupersededPolicy => admit::Allowed::Archived(rec.policy.clone()),
            State::Invalid => {
                return Err(damaged((
                    r.seq,
                    r.problems.first().cloned().unwrap_or_default(),
                )));
            }
        };
        let target = |s: u64| {
            by_seq(s)
                .and_then(|x| x.record.as_ref())
                .map(crate::record::log_rules::Target::of)
        };
        checker
            .admit(
                m,
                admit::Checked {
                    record: rec,
                    link: r.link.clone(),
                    sig_link: r.sig_link.clone(),
                    allowed,
                },
                &target,
            )
            .map_err(damaged)?;
    }
    Ok(())
}

fn applied_now(n: &rewind::Notice) -> AppliedRewind {
    AppliedRewind {
        file: n
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        sha256: n.sha256.clone(),
        applied: Utc::now(),
    }
}

fn rewound(n: rewind::Notice, from_seq: u64, from_seen: DateTime<Utc>) -> Rewound {
    Rewound {
        file: n
            .file
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        notice: n.rewind,
        from_seq,
        from_seen,
    }
}

/// The rewind notice that makes `div` lawful, or `div` with the reasons none does.
fn honour(
    p: &Paths,
    policy: &AllowedSigners,
    source: &Source,
    div: Divergence,
    applied: &[AppliedRewind],
) -> Result<rewind::Notice, TrustError> {
    let found = rewind::find(p, policy).map_err(TrustError::Io)?;
    let applied: Vec<String> = applied.iter().map(|a| a.sha256.clone()).collect();
    let holds = |seq: u64, link: &str| {
        source
            .links(seq)
            .ok()
            .flatten()
            .is_some_and(|(l, _)| l == link)
    };
    rewind::applicable(&found, div.seen, &applied, &holds)
        .map_err(|notes| TrustError::Diverged(Divergence { notes, ..div }))
}

/// The newest valid checkpoint beside the log must match what this user remembers.
fn check_checkpoint(
    p: &Paths,
    policy: &AllowedSigners,
    dir: &LogDir,
    m: &Memory,
) -> Result<(), TrustError> {
    let found = crate::record::checkpoint::newest_valid(p, policy).map_err(TrustError::Io)?;
    let Some(cp) = found.checkpoint else {
        return Ok(());
    };
    let head = m.head.seq;
    if cp.seq > head {
        return Err(TrustError::Damaged {
            seq: Some(head + 1),
            message: format!(
                "log truncated: the checkpoint covers records up to {} but the log ends at {head}",
                cp.seq
            ),
        });
    }
    let link = if cp.seq == head {
        Some(m.head.record.clone())
    } else {
        read_opt(dir, cp.seq)?.map(|b| sha256_link(&b))
    };
    if link.as_deref() != Some(cp.head.as_str()) {
        return Err(TrustError::Damaged {
            seq: Some(cp.seq),
            message: format!(
                "record {} differs from the checkpoint: the log was rewritten up to or at it",
                cp.seq
            ),
        });
    }
    Ok(())
}
