//! Signing from the workbench: the form's draft becomes the reviewer's stated decision,
//! then `decision::sign::decide` runs the same steps as `casebench decide` (who signs
//! with which key, the record draft, the advisor's gate, sign and append).

use crate::case::CaseSet;
use crate::cli::Global;
use crate::decision::DecideError;
use crate::decision::after::AfterPractice;
use crate::decision::sign::decide;
use crate::record::model::{Disclosure, OverriddenFinding, RecordType};
use crate::record::proposal::Proposal;
use crate::store::drafts::Draft;
use crate::text::sanitize_line;

/// What signing wrote: the message, and for a practice record on a practice case its
/// comparison with the reference (or why it could not be scored).
pub type Feedback = Option<Result<Box<crate::practice::Feedback>, String>>;

/// Signs the form's decision on `d.case` as a `kind` record (`decision`, or `practice`
/// for a trainee). `Ok` says what was recorded; `Err` why not (the draft stays saved
/// either way until a record is written).
pub fn sign(
    global: &Global,
    set: &CaseSet,
    d: &Draft,
    kind: RecordType,
) -> Result<(String, Feedback), String> {
    let case = set
        .get(&d.case)
        .ok_or_else(|| format!("case {} is no longer loaded", sanitize_line(&d.case)))?;
    let outcome = d.outcome.ok_or("choose an outcome first")?;
    let today = global.today();
    let codes = |s: &str| -> Vec<String> {
        s.split([',', ' '])
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect()
    };
    let proposal = Proposal {
        kind: Some(kind),
        outcome: outcome.as_str().to_string(),
        grounds: codes(&d.grounds),
        withhold: d
            .records
            .iter()
            .filter(|r| r.withhold)
            .map(|r| {
                let ground = codes(&r.grounds).into_iter().next().unwrap_or_default();
                (r.id.clone(), ground)
            })
            .collect(),
        disclosures: d
            .disclosures
            .iter()
            .map(|x| Disclosure {
                date: today,
                recipient: x.recipient.trim().to_string(),
                address: x.address.trim().to_string(),
                description: x.description.trim().to_string(),
                purpose: x.purpose.trim().to_string(),
            })
            .collect(),
        rationale: d.rationale.clone(),
    };
    let overrides = d
        .overrides
        .iter()
        .filter(|o| !o.code.trim().is_empty())
        .map(|o| OverriddenFinding {
            code: o.code.trim().to_string(),
            justification: o.justification.trim().to_string(),
        })
        .collect();
    let signed = match decide(&global.setting(), set, case, &proposal, overrides) {
        Ok(s) => s,
        Err(DecideError::Usage(m)) => return Err(m),
        Err(DecideError::Refused(e)) => return Err(e.to_string()),
        Err(DecideError::Findings(open)) => {
            let list: Vec<String> = open.iter().map(|f| sanitize_line(&f.code)).collect();
            return Err(format!(
                "not signed: {} error finding(s) without an override ({}); change the \
                 decision or override each with a justification",
                open.len(),
                list.join(", ")
            ));
        }
    };
    let r = &signed.appended.record;
    let who = format!(
        "as {} with {}{}",
        sanitize_line(&r.reviewer),
        sanitize_line(&signed.signer),
        signed
            .key_warning
            .as_deref()
            .map_or_else(String::new, |w| format!("; {}", sanitize_line(w)))
    );
    let Some(after) = signed.after else {
        return Ok((
            format!("signed record {} ({}) {who}", r.seq, r.outcome),
            None,
        ));
    };
    let practice = format!("signed practice record {} ({}) {who}", r.seq, r.outcome);
    Ok(match after {
        AfterPractice::Scored(f) => (practice, Some(Ok(f))),
        AfterPractice::Unscored(e) => (practice, Some(Err(e))),
        // A trainee's answer on a real case: a proposal until a supervisor countersigns.
        AfterPractice::Proposal { seq, case } => (
            format!(
                "{practice}: a proposal until a supervisor countersigns it (casebench decide \
                 {} --type countersign --countersigns {seq})",
                sanitize_line(&case)
            ),
            None,
        ),
        AfterPractice::AlreadyDecided { by, at, .. } => (
            format!(
                "{practice}: not a proposal, the case was already decided by {} at {}",
                sanitize_line(&by),
                sanitize_line(&at)
            ),
            None,
        ),
    })
}
