//! The long-text sample cases (AR-2026-0124, 0104, 0105, DC-2026-0016) at 80×24 and
//! 120×40 (issue 11): every pane reaches its last line, the advisor scrolls, the
//! findings travel with the decision, and nothing a reviewer must read is cut silently.
//! Snapshots in tests/snapshots/tui_long_text__*.snap.

use crate::support::tui as tui_support;

use casebench::case::Outcome;
use casebench::tui::app::State;
use casebench::tui::event_loop::Answers;
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const LONG: [&str; 4] = [
    "AR-2026-0124",
    "AR-2026-0104",
    "AR-2026-0105",
    "DC-2026-0016",
];
const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];
const SUPERVISOR: &str = "k.osei@lakeside.example";

fn sample(w: u16, h: u16) -> State {
    let mut s = state_on(&sample_dir(), w, h);
    s.set_signer(Some(SUPERVISOR), None);
    s
}

/// The last words of a case's evaluation of harm (the clinician's conclusion).
fn conclusion(s: &State, id: &str) -> String {
    let set = s.set.as_ref().unwrap();
    let summary = &set.get(id).unwrap().case.harm_evaluation.summary();
    let words: Vec<&str> = summary.split_whitespace().collect();
    words[words.len().saturating_sub(3)..].join(" ")
}

fn squeeze(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_evaluation_of_harm_scrolls_to_the_clinicians_conclusion() {
    for id in LONG {
        for (w, h) in SIZES {
            let mut s = sample(w, h);
            open(&mut s, id);
            send(&mut s, [key('1'), key('G')]);
            let screen = render(&mut s, w, h);
            // The words may wrap across two rows: compare the pane's text as one line.
            let last = conclusion(&s, id);
            let inside: String = screen
                .lines()
                .filter(|l| l.starts_with('┃'))
                .filter_map(|l| l.split('┃').nth(1))
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            assert!(
                squeeze(&inside).contains(&last),
                "{id} {w}x{h}: {last}\n{screen}"
            );
            insta::assert_snapshot!(format!("case_end_{id}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn the_advisor_panel_scrolls_to_its_last_line() {
    for id in LONG {
        for (w, h) in SIZES {
            let mut s = sample(w, h);
            let mut answers = fixture_answers(Some(SUPERVISOR));
            let fx = open(&mut s, id);
            settle(&mut s, &mut answers, fx);
            send(&mut s, [key('a'), key('G')]);
            let screen = render(&mut s, w, h);
            // The advisor's last line: the disclaimer after the findings.
            assert!(
                squeeze(&screen).contains("not legal advice"),
                "{id} {w}x{h}\n{screen}"
            );
            insta::assert_snapshot!(format!("advisor_end_{id}_{w}x{h}"), screen);
        }
    }
}

/// Opens the form and chooses the `n`-th outcome offered.
fn form(s: &mut State, answers: &mut Answers, id: &str, n: usize) {
    let fx = open(s, id);
    settle(s, answers, fx);
    send_settled(s, answers, [key('d')]);
    for _ in 0..n {
        send_settled(s, answers, [key('l')]);
    }
}

#[test]
fn the_findings_are_always_on_the_form_and_all_of_them_one_key_away() {
    for id in LONG {
        for (w, h) in SIZES {
            let mut s = sample(w, h);
            let mut answers = fixture_answers(Some(SUPERVISOR));
            // DC-2026-0016: maintain_confidentiality where warn_and_protect is
            // recommended; the access requests: release_full.
            let n = if id.starts_with("DC") { 4 } else { 1 };
            form(&mut s, &mut answers, id, n);
            let screen = render(&mut s, w, h);
            let summary = screen
                .lines()
                .find(|l| l.starts_with("Findings: "))
                .unwrap_or_else(|| panic!("{id} {w}x{h}: no summary\n{screen}"));
            assert!(summary.contains("error"), "{summary}");
            insta::assert_snapshot!(format!("form_{id}_{w}x{h}"), screen);
            if id == "DC-2026-0016" {
                assert_eq!(
                    s.form.as_ref().unwrap().outcome,
                    Some(Outcome::MaintainConfidentiality)
                );
                let p = s.form.as_ref().unwrap().preview.clone().unwrap();
                assert!(p.warnings >= 1, "{p:?}");
                assert!(
                    p.findings
                        .iter()
                        .any(|(_, l)| l.contains("outcome-not-recommended")
                            && l.contains("warn_and_protect")),
                    "{p:?}"
                );
            }
            // `f`: every finding, and the advisor's recommendation.
            send(&mut s, [key('f')]);
            let panel = render(&mut s, w, h);
            assert!(panel.contains("The advisor recommends"), "{panel}");
            assert!(panel.contains("Findings on this decision"), "{panel}");
            insta::assert_snapshot!(format!("findings_{id}_{w}x{h}"), panel);
            send(&mut s, [key('f')]);
            assert!(!s.form.as_ref().unwrap().findings_open);
        }
    }
}

#[test]
fn outcomes_offered_fit_the_case_kind() {
    let mut s = sample(120, 40);
    let mut answers = fixture_answers(Some(SUPERVISOR));
    form(&mut s, &mut answers, "AR-2026-0124", 0);
    let mut seen = Vec::new();
    for _ in 0..10 {
        send(&mut s, [key('l')]);
        seen.push(s.form.as_ref().unwrap().outcome.unwrap());
    }
    assert!(seen.contains(&Outcome::Deny) && seen.contains(&Outcome::ReleaseFull));
    assert!(!seen.contains(&Outcome::WarnAndProtect) && !seen.contains(&Outcome::Report));
    let mut s = sample(120, 40);
    form(&mut s, &mut answers, "DC-2026-0016", 0);
    let mut seen = Vec::new();
    for _ in 0..10 {
        send(&mut s, [key('l')]);
        seen.push(s.form.as_ref().unwrap().outcome.unwrap());
    }
    assert!(seen.contains(&Outcome::WarnAndProtect) && seen.contains(&Outcome::Report));
    assert!(!seen.contains(&Outcome::ReleasePartial) && !seen.contains(&Outcome::Deny));
}

#[test]
fn the_header_keeps_the_jurisdiction_and_rows_that_differ_look_different() {
    let s0 = sample(80, 24);
    let ids: Vec<String> = s0.rows.iter().map(|r| r.id.clone()).collect();
    for id in &ids {
        for w in [80u16, 100, 120] {
            let mut s = sample(w, 24);
            open(&mut s, id);
            let screen = render(&mut s, w, 24);
            let jurisdiction = s.case.as_ref().unwrap().jurisdiction.clone();
            let first = screen.lines().next().unwrap();
            assert!(first.ends_with(&jurisdiction), "{id} at {w}: {first}");
        }
    }
    // The queue: every visible title (and requester) differs from the others when the
    // full texts differ, at any width.
    for w in (80u16..=200).step_by(7) {
        let mut s = sample(w, 40);
        let screen = render(&mut s, w, 40);
        let rows: Vec<&str> = screen
            .lines()
            .skip(3)
            .filter(|l| l.len() > 2 && (l.starts_with("  ") || l.starts_with('>')))
            .collect();
        for (i, a) in rows.iter().enumerate() {
            for b in &rows[i + 1..] {
                // The id makes rows differ; compare what follows the fixed columns.
                let tail = |r: &str| r.split("  ").last().unwrap_or("").trim().to_string();
                assert!(
                    tail(a) != tail(b) || tail(a).is_empty(),
                    "at {w}: {a:?} / {b:?}"
                );
            }
        }
        let cut: Vec<&&str> = rows.iter().filter(|r| r.ends_with('…')).collect();
        assert!(w > 160 || !cut.is_empty(), "at {w}: nothing cut?\n{screen}");
    }
    let _ = code(KeyCode::Esc);
}
