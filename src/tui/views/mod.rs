//! Pure drawing: `draw(state, frame)` lays out what the state holds. No I/O, no parsing,
//! no sanitising (the state is sanitised when built), no panics at any size.

mod audit;
mod case;
mod countersign;
mod form;
mod help;
mod invalid;
mod practice;
mod queue;
mod too_small;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{MIN_HEIGHT, MIN_WIDTH, Screen, State};
use super::keymap::{Action, Context};
use super::theme::{Role, Theme};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small::draw(state, frame, area);
        return;
    }
    match state.screen {
        Screen::Queue => queue::draw(state, frame, area),
        Screen::Invalid => invalid::draw(state, frame, area),
        Screen::Case => case::draw(state, frame, area),
        Screen::Form => form::draw(state, frame, area),
        Screen::Practice => practice::draw(state, frame, area),
        Screen::Audit => audit::draw(state, frame, area),
    }
    countersign::draw(state, frame, area);
    if state.help {
        help::draw(state, frame, area);
    }
}

pub(crate) fn span<'a>(
    theme: &Theme,
    role: Role,
    text: impl Into<std::borrow::Cow<'a, str>>,
) -> Span<'a> {
    Span::styled(text.into(), theme.style(role))
}

/// The bottom line: the message if there is one, else the screen's main keys.
pub(crate) fn footer(state: &State, frame: &mut Frame, area: Rect, ctx: Context, keys: &[Action]) {
    let t = &state.theme;
    let line = match &state.message {
        Some((role, text)) => Line::from(span(t, *role, text.as_str())),
        None => {
            let mut spans = Vec::new();
            for a in keys.iter().chain([Action::Help].iter()) {
                spans.push(span(t, Role::Key, state.keymap.first_key(ctx, *a)));
                spans.push(span(t, Role::Muted, format!(" {}  ", short(*a))));
            }
            Line::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line).style(t.style(Role::Normal)), area);
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
        other => other.name(),
    }
}

/// Splits `area` into rows of the given heights from the top; the last gets the rest.
pub(crate) fn rows(area: Rect, heights: &[u16]) -> Vec<Rect> {
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

/// The last row of `area` and everything above it.
pub(crate) fn split_footer(area: Rect) -> (Rect, Rect) {
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(1));
    let foot = Rect::new(
        area.x,
        area.y.saturating_add(area.height.saturating_sub(1)),
        area.width,
        area.height.min(1),
    );
    (body, foot)
}
