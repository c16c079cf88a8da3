//! Shared by the workbench tests: a fixture case set with fixed paths (so snapshots do
//! not depend on a temporary directory), state helpers and a text rendering of a frame.

use std::path::{Path, PathBuf};

use casebench::case::{Case, InvalidCase, LoadedCase, Problem};

use casebench::rules::CaseSet;
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Msg, State};
use casebench::tui::keymap::Keymap;
use casebench::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub const TODAY: &str = "2026-11-23";

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

pub fn fixture_text(name: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(name)).unwrap()
}

pub fn loaded(name: &str, text: &str) -> LoadedCase {
    let case: Case = casebench::yaml::from_str(text).unwrap();
    LoadedCase {
        case,
        path: PathBuf::from("cases").join(name),
        sha256: [7; 32],
    }
}

/// The fixture cases plus one invalid file, with paths under `cases/`.
pub fn fixture_set() -> CaseSet {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    CaseSet {
        dir: PathBuf::from("cases"),
        cases: names.iter().map(|n| loaded(n, &fixture_text(n))).collect(),
        invalid: vec![InvalidCase {
            path: PathBuf::from("cases/AR-2026-0999.yaml"),
            problems: vec![Problem::at(
                PathBuf::from("cases/AR-2026-0999.yaml"),
                "id: AR-2026-0999\nkind: acess_request\n",
                2,
                7,
                "unknown variant `acess_request`, did you mean `access_request`?".into(),
            )],
        }],
        ..CaseSet::default()
    }
}

pub fn state_with(set: CaseSet, theme: Theme) -> State {
    let mut s = State::new(today(), "cases", theme, Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    s
}

pub fn state() -> State {
    state_with(fixture_set(), Theme::default_theme())
}

pub fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// Sends messages, returning all the effects asked for.
pub fn send(s: &mut State, msgs: impl IntoIterator<Item = Msg>) -> Vec<Effect> {
    msgs.into_iter().flat_map(|m| update(s, m)).collect()
}

/// Selects the case `id` in the queue and opens it.
pub fn open(s: &mut State, id: &str) -> Vec<Effect> {
    let pos = s
        .queue
        .visible
        .iter()
        .position(|&i| s.rows[i].id == id)
        .unwrap_or_else(|| panic!("{id} not in the queue"));
    s.queue.selected = pos;
    update(s, code(KeyCode::Enter))
}

pub fn buffer(s: &mut State, w: u16, h: u16) -> Buffer {
    update(s, Msg::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| casebench::tui::app::draw(s, f)).unwrap();
    t.backend().buffer().clone()
}

/// The frame as text, one line per row, trailing spaces cut.
pub fn text(b: &Buffer) -> String {
    let area = b.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(b[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn render(s: &mut State, w: u16, h: u16) -> String {
    text(&buffer(s, w, h))
}

/// A style map: each cell as a letter naming its style, with the legend. Shows where
/// colour and emphasis go without the weight of a full styled dump.
pub fn style_map(b: &Buffer) -> String {
    let mut styles: Vec<ratatui::style::Style> = Vec::new();
    let mut rows = String::new();
    for y in 0..b.area.height {
        for x in 0..b.area.width {
            let st = b[(x, y)].style();
            let i = match styles.iter().position(|s| *s == st) {
                Some(i) => i,
                None => {
                    styles.push(st);
                    styles.len() - 1
                }
            };
            let c = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                .get(i)
                .map_or('#', |&c| c as char);
            rows.push(c);
        }
        rows.push('\n');
    }
    let mut legend = String::new();
    for (i, s) in styles.iter().enumerate() {
        legend.push_str(&format!(
            "{}: fg={:?} bg={:?} +{:?} -{:?}\n",
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                .get(i)
                .map_or('#', |&c| c as char),
            s.fg,
            s.bg,
            s.add_modifier,
            s.sub_modifier
        ));
    }
    legend + "\n" + &rows
}

/// Answers the advisor's effects (`Advise`, `Preview`) as the event loop does, feeding
/// the answers back until none are left.
pub fn settle(
    s: &mut State,
    answers: &mut casebench::tui::event_loop::Answers,
    fx: Vec<Effect>,
) -> Vec<Effect> {
    let mut left = fx;
    let mut other = Vec::new();
    while !left.is_empty() {
        let mut next = Vec::new();
        for e in left {
            match answers.answer(s, &e) {
                Some(m) => next.extend(update(s, m)),
                None => other.push(e),
            }
        }
        left = next;
    }
    other
}

/// Sends messages and answers the advisor's effects; returns the other effects.
pub fn send_settled(
    s: &mut State,
    answers: &mut casebench::tui::event_loop::Answers,
    msgs: impl IntoIterator<Item = Msg>,
) -> Vec<Effect> {
    let fx = send(s, msgs);
    settle(s, answers, fx)
}

/// The sample library, as a copy without the checkout's decisions (see
/// [`super::common::sample_library`]).
pub fn sample_dir() -> PathBuf {
    super::common::sample_library().to_path_buf()
}

/// A state on the case directory `dir`, loaded as of [`TODAY`], at `w`×`h`.
pub fn state_on(dir: &Path, w: u16, h: u16) -> State {
    let set =
        casebench::rules::load_dir(dir, &casebench::case::LoadOptions::new(today()), &|_, _| {})
            .unwrap();
    let mut s = State::new(today(), "cases", Theme::default_theme(), Keymap::default());
    update(&mut s, Msg::Loaded(Box::new(set)));
    update(&mut s, Msg::Resize(w, h));
    s
}

/// The options of a session on `cases` signing as `reviewer` with that demo key.
pub fn options_for(cases: &Path, reviewer: Option<&str>) -> casebench::tui::Options {
    casebench::tui::Options {
        reviewer: reviewer.map(str::to_string),
        key: reviewer.map(|r| {
            let name = r.split('@').next().unwrap_or(r);
            cases.join("reviewers/demo-keys").join(name)
        }),
        state_dir: Some(state_for(cases, reviewer.unwrap_or("auditor"))),
        clock: fixed_clock(),
        ..casebench::tui::Options::new(cases, today())
    }
}

/// The clock of a workbench test: deadlines as of [`TODAY`], and the real instant fixed
/// at noon UTC that day (the library's seam, `Clock::fixed`), so that a preview's
/// signing day is the same on every run.
pub fn fixed_clock() -> casebench::clock::Clock {
    let noon = today().and_hms_opt(12, 0, 0).unwrap().and_utc();
    casebench::clock::Clock::fixed(noon).with_deadline_day(Some(today()))
}

/// Where the simulated user `who` keeps their memory of the log of `cases` in a test:
/// beside a temporary case directory, else under the system's temporary directory
/// (never the real home).
pub fn state_for(cases: &Path, who: &str) -> std::path::PathBuf {
    let name: String = who
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let tmp = std::env::temp_dir();
    let base = match cases.parent() {
        Some(parent) if cases.starts_with(&tmp) => parent.join("state"),
        _ => {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            std::hash::Hash::hash(&cases, &mut h);
            tmp.join(format!(
                "casebench-test-state-{:x}",
                std::hash::Hasher::finish(&h)
            ))
        }
    };
    base.join(name).join("casebench")
}

/// A copy of the sample case directory (reviewers and demo keys included), to sign in.
pub fn sample_copy() -> tempfile::TempDir {
    super::common::sample_library_copy()
}

/// The advisor's answers for the fixture states, as the event loop gives them: rulebook
/// and settings of the sample directory, signed as `reviewer` (with that demo key).
pub fn fixture_answers(reviewer: Option<&str>) -> casebench::tui::event_loop::Answers<'static> {
    let g: &'static casebench::tui::Options =
        Box::leak(Box::new(options_for(&sample_dir(), reviewer)));
    casebench::tui::event_loop::Answers::new(g)
}
