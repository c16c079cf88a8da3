//! The persistent index of the log (`decisions/cache/index`, docs/RECORDS.md): a cache
//! that lets `decide`, `list` and the workbench cost what the work costs, not what the
//! whole log costs. Deleting it, or leaving a stale, truncated, forged or foreign one,
//! changes no answer; an append on the fast path still spot-checks older records.

use crate::support::record as record_support;

use std::path::{Path, PathBuf};

use record_support::*;

const OTHER: &str = "AR-2026-0203";

fn index_path(env: &Env) -> PathBuf {
    env.cases.join("decisions/cache/index")
}

/// A log with a decided access request, a decided concern, practice records, and a
/// trainee's proposal on a third, undecided case.
fn build() -> Env {
    let env = Env::new();
    let text = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml"))).unwrap();
    std::fs::write(
        env.cases.join(format!("{OTHER}.yaml")),
        text.replace(CASE, OTHER),
    )
    .unwrap();
    env.fill(5);
    let o = propose(&env, OTHER);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(index_path(&env).exists(), "an append leaves the index");
    env
}

fn propose(env: &Env, case: &str) -> std::process::Output {
    env.decide(
        T,
        &[
            case,
            "--type",
            "practice",
            "--outcome",
            "deny",
            "--ground",
            "lack-of-consent",
            "--rationale",
            "Practice.",
        ],
    )
}

/// What the commands that read the index answer: the queue, and a second decision on
/// a decided case (refused, naming who decided it and when).
fn answers(env: &Env) -> (String, i32, String) {
    let o = env.cmd().args(["list", "--json"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let again = env.decide(
        B,
        &[
            CASE,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Again.",
        ],
    );
    (
        stdout(&o),
        again.status.code().unwrap_or(-1),
        stderr(&again),
    )
}

/// After the answers, one more append: its record must link to the case's real
/// previous record and the log must verify.
fn append_links_correctly(env: &Env) {
    let o = propose(env, OTHER);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = env.verify();
    assert!(r.ok(), "{:?}", r.first_bad());
}

fn rewrite_sum(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let body_end = text.trim_end_matches('\n').rfind('\n').unwrap() + 1;
    let body = &text[..body_end];
    format!(
        "{body}sum: sha256:{}\n",
        hex::encode(Sha256::digest(body.as_bytes()))
    )
}

#[test]
fn a_missing_stale_truncated_or_forged_index_changes_no_answer() {
    let baseline = {
        let env = build();
        let a = answers(&env);
        assert_eq!(a.1, 1, "{}", a.2);
        assert!(a.2.contains("already decided by"), "{}", a.2);
        assert!(a.0.contains(OTHER), "{}", a.0);
        append_links_correctly(&env);
        a
    };
    type Spoil = fn(&Env, &Path);
    let spoils: &[(&str, Spoil)] = &[
        ("deleted", |_, p| std::fs::remove_file(p).unwrap()),
        ("truncated", |_, p| {
            let b = std::fs::read(p).unwrap();
            std::fs::write(p, &b[..b.len() / 2]).unwrap();
        }),
        ("empty", |_, p| std::fs::write(p, "").unwrap()),
        ("edited without its checksum", |_, p| {
            let t = std::fs::read_to_string(p).unwrap();
            let t = t.replace(" deny ", " release_full ");
            std::fs::write(p, t).unwrap();
        }),
        ("stale (from before the last append)", |env, p| {
            let before = std::fs::read(p).unwrap();
            let o = propose(env, OTHER);
            assert!(o.status.success(), "{}", stderr(&o));
            std::fs::write(p, before).unwrap();
        }),
        ("from another log", |_, p| {
            let other = build();
            std::fs::copy(index_path(&other), p).unwrap();
        }),
        ("group-writable", |_, p| {
            use std::os::unix::fs::PermissionsExt;
            let t = std::fs::read_to_string(p).unwrap();
            // A consistent forgery that hides the decision, left writable by others.
            let t: String = t
                .lines()
                .filter(|l| !l.starts_with("final "))
                .map(|l| format!("{l}\n"))
                .collect();
            std::fs::write(p, rewrite_sum(&t)).unwrap();
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o660)).unwrap();
        }),
    ];
    for (what, spoil) in spoils {
        let env = build();
        spoil(&env, &index_path(&env));
        let got = answers(&env);
        let want = &baseline;
        // Times differ between runs; compare the answers' shape where they carry one.
        let strip = |s: &str| s.split(" at ").next().unwrap_or_default().to_string();
        assert_eq!(got.1, want.1, "{what}: {}", got.2);
        assert_eq!(strip(&got.2), strip(&want.2), "{what}");
        assert_eq!(
            strip_times(&got.0),
            strip_times(&want.0),
            "{what}: list differs"
        );
        append_links_correctly(&env);
    }
}

/// `list --json` without anything that depends on the moment of the run.
fn strip_times(s: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(s).unwrap();
    let mut v = v;
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["time", "decided_at", "at"] {
                    m.remove(k);
                }
                m.values_mut().for_each(walk);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v.to_string()
}

#[test]
fn an_index_owned_by_someone_else_is_not_believed() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to give the index another owner");
        return;
    }
    let env = build();
    let baseline = answers(&env);
    let p = index_path(&env);
    let t = std::fs::read_to_string(&p).unwrap();
    let forged: String = t
        .lines()
        .filter(|l| !l.starts_with("final "))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&p, rewrite_sum(&forged)).unwrap();
    std::os::unix::fs::chown(&p, Some(54_321), None).unwrap();
    let got = answers(&env);
    assert_eq!(got.1, baseline.1, "{}", got.2);
    assert_eq!(strip_times(&got.0), strip_times(&baseline.0));
}

#[test]
fn the_fast_path_spot_checks_older_records_as_it_goes() {
    // 40 records; the index left by `verify` starts its spot-check window at record 1.
    let env = Env::new();
    env.fill(40);
    std::fs::remove_file(index_path(&env)).unwrap();
    let o = env.cmd().arg("verify").output().unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(index_path(&env).exists(), "verify leaves the index");
    // Record 30 rewritten in place: the directory's names, the head and the count are
    // unchanged, so only reading record 30 again shows it.
    let rec = env.record(30);
    let mut bytes = std::fs::read(&rec).unwrap();
    let at = String::from_utf8_lossy(&bytes).find("rationale").unwrap();
    bytes[at] ^= 1;
    std::fs::write(&rec, bytes).unwrap();
    // The first append reads the head and records 1..=16 (not 30): it goes through.
    let o = propose(&env, CASE);
    assert!(o.status.success(), "{}", stderr(&o));
    // The second spot-checks 17..=32, finds record 30, runs the whole gate: refused.
    let o = propose(&env, CASE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("record 30"), "{}", stderr(&o));
    // Without the index the whole gate runs at once.
    std::fs::remove_file(index_path(&env)).ok();
    let o = propose(&env, CASE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = env.verify();
    assert_eq!(r.first_bad().map(|b| b.0), Some(Some(30)));
}

#[test]
fn the_fast_path_survives_a_key_rotation() {
    // 20 records, 18 of them by the trainee; then the trainee's key leaves
    // allowed_signers: those records stay valid under the archived policy they name.
    let env = Env::new();
    let text = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml"))).unwrap();
    std::fs::write(
        env.cases.join(format!("{OTHER}.yaml")),
        text.replace(CASE, OTHER),
    )
    .unwrap();
    env.fill(20);
    let allowed = std::fs::read_to_string(env.allowed()).unwrap();
    let rotated: String = allowed
        .lines()
        .filter(|l| !l.starts_with(T))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(env.allowed(), rotated).unwrap();
    std::fs::remove_file(index_path(&env)).unwrap();
    // `verify` reports those records (signed under a replaced policy) and, the log being
    // intact, leaves the index with its window at record 1.
    let o = env.cmd().arg("verify").output().unwrap();
    assert!(stdout(&o).contains("archived policy"), "{}", stdout(&o));
    let window = |env: &Env| {
        std::fs::read_to_string(index_path(env))
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("window: ").map(str::to_string))
            .unwrap()
    };
    assert_eq!(window(&env), "1");
    // The spot-check of records 1..=16 accepts the trainee's archived signatures: the
    // fast path goes on to 17 (the whole gate would have started the window again).
    let o = env.decide(
        A,
        &[
            OTHER,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Notes withheld.",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(window(&env), "17");
    let r = env.verify();
    assert!(r.intact(), "{:?}", r.first_bad());
}
