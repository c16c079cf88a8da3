//! The workbench's audit screen: a signed log built in a tempdir through the library
//! (fixed signing times, so snapshots are stable), one record tampered with. Snapshots
//! of the table and charts at 120×40 and 80×24; filters, the record view and the
//! checkpoint through `update` and the worker.

use crate::support::audit as audit_support;
use crate::support::tui as tui_support;

use std::sync::Arc;
use std::sync::mpsc;

use audit_support::{A, B, C, Env};
use casebench::audit::report::{AuditReport, record_text};
use casebench::audit::signed::Which;
use casebench::case::LoadOptions;
use casebench::record::append::{Unsigned, sign_and_append};
use casebench::record::model::{
    Action as RecAction, DeadlineInfo, Notice, OverriddenFinding, RecordAction, RecordType,
};
use casebench::record::signer::Signer;
use casebench::rules::{CaseSet, load_dir};
use casebench::tui::Options;
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::effect::AuditEffect;
use casebench::tui::event_loop::read_record as read;
use casebench::tui::keymap::Keymap;
use casebench::tui::screens::audit::AuditMsg;
use casebench::tui::theme::Theme;
use chrono::{DateTime, NaiveDate, Utc};
use ratatui::crossterm::event::KeyCode;
use tui_support::{code, key, render, send};

const TODAY: &str = "2026-04-20";

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&format!("{s}T10:00:00Z"))
        .unwrap()
        .with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn draft(who: &str, outcome: &str, grounds: &[&str], due: Option<&str>, on_time: bool) -> Unsigned {
    Unsigned {
        kind: RecordType::Decision,
        reviewer: who.to_string(),
        outcome: outcome.to_string(),
        grounds: grounds.iter().map(|g| g.to_string()).collect(),
        records: vec![],
        disclosures: vec![],
        notice: Notice::default(),
        deadline: DeadlineInfo {
            due: due.map(date),
            decided_on_time: on_time,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![],
        rationale: "Test rationale for the audit screen.\n".into(),
    }
}

fn load(env: &Env) -> CaseSet {
    load_dir(&env.cases, &LoadOptions::new(today()), &|_, _| {}).unwrap()
}

/// Five decisions over two months, two reviewers, one override, one late decision;
/// AR-2026-0306 stays open (overdue). With `tamper`, record 2 is edited after signing.
fn build(tamper: bool) -> (Env, CaseSet) {
    let env = Env::new();
    let set = load(&env);
    let case = |id: &str| set.get(id).unwrap().clone();
    let mut a = Signer::from_file(&env.key(A)).unwrap();
    let mut b = Signer::from_file(&env.key(B)).unwrap();
    let d1 = draft(B, "release", &["right-of-access"], Some("2026-03-03"), true);
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        &case("AR-2026-0302"),
        &d1,
        &mut b,
        at("2026-03-02"),
    )
    .unwrap();
    let mut d2 = draft(
        A,
        "release_partial",
        &["right-of-access"],
        Some("2026-04-01"),
        true,
    );
    d2.records = vec![RecordAction {
        id: "notes".into(),
        action: RecAction::Withhold,
        grounds: vec!["psychotherapy-notes".into()],
    }];
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        &case("AR-2026-0301"),
        &d2,
        &mut a,
        at("2026-03-04"),
    )
    .unwrap();
    let d3 = draft(B, "report", &["child-abuse-report"], None, true);
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        &case("DC-2026-0305"),
        &d3,
        &mut b,
        at("2026-03-18"),
    )
    .unwrap();
    let mut d4 = draft(A, "warn_and_protect", &["serious-threat"], None, true);
    d4.findings_overridden = vec![OverriddenFinding {
        code: "harm-not-licensed".into(),
        justification: "Confirmed in person by the licensed supervisor".into(),
    }];
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        &case("DC-2026-0304"),
        &d4,
        &mut a,
        at("2026-03-19"),
    )
    .unwrap();
    let d5 = draft(A, "deny", &["danger-to-life"], Some("2026-04-04"), false);
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        &case("AR-2026-0303"),
        &d5,
        &mut a,
        at("2026-04-10"),
    )
    .unwrap();
    if tamper {
        env.tamper(2, "Test rationale", "Edited rationale");
    }
    let set = load(&env);
    (env, set)
}

/// The workbench on the audit screen, with the report the worker would build.
fn audit_state(env: &Env, set: CaseSet) -> State {
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set.clone())));
    let fx = send(&mut s, [key('A')]);
    assert_eq!(fx, vec![Effect::Audit(AuditEffect::Load)]);
    assert_eq!(s.screen, Screen::Audit);
    let report = AuditReport::build(&env.cases, &set).map_err(|e| e.to_string());
    update(&mut s, Msg::Audit(AuditMsg::Loaded(report.map(Box::new))));
    s
}

fn seqs(s: &State) -> Vec<u64> {
    let v = s.audit.as_ref().unwrap();
    v.visible.iter().map(|&i| v.lines[i].seq).collect()
}

#[test]
fn audit_screen_snapshots_with_a_tampered_record() {
    let (env, set) = build(true);
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = audit_state(&env, set.clone());
        let out = render(&mut s, w, h);
        assert!(out.contains("FAILED"), "{out}");
        assert!(out.contains("overdue open: 1"), "{out}");
        insta::assert_snapshot!(format!("audit_{w}x{h}"), out);
    }
}

#[test]
fn tampered_record_is_marked_failed_in_words() {
    let (env, set) = build(true);
    let s = audit_state(&env, set);
    let v = s.audit.as_ref().unwrap();
    let marks: Vec<(u64, &str)> = v.lines.iter().map(|l| (l.seq, l.mark)).collect();
    assert_eq!(
        marks,
        vec![
            (1, "ok"),
            (2, "FAILED"),
            (3, "FAILED"),
            (4, "ok"),
            (5, "ok")
        ]
    );
    // Record 3 links to record 2's original bytes: the chain breaks there too. Failed
    // records are left out of the charts' figures.
    assert!(v.lines[2].problems.iter().any(|p| p.contains("00000003")));
    assert_eq!(v.charts.decisions, 3);
    assert_eq!(v.charts.failing, 2);
    let (role, msg) = s.message.clone().unwrap();
    assert_eq!(role, casebench::tui::theme::Role::Error);
    assert!(msg.contains("2 of 5 records FAILED"), "{msg}");
}

#[test]
fn charts_hold_the_summary_figures() {
    let (env, set) = build(false);
    let mut s = audit_state(&env, set);
    let c = &s.audit.as_ref().unwrap().charts;
    assert_eq!(c.decisions, 5);
    // Disclosure concerns have no access deadline: on time/late counts access requests,
    // and on time means provided on time: nothing is provided in this log yet.
    assert_eq!((c.on_time, c.late), (0, 0));
    assert_eq!(c.overdue_open, 1);
    let count = |label: &str| {
        c.by_outcome
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, n)| *n)
    };
    assert_eq!(count("deny"), Some(1));
    assert_eq!(count("warn_and_protect"), Some(1));
    // On time and late by month count what was provided: nothing yet.
    assert!(c.months.is_empty(), "{:?}", c.months);
    assert_eq!(c.days.iter().map(|(_, n)| n).sum::<u64>(), 5);
    let out = render(&mut s, 120, 40);
    assert!(out.contains("all verified"), "{out}");
    assert!(out.contains("Nothing provided yet"), "{out}");
}

#[test]
fn filters_narrow_the_table_and_the_charts() {
    let (env, set) = build(true);
    let mut s = audit_state(&env, set);
    assert_eq!(seqs(&s), vec![1, 2, 3, 4, 5]);
    // Problems only: the tampered record.
    send(&mut s, [key('p')]);
    assert_eq!(seqs(&s), vec![2, 3]);
    assert!(render(&mut s, 120, 40).contains("filters: problems only"));
    send(&mut s, [key('p'), key('v')]);
    assert_eq!(seqs(&s), vec![4]);
    send(&mut s, [key('x')]);
    assert_eq!(seqs(&s), vec![1, 2, 3, 4, 5]);
    // Reviewer: first in log order is B, then A, then none.
    send(&mut s, [key('r')]);
    assert_eq!(seqs(&s), vec![1, 3]);
    // The charts follow the filter (B's second record failed: not counted).
    assert_eq!(s.audit.as_ref().unwrap().charts.decisions, 1);
    send(&mut s, [key('r')]);
    assert_eq!(seqs(&s), vec![2, 4, 5]);
    send(&mut s, [key('r')]);
    assert_eq!(seqs(&s), vec![1, 2, 3, 4, 5]);
    // Outcome: in log order, release first.
    send(&mut s, [key('o')]);
    assert_eq!(seqs(&s), vec![1]);
    send(&mut s, [key('x')]);
    // Date range typed as YYYY-MM-DD; a bad date is refused with a message.
    send(&mut s, [key('f')]);
    send(&mut s, "2026-03-18".chars().map(key));
    send(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(seqs(&s), vec![3, 4, 5]);
    send(&mut s, [key('t')]);
    send(&mut s, "2026-03-19".chars().map(key));
    send(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(seqs(&s), vec![3, 4]);
    let out = render(&mut s, 120, 40);
    assert!(out.contains("since 2026-03-18, until 2026-03-19"), "{out}");
    send(&mut s, [key('t')]);
    send(&mut s, "2026-13".chars().map(key));
    send(&mut s, [code(KeyCode::Enter)]);
    assert!(s.message.as_ref().unwrap().1.contains("not a date"));
    assert_eq!(seqs(&s), vec![3, 4]);
    // Empty clears.
    send(&mut s, (0..7).map(|_| code(KeyCode::Backspace)));
    send(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(seqs(&s), vec![3, 4, 5]);
}

#[test]
fn enter_shows_the_record_view_with_text_and_signature() {
    let (env, set) = build(true);
    let mut s = audit_state(&env, set.clone());
    send(&mut s, [key('j')]);
    let fx = send(&mut s, [code(KeyCode::Enter)]);
    assert_eq!(fx, vec![Effect::ShowRecord(Which::Seq(2))]);
    assert_eq!(s.screen, Screen::Record);
    assert!(render(&mut s, 80, 24).contains("reading and verifying the record..."));
    send(
        &mut s,
        [read(&env.cases, &env.state("setup"), &set, Which::Seq(2))],
    );
    let out = render(&mut s, 120, 40);
    assert!(
        out.contains("Record 2 · decision · case AR-2026-0301"),
        "{out}"
    );
    assert!(out.contains("verification: FAILED"), "{out}");
    assert!(out.contains("problem:"), "{out}");
    assert!(out.contains("Edited rationale"), "{out}");
    // Scroll down to the signature (on a small terminal, where it does not all fit).
    let out = render(&mut s, 80, 24);
    assert!(!out.contains("-----END SSH SIGNATURE-----"), "{out}");
    send(&mut s, [key('G')]);
    let out = render(&mut s, 80, 24);
    assert!(out.contains("-----END SSH SIGNATURE-----"), "{out}");
    assert!(!out.contains("verification: FAILED"), "{out}");
    // Esc goes back to the audit table it was opened from, then to the queue.
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(s.record.is_none());
    assert_eq!(s.screen, Screen::Audit);
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Queue);
}

#[test]
fn hostile_text_in_a_record_is_sanitised() {
    let (env, set) = build(false);
    let mut s = audit_state(&env, set.clone());
    send(&mut s, [code(KeyCode::Enter)]);
    let Msg::SignedRecord { which, result } =
        read(&env.cases, &env.state("setup"), &set, Which::Seq(1))
    else {
        panic!("not a record message");
    };
    let mut r = result.unwrap();
    r.bytes = Ok(b"rationale: \x1b[2Jgone\x07\n".to_vec());
    r.signature = None;
    send(
        &mut s,
        [Msg::SignedRecord {
            which,
            result: Ok(r),
        }],
    );
    let lines = s.record.as_ref().unwrap().lines.clone().unwrap();
    let all: Vec<String> = lines
        .iter()
        .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
        .collect();
    assert!(
        all.iter()
            .all(|l| !l.contains('\u{1b}') && !l.contains('\u{7}'))
    );
    assert!(all.iter().any(|l| l.contains("^[[2Jgone")), "{all:?}");
    assert!(
        all.iter()
            .any(|l| l.contains("MISSING: no readable signature"))
    );
}

fn run(options: &Options, set: &CaseSet, effect: AuditEffect) -> AuditMsg {
    let (tx, rx) = mpsc::channel();
    casebench::tui::event_loop::run_audit_effect(options, Some(Arc::new(set.clone())), effect, tx);
    match rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap() {
        Msg::Audit(m) => m,
        other => panic!("{other:?}"),
    }
}

fn options(env: &Env, who: &str) -> Options {
    Options {
        reviewer: Some(who.to_string()),
        key: Some(env.key(who)),
        state_dir: Some(env.state_home(who).join("casebench")),
        ..Options::new(&env.cases, today())
    }
}

#[test]
fn checkpoint_from_the_audit_screen() {
    let (env, set) = build(false);
    let mut s = audit_state(&env, set.clone());
    assert_eq!(
        send(&mut s, [key('c')]),
        vec![Effect::Audit(AuditEffect::Checkpoint)]
    );
    // A reviewer without the audit namespace is refused, and the screen says why, whole.
    let msg = run(&options(&env, A), &set, AuditEffect::Checkpoint);
    send(&mut s, [Msg::Audit(msg)]);
    let b = s.banner.clone().unwrap();
    assert_eq!(b.title, "Checkpoint refused");
    assert!(b.text.contains("cannot sign a checkpoint"), "{}", b.text);
    let screen = render(&mut s, 80, 24);
    assert!(screen.contains("Checkpoint refused"), "{screen}");
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(s.banner.is_none());
    // The compliance officer's key signs; the box says what was written and where, and
    // the report is verified again.
    let msg = run(&options(&env, C), &set, AuditEffect::Checkpoint);
    let fx = send(&mut s, [Msg::Audit(msg)]);
    assert_eq!(fx, vec![Effect::Audit(AuditEffect::Load)]);
    let b = s.banner.clone().unwrap();
    assert_eq!(b.title, "Checkpoint written");
    assert!(
        b.text.contains("checkpoint of record 5 (sha256:")
            && b.text.contains("signed by c.audit@clinic.example")
            && b.text.contains("decisions/checkpoints/00000005-"),
        "{}",
        b.text
    );
    let written = std::fs::read_dir(env.cases.join("decisions/checkpoints"))
        .unwrap()
        .count();
    // A second `c` on the unchanged head writes nothing and says so.
    let msg = run(&options(&env, C), &set, AuditEffect::Checkpoint);
    assert!(send(&mut s, [Msg::Audit(msg)]).is_empty());
    let b = s.banner.clone().unwrap();
    assert_eq!(b.title, "No checkpoint written");
    assert!(b.text.contains("unchanged since checkpoint"), "{}", b.text);
    let again = std::fs::read_dir(env.cases.join("decisions/checkpoints"))
        .unwrap()
        .count();
    assert_eq!(written, again);
}

#[test]
fn the_worker_builds_the_report_and_reads_records() {
    let (env, set) = build(true);
    let AuditMsg::Loaded(Ok(report)) = run(&options(&env, C), &set, AuditEffect::Load) else {
        panic!("no report");
    };
    assert_eq!(report.rows.len(), 5);
    let (text, sig) = record_text(&env.cases, 3).unwrap();
    assert!(text.contains("DC-2026-0305"));
    assert!(sig.unwrap().contains("BEGIN SSH SIGNATURE"));
}

#[test]
fn no_panic_at_any_size_while_loading_in_the_table_or_in_a_record() {
    let (env, set) = build(true);
    let mut loading = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut loading, Msg::Loaded(Box::new(set.clone())));
    send(&mut loading, [key('A')]);
    let mut table = audit_state(&env, set.clone());
    let mut detail = audit_state(&env, set.clone());
    send(&mut detail, [code(KeyCode::Enter)]);
    send(
        &mut detail,
        [read(&env.cases, &env.state("setup"), &set, Which::Seq(1))],
    );
    for s in [&mut loading, &mut table, &mut detail] {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (20, 5),
            (40, 10),
            (41, 11),
            (60, 15),
            (99, 30),
            (250, 70),
        ] {
            render(s, w, h);
            send(s, [key('G'), key('j')]);
            render(s, w, h);
        }
    }
    assert!(render(&mut loading, 80, 24).contains("verifying the decision log..."));
}

#[test]
fn verification_marks_are_words_with_the_theme_roles() {
    use casebench::tui::theme::Role;
    let (env, set) = build(true);
    let mut s = audit_state(&env, set);
    let b = tui_support::buffer(&mut s, 120, 40);
    let text = tui_support::text(&b);
    let theme = Theme::default_theme();
    let find = |word: &str, row_of: &str| {
        let y = text.lines().position(|l| l.contains(row_of)).unwrap() as u16;
        let line = text.lines().nth(y as usize).unwrap();
        // Cells, not bytes (the border is multi-byte).
        let x = line[..line.find(word).unwrap()].chars().count() as u16;
        b[(x, y)].style()
    };
    assert_eq!(
        find("FAILED", "AR-2026-0301").fg,
        theme.style(Role::Error).fg
    );
    assert_eq!(find("ok ", "AR-2026-0302").fg, theme.style(Role::Ok).fg);
    // Decided, nothing provided yet: the clock still runs.
    assert_eq!(
        find("awaiting", "AR-2026-0303").fg,
        theme.style(Role::DueSoon).fg
    );
}
