//! The form's fields, top to bottom, and the ground codes as typed in them.

use crate::text::sanitize_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Outcome,
    CaseGrounds,
    Action(usize),
    Grounds(usize),
    Disclosure(usize, usize),
    AddDisclosure,
    Override(usize, usize),
    AddOverride,
    Rationale,
    Sign,
}

impl Field {
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Field::CaseGrounds
                | Field::Grounds(_)
                | Field::Disclosure(..)
                | Field::Override(..)
                | Field::Rationale
        )
    }
}

/// Ground codes typed as "a, b c".
pub fn grounds(s: &str) -> Vec<String> {
    s.split([',', ' '])
        .filter(|g| !g.is_empty())
        .map(sanitize_line)
        .collect()
}
