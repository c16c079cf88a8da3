//! The preview is the record (issue 11, point 2): for a set of form states, the text the
//! decision form's preview shows equals the bytes the signed record holds, except the
//! three lines fixed at signing (`seq`, `prev`, `time`). The form is filled with keys,
//! the preview is answered as the event loop answers it, and the decision is signed by
//! the function the loop's `[ Sign ]` calls.

use crate::support::tui as tui_support;

use casebench::tui::app::{Effect, Msg, State};
use casebench::tui::event_loop::Answers;
use casebench::tui::screens::form::Field;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

/// A decision as typed in the form.
struct FormState {
    case: &'static str,
    /// Presses of `l` on the outcome (from none: the first outcome offered).
    outcome: usize,
    grounds: &'static str,
    /// (record index, ground): the item withheld on that ground.
    withhold: &'static [(usize, &'static str)],
    /// A disclosure: recipient, address, description, purpose.
    disclosure: Option<[&'static str; 4]>,
    /// (finding code, why).
    overrides: &'static [(&'static str, &'static str)],
    rationale: &'static str,
}

fn goto(s: &mut State, answers: &mut Answers, field: Field) {
    for _ in 0..200 {
        let f = s.form.as_ref().unwrap();
        if f.field() == field {
            return;
        }
        let pos = f.fields().iter().position(|x| *x == field).unwrap();
        let k = if pos > f.focus { 'j' } else { 'k' };
        send_settled(s, answers, [key(k)]);
    }
    panic!("cannot reach {field:?}");
}

fn type_in(s: &mut State, answers: &mut Answers, text: &str) {
    send_settled(s, answers, text.chars().map(key));
}

fn fill(s: &mut State, answers: &mut Answers, st: &FormState) {
    open(s, st.case);
    let fx = send(s, [key('d')]);
    settle(s, answers, fx);
    for _ in 0..st.outcome {
        send_settled(s, answers, [key('l')]);
    }
    if !st.grounds.is_empty() {
        goto(s, answers, Field::CaseGrounds);
        send_settled(s, answers, [code(KeyCode::Enter)]);
        type_in(s, answers, st.grounds);
        send_settled(s, answers, [code(KeyCode::Enter)]);
    }
    for (i, g) in st.withhold {
        goto(s, answers, Field::Action(*i));
        send_settled(s, answers, [key(' ')]);
        goto(s, answers, Field::Grounds(*i));
        send_settled(s, answers, [code(KeyCode::Enter)]);
        type_in(s, answers, g);
        send_settled(s, answers, [code(KeyCode::Enter)]);
    }
    if let Some(parts) = st.disclosure {
        goto(s, answers, Field::AddDisclosure);
        send_settled(s, answers, [key('a')]);
        for (p, text) in parts.iter().enumerate() {
            if p > 0 {
                send_settled(s, answers, [key('j'), code(KeyCode::Enter)]);
            }
            type_in(s, answers, text);
            send_settled(s, answers, [code(KeyCode::Enter)]);
        }
    }
    for (code_, why) in st.overrides {
        goto(s, answers, Field::AddOverride);
        send_settled(s, answers, [key('o')]);
        type_in(s, answers, code_);
        send_settled(
            s,
            answers,
            [code(KeyCode::Enter), key('j'), code(KeyCode::Enter)],
        );
        type_in(s, answers, why);
        send_settled(s, answers, [code(KeyCode::Enter)]);
    }
    goto(s, answers, Field::Rationale);
    send_settled(s, answers, [code(KeyCode::Enter)]);
    type_in(s, answers, st.rationale);
    send_settled(s, answers, [code(KeyCode::Esc)]);
    goto(s, answers, Field::Sign);
}

/// The record's lines without those fixed at signing.
fn without_signing_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !["seq:", "prev:", "time:"].iter().any(|p| l.starts_with(p)))
        .map(str::to_string)
        .collect()
}

fn check(states: &[FormState], reviewer: &str) {
    let tmp = sample_copy();
    let cases = tmp.path().join("cases");
    let options = options_for(&cases, Some(reviewer));
    for st in states {
        let mut s = state_on(&cases, 120, 40);
        let (practice, problem) = casebench::tui::screens::practice::Practice::load(&options);
        assert!(problem.is_none(), "{problem:?}");
        s.practice = practice;
        s.set_signer(options.reviewer.as_deref(), options.key.as_deref());
        let mut answers = Answers::new(&options);
        fill(&mut s, &mut answers, st);
        let p = s.form.as_ref().unwrap().preview.clone().expect("a preview");
        assert!(p.not_yet.is_none(), "{}: {:?}", st.case, p.not_yet);
        assert!(p.refused.is_none(), "{}: {:?}", st.case, p.refused);
        let shown = p.record.join("\n");
        // Only the three lines fixed at signing are placeholders.
        assert!(!shown.contains("not known"), "{shown}");
        for field in ["seq", "prev", "time"] {
            assert!(
                p.record
                    .iter()
                    .any(|l| l.starts_with(&format!("{field}: (")) && l.contains("signing")),
                "{field} placeholder missing:\n{shown}"
            );
        }
        // The screen shows that text.
        let screen = render(&mut s, 200, 60);
        send(&mut s, [Msg::Resize(120, 40)]);
        assert!(screen.contains(&p.record[0]), "{screen}");
        // Sign, as `[ Sign ]` does, and read the record written.
        let set = s.set.clone().unwrap();
        let draft = s.form.as_ref().unwrap().to_draft();
        let (msg, _) =
            casebench::tui::event_loop::sign(&options, &set, &draft, s.practice.record_kind())
                .unwrap_or_else(|e| panic!("{}: {e}", st.case));
        let seq: u64 = msg
            .split_whitespace()
            .find_map(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("{msg}"));
        let bytes =
            std::fs::read_to_string(cases.join(format!("decisions/log/{seq:08}.yaml"))).unwrap();
        assert_eq!(
            without_signing_lines(&shown),
            without_signing_lines(&bytes),
            "{}: preview and record differ",
            st.case
        );
        // The update sees the signature: the form closes, the draft goes.
        let fx = send(&mut s, [Msg::Signed(Ok(msg))]);
        assert!(fx.contains(&Effect::RefreshLog));
    }
}

#[test]
fn the_preview_is_the_signed_record_for_a_supervisor() {
    check(
        &[
            // A partial release: one item withheld on its ground.
            FormState {
                case: "AR-2026-0101",
                outcome: 2,
                grounds: "right-of-access",
                withhold: &[(1, "psychotherapy-notes")],
                disclosure: None,
                overrides: &[],
                rationale: "The notes are kept separately; the chart is released.",
            },
            // A denial withholds every item, on the decision's ground (no item toggled).
            FormState {
                case: "AR-2026-0107",
                outcome: 3,
                grounds: "representative-abuse-concern",
                withhold: &[],
                disclosure: None,
                overrides: &[],
                rationale: "The father is the subject of the abuse report.",
            },
            // A full release with a disclosure in the accounting.
            FormState {
                case: "AR-2026-0102",
                outcome: 1,
                grounds: "right-of-access",
                withhold: &[],
                disclosure: Some([
                    "The patient",
                    "12 Elm St, Springfield",
                    "copy of the chart",
                    "right of access",
                ]),
                overrides: &[],
                rationale: "Her own chart; nothing to withhold.",
            },
            // California: a 15-day state deadline and a reviewable ground (review rights
            // in the notice).
            FormState {
                case: "AR-2026-0124",
                outcome: 2,
                grounds: "right-of-access, harm-to-referenced-person",
                withhold: &[(1, "harm-to-referenced-person")],
                disclosure: None,
                overrides: &[],
                rationale: "Dr. Nakamura's determination covers the collateral note.",
            },
            // Error findings overridden with a justification (recorded by the gate).
            FormState {
                case: "AR-2026-0105",
                outcome: 3,
                grounds: "danger-to-life",
                withhold: &[],
                disclosure: None,
                overrides: &[(
                    "invalid-ground",
                    "the treating psychiatrist's determination",
                )],
                rationale: "Denied on the psychiatrist's determination of danger.",
            },
            // A disclosure concern: no record items.
            FormState {
                case: "DC-2026-0016",
                outcome: 1,
                grounds: "serious-threat",
                withhold: &[],
                disclosure: Some([
                    "County crisis team",
                    "1 Main St",
                    "the threat and the plan",
                    "to prevent a serious and imminent threat",
                ]),
                overrides: &[],
                rationale: "A dated plan and the means: warn and protect.",
            },
        ],
        "k.osei@lakeside.example",
    );
}

#[test]
fn the_preview_is_the_signed_record_for_a_trainee() {
    check(
        &[FormState {
            case: "AR-2026-0113",
            outcome: 2,
            grounds: "right-of-access",
            withhold: &[(0, "psychotherapy-notes")],
            disclosure: None,
            overrides: &[],
            rationale: "My proposal.",
        }],
        "t.lindqvist@lakeside.example",
    );
}

#[test]
fn without_a_signer_the_preview_says_what_is_not_known_yet() {
    let tmp = sample_copy();
    let cases = tmp.path().join("cases");
    let options = options_for(&cases, None);
    let mut s = state_on(&cases, 120, 40);
    let mut answers = Answers::new(&options);
    fill(
        &mut s,
        &mut answers,
        &FormState {
            case: "AR-2026-0102",
            outcome: 1,
            grounds: "right-of-access",
            withhold: &[],
            disclosure: None,
            overrides: &[],
            rationale: "Her own chart.",
        },
    );
    let p = s.form.as_ref().unwrap().preview.clone().unwrap();
    let line = |f: &str| {
        p.record
            .iter()
            .find(|l| l.starts_with(&format!("{f}: ")))
            .cloned()
            .unwrap()
    };
    assert!(
        line("reviewer").contains("not known yet: who signs?"),
        "{:?}",
        p.record
    );
    assert!(line("key").contains("not known yet"), "{:?}", p.record);
    // Everything the log and the rules know is there already.
    assert!(line("policy").starts_with("policy: sha256:"));
    assert_eq!(line("outcome"), "outcome: release_full");
    let refused = p.refused.unwrap();
    assert!(refused.contains("who signs?"), "{refused}");
    let screen = render(&mut s, 120, 40);
    assert!(screen.contains("Cannot be signed as it stands"), "{screen}");
}
