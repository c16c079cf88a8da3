//! Text cut to fit a column: whatever is cut ends with `…`, and rows whose full texts
//! differ never look the same once cut (the part where they differ is kept).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Display columns of `s`.
pub fn width(s: &str) -> usize {
    s.width()
}

/// The first characters of `s` that fill at most `cols` columns.
fn head(s: &str, cols: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > cols {
            return &s[..i];
        }
        used += w;
    }
    s
}

/// The last characters of `s` that fill at most `cols` columns.
fn tail(s: &str, cols: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > cols {
            return &s[i + c.len_utf8()..];
        }
        used += w;
    }
    s
}

/// `s` if it fits in `cols` columns, else its start and `…`.
pub fn fit(s: &str, cols: usize) -> String {
    if width(s) <= cols {
        return s.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    format!("{}…", head(s, cols - 1))
}

/// Each of `texts` fitted to `cols` columns, such that two texts that differ never come
/// out the same: where plain cutting would make them equal, the cut keeps the start, an
/// `…`, and the part from where the text differs from the others (to its end, or with a
/// final `…`).
pub fn distinct(texts: &[&str], cols: usize) -> Vec<String> {
    let plain: Vec<String> = texts.iter().map(|t| fit(t, cols)).collect();
    let mut out = plain.clone();
    if cols < 5 {
        return out;
    }
    for i in 0..texts.len() {
        let clashes: Vec<usize> = (0..texts.len())
            .filter(|&j| j != i && plain[j] == plain[i] && texts[j] != texts[i])
            .collect();
        if clashes.is_empty() {
            continue;
        }
        // Characters shared with the most similar other text: the difference starts after.
        let shared = clashes
            .iter()
            .map(|&j| common_prefix(texts[i], texts[j]))
            .max()
            .unwrap_or(0);
        out[i] = around(texts[i], shared, cols);
    }
    out
}

/// Byte length of the common prefix of `a` and `b` (on a character boundary).
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// `s` in `cols` columns showing its start and the part from byte `diff` on.
fn around(s: &str, diff: usize, cols: usize) -> String {
    let keep = cols / 3;
    let start = head(s, keep);
    let rest = cols.saturating_sub(width(start) + 1);
    let from = &s[diff.min(s.len())..];
    // A few characters of context before the difference, when they fit.
    let ctx_start = s[..diff.min(s.len())]
        .char_indices()
        .rev()
        .nth(3)
        .map_or(0, |(i, _)| i)
        .max(start.len());
    let window = &s[ctx_start..];
    if width(window) <= rest {
        return format!("{start}…{window}");
    }
    if width(from) <= rest {
        return format!("{start}…{}", tail(s, rest));
    }
    format!("{start}…{}…", head(from, rest.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_text_ends_with_an_ellipsis() {
        assert_eq!(fit("abcdef", 6), "abcdef");
        assert_eq!(fit("abcdefg", 6), "abcde…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn texts_that_differ_stay_different() {
        let a =
            "Patient says \"I'll shoot her tonight\" about his ex-partner; has a gun (California)";
        let b = "Patient says \"I'll shoot her tonight\" about his ex-partner; has a gun (Texas variant)";
        for cols in 5..90 {
            let out = distinct(&[a, b], cols);
            assert_ne!(out[0], out[1], "at {cols}");
            assert!(out.iter().all(|o| width(o) <= cols), "{out:?} at {cols}");
        }
        let out = distinct(&[a, b], 26);
        assert!(out[0].contains("Cal") && out[1].contains("Tex"), "{out:?}");
        // Equal texts stay equal; unrelated ones are cut plainly.
        assert_eq!(distinct(&[a, a], 20)[0], distinct(&[a, a], 20)[1]);
        assert_eq!(distinct(&["abcdefgh", "xyz"], 5), ["abcd…", "xyz"]);
    }
}
