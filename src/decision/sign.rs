//! Signing a decision: who signs with which key (`record::signer::resolve`), the
//! unsigned record ([`Proposal::unsigned`]), the advisor's gate, then sign and append.
//! The one sequence behind `casebench decide` and the workbench's `[ Sign ]`.

use super::after::{AfterPractice, after_practice};
use super::proposal::Proposal;
use super::{DecideError, Setting};
use crate::case::LoadedCase;
use crate::record::model::RecordType;
use crate::record::{Appended, signer};
use crate::rules::CaseSet;

/// A signed and appended decision.
#[derive(Debug)]
pub struct Signed {
    pub appended: Appended,
    /// The signer, e.g. "key file PATH (SHA256:...)".
    pub signer: String,
    /// What the person signing should be told about the key (a private key file that
    /// others can read), if anything.
    pub key_warning: Option<String>,
    /// For a practice record: its score, or the proposal it makes.
    pub after: Option<AfterPractice>,
    /// With `sync.after_decide: true`: what the sync that followed did. A failure here
    /// never undoes the decision (it is signed and on disk); the next sync catches up.
    pub sync: Option<Result<crate::sites::sync::SyncReport, String>>,
}

/// Signs `proposal` on `case` as the setting's reviewer and appends it to the log.
pub fn decide(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    proposal: &Proposal,
) -> Result<Signed, DecideError> {
    let kind = proposal.kind;
    // The record's time, and the day its own dates carry (never a pinned day).
    let time = setting.clock.now();
    let days = super::proposal::Days {
        deadline: setting.deadline_day(),
        signing: crate::clock::Clock::day_of(time),
    };
    let (reviewer, mut signer) = signer::resolve(
        setting.cases,
        setting.key,
        setting.reviewer,
        kind.namespace(),
        time,
    )
    .map_err(DecideError::Usage)?;
    release_staff_do_not_decide(setting, &reviewer)?;
    if kind == RecordType::Review {
        reviewer_may_review(setting, case, &reviewer)?;
    }
    let contact = crate::case::settings::privacy_contact_known(setting.cases);
    let mut unsigned = proposal
        .unsigned(&case.case, &set.rules, &reviewer, contact, days)
        .map_err(DecideError::Usage)?;
    if let Some(why) = proposal.accounting_problem(&set.rules, &unsigned) {
        return Err(DecideError::Usage(why));
    }
    unsigned.findings_overridden = super::gate::apply(setting, set, case, &reviewer, proposal)?;
    let state = setting.state().map_err(DecideError::Usage)?;
    let appended =
        crate::record::sign_and_append(setting.cases, &state, case, &unsigned, &mut signer, time)
            .map_err(DecideError::Refused)?;
    // A practice record: the comparison with the reference (only now that it is
    // signed), or, on a real case, how to have the proposal countersigned.
    let after = (appended.record.kind == RecordType::Practice)
        .then(|| after_practice(setting.cases, set, case, &appended));
    Ok(Signed {
        appended,
        signer: signer.describe(),
        key_warning: signer.warning().map(str::to_string),
        after,
        sync: sync_after_decide(setting.cases),
    })
}

/// A review of a denial is signed only by a licensed professional who took no part in
/// it: the rules' own answer ([`crate::rules::review::problems`], which the advisor's
/// findings also report), a refusal no override lifts.
fn reviewer_may_review(
    setting: &Setting,
    case: &LoadedCase,
    reviewer: &str,
) -> Result<(), DecideError> {
    let facts = super::facts::for_signer(setting, reviewer, RecordType::Review, &case.case.id);
    match crate::rules::review::problems(&case.case, &facts).first() {
        None => Ok(()),
        Some(p) => Err(DecideError::Refused(
            crate::record::AppendError::NotAllowed(format!(
                "{}: {} ({})",
                p.code, p.message, p.citation
            )),
        )),
    }
}

/// Release-of-information staff record what was provided; they never decide, review,
/// countersign or practise (the log's role rule says the same of any record they sign).
fn release_staff_do_not_decide(setting: &Setting, reviewer: &str) -> Result<(), DecideError> {
    let people = crate::record::reviewers::load(setting.cases).map_err(DecideError::Usage)?;
    if people
        .get(reviewer)
        .is_some_and(|r| r.role == crate::record::reviewers::Role::ReleaseOfInformation)
    {
        return Err(DecideError::Refused(
            crate::record::AppendError::NotAllowed(format!(
                "{} is release-of-information staff in reviewers.yaml: they record what was provided (`casebench provide`), and do not decide cases; a supervisor decides",
                crate::text::sanitize_line(reviewer)
            )),
        ));
    }
    Ok(())
}

/// Runs `sync` when `casebench.yaml` asks for it after each decision.
fn sync_after_decide(
    cases: &std::path::Path,
) -> Option<Result<crate::sites::sync::SyncReport, String>> {
    let settings = match crate::case::settings::load_settings(cases) {
        Ok(s) => s?.sync?,
        Err(p) => return Some(Err(p.headline())),
    };
    settings
        .after_decide
        .then(|| crate::sites::sync::sync(cases, &settings).map_err(|e| e.to_string()))
}
