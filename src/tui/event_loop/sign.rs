//! Signing from the workbench: the form's draft becomes the reviewer's stated decision,
//! then `decision::sign::decide` runs the same steps as `casebench decide` (who signs
//! with which key, the record draft, the advisor's gate, sign and append); and a
//! supervisor's countersignature of a trainee's proposal, as `decide --countersigns`.

use crate::decision::DecideError;
use crate::decision::after::AfterPractice;
use crate::decision::draft::Draft;
use crate::decision::sign::decide;
use crate::record::model::RecordType;
use crate::rules::CaseSet;
use crate::text::sanitize_line;
use crate::tui::Options;

/// What signing wrote: the message, and for a practice record on a practice case its
/// comparison with the reference (or why it could not be scored).
pub type Feedback = Option<Result<Box<crate::practice::Feedback>, String>>;

/// Signs the form's decision on `d.case` as a `kind` record (`decision`, or `practice`
/// for a trainee). `Ok` says what was recorded; `Err` why not (the draft stays saved
/// either way until a record is written).
pub fn sign(
    options: &Options,
    set: &CaseSet,
    d: &Draft,
    kind: RecordType,
) -> Result<(String, Feedback), String> {
    let case = set
        .get(&d.case)
        .ok_or_else(|| format!("case {} is no longer loaded", sanitize_line(&d.case)))?;
    let proposal = crate::decision::proposal::Proposal::from_draft(d, kind)?;
    let signed = match decide(&options.setting(), set, case, &proposal) {
        Ok(s) => s,
        Err(e) => return Err(refusal(&e)),
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
    // A failed sync after the decision is said, never a refusal: the record is signed.
    // Its first line names the cause; git's own lines under it do not fit a status line.
    let who = match &signed.sync {
        Some(Err(e)) => format!(
            "{who}; sync failed (the next sync catches up): {}",
            sanitize_line(e.lines().next().unwrap_or_default())
        ),
        _ => who,
    };
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

/// Why a decision was not signed, in the words the form shows (the same for the
/// preview's "cannot be signed as it stands" and for a refused signature).
pub fn refusal(e: &DecideError) -> String {
    match e {
        DecideError::Usage(m) => m.clone(),
        DecideError::Refused(e) => e.to_string(),
        DecideError::Findings(open) => {
            let list: Vec<String> = open.iter().map(|f| sanitize_line(&f.code)).collect();
            format!(
                "not signed: {} error finding(s) without an override ({}); change the \
                 decision or override each with a justification",
                open.len(),
                list.join(", ")
            )
        }
    }
}

/// Signs a countersignature of proposal `seq` on case `case_id` with `rationale`, as
/// `options.reviewer`: the same library steps as `casebench decide --countersigns`.
pub fn countersign(
    options: &Options,
    set: &CaseSet,
    case_id: &str,
    seq: u64,
    rationale: &str,
) -> Result<String, String> {
    let case = set
        .get(case_id)
        .ok_or_else(|| format!("case {} is no longer loaded", sanitize_line(case_id)))?;
    let setting = options.setting();
    let c = match crate::decision::countersign::countersign(
        &setting,
        set,
        case,
        seq,
        rationale,
        Vec::new(),
        None,
    ) {
        Ok(c) => c,
        Err(DecideError::Usage(m)) => return Err(m),
        Err(DecideError::Refused(e)) => return Err(e.to_string()),
        Err(DecideError::Findings(open)) => {
            let list: Vec<String> = open
                .iter()
                .map(|f| format!("{}: {}", f.code, f.message))
                .collect();
            return Err(format!(
                "not signed: the advisor reports {} error finding(s) ({}); sign your own \
                 decision instead (d), with overrides if justified",
                open.len(),
                list.join("; ")
            ));
        }
    };
    let a = &c.appended;
    Ok(format!(
        "signed record {} (countersign of {}'s proposal {seq}: {}); case {} is decided{}",
        a.record.seq,
        sanitize_line(&c.proposal.reviewer),
        a.record.outcome,
        sanitize_line(&a.record.case),
        c.key_warning
            .as_deref()
            .map_or_else(String::new, |w| format!("; {}", sanitize_line(w)))
    ))
}

/// Signs a provision record for the decision in force on `case_id` from the provision
/// form's fields: `decision::provide::provide`, as `casebench provide`. `Ok` says what
/// was recorded; `Err` why not (the form stays open with its values).
pub fn provide(
    options: &Options,
    set: &CaseSet,
    case_id: &str,
    fields: &crate::decision::provide::ProvisionFields,
) -> Result<String, String> {
    let case = set
        .get(case_id)
        .ok_or_else(|| format!("case {} is no longer loaded", sanitize_line(case_id)))?;
    let request = crate::decision::provide::ProvisionRequest::from_fields(fields)?;
    let p = match crate::decision::provide::provide(&options.setting(), set, case, &request) {
        Ok(p) => p,
        Err(e) => return Err(refusal(&e)),
    };
    let r = &p.appended.record;
    let Some(pr) = r.provision.as_ref() else {
        return Err("the record signed is not a provision".into());
    };
    let when = match (r.deadline.due, r.deadline.decided_on_time) {
        (Some(_), true) => "on time",
        (Some(_), false) => "LATE",
        (None, _) => "no deadline",
    };
    let notes: Vec<String> = [&p.key_warning, &p.warning]
        .into_iter()
        .flatten()
        .map(|w| sanitize_line(w))
        .collect();
    Ok(format!(
        "signed record {} (provision of record {}: {} on {}, {when}) as {} with {}{}",
        r.seq,
        pr.provides,
        pr.what.as_str(),
        pr.done_on(),
        sanitize_line(&r.reviewer),
        sanitize_line(&p.signer),
        if notes.is_empty() {
            String::new()
        } else {
            format!("; {}", notes.join("; "))
        }
    ))
}
