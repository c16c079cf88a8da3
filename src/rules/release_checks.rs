//! RULEBOOK R27: every item a proposal releases needs a basis that permits releasing it to
//! this requester. The mirror of the withholding checks: those catch wrong reasons to
//! withhold, these catch releases the law forbids. The limits are data (the rulebook's
//! `release_limits`, each with its citation). Pure.

use super::engine::Engine;
use super::findings::{Out, Proposal, Withheld};
use super::model::{GroundKind, Severity};
use crate::case::model::{CaseKind, Outcome, RecordItem};

/// The items `p` releases: for `release_full` and `release_partial`, every item not
/// withheld. Other outcomes release no record items.
pub(super) fn released<'a>(
    eng: &'a Engine,
    p: &Proposal,
    withheld: &[Withheld],
) -> Vec<&'a RecordItem> {
    if eng.case().kind != CaseKind::AccessRequest
        || !matches!(p.outcome, Outcome::ReleaseFull | Outcome::ReleasePartial)
    {
        return Vec::new();
    }
    eng.case()
        .records()
        .iter()
        .filter(|r| !withheld.iter().any(|(w, _)| w.id == r.id))
        .collect()
}

pub(super) fn release_findings(eng: &Engine, p: &Proposal, withheld: &[Withheld], out: &mut Out) {
    let released = released(eng, p, withheld);
    if released.is_empty() {
        return;
    }
    let basis = eng
        .rb
        .grounds()
        .iter()
        .any(|g| g.kind == GroundKind::Disclosure && eng.holds(g, None));
    let recommended = eng.recommend();
    for rec in released {
        let mut forbidden = false;
        for (limit, cond) in eng.rb.release_limits() {
            if eng.view.holds(cond, Some(rec)) {
                forbidden = true;
                out.add_raised(
                    &limit.finding,
                    format!(
                        "`{}` may not be released to this requester: {}",
                        rec.id, limit.describe
                    ),
                    Some(&limit.citation),
                    Some(Severity::Error),
                );
            }
        }
        if !basis && !forbidden {
            forbidden = true;
            out.add_raised(
                "release-not-permitted",
                format!(
                    "`{}` may not be released: no basis permits a disclosure to this requester (no right of access, valid authorization, patient direction, order, assured subpoena or law-enforcement process)",
                    rec.id
                ),
                Some("45 CFR 164.502(a); 164.508(a)"),
                Some(Severity::Error),
            );
        }
        // A release the law permits although a discretionary ground would withhold it
        // (danger to life, a confidential source...): never silent.
        if !forbidden
            && let Some(code) = recommended.withhold.get(&rec.id)
            && let Some(g) = eng.rb.ground(code)
        {
            out.add(
                "release-against-advice",
                format!(
                    "`{}` is released although `{}` holds for it and the advisor would withhold it{}; the release is permitted, but the rationale should say why",
                    rec.id,
                    g.code,
                    if g.reviewable() {
                        " (a licensed professional's determination)"
                    } else {
                        ""
                    }
                ),
                Some(&g.citation),
            );
        }
    }
}
