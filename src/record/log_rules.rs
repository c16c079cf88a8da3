//! The log's rules (docs/RECORDS.md, "Who may sign what"): what a record may say given
//! the records of its case before it. One function for each rule; the append applies
//! them to the record it is about to sign, against this user's verified index
//! ([`super::memory`]), and `verify` applies the same functions to every record of the
//! log in order ([`super::verify`]), so a log that breaks a rule fails there too,
//! naming the record.
//!
//! - [`one_final_decision`]: a `decision` only on a case with no record in force;
//! - [`review_allowed`]: a `review` only of a denial in force, once, naming it. Who may
//!   review (a licensed professional who took no part, 164.524(a)(3)-(4)) is the law,
//!   not the log's: [`crate::rules::review`], checked when a review is signed;
//! - [`countersign_allowed`]: a `countersign` points to the decision in force (a second
//!   signature on it, by someone else, with its outcome) or to a trainee's proposal that
//!   exists on the case, unchanged, by someone else;
//! - [`namespace_fits_role`]: each namespace is used only by the roles allowed to sign
//!   it (reviewers.yaml);
//! - the signer allowed by the policy: checked with the signature (verify, the memory's
//!   admission of a record, the append's `AllowedSigners::check`).
//!
//! `practice` records are never final and never conflict.

use super::log::CaseHistory;
use super::model::{
    NS_AUDIT, NS_DECISION, NS_PRACTICE, NS_PROVISION, NS_REVIEW, ProvisionWhat, Record,
    RecordAction, RecordType, format_date, format_time,
};
use super::reviewers::{Reviewers, Role};
use crate::text::sanitize_line;

/// A rule a record breaks. Its text is what `decide` refuses with and what `verify`
/// says of the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    AlreadyDecided {
        case: String,
        seq: u64,
        by: String,
        at: String,
    },
    NoDecisionToReview {
        case: String,
    },
    AlreadyReviewed {
        case: String,
        by: String,
        at: String,
    },
    NotADenial {
        seq: u64,
        outcome: String,
    },
    /// A review or countersignature that does not name the record in force.
    PointsElsewhere {
        what: &'static str,
        target: Option<u64>,
        in_force: u64,
    },
    NoDecisionToCountersign {
        case: String,
    },
    OwnRecord {
        who: String,
        seq: u64,
    },
    AlreadyCountersigned {
        who: String,
        seq: u64,
    },
    OutcomeDiffers {
        seq: u64,
        outcome: String,
        theirs: String,
    },
    NotTheDecisionInForce {
        seq: u64,
        kind: &'static str,
        case: String,
    },
    NoSuchProposal {
        seq: u64,
        case: String,
    },
    OwnProposal {
        who: String,
        seq: u64,
    },
    ProposalChanged {
        seq: u64,
        outcome: String,
    },
    RoleNamespace {
        who: String,
        role: &'static str,
        namespace: &'static str,
    },
    /// A second provision for the record in force that does not say it corrects the first.
    AlreadyProvided {
        case: String,
        seq: u64,
        by: String,
        at: String,
        provides: u64,
    },
    /// A provision that does not fit the record in force (none, another, a date).
    Provision(String),
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = |t: &str| sanitize_line(t);
        match self {
            Broken::AlreadyDecided { case, seq, by, at } => write!(
                f,
                "case {} already decided by {} at {at} (record {seq})",
                s(case),
                s(by)
            ),
            Broken::NoDecisionToReview { case } => {
                write!(f, "case {} has no decision to review", s(case))
            }
            Broken::AlreadyReviewed { case, by, at } => {
                write!(f, "case {} already reviewed by {} at {at}", s(case), s(by))
            }
            Broken::NotADenial { seq, outcome } => write!(
                f,
                "only a denial can be reviewed; record {seq} decided `{}`",
                s(outcome)
            ),
            Broken::PointsElsewhere {
                what,
                target,
                in_force,
            } => match target {
                Some(t) => write!(
                    f,
                    "a {what} points to record {t}, but the record in force on its case is {in_force}"
                ),
                None => write!(
                    f,
                    "a {what} names no record; the record in force on its case is {in_force}"
                ),
            },
            Broken::NoDecisionToCountersign { case } => {
                write!(f, "case {} has no decision to countersign", s(case))
            }
            Broken::OwnRecord { who, seq } => write!(
                f,
                "{} signed record {seq} and cannot countersign it",
                s(who)
            ),
            Broken::AlreadyCountersigned { who, seq } => {
                write!(f, "{} already countersigned record {seq}", s(who))
            }
            Broken::OutcomeDiffers {
                seq,
                outcome,
                theirs,
            } => write!(
                f,
                "a countersignature agrees with the decision: record {seq} decided `{}`, not `{}`",
                s(outcome),
                s(theirs)
            ),
            Broken::NotTheDecisionInForce { seq, kind, case } => write!(
                f,
                "record {seq} is a {kind} but not the current decision of case {}; countersign a trainee's proposal or the current decision",
                s(case)
            ),
            Broken::NoSuchProposal { seq, case } => write!(
                f,
                "there is no record {seq} of case {} to countersign (no trainee's proposal awaiting a countersignature)",
                s(case)
            ),
            Broken::OwnProposal { who, seq } => write!(
                f,
                "{} proposed record {seq} and cannot countersign it",
                s(who)
            ),
            Broken::ProposalChanged { seq, outcome } => write!(
                f,
                "a countersignature makes proposal {seq} final as it stands (outcome `{}`); to decide otherwise, sign a decision",
                s(outcome)
            ),
            Broken::RoleNamespace {
                who,
                role,
                namespace,
            } => write!(
                f,
                "{} is a {role} in reviewers.yaml, and a {role} does not sign in namespace {namespace}",
                s(who)
            ),
            Broken::AlreadyProvided {
                case,
                seq,
                by,
                at,
                provides,
            } => write!(
                f,
                "record {provides} of case {} was already provided (record {seq}, by {} at {at}); to correct that record, sign a provision with --corrects {seq} and the reason",
                s(case),
                s(by)
            ),
            Broken::Provision(m) => f.write_str(m),
        }
    }
}

/// Whether the refusal is about who signs (rather than what the log already holds).
impl Broken {
    pub fn is_about_the_signer(&self) -> bool {
        matches!(
            self,
            Broken::OwnRecord { .. } | Broken::OwnProposal { .. } | Broken::RoleNamespace { .. }
        )
    }
}

/// What a countersignature's target is, when it is not the record in force: a record of
/// the log read and checked against this user's memory (the append) or the verified
/// report (`verify`).
#[derive(Debug, Clone)]
pub struct Target {
    pub case: String,
    pub kind: RecordType,
    pub reviewer: String,
    pub outcome: String,
    pub grounds: Vec<String>,
    pub records: Vec<RecordAction>,
}

impl Target {
    pub fn of(rec: &Record) -> Target {
        Target {
            case: rec.case.clone(),
            kind: rec.kind,
            reviewer: rec.reviewer.clone(),
            outcome: rec.outcome.clone(),
            grounds: rec.grounds.clone(),
            records: rec.records.clone(),
        }
    }
}

/// Reads a record of the log for [`countersign_allowed`]; `None` when there is none.
pub type TargetOf<'a> = &'a dyn Fn(u64) -> Option<Target>;

/// A `decision` settles a case that nothing settles yet: a second one is refused.
pub fn one_final_decision(case: &str, history: &CaseHistory) -> Result<(), Broken> {
    match history.final_record() {
        Some(f) => Err(Broken::AlreadyDecided {
            case: case.to_string(),
            seq: f.seq,
            by: f.reviewer.clone(),
            at: format_time(&f.time),
        }),
        None => Ok(()),
    }
}

/// A `review` reviews the denial in force (`reviews` names it), once. Who may sign it is
/// the rules' answer ([`crate::rules::review::problems`]), checked when it is signed.
pub fn review_allowed(
    case: &str,
    reviews: Option<u64>,
    history: &CaseHistory,
) -> Result<(), Broken> {
    let f = history
        .final_record()
        .ok_or_else(|| Broken::NoDecisionToReview {
            case: case.to_string(),
        })?;
    if f.kind == RecordType::Review {
        return Err(Broken::AlreadyReviewed {
            case: case.to_string(),
            by: f.reviewer.clone(),
            at: format_time(&f.time),
        });
    }
    if !matches!(f.outcome.as_str(), "deny" | "release_partial") {
        return Err(Broken::NotADenial {
            seq: f.seq,
            outcome: f.outcome.clone(),
        });
    }
    if reviews != Some(f.seq) {
        return Err(Broken::PointsElsewhere {
            what: "review",
            target: reviews,
            in_force: f.seq,
        });
    }
    Ok(())
}

/// A `countersign` names its record (`countersigns`): the decision in force (a second
/// signature on it: someone else's, with its outcome, once per person), or, while no
/// record is in force, an earlier trainee's proposal on the case, which it makes final
/// as it stands (same outcome, grounds and items; not by the trainee who proposed it).
/// `target` reads a record of the log that is not the one in force (as the caller
/// verified it: `None` when it cannot vouch for its bytes).
pub fn countersign_allowed(
    rec: &Record,
    history: &CaseHistory,
    target: TargetOf<'_>,
) -> Result<(), Broken> {
    let case = rec.case.as_str();
    let who = rec.reviewer.as_str();
    let Some(seq) = rec.countersigns else {
        return match history.final_record() {
            Some(f) => Err(Broken::PointsElsewhere {
                what: "countersignature",
                target: None,
                in_force: f.seq,
            }),
            None => Err(Broken::NoDecisionToCountersign {
                case: case.to_string(),
            }),
        };
    };
    if let Some(f) = history.final_record() {
        if f.seq != seq {
            return Err(match target(seq) {
                Some(t) if t.case == case && t.kind == RecordType::Practice => {
                    Broken::AlreadyDecided {
                        case: case.to_string(),
                        seq: f.seq,
                        by: f.reviewer.clone(),
                        at: format_time(&f.time),
                    }
                }
                Some(t) if t.case == case => Broken::NotTheDecisionInForce {
                    seq,
                    kind: t.kind.as_str(),
                    case: case.to_string(),
                },
                _ => Broken::NoSuchProposal {
                    seq,
                    case: case.to_string(),
                },
            });
        }
        if f.reviewer == who {
            return Err(Broken::OwnRecord {
                who: who.to_string(),
                seq,
            });
        }
        if history.countersigned_final(who) {
            return Err(Broken::AlreadyCountersigned {
                who: who.to_string(),
                seq,
            });
        }
        if f.outcome != rec.outcome {
            return Err(Broken::OutcomeDiffers {
                seq,
                outcome: f.outcome.clone(),
                theirs: rec.outcome.clone(),
            });
        }
        return Ok(());
    }
    // No record in force: every practice record of the case is a proposal awaiting a
    // countersignature (a case once settled stays settled).
    let no_such = || Broken::NoSuchProposal {
        seq,
        case: case.to_string(),
    };
    let t = target(seq)
        .filter(|t| t.case == case && seq < rec.seq)
        .ok_or_else(no_such)?;
    if t.kind != RecordType::Practice {
        return Err(no_such());
    }
    if t.reviewer == who {
        return Err(Broken::OwnProposal {
            who: who.to_string(),
            seq,
        });
    }
    if t.outcome != rec.outcome || t.grounds != rec.grounds || t.records != rec.records {
        return Err(Broken::ProposalChanged {
            seq,
            outcome: t.outcome.to_string(),
        });
    }
    Ok(())
}

/// The namespaces a role signs in: supervisors and reviewing professionals decide,
/// review, countersign and record provisions; release-of-information staff record
/// provisions only; trainees sign practice records (their proposals); compliance
/// officers sign checkpoints and rewind notices.
pub fn namespaces_of(role: Role) -> &'static [&'static str] {
    match role {
        Role::Supervisor | Role::ReviewingProfessional => &[NS_DECISION, NS_REVIEW, NS_PROVISION],
        Role::ReleaseOfInformation => &[NS_PROVISION],
        Role::Trainee => &[NS_PRACTICE],
        Role::ComplianceOfficer => &[NS_AUDIT],
    }
}

/// A `provision` carries out the record in force on its case (`provides` names it and
/// its hash, with its outcome), one whose outcome has something to provide; on a day
/// neither before that record was signed nor after the provision itself was (a day's
/// grace for time zones east of UTC); the fee told no later than the provision. A second
/// provision for the same record names the one in force in `corrects`.
pub fn provision_allowed(rec: &Record, history: &CaseHistory) -> Result<(), Broken> {
    let bad = |m: String| Err(Broken::Provision(m));
    let case = sanitize_line(&rec.case);
    let Some(p) = rec.provision.as_ref() else {
        return bad("a provision record needs its `provision:` block".into());
    };
    let Some(f) = history.final_record() else {
        return bad(format!(
            "case {case} has no decision in force to provide: decide it first"
        ));
    };
    if p.provides != f.seq || p.provides_sha256 != f.link {
        return bad(format!(
            "a provision carries out the record in force on case {case} (record {}), not record {}",
            f.seq, p.provides
        ));
    }
    if rec.outcome != f.outcome {
        return bad(format!(
            "a provision repeats the outcome of record {} (`{}`), not `{}`",
            f.seq,
            sanitize_line(&f.outcome),
            sanitize_line(&rec.outcome)
        ));
    }
    match ProvisionWhat::for_outcome(&f.outcome) {
        None => {
            return bad(format!(
                "record {} decided `{}`: nothing is provided for it",
                f.seq,
                sanitize_line(&f.outcome)
            ));
        }
        Some(w) if w != p.what => {
            return bad(format!(
                "record {} decided `{}`, which is carried out by `what: {}`, not `{}`",
                f.seq,
                sanitize_line(&f.outcome),
                w.as_str(),
                p.what.as_str()
            ));
        }
        Some(_) => {}
    }
    let decided_on = f.time.date_naive();
    let latest = rec.time.date_naive() + chrono::Days::new(1);
    for (what, day) in [("provided", Some(p.on)), ("notice sent", p.notice_sent)] {
        let Some(day) = day else { continue };
        if day < decided_on {
            return bad(format!(
                "{what} on {} is before record {} was signed ({})",
                format_date(&day),
                f.seq,
                format_date(&decided_on)
            ));
        }
        if day > latest {
            return bad(format!(
                "{what} on {} is after this record was signed ({}): a provision is recorded once done",
                format_date(&day),
                format_time(&rec.time)
            ));
        }
    }
    if let Some(told) = p.fee_told_on
        && told > p.on
    {
        return bad(format!(
            "the fee was told on {}, after the records were provided on {}",
            format_date(&told),
            format_date(&p.on)
        ));
    }
    match (history.provision(), p.corrects) {
        (None, None) => Ok(()),
        (None, Some(c)) => bad(format!(
            "record {} of case {case} has no provision to correct (corrects: {c})",
            f.seq
        )),
        (Some(prev), None) => Err(Broken::AlreadyProvided {
            case: rec.case.clone(),
            seq: prev.seq,
            by: prev.reviewer.clone(),
            at: format_time(&prev.time),
            provides: f.seq,
        }),
        (Some(prev), Some(c)) if c != prev.seq => bad(format!(
            "a correction names the provision in force for record {} (record {}), not record {c}",
            f.seq, prev.seq
        )),
        (Some(_), Some(_)) => {
            if rec.rationale.trim().is_empty() {
                return bad("a correction says why (its rationale is empty)".into());
            }
            Ok(())
        }
    }
}

/// Each namespace only by the roles allowed to sign it. A principal reviewers.yaml does
/// not list has no role to hold against it (allowed_signers alone decides).
pub fn namespace_fits_role(
    reviewer: &str,
    namespace: &'static str,
    people: &Reviewers,
) -> Result<(), Broken> {
    let Some(r) = people.get(reviewer) else {
        return Ok(());
    };
    if namespaces_of(r.role).contains(&namespace) {
        return Ok(());
    }
    Err(Broken::RoleNamespace {
        who: reviewer.to_string(),
        role: role_name(r.role),
        namespace,
    })
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Supervisor => "supervisor",
        Role::ReviewingProfessional => "reviewing professional",
        Role::Trainee => "trainee",
        Role::ComplianceOfficer => "compliance officer",
        Role::ReleaseOfInformation => "release-of-information clerk",
    }
}

/// Every rule, for one record, given its case's history before it.
pub fn check(
    rec: &Record,
    history: &CaseHistory,
    people: &Reviewers,
    target: TargetOf<'_>,
) -> Result<(), Broken> {
    namespace_fits_role(&rec.reviewer, rec.kind.namespace(), people)?;
    match rec.kind {
        RecordType::Practice => Ok(()),
        RecordType::Decision => one_final_decision(&rec.case, history),
        RecordType::Review => review_allowed(&rec.case, rec.reviews, history),
        RecordType::Countersign => countersign_allowed(rec, history, target),
        RecordType::Provision => provision_allowed(rec, history),
    }
}

#[cfg(test)]
mod tests;
