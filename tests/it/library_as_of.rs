//! A sample or training library states the day it is "as of" (`casebench.yaml`); every
//! command computes deadlines against it unless `--today` / `CASEBENCH_TODAY` says
//! otherwise, and a real directory may not use it.

use crate::support::common;

use std::path::Path;
use std::process::Output;

use common::*;

const SETTINGS: &str = "entity:\n  name: Demo Clinic\n  state: US-OH\nprivacy_contact:\n  title: Privacy Officer\n  phone: \"555-0100\"\n";

/// The fixture cases with `extra` added to casebench.yaml.
fn library(extra: &str) -> tempfile::TempDir {
    let text = format!("{SETTINGS}{extra}");
    dir_with(&[("casebench.yaml", text.as_bytes())])
}

/// casebench with no `--today` and no CASEBENCH_TODAY: the directory decides.
fn run(dir: &Path, env_today: Option<&str>, args: &[&str]) -> Output {
    let mut c = crate::support::cli::casebench(crate::support::cli::shared_home());
    c.env("NO_COLOR", "1").arg("--cases").arg(dir);
    if let Some(t) = env_today {
        c.env("CASEBENCH_TODAY", t);
    }
    c.args(args).output().unwrap()
}

fn json_today(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["today"].as_str().unwrap().to_string()
}

#[test]
fn a_sample_library_runs_as_of_its_day_and_today_still_wins() {
    let dir = library("library: sample\nas_of: 2026-04-10\n");
    assert_eq!(
        json_today(&run(dir.path(), None, &["list", "--json"])),
        "2026-04-10"
    );
    // Received 2026-03-02, due 04-01: 9 days overdue as of 04-10 (not 236).
    let text = stdout(&run(dir.path(), None, &["list"]));
    assert!(
        text.contains("2026-03-02 2026-04-01    -9  overdue"),
        "{text}"
    );
    // --today and CASEBENCH_TODAY win over the library's day.
    let flag = run(
        dir.path(),
        None,
        &["--today", "2026-11-23", "list", "--json"],
    );
    assert_eq!(json_today(&flag), "2026-11-23");
    let env = run(dir.path(), Some("2026-05-01"), &["list", "--json"]);
    assert_eq!(json_today(&env), "2026-05-01");
}

#[test]
fn every_command_uses_the_same_day() {
    let dir = library("library: training\nas_of: 2026-04-10\n");
    // show and advise compute the same deadline from the same day as list.
    let show = stdout(&run(dir.path(), None, &["show", "AR-2026-0101"]));
    assert!(show.contains("days left: -9   status: overdue"), "{show}");
    let advise = run(dir.path(), None, &["advise", "AR-2026-0101", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&advise.stdout).unwrap();
    let text = v.to_string();
    assert!(text.contains("\"days_left\":-9"), "{text}");
    assert!(text.contains("9 day(s) late as of 2026-04-10"), "{text}");
    // One clock: `as_of` counts deadlines; it never makes a real date future. The
    // concern raised 2026-05-04, after the library's day but before the real one, is
    // valid and in the queue.
    let check = run(dir.path(), None, &["check"]);
    let text = stdout(&check);
    assert_eq!(check.status.code(), Some(0), "{text}");
    assert!(!text.contains("in the future"), "{text}");
    let list = stdout(&run(dir.path(), None, &["list"]));
    assert!(
        list.lines().any(|l| l.starts_with("DC-2026-0007")),
        "{list}"
    );
}

#[test]
fn a_real_directory_may_not_fix_its_day() {
    let dir = library("as_of: 2026-04-10\n");
    let out = run(dir.path(), None, &["check"]);
    assert_ne!(out.status.code(), Some(0));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains("casebench.yaml:7:1"), "{text}");
    assert!(text.contains("library: sample"), "{text}");
    // Ignored for the deadlines: the calendar's day is used, never the stated one.
    let today = json_today(&run(dir.path(), None, &["list", "--json"]));
    assert_eq!(today, chrono::Local::now().date_naive().to_string());
}

#[test]
fn the_bundled_sample_library_is_dated() {
    let dir = crate::support::common::sample_library().to_path_buf();
    assert_eq!(
        json_today(&run(&dir, None, &["list", "--json"])),
        "2026-11-23"
    );
    let settings = casebench::case::settings::load_settings(&dir)
        .unwrap()
        .unwrap();
    assert_eq!(settings.library, casebench::case::settings::Library::Sample);
}

#[test]
fn the_workbench_header_says_sample_library_as_of() {
    use clap::Parser;
    let dir = library("library: sample\nas_of: 2026-04-10\n");
    let cases = dir.path().to_str().unwrap();
    let g = casebench::cli::Cli::parse_from(["casebench", "--cases", cases]).global;
    let (day, kind) = g.library_as_of().expect("the library's day is in effect");
    assert_eq!(g.deadline_day(), day);
    let note = casebench::tui::app::library_note(kind, day);
    assert_eq!(note, "sample library as of 2026-04-10");
    let mut s = casebench::tui::app::State::new(
        g.deadline_day(),
        "cases",
        casebench::tui::theme::Theme::default_theme(),
        casebench::tui::keymap::Keymap::default(),
    );
    s.library_note = Some(note);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    term.draw(|f| casebench::tui::app::draw(&s, f)).unwrap();
    let first: String = (0..80)
        .map(|x| term.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(first.contains("sample library as of 2026-04-10"), "{first}");
    // --today wins, and then no note is shown: the day is the one asked for.
    let g =
        casebench::cli::Cli::parse_from(["casebench", "--cases", cases, "--today", "2026-11-23"])
            .global;
    assert_eq!(g.library_as_of(), None);
    assert_eq!(g.deadline_day().to_string(), "2026-11-23");
}
