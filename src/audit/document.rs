//! One document model for everything casebench prints on paper: the letters (a denial
//! notice, a review's result, an accounting of disclosures) and the audit report.
//!
//! A letter is composed once, as a [`Document`] of blocks, from the facts; the text and
//! markdown notice ([`to_text`]), the HTML file ([`super::html`]) and the PDF
//! ([`super::pdf`]) are renderings of the same blocks, so no format can say more or less
//! than another. Every string in a document is the raw text (from a case, a record or
//! the settings): each renderer makes it safe for its own medium (the sanitiser for a
//! terminal, HTML escaping, glyphs in a PDF).

use std::fmt::Write as _;

use crate::text::sanitize_line;

/// A string for paper (PDF, HTML): its lines joined with ", " (a mailing address kept
/// on several lines in a record reads "1 Civic Plaza, Testville"), then sanitised, so a
/// control, bidi or invisible character shows as a visible marker.
pub fn printable(s: &str) -> String {
    let joined = s
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    sanitize_line(&joined)
}

/// The letterhead: who the document is from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Letterhead {
    pub entity: String,
    pub address: String,
    /// A line under the address: the privacy contact in a letter ("Privacy Officer,
    /// telephone 555-0100"), the site in a report.
    pub contact: Option<String>,
    /// The logo from `casebench.yaml`, read and checked ([`super::letterhead::Logo`]).
    pub logo: Option<super::letterhead::Logo>,
}

/// A labelled bar chart (the audit report's figures): one or more series per label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub title: String,
    /// Series names with their legend, in drawing order ("on time", "late").
    pub series: Vec<String>,
    /// One group of bars per label; `values[i]` belongs to `series[i]`.
    pub bars: Vec<(String, Vec<usize>)>,
    /// What the chart says in words, for a reader who cannot see it (and for tests).
    pub summary: String,
}

impl Chart {
    pub fn max(&self) -> usize {
        self.bars
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .max()
            .unwrap_or(0)
    }
}

/// A table: a header row and rows of cells (text; wrapped by the renderer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Relative column widths (the PDF uses them; HTML lets the browser decide).
    pub widths: Vec<u16>,
}

/// What a document is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Para(String),
    Bullets(Vec<String>),
    /// "Label: value" lines (the date, the addressee, the reference).
    Fields(Vec<(String, String)>),
    Table(Table),
    Chart(Chart),
    /// A figure: a number with its label ("12 decisions").
    Figures(Vec<(String, String)>),
}

/// A letter or a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub title: String,
    pub letterhead: Letterhead,
    pub blocks: Vec<Block>,
    /// Printed at the foot of every page (the reference, so a loose page is traced).
    pub footer: String,
}

/// Plain text (or markdown) of a letter, for a terminal or an email: every string
/// through [`sanitize_line`].
pub fn to_text(doc: &Document, markdown: bool) -> String {
    let s = sanitize_line;
    let mut o = String::new();
    if markdown {
        let _ = writeln!(o, "# {}", s(&doc.title));
    } else {
        let _ = writeln!(o, "{}", s(&doc.title).to_uppercase());
    }
    let _ = writeln!(o, "\n{}", s(&doc.letterhead.entity));
    if !doc.letterhead.address.is_empty() {
        let _ = writeln!(o, "{}", s(&doc.letterhead.address));
    }
    let bullet = if markdown { "- " } else { "  * " };
    let mut after_heading = false;
    for b in &doc.blocks {
        match b {
            Block::Heading(t) => {
                if markdown {
                    let _ = writeln!(o, "\n## {}\n", s(t));
                } else {
                    let t = s(t);
                    let _ = writeln!(o, "\n{t}\n{}", "-".repeat(t.chars().count()));
                }
            }
            Block::Para(t) => {
                let _ = writeln!(o, "{}{}", if after_heading { "" } else { "\n" }, s(t));
            }
            Block::Bullets(items) => {
                for i in items {
                    let _ = writeln!(o, "{bullet}{}", s(i));
                }
            }
            Block::Fields(fields) | Block::Figures(fields) => {
                o.push('\n');
                for (k, v) in fields {
                    let _ = writeln!(o, "{}: {}", s(k), s(v));
                }
            }
            Block::Table(t) => {
                o.push('\n');
                for row in &t.rows {
                    let cells: Vec<String> = t
                        .header
                        .iter()
                        .zip(row)
                        .map(|(h, c)| format!("{}: {}", s(h), s(c)))
                        .collect();
                    let _ = writeln!(o, "{bullet}{}", cells.join("; "));
                }
            }
            Block::Chart(c) => {
                let _ = writeln!(o, "\n{}: {}", s(&c.title), s(&c.summary));
            }
        }
        after_heading = matches!(b, Block::Heading(_));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_strings_join_lines_and_show_controls() {
        assert_eq!(
            printable("1 Civic Plaza\r\n  Testville, OH\n"),
            "1 Civic Plaza, Testville, OH"
        );
        assert_eq!(printable("A\u{1b}[2J\u{202e}B"), "A^[[2J<U+202E>B");
    }

    #[test]
    fn text_puts_a_blank_line_before_a_paragraph_except_after_a_heading() {
        let doc = Document {
            title: "Title".into(),
            letterhead: Letterhead {
                entity: "E".into(),
                ..Letterhead::default()
            },
            blocks: vec![
                Block::Heading("H".into()),
                Block::Para("p1".into()),
                Block::Bullets(vec!["b".into()]),
                Block::Para("p2".into()),
            ],
            footer: String::new(),
        };
        assert_eq!(
            to_text(&doc, false),
            "TITLE\n\nE\n\nH\n-\np1\n  * b\n\np2\n"
        );
        assert_eq!(
            to_text(&doc, true),
            "# Title\n\nE\n\n## H\n\np1\n- b\n\np2\n"
        );
    }
}
