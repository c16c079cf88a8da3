//! `casebench notice SEQ`: the written denial notice of 164.524(d)(2) for records
//! written by the real `casebench decide`, and its refusals.

use crate::support::audit as audit_support;

use audit_support::*;
use casebench::audit::notice_input::{Decision, NoticeError, from_decision};
use casebench::case::LoadOptions;
use casebench::case::settings::load_settings;
use casebench::record::model::{Action, RecordAction};
use casebench::rules::Rulebook;

fn notice(env: &Env, args: &[&str]) -> (i32, String, String) {
    let o = env.cmd(TODAY).arg("notice").args(args).output().unwrap();
    (o.status.code().unwrap_or(-1), stdout(&o), stderr(&o))
}

const ENTITY_ROUTE: &str =
    "complain to us: contact the Privacy Officer, Harbor Audit Clinic, telephone 555-0142";

fn assert_complaint_routes(t: &str) {
    assert!(t.contains(ENTITY_ROUTE), "{t}");
    assert!(t.contains("Office for Civil Rights"), "{t}");
    assert!(t.contains("1-800-368-1019"), "{t}");
    assert!(t.contains("www.hhs.gov/ocr/complaints"), "{t}");
}

#[test]
fn notices_for_denials() {
    let env = Env::new();
    build_log(&env);

    // 1: psychotherapy notes, unreviewable.
    let (code, t, err) = notice(&env, &["1"]);
    assert_eq!(code, 0, "{err}");
    assert!(t.starts_with("RESPONSE TO YOUR REQUEST FOR RECORDS"), "{t}");
    // Dated the day the record was signed (the real day), never `--today`.
    assert!(t.contains(&format!("Date: {}", env.record_day(1))), "{t}");
    assert!(t.contains("To: M. Reyes"));
    assert!(
        t.contains("records of patient P-90301 (our reference AR-2026-0301, decision record 1)")
    );
    assert!(t.contains("We received your request on 2026-03-02."));
    assert!(t.contains("  * Outpatient chart 2024-2026"));
    // R9: a partial denial gives access to everything else.
    assert!(t.contains("We are giving you everything you asked for except the items listed below (45 CFR 164.524(d)(1))."));
    // R10(i): the basis, with its citation from the rulebook.
    // R31: a withheld item is named by its category's neutral label, never by the
    // description written for the reviewer.
    assert!(t.contains("  * psychotherapy notes: Psychotherapy notes kept separately from the record are outside the right of access (45 CFR 164.524(a)(1)(i); 164.501)."), "{t}");
    assert!(!t.contains("Psychotherapy notes, kept separately"), "{t}");
    // R10(ii): no review right, said plainly.
    assert!(t.contains("The law does not give a right to have the decision reviewed for: psychotherapy notes (45 CFR 164.524(a)(1)-(2))."), "{t}");
    assert!(!t.contains("You may ask us to have the decision"));
    assert_complaint_routes(&t);

    // 2: danger to life, reviewable.
    let (code, t, _) = notice(&env, &["2", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(
        t.starts_with("# Response to your request for records"),
        "{t}"
    );
    assert!(t.contains("To: J. Alvarez, \"Jo\""));
    assert!(t.contains("- part of your clinical record: "), "{t}");
    assert!(!t.contains("lethal means"), "{t}");
    assert!(
        t.contains("(45 CFR 164.524(a)(3)(i); 45 CFR 171.201)"),
        "{t}"
    );
    assert!(t.contains("You may ask us to have the decision to withhold these items reviewed."));
    assert!(t.contains("did not take part in the original decision"));
    assert!(t.contains("To ask for a review, write to the Privacy Officer, Harbor Audit Clinic, telephone 555-0142."));
    assert!(!t.contains("does not give a right"));
    assert_complaint_routes(&t);

    // 3: reviewable, and the case has an extension: its reason and new date.
    let (code, t, _) = notice(&env, &["3"]);
    assert_eq!(code, 0);
    assert!(t.contains("because part of the chart is archived off site. We will complete our response by 2026-04-20."), "{t}");
    assert!(t.contains("You may ask us to have the decision to withhold these items reviewed."));
    assert_complaint_routes(&t);
}

#[test]
fn refusals() {
    let env = Env::new();
    build_log(&env);
    let (code, _, err) = notice(&env, &["4"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("record 4 is `warn_and_protect`, not a denial or partial denial"),
        "{err}"
    );
    let (code, _, err) = notice(&env, &["99"]);
    assert_eq!(code, 2);
    assert!(err.contains("no record 99 in the log (head is 5)"), "{err}");

    // A record that fails verification gets no notice: not from whoever saw it before
    // (the log no longer holds what they verified), nor from someone new to it.
    env.tamper(1, "Chart released", "Chart Released");
    let (code, out, err) = notice(&env, &["1"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("record 1, which you saw at"), "{err}");
    let o = env
        .cmd_as("newcomer", TODAY)
        .args(["notice", "1"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("record 1 does not verify (FAILED)"),
        "{}",
        stderr(&o)
    );

    // Settings are required: the notice must name the privacy contact.
    std::fs::remove_file(env.cases.join("casebench.yaml")).unwrap();
    let (code, _, err) = notice(&env, &["2"]);
    assert_eq!(code, 2);
    assert!(err.contains("casebench.yaml is missing"), "{err}");
    std::fs::write(
        env.cases.join("casebench.yaml"),
        "entity: { name: X }\nprivacy_contact: { title: \"\", phone: \"\" }\n",
    )
    .unwrap();
    let (code, _, err) = notice(&env, &["2"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("privacy_contact needs a title and a phone"),
        "{err}"
    );
}

#[test]
fn notice_input_from_a_decision() {
    let dir = fixture_dir();
    let safe = casebench::store::safe_open::SafeDir::open(&dir).unwrap();
    let opts = LoadOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap());
    let load = |id: &str| {
        casebench::case::load::load_one(&safe, &format!("{id}.yaml"), &opts)
            .unwrap()
            .case
    };
    let settings = load_settings(&dir).unwrap().unwrap();
    let rb = Rulebook::builtin();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
    let act = |id: &str, g: &[&str]| RecordAction {
        id: id.into(),
        action: if g.is_empty() {
            Action::Release
        } else {
            Action::Withhold
        },
        grounds: g.iter().map(|s| s.to_string()).collect(),
    };
    let ar = load("AR-2026-0301");
    // Mixed: one unreviewable and one reviewable ground on two items.
    let actions = [
        act("chart", &["danger-to-life"]),
        act("notes", &["psychotherapy-notes"]),
    ];
    let d = Decision {
        seq: 9,
        outcome: "deny",
        actions: &actions,
    };
    let n = from_decision(d, &ar, &settings, rb, date).unwrap();
    assert_eq!(n.withheld.len(), 2);
    assert!(n.withheld[0].reviewable && !n.withheld[1].reviewable);
    assert_eq!(n.withheld[0].description, "part of your clinical record");
    assert!(n.released.is_empty());
    let t = casebench::audit::notice::render(&n, casebench::audit::notice::NoticeFormat::Text);
    assert!(
        t.contains("  * reviewable: part of your clinical record"),
        "{t}"
    );
    assert!(
        t.contains("does not give a right to have the decision reviewed for: psychotherapy notes")
    );
    assert!(!t.contains("Outpatient chart"), "{t}");

    let unknown = [act("notes", &["no-such-ground"])];
    let d = Decision {
        seq: 9,
        outcome: "release_partial",
        actions: &unknown,
    };
    assert!(matches!(
        from_decision(d, &ar, &settings, rb, date),
        Err(NoticeError::UnknownGround { .. })
    ));
    let none = [act("chart", &[])];
    let d = Decision {
        seq: 9,
        outcome: "release_partial",
        actions: &none,
    };
    assert_eq!(
        from_decision(d, &ar, &settings, rb, date).unwrap_err(),
        NoticeError::NothingWithheld { seq: 9 }
    );
    let dc = load("DC-2026-0304");
    let d = Decision {
        seq: 4,
        outcome: "deny",
        actions: &[],
    };
    assert!(matches!(
        from_decision(d, &dc, &settings, rb, date),
        Err(NoticeError::NotAnAccessRequest { .. })
    ));
}

#[test]
fn review_results() {
    let env = Env::new();
    build_log(&env);
    // A, who took no part, upholds B's withholding of the means note (record 6).
    env.decide(
        A,
        TODAY,
        &[
            "AR-2026-0302",
            "--type",
            "review",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "means-note=danger-to-life",
            "--rationale",
            "Upheld: the risk persists.",
        ],
    );
    // B, who took no part, releases everything A withheld in AR-2026-0303 (record 7).
    env.decide(
        B,
        TODAY,
        &[
            "AR-2026-0303",
            "--type",
            "review",
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "No licensed determination: release.",
        ],
    );
    let (code, t, err) = notice(&env, &["6"]);
    assert_eq!(code, 0, "{err}");
    assert!(t.starts_with("RESULT OF THE REVIEW YOU ASKED FOR"), "{t}");
    assert!(t.contains("review record 6 of decision record 2"), "{t}");
    assert!(t.contains("Dr. A. Rivera, a licensed health care professional who did not take part in the original decision"));
    assert!(t.contains("We are bound by the result (45 CFR 164.524(d)(4))."));
    assert!(t.contains("  * part of your clinical record: "), "{t}");
    assert!(!t.contains("lethal means"), "{t}");
    assert!(t.contains("the law does not provide a further review"));
    assert_complaint_routes(&t);

    let (code, t, _) = notice(&env, &["7", "--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(t.starts_with("# Result of the review you asked for"), "{t}");
    assert!(t.contains("Dr. B. Osei, a licensed health care professional"));
    assert!(t.contains("- Crisis note of 2026-03-01"));
    assert!(t.contains("nothing needs to be withheld"));
    assert!(!t.contains("further review"));
    assert_complaint_routes(&t);
}
