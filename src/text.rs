//! The one sanitiser between untrusted text (every string from a case file) and a
//! terminal. Nothing from a case may move the cursor, set a title, reorder text or hide.
//!
//! - C0/C1 control characters and DEL are shown in caret notation (`^[`, `^?`) or as
//!   `<U+0085>`; only newline survives in multi-line text.
//! - Tabs are expanded to the next multiple of [`TAB_WIDTH`] columns.
//! - Bidi controls, zero-width and invisible formatting characters and Unicode tag
//!   characters are shown as `<U+XXXX>` markers.

/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 4;

/// Sanitises multi-line text: newlines are kept, everything else as described above.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_line(&mut out, line);
    }
    out
}

/// Sanitises text that must stay on one line: newlines become `^J` too.
pub fn sanitize_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_line(&mut out, s);
    out
}

/// Returns true when `s` would be shown unchanged (the fast path for clean text).
pub fn is_clean(s: &str) -> bool {
    s.chars()
        .all(|c| c != '\n' && c != '\t' && marker(c).is_none())
}

/// True for a character the sanitiser never shows as itself (a control character,
/// newline and tab included, or a hidden one): the one definition that the JSON
/// encoder and the output guard share with the sanitiser.
pub fn is_marked(c: char) -> bool {
    marker(c).is_some()
}

/// Writes `casebench: MESSAGE` to standard error, sanitised (newlines kept): error
/// messages quote paths and strings from files.
pub fn warn(msg: &str) {
    eprintln!("casebench: {}", sanitize(msg));
}

fn push_line(out: &mut String, line: &str) {
    let mut col = 0usize;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB_WIDTH - col % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
            continue;
        }
        match marker(c) {
            Some(Marker::Caret(m)) => {
                out.push('^');
                out.push(m);
                col += 2;
            }
            Some(Marker::Code) => {
                let m = format!("<U+{:04X}>", c as u32);
                col += m.len();
                out.push_str(&m);
            }
            None => {
                out.push(c);
                col += 1;
            }
        }
    }
}

enum Marker {
    Caret(char),
    Code,
}

fn marker(c: char) -> Option<Marker> {
    let u = c as u32;
    match u {
        // C0 controls (newline included: callers that keep it split on it first) and DEL.
        0x00..=0x1F => char::from_u32(u ^ 0x40).map(Marker::Caret),
        0x7F => Some(Marker::Caret('?')),
        // C1 controls, including CSI (0x9B) and OSC (0x9D) that some terminals obey.
        0x80..=0x9F => Some(Marker::Code),
        // Soft hyphen, Arabic letter mark, Mongolian vowel separator.
        0xAD | 0x061C | 0x180E => Some(Marker::Code),
        // Zero-width space/joiners, LRM/RLM, bidi embeddings and overrides,
        // line/paragraph separators.
        0x200B..=0x200F | 0x2028..=0x202E => Some(Marker::Code),
        // Word joiner, invisible operators, bidi isolates, deprecated format chars.
        0x2060..=0x206F => Some(Marker::Code),
        // Byte-order mark / zero-width no-break space; interlinear annotation; specials.
        0xFEFF | 0xFFF9..=0xFFFB => Some(Marker::Code),
        // Unicode tag characters (invisible "ASCII smuggling").
        0xE0000..=0xE007F => Some(Marker::Code),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(sanitize_line("\x1b]0;pwned\x07"), "^[]0;pwned^G");
        assert_eq!(sanitize_line("\x1b[2J"), "^[[2J");
        assert_eq!(sanitize_line("a\rb"), "a^Mb");
        assert_eq!(sanitize_line("\x7f"), "^?");
        assert_eq!(sanitize_line("\u{9b}31m"), "<U+009B>31m");
    }

    #[test]
    fn invisible_and_bidi_characters_get_markers() {
        assert_eq!(sanitize_line("a\u{202E}b"), "a<U+202E>b");
        assert_eq!(sanitize_line("a\u{200B}b"), "a<U+200B>b");
        assert_eq!(sanitize_line("\u{2066}x\u{2069}"), "<U+2066>x<U+2069>");
        assert_eq!(sanitize_line("\u{E0041}"), "<U+E0041>");
        assert_eq!(sanitize_line("\u{FEFF}"), "<U+FEFF>");
    }

    #[test]
    fn newlines_and_tabs() {
        assert_eq!(sanitize("a\nb"), "a\nb");
        assert_eq!(sanitize_line("a\nb"), "a^Jb");
        assert_eq!(sanitize_line("a\tb"), "a   b");
        assert_eq!(sanitize_line("abcd\tb"), "abcd    b");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let s = "Dr. Ñúñez — café, 日本語, emoji 🙂";
        assert_eq!(sanitize(s), s);
        assert!(is_clean(s));
        assert!(!is_clean("a\u{200B}"));
    }
}
