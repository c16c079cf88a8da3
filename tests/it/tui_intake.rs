//! The intake screen (`N` in the queue, issue 22): snapshots of a question, a re-ask
//! and the summary at 80×24 and 120×40; end to end, the screen driven key by key with
//! the loop's own effects (`event_loop::begin_intake`, `write_intake`, the loader), the
//! case file it writes accepted by `casebench check`, shown in the queue waiting on its
//! clinician, and a second `N` taking the next id, never the first one's file.

use std::path::{Path, PathBuf};

use casebench::case::intake::Intake;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::event_loop::{begin_intake, load_messages, write_intake};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::support::cli::{casebench, stdout};
use crate::support::tui::*;

/// A fixed clock for the snapshots (the loop uses the real one).
fn fixed_intake() -> Intake {
    let now = chrono::NaiveDateTime::parse_from_str("2026-11-23 10:30", "%Y-%m-%d %H:%M").unwrap();
    let mut i = Intake::new(now);
    i.home_state = Some("US-OH".into());
    i
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    let mut fx = send(s, text.chars().map(key));
    fx.extend(send(s, [code(KeyCode::Enter)]));
    fx
}

/// A patient's request for her chart and notes, in the order the screen asks; a bad
/// answer (`teen`) is given first where marked.
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
    "yes",
    "photo_id",
    "J. Clerk",
    "",
    "written_request",
    "yes",
    "2026-11-18",
    "all my records from 2025",
    "chart chart Outpatient chart 2025",
    "notes psychotherapy_notes Therapist's process notes",
    "unknown",
    "",
    "electronic_copy",
    "PDF by secure email",
    "email",
    "",
    "",
    "",
    "",
    "",
    "",
    "Dr. A. Rivera (MD)",
];

fn answer_through(s: &mut State, answers: &[&str]) {
    for a in answers {
        let before = s.intake.as_ref().and_then(|v| v.at.clone());
        typed(s, a);
        let v = s.intake.as_ref().unwrap();
        assert_eq!(v.refusal, None, "{before:?} = {a:?}");
    }
}

fn at_intake() -> State {
    let mut s = state();
    let fx = send(&mut s, [key('N')]);
    assert_eq!(fx, vec![Effect::BeginIntake]);
    send(&mut s, [Msg::IntakeBegun(Ok(Box::new(fixed_intake())))]);
    assert_eq!(s.screen, Screen::Intake);
    s
}

#[test]
fn a_question_a_re_ask_and_the_summary_at_80x24_and_120x40() {
    let mut s = at_intake();
    answer_through(&mut s, &ANSWERS[..7]);
    for (w, h) in [(80, 24), (120, 40)] {
        let out = render(&mut s, w, h);
        assert!(out.contains("The patient's age in years"), "{out}");
        insta::assert_snapshot!(format!("intake_question_{w}x{h}"), out);
    }
    typed(&mut s, "teen");
    let v = s.intake.as_ref().unwrap();
    assert_eq!(v.at.as_deref(), Some("patient.age"));
    for (w, h) in [(80, 24), (120, 40)] {
        let out = render(&mut s, w, h);
        assert!(
            out.contains("! expected a whole number from 0 to 130"),
            "{out}"
        );
        insta::assert_snapshot!(format!("intake_reask_{w}x{h}"), out);
    }
    send(&mut s, (0..4).map(|_| code(KeyCode::Backspace)));
    answer_through(&mut s, &ANSWERS[7..]);
    assert_eq!(s.intake.as_ref().unwrap().at, None);
    for (w, h) in [(80, 24), (120, 40)] {
        let out = render(&mut s, w, h);
        assert!(out.contains("check the answers"), "{out}");
        insta::assert_snapshot!(format!("intake_summary_{w}x{h}"), out);
    }
    // Help lists the intake's keys, with the question's own words on typing.
    send(&mut s, [key('?')]);
    let out = render(&mut s, 80, 24);
    assert!(
        out.contains("write the case file under the next free id"),
        "{out}"
    );
}

#[test]
fn the_queue_and_the_case_view_list_n_and_e() {
    let mut s = state();
    let out = render(&mut s, 80, 24);
    let footer = out.lines().last().unwrap();
    assert!(
        footer.contains("N new case") && footer.contains("e edit"),
        "{footer}"
    );
    send(&mut s, [key('?')]);
    let help = render(&mut s, 80, 40);
    assert!(
        help.contains("a new case: the intake's questions"),
        "{help}"
    );
    assert!(
        help.contains("edit the case file in $VISUAL/$EDITOR"),
        "{help}"
    );
    send(&mut s, [code(KeyCode::Esc)]);
    open(&mut s, "AR-2026-0101");
    let fx = send(&mut s, [key('e')]);
    assert_eq!(fx, vec![Effect::EditCase("AR-2026-0101".into())]);
}

#[test]
fn ctrl_c_on_the_intake_asks_before_the_answers_go() {
    let mut s = at_intake();
    typed(&mut s, "access_request");
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let fx = send(&mut s, [ctrl_c]);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(!s.quit);
    assert!(
        s.message
            .as_ref()
            .unwrap()
            .1
            .contains("Quit the workbench?")
    );
    let fx = send(&mut s, [key('n')]);
    assert!(fx.is_empty() && !s.quit);
    assert_eq!(s.screen, Screen::Intake);
    // Esc back to the first question, Esc again: leave, asked first; y leaves.
    send(&mut s, [code(KeyCode::Esc), code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Intake);
    send(&mut s, [key('y')]);
    assert_eq!(s.screen, Screen::Queue);
    assert!(s.intake.is_none());
}

/// An empty clinic's case directory (home state Ohio).
fn clinic(tmp: &Path) -> PathBuf {
    let cases = tmp.join("cases");
    std::fs::create_dir_all(&cases).unwrap();
    std::fs::write(
        cases.join("casebench.yaml"),
        "entity: { name: Test Clinic, state: US-OH }\nprivacy_contact: { title: Privacy Officer, phone: \"555-0100\" }\n",
    )
    .unwrap();
    cases
}

/// Carries out the effects the intake asks for as the loop does; returns the others.
fn run(s: &mut State, options: &casebench::tui::Options, fx: Vec<Effect>) -> Vec<Effect> {
    let mut left = fx;
    let mut other = Vec::new();
    while !left.is_empty() {
        let mut next = Vec::new();
        for e in left {
            let msgs = match &e {
                Effect::BeginIntake => vec![begin_intake(options)],
                Effect::WriteCase(i) => vec![write_intake(options, i)],
                Effect::LoadCases => load_messages(
                    &options.cases,
                    &casebench::case::LoadOptions::new(options.clock.deadline_day()),
                    &|_, _| {},
                ),
                _ => {
                    other.push(e);
                    continue;
                }
            };
            for m in msgs {
                next.extend(casebench::tui::app::update(s, m));
            }
        }
        left = next;
    }
    other
}

/// Presses `N`, answers everything, `y`: the id written.
fn new_case_through_the_screen(s: &mut State, options: &casebench::tui::Options) -> String {
    let fx = send(s, [key('N')]);
    run(s, options, fx);
    assert_eq!(s.screen, Screen::Intake);
    assert_eq!(s.banner, None);
    for a in ANSWERS {
        let before = s.intake.as_ref().and_then(|v| v.at.clone());
        let fx = typed(s, a);
        run(s, options, fx);
        let v = s.intake.as_ref().unwrap();
        assert_eq!(v.refusal, None, "{before:?} = {a:?}");
    }
    let fx = send(s, [key('y')]);
    assert!(matches!(fx.as_slice(), [Effect::WriteCase(_)]), "{fx:?}");
    run(s, options, fx);
    assert_eq!(s.screen, Screen::Queue, "{:?}", s.banner);
    let banner = s.banner.clone().unwrap();
    assert_eq!(banner.title, "Case opened", "{banner:?}");
    assert!(
        banner
            .text
            .contains("waiting on clinician Dr. A. Rivera (MD)"),
        "{banner:?}"
    );
    let row = s.selected_row().unwrap().clone();
    assert!(banner.text.starts_with(&row.id), "{banner:?} {row:?}");
    row.id
}

#[test]
fn n_writes_a_case_check_accepts_into_the_queue_and_twice_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = clinic(tmp.path());
    // The workbench's day is the real one here: the new case's evaluation is assigned
    // today, and a case is loaded as of the workbench's day.
    let today = chrono::Local::now().date_naive();
    let options = casebench::tui::Options {
        state_dir: Some(tmp.path().join("state")),
        ..casebench::tui::Options::new(&cases, today)
    };
    let mut s = State::new(
        today,
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    let fx = vec![Effect::LoadCases];
    run(&mut s, &options, fx);
    send(&mut s, [Msg::Resize(80, 24)]);
    assert!(s.rows.is_empty());

    let first = new_case_through_the_screen(&mut s, &options);
    assert_eq!(first, "AR-2026-0001");
    let row = s.selected_row().unwrap();
    assert_eq!(row.status, casebench::rules::Status::WaitingOnClinician);
    assert_eq!(row.received, "2026-11-20");
    let first_bytes = std::fs::read(cases.join("AR-2026-0001.yaml")).unwrap();
    let text = String::from_utf8(first_bytes.clone()).unwrap();
    for want in [
        "requester:",
        "name: M. Reyes",
        "address: 4 Oak Rd, Lakeside, OH 44000",
        "method: photo_id",
        "kept_separately: unknown",
        "requested: electronic_copy",
        "status: pending",
        "assigned_to: Dr. A. Rivera (MD)",
        "jurisdiction: US-OH",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    let out = casebench(&tmp.path().join("home"))
        .arg("--cases")
        .arg(&cases)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Another clerk's file took the next number meanwhile: the screen takes the one after.
    let other = text.replace("id: AR-2026-0001", "id: AR-2026-0002");
    std::fs::write(cases.join("AR-2026-0002.yaml"), &other).unwrap();
    let second = new_case_through_the_screen(&mut s, &options);
    assert_eq!(second, "AR-2026-0003");
    assert_eq!(
        std::fs::read(cases.join("AR-2026-0001.yaml")).unwrap(),
        first_bytes,
        "the first case is untouched"
    );
    assert_eq!(
        std::fs::read_to_string(cases.join("AR-2026-0002.yaml")).unwrap(),
        other
    );
    assert_eq!(s.rows.len(), 3);
    let out = casebench(&tmp.path().join("home"))
        .arg("--cases")
        .arg(&cases)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn e_on_a_decided_case_is_refused_with_the_command_line_s_words() {
    let env = crate::support::record::Env::new();
    env.fill(1); // a decision on AR-2026-0201
    let case = env.cases.join("AR-2026-0201.yaml");
    let before = std::fs::read(&case).unwrap();
    let options = casebench::tui::Options {
        state_dir: Some(env.tmp.path().join("workbench-state")),
        ..casebench::tui::Options::new(&env.cases, today())
    };
    let msg = casebench::tui::event_loop::edit_case(&options, "AR-2026-0201", &mut |_| {
        panic!("the editor must not open on a decided case")
    });
    let Msg::CaseEdited { id, report } = &msg else {
        panic!("{msg:?}");
    };
    assert_eq!(id, "AR-2026-0201");
    assert_eq!(report.outcome, casebench::tui::app::EditOutcome::Refused);
    let said = report.lines.join("\n");
    assert!(
        said.contains("AR-2026-0201 is decided: the log holds 1 record of it")
            && said.contains("casebench new --follows AR-2026-0201"),
        "{said}"
    );
    // The same words as `casebench edit`.
    let out = env
        .cmd()
        .env("CASEBENCH_DATA_DIR", env.tmp.path().join("data"))
        .args(["edit", "AR-2026-0201"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        crate::support::cli::stderr(&out).contains(&said),
        "{said}\n{}",
        crate::support::cli::stderr(&out)
    );
    assert_eq!(std::fs::read(&case).unwrap(), before);
    // In a box on the screen, the queue left as it was.
    let mut s = state();
    send(&mut s, [msg]);
    let banner = s.banner.clone().unwrap();
    assert_eq!(banner.title, "Not edited");
    assert!(banner.text.contains("never edited in place"), "{banner:?}");
    assert!(!s.reloading);
}

#[test]
fn a_hang_up_keeps_the_intake_s_answers_for_casebench_new() {
    let mut s = at_intake();
    answer_through(&mut s, ANSWERS);
    let fx = send(&mut s, [Msg::Hangup("SIGHUP".into())]);
    let [Effect::KeepIntake(intake), Effect::Quit] = fx.as_slice() else {
        panic!("{fx:?}");
    };
    // What the loop keeps, given to `casebench new --answers`: the same case.
    let tmp = tempfile::tempdir().unwrap();
    let cases = clinic(tmp.path());
    let answers = tmp.path().join("answers.yaml");
    std::fs::write(&answers, intake.answers_text()).unwrap();
    let out = casebench(&tmp.path().join("home"))
        .arg("--cases")
        .arg(&cases)
        .arg("new")
        .arg("--answers")
        .arg(&answers)
        .arg("--no-input")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        crate::support::cli::stderr(&out)
    );
    let written = std::fs::read_to_string(cases.join("AR-2026-0001.yaml")).unwrap();
    let from_screen = intake.case_text("AR-2026-0001").unwrap();
    // The same file but for the intake's own time (its first line, and the day the
    // evaluation was assigned: the screen here ran on a fixed clock).
    let body = |t: &str| {
        t.lines()
            .skip(1)
            .filter(|l| !l.starts_with("  assigned_on:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&written), body(&from_screen));

    // Nothing answered: nothing to keep.
    let mut s = at_intake();
    let fx = send(&mut s, [Msg::Hangup("SIGHUP".into())]);
    assert_eq!(fx, vec![Effect::Quit]);
}

#[test]
fn the_intake_draws_at_every_size_without_panicking() {
    let mut s = at_intake();
    answer_through(&mut s, &ANSWERS[..21]);
    typed(&mut s, "bad");
    assert!(s.intake.as_ref().unwrap().refusal.is_some());
    let sizes = (0..=90)
        .step_by(7)
        .flat_map(|w| (0..=30).step_by(3).map(move |h| (w, h)));
    for (w, h) in sizes.clone() {
        let _ = render(&mut s, w, h);
    }
    send(&mut s, (0..3).map(|_| code(KeyCode::Backspace)));
    answer_through(&mut s, &ANSWERS[21..]);
    for (w, h) in sizes {
        let _ = render(&mut s, w, h);
    }
}

#[test]
fn a_case_written_in_a_workbench_as_of_an_earlier_day_is_in_the_queue() {
    // The workbench "as of" a day before the real one (`--today`, a library's `as_of`):
    // the new case is received and its evaluation assigned on the real day, later than
    // that. One clock: the "as of" day counts deadlines, it never makes a real date
    // future, so the case loads and waits on its clinician.
    let tmp = tempfile::tempdir().unwrap();
    let cases = clinic(tmp.path());
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    assert!(chrono::Local::now().date_naive() > day);
    let options = casebench::tui::Options {
        state_dir: Some(tmp.path().join("state")),
        ..casebench::tui::Options::new(&cases, day)
    };
    let mut s = State::new(
        day,
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    run(&mut s, &options, vec![Effect::LoadCases]);
    let fx = send(&mut s, [key('N')]);
    run(&mut s, &options, fx);
    for a in ANSWERS {
        let fx = typed(&mut s, a);
        run(&mut s, &options, fx);
    }
    let fx = send(&mut s, [key('y')]);
    run(&mut s, &options, fx);
    assert!(cases.join("AR-2026-0001.yaml").exists());
    let row = s
        .rows
        .iter()
        .find(|r| r.id == "AR-2026-0001")
        .expect("in the queue");
    assert_eq!(row.status, casebench::rules::Status::WaitingOnClinician);
}
