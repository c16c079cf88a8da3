//! `casebench advise ID [--outcome O] [--ground G]... [--withhold REC=G]... [--json]`:
//! the grounds that hold, the recommended decision, deadline, required actions, notice
//! elements, and the findings (on the proposal when one is given).

use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, find_case, io_out, load_cases};
use crate::case::model::{Case, Outcome};
use crate::cli::{AdviseArgs, Global, Proposal as ProposalArgs};
use crate::present;
use crate::rules::{self, Advice, Proposal, Related, Rulebook, Severity};
use crate::text::sanitize_line;

/// A trainee (`--reviewer` with `role: trainee`) gets no advice on a practice case until
/// a supervisor switches hints on: the recommendation is the reference answer.
fn hidden_in_practice(global: &Global, case: &crate::case::Case) -> Result<(), CommandError> {
    if case.practice.is_none() {
        return Ok(());
    }
    let principal = global.reviewer.as_deref();
    let is_trainee = principal.is_some_and(|p| {
        crate::record::reviewers::load(&global.cases).is_ok_and(|r| r.is_trainee(p))
    });
    let settings =
        crate::practice::hints::PracticeSettings::load(&global.cases).map_err(CommandError::Io)?;
    if crate::practice::hints::advisor_visible(case, principal, is_trainee, &settings) {
        Ok(())
    } else {
        Err(CommandError::Usage(format!(
            "case {} is a practice case: the advisor is hidden from trainees (your signed \
             practice decision shows the reference; a supervisor can switch hints on in \
             reviewers/practice.yaml)",
            sanitize_line(&case.id)
        )))
    }
}

pub fn run(global: &Global, args: &AdviseArgs, out: &mut dyn Write) -> CommandResult {
    let set = load_cases(global)?;
    let lc = find_case(&set, &args.id)?;
    hidden_in_practice(global, &lc.case)?;
    let rb = Rulebook::for_case_dir(&global.cases).map_err(|e| CommandError::Io(e.to_string()))?;
    let proposal = parse_proposal(&args.proposal, &lc.case)?;
    let related = Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
    let reviewer = crate::decision::facts::for_advice(&global.cases, global.reviewer.as_deref());
    let mut advice = rules::engine::advise_with(
        &rb,
        &lc.case,
        related,
        proposal.as_ref(),
        &reviewer,
        global.deadline_day(),
    );
    // The status the log gives (decided, under review), as `list` and `show` say it.
    let trusted = match super::trusted::catch_up(global)? {
        Ok(t) => t,
        Err(e) => return super::trusted::refuse(out, &e, args.json),
    };
    advice.deadline.status = super::standing::of(&trusted, &set, &lc.case, &advice.deadline)
        .map_err(CommandError::Io)?
        .status;
    if args.json {
        let v = to_json(&advice, proposal.as_ref())?;
        write_json(out, &v, true)?;
    } else {
        out.write_all(render(&lc.case, &advice, proposal.as_ref()).as_bytes())
            .map_err(io_out)?;
    }
    let errors = advice
        .findings
        .iter()
        .any(|f| f.severity == Severity::Error);
    Ok(if proposal.is_some() && errors {
        Exit::Problems
    } else {
        Exit::Ok
    })
}

/// Turns the command-line proposal into a [`Proposal`]; `None` when no `--outcome`. The
/// one parser of `--outcome`, `--ground` and `--withhold`, for `advise` and `decide`.
/// Usage errors: an unknown outcome, a malformed or unknown `--withhold`, a ground or
/// withhold without an outcome.
pub fn parse_proposal(args: &ProposalArgs, case: &Case) -> Result<Option<Proposal>, CommandError> {
    let Some(outcome) = &args.outcome else {
        if !args.grounds.is_empty() || !args.withhold.is_empty() {
            return Err(CommandError::Usage(
                "--ground and --withhold describe a proposal; add --outcome".into(),
            ));
        }
        return Ok(None);
    };
    let outcome = Outcome::parse(outcome).ok_or_else(|| {
        let all: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        CommandError::Usage(format!(
            "unknown outcome `{}`; expected one of: {}",
            sanitize_line(outcome),
            all.join(", ")
        ))
    })?;
    let mut pairs = Vec::new();
    for w in &args.withhold {
        let Some((rec, ground)) = w.split_once('=') else {
            return Err(CommandError::Usage(format!(
                "--withhold `{}`: expected REC=GROUND",
                sanitize_line(w)
            )));
        };
        let (rec, ground) = (rec.trim(), ground.trim());
        if !case.records().iter().any(|r| r.id == rec) {
            let ids: Vec<&str> = case.records().iter().map(|r| r.id.as_str()).collect();
            return Err(CommandError::Usage(format!(
                "--withhold: case {} has no record item `{}`; expected one of: {}",
                sanitize_line(&case.id),
                sanitize_line(rec),
                if ids.is_empty() {
                    "(none)".to_string()
                } else {
                    ids.join(", ")
                }
            )));
        }
        if ground.is_empty() {
            return Err(CommandError::Usage(format!(
                "--withhold {}: no ground after `=`",
                sanitize_line(rec)
            )));
        }
        // An item may be withheld on several grounds; the advisor judges each.
        pairs.push((rec.to_string(), ground.to_string()));
    }
    Ok(Some(Proposal {
        outcome,
        grounds: args.grounds.iter().map(|g| g.trim().to_string()).collect(),
        withhold: crate::decision::proposal::withhold_map(pairs),
        notice: None,
    }))
}

fn to_json(a: &Advice, proposal: Option<&Proposal>) -> Result<serde_json::Value, CommandError> {
    let mut v =
        serde_json::to_value(a).map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))?;
    if let Some(obj) = v.as_object_mut() {
        obj.insert(
            "findings_on".into(),
            json!(if proposal.is_some() {
                "proposal"
            } else {
                "recommendation"
            }),
        );
        obj.insert(
            "proposal".into(),
            serde_json::to_value(proposal).map_err(|e| CommandError::Io(e.to_string()))?,
        );
    }
    Ok(v)
}

/// The advice as text: the presenter's sections (`crate::present::advice`), which
/// sanitise every string, from the case or the rulebook.
pub fn render(case: &Case, a: &Advice, proposal: Option<&Proposal>) -> String {
    let mut sections = vec![present::advice::head(case, a)];
    sections.extend(present::advice::sections(a, proposal));
    present::text::render(&sections)
}
