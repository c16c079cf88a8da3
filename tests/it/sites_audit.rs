//! `casebench audit --sites DIR`: every site's records labelled with their site, each
//! site verified on its own (docs/SITES.md), with the real `git`.

use crate::support::record as record_support;
use crate::support::sites as sites_support;

use std::path::PathBuf;

use record_support::*;
use sites_support::*;

/// Two sites (north: 4 records, south: 2) synced to one remote and mirrored.
fn two_sites() -> (Env, Env, PathBuf) {
    let north = Env::new();
    let south = Env::new();
    let remote = remote_in(&north);
    bare(&remote);
    let url = format!("file://{}", remote.display());
    set_sync(&north, "north", &url);
    set_sync(&south, "south", &url);
    north.fill(4);
    south.fill(2);
    assert!(sync(&north).status.success());
    assert!(sync(&south).status.success());
    let mirror = north.tmp.path().join("mirror");
    assert!(fetch(&north, &url, &mirror).status.success());
    (north, south, mirror)
}

fn audit_sites(env: &Env, mirror: &std::path::Path, extra: &[&str]) -> std::process::Output {
    env.cmd()
        .arg("audit")
        .arg("--sites")
        .arg(mirror)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn every_record_is_listed_with_its_site_in_table_csv_and_json() {
    let (north, _south, mirror) = two_sites();
    let o = audit_sites(&north, &mirror, &[]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    let header = out.lines().next().unwrap();
    assert!(header.starts_with("SITE "), "{out}");
    let rows = |site: &str| {
        out.lines()
            .filter(|l| l.starts_with(&format!("{site} ")))
            .count()
    };
    assert_eq!((rows("north"), rows("south")), (4, 2), "{out}");
    assert!(
        out.contains(
            "site north: 4 record(s); case binding not checkable here (case files stay on site); ok"
        ),
        "{out}"
    );
    assert!(out.contains("2 site(s): 0 failed"), "{out}");

    let o = audit_sites(&north, &mirror, &["--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = stdout(&o);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("site,seq,time,"), "{csv}");
    assert_eq!(lines.len(), 7, "{csv}");
    assert!(
        lines[1].starts_with("north,1,") && lines[5].starts_with("south,1,"),
        "{csv}"
    );

    let o = audit_sites(&north, &mirror, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    let records = v["records"].as_array().unwrap();
    assert_eq!(records.len(), 6);
    assert!(
        records
            .iter()
            .all(|r| r["site"] == "north" || r["site"] == "south")
    );
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[1]["site"], "south");
    assert_eq!(sites[1]["head"], 2);
    assert_eq!(sites[1]["case_binding"], "not checkable here");

    // The single-site audit keeps its shape: no site field.
    let o = north
        .cmd()
        .args(["audit", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["records"][0].get("site").is_none(), "{v}");

    // --since filters every site's records; --summary counts across sites.
    let o = audit_sites(
        &north,
        &mirror,
        &["--since", "2099-01-01", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["records"].as_array().unwrap().len(), 0);
    let o = audit_sites(&north, &mirror, &["--summary", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["records"], 6);
    assert_eq!(v["summary"]["decisions"], 4);
    assert_eq!(v["sites"].as_array().unwrap().len(), 2);
}

#[test]
fn a_failing_site_fails_the_audit_by_site_and_seq() {
    let (north, _south, mirror) = two_sites();
    // A byte of south's record 2 changed in the mirror.
    let rec = mirror.join("south/decisions/log/00000002.yaml");
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.replacen("rationale", "rationalE", 1)).unwrap();
    let o = audit_sites(&north, &mirror, &[]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("site north: 4 record(s)") && out.contains("; ok\n"),
        "{out}"
    );
    assert!(out.contains("site south: 2 record(s)"), "{out}");
    assert!(out.contains("; FAILED: first bad record 2:"), "{out}");
    let bad_row = out
        .lines()
        .find(|l| l.starts_with("south ") && l.trim_end().ends_with("FAILED"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(bad_row.contains("     2  "), "{bad_row}");
    assert!(stderr(&o).contains("site south:"), "{}", stderr(&o));

    let o = audit_sites(&north, &mirror, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["sites"][0]["ok"], true);
    assert_eq!(v["sites"][1]["ok"], false);
    assert_eq!(v["sites"][1]["first_bad"]["seq"], 2);
}

#[test]
fn an_empty_mirror_and_accounting_are_errors() {
    let env = Env::new();
    let empty = env.tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let o = audit_sites(&env, &empty, &[]);
    assert_eq!(o.status.code(), Some(2), "{}{}", stdout(&o), stderr(&o));
    assert!(stderr(&o).contains("no mirrored site"), "{}", stderr(&o));
    let o = audit_sites(&env, &empty, &["--accounting"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("never leave their site"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_workbench_view_of_a_mirror_needs_sites_and_a_terminal() {
    let env = Env::new();
    let o = env.cmd().args(["audit", "--tui"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--sites"), "{}", stderr(&o));
    // Standard output is not a terminal here: said so, nothing drawn.
    let o = audit_sites(&env, env.tmp.path(), &["--tui"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("needs a terminal"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}
