//! Drawing a frame: the root's `draw` inside a synchronized update, and a terminal of a
//! fixed size on any writer (benchmarks and tests count the bytes a frame costs).

use std::io::{self, Write};

use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::crossterm::{execute, queue};

use crate::tui::app::{self, State};

/// Draws one frame, wrapped in a synchronized update so the terminal shows it at once.
/// ratatui diffs against the previous frame, so only changed cells are written.
pub fn draw_frame<B: Backend + Write>(terminal: &mut Terminal<B>, state: &State) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| app::draw(state, f)).map_err(Into::into)?;
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)
}

/// A terminal of a fixed size on any writer, for benchmarks and tests of the bytes a
/// frame costs.
pub fn byte_terminal<W: Write>(
    out: W,
    w: u16,
    h: u16,
) -> io::Result<Terminal<CrosstermBackend<W>>> {
    let backend = CrosstermBackend::new(out);
    Terminal::with_options(
        backend,
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
        },
    )
}
