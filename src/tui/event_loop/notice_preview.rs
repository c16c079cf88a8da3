//! The decision form's preview of the written notice (45 CFR 164.524(d)(2)) that a
//! denial would send, built by the same code as `casebench notice`.

use std::path::Path;

use crate::rules::Rulebook;
use chrono::NaiveDate;

/// The denial notice the form's decision would send, as lines for the preview: built by
/// the same code as `casebench notice` (settings from `casebench.yaml`, grounds from the
/// rulebook) from the record's own per-item `actions` (a `deny` withholds every item,
/// whatever the form's withhold map says), dated `date` (the signing day: the notice goes
/// out with the decision). Empty when the decision denies nothing.
pub fn lines(
    cases: &Path,
    date: NaiveDate,
    rb: &Rulebook,
    case: &crate::case::Case,
    p: &crate::rules::Proposal,
    actions: &[crate::record::model::RecordAction],
) -> Vec<String> {
    use crate::audit::notice::{NoticeFormat, render};
    use crate::audit::notice_input::{Decision, from_decision};
    if !p.outcome.is_denial() || case.kind != crate::case::CaseKind::AccessRequest {
        return Vec::new();
    }
    let settings = match crate::case::settings::load_settings(cases) {
        Ok(Some(s)) => s,
        Ok(None) => {
            return vec![
                "notice: casebench.yaml is missing: the notice cannot name the entity \
                 and its privacy contact"
                    .into(),
            ];
        }
        Err(e) => return vec![format!("notice: {}", e.headline())],
    };
    let outcome = p.outcome.as_str();
    let decision = Decision {
        seq: 0,
        outcome,
        actions,
    };
    match from_decision(decision, case, &settings, rb, date) {
        Ok(input) => render(&input, NoticeFormat::Text)
            .lines()
            .map(str::to_string)
            .collect(),
        Err(e) => vec![format!(
            "notice: {}",
            crate::text::sanitize_line(&e.to_string())
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::Outcome;
    use std::collections::BTreeMap;

    fn global() -> crate::tui::Options {
        let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/cases");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        crate::tui::Options::new(cases, today)
    }

    fn case(id: &str) -> crate::case::Case {
        let g = global();
        let set = crate::rules::load_dir(
            &g.cases,
            &crate::case::LoadOptions::new(g.deadline_day()),
            &|_, _| {},
        )
        .unwrap();
        set.get(id).unwrap().case.clone()
    }

    #[test]
    fn a_partial_denial_previews_its_notice() {
        let c = case("AR-2026-0101");
        let p = crate::rules::Proposal {
            outcome: Outcome::ReleasePartial,
            grounds: vec!["right-of-access".into()],
            withhold: BTreeMap::from([(
                "therapy_notes".into(),
                vec!["psychotherapy-notes".into()],
            )]),
            notice: None,
        };
        let text = lines(
            &global().cases,
            global().deadline_day(),
            crate::rules::Rulebook::builtin(),
            &c,
            &p,
            &actions(&c, &[("therapy_notes", "psychotherapy-notes")]),
        )
        .join("\n");
        assert!(
            text.starts_with("RESPONSE TO YOUR REQUEST FOR RECORDS"),
            "{text}"
        );
        assert!(text.contains("45 CFR 164.524(a)(1)(i)"), "{text}");
        assert!(
            text.contains("does not give a right to have the decision reviewed"),
            "{text}"
        );
        assert!(text.contains("Office for Civil Rights"), "{text}");
    }

    #[test]
    fn a_full_release_has_no_notice() {
        let c = case("AR-2026-0101");
        let p = crate::rules::Proposal {
            outcome: Outcome::ReleaseFull,
            grounds: vec!["right-of-access".into()],
            withhold: BTreeMap::new(),
            notice: None,
        };
        assert!(
            lines(
                &global().cases,
                global().deadline_day(),
                crate::rules::Rulebook::builtin(),
                &c,
                &p,
                &actions(&c, &[])
            )
            .is_empty()
        );
    }

    /// Every item of `c` released but those `withheld` (on the ground given).
    fn actions(
        c: &crate::case::Case,
        withheld: &[(&str, &str)],
    ) -> Vec<crate::record::model::RecordAction> {
        use crate::record::model::{Action, RecordAction};
        c.records()
            .iter()
            .map(|r| match withheld.iter().find(|(id, _)| *id == r.id) {
                Some((_, g)) => RecordAction {
                    id: r.id.clone(),
                    action: Action::Withhold,
                    grounds: vec![(*g).to_string()],
                },
                None => RecordAction {
                    id: r.id.clone(),
                    action: Action::Release,
                    grounds: Vec::new(),
                },
            })
            .collect()
    }

    #[test]
    fn a_denial_names_every_item_the_record_withholds() {
        // `deny` with one ground for the whole decision: the record withholds every item,
        // and so does the notice, though the form's withhold map is empty.
        let c = case("AR-2026-0101");
        let p = crate::rules::Proposal {
            outcome: Outcome::Deny,
            grounds: vec!["psychotherapy-notes".into()],
            withhold: BTreeMap::new(),
            notice: None,
        };
        let all: Vec<(&str, &str)> = c
            .records()
            .iter()
            .map(|r| (r.id.as_str(), "psychotherapy-notes"))
            .collect();
        let released = lines(
            &global().cases,
            global().deadline_day(),
            crate::rules::Rulebook::builtin(),
            &c,
            &p,
            &actions(&c, &[]),
        )
        .join("\n");
        let withheld = lines(
            &global().cases,
            global().deadline_day(),
            crate::rules::Rulebook::builtin(),
            &c,
            &p,
            &actions(&c, &all),
        )
        .join("\n");
        assert_ne!(released, withheld);
        assert!(withheld.contains("45 CFR 164.524(a)(1)(i)"), "{withheld}");
    }
}
