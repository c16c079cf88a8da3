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

/// Signs the form's decision on `d.case`. `Ok` says what was recorded; `Err` why not
/// (the draft stays saved either way until a record is written).
pub fn sign(global: &Global, set: &CaseSet, d: &Draft) -> Result<String, String> {
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
        kind: Some(RecordType::Decision),
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
        RecordType::Decision.namespace(),
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
    Ok(format!(
        "signed record {} ({}) as {} with {}",
        a.record.seq,
        a.record.outcome,
        sanitize_line(&reviewer),
        sanitize_line(&signer.describe())
    ))
}
