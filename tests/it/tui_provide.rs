//! The workbench's provision form (issue 22): `p` on a decided case opens it, the keys
//! edit its fields, Enter asks the event loop to sign (pure `update`), and the effect's
//! function signs through `decision::provide::provide`, as `casebench provide`.

use crate::support::record as record_support;
use crate::support::tui as tui_support;

use casebench::case::LoadOptions;
use casebench::decision::provide::ProvisionFields;
use casebench::record::log::DecidedBy;
use casebench::rules::{Status, load_dir};
use casebench::tui::Options;
use casebench::tui::app::{Effect, Msg};
use ratatui::crossterm::event::KeyCode;
use tui_support::*;

const CASE: &str = "AR-2026-0101";

fn decided(outcome: &str, provided_on: Option<chrono::NaiveDate>) -> Msg {
    Msg::DecidedBy(std::collections::HashMap::from([(
        CASE.to_string(),
        DecidedBy {
            reviewer: "a.rivera@clinic.example".into(),
            time: chrono::DateTime::parse_from_rfc3339("2026-03-19T10:00:00Z")
                .unwrap()
                .with_timezone(&chrono::Utc),
            outcome: outcome.into(),
            provided_on,
        },
    )]))
}

#[test]
fn p_opens_the_form_on_a_decided_case_only_and_enter_asks_to_sign_it() {
    let mut s = state();
    open(&mut s, CASE);
    send(&mut s, [key('p')]);
    assert!(s.provide.is_none());
    let said = s
        .message
        .as_ref()
        .map(|(_, m)| m.clone())
        .unwrap_or_default();
    assert!(said.contains("not decided"), "{said}");
    // Decided, nothing to provide for a request for information.
    send(&mut s, [decided("request_information", None)]);
    send(&mut s, [key('p')]);
    assert!(s.provide.is_none());
    // A partial release: the form, the day and the notice's day prefilled.
    send(&mut s, [decided("release_partial", None)]);
    let row = s.rows.iter().find(|r| r.id == CASE).unwrap();
    assert_eq!(row.status, Status::AwaitingProvision);
    send(&mut s, [key('p')]);
    let f = s.provide.as_ref().expect("the provision form");
    assert_eq!(f.values[0], f.values[1]);
    assert!(!f.values[0].is_empty());
    insta::assert_snapshot!("provide_form_80x24", render(&mut s, 80, 24));
    // Tab to `via`, type it; Tab to `form`; Enter asks the loop to sign.
    send(&mut s, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    send(&mut s, "portal".chars().map(key));
    send(&mut s, [code(KeyCode::Tab)]);
    send(&mut s, "pdf".chars().map(key));
    let fx = send(&mut s, [code(KeyCode::Enter)]);
    let Some(Effect::Provide { case, fields }) = fx.first() else {
        panic!("{fx:?}");
    };
    assert_eq!(case, CASE);
    assert_eq!(
        (fields.via.as_str(), fields.form.as_str()),
        ("portal", "pdf")
    );
    // A refusal keeps the form and its values; success closes it and reads the log again.
    send(
        &mut s,
        [Msg::Provided {
            case: CASE.into(),
            result: Err("the fee is refused".into()),
        }],
    );
    assert!(s.provide.is_some());
    assert!(s.banner.is_some());
    s.banner = None;
    let fx = send(
        &mut s,
        [Msg::Provided {
            case: CASE.into(),
            result: Ok("signed record 5".into()),
        }],
    );
    assert!(s.provide.is_none());
    assert_eq!(fx, vec![Effect::RefreshLog]);
    // The log says provided: the queue says so.
    s.banner = None;
    send(
        &mut s,
        [decided(
            "release_partial",
            Some(chrono::NaiveDate::from_ymd_opt(2026, 3, 20).unwrap()),
        )],
    );
    let row = s.rows.iter().find(|r| r.id == CASE).unwrap();
    assert!(
        matches!(row.status, Status::ProvidedOnTime | Status::ProvidedLate),
        "{:?}",
        row.status
    );
}

#[test]
fn esc_cancels_the_form() {
    let mut s = state();
    open(&mut s, CASE);
    send(&mut s, [decided("deny", None)]);
    send(&mut s, [key('p')]);
    assert!(s.provide.is_some());
    send(&mut s, [code(KeyCode::Esc)]);
    assert!(s.provide.is_none());
}

#[test]
fn the_effects_function_signs_a_provision_that_verifies() {
    use record_support::*;
    let env = Env::new();
    let real = chrono::Local::now().date_naive();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    // The fixture's request, received three days ago.
    let src = std::fs::read_to_string(
        env.cases
            .join(format!("{CASE}.yaml", CASE = record_support::CASE)),
    )
    .unwrap();
    let received = day(real - chrono::Days::new(3));
    let id = "AR-2026-0901";
    let text = src
        .replace(record_support::CASE, id)
        .replace("2026-03-02", &received)
        .replace("2026-03-01", &received)
        .replace("2026-03-05", &received);
    std::fs::write(env.cases.join(format!("{id}.yaml")), text).unwrap();
    let o = env
        .cmd_as(A)
        .env("CASEBENCH_TODAY", day(real))
        .args(["--reviewer", A, "--key"])
        .arg(env.key(A))
        .args([
            "decide",
            id,
            "--outcome",
            "release_partial",
            "--ground",
            "right-of-access",
            "--withhold",
            "notes=psychotherapy-notes",
            "--rationale",
            "Chart released.",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let set = load_dir(&env.cases, &LoadOptions::new(real), &|_, _| {}).unwrap();
    let options = Options {
        reviewer: Some(R.into()),
        key: Some(env.key(R)),
        state_dir: Some(env.state_home(R).join("casebench")),
        ..Options::new(&env.cases, real)
    };
    let fields = |fees: &str| ProvisionFields {
        on: day(real),
        notice_sent: day(real),
        via: "portal".into(),
        form: "pdf".into(),
        fees: fees.into(),
        fee_told_on: day(real),
    };
    // The fee rule refuses a search fee here as on the command line.
    let e = casebench::tui::event_loop::provide(
        &options,
        &set,
        id,
        &fields("search_and_retrieval=5.00"),
    )
    .unwrap_err();
    assert!(e.contains("search and retrieval"), "{e}");
    let msg =
        casebench::tui::event_loop::provide(&options, &set, id, &fields("postage=1.20")).unwrap();
    assert!(msg.contains("provision of record 1"), "{msg}");
    assert!(msg.contains("on time"), "{msg}");
    let rec = std::fs::read_to_string(env.record(2)).unwrap();
    assert!(rec.contains("type: provision"), "{rec}");
    assert!(rec.contains("{ item: postage, amount: \"1.20\" }"), "{rec}");
    let (ok, out) = ssh_verify(
        &env.allowed(),
        R,
        "casebench-provision",
        &env.record(2),
        &[],
    );
    assert!(ok, "{out}");
}
