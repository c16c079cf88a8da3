//! The audit screen: heading and filters, the log table with a verification mark per
//! record (a word, coloured by role) and the charts (Enter: `views/record.rs`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, Table};

use super::{AuditLine, AuditView, Charts, DateField, split_heights};
use crate::tui::fit::distinct;
use crate::tui::keymap::{Action, Context};
use crate::tui::layout::{rows, split_footer};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{Look, fit_line, footer, scrolled, span};

const KEYS: &[Action] = &[
    Action::Open,
    Action::ReviewerFilter,
    Action::OutcomeFilter,
    Action::ProblemsOnly,
    Action::Checkpoint,
    Action::Back,
];

/// On a `--sites` mirror: the site filter instead of the checkpoint (read-only).
const SITES_KEYS: &[Action] = &[
    Action::Open,
    Action::SiteFilter,
    Action::ReviewerFilter,
    Action::ProblemsOnly,
    Action::Back,
];

pub fn draw(look: Look, view: Option<&AuditView>, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    let Some(view) = view else {
        footer(look, frame, foot, Context::Audit, KEYS, None);
        return;
    };
    let keys = if view.sites.is_some() {
        SITES_KEYS
    } else {
        KEYS
    };
    footer(look, frame, foot, Context::Audit, keys, None);
    if view.report.is_none() {
        let text = match &view.error {
            Some(e) => span(t, Role::Error, format!("cannot build the audit: {e}")),
            None => span(t, Role::Muted, "verifying the decision log..."),
        };
        frame.render_widget(
            Paragraph::new(Line::from(text)).block(block(t, " Audit ")),
            body,
        );
        return;
    }
    if let Some(d) = &view.detail {
        let title = match &d.site {
            Some(site) => format!(" Site {site}, record {} (Esc back) ", d.seq),
            None => format!(" Record {} (Esc back) ", d.seq),
        };
        let lines: Vec<crate::tui::scroll::Styled> = match &d.lines {
            None => vec![vec![(Role::Muted, "reading the record...".to_string())]],
            Some(ls) => ls.iter().map(|l| vec![l.clone()]).collect(),
        };
        scrolled(
            t,
            frame,
            body,
            Line::from(span(t, Role::Title, title)),
            Role::Border,
            &lines,
            d.scroll,
        );
        return;
    }
    let (head_h, table_h, _) = split_heights(area.height);
    let parts = rows(body, &[head_h, table_h]);
    heading(t, view, frame, parts[0]);
    table(t, view, frame, parts[1]);
    charts(t, &view.charts, frame, parts[2]);
}

fn block<'a>(t: &Theme, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.style(Role::Border))
        .title(span(t, Role::Title, title.to_string()))
        .style(t.style(Role::Normal))
}

fn heading(t: &Theme, view: &AuditView, frame: &mut Frame, area: Rect) {
    let c = &view.charts;
    let title = if view.sites.is_some() {
        let n = view.site_ids.len();
        format!(
            "Audit of {n} site{} (mirror)",
            if n == 1 { "" } else { "s" }
        )
    } else {
        "Audit".to_string()
    };
    let mut first = vec![
        span(t, Role::Title, title),
        span(
            t,
            Role::Normal,
            format!(
                " · {} of {} records · ",
                view.visible.len(),
                view.lines.len()
            ),
        ),
    ];
    first.push(if c.failing > 0 {
        span(t, Role::Error, format!("{} FAILED", c.failing))
    } else {
        span(t, Role::Ok, "all verified")
    });
    first.push(span(t, Role::Normal, " · "));
    first.push(span(
        t,
        if c.overdue_open > 0 {
            Role::Overdue
        } else {
            Role::Ok
        },
        format!("overdue open: {}{}", c.overdue_open, c.practice_left_out),
    ));
    first.push(span(
        t,
        Role::Normal,
        format!(
            " · {} decisions, {} on time, {} late",
            c.decisions, c.on_time, c.late
        ),
    ));
    let second = match &view.input {
        Some((field, text)) => Line::from(vec![
            span(
                t,
                Role::Key,
                match field {
                    DateField::Since => "since (YYYY-MM-DD, empty clears): ",
                    DateField::Until => "until (YYYY-MM-DD, empty clears): ",
                },
            ),
            span(t, Role::Focus, format!("{text}_")),
        ]),
        None => {
            let f = view.filter_text();
            Line::from(vec![
                span(t, Role::Muted, "filters: "),
                if f.is_empty() {
                    span(t, Role::Muted, "none")
                } else {
                    span(t, Role::Warning, f)
                },
            ])
        }
    };
    let cols = area.width as usize;
    frame.render_widget(
        Paragraph::new(vec![
            fit_line(Line::from(first), cols),
            fit_line(second, cols),
        ])
        .style(t.style(Role::Normal)),
        area,
    );
}

fn table(t: &Theme, view: &AuditView, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 100;
    let by_site = view.sites.is_some();
    let page = (area.height as usize).saturating_sub(3);
    let mut header = vec!["#", "verified", "date", "case", "reviewer", "outcome"];
    let mut widths = vec![
        Constraint::Length(4),
        Constraint::Length(12),
        Constraint::Length(10),
        Constraint::Length(12),
        Constraint::Min(10),
        Constraint::Length(15),
    ];
    if wide {
        header.extend(["days", "deadline", "overrides"]);
        widths.extend([
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Length(9),
        ]);
    } else {
        header.push("deadline");
        widths.push(Constraint::Length(8));
    }
    // The reviewer column takes what the fixed columns leave; cut text ends with `…`
    // and rows on screen whose texts differ never look the same.
    let fixed: u16 = if wide {
        4 + 12 + 10 + 12 + 15 + 4 + 8 + 9
    } else {
        4 + 12 + 10 + 12 + 15 + 8
    };
    // A mirror: the site first (ids are at most 32 characters; cut as the others).
    // On a narrow terminal it takes the date's place: every column must still fit.
    let site_w: u16 = if wide { 12 } else { 10 };
    let show_date = wide || !by_site;
    let fixed = if by_site {
        if !show_date {
            header.remove(2);
            widths.remove(2);
        }
        header.insert(0, "site");
        widths.insert(0, Constraint::Length(site_w));
        fixed + site_w - if show_date { 0 } else { 10 }
    } else {
        fixed
    };
    let gaps = header.len() as u16 - 1;
    let reviewer_w = area.width.saturating_sub(2 + fixed + gaps).max(10) as usize;
    let on_page: Vec<&AuditLine> = view
        .visible
        .iter()
        .skip(view.offset)
        .take(page)
        .filter_map(|&i| view.lines.get(i))
        .collect();
    let cut = |w: usize, f: fn(&AuditLine) -> &str| {
        let texts: Vec<&str> = on_page.iter().map(|l| f(l)).collect();
        distinct(&texts, w)
    };
    let sites = cut(site_w as usize, |l| l.site.as_str());
    let cases = cut(12, |l| l.case.as_str());
    let reviewers = cut(reviewer_w, |l| l.reviewer.as_str());
    let outcomes = cut(15, |l| l.outcome.as_str());
    let body: Vec<Row> = view
        .visible
        .iter()
        .enumerate()
        .skip(view.offset)
        .take(page)
        .enumerate()
        .filter_map(|(n, (pos, &i))| {
            let l = view.lines.get(i)?;
            let timely_role = match l.timely.as_str() {
                "LATE" => Role::Overdue,
                // Decided, nothing provided yet: the clock still runs.
                "awaiting" => Role::DueSoon,
                _ => Role::Normal,
            };
            let mut cells = Vec::new();
            if by_site {
                cells.push(Cell::from(sites.get(n).cloned().unwrap_or_default()));
            }
            cells.extend([
                Cell::from(l.seq.to_string()),
                Cell::from(span(t, l.mark_role, l.mark)),
            ]);
            if show_date {
                cells.push(Cell::from(l.date.as_str()));
            }
            cells.extend([
                Cell::from(cases.get(n).cloned().unwrap_or_default()),
                Cell::from(reviewers.get(n).cloned().unwrap_or_default()),
                Cell::from(outcomes.get(n).cloned().unwrap_or_default()),
            ]);
            if wide {
                cells.push(Cell::from(l.days.as_str()));
                cells.push(Cell::from(span(t, timely_role, l.timely.as_str())));
                cells.push(Cell::from(if l.overrides > 0 {
                    l.overrides.to_string()
                } else {
                    "-".into()
                }));
            } else {
                cells.push(Cell::from(span(t, timely_role, l.timely.as_str())));
            }
            let row = Row::new(cells);
            Some(if pos == view.selected {
                row.style(t.style(Role::Selection))
            } else {
                row
            })
        })
        .collect();
    let empty = view.visible.is_empty();
    let title = match (empty, by_site) {
        (true, _) => " Decision log: no record matches the filters ",
        (false, true) => " Decision logs, by site ",
        (false, false) => " Decision log ",
    };
    frame.render_widget(
        Table::new(body, widths)
            .header(Row::new(header).style(t.style(Role::Header)))
            .column_spacing(1)
            .block(block(t, title)),
        area,
    );
}

fn charts(t: &Theme, c: &Charts, frame: &mut Frame, area: Rect) {
    if area.height < 3 {
        return;
    }
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
            Constraint::Ratio(1, 3),
        ])
        .split(area);
    // Decisions by outcome: horizontal, so the outcome names are readable; outcomes
    // with no decision are left out (the title says when there are none at all).
    let outcomes: Vec<&(String, u64)> = c.by_outcome.iter().filter(|(_, n)| *n > 0).collect();
    let room = cols[0].width.saturating_sub(2 + 6) as usize;
    let bars: Vec<Bar> = outcomes
        .iter()
        .map(|(label, n)| {
            Bar::with_label(label.chars().take(room).collect::<String>(), *n)
                .text_value(n.to_string())
                .style(t.style(Role::Marker))
        })
        .collect();
    let title = if outcomes.is_empty() {
        " By outcome: no decisions "
    } else {
        " Decisions by outcome "
    };
    frame.render_widget(
        BarChart::horizontal(bars)
            .bar_gap(0)
            .value_style(t.style(Role::Header))
            .label_style(t.style(Role::Normal))
            .block(block(t, title)),
        cols[0],
    );
    // Days from receipt to decision: a histogram; where the bucket labels would not fit
    // under the bars, the bars lie down.
    let n = c.days.len().max(1) as u16;
    let inner = cols[1].width.saturating_sub(2);
    let width = (inner.saturating_sub(n - 1) / n).clamp(1, 7);
    let longest = c
        .days
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(0);
    let bars: Vec<Bar> = c
        .days
        .iter()
        .map(|(label, n)| {
            Bar::with_label(label.as_str(), *n)
                .text_value(n.to_string())
                .style(t.style(Role::Marker))
        })
        .collect();
    let chart = if (width as usize) < longest {
        BarChart::horizontal(bars).bar_gap(0)
    } else {
        BarChart::vertical(bars).bar_width(width).bar_gap(1)
    };
    frame.render_widget(
        chart
            .value_style(t.style(Role::Header))
            .label_style(t.style(Role::Normal))
            .block(block(t, " Days to decision ")),
        cols[1],
    );
    // On time and late by month: two labelled bars a month (the word, not the colour,
    // says which), the latest months that fit.
    let fit = (cols[2].height.saturating_sub(2) / 2) as usize;
    let skip = c.months.len().saturating_sub(fit);
    let bars: Vec<Bar> = c
        .months
        .iter()
        .skip(skip)
        .flat_map(|(m, ok, late)| {
            [
                Bar::with_label(format!("{m} on time"), *ok)
                    .text_value(ok.to_string())
                    .style(t.style(Role::Ok)),
                Bar::with_label(format!("{m} late"), *late)
                    .text_value(late.to_string())
                    .style(t.style(Role::Overdue)),
            ]
        })
        .collect();
    let title = if c.months.is_empty() {
        // On time means provided on time: decisions awaiting provision count in neither.
        " Nothing provided yet "
    } else {
        " On time / late by month "
    };
    frame.render_widget(
        BarChart::default()
            .direction(Direction::Horizontal)
            .data(BarGroup::new(bars))
            .bar_gap(0)
            .value_style(t.style(Role::Header))
            .label_style(t.style(Role::Normal))
            .block(block(t, title)),
        cols[2],
    );
}
