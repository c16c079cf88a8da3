use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::theme::{Role, Theme};

/// "Please enlarge the terminal", wrapped into whatever space there is (even 1×1).
pub fn draw(theme: &Theme, frame: &mut Frame, area: Rect) {
    let text = format!(
        "Please enlarge the terminal: casebench needs {MIN_WIDTH}×{MIN_HEIGHT}, this one is {}×{}.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.style(Role::Warning))
            .wrap(Wrap { trim: true }),
        area,
    );
}
