//! Witness checkpoints published on `casebench/witness/<principal>` and picked up by
//! each site's `sync` (DESIGN.md section 9, docs/SITES.md), with the real `git`.

use crate::support::record as record_support;
use crate::support::sites as sites_support;

use std::path::Path;

use casebench::record::checkpoint::{CHECKPOINT_TAG, Checkpoint};
use record_support::*;
use sites_support::*;

const WITNESS_BRANCH: &str = "refs/heads/casebench/witness/c.audit@clinic.example";

fn checkpoint_files(env: &Env) -> Vec<String> {
    let dir = env.cases.join("decisions/checkpoints");
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn plain_verify(env: &Env) -> std::process::Output {
    env.cmd().arg("verify").output().unwrap()
}

#[test]
fn a_witnessed_head_travels_to_the_site_and_its_own_verify_sees_a_truncation() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    set_sync(&env, "north", &url);
    env.fill(4);
    let o = sync(&env);
    assert!(o.status.success());
    // No witness branch yet: nothing to say about one.
    assert!(!stdout(&o).contains("witness"), "{}", stdout(&o));
    let mirror = env.tmp.path().join("mirror");
    assert!(fetch(&env, &url, &mirror).status.success());

    let o = witness(&env, &mirror);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o)
            .contains("casebench/witness/c.audit@clinic.example: published 2 checkpoint file(s)"),
        "{}",
        stdout(&o)
    );
    // One file per site and head, with its signature, on the witness's branch.
    let files = tree_files(&remote, WITNESS_BRANCH);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files[0].starts_with("north/00000004-") && files[0].ends_with(".yaml"));
    assert_eq!(files[1], format!("{}.sig", files[0]));
    let published = git_text(
        &remote,
        &["show", &format!("{WITNESS_BRANCH}:{}", files[0])],
    );
    assert!(published.ends_with("site: north\n"), "{published}");
    // Nothing new: nothing pushed, the branch stays where it was.
    let before = git_text(&remote, &["rev-parse", WITNESS_BRANCH]);
    let o = witness(&env, &mirror);
    assert!(stdout(&o).contains("up to date"), "{}", stdout(&o));
    assert_eq!(git_text(&remote, &["rev-parse", WITNESS_BRANCH]), before);

    // The site is rolled back to record 2 on its own server. Whoever saw record 4 there
    // refuses the shorter log at once (their memory); someone who never did cannot tell
    // without the witness's checkpoint.
    for seq in [3, 4] {
        std::fs::remove_file(env.record(seq)).unwrap();
        std::fs::remove_file(env.sig(seq)).unwrap();
    }
    let o = plain_verify(&env);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("record 4, which you saw at"),
        "{}",
        stdout(&o)
    );
    let newcomer = || env.cmd_as("newcomer");
    let o = newcomer().arg("verify").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(checkpoint_files(&env).is_empty());

    // The newcomer's sync refuses (the remote holds records 3 and 4), but places the
    // checkpoint first: from now on the site's own verify reports the truncation.
    let o = newcomer().arg("sync").output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("witness checkpoint placed: decisions/checkpoints/00000004-"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        checkpoint_files(&env),
        vec![files[0][6..].to_string(), files[1][6..].to_string()]
    );
    let o = env.cmd_as("newcomer2").arg("verify").output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("truncated"), "{out}");
    assert!(out.contains("record 3"), "{out}");
}

/// A checkpoint of `seq` with a head no record of the site has, signed by `who`: if it
/// were placed, the site's verify would report its log rewritten.
fn bogus_checkpoint(
    env: &Env,
    who: &str,
    seq: u64,
    site: Option<&str>,
) -> (String, Vec<u8>, Vec<u8>) {
    let key = ssh_key::PrivateKey::read_openssh_file(&env.key(who)).unwrap();
    let cp = Checkpoint {
        checkpoint: CHECKPOINT_TAG.into(),
        seq,
        head: format!("sha256:{}", "ab".repeat(32)),
        time: now(),
        signer: who.into(),
        key: casebench::record::sshsig::fingerprint(key.public_key()),
        site: site.map(str::to_string),
    };
    let bytes = cp.to_bytes();
    let pem = ssh_sign(&env.key(who), "casebench-audit", &bytes, &[]);
    (cp.file_name(), bytes, pem)
}

/// Pushes `files` (path in the branch, bytes) as one commit on `branch` of `remote`, as
/// whoever can write there would.
fn push_files(work: &Path, remote: &Path, branch: &str, files: &[(String, Vec<u8>)]) {
    std::fs::create_dir_all(work).unwrap();
    git_text(work, &["init", "--quiet"]);
    for (path, bytes) in files {
        let p = work.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    git_text(work, &["add", "."]);
    git_text(
        work,
        &[
            "-c",
            "user.name=x",
            "-c",
            "user.email=x@x.invalid",
            "commit",
            "--quiet",
            "-m",
            "x",
        ],
    );
    git_text(
        work,
        &[
            "push",
            "--quiet",
            remote.to_str().unwrap(),
            &format!("HEAD:{branch}"),
        ],
    );
}

#[test]
fn a_forged_or_foreign_checkpoint_on_a_witness_branch_is_not_placed_and_changes_nothing() {
    let env = Env::new();
    let remote = remote_in(&env);
    bare(&remote);
    set_sync(&env, "north", remote.to_str().unwrap());
    env.fill(2);
    assert!(sync(&env).status.success());
    let mut files = Vec::new();
    // Signed by a key the site does not allow (placed, it would claim a truncation).
    let (name, bytes, pem) = bogus_checkpoint(&env, U, 3, Some("north"));
    files.push((format!("north/{name}"), bytes));
    files.push((format!("north/{name}.sig"), pem));
    // A compliance key the site allows, but cosigned for another site.
    let (name, bytes, pem) = bogus_checkpoint(&env, C, 1, Some("south"));
    files.push((format!("north/{name}"), bytes));
    files.push((format!("north/{name}.sig"), pem));
    // A valid signature over other bytes (the file edited after signing).
    let (name, mut bytes, pem) = bogus_checkpoint(&env, C, 2, Some("north"));
    bytes = String::from_utf8(bytes)
        .unwrap()
        .replace("seq: 2", "seq: 1")
        .into_bytes();
    files.push((format!("north/{name}"), bytes));
    files.push((format!("north/{name}.sig"), pem));
    push_files(
        &env.tmp.path().join("rogue"),
        &remote,
        "refs/heads/casebench/witness/rogue",
        &files,
    );

    let o = sync(&env);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        out.matches("warning: witness branch rogue: north/").count(),
        3,
        "{out}"
    );
    assert!(out.contains("signer not allowed"), "{out}");
    assert!(
        out.contains("cosigned for site south, not for this site"),
        "{out}"
    );
    assert!(!out.contains("witness checkpoint placed"), "{out}");
    assert!(checkpoint_files(&env).is_empty());
    let o = plain_verify(&env);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}
