//! Required actions and notice elements for a recommended decision. Pure.

use super::engine::{Action, Engine, NoticeElement, Recommended, threat_citation};
use crate::case::model::{ConcernKind, Outcome};
use crate::rules::deadline::Deadline;

fn act(code: &str, text: String, citation: &str) -> Action {
    Action {
        code: code.to_string(),
        text,
        citation: citation.to_string(),
    }
}

fn list(ids: &[&str]) -> String {
    ids.join(", ")
}

/// Issue 22: what to find out first. The pending evaluation of harm always; each other
/// unknown fact where its answer changes the recommendation.
fn unknown_actions(eng: &Engine, out: &mut Vec<Action>) {
    let id = crate::text::sanitize_line(&eng.case().id);
    if let Some(p) = eng.case().harm_evaluation.pending() {
        out.push(act(
            "obtain-evaluation",
            format!(
                "Obtain the evaluation of harm from {}: it must decide {}. Then write it in the case (`casebench edit {id}`)",
                crate::text::sanitize_line(&p.assigned_to),
                crate::case::model::EVALUATION_QUESTIONS
            ),
            "45 CFR 164.524(a)(3)",
        ));
    }
    for (u, _, _) in eng.open_questions() {
        if u.fact == super::unknowns::EVALUATION {
            continue;
        }
        out.push(act(
            "find-out",
            format!(
                "Find out before deciding: {} Then write the answer in the case (`casebench edit {id}`)",
                u.sentence()
            ),
            u.citation,
        ));
    }
}

/// What the reviewer must do to carry out `rec` (RULEBOOK sections 1-6).
pub fn required_actions(eng: &Engine, rec: &Recommended, dl: &Deadline) -> Vec<Action> {
    let mut out = Vec::new();
    let case = eng.case();
    let by = dl.due.map(|d| format!(" by {d}")).unwrap_or_default();
    let withheld: Vec<&str> = rec.withhold.keys().map(String::as_str).collect();
    let released: Vec<&str> = case
        .records()
        .iter()
        .filter(|r| !rec.withhold.contains_key(&r.id))
        .map(|r| r.id.as_str())
        .collect();
    let reviewable = rec
        .withhold
        .values()
        .any(|g| eng.rb.ground(g).is_some_and(|g| g.reviewable()));
    let has = |code: &str| rec.grounds.iter().any(|g| g == code);
    let own = eng.own_access();
    let basis = rec
        .grounds
        .first()
        .and_then(|g| eng.rb.ground(g))
        .filter(|g| g.kind == super::model::GroundKind::Disclosure);
    let concern_kind = case.concern.as_ref().map(|c| c.kind);
    unknown_actions(eng, &mut out);
    // RULEBOOK R36: each overlay says who may see the records under the state's own law.
    if own && let Some(who) = &eng.state.access_who {
        out.push(act(
            "state-who",
            format!(
                "Under {} law, who may see the records: {}",
                eng.state.name, who.describe
            ),
            &who.citation,
        ));
    }
    if matches!(rec.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial)
        && concern_kind.is_some()
    {
        disclosure_without_request(eng, rec, &mut out);
    } else if matches!(rec.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial) {
        if own {
            let form = case
                .request
                .as_ref()
                .and_then(|r| r.form.as_ref())
                .map(|f| {
                    let format = f
                        .format
                        .as_deref()
                        .map(|x| format!(", {}", crate::text::sanitize_line(x)))
                        .unwrap_or_default();
                    format!(" as {}{format} if readily producible", f.requested.words())
                })
                .unwrap_or_else(|| {
                    " in the form and format asked for if readily producible".into()
                });
            out.push(act(
                "release",
                format!("Release {}{by},{form}; fee only cost-based copying, supplies and postage, told in advance", list(&released)),
                "45 CFR 164.524(b)(2), (c)(2)-(4)",
            ));
        } else if let Some(b) = basis {
            let text = if b.code == "family-involved-in-care" {
                format!(
                    "Disclose to the requester only what is relevant to their involvement in the patient's care or its payment ({}); nothing the patient had asked to keep from them",
                    list(&released)
                )
            } else {
                format!(
                    "Disclose {} to the requester, only what `{}` permits",
                    list(&released),
                    b.code
                )
            };
            out.push(act("release", text, &b.citation));
        }
    }
    if rec.outcome.is_denial() && own {
        out.push(act(
            "written-denial",
            format!(
                "Send a timely written denial in plain language for {}{by}",
                list(&withheld)
            ),
            "45 CFR 164.524(d)(2)",
        ));
        if rec.outcome == Outcome::ReleasePartial {
            out.push(act(
                "partial-access",
                "Withhold only the items that have a ground; give access to everything else".into(),
                "45 CFR 164.524(d)(1)",
            ));
        }
    } else if rec.outcome.is_denial() {
        let mut cites: Vec<&str> = Vec::new();
        for g in rec.withhold.values().filter_map(|g| eng.rb.ground(g)) {
            if !cites.contains(&g.citation.as_str()) {
                cites.push(&g.citation);
            }
        }
        out.push(act(
            "explain-withheld",
            format!("Tell the requester in writing which items are not disclosed ({}) and on what ground", list(&withheld)),
            &cites.join("; "),
        ));
    }
    if has("part2-consent-required") {
        part2_records(eng, rec, &mut out);
    }
    if rec.outcome.is_denial() && own {
        let rel = case.request.as_ref().map(|r| r.requester.relationship);
        for r in eng.state.denial_review.iter().filter(|r| r.serves(rel)) {
            out.push(act(
                "state-review",
                format!(
                    "Tell the requester of {}'s own review of a denial: {}",
                    eng.state.name, r.describe
                ),
                &r.citation,
            ));
        }
    }
    if has("minor-objects-to-parent")
        && let Some(m) = &eng.state.minor_objection
    {
        out.push(act(
            "minor-objection",
            format!("The minor objects to the parent's access: {}", m.describe),
            &m.citation,
        ));
    }
    if let Some(due) = dl.infeasibility_reply_due {
        out.push(act(
            "infeasibility-reply",
            format!("The request cannot be fulfilled: send the requester the reasons in writing by {due} (10 business days after receipt)"),
            "45 CFR 171.204(b)",
        ));
    }
    if reviewable {
        out.push(act(
            "offer-review",
            "Offer review by a licensed professional designated as reviewing official who did not take part; refer a request for review promptly and send written notice of the result".into(),
            "45 CFR 164.524(a)(4), (d)(4)",
        ));
    }
    if has("representative-abuse-concern") {
        out.push(act(
            "not-representative",
            "Do not treat the requester as personal representative while the abuse concern stands; other representatives' rights are unaffected".into(),
            "45 CFR 164.502(g)(5)",
        ));
    }
    if has("minor-controls-record") {
        out.push(act(
            "avoid-over-blocking",
            "Release the records the parent controls; withhold only care the minor consented to alone".into(),
            "45 CFR 164.502(g)(3); OCR Dear Colleague letter, 3 Dec 2025",
        ));
    }
    if rec.outcome == Outcome::RequestInformation {
        let g = rec.grounds.first().map(String::as_str).unwrap_or("");
        let cite = eng.rb.ground(g).map_or("", |g| g.citation.as_str());
        let text = match g {
            "authorization-defective" => format!(
                "Return the authorization listing its defects ({}); do not release. The patient may instead send her own signed direction for an electronic copy (164.524(c)(3)(ii))",
                authorization_defects(eng).join("; ")
            ),
            "incomplete-request" => "Verify identity or ask which records are wanted, without making it a barrier and without asking why".into(),
            "law-enforcement-process-required" => "Confirm nothing, not even that the person is a patient; ask for a warrant, a court order or judge-issued subpoena, a grand-jury subpoena, or a written administrative request that is relevant, specific and limited; release nothing until then".into(),
            super::engine::FACTS_UNKNOWN => "Release and withhold nothing until the facts above are known; the time to act keeps running".into(),
            _ => "Ask for a valid authorization, the patient's written direction, or legal process (order, warrant, qualifying administrative request); release nothing until then".into(),
        };
        out.push(act("request-information", text, cite));
    }
    // 164.512 disclosures: accounting and minimum necessary.
    let concern = case.concern.as_ref().map(|c| c.kind);
    match rec.outcome {
        Outcome::Report => match concern {
            Some(ConcernKind::ChildAbuse) => out.push(act(
                "report",
                "Report to the child-protection agency the state designates, now, disclosing what the reporting law requires".into(),
                "45 CFR 164.512(b)(1)(ii); 160.203(c); state reporting law",
            )),
            Some(ConcernKind::ElderAbuse | ConcernKind::VulnerableAdultAbuse) => {
                out.push(act(
                    "report",
                    "Report to adult protective services, limited to the content the law requires".into(),
                    "45 CFR 164.512(c)(1)(i)",
                ));
                out.push(act(
                    "inform-patient",
                    "Tell the patient promptly that a report was made, unless that would place her at risk of serious harm".into(),
                    "45 CFR 164.512(c)(2)",
                ));
            }
            Some(ConcernKind::ThreatToOthers | ConcernKind::ThreatToSelf)
                if has("serious-threat") || has("state-duty-to-warn") =>
            {
                out.push(act(
                    "report",
                    format!("Disclose the threat to {} only", recipients(eng)),
                    &threat_citation(case, eng.state),
                ))
            }
            // A state-mandated report alone: the `mandated-report` action says to whom.
            _ => {}
        },
        Outcome::WarnAndProtect => {
            out.push(act(
                "warn",
                format!("Warn or protect at once: communicate the threat to {}; consider hospitalization", recipients(eng)),
                &threat_citation(case, eng.state),
            ));
            out.push(act(
                "psychotherapy-notes-usable",
                "Psychotherapy notes may be used for this disclosure".into(),
                "45 CFR 164.508(a)(2)(ii); 164.512(j)(1)(i)",
            ));
        }
        _ => {}
    }
    if has("required-by-law")
        && let Some(m) = &eng.state.mandated_report
    {
        out.push(act(
            "mandated-report",
            format!(
                "Report to {} as soon as practicable, limited to what the law requires: {}",
                m.recipient, m.discharge
            ),
            &m.citation,
        ));
    }
    let disclosure_512 = eng.rb.discloses_under_512(rec.outcome, &rec.grounds);
    if disclosure_512 {
        out.push(act(
            "minimum-necessary",
            "Disclose only the minimum necessary (or only what the law or order requires)".into(),
            "45 CFR 164.502(b); 164.514(d)",
        ));
        out.push(act(
            "accounting",
            "Enter the disclosure in the accounting of disclosures: date, recipient and address, description, purpose".into(),
            "45 CFR 164.528",
        ));
    }
    let threat = matches!(
        case.concern.as_ref().map(|c| c.kind),
        Some(ConcernKind::ThreatToOthers | ConcernKind::ThreatToSelf)
    );
    if case.entity.part2_program && threat && disclosure_512 {
        out.push(act(
            "part2",
            "Part 2 program: do not identify the patient as receiving SUD treatment; Part 2 has no general serious-threat exception (consider a medical-emergency disclosure, 2.51)".into(),
            "42 CFR 2.12, 2.13, 2.51",
        ));
    }
    if rec.outcome == Outcome::MaintainConfidentiality
        && matches!(
            concern,
            Some(ConcernKind::LawEnforcementRequest | ConcernKind::CourtOrder)
        )
    {
        out.push(act(
            "ask-for-process",
            "Confirm nothing, not even that the person is a patient; ask for the written order, warrant, subpoena or administrative request, then open it as a request and disclose only what it permits".into(),
            "45 CFR 164.512(e)(1), (f)(1)(ii)",
        ));
    }
    if rec.outcome == Outcome::MaintainConfidentiality
        && let Some(code) = concern_kind.and_then(ground_of_disclosure)
        && let Some(g) = eng.rb.ground(code)
    {
        out.push(act(
            "not-yet",
            format!("Do not disclose yet: this disclosure {}", g.invalid_reason),
            &g.citation,
        ));
    }
    if rec.outcome == Outcome::MaintainConfidentiality {
        out.push(act(
            "document",
            "Document the assessment and why no exception to confidentiality applies".into(),
            "45 CFR 164.530(j)",
        ));
    }
    out.push(act(
        "retain",
        "Keep the request, the decision and any notices for 6 years".into(),
        "45 CFR 164.530(j)(2)",
    ));
    out
}

/// The disclosure ground a concern type asks about, for the concerns that are
/// disclosures without a request.
fn ground_of_disclosure(kind: ConcernKind) -> Option<&'static str> {
    match kind {
        ConcernKind::Treatment => Some("treatment"),
        ConcernKind::BusinessAssociate => Some("business-associate"),
        ConcernKind::MedicalEmergency => Some("medical-emergency"),
        ConcernKind::RequiredByLaw => Some("required-by-law"),
        _ => None,
    }
}

/// What a disclosure without a request (treatment, a business associate, a medical
/// emergency) requires, from its ground.
fn disclosure_without_request(eng: &Engine, rec: &Recommended, out: &mut Vec<Action>) {
    let Some(g) = rec.grounds.first().and_then(|g| eng.rb.ground(g)) else {
        return;
    };
    let part2 =
        eng.view.get("concern.part2_records", None) == Some(super::facts::Value::Bool(true));
    let text = match g.code.as_str() {
        "treatment" => format!(
            "Send the other provider what its treatment of the patient needs; psychotherapy notes only with an authorization (164.508(a)(2)){}",
            if part2 {
                "; Part 2 records only under the patient's written consent, with the notice that forbids redisclosure (42 CFR 2.32)"
            } else {
                ""
            }
        ),
        "business-associate" => "Disclose only what the services under the agreement need (minimum necessary); the agreement binds the recipient to safeguard and not misuse the information".into(),
        "medical-emergency" => "Disclose to the medical personnel only what the emergency needs; record in the patient's file the recipient's name and affiliation, who disclosed, the date and time, and the nature of the emergency".into(),
        _ => format!("Disclose as `{}` permits", g.code),
    };
    out.push(act("disclose", text, &g.citation));
}

/// Each withheld Part 2 item with the rule that keeps it back, naming the consent or the
/// order its purpose needs (the release limits that hold for it, RULEBOOK R32).
fn part2_records(eng: &Engine, rec: &Recommended, out: &mut Vec<Action>) {
    let mut said: Vec<(String, Vec<&str>, String)> = Vec::new();
    for r in eng.case().records() {
        if rec.withhold.get(&r.id).map(String::as_str) != Some("part2-consent-required") {
            continue;
        }
        for (limit, cond) in eng.rb.release_limits() {
            if limit.finding != "part2-restriction" || !eng.view.holds(cond, Some(r)) {
                continue;
            }
            match said.iter_mut().find(|(d, _, _)| *d == limit.describe) {
                Some((_, ids, _)) => ids.push(&r.id),
                None => said.push((limit.describe.clone(), vec![&r.id], limit.citation.clone())),
            }
        }
    }
    if said.is_empty() {
        if let Some(g) = eng.rb.ground("part2-consent-required") {
            out.push(act("part2-records", g.describe.clone(), &g.citation));
        }
        return;
    }
    for (describe, ids, citation) in said {
        out.push(act(
            "part2-records",
            format!("Withhold {}: {describe}", list(&ids)),
            &citation,
        ));
    }
}

fn recipients(eng: &Engine) -> String {
    let to_self = matches!(
        eng.case().concern.as_ref().map(|c| c.kind),
        Some(ConcernKind::ThreatToSelf)
    );
    // R30: to prevent a threat to the patient's own life, anyone reasonably able to
    // prevent it may be told, family included - unless state law limits who.
    if to_self && eng.state.victim_allowed() {
        return "family or others close to the patient, a mobile crisis team, medical personnel or law enforcement: anyone reasonably able to prevent or lessen the threat".into();
    }
    let r: Vec<&str> = eng
        .state
        .recipients()
        .iter()
        // A threat to self has no third-party victim to warn.
        .filter(|r| !(to_self && **r == super::overlay::Recipient::Victim))
        .map(|r| r.words())
        .collect();
    if r.is_empty() {
        "someone reasonably able to prevent or lessen the threat".into()
    } else {
        r.join(" and ")
    }
}

/// The defects of an authorization that 164.508(b)(2) and (c) make fatal.
pub fn authorization_defects(eng: &Engine) -> Vec<&'static str> {
    let mut out = Vec::new();
    let Some(i) = eng.case().request.as_ref().map(|r| &r.instrument) else {
        return out;
    };
    if !i.signed.is_yes() {
        out.push("not signed");
    }
    if i.dated.is_none() {
        out.push("no signature date");
    }
    if i.expires.is_none() {
        out.push("no expiration date or event");
    }
    if eng.view.get("instrument.expired", None) == Some(super::facts::Value::Bool(true)) {
        out.push("expired");
    }
    if eng.view.get("instrument.compound", None) == Some(super::facts::Value::Bool(true)) {
        out.push("it joins psychotherapy notes (or SUD counseling notes) with other records: they need their own separate authorization (164.508(b)(3)(ii); 42 CFR 2.31(b))");
    }
    out
}

/// The elements the written notice of `rec` must carry (164.524(d)(2)).
pub fn notice_elements(eng: &Engine, rec: &Recommended) -> Vec<NoticeElement> {
    let mut out = Vec::new();
    if !rec.outcome.is_denial() || !eng.own_access() {
        return out;
    }
    let mut basis: Vec<String> = Vec::new();
    let mut reviewable = false;
    for code in rec.withhold.values() {
        if let Some(g) = eng.rb.ground(code) {
            let line = format!("{} ({})", g.describe, g.citation);
            if !basis.contains(&line) {
                basis.push(line);
            }
            reviewable |= g.reviewable();
        }
    }
    out.push(NoticeElement {
        code: "basis".into(),
        text: format!("The basis for the denial: {}", basis.join("; ")),
        citation: "45 CFR 164.524(d)(2)(i)".into(),
    });
    if reviewable {
        out.push(NoticeElement {
            code: "review_rights".into(),
            text: "The right to have the denial reviewed by a licensed health care professional who did not take part in it, and how to ask".into(),
            citation: "45 CFR 164.524(d)(2)(ii); 164.524(a)(4)".into(),
        });
    }
    let rel = eng
        .case()
        .request
        .as_ref()
        .map(|r| r.requester.relationship);
    for r in eng.state.denial_review.iter().filter(|r| r.serves(rel)) {
        out.push(NoticeElement {
            code: "state_review".into(),
            text: format!(
                "{}'s own review of the denial: {}",
                eng.state.name, r.describe
            ),
            citation: r.citation.clone(),
        });
    }
    out.push(NoticeElement {
        code: "complaint_routes".into(),
        text: "How to complain to the entity (the privacy contact's title and telephone number) and to the Secretary of HHS (Office for Civil Rights)".into(),
        citation: "45 CFR 164.524(d)(2)(iii); 164.530(d); 160.306".into(),
    });
    out
}
