//! Where each scrollable view sits on a terminal of a given size: one set of functions
//! that the views draw with and that the updates scroll with, so that a view's page, its
//! last line and its counter agree with what is on screen. The case view's and the
//! form's own layouts are in their screens (`screens/case/layout.rs`,
//! `screens/form/layout.rs`), built from these.

use ratatui::layout::Rect;

use super::scroll::{self, Styled};

/// Smallest terminal the workbench draws in; below it a "please enlarge" message.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width on the three case panes (and the form's preview) sit side by side;
/// below, they are tabs.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// The whole terminal.
pub fn screen(size: (u16, u16)) -> Rect {
    Rect::new(0, 0, size.0, size.1)
}

/// The last row of `area` (the footer) and everything above it.
pub fn split_footer(area: Rect) -> (Rect, Rect) {
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let foot = Rect::new(
        area.x,
        area.y.saturating_add(area.height.saturating_sub(1)),
        area.width,
        area.height.min(1),
    );
    (body, foot)
}

/// Inside a bordered block.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

/// Splits `area` into rows of the given heights from the top; the last gets the rest.
pub fn rows(area: Rect, heights: &[u16]) -> Vec<Rect> {
    let mut out = Vec::with_capacity(heights.len() + 1);
    let mut y = area.y;
    let bottom = area.y.saturating_add(area.height);
    for &h in heights {
        let h = h.min(bottom.saturating_sub(y));
        out.push(Rect::new(area.x, y, area.width, h));
        y = y.saturating_add(h);
    }
    out.push(Rect::new(area.x, y, area.width, bottom.saturating_sub(y)));
    out
}

/// The help overlay's width in `area` (its text wraps at this minus the borders).
pub fn help_width(area: Rect) -> u16 {
    72u16.min(area.width)
}

/// The help overlay's box for `lines` wrapped lines, centred in `area`.
pub fn help_box(area: Rect, lines: usize) -> Rect {
    let w = help_width(area);
    let h = u16::try_from(lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// A full-screen bordered view above the footer (practice comparison, audit record,
/// invalid files): its text area.
pub fn page(size: (u16, u16)) -> Rect {
    inner(split_footer(screen(size)).0)
}

/// Wrapped `lines` in `r`: the count and the height to scroll over.
pub fn measure(lines: &[Styled], r: Rect) -> (usize, usize) {
    (
        scroll::wrap(lines, r.width as usize).len(),
        r.height as usize,
    )
}
