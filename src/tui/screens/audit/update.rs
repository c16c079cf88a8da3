//! The audit screen's update: the worker's answers (report, record text, checkpoint),
//! the filters, moving, and the record under Enter.

use std::sync::Arc;

use super::filter::{cycle, keep_visible, refilter};
use super::{Ask, AuditLine, AuditMsg, AuditView, CheckpointDone, DateField, sites, table_page};
use crate::audit::report::{AuditRow, Filter};
use crate::text::{sanitize, sanitize_line};
use crate::tui::effect::{AuditEffect, Effect};
use crate::tui::keymap::Action;
use crate::tui::step::{Banner, Ctx, Step};
use crate::tui::theme::Role;

/// The report being built: a fresh screen.
pub fn opened(ctx: &mut Ctx) -> (AuditView, Step) {
    ctx.say(Role::Muted, "verifying the decision log...");
    (
        AuditView::default(),
        Step::effect(Effect::Audit(AuditEffect::Load)),
    )
}

/// A worker's answer.
pub fn message(view: &mut AuditView, ctx: &mut Ctx, msg: AuditMsg) -> Step {
    match msg {
        AuditMsg::Loaded(Ok(report)) => {
            let report = Arc::new(*report);
            view.lines = report.rows.iter().map(AuditLine::from_row).collect();
            view.reviewers = report.reviewers().into_iter().map(|(p, _)| p).collect();
            view.outcomes = Vec::new();
            for r in &report.rows {
                if let Some(o) = &r.outcome
                    && !view.outcomes.contains(o)
                {
                    view.outcomes.push(o.clone());
                }
            }
            view.error = None;
            if view.sites.is_some() {
                view.site_ids = sites::site_ids(&report);
            }
            let (n, bad) = (
                report.rows.len(),
                report
                    .rows
                    .iter()
                    .filter(|r| r.verification.is_broken())
                    .count(),
            );
            let mirror = view.sites.is_some().then(|| sites::loaded_message(&report));
            view.report = Some(report);
            *ctx.message = Some(if let Some(m) = mirror {
                m
            } else if bad == 0 {
                (Role::Ok, format!("{n} records verified"))
            } else {
                (
                    Role::Error,
                    format!("{bad} of {n} records FAILED verification"),
                )
            });
            refilter(view, ctx);
        }
        AuditMsg::Loaded(Err(e)) => {
            let e = sanitize_line(&e);
            ctx.say(Role::Error, format!("audit: {e}"));
            view.error = Some(e);
        }
        AuditMsg::SiteRecord { site, seq, result } => {
            let Some(d) = view
                .detail
                .as_mut()
                .filter(|d| d.seq == seq && d.site.as_deref() == Some(site.as_str()))
            else {
                return Step::unchanged();
            };
            let row = view.report.as_ref().and_then(|r| {
                r.rows
                    .iter()
                    .find(|x| x.seq == seq && x.site.as_deref() == Some(site.as_str()))
            });
            d.lines = Some(detail_lines(row, result));
        }
        AuditMsg::Checkpoint(Ok(done)) => {
            *ctx.message = None;
            let (role, title, text, reload) = match done {
                CheckpointDone::Written(t) => (Role::Ok, "Checkpoint written", t, true),
                CheckpointDone::Unchanged(t) => (Role::Warning, "No checkpoint written", t, false),
            };
            ctx.announce(Banner::new(role, title, sanitize_line(&text)));
            if reload {
                return Step::effect(Effect::Audit(AuditEffect::Load));
            }
        }
        AuditMsg::Checkpoint(Err(e)) => {
            *ctx.message = None;
            ctx.announce(Banner::new(
                Role::Error,
                "Checkpoint refused",
                sanitize_line(&e),
            ));
        }
    }
    Step::changed()
}

/// The detail text: verification, problems, signer, the record's exact text, the
/// signature file.
fn detail_lines(
    row: Option<&AuditRow>,
    result: Result<(String, Option<String>), String>,
) -> Vec<(Role, String)> {
    let mut out = Vec::new();
    if let Some(r) = row {
        if let Some(site) = &r.site {
            out.push((Role::Normal, format!("site: {}", sanitize_line(site))));
        }
        out.push((
            Role::of(crate::present::record::verification(r.verification).1),
            format!(
                "verification: {} ({})",
                r.verification.mark(),
                r.verification.as_str()
            ),
        ));
        for p in &r.problems {
            out.push((Role::Error, format!("  problem: {}", sanitize_line(p))));
        }
        if let Some(rec) = &r.record {
            out.push((
                Role::Normal,
                format!("signed by: {}", sanitize_line(&rec.reviewer)),
            ));
        }
        if let Some(name) = &r.reviewer_name {
            out.push((Role::Normal, format!("name: {}", sanitize_line(name))));
        }
        out.push((Role::Muted, format!("file: {}", sanitize_line(&r.file))));
    }
    out.push((Role::Muted, String::new()));
    match result {
        Ok((text, sig)) => {
            out.push((Role::Header, "Record (exact text)".into()));
            out.extend(
                sanitize(&text)
                    .lines()
                    .map(|l| (Role::Normal, l.to_string())),
            );
            out.push((Role::Muted, String::new()));
            out.push((Role::Header, "Signature".into()));
            match sig {
                Some(s) => out.extend(sanitize(&s).lines().map(|l| (Role::Muted, l.to_string()))),
                None => out.push((Role::Error, "MISSING: no readable signature file".into())),
            }
        }
        Err(e) => out.push((Role::Error, format!("cannot read: {}", sanitize_line(&e)))),
    }
    out
}

/// A key's action on the audit screen (or on a mirrored record's text, when open).
pub fn action(view: &mut AuditView, ctx: &mut Ctx, action: Action) -> Step<Ask> {
    let page = table_page(ctx.size);
    let detail_area = crate::tui::layout::page(ctx.size);
    if let Some(d) = view.detail.as_mut() {
        return match action {
            Action::Back => {
                view.detail = None;
                Step::changed()
            }
            a if crate::tui::scroll::is_scroll(a) => {
                let lines: Vec<crate::tui::scroll::Styled> =
                    d.lines.iter().flatten().map(|l| vec![l.clone()]).collect();
                let (total, height) = crate::tui::layout::measure(&lines, detail_area);
                Step::changed_if(d.scroll.act(a, total, height))
            }
            _ => Step::unchanged(),
        };
    }
    if view.sites.is_some()
        && let Some(step) = sites::action(view, ctx, action)
    {
        return step;
    }
    let last = view.visible.len().saturating_sub(1);
    match action {
        Action::Down => view.selected = (view.selected + 1).min(last),
        Action::Up => view.selected = view.selected.saturating_sub(1),
        Action::PageDown => view.selected = (view.selected + page).min(last),
        Action::PageUp => view.selected = view.selected.saturating_sub(page),
        Action::Top => view.selected = 0,
        Action::Bottom => view.selected = last,
        Action::Open => {
            // The same record view as a decided case's `v` (Esc comes back here).
            return match view.selected_line() {
                Some(l) => Step::ask(Ask::Record(l.seq)),
                None => Step::unchanged(),
            };
        }
        Action::ReviewerFilter => {
            view.filter.reviewer = cycle(&view.filter.reviewer, &view.reviewers);
            refilter(view, ctx);
        }
        Action::OutcomeFilter => {
            view.filter.outcome = cycle(&view.filter.outcome, &view.outcomes);
            refilter(view, ctx);
        }
        Action::Since => view.input = Some((DateField::Since, String::new())),
        Action::Until => view.input = Some((DateField::Until, String::new())),
        Action::ProblemsOnly => {
            view.filter.problems_only = !view.filter.problems_only;
            refilter(view, ctx);
        }
        Action::OverriddenOnly => {
            view.filter.overridden_only = !view.filter.overridden_only;
            refilter(view, ctx);
        }
        Action::ClearFilters => {
            view.filter = Filter::default();
            refilter(view, ctx);
        }
        Action::Checkpoint => {
            ctx.say(Role::Muted, "signing a checkpoint...");
            return Step::effect(Effect::Audit(AuditEffect::Checkpoint));
        }
        Action::Reload => {
            ctx.say(Role::Muted, "verifying the decision log...");
            return Step::effect(Effect::Audit(AuditEffect::Load));
        }
        Action::Back => return Step::ask(Ask::Back),
        _ => return Step::unchanged(),
    }
    keep_visible(view, page);
    Step::changed()
}
