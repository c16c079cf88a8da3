//! The index behind statuses and the append rules is each user's own, built only from
//! records whose signatures that user checked (docs/RECORDS.md, "What each member
//! remembers"; issue 20). A shared index or "verified head" in `decisions/cache/` (what
//! older versions kept, and what any member of the group can write: stale, truncated,
//! forged, foreign, another member's) changes no answer and blocks no one; the next
//! append still links to the case's real previous record. Older records, which the
//! memory does not read again, are spot-checked as appends go.

use crate::support::record as record_support;

use std::path::{Path, PathBuf};

use record_support::*;

const OTHER: &str = "AR-2026-0203";

fn cache(env: &Env) -> PathBuf {
    env.cases.join("decisions/cache")
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

/// What the commands that read the index answer: B's queue, and B's second decision on
/// a decided case (refused, naming who decided it and when).
fn answers(env: &Env) -> (String, i32, String) {
    let o = env.cmd_as(B).args(["list", "--json"]).output().unwrap();
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

/// A consistent index that hides every decision (what issue 20's attacker wrote).
fn lying_index(env: &Env) -> String {
    use sha2::{Digest, Sha256};
    let mut body = String::from("casebench-index/1\n");
    body.push_str(&format!(
        "log: 1 0 0 0 0\ncheckpoints: none\nverified: 6 sha256:{z} sha256:{z} sha256:{z}\nwindow: 1\nhead: 6 sha256:{z}\n",
        z = "0".repeat(64)
    ));
    body.push_str(&format!("case {CASE} 5 0 1\n"));
    let _ = env;
    format!(
        "{body}sum: sha256:{}\n",
        hex::encode(Sha256::digest(body.as_bytes()))
    )
}

#[test]
fn shared_index_and_verified_head_files_change_no_answer() {
    let baseline = {
        let env = build();
        let a = answers(&env);
        assert_eq!(a.1, 1, "{}", a.2);
        assert!(a.2.contains("already decided by"), "{}", a.2);
        assert!(a.0.contains(OTHER), "{}", a.0);
        append_links_correctly(&env);
        a
    };
    type Plant = fn(&Env, &Path);
    let plants: &[(&str, Plant)] = &[
        ("a lying index hiding the decision", |env, d| {
            std::fs::write(d.join("index"), lying_index(env)).unwrap();
        }),
        ("a lying index, group-writable", |env, d| {
            use std::os::unix::fs::PermissionsExt;
            std::fs::write(d.join("index"), lying_index(env)).unwrap();
            std::fs::set_permissions(d.join("index"), std::fs::Permissions::from_mode(0o666))
                .unwrap();
        }),
        ("an index of another log", |env, d| {
            let t = lying_index(env).replace(CASE, "AR-2026-9999");
            std::fs::write(d.join("index"), t).unwrap();
        }),
        ("junk", |_, d| {
            std::fs::write(d.join("index"), "junk").unwrap();
            std::fs::write(d.join("verified-head"), "junk").unwrap();
        }),
        ("a false verified head (it blocked every append)", |_, d| {
            std::fs::write(
                d.join("verified-head"),
                format!(
                    "casebench-verified-head/1\nseq: 2\nrecord: sha256:{z}\nsignature: sha256:{z}\nsignatures: sha256:{z}\n",
                    z = "1".repeat(64)
                ),
            )
            .unwrap();
        }),
        ("a FIFO where the index was", |_, d| {
            let c = std::ffi::CString::new(d.join("index").to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o666) }, 0);
        }),
    ];
    for (what, plant) in plants {
        let env = build();
        std::fs::create_dir_all(cache(&env)).unwrap();
        plant(&env, &cache(&env));
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
fn losing_ones_own_memory_costs_a_verification_not_an_answer() {
    let env = build();
    let baseline = answers(&env);
    // B's memory gone: their next command verifies the log whole again, and says the
    // same.
    std::fs::remove_dir_all(env.state_home(B)).unwrap();
    let got = answers(&env);
    let strip = |s: &str| s.split(" at ").next().unwrap_or_default().to_string();
    assert_eq!(got.1, baseline.1, "{}", got.2);
    assert_eq!(strip(&got.2), strip(&baseline.2));
    assert_eq!(strip_times(&got.0), strip_times(&baseline.0));
}

/// The JSON value `key` of `who`'s memory of the log.
fn memory_field(env: &Env, who: &str, key: &str) -> serde_json::Value {
    let logs = env.state(who).path().join("logs");
    let file = std::fs::read_dir(&logs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    v["memory"][key].clone()
}

#[test]
fn appends_spot_check_older_records_as_they_go() {
    // 40 records the trainee has seen: their memory's spot-check window is at record 1.
    let env = Env::new();
    env.fill(40);
    let o = env.cmd_as(T).arg("list").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(memory_field(&env, T, "window"), 1);
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
    assert_eq!(memory_field(&env, T, "window"), 17);
    // The second spot-checks 17..=32, finds record 30: refused.
    let o = propose(&env, CASE);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("record 30"), "{}", stderr(&o));
    // A member new to the log verifies it whole at once: refused too.
    let o = env.decide(
        A,
        &[
            OTHER_CASE_IN_FIXTURE,
            "--outcome",
            "warn_and_protect",
            "--ground",
            "serious-threat",
            "--rationale",
            "x",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let r = env.verify();
    assert_eq!(r.first_bad().map(|b| b.0), Some(Some(30)));
}

/// A case of the fixture directory other than `CASE`.
const OTHER_CASE_IN_FIXTURE: &str = CONCERN;

#[test]
fn a_key_rotation_keeps_members_who_saw_the_old_policy_going() {
    // 20 records, 18 of them by the trainee; A has seen them under that policy. Then the
    // trainee's key leaves allowed_signers: those records stay valid under the archived
    // policy they name, which A saw in force.
    let env = Env::new();
    let text = std::fs::read_to_string(env.cases.join(format!("{CASE}.yaml"))).unwrap();
    std::fs::write(
        env.cases.join(format!("{OTHER}.yaml")),
        text.replace(CASE, OTHER),
    )
    .unwrap();
    env.fill(20);
    let o = env.cmd_as(A).arg("list").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let allowed = std::fs::read_to_string(env.allowed()).unwrap();
    let rotated: String = allowed
        .lines()
        .filter(|l| !l.starts_with(T))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(env.allowed(), rotated).unwrap();
    // `verify` reports those records (signed under a replaced policy).
    let o = env.cmd_as(A).arg("verify").output().unwrap();
    assert!(stdout(&o).contains("archived policy"), "{}", stdout(&o));
    // The spot-check of records 1..=16 accepts the trainee's archived signatures: the
    // window goes on to 17.
    let decide = |who: &str| {
        env.decide(
            who,
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
        )
    };
    let o = decide(A);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(memory_field(&env, A, "window"), 17);
    let r = env.verify();
    assert!(r.intact(), "{:?}", r.first_bad());
    // B never saw that policy in force: an archived policy is anyone's file, so B does
    // not take it on trust, names the record and the remedy.
    let o = env.cmd_as(B).arg("list").output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("record 3") && err.contains("Rotating keys"),
        "{err}"
    );
}

#[test]
fn show_says_the_status_and_the_record_in_force_from_the_users_memory() {
    let env = build();
    let o = env.cmd_as(B).args(["show", CASE]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("status: awaiting_provision"), "{out}");
    assert!(
        out.contains(&format!("decision: record 1 (decision by {A} at ")),
        "{out}"
    );
    let o = env
        .cmd_as(B)
        .args(["show", OTHER, "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["status"], "under_review");
    assert_eq!(v["proposal"], 6);
    assert!(v["decision"].is_null());
    // One status on every surface: the deadline's says the same (issue 23).
    assert_eq!(v["deadline"]["status"], "under_review");
}
