//! Several sites at scale (issue 26): `--sites N` sites (default 20) of `--records R`
//! signed records each (default 500), published to one bare repository with the real
//! `sync`, then the compliance office's commands, run as the binary:
//!
//! - `sites fetch` into an empty mirror, then again with nothing new (files of the mirror
//!   changed: compared by inode and change time; with `strace` installed, the opens and
//!   unlinks the run made), then after one site grew by one record;
//! - the maximum resident memory (`wait4`'s `ru_maxrss`) of `verify --sites` and
//!   `audit --sites` (table and CSV) over mirrors of 1, N/4, N/2 and N of those sites.
//!
//! `cargo bench --bench sites -- --sites 20 --records 500`. Figures: docs/PERFORMANCE.md.

#[path = "support/records.rs"]
mod records;
#[path = "support/mod.rs"]
mod support;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use casebench::case::settings::{Remote, SiteId, SyncSettings};
use casebench::record::{Log, Signer};

fn main() {
    let n_sites = support::arg("--sites", 20).max(1);
    let n_records = support::arg("--records", 500);
    let tmp =
        tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or_else(|_| ".".into())).unwrap();
    let remote = tmp.path().join("remote.git");
    git(&["init", "--quiet", "--bare"], &remote);
    let t = Instant::now();
    let mut sites = Vec::new();
    for i in 0..n_sites {
        let base = tmp.path().join(format!("site-{i:02}"));
        std::fs::create_dir_all(&base).unwrap();
        let cases = records::one_case(&base, n_records);
        let settings = SyncSettings {
            site: SiteId::try_from(format!("site-{i:02}")).unwrap(),
            remote: Remote::try_from(remote.display().to_string()).unwrap(),
            after_decide: false,
        };
        casebench::sites::sync::sync(&cases, &settings).unwrap();
        sites.push((cases, settings));
    }
    println!(
        "{n_sites} site(s) of {n_records} record(s) generated and synced in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let mirror = tmp.path().join("mirror");
    let remote_arg = remote.display().to_string();
    let fetch_args = [
        "sites",
        "fetch",
        "--remote",
        remote_arg.as_str(),
        "--into",
        mirror.to_str().unwrap(),
    ];
    let first = run(&fetch_args);
    println!("sites fetch, empty mirror:  {first}");
    let before = stat_tree(&mirror);
    let again = run(&fetch_args);
    let changed = changed_files(&before, &stat_tree(&mirror));
    println!("sites fetch, nothing new:   {again}; {changed} file(s) of the mirror changed");
    if let Some(calls) = strace(&fetch_args) {
        println!("  (strace, nothing new: {calls})");
    }
    // One site grows by one record.
    let (cases, settings) = &sites[0];
    let mut log = Log::open(cases, &support::state(cases.parent().unwrap(), "writer"));
    let case = records::load(cases, &format!("{}.yaml", records::CASE));
    let mut signer = Signer::from_file(&cases.join("reviewers/key")).unwrap();
    log.append(
        &case,
        &records::draft(n_records),
        &mut signer,
        records::time(),
    )
    .unwrap();
    casebench::sites::sync::sync(cases, settings).unwrap();
    let before = stat_tree(&mirror);
    let grown = run(&fetch_args);
    let changed = changed_files(&before, &stat_tree(&mirror));
    println!("sites fetch, one site +1:   {grown}; {changed} file(s) of the mirror new or changed");

    // Memory with the number of sites: mirrors holding copies of the first k sites.
    let mut ks = vec![1, n_sites / 4, n_sites / 2, n_sites];
    ks.retain(|k| *k >= 1);
    ks.dedup();
    println!("max RSS (MB) by number of sites of {n_records} record(s):");
    println!(
        "{:>6} {:>14} {:>14} {:>14}",
        "sites", "verify", "audit table", "audit csv"
    );
    for k in ks {
        let part = tmp.path().join(format!("mirror-{k}"));
        std::fs::create_dir_all(&part).unwrap();
        for i in 0..k {
            let st = Command::new("cp")
                .arg("-a")
                .arg(mirror.join(format!("site-{i:02}")))
                .arg(&part)
                .status()
                .unwrap();
            assert!(st.success());
        }
        let dir = part.to_str().unwrap();
        let v = run(&["verify", "--sites", dir]);
        let a = run(&["audit", "--sites", dir]);
        let c = run(&["audit", "--sites", dir, "--format", "csv"]);
        println!(
            "{k:>6} {:>14.1} {:>14.1} {:>14.1}   ({:.2} s, {:.2} s, {:.2} s)",
            v.max_rss_mb, a.max_rss_mb, c.max_rss_mb, v.secs, a.secs, c.secs
        );
    }
}

fn git(args: &[&str], dir: &Path) {
    let st = Command::new("git").args(args).arg(dir).status().unwrap();
    assert!(st.success());
}

/// One run of the binary: wall time and maximum resident set.
struct Run {
    secs: f64,
    max_rss_mb: f64,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3} s, max RSS {:.1} MB", self.secs, self.max_rss_mb)
    }
}

// The child is reaped by `wait4` (which also gives its resource usage), not `wait`.
#[allow(clippy::zombie_processes)]
fn run(args: &[&str]) -> Run {
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_casebench"))
        .args(args)
        .env_remove("CASEBENCH_CASES")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data, filled by wait4 for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for the child just spawned; the pid is valid.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "casebench {args:?} failed: {status}"
    );
    Run {
        secs: t.elapsed().as_secs_f64(),
        max_rss_mb: usage.ru_maxrss as f64 / 1024.0,
    }
}

/// Opens and unlinks of a run, counted by `strace -f -c` (its children included).
fn strace(args: &[&str]) -> Option<String> {
    // `BENCH_STRACE_LOG=FILE`: every such call, with its path, into FILE as well.
    if let Some(log) = std::env::var_os("BENCH_STRACE_LOG") {
        let _ = Command::new("strace")
            .args(["-f", "-o"])
            .arg(log)
            .args([
                "-e",
                "trace=openat,unlink,unlinkat,rename,renameat2,link,linkat",
            ])
            .arg(env!("CARGO_BIN_EXE_casebench"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let out = Command::new("strace")
        .args([
            "-f",
            "-c",
            "-e",
            "trace=openat,unlink,unlinkat,rename,renameat2,link,linkat",
        ])
        .arg(env!("CARGO_BIN_EXE_casebench"))
        .args(args)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let mut calls = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() >= 5
            && f[0].contains('.')
            && f[f.len() - 1]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        {
            calls.push(format!("{} {}", f[3], f[f.len() - 1]));
        }
    }
    Some(calls.join(", "))
}

/// Every file under `dir` (the repository `.git` left out): inode and change time.
fn stat_tree(dir: &Path) -> Vec<(PathBuf, u64, i64, i64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_name() == ".git" {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let m = e.metadata().unwrap();
                out.push((e.path(), m.ino(), m.ctime(), m.ctime_nsec()));
            }
        }
    }
    out.sort();
    out
}

/// How many files are new or changed (inode or change time) from `a` to `b`; the
/// names when they are few.
fn changed_files(a: &[(PathBuf, u64, i64, i64)], b: &[(PathBuf, u64, i64, i64)]) -> String {
    let before: std::collections::HashSet<_> = a.iter().collect();
    let changed: Vec<String> = b
        .iter()
        .filter(|x| !before.contains(x))
        .map(|x| {
            let n = x.0.components().rev().take(2).collect::<Vec<_>>();
            format!(
                "{}/{}",
                n[1].as_os_str().to_string_lossy(),
                n[0].as_os_str().to_string_lossy()
            )
        })
        .collect();
    if changed.is_empty() || changed.len() > 8 {
        changed.len().to_string()
    } else {
        format!("{} ({})", changed.len(), changed.join(", "))
    }
}
