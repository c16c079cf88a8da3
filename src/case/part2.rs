//! 42 CFR Part 2 facts of a case file: where a record received from a Part 2 program came
//! from and under what consent (2.12(d), 2.33(b)), and the section a Part 2 court order
//! was made under (2.64-2.67).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::strict_date;

/// The section of 42 CFR Part 2 a court order was made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Part2OrderSection {
    /// Noncriminal purposes, and proceedings generally.
    #[serde(rename = "2.64")]
    S2_64,
    /// To criminally investigate or prosecute a patient.
    #[serde(rename = "2.65")]
    S2_65,
    /// To investigate or prosecute a program or the person holding the records.
    #[serde(rename = "2.66")]
    S2_66,
    /// Undercover agents and informants in a program.
    #[serde(rename = "2.67")]
    S2_67,
}

impl Part2OrderSection {
    pub fn as_str(self) -> &'static str {
        match self {
            Part2OrderSection::S2_64 => "2.64",
            Part2OrderSection::S2_65 => "2.65",
            Part2OrderSection::S2_66 => "2.66",
            Part2OrderSection::S2_67 => "2.67",
        }
    }
}

/// Where a Part 2 record came from, and under what consent (42 CFR 2.12(d), 2.33(b)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part2Source {
    /// The program it came from.
    pub program: String,
    pub consent: Part2ConsentKind,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<NaiveDate>,
}

/// The consent a Part 2 record was received under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Part2ConsentKind {
    /// A single consent for all future treatment, payment and health care operations
    /// (42 CFR 2.31(a)(4)(i)): a covered entity may redisclose as HIPAA permits, except in
    /// proceedings against the patient (2.33(b)(1)).
    Tpo,
    /// A consent for a particular disclosure: redisclosure only as the consent or Part 2
    /// permits (2.32, 2.33(b)).
    Other,
    /// Received without consent (a medical emergency, a court order...).
    None,
}
