//! A trainee's practice record, signed under `casebench-practice`, is scored against the
//! case's reference: a perfect answer, a wrong outcome, a missed ground, a never-valid
//! ground (access request and disclosure concern); and the reference is reachable only
//! after the trainee's own record is signed.

use crate::support::practice as practice_support;

use practice_support::*;

fn score(f: &serde_json::Value) -> u64 {
    f["comparison"]["score"].as_u64().unwrap()
}

#[test]
fn perfect_answer_scores_100_and_shows_the_reference() {
    let env = Env::new();
    let f = env.attempt(
        T,
        PA,
        &[
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
        ],
    );
    let c = &f["comparison"];
    assert_eq!(score(&f), 100, "{f:#}");
    assert_eq!(c["outcome_right"], true);
    assert_eq!(
        strings(&c["grounds_found"]),
        ["psychotherapy-notes", "right-of-access"]
    );
    assert!(c["grounds_missed"].as_array().unwrap().is_empty());
    assert!(c["grounds_wrong"].as_array().unwrap().is_empty());
    let items = c["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["right"] == true));
    assert_eq!(items[1]["id"], "notes");
    assert_eq!(items[1]["expected"], "psychotherapy-notes");
    // The notice a denial needs: basis and complaint routes; no review right for
    // psychotherapy notes (164.524(a)(1)(i) is unreviewable).
    let notice: Vec<&str> = f["notice_needed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(notice, ["basis", "complaint_routes"]);
    assert_eq!(f["notice_given"]["basis"], true);
    assert!(
        c["explanation"]
            .as_str()
            .unwrap()
            .contains("REFERENCE-SECRET-0301")
    );
    let cites: Vec<&str> = f["reference_grounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["citation"].as_str().unwrap())
        .collect();
    assert!(cites.iter().all(|c| c.contains("164.")), "{cites:?}");
    assert_eq!(f["trainee"], T);
    assert_eq!(f["seq"], 1);
}

#[test]
fn wrong_outcome_costs_the_most() {
    let env = Env::new();
    // Denies everything: the chart is withheld too (on the decision's grounds).
    let f = env.attempt(
        T,
        PA,
        &[
            "--outcome",
            "deny",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
        ],
    );
    let c = &f["comparison"];
    assert_eq!(c["outcome_right"], false);
    assert_eq!(c["outcome_given"], "deny");
    assert_eq!(c["outcome_expected"], "release_partial");
    assert_eq!(c["points_outcome"], 0.0);
    let chart = &c["items"][0];
    assert_eq!(chart["id"], "chart");
    assert_eq!(chart["right"], false);
    assert_eq!(chart["given"], "right-of-access");
    assert!(chart["expected"].is_null());
    // 0 outcome + 30 grounds + 10 items (one of two right).
    assert_eq!(score(&f), 40);
}

#[test]
fn missed_ground_costs_its_share() {
    let env = Env::new();
    let f = env.attempt(
        T,
        PA,
        &[
            "--outcome",
            "release_partial",
            "--withhold",
            "notes=psychotherapy-notes",
        ],
    );
    assert_eq!(
        strings(&f["comparison"]["grounds_missed"]),
        ["right-of-access"]
    );
    assert_eq!(score(&f), 85);
}

#[test]
fn never_valid_ground_costs_more_than_a_missed_one() {
    let env = Env::new();
    let f = env.attempt(
        T,
        PA,
        &[
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--ground",
            "emotional-distress",
            "--withhold",
            "notes=psychotherapy-notes",
        ],
    );
    let c = &f["comparison"];
    assert_eq!(strings(&c["never_valid_used"]), ["emotional-distress"]);
    assert_eq!(strings(&c["grounds_wrong"]), ["emotional-distress"]);
    assert_eq!(score(&f), 65);
    assert!(
        score(&f) < 85,
        "a never-valid ground must cost more than a missed one"
    );
    // The rulebook says why it fails, with its citation.
    let why = &f["wrong_grounds"][0];
    assert_eq!(why["code"], "emotional-distress");
    assert!(
        why["citation"]
            .as_str()
            .unwrap()
            .contains("164.524(a)(3)(i)")
    );
    assert!(!why["text"].as_str().unwrap().is_empty());
}

#[test]
fn disclosure_concern_is_scored_on_outcome_and_grounds() {
    let env = Env::new();
    let perfect = env.attempt(
        T,
        PD,
        &[
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--ground",
            "state-duty-to-warn",
        ],
    );
    assert_eq!(score(&perfect), 100);
    assert!(perfect["notice_needed"].as_array().unwrap().is_empty());
    let missed = env.attempt(
        T,
        PD,
        &[
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
        ],
    );
    assert_eq!(score(&missed), 80);
    let never = env.attempt(
        T,
        PD,
        &[
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--ground",
            "state-duty-to-warn",
            "--ground",
            "clia",
        ],
    );
    // 100 - (40 ground points + 5).
    assert_eq!(score(&never), 55);
    let wrong = env.attempt(
        T,
        PD,
        &[
            "--outcome",
            "maintain_confidentiality",
            "--ground",
            "serious-threat",
            "--ground",
            "state-duty-to-warn",
        ],
    );
    assert_eq!(score(&wrong), 40);
}

#[test]
fn reference_is_not_reachable_before_the_record_is_signed() {
    let env = Env::new();
    let secret = "REFERENCE-SECRET-0301";
    let leaks = |o: &std::process::Output| stdout(o).contains(secret) || stderr(o).contains(secret);
    // Reading the case, the advice, or the practice view: nothing of the reference.
    for args in [
        vec!["show", PA],
        vec!["show", PA, "--json"],
        vec!["advise", PA],
        vec!["practice", "--trainee", T, "--case", PA],
        vec!["practice", "--trainee", T, "--json"],
    ] {
        let o = env.cmd().args(&args).output().unwrap();
        assert!(!leaks(&o), "{args:?} shows the reference: {}", stdout(&o));
    }
    // A decision that is not signed (bad usage; a key that may not sign) shows nothing.
    let o = env.decide(
        T,
        &[
            PA,
            "--type",
            "practice",
            "--outcome",
            "maybe",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!leaks(&o));
    let o = env.decide(
        U,
        &[
            PA,
            "--type",
            "practice",
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!leaks(&o));
    assert_eq!(env.records(), 0);
    // Once the trainee's own record is signed, the comparison shows it.
    let o = env.decide(
        T,
        &[
            PA,
            "--type",
            "practice",
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "All of it.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains(secret), "{text}");
    assert!(text.contains("Outcome: WRONG (you: release_full; reference: release_partial)"));
    assert!(text.contains("Score: 25/100"), "{text}");
    let again = env.practice(&["--trainee", T, "--case", PA]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains(secret));
    assert!(stdout(&again).contains("Score: 25/100"));
}
