//! Yes/no facts a clerk may not know: `true`, `false` or `unknown` (issue 22).
//!
//! A fact written `unknown` (or, for a few facts, left out: docs/CASE-FORMAT.md says
//! which) is never read as "no" by the advisor: it tries both answers, and where they
//! lead to different decisions it asks instead of assuming (`rules::engine`). Everything
//! else (deadlines, the queue, the text of a case) reads an unknown as the old default,
//! `false`, through [`Assumed::none`].

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The answer to a yes/no question about a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Answer {
    Yes,
    #[default]
    No,
    Unknown,
}

impl Answer {
    /// For `#[serde(default = "Answer::unknown")]`: a fact whose absence is not a "no".
    pub fn unknown() -> Answer {
        Answer::Unknown
    }

    pub fn is_yes(&self) -> bool {
        *self == Answer::Yes
    }

    pub fn is_no(&self) -> bool {
        *self == Answer::No
    }

    pub fn is_unknown(&self) -> bool {
        *self == Answer::Unknown
    }

    /// As the case file spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "true",
            Answer::No => "false",
            Answer::Unknown => "unknown",
        }
    }

    /// In words, for the screens: `yes`, `no`, `unknown`.
    pub fn words(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }

    /// The answer as a yes or no under `assumed`: an unknown is "yes" only where the
    /// advisor assumes it so (`slot`), otherwise "no".
    pub fn under(self, assumed: &Assumed, slot: Slot<'_>) -> bool {
        match self {
            Answer::Yes => true,
            Answer::No => false,
            Answer::Unknown => assumed.yes(slot),
        }
    }

    /// Parses `true`/`false`/`unknown` and the words a clerk types (`yes`, `no`, `y`,
    /// `n`, `?`), for the intake. `None` for anything else.
    pub fn parse_words(s: &str) -> Option<Answer> {
        match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" => Some(Answer::Yes),
            "false" | "no" | "n" => Some(Answer::No),
            "unknown" | "?" | "u" | "don't know" | "dont know" => Some(Answer::Unknown),
            _ => None,
        }
    }
}

impl From<bool> for Answer {
    fn from(b: bool) -> Answer {
        if b { Answer::Yes } else { Answer::No }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Yes => s.serialize_bool(true),
            Answer::No => s.serialize_bool(false),
            Answer::Unknown => s.serialize_str("unknown"),
        }
    }
}

/// The words every error about a yes/no/unknown fact uses.
pub const ANSWER_EXPECTED: &str = "`true`, `false` or `unknown`";

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(ANSWER_EXPECTED)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Answer, E> {
                Ok(b.into())
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Answer, E> {
                match s {
                    "unknown" => Ok(Answer::Unknown),
                    "true" => Ok(Answer::Yes),
                    "false" => Ok(Answer::No),
                    _ => Err(E::custom(format!(
                        "invalid value `{}`; expected {ANSWER_EXPECTED}",
                        crate::text::sanitize_line(s)
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// Which unknown fact: the rulebook's fact name, and the record item for an item's fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot<'a> {
    pub fact: &'static str,
    pub record: Option<&'a str>,
}

impl<'a> Slot<'a> {
    pub fn case(fact: &'static str) -> Slot<'a> {
        Slot { fact, record: None }
    }

    pub fn record(fact: &'static str, id: &'a str) -> Slot<'a> {
        Slot {
            fact,
            record: Some(id),
        }
    }
}

/// The unknown facts assumed "yes" in one of the worlds the advisor tries; every other
/// unknown is "no". [`Assumed::none`] is the old reading: every unknown is "no".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Assumed {
    yes: Vec<(&'static str, Option<String>)>,
    /// The pending evaluation of harm is assumed to find the gravest harm.
    pub grave_harm: bool,
}

impl Assumed {
    pub fn none() -> Assumed {
        Assumed::default()
    }

    pub fn with_yes(mut self, slot: Slot<'_>) -> Assumed {
        self.yes.push((slot.fact, slot.record.map(str::to_string)));
        self
    }

    /// The same, with a pending evaluation assumed to find the gravest harm.
    pub fn with_grave_harm(mut self) -> Assumed {
        self.grave_harm = true;
        self
    }

    pub fn yes(&self, slot: Slot<'_>) -> bool {
        self.yes
            .iter()
            .any(|(f, r)| *f == slot.fact && r.as_deref() == slot.record)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_three_values() {
        for (text, a) in [
            ("true", Answer::Yes),
            ("false", Answer::No),
            ("unknown", Answer::Unknown),
        ] {
            let v: Answer = crate::yaml::from_str_general(text).unwrap();
            assert_eq!(v, a);
            let fast: Option<Answer> = crate::yaml::from_str_fast(&format!("k: {text}\n"))
                .map(|m: std::collections::BTreeMap<String, Answer>| m["k"]);
            assert_eq!(fast, Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap().trim_matches('"'), text);
        }
        let e = crate::yaml::from_str_general::<Answer>("maybe").unwrap_err();
        assert!(
            e.message.contains("expected `true`, `false` or `unknown`"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_is_no_unless_assumed() {
        let slot = Slot::record("record.kept_separately", "notes");
        assert!(!Answer::Unknown.under(&Assumed::none(), slot));
        assert!(Answer::Unknown.under(&Assumed::none().with_yes(slot), slot));
        let other = Slot::record("record.kept_separately", "other");
        assert!(!Answer::Unknown.under(&Assumed::none().with_yes(slot), other));
        assert!(Answer::Yes.under(&Assumed::none(), slot));
        assert_eq!(Answer::parse_words(" Y "), Some(Answer::Yes));
        assert_eq!(Answer::parse_words("?"), Some(Answer::Unknown));
        assert_eq!(Answer::parse_words("perhaps"), None);
    }
}
