//! A fast reader for records in canonical form only: the exact grammar the writer in
//! [`super::yamlout`] produces. `Record::from_bytes` uses it first and accepts its
//! result only if writing the record again reproduces the bytes; anything else goes
//! to the general YAML reader, which also produces the precise error. Since every
//! record the writer produces reads back unchanged through the YAML reader (tested),
//! both readers agree on every file the fast one accepts. It exists because verifying
//! 100,000 records should cost about as much as checking their signatures.
//!
//! That re-rendering is also why this reader may be simple: whatever it makes of a text
//! that is not canonical, the record it returns does not write back to the same bytes.
//! It reads in one pass over borrowed slices and allocates only the record's strings.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{
    Action, DeadlineInfo, Disclosure, Fee, Notice, OverriddenFinding, Provision, ProvisionWhat,
    Record, RecordAction, RecordType, parse_amount, parse_time,
};

fn plain_char(c: u8, flow: bool) -> bool {
    c.is_ascii_alphanumeric() || b"_.@/+=-".contains(&c) || (c == b':' && !flow)
}

/// A scalar at the start of `s`: double-quoted (unescaped), or plain (borrowed).
fn scalar(s: &str, flow: bool) -> Option<(Cow<'_, str>, &str)> {
    if let Some(rest) = s.strip_prefix('"') {
        // Without escapes the text between the quotes is the value.
        let end = rest.find(['"', '\\'])?;
        if rest.as_bytes()[end] == b'"' {
            return Some((Cow::Borrowed(&rest[..end]), &rest[end + 1..]));
        }
        let mut out = String::with_capacity(rest.len());
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Some((Cow::Owned(out), &rest[i + 1..])),
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
    let end = s
        .bytes()
        .position(|c| !plain_char(c, flow))
        .unwrap_or(s.len());
    (end > 0).then(|| (Cow::Borrowed(&s[..end]), &s[end..]))
}

/// The whole of `s` as one plain or quoted scalar.
fn whole(s: &str) -> Option<Cow<'_, str>> {
    let (v, rest) = scalar(s, false)?;
    rest.is_empty().then_some(v)
}

fn owned(s: &str) -> Option<String> {
    whole(s).map(Cow::into_owned)
}

/// A flow list of scalars at the start of `s`: `[]`, `[a, "b c"]`.
fn flow_list(s: &str) -> Option<(Vec<String>, &str)> {
    let mut rest = s.strip_prefix('[')?;
    let mut items = Vec::new();
    if let Some(r) = rest.strip_prefix(']') {
        return Some((items, r));
    }
    loop {
        let (v, r) = scalar(rest, true)?;
        items.push(v.into_owned());
        match r.strip_prefix(", ") {
            Some(r) => rest = r,
            None => return Some((items, r.strip_prefix(']')?)),
        }
    }
}

/// A value inside a flow mapping.
enum Val<'a> {
    S(Cow<'a, str>),
    L(Vec<String>),
}

impl<'a> Val<'a> {
    fn s(self) -> Option<Cow<'a, str>> {
        match self {
            Val::S(s) => Some(s),
            Val::L(_) => None,
        }
    }
    fn string(self) -> Option<String> {
        self.s().map(Cow::into_owned)
    }
    fn l(self) -> Option<Vec<String>> {
        match self {
            Val::L(l) => Some(l),
            Val::S(_) => None,
        }
    }
}

/// The entries of the flow mapping that is the whole of `s` (`{ k: v, ... }`), in the
/// order given, each under the position of its key in `names`.
fn flow_map<'a, const N: usize>(s: &'a str, names: [&str; N]) -> Option<[Option<Val<'a>>; N]> {
    let mut out: [Option<Val<'a>>; N] = std::array::from_fn(|_| None);
    let mut rest = s.strip_prefix("{ ")?;
    loop {
        let colon = rest.find(": ")?;
        let at = names.iter().position(|n| *n == &rest[..colon])?;
        let after = &rest[colon + 2..];
        let (v, r) = if after.starts_with('[') {
            let (l, r) = flow_list(after)?;
            (Val::L(l), r)
        } else {
            let (v, r) = scalar(after, true)?;
            (Val::S(v), r)
        };
        if out[at].replace(v).is_some() {
            return None;
        }
        match r.strip_prefix(", ") {
            Some(r) => rest = r,
            None => return (r == " }").then_some(out),
        }
    }
}

fn boolean(v: Val) -> Option<bool> {
    match v.s()?.as_ref() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// `YYYY-MM-DD`, by hand (a wrong reading cannot survive the re-rendering anyway).
fn date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

/// A literal block (`|`, `|-`, `|2`, `|2-` after the key): its lines are the ones that
/// follow, while empty or indented by two spaces.
fn block<'a>(
    header: &str,
    lines: &mut std::iter::Peekable<std::str::Split<'a, char>>,
) -> Option<String> {
    let chomp = match header {
        "" | "2" => false,
        "-" | "2-" => true,
        _ => return None,
    };
    let mut s = String::new();
    let mut first = true;
    while let Some(line) = lines.next_if(|l| l.is_empty() || l.starts_with("  ")) {
        if !first {
            s.push('\n');
        }
        first = false;
        s.push_str(line.get(2..).unwrap_or(""));
    }
    if !chomp {
        s.push('\n');
    }
    Some(s)
}

/// The items of a block list (`  - { ... }` lines after the key), each read by `item`.
fn items<'a, T>(
    lines: &mut std::iter::Peekable<std::str::Split<'a, char>>,
    mut item: impl FnMut(&'a str) -> Option<T>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    while let Some(line) = lines.next_if(|l| l.starts_with("  - ")) {
        out.push(item(&line[4..])?);
    }
    Some(out)
}

fn record_action(s: &str) -> Option<RecordAction> {
    let [id, action, grounds] = flow_map(s, ["id", "action", "grounds"])?;
    Some(RecordAction {
        id: id?.string()?,
        action: match action?.s()?.as_ref() {
            "release" => Action::Release,
            "withhold" => Action::Withhold,
            _ => return None,
        },
        grounds: match grounds {
            Some(g) => g.l()?,
            None => Vec::new(),
        },
    })
}

fn disclosure(s: &str) -> Option<Disclosure> {
    let [d, rc, a, de, p] = flow_map(
        s,
        ["date", "recipient", "address", "description", "purpose"],
    )?;
    Some(Disclosure {
        date: date(&d?.s()?)?,
        recipient: rc?.string()?,
        address: a?.string()?,
        description: de?.string()?,
        purpose: p?.string()?,
    })
}

fn fee(s: &str) -> Option<Fee> {
    let [i, a] = flow_map(s, ["item", "amount"])?;
    Some(Fee {
        item: i?.string()?,
        cents: parse_amount(&a?.s()?)?,
    })
}

fn date_or_none(v: Val) -> Option<Option<NaiveDate>> {
    match v.s()?.as_ref() {
        "none" => Some(None),
        d => Some(Some(date(d)?)),
    }
}

fn provision(s: &str) -> Option<Provision> {
    let [p, ps, w, on, ns, via, form, ft, c] = flow_map(
        s,
        [
            "provides",
            "provides_sha256",
            "what",
            "on",
            "notice_sent",
            "via",
            "form",
            "fee_told_on",
            "corrects",
        ],
    )?;
    Some(Provision {
        provides: p?.s()?.parse().ok()?,
        provides_sha256: ps?.string()?,
        what: ProvisionWhat::parse(&w?.s()?)?,
        on: date(&on?.s()?)?,
        notice_sent: date_or_none(ns?)?,
        via: via?.string()?,
        form: form?.string()?,
        fee_told_on: date_or_none(ft?)?,
        corrects: match c?.s()?.as_ref() {
            "none" => None,
            n => Some(n.parse().ok()?),
        },
    })
}

fn finding(s: &str) -> Option<OverriddenFinding> {
    let [c, j] = flow_map(s, ["code", "justification"])?;
    Some(OverriddenFinding {
        code: c?.string()?,
        justification: j?.string()?,
    })
}

/// A list-valued key: a block list of mappings after an empty value, or `[]`.
fn map_list<'a, T>(
    rest: &str,
    lines: &mut std::iter::Peekable<std::str::Split<'a, char>>,
    item: impl FnMut(&'a str) -> Option<T>,
) -> Option<Vec<T>> {
    match rest {
        "" => items(lines, item),
        " []" => Some(Vec::new()),
        _ => None,
    }
}

/// Reads canonical record text; `None` means "not recognised here", never "invalid".
pub fn read(text: &str) -> Option<Record> {
    let body = text.strip_suffix('\n')?;
    let mut lines = body.split('\n').peekable();
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
        time: DateTime::<Utc>::UNIX_EPOCH,
        outcome: String::new(),
        grounds: Vec::new(),
        records: Vec::new(),
        disclosures: Vec::new(),
        notice: Notice::default(),
        deadline: DeadlineInfo {
            due: None,
            decided_on_time: false,
        },
        provision: None,
        fees: Vec::new(),
        findings_overridden: Vec::new(),
        rationale: String::new(),
    };
    while let Some(line) = lines.next() {
        let (key, rest) = line.split_once(':')?;
        // Keys whose value may be empty (a block list follows) come first.
        match key {
            "records" => {
                r.records = map_list(rest, &mut lines, record_action)?;
                continue;
            }
            "disclosures" => {
                r.disclosures = map_list(rest, &mut lines, disclosure)?;
                continue;
            }
            "findings_overridden" => {
                r.findings_overridden = map_list(rest, &mut lines, finding)?;
                continue;
            }
            "fees" => {
                r.fees = map_list(rest, &mut lines, fee)?;
                continue;
            }
            _ => {}
        }
        let v = rest.strip_prefix(' ')?;
        match key {
            "record" => r.record = owned(v)?,
            "seq" => r.seq = whole(v)?.parse().ok()?,
            "prev" => r.prev = owned(v)?,
            "case" => r.case = owned(v)?,
            "case_sha256" => r.case_sha256 = owned(v)?,
            "case_prev" => r.case_prev = owned(v)?,
            "type" => r.kind = RecordType::parse(&whole(v)?)?,
            "reviews" => r.reviews = Some(whole(v)?.parse().ok()?),
            "countersigns" => r.countersigns = Some(whole(v)?.parse().ok()?),
            "reviewer" => r.reviewer = owned(v)?,
            "key" => r.key = owned(v)?,
            "policy" => r.policy = owned(v)?,
            "time" => r.time = parse_time(&whole(v)?)?,
            "outcome" => r.outcome = owned(v)?,
            "grounds" => {
                let (l, rest) = flow_list(v)?;
                if !rest.is_empty() {
                    return None;
                }
                r.grounds = l;
            }
            "notice" => {
                let [b, rr, cr] = flow_map(v, ["basis", "review_rights", "complaint_routes"])?;
                r.notice = Notice {
                    basis: boolean(b?)?,
                    review_rights: boolean(rr?)?,
                    complaint_routes: boolean(cr?)?,
                };
            }
            "deadline" => {
                let on_time_key = if r.kind == RecordType::Provision {
                    "provided_on_time"
                } else {
                    "decided_on_time"
                };
                let [due, ontime] = flow_map(v, ["due", on_time_key])?;
                let due = due?.s()?;
                r.deadline = DeadlineInfo {
                    due: match due.as_ref() {
                        "none" => None,
                        d => Some(date(d)?),
                    },
                    decided_on_time: boolean(ontime?)?,
                };
            }
            "provision" => r.provision = Some(provision(v)?),
            "rationale" => {
                r.rationale = match v.strip_prefix('|') {
                    Some(header) => block(header, &mut lines)?,
                    None => owned(v)?,
                };
            }
            _ => return None,
        }
    }
    Some(r)
}
