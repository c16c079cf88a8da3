//! Dates are written `YYYY-MM-DD`, zero-padded: chrono alone would also take `2026-6-5`,
//! and a date that reads two ways has no place in a legal record.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, de::Error};

pub fn parse(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("invalid date `{s}`; expected YYYY-MM-DD"));
    }
    // The shape is checked above, so the three fields are plain digits.
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    i32::try_from(num(0..4))
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, num(5..7), num(8..10)))
        .ok_or_else(|| format!("invalid date `{s}` (no such day); expected YYYY-MM-DD"))
}

pub fn required<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let s = String::deserialize(d)?;
    parse(&s).map_err(D::Error::custom)
}

pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) => parse(&s).map(Some).map_err(D::Error::custom),
    }
}
