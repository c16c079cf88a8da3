//! Cost with the size of the work (issue 14): the two shapes of log that grew
//! quadratically or with the whole log, timed through the same library functions the
//! commands and the workbench call.
//!
//! - **one case**, `--records N` (default 100,000): N trainee proposals on one real case;
//! - **many cases**, `--cases N` (default 30,000): N real cases with one proposal each.
//!
//! `0` skips a shape. For each, generated under `BENCH_DIR` (default `.`; records written
//! directly, signed, then `sync`: `support/records.rs`), best of `--runs` (default 2):
//!
//! - `load`: loading the case directory (every command starts with it);
//! - `list`: `casebench list` (`commands::run`, output to a sink): load, this user's
//!   memory of the log brought up to date, the queue statuses; once as a user new to
//!   the log (their memory is new: every record verified once), then again (nothing new
//!   to verify; the workbench's reader below runs with that memory too);
//! - `workbench log`: the workbench's background read of the log
//!   (`tui::event_loop::read_log`), split into the statuses (until `DecidedBy`) and the
//!   pending proposals (until the end: each read from the log as it was verified);
//! - `verify` + `pending`: `verify_log`, then `practice::countersign::pending` alone;
//! - `audit --summary`: `casebench audit --summary` (`commands::run`).
//!
//! `cargo bench --bench scale -- --records 1000 --cases 1000` for a small run; the
//! lead's 1k / 10k / 100k table is three runs of it.

#[path = "support/records.rs"]
mod records;
#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::time::Instant;

use casebench::case::LoadOptions;

use casebench::cli::Cli;
use casebench::rules::load_dir;
use casebench::tui::app::Msg;
use clap::Parser;

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap()
}

/// Runs `casebench --cases DIR ARGS…` in this process as the user whose memory is
/// `state`, output to a sink, as the binary does (parsing included, process start
/// excluded).
fn command(cases: &Path, state: &Path, args: &[&str]) {
    let mut argv = vec![
        "casebench".to_string(),
        "--cases".into(),
        cases.display().to_string(),
        "--today".into(),
        records::today().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));
    let mut cli = Cli::try_parse_from(&argv).unwrap();
    cli.global.state_dir = Some(state.to_path_buf());
    let command = cli.command.as_ref().unwrap();
    casebench::commands::run(&cli.global, command, &mut std::io::sink()).unwrap();
}

/// Seconds of `f`, and its answer.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let v = f();
    (t.elapsed().as_secs_f64(), v)
}

#[derive(Default, Clone, Copy)]
struct Round {
    load: f64,
    list_cold: f64,
    list: f64,
    statuses: f64,
    workbench: f64,
    verify: f64,
    pending: f64,
    summary: f64,
}

impl Round {
    fn best(self, o: Round) -> Round {
        Round {
            load: self.load.min(o.load),
            list_cold: self.list_cold.min(o.list_cold),
            list: self.list.min(o.list),
            statuses: self.statuses.min(o.statuses),
            workbench: self.workbench.min(o.workbench),
            verify: self.verify.min(o.verify),
            pending: self.pending.min(o.pending),
            summary: self.summary.min(o.summary),
        }
    }
}

/// One round over the case directory `cases`; `expect` pending proposals.
fn round(cases: &Path, expect: usize) -> Round {
    let (load, set) =
        timed(|| load_dir(cases, &LoadOptions::new(records::today()), &|_, _| {}).unwrap());
    // A user new to the log: their first `list` verifies every record once.
    let base = cases.parent().unwrap();
    let _ = std::fs::remove_dir_all(base.join("state"));
    let newcomer = base.join("state/newcomer");
    let (list_cold, ()) = timed(|| command(cases, &newcomer, &["list"]));
    // The same user again: nothing new to verify.
    let (list, ()) = timed(|| command(cases, &newcomer, &["list"]));
    let state = casebench::record::StateDir::at(&newcomer);
    let t = Instant::now();
    let (mut statuses, mut found) = (0.0, usize::MAX);
    casebench::tui::event_loop::read_log(cases, &state, &set, &mut |m| match m {
        Msg::DecidedBy(_) => statuses = t.elapsed().as_secs_f64(),
        Msg::Pending(p) => found = p.len(),
        Msg::Error(e) => panic!("{e}"),
        _ => {}
    });
    let workbench = t.elapsed().as_secs_f64();
    assert_eq!(
        found, expect,
        "pending proposals from the workbench's reader"
    );
    let (verify, report) = timed(|| casebench::record::verify::verify_log(cases, None).unwrap());
    let (pending, p) = timed(|| casebench::practice::countersign::pending(&set, &report));
    assert_eq!(p.len(), expect);
    let (summary, ()) = timed(|| command(cases, &newcomer, &["audit", "--summary"]));
    Round {
        load,
        list_cold,
        list,
        statuses,
        workbench,
        verify,
        pending,
        summary,
    }
}

fn shape(name: &str, cases: &Path, expect: usize, runs: usize) {
    let mut best: Option<Round> = None;
    for _ in 0..runs {
        let r = round(cases, expect);
        best = Some(best.map_or(r, |b| b.best(r)));
    }
    let Some(b) = best else { return };
    let ms = |s: f64| format!("{:.1} ms", s * 1e3);
    println!("{name} (best of {runs}):");
    println!("  load the cases             {}", ms(b.load));
    println!("  list, a user's first       {}", ms(b.list_cold));
    println!("  list, known to the user    {}", ms(b.list));
    println!(
        "  workbench log: statuses    {}  (after the cases are loaded)",
        ms(b.statuses)
    );
    println!(
        "  workbench log: proposals   {}  (statuses + the proposals read, {expect} found)",
        ms(b.workbench)
    );
    println!("  verify_log                 {}", ms(b.verify));
    println!("  pending (verified report)  {}", ms(b.pending));
    println!("  audit --summary            {}", ms(b.summary));
}

fn main() {
    let n_records = support::arg("--records", 100_000);
    let n_cases = support::arg("--cases", 30_000);
    let runs = support::arg("--runs", 2).max(1);
    println!(
        "scale benchmark ({} rayon threads)",
        rayon::current_num_threads()
    );
    if n_records > 0 {
        let tmp = tempdir();
        let cases = records::one_case(tmp.path(), n_records);
        // Every proposal is on the one case; only the oldest undecided ones are offered,
        // and all of them are undecided.
        shape(
            &format!("one case, {n_records} records"),
            &cases,
            n_records,
            runs,
        );
    }
    if n_cases > 0 {
        let tmp = tempdir();
        let cases = records::many_cases(tmp.path(), n_cases);
        shape(
            &format!("{n_cases} cases, one proposal each"),
            &cases,
            n_cases,
            runs,
        );
    }
}
