//! The queue: one row per case, most urgent first. Only the rows on screen are built, so
//! a frame costs the same with 20 cases or 10,000.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::filter::match_positions;
use super::{Heading, Load, LogLoad, QueueState, Row};
use crate::present::words;
use crate::tui::fit::{distinct, fit, width};
use crate::tui::keymap::{Action, Context};
use crate::tui::layout::{rows, split_footer};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{Look, footer, span};

#[derive(Clone, Copy, PartialEq)]
enum Col {
    /// The cursor `>`, then the marks: `D` a saved draft, `P` a practice case (letters,
    /// not colour; no space between, so at 80 columns the kind column still fits).
    Marker,
    Id,
    Kind,
    Status,
    Received,
    Due,
    Left,
    Requester,
    Title,
}

impl Col {
    fn width(self) -> u16 {
        match self {
            Col::Marker => 3,
            Col::Id => 14,
            Col::Kind => 7,
            Col::Status => 8,
            Col::Received | Col::Due => 10,
            Col::Left => 8,
            Col::Requester => 18,
            Col::Title => 0,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Col::Marker => "",
            Col::Id => "id",
            Col::Kind => "kind",
            Col::Status => "status",
            Col::Received => "received",
            Col::Due => "due",
            Col::Left => "left",
            Col::Requester => "requester",
            Col::Title => "title",
        }
    }
}

/// The columns that fit: the least needed go first when the title would get too narrow.
fn columns(width: u16) -> Vec<Col> {
    use Col::*;
    let mut cols = vec![
        Marker, Id, Kind, Status, Received, Due, Left, Requester, Title,
    ];
    for drop in [Received, Requester, Kind, Due] {
        let used: u16 = cols.iter().map(|c| c.width() + 1).sum();
        if width.saturating_sub(used) >= 22 {
            break;
        }
        cols.retain(|c| *c != drop);
    }
    cols
}

pub fn draw(
    look: Look,
    head: &Heading,
    q: &QueueState,
    all: &[Row],
    frame: &mut Frame,
    area: Rect,
) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    let parts = rows(body, &[1, 1]);

    // Title line: where we are and what is filtered.
    // What is filtered comes first: at 80 columns the directory's path is cut with `…`,
    // never the status filter or the `/` pattern being typed.
    let mut title = Vec::new();
    if let Some(note) = head.library_note {
        title.push(span(t, Role::Warning, format!("{note} · ")));
    }
    title.extend([span(
        t,
        Role::Normal,
        format!("{} of {} cases", q.visible.len(), all.len()),
    )]);
    if let Some(s) = q.status {
        title.push(span(
            t,
            Role::Focus,
            format!(" · status: {}", words::status(s).0),
        ));
    }
    if q.practice_only {
        title.push(span(t, Role::Focus, " · practice only"));
    }
    // The legend of the marks, only for marks on this list.
    let rows_of = || q.visible.iter().filter_map(|&i| all.get(i));
    if rows_of().any(|r| r.draft) {
        title.push(span(t, Role::Muted, " · D draft"));
    }
    if rows_of().any(|r| r.practice) {
        title.push(span(t, Role::Muted, " · P practice"));
    }
    if q.filtering || !q.filter.is_empty() {
        title.push(span(t, Role::Focus, format!(" · /{}", q.filter)));
        if q.filtering {
            title.push(span(t, Role::Marker, "▏"));
        }
    }
    let rest: usize = title.iter().map(|s| width(&s.content)).sum();
    let room = (parts[0].width as usize).saturating_sub(rest + width("casebench ·  · "));
    let mut line = vec![
        span(t, Role::Title, "casebench"),
        span(
            t,
            Role::Muted,
            format!(" · {} · ", fit(head.cases_dir, room.max(1))),
        ),
    ];
    line.extend(title);
    // The path gave way first; if the rest is still too wide, the line ends with `…`.
    let line = crate::tui::widgets::fit_line(Line::from(line), usize::from(parts[0].width));
    frame.render_widget(Paragraph::new(line), parts[0]);

    // Status line: loading progress, or the decision log being read (first: it passes)
    // and the invalid files one key away.
    let mut status = log_status(t, head.log);
    match head.load {
        Load::Loading { done, total } => {
            status = vec![span(
                t,
                Role::Warning,
                format!("loading cases… {done} of {total} files"),
            )]
        }
        Load::Failed(e) => status = vec![span(t, Role::Error, format!("cannot load: {e}"))],
        Load::Ready => {
            let key = look.keymap.first_key(Context::Queue, Action::ShowInvalid);
            let used: usize = status.iter().map(|s| s.content.chars().count()).sum();
            let left = usize::from(parts[1].width).saturating_sub(used);
            status.extend(ready_status(t, head, &key, left));
        }
    }
    let status = Line::from(status);
    frame.render_widget(Paragraph::new(status), parts[1]);

    table(t, head.load, q, all, frame, parts[2]);
    footer(
        look,
        frame,
        foot,
        Context::Queue,
        &[
            Action::Open,
            Action::NewCase,
            Action::EditCase,
            Action::Filter,
            Action::StatusFilter,
            Action::ShowInvalid,
            Action::Quit,
        ],
        None,
    );
}

/// The status line once the cases are loaded: what is overdue, due this week and
/// awaiting provision (the counts of `casebench due`), then the case files' state. The
/// longest wording that fits `width` (the invalid files' line and then the counts are
/// shortened, the awaiting-provision count appears only when there is one), so that an
/// 80-column terminal keeps it on its one line.
fn ready_status(
    t: &Theme,
    head: &Heading,
    key: &str,
    width: usize,
) -> Vec<ratatui::text::Span<'static>> {
    let r = head.reminders;
    let counts = |short: bool| -> Vec<(Role, String)> {
        let mut v = vec![
            (
                if r.overdue > 0 { Role::Error } else { Role::Ok },
                format!("{} overdue", r.overdue),
            ),
            (Role::Muted, " · ".into()),
            (
                if r.due_soon > 0 {
                    Role::Warning
                } else {
                    Role::Ok
                },
                if short {
                    format!("{} due ≤7d", r.due_soon)
                } else {
                    format!("{} due this week", r.due_soon)
                },
            ),
        ];
        if r.awaiting_provision > 0 {
            v.extend([
                (Role::Muted, " · ".into()),
                (
                    Role::Warning,
                    if short {
                        format!("{} to provide", r.awaiting_provision)
                    } else {
                        format!("{} awaiting provision", r.awaiting_provision)
                    },
                ),
            ]);
        }
        v.push((Role::Muted, " · ".into()));
        v
    };
    let files = |short: bool| -> Vec<(Role, String)> {
        match (head.invalid, short) {
            (0, false) => vec![(Role::Ok, "all case files valid".into())],
            (0, true) => vec![(Role::Ok, "files valid".into())],
            (n, false) => vec![
                (
                    Role::Error,
                    format!("!! {n} case file(s) invalid and not listed"),
                ),
                (Role::Muted, " — ".into()),
                (Role::Key, key.to_string()),
                (Role::Muted, " lists them with their errors".into()),
            ],
            (n, true) => vec![
                (Role::Error, format!("!! {n} invalid")),
                (Role::Muted, " — ".into()),
                (Role::Key, key.to_string()),
                (Role::Muted, " lists them".into()),
            ],
        }
    };
    let wide = |v: &[(Role, String)]| v.iter().map(|(_, s)| s.chars().count()).sum::<usize>();
    let chosen = [(false, false), (false, true), (true, true)]
        .into_iter()
        .map(|(short_counts, short_files)| {
            let mut v = counts(short_counts);
            v.extend(files(short_files));
            v
        })
        .find(|v| wide(v) <= width)
        .unwrap_or_else(|| {
            let mut v = counts(true);
            v.pop();
            v
        });
    chosen
        .into_iter()
        .map(|(role, text)| span(t, role, text))
        .collect()
}

/// The decision log's reading, for the status line (empty when there is nothing to say).
fn log_status(t: &Theme, log: &LogLoad) -> Vec<ratatui::text::Span<'static>> {
    let (role, text) = match log {
        LogLoad::Idle => return Vec::new(),
        LogLoad::Reading => (Role::Warning, "reading the decision log…".to_string()),
        LogLoad::Verifying { total: 0 } => (
            Role::Warning,
            "verifying the log… proposals are offered once verified".to_string(),
        ),
        LogLoad::Verifying { total } => (
            Role::Warning,
            format!("verifying the log… {total} records; proposals are offered once verified"),
        ),
        LogLoad::Unverified(e) => (
            Role::Error,
            format!("!! decision log not verified, no proposal offered: {e}"),
        ),
    };
    vec![span(t, role, text), span(t, Role::Muted, " · ")]
}

/// The marks of a row: `D` draft, `P` practice.
fn flags(r: &Row) -> &'static str {
    match (r.draft, r.practice) {
        (true, true) => "DP",
        (true, false) => "D",
        (false, true) => "P",
        (false, false) => "",
    }
}

/// The table, cell by cell straight into the buffer: no widget tree, no layout solver,
/// no allocation per cell (this runs on every frame; see benches/render.rs).
fn table(t: &Theme, load: &Load, q: &QueueState, all: &[Row], frame: &mut Frame, area: Rect) {
    let cols = columns(area.width);
    // Column x positions: fixed widths and one space between; the title takes the rest.
    let mut xs = Vec::with_capacity(cols.len());
    let mut x = area.x;
    let right = area.x.saturating_add(area.width);
    for c in &cols {
        let w = match c {
            Col::Title => right.saturating_sub(x),
            c => c.width().min(right.saturating_sub(x)),
        };
        xs.push((x, w));
        x = x.saturating_add(w).saturating_add(1).min(right);
    }
    let normal = t.style(Role::Normal);
    let buf = frame.buffer_mut();
    buf.set_style(area, normal);
    if area.height == 0 {
        return;
    }
    let header = t.style(Role::Header);
    buf.set_style(Rect::new(area.x, area.y, area.width, 1), header);
    for (c, &(x, w)) in cols.iter().zip(&xs) {
        buf.set_stringn(x, area.y, c.name(), w as usize, header);
    }
    let page = area.height.saturating_sub(1) as usize;
    let end = (q.offset + page).min(q.visible.len());
    let start = q.offset.min(end);
    // Cut text ends with `…`, and rows on screen whose titles (or requesters) differ
    // never look the same.
    let shown = &q.visible[start..end];
    let width_of = |col: Col| {
        cols.iter()
            .zip(&xs)
            .find(|(c, _)| **c == col)
            .map_or(0, |(_, &(_, w))| w as usize)
    };
    let column = |col: Col, text: fn(&Row) -> &str| {
        let texts: Vec<&str> = shown
            .iter()
            .map(|&ri| all.get(ri).map_or("", text))
            .collect();
        distinct(&texts, width_of(col))
    };
    let titles = column(Col::Title, |r| r.title.as_str());
    let requesters = column(Col::Requester, |r| r.requester.as_str());
    // What the fuzzy filter matched in each row on screen, to highlight it.
    let hits: Vec<Vec<usize>> = if q.filter.is_empty() {
        Vec::new()
    } else {
        let hays: Vec<&str> = shown
            .iter()
            .map(|&ri| all.get(ri).map_or("", |r| r.haystack.as_str()))
            .collect();
        match_positions(&q.filter, &hays)
    };
    for (n, &ri) in shown.iter().enumerate() {
        let Some(r) = all.get(ri) else {
            continue;
        };
        let y = area.y + 1 + n as u16;
        let selected = start + n == q.selected;
        for (c, &(x, w)) in cols.iter().zip(&xs) {
            let (text, style): (&str, _) = match c {
                Col::Marker => {
                    let (cursor, style) = if selected {
                        (">", t.selected())
                    } else {
                        (" ", normal)
                    };
                    buf.set_stringn(x, y, cursor, 1, style);
                    let w = w.saturating_sub(1) as usize;
                    buf.set_stringn(x + 1, y, flags(r), w, t.style(Role::Warning));
                    continue;
                }
                Col::Id if selected => (r.id.as_str(), t.selected()),
                Col::Id => (r.id.as_str(), normal),
                Col::Kind => (words::kind(r.kind), normal),
                Col::Status => {
                    let (s, tone) = words::status(r.status);
                    (s, t.style(Role::of_deadline(tone)))
                }
                Col::Received => (r.received.as_str(), normal),
                Col::Due => (r.due.as_str(), normal),
                Col::Left => {
                    let (s, tone) = words::days_left(r.status, r.days_left, r.kind);
                    buf.set_stringn(x, y, &s, w as usize, t.style(Role::of_deadline(tone)));
                    continue;
                }
                Col::Requester => (requesters[n].as_str(), normal),
                Col::Title => (titles[n].as_str(), normal),
            };
            buf.set_stringn(x, y, text, w as usize, style);
            if let Some(h) = hits.get(n) {
                mark_matches(buf, (x, y, w), r, *c, text, h);
            }
        }
    }
    if q.visible.is_empty() && matches!(load, Load::Ready) {
        let msg = if all.is_empty() {
            "No cases in this directory."
        } else {
            "No case matches the filter (Esc clears it)."
        };
        let r = rows(area, &[1]);
        frame.render_widget(Paragraph::new(span(t, Role::Muted, msg)), r[1]);
    }
}

/// Shows the characters the filter matched in a cell (reverse video and underline over
/// the cell's style). The haystack is `id requester title kind` (`Row::haystack`); a cell
/// cut with `…` keeps the marks of the part shown; the kind column (a short form of the
/// kind matched) and a cell cut in its middle (`fit::distinct`) show none.
fn mark_matches(
    buf: &mut ratatui::buffer::Buffer,
    (x, y, w): (u16, u16, u16),
    r: &Row,
    col: Col,
    shown: &str,
    hits: &[usize],
) {
    use unicode_width::UnicodeWidthChar;
    let fields = [
        (Col::Id, r.id.as_str()),
        (Col::Requester, r.requester.as_str()),
        (Col::Title, r.title.as_str()),
    ];
    let mut start = 0;
    let mut field = None;
    for (c, text) in fields {
        if c == col {
            field = Some(text);
            break;
        }
        start += text.chars().count() + 1;
    }
    let Some(full) = field else {
        return;
    };
    // The part of the field the cell shows, from its start.
    let kept = shown.strip_suffix('…').unwrap_or(shown);
    if !full.starts_with(kept) {
        return;
    }
    let n = kept.chars().count();
    let style = ratatui::style::Style::new()
        .add_modifier(ratatui::style::Modifier::REVERSED | ratatui::style::Modifier::UNDERLINED);
    let mut off: u16 = 0;
    for (i, ch) in kept.chars().enumerate().take(n) {
        let cw = ch.width().unwrap_or(0) as u16;
        if hits.binary_search(&(start + i)).is_ok() && off + cw <= w && cw > 0 {
            buf.set_style(Rect::new(x + off, y, cw, 1), style);
        }
        off += cw;
    }
}
