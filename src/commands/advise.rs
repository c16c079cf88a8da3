//! `casebench advise ID [--outcome O] [--ground G]... [--withhold REC=G]... [--json]`:
//! the grounds that hold, the recommended decision, deadline, required actions, notice
//! elements, and the findings (on the proposal when one is given).

use std::fmt::Write as _;
use std::io::Write;

use serde_json::json;

use super::output::write_json;
use super::{CommandError, CommandResult, Exit, find_case, io_out, load_cases};
use crate::case::model::{Case, Outcome};
use crate::cli::{AdviseArgs, Global, Proposal as ProposalArgs};
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
    let advice = rules::engine::advise_with(
        &rb,
        &lc.case,
        related,
        proposal.as_ref(),
        &reviewer,
        global.deadline_day(),
    );
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

/// The advice as text. Every string, from the case or the rulebook, is sanitised: an
/// override rulebook comes from the case directory too.
pub fn render(case: &Case, a: &Advice, proposal: Option<&Proposal>) -> String {
    let s = |t: &str| sanitize_line(t);
    let mut o = String::new();
    let _ = writeln!(o, "{}  {}", s(&case.id), s(&case.title));
    let _ = writeln!(
        o,
        "kind: {}   jurisdiction: {} ({}{})   rulebook: {}",
        a.kind,
        s(&case.jurisdiction),
        s(&a.state.name),
        if a.state.checked {
            ""
        } else {
            "; state law not checked"
        },
        s(&a.rulebook)
    );
    let d = &a.deadline;
    match (d.due, d.days_left) {
        (Some(due), Some(left)) => {
            let _ = writeln!(
                o,
                "deadline: received {}, due {due}{}, {} ({})   [{}]",
                d.received,
                if d.extended { " (extended)" } else { "" },
                if left < 0 {
                    format!("{} day(s) late", -left)
                } else {
                    format!("{left} day(s) left")
                },
                d.status.as_str(),
                s(&d.citation)
            );
        }
        _ => {
            let _ = writeln!(o, "deadline: received {}; {}", d.received, s(&d.citation));
        }
    }
    let r = &a.recommended;
    let _ = writeln!(o, "\nRecommended: {}", r.outcome);
    let _ = writeln!(o, "  grounds: {}", join_or_none(&r.grounds, s));
    if !r.withhold.is_empty() {
        let _ = writeln!(o, "  withhold:");
        for (rec, g) in &r.withhold {
            let _ = writeln!(o, "    {}  {}", s(rec), s(g));
        }
    }
    section(&mut o, "Grounds that hold");
    if a.bases.is_empty() {
        let _ = writeln!(o, "  case: (none)");
    }
    for g in &a.bases {
        let _ = writeln!(o, "  case: {}  [{}]", s(&g.code), s(&g.citation));
    }
    for rg in &a.records {
        if rg.valid.is_empty() {
            let _ = writeln!(
                o,
                "  {} ({}): no withholding ground",
                s(&rg.record),
                rg.category
            );
        }
        for g in &rg.valid {
            let _ = writeln!(
                o,
                "  {} ({}): {}{}  [{}]",
                s(&rg.record),
                rg.category,
                s(&g.code),
                if g.reviewable { " (reviewable)" } else { "" },
                s(&g.citation)
            );
        }
    }
    section(&mut o, "Required actions");
    for act in &a.required_actions {
        let _ = writeln!(o, "  - {}  [{}]", s(&act.text), s(&act.citation));
    }
    if !a.notice.is_empty() {
        section(&mut o, "Notice: the written denial must carry");
        for n in &a.notice {
            let _ = writeln!(o, "  - {}  [{}]", s(&n.text), s(&n.citation));
        }
    }
    match proposal {
        Some(p) => {
            section(&mut o, "Your proposal");
            let _ = writeln!(o, "  outcome: {}", p.outcome);
            let _ = writeln!(o, "  grounds: {}", join_or_none(&p.grounds, s));
            for (rec, gs) in &p.withhold {
                let _ = writeln!(o, "  withhold: {} {}", s(rec), join_or_none(gs, s));
            }
            section(&mut o, "Findings on your proposal");
        }
        None => section(&mut o, "Findings on the recommendation"),
    }
    if a.findings.is_empty() {
        let _ = writeln!(o, "  (none)");
    }
    for f in &a.findings {
        let _ = writeln!(
            o,
            "  {:<7} {}: {}  [{}]",
            f.severity.as_str(),
            s(&f.code),
            s(&f.message),
            s(&f.citation)
        );
    }
    let _ = writeln!(
        o,
        "\nResearch notes for decision support, not legal advice (docs/RULES.md)."
    );
    o
}

fn join_or_none(items: &[String], s: impl Fn(&str) -> String) -> String {
    if items.is_empty() {
        "(none)".to_string()
    } else {
        items.iter().map(|g| s(g)).collect::<Vec<_>>().join(", ")
    }
}

fn section(o: &mut String, title: &str) {
    let _ = writeln!(o, "\n{title}");
}
