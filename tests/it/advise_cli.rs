//! `casebench advise` end to end: JSON fields, text, exit statuses, usage errors,
//! sanitised output, the counsel's override rulebook.

use std::path::{Path, PathBuf};

use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/advisor/cases";

fn advise(dir: &Path, args: &[&str]) -> (i32, String, String) {
    advise_on(dir, "2026-04-01", args)
}

fn advise_on(dir: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    let out = crate::support::cli::casebench(crate::support::cli::shared_home())
        .args(["--cases", dir.to_str().unwrap(), "--today", today, "advise"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fixtures() -> PathBuf {
    PathBuf::from(FIXTURES)
}

#[test]
fn json_has_the_design_fields() {
    let (code, out, err) = advise(&fixtures(), &["C4", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["case"], "C4");
    for f in ["received", "due", "days_left", "status"] {
        assert!(v["deadline"].get(f).is_some(), "deadline.{f}");
    }
    assert_eq!(v["deadline"]["due"], "2026-04-15");
    assert_eq!(v["deadline"]["days_left"], 14);
    assert_eq!(v["recommended"]["outcome"], "release_partial");
    assert_eq!(
        v["recommended"]["grounds"],
        serde_json::json!(["right-of-access", "danger-to-life"])
    );
    assert_eq!(v["recommended"]["withhold"]["plan_notes"], "danger-to-life");
    assert!(
        v["required_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == "offer-review")
    );
    let notice: Vec<&str> = v["notice"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap())
        .collect();
    assert_eq!(notice, ["basis", "review_rights", "complaint_routes"]);
    for f in v["findings"].as_array().unwrap() {
        for k in ["severity", "code", "message", "citation"] {
            assert!(f[k].is_string(), "{f}");
        }
    }
    assert_eq!(v["findings_on"], "recommendation");
}

#[test]
fn a_proposal_with_errors_exits_1() {
    let (code, out, _) = advise(
        &fixtures(),
        &["C4", "--outcome", "deny", "--ground", "emotional-distress"],
    );
    assert_eq!(code, 1);
    assert!(out.contains("Findings on your proposal"), "{out}");
    assert!(out.contains("invalid-ground"), "{out}");
    assert!(out.contains("[45 CFR 164.524(a)(3)(i)"), "{out}");
    assert!(
        out.contains("whole-record-denial") || out.contains("information-blocking-risk"),
        "{out}"
    );
}

#[test]
fn the_recommended_proposal_exits_0() {
    let (code, out, err) = advise(
        &fixtures(),
        &[
            "C4",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--ground",
            "danger-to-life",
            "--withhold",
            "plan_notes=danger-to-life",
            "--json",
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["findings_on"], "proposal");
    assert_eq!(
        v["proposal"]["withhold"]["plan_notes"],
        serde_json::json!(["danger-to-life"])
    );
}

/// Every ground an item is withheld on is judged, by `advise` and by `decide` alike: a
/// never-valid reason beside a valid one is an error, and nothing is signed.
#[test]
fn a_wrong_ground_beside_a_right_one_is_still_an_error() {
    let dir = crate::support::common::sample_library_copy();
    let cases = dir.path().join("cases");
    let args = [
        "AR-2026-0101",
        "--outcome",
        "release_partial",
        "--ground",
        "right-of-access",
        "--withhold",
        "therapy_notes=psychotherapy-notes",
        "--withhold",
        "therapy_notes=emotional-distress",
    ];
    let (code, out, err) = advise_on(&cases, "2026-11-23", &args);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("emotional-distress"), "{out}");
    let decided = crate::support::cli::casebench(&dir.path().join("home"))
        .arg("--cases")
        .arg(&cases)
        .args([
            "--today",
            "2026-11-23",
            "--reviewer",
            "k.osei@lakeside.example",
        ])
        .arg("--key")
        .arg(cases.join("reviewers/demo-keys/k.osei"))
        .arg("decide")
        .args(args)
        .args(["--rationale", "Both reasons."])
        .output()
        .unwrap();
    assert_eq!(
        decided.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    assert!(
        String::from_utf8_lossy(&decided.stderr).contains("invalid-ground"),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    assert!(!cases.join("decisions/log/00000001.yaml").exists());
    // The right reason alone is signed.
    let (code, out, err) = advise_on(&cases, "2026-11-23", &args[..7]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn usage_errors_exit_2() {
    for (args, expect) in [
        (
            &["C4", "--outcome", "refuse"][..],
            "unknown outcome `refuse`",
        ),
        (
            &[
                "C4",
                "--outcome",
                "deny",
                "--withhold",
                "nosuch=danger-to-life",
            ][..],
            "no record item `nosuch`",
        ),
        (
            &["C4", "--outcome", "deny", "--withhold", "plan_notes"][..],
            "expected REC=GROUND",
        ),
        (&["C4", "--ground", "danger-to-life"][..], "add --outcome"),
        (&["NOPE"][..], "no case `NOPE`"),
    ] {
        let (code, _, err) = advise(&fixtures(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
    }
}

#[test]
fn text_output_is_sanitised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{FIXTURES}/casebench.yaml"),
        dir.path().join("casebench.yaml"),
    )
    .unwrap();
    let src = std::fs::read_to_string(format!("{FIXTURES}/C4.yaml")).unwrap();
    let evil = src
        .replace(
            "title: Patient asks",
            "title: \"Patient \\e]0;pwned\\a\\u202e asks",
        )
        .replace(
            "for her records ten days after an overdose",
            "for her records\"",
        );
    std::fs::write(dir.path().join("C4.yaml"), evil).unwrap();
    let (code, out, err) = advise(dir.path(), &["C4"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
        "{out:?}"
    );
    assert!(out.contains("^["), "{out}");
}

#[test]
fn a_counsel_override_rulebook_replaces_the_builtin_one() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["casebench.yaml", "C4.yaml"] {
        std::fs::copy(format!("{FIXTURES}/{f}"), dir.path().join(f)).unwrap();
    }
    std::fs::create_dir(dir.path().join("rules")).unwrap();
    // Counsel makes a missed deadline an error.
    let book = casebench::rules::Rulebook::builtin_source().replacen(
        "  - code: deadline-missed\n    severity: warning",
        "  - code: deadline-missed\n    severity: error",
        1,
    );
    std::fs::write(dir.path().join("rules/rulebook.yaml"), &book).unwrap();
    let late = |d: &str| {
        crate::support::cli::casebench(crate::support::cli::shared_home())
            .args([
                "--cases",
                dir.path().to_str().unwrap(),
                "--today",
                d,
                "advise",
                "C4",
                "--json",
            ])
            .output()
            .unwrap()
    };
    let out = late("2026-04-20");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["rulebook"]
            .as_str()
            .unwrap()
            .ends_with("rules/rulebook.yaml")
    );
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "deadline-missed")
        .unwrap()
        .clone();
    assert_eq!(f["severity"], "error");
    // A broken override is an error with its position, never a silent fallback.
    std::fs::write(
        dir.path().join("rules/rulebook.yaml"),
        book.replacen("version: 1", "version: 1\nbogus: 2", 1),
    )
    .unwrap();
    let out = late("2026-04-20");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("rules/rulebook.yaml:") && err.contains("bogus"),
        "{err}"
    );
}

#[test]
fn disclosure_concern_text() {
    let (code, out, err) = advise_on(&fixtures(), "2026-06-01", &["C14-TX"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Recommended: report"), "{out}");
    assert!(
        out.contains("law enforcement and medical personnel"),
        "{out}"
    );
    assert!(out.contains("611.004"), "{out}");
    assert!(out.contains("no statutory clock"), "{out}");
}

#[test]
fn a_trainee_gets_no_advice_on_a_practice_case() {
    let cases = crate::support::common::sample_library().to_path_buf();
    let run = |who: &str| {
        crate::support::cli::casebench(crate::support::cli::shared_home())
            .arg("--cases")
            .arg(&cases)
            .args([
                "--today",
                "2026-11-23",
                "--reviewer",
                who,
                "advise",
                "AR-2026-0101",
            ])
            .output()
            .unwrap()
    };
    let trainee = run("t.lindqvist@lakeside.example");
    assert_eq!(trainee.status.code(), Some(2));
    assert!(trainee.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&trainee.stderr).contains("the advisor is hidden from trainees"),
        "{}",
        String::from_utf8_lossy(&trainee.stderr)
    );
    let supervisor = run("k.osei@lakeside.example");
    assert_eq!(supervisor.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&supervisor.stdout).contains("Recommended:"));
}
