//! A fast reader for the plain subset of YAML that case files are written in: block
//! mappings and sequences, one-line plain and quoted scalars, one-line flow collections,
//! and `|`/`>` block scalars. It exists for speed only (serde-saphyr spends ~1 µs per
//! token; loading 10,000 cases must take well under a second on 2 cores).
//!
//! It never decides that a file is wrong. Whenever the text leaves the subset (anchors,
//! tags, multi-line plain or quoted scalars, escapes, tabs, odd indentation, duplicate keys,
//! nulls, anything it is not sure about) it gives up with [`Bail`] and the caller parses the
//! file again with serde-saphyr, which reports errors with their line and column. When it
//! does succeed, it yields exactly the value serde-saphyr yields: differential tests over
//! the sample library and thousands of mutated files check that.

use std::borrow::Cow;

/// "Not sure": the caller must use the general parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

impl std::fmt::Display for Bail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("outside the fast YAML subset")
    }
}

impl std::error::Error for Bail {}

/// A parsed node. Plain scalars stay untyped: the deserializer types them on demand.
#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Plain(&'a str),
    /// A quoted or block scalar: always a string.
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// Far below serde-saphyr's budgets (depth 32, 200,000 nodes): anything near them is left
/// to serde-saphyr, whose refusals are the ones users see.
const MAX_DEPTH: usize = 24;
const MAX_NODES: usize = 20_000;

/// Parses `src` if it lies entirely within the subset.
pub fn parse(src: &str) -> Result<Node<'_>, Bail> {
    check_chars(src)?;
    let mut lines = Vec::with_capacity(src.bytes().filter(|&b| b == b'\n').count() + 1);
    lines.extend(src.split('\n'));
    let mut p = Parser {
        lines,
        pos: 0,
        nodes: 0,
    };
    let first = p.next_content().ok_or(Bail)?;
    if p.lines[first] == "---" {
        p.pos = first + 1;
    }
    let start = p.next_content().ok_or(Bail)?;
    if indent(p.lines[start]) != 0 || key_split(p.lines[start]).is_none() {
        return Err(Bail);
    }
    let root = p.mapping(0, None, 1)?;
    if p.next_content().is_some() {
        return Err(Bail);
    }
    Ok(root)
}

/// Control characters, line separators, byte-order marks and non-characters are left to
/// serde-saphyr (some are errors, some are line breaks in YAML 1.1). One pass over the
/// bytes: C1 controls are C2 80..9F in UTF-8, U+2028/9 are E2 80 A8/A9, U+FEFF is
/// EF BB BF and U+FFFE/F are EF BF BE/BF.
fn check_chars(src: &str) -> Result<(), Bail> {
    let b = src.as_bytes();
    let plain = |c: &u8| (0x20..0x7F).contains(c) || *c == b'\n';
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    // Whole chunks of printable ASCII are skipped at once (the compiler vectorises this).
    for (n, chunk) in b.chunks(32).enumerate() {
        if chunk.iter().all(plain) {
            continue;
        }
        for (j, &c) in chunk.iter().enumerate() {
            let i = n * 32 + j;
            let odd = match c {
                b'\n' => false,
                0..0x20 | 0x7F => true,
                0xC2 => (0x80..=0x9F).contains(&at(i + 1)),
                0xE2 => at(i + 1) == 0x80 && matches!(at(i + 2), 0xA8 | 0xA9),
                0xEF => matches!((at(i + 1), at(i + 2)), (0xBB, 0xBF) | (0xBF, 0xBE | 0xBF)),
                _ => false,
            };
            if odd {
                return Err(Bail);
            }
        }
    }
    Ok(())
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ')
}

fn is_skippable(line: &str) -> bool {
    let t = line.trim_start_matches(' ');
    t.is_empty() || t.starts_with('#')
}

/// `key: rest` or `key:` at the start of `text`, with a plain identifier key.
fn key_split(text: &str) -> Option<(&str, &str)> {
    let b = text.as_bytes();
    if !b.first()?.is_ascii_alphabetic() && b[0] != b'_' {
        return None;
    }
    let end = b
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c == b'-'))?;
    if b[end] != b':' {
        return None;
    }
    match b.get(end + 1) {
        None => Some((&text[..end], "")),
        Some(b' ') => Some((&text[..end], &text[end + 1..])),
        Some(_) => None,
    }
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    /// The first line not consumed yet.
    pos: usize,
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn count(&mut self, depth: usize) -> Result<(), Bail> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(Bail);
        }
        Ok(())
    }

    /// The next line that is neither blank nor a comment, not consumed.
    fn next_content(&self) -> Option<usize> {
        (self.pos..self.lines.len()).find(|&l| !is_skippable(self.lines[l]))
    }

    /// A block mapping whose keys sit at column `col`. `first` is the line of its first
    /// key when that key follows a sequence dash (`- key: value`).
    fn mapping(
        &mut self,
        col: usize,
        first: Option<usize>,
        depth: usize,
    ) -> Result<Node<'a>, Bail> {
        self.count(depth)?;
        let mut entries: Vec<(&'a str, Node<'a>)> = Vec::new();
        let mut first = first;
        loop {
            let line = match first.take() {
                Some(l) => l,
                None => match self.next_content() {
                    Some(l) if indent(self.lines[l]) == col => l,
                    Some(l) if indent(self.lines[l]) < col => break,
                    None => break,
                    Some(_) => return Err(Bail),
                },
            };
            let text = self.lines[line].get(col..).ok_or(Bail)?;
            let (key, rest) = key_split(text).ok_or(Bail)?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(Bail);
            }
            self.pos = line + 1;
            let value = self.value(rest, col, depth + 1)?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }

    /// A block sequence whose dashes sit at column `col`.
    fn sequence(&mut self, col: usize, depth: usize) -> Result<Node<'a>, Bail> {
        self.count(depth)?;
        let mut items = Vec::new();
        while let Some(line) = self.next_content() {
            let text = self.lines[line];
            let ind = indent(text);
            if ind < col {
                break;
            }
            let rest = &text[ind..];
            if ind > col || !(rest == "-" || rest.starts_with("- ")) {
                // Deeper: an error or a continuation. Same column but not a dash: the
                // parent decides (the mapping above bails on it).
                if ind > col {
                    return Err(Bail);
                }
                break;
            }
            self.pos = line + 1;
            let after = &rest[1..];
            let content = after.trim_start_matches(' ');
            if content.is_empty() {
                items.push(self.block_node(col, depth + 1)?);
                continue;
            }
            if content == "-" || content.starts_with("- ") {
                return Err(Bail);
            }
            let content_col = col + 1 + (after.len() - content.len());
            if key_split(content).is_some() {
                items.push(self.mapping(content_col, Some(line), depth + 1)?);
            } else {
                items.push(self.value(content, col, depth + 1)?);
            }
        }
        Ok(Node::Seq(items))
    }

    /// A block collection on the following lines, indented deeper than `parent`.
    fn block_node(&mut self, parent: usize, depth: usize) -> Result<Node<'a>, Bail> {
        let line = self.next_content().ok_or(Bail)?;
        let text = self.lines[line];
        let col = indent(text);
        if col <= parent {
            return Err(Bail); // an empty value: null, left to serde-saphyr
        }
        let rest = &text[col..];
        if rest == "-" || rest.starts_with("- ") {
            self.sequence(col, depth)
        } else if key_split(rest).is_some() {
            self.mapping(col, None, depth)
        } else {
            Err(Bail)
        }
    }

    /// The value after `key:` (or after `- `), `rest` being the remainder of its line and
    /// `parent` the column that anything on later lines must be deeper than.
    fn value(&mut self, rest: &'a str, parent: usize, depth: usize) -> Result<Node<'a>, Bail> {
        let v = rest.trim_start_matches(' ');
        if v.is_empty() || v.starts_with('#') {
            return self.block_node(parent, depth);
        }
        self.count(depth)?;
        let node = match v.as_bytes()[0] {
            b'|' | b'>' => return self.block_scalar(v, parent),
            b'"' => {
                let (s, after) = double_quoted(v)?;
                trailing(after)?;
                Node::Str(s)
            }
            b'\'' => {
                let (s, after) = single_quoted(v)?;
                trailing(after)?;
                Node::Str(s)
            }
            b'[' | b'{' => {
                let (node, after) = flow(v, &mut self.nodes)?;
                trailing(after)?;
                node
            }
            b'&' | b'*' | b'!' | b'%' | b'@' | b'`' | b'?' | b',' | b']' | b'}' | b'-' | b':' => {
                return Err(Bail);
            }
            _ => Node::Plain(plain(v)?),
        };
        self.no_deeper_line(parent)?;
        Ok(node)
    }

    /// After a one-line value, a deeper line would continue it (or be an error).
    fn no_deeper_line(&self, parent: usize) -> Result<(), Bail> {
        let next = (self.pos..self.lines.len()).find(|&l| !is_blank(self.lines[l]));
        match next {
            Some(l) if indent(self.lines[l]) > parent => Err(Bail),
            _ => Ok(()),
        }
    }

    /// `|`, `|-`, `>` or `>-` (an optional comment after), content on the lines below.
    fn block_scalar(&mut self, header: &'a str, parent: usize) -> Result<Node<'a>, Bail> {
        let (style, after) = header.split_at(1);
        let (strip, after) = match after.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let after_t = after.trim_start_matches(' ');
        if !(after_t.is_empty() || (after.starts_with(' ') && after_t.starts_with('#'))) {
            return Err(Bail); // keep `+`, indentation digits, or junk
        }
        let folded = style == ">";
        let first = self.pos;
        let Some(&text) = self.lines.get(first) else {
            return Err(Bail);
        };
        if is_blank(text) {
            return Err(Bail); // leading empty lines: rare, left to serde-saphyr
        }
        let ci = indent(text);
        if ci <= parent {
            return Err(Bail); // empty scalar
        }
        let mut out = String::new();
        let mut pending_blank = 0usize;
        let mut l = first;
        while let Some(&line) = self.lines.get(l) {
            if is_blank(line) {
                if line.len() > ci {
                    return Err(Bail); // spaces that would be content
                }
                pending_blank += 1;
                l += 1;
                continue;
            }
            if indent(line) < ci {
                break;
            }
            let content = &line[ci..];
            if folded {
                if content.starts_with(' ') {
                    return Err(Bail); // more-indented lines are not folded
                }
                if !out.is_empty() {
                    if pending_blank == 0 {
                        out.push(' ');
                    } else {
                        out.extend(std::iter::repeat_n('\n', pending_blank));
                    }
                }
            } else if !out.is_empty() {
                out.extend(std::iter::repeat_n('\n', pending_blank + 1));
            }
            pending_blank = 0;
            out.push_str(content);
            l += 1;
        }
        self.pos = l;
        if !strip {
            out.push('\n');
        }
        Ok(Node::Str(Cow::Owned(out)))
    }
}

/// A plain scalar on one line, its comment (` #`) removed; `: ` inside or `:` at the end
/// would make it a mapping, so those are left to serde-saphyr.
fn plain(v: &str) -> Result<&str, Bail> {
    let b = v.as_bytes();
    let mut end = b.len();
    for i in 1..b.len() {
        match (b[i - 1], b[i]) {
            (b' ', b'#') => {
                end = i - 1;
                break;
            }
            (b':', b' ') => return Err(Bail),
            _ => {}
        }
    }
    let s = v[..end].trim_end_matches(' ');
    if s.is_empty() || s.ends_with(':') {
        return Err(Bail);
    }
    Ok(s)
}

/// What may follow a closed scalar or collection on its line: nothing, or a comment.
fn trailing(after: &str) -> Result<(), Bail> {
    let t = after.trim_start_matches(' ');
    if t.is_empty() || (after.starts_with(' ') && t.starts_with('#')) {
        Ok(())
    } else {
        Err(Bail)
    }
}

/// `"..."` closed on the same line, with the common escapes `\" \\ \/ \n \t` (others
/// are left to serde-saphyr): (content, rest of line).
fn double_quoted(v: &str) -> Result<(Cow<'_, str>, &str), Bail> {
    let body = &v[1..];
    let mut owned: Option<String> = None;
    let mut i = 0;
    loop {
        let at = body[i..].find(['"', '\\']).ok_or(Bail)? + i;
        if body.as_bytes()[at] == b'"' {
            return Ok((finish(owned, body, i, at), &body[at + 1..]));
        }
        let unescaped = match body.as_bytes().get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'n') => '\n',
            Some(b't') => '\t',
            _ => return Err(Bail),
        };
        let s = owned.get_or_insert_with(String::new);
        s.push_str(&body[i..at]);
        s.push(unescaped);
        i = at + 2;
    }
}

/// `'...'` closed on the same line, `''` meaning one quote: (content, rest of line).
fn single_quoted(v: &str) -> Result<(Cow<'_, str>, &str), Bail> {
    let body = &v[1..];
    let mut i = 0;
    let mut owned: Option<String> = None;
    loop {
        let q = body[i..].find('\'').ok_or(Bail)? + i;
        if body.as_bytes().get(q + 1) == Some(&b'\'') {
            owned.get_or_insert_with(String::new).push_str(&body[i..=q]);
            i = q + 2;
            continue;
        }
        return Ok((finish(owned, body, i, q), &body[q + 1..]));
    }
}

/// A quoted scalar's content ending at `end`: borrowed when nothing was unescaped, else
/// the unescaped part `owned` so far plus `body[from..end]`.
fn finish(owned: Option<String>, body: &str, from: usize, end: usize) -> Cow<'_, str> {
    match owned {
        Some(mut s) => {
            s.push_str(&body[from..end]);
            Cow::Owned(s)
        }
        None => Cow::Borrowed(&body[..end]),
    }
}

/// A one-line flow sequence of scalars or flow mapping of `key: scalar` pairs, not nested.
fn flow<'a>(v: &'a str, nodes: &mut usize) -> Result<(Node<'a>, &'a str), Bail> {
    let is_map = v.starts_with('{');
    let close = if is_map { '}' } else { ']' };
    let mut rest = v[1..].trim_start_matches(' ');
    let mut items = Vec::new();
    let mut pairs: Vec<(&'a str, Node<'a>)> = Vec::new();
    if let Some(after) = rest.strip_prefix(close) {
        let node = if is_map {
            Node::Map(pairs)
        } else {
            Node::Seq(items)
        };
        return Ok((node, after));
    }
    loop {
        *nodes += 1;
        if *nodes > MAX_NODES {
            return Err(Bail);
        }
        if is_map {
            let (key, after) = key_split(rest).ok_or(Bail)?;
            if after.is_empty() || pairs.iter().any(|(k, _)| *k == key) {
                return Err(Bail);
            }
            let (value, after) = flow_scalar(after.trim_start_matches(' '))?;
            pairs.push((key, value));
            rest = after;
        } else {
            let (value, after) = flow_scalar(rest)?;
            items.push(value);
            rest = after;
        }
        rest = rest.trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start_matches(' ');
            if rest.starts_with(close) {
                return Err(Bail); // a trailing comma: left to serde-saphyr
            }
            continue;
        }
        let after = rest.strip_prefix(close).ok_or(Bail)?;
        let node = if is_map {
            Node::Map(pairs)
        } else {
            Node::Seq(items)
        };
        return Ok((node, after));
    }
}

/// One scalar inside a flow collection: quoted, or plain up to `,` `]` `}`.
fn flow_scalar(v: &str) -> Result<(Node<'_>, &str), Bail> {
    match v.as_bytes().first() {
        Some(b'"') => {
            let (s, after) = double_quoted(v)?;
            Ok((Node::Str(s), after))
        }
        Some(b'\'') => {
            let (s, after) = single_quoted(v)?;
            Ok((Node::Str(s), after))
        }
        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80 => {
            let end = v.find([',', ']', '}']).ok_or(Bail)?;
            let s = v[..end].trim_end_matches(' ');
            if s.contains([':', '#', '[', '{', '"', '\'', '&', '*', '!']) {
                return Err(Bail);
            }
            Ok((Node::Plain(s), &v[end..]))
        }
        _ => Err(Bail),
    }
}
