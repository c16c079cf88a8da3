//! The rulebook's numbered rules (R1, R2, ... of RULEBOOK.md), as data: what a practice
//! explanation's "(R12; 164.501)" refers to. `cited_in` finds the references in a text,
//! so the comparison screen can explain each one beside the explanation.

use std::sync::OnceLock;

use serde::Deserialize;

const BUILTIN: &str = include_str!("references.yaml");

/// One numbered rule.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRef {
    /// `R12`.
    pub id: String,
    pub title: String,
    pub citation: String,
    /// What it says, in one line.
    pub says: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRefs {
    pub version: u32,
    pub rules: Vec<RuleRef>,
}

impl RuleRefs {
    /// The compiled-in list (checked by the tests).
    pub fn builtin() -> &'static RuleRefs {
        static REFS: OnceLock<RuleRefs> = OnceLock::new();
        REFS.get_or_init(|| {
            RuleRefs::from_yaml(BUILTIN)
                .unwrap_or_else(|e| panic!("the built-in rule references are invalid: {e}"))
        })
    }

    /// Parses and checks the list: version 1, ids `R<n>`, unique, each with a citation.
    pub fn from_yaml(src: &str) -> Result<RuleRefs, String> {
        let refs: RuleRefs = crate::yaml::from_str(src)
            .map_err(|e| format!("references:{}:{}: {}", e.line, e.column, e.message))?;
        if refs.version != 1 {
            return Err(format!("rule references version {} is not 1", refs.version));
        }
        let mut seen = std::collections::HashSet::new();
        for r in &refs.rules {
            if number(&r.id).is_none() {
                return Err(format!("`{}` is not a rule number like R12", r.id));
            }
            if !seen.insert(r.id.as_str()) {
                return Err(format!("rule `{}` listed twice", r.id));
            }
            if r.citation.trim().is_empty() || r.title.trim().is_empty() {
                return Err(format!("rule `{}` needs a title and a citation", r.id));
            }
        }
        Ok(refs)
    }

    pub fn get(&self, id: &str) -> Option<&RuleRef> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The rules `text` refers to (`R1`, `R12`...), each once, in rule order; references
    /// to rules not in the list are left out (`unknown` names them).
    pub fn cited_in(&self, text: &str) -> Vec<&RuleRef> {
        let mut ids: Vec<u32> = references(text).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.iter()
            .filter_map(|n| self.get(&format!("R{n}")))
            .collect()
    }

    /// References in `text` to rules the list does not have.
    pub fn unknown(&self, text: &str) -> Vec<String> {
        references(text)
            .map(|n| format!("R{n}"))
            .filter(|id| self.get(id).is_none())
            .collect()
    }
}

/// `R12` -> 12.
fn number(id: &str) -> Option<u32> {
    let digits = id.strip_prefix('R')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Every `R<digits>` in `text` standing as a word of its own (not `PR12` or `R12a`).
fn references(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_r1_to_r36() {
        let refs = RuleRefs::builtin();
        for n in 1..=36 {
            assert!(refs.get(&format!("R{n}")).is_some(), "R{n}");
        }
    }

    #[test]
    fn finds_references_as_words_once_in_rule_order() {
        let refs = RuleRefs::builtin();
        let t =
            "full (R2, R1; 45 CFR 164.524(a)(1)) ... (R12; 164.501) again R1. Not PR3, R4a or R.";
        let ids: Vec<&str> = refs.cited_in(t).iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["R1", "R2", "R12"]);
        assert_eq!(refs.unknown("see R99"), ["R99"]);
    }

    #[test]
    fn rejects_bad_lists() {
        let bad = [
            "version: 2\nrules: []\n",
            "version: 1\nrules:\n  - { id: X1, title: t, citation: c, says: s }\n",
            "version: 1\nrules:\n  - { id: R1, title: t, citation: c, says: s }\n  - { id: R1, title: t, citation: c, says: s }\n",
            "version: 1\nrules:\n  - { id: R1, title: t, citation: \"\", says: s }\n",
        ];
        for b in bad {
            assert!(RuleRefs::from_yaml(b).is_err(), "{b}");
        }
    }
}
