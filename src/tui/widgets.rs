//! The pieces every view draws with: styled spans, the footer with its key hints, the
//! one drawing of a scrollable text (border, wrapped lines, counter), search marks, the
//! outcome box. Pure: they lay out what they are given. The screens' views sit above
//! this module; the root's `app::view` composes them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::fit::{fit, width};
use super::keymap::{Action, Context, Keymap};
use super::layout::split_footer;
use super::scroll::{self, Scroll};
use super::step::Banner;
use super::theme::{Role, Theme};

/// What every view draws with besides its own state: the theme, the keys (for the
/// footer's hints) and the message line.
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub message: Option<&'a (Role, String)>,
}

pub fn span<'a>(theme: &Theme, role: Role, text: impl Into<std::borrow::Cow<'a, str>>) -> Span<'a> {
    Span::styled(text.into(), theme.style(role))
}

/// The bottom line: the message if there is one (cut with `…` if it must be), else the
/// screen's main keys, as many as fit beside `right` (a hint kept at the right end).
pub fn footer(
    look: Look,
    frame: &mut Frame,
    area: Rect,
    ctx: Context,
    keys: &[Action],
    right: Option<(Role, &str)>,
) {
    let t = look.theme;
    let total = area.width as usize;
    let right_w = right.map_or(0, |(_, r)| width(r) + 1).min(total);
    let room = total - right_w;
    let line = match look.message {
        Some((role, text)) => Line::from(span(t, *role, fit(text, room))),
        None => {
            let mut spans = Vec::new();
            let mut used = 0;
            for a in keys.iter().chain([Action::Help].iter()) {
                let k = look.keymap.first_key(ctx, *a);
                // In words: a keys.yaml name (`reviewer_filter`) never reaches the footer.
                let label = format!(" {}  ", short(*a).replace('_', " "));
                let w = width(&k) + width(&label);
                if used + w > room {
                    break;
                }
                used += w;
                spans.push(span(t, Role::Key, k));
                spans.push(span(t, Role::Muted, label));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line).style(t.style(Role::Normal)), area);
    if let Some((role, text)) = right.filter(|_| right_w > 0) {
        let text = fit(text, right_w - 1);
        let w = u16::try_from(width(&text))
            .unwrap_or(area.width)
            .min(area.width);
        let r = Rect::new(area.x + area.width - w, area.y, w, area.height);
        frame.render_widget(Paragraph::new(span(t, role, text)), r);
    }
}

/// `line` cut to `cols` columns, ending with `…` where something was cut.
pub fn fit_line(line: Line<'_>, cols: usize) -> Line<'_> {
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    if total <= cols {
        return line;
    }
    let mut left = cols.saturating_sub(1);
    let mut spans = Vec::new();
    let mut last_style = ratatui::style::Style::default();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let w = width(&s.content);
        last_style = s.style;
        if w <= left {
            left -= w;
            spans.push(s);
        } else {
            // `fit` to left + 1 gives `left` columns and the `…`; drop its `…` here.
            let cut = fit(&s.content, left + 1);
            let cut = cut.strip_suffix('…').unwrap_or(&cut).to_string();
            spans.push(Span::styled(cut, s.style));
            left = 0;
        }
    }
    if cols > 0 {
        spans.push(Span::styled("…", last_style));
    }
    Line::from(spans)
}

/// A search or filter match: reverse video and underline over the text's own style, so
/// that it shows in every theme, monochrome and `NO_COLOR` included.
pub fn matched(base: ratatui::style::Style) -> ratatui::style::Style {
    use ratatui::style::Modifier;
    base.add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
}

/// `line` with the characters in `ranges` (`(column, length, current)`) as matches.
fn restyle<'a>(line: Line<'a>, ranges: &[(usize, usize, bool)]) -> Line<'a> {
    use ratatui::style::Modifier;
    let mut out: Vec<Span> = Vec::new();
    let mut col = 0;
    for s in line.spans {
        let mut run = String::new();
        let mut run_style = s.style;
        for c in s.content.chars() {
            let style = match ranges.iter().find(|(a, l, _)| col >= *a && col < a + l) {
                Some((_, _, true)) => matched(s.style).add_modifier(Modifier::BOLD),
                Some(_) => matched(s.style),
                None => s.style,
            };
            if style != run_style && !run.is_empty() {
                out.push(Span::styled(std::mem::take(&mut run), run_style));
            }
            run_style = style;
            run.push(c);
            col += 1;
        }
        if !run.is_empty() {
            out.push(Span::styled(run, run_style));
        }
    }
    Line::from(out)
}

/// `text` in `base`, the characters at `hits` (char positions, sorted) as matches.
pub fn marked<'a>(text: &str, hits: &[usize], base: ratatui::style::Style) -> Vec<Span<'a>> {
    if hits.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let hit = matched(base);
    let mut out: Vec<Span> = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let h = hits.binary_search(&i).is_ok();
        if h != run_hit && !run.is_empty() {
            out.push(Span::styled(
                std::mem::take(&mut run),
                if run_hit { hit } else { base },
            ));
        }
        run_hit = h;
        run.push(c);
    }
    if !run.is_empty() {
        out.push(Span::styled(run, if run_hit { hit } else { base }));
    }
    out
}

/// Short names for the footer hints.
fn short(a: Action) -> &'static str {
    match a {
        Action::Open => "open",
        Action::Filter => "filter",
        Action::StatusFilter => "status",
        Action::ShowInvalid => "invalid",
        Action::Quit => "quit",
        Action::Back => "back",
        Action::NextPane => "pane",
        Action::Decide => "decide",
        Action::Advisor => "advisor",
        Action::Edit => "edit",
        Action::Toggle => "toggle",
        Action::AddDisclosure => "add disclosure",
        Action::Help => "help",
        Action::Sign => "sign",
        Action::Findings => "findings",
        Action::PickGround => "pick ground",
        Action::Search => "search",
        Action::NextMatch => "next match",
        Action::Record => "record",
        Action::ReloadCases => "reload",
        Action::NewCase => "new case",
        Action::EditCase => "edit",
        Action::Answer => "answer",
        Action::PrevQuestion => "previous",
        Action::LeaveIntake => "leave",
        Action::WriteCase => "write the case",
        Action::ReviewerFilter => "reviewer",
        Action::OutcomeFilter => "outcome",
        Action::ProblemsOnly => "problems",
        Action::OverriddenOnly => "overridden",
        Action::ClearFilters => "clear filters",
        other => other.name(),
    }
}

/// A bordered block with `title` and, at the bottom right, the scroll counter.
pub fn scroll_block<'a>(
    t: &Theme,
    title: Line<'a>,
    border: Role,
    counter: Option<String>,
) -> Block<'a> {
    let mut b = Block::default()
        .borders(Borders::ALL)
        .border_style(t.style(border))
        .title(title);
    if border == Role::Focus {
        b = b.border_type(ratatui::widgets::BorderType::Thick);
    }
    if let Some(c) = counter {
        b = b.title_bottom(Line::from(span(t, Role::Muted, format!(" {c} "))).right_aligned());
    }
    b
}

/// Draws `lines` wrapped and scrolled inside a bordered block in `rect`, with the
/// counter; the one drawing of every scrollable view.
pub fn scrolled(
    t: &Theme,
    frame: &mut Frame,
    rect: Rect,
    title: Line<'_>,
    border: Role,
    lines: &[scroll::Styled],
    at: Scroll,
) {
    scrolled_marked(t, frame, rect, title, border, lines, at, &[]);
}

/// A whole screen that is one scrollable text (the record view, the practice
/// comparison): the text under `title`, and the footer with the screen's scroll keys.
pub fn text_page(
    look: Look,
    frame: &mut Frame,
    area: Rect,
    ctx: Context,
    title: String,
    lines: &[scroll::Styled],
    at: Scroll,
) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    scrolled(
        t,
        frame,
        body,
        Line::from(span(t, Role::Title, title)),
        Role::Border,
        lines,
        at,
    );
    footer(
        look,
        frame,
        foot,
        ctx,
        &[Action::Down, Action::Bottom, Action::Back],
        None,
    );
}

/// A search match to show on a wrapped line: `(line, column, length, current)`.
pub type Mark = (usize, usize, usize, bool);

/// [`scrolled`], with the search's matches shown (see [`matched`]; the current one bold
/// as well).
#[allow(clippy::too_many_arguments)]
pub fn scrolled_marked(
    t: &Theme,
    frame: &mut Frame,
    rect: Rect,
    title: Line<'_>,
    border: Role,
    lines: &[scroll::Styled],
    at: Scroll,
    marks: &[Mark],
) {
    let inner = super::layout::inner(rect);
    let wrapped = scroll::wrap(lines, inner.width as usize);
    let height = inner.height as usize;
    let (mut shown, offset) = scroll::visible(t, &wrapped, at, height);
    if !marks.is_empty() {
        for (k, line) in shown.iter_mut().enumerate() {
            let on: Vec<(usize, usize, bool)> = marks
                .iter()
                .filter(|m| m.0 == offset + k)
                .map(|m| (m.1, m.2, m.3))
                .collect();
            if !on.is_empty() {
                *line = restyle(std::mem::take(line), &on);
            }
        }
    }
    let counter = scroll::counter(offset, wrapped.len(), height);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(shown)
            .style(t.style(Role::Normal))
            .block(scroll_block(t, title, border, Some(counter))),
        rect,
    );
}

/// The outcome message's box, just above the footer, the whole text wrapped.
pub fn banner(t: &Theme, b: &Banner, frame: &mut Frame, area: Rect) {
    let (body, _) = split_footer(area);
    let w = body.width;
    let text: Vec<scroll::Styled> = b
        .text
        .split('\n')
        .map(|l| vec![(b.role, l.to_string())])
        .collect();
    let wrapped = scroll::wrap(&text, w.saturating_sub(2) as usize);
    let h = u16::try_from(wrapped.len() + 2)
        .unwrap_or(u16::MAX)
        .min(body.height);
    let rect = Rect::new(body.x, body.y + body.height - h, w, h);
    let title = Line::from(vec![
        span(t, b.role, format!(" {} ", b.title)),
        span(t, Role::Muted, "(Enter or Esc closes) "),
    ]);
    let (shown, _) = scroll::visible(t, &wrapped, Scroll::default(), h.saturating_sub(2) as usize);
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(shown).style(t.style(Role::Normal)).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style(b.role))
                .title(title),
        ),
        rect,
    );
}
