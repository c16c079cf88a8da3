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
