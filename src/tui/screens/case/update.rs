//! The case view's keys: scrolling the focused area, moving between the panes and the
//! advisor, searching. What reaches beyond the case is asked of the root.

use super::{CaseView, layout, search};
use crate::tui::keymap::Action;
use crate::tui::step::{Ctx, Step};

/// What the case view asks of the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// `d`: the decision form (a new one, or the saved draft resumed).
    Decide,
    /// `x`: discard the saved draft (after a confirmation).
    DiscardDraft,
    /// `v`: the signed record in force.
    Record,
    /// `C` when no proposal awaits this signer: say why.
    Countersign,
    /// `p`: the provision form, on a decided case.
    Provide,
    /// Esc or `q`: back to the queue (saving the form's draft).
    Back,
    /// `e`: edit the case file.
    Edit,
}

/// A key's action on the case view.
pub fn action(v: &mut CaseView, ctx: &mut Ctx, action: Action) -> Step<Ask> {
    match action {
        Action::Search => {
            search::start(v, ctx);
            return Step::changed();
        }
        Action::NextMatch | Action::PrevMatch => {
            search::step(v, ctx, action);
            return Step::changed();
        }
        // Esc clears a search before it leaves the case.
        Action::Back if search::clear(v, ctx) => return Step::changed(),
        _ => {}
    }
    let areas = if v.show_advisor { 4 } else { 3 };
    match action {
        Action::Down
        | Action::Up
        | Action::PageDown
        | Action::PageUp
        | Action::Top
        | Action::Bottom => {
            let Some((wrapped, height)) = layout::case_focus(v, ctx.size) else {
                return Step::changed();
            };
            let at = match v.panes.get_mut(v.focus) {
                Some(p) => &mut p.scroll,
                None => &mut v.advisor_scroll,
            };
            return Step::changed_if(at.act(action, wrapped.len(), height));
        }
        Action::NextPane => v.focus = (v.focus + 1) % areas,
        Action::PrevPane => v.focus = (v.focus + areas - 1) % areas,
        Action::Pane1 => v.focus = 0,
        Action::Pane2 => v.focus = 1,
        Action::Pane3 => v.focus = 2,
        Action::Advisor => {
            v.show_advisor = !v.show_advisor;
            v.focus = if v.show_advisor { 3 } else { v.focus.min(2) };
        }
        Action::DiscardDraft => return Step::ask(Ask::DiscardDraft),
        Action::Record => return Step::ask(Ask::Record),
        Action::Decide => return Step::ask(Ask::Decide),
        Action::Back => return Step::ask(Ask::Back),
        Action::Countersign => return Step::ask(Ask::Countersign),
        Action::EditCase => return Step::ask(Ask::Edit),
        Action::Provide => return Step::ask(Ask::Provide),
        _ => return Step::unchanged(),
    }
    Step::changed()
}
