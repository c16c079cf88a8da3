//! The one place YAML is parsed: serde-saphyr behind budgets, with errors reduced to
//! `line`, `column` and a plain message (plus a "did you mean" hint for typos).
//!
//! Why serde-saphyr: DESIGN.md section 8 (maintained, pure Rust, rejects duplicate keys,
//! budgets against alias bombs and deep nesting, precise locations).

use serde::Serialize;
use serde::de::DeserializeOwned;

mod subset;
mod subset_de;
pub mod tree;

/// A YAML or schema error at a position in the source (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Limits for untrusted input. Case files are small, flat documents: these are generous
/// for them and far below what an alias bomb or a 10,000-deep nest needs. The numbers
/// are named so that the messages that report a breach quote the same figures.
const MAX_DEPTH: usize = 32;
const MAX_ALIASES: usize = 256;
const MAX_ANCHORS: usize = 256;
const MAX_NODES: usize = 200_000;
const MAX_ANCHOR_EVENTS: usize = 20_000;
const MAX_SCALAR_BYTES: usize = 8 * 1024 * 1024;
const MAX_REPLAYED_EVENTS: usize = 20_000;
const MAX_REPLAY_DEPTH: usize = 16;

pub(crate) fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_documents = 1;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ANCHORS;
    budget.max_nodes = MAX_NODES;
    budget.max_recorded_anchor_events = MAX_ANCHOR_EVENTS;
    budget.max_total_scalar_bytes = MAX_SCALAR_BYTES;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    alias_limits.max_replay_stack_depth = MAX_REPLAY_DEPTH;
    serde_saphyr::options! {
        budget: Some(budget),
        alias_limits: alias_limits,
    }
}

/// A breached limit in words, for the person who wrote the file: serde-saphyr's own
/// message prints its internal struct (`ScalarBytes { total_scalar_bytes: … }`).
/// `None` for an error that is not a limit.
fn limit_words(e: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut e = e;
    while let E::WithSnippet { error, .. } | E::AliasError { error, .. } = e {
        e = error;
    }
    let words = match e {
        E::Budget { breach, .. } => match breach {
            B::ScalarBytes { .. } => format!(
                "its text, with every alias (`*name`) expanded, comes to more than {} MiB; \
                 an alias repeating a large anchor is an \"alias bomb\"",
                MAX_SCALAR_BYTES / (1024 * 1024)
            ),
            B::Aliases { .. } => format!("it uses more than {MAX_ALIASES} aliases (`*name`)"),
            B::Anchors { .. } => format!("it defines more than {MAX_ANCHORS} anchors (`&name`)"),
            B::Depth { .. } => format!("it is nested more than {MAX_DEPTH} levels deep"),
            B::Documents { .. } => {
                "it holds more than one YAML document (a second `---`)".to_string()
            }
            B::Nodes { .. } | B::Events { .. } => {
                format!("it holds more than {} values", thousands(MAX_NODES))
            }
            B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => format!(
                "its anchors (`&name`) hold more than {} values to repeat; anchors that \
                 repeat other anchors are an \"alias bomb\"",
                thousands(MAX_ANCHOR_EVENTS)
            ),
            B::AliasAnchorRatio { .. } => {
                "it uses far more aliases (`*name`) than it defines anchors".to_string()
            }
            B::MergeKeys { .. } => "it uses too many merge keys (`<<`)".to_string(),
            _ => "it exceeds a limit on the size, nesting or aliases of a file".to_string(),
        },
        E::AliasReplayLimitExceeded { .. } | E::AliasExpansionLimitExceeded { .. } => format!(
            "its aliases (`*name`) would expand to more than {} values; an alias \
             repeating an anchor that itself repeats others is an \"alias bomb\"",
            thousands(MAX_REPLAYED_EVENTS)
        ),
        E::AliasReplayStackDepthExceeded { .. } => format!(
            "its aliases (`*name`) are nested inside each other more than {MAX_REPLAY_DEPTH} deep"
        ),
        _ => return None,
    };
    Some(format!("document too complex: {words}; refused"))
}

/// Deserializes one YAML document into `T`, under the input budgets. Documents in the
/// plain subset most files use are read by a fast reader that yields the same values;
/// everything else, and every error, goes through serde-saphyr.
pub fn from_str<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    if let Some(value) = from_str_fast(src) {
        return Ok(value);
    }
    from_str_general(src)
}

/// The fast reader alone: `None` when the document leaves its subset or does not fit `T`.
pub fn from_str_fast<T: DeserializeOwned>(src: &str) -> Option<T> {
    let node = subset::parse(src).ok()?;
    T::deserialize(subset_de::NodeDe(node)).ok()
}

/// serde-saphyr alone (for the differential tests and for errors).
pub fn from_str_general<T: DeserializeOwned>(src: &str) -> Result<T, YamlError> {
    serde_saphyr::from_str_with_options::<T>(src, options()).map_err(|e| convert(&e))
}

/// Serializes `value` as YAML (block style).
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_saphyr::to_string(value).map_err(|e| e.to_string())
}

pub(crate) fn convert(e: &serde_saphyr::Error) -> YamlError {
    let (line, column) = e
        .location()
        .map(|l| (clamp(l.line()), clamp(l.column())))
        .filter(|(l, _)| *l > 0)
        .unwrap_or((1, 1));
    let plain = e.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let message = limit_words(e).unwrap_or_else(|| explain(strip_location(&plain)));
    YamlError {
        line,
        column,
        message,
    }
}

/// `20000` as `20,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// serde-saphyr appends " at line N, column M"; we report the position separately.
fn strip_location(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(", column ") => &msg[..i],
        _ => msg,
    }
}

/// Rewrites terse library messages into what a person filling in a case file needs.
fn explain(msg: &str) -> String {
    if let Some(hinted) = did_you_mean(msg) {
        return hinted;
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return format!("duplicate key `{key}`: each key may appear only once");
    }
    // chrono's date parse errors: say what a date must look like.
    match msg {
        "input is out of range"
        | "input contains invalid characters"
        | "premature end of input"
        | "trailing input"
        | "input is not enough for unique date and time" => {
            format!("invalid date ({msg}); expected YYYY-MM-DD")
        }
        _ if msg.contains("budget") || msg.contains("limit") => {
            format!("document too complex ({msg}); refused")
        }
        _ => msg.to_string(),
    }
}

/// For "unknown field `x`, expected one of a, b" and "unknown variant ...", adds the
/// closest expected name when it is close enough to be a typo.
fn did_you_mean(msg: &str) -> Option<String> {
    let what = if msg.starts_with("unknown field `") {
        "key"
    } else if msg.starts_with("unknown variant `") {
        "value"
    } else {
        return None;
    };
    let start = msg.find('`')? + 1;
    let end = start + msg[start..].find('`')?;
    let given = &msg[start..end];
    let expected: Vec<&str> = msg
        .split_once("expected one of ")
        .or_else(|| msg.split_once("expected "))
        .map(|(_, list)| {
            list.split(", ")
                .map(|s| s.trim_matches('`').trim())
                .collect()
        })
        .unwrap_or_default();
    let best = expected
        .iter()
        .map(|cand| (edit_distance(given, cand), *cand))
        .filter(|(d, cand)| *d <= (cand.len().max(given.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d);
    let list = expected.join(", ");
    Some(match best {
        Some((_, cand)) => {
            format!("unknown {what} `{given}` (did you mean `{cand}`?); expected one of: {list}")
        }
        None if list.is_empty() => format!("unknown {what} `{given}`"),
        None => format!("unknown {what} `{given}`; expected one of: {list}"),
    })
}

/// Levenshtein distance over chars; inputs are short identifiers.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds the 1-based (line, column) of the node at `path` in block-style YAML, for
/// errors found after parsing (validation). Falls back to the deepest ancestor found,
/// and to (1, 1) for the document itself. Flow collections are not descended into.
pub fn locate(src: &str, path: &[Seg]) -> (u32, u32) {
    let lines: Vec<&str> = src.lines().collect();
    let mut best = (1u32, 1u32);
    // The block we search in: line range [from, to) and the minimum indentation of a child.
    let (mut from, mut to, mut min_indent) = (0usize, lines.len(), 0usize);
    for seg in path {
        let found = match seg {
            Seg::Key(key) => find_key(&lines, from, to, min_indent, key),
            Seg::Index(idx) => find_item(&lines, from, to, min_indent, *idx),
        };
        let Some((line, col, content_col)) = found else {
            break;
        };
        best = (clamp(line as u64 + 1), clamp(col as u64 + 1));
        // The node's children: following lines indented deeper than the entry itself.
        let end = (line + 1..to)
            .find(|&l| {
                let t = lines[l];
                !is_blank_or_comment(t) && indent(t) <= col
            })
            .unwrap_or(to);
        // A sequence item's mapping keys start on the dash line at `content_col`.
        if matches!(seg, Seg::Index(_)) {
            from = line;
            min_indent = content_col;
        } else {
            from = line + 1;
            min_indent = col + 1;
        }
        to = end;
    }
    best
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// A `key:` entry at the shallowest indentation >= min_indent within [from, to).
/// Returns (line, column of key, column of key).
fn find_key(
    lines: &[&str],
    from: usize,
    to: usize,
    min_indent: usize,
    key: &str,
) -> Option<(usize, usize, usize)> {
    let mut level: Option<usize> = None;
    for (l, text) in lines.iter().enumerate().take(to).skip(from) {
        if is_blank_or_comment(text) {
            continue;
        }
        // On a sequence item's first line the key follows "- ".
        let (col, rest) = if l == from && min_indent > indent(text) {
            (min_indent, text.get(min_indent..).unwrap_or(""))
        } else {
            (indent(text), text.trim_start_matches(' '))
        };
        if col < min_indent {
            break;
        }
        let lvl = *level.get_or_insert(col);
        if col != lvl {
            continue;
        }
        let bare = rest.trim_start_matches(['"', '\'']);
        if let Some(after) = bare.strip_prefix(key) {
            let after = after.trim_start_matches(['"', '\'']);
            if after.starts_with(':') {
                return Some((l, col, col));
            }
        }
    }
    None
}

/// The `idx`-th `- ` item at the shallowest indentation >= min_indent within [from, to).
/// Returns (line, column of the dash, column of the item's content).
fn find_item(
    lines: &[&str],
    from: usize,
    to: usize,
    min_indent: usize,
    idx: usize,
) -> Option<(usize, usize, usize)> {
    let mut level: Option<usize> = None;
    let mut seen = 0usize;
    for (l, text) in lines.iter().enumerate().take(to).skip(from) {
        if is_blank_or_comment(text) {
            continue;
        }
        let col = indent(text);
        if col < min_indent.saturating_sub(2) {
            break;
        }
        let rest = &text[col..];
        if !(rest.starts_with("- ") || rest == "-") {
            continue;
        }
        let lvl = *level.get_or_insert(col);
        if col != lvl {
            continue;
        }
        if seen == idx {
            let content = col + 1 + indent(&rest[1..]);
            return Some((l, col, content));
        }
        seen += 1;
    }
    None
}

/// "(did you mean `x`?)" when a close candidate exists, else "".
pub fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    candidates
        .map(|c| (edit_distance(given, c), c))
        .filter(|(d, c)| *d <= (c.len().max(given.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_message(src: &str) -> String {
        from_str_general::<serde_json::Value>(src)
            .unwrap_err()
            .message
    }

    #[test]
    fn breached_limits_are_said_in_words() {
        let big = "x".repeat(100_000);
        let refs = vec!["*a"; 100].join(", ");
        let m = limit_message(&format!("k: [&a \"{big}\", {refs}]\n"));
        assert!(m.starts_with("document too complex: its text"), "{m}");
        assert!(
            m.contains("more than 8 MiB") && m.contains("alias bomb"),
            "{m}"
        );
        let mut laughs = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for (n, p) in ["b", "c", "d", "e", "f"]
            .iter()
            .zip(["a", "b", "c", "d", "e"])
        {
            laughs.push_str(&format!(
                "{n}: &{n} [{}]\n",
                vec![format!("*{p}"); 10].join(",")
            ));
        }
        let m = limit_message(&laughs);
        assert!(
            m.contains("more than 20,000 values") && m.contains("alias bomb"),
            "{m}"
        );
        let anchors: String = (0..300).map(|i| format!("k{i}: &a{i} x\n")).collect();
        assert_eq!(
            limit_message(&anchors),
            "document too complex: it defines more than 256 anchors (`&name`); refused"
        );
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert_eq!(
            limit_message(&deep),
            "document too complex: it is nested more than 32 levels deep; refused"
        );
        for m in [limit_message(&anchors), limit_message(&deep)] {
            assert!(!m.contains('{') && !m.contains("budget"), "{m}");
        }
    }

    const DOC: &str = "id: A\nrequest:\n  requester:\n    name: X\n  records:\n    - id: chart\n      category: chart\n    - id: notes\n      category: lab\nharm_evaluation:\n  records: [chart]\n";

    #[test]
    fn locates_keys_and_items() {
        assert_eq!(locate(DOC, &[Seg::Key("id")]), (1, 1));
        assert_eq!(
            locate(DOC, &[Seg::Key("request"), Seg::Key("records")]),
            (5, 3)
        );
        assert_eq!(
            locate(
                DOC,
                &[
                    Seg::Key("request"),
                    Seg::Key("records"),
                    Seg::Index(1),
                    Seg::Key("id")
                ]
            ),
            (8, 7)
        );
        assert_eq!(
            locate(
                DOC,
                &[
                    Seg::Key("request"),
                    Seg::Key("records"),
                    Seg::Index(1),
                    Seg::Key("category")
                ]
            ),
            (9, 7)
        );
        // A key that only exists elsewhere is not found under the wrong parent.
        assert_eq!(
            locate(DOC, &[Seg::Key("harm_evaluation"), Seg::Key("name")]),
            (10, 1)
        );
    }

    #[test]
    fn hints_typos() {
        let e = from_str::<crate::case::model::Patient>("ref: P-1\nagee: 3\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(e.message.contains("did you mean `age`?"), "{}", e.message);
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("recieved", "received"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
