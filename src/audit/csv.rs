//! CSV that opens cleanly in a spreadsheet: RFC 4180 (CRLF line ends, fields quoted
//! when they hold a comma, a double quote, CR or LF, quotes doubled inside), one header
//! row, dates as ISO `YYYY-MM-DD`.
//!
//! Control characters: a cell keeps its line breaks (LF or CRLF: a mailing address has
//! several lines, and RFC 4180 carries them inside quotes); every other control, bidi,
//! invisible or tag character is written as the sanitiser shows it (`^[`, `<U+202E>`),
//! so neither `cat` of the file nor a spreadsheet obeys one. JSON keeps exact strings.
//!
//! Formula injection guard: a cell that begins with `=`, `+`, `-`, `@`, a tab or a CR
//! would be read as a formula by spreadsheet programs. Such cells get a leading `'`
//! (the apostrophe spreadsheets treat as "text"); this changes what the cell holds, so
//! a reader of the raw file sees `'=...`. Documented in docs/AUDIT.md.

/// Characters that start a formula in common spreadsheet programs.
const FORMULA_START: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// One cell, sanitised, guarded and quoted as needed.
pub fn cell(s: &str) -> String {
    let clean = visible(s);
    let s = clean.as_str();
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

/// `s` through the sanitiser line by line: line breaks (LF, CRLF) stay, a lone CR and
/// every other control or hidden character becomes a visible marker.
fn visible(s: &str) -> String {
    if crate::text::is_clean(s) {
        return s.to_string();
    }
    s.split('\n')
        .map(|line| match line.strip_suffix('\r') {
            Some(l) => crate::text::sanitize_line(l) + "\r",
            None => crate::text::sanitize_line(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
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
    fn controls_become_visible_line_breaks_stay() {
        assert_eq!(cell("a\u{1b}]0;x\u{7}b"), "a^[]0;x^Gb");
        assert_eq!(cell("over\rwrite"), "over^Mwrite");
        assert_eq!(
            cell("x\u{202E}y\u{85}z\u{E0041}"),
            "x<U+202E>y<U+0085>z<U+E0041>"
        );
        assert_eq!(cell("in\tside"), "in  side");
        assert_eq!(cell("1\n2\r\n3"), "\"1\n2\r\n3\"");
        // A tab or CR that would start a formula is shown, not guarded.
        assert_eq!(cell("\t=1"), "    =1");
        assert_eq!(cell("\r=1"), "^M=1");
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
