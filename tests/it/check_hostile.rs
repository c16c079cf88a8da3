//! Hostile inputs: each is refused with a precise message, by a limit rather than by
//! exhaustion, while the valid cases in the same directory still load.

use crate::support::common;

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;

use common::*;

/// Runs check on a directory holding the valid fixtures plus the hostile files, and
/// returns the report; asserts exit 1 and that both valid cases loaded.
fn report(dir: &std::path::Path, bad_files: usize) -> String {
    let out = casebench(dir, &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.ends_with(&format!("2 case files valid, {bad_files} with problems\n")),
        "{text}"
    );
    text
}

fn headline(dir: &std::path::Path, name: &str, rest: &str) -> String {
    format!("{}:{rest}", dir.join(name).display())
}

/// Scalar amplification: one 900 KB anchor referenced 250 times would be 225 MB.
#[test]
fn alias_bomb_is_refused() {
    let big = "x".repeat(900_000);
    let refs = vec!["*a"; 250].join(", ");
    let src = edit(
        &access(),
        "  factors:\n    - no history of self-harm\n",
        &format!("  factors: [&a \"{big}\", {refs}]\n"),
    );
    let dir = dir_with(&[
        ("AR-2026-0101.yaml", src.as_bytes()),
        (
            "AR-2026-0102.yaml",
            edit(&access(), "id: AR-2026-0101", "id: AR-2026-0102").as_bytes(),
        ),
    ]);
    let text = report(dir.path(), 1);
    assert!(
        text.contains(&headline(dir.path(), "AR-2026-0101.yaml", "37:")),
        "{text}"
    );
    assert!(text.contains("document too complex"), "{text}");
}

/// The classic "billion laughs": nine levels of nine references each.
#[test]
fn nested_alias_bomb_is_refused() {
    let mut bomb = String::from(
        "  factors: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        bomb.push_str(&format!("  x{}: &{} [{refs}]\n", w[1], w[1]));
    }
    let src = edit(
        &access(),
        "  factors:\n    - no history of self-harm\n",
        &bomb,
    );
    let dir = dir_with(&[("bomb.yaml", src.as_bytes())]);
    let text = report(dir.path(), 1);
    assert!(
        text.contains(&headline(dir.path(), "bomb.yaml", "")),
        "{text}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    let dir = dir_with(&[("deep.yaml", deep.as_bytes())]);
    let text = report(dir.path(), 1);
    assert!(
        text.contains(&headline(dir.path(), "deep.yaml", "1:")),
        "{text}"
    );
    assert!(
        text.contains("document too complex") || text.contains("nesting"),
        "{text}"
    );
}

#[test]
fn block_nesting_is_refused() {
    // Deep nesting where the schema expects a list of strings: refused at once by type.
    let deep = edit(
        &access(),
        "  factors:\n    - no history of self-harm\n",
        &format!("  factors:\n    {}x\n", "- ".repeat(10_000)),
    );
    let dir = dir_with(&[("deep.yaml", deep.as_bytes())]);
    let text = report(dir.path(), 1);
    assert!(
        text.contains(&headline(dir.path(), "deep.yaml", "38:")),
        "{text}"
    );
}

#[test]
fn five_megabyte_file_is_refused_before_parsing() {
    let big = format!("id: x\ntitle: \"{}\"\n", "a".repeat(5 * 1024 * 1024));
    let dir = dir_with(&[("big.yaml", big.as_bytes())]);
    let text = report(dir.path(), 1);
    let expected = headline(
        dir.path(),
        "big.yaml",
        &format!(
            "1:1: refused: file is {} bytes, more than the limit of 1048576 bytes",
            big.len()
        ),
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn duplicated_key_is_refused() {
    let src = edit(&access(), "age: 34", "age: 34\n  age: 35");
    let dir = dir_with(&[
        ("AR-2026-0101.yaml", src.as_bytes()),
        (
            "AR-2026-0102.yaml",
            edit(&access(), "id: AR-2026-0101", "id: AR-2026-0102").as_bytes(),
        ),
    ]);
    let text = report(dir.path(), 1);
    let expected = headline(
        dir.path(),
        "AR-2026-0101.yaml",
        "11:3: duplicate key `age`: each key may appear only once",
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn invalid_utf8_reports_line_and_column() {
    let mut bytes = access().into_bytes();
    let at = bytes.windows(7).position(|w| w == b"M. Reye").unwrap() + 3;
    bytes[at] = 0xFF; // line 13: "    name: M. Reyes", column of the byte = 14
    let dir = dir_with(&[("AR-2026-0101.yaml", &bytes)]);
    let out = casebench(dir.path(), &["check"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    let expected = headline(
        dir.path(),
        "AR-2026-0101.yaml",
        "13:14: invalid UTF-8 (byte 0xFF); case files must be UTF-8 text",
    );
    assert!(text.contains(&expected), "{text}");
    assert!(
        text.ends_with("1 case file valid, 1 with problems\n"),
        "{text}"
    );
}

#[test]
fn symlinked_case_is_refused() {
    let dir = dir_with(&[]);
    let target = dir.path().join("elsewhere.txt");
    std::fs::write(&target, concern().replace("DC-2026-0007", "DC-LINK")).unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("DC-LINK.yaml")).unwrap();
    let text = report(dir.path(), 1);
    let expected = headline(
        dir.path(),
        "DC-LINK.yaml",
        "1:1: refused: is a symbolic link (case files must be regular files)",
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn fifo_is_refused_without_blocking() {
    let dir = dir_with(&[]);
    let p = dir.path().join("pipe.yaml");
    let c = CString::new(p.as_os_str().as_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let text = report(dir.path(), 1);
    let expected = headline(
        dir.path(),
        "pipe.yaml",
        "1:1: refused: is a FIFO (named pipe), not a regular file",
    );
    assert!(text.contains(&expected), "{text}");
}

#[test]
fn every_bad_file_is_listed_together() {
    let bad_id = edit(&access(), "id: AR-2026-0101", "id: \"../x\"");
    let dir = dir_with(&[
        ("bad-id.yaml", bad_id.as_bytes()),
        ("broken.yaml", b"id: [unclosed\n"),
        ("big.yaml", &vec![b'#'; 2 * 1024 * 1024]),
    ]);
    std::os::unix::fs::symlink("/etc/hostname", dir.path().join("link.yaml")).unwrap();
    let text = report(dir.path(), 4);
    for name in ["bad-id.yaml", "broken.yaml", "big.yaml", "link.yaml"] {
        assert!(
            text.contains(&headline(dir.path(), name, "")),
            "{name} missing: {text}"
        );
    }
    assert!(text.contains("invalid id `../x`"), "{text}");
}

#[test]
fn list_skips_bad_files_and_says_so() {
    let dir = dir_with(&[("broken.yaml", b"id: [unclosed\n")]);
    let out = casebench(dir.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("AR-2026-0101"));
    assert!(
        stderr(&out).contains("1 case file(s) invalid"),
        "{}",
        stderr(&out)
    );
}
