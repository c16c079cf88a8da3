//! `casebench practice [--trainee ID] [--case ID] [--json]`: a trainee's scores against
//! reference decisions (attempts over time, per case, per topic, what to study next), a
//! supervisor's overview of every trainee, or one attempt's comparison again. Also the
//! practice and countersign parts of `casebench decide`.
//!
//! Exit status: 0 shown; 1 some practice records failed verification (they are listed
//! and not scored); 2 usage or I/O errors.

use std::io::Write;

use chrono::Utc;
use serde_json::json;

use super::decide_gate::GateError;
use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::case::{CaseSet, LoadedCase};
use crate::cli::{DecideArgs, Global, PracticeArgs};
use crate::practice::countersign;
use crate::practice::progress::{self, TraineeRow};
use crate::practice::{Feedback, feedback};
use crate::record::model::{OverriddenFinding, Record, RecordType};
use crate::record::reviewers::{self, Role};
use crate::record::{AppendError, Log};
use crate::rules::{Related, Rulebook};
use crate::text::sanitize_line;

mod render;

pub use render::write_feedback;

pub fn run(global: &Global, args: &PracticeArgs, out: &mut dyn Write) -> CommandResult {
    let set = super::load_cases(global)?;
    let rb = rulebook(global)?;
    let log = crate::record::verify::verify_log(&global.cases, None).map_err(CommandError::Io)?;
    let people = reviewers::load(&global.cases).map_err(CommandError::Io)?;
    let attempts = progress::collect(&set, &log, &rb);
    let trainee = args.trainee.clone().or_else(|| {
        global
            .reviewer
            .clone()
            .filter(|r| people.get(r).is_some_and(|p| p.role == Role::Trainee))
    });
    let exit = if attempts.skipped.is_empty() {
        Exit::Ok
    } else {
        Exit::Problems
    };
    if let Some(case_id) = &args.case {
        let who = trainee.ok_or_else(|| {
            CommandError::Usage("--case: whose attempt? pass --trainee ID (or --reviewer)".into())
        })?;
        let case = super::find_case(&set, case_id)?;
        let f = attempts
            .by_trainee
            .get(&who)
            .and_then(|list| list.iter().rev().find(|a| a.case == case.case.id))
            .ok_or_else(|| {
                CommandError::Usage(format!(
                    "{} has no verified attempt at case {}",
                    sanitize_line(&who),
                    case.case.id
                ))
            })?;
        if args.json {
            write_json(out, &f.feedback, true)?;
        } else {
            write_feedback(out, &f.feedback).map_err(io_out)?;
        }
        return Ok(exit);
    }
    match trainee {
        Some(t) => {
            let p = progress::trainee_progress(&set, &attempts, &t, &people);
            if args.json {
                let v = json!({ "trainee": p, "skipped": attempts.skipped });
                write_json(out, &v, true)?;
            } else {
                render::write_progress(out, &p).map_err(io_out)?;
                render::write_skipped(out, &attempts).map_err(io_out)?;
            }
        }
        None => {
            let rows: Vec<TraineeRow> = progress::overview(&set, &attempts, &people);
            if args.json {
                let v = json!({
                    "practice_cases": attempts.practice_cases,
                    "trainees": rows,
                    "skipped": attempts.skipped,
                });
                write_json(out, &v, true)?;
            } else {
                render::write_overview(out, &rows, attempts.practice_cases.len())
                    .map_err(io_out)?;
                render::write_skipped(out, &attempts).map_err(io_out)?;
            }
        }
    }
    Ok(exit)
}

fn rulebook(global: &Global) -> Result<Rulebook, CommandError> {
    Rulebook::for_case_dir(&global.cases).map_err(|e| CommandError::Io(e.to_string()))
}

/// What `decide --type practice` shows once the record is signed.
pub(crate) enum AfterPractice {
    /// A practice case: the comparison with its reference.
    Scored(Box<Feedback>),
    /// A real case: a proposal for a supervisor to countersign.
    Proposal { seq: u64, case: String },
    /// A real case already decided: practice only, nothing to countersign.
    AlreadyDecided {
        case: String,
        by: String,
        at: String,
    },
    /// Signed, but the comparison failed (e.g. the rulebook override is invalid).
    Unscored(String),
}

pub(crate) fn after_practice(
    global: &Global,
    set: &CaseSet,
    case: &LoadedCase,
    rec: &Record,
) -> AfterPractice {
    if case.case.practice.is_none() {
        let decided = crate::record::log::read_index(&global.cases)
            .ok()
            .and_then(|ix| ix.cases.get(&case.case.id).cloned())
            .and_then(|h| h.final_record().cloned());
        if let Some(f) = decided {
            return AfterPractice::AlreadyDecided {
                case: case.case.id.clone(),
                by: f.reviewer,
                at: crate::record::model::format_time(&f.time),
            };
        }
        return AfterPractice::Proposal {
            seq: rec.seq,
            case: case.case.id.clone(),
        };
    }
    let rb = match rulebook(global) {
        Ok(rb) => rb,
        Err(e) => return AfterPractice::Unscored(e.to_string()),
    };
    let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
    match feedback(&rb, &case.case, related, rec) {
        Ok(f) => AfterPractice::Scored(Box::new(f)),
        Err(e) => AfterPractice::Unscored(e.to_string()),
    }
}

impl AfterPractice {
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match self {
            AfterPractice::Scored(f) => json!({ "scored": true, "feedback": f }),
            AfterPractice::Proposal { seq, case } => json!({
                "scored": false,
                "proposal": true,
                "countersign": format!("casebench decide {case} --type countersign --countersigns {seq} --rationale TEXT"),
            }),
            AfterPractice::AlreadyDecided { by, at, .. } => json!({
                "scored": false,
                "proposal": false,
                "decided_by": by,
                "decided_at": at,
            }),
            AfterPractice::Unscored(why) => json!({ "scored": false, "error": why }),
        }
    }

    pub(crate) fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self {
            AfterPractice::Scored(f) => {
                writeln!(out)?;
                write_feedback(out, f)
            }
            AfterPractice::Proposal { seq, case } => writeln!(
                out,
                "\nA proposal: case {} is not decided until a supervisor countersigns record {seq}:\n  casebench decide {} --type countersign --countersigns {seq} --rationale TEXT",
                sanitize_line(case),
                sanitize_line(case)
            ),
            AfterPractice::AlreadyDecided { case, by, at } => writeln!(
                out,
                "\nCase {} was already decided by {} at {at}: this practice record is not a proposal, and a real case has no reference to score it against.",
                sanitize_line(case),
                sanitize_line(by)
            ),
            AfterPractice::Unscored(why) => {
                writeln!(out, "\nNot scored: {}", sanitize_line(why))
            }
        }
    }
}

/// `casebench decide ID --type countersign --countersigns SEQ --rationale TEXT`: the
/// supervisor's countersignature of a trainee's proposal.
pub(crate) fn decide_countersign(
    global: &Global,
    args: &DecideArgs,
    set: &CaseSet,
    case: &LoadedCase,
    seq: u64,
    overrides: Vec<OverriddenFinding>,
    out: &mut dyn Write,
) -> CommandResult {
    if args.record_type != RecordType::Countersign.as_str() {
        return Err(CommandError::Usage(
            "--countersigns goes with --type countersign".into(),
        ));
    }
    if !args.proposal.grounds.is_empty()
        || !args.proposal.withhold.is_empty()
        || !args.disclosures.is_empty()
    {
        return Err(CommandError::Usage(
            "--countersigns takes the proposal as it stands: no --ground, --withhold or --disclosure (to decide otherwise, sign a decision)".into(),
        ));
    }
    let refused = |e: AppendError, out: &mut dyn Write| -> CommandResult {
        if let AppendError::Io(m) = e {
            return Err(CommandError::Io(m));
        }
        if args.json {
            let v = json!({ "error": "refused", "message": e.to_string() });
            write_json(out, &v, false)?;
        }
        crate::text::warn(&e.to_string());
        Ok(Exit::Problems)
    };
    let proposal = match countersign::read_record(&global.cases, seq)
        .and_then(|p| countersign::check_proposal(&case.case, &p).map(|()| p))
    {
        Ok(p) => p,
        Err(e) => return refused(e, out),
    };
    if let Some(o) = &args.proposal.outcome
        && *o != proposal.outcome
    {
        return refused(
            AppendError::Refused(format!(
                "proposal {seq} decided `{}`, not `{}`; a countersignature agrees with it (to decide otherwise, sign a decision)",
                proposal.outcome,
                sanitize_line(o)
            )),
            out,
        );
    }
    let time = Utc::now();
    let (reviewer, mut signer) =
        super::resolve_signer(global, RecordType::Countersign.namespace(), time)?;
    let mut draft = match countersign::countersign_draft(
        &case.case,
        &proposal,
        &reviewer,
        &args.rationale,
        overrides,
        global.today(),
    ) {
        Ok(d) => d,
        Err(e) => return refused(e, out),
    };
    // The countersignature makes the decision final: the advisor's gate applies.
    match super::decide_gate::apply(global, set, case, &mut draft) {
        Ok(()) => {}
        Err(GateError::Usage(m)) => return Err(CommandError::Usage(m)),
        Err(GateError::Findings(open)) => {
            return super::decide::refuse_findings(out, &open, args.json);
        }
    }
    match Log::open(&global.cases).append_countersign(case, &draft, &mut signer, time, seq) {
        Ok(a) => {
            let r = &a.record;
            if args.json {
                let v = json!({
                    "seq": r.seq,
                    "file": a.path.display().to_string(),
                    "case": r.case,
                    "type": r.kind.as_str(),
                    "countersigns": seq,
                    "outcome": r.outcome,
                    "reviewer": r.reviewer,
                    "proposed_by": proposal.reviewer,
                    "key": r.key,
                    "sha256": crate::record::model::sha256_link(&a.bytes),
                });
                write_json(out, &v, false)?;
            } else {
                writeln!(
                    out,
                    "signed record {} (countersign of {}'s proposal {seq} on case {}: {}) as {} with {}\n  {}\n  case {} is decided",
                    r.seq,
                    sanitize_line(&proposal.reviewer),
                    sanitize_line(&r.case),
                    r.outcome,
                    sanitize_line(&r.reviewer),
                    signer.describe(),
                    a.path.display(),
                    sanitize_line(&r.case),
                )
                .map_err(io_out)?;
            }
            Ok(Exit::Ok)
        }
        Err(e) => refused(e, out),
    }
}
