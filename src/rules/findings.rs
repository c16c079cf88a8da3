//! Findings: what is wrong, risky or required about a proposed decision, each with its
//! severity, code and citation (RULEBOOK "Findings the advisor reports"). Pure.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Rulebook;
use super::access_checks;
use super::disclosure_checks;
use super::engine::{Engine, Recommended};
use super::facts::{Related, did_you_mean};
use super::model::{GroundKind, GroundRule, Severity};
use super::release_checks;
use crate::case::model::{Case, CaseKind, HarmEvaluation, Outcome, RecordItem, Slot};

/// One finding. Plain strings, ready to render or serialize.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub citation: String,
}

/// What the written notice of a proposed denial will say. `None` in a [`Proposal`] means
/// casebench's own notice (`casebench notice`), which carries every element it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeStatement {
    pub basis: bool,
    pub review_rights: bool,
    pub complaint_routes: bool,
}

/// A proposed decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub outcome: Outcome,
    #[serde(default)]
    pub grounds: Vec<String>,
    /// Record id -> the grounds it is withheld on, as given (every one is judged).
    #[serde(default)]
    pub withhold: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub notice: Option<NoticeStatement>,
}

/// What is known about who decides.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerFacts {
    /// The allowed_signers principal, e.g. `k.osei@lakeside.example`.
    pub principal: Option<String>,
    /// Display name from reviewers.yaml, e.g. `Dr. K. Osei`.
    pub name: Option<String>,
    /// Licensed health care professional (reviewers.yaml); `None`: not known.
    pub licensed: Option<bool>,
    /// This decision reviews an earlier denial (record type `review`).
    pub is_review: bool,
    /// Principals or names of those who made the decision under review. The harm
    /// assessor and the consultants of the case are added automatically.
    pub participants: Vec<String>,
    /// casebench.yaml names no privacy contact, so a generated notice cannot give the
    /// complaint route to the entity.
    pub privacy_contact_missing: bool,
}

/// The notice casebench itself writes for `proposal` (`casebench notice`): the basis
/// always, review rights when a withholding ground is reviewable, complaint routes when
/// the privacy contact is known. `None` when the outcome withholds nothing (no denial
/// notice). What `decide` records as the decision's `notice`.
pub fn generated_notice(
    rb: &Rulebook,
    proposal: &Proposal,
    privacy_contact: bool,
) -> Option<NoticeStatement> {
    if !proposal.outcome.is_denial() {
        return None;
    }
    let reviewable = proposal
        .withhold
        .values()
        .flatten()
        .chain(proposal.grounds.iter())
        .filter_map(|c| rb.ground(c))
        .any(|g| g.reviewable());
    Some(NoticeStatement {
        basis: true,
        review_rights: reviewable,
        complaint_routes: privacy_contact,
    })
}

/// An error finding the reviewer chose to override, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverriddenFinding {
    pub code: String,
    pub justification: String,
    pub finding: Finding,
}

/// Splits the error findings into overridden ones (`Ok`) and, if any error finding has
/// no override with a non-empty justification, those (`Err`). Warnings and info never
/// need an override.
pub fn gate(
    findings: &[Finding],
    overrides: &[(String, String)],
) -> Result<Vec<OverriddenFinding>, Vec<Finding>> {
    let mut done = Vec::new();
    let mut open = Vec::new();
    for f in findings.iter().filter(|f| f.severity == Severity::Error) {
        match overrides
            .iter()
            .find(|(code, why)| *code == f.code && !why.trim().is_empty())
        {
            Some((code, why)) => done.push(OverriddenFinding {
                code: code.clone(),
                justification: why.trim().to_string(),
                finding: f.clone(),
            }),
            None => open.push(f.clone()),
        }
    }
    if open.is_empty() { Ok(done) } else { Err(open) }
}

/// The findings against `proposal` for `case` as of `today`.
pub fn check(
    rb: &Rulebook,
    case: &Case,
    related: Related,
    proposal: &Proposal,
    reviewer: &ReviewerFacts,
    today: NaiveDate,
) -> Vec<Finding> {
    let state = rb.state(&case.jurisdiction);
    let eng = Engine::new(rb, case, &state, related);
    check_engine(&eng, proposal, reviewer, today)
}

pub(super) struct Out<'a> {
    rb: &'a Rulebook,
    list: Vec<Finding>,
}

impl Out<'_> {
    /// Adds finding `code` with the rulebook's severity; `citation` replaces the finding's
    /// general citation with a more specific one.
    pub(super) fn add(&mut self, code: &str, message: String, citation: Option<&str>) {
        self.add_raised(code, message, citation, None);
    }

    /// As `add`, raising the severity to `at_least` for a breach (never lowering it).
    pub(super) fn add_raised(
        &mut self,
        code: &str,
        message: String,
        citation: Option<&str>,
        at_least: Option<Severity>,
    ) {
        let Some(rule) = self.rb.finding(code) else {
            return; // the rulebook loader guarantees every engine code exists
        };
        let severity = at_least.map_or(rule.severity, |s| s.min(rule.severity));
        let f = Finding {
            severity,
            code: code.to_string(),
            message,
            citation: citation.unwrap_or(&rule.citation).to_string(),
        };
        if !self.list.contains(&f) {
            self.list.push(f);
        }
    }
}

/// The findings against `p`. For a case with unknown facts (`rules::unknowns`): the
/// errors that hold in every world of their answers, the warnings of the world where
/// every unknown is "no", a `decided-on-unknown` error for each unknown on whose answer
/// the proposal's errors turn, and a `question-open` warning (or `evaluation-pending`)
/// for each unknown the recommendation turns on.
pub(crate) fn check_engine(
    eng: &Engine,
    p: &Proposal,
    reviewer: &ReviewerFacts,
    today: NaiveDate,
) -> Vec<Finding> {
    let top = eng.recommend();
    if !eng.combines_worlds() {
        let mut list = check_world(eng, p, reviewer, today, &top);
        if !eng.unknowns.is_empty() {
            // Too many unknowns to combine: every one is an open question.
            let mut out = Out {
                rb: eng.rb,
                list: Vec::new(),
            };
            question_findings(eng, &mut out);
            list.extend(out.list);
            list.sort_by_key(|f| f.severity);
        }
        return list;
    }
    let worlds: Vec<Vec<Finding>> = (0..eng.world_count())
        .map(|m| check_world(&eng.in_world(m), p, reviewer, today, &top))
        .collect();
    let errors = |fs: &[Finding]| -> Vec<Finding> {
        fs.iter()
            .filter(|f| f.severity == Severity::Error)
            .cloned()
            .collect()
    };
    let certain: Vec<Finding> = errors(&worlds[0])
        .into_iter()
        .filter(|f| worlds.iter().all(|w| w.contains(f)))
        .collect();
    let mut out = Out {
        rb: eng.rb,
        list: certain.clone(),
    };
    for f in worlds[0].iter().filter(|f| f.severity != Severity::Error) {
        if !out.list.contains(f) {
            out.list.push(f.clone());
        }
    }
    let uncertain = |fs: &[Finding]| -> Vec<Finding> {
        errors(fs)
            .into_iter()
            .filter(|f| !certain.contains(f))
            .collect()
    };
    let mut explained = false;
    for (i, u) in eng.unknowns.iter().enumerate() {
        let if_no = uncertain(&worlds[0]);
        let if_yes = uncertain(&worlds[1 << i]);
        if if_no == if_yes {
            continue;
        }
        explained = true;
        let say = |fs: &[Finding]| -> String {
            if fs.is_empty() {
                "it may be decided so".to_string()
            } else {
                fs.iter()
                    .map(|f| format!("{}: {}", f.code, f.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            }
        };
        out.add(
            "decided-on-unknown",
            format!(
                "this decision is right for one answer only: {} If {}: {}. If {}: {}.",
                u.sentence(),
                yes_word(u),
                say(&if_yes),
                no_word(u),
                say(&if_no)
            ),
            Some(u.citation),
        );
    }
    let any_uncertain = worlds.iter().any(|w| !uncertain(w).is_empty());
    if any_uncertain && !explained {
        let all: Vec<String> = eng.unknowns.iter().map(|u| u.sentence()).collect();
        out.add(
            "decided-on-unknown",
            format!(
                "this decision is right only for some answers of these unknown facts together: {}",
                all.join("; ")
            ),
            None,
        );
    }
    question_findings(eng, &mut out);
    let mut list = out.list;
    list.sort_by_key(|f| f.severity);
    list
}

/// "yes", or for a pending evaluation what the gravest world assumes.
fn yes_word(u: &super::unknowns::UnknownFact) -> &'static str {
    if u.fact == super::unknowns::EVALUATION {
        "the evaluation finds grave harm"
    } else {
        "yes"
    }
}

fn no_word(u: &super::unknowns::UnknownFact) -> &'static str {
    if u.fact == super::unknowns::EVALUATION {
        "it finds none"
    } else {
        "no"
    }
}

/// `question-open` for each unknown the recommendation turns on (with what each answer
/// leads to), and `evaluation-pending` for a pending evaluation of harm, always.
fn question_findings(eng: &Engine, out: &mut Out) {
    let pending = eng
        .unknowns
        .iter()
        .find(|u| u.fact == super::unknowns::EVALUATION);
    if let Some(u) = pending {
        out.add(
            "evaluation-pending",
            format!(
                "{} Until then no harm determination exists: none is assumed, and no reviewable ground (danger-to-life, harm-to-referenced-person, harm-via-representative) holds.",
                u.question
            ),
            None,
        );
    }
    let rec_words = |r: &Recommended| -> String {
        let mut t = r.outcome.to_string();
        if !r.withhold.is_empty() {
            let w: Vec<String> = r
                .withhold
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            t.push_str(&format!(" (withhold {})", w.join(", ")));
        } else if !r.grounds.is_empty() {
            t.push_str(&format!(" on {}", r.grounds.join(", ")));
        }
        t
    };
    for (u, if_yes, if_no) in eng.open_questions() {
        if u.fact == super::unknowns::EVALUATION {
            continue;
        }
        let consequence = if if_yes == if_no {
            String::new()
        } else {
            format!(
                " If {}, the advisor would recommend {}; if {}, {}.",
                yes_word(u),
                rec_words(&if_yes),
                no_word(u),
                rec_words(&if_no)
            )
        };
        out.add(
            "question-open",
            format!("{}{consequence}", u.sentence()),
            Some(u.citation),
        );
    }
}

/// The findings against `p` in one world of the case's unknowns (or the only one).
fn check_world(
    eng: &Engine,
    p: &Proposal,
    reviewer: &ReviewerFacts,
    today: NaiveDate,
    top: &Recommended,
) -> Vec<Finding> {
    let mut out = Out {
        rb: eng.rb,
        list: Vec::new(),
    };
    grounds_findings(eng, p, &mut out);
    shape_findings(eng, p, &mut out);
    let withheld = effective_withhold(eng, p);
    withhold_findings(eng, p, &withheld, &mut out);
    harm_and_review(eng, p, &withheld, reviewer, &mut out);
    // 164.524's clock, notices and partial-denial rule govern the patient's own access;
    // a third party's request is answered under 164.508 / 164.512.
    if eng.own_access() {
        notice_findings(eng, p, &withheld, reviewer, &mut out);
        disclosure_checks::blocking_findings(eng, p, &withheld, &mut out);
    }
    // The case's one deadline: the access clock, or the instrument's own date.
    disclosure_checks::deadline_findings(eng, today, &mut out);
    release_checks::release_findings(eng, p, &withheld, &mut out);
    disclosure_checks::disclosure_findings(eng, p, &mut out);
    access_checks::fee_findings(eng, &mut out);
    access_checks::form_findings(eng, p, &mut out);
    access_checks::planned_release_findings(eng, p, &withheld, today, &mut out);
    access_checks::infeasibility_findings(eng, today, &mut out);
    super::recommendation::outcome_findings(eng, p, top, &mut out);
    access_checks::state_law_findings(eng, &mut out);
    let mut list = out.list;
    list.sort_by_key(|f| f.severity);
    list
}

fn unknown_code(eng: &Engine, code: &str) -> String {
    format!(
        "`{}` is not a ground code{}",
        crate::text::sanitize_line(code),
        did_you_mean(code, eng.rb.grounds().iter().map(|g| g.code.as_str()))
    )
}

fn invalid(out: &mut Out, g: &GroundRule, what: String) {
    out.add(
        "invalid-ground",
        format!("`{}` {what}: {}", g.code, g.invalid_reason),
        Some(&g.citation),
    );
}

fn grounds_findings(eng: &Engine, p: &Proposal, out: &mut Out) {
    for code in &p.grounds {
        let Some(g) = eng.rb.ground(code) else {
            out.add("invalid-ground", unknown_code(eng, code), None);
            continue;
        };
        let ok = match g.kind {
            GroundKind::Withholding => eng.case().records().iter().any(|r| eng.holds(g, Some(r))),
            GroundKind::NeverValid if !eng.holds(g, None) => {
                invalid(out, g, "is never a valid ground here".into());
                continue;
            }
            _ => eng.holds(g, None),
        };
        if !ok {
            invalid(out, g, "does not apply to this case".into());
        }
    }
}

/// The outcome and its parts must agree: a disclosure needs a basis that holds; a partial
/// release withholds something; a full release withholds nothing.
fn shape_findings(eng: &Engine, p: &Proposal, out: &mut Out) {
    let discloses = matches!(
        p.outcome,
        Outcome::ReleaseFull | Outcome::ReleasePartial | Outcome::WarnAndProtect | Outcome::Report
    );
    let has_basis = p.grounds.iter().any(|c| {
        eng.rb
            .ground(c)
            .is_some_and(|g| g.kind == GroundKind::Disclosure && eng.holds(g, None))
    });
    let cites_basis = p.grounds.iter().any(|c| {
        eng.rb
            .ground(c)
            .is_some_and(|g| g.kind == GroundKind::Disclosure)
    });
    if discloses && !has_basis && !cites_basis {
        let valid: Vec<&str> = eng
            .case_grounds()
            .into_iter()
            .filter(|g| g.kind == GroundKind::Disclosure)
            .map(|g| g.code.as_str())
            .collect();
        out.add(
            "invalid-ground",
            format!(
                "`{}` discloses without a basis; {}",
                p.outcome,
                if valid.is_empty() {
                    "no disclosure basis holds in this case".to_string()
                } else {
                    format!("cite the one that holds: {}", valid.join(", "))
                }
            ),
            Some("45 CFR 164.502(a); 164.508; 164.512; 164.524"),
        );
    }
    let access = eng.case().kind == CaseKind::AccessRequest;
    if access && p.outcome == Outcome::ReleasePartial && p.withhold.is_empty() {
        out.add(
            "invalid-ground",
            "`release_partial` names no withheld item; give each one with its ground (REC=GROUND), or release in full".into(),
            Some("45 CFR 164.524(d)(1)-(2)"),
        );
    }
    if p.outcome == Outcome::ReleaseFull && !p.withhold.is_empty() {
        out.add(
            "invalid-ground",
            "`release_full` withholds nothing; with withheld items the outcome is `release_partial`".into(),
            Some("45 CFR 164.524(d)(1)"),
        );
    }
}

/// A withheld item with the grounds it is withheld on (none given: empty).
pub(super) type Withheld<'a> = (&'a RecordItem, Vec<&'a str>);

/// Each withheld item with the grounds it is withheld on. A denial withholds every item;
/// items missing from its map take the first withholding ground of the proposal's list.
fn effective_withhold<'a>(eng: &'a Engine, p: &'a Proposal) -> Vec<Withheld<'a>> {
    let records = eng.case().records();
    let fallback = p
        .grounds
        .iter()
        .find(|c| {
            eng.rb
                .ground(c)
                .is_some_and(|g| matches!(g.kind, GroundKind::Withholding | GroundKind::NeverValid))
        })
        .map(String::as_str);
    records
        .iter()
        .filter_map(|r| match p.withhold.get(&r.id) {
            Some(codes) => Some((r, codes.iter().map(String::as_str).collect())),
            None if p.outcome == Outcome::Deny => Some((r, fallback.into_iter().collect())),
            None => None,
        })
        .collect()
}

fn withhold_findings(eng: &Engine, p: &Proposal, withheld: &[Withheld], out: &mut Out) {
    let records = eng.case().records();
    for id in p.withhold.keys() {
        if !records.iter().any(|r| r.id == *id) {
            out.add(
                "invalid-ground",
                format!(
                    "`{}` is not a record item of this case",
                    crate::text::sanitize_line(id)
                ),
                None,
            );
        }
    }
    // A denial that rests on "ask for more" (no authorization) needs no item ground.
    let asks = p.grounds.iter().any(|c| {
        eng.rb
            .ground(c)
            .is_some_and(|g| g.kind == GroundKind::RequestInformation && eng.holds(g, None))
    });
    let mut item_ok = Vec::new();
    for (rec, codes) in withheld {
        if codes.is_empty() {
            if !asks {
                out.add(
                    "invalid-ground",
                    format!("`{}` is withheld without a withholding ground", rec.id),
                    Some("45 CFR 164.524(a), (d)(1)"),
                );
            }
            item_ok.push(asks);
            continue;
        }
        // Every ground given is judged: a wrong reason beside a right one is still cited.
        let mut ok = false;
        for code in codes {
            ok |= match eng.rb.ground(code) {
                None => {
                    out.add("invalid-ground", unknown_code(eng, code), None);
                    false
                }
                Some(g) if !matches!(g.kind, GroundKind::Withholding | GroundKind::NeverValid) => {
                    out.add(
                        "invalid-ground",
                        format!(
                            "`{}` is a {} ground, not a ground to withhold `{}`",
                            g.code,
                            g.kind.as_str().replace('_', " "),
                            rec.id
                        ),
                        Some(&g.citation),
                    );
                    false
                }
                Some(g) if !eng.holds(g, Some(rec)) => {
                    let what = if g.kind == GroundKind::NeverValid {
                        format!("is never a valid ground to withhold `{}`", rec.id)
                    } else {
                        format!("does not apply to `{}`", rec.id)
                    };
                    invalid(out, g, what);
                    false
                }
                Some(_) => true,
            };
        }
        item_ok.push(ok);
    }
    // 164.524(d)(1): everything withheld although only some items have a ground.
    let all = eng.own_access() && !records.is_empty() && withheld.len() == records.len();
    let with_ground: Vec<&str> = records
        .iter()
        .filter(|r| !eng.withholding_for(r).is_empty())
        .map(|r| r.id.as_str())
        .collect();
    if all && !asks && !with_ground.is_empty() && with_ground.len() < records.len() {
        let rest: Vec<&str> = records
            .iter()
            .filter(|r| !with_ground.contains(&r.id.as_str()))
            .map(|r| r.id.as_str())
            .collect();
        out.add(
            "whole-record-denial",
            format!(
                "every item is withheld, but only {} has a ground; give access to {}",
                with_ground.join(", "),
                rest.join(", ")
            ),
            None,
        );
    }
}

fn harm_and_review(
    eng: &Engine,
    p: &Proposal,
    withheld: &[Withheld],
    reviewer: &ReviewerFacts,
    out: &mut Out,
) {
    let case = eng.case();
    let he = &case.harm_evaluation;
    let used: Vec<&str> = p
        .grounds
        .iter()
        .map(String::as_str)
        .chain(withheld.iter().flat_map(|(_, c)| c.iter().copied()))
        .collect();
    // No determination by a licensed professional: the evaluation is pending, or its
    // assessor is not licensed (in this world, for an unknown licence).
    let lacking = match he {
        HarmEvaluation::Pending(p) => Some(format!(
            "the evaluation of harm is pending (assigned to {}): no determination exists yet",
            crate::text::sanitize_line(&p.assigned_to)
        )),
        HarmEvaluation::Done(e)
            if !e
                .assessed_by
                .licensed
                .under(&eng.view.assumed, Slot::case("harm.licensed")) =>
        {
            Some(format!(
                "the harm evaluation is by {} ({}), not licensed",
                crate::text::sanitize_line(&e.assessed_by.name),
                crate::text::sanitize_line(&e.assessed_by.credential)
            ))
        }
        HarmEvaluation::Done(_) => None,
    };
    if let Some(why) = lacking
        && let Some(g) = used
            .iter()
            .filter_map(|c| eng.rb.ground(c))
            .find(|g| g.reviewable())
    {
        out.add(
            "harm-not-licensed",
            format!(
                "`{}` needs a licensed health care professional's determination; {why}",
                g.code,
            ),
            Some(&g.citation),
        );
    }
    for p in super::review::problems(case, reviewer) {
        out.add(p.code, p.message, Some(p.citation));
    }
}

fn notice_findings(
    eng: &Engine,
    p: &Proposal,
    withheld: &[Withheld],
    reviewer: &ReviewerFacts,
    out: &mut Out,
) {
    if withheld.is_empty() || !matches!(p.outcome, Outcome::ReleasePartial | Outcome::Deny) {
        return;
    }
    let reviewable = withheld
        .iter()
        .flat_map(|(_, c)| c.iter().filter_map(|c| eng.rb.ground(c)))
        .any(|g| g.reviewable() && eng.case().records().iter().any(|r| eng.holds(g, Some(r))));
    let mut missing = Vec::new();
    match p.notice {
        Some(n) => {
            if !n.basis {
                missing.push("the basis for the denial (164.524(d)(2)(i))");
            }
            if reviewable && !n.review_rights {
                missing.push("the review rights and how to use them, since the ground is reviewable (164.524(d)(2)(ii))");
            }
            if !n.complaint_routes {
                missing.push("how to complain to the entity and to HHS, with the contact's title and telephone (164.524(d)(2)(iii))");
            }
        }
        None if reviewer.privacy_contact_missing => {
            missing.push("the complaint contact: casebench.yaml names no privacy contact (title, telephone) for the notice (164.524(d)(2)(iii))");
        }
        None => {}
    }
    let _ = eng;
    if !missing.is_empty() {
        out.add(
            "notice-incomplete",
            format!("the written denial lacks {}", missing.join("; ")),
            None,
        );
    }
}
