//! The workbench reads the decision log after the cases: the queue is usable as soon as
//! `Msg::Loaded` arrives; the decided statuses, then the verified pending proposals,
//! follow from a worker (`event_loop::read_log`), with its steps on the status line, and
//! nothing unverified is offered for countersigning meanwhile.

use crate::support::practice as practice_support;
use crate::support::tui as tui_support;

use std::collections::HashMap;

use casebench::case::LoadOptions;

use casebench::record::log::DecidedBy;
use casebench::rules::{Status, load_dir};
use casebench::tui::app::{Effect, LogLoad, Msg, Screen, State};
use casebench::tui::event_loop::read_log;
use casebench::tui::screens::countersign::PendingView;
use chrono::TimeZone;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const CASE: &str = "AR-2026-0101";
const DECIDED: &str = "AR-2026-0150";

fn proposal() -> PendingView {
    PendingView {
        seq: 7,
        case_id: CASE.into(),
        trainee: "t.trainee@clinic.example".into(),
        time: "2026-03-19T10:00:00Z".into(),
        outcome: "release_full".into(),
        grounds: "right-of-access".into(),
        items: Vec::new(),
        rationale: "Nothing to withhold.".into(),
    }
}

fn status(s: &State, id: &str) -> Status {
    s.rows.iter().find(|r| r.id == id).unwrap().status
}

fn status_line(s: &mut State) -> String {
    render(s, 120, 30).lines().nth(1).unwrap().to_string()
}

#[test]
fn the_queue_is_usable_before_the_log_and_fills_in_as_its_messages_arrive() {
    let mut s = casebench::tui::app::State::new(
        today(),
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    // The cases alone: the queue works at once, and the log is asked for (a worker).
    let fx = send(&mut s, [Msg::Loaded(Box::new(fixture_set()))]);
    assert_eq!(fx, [Effect::ListDrafts, Effect::RefreshLog]);
    assert!(!s.rows.is_empty());
    let before = s.queue.selected;
    send(&mut s, [code(KeyCode::Down)]);
    assert_eq!(s.queue.selected, before + 1);
    assert_ne!(status(&s, DECIDED), Status::AwaitingProvision);

    // The worker's steps, in its order: reading, the statuses, verifying, proposals.
    send(&mut s, [Msg::Log(LogLoad::Reading)]);
    let line = status_line(&mut s);
    assert!(line.starts_with("reading the decision log…"), "{line}");
    assert!(line.contains("invalid"), "{line}");

    let by = HashMap::from([(
        DECIDED.to_string(),
        DecidedBy {
            outcome: "release_full".into(),
            provided_on: None,
            reviewer: "dr.okafor".into(),
            time: chrono::Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        },
    )]);
    send(
        &mut s,
        [
            Msg::DecidedBy(by),
            Msg::Log(LogLoad::Verifying { total: 1234 }),
        ],
    );
    assert_eq!(status(&s, DECIDED), Status::AwaitingProvision);
    let line = status_line(&mut s);
    assert!(
        line.starts_with("verifying the log… 1234 records; proposals are offered once verified"),
        "{line}"
    );

    // Meanwhile no proposal is offered: `C` says why and opens nothing.
    open(&mut s, CASE);
    assert!(casebench::tui::app::pending_for_case(&s).is_none());
    send(&mut s, [key('C')]);
    assert!(s.countersign.open.is_none());
    let msg = &s.message.as_ref().unwrap().1;
    assert!(msg.contains("being verified"), "{msg}");
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);

    // Verified: the proposal is offered, its case is under review, the line is quiet.
    send(
        &mut s,
        [Msg::Pending(vec![proposal()]), Msg::Log(LogLoad::Idle)],
    );
    assert_eq!(status(&s, CASE), Status::UnderReview);
    let line = status_line(&mut s);
    assert!(!line.contains("log"), "{line}");
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    assert_eq!(s.countersign.open.as_ref().unwrap().proposal.seq, 7);
}

#[test]
fn a_log_that_cannot_be_verified_offers_nothing_and_says_so() {
    let mut s = state();
    send(&mut s, [Msg::Pending(vec![proposal()])]);
    send(
        &mut s,
        [
            Msg::Log(LogLoad::Reading),
            Msg::Pending(Vec::new()),
            Msg::Log(LogLoad::Unverified(
                "reviewers/allowed_signers: \x1b[2Jgone".into(),
            )),
        ],
    );
    assert!(s.countersign.pending.is_empty());
    let line = status_line(&mut s);
    assert!(
        line.starts_with("!! decision log not verified, no proposal offered: reviewers/allowed_signers: ^[[2Jgone"),
        "{line}"
    );
    // Once the reader is done, `C` without a proposal falls through as before.
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    assert!(s.countersign.open.is_none());
}

/// The real reader on a real log, as the simulated user `who`: its messages, in order.
fn read(env: &practice_support::Env, who: &str) -> Vec<Msg> {
    let cases = &env.cases;
    let today = chrono::NaiveDate::parse_from_str(practice_support::TODAY, "%Y-%m-%d").unwrap();
    let set = load_dir(cases, &LoadOptions::new(today), &|_, _| {}).unwrap();
    let mut msgs = Vec::new();
    read_log(cases, &env.state(who), &set, &mut |m| msgs.push(m));
    msgs
}

fn shape(msgs: &[Msg]) -> Vec<String> {
    msgs.iter()
        .map(|m| match m {
            Msg::Log(l) => format!("{l:?}"),
            Msg::DecidedBy(by) => format!("DecidedBy({})", by.len()),
            Msg::Pending(p) => format!("Pending({})", p.len()),
            Msg::Error(_) => "Error".into(),
            Msg::LogRefused(_) => "LogRefused".into(),
            other => format!("unexpected {other:?}"),
        })
        .collect()
}

#[test]
fn read_log_sends_the_statuses_first_then_the_verified_proposals() {
    use practice_support::*;
    let env = Env::new();
    // No log yet: nothing to verify.
    assert_eq!(
        shape(&read(&env, A)),
        ["Reading", "DecidedBy(0)", "Pending(0)", "Idle"]
    );
    // A trainee's proposal on a real case: statuses from the reader's verified memory,
    // then the proposal, read from the log as it was verified.
    env.decide_json(
        T,
        &[
            REAL,
            "--type",
            "practice",
            "--outcome",
            "release_full",
            "--ground",
            "right-of-access",
            "--rationale",
            "Nothing to withhold.",
        ],
    );
    let msgs = read(&env, A);
    assert_eq!(
        shape(&msgs),
        ["Reading", "DecidedBy(0)", "Pending(1)", "Idle"]
    );
    // A forged proposal (its bytes changed after signing) is never offered: to A, who
    // verified it, the log no longer holds what they saw; to B, new, it does not verify.
    let path = env.record(1);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Nothing to withhold.", "Nothing to hide."),
    )
    .unwrap();
    for who in [A, B] {
        let msgs = read(&env, who);
        assert_eq!(shape(&msgs)[..2], ["Reading", "LogRefused"], "{who}");
        assert!(
            matches!(msgs.last(), Some(Msg::Log(LogLoad::Unverified(e))) if e.contains("record 1")),
            "{who}: {:?}",
            msgs.last()
        );
    }
    // A log that cannot be read at all: no proposal, and why.
    std::fs::remove_file(env.allowed()).unwrap();
    let msgs = read(&env, A);
    assert_eq!(shape(&msgs)[..3], ["Reading", "Error", "Pending(0)"]);
    assert!(
        matches!(msgs.last(), Some(Msg::Log(LogLoad::Unverified(e))) if e.contains("allowed_signers")),
        "{:?}",
        msgs.last()
    );
}

#[test]
fn a_refused_log_is_a_banner_and_takes_back_every_status_it_gave() {
    let mut s = state();
    let by = HashMap::from([(
        DECIDED.to_string(),
        DecidedBy {
            outcome: "release_full".into(),
            provided_on: None,
            reviewer: "dr.okafor".into(),
            time: chrono::Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
        },
    )]);
    send(&mut s, [Msg::DecidedBy(by), Msg::Pending(vec![proposal()])]);
    assert_eq!(status(&s, DECIDED), Status::AwaitingProvision);
    assert_eq!(status(&s, CASE), Status::UnderReview);
    // The log no longer holds what this user verified: a banner, and no status it no
    // longer supports (decided, under review); the line says it too.
    send(
        &mut s,
        [
            Msg::LogRefused(
                "the decision log no longer holds what you verified: record 3, which you saw at 2026-03-19T10:00:00Z, is gone\x1b[2J".into(),
            ),
            Msg::Log(LogLoad::Unverified("record 3 is gone".into())),
        ],
    );
    assert_ne!(status(&s, DECIDED), Status::AwaitingProvision);
    assert_ne!(status(&s, CASE), Status::UnderReview);
    assert!(s.countersign.pending.is_empty());
    let b = s.banner.as_ref().unwrap();
    assert_eq!(b.title, "Decision log refused");
    assert!(
        b.text.contains("record 3") && b.text.contains("^["),
        "{}",
        b.text
    );
    let screen = render(&mut s, 120, 30);
    assert!(screen.contains("Decision log refused"), "{screen}");
    // A rewind notice honoured: a banner saying so.
    send(
        &mut s,
        [Msg::LogRewound(
            "the log was rewound from record 3 to record 2 by c.audit at 2026-03-20T09:00:00Z: disk failure".into(),
        )],
    );
    assert_eq!(s.banner.as_ref().unwrap().title, "Decision log restored");
}
