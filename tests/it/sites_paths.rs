//! Every several-sites command run from a relative working directory with relative
//! arguments (issue 26): git runs in the case directory or the mirror, so nothing it is
//! given may be relative to where casebench was started.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::record::*;
use crate::support::sites::*;

/// `casebench` started in `cwd`, without `--cases` (the default `./cases` applies).
fn run_in(env: &Env, cwd: &Path, args: &[&str]) -> Output {
    cmd_in(env, cwd).args(args).output().unwrap()
}

fn cmd_in(env: &Env, cwd: &Path) -> Command {
    let mut c = crate::support::cli::casebench(&env.home());
    c.current_dir(cwd).env("CASEBENCH_TODAY", TODAY);
    c
}

fn ok(o: &Output) -> String {
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(o), stderr(o));
    stdout(o)
}

#[test]
fn every_sites_command_works_from_a_relative_directory_with_relative_arguments() {
    let env = Env::new();
    let top = env.tmp.path();
    bare(&top.join("remote.git"));
    // A relative remote is taken from the case directory.
    set_sync(&env, "lakeside", "../remote.git");
    let sub = top.join("sub");
    std::fs::create_dir(&sub).unwrap();

    // The default `./cases`, as a cron job started in the clinic's directory has it.
    env.fill(2);
    let out = ok(&run_in(&env, top, &["sync"]));
    assert!(out.contains("published records 1..2"), "{out}");
    // A relative --cases, CASEBENCH_CASES, and one that climbs.
    env.fill(1);
    let out = ok(&run_in(&env, top, &["--cases", "cases", "sync", "--json"]));
    assert!(out.contains("\"records\":[3]"), "{out}");
    env.fill(1);
    let o = cmd_in(&env, top)
        .env("CASEBENCH_CASES", "cases")
        .arg("sync")
        .output()
        .unwrap();
    assert!(ok(&o).contains("published record 4,"));
    env.fill(1);
    let out = ok(&run_in(&env, &sub, &["--cases", "../cases", "sync"]));
    assert!(out.contains("published record 5,"), "{out}");
    let out = ok(&run_in(&env, &env.cases, &["--cases", ".", "sync"]));
    assert!(out.contains("up to date"), "{out}");
    let files = tree_files(&top.join("remote.git"), &branch("lakeside"));
    assert!(files.contains(&"decisions/log/00000005.yaml.sig".to_string()));

    // The office: a relative remote (from the current directory) and --into.
    let out = ok(&run_in(
        &env,
        top,
        &[
            "sites",
            "fetch",
            "--remote",
            "remote.git",
            "--into",
            "mirror",
        ],
    ));
    assert!(out.contains("1 site(s) mirrored into mirror"), "{out}");
    // The remote is recorded absolute: witness may run from anywhere.
    let recorded = std::fs::read_to_string(top.join("mirror/.git/casebench-remote")).unwrap();
    assert_eq!(
        recorded.trim_end(),
        top.join("remote.git").to_str().unwrap(),
        "{recorded}"
    );
    let out = ok(&run_in(
        &env,
        &sub,
        &[
            "sites",
            "fetch",
            "--remote",
            "../remote.git",
            "--into",
            "../mirror",
        ],
    ));
    assert!(out.contains("site lakeside: unchanged"), "{out}");
    let out = ok(&run_in(&env, top, &["verify", "--sites", "mirror"]));
    assert!(out.contains("site lakeside: ok"), "{out}");
    let out = ok(&run_in(&env, &sub, &["audit", "--sites", "../mirror"]));
    assert!(out.contains("1 site(s): 0 failed"), "{out}");
    let key = format!("../cases/reviewers/keys/{C}");
    let out = ok(&run_in(
        &env,
        &sub,
        &[
            "--reviewer",
            C,
            "--key",
            &key,
            "witness",
            "--sites",
            "../mirror",
        ],
    ));
    assert!(out.contains("site lakeside: cosigned head 5"), "{out}");
    assert!(out.contains("published 2 checkpoint file(s)"), "{out}");
    // The site picks it up, from its relative directory again.
    let out = ok(&run_in(&env, top, &["sync"]));
    assert!(
        out.contains("witness checkpoint placed: decisions/checkpoints/00000005-"),
        "{out}"
    );
}

#[test]
fn the_office_witnesses_with_its_mirror_and_key_alone() {
    let env = Env::new();
    let top = env.tmp.path();
    let remote = top.join("remote.git");
    bare(&remote);
    set_sync(&env, "lakeside", remote.to_str().unwrap());
    env.fill(2);
    ok(&sync(&env));
    // The office's own directory: no case directory, no casebench.yaml, the officer's
    // key under ~/.ssh as SITES.md shows it.
    let office = top.join("office");
    std::fs::create_dir_all(office.join(".ssh")).unwrap();
    std::fs::copy(env.key(C), office.join(".ssh/audit")).unwrap();
    let run = |args: &[&str]| {
        crate::support::cli::casebench(&office)
            .current_dir(&office)
            .args(args)
            .output()
            .unwrap()
    };
    ok(&run(&[
        "sites",
        "fetch",
        "--remote",
        remote.to_str().unwrap(),
        "--into",
        "mirror",
    ]));
    let o = run(&[
        "--reviewer",
        C,
        "--key",
        ".ssh/audit",
        "witness",
        "--sites",
        "mirror",
    ]);
    assert!(ok(&o).contains("site lakeside: cosigned head 2"));
    // Without --reviewer: the one principal the sites' policies list for that key.
    env.fill(1);
    ok(&sync(&env));
    ok(&run(&[
        "sites",
        "fetch",
        "--remote",
        remote.to_str().unwrap(),
        "--into",
        "mirror",
    ]));
    let o = run(&["--key", ".ssh/audit", "witness", "--sites", "mirror"]);
    assert!(ok(&o).contains("site lakeside: cosigned head 3"));
    // A key the sites do not list for casebench-audit: refused per site, nothing
    // cosigned, exit 1; without --reviewer, a usage error naming the key.
    std::fs::copy(env.key(A), office.join(".ssh/other")).unwrap();
    env.fill(1);
    ok(&sync(&env));
    ok(&run(&[
        "sites",
        "fetch",
        "--remote",
        remote.to_str().unwrap(),
        "--into",
        "mirror",
    ]));
    let o = run(&[
        "--reviewer",
        A,
        "--key",
        ".ssh/other",
        "witness",
        "--sites",
        "mirror",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("casebench: site lakeside: FAILED: cannot cosign for this site"),
        "{}",
        stderr(&o)
    );
    let o = run(&["--key", ".ssh/other", "witness", "--sites", "mirror"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stderr(&o).contains("pass --reviewer ID: the key SHA256:"),
        "{}",
        stderr(&o)
    );
    let o = run(&["witness", "--sites", "mirror"]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("who cosigns?"), "{}", stderr(&o));
}
