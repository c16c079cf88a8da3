//! Issue 25, the audit report for a board: `casebench audit --report FILE.html|FILE.pdf`.
//! - The HTML report is opened in headless Chromium: a screenshot is taken, and
//!   Chromium's own network log shows that the page made no request (a control page
//!   that does make requests proves the check sees them). Printed by Chromium on A4 and
//!   on Letter, every section is on the paper of the size asked for.
//! - The PDF report on A4 and Letter, read back by pdftotext.
//! - The figures are those of `audit --summary --json` (one function builds them).
//! - A mirror's report names each site's verification and witness state.
//!
//! Needs chromium and poppler-utils (`.ci/run` installs both); without them the tests
//! say so and stop.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::audit::*;

fn found(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn tools(list: &[&str]) -> bool {
    let missing: Vec<&&str> = list.iter().filter(|t| !found(t)).collect();
    if !missing.is_empty() {
        eprintln!("SKIPPED: {missing:?} not found (.ci/run installs chromium and poppler-utils)");
    }
    missing.is_empty()
}

/// Headless Chromium as the machine notes say it works here, with a fresh profile.
fn chromium(profile: &Path, args: &[String]) -> Output {
    let o = Command::new("timeout")
        .arg("120")
        .arg("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap();
    assert!(o.status.success(), "chromium {args:?}: {}", stderr(&o));
    o
}

/// The URLs the page itself asked for, from Chromium's net log: requests whose network
/// isolation key is the page's (a `file://` top frame). Chromium's own background
/// requests carry another key and are not the page's doing.
fn page_requests(page: &Path, work: &Path) -> Vec<String> {
    let log = work.join(format!(
        "{}.netlog.json",
        page.file_name().unwrap().to_string_lossy()
    ));
    let shot = page.with_extension("png");
    chromium(
        &work.join("profile-net"),
        &[
            format!("--log-net-log={}", log.display()),
            "--net-log-capture-mode=Everything".into(),
            "--window-size=1100,1500".into(),
            format!("--screenshot={}", shot.display()),
            format!("file://{}", page.display()),
        ],
    );
    let png = std::fs::read(&shot).expect("chromium wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 2_000,
        "a real screenshot: {} bytes",
        png.len()
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).expect("a JSON net log");
    let start = v["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    assert!(start.is_number(), "the net log names its event types");
    let own = format!("file://{}", page.display());
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start)
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|u| *u != own)
        .collect()
}

/// "Page size: 612 x 792 pts (letter)" -> (612, 792).
fn page_size(pdf: &Path) -> (f64, f64) {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = stdout(&o);
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("{info}"));
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[0], nums[1])
}

fn text(pdf: &Path) -> String {
    // -layout keeps each printed line together (a figure beside its label).
    let o = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report(env: &Env, file: &str, extra: &[&str]) -> (PathBuf, Output) {
    let path = env.tmp.path().join(file);
    let o = env
        .cmd(TODAY)
        .args(["audit", "--report"])
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    (path, o)
}

const SECTIONS: [&str; 8] = [
    "Audit of the decision log",
    "Summary figures",
    "Decisions on time and late, by month",
    "Decisions by outcome",
    "Overridden advisor findings, by finding",
    "Decisions by reviewer",
    "Days from receipt to decision",
    "Problems",
];

#[test]
fn the_html_report_is_self_contained_and_prints_on_a4_and_letter() {
    if !tools(&["chromium", "pdfinfo", "pdftotext"]) {
        return;
    }
    let env = Env::new();
    build_log(&env);
    let work = env.tmp.path().join("chromium");
    std::fs::create_dir_all(&work).unwrap();
    for (paper, (w, h)) in [("letter", (612.0, 792.0)), ("a4", (595.0, 842.0))] {
        let (html, o) = report(&env, &format!("report-{paper}.html"), &["--paper", paper]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let page = std::fs::read_to_string(&html).unwrap();
        assert!(page.contains("<svg"), "charts are inline SVG");
        assert!(!page.contains("<script"), "no script");
        // No request of any kind: the net log shows none made by the page.
        let requests = page_requests(&html, &work);
        assert!(
            requests.is_empty(),
            "the report made requests: {requests:?}"
        );
        // Printed by Chromium: the size asked for, every section on paper.
        let pdf = work.join(format!("printed-{paper}.pdf"));
        chromium(
            &work.join(format!("profile-print-{paper}")),
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
                format!("file://{}", html.display()),
            ],
        );
        let (pw, ph) = page_size(&pdf);
        assert!(
            (pw - w).abs() < 2.0 && (ph - h).abs() < 2.0,
            "{paper}: printed on {pw} x {ph}"
        );
        let t = text(&pdf);
        for s in SECTIONS {
            assert!(t.contains(s), "{paper}: {s}: {t}");
        }
        assert!(
            t.contains("AR-2026-0306"),
            "the overdue case is listed: {t}"
        );
        assert!(t.contains("Dr. A. Rivera"), "{t}");
    }

    // The check sees requests when a page makes them (so its silence above means none).
    let leak = work.join("leak.html");
    std::fs::write(
        &leak,
        "<!doctype html><link rel=stylesheet href=\"http://fonts.example.invalid/x.css\">\
         <img src=\"http://img.example.invalid/a.png\"><p>leak</p>",
    )
    .unwrap();
    let requests = page_requests(&leak, &work);
    assert!(
        requests.iter().any(|u| u.contains("img.example.invalid")),
        "{requests:?}"
    );
}

#[test]
fn the_pdf_report_on_both_papers_from_the_summary_figures() {
    if !tools(&["pdfinfo", "pdftotext"]) {
        return;
    }
    let env = Env::new();
    build_log(&env);
    for (paper, (w, h)) in [("letter", (612.0, 792.0)), ("a4", (595.0, 842.0))] {
        let (pdf, o) = report(
            &env,
            &format!("report-{paper}.pdf"),
            &["--paper", paper, "--since", "2026-01-01"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let (pw, ph) = page_size(&pdf);
        assert!(
            (pw - w).abs() < 1.0 && (ph - h).abs() < 1.0,
            "{paper}: {pw} x {ph}"
        );
        let t = text(&pdf);
        for s in SECTIONS {
            assert!(t.contains(s), "{paper}: {s}: {t}");
        }
        assert!(t.contains("Covers: records signed from 2026-01-01"), "{t}");
    }
    // The same figures as `audit --summary --json`.
    let (_, json) = env.audit(&["--summary", "--json"]);
    let sm: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sm = &sm["summary"];
    let t = text(&env.tmp.path().join("report-letter.pdf"));
    assert!(
        t.contains(&format!("{} records considered", sm["records"])),
        "{t}"
    );
    assert!(
        t.contains(&format!("{} verified decisions", sm["decisions"])),
        "{t}"
    );
    assert!(t.contains(&format!("{} on time", sm["on_time"])), "{t}");
    assert!(t.contains(&format!("{} late", sm["late"])), "{t}");
    assert!(
        t.contains(&format!("{} overridden advisor findings", sm["overrides"])),
        "{t}"
    );
    let reviewers = sm["by_reviewer"].as_array().unwrap();
    assert_eq!(reviewers.len(), 2, "{sm}");
    for r in reviewers {
        let line = format!(
            "{}: {} decision(s), {} on time, {} late, {} override(s)",
            r["name"].as_str().unwrap(),
            r["decisions"],
            r["on_time"],
            r["late"],
            r["overrides"]
        );
        assert!(t.contains(&line), "{line}: {t}");
    }
    let codes: Vec<&str> = sm["overrides_by_code"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2, "{sm}");

    // A tampered record: the report says the log does not verify, lists the problem,
    // and the command exits 1 (the file is still written, whole).
    env.tamper(3, "Withhold the crisis note", "Release the crisis note");
    let (pdf, o) = report(&env, "tampered.pdf", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let t = text(&pdf);
    assert!(t.contains("DOES NOT VERIFY cleanly"), "{t}");
    assert!(t.contains("FAILED"), "{t}");

    // Usage: the extension chooses the format; --report is its own output.
    let (_, o) = report(&env, "report.txt", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains(".html or .pdf"), "{}", stderr(&o));
    let (_, o) = report(&env, "r.pdf", &["--summary"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_mirrors_report_names_each_sites_verification_and_witness() {
    use crate::support::record::Env as SiteEnv;
    use crate::support::sites::*;
    if !tools(&["pdftotext"]) {
        return;
    }
    let north = SiteEnv::new();
    // The second site shares the health system's keys (one compliance officer).
    let south = copy_site(&north);
    let remote = remote_in(&north);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    set_sync(&north, "north", &url);
    set_sync(&south, "south", &url);
    north.fill(3);
    south.fill(2);
    assert!(sync(&north).status.success());
    assert!(sync(&south).status.success());
    let mirror = north.tmp.path().join("mirror");
    assert!(fetch(&north, &url, &mirror).status.success());
    // A compliance officer cosigns each site's head.
    let w = witness(&north, &mirror);
    assert!(
        w.status.success(),
        "{}{}",
        String::from_utf8_lossy(&w.stdout),
        String::from_utf8_lossy(&w.stderr)
    );
    let pdf = north.tmp.path().join("sites.pdf");
    let o = north
        .cmd()
        .arg("audit")
        .arg("--sites")
        .arg(&mirror)
        .arg("--report")
        .arg(&pdf)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let t = text(&pdf);
    assert!(t.contains("Sites"), "{t}");
    for site in ["north", "south"] {
        assert!(t.contains(site), "{site}: {t}");
    }
    assert!(t.contains("case binding not checkable here"), "{t}");
    assert!(t.contains("cosigned by a witness up to record 3"), "{t}");
    assert!(t.contains("cosigned by a witness up to record 2"), "{t}");
    // The table and JSON say the same.
    let o = north
        .cmd()
        .args(["audit", "--sites"])
        .arg(&mirror)
        .arg("--json")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sites"][0]["witnessed_head"], 3, "{v}");
}
