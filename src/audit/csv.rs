//! CSV that opens cleanly in a spreadsheet: RFC 4180 (CRLF line ends, fields quoted
//! when they hold a comma, a double quote, CR or LF, quotes doubled inside), one header
//! row, dates as ISO `YYYY-MM-DD`.
//!
//! Formula injection guard: a cell that begins with `=`, `+`, `-`, `@`, a tab or a CR
//! would be read as a formula by spreadsheet programs. Such cells get a leading `'`
//! (the apostrophe spreadsheets treat as "text"); this changes what the cell holds, so
//! a reader of the raw file sees `'=...`. Documented in docs/AUDIT.md.

/// Characters that start a formula in common spreadsheet programs.
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// One cell, guarded and quoted as needed.
pub fn cell(s: &str) -> String {
    let guarded;
    let s = if s.starts_with(FORMULA_START) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One record (line) of cells, ending in CRLF.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn formula_guard() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("2026-03-02"), "2026-03-02");
        assert_eq!(cell("a=b"), "a=b");
    }
}
