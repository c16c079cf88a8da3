//! Free text from a file (a case's notes, a reference explanation) as the views show it:
//! sanitised, and reflowed so that lines hard-wrapped in the file become paragraphs.

use crate::text::sanitize;
use crate::tui::scroll::Styled;
use crate::tui::theme::Role;

/// Multi-line free text, sanitised, reflowed to the pane's width: lines hard-wrapped in
/// the file are joined into paragraphs (like Markdown), while blank lines, list items
/// and indented lines keep their own line breaks.
pub fn text(out: &mut Vec<Styled>, s: &str) {
    let clean = sanitize(s.trim_end_matches('\n'));
    let mut para = String::new();
    for line in clean.split('\n') {
        let starts_block = line.trim().is_empty() || is_list_item(line) || line.starts_with(' ');
        if starts_block && !para.is_empty() {
            out.push(vec![(Role::Normal, std::mem::take(&mut para))]);
        }
        if line.trim().is_empty() {
            out.push(Vec::new());
        } else if para.is_empty() {
            para = line.to_string();
        } else {
            para.push(' ');
            para.push_str(line.trim_start());
        }
    }
    if !para.is_empty() {
        out.push(vec![(Role::Normal, para)]);
    }
}

/// `- x`, `* x`, `• x`, `1. x`, `2) x`: a marker, then a space. A wrapped line that starts
/// with a citation (`164.524(d)(2)). Withholding...`) or a number is not an item: taking it
/// for one would cut the paragraph there and leave its first words alone on a line.
fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let marker = if t.starts_with(['-', '*', '•']) {
        t.chars().next().map_or(0, char::len_utf8)
    } else if digits > 0 && t[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return false;
    };
    t[marker..].starts_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        text(&mut out, s);
        out.iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn hard_wrapped_lines_become_paragraphs_but_lists_and_blanks_stay() {
        assert_eq!(
            flat("one\ntwo\n\nthree\n- a\n- b\n1. c\n  indented\nend"),
            [
                "one two",
                "",
                "three",
                "- a",
                "- b",
                "1. c",
                "  indented end"
            ]
        );
        assert_eq!(flat("x\x1b[2J\ny"), ["x^[[2J y"]);
    }
}
