//! serde over the fast reader's [`Node`] tree. Typing is conservative: a plain scalar
//! becomes a bool only when it is `true`/`false`, a number only when it is plain decimal
//! digits, and never a null; for targets that take any type, a string only when every
//! YAML schema reads it as one. Anything else gives up with [`Bail`], so that
//! serde-saphyr decides (and words the error).

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};

use super::subset::{Bail, Node};

impl de::Error for Bail {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Bail
    }
}

/// Spellings that YAML may read as null: never typed here.
fn null_like(s: &str) -> bool {
    s.is_empty() || s == "~" || s.eq_ignore_ascii_case("null")
}

/// A plain scalar that every YAML schema reads as a string, for targets that accept any
/// type (untagged enums): it starts with a letter and is no boolean, null or float word;
/// or it is a date written YYYY-MM-DD.
fn surely_string(s: &str) -> bool {
    const WORDS: [&str; 12] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "infinity",
    ];
    let b = s.as_bytes();
    let date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    date || (b.first().is_some_and(u8::is_ascii_alphabetic)
        && !WORDS.iter().any(|w| s.eq_ignore_ascii_case(w)))
}

/// Plain decimal digits without a redundant leading zero.
fn decimal(s: &str) -> Result<u64, Bail> {
    let b = s.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return Err(Bail);
    }
    s.parse().map_err(|_| Bail)
}

pub struct NodeDe<'a>(pub Node<'a>);

macro_rules! unsigned {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
            match self.0 {
                Node::Plain(s) => visitor.visit_u64(decimal(s)?),
                _ => Err(Bail),
            }
        }
    )*};
}

macro_rules! refused {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Bail> {
            Err(Bail)
        }
    )*};
}

impl<'de> Deserializer<'de> for NodeDe<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Plain(s) if surely_string(s) => visitor.visit_borrowed_str(s),
            Node::Plain("true") => visitor.visit_bool(true),
            Node::Plain("false") => visitor.visit_bool(false),
            Node::Plain(s) => visitor.visit_u64(decimal(s)?),
            Node::Str(s) => visit_cow(s, visitor),
            Node::Seq(items) => visitor.visit_seq(SeqAccess(items.into_iter())),
            Node::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.into_iter(),
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Plain("true") => visitor.visit_bool(true),
            Node::Plain("false") => visitor.visit_bool(false),
            _ => Err(Bail),
        }
    }

    unsigned! { deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 }

    refused! { deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes
    deserialize_byte_buf deserialize_unit deserialize_i128 deserialize_u128 }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Plain(s) if !null_like(s) => visitor.visit_borrowed_str(s),
            Node::Str(s) => visit_cow(s, visitor),
            _ => Err(Bail),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Plain(s) if null_like(s) => Err(Bail),
            node => visitor.visit_some(NodeDe(node)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Bail> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Seq(items) => visitor.visit_seq(SeqAccess(items.into_iter())),
            _ => Err(Bail),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.into_iter(),
                value: None,
            }),
            _ => Err(Bail),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_map(visitor)
    }

    /// Unit variants written as plain scalars only.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        match self.0 {
            Node::Plain(s) if !null_like(s) => {
                visitor.visit_enum(BorrowedStrDeserializer::<Bail>::new(s))
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        visitor.visit_unit()
    }
}

fn visit_cow<'de, V: Visitor<'de>>(s: Cow<'de, str>, visitor: V) -> Result<V::Value, Bail> {
    match s {
        Cow::Borrowed(b) => visitor.visit_borrowed_str(b),
        Cow::Owned(o) => visitor.visit_string(o),
    }
}

struct SeqAccess<'a>(std::vec::IntoIter<Node<'a>>);

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Bail> {
        self.0
            .next()
            .map(|n| seed.deserialize(NodeDe(n)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct MapAccess<'a> {
    entries: std::vec::IntoIter<(&'a str, Node<'a>)>,
    value: Option<Node<'a>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Bail> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        if null_like(key) {
            return Err(Bail);
        }
        self.value = Some(value);
        let key: StrDeserializer<'_, Bail> = key.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        let value = self.value.take().ok_or(Bail)?;
        seed.deserialize(NodeDe(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
