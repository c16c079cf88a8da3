//! Practice in the workbench: a trainee's form signs a practice record, the advisor is
//! hidden on a practice case, and the comparison with the reference appears only once
//! the signed record's feedback arrives.

use crate::support::tui as tui_support;

use std::collections::BTreeMap;
use std::path::PathBuf;

use casebench::case::Outcome;

use casebench::practice::feedback::{GroundNote, NoticeGiven};
use casebench::practice::hints::PracticeSettings;
use casebench::practice::{Attempt, Feedback, compare};
use casebench::record::model::RecordType;
use casebench::rules::CaseSet;
use casebench::rules::{NoticeElement, Rulebook};
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::keymap::Keymap;
use casebench::tui::screens::form::Field;
use casebench::tui::screens::practice::Practice;
use casebench::tui::theme::Theme;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const CASE: &str = "AR-2026-0101";
const TRAINEE: &str = "t.lindqvist@lakeside.example";

fn practice_set() -> CaseSet {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tuipractice");
    let name = format!("{CASE}.yaml");
    let text = std::fs::read_to_string(dir.join(&name)).unwrap();
    CaseSet {
        dir: PathBuf::from("cases"),
        cases: vec![loaded(&name, &text)],
        invalid: Vec::new(),
        ..CaseSet::default()
    }
}

fn trainee(hints: bool) -> State {
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    s.set_signer(Some(TRAINEE), None);
    let mut settings = PracticeSettings::default();
    settings.hints.all = hints;
    s.practice = Practice {
        principal: Some(TRAINEE.into()),
        trainee: true,
        settings,
        comparison: None,
    };
    update(&mut s, Msg::Loaded(Box::new(practice_set())));
    s
}

fn explanation() -> String {
    let set = practice_set();
    let p = set.cases[0].case.practice.as_ref().unwrap();
    p.reference.explanation.clone()
}

/// The comparison for an answer that withholds the notes but on the wrong ground and
/// cites a never-valid one, built with the library's scorer.
fn feedback() -> Feedback {
    let set = practice_set();
    let case = &set.cases[0].case;
    let reference = &case.practice.as_ref().unwrap().reference;
    let grounds = vec![
        "right-of-access".to_string(),
        "emotional-distress".to_string(),
    ];
    let withhold: BTreeMap<String, String> = [(
        "therapy_notes".to_string(),
        "emotional-distress".to_string(),
    )]
    .into();
    let attempt = Attempt {
        outcome: Outcome::ReleasePartial,
        grounds: &grounds,
        withhold: &withhold,
    };
    let rb = Rulebook::builtin();
    let never = |c: &str| casebench::practice::feedback::never_valid(rb, c);
    let comparison = compare(case, reference, &attempt, &never);
    let note = |code: &str, wrong: bool| {
        let g = rb.ground(code).unwrap();
        GroundNote {
            code: code.into(),
            citation: g.citation.clone(),
            text: if wrong {
                g.invalid_reason.clone()
            } else {
                g.describe.clone()
            },
        }
    };
    Feedback {
        seq: 4,
        trainee: TRAINEE.into(),
        time: "2026-11-23T10:00:00Z".into(),
        case: CASE.into(),
        title: case.title.clone(),
        comparison,
        notice_needed: vec![NoticeElement {
            code: "basis".into(),
            text: "the basis for the denial".into(),
            citation: "45 CFR 164.524(d)(2)(i)".into(),
        }],
        notice_given: NoticeGiven {
            basis: false,
            review_rights: false,
            complaint_routes: true,
        },
        reference_grounds: vec![
            note("right-of-access", false),
            note("psychotherapy-notes", false),
        ],
        wrong_grounds: vec![note("emotional-distress", true)],
        topics: vec!["psychotherapy-notes".into()],
    }
}

fn form(s: &mut State) {
    open(s, CASE);
    send(s, [key('d')]);
    assert_eq!(s.screen, Screen::Form);
}

#[test]
fn trainee_signs_practice_records_others_decisions() {
    let s = trainee(false);
    assert_eq!(s.practice.record_kind(), RecordType::Practice);
    assert_eq!(Practice::default().record_kind(), RecordType::Decision);
}

#[test]
fn advisor_hidden_for_a_trainee_on_a_practice_case() {
    let mut s = trainee(false);
    let fx = open(&mut s, CASE);
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::Advise { .. })),
        "{fx:?}"
    );
    let a = s.case.as_ref().unwrap().advisor.as_ref().unwrap();
    assert!(!a.on_proposal);
    assert_eq!(a.errors + a.warnings, 0);
    assert!(a.recommended.contains("hidden"));
    // Editing the form asks nothing of the advisor either.
    let fx = send(&mut s, [key('d'), key('l'), key('l')]);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Advise { .. })));
}

#[test]
fn hints_switched_on_show_the_advisor() {
    let mut s = trainee(true);
    let fx = open(&mut s, CASE);
    assert!(fx.iter().any(|e| matches!(e, Effect::Advise { .. })));
    assert!(s.case.as_ref().unwrap().advisor.is_none());
}

#[test]
fn signed_practice_record_shows_the_comparison_and_esc_returns_to_the_queue() {
    let mut s = trainee(false);
    form(&mut s);
    assert!(s.practice.comparison.is_none());
    send(&mut s, [Msg::Signed(Ok("signed practice record 4".into()))]);
    assert_eq!(s.screen, Screen::Case);
    // A practice attempt does not mark the case decided.
    assert!(!s.decided.contains(CASE));
    assert_ne!(s.rows[0].status, casebench::rules::Status::Decided);
    send(&mut s, [Msg::Feedback(Ok(Box::new(feedback())))]);
    assert_eq!(s.screen, Screen::Practice);
    let c = s.practice.comparison.as_ref().unwrap();
    assert!(c.title.contains(CASE));
    let all: String = c
        .lines
        .iter()
        .map(|l| l.iter().map(|(_, t)| t.as_str()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("Outcome: right"), "{all}");
    assert!(all.contains("missed psychotherapy-notes"), "{all}");
    assert!(
        all.contains("wrong emotional-distress (never valid)"),
        "{all}"
    );
    assert!(all.contains("therapy_notes"), "{all}");
    assert!(all.contains("Release in part."), "{all}");
    // Scrolls (on a terminal too short for all of it), `G` shows its last line, `j`
    // past it does nothing; then Esc goes back to the queue and drops the comparison.
    send(&mut s, [Msg::Resize(80, 12), key('j'), key('j')]);
    assert_eq!(s.practice.comparison.as_ref().unwrap().scroll.offset, 2);
    send(&mut s, [key('G')]);
    let end = s.practice.comparison.as_ref().unwrap().scroll.offset;
    assert!(end > 2);
    assert!(send(&mut s, [key('j')]).is_empty());
    assert!(!s.needs_draw || s.practice.comparison.as_ref().unwrap().scroll.offset == end);
    assert_eq!(s.practice.comparison.as_ref().unwrap().scroll.offset, end);
    // The counter says the last line is on screen: `first-N/N` (once the box saying
    // the record was signed is closed).
    send(&mut s, [code(KeyCode::Esc)]);
    let screen = render(&mut s, 80, 12);
    let counter = screen
        .split_whitespace()
        .find(|w| w.contains('-') && w.contains('/') && w.chars().next().unwrap().is_ascii_digit())
        .unwrap_or_else(|| panic!("{screen}"));
    let (range, total) = counter.split_once('/').unwrap();
    assert_eq!(range.split_once('-').unwrap().1, total, "{screen}");
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
    assert!(s.practice.comparison.is_none());
    assert!(s.case.is_none());
}

#[test]
fn unscored_feedback_is_a_message_not_a_screen() {
    let mut s = trainee(false);
    form(&mut s);
    send(&mut s, [Msg::Signed(Ok("signed".into()))]);
    send(&mut s, [Msg::Feedback(Err("rulebook: broken".into()))]);
    assert_eq!(s.screen, Screen::Case);
    assert!(s.message.as_ref().unwrap().1.contains("not scored"));
}

#[test]
fn no_reference_before_signing_snapshots() {
    let expl = explanation();
    let first_line = expl.lines().next().unwrap().trim().to_string();
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = trainee(false);
        open(&mut s, CASE);
        // The advisor panel, toggled on, says hints are hidden.
        send(&mut s, [key('a')]);
        let case_text = text(&buffer(&mut s, w, h));
        insta::assert_snapshot!(format!("practice_case_{w}x{h}"), case_text);
        // The preview is answered as the event loop answers it.
        let mut answers = fixture_answers(Some(TRAINEE));
        // release_full: a record even before the rationale is written.
        send_settled(&mut s, &mut answers, [key('d'), key('l')]);
        // Onto the sign line: the preview replaces the fields when narrow.
        for _ in 0..40 {
            if s.form.as_ref().unwrap().field() == Field::Sign {
                break;
            }
            send_settled(&mut s, &mut answers, [key('j')]);
        }
        assert_eq!(s.form.as_ref().unwrap().field(), Field::Sign);
        let form_text = text(&buffer(&mut s, w, h));
        insta::assert_snapshot!(format!("practice_form_{w}x{h}"), form_text);
        for t in [&case_text, &form_text] {
            assert!(!t.contains(&first_line), "reference explanation drawn");
            for l in expl.lines().map(str::trim).filter(|l| l.len() > 20) {
                assert!(!t.contains(l), "reference explanation drawn: {l}");
            }
            assert!(!t.contains("Reference grounds"));
            assert!(!t.contains("Score"));
        }
        assert!(form_text.contains("a practice record as"), "{form_text}");
        assert!(form_text.contains("type: practice"), "{form_text}");
        assert!(!form_text.contains("type: decision"), "{form_text}");
    }
}

#[test]
fn comparison_snapshots() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = trainee(false);
        form(&mut s);
        send(&mut s, [Msg::Signed(Ok("signed practice record 4".into()))]);
        send(&mut s, [Msg::Feedback(Ok(Box::new(feedback())))]);
        insta::assert_snapshot!(
            format!("practice_comparison_{w}x{h}"),
            text(&buffer(&mut s, w, h))
        );
    }
}

/// The queue of the fixture cases with AR-2026-0101 replaced by the training case.
fn mixed_queue() -> State {
    let mut set = fixture_set();
    set.cases.retain(|c| c.case.id != CASE);
    set.cases.extend(practice_set().cases);
    state_with(set, Theme::default_theme())
}

#[test]
fn the_queue_marks_practice_cases_with_a_letter_and_p_filters_to_them() {
    let mut s = mixed_queue();
    let marked: Vec<&str> = s
        .rows
        .iter()
        .filter(|r| r.practice)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(marked, [CASE]);
    let screen = render(&mut s, 100, 24);
    let line = screen.lines().find(|l| l.contains(CASE)).unwrap();
    // A letter beside the id (not colour alone), and its legend on the title line.
    assert!(line.contains("P  AR-2026-0101"), "{line}");
    assert!(
        screen.lines().next().unwrap().contains("P practice"),
        "{screen}"
    );
    let other = screen.lines().find(|l| l.contains("DC-2026-0007")).unwrap();
    assert!(!other.contains('P'), "{other}");

    send(&mut s, [key('p')]);
    assert!(s.queue.practice_only);
    let visible: Vec<&str> = s
        .queue
        .visible
        .iter()
        .map(|&i| s.rows[i].id.as_str())
        .collect();
    assert_eq!(visible, [CASE]);
    assert!(render(&mut s, 100, 24).contains("practice only"));
    // Again shows all; Esc clears it too.
    send(&mut s, [key('p')]);
    assert_eq!(s.queue.visible.len(), 3);
    send(&mut s, [key('p'), code(KeyCode::Esc)]);
    assert!(!s.queue.practice_only);
    assert_eq!(s.queue.visible.len(), 3);
}

#[test]
fn the_practice_filter_is_in_the_queue_help() {
    let mut s = mixed_queue();
    send(&mut s, [key('?')]);
    let screen = render(&mut s, 100, 40);
    assert!(screen.contains("only practice cases"), "{screen}");
}

/// The comparison's lines as plain text.
fn comparison_text() -> Vec<String> {
    let v = casebench::tui::screens::practice::comparison_view(&feedback());
    v.lines
        .iter()
        .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
        .collect()
}

#[test]
fn the_explanation_flows_as_paragraphs_even_where_a_line_starts_with_a_citation() {
    // In the file a line starts "164.524(d)(2)). Withholding ...": not a numbered list
    // item, so the paragraph goes on instead of leaving "(R10;" alone at a line's end.
    let lines = comparison_text();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("the complaint routes (R10; 164.524(d)(2)). Withholding them")),
        "{lines:#?}"
    );
    assert!(!lines.iter().any(|l| l.starts_with("164.524(d)(2))")));
}

#[test]
fn wrapping_leaves_no_word_that_would_have_fitted_on_the_line_before() {
    use casebench::tui::scroll::wrap_line;
    use unicode_width::UnicodeWidthStr;
    let v = casebench::tui::screens::practice::comparison_view(&feedback());
    for w in [8, 12, 20, 33, 40, 78, 118] {
        for logical in &v.lines {
            // Single spaces between words, so "fits after" is one space plus the word.
            let logical: Vec<_> = logical
                .iter()
                .map(|(r, t)| {
                    let mut one = t.clone();
                    while one.contains("  ") {
                        one = one.replace("  ", " ");
                    }
                    (*r, one)
                })
                .collect();
            let logical = &logical;
            let wrapped: Vec<String> = wrap_line(logical, w)
                .iter()
                .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
                .collect();
            for pair in wrapped.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                assert!(a.width() <= w, "{a:?} wider than {w}");
                let first = b.split(' ').next().unwrap_or("");
                assert!(
                    a.width() + 1 + first.width() > w || a.is_empty(),
                    "at {w}: {first:?} would have fitted after {a:?}"
                );
            }
            // Nothing is lost but the spaces at the breaks.
            let flat: String = logical.iter().map(|(_, t)| t.as_str()).collect();
            let strip = |s: &str| s.replace(' ', "");
            assert_eq!(strip(&wrapped.concat()), strip(&flat));
        }
    }
}

#[test]
fn every_rule_the_explanation_cites_is_explained_on_the_screen() {
    let lines = comparison_text();
    let at = lines
        .iter()
        .position(|l| l == casebench::tui::screens::practice::RULES_HEADING)
        .expect("the rules section");
    let listed: Vec<&str> = lines[at + 1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert_eq!(listed, ["R1", "R2", "R4", "R6", "R9", "R10", "R12", "R26"]);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("R12 Psychotherapy notes: definition: ")
                && l.contains("[45\u{a0}CFR\u{a0}164.501]")),
        "{lines:#?}"
    );
}

#[test]
fn every_rule_number_in_the_sample_explanations_is_known() {
    let dir = crate::support::common::sample_library().to_path_buf();
    let set = casebench::rules::load_dir(
        &dir,
        &casebench::case::LoadOptions::new(today()),
        &|_, _| {},
    )
    .unwrap();
    let refs = casebench::rules::references::RuleRefs::builtin();
    let mut checked = 0;
    for lc in &set.cases {
        if let Some(p) = &lc.case.practice {
            assert_eq!(
                refs.unknown(&p.reference.explanation),
                Vec::<String>::new(),
                "{}",
                lc.case.id
            );
            checked += usize::from(!refs.cited_in(&p.reference.explanation).is_empty());
        }
    }
    assert!(checked > 5, "{checked}");
}

#[test]
fn help_on_the_comparison_lists_its_own_keys() {
    let mut s = trainee(false);
    form(&mut s);
    send(&mut s, [Msg::Signed(Ok("signed practice record 4".into()))]);
    send(&mut s, [Msg::Feedback(Ok(Box::new(feedback())))]);
    send(&mut s, [code(KeyCode::Enter), key('?')]);
    let out = text(&buffer(&mut s, 80, 24));
    assert!(out.contains("Keys: practice"), "{out}");
    assert!(out.contains("Rule numbers in the explanation"), "{out}");
    assert!(!out.contains("Keys: invalid"), "{out}");
    // `?` again closes it; Esc then leaves the comparison for the queue.
    send(&mut s, [key('?'), code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn comparison_end_snapshots() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = trainee(false);
        form(&mut s);
        send(&mut s, [Msg::Signed(Ok("signed practice record 4".into()))]);
        send(&mut s, [Msg::Feedback(Ok(Box::new(feedback())))]);
        send(&mut s, [code(KeyCode::Enter), key('G')]);
        insta::assert_snapshot!(
            format!("practice_comparison_end_{w}x{h}"),
            text(&buffer(&mut s, w, h))
        );
    }
}
