//! Several sites through git (DESIGN.md section 9, issue 15), with the real `git` and
//! local bare repositories configured as docs/SITES.md says.

use crate::support::record as record_support;
use crate::support::sites as sites_support;

use record_support::*;
use sites_support::*;

#[test]
fn sync_publishes_the_log_and_never_case_files_then_only_adds() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(3);
    let o = sync(&env);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("records 1..3"), "{}", stdout(&o));
    let first = head(&remote, "lakeside").expect("branch pushed");
    let files = tree_files(&remote, &first);
    for seq in 1..=3u64 {
        for name in [format!("{seq:08}.yaml"), format!("{seq:08}.yaml.sig")] {
            let path = format!("decisions/log/{name}");
            assert!(files.contains(&path), "{path} missing: {files:?}");
            let remote_bytes = git(&remote, &["show", &format!("{first}:{path}")]).stdout;
            assert_eq!(remote_bytes, std::fs::read(env.log().join(&name)).unwrap());
        }
    }
    assert!(files.contains(&"reviewers/allowed_signers".to_string()));
    // The work area is a group-shared repository: any clinic member may sync next.
    let work = env.cases.join("decisions/sync");
    let shared = git_text(&work, &["config", "core.sharedRepository"]);
    assert!(matches!(shared.trim(), "1" | "group"), "{shared}");
    // Case files, settings, keys, the lock and the work area never travel.
    for f in &files {
        assert!(
            f.starts_with("decisions/log/")
                || f.starts_with("decisions/policies/")
                || f.starts_with("decisions/checkpoints/")
                || f == "reviewers/allowed_signers",
            "{f} travelled"
        );
    }

    env.fill(2);
    let o = sync(&env);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let second = head(&remote, "lakeside").unwrap();
    assert_ne!(first, second);
    // Fast-forward: the new head's only parent is the old head, and it only adds.
    assert_eq!(
        git_text(&remote, &["rev-parse", &format!("{second}^")]).trim(),
        first
    );
    let diff = git_text(
        &remote,
        &["diff", "--name-status", "--no-renames", &first, &second],
    );
    let lines: Vec<&str> = diff.lines().collect();
    assert_eq!(lines.len(), 4, "{diff}");
    assert!(lines.iter().all(|l| l.starts_with('A')), "{diff}");

    let o = sync(&env);
    assert!(o.status.success());
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
    assert_eq!(head(&remote, "lakeside").unwrap(), second);
}

#[test]
fn a_site_copied_to_a_second_server_is_refused_as_a_fork() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(2);
    assert!(sync(&env).status.success());
    let copy = copy_site(&env);
    append(&env, "deny");
    assert!(sync(&env).status.success());
    let before = head(&remote, "lakeside").unwrap();

    append(&copy, "release_full");
    append(&copy, "release_full");
    let o = sync(&copy);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    // A refusal is said on standard error, with the prefix; nothing on standard output.
    let err = stderr(&o);
    assert!(
        err.starts_with("casebench: sync lakeside: refusing to sync: record 3"),
        "{err}"
    );
    assert!(err.contains("fork"), "{err}");
    assert_eq!(stdout(&o), "");
    assert_eq!(head(&remote, "lakeside").unwrap(), before, "remote changed");
}

#[test]
fn a_newest_record_deleted_and_decided_again_is_refused() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(3);
    assert!(sync(&env).status.success());
    let before = head(&remote, "lakeside").unwrap();
    // Someone with write access removes record 3. Whoever synced it remembers it: their
    // sync refuses at once, naming it.
    std::fs::remove_file(env.record(3)).unwrap();
    std::fs::remove_file(env.sig(3)).unwrap();
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("record 3, which you saw at"),
        "{}",
        stderr(&o)
    );
    // Someone who never saw it: the remote does.
    let newcomer = |who: &str| env.cmd_as(who).arg("sync").output().unwrap();
    let o = newcomer("newcomer");
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("record 3"), "{}", stderr(&o));
    assert!(stderr(&o).contains("lacks"), "{}", stderr(&o));

    append(&env, "release_full");
    let o = newcomer("newcomer2");
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("record 3"), "{}", stderr(&o));
    assert!(stderr(&o).contains("other bytes"), "{}", stderr(&o));
    assert_eq!(head(&remote, "lakeside").unwrap(), before, "remote changed");
}

#[test]
fn an_unreachable_remote_is_exit_2_and_the_log_untouched_then_sync_catches_up() {
    let env = Env::new();
    let remote = remote_in(&env);
    set_sync(&env, "lakeside", &format!("file://{}", remote.display()));
    env.fill(2);
    let snapshot = log_snapshot(&env);
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).starts_with("casebench: sync lakeside: nothing was published: file://"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("no git repository there"),
        "{}",
        stderr(&o)
    );
    assert_eq!(log_snapshot(&env), snapshot, "the log changed");
    // Deciding still works while the remote is away.
    env.fill(1);
    bare(&remote);
    let o = sync(&env);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let files = tree_files(&remote, &head(&remote, "lakeside").unwrap());
    assert!(files.contains(&"decisions/log/00000003.yaml".to_string()));
}

#[test]
fn sync_without_settings_or_with_a_bad_site_id_is_a_usage_error() {
    let env = Env::new();
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("sync: { site, remote }"),
        "{}",
        stderr(&o)
    );
    set_sync(&env, "'Lakeside/../x'", "/srv/x.git");
    let o = sync(&env);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("casebench.yaml:11:9:"), "{err}");
    assert!(err.contains("site id"), "{err}");
}

#[test]
fn the_compliance_office_fetches_every_site_and_verifies_each_on_its_own() {
    let north = Env::new();
    let south = Env::new();
    let remote = remote_in(&north);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    set_sync(&north, "north", &url);
    set_sync(&south, "south", remote.to_str().unwrap());
    north.fill(3);
    south.fill(2);
    assert!(sync(&north).status.success());
    assert!(sync(&south).status.success());

    let mirror = north.tmp.path().join("mirror");
    let o = fetch(&north, &url, &mirror);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("2 site(s) mirrored"), "{}", stdout(&o));
    for (site, env, n) in [("north", &north, 3u64), ("south", &south, 2)] {
        for seq in 1..=n {
            let name = format!("decisions/log/{seq:08}.yaml");
            assert_eq!(
                std::fs::read(mirror.join(site).join(&name)).unwrap(),
                std::fs::read(env.cases.join(&name)).unwrap()
            );
        }
        assert!(
            mirror
                .join(site)
                .join("reviewers/allowed_signers")
                .is_file()
        );
        assert!(!mirror.join(site).join(format!("{CASE}.yaml")).exists());
    }

    let o = verify_sites(&north, &mirror);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.contains("site north: 3 record(s): 3 ok"), "{out}");
    assert!(out.contains("site south: 2 record(s): 2 ok"), "{out}");
    assert!(out.contains("case binding not checkable here"), "{out}");

    // A record altered in one site's mirror fails that site only, by name and seq.
    let rec = mirror.join("south/decisions/log/00000002.yaml");
    let mut bytes = std::fs::read(&rec).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    bytes = text
        .replacen("Test rationale", "Test rationalE", 1)
        .into_bytes();
    assert_ne!(text.as_bytes(), &bytes[..]);
    std::fs::write(&rec, bytes).unwrap();
    let o = verify_sites(&north, &mirror);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(
        out.contains("site south: FAILED: first bad record 2"),
        "{out}"
    );
    assert!(out.contains("site north: ok"), "{out}");

    // A fetch with nothing new leaves a site's directory alone (it reads nothing
    // there): the altered copy stays altered, and verify --sites keeps saying so.
    let o = fetch(&north, &url, &mirror);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("site south: unchanged at"),
        "{}",
        stdout(&o)
    );
    assert_eq!(verify_sites(&north, &mirror).status.code(), Some(1));
    // Removed, the site's directory is built again from its branch: whole again.
    std::fs::remove_dir_all(mirror.join("south")).unwrap();
    let o = fetch(&north, &url, &mirror);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("(1 new, 0 updated, 1 unchanged)"),
        "{}",
        stdout(&o)
    );
    assert_eq!(verify_sites(&north, &mirror).status.code(), Some(0));
}

#[test]
fn fetch_from_an_unreachable_remote_and_verify_of_an_empty_mirror_are_errors() {
    let env = Env::new();
    let mirror = env.tmp.path().join("mirror");
    let o = fetch(
        &env,
        env.tmp.path().join("nowhere.git").to_str().unwrap(),
        &mirror,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no git repository there"),
        "{}",
        stderr(&o)
    );
    let o = fetch(&env, "ext::sh -c id", &mirror);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("remote"), "{}", stderr(&o));
    let o = verify_sites(&env, &mirror);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no mirrored site"), "{}", stderr(&o));
}

#[test]
fn after_decide_syncs_each_decision_and_a_failed_sync_never_loses_it() {
    let env = Env::new();
    let remote = remote_in(&env);
    set_sync_after_decide(&env, "lakeside", remote.to_str().unwrap());
    // The remote is not there yet: the decision is signed, the sync failure a warning.
    let o = env.decide(A, CONCERN_ARGS);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("sync failed"), "{}", stderr(&o));
    assert!(env.record(1).is_file());
    bare(&remote);
    append(&env, "deny");
    let o = env.decide(A, CASE_ARGS);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("synced"), "{}", stdout(&o));
    // The catch-up carried every record, including the one decided while away.
    let files = tree_files(&remote, &head(&remote, "lakeside").unwrap());
    for seq in 1..=3u64 {
        assert!(
            files.contains(&format!("decisions/log/{seq:08}.yaml")),
            "{seq}: {files:?}"
        );
    }
}

#[test]
fn the_witness_cosigns_each_head_and_reports_a_branch_rewound_on_the_server() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    set_sync(&env, "north", &url);
    env.fill(2);
    assert!(sync(&env).status.success());
    let first = head(&remote, "north").unwrap();
    env.fill(2);
    assert!(sync(&env).status.success());
    let mirror = env.tmp.path().join("mirror");
    assert!(fetch(&env, &url, &mirror).status.success());

    let o = witness(&env, &mirror);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("site north: cosigned head 4"),
        "{}",
        stdout(&o)
    );
    let memory = std::fs::read_to_string(mirror.join(".witness/north")).unwrap();
    assert!(
        memory.starts_with("casebench-witness/1\nseq: 4\nhead: sha256:"),
        "{memory}"
    );
    // The cosigned checkpoint is one the site's own verify accepts.
    let cps: Vec<_> = std::fs::read_dir(mirror.join(".witness/checkpoints/north"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    assert_eq!(cps.len(), 1);
    let o = env
        .cmd()
        .arg("verify")
        .arg("--checkpoint")
        .arg(&cps[0])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let o = witness(&env, &mirror);
    assert!(
        stdout(&o).contains("head 4 already cosigned"),
        "{}",
        stdout(&o)
    );

    // A rogue administrator rewinds the branch on the server.
    git_text(&remote, &["update-ref", &branch("north"), &first]);
    assert!(fetch(&env, &url, &mirror).status.success());
    let o = witness(&env, &mirror);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("casebench: site north: REFUSED: rollback"),
        "{err}"
    );
    assert!(err.contains("record 4"), "{err}");
    assert!(!stdout(&o).contains("site north"), "{}", stdout(&o));
    // verify --sites says it too, by site and seq.
    let o = verify_sites(&env, &mirror);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("site north: FAILED: first bad record 4: does not extend"),
        "{}",
        stdout(&o)
    );
    // The remembered head is kept: the rollback stays reported until the branch heals.
    assert_eq!(
        std::fs::read_to_string(mirror.join(".witness/north")).unwrap(),
        memory
    );
    // The site still holds its records: its next sync publishes them again.
    assert!(sync(&env).status.success());
    assert!(fetch(&env, &url, &mirror).status.success());
    assert_eq!(witness(&env, &mirror).status.code(), Some(0));
    assert_eq!(verify_sites(&env, &mirror).status.code(), Some(0));
}
