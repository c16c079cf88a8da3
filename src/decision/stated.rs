//! The reviewer's decision as the workbench's form states it (a saved draft), turned into
//! the proposal the record is built from, and the outcomes the form offers for a case.

use chrono::NaiveDate;

use crate::case::{Case, CaseKind, ConcernKind, Outcome};
use crate::decision::draft::Draft;
use crate::record::model::{Disclosure, OverriddenFinding, RecordType};
use crate::record::proposal::Proposal;

/// A stated decision: the proposal and the overrides of advisor findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stated {
    pub proposal: Proposal,
    pub overrides: Vec<OverriddenFinding>,
}

/// Ground codes typed as "a, b c".
pub fn codes(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .filter(|g| !g.is_empty())
        .map(str::to_string)
        .collect()
}

/// The draft `d` as a `kind` record's proposal, disclosures dated `today`. `Err` until
/// an outcome is chosen. The per-item actions follow the outcome: the form's withhold
/// toggles count for a partial release and a denial (an item withheld on its first ground
/// code; a denial withholds the others on the decision's grounds), and are set aside for
/// every other outcome (a full release releases every item). Overrides without a code are
/// left out (an empty row of the form).
pub fn from_draft(d: &Draft, kind: RecordType, today: NaiveDate) -> Result<Stated, String> {
    let outcome = d.outcome.ok_or("choose an outcome first")?;
    let toggles_count = matches!(outcome, Outcome::ReleasePartial | Outcome::Deny);
    let proposal = Proposal {
        kind: Some(kind),
        outcome: outcome.as_str().to_string(),
        grounds: codes(&d.grounds),
        withhold: d
            .records
            .iter()
            .filter(|r| toggles_count && r.withhold)
            .map(|r| {
                let ground = codes(&r.grounds).into_iter().next().unwrap_or_default();
                (r.id.clone(), ground)
            })
            .collect(),
        disclosures: d
            .disclosures
            .iter()
            .map(|x| Disclosure {
                date: today,
                recipient: x.recipient.trim().to_string(),
                address: x.address.trim().to_string(),
                description: x.description.trim().to_string(),
                purpose: x.purpose.trim().to_string(),
            })
            .collect(),
        rationale: d.rationale.clone(),
    };
    let overrides = d
        .overrides
        .iter()
        .filter(|o| !o.code.trim().is_empty())
        .map(|o| OverriddenFinding {
            code: o.code.trim().to_string(),
            justification: o.justification.trim().to_string(),
        })
        .collect();
    Ok(Stated {
        proposal,
        overrides,
    })
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
mod tests {
    use super::*;
    use crate::decision::draft::DraftRecord;

    fn draft(outcome: Outcome) -> Draft {
        Draft {
            case: "X".into(),
            outcome: Some(outcome),
            records: vec![
                DraftRecord {
                    id: "a".into(),
                    withhold: true,
                    grounds: "psychotherapy-notes, other".into(),
                },
                DraftRecord {
                    id: "b".into(),
                    withhold: false,
                    grounds: String::new(),
                },
            ],
            ..Draft::default()
        }
    }

    #[test]
    fn the_items_withheld_follow_the_outcome() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        let w = |o| {
            from_draft(&draft(o), RecordType::Decision, day)
                .map(|s| s.proposal.withhold)
                .unwrap_or_default()
        };
        let a = vec![("a".to_string(), "psychotherapy-notes".to_string())];
        assert_eq!(w(Outcome::ReleasePartial), a);
        assert_eq!(w(Outcome::Deny), a);
        assert!(w(Outcome::ReleaseFull).is_empty());
        assert!(w(Outcome::RequestInformation).is_empty());
        assert!(from_draft(&Draft::default(), RecordType::Decision, day).is_err());
    }
}
