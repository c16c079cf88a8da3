//! A supervisor's countersignature of a trainee's proposal: read the proposal (verified
//! against the case), resolve the signer, build the countersign draft, the advisor's
//! gate (the countersignature makes the decision final), then sign and append under the
//! log's lock. Behind `casebench decide --type countersign --countersigns SEQ` and the
//! workbench's countersign screen.

use super::proposal::Proposal;
use super::{DecideError, Setting};
use crate::case::LoadedCase;
use crate::practice::countersign;
use crate::record::model::{OverriddenFinding, Record, RecordType};
use crate::record::{AppendError, Appended, Log, signer};
use crate::rules::CaseSet;
use crate::text::sanitize_line;

/// A countersignature written to the log.
#[derive(Debug)]
pub struct Countersigned {
    pub appended: Appended,
    /// The trainee's proposal it made final.
    pub proposal: Record,
    /// The signer, e.g. "key file PATH (SHA256:...)".
    pub signer: String,
    /// What the person signing should be told about the key (a private key file that
    /// others can read), if anything.
    pub key_warning: Option<String>,
}

/// Countersigns proposal `seq` on `case` with `rationale`. `expect_outcome`: the outcome
/// the supervisor named (the command line's `--outcome`), which must be the proposal's.
pub fn countersign(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    seq: u64,
    rationale: &str,
    overrides: Vec<OverriddenFinding>,
    expect_outcome: Option<&str>,
) -> Result<Countersigned, DecideError> {
    let proposal = countersign::read_record(setting.cases, seq)
        .and_then(|p| countersign::check_proposal(&case.case, &p).map(|()| p))
        .map_err(DecideError::Refused)?;
    if let Some(o) = expect_outcome
        && o != proposal.outcome
    {
        return Err(DecideError::Refused(AppendError::Refused(format!(
            "proposal {seq} decided `{}`, not `{}`; a countersignature agrees with it (to decide otherwise, sign a decision)",
            proposal.outcome,
            sanitize_line(o)
        ))));
    }
    let time = setting.clock.now();
    let days = super::proposal::Days {
        deadline: setting.deadline_day(),
        signing: crate::clock::Clock::day_of(time),
    };
    let (reviewer, mut signer) = signer::resolve(
        setting.cases,
        setting.key,
        setting.reviewer,
        RecordType::Countersign.namespace(),
        time,
    )
    .map_err(DecideError::Usage)?;
    // The trainee's decision as it stands, signed again by the supervisor; the
    // countersignature makes it final, so the advisor's gate applies.
    let stated = Proposal::from_record(&proposal, RecordType::Countersign, rationale, overrides)
        .map_err(|e| DecideError::Refused(AppendError::Refused(e)))?;
    let contact = crate::case::settings::privacy_contact_known(setting.cases);
    let mut unsigned = stated
        .unsigned(&case.case, &set.rules, &reviewer, contact, days)
        .map_err(|e| DecideError::Refused(AppendError::Refused(e)))?;
    if let Some(why) = stated.accounting_problem(&set.rules, &unsigned) {
        return Err(DecideError::Refused(AppendError::Refused(why)));
    }
    unsigned.findings_overridden = super::gate::apply(setting, set, case, &reviewer, &stated)?;
    let state = setting.state().map_err(DecideError::Usage)?;
    let appended = Log::open(setting.cases, &state)
        .append_countersign(case, &unsigned, &mut signer, time, seq)
        .map_err(DecideError::Refused)?;
    Ok(Countersigned {
        appended,
        proposal,
        signer: signer.describe(),
        key_warning: signer.warning().map(str::to_string),
    })
}
