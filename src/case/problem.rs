//! A problem found in a file, printed as `path:line:col: message` plus a snippet.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based; file-level problems (a symlink, a size limit) point at 1:1.
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The offending source line with a caret under the column, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Problem {
    pub fn file_level(path: PathBuf, message: impl Into<String>) -> Problem {
        Problem {
            path,
            line: 1,
            column: 1,
            message: message.into(),
            snippet: None,
        }
    }

    /// A problem at a position in `src`, with the snippet cut from it.
    pub fn at(path: PathBuf, src: &str, line: u32, column: u32, message: String) -> Problem {
        Problem {
            path,
            line,
            column,
            message,
            snippet: snippet(src, line, column),
        }
    }

    /// The first line only: `path:line:col: message`, sanitised: a file name is
    /// untrusted text too (`ESC ] 0 ;` in a name would retitle the terminal), and so is a
    /// message that quotes the file.
    pub fn headline(&self) -> String {
        crate::text::sanitize_line(&format!(
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        ))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(s) = &self.snippet {
            write!(f, "\n{s}")?;
        }
        Ok(())
    }
}

/// `   12 | text` and a caret line under the column. Text is sanitised: the source is
/// untrusted and this goes to a terminal.
fn snippet(src: &str, line: u32, column: u32) -> Option<String> {
    let text = src.lines().nth(line.checked_sub(1)? as usize)?;
    let shown: String = crate::text::sanitize_line(text);
    let width = shown.chars().count();
    // Cap very long lines around the column so the snippet stays readable.
    let (shown, caret_at) = if width > 100 {
        let start = (column as usize).saturating_sub(40);
        let cut: String = shown.chars().skip(start).take(100).collect();
        (format!("…{cut}…"), column as usize - start)
    } else {
        let before: String = text
            .chars()
            .take((column as usize).saturating_sub(1))
            .collect();
        let pad = crate::text::sanitize_line(&before).chars().count();
        (shown, pad + 1)
    };
    let gutter = format!("{line:>5} | ");
    Some(format!(
        "{gutter}{shown}\n{:>5} | {}^",
        "",
        " ".repeat(caret_at.saturating_sub(1))
    ))
}
