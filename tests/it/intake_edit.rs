//! `casebench edit` (issue 22) with a fake `$EDITOR`: an invalid edit keeps the original
//! and names the copy (re-opened by the next `edit`); a valid one replaces the file
//! atomically; a decided case is never edited in place.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::cli::{casebench, stderr, stdout};
use crate::support::common::access;

const ID: &str = "AR-2026-0101";

struct Env {
    tmp: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("cases")).unwrap();
        std::fs::write(
            tmp.path().join("cases").join(format!("{ID}.yaml")),
            access(),
        )
        .unwrap();
        Env { tmp }
    }

    fn cases(&self) -> PathBuf {
        self.tmp.path().join("cases")
    }

    fn case_text(&self) -> String {
        std::fs::read_to_string(self.cases().join(format!("{ID}.yaml"))).unwrap()
    }

    /// A fake editor: a script that runs `sed` with `expr` on the file it is given.
    fn editor(&self, name: &str, body: &str) -> PathBuf {
        let p = self.tmp.path().join(name);
        std::fs::write(&p, format!("#!/bin/sh\nset -e\n{body}\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        p
    }

    fn edit(&self, editor: &Path, extra: &[&str]) -> Output {
        casebench(&self.tmp.path().join("home"))
            .env("EDITOR", editor)
            .env_remove("VISUAL")
            .env("CASEBENCH_DATA_DIR", self.tmp.path().join("data"))
            .arg("--cases")
            .arg(self.cases())
            .args(["--today", "2026-11-23", "edit", ID])
            .args(extra)
            .output()
            .unwrap()
    }

    fn copy(&self) -> PathBuf {
        self.tmp
            .path()
            .join("data/edits")
            .join(format!("{ID}.yaml"))
    }
}

#[test]
fn an_invalid_edit_keeps_the_original_and_names_the_copy() {
    let env = Env::new();
    let before = env.case_text();
    // Two mistakes at once: both are reported, at their lines, in the copy.
    let bad = env.editor(
        "bad.sh",
        r#"sed -i -e 's/relationship: self/relationship: patient/' -e 's/received: 2026-03-02/recieved: 2026-03-02/' "$1""#,
    );
    let out = env.edit(&bad, &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let copy = env.copy();
    let at = |line: u32, col: u32| format!("{}:{line}:{col}: ", copy.display());
    assert!(
        text.contains(&format!(
            "{}unknown key `recieved` (did you mean `received`?)",
            at(4, 1)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{}unknown value `patient` (did you mean `parent`?)",
            at(14, 19)
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "2 problems; {} was not changed. Your copy is kept at {}: run `casebench edit {ID}` to open it again, or `casebench edit {ID} --discard` to start again from the case file",
            env.cases().join(format!("{ID}.yaml")).display(),
            copy.display()
        )),
        "{text}"
    );
    assert_eq!(env.case_text(), before, "the original is untouched");
    assert!(
        std::fs::read_to_string(&copy)
            .unwrap()
            .contains("recieved:")
    );
    assert_eq!(
        std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // Re-opened: the next edit works on the copy, and mends it.
    let fix = env.editor(
        "fix.sh",
        r#"sed -i -e 's/relationship: patient/relationship: self/' -e 's/recieved:/received:/' -e 's/age: 34/age: 35/' "$1""#,
    );
    let out = env.edit(&fix, &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(
        text.contains("re-opening your copy from an earlier edit"),
        "{text}"
    );
    assert!(text.contains(": saved (sha256 "), "{text}");
    let after = env.case_text();
    assert!(after.contains("age: 35") && after.contains("received: 2026-03-02"));
    assert_eq!(after, before.replace("age: 34", "age: 35"));
    assert!(!copy.exists(), "the copy is gone once saved");
    // No temporary file is left in the case directory.
    let names: Vec<String> = std::fs::read_dir(env.cases())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, [format!("{ID}.yaml")]);
}

#[test]
fn discard_starts_again_and_no_change_is_said() {
    let env = Env::new();
    let bad = env.editor("bad.sh", r#"sed -i 's/age: 34/age: old/' "$1""#);
    assert_eq!(env.edit(&bad, &[]).status.code(), Some(1));
    let noop = env.editor("noop.sh", "true");
    let out = env.edit(&noop, &["--discard"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains(": no change"), "{}", stdout(&out));
    assert!(!env.copy().exists());
}

#[test]
fn an_editor_that_fails_keeps_the_copy() {
    let env = Env::new();
    let fail = env.editor("fail.sh", r#"sed -i 's/age: 34/age: 36/' "$1"; exit 3"#);
    let out = env.edit(&fail, &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("exited with exit status: 3"), "{err}");
    assert!(
        err.contains("the case file is unchanged and your copy is kept at"),
        "{err}"
    );
    assert!(env.case_text().contains("age: 34"));
}

#[test]
fn a_file_changed_meanwhile_is_not_overwritten() {
    let env = Env::new();
    let case = env.cases().join(format!("{ID}.yaml"));
    // While "editing", someone else saves the case file.
    let racer = env.editor(
        "racer.sh",
        &format!(
            r#"sed -i 's/age: 34/age: 40/' "$1"; sed -i 's/age: 34/age: 50/' '{}'"#,
            case.display()
        ),
    );
    let out = env.edit(&racer, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("changed since your copy was made"),
        "{}",
        stderr(&out)
    );
    assert!(env.case_text().contains("age: 50"), "the other edit stands");
    assert!(
        std::fs::read_to_string(env.copy())
            .unwrap()
            .contains("age: 40")
    );
}

#[test]
fn a_decided_case_is_never_edited_in_place() {
    let env = crate::support::record::Env::new();
    env.fill(1); // a decision on AR-2026-0201
    let case = env.cases.join("AR-2026-0201.yaml");
    let before = std::fs::read(&case).unwrap();
    let editor = env.tmp.path().join("ed.sh");
    std::fs::write(&editor, "#!/bin/sh\necho changed >> \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .cmd()
        .env("EDITOR", &editor)
        .env("CASEBENCH_DATA_DIR", env.tmp.path().join("data"))
        .args(["edit", "AR-2026-0201"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("AR-2026-0201 is decided: the log holds 1 record of it"),
        "{err}"
    );
    assert!(err.contains("never edited in place"), "{err}");
    assert!(
        err.contains("casebench new --follows AR-2026-0201"),
        "{err}"
    );
    assert_eq!(std::fs::read(&case).unwrap(), before);
    assert!(!env.tmp.path().join("data/edits/AR-2026-0201.yaml").exists());
}
