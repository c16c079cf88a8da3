//! Bad input at the edges (issue 12, point 4): hard-linked case files, checkpoints that
//! are not regular files, hostile file names and strings on every output, the alias-bomb
//! message.

use crate::support::common;

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
    let sample = crate::support::common::sample_library().join("reviewers");
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
    let mut cmd = assert_cmd::Command::from_std(crate::support::cli::casebench(
        crate::support::cli::shared_home(),
    ));
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

/// Characters no output may carry raw: C0 controls but newline, tab and the CRLF that
/// ends a CSV line; DEL; C1 controls; bidi controls; invisible formatting; tag characters.
fn raw_controls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let bad = match c {
            '\n' | '\t' => false,
            '\r' => chars.peek() != Some(&'\n'),
            c => casebench::text::is_marked(c),
        };
        if bad {
            found.push(format!("U+{:04X}", c as u32));
        }
    }
    found
}

/// A case file whose name carries an OSC "set title" sequence: every output shows it
/// and none obeys it.
#[test]
fn a_hostile_file_name_never_reaches_the_terminal_raw() {
    let name = "x\u{1b}]0;pwned\u{7}\u{202e}\u{85}.yaml";
    let dir = dir_with(&[(name, b"id: x\n")]);
    let out = casebench(dir.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        raw_controls(&text).is_empty(),
        "{:?} in {text}",
        raw_controls(&text)
    );
    assert!(
        text.contains("x^[]0;pwned^G<U+202E><U+0085>.yaml:"),
        "{text}"
    );
    // JSON escapes them, and still names the file exactly.
    for args in [&["check", "--json"][..], &["list", "--json"][..]] {
        let out = casebench(dir.path(), args);
        let text = stdout(&out);
        assert!(
            raw_controls(&text).is_empty(),
            "{:?} in {text}",
            raw_controls(&text)
        );
        assert!(
            text.contains(r"x\u001b]0;pwned\u0007\u202e\u0085.yaml"),
            "{text}"
        );
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let path = if args[0] == "check" {
            v["problems"][0]["path"].as_str().unwrap().to_string()
        } else {
            v["invalid"][0].as_str().unwrap().to_string()
        };
        assert!(path.ends_with(name), "{path}");
    }
    // The warning on standard error too.
    let err = stderr(&casebench(dir.path(), &["list"]));
    assert!(err.contains("1 case file(s) invalid"), "{err}");
    // An unknown case named with an escape: the usage error is sanitised.
    let out = casebench(dir.path(), &["show", "\u{1b}]0;t\u{7}"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(raw_controls(&err).is_empty(), "{err}");
    assert!(err.contains("^[]0;t^G"), "{err}");
}

use crate::support::audit as audit_support;

/// Records holding escape sequences, a C1 control, bidi and tag characters: the table,
/// the CSV files and the JSON carry none of them raw; JSON still round-trips them.
#[test]
fn hostile_record_text_is_escaped_in_csv_and_json() {
    use audit_support::{A, B, Env, TODAY as AUDIT_TODAY};
    let env = Env::new();
    let hostile = "CPS \u{1b}]0;pwned\u{7}\u{85}\u{E0041}";
    env.decide(
        B,
        AUDIT_TODAY,
        &[
            "DC-2026-0305",
            "--outcome",
            "report",
            "--ground",
            "child-abuse-report",
            "--disclosure",
            &format!("{hostile}|1 St\u{202e}reet\rover|Statement|Mandatory report"),
            "--rationale",
            "Report.",
        ],
    );
    env.decide(
        A,
        AUDIT_TODAY,
        &[
            "AR-2026-0303",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "crisis-note=danger-to-life",
            "--override",
            "harm-not-licensed=why \u{1b}[31mred\u{2066}",
            "--override",
            "invalid-ground=see above",
            "--rationale",
            "Withhold.",
        ],
    );
    for args in [
        &["--format", "csv"][..],
        &["--accounting", "--format", "csv"][..],
        &["--summary", "--format", "csv"][..],
        &[][..],
        &["--accounting"][..],
        &["--json"][..],
        &["--accounting", "--json"][..],
    ] {
        let (code, out) = env.audit(args);
        assert_eq!(code, 0, "{args:?}: {out}");
        assert!(
            raw_controls(&out).is_empty(),
            "{args:?}: {:?} in {out}",
            raw_controls(&out)
        );
    }
    let (_, csv) = env.audit(&["--accounting", "--format", "csv"]);
    assert!(csv.contains("CPS ^[]0;pwned^G<U+0085><U+E0041>,"), "{csv}");
    assert!(csv.contains("1 St<U+202E>reet^Mover,"), "{csv}");
    let (_, csv) = env.audit(&["--format", "csv"]);
    assert!(csv.contains("why ^[[31mred<U+2066>"), "{csv}");
    let (_, j) = env.audit(&["--accounting", "--json"]);
    assert!(
        j.contains(r"CPS \u001b]0;pwned\u0007\u0085\udb40\udc41"),
        "{j}"
    );
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["accounting"]["entries"][0]["recipient"], hostile);
    assert_eq!(
        v["accounting"]["entries"][0]["address"],
        "1 St\u{202e}reet\rover"
    );
    // verify --json too: it goes through the same encoder.
    let o = env
        .cmd(AUDIT_TODAY)
        .args(["verify", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(raw_controls(&text).is_empty(), "{text}");
}

/// The alias-bomb refusal is said in words, with the limit, never as an internal struct.
#[test]
fn an_alias_bomb_is_refused_in_words() {
    let big = "x".repeat(900_000);
    let refs = vec!["*a"; 250].join(", ");
    let src = edit(
        &access(),
        "  factors:\n    - no history of self-harm\n",
        &format!("  factors: [&a \"{big}\", {refs}]\n"),
    );
    let dir = dir_with(&[("AR-2026-0101.yaml", src.as_bytes())]);
    let out = casebench(dir.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let headline = text.lines().next().unwrap_or_default();
    assert!(
        headline.ends_with(
            ": document too complex: its text, with every alias (`*name`) expanded, comes to \
             more than 8 MiB; an alias repeating a large anchor is an \"alias bomb\"; refused"
        ),
        "{headline}"
    );
    assert!(
        !text.contains("ScalarBytes") && !text.contains("budget"),
        "{text}"
    );
}
