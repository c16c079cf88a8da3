//! `N` in the real binary (issue 22): the intake screen driven in a pseudo-terminal, the
//! case file written through the loop's own effects, the queue showing the new case.

use crate::support::pty::{self, Pty};

/// A patient's own request, answer by answer (empty: skip or the default).
const ANSWERS: &[&str] = &[
    "access_request",
    "2026-11-20",
    "09:15",
    "mail",
    "J. Clerk",
    "",
    "P-40001",
    "34",
    "",
    "M. Reyes",
    "self",
    "4 Oak Rd, Lakeside, OH 44000",
    "unknown",
    "written_request",
    "yes",
    "",
    "",
    "chart chart Outpatient chart 2025",
    "",
    "",
    "",
    "",
    "",
    "Patient asks for her 2025 chart",
    "Dr. A. Rivera (MD)",
];

#[test]
fn n_asks_the_questions_and_the_case_appears_in_the_queue() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = tmp.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    std::fs::write(
        cases.join("casebench.yaml"),
        "entity: { name: Test Clinic, state: US-OH }\nprivacy_contact: { title: Privacy Officer, phone: \"555-0100\" }\n",
    )
    .unwrap();
    // The real day: the new case's evaluation is assigned today.
    let mut cmd = pty::casebench(&tmp.path().join("home"));
    cmd.args(["--cases", cases.to_str().unwrap()]);
    cmd.env("CASEBENCH_DATA_DIR", tmp.path().join("data"));
    cmd.env("CASEBENCH_CONFIG_DIR", tmp.path().join("config"));
    cmd.cwd(tmp.path());
    let mut term = Pty::spawn(cmd, 100, 30);
    term.wait_for("the empty queue", |s| s.contains("of 0 cases"));
    term.keys("N");
    term.wait_for("the first question", |s| s.contains("New case · Arrival"));
    for a in ANSWERS {
        term.keys(&format!("{a}\r"));
    }
    term.wait_for("the summary", |s| s.contains("check the answers"));
    term.keys("y");
    let screen = term.wait_for("the case in the queue", |s| {
        s.contains("Case opened") && s.contains("1 of 1 cases") && s.contains("waiting")
    });
    assert!(screen.contains("AR-2026-0001"), "{screen}");
    let text = std::fs::read_to_string(cases.join("AR-2026-0001.yaml")).unwrap();
    assert!(
        text.contains("title: Patient asks for her 2025 chart"),
        "{text}"
    );
    assert!(text.contains("status: pending"), "{text}");
    term.keys("\rq");
    assert!(term.gone_within(std::time::Duration::from_secs(10)));
}
