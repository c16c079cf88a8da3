//! What the intake records beyond the legal facts (issue 22): how and when a request
//! arrived, how the requester's identity was checked and their authority shown, how the
//! records are to be delivered, and the requester's own date. Part of the case file,
//! schema v1 (docs/CASE-FORMAT.md, "Arrival, delivery and urgency").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::answer::Answer;
use super::strict_date;

fn is_false(b: &bool) -> bool {
    !*b
}

/// `arrival:`: the moment and the way a request (or a concern) reached the clinic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Arrival {
    /// The day it actually arrived, when it differs from `received` (the day the clock
    /// counts from): only for a request that arrived after hours, where the directory's
    /// `intake.after_hours` lets it count from the next business day.
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub on: Option<NaiveDate>,
    /// Local time at the clinic, 24-hour `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    pub channel: Channel,
    /// Who logged it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logged_by: Option<String>,
}

/// How a request arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Mail,
    Fax,
    Email,
    Portal,
    InPerson,
    Phone,
    Courier,
    Other,
}

/// `requester.identity_check:`: how, by whom and when the requester's identity was
/// checked (164.514(h)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCheck {
    pub method: IdentityMethod,
    pub by: String,
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityMethod {
    /// A government photo ID seen in person (or a copy, compared).
    PhotoId,
    /// Signed in to the patient portal.
    PortalAccount,
    /// Called back at a number already on file.
    Callback,
    /// A notarized signature.
    NotarizedSignature,
    /// Known to the staff member in person.
    KnownInPerson,
    Other,
}

/// `requester.authority:`: the requester's authority to act for the patient (a
/// guardian's order, a power of attorney, letters of administration...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    pub document: AuthorityDocument,
    /// A copy was seen and fits (names the requester, covers health matters, in force).
    /// Left out, it is unknown: the advisor asks before treating the requester as the
    /// patient's representative.
    #[serde(default = "Answer::unknown")]
    pub shown: Answer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityDocument {
    PowerOfAttorney,
    GuardianshipOrder,
    CustodyOrder,
    BirthCertificate,
    LettersOfAdministration,
    CourtAppointment,
    Other,
}

/// `request.delivery:`: how the records are to reach the requester.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub method: DeliveryMethod,
    /// Postal or email address, as the requester gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// A certified copy is asked for.
    #[serde(default, skip_serializing_if = "is_false")]
    pub certified: bool,
    /// Copies in a sealed envelope (for a court, an attorney).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sealed: bool,
}

/// How records are delivered (the same words as `provide --via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    Mail,
    Email,
    Portal,
    Pickup,
    Fax,
    Other,
}

/// `request.urgency:`: the requester's own date, which is not a legal deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Urgency {
    #[serde(
        default,
        deserialize_with = "strict_date::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub needed_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `HH:MM`, 24-hour, zero-padded: minutes after midnight.
pub fn parse_time(s: &str) -> Result<u32, String> {
    let b = s.as_bytes();
    let shape = b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit());
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    if shape && num(0..2) < 24 && num(3..5) < 60 {
        Ok(num(0..2) * 60 + num(3..5))
    } else {
        Err(format!(
            "invalid time `{}`; expected HH:MM, 24-hour (e.g. 09:05, 17:30)",
            crate::text::sanitize_line(s)
        ))
    }
}
