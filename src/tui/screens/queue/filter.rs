//! The queue's visible rows: the status, practice and fuzzy filters, and the selection
//! kept on screen.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::{QueueState, Row};
use crate::tui::keymap::Action;

/// Recomputes the visible rows from the status filter and the fuzzy filter. The fuzzy
/// filter narrows without reordering: the most urgent match stays on top.
pub fn refilter(q: &mut QueueState, rows: &[Row], page: usize) {
    let selected_index = q.selected_row(rows).map(|r| r.index);
    let pattern = Pattern::parse(&q.filter, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let status = q.status;
    let mut best: Option<(u32, usize)> = None;
    q.visible.clear();
    for (i, r) in rows.iter().enumerate() {
        if status.is_some_and(|s| r.status != s) || (q.practice_only && !r.practice) {
            continue;
        }
        if !q.filter.is_empty() {
            let Some(score) = pattern.score(Utf32Str::new(&r.haystack, &mut buf), &mut matcher)
            else {
                continue;
            };
            if best.is_none_or(|(b, _)| score > b) {
                best = Some((score, q.visible.len()));
            }
        }
        q.visible.push(i);
    }
    // While typing a filter the cursor goes to the best match (an exact id wins), the
    // order stays by urgency; otherwise the same case stays selected when still visible.
    q.selected = match best {
        Some((_, pos)) if q.filtering => pos,
        _ => selected_index
            .and_then(|idx| q.visible.iter().position(|&v| rows[v].index == idx))
            .unwrap_or(0),
    };
    keep_selection_visible(q, page);
}

/// The characters of each of `haystacks` that the queue's fuzzy `filter` matches (char
/// positions, sorted; empty when it does not match), for the rows on screen: the same
/// pattern and matcher as [`refilter`].
pub fn match_positions(filter: &str, haystacks: &[&str]) -> Vec<Vec<usize>> {
    let pattern = Pattern::parse(filter, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    haystacks
        .iter()
        .map(|hay| {
            let mut idx = Vec::new();
            if pattern
                .indices(Utf32Str::new(hay, &mut buf), &mut matcher, &mut idx)
                .is_none()
                // Positions count graphemes: unusable if a mark combines with a letter.
                || hay.chars().count() != Utf32Str::new(hay, &mut buf).len()
            {
                return Vec::new();
            }
            let mut idx: Vec<usize> = idx.into_iter().map(|i| i as usize).collect();
            idx.sort_unstable();
            idx.dedup();
            idx
        })
        .collect()
}

/// Keeps the cursor on a visible row, and that row on screen (`page` rows).
pub fn keep_selection_visible(q: &mut QueueState, page: usize) {
    q.selected = q.selected.min(q.visible.len().saturating_sub(1));
    q.offset = scroll_to_show(q.offset, q.selected, q.visible.len(), page);
}

/// The queue's scroll rule: the first row shown for the cursor at `selected` of `len`
/// rows, `page` rows on screen. The rows stay put while the cursor is on screen; when it
/// leaves, they move so that it lands mid-screen (half a page), not on the edge: moving
/// row by row then repaints the table once every half page instead of on every key (a
/// full repaint is ~9.7 KB at 200×60; docs/PERFORMANCE.md).
pub fn scroll_to_show(offset: usize, selected: usize, len: usize, page: usize) -> usize {
    let page = page.max(1);
    let max = len.saturating_sub(page);
    let offset = offset.min(max);
    if (offset..offset + page).contains(&selected) {
        return offset;
    }
    selected.saturating_sub(page / 2).min(max)
}

pub fn move_by(pos: usize, len: usize, action: Action, page: usize) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Down => (pos + 1).min(last),
        Action::Up => pos.saturating_sub(1),
        Action::PageDown => (pos + page).min(last),
        Action::PageUp => pos.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        _ => pos,
    }
}

#[cfg(test)]
mod tests {
    use super::scroll_to_show;

    #[test]
    fn the_cursor_stays_visible_and_the_rows_move_only_when_it_leaves_the_screen() {
        for len in 0..30usize {
            for page in 1..10usize {
                let max = len.saturating_sub(page);
                for offset in 0..=max {
                    for selected in 0..len.max(1) {
                        let new = scroll_to_show(offset, selected, len, page);
                        let ctx = format!("len {len} page {page} offset {offset} sel {selected}");
                        assert!(new <= max, "{ctx}");
                        if len == 0 {
                            assert_eq!(new, 0, "{ctx}");
                            continue;
                        }
                        assert!(new <= selected && selected < new + page, "{ctx}: {new}");
                        if offset <= selected && selected < offset + page {
                            assert_eq!(new, offset, "{ctx}: moved while on screen");
                        } else {
                            // Left the screen: mid-screen, unless the list's end is near.
                            let mid = new + page / 2;
                            assert!(selected == mid || new == 0 || new == max, "{ctx}: {new}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn scrolling_row_by_row_moves_the_rows_once_every_half_page() {
        let (len, page) = (1000, 56);
        let (mut offset, mut moves) = (0, 0);
        for selected in 0..len {
            let new = scroll_to_show(offset, selected, len, page);
            moves += usize::from(new != offset);
            offset = new;
        }
        // The first move after the first page, then one per half page.
        assert_eq!(moves, (len - page) / (page / 2) + 1);
        assert_eq!(offset, len - page);
        // Up again: the same rule the other way.
        for selected in (0..len).rev() {
            offset = scroll_to_show(offset, selected, len, page);
            assert!(offset <= selected && selected < offset + page);
        }
        assert_eq!(offset, 0);
    }
}
