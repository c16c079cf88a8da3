//! The engine: from a case's facts, the valid grounds per record item, the recommended
//! decision, the required actions, the notice elements and the deadline. Pure: no I/O.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Rulebook;
use super::facts::{FactView, Related};
use super::findings::{self, Finding, Proposal, ReviewerFacts};
use super::model::{GroundKind, GroundRule, Review};
use super::overlay::StateOverlay;
use super::unknowns::{MAX_COMBINED, UnknownFact, unknown_facts};
use crate::case::model::{Assumed, Case, CaseKind, ConcernKind, Outcome, RecordItem};
use crate::rules::deadline::{self, Deadline};
use std::sync::{Arc, OnceLock};

/// A ground as shown to the reviewer: code, citation, review right, what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroundRef {
    pub code: String,
    pub kind: &'static str,
    pub citation: String,
    pub reviewable: bool,
    pub describe: String,
}

impl GroundRef {
    pub fn of(g: &GroundRule) -> GroundRef {
        GroundRef {
            code: g.code.clone(),
            kind: g.kind.as_str(),
            citation: g.citation.clone(),
            reviewable: g.review == Review::Reviewable,
            describe: g.describe.clone(),
        }
    }
}

/// The withholding grounds valid for one record item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordGrounds {
    pub record: String,
    pub category: String,
    pub valid: Vec<GroundRef>,
    /// The ground the advisor would withhold it on; `None`: release it.
    pub recommended: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommended {
    pub outcome: Outcome,
    pub grounds: Vec<String>,
    pub withhold: BTreeMap<String, String>,
}

impl Recommended {
    /// The recommendation as a proposal (with casebench's generated notice).
    pub fn to_proposal(&self) -> Proposal {
        Proposal {
            outcome: self.outcome,
            grounds: self.grounds.clone(),
            withhold: self
                .withhold
                .iter()
                .map(|(item, ground)| (item.clone(), vec![ground.clone()]))
                .collect(),
            notice: None,
        }
    }
}

/// Something the reviewer must do, with its citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub code: String,
    pub text: String,
    pub citation: String,
}

/// An element the written notice (denial letter) must carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeElement {
    pub code: String,
    pub text: String,
    pub citation: String,
}

/// The advisor's deadline is the case's one deadline ([`deadline::for_case`]).
pub type DeadlineInfo = Deadline;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateInfo {
    pub code: String,
    pub name: String,
    pub checked: bool,
    pub duty_to_warn: &'static str,
    pub warn_recipients: Vec<&'static str>,
    pub citation: Option<String>,
    /// Who may see the records under the state's own law (RULEBOOK R36).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_who: Option<String>,
}

/// Everything the advisor says about a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Advice {
    pub case: String,
    pub kind: &'static str,
    pub rulebook: String,
    pub state: StateInfo,
    pub deadline: DeadlineInfo,
    pub recommended: Recommended,
    /// Case-level grounds that hold (disclosure bases, requests for information).
    pub bases: Vec<GroundRef>,
    pub records: Vec<RecordGrounds>,
    pub required_actions: Vec<Action>,
    pub notice: Vec<NoticeElement>,
    /// Findings on the recommendation (or on the proposal, when `advise` is given one).
    pub findings: Vec<Finding>,
}

/// The engine's view of one case under one rulebook.
///
/// A case with unknown facts (`rules::unknowns`) is looked at in every combination of
/// their answers, each a "world" (an engine whose view assumes some of them "yes"). The
/// engine made by [`Engine::new`] is the root: its recommendation holds in every world,
/// or it asks (`facts-unknown`); its findings are those that hold whatever the answers,
/// plus `decided-on-unknown` where a decision is right for one answer only.
pub struct Engine<'a> {
    pub rb: &'a Rulebook,
    pub view: FactView<'a>,
    pub state: &'a StateOverlay,
    /// The unknown facts of the case, shared by every world.
    pub unknowns: Arc<Vec<UnknownFact>>,
    /// This engine is one world (its unknowns fixed), not the root.
    world: bool,
    /// The recommendation of each world, by mask, computed once (root only).
    world_recs: OnceLock<Vec<Recommended>>,
}

/// The ground the engine recommends while facts it turns on are unknown.
pub const FACTS_UNKNOWN: &str = "facts-unknown";

impl<'a> Engine<'a> {
    pub fn new(
        rb: &'a Rulebook,
        case: &'a Case,
        state: &'a StateOverlay,
        related: Related,
    ) -> Self {
        Engine {
            rb,
            view: FactView {
                case,
                state,
                related,
                assumed: Assumed::none(),
            },
            state,
            unknowns: Arc::new(unknown_facts(case)),
            world: false,
            world_recs: OnceLock::new(),
        }
    }

    /// The world of `self`'s case where the unknowns whose bits are set in `mask` are
    /// "yes" (for a pending evaluation: the gravest harm) and the others "no".
    pub fn in_world(&self, mask: u32) -> Engine<'a> {
        Engine {
            rb: self.rb,
            view: FactView {
                case: self.view.case,
                state: self.view.state,
                related: self.view.related,
                assumed: super::unknowns::assumed(&self.unknowns, mask),
            },
            state: self.state,
            unknowns: Arc::clone(&self.unknowns),
            world: true,
            world_recs: OnceLock::new(),
        }
    }

    /// Whether this engine looks at the case in every world (the root, with unknowns
    /// few enough to combine).
    pub fn combines_worlds(&self) -> bool {
        !self.world && !self.unknowns.is_empty() && self.unknowns.len() <= MAX_COMBINED
    }

    /// How many worlds there are: 2^(unknowns), at most 2^MAX_COMBINED.
    pub fn world_count(&self) -> u32 {
        1 << self.unknowns.len().min(MAX_COMBINED)
    }

    /// The recommendation in each world, by mask (root only; one entry otherwise).
    pub fn world_recommendations(&self) -> &[Recommended] {
        self.world_recs.get_or_init(|| {
            if self.combines_worlds() {
                (0..self.world_count())
                    .map(|m| self.in_world(m).recommend_here())
                    .collect()
            } else {
                vec![self.recommend_here()]
            }
        })
    }

    /// The unknowns whose answer changes the recommendation, each with the
    /// recommendation if it is "yes" and if "no" (the other unknowns "no").
    pub fn open_questions(&self) -> Vec<(&UnknownFact, Recommended, Recommended)> {
        if !self.world && self.unknowns.len() > MAX_COMBINED {
            let rec = self.recommend_here();
            return self
                .unknowns
                .iter()
                .map(|u| (u, rec.clone(), rec.clone()))
                .collect();
        }
        if !self.combines_worlds() {
            return Vec::new();
        }
        let recs = self.world_recommendations();
        self.unknowns
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                (0..self.world_count()).any(|m| recs[m as usize] != recs[(m ^ (1 << i)) as usize])
            })
            .map(|(i, u)| (u, recs[1 << i].clone(), recs[0].clone()))
            .collect()
    }

    pub fn case(&self) -> &'a Case {
        self.view.case
    }

    /// Does ground `g` hold, for item `rec` (or the case as a whole)?
    pub fn holds(&self, g: &GroundRule, rec: Option<&RecordItem>) -> bool {
        self.rb
            .cond(&g.code)
            .is_some_and(|c| self.view.holds(c, rec))
    }

    pub fn holds_code(&self, code: &str, rec: Option<&RecordItem>) -> bool {
        self.rb.ground(code).is_some_and(|g| self.holds(g, rec))
    }

    /// The withholding grounds valid for an item, in rulebook order.
    pub fn withholding_for(&self, rec: &RecordItem) -> Vec<&'a GroundRule> {
        self.rb
            .grounds()
            .iter()
            .filter(|g| g.kind == GroundKind::Withholding && self.holds(g, Some(rec)))
            .collect()
    }

    /// Case-level grounds (not withholding, not never-valid) that hold.
    pub fn case_grounds(&self) -> Vec<&'a GroundRule> {
        self.rb
            .grounds()
            .iter()
            .filter(|g| {
                matches!(
                    g.kind,
                    GroundKind::Disclosure | GroundKind::RequestInformation
                ) && self.holds(g, None)
            })
            .collect()
    }

    /// The patient's (or a representative's) own access request: where 164.524's
    /// deadline, partial-denial and notice rules apply.
    pub fn own_access(&self) -> bool {
        self.case().kind == CaseKind::AccessRequest
            && self.view.get("requester.third_party", None)
                == Some(super::facts::Value::Bool(false))
    }

    /// The case's deadline: the one function every surface calls.
    pub fn deadline(&self, today: NaiveDate) -> Deadline {
        deadline::for_case(self.case(), self.rb, today)
    }

    /// The recommendation: the same in every world of the case's unknowns, or, where
    /// their answers lead to different decisions, `request_information` on
    /// `facts-unknown` (ask before deciding). An unknown never releases what a "no" would
    /// withhold, and never withholds what a "yes" would release.
    pub fn recommend(&self) -> Recommended {
        if self.world || self.unknowns.is_empty() {
            return self.recommend_here();
        }
        let recs = self.world_recommendations();
        if self.unknowns.len() <= MAX_COMBINED
            && let Some(common) = common_recommendation(recs)
        {
            return common;
        }
        Recommended {
            outcome: Outcome::RequestInformation,
            grounds: vec![FACTS_UNKNOWN.to_string()],
            withhold: BTreeMap::new(),
        }
    }

    /// The recommendation of this one world (its unknowns as assumed).
    fn recommend_here(&self) -> Recommended {
        match self.case().kind {
            CaseKind::AccessRequest => self.recommend_access(),
            CaseKind::DisclosureConcern => self.recommend_concern(),
        }
    }

    fn recommend_access(&self) -> Recommended {
        let ask = |code: &str| Recommended {
            outcome: Outcome::RequestInformation,
            grounds: vec![code.to_string()],
            withhold: BTreeMap::new(),
        };
        // Before anything is released: identity, a usable authorization, some authority.
        if let Some(g) = self.rb.grounds().iter().find(|g| {
            g.kind == GroundKind::RequestInformation && g.recommend && self.holds(g, None)
        }) {
            return ask(&g.code);
        }
        let basis = self
            .rb
            .grounds()
            .iter()
            .find(|g| g.kind == GroundKind::Disclosure && g.recommend && self.holds(g, None));
        let mut withhold = BTreeMap::new();
        let records = self.case().records();
        for rec in records {
            if let Some(g) = self.withholding_for(rec).into_iter().find(|g| g.recommend) {
                withhold.insert(rec.id.clone(), g.code.clone());
            }
        }
        if basis.is_none() && withhold.is_empty() {
            return ask("no-valid-authorization");
        }
        let outcome = if withhold.is_empty() {
            Outcome::ReleaseFull
        } else if withhold.len() == records.len() {
            Outcome::Deny
        } else {
            Outcome::ReleasePartial
        };
        let mut grounds = Vec::new();
        // The basis names what is released; a denial of everything releases nothing.
        if outcome != Outcome::Deny
            && let Some(b) = basis
        {
            grounds.push(b.code.clone());
        }
        for g in self.rb.grounds() {
            if withhold.values().any(|w| *w == g.code) {
                grounds.push(g.code.clone());
            }
        }
        Recommended {
            outcome,
            grounds,
            withhold,
        }
    }

    fn recommend_concern(&self) -> Recommended {
        let one = |outcome, grounds: Vec<&str>| Recommended {
            outcome,
            grounds: grounds.into_iter().map(String::from).collect(),
            withhold: BTreeMap::new(),
        };
        if self.holds_code("child-abuse-report", None) {
            return one(Outcome::Report, vec!["child-abuse-report"]);
        }
        if self.holds_code("adult-abuse-report", None) {
            return one(Outcome::Report, vec!["adult-abuse-report"]);
        }
        // A serious and imminent threat (164.512(j)), or a state's mandatory duty, which
        // may arise before the threat is imminent (a disclosure required by law); a
        // state's mandated report of the same danger (164.512(a), e.g. N.Y. MHL 9.46)
        // goes with either.
        let threat = self.holds_code("serious-threat", None);
        let duty = self.holds_code("state-duty-to-warn", None);
        let required = self.holds_code("required-by-law", None);
        if threat || duty {
            let mut grounds = Vec::new();
            if threat {
                grounds.push("serious-threat");
            }
            if duty {
                grounds.push("state-duty-to-warn");
            }
            if required {
                grounds.push("required-by-law");
            }
            let outcome = if self.state.victim_allowed() {
                Outcome::WarnAndProtect
            } else {
                Outcome::Report
            };
            return one(outcome, grounds);
        }
        if required {
            return one(Outcome::Report, vec!["required-by-law"]);
        }
        // Disclosures that need no request: each is made, as a release of the
        // information, where its ground holds (RULEBOOK R34).
        for code in ["medical-emergency", "treatment", "business-associate"] {
            if self.holds_code(code, None) {
                return one(Outcome::ReleaseFull, vec![code]);
            }
        }
        one(Outcome::MaintainConfidentiality, vec![])
    }

    pub fn state_info(&self) -> StateInfo {
        StateInfo {
            code: self.state.code.clone(),
            name: self.state.name.clone(),
            checked: self.state.checked,
            duty_to_warn: self.state.duty_category(),
            warn_recipients: self.state.recipients().iter().map(|r| r.as_str()).collect(),
            citation: self.state.duty_to_warn.as_ref().map(|d| d.citation.clone()),
            access_who: self
                .state
                .access_who
                .as_ref()
                .map(|w| format!("{} [{}]", w.describe, w.citation)),
        }
    }
}

/// The advisor's full answer for `case` as of `today`. `related` carries facts from other
/// cases of the directory (see [`Related::from_cases`]).
pub fn advise(rb: &Rulebook, case: &Case, related: Related, today: NaiveDate) -> Advice {
    advise_with(rb, case, related, None, &ReviewerFacts::default(), today)
}

/// As [`advise`], with the findings computed against `proposal` (the recommendation when
/// `None`) and what is known of the reviewer.
pub fn advise_with(
    rb: &Rulebook,
    case: &Case,
    related: Related,
    proposal: Option<&Proposal>,
    reviewer: &ReviewerFacts,
    today: NaiveDate,
) -> Advice {
    let state = rb.state(&case.jurisdiction);
    let eng = Engine::new(rb, case, &state, related);
    let recommended = eng.recommend();
    let dl = eng.deadline(today);
    let records = case
        .records()
        .iter()
        .map(|r| RecordGrounds {
            record: r.id.clone(),
            category: crate::rules::engine::snake(&r.category),
            valid: eng
                .withholding_for(r)
                .into_iter()
                .map(GroundRef::of)
                .collect(),
            recommended: recommended.withhold.get(&r.id).cloned(),
        })
        .collect();
    let bases = eng.case_grounds().into_iter().map(GroundRef::of).collect();
    let own = recommended.to_proposal();
    let findings = findings::check_engine(&eng, proposal.unwrap_or(&own), reviewer, today);
    Advice {
        case: case.id.clone(),
        kind: case.kind.as_str(),
        rulebook: rb.origin.clone(),
        state: eng.state_info(),
        required_actions: super::actions::required_actions(&eng, &recommended, &dl),
        notice: super::actions::notice_elements(&eng, &recommended),
        deadline: dl,
        recommended,
        bases,
        records,
        findings,
    }
}

/// The decision every world agrees on: the same outcome and the same items withheld on
/// the same grounds, resting on the grounds that hold in every world (a duty that holds
/// in some worlds only is a question, not a ground). `None` when they disagree, or when
/// no ground is common to a decision that needs one.
fn common_recommendation(recs: &[Recommended]) -> Option<Recommended> {
    let first = recs.first()?;
    if recs
        .iter()
        .any(|r| r.outcome != first.outcome || r.withhold != first.withhold)
    {
        return None;
    }
    let grounds: Vec<String> = first
        .grounds
        .iter()
        .filter(|g| recs.iter().all(|r| r.grounds.contains(g)))
        .cloned()
        .collect();
    if grounds.is_empty() && !first.grounds.is_empty() {
        return None;
    }
    Some(Recommended {
        outcome: first.outcome,
        grounds,
        withhold: first.withhold.clone(),
    })
}

pub(crate) use crate::case::model::snake;

/// What a threat disclosure cites (RULEBOOK R30): for a threat to others, the state's
/// duty-to-warn law (164.512(j) where the state has none); for a threat to the patient's
/// own life, 164.512(j)(1)(i) and the state's emergency-disclosure law where it limits who
/// may be told - never a duty-to-warn statute written for identifiable third parties.
pub(crate) fn threat_citation(case: &Case, state: &StateOverlay) -> String {
    const J: &str = "45 CFR 164.512(j)(1)(i)";
    if case.concern.as_ref().map(|c| c.kind) == Some(ConcernKind::ThreatToSelf) {
        return match &state.emergency_disclosure_citation {
            Some(c) => format!("{J}; {c}"),
            None => format!("{J}; state law on emergency disclosure"),
        };
    }
    state
        .duty_to_warn
        .as_ref()
        .map_or(J.to_string(), |d| d.citation.clone())
}

/// Is this concern one the law requires to be reported (child abuse everywhere; adult
/// abuse where the overlay says so; a state's mandated report whose ground holds)?
pub(crate) fn report_mandatory(eng: &Engine) -> bool {
    match eng.case().concern.as_ref().map(|c| c.kind) {
        Some(ConcernKind::ChildAbuse) => true,
        Some(ConcernKind::ElderAbuse | ConcernKind::VulnerableAdultAbuse) => {
            eng.state.adult_reporting() == "mandatory"
        }
        _ => eng.holds_code("required-by-law", None),
    }
}
