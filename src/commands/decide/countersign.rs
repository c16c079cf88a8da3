//! `casebench decide ID --type countersign --countersigns SEQ --rationale TEXT`: the
//! supervisor's countersignature of a trainee's proposal (`decision::countersign`).

use std::io::Write;

use serde_json::json;

use super::super::{CommandError, CommandResult, Exit, io_out};
use crate::case::LoadedCase;
use crate::cli::{DecideArgs, Global};
use crate::decision::DecideError;
use crate::decision::countersign::countersign;
use crate::record::AppendError;
use crate::record::model::{OverriddenFinding, RecordType};
use crate::rules::CaseSet;
use crate::text::sanitize_line;

pub(super) fn run(
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
    let result = countersign(
        &global.setting(),
        set,
        case,
        seq,
        &args.rationale,
        overrides,
        args.proposal.outcome.as_deref(),
    );
    let c = match result {
        Ok(c) => {
            if let Some(w) = &c.key_warning {
                crate::text::warn(w);
            }
            c
        }
        Err(DecideError::Usage(m)) => return Err(CommandError::Usage(m)),
        Err(DecideError::Findings(open)) => return super::refuse_findings(out, &open, args.json),
        Err(DecideError::Refused(AppendError::Io(m))) => return Err(CommandError::Io(m)),
        Err(DecideError::Refused(e)) => {
            if args.json {
                let v = json!({ "error": "refused", "message": e.to_string() });
                writeln!(out, "{v}").map_err(io_out)?;
            }
            eprintln!("casebench: {e}");
            return Ok(Exit::Problems);
        }
    };
    let (a, proposal) = (&c.appended, &c.proposal);
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
        writeln!(out, "{v}").map_err(io_out)?;
    } else {
        writeln!(
            out,
            "signed record {} (countersign of {}'s proposal {seq} on case {}: {}) as {} with {}\n  {}\n  case {} is decided",
            r.seq,
            sanitize_line(&proposal.reviewer),
            sanitize_line(&r.case),
            r.outcome,
            sanitize_line(&r.reviewer),
            c.signer,
            a.path.display(),
            sanitize_line(&r.case),
        )
        .map_err(io_out)?;
    }
    Ok(Exit::Ok)
}
