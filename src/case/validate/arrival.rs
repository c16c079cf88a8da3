//! The intake's facts (issue 22): when and how a request arrived, and which day its clock
//! counts from; how identity was checked; the requester's authority; the case an earlier
//! decided case is followed by. docs/CASE-FORMAT.md, "Arrival, delivery and urgency".

use chrono::Datelike;

use super::Checker;
use crate::case::load_options::LoadOptions;
use crate::case::model::{Answer, Case, Relationship};
use crate::yaml::Seg::Key;

pub(super) fn check(c: &mut Checker, case: &Case, opts: &LoadOptions) {
    // --today looks "as of" a day; it never makes a future receipt past.
    let arrived = case
        .arrival
        .as_ref()
        .and_then(|a| a.on)
        .unwrap_or(case.received);
    if arrived > opts.real_today && arrived <= opts.today {
        c.at(
            &[Key("received")],
            format!(
                "date {arrived} is in the future (the calendar says {}); a request cannot be received before it arrives",
                opts.real_today
            ),
        );
    }
    if let Some(a) = &case.arrival {
        let time = match a.time.as_deref().map(crate::case::arrival::parse_time) {
            Some(Err(msg)) => {
                c.at(&[Key("arrival"), Key("time")], msg);
                None
            }
            Some(Ok(t)) => Some(t),
            None => None,
        };
        c.not_future(&[Key("arrival"), Key("on")], a.on, opts.latest_day());
        if let Some(on) = a.on.filter(|on| *on != case.received) {
            let policy = opts.intake.as_ref();
            let counted = policy.map(|p| p.counting_day(on, time));
            if counted != Some(case.received) {
                let why = match policy {
                    Some(p) if p.after_hours_next_business_day => format!(
                        "under casebench.yaml's intake rule, a request that arrived on {on} ({}{}) counts from {}",
                        on.weekday(),
                        a.time.as_deref().map(|t| format!(" at {t}")).unwrap_or_default(),
                        p.counting_day(on, time)
                    ),
                    _ => "casebench.yaml has no after-hours rule (`intake: { closes_at: \"17:00\", after_hours_next_business_day: true }`), so the day it arrived counts".to_string(),
                };
                c.at(
                    &[Key("received")],
                    format!(
                        "received {} is not the day the clock counts from: the request arrived on {on} (arrival.on), and {why}. 45 CFR 164.524(b) counts from receipt: write `received: {}`",
                        case.received,
                        counted.unwrap_or(on)
                    ),
                );
            }
        }
    }
    if let Some(f) = &case.follows {
        if !super::is_valid_case_id(f) {
            c.at(
                &[Key("follows")],
                format!(
                    "invalid case id `{}`; expected the id of the earlier case this one follows",
                    crate::text::sanitize_line(f)
                ),
            );
        } else if *f == case.id {
            c.at(&[Key("follows")], "a case cannot follow itself");
        }
    }
    let Some(req) = &case.request else {
        return;
    };
    let rq = &req.requester;
    let at = |k: &'static str| [Key("request"), Key("requester"), Key(k)];
    if let Some(check) = &rq.identity_check {
        if rq.identity_verified != Answer::Yes {
            c.at(
                &at("identity_check"),
                "`identity_check` records how identity was checked; with it write `identity_verified: true` (or leave the check out until it is done)",
            );
        }
        c.not_future(
            &[
                Key("request"),
                Key("requester"),
                Key("identity_check"),
                Key("on"),
            ],
            check.on,
            opts.latest_day(),
        );
        c.not_empty(
            &[
                Key("request"),
                Key("requester"),
                Key("identity_check"),
                Key("by"),
            ],
            &check.by,
            "identity_check.by",
        );
    }
    if rq.authority.is_some()
        && !matches!(
            rq.relationship,
            Relationship::PersonalRepresentative | Relationship::Parent | Relationship::Executor
        )
    {
        c.at(
            &at("authority"),
            format!(
                "`authority` is a representative's authority to act for the patient; the requester is `{}` (a representative is `personal_representative`, `parent` or `executor`)",
                serde_json::to_value(rq.relationship)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
        );
    }
    if let Some(d) = &req.delivery
        && d.address.as_deref().is_some_and(|a| a.trim().is_empty())
    {
        c.at(
            &[Key("request"), Key("delivery"), Key("address")],
            "delivery address is empty; expected the postal or email address, or leave it out",
        );
    }
}
