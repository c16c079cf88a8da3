//! `casebench practice`: a trainee's attempts over time, latest and best score per case,
//! averages per topic and what to study next; the supervisor's overview; and the topic
//! map (data) covering every ground of the rulebook.

use crate::support::practice as practice_support;

use casebench::practice::TopicMap;
use casebench::rules::Rulebook;
use practice_support::*;

const PERFECT_PA: [&str; 6] = [
    "--outcome",
    "release_partial",
    "--ground",
    "right-of-access",
    "--withhold",
    "notes=psychotherapy-notes",
];

fn history(env: &Env) {
    // PA: 25, then 100, then 85 (forgot right-of-access). PD: 55 (cited clia).
    env.attempt(
        T,
        PA,
        &["--outcome", "deny", "--ground", "psychotherapy-notes"],
    );
    env.attempt(T, PA, &PERFECT_PA);
    env.attempt(
        T,
        PA,
        &[
            "--outcome",
            "release_partial",
            "--withhold",
            "notes=psychotherapy-notes",
        ],
    );
    env.attempt(
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
    // A proposal on a real case is not an attempt.
    let o = env.decide(
        T,
        &[
            REAL,
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
    assert!(o.status.success(), "{}", stderr(&o));
}

fn topic<'a>(t: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    t["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["topic"] == id)
        .unwrap()
}

#[test]
fn a_trainees_progress_over_time_per_case_and_topic() {
    let env = Env::new();
    history(&env);
    let v = env.practice_json(&["--trainee", T]);
    let t = &v["trainee"];
    assert_eq!(t["name"], "T. Trainee");
    let scores: Vec<(u64, &str, u64)> = t["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["seq"].as_u64().unwrap(),
                a["case"].as_str().unwrap(),
                a["score"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        scores,
        [(1, PA, 25), (2, PA, 100), (3, PA, 85), (4, PD, 55)]
    );
    let cases = t["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(
        (
            &cases[0]["case"],
            &cases[0]["latest"],
            &cases[0]["best"],
            &cases[0]["attempts"]
        ),
        (
            &serde_json::json!(PA),
            &serde_json::json!(85),
            &serde_json::json!(100),
            &serde_json::json!(3)
        )
    );
    assert_eq!(
        (&cases[1]["latest"], &cases[1]["best"]),
        (&serde_json::json!(55), &serde_json::json!(55))
    );
    assert_eq!(t["average"], 70.0);
    assert_eq!(topic(t, "right-of-access")["average"], 85.0);
    assert_eq!(topic(t, "psychotherapy-notes")["average"], 85.0);
    assert_eq!(topic(t, "duty-to-warn")["average"], 55.0);
    assert!(topic(t, "part2")["average"].is_null());
    assert_eq!(topic(t, "part2")["cases"], 0);
    let next = t["study_next"].as_array().unwrap();
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0]["topic"], "duty-to-warn");
    assert_eq!(strings(&next[0]["cases"]), [PD]);
    assert!(t["not_attempted"].as_array().unwrap().is_empty());
    assert!(v["skipped"].as_array().unwrap().is_empty());

    // The text view says the same; --reviewer of a trainee is the default --trainee.
    let o = env
        .cmd()
        .args(["--reviewer", T, "practice"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains(&format!(
            "Trainee {T} (T. Trainee): 4 attempt(s), 2 case(s), average 70"
        )),
        "{text}"
    );
    assert!(
        text.contains("Study next:\n  - Serious threats and the duty to warn"),
        "{text}"
    );
}

#[test]
fn a_trainee_without_attempts_is_told_where_to_start() {
    let env = Env::new();
    history(&env);
    let v = env.practice_json(&["--trainee", T2]);
    let t = &v["trainee"];
    assert!(t["attempts"].as_array().unwrap().is_empty());
    assert_eq!(strings(&t["not_attempted"]), [PA, PD]);
    let next: Vec<&str> = t["study_next"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["topic"].as_str().unwrap())
        .collect();
    assert_eq!(
        next,
        ["right-of-access", "psychotherapy-notes", "duty-to-warn"]
    );
}

#[test]
fn supervisors_see_every_trainee() {
    let env = Env::new();
    history(&env);
    for args in [
        vec!["practice", "--json"],
        vec!["--reviewer", A, "practice", "--json"],
    ] {
        let o = env.cmd().args(&args).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(strings(&v["practice_cases"]), [PA, PD]);
        let rows = v["trainees"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{v:#}");
        assert_eq!(rows[0]["trainee"], T);
        assert_eq!(rows[0]["attempts"], 4);
        assert_eq!(rows[0]["cases_attempted"], 2);
        assert_eq!(rows[0]["average_latest"], 70.0);
        assert_eq!(rows[0]["average_best"], 77.5);
        assert_eq!(rows[0]["weakest_topic"], "duty-to-warn");
        assert_eq!(rows[1]["trainee"], T2);
        assert_eq!(rows[1]["attempts"], 0);
        assert!(rows[1]["average_latest"].is_null());
    }
    let o = env.practice(&[]);
    let text = stdout(&o);
    assert!(text.contains("2 practice case(s); 2 trainee(s)"), "{text}");
    assert!(
        text.contains("T. Trainee") && text.contains("T. Second"),
        "{text}"
    );
}

#[test]
fn practice_case_needs_a_trainee_and_an_attempt() {
    let env = Env::new();
    let o = env.practice(&["--case", PA]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("whose attempt?"), "{}", stderr(&o));
    let o = env.practice(&["--trainee", T, "--case", PA]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("has no verified attempt"),
        "{}",
        stderr(&o)
    );
    env.attempt(T, PA, &PERFECT_PA);
    let v = env.practice_json(&["--trainee", T, "--case", PA]);
    assert_eq!(v["comparison"]["score"], 100);
}

#[test]
fn every_rulebook_ground_belongs_to_a_topic() {
    let map = TopicMap::builtin();
    for g in Rulebook::builtin().grounds() {
        assert!(
            map.topics.iter().any(|t| t.grounds.contains(&g.code)),
            "ground `{}` is in no topic of src/practice/topics.yaml",
            g.code
        );
    }
    for t in &map.topics {
        for g in &t.grounds {
            assert!(
                Rulebook::builtin().ground(g).is_some(),
                "topic `{}` names `{g}`, which the rulebook does not define",
                t.id
            );
        }
    }
    for id in [
        "right-of-access",
        "psychotherapy-notes",
        "harm-based-denials",
        "minors",
        "part2",
        "legal-process",
        "duty-to-warn",
        "abuse-reporting",
        "deadlines",
    ] {
        assert!(map.get(id).is_some(), "topic `{id}` is missing");
    }
}

#[test]
fn topic_map_is_checked() {
    let bad = "version: 1\ntopics:\n  - { id: x, title: X, grounds: [], features: [minro] }\n";
    assert!(
        TopicMap::from_yaml(bad)
            .unwrap_err()
            .contains("unknown feature `minro`")
    );
    let twice = "version: 1\ntopics:\n  - { id: x, title: X }\n  - { id: x, title: Y }\n";
    assert!(
        TopicMap::from_yaml(twice)
            .unwrap_err()
            .contains("defined twice")
    );
    let typo = "version: 1\ntopics:\n  - { id: x, title: X, ground: [] }\n";
    assert!(TopicMap::from_yaml(typo).is_err());
}

#[test]
fn every_sample_practice_case_has_a_topic() {
    let dir = crate::support::common::sample_library().to_path_buf();
    let opts =
        casebench::case::LoadOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    let set = casebench::rules::load_dir(&dir, &opts, &|_, _| {}).unwrap();
    let map = TopicMap::builtin();
    let mut n = 0;
    for c in &set.cases {
        if let Some(p) = &c.case.practice {
            n += 1;
            assert!(
                !map.topics_of(&c.case, &p.reference).is_empty(),
                "{} fits no topic",
                c.case.id
            );
        }
    }
    assert!(n > 0);
}

#[test]
fn an_unknown_trainee_is_an_error_not_zero_attempts() {
    let env = Env::new();
    history(&env);
    let o = env
        .cmd()
        .args(["practice", "--trainee", "nobody@clinic.example"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no trainee nobody@clinic.example") && err.contains(T2),
        "{err}"
    );
}
