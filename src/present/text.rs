//! Sections as plain text, for the command line: a titled section starts with a blank
//! line and `== Title ==`; facts are `label: value` joined by three spaces; items are
//! `  - value`; free text and verbatim text are indented by two spaces. Marks are words
//! (`ok`, `WRONG`), never colour alone. The strings are already sanitised.

use super::{Row, Section, Shape};

/// All `sections` as text, one line per row.
pub fn render(sections: &[Section]) -> String {
    let mut o = String::new();
    for (i, sec) in sections.iter().enumerate() {
        if !sec.title.is_empty() {
            o.push_str(&format!("\n== {} ==\n", sec.title));
        } else if i > 0 {
            o.push('\n');
        }
        for row in &sec.rows {
            row_text(&mut o, row);
        }
    }
    o
}

/// One row as text, with its newline.
pub fn row_text(o: &mut String, row: &Row) {
    match row.shape {
        Shape::Facts => {
            o.push_str(&row.joined("   "));
            o.push('\n');
        }
        Shape::Item => {
            o.push_str("  - ");
            o.push_str(&row.joined("   "));
            o.push('\n');
        }
        Shape::Marked => {
            o.push_str(if row.right == Some(true) {
                "  ok    "
            } else {
                "  WRONG "
            });
            o.push_str(&row.joined("   "));
            o.push('\n');
        }
        Shape::Prose | Shape::Verbatim => {
            for line in row.joined("\n").lines() {
                if !line.is_empty() {
                    o.push_str("  ");
                    o.push_str(line);
                }
                o.push('\n');
            }
        }
    }
}
