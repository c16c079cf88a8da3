//! `decide` runs the advisor first: error findings refuse the decision unless each is
//! overridden with a justification, and overrides are written into the signed record.

use crate::support::record as record_support;

use record_support::*;

fn written(env: &Env) -> bool {
    env.record(1).exists()
}

#[test]
fn error_findings_refuse_the_decision_and_nothing_is_written() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "chart=emotional-distress",
            "--rationale",
            "She would be upset.",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not signed: the advisor reports"), "{err}");
    assert!(err.contains("error invalid-ground:"), "{err}");
    assert!(
        err.contains("164.524(a)(3)(i)"),
        "the finding carries its citation: {err}"
    );
    assert!(!written(&env), "a refused decision must not reach the log");
}

#[test]
fn an_override_with_justification_is_signed_into_the_record() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "chart=emotional-distress",
            "--override",
            "invalid-ground=counsel advised on 2026-03-19; see memo 12",
            "--override",
            "release-not-permitted=the patient's separate authorization for the notes is on file",
            "--rationale",
            "Withheld on counsel's advice.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(env.record(1)).unwrap();
    assert!(text.contains("findings_overridden:"), "{text}");
    assert!(text.contains("invalid-ground"), "{text}");
    assert!(
        text.contains("counsel advised on 2026-03-19; see memo 12"),
        "{text}"
    );
    assert!(env.verify().first_bad().is_none());
}

#[test]
fn an_override_of_a_finding_that_is_not_there_is_a_usage_error() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--override",
            "invalid-gruond=typo",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--override invalid-gruond: the advisor reports no error finding"));
    assert!(!written(&env));
}

#[test]
fn a_sound_decision_passes_and_its_notice_comes_from_the_rulebook() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Notes kept separately.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(env.record(1)).unwrap();
    // Psychotherapy notes: a basis and complaint routes, but no review right.
    assert!(
        text.contains("notice: { basis: true, review_rights: false, complaint_routes: true }"),
        "{text}"
    );
}

#[test]
fn practice_records_are_not_gated() {
    let env = Env::new();
    let o = env.decide(
        T,
        &[
            CASE,
            "--type",
            "practice",
            "--outcome",
            "deny",
            "--ground",
            "lack-of-consent",
            "--rationale",
            "Practice attempt.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(written(&env));
}

#[test]
fn list_shows_a_decided_case_as_decided() {
    let env = Env::new();
    let list = |env: &Env| {
        let o = env.cmd().args(["list", "--json"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == CASE)
            .map(|c| c["status"].as_str().unwrap_or_default().to_string())
            .unwrap()
    };
    assert_ne!(list(&env), "decided");
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Notes kept separately.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        list(&env),
        "awaiting_provision",
        "decided: the records are not provided yet"
    );
}

#[test]
fn an_rsa_key_file_is_refused_for_signing() {
    let env = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("rsa");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "rsa", "-b", "2048", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    let o = env
        .cmd()
        .args(["--reviewer", A, "--key"])
        .arg(&key)
        .args([
            "decide",
            CASE,
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "x",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("casebench signs with ed25519 keys only"),
        "{}",
        stderr(&o)
    );
    assert!(!written(&env));
}

// ---- Issue 13: the gate never lets an unlawful release through --------------------

#[test]
fn release_full_of_separately_kept_notes_is_refused() {
    let env = Env::new();
    let o = env.decide(
        A,
        &[
            CASE,
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "Everything.",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error release-not-permitted: `notes`"),
        "{err}"
    );
    assert!(
        err.contains("[45 CFR 164.524(a)(1)(i); 164.508(a)(2)]"),
        "{err}"
    );
    assert!(!written(&env));
}

/// A police request without process, written into the directory.
fn police(env: &Env, instrument: &str) {
    let text = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml")))
        .unwrap()
        .replace("id: AR-2026-0201", "id: AR-2026-0209")
        .replace("relationship: self", "relationship: law_enforcement")
        .replace("type: written_request", &format!("type: {instrument}"));
    std::fs::write(env.cases.join("AR-2026-0209.yaml"), text).unwrap();
}

#[test]
fn the_police_without_a_warrant_are_refused_and_asked_for_process() {
    let env = Env::new();
    police(&env, "none");
    let release = env.decide(
        A,
        &[
            "AR-2026-0209",
            "--outcome",
            "release_partial",
            "--ground",
            "law-enforcement",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "The detective asked nicely.",
        ],
    );
    assert_eq!(release.status.code(), Some(1), "{}", stderr(&release));
    let err = stderr(&release);
    assert!(err.contains("release-not-permitted: `chart`"), "{err}");
    assert!(err.contains("[45 CFR 164.512(f)(1)]"), "{err}");
    assert!(!written(&env));
    // The advisor's own answer passes the gate.
    let ask = env.decide(
        A,
        &[
            "AR-2026-0209",
            "--outcome",
            "request_information",
            "--ground",
            "law-enforcement-process-required",
            "--rationale",
            "Asked for a warrant or a written administrative request.",
        ],
    );
    assert_eq!(ask.status.code(), Some(0), "{}", stderr(&ask));
    // With a warrant the chart goes out.
    let env = Env::new();
    police(&env, "warrant");
    let o = env.decide(
        A,
        &[
            "AR-2026-0209",
            "--outcome",
            "release_partial",
            "--ground",
            "law-enforcement",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Warrant of 2026-03-02.",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn releasing_despite_a_discretionary_ground_passes_with_a_warning_on_the_advice() {
    // The advisor warns (release-against-advice) but a warning never blocks signing.
    let env = Env::new();
    let text = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml")))
        .unwrap()
        .replace("  at_risk: none\n", "  at_risk: patient\n")
        .replace(
            "  harm_type: none\n",
            "  harm_type: life_or_physical_safety\n",
        )
        .replace(
            "  likelihood: remote\n",
            "  likelihood: reasonably_likely\n",
        )
        .replace(
            "  imminence: none\n",
            "  imminence: days\n  records: [chart]\n",
        );
    std::fs::write(env.cases.join(format!("{CASE}.yaml")), text).unwrap();
    let args = [
        CASE,
        "--outcome",
        "release_partial",
        "--ground",
        "right-of-access",
        "--withhold",
        "notes=psychotherapy-notes",
    ];
    let advice = env
        .cmd()
        .arg("advise")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&advice.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"release-against-advice"), "{codes:?}");
    let o = env.decide(
        A,
        &[
            &args[..],
            &["--rationale", "The patient and her psychiatrist agreed."],
        ]
        .concat(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_trainee_deciding_without_type_practice_is_told_how() {
    let env = Env::new();
    let o = env.decide(
        T,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Practice attempt.",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("may not sign in namespace casebench-decision"),
        "{err}"
    );
    assert!(
        err.contains("is a trainee") && err.contains("add --type practice"),
        "{err}"
    );
    assert!(!written(&env), "nothing is signed");
}
