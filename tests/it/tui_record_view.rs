//! The record view: from a decided case (`v`), right after signing, and from the audit
//! screen. A log signed in a tempdir through the library proves the bytes shown are the
//! file's bytes, the verification is `verify_log`'s, the `ssh-keygen -Y verify` command
//! shown accepts the record, and the notice is `casebench notice`'s. Snapshots use a
//! fixed record (fresh keys would change every run).

use crate::support::audit as audit_support;
use crate::support::tui as tui_support;

use std::path::PathBuf;

use audit_support::{A, Env};
use casebench::audit::Verification;
use casebench::audit::signed::{SignedRecord, Which};
use casebench::case::LoadOptions;
use casebench::record::append::{Unsigned, sign_and_append};
use casebench::record::log::DecidedBy;
use casebench::record::model::{
    Action as RecAction, DeadlineInfo, Notice, RecordAction, RecordType,
};
use casebench::record::signer::Signer;
use casebench::rules::{CaseSet, load_dir};
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::event_loop::read_record as read;
use casebench::tui::keymap::Keymap;
use casebench::tui::screens::record::{BYTES_HEADING, NOTICE_HEADING};
use casebench::tui::theme::Theme;
use chrono::{DateTime, NaiveDate, Utc};
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const DAY: &str = "2026-03-20";
const CASE: &str = "AR-2026-0301";

fn day() -> NaiveDate {
    NaiveDate::parse_from_str(DAY, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A's partial release of AR-2026-0301 (the notes withheld), signed through the library.
fn signed_log() -> (Env, CaseSet) {
    let env = Env::new();
    let set = load_dir(&env.cases, &LoadOptions::new(day()), &|_, _| {}).unwrap();
    let mut a = Signer::from_file(&env.key(A)).unwrap();
    let d = Unsigned {
        kind: RecordType::Decision,
        reviewer: A.to_string(),
        outcome: "release_partial".into(),
        grounds: vec!["right-of-access".into()],
        records: vec![RecordAction {
            id: "notes".into(),
            action: RecAction::Withhold,
            grounds: vec!["psychotherapy-notes".into()],
        }],
        disclosures: vec![],
        notice: Notice {
            basis: true,
            review_rights: false,
            complaint_routes: true,
        },
        deadline: DeadlineInfo {
            due: Some(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()),
            decided_on_time: true,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: vec![],
        rationale: "Chart released; separately kept psychotherapy notes withheld.\n".into(),
    };
    sign_and_append(
        &env.cases,
        &env.state("setup"),
        set.get(CASE).unwrap(),
        &d,
        &mut a,
        at("2026-03-18T09:30:00Z"),
    )
    .unwrap();
    (env, set)
}

/// The workbench on `set`, with the log's index read as the loader does.
fn state_on(env: &Env, set: CaseSet) -> State {
    let mut s = State::new(day(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    let index =
        casebench::record::memory::catch_up(&env.cases, &env.state("setup"), &mut |_, _| {})
            .unwrap()
            .index;
    update(&mut s, Msg::DecidedBy(index.decided_by()));
    s
}

fn plain(lines: &[casebench::tui::scroll::Styled]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
        .collect()
}

#[test]
fn v_on_a_decided_case_shows_the_exact_bytes_verified_with_the_notice() {
    let (env, set) = signed_log();
    let mut s = state_on(&env, set.clone());
    open(&mut s, CASE);
    // The header says who decided and when (the log's index).
    let out = render(&mut s, 80, 24);
    assert!(
        out.contains("decided by a.rivera@clinic.example at 2026-03-18 09:30 UTC"),
        "{out}"
    );
    let fx = send(&mut s, [key('v')]);
    assert_eq!(fx, vec![Effect::ShowRecord(Which::InForce(CASE.into()))]);
    assert_eq!(s.screen, Screen::Record);
    send(
        &mut s,
        [read(
            &env.cases,
            &env.state("setup"),
            &set,
            Which::InForce(CASE.into()),
        )],
    );
    let lines = plain(s.record.as_ref().unwrap().lines.as_ref().unwrap());

    // The bytes shown, between their heading and the notice, are the file's bytes.
    let file = std::fs::read_to_string(env.record(1)).unwrap();
    let from = lines.iter().position(|l| l == BYTES_HEADING).unwrap() + 1;
    let to = lines.iter().position(|l| l == NOTICE_HEADING).unwrap() - 1;
    assert_eq!(lines[from..to].join("\n") + "\n", file);
    // ... and every one of them is on screen, in order, on a tall terminal.
    let screen = render(&mut s, 200, 120);
    let mut rest = screen.as_str();
    for l in file.lines() {
        let at = rest
            .find(l)
            .unwrap_or_else(|| panic!("{l:?} not drawn:\n{screen}"));
        rest = &rest[at + l.len()..];
    }

    // Verified by verify_log, as casebench verify does; who and when.
    assert!(
        lines.iter().any(|l| l.starts_with("verification: ok")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "signed by: a.rivera@clinic.example (Dr. A. Rivera)"),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l == "at: 2026-03-18T09:30:00Z"),
        "{lines:?}"
    );

    // The command shown checks the record with OpenSSH alone.
    let cmd = lines
        .iter()
        .find(|l| l.starts_with("ssh-keygen -Y verify"))
        .unwrap();
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("Good \"casebench-decision\" signature"));

    // The notice is what `casebench notice 1` prints on the same day.
    let cli = env.cmd(DAY).arg("notice").arg("1").output().unwrap();
    assert!(cli.status.success());
    let notice_at = lines.iter().position(|l| l == NOTICE_HEADING).unwrap() + 1;
    let shown: Vec<&String> = lines[notice_at..]
        .iter()
        .take_while(|l| l.as_str() != casebench::tui::screens::record::SIGNATURE_HEADING)
        .collect();
    let cli_text = String::from_utf8(cli.stdout).unwrap();
    let cli_lines: Vec<&str> = cli_text.lines().collect();
    assert_eq!(
        shown.iter().map(|l| l.as_str()).collect::<Vec<_>>()[..cli_lines.len()],
        cli_lines[..]
    );

    // Esc goes back to the case.
    send(&mut s, [code(KeyCode::Esc)]);
    assert_eq!(s.screen, Screen::Case);
    assert!(s.record.is_none());
}

#[test]
fn an_edited_record_shows_failed_in_the_view() {
    let (env, set) = signed_log();
    // Edited while the workbench is open on the decided case.
    let mut s = state_on(&env, set.clone());
    env.tamper(1, "Chart released", "Chart withheld");
    open(&mut s, CASE);
    send(&mut s, [key('v')]);
    send(
        &mut s,
        [read(
            &env.cases,
            &env.state("setup"),
            &set,
            Which::InForce(CASE.into()),
        )],
    );
    let lines = plain(s.record.as_ref().unwrap().lines.as_ref().unwrap());
    assert!(
        lines.iter().any(|l| l.starts_with("verification: FAILED")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("problem:")), "{lines:?}");
    // No notice is written from a record that does not verify.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("no notice can be written: record 1 does not verify")),
        "{lines:?}"
    );
}

#[test]
fn a_record_under_a_replaced_policy_points_ssh_keygen_at_the_archived_one() {
    let (env, set) = signed_log();
    // A leaves: the current allowed_signers no longer lists A's key.
    let allowed = env.cases.join("reviewers/allowed_signers");
    let text = std::fs::read_to_string(&allowed).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| !l.starts_with(A))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&allowed, kept).unwrap();
    let mut s = state_on(&env, set.clone());
    open(&mut s, CASE);
    send(&mut s, [key('v')]);
    send(
        &mut s,
        [read(
            &env.cases,
            &env.state("setup"),
            &set,
            Which::InForce(CASE.into()),
        )],
    );
    let lines = plain(s.record.as_ref().unwrap().lines.as_ref().unwrap());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("verification: OLD POLICY")),
        "{lines:?}"
    );
    let cmd = lines
        .iter()
        .find(|l| l.starts_with("ssh-keygen -Y verify"))
        .unwrap();
    assert!(cmd.contains("decisions/policies/"), "{cmd}");
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn v_on_an_undecided_case_says_why_and_opens_nothing() {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    assert!(send(&mut s, [key('v')]).is_empty());
    assert_eq!(s.screen, Screen::Case);
    assert!(s.message.as_ref().unwrap().1.contains("no signed decision"));
}

#[test]
fn the_signed_box_offers_the_record_and_v_opens_it() {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    send(&mut s, [key('d')]);
    assert_eq!(s.screen, Screen::Form);
    send(
        &mut s,
        [Msg::Signed(Ok(
            "signed record 7 (release_full) by me".into()
        ))],
    );
    let b = s.banner.clone().unwrap();
    assert!(b.text.contains("v shows the signed record"), "{}", b.text);
    // The header knows at once (the index's who and when follow).
    assert!(render(&mut s, 80, 24).contains("decided"));
    let fx = send(&mut s, [key('v')]);
    assert_eq!(
        fx,
        vec![Effect::ShowRecord(Which::InForce("AR-2026-0101".into()))]
    );
}

#[test]
fn record_and_practice_screens_have_their_own_help() {
    let mut s = state();
    open(&mut s, "AR-2026-0101");
    let help = {
        send(&mut s, [key('?')]);
        render(&mut s, 80, 24)
    };
    assert!(help.contains("the signed record in force"), "{help}");
    send(&mut s, [code(KeyCode::Esc)]);
    s.decided.insert("AR-2026-0101".into());
    send(&mut s, [key('v'), key('?')]);
    let out = render(&mut s, 80, 24);
    assert!(out.contains("Keys: record"), "{out}");
}

/// A fixed record for the snapshots: what a verified partial release looks like.
fn fixed_record() -> SignedRecord {
    let bytes = "record: casebench-decision/1\nseq: 3\nprev: sha256:9f2c…\ncase: AR-2026-0101\n\
                 case_sha256: 0707070707070707070707070707070707070707070707070707070707070707\n\
                 case_prev: none\ntype: decision\nreviewer: dr.okafor@lakeside.example\n\
                 key: SHA256:Xm3yQvS0eYw1S0Zb9S8Wv3mZ8l3wz1Q2Rk9fB2c4dEo\n\
                 policy: sha256:5d41402abc4b2a76b9719d911017c592\n\
                 time: 2026-11-24T09:30:00Z\noutcome: release_partial\nrecords:\n\
                 - { id: chart, action: release }\n\
                 - { id: therapy_notes, action: withhold, grounds: [psychotherapy-notes] }\n\
                 notice: { basis: true, review_rights: false, complaint_routes: true }\n\
                 deadline: { due: 2026-04-01, decided_on_time: true }\n\
                 rationale: |\n  Chart released; the separately kept notes withheld.\n";
    SignedRecord {
        seq: 3,
        file: PathBuf::from("cases/decisions/log/00000003.yaml"),
        sig_file: PathBuf::from("cases/decisions/log/00000003.yaml.sig"),
        bytes: Ok(bytes.as_bytes().to_vec()),
        signature: Some(
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTk=\n-----END SSH SIGNATURE-----\n"
                .into(),
        ),
        verification: Verification::Ok,
        problems: vec![],
        kind: Some(RecordType::Decision),
        case: Some("AR-2026-0101".into()),
        outcome: Some("release_partial".into()),
        reviewer: Some("dr.okafor@lakeside.example".into()),
        reviewer_name: Some("Dr. N. Okafor".into()),
        time: Some("2026-11-24T09:30:00Z".into()),
        verify_command: Some(
            "ssh-keygen -Y verify -f cases/reviewers/allowed_signers -I dr.okafor@lakeside.example \
             -n casebench-decision -s cases/decisions/log/00000003.yaml.sig < \
             cases/decisions/log/00000003.yaml"
                .into(),
        ),
        notice: Some(Ok("RESPONSE TO YOUR REQUEST FOR RECORDS\n\nDate: 2026-11-24\nTo: M. Reyes\n\n\
             We are giving you everything you asked for except the items listed below (45 CFR \
             164.524(d)(1)).\n"
            .into())),
    }
}

#[test]
fn snapshots_of_the_decided_header_and_the_record_view() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = state();
        let by = [(
            "AR-2026-0101".to_string(),
            DecidedBy {
                outcome: "release_full".into(),
                provided_on: None,
                reviewer: "dr.okafor@lakeside.example".into(),
                time: at("2026-11-24T09:30:00Z"),
            },
        )]
        .into_iter()
        .collect();
        send(&mut s, [Msg::DecidedBy(by)]);
        open(&mut s, "AR-2026-0101");
        insta::assert_snapshot!(format!("decided_case_{w}x{h}"), render(&mut s, w, h));
        send(&mut s, [key('v')]);
        send(
            &mut s,
            [Msg::SignedRecord {
                which: Which::InForce("AR-2026-0101".into()),
                result: Ok(Box::new(fixed_record())),
            }],
        );
        insta::assert_snapshot!(format!("record_view_{w}x{h}"), render(&mut s, w, h));
        send(&mut s, [key('G')]);
        insta::assert_snapshot!(format!("record_view_end_{w}x{h}"), render(&mut s, w, h));
    }
}

/// Issue 25: the record view writes the record's letter to a file (`w`): the PDF that
/// `casebench notice SEQ --format pdf` writes, in a new file of the current folder.
#[test]
fn w_writes_the_letter_to_a_new_file() {
    let (env, set) = signed_log();
    let mut s = state_on(&env, set.clone());
    open(&mut s, CASE);
    send(&mut s, [key('v')]);
    // Before the record is read, there is no letter to write.
    assert!(send(&mut s, [key('w')]).is_empty());
    send(
        &mut s,
        [read(
            &env.cases,
            &env.state("setup"),
            &set,
            Which::InForce(CASE.into()),
        )],
    );
    let fx = send(&mut s, [key('w')]);
    assert_eq!(fx, vec![Effect::WriteLetter(1)]);
    // The worker's job, run here in a folder of the test's own.
    let dir = env.tmp.path().join("letters");
    std::fs::create_dir_all(&dir).unwrap();
    let msg = casebench::tui::event_loop::write_letter(&env.cases, &set, 1, &dir);
    let Msg::LetterWritten(Ok(path)) = &msg else {
        panic!("{msg:?}")
    };
    assert_eq!(path, &dir.join(format!("notice-{CASE}-1.pdf")));
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    // A second letter never replaces the first.
    let Msg::LetterWritten(Ok(second)) =
        casebench::tui::event_loop::write_letter(&env.cases, &set, 1, &dir)
    else {
        panic!()
    };
    assert_eq!(second, dir.join(format!("notice-{CASE}-1-2.pdf")));
    send(&mut s, [msg]);
    let out = render(&mut s, 120, 30);
    assert!(out.contains("letter written to"), "{out}");
}
