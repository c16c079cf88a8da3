//! The help overlay: the keys of the current screen, from the live keymap (so rebinding
//! shows here), scrolling like every other view when it does not fit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::keymap::{Action, Context, Keymap};
use crate::tui::layout;
use crate::tui::scroll::{self, Scroll, Styled};
use crate::tui::step::Step;
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, scrolled, span};

/// An action's help line on the screen `ctx`: "back / clear filter" only where the
/// screen has a filter (the queue, the case view's search, the audit screen).
fn help_in(a: Action, ctx: Context) -> &'static str {
    match (a, ctx) {
        (Action::Back, Context::Queue | Context::Case | Context::Audit) => a.help(),
        (Action::Back, _) => "back",
        _ => a.help(),
    }
}

/// The overlay's lines: each action with its keys, then the note on Ctrl-C.
pub fn lines(keymap: &Keymap, ctx: Context) -> Vec<Styled> {
    let mut out: Vec<Styled> = keymap
        .bindings(ctx)
        .iter()
        .map(|(a, keys)| {
            let k: Vec<String> = keys.iter().map(|k| k.label()).collect();
            vec![
                (Role::Key, format!("{:<20}", k.join(" "))),
                (Role::Normal, help_in(*a, ctx).to_string()),
            ]
        })
        .collect();
    out.push(Vec::new());
    let key = |a| keymap.first_key(ctx, a);
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
        Context::Intake => out.push(vec![(
            Role::Muted,
            "The questions of casebench new, in the clerk's order. Type the answer: Left/Right, \
             Home/End, Backspace/Delete edit it. A refused answer is asked again with what is \
             allowed. Record items: one line each (ID CATEGORY DESCRIPTION), an empty line ends \
             them, Backspace on an empty line takes the last item back. Going back keeps every \
             answer; Ctrl-C asks before the answers are discarded."
                .into(),
        )]),
        Context::IntakeSummary => out.push(vec![(
            Role::Muted,
            "Every answer, as the case file will hold it. The file is written under the next \
             free id, never over another file; the case then waits in the queue for its \
             clinician's evaluation."
                .into(),
        )]),
        Context::Queue => out.push(vec![(
            Role::Muted,
            "Marks before the id: D a saved draft, P a practice case. N opens a new case (the \
             intake); e edits the selected case's file in $VISUAL/$EDITOR, checked before it \
             replaces the file (a decided case is never edited in place)."
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

/// Closes the overlay (the root clears its flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close;

/// A key while the overlay is up: `?`, Esc, back or quit close it; the scroll keys
/// scroll it; nothing else.
pub fn key(
    at: &mut Scroll,
    keymap: &Keymap,
    ctx: Context,
    size: (u16, u16),
    k: &KeyEvent,
) -> Step<Close> {
    match keymap.action(ctx, k) {
        Some(Action::Help | Action::Back | Action::Quit) => Step::ask(Close),
        _ if k.code == KeyCode::Esc => Step::ask(Close),
        Some(a) if scroll::is_scroll(a) => {
            let area = layout::screen(size);
            let w = layout::help_width(area).saturating_sub(2) as usize;
            let total = scroll::wrap(&lines(keymap, ctx), w).len();
            let height = layout::help_box(area, total).height.saturating_sub(2);
            Step::changed_if(at.act(a, total, height as usize))
        }
        _ => Step::unchanged(),
    }
}

/// The overlay over the screen whose keys it lists (`ctx`).
pub fn draw(look: Look, ctx: Context, at: Scroll, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let lines = lines(look.keymap, ctx);
    let w = layout::help_width(area);
    let wrapped = scroll::wrap(&lines, w.saturating_sub(2) as usize);
    let rect = layout::help_box(area, wrapped.len());
    let title = format!(" Keys: {} (? or Esc closes) ", ctx.name());
    scrolled(
        t,
        frame,
        rect,
        Line::from(span(t, Role::Title, title)),
        Role::Focus,
        &lines,
        at,
    );
}
