//! The findings about how access is given (RULEBOOK R35, R36, issue 21): the fee
//! (164.524(c)(4)), the form and format (164.524(c)(2)), a planned release date and a
//! request the clinic cannot fulfil (the information-blocking rule, 45 CFR 171.103,
//! 171.204), and the state's own access law where it was not researched. Pure.

use chrono::NaiveDate;

use super::disclosure_checks::is_ehi;
use super::engine::Engine;
use super::findings::{Out, Proposal, Withheld};
use super::model::FeeRule;
use super::model::GroundKind;
use crate::case::model::{
    AccessForm, Case, CaseKind, ConcernKind, FeeItemKind, FeeMethod, FeeQuote, InstrumentKind,
    Outcome, cents,
};

/// "a, b, c and d".
fn and_list(words: &[&str]) -> String {
    match words.split_last() {
        None => "nothing".into(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn dollars(c: i64) -> String {
    format!("${}.{:02}", c / 100, c % 100)
}

/// 164.524(c)(4): what an individual's own copy may cost, and that it is said in
/// advance. Not for a patient's direction to a third party (Ciox Health v. Azar, D.D.C.
/// 2020), nor for any third party's request: the fee limits are the individual's.
pub(super) fn fee_findings(eng: &Engine, out: &mut Out) {
    let case = eng.case();
    let Some(fee) = case.request.as_ref().and_then(|r| r.fee.as_ref()) else {
        return;
    };
    for (code, message) in fee_problems(case, fee, &eng.rb.file.fees) {
        out.add(code, message, None);
    }
}

/// What the fee rule (164.524(c)(4), the rulebook's `fees:`) says of `fee` charged for
/// `case`: `(code, message)` per problem (`fee-not-permitted`,
/// `fee-not-disclosed-in-advance`). Nothing for a request that is not the individual's
/// own copy. The advisor's findings and `casebench provide` both ask this.
pub fn fee_problems(case: &Case, fee: &FeeQuote, rule: &FeeRule) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let Some(req) = case.request.as_ref() else {
        return out;
    };
    if !case.requester_is_individual() || req.instrument.kind == InstrumentKind::PatientDirection {
        return out;
    }
    let summary_agreed = req.form.as_ref().is_some_and(|f| f.summary_agreed);
    let allowed = {
        let mut words: Vec<&str> = rule.may_charge.iter().map(|k| k.words()).collect();
        if rule.summary_if_agreed {
            words.push("an agreed summary");
        }
        and_list(&words)
    };
    for item in &fee.items {
        let why = match item.item {
            k if rule.may_charge.contains(&k) => None,
            FeeItemKind::Summary if rule.summary_if_agreed && summary_agreed => None,
            FeeItemKind::Summary if rule.summary_if_agreed => Some(
                "a summary may be charged for only if the individual agreed in advance to the summary and its fee (164.524(c)(2)(iii), (c)(4)(iv))".to_string(),
            ),
            FeeItemKind::SearchAndRetrieval => Some(format!(
                "search and retrieval may never be charged; the fee may include only {allowed}"
            )),
            _ => Some(format!("the fee may include only {allowed}")),
        };
        if let Some(why) = why {
            out.push((
                "fee-not-permitted",
                format!(
                    "the fee charges {} for `{}`: {why}",
                    dollars(cents(item.amount)),
                    item.item.as_str()
                ),
            ));
        }
    }
    let electronic_of_electronic = req.form.as_ref().is_some_and(|f| {
        f.maintained_electronically
            && f.offered.unwrap_or(f.requested) == AccessForm::ElectronicCopy
    });
    let total = fee.total_cents();
    if fee.method == FeeMethod::Flat && electronic_of_electronic && total > rule.flat_fee_cap_cents
    {
        out.push((
            "fee-not-permitted",
            format!(
                "a flat fee of {} for an electronic copy of records kept electronically is more than the {} OCR allows as a flat fee (all labour, supplies and postage included); charge actual or average allowable costs instead",
                dollars(total),
                dollars(rule.flat_fee_cap_cents)
            ),
        ));
    }
    if total > 0 && !fee.told_in_advance {
        out.push((
            "fee-not-disclosed-in-advance",
            format!(
                "the individual was not told the fee ({}) in advance; say the approximate fee before making the copy",
                dollars(total)
            ),
        ));
    }
    out
}

/// 164.524(c)(2): the form and format asked for when it is readily producible; an
/// electronic form for an electronic record asked for electronically; a summary only by
/// agreement. Only when the decision gives access.
pub(super) fn form_findings(eng: &Engine, p: &Proposal, out: &mut Out) {
    let case = eng.case();
    let Some(form) = case.request.as_ref().and_then(|r| r.form.as_ref()) else {
        return;
    };
    if !case.is_own_access() || !matches!(p.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial)
    {
        return;
    }
    let offered = form.offered.unwrap_or(form.requested);
    if offered == form.requested {
        return;
    }
    let asked = form.requested.words();
    let given = offered.words();
    let msg = if offered == AccessForm::Summary && !form.summary_agreed {
        Some(format!(
            "{given} is offered instead of {asked}: a summary replaces the records only if the individual agrees in advance to it and its fee (164.524(c)(2)(iii))"
        ))
    } else if form.readily_producible {
        Some(format!(
            "{asked} was asked for and is readily producible, but {given} is offered: provide the form and format asked for (164.524(c)(2)(i))"
        ))
    } else if form.requested == AccessForm::ElectronicCopy
        && form.maintained_electronically
        && offered != AccessForm::ElectronicCopy
    {
        Some(format!(
            "an electronic copy of records kept electronically was asked for; if the format asked for is not readily producible, give a readable electronic form agreed with the individual, not {given} (164.524(c)(2)(ii))"
        ))
    } else {
        None
    };
    if let Some(msg) = msg {
        out.add("form-format-not-provided", msg, None);
    }
}

/// A planned release date is a delay, judged like a denial (171.103): each delayed item
/// of electronic health information needs a ground that fits an exception (Preventing
/// Harm, 171.201), as withholding it would.
pub(super) fn planned_release_findings(
    eng: &Engine,
    p: &Proposal,
    withheld: &[Withheld],
    today: NaiveDate,
    out: &mut Out,
) {
    let case = eng.case();
    let Some(plan) = case
        .request
        .as_ref()
        .and_then(|r| r.planned_release.as_ref())
    else {
        return;
    };
    if !case.is_own_access() || !matches!(p.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial)
    {
        return;
    }
    let due = eng.deadline(today).due;
    for rec in case.records() {
        if withheld.iter().any(|(w, _)| w.id == rec.id)
            || !(plan.records.is_empty() || plan.records.contains(&rec.id))
            || !is_ehi(rec)
        {
            continue;
        }
        let excepted = eng
            .withholding_for(rec)
            .iter()
            .any(|g| g.kind == GroundKind::Withholding && g.recommend);
        if excepted {
            continue;
        }
        let late = due
            .filter(|d| plan.on > *d)
            .map(|d| format!(", after the due date {d} (164.524(b)(2))"))
            .unwrap_or_default();
        out.add(
            "information-blocking-risk",
            format!(
                "`{}` is to be released only on {}{late}: a planned delay is judged like a denial (171.103), and no ground that fits an exception (such as Preventing Harm, 171.201) holds for it; release it without delay",
                rec.id, plan.on
            ),
            Some("45 CFR 171.103; 171.201"),
        );
    }
}

/// 171.204(b): a request the clinic cannot fulfil is answered with the reasons, in
/// writing, within 10 business days of receipt.
pub(super) fn infeasibility_findings(eng: &Engine, today: NaiveDate, out: &mut Out) {
    let Some(inf) = eng
        .case()
        .request
        .as_ref()
        .and_then(|r| r.infeasible.as_ref())
    else {
        return;
    };
    let Some(due) = eng.deadline(today).infeasibility_reply_due else {
        return;
    };
    let msg = match inf.reply_sent {
        Some(sent) if sent > due => Some(format!(
            "the written reasons the request cannot be fulfilled went out on {sent}, after the 10 business days ({due}) the infeasibility exception allows"
        )),
        None if today > due => Some(format!(
            "no written reasons the request cannot be fulfilled have been sent; the infeasibility exception needs them within 10 business days, by {due}"
        )),
        _ => None,
    };
    if let Some(msg) = msg {
        out.add("information-blocking-risk", msg, Some("45 CFR 171.204(b)"));
    }
}

/// Where this rulebook has not researched the state law the case turns on: no overlay at
/// all; the state's access period for an own-access request; a mandated report.
pub(super) fn state_law_findings(eng: &Engine, out: &mut Out) {
    let case = eng.case();
    if !eng.state.checked {
        out.add(
            "state-law-unchecked",
            format!(
                "no state overlay for `{}`: only federal rules were applied; check state law (duty to warn, minors, reporting, deadlines)",
                crate::text::sanitize_line(&case.jurisdiction)
            ),
            None,
        );
        return;
    }
    if case.kind == CaseKind::AccessRequest
        && case.is_own_access()
        && !eng.rb.access_period_checked(case)
    {
        // Leave the state on the federal rule rather than guess its period (issue 13).
        let note = eng
            .state
            .access_research_note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        out.add(
            "state-law-unchecked",
            format!(
                "{}'s own deadline for access has not been researched in this rulebook{note}: the federal 30 days were applied; some states set a shorter period",
                eng.state.name
            ),
            None,
        );
    }
    if case.concern.as_ref().map(|c| c.kind) == Some(ConcernKind::RequiredByLaw)
        && eng.state.mandated_category() == "unknown"
    {
        out.add(
            "state-law-unchecked",
            format!(
                "{}'s mandated reports (other than abuse) are not researched in this rulebook: 164.512(a) permits a disclosure a law requires, limited to what it requires; check the statute before reporting",
                eng.state.name
            ),
            None,
        );
    }
}
