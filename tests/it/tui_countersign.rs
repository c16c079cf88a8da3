//! Countersigning from the workbench: the `C` key, the screen's keys and the result
//! (pure `update`), and the effect's library function writing a record `verify` accepts.

use crate::support::practice as practice_support;
use crate::support::tui as tui_support;

use casebench::case::LoadOptions;
use casebench::record::model::RecordType;
use casebench::record::verify::{State as VState, verify_log};
use casebench::rules::Status;
use casebench::rules::load_dir;
use casebench::tui::Options;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::event_loop::{countersign, load_pending};
use casebench::tui::screens::countersign::PendingView;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const CASE: &str = "AR-2026-0101";

fn pending_for(case: &str) -> PendingView {
    PendingView {
        seq: 4,
        case_id: case.into(),
        trainee: "t.trainee@clinic.example".into(),
        time: "2026-03-19T10:00:00Z".into(),
        outcome: "release_partial".into(),
        grounds: "right-of-access".into(),
        items: vec!["notes: withhold (psychotherapy-notes)".into()],
        rationale: "Notes are kept separately.".into(),
    }
}

fn with_pending(trainee: bool) -> State {
    let mut s = state();
    s.practice.trainee = trainee;
    send(&mut s, [Msg::Pending(vec![pending_for(CASE)])]);
    s
}

#[test]
fn c_opens_the_screen_only_for_a_supervisor_on_a_case_with_a_pending_proposal() {
    // A supervisor on the case with the proposal: the screen opens with it.
    let mut s = with_pending(false);
    open(&mut s, CASE);
    assert!(casebench::tui::app::pending_for_case(&s).is_some());
    s.message = None;
    let text = render(&mut s, 130, 30);
    assert!(
        text.contains("C countersign t.trainee@clinic.example's proposal"),
        "{text}"
    );
    // At 80 columns the key hints make room for it: no hint is cut into another.
    for w in [80u16, 100] {
        let text = render(&mut s, w, 24);
        let footer = text.lines().last().unwrap().to_string();
        assert!(footer.contains("countersign"), "{footer}");
        for hint in ["l pane", "d decide", "a advisor", "Esc back", "? help"] {
            let head = &hint[..3];
            assert!(
                !footer.contains(head) || footer.contains(hint),
                "a cut hint in {footer:?}"
            );
        }
    }
    send(&mut s, [key('C')]);
    let v = s.countersign.open.as_ref().expect("screen open");
    assert_eq!((v.proposal.seq, v.rationale.as_str()), (4, ""));
    let text = render(&mut s, 100, 30);
    assert!(
        text.contains("Countersign the trainee's proposal"),
        "{text}"
    );
    assert!(
        text.contains("notes: withhold (psychotherapy-notes)"),
        "{text}"
    );

    // A trainee: no key, no screen.
    let mut s = with_pending(true);
    open(&mut s, CASE);
    assert!(casebench::tui::app::pending_for_case(&s).is_none());
    s.message = None;
    assert!(!render(&mut s, 130, 30).contains("C countersign"));
    send(&mut s, [key('C')]);
    assert!(s.countersign.open.is_none());

    // Another case, without a proposal: no screen.
    let mut s = with_pending(false);
    let other = s
        .rows
        .iter()
        .find(|r| r.id != CASE)
        .map(|r| r.id.clone())
        .unwrap();
    open(&mut s, &other);
    send(&mut s, [key('C')]);
    assert!(s.countersign.open.is_none());
}

#[test]
fn the_countersign_key_is_configurable_and_explains_itself_when_idle() {
    let mut s = with_pending(false);
    s.keymap = casebench::tui::keymap::Keymap::from_yaml("case:\n  countersign: [K]\n").unwrap();
    open(&mut s, CASE);
    s.message = None;
    let text = render(&mut s, 130, 30);
    assert!(
        text.contains("K countersign t.trainee@clinic.example's proposal"),
        "{text}"
    );
    send(&mut s, [key('C')]);
    assert!(s.countersign.open.is_none(), "C is no longer bound");
    send(&mut s, [key('K')]);
    assert!(s.countersign.open.is_some());

    // The help overlay lists it on the case view.
    let mut s = with_pending(false);
    open(&mut s, CASE);
    send(&mut s, [key('?')]);
    let help = render(&mut s, 120, 40);
    assert!(
        help.contains("countersign the trainee's proposal"),
        "{help}"
    );

    // With nothing to countersign the key says why instead of doing nothing.
    let mut s = with_pending(true);
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    let msg = &s.message.as_ref().unwrap().1;
    assert!(msg.contains("trainees cannot countersign"), "{msg}");
    let mut s = with_pending(false);
    let other = s
        .rows
        .iter()
        .find(|r| r.id != CASE)
        .map(|r| r.id.clone())
        .unwrap();
    open(&mut s, &other);
    send(&mut s, [key('C')]);
    let msg = &s.message.as_ref().unwrap().1;
    assert!(msg.contains("no trainee proposal awaits"), "{msg}");
}

#[test]
fn a_pending_proposal_shows_the_case_under_review_and_signing_rereads_the_log() {
    let mut s = state();
    let status = |s: &State| s.rows.iter().find(|r| r.id == CASE).unwrap().status;
    assert_ne!(status(&s), Status::UnderReview);
    send(&mut s, [Msg::Pending(vec![pending_for(CASE)])]);
    assert_eq!(status(&s), Status::UnderReview);

    // Countersigned: decided, and the log is read again (other proposals, other cases).
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    send(&mut s, "ok".chars().map(key));
    send(&mut s, [code(KeyCode::Enter)]);
    let fx = send(
        &mut s,
        [Msg::Countersigned {
            case: CASE.into(),
            result: Ok("countersigned".into()),
        }],
    );
    assert!(fx.contains(&Effect::RefreshLog), "{fx:?}");
    assert_eq!(status(&s), Status::AwaitingProvision);

    // A refused countersignature reads nothing.
    let mut s = with_pending(false);
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    let fx = send(
        &mut s,
        [Msg::Countersigned {
            case: CASE.into(),
            result: Err("refused".into()),
        }],
    );
    assert!(!fx.contains(&Effect::RefreshLog), "{fx:?}");
}

#[test]
fn typing_enter_asks_for_the_countersignature_and_esc_cancels() {
    let mut s = with_pending(false);
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    // Enter with no rationale signs nothing.
    assert!(send(&mut s, [code(KeyCode::Enter)]).is_empty());
    assert!(s.countersign.open.is_some());
    // Keys are text here, not commands (`q` does not quit).
    let fx = send(&mut s, "Agreed q".chars().map(key));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(s.countersign.open.as_ref().unwrap().rationale, "Agreed q");
    send(&mut s, [code(KeyCode::Backspace), code(KeyCode::Backspace)]);
    let fx = send(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(
        fx,
        [Effect::Countersign {
            case: CASE.into(),
            seq: 4,
            rationale: "Agreed".into()
        }]
    );
    // A box says it is being signed (the loop's answer replaces it); Esc closes it, then
    // Esc cancels the screen.
    assert!(
        s.banner
            .as_ref()
            .unwrap()
            .text
            .contains("signing the countersignature")
    );
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(s.banner.is_none() && s.countersign.open.is_some());
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(s.countersign.open.is_none());
    assert_eq!(s.screen, Screen::Case);
    assert!(!s.decided.contains(CASE));
}

#[test]
fn a_signed_countersignature_decides_the_case_and_a_refusal_stays_open() {
    let mut s = with_pending(false);
    open(&mut s, CASE);
    send(&mut s, [key('C')]);
    send(
        &mut s,
        [Msg::Countersigned {
            case: CASE.into(),
            result: Err("not signed: the advisor reports 1 error finding(s)".into()),
        }],
    );
    assert!(s.countersign.open.is_some());
    let b = s.banner.as_ref().unwrap();
    assert!(b.text.contains("error finding") && b.title == "Not countersigned");
    send(
        &mut s,
        [Msg::Countersigned {
            case: CASE.into(),
            result: Ok("signed record 5".into()),
        }],
    );
    assert!(s.countersign.open.is_none());
    assert!(s.decided.contains(CASE));
    assert!(casebench::tui::app::pending_for_case(&s).is_none());
    let row = s.rows.iter().find(|r| r.id == CASE).unwrap();
    assert_eq!(row.status, Status::AwaitingProvision);
}

#[test]
fn the_effects_sign_function_writes_a_countersign_record_that_verifies() {
    use practice_support::*;
    let env = Env::new();
    let v = env.decide_json(
        T,
        &[
            REAL,
            "--type",
            "practice",
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Release the chart; the notes are kept separately.",
        ],
    );
    let seq = v["seq"].as_u64().unwrap();
    let today = chrono::NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let set = load_dir(&env.cases, &LoadOptions::new(today), &|_, _| {}).unwrap();
    let pending = load_pending(&env.cases, &env.state(A), &set).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].seq, pending[0].case_id.as_str()), (seq, REAL));

    let options = |who: &str| Options {
        reviewer: Some(who.into()),
        key: Some(env.key(who)),
        state_dir: Some(env.state_home(who).join("casebench")),
        ..Options::new(&env.cases, today)
    };
    // An empty rationale is refused; so is a trainee.
    assert!(countersign(&options(A), &set, REAL, seq, " ").is_err());
    assert!(countersign(&options(T2), &set, REAL, seq, "Agreed.").is_err());
    let msg = countersign(&options(A), &set, REAL, seq, "Agreed.").unwrap();
    assert!(msg.contains("is decided"), "{msg}");

    let log = verify_log(&env.cases, None).unwrap();
    let last = log.records.last().unwrap();
    assert_eq!(last.state, VState::Ok);
    assert_eq!(last.kind, Some(RecordType::Countersign));
    let rec = last.record.as_ref().unwrap();
    assert_eq!(
        (rec.reviewer.as_str(), rec.outcome.as_str()),
        (A, "release_partial")
    );
    assert!(log.records.iter().all(|r| r.state == VState::Ok));
    assert!(
        load_pending(&env.cases, &env.state(A), &set)
            .unwrap()
            .is_empty()
    );
    assert!(env.verify().status.success());
    // Twice: refused (the case is decided).
    assert!(countersign(&options(B), &set, REAL, seq, "Again.").is_err());
}
