//! A YAML document as a tree of nodes, each with its line and column, read by
//! serde-saphyr under the same budgets (issue 22). Used only to report every problem of
//! a file that failed to load (`case::schema`): a file that loads never gets here.
//!
//! Duplicate keys are kept (serde-saphyr's pass-through policy) so that the schema walk
//! reports each one beside the file's other problems.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::YamlError;

/// One node: where it starts, and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based; 0 when serde-saphyr could not say (then callers locate by path).
    pub line: u32,
    pub column: u32,
    pub value: Value,
    /// Byte offset and length of the node in the source, when known.
    pub span: Option<(usize, usize)>,
}

impl Node {
    /// The node's text as written in `src` (a plain scalar's own spelling: `17:45`, not
    /// the number YAML 1.1 would make of it).
    pub fn source<'s>(&self, src: &'s str) -> Option<&'s str> {
        let (at, len) = self.span?;
        src.get(at..at.checked_add(len)?)
    }
}

fn span_of(l: &serde_saphyr::Location) -> Option<(usize, usize)> {
    let s = l.span();
    Some((
        usize::try_from(s.byte_offset()?).ok()?,
        usize::try_from(s.byte_len()?).ok()?,
    ))
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order, duplicates included.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the node is, in the words of a message: "empty", "the text `x`", "a list".
    pub fn describe(&self) -> String {
        match self {
            Value::Null => "empty".into(),
            Value::Bool(b) => format!("`{b}`"),
            Value::Int(n) => format!("the number {n}"),
            Value::Float(x) => format!("the number {x}"),
            Value::Str(s) => format!("the text `{}`", crate::text::sanitize_line(s)),
            Value::Seq(_) => "a list".into(),
            Value::Map(_) => "a mapping (`key: value` lines)".into(),
        }
    }

    /// A scalar's text as it reads (a string, a number, a boolean); `None` otherwise.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(n) => Some(n.to_string()),
            Value::Float(x) => Some(x.to_string()),
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The node as JSON, for deserializing the typed model from a checked tree.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(n) => i64::try_from(*n)
                .map(J::from)
                .or_else(|_| u64::try_from(*n).map(J::from))
                .unwrap_or(J::Null),
            Value::Float(x) => serde_json::Number::from_f64(*x).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(|n| n.value.to_json()).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.value.scalar_text()?, v.value.to_json())))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let s = serde_saphyr::Spanned::<Value>::deserialize(d)?;
        let at = s.referenced;
        Ok(Node {
            line: u32::try_from(at.line()).unwrap_or(0),
            column: u32::try_from(at.column()).unwrap_or(0),
            span: span_of(&at),
            value: s.value,
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Value, D2::Error> {
                Value::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Int(n.into()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Int(n.into()))
            }
            fn visit_i128<E: de::Error>(self, n: i128) -> Result<Value, E> {
                Ok(Value::Int(n))
            }
            fn visit_u128<E: de::Error>(self, n: u128) -> Result<Value, E> {
                Ok(i128::try_from(n).map_or(Value::Float(n as f64), Value::Int))
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<Value, E> {
                Ok(Value::Float(x))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
                Ok(Value::Str(s.to_string()))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
                Ok(Value::Str(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = seq.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(Value::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                // Keys are read as text, as the typed model reads them: `on:` is the key
                // `on`, not YAML 1.1's boolean.
                while let Some(k) = map.next_key::<serde_saphyr::Spanned<String>>()? {
                    let v = map.next_value::<Node>()?;
                    let key = Node {
                        line: u32::try_from(k.referenced.line()).unwrap_or(0),
                        column: u32::try_from(k.referenced.column()).unwrap_or(0),
                        span: span_of(&k.referenced),
                        value: Value::Str(k.value),
                    };
                    entries.push((key, v));
                }
                Ok(Value::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads `src` as a tree, under the budgets of [`super::from_str_general`]; a syntax
/// error (or a breached budget) is the one problem it can report.
pub fn parse(src: &str) -> Result<Node, YamlError> {
    let mut options = super::options();
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    serde_saphyr::from_str_with_options::<Node>(src, options).map_err(|e| super::convert(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_carry_their_positions() {
        let src = "id: A\npatient:\n  ref: P-1\n  age: 3\n  age: 4\nlist:\n  - x\n  - { k: 2026-01-02 }\nempty:\non: yes\n";
        let n = parse(src).unwrap();
        let Value::Map(top) = &n.value else {
            panic!("{n:?}")
        };
        assert_eq!((top[0].0.line, top[0].0.column), (1, 1));
        assert_eq!((top[0].1.line, top[0].1.column), (1, 5));
        let Value::Map(patient) = &top[1].1.value else {
            panic!()
        };
        // Duplicates are kept, in order, with their own positions.
        assert_eq!(patient.len(), 3);
        assert_eq!((patient[2].0.line, patient[2].0.column), (5, 3));
        assert_eq!(patient[2].1.value, Value::Int(4));
        let Value::Seq(items) = &top[2].1.value else {
            panic!()
        };
        assert_eq!((items[1].line, items[1].column), (8, 5));
        assert_eq!(top[3].1.value, Value::Null);
        assert_eq!((top[3].0.line, top[3].0.column), (9, 1));
        // A key is its text, whatever YAML 1.1 would make of it.
        assert_eq!(top[4].0.value, Value::Str("on".into()));
        // A value's own spelling is at hand.
        let t = parse("t: 17:45\n").unwrap();
        let Value::Map(m) = &t.value else { panic!() };
        assert_eq!(m[0].1.source("t: 17:45\n"), Some("17:45"));
    }

    #[test]
    fn syntax_errors_keep_their_place() {
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
    }
}
