//! The audit screen over a `--sites` mirror (`casebench audit --sites DIR --tui`):
//! every site's records with a site column and a site filter (`s`), read-only (no
//! checkpoint: a witness cosigns with `casebench witness --sites DIR`), and leaving the
//! screen leaves the workbench (a mirror has no queue). The report is built by
//! [`crate::audit::sites::build_sites`], the function behind `audit --sites`.

use std::path::PathBuf;

use super::filter::{cycle, refilter};
use super::{Ask, AuditView, Detail};
use crate::audit::report::AuditReport;
use crate::text::sanitize_line;
use crate::tui::effect::{AuditEffect, Effect};
use crate::tui::keymap::Action;
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

/// The audit screen on the mirror `dir`; the effect builds its report.
pub fn opened(ctx: &mut Ctx, dir: PathBuf) -> (AuditView, Step) {
    ctx.say(Role::Muted, "verifying every mirrored site...");
    let view = AuditView {
        sites: Some(dir.clone()),
        ..AuditView::default()
    };
    (
        view,
        Step::effect(Effect::Audit(AuditEffect::LoadSites(dir))),
    )
}

/// What the event loop runs at start besides loading cases: the mirror's report, when
/// the workbench was opened on one.
pub fn startup(view: Option<&AuditView>) -> Option<Effect> {
    let v = view.filter(|v| v.report.is_none())?;
    let dir = v.sites.clone()?;
    Some(Effect::Audit(AuditEffect::LoadSites(dir)))
}

/// The sites of the report's rows, in order: the site filter's choices.
pub(super) fn site_ids(report: &AuditReport) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for site in report.rows.iter().filter_map(|r| r.site.as_ref()) {
        if ids.last() != Some(site) && !ids.contains(site) {
            ids.push(site.clone());
        }
    }
    ids
}

/// The status line once a mirror's report is in.
pub(super) fn loaded_message(report: &AuditReport) -> (Role, String) {
    let sites = site_ids(report).len();
    match &report.first_bad {
        None if report.ok => (
            Role::Ok,
            format!(
                "{} records of {sites} site{} verified; case binding not checkable here",
                report.rows.len(),
                if sites == 1 { "" } else { "s" }
            ),
        ),
        bad => (
            Role::Error,
            format!(
                "FAILED: {}",
                bad.as_ref().map_or("a site does not verify".into(), |b| {
                    match b.seq {
                        Some(seq) => format!("record {seq}: {}", sanitize_line(&b.message)),
                        None => sanitize_line(&b.message),
                    }
                })
            ),
        ),
    }
}

/// The mirror's own handling of `action` (outside the detail view); `None` leaves it to
/// the audit screen's.
pub(super) fn action(view: &mut AuditView, ctx: &mut Ctx, action: Action) -> Option<Step<Ask>> {
    let dir = view.sites.clone()?;
    match action {
        Action::Open => {
            let line = view.selected_line()?;
            let (seq, site) = (line.seq, line.site.clone());
            // The raw id (the line's is sanitised): ids are `[a-z0-9-]`, so the same.
            let site = view.site_ids.iter().find(|s| **s == site)?.clone();
            view.detail = Some(Detail {
                seq,
                site: Some(site.clone()),
                lines: None,
                scroll: Default::default(),
            });
            Some(Step::effect(Effect::Audit(AuditEffect::SiteRecord {
                dir,
                site,
                seq,
            })))
        }
        Action::SiteFilter => {
            view.filter.site = cycle(&view.filter.site, &view.site_ids);
            refilter(view, ctx);
            Some(Step::changed())
        }
        Action::Checkpoint => {
            ctx.say(
                Role::Warning,
                "a mirror is read-only: a witness cosigns each site with `casebench witness --sites DIR`",
            );
            Some(Step::changed())
        }
        Action::Reload => {
            ctx.say(Role::Muted, "verifying every mirrored site...");
            Some(Step::effect(Effect::Audit(AuditEffect::LoadSites(dir))))
        }
        // A mirror has no queue: leaving the screen leaves the workbench.
        Action::Back => Some(Step::effect(Effect::Quit)),
        _ => None,
    }
}
