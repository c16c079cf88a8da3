//! Bad input at the edges (issue 12, point 4): hard-linked case files, checkpoints that
//! are not regular files, hostile file names and strings on every output, the alias-bomb
//! message.

mod common;

use common::*;

/// A hard link to a file outside the case directory is refused like a symlink, and not
/// one byte of the linked file reaches the output.
#[test]
fn a_hard_linked_case_file_is_refused_without_showing_its_content() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("shadow");
    std::fs::write(&secret, "root:$6$SECRET-HASH:19000:0:99999:7:::\n").unwrap();
    let dir = dir_with(&[]);
    std::fs::hard_link(&secret, dir.path().join("x.yaml")).unwrap();
    for args in [&["check"][..], &["check", "--json"][..]] {
        let out = casebench(dir.path(), args);
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(!text.contains("SECRET"), "{text}");
        assert!(!text.contains("root:"), "{text}");
        assert!(text.contains("has 2 hard links"), "{text}");
    }
    let text = stdout(&casebench(dir.path(), &["check"]));
    assert!(
        text.contains(&format!(
            "{}:1:1: refused: has 2 hard links",
            dir.path().join("x.yaml").display()
        )),
        "{text}"
    );
    // The valid cases beside it still load.
    assert!(
        text.ends_with("2 case files valid, 1 with problems\n"),
        "{text}"
    );
    // The same file with one link is an ordinary (invalid) case file again.
    std::fs::remove_file(&secret).unwrap();
    let text = stdout(&casebench(dir.path(), &["check"]));
    assert!(!text.contains("hard link"), "{text}");
}

/// A copy of the fixture cases with the sample reviewers (allowed_signers), for the
/// commands that read the policy.
fn with_reviewers() -> tempfile::TempDir {
    let dir = dir_with(&[]);
    let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("cases/reviewers");
    std::fs::create_dir(dir.path().join("reviewers")).unwrap();
    for name in ["allowed_signers", "reviewers.yaml"] {
        std::fs::copy(sample.join(name), dir.path().join("reviewers").join(name)).unwrap();
    }
    dir
}

fn mkfifo(path: &std::path::Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// `verify --checkpoint` with a bound on its run time: a blocking read fails the test
/// instead of hanging it.
fn verify_checkpoint(
    dir: &std::path::Path,
    file: &std::path::Path,
    json: bool,
) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("casebench").unwrap();
    cmd.arg("--cases")
        .arg(dir)
        .arg("--today")
        .arg(TODAY)
        .arg("verify")
        .arg("--checkpoint")
        .arg(file)
        .timeout(std::time::Duration::from_secs(20));
    if json {
        cmd.arg("--json");
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.code().is_some(),
        "verify --checkpoint {} did not finish: {}",
        file.display(),
        stderr(&out)
    );
    out
}

#[test]
fn a_checkpoint_that_is_not_a_regular_file_is_refused_at_once() {
    let dir = with_reviewers();
    let fifo = dir.path().join("head.yaml");
    mkfifo(&fifo);
    let out = verify_checkpoint(dir.path(), &fifo, false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(&format!(
            "FAILED: checkpoint {}: refused: is a FIFO (named pipe), not a regular file",
            fifo.display()
        )),
        "{text}"
    );
    assert!(!text.contains("18446744073709551615"), "{text}");
    // /dev/zero is never read: refused as a device.
    let out = verify_checkpoint(dir.path(), std::path::Path::new("/dev/zero"), true);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v["ok"], false);
    assert_eq!(v["first_bad"]["seq"], serde_json::Value::Null, "{v}");
    assert_eq!(
        v["first_bad"]["message"],
        "checkpoint /dev/zero: refused: is a device, not a regular file"
    );
    // A regular checkpoint whose signature is a FIFO: the .sig is read the same way.
    let cp = dir.path().join("cp.yaml");
    std::fs::write(&cp, "checkpoint: casebench-checkpoint/1\n").unwrap();
    mkfifo(&dir.path().join("cp.yaml.sig"));
    let text = stdout(&verify_checkpoint(dir.path(), &cp, false));
    assert!(text.contains("checkpoint signature"), "{text}");
    assert!(text.contains("not a regular file"), "{text}");
    // A huge one is refused by its size, not read to the end.
    let big = dir.path().join("big.yaml");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let text = stdout(&verify_checkpoint(dir.path(), &big, false));
    assert!(
        text.contains("refused: file is 1073741824 bytes, more than the limit of 65536 bytes"),
        "{text}"
    );
}

/// A checkpoint that is a readable file but not a checkpoint says what is wrong with it,
/// never a record number it made up.
#[test]
fn a_bad_checkpoint_says_what_is_wrong() {
    let dir = with_reviewers();
    let cp = dir.path().join("cp.yaml");
    std::fs::write(&cp, "hello: world\n").unwrap();
    std::fs::write(dir.path().join("cp.yaml.sig"), "not a signature\n").unwrap();
    let out = verify_checkpoint(dir.path(), &cp, false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("FAILED: checkpoint {}: ", cp.display())),
        "{text}"
    );
    assert!(!text.contains("first bad record"), "{text}");
}
