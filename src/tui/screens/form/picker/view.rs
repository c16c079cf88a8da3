//! The grounds picker's box over the decision form: the filter, the legend, then each
//! ground with its marks, code, meaning and citation (on one line with the meaning when
//! wide enough, else on their own lines), the selected one in reverse video.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::{Choice, Picker};
use crate::tui::fit::width;
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{fit_line, marked, span};

/// Marks before a code: it holds for this case (the advisor), it is already there.
pub const HOLDS: &str = "*";
pub const PRESENT: &str = "✓";

/// The box: over the form, under its title line and above the footer.
pub fn rect(area: Rect) -> Rect {
    let (body, _) = crate::tui::layout::split_footer(area);
    Rect::new(
        body.x,
        body.y + 1,
        body.width,
        body.height.saturating_sub(1),
    )
}

/// The box over the form; `present(code)` says whether a code is already where the pick
/// would put it (marked `✓`).
pub fn draw(t: &Theme, p: &Picker, present: &dyn Fn(&str) -> bool, frame: &mut Frame, area: Rect) {
    let r = rect(area);
    let inner = crate::tui::layout::inner(r);
    let cols = inner.width as usize;
    let mut lines: Vec<Line> = vec![
        fit_line(
            Line::from(vec![
                span(t, Role::Muted, "filter: "),
                span(t, Role::Focus, p.query.as_str()),
                span(t, Role::Marker, "▏"),
                span(
                    t,
                    Role::Muted,
                    format!("  {} of {} grounds", p.shown.len(), p.choices.len()),
                ),
            ]),
            cols,
        ),
        fit_line(legend(t), cols),
    ];
    // The picker's status (why there are no marks) on a line of its own, wrapped: at 80
    // columns it is never cut behind the legend.
    if let Some(note) = &p.note {
        for l in crate::tui::scroll::wrap_line(&[(Role::Warning, note.clone())], cols.max(1)) {
            lines.push(Line::from(
                l.into_iter()
                    .map(|(role, text)| span(t, role, text))
                    .collect::<Vec<_>>(),
            ));
        }
    }
    let list_h = (inner.height as usize).saturating_sub(lines.len());
    let code_w = p
        .choices
        .iter()
        .map(|c| width(&c.code))
        .max()
        .unwrap_or(0)
        .min(32);
    let meaning_w = p
        .choices
        .iter()
        .map(|c| width(&c.meaning))
        .max()
        .unwrap_or(0);
    // Code and meaning on one line when they fit, else each on its own.
    let wide = cols >= 4 + code_w + 2 + meaning_w;
    let per = if wide { 2 } else { 3 };
    // The selected ground's citation is shown whole (wrapped); the others are cut.
    let citation = |c: &Choice| -> Vec<String> {
        crate::tui::scroll::wrap_line(
            &[(Role::Muted, format!("[{}]", c.citation))],
            cols.saturating_sub(4).max(1),
        )
        .into_iter()
        .map(|l| l.into_iter().map(|(_, s)| s).collect())
        .collect()
    };
    let height_of = |n: usize| -> usize {
        let whole = n == p.selected;
        match p.shown.get(n).and_then(|(i, _)| p.choices.get(*i)) {
            Some(c) if whole => per - 1 + citation(c).len(),
            _ => per,
        }
    };
    // The first entry drawn: as late as needed for the selected one to fit whole.
    let mut first = p.selected;
    let mut used = height_of(first);
    while first > 0 && used + height_of(first - 1) <= list_h {
        first -= 1;
        used += height_of(first);
    }
    // Start at the top when everything up to the selection fits.
    if (0..=p.selected).map(height_of).sum::<usize>() <= list_h {
        first = 0;
    }
    if p.shown.is_empty() {
        lines.push(Line::from(span(
            t,
            Role::Muted,
            "No ground matches the filter (Backspace widens it, Esc cancels).",
        )));
    }
    for (n, (i, hits)) in p.shown.iter().enumerate().skip(first) {
        if lines.len() >= inner.height as usize {
            break;
        }
        let Some(c) = p.choices.get(*i) else {
            continue;
        };
        let selected = n == p.selected;
        let base = if selected {
            t.selected()
        } else {
            t.style(Role::Normal)
        };
        let code_n = c.code.chars().count();
        let in_code: Vec<usize> = hits.iter().copied().filter(|&h| h < code_n).collect();
        let in_meaning: Vec<usize> = hits
            .iter()
            .filter(|&&h| h > code_n)
            .map(|h| h - code_n - 1)
            .collect();
        let mut first_line = vec![
            Span::styled(if selected { ">" } else { " " }, base),
            span(t, Role::Marker, if c.holds { HOLDS } else { " " }),
            span(t, Role::Ok, if present(&c.code) { PRESENT } else { " " }),
            Span::raw(" "),
        ];
        first_line.extend(marked(&c.code, &in_code, base));
        let meaning = marked(&c.meaning, &in_meaning, t.style(Role::Normal));
        if wide {
            let pad = code_w.saturating_sub(width(&c.code)) + 2;
            first_line.push(Span::raw(" ".repeat(pad)));
            first_line.extend(meaning);
            lines.push(fit_line(Line::from(first_line), cols));
        } else {
            lines.push(fit_line(Line::from(first_line), cols));
            let mut l = vec![Span::raw("    ")];
            l.extend(meaning);
            lines.push(fit_line(Line::from(l), cols));
        }
        let cited = if selected {
            citation(c)
        } else {
            vec![format!("[{}]", c.citation)]
        };
        for text in cited {
            lines.push(fit_line(
                Line::from(vec![Span::raw("    "), span(t, Role::Muted, text)]),
                cols,
            ));
        }
    }
    lines.truncate(inner.height as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(t.style(Role::Focus))
        .title(span(t, Role::Title, format!(" {} ", p.title)))
        .title_bottom(
            Line::from(vec![
                span(t, Role::Key, " Enter"),
                span(t, Role::Muted, " picks  "),
                span(t, Role::Key, "Esc"),
                span(t, Role::Muted, " cancels  "),
                span(t, Role::Key, "↑/↓"),
                span(t, Role::Muted, " move  type to filter "),
            ])
            .right_aligned(),
        );
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .style(t.style(Role::Normal))
            .block(block),
        r,
    );
}

/// What the marks mean.
fn legend<'a>(t: &Theme) -> Line<'a> {
    let v = vec![
        span(t, Role::Marker, HOLDS),
        span(
            t,
            Role::Muted,
            " holds for this case (advisor, listed first)  ",
        ),
        span(t, Role::Ok, PRESENT),
        span(t, Role::Muted, " already there"),
    ];
    Line::from(v)
}
