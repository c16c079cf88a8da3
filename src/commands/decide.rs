//! `casebench decide ID --outcome O ... --rationale TEXT`: writes a signed record.
//!
//! Exit status: 0 written; 1 refused (already decided, case file changed, signer not
//! allowed, review or countersign rules); 2 usage or I/O errors (bad arguments, no
//! key, wrong passphrase, unwritable log).

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::cli::{DecideArgs, Global};
use crate::decision::DecideError;
use crate::decision::after::AfterPractice;
use crate::decision::entry::Entry;
use crate::decision::proposal::Proposal;
use crate::decision::sign::{Signed, decide};
use crate::record::AppendError;
use crate::record::model::{OverriddenFinding, RecordType};
use crate::text::sanitize_line;

mod countersign;

pub fn run(global: &Global, args: &DecideArgs, out: &mut dyn Write) -> CommandResult {
    let set = super::load_cases(global)?;
    let case = super::find_case(&set, &args.id)?;
    // This user's memory of the log first, with progress on a first use of a long log
    // (the append checks it again under the lock, with nothing new left to verify).
    if let Err(e) = super::trusted::catch_up(global)? {
        return super::trusted::refuse(out, &e, args.json);
    }
    let overrides = parse_overrides(&args.overrides)?;
    if let Some(seq) = args.countersigns {
        return countersign::run(global, args, &set, case, seq, overrides, out);
    }
    let proposal = parse_proposal(args, &case.case, overrides)?;
    match decide(&global.setting(), &set, case, &proposal) {
        Ok(signed) => report(out, &signed, args.json),
        Err(e) => {
            let result = refused(out, e, args.json);
            if let Some(hint) = trainee_hint(global, &proposal) {
                crate::text::warn(&hint);
            }
            result
        }
    }
}

/// A trainee (reviewers.yaml `role: trainee`) whose decision was refused: the way to do
/// it (`--type practice`), after the refusal (allowed_signers stays the judge of who may
/// sign what).
fn trainee_hint(global: &Global, proposal: &crate::decision::proposal::Proposal) -> Option<String> {
    use crate::record::model::RecordType;
    let who = global.reviewer.as_deref()?;
    if proposal.kind != RecordType::Decision
        || !crate::record::reviewers::load(&global.cases).is_ok_and(|r| r.is_trainee(who))
    {
        return None;
    }
    Some(format!(
        "hint: {} is a trainee (reviewers.yaml, role: trainee): a trainee signs practice \
         records, not decisions; add --type practice (on a practice case you then see the \
         reference and your score; on a real case it is a proposal for a supervisor to \
         countersign)",
        sanitize_line(who)
    ))
}

/// A decision not signed: usage and I/O errors stop the command (exit 2); findings and
/// the log's refusals are reported (exit 1).
pub(super) fn refused(out: &mut dyn Write, e: DecideError, json: bool) -> CommandResult {
    match e {
        DecideError::Usage(m) => Err(CommandError::Usage(m)),
        DecideError::Findings(open) => refuse_findings(out, &open, json),
        DecideError::Refused(AppendError::Io(e)) => Err(CommandError::Io(e)),
        DecideError::Refused(refusal) => {
            let msg = refusal.to_string();
            if json {
                let v = json!({ "error": refusal_kind(&refusal), "message": msg });
                write_json(out, &v, false)?;
            }
            crate::text::warn(&sanitize_line(&msg));
            Ok(Exit::Problems)
        }
    }
}

/// Error findings without an override: nothing is signed; each is listed with what to do.
fn refuse_findings(
    out: &mut dyn Write,
    open: &[crate::rules::Finding],
    json: bool,
) -> CommandResult {
    if json {
        let v = json!({ "error": "findings", "findings": open });
        write_json(out, &v, false)?;
    }
    crate::text::warn(&format!(
        "not signed: the advisor reports {} error finding(s); change the decision or \
         override each with --override CODE=JUSTIFICATION",
        open.len()
    ));
    for f in open {
        eprintln!(
            "  error {}: {}  [{}]",
            sanitize_line(&f.code),
            sanitize_line(&f.message),
            f.citation
        );
    }
    Ok(Exit::Problems)
}

fn refusal_kind(e: &AppendError) -> &'static str {
    match e {
        AppendError::AlreadyDecided { .. } => "already_decided",
        AppendError::CaseChanged { .. } => "case_changed",
        AppendError::NotAllowed(_) => "not_allowed",
        AppendError::Refused(_) => "refused",
        AppendError::Damaged(_) => "log_damaged",
        AppendError::Io(_) => "io",
    }
}

fn report(out: &mut dyn Write, s: &Signed, json: bool) -> CommandResult {
    if let Some(w) = &s.key_warning {
        crate::text::warn(w);
    }
    let a = &s.appended;
    let r = &a.record;
    if json {
        let mut v = json!({
            "seq": r.seq,
            "file": a.path.display().to_string(),
            "signature": a.sig_path.display().to_string(),
            "case": r.case,
            "type": r.kind.as_str(),
            "outcome": r.outcome,
            "reviewer": r.reviewer,
            "key": r.key,
            "time": crate::record::model::format_time(&r.time),
            "sha256": crate::record::model::sha256_link(&a.bytes),
            "warning": a.warning,
        });
        if let Some(p) = &s.after {
            v["practice"] = after_json(p);
        }
        if let Some(sync) = &s.sync {
            v["sync"] = match sync {
                Ok(r) => json!({"ok": true, "site": r.site, "records": r.records, "head": r.head}),
                Err(e) => json!({"ok": false, "message": e}),
            };
        }
        write_json(out, &v, false)?;
    } else {
        writeln!(
            out,
            "signed record {} ({} of case {}: {}) as {} with {}\n  {}",
            r.seq,
            r.kind.as_str(),
            sanitize_line(&r.case),
            r.outcome,
            sanitize_line(&r.reviewer),
            s.signer,
            a.path.display()
        )
        .map_err(io_out)?;
        if let Some(p) = &s.after {
            write_after(out, p).map_err(io_out)?;
        }
        if let Some(Ok(sync)) = &s.sync {
            writeln!(out, "  synced to the remote as site {}", sync.site).map_err(io_out)?;
        }
    }
    if let Some(Err(e)) = &s.sync {
        crate::text::warn(&format!(
            "the decision is recorded, but sync failed (the next `casebench sync` catches up): {e}"
        ));
    }
    if let Some(w) = &a.warning {
        eprintln!("casebench: warning: {}", crate::text::sanitize_line(w));
    }
    Ok(Exit::Ok)
}

/// What `decide --type practice --json` adds: the score, or the proposal to countersign.
fn after_json(a: &AfterPractice) -> serde_json::Value {
    match a {
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

/// What `decide --type practice` shows once the record is signed.
fn write_after(out: &mut dyn Write, a: &AfterPractice) -> std::io::Result<()> {
    match a {
        AfterPractice::Scored(f) => {
            writeln!(out)?;
            super::practice::write_feedback(out, f)
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

fn parse_proposal(
    args: &DecideArgs,
    case: &crate::case::Case,
    overrides: Vec<OverriddenFinding>,
) -> Result<Proposal, CommandError> {
    let usage = |m: String| CommandError::Usage(m);
    let kind = RecordType::parse(&args.record_type).ok_or_else(|| {
        usage(format!(
            "--type `{}`: expected decision, review, practice or countersign",
            sanitize_line(&args.record_type)
        ))
    })?;
    let judged = super::advise::parse_proposal(&args.proposal, case)?
        .ok_or_else(|| usage("--outcome is required".into()))?;
    let mut disclosures = Vec::new();
    for d in &args.disclosures {
        let parts: Vec<&str> = d.split('|').collect();
        let [recipient, address, description, purpose] = parts.as_slice() else {
            return Err(usage(format!(
                "--disclosure `{}`: expected RECIPIENT|ADDRESS|DESCRIPTION|PURPOSE",
                sanitize_line(d)
            )));
        };
        if [recipient, address, description, purpose]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            return Err(usage("--disclosure: all four parts are required".into()));
        }
        disclosures.push(Entry {
            recipient: recipient.trim().to_string(),
            address: address.trim().to_string(),
            description: description.trim().to_string(),
            purpose: purpose.trim().to_string(),
        });
    }
    Ok(Proposal {
        kind,
        judged,
        rationale: args.rationale.clone(),
        overrides,
        // No --disclosure: the entry the case gives (an accountable decision needs one).
        disclosures: (!disclosures.is_empty()).then_some(disclosures),
    })
}

fn parse_overrides(raw: &[String]) -> Result<Vec<OverriddenFinding>, CommandError> {
    raw.iter()
        .map(|o| {
            o.split_once('=')
                .filter(|(c, w)| !c.is_empty() && !w.trim().is_empty())
                .map(|(c, w)| OverriddenFinding {
                    code: c.to_string(),
                    justification: w.trim().to_string(),
                })
                .ok_or_else(|| {
                    CommandError::Usage(format!(
                        "--override `{}`: expected CODE=JUSTIFICATION",
                        sanitize_line(o)
                    ))
                })
        })
        .collect()
}
