//! Issue 13, point 5 (RULEBOOK R31): a denial notice never discloses what it withholds.
//! For every sample denial (the advisor's recommendation of every sample and worked-example
//! case that withholds something), the notice names each withheld item by its category's
//! neutral label: no word of a withheld item's description, nor of the case's summaries,
//! that is not in that label appears in the notice, and rewriting all of that text leaves
//! the notice unchanged byte for byte.

use std::collections::BTreeSet;
use std::path::Path;

use casebench::audit::notice::{NoticeFormat, render};
use casebench::audit::notice_input::{Decision, from_decision};
use casebench::case::settings::load_settings;
use casebench::case::{Case, LoadOptions};
use casebench::record::model::{Action, RecordAction};
use casebench::rules::load_dir;
use casebench::rules::{Related, advise};
use chrono::NaiveDate;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn words(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect()
}

/// The case with every free text a notice must not quote replaced by a neutral word:
/// the withheld items' descriptions, the evaluation and consultation summaries.
fn rewritten(c: &Case, withheld: &[String]) -> Case {
    let mut c = c.clone();
    if let Some(r) = c.request.as_mut() {
        for i in r.records.iter_mut().filter(|i| withheld.contains(&i.id)) {
            i.description = "Rewritten".into();
        }
    }
    c.harm_evaluation.done_mut().unwrap().summary = "Rewritten".into();
    c.harm_evaluation.done_mut().unwrap().factors = vec!["Rewritten".into()];
    for k in &mut c.consultations {
        k.summary = "Rewritten".into();
    }
    for d in &mut c.documentation {
        d.summary = "Rewritten".into();
    }
    c
}

fn check_dir(dir: &Path) -> usize {
    let set = load_dir(dir, &LoadOptions::new(day("2026-12-31")), &|_, _| {}).unwrap();
    let settings = load_settings(dir).unwrap().expect("casebench.yaml");
    let mut checked = 0;
    let mut bad = Vec::new();
    for lc in &set.cases {
        let case = &lc.case;
        let related = Related::from_cases(case, set.cases.iter().map(|c| &c.case));
        let rec = advise(&set.rules, case, related, day("2026-12-31")).recommended;
        if !rec.outcome.is_denial() || rec.withhold.is_empty() {
            continue;
        }
        let actions: Vec<RecordAction> = case
            .records()
            .iter()
            .map(|r| match rec.withhold.get(&r.id) {
                Some(g) => RecordAction {
                    id: r.id.clone(),
                    action: Action::Withhold,
                    grounds: vec![g.clone()],
                },
                None => RecordAction {
                    id: r.id.clone(),
                    action: Action::Release,
                    grounds: Vec::new(),
                },
            })
            .collect();
        let notice = |c: &Case| {
            let d = Decision {
                seq: 1,
                outcome: rec.outcome.as_str(),
                actions: &actions,
            };
            let n = from_decision(d, c, &settings, &set.rules, day("2026-12-31")).unwrap();
            render(&n, NoticeFormat::Text)
        };
        checked += 1;
        let text = notice(case);
        let withheld: Vec<String> = rec.withhold.keys().cloned().collect();
        if notice(&rewritten(case, &withheld)) != text {
            bad.push(format!(
                "{}: the notice changes with the withheld text",
                case.id
            ));
        }
        // Word by word, for the message: what of the protected text shows.
        let template = words(&notice(&rewritten(case, &withheld)));
        let shown = words(&text);
        for item in case.records().iter().filter(|i| withheld.contains(&i.id)) {
            let label = words(item.category.neutral_label());
            let mut secret = words(&item.description);
            secret.extend(words(case.harm_evaluation.summary()));
            let leaked: Vec<&String> = secret
                .iter()
                .filter(|w| !label.contains(*w) && shown.contains(*w) && !template.contains(*w))
                .collect();
            if !leaked.is_empty() {
                bad.push(format!(
                    "{} `{}`: the notice shows {leaked:?}",
                    case.id, item.id
                ));
            }
        }
        // And the item's own description never appears whole.
        for item in case.records().iter().filter(|i| withheld.contains(&i.id)) {
            if text.contains(&item.description) {
                bad.push(format!("{} `{}`: description quoted", case.id, item.id));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    checked
}

#[test]
fn no_sample_denial_notice_discloses_what_it_withholds() {
    let mut checked = check_dir(Path::new("tests/fixtures/advisor/cases"));
    checked += check_dir(crate::support::common::sample_library());
    assert!(checked >= 8, "only {checked} sample denials");
}

/// The case that started it: the ex-wife's account is withheld, and the letter to the
/// patient named "her new town and employer".
#[test]
fn the_ex_wifes_account_is_not_quoted() {
    let dir = crate::support::common::sample_library();
    let set = load_dir(dir, &LoadOptions::new(day("2026-12-31")), &|_, _| {}).unwrap();
    let lc = set.get("AR-2026-0124").unwrap();
    let settings = load_settings(dir).unwrap().unwrap();
    let related = Related::from_cases(&lc.case, set.cases.iter().map(|c| &c.case));
    let rec = advise(&set.rules, &lc.case, related, day("2026-12-31")).recommended;
    assert!(rec.outcome.is_denial(), "{rec:?}");
    let actions: Vec<RecordAction> = lc
        .case
        .records()
        .iter()
        .map(|r| RecordAction {
            id: r.id.clone(),
            action: if rec.withhold.contains_key(&r.id) {
                Action::Withhold
            } else {
                Action::Release
            },
            grounds: rec.withhold.get(&r.id).cloned().into_iter().collect(),
        })
        .collect();
    let d = Decision {
        seq: 1,
        outcome: rec.outcome.as_str(),
        actions: &actions,
    };
    let n = from_decision(d, &lc.case, &settings, &set.rules, day("2026-12-31")).unwrap();
    let text = render(&n, NoticeFormat::Text);
    for w in ["ex-wife", "new town", "employer"] {
        assert!(!text.contains(w), "`{w}` in:\n{text}");
    }
    assert!(text.contains("information about another person"), "{text}");
}
