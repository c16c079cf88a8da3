//! The one scroll component of the workbench. Every scrollable view (the case's three
//! panes, the advisor, help, the practice comparison, the audit record, the invalid files,
//! the form's preview and findings) wraps its lines here, at the width it is drawn at,
//! and draws exactly the wrapped lines it counted: so `G` shows the last line at the
//! bottom (never a blank page), `j` past it does nothing, and the counter says where the
//! view is.
//!
//! Wrapping is our own (words, then characters for a word wider than the view) rather
//! than the paragraph widget's, so that what is counted is what is drawn.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use super::keymap::Action;
use super::theme::{Role, Theme};

/// One logical line: pieces of text with their roles.
pub type Styled = Vec<(Role, String)>;

/// Wraps one logical line at `width` columns (at least 1). Breaks after spaces; a word
/// wider than the line is broken between characters. Spaces at a break are dropped;
/// an empty line stays one empty line.
pub fn wrap_line(line: &[(Role, String)], width: usize) -> Vec<Styled> {
    let width = width.max(1);
    // Characters with their roles and widths, cut into words (a run of non-spaces with
    // the spaces that follow it).
    let chars: Vec<(Role, char, usize)> = line
        .iter()
        .flat_map(|(r, s)| s.chars().map(move |c| (*r, c, c.width().unwrap_or(0))))
        .collect();
    let mut out: Vec<Vec<(Role, char)>> = Vec::new();
    let mut cur: Vec<(Role, char)> = Vec::new();
    let mut cur_w = 0usize;
    let mut i = 0;
    while i < chars.len() {
        // The next word: non-spaces, then its trailing spaces.
        let start = i;
        while i < chars.len() && chars[i].1 != ' ' {
            i += 1;
        }
        let word_end = i;
        while i < chars.len() && chars[i].1 == ' ' {
            i += 1;
        }
        let word = &chars[start..word_end];
        let spaces = &chars[word_end..i];
        let word_w: usize = word.iter().map(|c| c.2).sum();
        if cur_w + word_w > width && cur_w > 0 {
            trim_spaces(&mut cur);
            out.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        if word_w > width {
            // Too wide for any line: character by character.
            for &(r, c, w) in word {
                if cur_w + w > width && cur_w > 0 {
                    out.push(std::mem::take(&mut cur));
                    cur_w = 0;
                }
                cur.push((r, c));
                cur_w += w;
            }
        } else {
            cur.extend(word.iter().map(|&(r, c, _)| (r, c)));
            cur_w += word_w;
        }
        for &(r, c, w) in spaces {
            if cur_w + w > width {
                // Spaces at a break are dropped, and so is the rest of the run.
                trim_spaces(&mut cur);
                out.push(std::mem::take(&mut cur));
                cur_w = 0;
                break;
            }
            cur.push((r, c));
            cur_w += w;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out.into_iter().map(regroup).collect()
}

fn trim_spaces(v: &mut Vec<(Role, char)>) {
    while v.last().is_some_and(|(_, c)| *c == ' ') {
        v.pop();
    }
}

/// Characters back into pieces of one role each.
fn regroup(chars: Vec<(Role, char)>) -> Styled {
    let mut out: Styled = Vec::new();
    for (r, c) in chars {
        match out.last_mut() {
            Some((role, s)) if *role == r => s.push(c),
            _ => out.push((r, c.to_string())),
        }
    }
    out
}

/// Every logical line wrapped at `width`.
pub fn wrap(lines: &[Styled], width: usize) -> Vec<Styled> {
    lines.iter().flat_map(|l| wrap_line(l, width)).collect()
}

/// Plain lines of one role, as styled lines.
pub fn plain(role: Role, lines: &[String]) -> Vec<Styled> {
    lines.iter().map(|l| vec![(role, l.clone())]).collect()
}

/// The first line a view may start at so that its last line is on screen.
pub fn max_offset(total: usize, height: usize) -> usize {
    total.saturating_sub(height.max(1))
}

/// Where a view is: the first wrapped line shown. Kept in bounds by [`Scroll::act`];
/// drawing clamps it again (the width may have changed since).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub offset: usize,
}

impl Scroll {
    /// Moves by `action` over `total` wrapped lines of which `height` are shown. Returns
    /// false when nothing moved (at the end, `j` does nothing).
    pub fn act(&mut self, action: Action, total: usize, height: usize) -> bool {
        let max = max_offset(total, height);
        let page = height.max(1);
        let now = self.offset.min(max);
        let next = match action {
            Action::Down => (now + 1).min(max),
            Action::Up => now.saturating_sub(1),
            Action::PageDown => (now + page).min(max),
            Action::PageUp => now.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => return false,
        };
        let moved = next != self.offset;
        self.offset = next;
        moved
    }

    /// The offset drawn for `total` lines in `height` rows.
    pub fn shown(&self, total: usize, height: usize) -> usize {
        self.offset.min(max_offset(total, height))
    }
}

/// Is `action` one of the scroll keys?
pub fn is_scroll(action: Action) -> bool {
    matches!(
        action,
        Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
    )
}

/// The counter: `all N lines` when everything fits, else the wrapped lines on screen
/// and the total, `12-31/57`.
pub fn counter(offset: usize, total: usize, height: usize) -> String {
    if total <= height {
        return match total {
            0 => "empty".into(),
            1 => "1 line".into(),
            n => format!("all {n} lines"),
        };
    }
    let first = offset.min(max_offset(total, height));
    let last = (first + height).min(total);
    format!("{}-{last}/{total}", first + 1)
}

/// The rows of wrapped `lines` a view of `height` rows shows from `scroll`, as lines to
/// draw (no further wrapping needed), and the offset used.
pub fn visible<'a>(
    t: &Theme,
    wrapped: &'a [Styled],
    scroll: Scroll,
    height: usize,
) -> (Vec<Line<'a>>, usize) {
    let offset = scroll.shown(wrapped.len(), height);
    let lines = wrapped
        .iter()
        .skip(offset)
        .take(height)
        .map(|l| {
            Line::from(
                l.iter()
                    .map(|(r, s)| Span::styled(s.as_str(), t.style(*r)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    (lines, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ls: &[Styled]) -> Vec<String> {
        ls.iter()
            .map(|l| l.iter().map(|(_, s)| s.as_str()).collect())
            .collect()
    }

    fn one(s: &str, w: usize) -> Vec<String> {
        text(&wrap_line(&[(Role::Normal, s.into())], w))
    }

    #[test]
    fn words_wrap_and_long_words_break() {
        assert_eq!(one("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(one("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(one("", 5), [""]);
        assert_eq!(one("  indented text", 20), ["  indented text"]);
        assert_eq!(one("a    b", 3), ["a", "b"]);
    }

    #[test]
    fn roles_survive_wrapping() {
        let l = vec![
            (Role::Muted, "at risk: ".into()),
            (Role::Normal, "none".into()),
        ];
        let w = wrap_line(&l, 9);
        assert_eq!(w[0], vec![(Role::Muted, "at risk:".into())]);
        assert_eq!(w[1], vec![(Role::Normal, "none".into())]);
    }

    #[test]
    fn scrolling_stops_at_the_last_page_and_the_counter_says_so() {
        let mut s = Scroll::default();
        assert!(s.act(Action::Bottom, 30, 10));
        assert_eq!(s.offset, 20);
        assert!(!s.act(Action::Down, 30, 10));
        assert_eq!(counter(s.offset, 30, 10), "21-30/30");
        assert_eq!(counter(0, 5, 10), "all 5 lines");
        assert!(!s.act(Action::Top, 5, 10) || s.offset == 0);
    }
}
