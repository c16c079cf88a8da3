//! `casebench decide ID --outcome O ... --rationale TEXT`: writes a signed record.
//!
//! Exit status: 0 written; 1 refused (already decided, case file changed, signer not
//! allowed, review or countersign rules); 2 usage or I/O errors (bad arguments, no
//! key, wrong passphrase, unwritable log).

use std::io::Write;

use chrono::Utc;

use super::decide_gate::GateError;
use super::output::write_json;
use super::{CommandError, CommandResult, Exit, io_out};
use crate::case::LoadedCase;
use crate::cli::{DecideArgs, Global};
use crate::record::model::{Disclosure, OverriddenFinding, RecordType};
use crate::record::proposal::{Proposal, build_draft};
use crate::record::{AppendError, Appended, Signer};

pub fn run(global: &Global, args: &DecideArgs, out: &mut dyn Write) -> CommandResult {
    let set = super::load_cases(global)?;
    let case = super::find_case(&set, &args.id)?;
    let today = global.today();
    let overrides = parse_overrides(&args.overrides)?;
    if let Some(seq) = args.countersigns {
        return super::practice::decide_countersign(global, args, &set, case, seq, overrides, out);
    }
    let proposal = parse_proposal(args, today)?;
    let kind = proposal.kind.unwrap_or(RecordType::Decision);
    let time = Utc::now();
    let (reviewer, mut signer) = super::resolve_signer(global, kind.namespace(), time)?;
    let mut draft = build_draft(&case.case, &reviewer, &proposal, overrides, today)
        .map_err(CommandError::Usage)?;
    match super::decide_gate::apply(global, &set, case, &mut draft) {
        Ok(()) => {}
        Err(GateError::Usage(m)) => return Err(CommandError::Usage(m)),
        Err(GateError::Findings(open)) => return refuse_findings(out, &open, args.json),
    }
    match decide(global, case, &draft, &mut signer, time) {
        Ok(a) => {
            // A practice record: the comparison with the reference (only now that it is
            // signed), or, on a real case, how to have the proposal countersigned.
            let after = (a.record.kind == RecordType::Practice)
                .then(|| super::practice::after_practice(global, &set, case, &a.record));
            report(out, &a, &signer, args.json, after.as_ref())
        }
        Err(AppendError::Io(e)) => Err(CommandError::Io(e)),
        Err(refusal) => {
            let msg = refusal.to_string();
            if args.json {
                let v = serde_json::json!({ "error": refusal_kind(&refusal), "message": msg });
                write_json(out, &v, false)?;
            }
            crate::text::warn(&crate::text::sanitize_line(&msg));
            Ok(Exit::Problems)
        }
    }
}

/// Signs and appends the draft (the advisor's gate has already passed it).
fn decide(
    global: &Global,
    case: &LoadedCase,
    draft: &crate::record::Draft,
    signer: &mut Signer,
    time: chrono::DateTime<Utc>,
) -> Result<Appended, AppendError> {
    crate::record::sign_and_append(&global.cases, case, draft, signer, time)
}

/// Error findings without an override: nothing is signed; each is listed with what to do.
pub(super) fn refuse_findings(
    out: &mut dyn Write,
    open: &[crate::rules::Finding],
    json: bool,
) -> CommandResult {
    if json {
        let v = serde_json::json!({ "error": "findings", "findings": open });
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
            crate::text::sanitize_line(&f.code),
            crate::text::sanitize_line(&f.message),
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

fn report(
    out: &mut dyn Write,
    a: &Appended,
    signer: &Signer,
    json: bool,
    practice: Option<&super::practice::AfterPractice>,
) -> CommandResult {
    let r = &a.record;
    if json {
        let mut v = serde_json::json!({
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
        if let Some(p) = practice {
            v["practice"] = p.to_json();
        }
        write_json(out, &v, false)?;
    } else {
        writeln!(
            out,
            "signed record {} ({} of case {}: {}) as {} with {}\n  {}",
            r.seq,
            r.kind.as_str(),
            crate::text::sanitize_line(&r.case),
            r.outcome,
            crate::text::sanitize_line(&r.reviewer),
            signer.describe(),
            a.path.display()
        )
        .map_err(io_out)?;
        if let Some(p) = practice {
            p.write(out).map_err(io_out)?;
        }
    }
    if let Some(w) = &a.warning {
        eprintln!("casebench: warning: {}", crate::text::sanitize_line(w));
    }
    Ok(Exit::Ok)
}

fn parse_proposal(args: &DecideArgs, today: chrono::NaiveDate) -> Result<Proposal, CommandError> {
    let usage = |m: String| CommandError::Usage(m);
    let kind = RecordType::parse(&args.record_type).ok_or_else(|| {
        usage(format!(
            "--type `{}`: expected decision, review, practice or countersign",
            crate::text::sanitize_line(&args.record_type)
        ))
    })?;
    let outcome = args
        .proposal
        .outcome
        .clone()
        .ok_or_else(|| usage("--outcome is required".into()))?;
    let mut withhold = Vec::new();
    for w in &args.proposal.withhold {
        let (rec, g) = w
            .split_once('=')
            .filter(|(r, g)| !r.is_empty() && !g.is_empty())
            .ok_or_else(|| {
                usage(format!(
                    "--withhold `{}`: expected REC=GROUND",
                    crate::text::sanitize_line(w)
                ))
            })?;
        withhold.push((rec.to_string(), g.to_string()));
    }
    let mut disclosures = Vec::new();
    for d in &args.disclosures {
        let parts: Vec<&str> = d.split('|').collect();
        let [recipient, address, description, purpose] = parts.as_slice() else {
            return Err(usage(format!(
                "--disclosure `{}`: expected RECIPIENT|ADDRESS|DESCRIPTION|PURPOSE",
                crate::text::sanitize_line(d)
            )));
        };
        if [recipient, address, description, purpose]
            .iter()
            .any(|s| s.trim().is_empty())
        {
            return Err(usage("--disclosure: all four parts are required".into()));
        }
        disclosures.push(Disclosure {
            date: today,
            recipient: recipient.trim().to_string(),
            address: address.trim().to_string(),
            description: description.trim().to_string(),
            purpose: purpose.trim().to_string(),
        });
    }
    Ok(Proposal {
        kind: Some(kind),
        outcome,
        grounds: args.proposal.grounds.clone(),
        withhold,
        disclosures,
        rationale: args.rationale.clone(),
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
                        crate::text::sanitize_line(o)
                    ))
                })
        })
        .collect()
}
