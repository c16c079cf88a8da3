//! The one pseudo-terminal the end-to-end tests drive: the real binary in a pty
//! (portable-pty), everything it writes kept raw and read by a terminal emulator (vt100)
//! that also records what the program asks of the terminal beyond drawing (window
//! titles, the clipboard). Waits are generous bounds for slow machines, never
//! measurements.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a wait may take before the test fails: a bound, not a measurement.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Everything a program asked of the terminal beyond drawing.
#[derive(Default)]
pub struct Seen {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Seen {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

pub type Parser = vt100::Parser<Seen>;

/// `casebench` for a pty, with the clean environment of [`super::cli::casebench`]: the
/// user's directories under `home`, a 256-colour terminal, working directory `home`.
pub fn casebench(home: &Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casebench"));
    for v in super::cli::AMBIENT {
        cmd.env_remove(v);
    }
    for (var, sub) in super::cli::user_dirs() {
        cmd.env(var, home.join(sub));
    }
    std::fs::create_dir_all(home).unwrap();
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(home);
    cmd
}

pub struct Pty {
    parser: Arc<Mutex<Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    /// When set, the reader stops reading the terminal: the program's writes then block,
    /// like an SSH link that stalls.
    stalled: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts `cmd` in a `cols`×`rows` pseudo-terminal and reads it on a thread.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
            Seen::default(),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let stalled = Arc::new(AtomicBool::new(false));
        let (p2, r2, st2) = (parser.clone(), raw.clone(), stalled.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                while st2.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(50));
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        p2.lock().unwrap().process(&buf[..n]);
                        r2.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Pty {
            parser,
            raw,
            stalled,
            writer,
            child,
            master: pair.master,
        }
    }

    /// The screen's text as the emulator shows it now.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Runs `f` on the emulator (its screen and what it saw).
    pub fn with_parser<R>(&self, f: impl FnOnce(&Parser) -> R) -> R {
        f(&self.parser.lock().unwrap())
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    /// How many bytes the program wrote so far.
    pub fn raw_len(&self) -> usize {
        self.raw.lock().unwrap().len()
    }

    /// What the program wrote so far, as text (lossy).
    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Waits (at most [`PATIENCE`]) until the screen satisfies `cond`; that screen.
    pub fn wait_for(&self, what: &str, cond: impl Fn(&str) -> bool) -> String {
        self.wait_within(what, PATIENCE, cond)
    }

    /// Waits at most `limit` until the screen satisfies `cond`; that screen.
    pub fn wait_within(&self, what: &str, limit: Duration, cond: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + limit;
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits (at most [`PATIENCE`]) until the raw output holds `what`; the output.
    pub fn wait_for_output(&self, what: &str) -> String {
        let end = Instant::now() + PATIENCE;
        loop {
            let out = self.output();
            if out.contains(what) {
                return out;
            }
            assert!(
                Instant::now() < end,
                "timed out waiting for {what:?}; output:\n{out:?}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Types `k` into the terminal.
    pub fn keys(&mut self, k: &str) {
        self.writer.write_all(k.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Stops (or resumes) reading the terminal.
    pub fn stall(&self, on: bool) {
        self.stalled.store(on, Ordering::SeqCst);
    }

    /// Resizes the terminal (the program gets SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) {
        let _ = self.master.resize(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        });
        if let (Ok(r), Ok(c)) = (rows.try_into(), cols.try_into()) {
            self.parser.lock().unwrap().screen_mut().set_size(r, c);
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> libc::pid_t {
        self.child.process_id().unwrap() as libc::pid_t
    }

    /// Whether the program ended within `limit`.
    pub fn gone_within(&mut self, limit: Duration) -> bool {
        self.exit_code_within(limit).is_some()
    }

    /// The program's exit code, waiting at most `limit` for it to end.
    pub fn exit_code_within(&mut self, limit: Duration) -> Option<u32> {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if let Ok(Some(st)) = self.child.try_wait() {
                return Some(st.exit_code());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
