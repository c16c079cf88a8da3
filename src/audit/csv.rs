//! CSV that opens cleanly in a spreadsheet: RFC 4180 (CRLF line ends, fields quoted
//! when they hold a comma, a double quote, CR or LF, quotes doubled inside), one header
//! row, dates as ISO `YYYY-MM-DD`. The quoting is the `csv` crate's writer; this module
//! adds only what a spreadsheet needs beyond RFC 4180: visible controls and the formula
//! guard.
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
    let mut out = line(&[s]);
    out.truncate(out.len() - 2);
    out
}

/// `s` sanitised and guarded against formulas, before quoting.
fn guarded(s: &str) -> String {
    let clean = visible(s);
    if clean.starts_with(FORMULA_START) {
        format!("'{clean}")
    } else {
        clean
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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    let cells: Vec<String> = cells.iter().map(|c| guarded(c.as_ref())).collect();
    // Writing to memory cannot fail; the fallback quotes every cell by hand.
    let written = w
        .write_record(&cells)
        .ok()
        .and_then(|()| w.into_inner().ok())
        .and_then(|bytes| String::from_utf8(bytes).ok());
    match written {
        // The writer quotes a record of one empty cell (`""`) so that it is not read as
        // a blank line; a cell is empty text in every other record, so keep it so.
        Some(s) if s == "\"\"\r\n" && cells.len() == 1 => "\r\n".to_string(),
        Some(s) => s,
        None => {
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            quoted.join(",") + "\r\n"
        }
    }
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
