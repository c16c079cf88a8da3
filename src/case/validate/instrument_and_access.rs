//! Validation of the schema additions of issue 21: what an instrument covers, the Part 2
//! facts (a record received from a program, the order's section), the request's form,
//! fee, planned release and infeasibility reply, and the facts of a disclosure without a
//! request. Each violation is located at its key, like every other check.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::Checker;
use crate::case::model::CATEGORIES;
use crate::case::model::{
    Case, Concern, ConcernKind, ConcernRecipient, InstrumentKind, Relationship, Request,
};
use crate::text::sanitize_line;
use crate::yaml::Seg;
use crate::yaml::suggest as did_you_mean;

/// The instrument types whose coverage the advisor reads (`covers`).
const COVERING: &[InstrumentKind] = &[
    InstrumentKind::Authorization,
    InstrumentKind::PatientDirection,
    InstrumentKind::CourtOrder,
    InstrumentKind::Subpoena,
    InstrumentKind::Warrant,
    InstrumentKind::AdministrativeRequest,
];

pub(super) fn check_request(
    c: &mut Checker,
    case: &Case,
    req: &Request,
    ids: &HashSet<&str>,
    today: NaiveDate,
) {
    use Seg::{Index, Key};
    if !req.requester.agreement.is_no()
        && !matches!(
            req.requester.relationship,
            Relationship::BusinessAssociate | Relationship::QualifiedServiceOrganization
        )
    {
        c.at(
            &[Key("request"), Key("requester"), Key("agreement")],
            format!(
                "`agreement` is a business associate or qualified service organization agreement (164.504(e); 42 CFR 2.11); the requester is `{}`, not `business_associate` or `qualified_service_organization`",
                crate::case::model::snake(&req.requester.relationship)
            ),
        );
    }
    let ins = &req.instrument;
    let kind = crate::case::model::snake(&ins.kind);
    if let Some(covers) = &ins.covers {
        if !COVERING.contains(&ins.kind) {
            c.at(
                &[Key("request"), Key("instrument"), Key("covers")],
                format!(
                    "`covers` says what an authorization, a patient's direction, an order, a subpoena, a warrant or an administrative request covers; the instrument is `{kind}` (the request's own `records` say what is asked for)"
                ),
            );
        }
        if covers.is_empty() {
            c.at(
                &[Key("request"), Key("instrument"), Key("covers")],
                "`covers` is empty; list the record ids or categories the instrument covers, or leave `covers` out",
            );
        }
        for (i, entry) in covers.iter().enumerate() {
            if ids.contains(entry.as_str()) || CATEGORIES.contains(&entry.as_str()) {
                continue;
            }
            let mut known: Vec<&str> = ids.iter().copied().collect();
            known.sort_unstable();
            let hint = did_you_mean(
                entry,
                known.iter().copied().chain(CATEGORIES.iter().copied()),
            );
            c.at(
                &[Key("request"), Key("instrument"), Key("covers"), Index(i)],
                format!(
                    "`covers` names `{}`, which is neither a record id of this case nor a category{hint}; expected one of: {}, or a category ({})",
                    sanitize_line(entry),
                    if known.is_empty() { "(no records)".to_string() } else { known.join(", ") },
                    CATEGORIES.join(", ")
                ),
            );
        }
    }
    if !ins.covers_sud_counseling_notes.is_no() && ins.kind != InstrumentKind::Authorization {
        c.at(
            &[Key("request"), Key("instrument"), Key("covers_sud_counseling_notes")],
            format!(
                "`covers_sud_counseling_notes` says a separate written consent for SUD counseling notes was presented (42 CFR 2.31(b)); the instrument is `{kind}`, not an authorization or consent"
            ),
        );
    }
    if ins.part2_order.is_some()
        && !matches!(
            ins.kind,
            InstrumentKind::CourtOrder | InstrumentKind::Subpoena
        )
    {
        c.at(
            &[Key("request"), Key("instrument"), Key("part2_order")],
            format!(
                "`part2_order` is the section of 42 CFR Part 2 a court order was made under (with a subpoena to compel it, 2.61); the instrument is `{kind}`: use `court_order` or `subpoena`"
            ),
        );
    }
    for (i, rec) in req.records.iter().enumerate() {
        if let Some(src) = &rec.received_from_part2 {
            let at = |k: &'static str| {
                [
                    Key("request"),
                    Key("records"),
                    Index(i),
                    Key("received_from_part2"),
                    Key(k),
                ]
            };
            c.not_empty(&at("program"), &src.program, "received_from_part2.program");
            c.not_future(&at("received_on"), src.received_on, today);
        }
    }
    if let Some(form) = &req.form
        && form.format.as_deref().is_some_and(|f| f.trim().is_empty())
    {
        c.at(
            &[Key("request"), Key("form"), Key("format")],
            "form.format is empty; expected the format asked for (e.g. \"PDF by secure email\"), or leave it out",
        );
    }
    if let Some(fee) = &req.fee {
        for (i, item) in fee.items.iter().enumerate() {
            if !item.amount.is_finite() || item.amount < 0.0 {
                c.at(
                    &[Key("request"), Key("fee"), Key("items"), Index(i), Key("amount")],
                    format!(
                        "amount {} is not a fee; expected dollars and cents, zero or more (e.g. 12.50)",
                        item.amount
                    ),
                );
            }
        }
    }
    if let Some(plan) = &req.planned_release {
        if plan.on < case.received {
            c.at(
                &[Key("request"), Key("planned_release"), Key("on")],
                format!(
                    "the planned release date {} is before the request was received ({}); expected a date on or after it",
                    plan.on, case.received
                ),
            );
        }
        for (i, id) in plan.records.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                let mut known: Vec<&str> = ids.iter().copied().collect();
                known.sort_unstable();
                c.at(
                    &[Key("request"), Key("planned_release"), Key("records"), Index(i)],
                    format!(
                        "planned_release names record `{}`, which the case does not have{}; expected one of: {}",
                        sanitize_line(id),
                        did_you_mean(id, known.iter().copied()),
                        known.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(inf) = &req.infeasible {
        c.not_empty(
            &[Key("request"), Key("infeasible"), Key("reason")],
            &inf.reason,
            "infeasible.reason",
        );
        let at = [Key("request"), Key("infeasible"), Key("reply_sent")];
        c.not_future(&at, inf.reply_sent, today);
        if let Some(d) = inf.reply_sent.filter(|d| *d < case.received) {
            c.at(
                &at,
                format!(
                    "the reply was sent on {d}, before the request was received ({}); expected a date on or after it",
                    case.received
                ),
            );
        }
    }
}

pub(super) fn check_concern(c: &mut Checker, case: &Case, con: &Concern) {
    use Seg::Key;
    let kind = crate::case::model::snake(&con.kind);
    if !con.agreement.is_no() && con.kind != ConcernKind::BusinessAssociate {
        c.at(
            &[Key("concern"), Key("agreement")],
            format!(
                "`agreement` is the business associate or qualified service organization agreement of a `business_associate` disclosure (164.504(e); 42 CFR 2.11); this concern is `{kind}`"
            ),
        );
    }
    if !con.part2_consent.is_no() && con.part2_records.is_no() && !case.entity.part2_program {
        c.at(
            &[Key("concern"), Key("part2_consent")],
            "`part2_consent` is the patient's consent to disclose Part 2 records; say that the disclosure includes them (`part2_records: true`) or that the entity is a Part 2 program",
        );
    }
    if con.kind == ConcernKind::BusinessAssociate
        && con.recipient.is_some_and(|r| {
            !matches!(
                r,
                ConcernRecipient::BusinessAssociate
                    | ConcernRecipient::QualifiedServiceOrganization
            )
        })
    {
        c.at(
            &[Key("concern"), Key("recipient")],
            "a `business_associate` disclosure goes to a `business_associate` or a `qualified_service_organization`",
        );
    }
}
