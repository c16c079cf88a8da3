//! Signing from the workbench: the same steps, in the same library functions, as
//! `casebench decide`: who signs with which key (`record::signer::resolve`), the record
//! draft (`record::proposal::build_draft`), the advisor's gate (error findings refuse
//! unless overridden with a justification), then sign and append to the log.

use chrono::Utc;

use crate::case::CaseSet;
use crate::cli::Global;
use crate::commands::decide_gate::{self, GateError};
use crate::record::model::{Disclosure, OverriddenFinding, RecordType};
use crate::record::proposal::{Proposal, build_draft};
use crate::record::signer;
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
    let time = Utc::now();
    let (reviewer, mut signer) = signer::resolve(
        &global.cases,
        global.key.as_deref(),
        global.reviewer.as_deref(),
        kind.namespace(),
        time,
    )?;
    let mut draft = build_draft(&case.case, &reviewer, &proposal, overrides, today)?;
    match decide_gate::apply(global, set, case, &mut draft) {
        Ok(()) => {}
        Err(GateError::Usage(m)) => return Err(m),
        Err(GateError::Findings(open)) => {
            let list: Vec<String> = open.iter().map(|f| sanitize_line(&f.code)).collect();
            return Err(format!(
                "not signed: {} error finding(s) without an override ({}); change the \
                 decision or override each with a justification",
                open.len(),
                list.join(", ")
            ));
        }
    }
    let a = crate::record::sign_and_append(&global.cases, case, &draft, &mut signer, time)
        .map_err(|e| e.to_string())?;
    let r = &a.record;
    let who = format!(
        "as {} with {}{}",
        sanitize_line(&reviewer),
        sanitize_line(&signer.describe()),
        sanitize_line(&signer.warning_note())
    );
    if kind != RecordType::Practice {
        return Ok((
            format!("signed record {} ({}) {who}", r.seq, r.outcome),
            None,
        ));
    }
    if case.case.practice.is_none() {
        // A trainee's answer on a real case: a proposal until a supervisor countersigns.
        let msg = format!(
            "signed practice record {} ({}) {who}: a proposal until a supervisor \
             countersigns it (casebench decide {} --type countersign --countersigns {})",
            r.seq,
            r.outcome,
            sanitize_line(&case.case.id),
            r.seq
        );
        return Ok((msg, None));
    }
    // Only now, with the record signed, is the reference read.
    let fb = crate::rules::Rulebook::for_case_dir(&global.cases)
        .map_err(|e| e.to_string())
        .and_then(|rb| {
            let related =
                crate::rules::Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
            crate::practice::feedback(&rb, &case.case, related, r)
                .map(Box::new)
                .map_err(|e| e.to_string())
        });
    let msg = format!("signed practice record {} ({}) {who}", r.seq, r.outcome);
    Ok((msg, Some(fb)))
}
