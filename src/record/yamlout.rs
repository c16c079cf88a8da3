//! The deterministic YAML writer behind every signed file (records, checkpoints).
//!
//! Quoting rules, chosen so that every string reads back exactly as written:
//! - plain only for "word" scalars: ASCII letters, digits and `_ . @ / + = -` (and `:`
//!   outside flow collections), starting with a letter or digit, that no YAML schema
//!   could read as a number, boolean, null or date;
//! - everything else double-quoted on one line, with `\\`, `\"` and `\uXXXX` escapes for
//!   control, line-separator, BOM and non-character code points;
//! - multi-line free text as a literal block (`|` or `|-`, with an indentation indicator
//!   when the first line starts with a space) when every line is plain printable text
//!   without trailing blanks, else double-quoted.

use std::fmt::Write as _;

/// Reserved words some YAML schema reads as something other than a string.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf", "infinity",
];

/// True when `s` may be written as a plain scalar (`flow`: inside `{ }` or `[ ]`).
pub fn plain_ok(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphanumeric() || s.ends_with(':') {
        return false;
    }
    let charset = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.@/+=-".contains(c) || (c == ':' && !flow));
    if !charset {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if RESERVED.contains(&lower.as_str()) || ["0x", "0o", "0b"].iter().any(|p| lower.starts_with(p))
    {
        return false;
    }
    // Anything made only of digits and number/date punctuation could be read as a
    // number, a date or a sexagesimal: quote it.
    !s.chars()
        .all(|c| c.is_ascii_digit() || "_.+-:eExXoObBtTzZ".contains(c))
}

/// A double-quoted scalar with escapes for everything that is not plain printable.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters YAML does not allow raw, or that a reader might normalise away.
fn needs_escape(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7F..=0x9F).contains(&u)
        || matches!(u, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
        || (0xD800..=0xDFFF).contains(&u)
}

/// `scalar` as plain when safe, quoted otherwise.
pub fn scalar(s: &str, flow: bool) -> String {
    if plain_ok(s, flow) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// True when `s` can be a literal block scalar that reads back exactly.
fn block_ok(s: &str) -> bool {
    let body = match s.strip_suffix('\n') {
        Some(b) => b,
        None => s,
    };
    if body.is_empty() || body.ends_with('\n') {
        return false;
    }
    body.split('\n').all(|line| {
        !line.ends_with([' ', '\t'])
            && !line.starts_with('\t')
            && line.chars().all(|c| c == '\t' || !needs_escape(c))
    })
}

/// `sha256:` followed by 64 lowercase hex digits.
pub fn is_sha256_link(s: &str) -> bool {
    s.strip_prefix("sha256:").is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Builds a document line by line.
#[derive(Default)]
pub struct Out {
    buf: String,
    /// Entries written in the current flow mapping.
    in_map: usize,
}

impl Out {
    pub fn key(&mut self, k: &str) {
        self.buf.push_str(k);
        self.buf.push_str(": ");
    }

    /// `key: value` with `value` written as is (callers pass known-safe values).
    pub fn kv_plain(&mut self, k: &str, v: &str) {
        let _ = writeln!(self.buf, "{k}: {v}");
    }

    pub fn kv_str(&mut self, k: &str, v: &str) {
        let _ = writeln!(self.buf, "{k}: {}", scalar(v, false));
    }

    /// `key: [a, b]` (a flow sequence of strings, `[]` when empty).
    pub fn kv_str_list(&mut self, k: &str, items: &[String]) {
        let _ = writeln!(self.buf, "{k}: {}", flow_list(items));
    }

    /// A block sequence of flow mappings, or `key: []`.
    pub fn list<T>(&mut self, k: &str, items: &[T], mut each: impl FnMut(&mut Out, &T)) {
        if items.is_empty() {
            let _ = writeln!(self.buf, "{k}: []");
            return;
        }
        let _ = writeln!(self.buf, "{k}:");
        for it in items {
            self.buf.push_str("  - ");
            each(self, it);
            self.buf.push('\n');
        }
    }

    pub fn map_start(&mut self) {
        self.buf.push('{');
        self.in_map = 0;
    }

    fn entry_sep(&mut self) {
        self.buf.push_str(if self.in_map == 0 { " " } else { ", " });
        self.in_map += 1;
    }

    pub fn entry_plain(&mut self, k: &str, v: &str) {
        self.entry_sep();
        let _ = write!(self.buf, "{k}: {v}");
    }

    pub fn entry_str(&mut self, k: &str, v: &str) {
        self.entry_sep();
        let _ = write!(self.buf, "{k}: {}", scalar(v, true));
    }

    pub fn entry_list(&mut self, k: &str, items: &[String]) {
        self.entry_sep();
        let _ = write!(self.buf, "{k}: {}", flow_list(items));
    }

    pub fn map_end(&mut self) {
        self.buf.push_str(" }");
    }

    /// Closes a flow mapping that is the value of a top-level key.
    pub fn map_end_line(&mut self) {
        self.buf.push_str(" }\n");
    }

    /// Free text: a literal block when it reads back exactly, else a quoted string.
    pub fn kv_text(&mut self, k: &str, v: &str) {
        if !block_ok(v) {
            self.kv_str(k, v);
            return;
        }
        let first_nonempty = v.split('\n').find(|l| !l.is_empty()).unwrap_or("");
        let indicator = if first_nonempty.starts_with(' ') {
            "2"
        } else {
            ""
        };
        let chomp = if v.ends_with('\n') { "" } else { "-" };
        let _ = writeln!(self.buf, "{k}: |{indicator}{chomp}");
        let body = v.strip_suffix('\n').unwrap_or(v);
        for line in body.split('\n') {
            if line.is_empty() {
                self.buf.push('\n');
            } else {
                let _ = writeln!(self.buf, "  {line}");
            }
        }
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf.into_bytes()
    }
}

fn flow_list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let parts: Vec<String> = items.iter().map(|s| scalar(s, true)).collect();
    format!("[{}]", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rules() {
        for ok in [
            "chart",
            "AR-2026-0101",
            "a.rivera@x.example",
            "SHA256:ab+/c=",
            "psychotherapy-notes",
        ] {
            assert!(plain_ok(ok, false), "{ok}");
        }
        for bad in [
            "",
            "true",
            "No",
            "123",
            "1e5",
            "2026-01-01",
            "a b",
            "-x",
            "x:",
            "null",
            "0x1F",
            "12:30",
        ] {
            assert!(!plain_ok(bad, false), "{bad}");
        }
        assert!(!plain_ok("SHA256:ab", true));
    }

    #[test]
    fn quoting_escapes() {
        assert_eq!(
            quoted("a\"b\\c\n\u{1b}\u{2028}"),
            "\"a\\\"b\\\\c\\n\\u001B\\u2028\""
        );
    }
}
