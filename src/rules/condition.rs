//! The rulebook's conditions: as written in the file ([`Condition`]) and checked against
//! the fact vocabulary, ready to evaluate ([`Cond`]). A leaf below the rulebook's types,
//! its state overlays and the fact view, which all read it.

use serde::{Deserialize, Serialize};

use super::vocabulary::{FACTS, Value, did_you_mean};

/// A validity condition as written in the file. Exactly one of `all`, `any`, `not`,
/// `fact` is set; with `fact`, exactly one of `is`, `in`, `at_least`, `below`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<Value>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<Value>,
}

/// A checked condition, ready to evaluate.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Is(String, Value),
    In(String, Vec<Value>),
    AtLeast(String, Value),
    Below(String, Value),
}

impl Condition {
    /// Checks the shape and the fact names; `at` names the rule for messages.
    pub fn compile(&self, at: &str) -> Result<Cond, String> {
        let shapes = [
            self.all.is_some(),
            self.any.is_some(),
            self.not.is_some(),
            self.fact.is_some(),
        ];
        if shapes.iter().filter(|s| **s).count() != 1 {
            return Err(format!(
                "{at}: a condition needs exactly one of `all`, `any`, `not`, `fact`"
            ));
        }
        let tests = [
            self.is.is_some(),
            self.one_of.is_some(),
            self.at_least.is_some(),
            self.below.is_some(),
        ];
        let n_tests = tests.iter().filter(|t| **t).count();
        if let Some(list) = &self.all {
            return Ok(Cond::All(compile_list(list, at)?));
        }
        if let Some(list) = &self.any {
            return Ok(Cond::Any(compile_list(list, at)?));
        }
        if let Some(inner) = &self.not {
            return Ok(Cond::Not(Box::new(inner.compile(at)?)));
        }
        let fact = self.fact.clone().unwrap_or_default();
        let Some(spec) = FACTS.iter().find(|f| f.name == fact) else {
            let hint = did_you_mean(&fact, FACTS.iter().map(|f| f.name));
            return Err(format!("{at}: unknown fact `{fact}`{hint}"));
        };
        if n_tests != 1 {
            return Err(format!(
                "{at}: fact `{fact}` needs exactly one of `is`, `in`, `at_least`, `below`"
            ));
        }
        let check = |v: &Value| {
            spec.accepts(v)
                .map_err(|e| format!("{at}: fact `{fact}`: {e}"))
        };
        if let Some(v) = &self.is {
            check(v)?;
            return Ok(Cond::Is(fact, v.clone()));
        }
        if let Some(vs) = &self.one_of {
            for v in vs {
                check(v)?;
            }
            return Ok(Cond::In(fact, vs.clone()));
        }
        let (v, below) = match (&self.at_least, &self.below) {
            (Some(v), None) => (v, false),
            (None, Some(v)) => (v, true),
            _ => return Err(format!("{at}: fact `{fact}`: bad comparison")),
        };
        check(v)?;
        if !spec.ordered() {
            return Err(format!(
                "{at}: fact `{fact}` is not ordered; use `is` or `in`"
            ));
        }
        Ok(if below {
            Cond::Below(fact, v.clone())
        } else {
            Cond::AtLeast(fact, v.clone())
        })
    }
}

fn compile_list(list: &[Condition], at: &str) -> Result<Vec<Cond>, String> {
    list.iter().map(|c| c.compile(at)).collect()
}
