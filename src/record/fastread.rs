//! A fast reader for records in canonical form only: the exact grammar the writer in
//! [`super::yamlout`] produces. `Record::from_bytes` uses it first and accepts its
//! result only if writing the record again reproduces the bytes; anything else goes
//! to the general YAML reader, which also produces the precise error. Since every
//! record the writer produces reads back unchanged through the YAML reader (tested),
//! both readers agree on every file the fast one accepts. It exists because verifying
//! 100,000 records should cost about as much as checking their signatures.

use chrono::NaiveDate;

use super::model::{
    Action, DeadlineInfo, Disclosure, Notice, OverriddenFinding, Record, RecordAction, RecordType,
    parse_time,
};

enum V {
    S(String),
    L(Vec<V>),
    M(Vec<(String, V)>),
}

impl V {
    fn s(self) -> Option<String> {
        match self {
            V::S(s) => Some(s),
            _ => None,
        }
    }
    fn l(self) -> Option<Vec<V>> {
        match self {
            V::L(l) => Some(l),
            _ => None,
        }
    }
    fn m(self) -> Option<Vec<(String, V)>> {
        match self {
            V::M(m) => Some(m),
            _ => None,
        }
    }
}

fn plain_char(c: char, flow: bool) -> bool {
    c.is_ascii_alphanumeric() || "_.@/+=-".contains(c) || (c == ':' && !flow)
}

/// A scalar at the start of `s`: double-quoted, or plain.
fn scalar(s: &str, flow: bool) -> Option<(String, &str)> {
    if let Some(rest) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Some((out, &rest[i + 1..])),
                '\\' => match chars.next()?.1 {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'u' => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            code = code * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        out.push(char::from_u32(code)?);
                    }
                    _ => return None,
                },
                c => out.push(c),
            }
        }
        return None;
    }
    let end = s.find(|c| !plain_char(c, flow)).unwrap_or(s.len());
    (end > 0).then(|| (s[..end].to_string(), &s[end..]))
}

/// A flow value: `[a, b]`, `{ k: v, ... }` or a scalar.
fn flow(s: &str) -> Option<(V, &str)> {
    if let Some(mut rest) = s.strip_prefix('[') {
        let mut items = Vec::new();
        if let Some(r) = rest.strip_prefix(']') {
            return Some((V::L(items), r));
        }
        loop {
            let (v, r) = scalar(rest, true)?;
            items.push(V::S(v));
            if let Some(r) = r.strip_prefix(", ") {
                rest = r;
            } else {
                return Some((V::L(items), r.strip_prefix(']')?));
            }
        }
    }
    if let Some(mut rest) = s.strip_prefix("{ ") {
        let mut entries = Vec::new();
        loop {
            let colon = rest.find(": ")?;
            let key = rest[..colon].to_string();
            let (v, r) = match rest[colon + 2..].chars().next()? {
                '[' => flow(&rest[colon + 2..])?,
                _ => {
                    let (s, r) = scalar(&rest[colon + 2..], true)?;
                    (V::S(s), r)
                }
            };
            entries.push((key, v));
            if let Some(r) = r.strip_prefix(", ") {
                rest = r;
            } else {
                return Some((V::M(entries), r.strip_prefix(" }")?));
            }
        }
    }
    let (v, r) = scalar(s, false)?;
    Some((V::S(v), r))
}

fn document(text: &str) -> Option<Vec<(String, V)>> {
    let body = text.strip_suffix('\n')?;
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let (key, rest) = line.split_once(':')?;
        if rest.is_empty() {
            let mut items = Vec::new();
            while i < lines.len() && lines[i].starts_with("  - ") {
                let (v, r) = flow(&lines[i][4..])?;
                if !r.is_empty() {
                    return None;
                }
                items.push(v);
                i += 1;
            }
            out.push((key.to_string(), V::L(items)));
            continue;
        }
        let rest = rest.strip_prefix(' ')?;
        if let Some(header) = rest.strip_prefix('|') {
            let (indicator, chomp) = match header {
                "" => (false, false),
                "-" => (false, true),
                "2" => (true, false),
                "2-" => (true, true),
                _ => return None,
            };
            let _ = indicator;
            let mut text = Vec::new();
            while i < lines.len() && (lines[i].is_empty() || lines[i].starts_with("  ")) {
                text.push(lines[i].get(2..).unwrap_or(""));
                i += 1;
            }
            let mut s = text.join("\n");
            if !chomp {
                s.push('\n');
            }
            out.push((key.to_string(), V::S(s)));
            continue;
        }
        let (v, r) = flow(rest)?;
        if !r.is_empty() {
            return None;
        }
        out.push((key.to_string(), v));
    }
    Some(out)
}

fn strings(v: V) -> Option<Vec<String>> {
    v.l()?.into_iter().map(V::s).collect()
}

fn boolean(v: V) -> Option<bool> {
    match v.s()?.as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn date(v: V) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&v.s()?, "%Y-%m-%d").ok()
}

/// The fields of a flow mapping, in the order given.
fn fields<const N: usize>(v: V, names: [&str; N]) -> Option<[Option<V>; N]> {
    let mut out: [Option<V>; N] = std::array::from_fn(|_| None);
    for (k, val) in v.m()? {
        let at = names.iter().position(|n| *n == k)?;
        if out[at].replace(val).is_some() {
            return None;
        }
    }
    Some(out)
}

/// Reads canonical record text; `None` means "not recognised here", never "invalid".
pub fn read(text: &str) -> Option<Record> {
    let doc = document(text)?;
    let mut r = Record {
        record: String::new(),
        seq: 0,
        prev: String::new(),
        case: String::new(),
        case_sha256: String::new(),
        case_prev: String::new(),
        kind: RecordType::Decision,
        reviews: None,
        countersigns: None,
        reviewer: String::new(),
        key: String::new(),
        policy: String::new(),
        time: parse_time("1970-01-01T00:00:00Z")?,
        outcome: String::new(),
        grounds: Vec::new(),
        records: Vec::new(),
        disclosures: Vec::new(),
        notice: Notice::default(),
        deadline: DeadlineInfo {
            due: None,
            decided_on_time: false,
        },
        findings_overridden: Vec::new(),
        rationale: String::new(),
    };
    for (k, v) in doc {
        match k.as_str() {
            "record" => r.record = v.s()?,
            "seq" => r.seq = v.s()?.parse().ok()?,
            "prev" => r.prev = v.s()?,
            "case" => r.case = v.s()?,
            "case_sha256" => r.case_sha256 = v.s()?,
            "case_prev" => r.case_prev = v.s()?,
            "type" => r.kind = RecordType::parse(&v.s()?)?,
            "reviews" => r.reviews = Some(v.s()?.parse().ok()?),
            "countersigns" => r.countersigns = Some(v.s()?.parse().ok()?),
            "reviewer" => r.reviewer = v.s()?,
            "key" => r.key = v.s()?,
            "policy" => r.policy = v.s()?,
            "time" => r.time = parse_time(&v.s()?)?,
            "outcome" => r.outcome = v.s()?,
            "grounds" => r.grounds = strings(v)?,
            "records" => {
                for item in v.l()? {
                    let [id, action, grounds] = fields(item, ["id", "action", "grounds"])?;
                    r.records.push(RecordAction {
                        id: id?.s()?,
                        action: match action?.s()?.as_str() {
                            "release" => Action::Release,
                            "withhold" => Action::Withhold,
                            _ => return None,
                        },
                        grounds: match grounds {
                            Some(g) => strings(g)?,
                            None => Vec::new(),
                        },
                    });
                }
            }
            "disclosures" => {
                for item in v.l()? {
                    let [d, rc, a, de, p] = fields(
                        item,
                        ["date", "recipient", "address", "description", "purpose"],
                    )?;
                    r.disclosures.push(Disclosure {
                        date: date(d?)?,
                        recipient: rc?.s()?,
                        address: a?.s()?,
                        description: de?.s()?,
                        purpose: p?.s()?,
                    });
                }
            }
            "notice" => {
                let [b, rr, cr] = fields(v, ["basis", "review_rights", "complaint_routes"])?;
                r.notice = Notice {
                    basis: boolean(b?)?,
                    review_rights: boolean(rr?)?,
                    complaint_routes: boolean(cr?)?,
                };
            }
            "deadline" => {
                let [due, ontime] = fields(v, ["due", "decided_on_time"])?;
                let due = due?;
                r.deadline = DeadlineInfo {
                    due: match &due {
                        V::S(s) if s == "none" => None,
                        _ => Some(date(due)?),
                    },
                    decided_on_time: boolean(ontime?)?,
                };
            }
            "findings_overridden" => {
                for item in v.l()? {
                    let [c, j] = fields(item, ["code", "justification"])?;
                    r.findings_overridden.push(OverriddenFinding {
                        code: c?.s()?,
                        justification: j?.s()?,
                    });
                }
            }
            "rationale" => r.rationale = v.s()?,
            _ => return None,
        }
    }
    Some(r)
}
