//! The state machine, message by message: what changes and which effects it asks for.

use crate::support::tui as tui_support;

use casebench::decision::draft::Draft;
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Load, Msg, Screen, State};
use casebench::tui::keymap::Keymap;
use casebench::tui::screens::form::Field;
use casebench::tui::theme::Theme;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_support::*;

fn ids(s: &State) -> Vec<String> {
    s.queue
        .visible
        .iter()
        .map(|&i| s.rows[i].id.clone())
        .collect()
}

#[test]
fn loading_then_queue_sorted_overdue_first() {
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    assert_eq!(s.load, Load::Loading { done: 0, total: 0 });
    update(&mut s, Msg::Progress(1, 3));
    assert_eq!(s.load, Load::Loading { done: 1, total: 3 });
    update(&mut s, Msg::Loaded(Box::new(fixture_set())));
    assert_eq!(s.load, Load::Ready);
    // Overdue first, then by due date, then concerns (issue 23).
    assert_eq!(ids(&s), ["AR-2026-0101", "AR-2026-0150", "DC-2026-0007"]);
    assert_eq!(s.invalid.len(), 1);
    // A late progress message does not send it back to "loading".
    update(&mut s, Msg::Progress(2, 3));
    assert_eq!(s.load, Load::Ready);
}

#[test]
fn moving_the_selection_and_ignoring_unknown_keys() {
    let mut s = state();
    s.needs_draw = false;
    send(&mut s, [key('j')]);
    assert_eq!(s.queue.selected, 1);
    assert!(s.needs_draw);
    send(
        &mut s,
        [
            code(KeyCode::Down),
            code(KeyCode::Down),
            code(KeyCode::Down),
        ],
    );
    assert_eq!(s.queue.selected, 2);
    send(&mut s, [key('g')]);
    assert_eq!(s.queue.selected, 0);
    send(&mut s, [code(KeyCode::End)]);
    assert_eq!(s.queue.selected, 2);
    s.needs_draw = false;
    assert!(send(&mut s, [key('Z')]).is_empty());
    assert!(!s.needs_draw, "an unbound key must not cause a redraw");
    send(&mut s, [code(KeyCode::Down)]);
    assert!(!s.needs_draw, "moving past the end changes nothing");
}

#[test]
fn fuzzy_filter_narrows_and_escape_clears() {
    let mut s = state();
    send(&mut s, [key('/')]);
    assert!(s.queue.filtering);
    send(&mut s, "ex-partner".chars().map(key));
    assert_eq!(ids(&s), ["DC-2026-0007"]);
    // While typing, letters are text, not commands: `q` does not quit.
    assert!(send(&mut s, [key('q')]).is_empty());
    assert!(!s.quit);
    send(&mut s, [code(KeyCode::Backspace), code(KeyCode::Enter)]);
    assert!(!s.queue.filtering);
    assert_eq!(ids(&s), ["DC-2026-0007"]);
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(ids(&s).len(), 3);
    send(&mut s, [key('/')]);
    send(&mut s, "hostile".chars().map(key));
    assert_eq!(ids(&s), ["AR-2026-0150"]);
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.queue.filter, "");
}

#[test]
fn status_filter_cycles() {
    let mut s = state();
    send(&mut s, [key('s')]);
    assert_eq!(ids(&s), ["AR-2026-0101"]); // overdue
    send(&mut s, [key('s')]);
    assert!(ids(&s).is_empty()); // due soon
    send(&mut s, [key('s')]);
    assert_eq!(ids(&s), ["AR-2026-0150", "DC-2026-0007"]); // open
    send(&mut s, [key('s')]);
    assert!(ids(&s).is_empty()); // waiting on clinician
    send(&mut s, [key('s')]);
    assert!(ids(&s).is_empty()); // awaiting provision
    send(&mut s, [key('s'), key('s'), key('s'), key('s')]);
    assert!(ids(&s).is_empty()); // under review, decided, provided on time, late
    send(&mut s, [key('s')]);
    assert_eq!(ids(&s).len(), 3);
}

#[test]
fn invalid_list_one_key_away() {
    let mut s = state();
    send(&mut s, [key('i')]);
    assert_eq!(s.screen, Screen::Invalid);
    assert!(s.invalid[0].problems[0].contains("did you mean"));
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn opening_a_case_asks_for_its_draft_and_panes_cycle() {
    let mut s = state();
    let fx = open(&mut s, "AR-2026-0101");
    let index = s.case.as_ref().unwrap().index;
    assert_eq!(
        fx,
        [
            Effect::LoadDraft("AR-2026-0101".into()),
            Effect::Advise { index }
        ]
    );
    assert_eq!(s.screen, Screen::Case);
    let v = s.case.as_ref().unwrap();
    assert_eq!(v.focus, 0);
    send(&mut s, [key('l')]);
    assert_eq!(s.case.as_ref().unwrap().focus, 1);
    send(&mut s, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    assert_eq!(s.case.as_ref().unwrap().focus, 0);
    send(&mut s, [key('h')]);
    assert_eq!(s.case.as_ref().unwrap().focus, 2);
    // Short enough that the pane scrolls.
    send(&mut s, [Msg::Resize(60, 12)]);
    send(&mut s, [key('1'), key('j'), key('j')]);
    assert_eq!(s.case.as_ref().unwrap().panes[0].scroll.offset, 2);
    // The advisor seam: a fourth area that says it is not there yet.
    send(&mut s, [key('a')]);
    let v = s.case.as_ref().unwrap();
    assert!(v.show_advisor && v.focus == 3 && v.advisor.is_none());
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
    assert!(s.case.is_none());
}

#[test]
fn hostile_text_reaches_the_state_only_sanitised() {
    let mut s = state();
    open(&mut s, "AR-2026-0150");
    let v = s.case.as_ref().unwrap();
    let notes: String = v.panes[1]
        .lines
        .iter()
        .flat_map(|l| l.iter().map(|(_, t)| t.as_str()))
        .collect();
    assert!(notes.contains("^[]0;pwned^G"), "{notes}");
    assert!(notes.contains("^[[2J"));
    assert!(notes.contains("<U+202E>") && notes.contains("<U+200B>"));
    assert!(!notes.contains('\x1b') && !notes.contains('\u{202E}'));
    assert!(v.title.contains("^[]0;TITLE^G"));
    let all = render(&mut s, 160, 48);
    assert!(!all.contains('\x1b') && !all.contains('\x07') && !all.contains('\u{200B}'));
}

fn form_state() -> State {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    send(&mut s, [key('d')]);
    s
}

#[test]
fn decision_form_edits_ask_for_a_debounced_draft_save() {
    let mut s = form_state();
    assert_eq!(s.screen, Screen::Form);
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.field(), Field::Outcome);
    assert_eq!(f.records.len(), 2);
    // An edit restarts the typing pause and asks for the preview of the decision.
    let fx = send(&mut s, [key('l')]);
    assert_eq!(fx[0], Effect::DraftEdited);
    let Effect::Preview { draft, .. } = &fx[1] else {
        panic!("{fx:?}")
    };
    assert_eq!(draft.outcome, Some(casebench::case::Outcome::ReleaseFull));
    assert_eq!(
        s.form.as_ref().unwrap().outcome,
        Some(casebench::case::Outcome::ReleaseFull)
    );
    // Nothing is written until the typing pause.
    let fx = send(&mut s, [Msg::DraftDue]);
    let [Effect::SaveDraft(d)] = fx.as_slice() else {
        panic!("{fx:?}")
    };
    assert_eq!(d.case, "AR-2026-0101");
    assert_eq!(d.case_sha256, "07".repeat(32));
    assert!(!s.form.as_ref().unwrap().dirty);
    // A second pause with nothing new writes nothing.
    assert!(send(&mut s, [Msg::DraftDue]).is_empty());
}

#[test]
fn typing_in_a_field_is_text_not_commands() {
    let mut s = form_state();
    send(&mut s, [key('j'), key('j'), key('j'), key('j'), key(' ')]); // notes: withhold
    send(&mut s, [key('j'), code(KeyCode::Enter)]);
    assert!(s.form.as_ref().unwrap().editing);
    let fx = send(&mut s, "q?x".chars().map(key));
    assert!(
        fx.iter()
            .all(|e| matches!(e, Effect::DraftEdited | Effect::Preview { .. }))
    );
    assert!(!s.quit && !s.help);
    send(&mut s, [code(KeyCode::Backspace), code(KeyCode::Enter)]);
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.records[1].grounds, "q?");
    assert!(f.records[1].withhold);
    assert!(!f.editing);
    // Invisible characters typed or pasted are kept as visible markers.
    send(&mut s, [code(KeyCode::Enter), key('\u{202E}')]);
    send(
        &mut s,
        [Msg::Paste("a\u{200B}b\n".into()), code(KeyCode::Esc)],
    );
    assert_eq!(
        s.form.as_ref().unwrap().records[1].grounds,
        "q?<U+202E>a<U+200B>b"
    );
}

#[test]
fn leaving_the_form_saves_and_keeps_the_draft_offered() {
    let mut s = form_state();
    send(&mut s, [key('l')]);
    let fx = send(&mut s, [code(KeyCode::Esc)]);
    assert!(matches!(fx.as_slice(), [Effect::SaveDraft(_)]), "{fx:?}");
    assert_eq!(s.screen, Screen::Case);
    assert!(s.case.as_ref().unwrap().draft.is_some());
    // Back in: the same form, unchanged.
    send(&mut s, [key('d')]);
    assert_eq!(
        s.form.as_ref().unwrap().outcome,
        Some(casebench::case::Outcome::ReleaseFull)
    );
}

#[test]
fn a_saved_draft_is_offered_and_resumed_or_discarded() {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    let draft = Draft {
        case: "AR-2026-0101".into(),
        case_sha256: "07".repeat(32),
        saved: "2026-11-23T18:00:00Z".into(),
        outcome: Some(casebench::case::Outcome::Deny),
        rationale: "first line\nsecond \x1b[2J".into(),
        ..Draft::default()
    };
    send(
        &mut s,
        [Msg::DraftLoaded {
            case: "AR-2026-0101".into(),
            result: Ok(Some(draft.clone())),
        }],
    );
    let msg = &s.message.as_ref().unwrap().1;
    assert!(
        msg.contains("2026-11-23T18:00:00Z") && msg.contains("d resumes"),
        "{msg}"
    );
    send(&mut s, [key('d')]);
    let f = s.form.as_ref().unwrap();
    assert_eq!(f.outcome, Some(casebench::case::Outcome::Deny));
    assert_eq!(f.rationale.lines(), ["first line", "second ^[[2J"]);
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(send(&mut s, [key('x')]).is_empty(), "x only asks");
    let fx = send(&mut s, [key('y')]);
    assert_eq!(fx, [Effect::RemoveDraft("AR-2026-0101".into())]);
    assert!(s.form.is_none() && s.case.as_ref().unwrap().draft.is_none());
}

#[test]
fn a_draft_for_another_case_is_ignored() {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    send(
        &mut s,
        [Msg::DraftLoaded {
            case: "DC-2026-0007".into(),
            result: Ok(Some(Draft::default())),
        }],
    );
    assert!(s.case.as_ref().unwrap().draft.is_none());
}

#[test]
fn sign_is_a_seam_and_a_recorded_decision_removes_the_draft() {
    let mut s = form_state();
    send(&mut s, [code(KeyCode::End)]);
    let n = s.form.as_ref().unwrap().fields().len();
    for _ in 0..n {
        send(&mut s, [key('j')]);
    }
    assert_eq!(s.form.as_ref().unwrap().field(), Field::Sign);
    let fx = send(&mut s, [code(KeyCode::Enter)]);
    assert!(matches!(fx.as_slice(), [Effect::Sign(_)]), "{fx:?}");
    // Until the loop answers, a box says the decision is being signed.
    assert!(
        s.banner
            .as_ref()
            .unwrap()
            .text
            .contains("signing the decision")
    );
    send(&mut s, [Msg::Signed(Err("signing arrives later".into()))]);
    assert_eq!(s.screen, Screen::Form);
    let b = s.banner.as_ref().unwrap();
    assert!(b.text.contains("later") && b.title.starts_with("Not signed"));
    let fx = send(&mut s, [Msg::Signed(Ok("recorded as #1".into()))]);
    assert_eq!(
        fx,
        [
            Effect::RemoveDraft("AR-2026-0101".into()),
            Effect::RefreshLog
        ]
    );
    assert_eq!(s.screen, Screen::Case);
    assert!(s.form.is_none());
}

#[test]
fn hangup_and_ctrl_c_save_unsaved_work_and_quit() {
    let mut s = form_state();
    send(&mut s, [key('l')]);
    let fx = send(&mut s, [Msg::Hangup("SIGHUP".into())]);
    assert!(
        matches!(fx.as_slice(), [Effect::SaveDraft(_), Effect::Quit]),
        "{fx:?}"
    );
    let mut s = form_state();
    send(&mut s, [key('l')]);
    let ctrl_c = Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    let fx = send(&mut s, [ctrl_c]);
    assert!(
        matches!(fx.as_slice(), [Effect::SaveDraft(_), Effect::Quit]),
        "{fx:?}"
    );
    // Nothing unsaved: just quit.
    let mut s = state();
    assert_eq!(send(&mut s, [Msg::Hangup("EIO".into())]), [Effect::Quit]);
    assert_eq!(send(&mut state(), [key('q')]), [Effect::Quit]);
}

#[test]
fn help_opens_and_closes_and_swallows_other_keys() {
    let mut s = state();
    send(&mut s, [key('?')]);
    assert!(s.help);
    send(&mut s, [key('j')]);
    assert!(s.help && s.queue.selected == 0);
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(!s.help);
}

#[test]
fn resize_keeps_the_selection_on_screen() {
    let set = {
        let mut set = fixture_set();
        let base = set.cases[0].clone();
        for i in 0..200 {
            let mut c = base.clone();
            c.case.id = format!("AR-2026-{i:04}");
            set.cases.push(c);
        }
        set
    };
    let mut s = state_with(set, Theme::default_theme());
    update(&mut s, Msg::Resize(80, 24));
    send(&mut s, [code(KeyCode::End)]);
    assert_eq!(s.queue.selected, 202);
    assert!(s.queue.offset + s.queue_page() > s.queue.selected);
    update(&mut s, Msg::Resize(80, 12));
    assert!(s.queue.offset + s.queue_page() > s.queue.selected);
    assert!(s.queue.offset <= s.queue.selected);
    send(&mut s, [code(KeyCode::PageUp)]);
    assert_eq!(s.queue.selected, 202 - s.queue_page());
}

#[test]
fn advisor_seam_fills_the_fourth_area_for_the_open_case_only() {
    use casebench::tui::advisor::AdvisorView;
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    let view = AdvisorView {
        recommended: "release_partial".into(),
        deadline: "due 2026-04-01".into(),
        lines: vec![(casebench::tui::theme::Role::Error, "error: example".into())],
        ..AdvisorView::default()
    };
    send(
        &mut s,
        [Msg::Advice {
            case: "DC-2026-0007".into(),
            view: view.clone(),
        }],
    );
    assert!(s.case.as_ref().unwrap().advisor.is_none());
    send(
        &mut s,
        [
            Msg::Advice {
                case: "AR-2026-0101".into(),
                view,
            },
            key('a'),
        ],
    );
    let t = render(&mut s, 160, 30);
    assert!(
        t.contains("Advisor") && t.contains("recommended: release_partial"),
        "{t}"
    );
}

#[test]
fn typing_an_id_in_the_filter_puts_the_cursor_on_it() {
    let mut s = state();
    send(&mut s, [key('/')]);
    send(&mut s, "AR-2026-0150".chars().map(key));
    assert_eq!(s.selected_row().unwrap().id, "AR-2026-0150");
    // The list itself keeps its urgency order.
    let ids = ids(&s);
    let mut sorted = ids.clone();
    sorted.sort_by_key(|id| {
        ["AR-2026-0101", "DC-2026-0007", "AR-2026-0150"]
            .iter()
            .position(|x| x == id)
    });
    assert_eq!(ids, sorted);
    send(&mut s, [code(KeyCode::Enter), code(KeyCode::Enter)]);
    assert_eq!(s.case.as_ref().unwrap().case_id, "AR-2026-0150");
}

#[test]
fn a_draft_saved_by_the_pause_can_be_discarded_from_the_case_view() {
    let mut s = form_state();
    send(&mut s, [key('l')]);
    assert!(matches!(
        send(&mut s, [Msg::DraftDue]).as_slice(),
        [Effect::SaveDraft(_)]
    ));
    assert!(
        send(&mut s, [code(KeyCode::Esc)]).is_empty(),
        "nothing left to save"
    );
    assert!(send(&mut s, [key('x')]).is_empty(), "x only asks");
    assert_eq!(
        send(&mut s, [key('y')]),
        [Effect::RemoveDraft("AR-2026-0101".into())]
    );
}

#[test]
fn the_preview_names_the_signer() {
    let mut s = form_state();
    s.set_signer(
        Some("a.rivera@lakeside.example\x1b[2J"),
        Some(std::path::Path::new("/keys/id_ed25519")),
    );
    let t = render(&mut s, 160, 40);
    assert!(
        t.contains("as a.rivera@lakeside.example^[[2J, key /keys/id_ed25519"),
        "{t}"
    );
}

#[test]
fn overrides_are_added_edited_saved_and_deleted() {
    let mut s = form_state();
    send(&mut s, [key('o')]);
    assert!(s.form.as_ref().unwrap().editing);
    send(&mut s, "R12".chars().map(key));
    send(
        &mut s,
        [code(KeyCode::Enter), key('j'), code(KeyCode::Enter)],
    );
    send(&mut s, "order covers it".chars().map(key));
    send(&mut s, [code(KeyCode::Esc)]);
    let d = s.form.as_ref().unwrap().to_draft();
    assert_eq!(d.overrides.len(), 1);
    assert_eq!(d.overrides[0].code, "R12");
    assert_eq!(d.overrides[0].justification, "order covers it");
    let fx = send(&mut s, [key('x')]);
    assert_eq!(fx[0], Effect::DraftEdited);
    let Some(Effect::Preview { draft, .. }) = fx.get(1) else {
        panic!("{fx:?}")
    };
    assert!(draft.overrides.is_empty());
    assert!(s.form.as_ref().unwrap().overrides.is_empty());
}

/// A decision signed (from the log, or here) awaits its provision: the clock still runs,
/// so the case keeps its place by due date (issue 22) until the records are provided.
#[test]
fn decided_cases_from_the_log_and_from_signing_await_provision_in_due_order() {
    let mut s = state();
    send(&mut s, [Msg::Decided(vec!["AR-2026-0101".into()])]);
    assert_eq!(ids(&s), ["AR-2026-0101", "AR-2026-0150", "DC-2026-0007"]);
    assert_eq!(
        s.rows[s.queue.visible[0]].status,
        casebench::rules::Status::AwaitingProvision
    );
    let mut s = form_state();
    send(&mut s, [Msg::Signed(Ok("signed record 1".into()))]);
    let row = s.rows.iter().find(|r| r.id == "AR-2026-0101").unwrap();
    assert_eq!(row.status, casebench::rules::Status::AwaitingProvision);
}

/// Once the log says the records were provided, the case is done and sorts last.
#[test]
fn a_provided_case_from_the_log_is_provided_and_sorts_last() {
    let mut s = state();
    let by = std::collections::HashMap::from([(
        "AR-2026-0101".to_string(),
        casebench::record::log::DecidedBy {
            reviewer: "a@x".into(),
            time: chrono::DateTime::UNIX_EPOCH,
            outcome: "release_full".into(),
            provided_on: Some(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap()),
        },
    )]);
    send(&mut s, [Msg::DecidedBy(by)]);
    assert_eq!(ids(&s), ["AR-2026-0150", "DC-2026-0007", "AR-2026-0101"]);
    let row = s.rows.iter().find(|r| r.id == "AR-2026-0101").unwrap();
    assert_eq!(row.status, casebench::rules::Status::ProvidedOnTime);
}

#[test]
fn outcome_messages_are_shown_whole_where_the_key_was_pressed_until_closed() {
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut s = form_state();
    let refusal = "not signed: 2 error finding(s) without an override (invalid-ground, \
                   whole-record-denial); change the decision or override each with a \
                   justification";
    let conflict = "case AR-2026-0101 already decided by k.osei@lakeside.example at \
                    2026-11-23T10:41:07Z";
    for why in [refusal, conflict] {
        send(&mut s, [Msg::Signed(Err(why.into()))]);
        assert_eq!(s.screen, Screen::Form);
        // On the form, where Enter was pressed, whole at 80 columns (wrapped in its box).
        let screen = render(&mut s, 80, 24);
        let inside: String = screen
            .lines()
            .filter(|l| l.starts_with('│'))
            .map(|l| l.trim_matches('│').trim())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(squeeze(&inside).contains(why), "{screen}");
        // It stays through other keys, and Esc closes it (doing nothing else).
        send(&mut s, [key('j')]);
        assert!(s.banner.is_some());
        send(&mut s, [code(KeyCode::Esc)]);
        assert!(s.banner.is_none());
        assert_eq!(s.screen, Screen::Form);
    }
    // The signed message, with the key's path, lands on the case view.
    let ok = "signed record 7 (release_full) as k.osei@lakeside.example with key file \
              /home/k.osei/.ssh/casebench_ed25519 (SHA256:/SrhaILpf6Cme2AZR3V0pX7ShRA1xzHMUGsksSJ+hag)";
    send(&mut s, [Msg::Signed(Ok(ok.into()))]);
    assert_eq!(s.screen, Screen::Case);
    let screen = render(&mut s, 80, 24);
    let inside: String = screen
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| l.trim_matches('│').trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        squeeze(&inside)
            .replace(' ', "")
            .contains(&ok.replace(' ', "")),
        "{screen}"
    );
    // Discarding a draft says so in the box too.
    send(&mut s, [code(KeyCode::Esc)]);
    s.case.as_mut().unwrap().draft = Some(Draft::default());
    send(&mut s, [key('x')]);
    assert_eq!(s.banner.as_ref().unwrap().title, "Discard the draft?");
    send(&mut s, [key('y')]);
    assert_eq!(s.banner.as_ref().unwrap().title, "Draft discarded");
}

/// At the narrowest size the queue's title line ends with `…` when even without the
/// directory's path it does not fit (issue 23, 80 columns and below).
#[test]
fn a_title_line_too_wide_for_the_terminal_ends_with_an_ellipsis() {
    let mut s = state();
    send(&mut s, [key('/')]);
    send(&mut s, "a-long-filter-pattern".chars().map(key));
    let out = render(&mut s, 40, 12);
    let first = out.lines().next().unwrap_or_default().trim_end();
    assert!(first.ends_with('…'), "{out}");
    assert!(first.starts_with("casebench"), "{out}");
}

/// The advisor panel says the status the log gives the case, as `casebench advise` does
/// (issue 23: one status): a decided case awaits provision, not "overdue" or "open".
#[test]
fn the_advisor_panel_says_the_status_the_log_gives() {
    let tmp = crate::support::common::sample_library_copy();
    let cases = tmp.path().join("cases");
    let mut s = state_on(&cases, 120, 40);
    let options = casebench::tui::Options::new(&cases, today());
    let mut answers = casebench::tui::event_loop::Answers::new(&options);
    send(&mut s, [Msg::Decided(vec!["AR-2026-0101".into()])]);
    let fx = open(&mut s, "AR-2026-0101");
    settle(&mut s, &mut answers, fx);
    let advisor = s
        .case
        .as_ref()
        .unwrap()
        .advisor
        .as_ref()
        .expect("the advice");
    assert!(
        advisor.deadline.contains("awaiting_provision"),
        "{}",
        advisor.deadline
    );
}
