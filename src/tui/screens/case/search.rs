//! `/` in the case view: a case-insensitive search over the text the three panes and the
//! advisor show — sanitised, and wrapped at the width each is drawn at, so a match is
//! what the reviewer sees (a phrase broken across two wrapped lines is not found). `n`/`N`
//! move to the next/previous match, switching pane (or tab) and scrolling to it, and
//! wrap around with a message; Esc clears the search.
//!
//! Only the query and the match last moved to are kept: the matches are found again from
//! the state when needed (drawing, `n`), so they always agree with what is on screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{CaseView, Hit, PANE_TITLES, Search, layout};
use crate::text::sanitize_line;
use crate::tui::keymap::{Action, Context};
use crate::tui::scroll::{self, Styled};
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

/// The areas searched: the three panes, then the advisor.
pub const AREAS: usize = 4;

/// The name of area `i`, for the status line.
pub fn area_name(i: usize) -> &'static str {
    PANE_TITLES.get(i).copied().unwrap_or("Advisor")
}

/// Area `i`'s text wrapped as it is (or would be, once moved to) on screen, and the
/// height it scrolls in. The advisor is measured as shown, since a match there shows it.
pub fn wrapped(size: (u16, u16), v: &CaseView, i: usize) -> (Vec<Styled>, usize) {
    let advisor = v.show_advisor || i == 3;
    let area = crate::tui::layout::screen(size);
    let rect = crate::tui::layout::inner(layout::case_area(area, v, i, advisor));
    let lines = layout::case_lines(v, i);
    (
        scroll::wrap(&lines, rect.width as usize),
        rect.height as usize,
    )
}

/// One character as compared: its lower case (the first char of it, so that positions
/// stay one per character).
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Every non-overlapping, case-insensitive occurrence of `query` in `line` (char columns).
pub fn find_in(line: &str, query: &[char]) -> Vec<usize> {
    let hay: Vec<char> = line.chars().map(fold).collect();
    let mut out = Vec::new();
    if query.is_empty() || query.len() > hay.len() {
        return out;
    }
    let mut i = 0;
    while i + query.len() <= hay.len() {
        if hay[i..i + query.len()] == *query {
            out.push(i);
            i += query.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Every match of the case's search, in reading order (area, line, column), at the
/// terminal size `size`.
pub fn hits(v: &CaseView, size: (u16, u16)) -> Vec<Hit> {
    let query: Vec<char> = v.search.query.chars().map(fold).collect();
    if query.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for area in 0..AREAS {
        let (lines, _) = wrapped(size, v, area);
        for (n, l) in lines.iter().enumerate() {
            let text: String = l.iter().map(|(_, s)| s.as_str()).collect();
            out.extend(find_in(&text, &query).into_iter().map(|col| Hit {
                area,
                line: n,
                col,
                len: query.len(),
            }));
        }
    }
    out
}

/// `/`: start typing a query (a new search, from the top of the focused area's view).
pub fn start(v: &mut CaseView, ctx: &mut Ctx) {
    let offset = match v.panes.get(v.focus) {
        Some(p) => p.scroll.offset,
        None => v.advisor_scroll.offset,
    };
    v.search = Search {
        query: String::new(),
        typing: true,
        origin: (v.focus, offset),
        current: None,
    };
    prompt(v, ctx, None);
}

/// A key while the query is typed: text, Backspace, Enter keeps the search, Esc clears.
pub fn typing_key(v: &mut CaseView, ctx: &mut Ctx, k: KeyEvent) -> Step {
    match k.code {
        KeyCode::Esc => {
            v.search = Search::default();
            *ctx.message = None;
            return Step::changed();
        }
        KeyCode::Enter => {
            v.search.typing = false;
            if v.search.query.is_empty() {
                *ctx.message = None;
                return Step::changed();
            }
            let all = hits(v, ctx.size);
            status(v, ctx, &all, None);
            return Step::changed();
        }
        KeyCode::Backspace => {
            if v.search.query.pop().is_none() {
                return Step::unchanged();
            }
        }
        KeyCode::Char(c) if !c.is_control() && !k.modifiers.contains(KeyModifiers::CONTROL) => {
            v.search
                .query
                .push_str(&sanitize_line(c.encode_utf8(&mut [0; 4])));
        }
        _ => return Step::unchanged(),
    }
    // As the query grows, the view follows the first match from where the search began.
    let all = hits(v, ctx.size);
    let origin = v.search.origin;
    let first = all
        .iter()
        .position(|h| (h.area, h.line) >= origin)
        .or((!all.is_empty()).then_some(0));
    match first {
        Some(i) => go_to(v, ctx.size, all[i]),
        None => v.search.current = None,
    }
    prompt(v, ctx, first.map(|i| (i, all.len())));
    Step::changed()
}

/// Pasted text while typing the query (the caller checks that it is being typed), as
/// if typed.
pub fn paste(v: &mut CaseView, ctx: &mut Ctx, text: &str) {
    for c in text.trim_end_matches(['\r', '\n']).chars() {
        let _ = typing_key(v, ctx, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// `n`/`N`: the next or previous match, wrapping around with a message.
pub fn step(v: &mut CaseView, ctx: &mut Ctx, action: Action) {
    if v.search.query.is_empty() {
        let key = ctx.keymap.first_key(Context::Case, Action::Search);
        ctx.say(Role::Muted, format!("no search yet: {key} searches"));
        return;
    }
    let all = hits(v, ctx.size);
    if all.is_empty() {
        status(v, ctx, &all, None);
        return;
    }
    let forward = action == Action::NextMatch;
    let here = v.search.current;
    let origin = v.search.origin;
    let (i, wrapped) = if forward {
        let next = match here {
            Some(h) => all.iter().position(|x| *x > h),
            None => all.iter().position(|x| (x.area, x.line) >= origin),
        };
        next.map_or((0, true), |i| (i, false))
    } else {
        let prev = match here {
            Some(h) => all.iter().rposition(|x| *x < h),
            None => all.iter().rposition(|x| (x.area, x.line) < origin),
        };
        prev.map_or((all.len() - 1, true), |i| (i, false))
    };
    go_to(v, ctx.size, all[i]);
    let note = wrapped.then_some(if forward {
        "wrapped to the top"
    } else {
        "wrapped to the bottom"
    });
    status(v, ctx, &all, Some((i, note)));
}

/// Esc on the case view while a search is kept: clears it (and nothing else).
pub fn clear(v: &mut CaseView, ctx: &mut Ctx) -> bool {
    if !v.search.active() {
        return false;
    }
    v.search = Search::default();
    ctx.say(Role::Muted, "search cleared");
    true
}

/// Moves the view to `hit`: its area gets the focus (the advisor is shown if it was
/// not), and the area scrolls so that the line is on screen, a third of the way down.
fn go_to(v: &mut CaseView, size: (u16, u16), hit: Hit) {
    v.search.current = Some(hit);
    if hit.area == 3 {
        v.show_advisor = true;
    }
    v.focus = hit.area;
    let (lines, height) = wrapped(size, v, hit.area);
    let total = lines.len();
    let at = match v.panes.get_mut(hit.area) {
        Some(p) => &mut p.scroll,
        None => &mut v.advisor_scroll,
    };
    let shown = at.shown(total, height);
    if hit.line < shown || hit.line >= shown + height.max(1) {
        at.offset = hit
            .line
            .saturating_sub(height / 3)
            .min(scroll::max_offset(total, height));
    }
}

/// The message line after a move: `match 3 of 7 in Consultation notes`, or `no match`.
fn status(v: &CaseView, ctx: &mut Ctx, all: &[Hit], at: Option<(usize, Option<&str>)>) {
    let q = v.search.query.clone();
    *ctx.message = Some(match (all.is_empty(), at) {
        (true, _) => (Role::Warning, format!("no match for “{q}”")),
        (false, Some((i, note))) => {
            let mut s = format!(
                "match {} of {} in {}",
                i + 1,
                all.len(),
                area_name(all[i].area)
            );
            if let Some(n) = note {
                s.push_str(&format!(" ({n})"));
            }
            (Role::Normal, s)
        }
        (false, None) => {
            let i = v
                .search
                .current
                .and_then(|c| all.iter().position(|h| *h == c))
                .unwrap_or(0);
            (
                Role::Normal,
                format!(
                    "match {} of {} in {} · n next, N previous, Esc clears",
                    i + 1,
                    all.len(),
                    area_name(all[i].area)
                ),
            )
        }
    });
}

/// The message line while typing: the query, a cursor, and where the first match is.
fn prompt(v: &CaseView, ctx: &mut Ctx, at: Option<(usize, usize)>) {
    let q = &v.search.query;
    let tail = match (q.is_empty(), at, v.search.current) {
        (true, _, _) => "type to search the panes and the advisor; Enter keeps, Esc cancels".into(),
        (false, Some((i, n)), Some(h)) => {
            format!("match {} of {n} in {}", i + 1, area_name(h.area))
        }
        _ => format!("no match for “{q}”"),
    };
    ctx.say(Role::Focus, format!("/{q}▏  {tail}"));
}
