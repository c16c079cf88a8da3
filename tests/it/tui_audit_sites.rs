//! The workbench's audit screen over a `--sites` mirror (`audit --sites DIR --tui`):
//! a site column, the site filter (`s`), the record detail of the right site, read-only,
//! and leaving the screen leaves the workbench. Snapshots at 120×40 and 80×24.

use crate::support::record as record_support;
use crate::support::tui as tui_support;

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use casebench::tui::Options;
use casebench::tui::app::update;
use casebench::tui::app::{Effect, Msg, Screen, State};
use casebench::tui::app::{open_sites, startup};
use casebench::tui::effect::AuditEffect;
use casebench::tui::keymap::Keymap;
use casebench::tui::screens::audit::AuditMsg;
use casebench::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::crossterm::event::KeyCode;
use record_support::Env;
use tui_support::{code, key, render, send};

/// What `sites fetch` leaves for one site: its `decisions/` and allowed_signers.
fn mirror_site(env: &Env, mirror: &Path, site: &str) {
    let dest = mirror.join(site);
    std::fs::create_dir_all(dest.join("reviewers")).unwrap();
    std::fs::copy(env.allowed(), dest.join("reviewers/allowed_signers")).unwrap();
    let o = std::process::Command::new("cp")
        .arg("-a")
        .arg(env.cases.join("decisions"))
        .arg(&dest)
        .output()
        .unwrap();
    assert!(o.status.success());
}

/// A mirror of two sites, north (4 records) and south (2, its record 2 edited in the
/// mirror after signing).
fn mirror() -> (Env, Env, PathBuf) {
    let north = Env::new();
    let south = Env::new();
    north.fill(4);
    south.fill(2);
    let dir = north.tmp.path().join("mirror");
    mirror_site(&north, &dir, "north");
    mirror_site(&south, &dir, "south");
    let rec = dir.join("south/decisions/log/00000002.yaml");
    let text = std::fs::read_to_string(&rec).unwrap();
    std::fs::write(&rec, text.replace("Test rationale", "Edited rationale")).unwrap();
    (north, south, dir)
}

fn options(dir: &Path) -> Options {
    // The mirror's own day: no `--today`, no library day, so the local date.
    Options {
        state_dir: Some(tui_support::state_for(dir, "auditor")),
        ..Options::new(dir, chrono::Local::now().date_naive())
    }
}

/// Runs an audit effect on the worker, as the event loop would.
fn run(dir: &Path, effect: AuditEffect) -> AuditMsg {
    let (tx, rx) = mpsc::channel();
    casebench::tui::event_loop::run_audit_effect(&options(dir), None, effect, tx);
    match rx.recv_timeout(std::time::Duration::from_secs(60)).unwrap() {
        Msg::Audit(m) => m,
        other => panic!("{other:?}"),
    }
}

/// The workbench opened on the mirror, its report in.
fn opened(dir: &Path) -> State {
    let today = NaiveDate::from_ymd_opt(2026, 4, 20).unwrap();
    let mut s = State::new(today, "mirror", Theme::default_theme(), Keymap::default());
    let fx = open_sites(&mut s, dir.to_path_buf());
    assert_eq!(
        fx,
        vec![Effect::Audit(AuditEffect::LoadSites(dir.to_path_buf()))]
    );
    assert_eq!(s.screen, Screen::Audit);
    // The event loop starts that load itself.
    assert_eq!(startup(&s), Some(fx[0].clone()));
    let msg = run(dir, AuditEffect::LoadSites(dir.to_path_buf()));
    update(&mut s, Msg::Audit(msg));
    assert_eq!(startup(&s), None);
    s
}

fn visible(s: &State) -> Vec<(String, u64)> {
    let v = s.audit.as_ref().unwrap();
    v.visible
        .iter()
        .map(|&i| (v.lines[i].site.clone(), v.lines[i].seq))
        .collect()
}

#[test]
fn the_mirror_in_the_audit_screen_with_a_site_column() {
    let (_n, _s, dir) = mirror();
    let mut s = opened(&dir);
    assert_eq!(visible(&s).len(), 6);
    for (w, h) in [(120, 40), (80, 24)] {
        let out = render(&mut s, w, h);
        assert!(out.contains("Audit of 2 sites (mirror)"), "{out}");
        assert!(out.contains("site"), "{out}");
        insta::assert_snapshot!(format!("audit_sites_{w}x{h}"), out);
    }
}

#[test]
fn the_site_filter_cycles_through_the_sites_and_back_to_all() {
    let (_n, _s, dir) = mirror();
    let mut s = opened(&dir);
    send(&mut s, [key('s')]);
    assert!(visible(&s).iter().all(|(site, _)| site == "north"));
    assert_eq!(visible(&s).len(), 4);
    let out = render(&mut s, 80, 24);
    assert!(out.contains("filters: site north"), "{out}");
    send(&mut s, [key('s')]);
    assert_eq!(
        visible(&s),
        vec![("south".to_string(), 1), ("south".to_string(), 2)]
    );
    // With the problems filter: only south's edited record.
    send(&mut s, [key('p')]);
    assert_eq!(visible(&s), vec![("south".to_string(), 2)]);
    send(&mut s, [key('x')]);
    assert_eq!(visible(&s).len(), 6);
    send(&mut s, [key('s'), key('s'), key('s')]);
    assert_eq!(
        visible(&s).len(),
        6,
        "the third press shows every site again"
    );
    // The help overlay lists the key.
    send(&mut s, [key('?')]);
    let out = render(&mut s, 120, 40);
    assert!(out.contains("cycle the site filter"), "{out}");
}

#[test]
fn enter_reads_the_record_of_its_own_site_and_the_mirror_is_read_only() {
    let (_n, _s, dir) = mirror();
    let mut s = opened(&dir);
    // Row 6 is south's record 2 (rows by site, then seq).
    send(&mut s, [key('G')]);
    let fx = send(&mut s, [code(KeyCode::Enter)]);
    let effect = AuditEffect::SiteRecord {
        dir: dir.clone(),
        site: "south".into(),
        seq: 2,
    };
    assert_eq!(fx, vec![Effect::Audit(effect.clone())]);
    let msg = run(&dir, effect);
    // A late answer for north's record 2 is not shown in south's place.
    let AuditMsg::SiteRecord { result, .. } = run(
        &dir,
        AuditEffect::SiteRecord {
            dir: dir.clone(),
            site: "north".into(),
            seq: 2,
        },
    ) else {
        panic!()
    };
    update(
        &mut s,
        Msg::Audit(AuditMsg::SiteRecord {
            site: "north".into(),
            seq: 2,
            result,
        }),
    );
    assert!(
        s.audit
            .as_ref()
            .unwrap()
            .detail
            .as_ref()
            .unwrap()
            .lines
            .is_none()
    );
    update(&mut s, Msg::Audit(msg));
    let out = render(&mut s, 120, 40);
    assert!(out.contains("Site south, record 2"), "{out}");
    assert!(out.contains("site: south"), "{out}");
    assert!(out.contains("FAILED"), "{out}");
    assert!(out.contains("Edited rationale"), "{out}");
    send(&mut s, [code(KeyCode::Esc)]);
    // No checkpoint on a mirror.
    let fx = send(&mut s, [key('c')]);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(
        s.message.as_ref().unwrap().1.contains("read-only"),
        "{:?}",
        s.message
    );
    // R verifies the mirror again; leaving the screen leaves the workbench.
    assert_eq!(
        send(&mut s, [key('R')]),
        vec![Effect::Audit(AuditEffect::LoadSites(dir.clone()))]
    );
    assert_eq!(send(&mut s, [key('q')]), vec![Effect::Quit]);
}

/// The mirror holds other sites' logs, never a clinic's case files: no intake and no
/// edit there, whichever screen the keys reach.
#[test]
fn no_case_is_opened_or_edited_in_the_mirror() {
    let (_n, _s, dir) = mirror();
    let mut s = opened(&dir);
    s.screen = Screen::Queue;
    for k in ['N', 'e'] {
        s.message = None;
        let fx = send(&mut s, [key(k)]);
        assert!(fx.is_empty(), "{k}: {fx:?}");
        let said = &s.message.as_ref().expect("a message").1;
        assert!(said.contains("mirror of the sites"), "{k}: {said}");
    }
}
