//! `e` in the workbench (issue 22): the real binary in a pseudo-terminal hands the
//! terminal to `$EDITOR` (a script) with the alternate screen left and line mode back,
//! takes it back afterwards, and says what became of the edit: the case file replaced
//! (the queue shows the new title), or the copy's problems with file:line:col and where
//! the copy is kept (the case file untouched).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::support::pty::{self, Pty};
use crate::support::tui as tui_support;

const ID: &str = "AR-2026-0101";

/// The editor: says it runs, writes the terminal's modes to `stty.txt`, waits for the
/// test's `go`, then edits the file as `mode` says (a new title, or a broken kind).
const EDITOR: &str = r#"#!/bin/sh
d="$EDIT_TEST_DIR"
stty -a > "$d/stty.txt" 2>&1
printf 'EDITOR-RUNNING %s\n' "$(cat "$d/mode")"
i=0
while [ ! -e "$d/go" ]; do
  sleep 0.05
  i=$((i+1))
  [ $i -gt 600 ] && exit 3
done
rm -f "$d/go"
case "$(cat "$d/mode")" in
  title) sed -i 's/^title: .*/title: Edited in the editor/' "$1" ;;
  break) sed -i 's/^kind: access_request/kind: acess_request/' "$1" ;;
esac
"#;

fn setup(tmp: &Path) -> std::path::PathBuf {
    let cases = tmp.join("cases");
    std::fs::create_dir(&cases).unwrap();
    for e in std::fs::read_dir(tui_support::fixture_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), cases.join(e.file_name())).unwrap();
    }
    let editor = tmp.join("editor.sh");
    std::fs::write(&editor, EDITOR).unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    cases
}

/// Presses `e` with `mode`, checks the editor got an ordinary terminal, lets it edit;
/// the screen once the workbench says what became of it.
/// `e`, the editor in `mode`, then the outcome box once it is whole: its title `outcome`
/// and `detail` in its text (the box may reach the terminal in more than one read).
fn edit(term: &mut Pty, tmp: &Path, mode: &str, outcome: &str, detail: &str) -> String {
    std::fs::write(tmp.join("mode"), mode).unwrap();
    let _ = std::fs::remove_file(tmp.join("stty.txt"));
    term.keys("e");
    let marker = format!("EDITOR-RUNNING {mode}");
    term.wait_for("the editor on the ordinary screen", |s| s.contains(&marker));
    assert!(
        !term.with_parser(|p| p.screen().alternate_screen()),
        "the editor runs on the workbench's alternate screen"
    );
    let stty = std::fs::read_to_string(tmp.join("stty.txt")).unwrap();
    let modes: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        modes.contains(&"icanon") && modes.contains(&"echo"),
        "the terminal is still raw for the editor: {stty}"
    );
    std::fs::write(tmp.join("go"), "").unwrap();
    let screen = term.wait_for(outcome, |s| {
        let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        s.contains(outcome) && flat.contains(detail)
    });
    assert!(
        term.with_parser(|p| p.screen().alternate_screen()),
        "the workbench took its screen back"
    );
    screen
}

#[test]
fn e_hands_the_terminal_to_the_editor_and_says_what_became_of_the_edit() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = setup(tmp.path());
    let case = cases.join(format!("{ID}.yaml"));
    let mut cmd = pty::casebench(&tmp.path().join("home"));
    cmd.args([
        "--cases",
        cases.to_str().unwrap(),
        "--today",
        tui_support::TODAY,
    ]);
    cmd.env("CASEBENCH_DATA_DIR", tmp.path().join("data"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.path().join("config"));
    cmd.env("EDITOR", tmp.path().join("editor.sh"));
    cmd.env_remove("VISUAL");
    cmd.env("EDIT_TEST_DIR", tmp.path());
    cmd.cwd(tmp.path());
    let mut term = Pty::spawn(cmd, 120, 30);
    term.wait_for("the queue", |s| s.contains("of 3 cases"));
    // The case selected through the filter.
    term.keys(&format!("/{}\r", &ID[8..]));
    term.wait_for("the filtered queue", |s| {
        s.contains("of 3 cases") && !s.contains("DC-2026-0007")
    });

    // A valid edit replaces the file; the queue reads it again.
    let screen = edit(
        &mut term,
        tmp.path(),
        "title",
        "Case file saved",
        "saved (sha256",
    );
    assert!(
        screen.contains(&format!("{ID}.yaml: saved (sha256")),
        "{screen}"
    );
    let text = std::fs::read_to_string(&case).unwrap();
    assert!(text.contains("title: Edited in the editor"), "{text}");
    term.keys("\r");
    term.wait_for("the new title in the queue", |s| {
        s.contains("Edited in the editor")
    });

    // A broken copy: its problems at the copy's line and column, the copy kept, the
    // case file untouched.
    let screen = edit(
        &mut term,
        tmp.path(),
        "break",
        "Not saved: the copy has problems",
        "Your copy is kept at",
    );
    let copy = tmp.path().join("data/edits").join(format!("{ID}.yaml"));
    let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("acess_request"), "{screen}");
    assert!(flat.contains("Your copy is kept at"), "{screen}");
    assert!(copy.exists());
    let kept = std::fs::read_to_string(&copy).unwrap();
    let line = kept
        .lines()
        .position(|l| l.starts_with("kind: acess_request"))
        .unwrap()
        + 1;
    assert!(
        flat.contains(&format!("{ID}.yaml:{line}:7:")),
        "no file:line:col for line {line}: {screen}"
    );
    assert_eq!(std::fs::read_to_string(&case).unwrap(), text);

    term.keys("\r");
    term.keys("q");
    assert!(term.gone_within(std::time::Duration::from_secs(10)));
}
