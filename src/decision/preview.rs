//! The preview of a decision: the record's exact text as signing would write it, built by
//! the same functions (`Proposal::unsigned`, the gate's `check`, `Unsigned::to_record`,
//! `Record::to_bytes`). Only what the log fixes at the moment of signing is left as a
//! placeholder: `seq`, `prev` and `time`. The signer's key, the policy in force and the
//! case's previous record are read beforehand ([`context`]); what cannot be known yet
//! (no key found, an unreadable log) says so on its line.

use chrono::{DateTime, Utc};

use super::gate::{self, Gated, Inputs};
use super::proposal::Proposal;
use super::{DecideError, Setting};
use crate::case::LoadedCase;
use crate::record::Stamp;
use crate::record::model::{NONE, RecordType};
use crate::rules::CaseSet;
use crate::rules::{self, Finding, ReviewerFacts, Rulebook};

/// The fields fixed only at signing, shown as placeholders in a preview.
pub const AT_SIGNING: [&str; 3] = ["seq", "prev", "time"];

/// What a preview needs beyond the form, read once when the form is opened (and again
/// after the log changes), so that a keystroke costs no file access.
#[derive(Debug, Clone)]
pub struct Context {
    pub kind: RecordType,
    /// The principal who would sign, or why it is not known.
    pub reviewer: Result<String, String>,
    /// The fingerprint of the key that would sign, or why it is not known.
    pub key: Result<String, String>,
    /// `sha256:<hex>` of the allowed_signers file in force.
    pub policy: Result<String, String>,
    /// The link to the case's last record (`none` if it has none).
    pub case_prev: Result<String, String>,
    pub facts: ReviewerFacts,
    pub contact: bool,
    pub rulebook: Result<Rulebook, String>,
}

/// Reads the preview's context for case `case_id`, signed as a `kind` record.
pub fn context(setting: &Setting, case_id: &str, kind: RecordType) -> Context {
    let found = crate::record::signer::identify(
        setting.cases,
        setting.key,
        setting.reviewer,
        kind.namespace(),
        setting.clock.now(),
    );
    let (reviewer, key) = match found {
        Ok((who, k)) => (Ok(who), Ok(crate::record::sshsig::fingerprint(&k))),
        Err(e) => (
            setting.reviewer.map(str::to_string).ok_or(e.clone()),
            Err(e),
        ),
    };
    let policy = crate::record::reviewers::read_allowed_signers(setting.cases).and_then(|b| {
        crate::record::allowed_signers::AllowedSigners::parse(&b)
            .map(|p| p.policy_link())
            .map_err(|e| format!("reviewers/{e}"))
    });
    // This user's memory of the log, read once: the case's last link and who signed its
    // records (the append checks them again under the lock).
    let history = setting.state().map(|state| {
        crate::record::memory::recall(setting.cases, &state)
            .and_then(|mut ix| ix.cases.remove(case_id))
    });
    let case_prev = history
        .as_ref()
        .map(|h| h.as_ref().map_or(NONE, |h| h.last_link()).to_string())
        .map_err(Clone::clone);
    let principal = reviewer.as_deref().unwrap_or_default();
    let known = history.as_ref().ok().and_then(Option::as_ref);
    Context {
        kind,
        facts: super::facts::for_signer_in(setting.cases, principal, kind, known),
        contact: crate::case::settings::privacy_contact_known(setting.cases),
        rulebook: Rulebook::for_case_dir(setting.cases).map_err(|e| e.to_string()),
        reviewer,
        key,
        policy,
        case_prev,
    }
}

/// A decision as it would be recorded.
#[derive(Debug)]
pub struct Preview {
    /// The record's text, line by line (placeholders for [`AT_SIGNING`] and for what is
    /// not known yet); `Err`: why the decision is not a record yet.
    pub record: Result<Vec<String>, String>,
    /// The advisor's findings on the decision, as the gate computes them.
    pub findings: Vec<Finding>,
    /// Why signing would refuse it as it stands; `None`: it would be signed.
    pub refused: Option<DecideError>,
    /// The decision as the rules see it (for the notice it would send).
    pub proposal: Option<rules::Proposal>,
    /// The record's per-item actions (empty until it is a record): the notice names what
    /// the record withholds, computed once, by `Proposal::unsigned`.
    pub actions: Vec<crate::record::model::RecordAction>,
    /// The accounting entry the case gives for this decision, when it is accountable
    /// (what the form's first disclosure row starts from).
    pub built_entry: Option<super::entry::Entry>,
}

/// The preview of `proposal` on `case` on the days of `clock` (deadlines as of its
/// deadline day, the record's own dates its signing day).
pub fn preview(
    ctx: &Context,
    clock: &crate::clock::Clock,
    set: &CaseSet,
    case: &LoadedCase,
    proposal: &Proposal,
) -> Preview {
    let rb = match &ctx.rulebook {
        Ok(rb) => rb,
        Err(e) => {
            return Preview {
                record: Err(e.clone()),
                findings: Vec::new(),
                refused: Some(DecideError::Usage(e.clone())),
                proposal: None,
                actions: Vec::new(),
                built_entry: None,
            };
        }
    };
    let reviewer = ctx.reviewer.clone().unwrap_or_default();
    // The rationale is written last: until then the record is shown with its place
    // marked, and signing would refuse it.
    let no_rationale = proposal.rationale.trim().is_empty();
    let mut proposal = proposal.clone();
    if no_rationale {
        proposal.rationale = "-".into();
    }
    let days = super::proposal::Days::of(clock);
    let inputs = Inputs {
        rulebook: rb,
        today: days.deadline,
        facts: &ctx.facts,
        contact: ctx.contact,
    };
    let gated = if ctx.kind == RecordType::Practice {
        // Not a gate for practice, but what the advisor would say (shown where the advisor
        // is, on real cases).
        Gated {
            findings: gate::findings(&inputs, set, case, &proposal),
            result: Ok(proposal.overrides.clone()),
        }
    } else {
        gate::check(&inputs, set, case, &proposal)
    };
    let judged = Some(proposal.clone().with_notice(rb, ctx.contact).judged);
    let mut unsigned = match proposal.unsigned(&case.case, rb, &reviewer, ctx.contact, days) {
        Ok(u) => u,
        Err(why) => {
            return Preview {
                record: Err(why.clone()),
                findings: gated.findings,
                refused: Some(DecideError::Usage(why)),
                proposal: judged,
                actions: Vec::new(),
                built_entry: None,
            };
        }
    };
    let built_entry = super::entry::from_case(&case.case, rb, &proposal.judged, &unsigned.records);
    let accounting = proposal.accounting_problem(rb, &unsigned);
    if let Ok(accepted) = &gated.result {
        unsigned.findings_overridden = accepted.clone();
    }
    let stamp = Stamp {
        seq: 0,
        prev: NONE.to_string(),
        case_prev: ctx.case_prev.clone().unwrap_or_default(),
        reviews: None,
        countersigns: None,
        key: ctx.key.clone().unwrap_or_default(),
        policy: ctx.policy.clone().unwrap_or_default(),
        time: DateTime::<Utc>::UNIX_EPOCH,
    };
    let bytes = unsigned.to_record(case, stamp).to_bytes();
    let unknown = |r: &Result<String, String>| r.as_ref().err().cloned();
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<String> = text
        .lines()
        .take_while(|l| !(no_rationale && l.starts_with("rationale:")))
        .map(|l| {
            let field = l.split_once(": ").map_or("", |(k, _)| k);
            let missing = match field {
                "reviewer" => unknown(&ctx.reviewer),
                "key" => unknown(&ctx.key),
                "policy" => unknown(&ctx.policy),
                "case_prev" => unknown(&ctx.case_prev),
                _ => None,
            };
            match (field, missing) {
                ("seq", _) => "seq: (the next in the log, fixed at signing)".to_string(),
                ("prev", _) => {
                    "prev: (the hash of the log's last record, fixed at signing)".to_string()
                }
                ("time", _) => "time: (the moment of signing)".to_string(),
                (f, Some(why)) => format!("{f}: (not known yet: {why})"),
                _ => l.to_string(),
            }
        })
        .chain(
            no_rationale.then(|| "rationale: (not written yet: the rationale editor below)".into()),
        )
        .collect();
    let refused = match (gated.result, &ctx.reviewer, &ctx.key) {
        (_, _, _) if no_rationale => {
            Some(DecideError::Usage("the rationale must not be empty".into()))
        }
        (_, _, _) if accounting.is_some() => accounting.map(DecideError::Usage),
        (Err(e), _, _) => Some(e.into()),
        (Ok(_), Err(why), _) | (Ok(_), _, Err(why)) => Some(DecideError::Usage(why.clone())),
        (Ok(_), Ok(_), Ok(_)) => None,
    };
    Preview {
        record: Ok(lines),
        findings: gated.findings,
        refused,
        proposal: judged,
        actions: unsigned.records,
        built_entry,
    }
}
