//! Render cost of the workbench: time per frame at 200×60 with 10,000 cases in the queue,
//! and the bytes one selection move, and one scrolling key, write to the terminal. Prints
//! figures; run with `cargo bench --bench render [-- --cases N] [--bytes]` (`--bytes`:
//! only the byte counts, which do not depend on the build, so a debug build gives them).
//! Cases are generated (serialised `Case`s, every title different), then loaded through
//! the real loader.

use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

use casebench::case::{Case, LoadOptions};

use casebench::rules::load_dir;
use casebench::tui::app::update;
use casebench::tui::app::{Msg, State};
use casebench::tui::event_loop::{byte_terminal, draw_frame};
use casebench::tui::keymap::Keymap;
use casebench::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/mod.rs"]
mod support;
use support::arg;

const W: u16 = 200;
const H: u16 = 60;

/// Counts the bytes written to the "terminal".
#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// CPU time of this thread: what a frame costs, whatever else the machine is doing
/// (wall-clock figures on a shared 2-core machine mostly measure the other builds).
fn cpu_now() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid out-pointer; CLOCK_THREAD_CPUTIME_ID is always available on Linux.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Wall and CPU time of one frame.
struct Sample {
    wall: Instant,
    cpu: Duration,
}

impl Sample {
    fn start() -> Sample {
        Sample {
            wall: Instant::now(),
            cpu: cpu_now(),
        }
    }
    fn stop(self, out: &mut Vec<(Duration, Duration)>) {
        out.push((self.wall.elapsed(), cpu_now().saturating_sub(self.cpu)));
    }
}

fn stats(name: &str, v: Vec<(Duration, Duration)>) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let summary = |mut x: Vec<Duration>| {
        x.sort();
        let mean = x.iter().sum::<Duration>() / x.len() as u32;
        let p = |q: f64| x[((x.len() - 1) as f64 * q) as usize];
        (ms(mean), ms(p(0.5)), ms(p(0.99)))
    };
    let (wm, w50, w99) = summary(v.iter().map(|s| s.0).collect());
    let (cm, c50, c99) = summary(v.iter().map(|s| s.1).collect());
    println!(
        "{name:<42} cpu mean {cm:.3} p50 {c50:.3} p99 {c99:.3} ms | wall mean {wm:.3} p50 {w50:.3} p99 {w99:.3} ms ({} frames)",
        v.len()
    );
}

/// Presses `k` (Down from the top, or Up from the bottom) for 2,000 rows, drawing each
/// frame, and prints the bytes written per key: mean, largest, and how many keys
/// repainted the table (more than 1 KB).
fn scrolling_bytes<W: Write>(
    state: &mut State,
    term: &mut ratatui::Terminal<ratatui::backend::CrosstermBackend<W>>,
    bytes: &Counter,
    k: KeyCode,
) {
    let start = if k == KeyCode::Down {
        KeyCode::Home
    } else {
        KeyCode::End
    };
    update(state, key(start));
    draw_frame(term, state).expect("draw");
    let keys = 2000;
    let (mut total, mut largest, mut repaints) = (0, 0, 0);
    for _ in 0..keys {
        bytes.0.set(0);
        update(state, key(k));
        draw_frame(term, state).expect("draw");
        let b = bytes.0.get();
        total += b;
        largest = largest.max(b);
        repaints += usize::from(b > 1024);
    }
    println!(
        "scrolling {k:?} by one row, {keys} keys at {W}x{H}: mean {} B/key (target <= 2048), largest {largest} B, {repaints} keys repainted the table",
        total / keys
    );
}

/// A title of twelve words picked from `i`: titles all differ, as in a real queue, so a
/// row scrolled into another's place rewrites most of its cells.
fn title(i: usize) -> String {
    const WORDS: [&str; 32] = [
        "access",
        "records",
        "therapy",
        "notes",
        "request",
        "copy",
        "portal",
        "legal",
        "guardian",
        "release",
        "review",
        "school",
        "letter",
        "insurer",
        "court",
        "family",
        "summary",
        "discharge",
        "referral",
        "minor",
        "urgent",
        "partial",
        "billing",
        "chart",
        "consult",
        "pharmacy",
        "history",
        "appeal",
        "amended",
        "archive",
        "intake",
        "plan",
    ];
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5DEE_CE66;
    let mut words = Vec::with_capacity(12);
    for _ in 0..12 {
        x ^= x >> 29;
        x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        words.push(WORDS[(x >> 59) as usize]);
    }
    format!("{} ({i})", words.join(" "))
}

fn main() {
    let n = arg("--cases", 10_000);
    let bytes_only = std::env::args().any(|a| a == "--bytes");
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let base: Case =
        casebench::yaml::from_str(include_str!("../tests/fixtures/tui/AR-2026-0101.yaml"))
            .expect("fixture parses");
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..n {
        let mut c = base.clone();
        c.id = format!("AR-2026-{i:05}");
        c.title = title(i);
        c.received = today - chrono::Days::new((i % 90) as u64);
        let text = casebench::yaml::to_string(&c).expect("serialises");
        std::fs::write(dir.path().join(format!("{}.yaml", c.id)), text).expect("write");
    }
    let t0 = Instant::now();
    let set = load_dir(dir.path(), &LoadOptions::new(today), &|_, _| {}).expect("loads");
    println!(
        "loaded {} cases in {:.0} ms",
        set.cases.len(),
        t0.elapsed().as_secs_f64() * 1e3
    );
    assert_eq!(set.cases.len(), n);

    let mut state = State::new(today, "cases", Theme::default_theme(), Keymap::default());
    let t0 = Instant::now();
    update(&mut state, Msg::Loaded(Box::new(set)));
    println!(
        "queue built (sort, sanitise) in {:.1} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    update(&mut state, Msg::Resize(W, H));
    let bytes = Counter::default();
    let mut term = byte_terminal(bytes.clone(), W, H).expect("terminal");

    // First frame: everything is drawn.
    let t0 = Instant::now();
    draw_frame(&mut term, &state).expect("draw");
    println!(
        "first frame {W}x{H}: {:.3} ms, {} bytes",
        t0.elapsed().as_secs_f64() * 1e3,
        bytes.0.get()
    );

    // One selection move: the bytes it costs.
    bytes.0.set(0);
    update(&mut state, key(KeyCode::Down));
    draw_frame(&mut term, &state).expect("draw");
    let move_bytes = bytes.0.get();
    println!("bytes written for one selection move: {move_bytes} (target <= 200)");

    // Scrolling row by row past the screen's edge, down then up (titles all different,
    // so a shifted row differs from the one drawn there before): the bytes per key.
    scrolling_bytes(&mut state, &mut term, &bytes, KeyCode::Down);
    scrolling_bytes(&mut state, &mut term, &bytes, KeyCode::Up);
    update(&mut state, key(KeyCode::Home));
    draw_frame(&mut term, &state).expect("draw");
    if bytes_only {
        return;
    }

    // Frames with a selection move each (update + draw + diff + escape codes).
    let mut times = Vec::new();
    for i in 0..2000 {
        let k = if (i / 40) % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        bytes.0.set(0);
        let t = Sample::start();
        update(&mut state, key(k));
        draw_frame(&mut term, &state).expect("draw");
        t.stop(&mut times);
    }
    stats("queue frame (selection move)", times);

    // Where the time goes: the state machine alone, and drawing into a bare buffer
    // (no diff, no escape codes).
    let mut times = Vec::new();
    for i in 0..2000 {
        let k = if (i / 40) % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let t = Sample::start();
        update(&mut state, key(k));
        t.stop(&mut times);
    }
    stats("  of which update", times);
    let mut bare = ratatui::Terminal::new(ratatui::backend::TestBackend::new(W, H)).expect("test");
    let mut times = Vec::new();
    for i in 0..2000 {
        let k = if (i / 40) % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        update(&mut state, key(k));
        let t = Sample::start();
        let _ = bare.draw(|f| casebench::tui::app::draw(&state, f));
        t.stop(&mut times);
    }
    stats("  of which views + diff (test backend)", times);

    // Page moves: every row changes.
    let mut times = Vec::new();
    for i in 0..500 {
        let k = if (i / 20) % 2 == 0 {
            KeyCode::PageDown
        } else {
            KeyCode::PageUp
        };
        let t = Sample::start();
        update(&mut state, key(k));
        draw_frame(&mut term, &state).expect("draw");
        t.stop(&mut times);
        bytes.0.set(0);
    }
    stats("queue frame (page move, all rows change)", times);

    // The case view: three panes side by side, scrolling.
    update(&mut state, key(KeyCode::Enter));
    let mut times = Vec::new();
    for i in 0..1000 {
        let k = if (i / 5) % 2 == 0 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let t = Sample::start();
        update(&mut state, key(k));
        draw_frame(&mut term, &state).expect("draw");
        t.stop(&mut times);
        bytes.0.set(0);
    }
    stats("case view frame (scroll)", times);

    // Fuzzy filter over 10,000 rows: one keystroke.
    update(&mut state, key(KeyCode::Esc));
    update(
        &mut state,
        Msg::Key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE)),
    );
    let mut times = Vec::new();
    for i in 0..50 {
        let c = if i % 2 == 0 {
            KeyCode::Char('7')
        } else {
            KeyCode::Backspace
        };
        let t = Sample::start();
        update(&mut state, key(c));
        draw_frame(&mut term, &state).expect("draw");
        t.stop(&mut times);
    }
    stats("filter keystroke (10,000 rows) + frame", times);
}
