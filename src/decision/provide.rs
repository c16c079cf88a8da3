//! Recording what was provided for a decision (issue 22): the records released, a
//! denial's written notice sent, a concern's disclosure made. The one sequence behind
//! `casebench provide` and the workbench's provision form: check the request against
//! the record in force and the fee rule, build the unsigned `provision` record, sign and
//! append it through the log's one append (lock, chain, memory, the log's rules).

use chrono::NaiveDate;

use super::{DecideError, Setting};
use crate::case::LoadedCase;
use crate::case::model::{CaseKind, FeeItem, FeeItemKind, FeeMethod, FeeQuote};
use crate::record::append::Unsigned;
use crate::record::log::{self, Paths};
use crate::record::model::{
    DeadlineInfo, Fee, NS_PROVISION, Provision, ProvisionWhat, RecordType, format_amount,
    format_date, parse_amount,
};
use crate::record::{AppendError, signer};
use crate::rules::CaseSet;
use crate::text::sanitize_line;

/// The channels records (or a notice) go out by.
pub const CHANNELS: [&str; 5] = ["portal", "email", "mail", "pickup", "fax"];
/// A disclosure concern's disclosure may also be made by telephone or in person.
pub const CONCERN_CHANNELS: [&str; 2] = ["phone", "in_person"];

/// What the person recording a provision says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvisionRequest {
    /// The day the records were provided (a denial: the notice sent; a concern: the
    /// disclosure made).
    pub on: Option<NaiveDate>,
    /// A partial denial: the day the written notice of the part withheld was sent.
    pub notice_sent: Option<NaiveDate>,
    pub via: String,
    pub form: String,
    /// `(item, cents)`: the item is a fee item of the case format (`copying_labor`,
    /// `supplies`, `postage`, `summary`, `search_and_retrieval`, `other`).
    pub fees: Vec<(String, u64)>,
    pub fee_told_on: Option<NaiveDate>,
    /// The provision this one corrects, with `note` saying why.
    pub corrects: Option<u64>,
    pub note: String,
}

/// What the workbench's provision form holds: the same request, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvisionFields {
    pub on: String,
    pub notice_sent: String,
    pub via: String,
    pub form: String,
    /// `ITEM=AMOUNT` items separated by commas or spaces.
    pub fees: String,
    pub fee_told_on: String,
}

impl ProvisionRequest {
    /// The request the form's fields make (empty optional fields are none); the command
    /// line's flags make the same request through clap.
    pub fn from_fields(f: &ProvisionFields) -> Result<ProvisionRequest, String> {
        let date = |name: &str, s: &str| -> Result<Option<NaiveDate>, String> {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!(
                        "{name}: `{}` is not a date; expected YYYY-MM-DD",
                        sanitize_line(s)
                    )
                })
        };
        let fees = f
            .fees
            .split([',', ' '])
            .filter(|t| !t.trim().is_empty())
            .map(|t| parse_fee(t.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ProvisionRequest {
            on: date("provided on", &f.on)?,
            notice_sent: date("notice sent", &f.notice_sent)?,
            via: f.via.trim().to_string(),
            form: f.form.trim().to_string(),
            fees,
            fee_told_on: date("fee told on", &f.fee_told_on)?,
            corrects: None,
            note: String::new(),
        })
    }
}

/// `ITEM=AMOUNT` (`copying_labor=6.50`) as `(item, cents)`.
pub fn parse_fee(s: &str) -> Result<(String, u64), String> {
    let (item, amount) = s.split_once('=').ok_or_else(|| {
        format!(
            "fee `{}`: expected ITEM=AMOUNT, e.g. postage=1.20",
            sanitize_line(s)
        )
    })?;
    let kind = fee_item(item)?;
    let cents = parse_amount(amount).ok_or_else(|| {
        format!(
            "fee `{}`: `{}` is not an amount in dollars (e.g. 6.50)",
            sanitize_line(s),
            sanitize_line(amount)
        )
    })?;
    Ok((kind.as_str().to_string(), cents))
}

fn fee_item(item: &str) -> Result<FeeItemKind, String> {
    const ALL: [FeeItemKind; 6] = [
        FeeItemKind::CopyingLabor,
        FeeItemKind::Supplies,
        FeeItemKind::Postage,
        FeeItemKind::Summary,
        FeeItemKind::SearchAndRetrieval,
        FeeItemKind::Other,
    ];
    ALL.into_iter().find(|k| k.as_str() == item).ok_or_else(|| {
        format!(
            "unknown fee item `{}`; expected one of {}",
            sanitize_line(item),
            ALL.map(FeeItemKind::as_str).join(", ")
        )
    })
}

/// The record in force on a case, as this user's memory knows it: seq, its file's hash,
/// its outcome, and the day its provision was done if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InForce {
    pub seq: u64,
    pub link: String,
    pub outcome: String,
    pub reviewer: String,
    pub signed_on: NaiveDate,
    /// The provision in force for it: seq and day.
    pub provided: Option<(u64, NaiveDate)>,
}

/// The record in force on `case` from this user's memory of the log, brought up to date
/// first (only records new to this user are verified; the append checks everything
/// again under the lock).
pub fn in_force(setting: &Setting, case_id: &str) -> Result<Option<InForce>, DecideError> {
    let state = setting.state().map_err(DecideError::Usage)?;
    let trusted = crate::record::memory::catch_up(setting.cases, &state, &mut |_, _| {})
        .map_err(|e| DecideError::Refused(AppendError::from(e)))?;
    let Some(h) = trusted.index.cases.get(case_id) else {
        return Ok(None);
    };
    Ok(h.final_record().map(|f| InForce {
        seq: f.seq,
        link: f.link.clone(),
        outcome: f.outcome.clone(),
        reviewer: f.reviewer.clone(),
        signed_on: f.time.date_naive(),
        provided: h
            .provision()
            .and_then(|p| Some((p.seq, p.provision?.done_on))),
    }))
}

/// The unsigned provision record `request` makes for `case` as `reviewer`: the
/// checks a person can act on before anything is signed. `today` is the real day
/// (a provision is never in the future); the deadline is the case's as of the setting.
/// Also returns what the person should be told (a fee not told in advance).
pub fn unsigned(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    reviewer: &str,
    request: &ProvisionRequest,
    today: NaiveDate,
) -> Result<(Unsigned, Option<String>), DecideError> {
    let usage = |m: String| Err(DecideError::Usage(m));
    let refused = |m: String| Err(DecideError::Refused(AppendError::Refused(m)));
    let c = &case.case;
    let id = sanitize_line(&c.id);
    let Some(f) = in_force(setting, &c.id)? else {
        return refused(format!(
            "case {id} has no decision in force to provide: decide it first"
        ));
    };
    let Some(what) = ProvisionWhat::for_outcome(&f.outcome) else {
        return refused(format!(
            "case {id} was decided `{}` (record {}): nothing is provided for it",
            sanitize_line(&f.outcome),
            f.seq
        ));
    };
    match (f.provided, request.corrects) {
        (Some((p, _)), None) => {
            return refused(format!(
                "record {} of case {id} was already provided (record {p}); to correct that record, use --corrects {p} --note REASON",
                f.seq
            ));
        }
        (_, Some(_)) if request.note.trim().is_empty() => {
            return usage(
                "--corrects needs --note REASON: say why the first provision was wrong".into(),
            );
        }
        _ => {}
    }
    let Some(on) = request.on else {
        return usage(
            "--on DATE: the day the records were provided (or the notice sent) is required".into(),
        );
    };
    let channels: Vec<&str> = if c.kind == CaseKind::DisclosureConcern {
        CHANNELS.iter().chain(&CONCERN_CHANNELS).copied().collect()
    } else {
        CHANNELS.to_vec()
    };
    if !channels.contains(&request.via.as_str()) {
        return usage(format!(
            "--via {}: expected one of {}",
            sanitize_line(&request.via),
            channels.join(", ")
        ));
    }
    let form = request.form.trim();
    if form.is_empty() || form.len() > 80 || form.contains(['\n', '\r']) {
        return usage("--form: the form and format provided, in one line of at most 80 characters (e.g. pdf, paper copy, letter)".into());
    }
    match (f.outcome.as_str(), request.notice_sent) {
        ("release_partial", None) => {
            return usage("a partial denial is carried out by the records released and the written notice of the part withheld (164.524(d)(2)): give --notice-sent DATE too".into());
        }
        ("release_partial", Some(_)) => {}
        (_, Some(_)) => {
            return usage(format!(
                "--notice-sent is for a partial denial; record {} decided `{}` (for a denial, --on is the day the notice was sent)",
                f.seq,
                sanitize_line(&f.outcome)
            ));
        }
        _ => {}
    }
    for (flag, day) in [
        ("--on", Some(on)),
        ("--notice-sent", request.notice_sent),
        ("--fee-told-on", request.fee_told_on),
    ] {
        let Some(day) = day else { continue };
        if day > today {
            return usage(format!(
                "{flag} {}: in the future (today is {}); a provision is recorded once done",
                format_date(&day),
                format_date(&today)
            ));
        }
        if flag != "--fee-told-on" && day < f.signed_on {
            return usage(format!(
                "{flag} {}: before record {} was signed ({})",
                format_date(&day),
                f.seq,
                format_date(&f.signed_on)
            ));
        }
    }
    if request.fee_told_on.is_some_and(|t| t > on) {
        return usage("--fee-told-on: after the records were provided; the fee is told before the copy is made".into());
    }
    if request.fees.is_empty() && request.fee_told_on.is_some() {
        return usage("--fee-told-on without a --fee: say what was charged".into());
    }
    if what != ProvisionWhat::Records && !request.fees.is_empty() {
        return usage(format!(
            "a fee is charged for records provided; record {} decided `{}`",
            f.seq,
            sanitize_line(&f.outcome)
        ));
    }
    let warning = check_fee(set, case, request, on)?;
    let dl = crate::rules::deadline::for_case(c, &set.rules, setting.clock.deadline_day());
    let provision = Provision {
        provides: f.seq,
        provides_sha256: f.link.clone(),
        what,
        on,
        notice_sent: request.notice_sent,
        via: request.via.clone(),
        form: form.to_string(),
        fee_told_on: request.fee_told_on,
        corrects: request.corrects,
    };
    let notice = read_notice(setting, &f)?;
    let unsigned = Unsigned {
        kind: RecordType::Provision,
        reviewer: reviewer.to_string(),
        outcome: f.outcome.clone(),
        grounds: Vec::new(),
        records: Vec::new(),
        disclosures: Vec::new(),
        notice,
        deadline: DeadlineInfo {
            due: dl.due,
            decided_on_time: dl.met_on(provision.done_on()),
        },
        provision: Some(provision),
        fees: request
            .fees
            .iter()
            .map(|(item, cents)| Fee {
                item: item.clone(),
                cents: *cents,
            })
            .collect(),
        findings_overridden: Vec::new(),
        rationale: request.note.clone(),
    };
    Ok((unsigned, warning))
}

/// The fee charged, through the advisor's fee rule (164.524(c)(4)): an item the rule
/// refuses (search and retrieval, ever) refuses the provision. The method is the case's
/// quoted one (actual costs when it quotes none); told in advance when `--fee-told-on`
/// is on or before the provision.
fn check_fee(
    set: &CaseSet,
    case: &LoadedCase,
    request: &ProvisionRequest,
    on: NaiveDate,
) -> Result<Option<String>, DecideError> {
    if request.fees.is_empty() {
        return Ok(None);
    }
    let quoted = case.case.request.as_ref().and_then(|r| r.fee.as_ref());
    let mut items = Vec::new();
    for (item, cents) in &request.fees {
        items.push(FeeItem {
            item: fee_item(item).map_err(DecideError::Usage)?,
            amount: *cents as f64 / 100.0,
            description: None,
        });
    }
    let charged = FeeQuote {
        method: quoted.map_or(FeeMethod::Actual, |q| q.method),
        told_in_advance: request.fee_told_on.is_some_and(|t| t <= on),
        items,
    };
    let problems =
        crate::rules::access_checks::fee_problems(&case.case, &charged, &set.rules.file.fees);
    let refusing: Vec<String> = problems
        .iter()
        .filter(|(code, _)| *code == "fee-not-permitted")
        .map(|(code, m)| format!("{code}: {m} ({})", set.rules.file.fees.citation))
        .collect();
    if !refusing.is_empty() {
        return Err(DecideError::Refused(AppendError::Refused(format!(
            "the fee is refused: {}",
            refusing.join("; ")
        ))));
    }
    // Not told in advance: the provision happened and is recorded (the record says
    // when the fee was told, or `none`); the person is told.
    Ok(problems.first().map(|(code, m)| format!("{code}: {m}")))
}

/// The notice elements of the record carried out (what the notice sent carries).
fn read_notice(
    setting: &Setting,
    f: &InForce,
) -> Result<crate::record::model::Notice, DecideError> {
    let p = Paths::new(setting.cases);
    let dir = crate::store::safe_open::SafeDir::open(&p.log)
        .map_err(|e| DecideError::Usage(format!("{}: {e}", p.log.display())))?;
    let (bytes, rec) =
        log::read_record(&dir, f.seq).map_err(|e| DecideError::Refused(AppendError::from(e)))?;
    if crate::record::model::sha256_link(&bytes) != f.link {
        return Err(DecideError::Refused(AppendError::Damaged(format!(
            "the decision log is damaged: record {}: it is not the record you verified; nothing was written. Run `casebench verify`",
            f.seq
        ))));
    }
    Ok(rec.notice)
}

/// A signed and appended provision.
#[derive(Debug)]
pub struct Provided {
    pub appended: crate::record::Appended,
    pub signer: String,
    pub key_warning: Option<String>,
    /// What the person should know (a fee not told in advance).
    pub warning: Option<String>,
}

/// Signs `request` for `case` as the setting's signer (namespace `casebench-provision`)
/// and appends it: `casebench provide` and the workbench's provision form.
pub fn provide(
    setting: &Setting,
    set: &CaseSet,
    case: &LoadedCase,
    request: &ProvisionRequest,
) -> Result<Provided, DecideError> {
    let time = setting.clock.now();
    let (reviewer, mut signer) = signer::resolve(
        setting.cases,
        setting.key,
        setting.reviewer,
        NS_PROVISION,
        time,
    )
    .map_err(DecideError::Usage)?;
    // Dates are checked against the real day (the one clock), never `as_of`.
    let today = crate::clock::Clock::day_of(time);
    let (unsigned, warning) = unsigned(setting, set, case, &reviewer, request, today)?;
    let state = setting.state().map_err(DecideError::Usage)?;
    let appended =
        crate::record::sign_and_append(setting.cases, &state, case, &unsigned, &mut signer, time)
            .map_err(DecideError::Refused)?;
    Ok(Provided {
        appended,
        signer: signer.describe(),
        key_warning: signer.warning().map(str::to_string),
        warning,
    })
}

/// `copying_labor 6.50, postage 1.20` (for messages).
pub fn fees_text(fees: &[Fee]) -> String {
    fees.iter()
        .map(|f| format!("{} {}", f.item, format_amount(f.cents)))
        .collect::<Vec<_>>()
        .join(", ")
}
