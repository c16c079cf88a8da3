//! The decision form's keys: editing a field, moving, toggling, the grounds picker, the
//! findings panel and the preview's scrolling. A change to the decision is asked of the
//! root as `Edited` (it saves the draft after the typing pause and previews it now);
//! signing and leaving are asked too.

use ratatui::crossterm::event::KeyEvent;

use super::layout::{self, FormPanel};
use super::{Ask, Field, Form, Outside, pick, preview};
use crate::tui::keymap::Action;
use crate::tui::step::{Ctx, Step};

/// A key while a text field is edited: every key is text (Esc, or Enter outside the
/// rationale, ends editing).
pub fn edit_key(f: &mut Form, k: KeyEvent) -> Step<Ask> {
    if f.edit_key(k) {
        f.dirty = true;
        return Step::ask(Ask::Edited);
    }
    Step::changed()
}

/// Pasted text into the field being edited.
pub fn paste(f: &mut Form, text: &str) -> Step<Ask> {
    if pick::paste(f, text) {
        return Step::changed();
    }
    if f.paste(text) {
        f.dirty = true;
        return Step::ask(Ask::Edited);
    }
    Step::unchanged()
}

/// A key's action on the form (not editing, no picker open).
pub fn action(f: &mut Form, ctx: &mut Ctx, outside: &Outside, action: Action) -> Step<Ask> {
    match action {
        Action::Back => Step::ask(Ask::Back),
        Action::Sign => Step::ask(Ask::Sign),
        Action::Edit if f.field() == Field::Sign => Step::ask(Ask::Sign),
        Action::PickGround => {
            if let Some(set) = ctx.set {
                pick::open(f, outside.advisor, set);
            }
            Step::changed()
        }
        Action::Findings => {
            f.findings_open = !f.findings_open;
            f.findings_scroll = Default::default();
            Step::changed()
        }
        // PgDn/PgUp, Home/End scroll the findings when open, else the preview (when shown).
        Action::PageDown | Action::PageUp | Action::Top | Action::Bottom => {
            let want = if f.findings_open {
                FormPanel::Findings
            } else {
                FormPanel::Preview
            };
            let panels = layout::form_panels(f, ctx.size);
            let Some((_, rect)) = panels.into_iter().find(|(p, _)| *p == want) else {
                return Step::unchanged();
            };
            let lines = match want {
                FormPanel::Findings => preview::findings_lines(f.preview.as_ref(), outside.advisor),
                FormPanel::Preview => preview::lines(f.preview.as_ref(), outside.note),
            };
            let (total, height) =
                crate::tui::layout::measure(&lines, crate::tui::layout::inner(rect));
            let at = match want {
                FormPanel::Findings => &mut f.findings_scroll,
                FormPanel::Preview => &mut f.preview_scroll,
            };
            Step::changed_if(at.act(action, total, height))
        }
        a => {
            if f.act(a) {
                f.dirty = true;
                Step::ask(Ask::Edited)
            } else {
                Step::changed()
            }
        }
    }
}
