//! The decision form: fields on the left, the preview of the record on the right (from
//! 120 columns; narrower, the preview takes the fields' place while "Sign" has focus).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::layout::{self, FormPanel};
use super::{
    DISCLOSURE_PARTS, Field, Form, OVERRIDE_PARTS, Outside, grounds, pick, picker, preview,
};
use crate::tui::fit;
use crate::tui::keymap::{Action, Context};
use crate::tui::theme::{Role, Theme};
use crate::tui::widgets::{Look, fit_line, footer, scrolled, span};

/// The form, `size` being the terminal's (the panels' layout), and over it the grounds
/// picker when open.
pub fn draw(
    look: Look,
    form: &Form,
    outside: &Outside,
    size: (u16, u16),
    frame: &mut Frame,
    area: Rect,
) {
    let t = look.theme;
    let l = layout::form(area);
    let title = outside.title;
    let head = format!("Decision · {} · ", outside.id);
    let room = (area.width as usize).saturating_sub(fit::width(&head));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            span(t, Role::Title, head),
            span(t, Role::Normal, fit::fit(title, room)),
        ])),
        l.title,
    );
    let panels = layout::form_panels(form, size);
    let mut left_used = false;
    for (panel, rect) in panels {
        left_used |= rect == l.left;
        match panel {
            FormPanel::Findings => scrolled(
                t,
                frame,
                rect,
                Line::from(span(
                    t,
                    Role::Title,
                    "  Findings and the advisor (f closes)  ",
                )),
                Role::Focus,
                &preview::findings_lines(form.preview.as_ref(), outside.advisor),
                form.findings_scroll,
            ),
            FormPanel::Preview => scrolled(
                t,
                frame,
                rect,
                Line::from(span(t, Role::Title, "  Preview: what will be recorded  ")),
                Role::Border,
                &preview::lines(form.preview.as_ref(), outside.note),
                form.preview_scroll,
            ),
        }
    }
    if !left_used {
        fields(t, form, frame, l.left);
    }
    summary_line(look, form, outside, frame, l.summary);
    rationale(t, form, frame, l.rationale);
    sign_line(t, form, &outside.sign_label, frame, l.sign);
    let hints: &[Action] = if form.picker.is_some() {
        &[]
    } else if form.editing {
        &[Action::Back]
    } else if matches!(form.field(), Field::CaseGrounds | Field::Grounds(_)) {
        &[
            Action::PickGround,
            Action::Edit,
            Action::Findings,
            Action::Back,
        ]
    } else if form.field() == Field::Sign {
        &[Action::Sign, Action::Findings, Action::Back]
    } else {
        &[
            Action::Edit,
            Action::Toggle,
            Action::Findings,
            Action::AddDisclosure,
            Action::Back,
        ]
    };
    // Tell the user how to stop typing, whatever the message line says.
    let editing = if form.picker.is_some() {
        Some((Role::Focus, "picking a ground: Enter picks, Esc cancels"))
    } else {
        form.editing.then_some((
            Role::Focus,
            "editing: Esc ends (Enter too, outside the rationale)",
        ))
    };
    footer(look, frame, l.footer, Context::Form, hints, editing);
    if let Some(p) = &form.picker {
        let present = |code: &str| pick::present(form, p.target, code);
        picker::view::draw(t, p, &present, frame, area);
    }
}

/// The findings on the decision in one line, always on screen, with the key that shows
/// them all (and the advisor's recommendation).
fn summary_line(look: Look, form: &Form, outside: &Outside, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (role, text) = preview::summary(form.outcome, form.preview.as_ref(), outside.advisor);
    let key = look.keymap.first_key(Context::Form, Action::Findings);
    let hidden = outside.advisor.is_some_and(|a| a.hidden);
    let hint = if hidden {
        String::new()
    } else {
        format!("  {key} all")
    };
    let room = (area.width as usize).saturating_sub(fit::width(&hint));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            span(t, role, fit::fit(&text, room)),
            span(t, Role::Key, hint),
        ])),
        area,
    );
}

fn cursor(t: &Theme, on: bool) -> Span<'static> {
    if on {
        Span::styled(">", t.selected())
    } else {
        Span::raw(" ")
    }
}

fn value<'a>(t: &Theme, text: &'a str, on: bool, editing: bool) -> Vec<Span<'a>> {
    let mut v = vec![if on {
        Span::styled(text, t.style(Role::Focus))
    } else {
        span(t, Role::Normal, text)
    }];
    if on && editing {
        v.push(span(t, Role::Marker, "▏"));
    }
    if text.is_empty() && !(on && editing) {
        v.push(span(t, Role::Muted, "…"));
    }
    v
}

/// A repeated group of text parts (disclosures, overrides), then its "add" button.
#[allow(clippy::too_many_arguments)]
fn group<'a>(
    t: &Theme,
    editing: bool,
    lines: &mut Vec<Line<'a>>,
    mark: &mut dyn FnMut(&Vec<Line<'a>>, Field) -> bool,
    items: &[&'a [String]],
    parts: &[&str],
    field: fn(usize, usize) -> Field,
    (add, label): (Field, &'static str),
) {
    for (i, item) in items.iter().enumerate() {
        for (p, name) in parts.iter().enumerate() {
            let on = mark(lines, field(i, p));
            let lead = if p == 0 {
                format!("  #{:<2}", i + 1)
            } else {
                "     ".into()
            };
            let mut s = vec![
                cursor(t, on),
                span(t, Role::Muted, format!("{lead} {name:<12}")),
            ];
            s.extend(value(
                t,
                item.get(p).map_or("", String::as_str),
                on,
                editing,
            ));
            lines.push(Line::from(s));
        }
    }
    let on = mark(lines, add);
    lines.push(Line::from(vec![
        cursor(t, on),
        if on {
            Span::styled(label, t.style(Role::Focus))
        } else {
            span(t, Role::Key, label)
        },
    ]));
}

fn fields(t: &Theme, f: &Form, frame: &mut Frame, area: Rect) {
    let focus = f.field();
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    let mut mark = |lines: &Vec<Line>, field: Field| {
        if field == focus {
            focus_line = lines.len();
        }
        field == focus
    };

    let on = mark(&lines, Field::Outcome);
    let outcome = f
        .outcome
        .map_or("(choose with ←/→)".into(), |o| format!("‹ {o} ›"));
    lines.push(Line::from(vec![
        cursor(t, on),
        span(t, Role::Header, "Outcome   "),
        if on {
            Span::styled(outcome, t.style(Role::Focus))
        } else {
            span(t, Role::Normal, outcome)
        },
    ]));
    let on = mark(&lines, Field::CaseGrounds);
    let mut g = vec![cursor(t, on), span(t, Role::Header, "Grounds   ")];
    g.extend(value(t, &f.grounds, on, f.editing));
    lines.push(Line::from(g));
    lines.push(Line::from(span(t, Role::Header, " Records")));
    if f.records.is_empty() {
        lines.push(Line::from(span(
            t,
            Role::Muted,
            "   (a disclosure concern has none)",
        )));
    }
    for (i, r) in f.records.iter().enumerate() {
        let on_a = mark(&lines, Field::Action(i));
        let (action, role) = match f.action_of(i) {
            Some(true) => ("[WITHHOLD]", Role::Warning),
            Some(false) => ("[release ]", Role::Ok),
            None => ("[ n/a    ]", Role::Muted),
        };
        let mut spans = vec![
            cursor(t, on_a),
            span(t, Role::Normal, format!("  {:<12} ", r.shown_id)),
            if on_a {
                Span::styled(action, t.selected())
            } else {
                span(t, role, action)
            },
            span(t, Role::Muted, format!(" {}", r.label)),
        ];
        lines.push(Line::from(std::mem::take(&mut spans)));
        let on_g = mark(&lines, Field::Grounds(i));
        let mut g = vec![cursor(t, on_g), span(t, Role::Muted, "     grounds: ")];
        g.extend(value(t, &r.grounds, on_g, f.editing));
        lines.push(Line::from(g));
    }
    lines.push(Line::from(span(t, Role::Header, " Disclosures")));
    if f.disclosures.is_empty() && f.preview.as_ref().is_some_and(|p| p.built_entry.is_some()) {
        lines.push(Line::from(span(
            t,
            Role::Muted,
            "   the record carries the entry built from the case (see the preview); add to edit it",
        )));
    }
    let disclosures: Vec<&[String]> = f.disclosures.iter().map(|d| d.as_slice()).collect();
    group(
        t,
        f.editing,
        &mut lines,
        &mut mark,
        &disclosures,
        &DISCLOSURE_PARTS,
        Field::Disclosure,
        (Field::AddDisclosure, "  [+ add disclosure]"),
    );
    lines.push(Line::from(span(
        t,
        Role::Header,
        " Overrides of advisor findings",
    )));
    let overrides: Vec<&[String]> = f.overrides.iter().map(|o| o.as_slice()).collect();
    group(
        t,
        f.editing,
        &mut lines,
        &mut mark,
        &overrides,
        &OVERRIDE_PARTS,
        Field::Override,
        (Field::AddOverride, "  [+ override a finding]"),
    );
    if let Some((role, note)) = &f.note {
        lines.push(Line::from(span(t, *role, format!(" {note}"))));
    }
    let h = area.height as usize;
    let scroll = (focus_line + 1).saturating_sub(h);
    let cols = area.width as usize;
    let lines: Vec<Line> = lines
        .into_iter()
        .skip(scroll)
        .take(h)
        .map(|l| fit_line(l, cols))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn rationale(t: &Theme, f: &Form, frame: &mut Frame, area: Rect) {
    let on = f.field() == Field::Rationale;
    let title = if on { "> Rationale <" } else { "  Rationale  " };
    let mut ta = f.rationale.clone();
    ta.set_block(
        Block::default()
            .borders(Borders::ALL)
            .border_style(t.style(if on { Role::Focus } else { Role::Border }))
            .title(span(t, if on { Role::Focus } else { Role::Title }, title)),
    );
    ta.set_style(t.style(Role::Normal));
    ta.set_cursor_line_style(t.style(Role::Normal));
    if !(on && f.editing) {
        // No cursor block unless the user is typing in it.
        ta.set_cursor_style(t.style(Role::Normal));
    }
    if f.rationale.is_empty() {
        ta.set_placeholder_text("why: the facts, the grounds, what was weighed");
        ta.set_placeholder_style(t.style(Role::Muted));
    }
    frame.render_widget(&ta, area);
}

/// `label`: who signs what, e.g. `as k.osei@..., key ...` (see `practice::sign_label`).
fn sign_line(t: &Theme, f: &Form, label: &str, frame: &mut Frame, area: Rect) {
    let on = f.field() == Field::Sign;
    // A denial withholds items without their own ground on the decision's grounds.
    let fallback = f.outcome == Some(crate::case::Outcome::Deny) && !grounds(&f.grounds).is_empty();
    let withheld_without_ground =
        f.records.iter().enumerate().any(|(i, r)| {
            f.action_of(i) == Some(true) && grounds(&r.grounds).is_empty() && !fallback
        });
    let mut s = vec![
        cursor(t, on),
        if on {
            Span::styled("[ Sign ]", t.selected())
        } else {
            span(t, Role::Key, "[ Sign ]")
        },
        span(t, Role::Muted, format!(" {label}")),
    ];
    if withheld_without_ground {
        s.push(span(
            t,
            Role::Warning,
            " · ! a withheld record has no ground",
        ));
    }
    frame.render_widget(
        Paragraph::new(fit_line(Line::from(s), area.width as usize)),
        area,
    );
}
