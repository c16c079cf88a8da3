//! The one typed proposal: a decision as the reviewer states it, built once (from the
//! decision form's draft, from the command line, or from a trainee's proposal being
//! countersigned), judged by the advisor by reference ([`Proposal::judged`] is the
//! rules' own view, not a copy made from text), and turned into the unsigned record by
//! one function ([`Proposal::unsigned`]).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::draft::Draft;
use super::entry::{self, Entry};
use crate::case::{Case, CaseKind, ConcernKind, Outcome};
use crate::record::Unsigned;
use crate::record::model::{
    Action, DeadlineInfo, Disclosure, Notice, OverriddenFinding, Record, RecordAction, RecordType,
};
use crate::rules::{self, Rulebook};
use crate::text::sanitize_line;

/// A proposed decision, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub kind: RecordType,
    /// What the advisor judges: the outcome, the decision's grounds, each withheld item
    /// with every ground it is withheld on, and the notice (filled in by
    /// [`Proposal::with_notice`]).
    pub judged: rules::Proposal,
    /// The accounting-of-disclosures entries as stated (`--disclosure`, the form's rows):
    /// `None` takes the entry the case gives ([`entry::from_case`]) when the decision is
    /// accountable. The record dates them by the signing day.
    pub disclosures: Option<Vec<Entry>>,
    pub rationale: String,
    /// Advisor findings the reviewer overrides, each with its justification.
    pub overrides: Vec<OverriddenFinding>,
}

/// Ground codes typed as "a, b c".
pub fn codes(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// `(item, ground)` pairs as given (the command line's `--withhold`, the form's items)
/// as the map the rules judge: each item with its grounds in the order given, each once.
pub fn withhold_map<I, S>(pairs: I) -> BTreeMap<String, Vec<String>>
where
    I: IntoIterator<Item = (S, S)>,
    S: Into<String>,
{
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (item, ground) in pairs {
        let grounds = map.entry(item.into()).or_default();
        let ground = ground.into();
        if !grounds.contains(&ground) {
            grounds.push(ground);
        }
    }
    map
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl Proposal {
    /// The form's draft `d` as a `kind` proposal (no disclosure rows: the entry the case
    /// gives, when the decision is accountable). `Err` until
    /// an outcome is chosen. The per-item actions follow the outcome: the form's withhold
    /// toggles count for a partial release and a denial (an item withheld on every ground
    /// code typed for it; a denial withholds the others on the decision's grounds), and
    /// are set aside for every other outcome (a full release releases every item).
    /// Overrides without a code are left out (an empty row of the form).
    pub fn from_draft(d: &Draft, kind: RecordType) -> Result<Proposal, String> {
        let outcome = d.outcome.ok_or("choose an outcome first")?;
        let toggles_count = matches!(outcome, Outcome::ReleasePartial | Outcome::Deny);
        let withhold = withhold_map(
            d.records
                .iter()
                .filter(|r| toggles_count && r.withhold)
                .flat_map(|r| {
                    let typed = codes(&r.grounds);
                    // An item toggled without a code is still withheld (the advisor then
                    // says it has no ground).
                    let typed = if typed.is_empty() {
                        vec![String::new()]
                    } else {
                        typed
                    };
                    typed.into_iter().map(|g| (r.id.clone(), g))
                }),
        );
        let withhold = withhold
            .into_iter()
            .map(|(id, gs)| (id, gs.into_iter().filter(|g| !g.is_empty()).collect()))
            .collect();
        Ok(Proposal {
            kind,
            judged: rules::Proposal {
                outcome,
                grounds: codes(&d.grounds),
                withhold,
                notice: None,
            },
            disclosures: (!d.disclosures.is_empty()).then(|| {
                d.disclosures
                    .iter()
                    .map(|x| Entry {
                        recipient: x.recipient.trim().to_string(),
                        address: x.address.trim().to_string(),
                        description: x.description.trim().to_string(),
                        purpose: x.purpose.trim().to_string(),
                    })
                    .collect()
            }),
            rationale: d.rationale.clone(),
            overrides: d
                .overrides
                .iter()
                .filter(|o| !o.code.trim().is_empty())
                .map(|o| OverriddenFinding {
                    code: o.code.trim().to_string(),
                    justification: o.justification.trim().to_string(),
                })
                .collect(),
        })
    }

    /// A signed record's decision as a `kind` proposal (a trainee's proposal that a
    /// supervisor countersigns as it stands): its outcome, grounds, withheld items and
    /// disclosures (none: the entry the case gives), with the countersigner's rationale
    /// and overrides.
    pub fn from_record(
        rec: &Record,
        kind: RecordType,
        rationale: &str,
        overrides: Vec<OverriddenFinding>,
    ) -> Result<Proposal, String> {
        let outcome = Outcome::parse(&rec.outcome).ok_or_else(|| {
            format!(
                "record {} has an outcome casebench does not know (`{}`)",
                rec.seq,
                sanitize_line(&rec.outcome)
            )
        })?;
        let withhold = rec
            .records
            .iter()
            .filter(|r| r.action == Action::Withhold)
            .map(|r| (r.id.clone(), r.grounds.clone()))
            .collect();
        Ok(Proposal {
            kind,
            judged: rules::Proposal {
                outcome,
                grounds: rec.grounds.clone(),
                withhold,
                notice: None,
            },
            disclosures: (!rec.disclosures.is_empty()).then(|| {
                rec.disclosures
                    .iter()
                    .map(|d| Entry {
                        recipient: d.recipient.clone(),
                        address: d.address.clone(),
                        description: d.description.clone(),
                        purpose: d.purpose.clone(),
                    })
                    .collect()
            }),
            rationale: rationale.to_string(),
            overrides,
        })
    }

    /// The same proposal with the notice casebench writes for it (the rulebook says
    /// which grounds carry review rights; `contact`: casebench.yaml names the privacy
    /// contact, so the notice can give the complaint routes).
    pub fn with_notice(mut self, rb: &Rulebook, contact: bool) -> Proposal {
        self.judged.notice = rules::generated_notice(rb, &self.judged, contact);
        self
    }

    /// The record this proposal becomes, unsigned, for `reviewer`: its per-item actions,
    /// the notice, the deadline as of `days.deadline` (the one every surface shows,
    /// [`rules::deadline::for_case`] under `rb`), and its accounting entries dated
    /// `days.signing` (signing also asks [`Proposal::accounting_problem`]). Errors are
    /// usage errors, worded for the person who stated the proposal.
    pub fn unsigned(
        &self,
        case: &Case,
        rb: &Rulebook,
        reviewer: &str,
        contact: bool,
        days: Days,
    ) -> Result<Unsigned, String> {
        let p = &self.judged;
        for g in p.grounds.iter().chain(p.withhold.values().flatten()) {
            if !is_code(g) {
                return Err(format!("`{}` is not a ground code", sanitize_line(g)));
            }
        }
        for o in &self.overrides {
            if !is_code(&o.code) {
                return Err(format!(
                    "`{}` is not a finding code",
                    sanitize_line(&o.code)
                ));
            }
            if o.justification.trim().is_empty() {
                return Err(format!("override of `{}` needs a justification", o.code));
            }
        }
        if self.rationale.trim().is_empty() {
            return Err("the rationale must not be empty".into());
        }
        let records = self.record_actions(case)?;
        let notice = rules::generated_notice(rb, p, contact)
            .map(|n| Notice {
                basis: n.basis,
                review_rights: n.review_rights,
                complaint_routes: n.complaint_routes,
            })
            .unwrap_or_default();
        let disclosures = self.entries(case, rb, &records);
        let dl = rules::deadline::for_case(case, rb, days.deadline);
        Ok(Unsigned {
            kind: self.kind,
            reviewer: reviewer.to_string(),
            outcome: p.outcome.as_str().to_string(),
            grounds: dedup(p.grounds.clone()),
            records,
            disclosures: disclosures
                .into_iter()
                .map(|e| Disclosure {
                    date: days.signing,
                    recipient: e.recipient,
                    address: e.address,
                    description: e.description,
                    purpose: e.purpose,
                })
                .collect(),
            notice,
            deadline: DeadlineInfo {
                due: dl.due,
                decided_on_time: dl.met_on(days.deadline),
            },
            provision: None,
            fees: Vec::new(),
            findings_overridden: self.overrides.clone(),
            rationale: self.rationale.clone(),
        })
    }

    /// The accounting entries the record carries: as stated, or the one the case gives
    /// (none when the decision is not accountable).
    pub fn entries(&self, case: &Case, rb: &Rulebook, actions: &[RecordAction]) -> Vec<Entry> {
        match &self.disclosures {
            Some(v) => v.clone(),
            None => entry::from_case(case, rb, &self.judged, actions)
                .into_iter()
                .collect(),
        }
    }

    /// Why the record `unsigned` (this proposal's, [`Proposal::unsigned`]) cannot be
    /// signed for want of its accounting: an accountable decision (the rulebook's
    /// `accounting: included` grounds, a warning, a report) without an entry, or an entry
    /// without all four parts (45 CFR 164.528(b)(2)). Signing refuses it, no override
    /// lifts it; the preview shows the record and says why.
    pub fn accounting_problem(&self, rb: &Rulebook, unsigned: &Unsigned) -> Option<String> {
        let parts = |d: &Disclosure| {
            [&d.recipient, &d.address, &d.description, &d.purpose]
                .iter()
                .all(|s| !s.trim().is_empty())
        };
        if let Some(i) = unsigned.disclosures.iter().position(|d| !parts(d)) {
            return Some(format!(
                "disclosure {}: the accounting needs all four parts (recipient, address, \
                 description, purpose); write \"{}\" when the address is not known",
                i + 1,
                entry::ADDRESS_NOT_KNOWN
            ));
        }
        (unsigned.disclosures.is_empty() && entry::accountable(rb, &self.judged)).then(|| {
            format!(
                "`{}` on {} is an accountable disclosure (45 CFR 164.528): the record needs \
                 its accounting entry (recipient and address, description, purpose); leave \
                 out --disclosure to take the one built from the case, or give it with \
                 --disclosure RECIPIENT|ADDRESS|DESCRIPTION|PURPOSE",
                self.judged.outcome,
                if self.judged.grounds.is_empty() {
                    "these grounds".to_string()
                } else {
                    self.judged.grounds.join(", ")
                }
            )
        })
    }

    /// Items not withheld are released when the outcome releases; for `deny` every item
    /// is withheld (on its own grounds, or the decision's).
    fn record_actions(&self, case: &Case) -> Result<Vec<RecordAction>, String> {
        let p = &self.judged;
        let items = case
            .request
            .as_ref()
            .map(|r| r.records.as_slice())
            .unwrap_or(&[]);
        for id in p.withhold.keys() {
            if !items.iter().any(|i| &i.id == id) {
                let known: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                return Err(format!(
                    "case {} has no record item `{}` to withhold (items: {})",
                    case.id,
                    sanitize_line(id),
                    if known.is_empty() {
                        "none".into()
                    } else {
                        known.join(", ")
                    }
                ));
            }
        }
        let releases = matches!(p.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial);
        let deny = p.outcome == Outcome::Deny;
        if !releases && !deny {
            if !p.withhold.is_empty() {
                return Err(format!("outcome `{}` withholds no record item", p.outcome));
            }
            return Ok(Vec::new());
        }
        if p.outcome == Outcome::ReleaseFull && !p.withhold.is_empty() {
            return Err("release_full withholds nothing; use release_partial".into());
        }
        let mut out = Vec::new();
        for item in items {
            let action = match p.withhold.get(&item.id) {
                Some(own) if !own.is_empty() => RecordAction {
                    id: item.id.clone(),
                    action: Action::Withhold,
                    grounds: own.clone(),
                },
                Some(_) if !deny => {
                    return Err(format!(
                        "`{}` is withheld without a ground: give the ground it is withheld on",
                        item.id
                    ));
                }
                _ if deny => {
                    if p.grounds.is_empty() {
                        return Err(format!(
                            "{}: give the ground `{}` is withheld on (for the item, or for the whole decision)",
                            p.outcome, item.id
                        ));
                    }
                    RecordAction {
                        id: item.id.clone(),
                        action: Action::Withhold,
                        grounds: dedup(p.grounds.clone()),
                    }
                }
                _ => RecordAction {
                    id: item.id.clone(),
                    action: Action::Release,
                    grounds: Vec::new(),
                },
            };
            out.push(action);
        }
        if p.outcome == Outcome::ReleasePartial {
            let withheld = out.iter().filter(|r| r.action == Action::Withhold).count();
            if withheld == 0 || withheld == out.len() {
                return Err(
                    "release_partial releases some items and withholds others: withhold at least one item, not all"
                        .into(),
                );
            }
        }
        Ok(out)
    }
}

/// The days a record is made on: deadlines are computed as of `deadline`
/// ([`crate::clock::Clock::deadline_day`]); the record's own dates (its accounting
/// entries) are `signing` ([`crate::clock::Clock::signing_day`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Days {
    pub deadline: NaiveDate,
    pub signing: NaiveDate,
}

impl Days {
    /// The days of `clock` now.
    pub fn of(clock: &crate::clock::Clock) -> Days {
        Days {
            deadline: clock.deadline_day(),
            signing: clock.signing_day(),
        }
    }

    /// One day for both (tests, and records replayed on a known day).
    pub fn same(day: NaiveDate) -> Days {
        Days {
            deadline: day,
            signing: day,
        }
    }
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
    v
}

/// The outcomes that fit `case`: an access request is released, partly released, denied,
/// answered with a request for information, or kept confidential (a third party's
/// request); warning or reporting only where the case holds a concern. A disclosure
/// concern is warned about, reported, kept confidential, or answered with a request for
/// information; a court order or a law-enforcement request may also be complied with
/// (`release_full`).
pub fn outcomes_for(case: &Case) -> Vec<Outcome> {
    use Outcome::*;
    let concern = case.concern.as_ref();
    let wanted: Vec<Outcome> = match case.kind {
        CaseKind::AccessRequest => {
            let mut v = vec![
                ReleaseFull,
                ReleasePartial,
                Deny,
                RequestInformation,
                MaintainConfidentiality,
            ];
            if concern.is_some() {
                v.extend([WarnAndProtect, Report]);
            }
            v
        }
        CaseKind::DisclosureConcern => {
            let mut v = vec![
                WarnAndProtect,
                Report,
                MaintainConfidentiality,
                RequestInformation,
            ];
            if concern.is_some_and(|c| {
                matches!(
                    c.kind,
                    ConcernKind::CourtOrder | ConcernKind::LawEnforcementRequest
                )
            }) {
                v.push(ReleaseFull);
            }
            v
        }
    };
    // In the order of DESIGN.md section 3.
    Outcome::ALL
        .into_iter()
        .filter(|o| wanted.contains(o))
        .collect()
}

#[cfg(test)]
mod tests;
