//! Drawing the intake: a question (its part of the form, the question, what is
//! expected, the record items so far, the answer being typed, the model's refusal), the
//! answers just given beneath it, and the summary of every answer before the case file
//! is written. Every answer and every typed word is shown through the sanitiser.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{IntakeScreen, asked};
use crate::case::intake::{AnswerType, Given, Question};
use crate::text::sanitize_line;
use crate::tui::keymap::Action;
use crate::tui::layout::{inner, rows, split_footer};
use crate::tui::scroll::{self, Styled};
use crate::tui::theme::Role;
use crate::tui::widgets::{Look, footer, scrolled, span};

pub fn draw(look: Look, s: &IntakeScreen, frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    match s.question() {
        Some(q) => question(look, s, &q, frame, area),
        None => summary(look, s, frame, area),
    }
}

/// The lines above the answer: the question, what is expected, the items so far.
pub fn question_lines(s: &IntakeScreen, q: &Question) -> Vec<Styled> {
    let mut out: Vec<Styled> = vec![vec![(Role::Normal, q.prompt.clone())], Vec::new()];
    let mut expected = vec![
        (Role::Muted, "expected: ".to_string()),
        (Role::Normal, q.answer.expected()),
    ];
    let default = (q.default)(&s.intake).map(|d| sanitize_line(&d));
    match (q.required, default) {
        (_, Some(d)) => expected.push((Role::Muted, format!("; empty: {d}"))),
        (true, None) if q.answer != AnswerType::Record => {
            expected.push((Role::Muted, " (required)".into()))
        }
        (false, None) => expected.push((Role::Muted, "; empty: left out".into())),
        _ => {}
    }
    out.push(expected);
    if q.answer == AnswerType::Record {
        let items = s.record_lines();
        out.push(Vec::new());
        if items.is_empty() {
            out.push(vec![(
                Role::Muted,
                "No item yet: one line each, an empty line when done.".into(),
            )]);
        } else {
            out.push(vec![(
                Role::Muted,
                format!(
                    "{} item{} (an empty line ends the list; Backspace on an empty line takes the last back):",
                    items.len(),
                    if items.len() == 1 { "" } else { "s" }
                ),
            )]);
            for (i, l) in items.iter().enumerate() {
                out.push(vec![(
                    Role::Normal,
                    format!("  {}. {}", i + 1, sanitize_line(l)),
                )]);
            }
        }
    }
    out
}

fn question(look: Look, s: &IntakeScreen, q: &Question, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    let parts = rows(body, &[1]);
    let (n, of) = s.position();
    let right = format!("question {n} of {of} so far ");
    let right_w = u16::try_from(right.chars().count())
        .unwrap_or(u16::MAX)
        .min(parts[0].width);
    let left = format!(" New case · {}", q.section);
    frame.render_widget(
        Paragraph::new(span(
            t,
            Role::Title,
            crate::tui::fit::fit(&left, (parts[0].width - right_w) as usize),
        )),
        parts[0],
    );
    frame.render_widget(
        Paragraph::new(span(t, Role::Muted, right)),
        Rect::new(
            parts[0].x + parts[0].width - right_w,
            parts[0].y,
            right_w,
            parts[0].height,
        ),
    );

    let rest = parts[1];
    let width = rest.width.saturating_sub(2) as usize;
    let top = scroll::wrap(&question_lines(s, q), width);
    let refusal: Vec<Styled> = s
        .refusal
        .as_ref()
        .map(|r| scroll::wrap(&[vec![(Role::Error, format!("! {r}"))]], width))
        .unwrap_or_default();
    // Borders, the text, a blank line, the answer, the refusal.
    let want = top.len() + 1 + 1 + refusal.len() + 2;
    let block_h = u16::try_from(want).unwrap_or(u16::MAX).min(rest.height);
    let split = rows(rest, &[block_h]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.style(Role::Focus))
        .title(span(t, Role::Title, format!(" {} ", key_label(q))));
    let inside = inner(split[0]);
    frame.render_widget(block, split[0]);
    // The answer line keeps its place; the text above gives way (its last lines stay:
    // the newest record items) when the terminal is short.
    let below = 1 + refusal.len() as u16;
    let text_h = inside.height.saturating_sub(below + 1);
    let skip = top.len().saturating_sub(text_h as usize);
    let (shown, _) = scroll::visible(t, &top, scroll::Scroll { offset: skip }, text_h as usize);
    let r = rows(inside, &[text_h, 1, 1]);
    frame.render_widget(Paragraph::new(shown).style(t.style(Role::Normal)), r[0]);
    let answer = r[2];
    let prompt_w = 2u16.min(answer.width);
    frame.render_widget(
        Paragraph::new(span(t, Role::Key, "> ")),
        Rect::new(answer.x, answer.y, prompt_w, 1.min(answer.height)),
    );
    let mut input = s.input.clone();
    input.set_style(t.style(Role::Normal));
    input.set_cursor_line_style(t.style(Role::Normal));
    if s.typed_text().is_empty() {
        input.set_placeholder_text(placeholder(q));
        input.set_placeholder_style(t.style(Role::Muted));
    }
    frame.render_widget(
        &input,
        Rect::new(
            answer.x + prompt_w,
            answer.y,
            answer.width - prompt_w,
            1.min(answer.height),
        ),
    );
    if !refusal.is_empty() {
        let rr = Rect::new(
            inside.x,
            answer.y.saturating_add(1),
            inside.width,
            inside.bottom().saturating_sub(answer.y.saturating_add(1)),
        );
        let (shown, _) =
            scroll::visible(t, &refusal, scroll::Scroll::default(), rr.height as usize);
        frame.render_widget(Paragraph::new(shown), rr);
    }
    if split[1].height >= 3 {
        given_so_far(look, s, q, frame, split[1]);
    }
    footer(
        look,
        frame,
        foot,
        s.context(),
        &[Action::Answer, Action::PrevQuestion, Action::LeaveIntake],
        None,
    );
}

/// The question's key, as `casebench new --set` and the answers file name it.
fn key_label(q: &Question) -> String {
    format!("{} · {}", q.section, q.key)
}

fn placeholder(q: &Question) -> String {
    match q.answer {
        AnswerType::Record => {
            "ID CATEGORY DESCRIPTION, e.g. chart chart Outpatient chart 2025".into()
        }
        AnswerType::YesNoUnknown => "yes, no or unknown".into(),
        AnswerType::YesNo => "yes or no".into(),
        AnswerType::Date { .. } => "YYYY-MM-DD".into(),
        AnswerType::Time => "HH:MM".into(),
        _ => String::new(),
    }
}

/// The answers given before this question, the newest at the bottom.
fn given_so_far(look: Look, s: &IntakeScreen, q: &Question, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let before: Vec<Styled> = asked(&s.intake)
        .into_iter()
        .take_while(|x| x.key != q.key)
        .filter_map(|x| Some(answer_line(&x, s.intake.given(&x.key)?)))
        .collect();
    let height = area.height.saturating_sub(2) as usize;
    let wrapped: Vec<Styled> = scroll::wrap(&before, area.width.saturating_sub(2) as usize);
    let skip = wrapped.len().saturating_sub(height);
    scrolled(
        t,
        frame,
        area,
        Line::from(span(
            t,
            Role::Muted,
            " Answered so far (Esc goes back to change one) ",
        )),
        Role::Border,
        &before,
        scroll::Scroll { offset: skip },
    );
}

/// `key  answer`, the answer sanitised.
fn answer_line(q: &Question, g: &Given) -> Styled {
    vec![
        (Role::Muted, format!("{:<30} ", q.key)),
        (Role::Normal, sanitize_line(&g.shown())),
    ]
}

/// The summary's lines: why the last write failed (if it did), where the case goes,
/// then every answer by part of the form.
pub fn summary_lines(s: &IntakeScreen) -> Vec<Styled> {
    let mut out: Vec<Styled> = Vec::new();
    for p in &s.problems {
        out.push(vec![(Role::Error, p.clone())]);
    }
    if !s.problems.is_empty() {
        out.push(Vec::new());
    }
    let stem = crate::intake::new_case::id_stem(&s.intake).unwrap_or_default();
    out.push(vec![(
        Role::Muted,
        format!(
            "y writes the case file under the next free id ({stem}NNNN), never over another; the evaluation of harm is pending, assigned to {}.",
            sanitize_line(s.intake.text("evaluation.assigned_to").unwrap_or("-"))
        ),
    )]);
    let mut section = "";
    for q in s.intake.questions() {
        let Some(g) = s.intake.given(&q.key) else {
            continue;
        };
        if q.section != section {
            section = q.section;
            out.push(Vec::new());
            out.push(vec![(Role::Title, section.to_string())]);
        }
        match g {
            Given::Records { lines, .. } => {
                for (i, l) in lines.iter().enumerate() {
                    out.push(vec![
                        (
                            Role::Muted,
                            format!("  {:<30} ", if i == 0 { q.key.as_str() } else { "" }),
                        ),
                        (Role::Normal, format!("{}. {}", i + 1, sanitize_line(l))),
                    ]);
                }
            }
            g => {
                let mut line = answer_line(&q, g);
                line[0].1.insert_str(0, "  ");
                out.push(line);
            }
        }
    }
    out
}

fn summary(look: Look, s: &IntakeScreen, frame: &mut Frame, area: Rect) {
    let t = look.theme;
    let (body, foot) = split_footer(area);
    scrolled(
        t,
        frame,
        body,
        Line::from(span(t, Role::Title, " New case · check the answers ")),
        Role::Border,
        &summary_lines(s),
        s.summary_scroll,
    );
    footer(
        look,
        frame,
        foot,
        s.context(),
        &[
            Action::WriteCase,
            Action::PrevQuestion,
            Action::LeaveIntake,
            Action::Down,
        ],
        None,
    );
}
