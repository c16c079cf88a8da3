//! Walks a case file's tree against the schema: every unknown or duplicate key, every
//! missing required key, every value of the wrong kind, each at its line and column and
//! with the allowed values, in one run. What passes is kept, as JSON, so the typed model
//! can still be read from it and the file's other rules checked too (`load::parse`).

use serde_json::{Map as JMap, Value as J};

use super::{CASE, DONE_REQUIRED, EVALUATION, EXPIRY_EVENT, Field, Shape, Ty};
use crate::case::validate::Violation;
use crate::yaml::tree::{Node, Value};
use crate::yaml::{Seg, locate};

/// One step of the path to a node, for messages and for [`locate`].
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

struct Walker<'a> {
    src: &'a str,
    out: Vec<Violation>,
    dropped: Vec<String>,
}

/// What the walk found.
pub struct Walked {
    pub problems: Vec<Violation>,
    /// What passed, as JSON (keys with problems left out).
    pub passed: J,
    /// The keys left out for a bad value: a rule of `validate` about one of them would
    /// speak of a fact the file does state, so such messages are not added.
    pub dropped: Vec<String>,
}

/// The problems of the case file `src` (already parsed as `tree`).
pub fn check(src: &str, tree: &Node) -> Walked {
    let mut w = Walker {
        src,
        out: Vec::new(),
        dropped: Vec::new(),
    };
    let json = match &tree.value {
        Value::Map(entries) => {
            w.sections_of_kind(entries);
            w.map(tree, &CASE, &[], None)
        }
        other => {
            w.at(
                &[],
                None,
                format!(
                    "the file is {}; expected a case: `key: value` lines ({})",
                    other.describe(),
                    CASE.keys()
                ),
            );
            None
        }
    };
    w.out.sort_by_key(|v| (v.line, v.column));
    w.out.dedup();
    Walked {
        problems: w.out,
        passed: json.unwrap_or(J::Null),
        dropped: w.dropped,
    }
}

/// `request.records[2].category`, for messages.
fn dotted(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{}]", i + 1)),
        }
    }
    s
}

/// The last key of a path (what a message calls the value).
fn name(path: &[Step]) -> String {
    match path.last() {
        Some(Step::Key(k)) => format!("`{k}`"),
        Some(Step::Index(_)) => format!("item {}", dotted(path)),
        None => "the file".into(),
    }
}

impl Walker<'_> {
    /// A problem at `node` (or, when its position is unknown, where `path` leads).
    fn at(&mut self, path: &[Step], node: Option<&Node>, message: String) {
        let (line, column) = match node {
            Some(n) if n.line > 0 => (n.line, n.column.max(1)),
            _ => {
                let segs: Vec<Seg> = path
                    .iter()
                    .map(|s| match s {
                        Step::Key(k) => Seg::Key(k),
                        Step::Index(i) => Seg::Index(*i),
                    })
                    .collect();
                locate(self.src, &segs)
            }
        };
        self.out.push(Violation {
            line,
            column,
            message,
        });
    }

    /// A value of type `ty` at `node`; `key` is the key node it belongs to (for positions
    /// of problems about the whole value). `None`: the value has a problem.
    fn value(&mut self, node: &Node, ty: &Ty, path: &[Step], key: Option<&Node>) -> Option<J> {
        let v = &node.value;
        let wrong = |w: &mut Self, expected: &str| {
            w.at(
                path,
                Some(node).filter(|_| !matches!(v, Value::Null)).or(key),
                format!("{} is {}; expected {expected}", name(path), v.describe()),
            );
            None
        };
        match ty {
            Ty::Text => match v {
                Value::Null => wrong(self, "text"),
                _ => match v.scalar_text() {
                    Some(t) => Some(J::String(t)),
                    None => wrong(self, "text on one line, or a `|` block"),
                },
            },
            Ty::Date => match v.scalar_text() {
                Some(t) => match crate::case::strict_date::parse(&t) {
                    Ok(_) => Some(J::String(t)),
                    Err(msg) => {
                        self.at(path, Some(node), msg);
                        None
                    }
                },
                None => wrong(self, "a date YYYY-MM-DD"),
            },
            Ty::Int => match v {
                Value::Int(n) if *n >= 0 && *n <= i128::from(u32::MAX) => Some(J::from(*n as u64)),
                _ => wrong(self, "a whole number, 0 or more"),
            },
            Ty::Number => match v {
                Value::Int(n) => Some(J::from(*n as f64)),
                Value::Float(x) if x.is_finite() => Some(J::from(*x)),
                _ => wrong(self, "a number, e.g. 12.50"),
            },
            Ty::Bool => match v {
                Value::Bool(b) => Some(J::Bool(*b)),
                _ => self.choice(node, &["true", "false"], path, key, |_| {
                    None::<J> // a non-boolean never passes
                }),
            },
            Ty::Answer => match v {
                Value::Bool(b) => Some(J::Bool(*b)),
                Value::Str(s) if s == "unknown" => Some(J::String(s.clone())),
                _ => self.choice(node, &["true", "false", "unknown"], path, key, |_| None),
            },
            Ty::Choice(values) => self.choice(node, values, path, key, |t| Some(J::String(t))),
            Ty::Map(shape) => match v {
                Value::Map(_) => self.map(node, shape, path, key),
                _ => wrong(
                    self,
                    &format!("its keys indented below it: {}", shape.keys()),
                ),
            },
            Ty::List(item) => match v {
                Value::Seq(items) => {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for (i, n) in items.iter().enumerate() {
                        let mut p = path.to_vec();
                        p.push(Step::Index(i));
                        match self.value(n, item, &p, Some(n)) {
                            Some(j) => out.push(j),
                            None => ok = false,
                        }
                    }
                    // A list with a bad item is dropped whole: half a list of record
                    // items would read as another request.
                    ok.then_some(J::Array(out))
                }
                _ => wrong(
                    self,
                    "a list: one item per line starting with `- `, or `[a, b]`",
                ),
            },
            Ty::TextMap => match v {
                Value::Map(entries) => {
                    let mut out = JMap::new();
                    for (k, val) in entries {
                        let (Some(k), Some(t)) = (k.value.scalar_text(), val.value.scalar_text())
                        else {
                            self.at(
                                path,
                                Some(val),
                                format!(
                                    "{} holds {}; expected `record_id: ground-code` lines",
                                    name(path),
                                    val.value.describe()
                                ),
                            );
                            continue;
                        };
                        out.insert(k, J::String(t));
                    }
                    Some(J::Object(out))
                }
                _ => wrong(self, "`record_id: ground-code` lines, or `{}`"),
            },
            Ty::Expiry => match v {
                Value::Map(_) => self.map(node, &EXPIRY_EVENT, path, key),
                Value::Str(t) if crate::case::strict_date::parse(t).is_ok() => {
                    Some(J::String(t.clone()))
                }
                Value::Str(t) => {
                    let looks_like_a_date = t.len() == 10 && t.as_bytes()[4] == b'-';
                    let said = match crate::case::strict_date::parse(t) {
                        Err(m) if looks_like_a_date => m,
                        _ => format!(
                            "invalid expiry `{}`; expected a date YYYY-MM-DD",
                            crate::text::sanitize_line(t)
                        ),
                    };
                    self.at(
                        path,
                        Some(node),
                        format!("{said}, or the expiry event as `{{ event: \"...\" }}`"),
                    );
                    None
                }
                _ => wrong(
                    self,
                    "a date YYYY-MM-DD, or the expiry event as `{ event: \"...\" }`",
                ),
            },
            Ty::Evaluation => match v {
                Value::Map(_) => self.evaluation(node, path, key),
                _ => wrong(
                    self,
                    "the evaluation of harm, its keys indented below it (or, until the clinician has evaluated, `status: pending` and `assigned_to: NAME`)",
                ),
            },
        }
    }

    /// A scalar that must be one of `values`.
    fn choice(
        &mut self,
        node: &Node,
        values: &[&str],
        path: &[Step],
        key: Option<&Node>,
        ok: impl FnOnce(String) -> Option<J>,
    ) -> Option<J> {
        let list = values.join(", ");
        match node.value.scalar_text() {
            Some(t) if values.contains(&t.as_str()) => ok(t),
            Some(t) => {
                self.at(
                    path,
                    Some(node),
                    format!(
                        "unknown value `{}`{}; expected one of: {list}",
                        crate::text::sanitize_line(&t),
                        crate::yaml::suggest(&t, values.iter().copied())
                    ),
                );
                None
            }
            None => {
                let at = Some(node)
                    .filter(|n| !matches!(n.value, Value::Null))
                    .or(key);
                self.at(
                    path,
                    at,
                    format!(
                        "{} is {}; expected one of: {list}",
                        name(path),
                        node.value.describe()
                    ),
                );
                None
            }
        }
    }

    /// A mapping of `shape`'s keys. `key` is the node of the key it sits under (where a
    /// missing key is reported); the root has none (1:1).
    fn map(&mut self, node: &Node, shape: &Shape, path: &[Step], key: Option<&Node>) -> Option<J> {
        let Value::Map(entries) = &node.value else {
            return None;
        };
        let mut out = JMap::new();
        let mut seen: Vec<&str> = Vec::new();
        let mut near_misses: Vec<&'static str> = Vec::new();
        for (k, v) in entries {
            let Some(kt) = k.value.scalar_text() else {
                self.at(
                    path,
                    Some(k),
                    format!(
                        "a key is {}; expected a name, one of: {}",
                        k.value.describe(),
                        shape.keys()
                    ),
                );
                continue;
            };
            let mut p = path.to_vec();
            p.push(Step::Key(kt.clone()));
            let Some(field) = shape.field(&kt) else {
                let hint = crate::yaml::suggest(&kt, shape.fields.iter().map(|f| f.key));
                if let Some(f) = shape
                    .fields
                    .iter()
                    .find(|f| hint.contains(&format!("`{}`", f.key)))
                {
                    near_misses.push(f.key);
                }
                self.at(
                    &p,
                    Some(k),
                    format!(
                        "unknown key `{}`{hint}; expected one of: {}",
                        crate::text::sanitize_line(&kt),
                        shape.keys()
                    ),
                );
                continue;
            };
            if seen.contains(&field.key) {
                self.at(
                    &p,
                    Some(k),
                    format!(
                        "duplicate key `{}`: each key may appear only once",
                        field.key
                    ),
                );
                continue;
            }
            seen.push(field.key);
            match self.value(v, &field.ty, &p, Some(k)) {
                Some(j) => {
                    out.insert(field.key.to_string(), j);
                }
                None => self.dropped.push(field.key.to_string()),
            }
        }
        for f in shape.fields.iter().filter(|f| f.required) {
            if !seen.contains(&f.key) && !near_misses.contains(&f.key) {
                self.missing(node, shape, f, path, key);
            }
        }
        Some(J::Object(out))
    }

    /// A required key that is not there: at the key of the mapping it belongs in, or
    /// 1:1 for a section of the case.
    fn missing(
        &mut self,
        node: &Node,
        shape: &Shape,
        f: &Field,
        path: &[Step],
        key: Option<&Node>,
    ) {
        let message = if path.is_empty() {
            let what = match f.key {
                "harm_evaluation" => {
                    ": the evaluation of harm. Until the clinician has evaluated, write `status: pending` and `assigned_to: NAME` under it"
                }
                "patient" => ": the patient's `ref` and `age`",
                _ => "",
            };
            let section = matches!(f.ty, Ty::Map(_) | Ty::Evaluation);
            format!(
                "missing {} `{}`{what}",
                if section { "section" } else { "key" },
                f.key
            )
        } else {
            let what = match path.last() {
                Some(Step::Key(k)) if k == shape.name => String::new(),
                _ => format!(" ({})", shape.name),
            };
            format!(
                "missing key `{}` in `{}`{what}; expected: {}",
                f.key,
                dotted(path),
                shape
                    .fields
                    .iter()
                    .filter(|x| x.required)
                    .map(|x| x.key)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if path.is_empty() {
            self.out.push(Violation {
                line: 1,
                column: 1,
                message,
            });
        } else {
            self.at(path, key.or(Some(node)), message);
        }
    }

    /// The section a case's kind needs (the same words as `validate`, which says so
    /// when the rest of the file reads).
    fn sections_of_kind(&mut self, entries: &[(Node, Node)]) {
        let get = |k: &str| {
            entries
                .iter()
                .find(|(kn, _)| kn.value.scalar_text().as_deref() == Some(k))
        };
        let kind = get("kind").and_then(|(_, v)| v.value.scalar_text());
        let (needs, message) = match kind.as_deref() {
            Some("access_request") => (
                "request",
                "`kind: access_request` needs a `request:` section (requester, instrument, records)",
            ),
            Some("disclosure_concern") => (
                "concern",
                "`kind: disclosure_concern` needs a `concern:` section (type, statement, ...)",
            ),
            _ => return,
        };
        if get(needs).is_none() {
            let at = get("kind").map(|(k, _)| k);
            self.at(&[Step::Key("kind".into())], at, message.into());
        }
    }

    /// `harm_evaluation:`: a pending evaluation (`status: pending`, `assigned_to`), or a
    /// finished one with its determination.
    fn evaluation(&mut self, node: &Node, path: &[Step], key: Option<&Node>) -> Option<J> {
        let json = self.map(node, &EVALUATION, path, key)?;
        let Value::Map(entries) = &node.value else {
            return Some(json);
        };
        let has = |k: &str| {
            entries
                .iter()
                .any(|(kn, _)| kn.value.scalar_text().as_deref() == Some(k))
        };
        let pending = entries.iter().any(|(kn, v)| {
            kn.value.scalar_text().as_deref() == Some("status")
                && v.value.scalar_text().as_deref() == Some("pending")
        });
        let mut p = path.to_vec();
        if pending {
            if !has("assigned_to") {
                self.at(
                    path,
                    key.or(Some(node)),
                    "missing key `assigned_to` in `harm_evaluation`: a pending evaluation names the clinician asked to evaluate".into(),
                );
            }
            for (kn, _) in entries {
                let Some(k) = kn.value.scalar_text() else {
                    continue;
                };
                if crate::case::evaluation::DETERMINATION_KEYS.contains(&k.as_str()) {
                    p.push(Step::Key(k.clone()));
                    self.at(
                        &p,
                        Some(kn),
                        format!(
                            "`{k}` belongs to a finished evaluation; a pending one has none yet (remove `status: pending` once the evaluation is done)"
                        ),
                    );
                    p.pop();
                }
            }
        } else {
            let missing: Vec<&str> = DONE_REQUIRED.iter().copied().filter(|k| !has(k)).collect();
            if !missing.is_empty() {
                self.at(
                    path,
                    key.or(Some(node)),
                    format!(
                        "missing key{} {} in `harm_evaluation`; a finished evaluation needs {} (or, until the clinician has evaluated, write `status: pending` and `assigned_to: NAME`)",
                        if missing.len() == 1 { "" } else { "s" },
                        missing
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        DONE_REQUIRED.join(", ")
                    ),
                );
            }
        }
        Some(json)
    }
}
