//! The help overlay: the keys of the current screen, from the live keymap (so rebinding
//! shows here), scrolling like every other view when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::{scrolled, span};
use crate::tui::app::State;
use crate::tui::keymap::Context;
use crate::tui::scroll::Styled;
use crate::tui::theme::Role;

/// The overlay's lines: each action with its keys, then the note on Ctrl-C.
pub fn lines(state: &State) -> Vec<Styled> {
    let ctx = state.context();
    let mut out: Vec<Styled> = state
        .keymap
        .bindings(ctx)
        .iter()
        .map(|(a, keys)| {
            let k: Vec<String> = keys.iter().map(|k| k.label()).collect();
            vec![
                (Role::Key, format!("{:<20}", k.join(" "))),
                (Role::Normal, a.help().to_string()),
            ]
        })
        .collect();
    out.push(Vec::new());
    let key = |a| state.keymap.first_key(ctx, a);
    use crate::tui::keymap::Action;
    match ctx {
        Context::Case => out.push(vec![(
            Role::Muted,
            format!(
                "Search ({}): type the text, Enter keeps it, Esc while typing cancels; {}/{} \
                 move between matches (case-insensitive, over the text as shown); Esc clears \
                 the search before it leaves the case.",
                key(Action::Search),
                key(Action::NextMatch),
                key(Action::PrevMatch)
            ),
        )]),
        Context::Form => out.push(vec![(
            Role::Muted,
            format!(
                "Grounds picker ({}): type to filter, Up/Down Tab/BackTab PgUp/PgDn Home/End \
                 move, Enter picks, Esc cancels. * holds for this case, ✓ already there.",
                key(Action::PickGround)
            ),
        )]),
        Context::Queue => out.push(vec![(
            Role::Muted,
            "Marks before the id: D a saved draft, P a practice case.".into(),
        )]),
        Context::Practice => out.push(vec![(
            Role::Muted,
            "Rule numbers in the explanation (R1, R12 ...) are listed with what each says and \
             its citation at the end of this screen (G)."
                .into(),
        )]),
        Context::Record => out.push(vec![(
            Role::Muted,
            "The record's exact bytes, its verification (as casebench verify), the \
             ssh-keygen command that checks it, the notice a denial sends, the signature. \
             w writes the letter as a PDF in the current folder."
                .into(),
        )]),
        _ => {}
    }
    out.push(vec![(
        Role::Muted,
        "Ctrl-C quits from anywhere; the draft is saved first. In help: j/k, PgDn/PgUp, g/G \
         scroll."
            .into(),
    )]);
    out
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let t = &state.theme;
    let lines = lines(state);
    let w = crate::tui::layout::help_width(area);
    let wrapped = crate::tui::scroll::wrap(&lines, w.saturating_sub(2) as usize);
    let rect = crate::tui::layout::help_box(area, wrapped.len());
    let title = format!(" Keys: {} (? or Esc closes) ", state.context().name());
    scrolled(
        t,
        frame,
        rect,
        Line::from(span(t, Role::Title, title)),
        Role::Focus,
        &lines,
        state.help_scroll,
    );
}
