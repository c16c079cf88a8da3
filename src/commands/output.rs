//! What every command writes goes through here, so that no string from a case file, a
//! record or a file name can drive the terminal that reads it:
//!
//! - JSON: one encoder ([`json_string`], [`write_json`]). serde_json escapes only C0
//!   controls; this one also writes DEL, C1 controls, bidi controls, invisible
//!   formatting and tag characters (everything [`crate::text`] shows as a marker) as
//!   `\uXXXX` escapes, so the document holds the exact string and the bytes hold no
//!   control character.
//! - Text on standard output: [`TerminalSafe`], the last writer before the process's
//!   stdout, passes newline, tab and CRLF and shows every other control or hidden
//!   character the way the sanitiser does (`^[`, `<U+202E>`). Commands sanitise the
//!   strings they print themselves; this is the guard for the one they forget.
//! - Standard error: [`crate::text::warn`].

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use super::CommandError;

/// `value` as JSON (two-space indents when `pretty`), with every character the
/// sanitiser would mark written as a `\u` escape.
pub fn json_string<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, CommandError> {
    let mut buf = Vec::new();
    let result = if pretty {
        let mut ser =
            serde_json::Serializer::with_formatter(&mut buf, Escaping(PrettyFormatter::new()));
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, Escaping(CompactFormatter));
        value.serialize(&mut ser)
    };
    result.map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))?;
    // The serializer writes UTF-8 only (escapes are ASCII).
    String::from_utf8(buf).map_err(|e| CommandError::Io(format!("encoding JSON: {e}")))
}

/// Writes `value` as one JSON document and a newline, streamed: a report of 100,000
/// records is never held as one string.
pub fn write_json<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    pretty: bool,
) -> Result<(), CommandError> {
    let mut w = io::BufWriter::with_capacity(64 * 1024, out);
    let result = if pretty {
        let mut ser =
            serde_json::Serializer::with_formatter(&mut w, Escaping(PrettyFormatter::new()));
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(&mut w, Escaping(CompactFormatter));
        value.serialize(&mut ser)
    };
    result.map_err(|e| match e.io_error_kind() {
        Some(_) => super::io_out(io::Error::other(e.to_string())),
        None => CommandError::Io(format!("encoding JSON: {e}")),
    })?;
    w.write_all(b"\n").map_err(super::io_out)?;
    w.flush().map_err(super::io_out)
}

/// A formatter that escapes what serde_json leaves raw; everything else is `F`'s.
struct Escaping<F>(F);

impl<F: Formatter> Escaping<F> {
    fn escape<W: ?Sized + Write>(writer: &mut W, fragment: &str) -> io::Result<()> {
        let mut run = 0;
        for (i, c) in fragment.char_indices() {
            if !crate::text::is_marked(c) {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[run..i])?;
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                write!(writer, "\\u{u:04x}")?;
            }
            run = i + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[run..])
    }
}

macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        #[inline]
        fn $name<W: ?Sized + Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
            self.0.$name(writer $(, $arg)*)
        }
    )*};
}

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        Self::escape(writer, fragment)
    }

    // Everything PrettyFormatter does differently from the defaults.
    delegate! {
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        begin_object_value();
        end_object_value();
    }
}

/// The last writer before standard output: control and hidden characters that reach it
/// are shown, not sent (newline, tab and the CRLF that ends a CSV line pass).
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// Bytes held back: an incomplete UTF-8 sequence, or a CR waiting to see whether an
    /// LF follows.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            pending: Vec::new(),
        }
    }

    /// Sanitises and writes what is pending; at the `end`, nothing is held back.
    fn drain(&mut self, end: bool) -> io::Result<()> {
        let data = std::mem::take(&mut self.pending);
        let mut out = String::with_capacity(data.len());
        let mut rest: &[u8] = &data;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    if push_safe(&mut out, s, !end) {
                        self.pending.push(b'\r');
                    }
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    // `good` is valid UTF-8 by the error's own account.
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    push_safe(&mut out, good, false);
                    match e.error_len() {
                        Some(n) => {
                            out.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        None if end => {
                            out.push('\u{FFFD}');
                            rest = &[];
                            break;
                        }
                        None => {
                            rest = bad;
                            break;
                        }
                    }
                }
            }
        }
        self.pending.extend_from_slice(rest);
        self.inner.write_all(out.as_bytes())
    }
}

/// Appends `s` to `out`, sanitised; returns true when a final CR was held back (only
/// when `more` may follow).
fn push_safe(out: &mut String, s: &str, more: bool) -> bool {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' => match chars.peek() {
                Some('\n') => out.push('\r'),
                None if more => return true,
                _ => out.push_str("^M"),
            },
            c if crate::text::is_marked(c) => {
                out.push_str(&crate::text::sanitize_line(c.encode_utf8(&mut [0; 4])))
            }
            c => out.push(c),
        }
    }
    false
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The common case: printable ASCII lines, passed straight through.
        let plain = |b: &u8| matches!(*b, b'\n' | b'\t' | 0x20..=0x7E);
        if self.pending.is_empty() && buf.iter().all(plain) {
            self.inner.write_all(buf)?;
        } else {
            self.pending.extend_from_slice(buf);
            self.drain(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_the_sanitiser_marks() {
        let v = serde_json::json!({ "k\u{202E}": "a\u{1b}]0;x\u{7}b\u{85}c\u{7f}d\u{2066}e\u{E0041}f" });
        let s = json_string(&v, false).unwrap();
        assert_eq!(
            s,
            r#"{"k\u202e":"a\u001b]0;x\u0007b\u0085c\u007fd\u2066e\udb40\udc41f"}"#
        );
        assert!(s.is_ascii());
        // The document still holds the exact strings.
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
        // Clean documents are byte for byte what serde_json writes.
        let clean = serde_json::json!({ "a": [1, "é 🙂", { "b": null }], "c": "d" });
        assert_eq!(json_string(&clean, true).unwrap(), format!("{clean:#}"));
        assert_eq!(json_string(&clean, false).unwrap(), format!("{clean}"));
    }

    fn through(chunks: &[&[u8]]) -> String {
        let mut w = TerminalSafe::new(Vec::new());
        for c in chunks {
            w.write_all(c).unwrap();
        }
        w.flush().unwrap();
        String::from_utf8(w.inner).unwrap()
    }

    #[test]
    fn terminal_guard_shows_controls_and_keeps_lines() {
        assert_eq!(through(&[b"a\x1b]0;t\x07b\n"]), "a^[]0;t^Gb\n");
        assert_eq!(through(&[b"x,y\r\n", b"z\r", b"\n"]), "x,y\r\nz\r\n");
        assert_eq!(through(&[b"over\rwrite\n"]), "over^Mwrite\n");
        assert_eq!(through(&[b"end\r"]), "end^M");
        assert_eq!(through(&["\u{202E}é\t".as_bytes()]), "<U+202E>é\t");
        // A character split across writes is put back together.
        let e = "é\u{85}".as_bytes();
        assert_eq!(through(&[&e[..1], &e[1..3], &e[3..]]), "é<U+0085>");
        assert_eq!(through(&[b"bad \xff byte"]), "bad \u{FFFD} byte");
        assert_eq!(through(&[b"cut \xc3"]), "cut \u{FFFD}");
    }
}
