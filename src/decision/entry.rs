//! The accounting-of-disclosures entry of an accountable decision, built from what the
//! case already says (issue 22, section 2; 45 CFR 164.528(b)(2)):
//!
//! - the recipient and address: the requester (a concern: the recipient it names), and
//!   the requester's address, else the delivery address ("address not known" when the
//!   case gives neither: 164.528(b)(2)(ii) asks for it "if known");
//! - the description: the released items, by their descriptions (a concern: what it is
//!   about);
//! - the purpose and basis: the instrument (its type, date and scope) and the accounted
//!   grounds with their citations, from the rulebook.
//!
//! Whether a decision is accountable is the rulebook's answer
//! ([`Rulebook::discloses_under_512`]); the date is the signing day, set when the record
//! is made ([`super::proposal::Proposal::unsigned`]).

use serde::Serialize;

use crate::case::{Case, Outcome};
use crate::record::model::{Action, RecordAction};
use crate::rules::{self, Rulebook};

/// One accounting entry as a proposal holds it: the record dates it at signing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub recipient: String,
    pub address: String,
    pub description: String,
    pub purpose: String,
}

impl Entry {
    /// Whether every part is filled in (the accounting needs all four).
    pub fn is_complete(&self) -> bool {
        [
            &self.recipient,
            &self.address,
            &self.description,
            &self.purpose,
        ]
        .iter()
        .all(|s| !s.trim().is_empty())
    }

    /// The parts in the order the command line and the form take them.
    pub fn parts(&self) -> [String; 4] {
        [
            self.recipient.clone(),
            self.address.clone(),
            self.description.clone(),
            self.purpose.clone(),
        ]
    }
}

/// What the accounting calls an address the case does not give.
pub const ADDRESS_NOT_KNOWN: &str = "address not known";

/// Whether `judged` is a disclosure the accounting must list (the rulebook's answer).
pub fn accountable(rb: &Rulebook, judged: &rules::Proposal) -> bool {
    rb.discloses_under_512(judged.outcome, &judged.grounds)
}

/// The entry `case` gives for `judged`, with `actions` the record's per-item actions (the
/// released items are described); `None` when the decision is not accountable.
pub fn from_case(
    case: &Case,
    rb: &Rulebook,
    judged: &rules::Proposal,
    actions: &[RecordAction],
) -> Option<Entry> {
    if !accountable(rb, judged) {
        return None;
    }
    let request = case.request.as_ref();
    let concern = case.concern.as_ref();
    let recipient = match (request, concern.and_then(|c| c.recipient)) {
        (Some(r), _) => r.requester.name.trim().to_string(),
        (None, Some(to)) => words(to),
        (None, None) => match judged.outcome {
            Outcome::Report => "the agency the report is made to".into(),
            _ => "the person warned or protected".into(),
        },
    };
    let address = request
        .and_then(|r| {
            r.requester
                .address
                .as_deref()
                .or(r.delivery.as_ref().and_then(|d| d.address.as_deref()))
        })
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .unwrap_or(ADDRESS_NOT_KNOWN)
        .to_string();
    let description = match request {
        Some(r) => {
            let released: Vec<&str> = r
                .records
                .iter()
                .filter(|item| {
                    actions
                        .iter()
                        .any(|a| a.id == item.id && a.action == Action::Release)
                })
                .map(|item| item.description.trim())
                .collect();
            if released.is_empty() {
                "the information the decision discloses".into()
            } else {
                released.join("; ")
            }
        }
        None => match concern {
            Some(c) => format!("information needed for the {} concern", words(c.kind)),
            None => "the information the decision discloses".into(),
        },
    };
    let mut purpose = match request.map(|r| &r.instrument) {
        Some(i) => {
            let mut s = format!("in answer to a {}", words(i.kind));
            if let Some(d) = i.dated {
                s.push_str(&format!(" dated {d}"));
            }
            if let Some(scope) = i.scope.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                s.push_str(&format!(" (\"{scope}\")"));
            }
            s
        }
        None => match concern {
            Some(c) => format!("{} ({})", judged.outcome, words(c.kind)),
            None => judged.outcome.to_string(),
        },
    };
    let bases: Vec<String> = judged
        .grounds
        .iter()
        .filter(|g| rb.accounted(g))
        .filter_map(|g| rb.ground(g))
        .map(|g| format!("{}, {}", g.code, g.citation))
        .collect();
    if !bases.is_empty() {
        purpose.push_str(&format!("; basis: {}", bases.join("; ")));
    }
    Some(Entry {
        recipient,
        address,
        description,
        purpose: capitalised(&purpose),
    })
}

/// A snake_case value as words ("court_order" -> "court order").
fn words<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(id: &str) -> Case {
        let path = format!("{}/cases/{id}.yaml", env!("CARGO_MANIFEST_DIR"));
        crate::yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn judged(outcome: Outcome, grounds: &[&str]) -> rules::Proposal {
        rules::Proposal {
            outcome,
            grounds: grounds.iter().map(|g| g.to_string()).collect(),
            withhold: Default::default(),
            notice: None,
        }
    }

    fn release(ids: &[&str]) -> Vec<RecordAction> {
        ids.iter()
            .map(|id| RecordAction {
                id: id.to_string(),
                action: Action::Release,
                grounds: vec![],
            })
            .collect()
    }

    #[test]
    fn a_court_ordered_release_is_entered_from_the_requester_items_and_order() {
        let case = sample("AR-2026-0127");
        let rb = Rulebook::builtin();
        let j = judged(Outcome::ReleasePartial, &["court-order"]);
        let e = from_case(&case, rb, &j, &release(&["discharge_summary", "mar"])).unwrap();
        assert!(e.recipient.starts_with("L. Okafor-Benn"));
        assert_eq!(e.address, ADDRESS_NOT_KNOWN);
        assert!(e.description.starts_with("Discharge summary"));
        assert!(e.description.contains("; Medication administration record"));
        assert!(!e.description.contains("Outpatient"));
        assert!(
            e.purpose
                .starts_with("In answer to a court order dated 2026-10-29")
        );
        assert!(
            e.purpose
                .contains("basis: court-order, 45 CFR 164.512(e)(1)(i)")
        );
        assert!(e.is_complete());
    }

    #[test]
    fn the_patient_s_own_access_has_no_entry() {
        let case = sample("AR-2026-0101");
        let j = judged(Outcome::ReleaseFull, &["right-of-access"]);
        assert_eq!(from_case(&case, Rulebook::builtin(), &j, &[]), None);
        let j = judged(Outcome::Deny, &["court-order"]);
        assert_eq!(from_case(&case, Rulebook::builtin(), &j, &[]), None);
    }

    #[test]
    fn a_warning_is_entered_from_the_concern() {
        let case = sample("DC-2026-0007");
        let j = judged(Outcome::WarnAndProtect, &["serious-threat"]);
        let e = from_case(&case, Rulebook::builtin(), &j, &[]).unwrap();
        assert!(e.is_complete(), "{e:?}");
        assert!(e.description.contains("concern"), "{e:?}");
    }
}
