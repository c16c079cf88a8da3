//! Decision record v1 (DESIGN.md section 4): the typed record, and its one canonical
//! byte form. The signed message is the file's exact bytes, so the bytes are written
//! here by hand (fixed key order, quoting rules we control, LF, final newline) rather
//! than by a serializer whose formatting could change. Reading goes through
//! [`crate::yaml::from_str`] into structs that reject unknown keys, then the record is
//! written again and must reproduce the file byte for byte ("canonical form").

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::yamlout::{Out, is_sha256_link};

/// The value of the `record:` key of every v1 record.
pub const RECORD_TAG: &str = "casebench-decision/1";

/// Record types, each signed in its own SSHSIG namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    Decision,
    Review,
    Practice,
    Countersign,
    /// The records provided (or the denial's notice sent, or the disclosure made) for the
    /// record in force on a case: the access clock stops here (issue 22).
    Provision,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Decision => "decision",
            RecordType::Review => "review",
            RecordType::Practice => "practice",
            RecordType::Countersign => "countersign",
            RecordType::Provision => "provision",
        }
    }

    /// The SSHSIG namespace a record of this type is signed in.
    pub fn namespace(self) -> &'static str {
        match self {
            RecordType::Decision | RecordType::Countersign => NS_DECISION,
            RecordType::Review => NS_REVIEW,
            RecordType::Practice => NS_PRACTICE,
            RecordType::Provision => NS_PROVISION,
        }
    }

    pub fn parse(s: &str) -> Option<RecordType> {
        match s {
            "decision" => Some(RecordType::Decision),
            "review" => Some(RecordType::Review),
            "practice" => Some(RecordType::Practice),
            "countersign" => Some(RecordType::Countersign),
            "provision" => Some(RecordType::Provision),
            _ => None,
        }
    }
}

pub const NS_DECISION: &str = "casebench-decision";
pub const NS_REVIEW: &str = "casebench-review";
pub const NS_PRACTICE: &str = "casebench-practice";
pub const NS_AUDIT: &str = "casebench-audit";
/// Provision records: release-of-information staff and supervisors.
pub const NS_PROVISION: &str = "casebench-provision";

/// What a provision record says was done for the record it carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionWhat {
    /// The records released were provided (a partial denial: and its notice sent).
    Records,
    /// A denial's written notice was sent (164.524(d)(2)).
    Notice,
    /// A disclosure concern's disclosure (a warning, a report) was made.
    Disclosure,
}

impl ProvisionWhat {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionWhat::Records => "records",
            ProvisionWhat::Notice => "notice",
            ProvisionWhat::Disclosure => "disclosure",
        }
    }

    pub fn parse(s: &str) -> Option<ProvisionWhat> {
        [
            ProvisionWhat::Records,
            ProvisionWhat::Notice,
            ProvisionWhat::Disclosure,
        ]
        .into_iter()
        .find(|w| w.as_str() == s)
    }

    /// What carries out a decision with `outcome`; `None` when nothing is to be provided
    /// (a request for information, confidentiality maintained).
    pub fn for_outcome(outcome: &str) -> Option<ProvisionWhat> {
        match outcome {
            "release_full" | "release_partial" => Some(ProvisionWhat::Records),
            "deny" => Some(ProvisionWhat::Notice),
            "warn_and_protect" | "report" => Some(ProvisionWhat::Disclosure),
            _ => None,
        }
    }
}

/// The provision block of a `provision` record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// The seq of the record carried out (the record in force when signed).
    pub provides: u64,
    /// `sha256:<hex>` of that record's bytes.
    pub provides_sha256: String,
    pub what: ProvisionWhat,
    /// The day the records were provided (the notice sent, the disclosure made).
    pub on: NaiveDate,
    /// A partial denial: the day the written notice of the part withheld was sent.
    #[serde(with = "date_or_none")]
    pub notice_sent: Option<NaiveDate>,
    /// The channel: portal, email, mail, pickup, fax (phone, in_person: a concern's
    /// disclosure).
    pub via: String,
    /// The form and format, in the clinic's words (`pdf`, `paper copy`, `letter`).
    pub form: String,
    /// The day the individual was told the fee; none when no fee or not told.
    #[serde(with = "date_or_none")]
    pub fee_told_on: Option<NaiveDate>,
    /// The provision this one corrects (its reason is the rationale); none otherwise.
    #[serde(with = "seq_or_none")]
    pub corrects: Option<u64>,
}

impl Provision {
    /// The day the clock stops: the later of the provision and the notice's sending.
    pub fn done_on(&self) -> NaiveDate {
        self.notice_sent.map_or(self.on, |n| n.max(self.on))
    }
}

/// One item of the fee charged, in cents (written `"12.50"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub item: String,
    #[serde(with = "amount")]
    pub cents: u64,
}

/// `12.50` for 1250 cents.
pub fn format_amount(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// `12`, `12.5`, `12.50` to cents; anything else (negative, three decimals) is `None`.
pub fn parse_amount(s: &str) -> Option<u64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (s.contains('.') && frac.is_empty())
    {
        return None;
    }
    let f: u64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(whole.parse::<u64>().ok()? * 100 + f)
}

mod amount {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_amount(*c))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_amount(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("invalid amount `{s}`; expected dollars like 12.50"))
        })
    }
}

mod date_or_none {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        super::due_or_none::serialize(d, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let s = String::deserialize(d)?;
        if s == "none" {
            return Ok(None);
        }
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                serde::de::Error::custom(format!("invalid date `{s}`; expected YYYY-MM-DD or none"))
            })
    }
}

mod seq_or_none {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_u64(*n),
            None => s.serialize_str("none"),
        }
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum SeqOrWord {
        Seq(u64),
        Word(String),
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match SeqOrWord::deserialize(d)? {
            SeqOrWord::Seq(n) => Ok(Some(n)),
            SeqOrWord::Word(w) if w == "none" => Ok(None),
            SeqOrWord::Word(w) => Err(serde::de::Error::custom(format!(
                "invalid seq `{w}`; expected a record number or none"
            ))),
        }
    }
}

/// What happens to one record item of an access request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Release,
    Withhold,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordAction {
    pub id: String,
    pub action: Action,
    /// The withholding grounds (empty, and omitted, for `release`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grounds: Vec<String>,
}

/// One entry of the accounting of disclosures (45 CFR 164.528).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    pub date: NaiveDate,
    pub recipient: String,
    pub address: String,
    pub description: String,
    pub purpose: String,
}

/// Which elements the written notice of this decision carries (164.524(d)(2)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    pub basis: bool,
    pub review_rights: bool,
    pub complaint_routes: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInfo {
    /// None for disclosure concerns (no statutory clock): written `due: none`.
    #[serde(with = "due_or_none")]
    pub due: Option<NaiveDate>,
    /// Written `provided_on_time` in a provision record: whether the records were
    /// provided (the notice sent) on or before `due`.
    #[serde(alias = "provided_on_time")]
    pub decided_on_time: bool,
}

/// An advisor finding the reviewer chose to override, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverriddenFinding {
    pub code: String,
    pub justification: String,
}

/// One decision record, every field of DESIGN.md section 4 plus `grounds` (the
/// decision's bases, e.g. `right-of-access`) and, for reviews and countersignatures,
/// the seq of the record reviewed or countersigned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub record: String,
    pub seq: u64,
    /// `sha256:<hex>` of the previous record file's bytes, or `none` for seq 1.
    pub prev: String,
    pub case: String,
    pub case_sha256: String,
    /// `sha256:<hex>` of this case's previous record, or `none`.
    pub case_prev: String,
    #[serde(rename = "type")]
    pub kind: RecordType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countersigns: Option<u64>,
    pub reviewer: String,
    /// `SHA256:<base64>` fingerprint of the signing key, as ssh-keygen prints it.
    pub key: String,
    /// `sha256:<hex>` of the allowed_signers file in force.
    pub policy: String,
    /// UTC, RFC 3339, whole seconds, `Z`.
    #[serde(with = "utc_seconds")]
    pub time: DateTime<Utc>,
    pub outcome: String,
    #[serde(default)]
    pub grounds: Vec<String>,
    #[serde(default)]
    pub records: Vec<RecordAction>,
    #[serde(default)]
    pub disclosures: Vec<Disclosure>,
    pub notice: Notice,
    pub deadline: DeadlineInfo,
    /// A provision record's block (none for every other type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<Provision>,
    /// A provision record's fee items (`fees: []` when nothing was charged).
    #[serde(default)]
    pub fees: Vec<Fee>,
    #[serde(default)]
    pub findings_overridden: Vec<OverriddenFinding>,
    pub rationale: String,
}

/// `none`, the link value of a first record.
pub const NONE: &str = "none";

/// `sha256:<hex>` of `bytes`.
pub fn sha256_link(bytes: &[u8]) -> String {
    use sha2::Digest;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

/// Serde for a record-family time (`2026-03-05T14:02:11Z`): checkpoints and rewind
/// notices write and read their `time` as records do.
pub(crate) mod time_str {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_time(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_time(&s).ok_or_else(|| serde::de::Error::custom(format!("invalid time `{s}`")))
    }
}

/// Formats a record time the one way records carry it.
pub fn format_time(t: &DateTime<Utc>) -> String {
    use chrono::Timelike;
    // By hand: chrono's strftime parses its pattern on every call, and verification
    // formats a time per record.
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(&t.date_naive()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DD` (years 0-9999, the only ones records carry).
pub fn format_date(d: &NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    // `YYYY-MM-DDTHH:MM:SSZ`, parsed by hand (see `format_time`).
    let b = s.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)?;
    let t = date
        .and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?
        .and_utc();
    (format_time(&t) == s).then_some(t)
}

mod utc_seconds {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_time(t))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_time(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "invalid time `{s}`; expected YYYY-MM-DDTHH:MM:SSZ (UTC)"
            ))
        })
    }
}

mod due_or_none {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::format_date(d)),
            None => s.serialize_str("none"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let s = String::deserialize(d)?;
        if s == "none" {
            return Ok(None);
        }
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                serde::de::Error::custom(format!("invalid date `{s}`; expected YYYY-MM-DD or none"))
            })
    }
}

/// Why bytes are not a valid v1 record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordFormatError {
    #[error("not UTF-8")]
    Utf8,
    #[error("line {line}, column {column}: {message}")]
    Yaml {
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{0}")]
    Field(String),
    #[error("not in canonical form (first difference at line {0}): the file was edited")]
    NotCanonical(usize),
}

impl Record {
    /// The canonical bytes of this record: what is signed and written.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Out::default();
        o.kv_plain("record", &self.record);
        o.kv_plain("seq", &self.seq.to_string());
        o.kv_str("prev", &self.prev);
        o.kv_str("case", &self.case);
        o.kv_str("case_sha256", &self.case_sha256);
        o.kv_str("case_prev", &self.case_prev);
        o.kv_plain("type", self.kind.as_str());
        if let Some(s) = self.reviews {
            o.kv_plain("reviews", &s.to_string());
        }
        if let Some(s) = self.countersigns {
            o.kv_plain("countersigns", &s.to_string());
        }
        o.kv_str("reviewer", &self.reviewer);
        o.kv_str("key", &self.key);
        o.kv_str("policy", &self.policy);
        o.kv_plain("time", &format_time(&self.time));
        o.kv_str("outcome", &self.outcome);
        o.kv_str_list("grounds", &self.grounds);
        o.list("records", &self.records, |o, r| {
            o.map_start();
            o.entry_str("id", &r.id);
            o.entry_plain(
                "action",
                match r.action {
                    Action::Release => "release",
                    Action::Withhold => "withhold",
                },
            );
            if !r.grounds.is_empty() {
                o.entry_list("grounds", &r.grounds);
            }
            o.map_end();
        });
        o.list("disclosures", &self.disclosures, |o, d| {
            o.map_start();
            o.entry_plain("date", &format_date(&d.date));
            o.entry_str("recipient", &d.recipient);
            o.entry_str("address", &d.address);
            o.entry_str("description", &d.description);
            o.entry_str("purpose", &d.purpose);
            o.map_end();
        });
        o.key("notice");
        o.map_start();
        o.entry_plain("basis", bool_str(self.notice.basis));
        o.entry_plain("review_rights", bool_str(self.notice.review_rights));
        o.entry_plain("complaint_routes", bool_str(self.notice.complaint_routes));
        o.map_end_line();
        o.key("deadline");
        o.map_start();
        let due = self
            .deadline
            .due
            .map_or_else(|| NONE.to_string(), |d| format_date(&d));
        o.entry_plain("due", &due);
        let on_time_key = if self.kind == RecordType::Provision {
            "provided_on_time"
        } else {
            "decided_on_time"
        };
        o.entry_plain(on_time_key, bool_str(self.deadline.decided_on_time));
        o.map_end_line();
        if let Some(p) = &self.provision {
            let date_or_none =
                |d: Option<NaiveDate>| d.map_or_else(|| NONE.to_string(), |d| format_date(&d));
            o.key("provision");
            o.map_start();
            o.entry_plain("provides", &p.provides.to_string());
            o.entry_str("provides_sha256", &p.provides_sha256);
            o.entry_plain("what", p.what.as_str());
            o.entry_plain("on", &format_date(&p.on));
            o.entry_plain("notice_sent", &date_or_none(p.notice_sent));
            o.entry_str("via", &p.via);
            o.entry_str("form", &p.form);
            o.entry_plain("fee_told_on", &date_or_none(p.fee_told_on));
            o.entry_plain(
                "corrects",
                &p.corrects
                    .map_or_else(|| NONE.to_string(), |c| c.to_string()),
            );
            o.map_end_line();
            o.list("fees", &self.fees, |o, f| {
                o.map_start();
                o.entry_str("item", &f.item);
                o.entry_str("amount", &format_amount(f.cents));
                o.map_end();
            });
        }
        o.list("findings_overridden", &self.findings_overridden, |o, f| {
            o.map_start();
            o.entry_str("code", &f.code);
            o.entry_str("justification", &f.justification);
            o.map_end();
        });
        o.kv_text("rationale", &self.rationale);
        o.finish()
    }

    /// Shape checks beyond the types: the tag, the link and hash formats, the
    /// review/countersign pointers.
    pub fn check_fields(&self) -> Result<(), String> {
        if self.record != RECORD_TAG {
            return Err(format!(
                "`record: {}` is not `{RECORD_TAG}`",
                crate::text::sanitize_line(&self.record)
            ));
        }
        if self.seq == 0 {
            return Err("seq must start at 1".into());
        }
        let link_ok = |s: &str, first: bool| {
            if first { s == NONE } else { is_sha256_link(s) }
        };
        if !link_ok(&self.prev, self.seq == 1) {
            return Err(if self.seq == 1 {
                "prev of record 1 must be `none`".into()
            } else {
                "prev must be `sha256:<64 hex>`".into()
            });
        }
        if self.case_prev != NONE && !is_sha256_link(&self.case_prev) {
            return Err("case_prev must be `none` or `sha256:<64 hex>`".into());
        }
        if self.case_sha256.len() != 64 || !self.case_sha256.bytes().all(is_lower_hex) {
            return Err("case_sha256 must be 64 lowercase hex digits".into());
        }
        if !is_sha256_link(&self.policy) {
            return Err("policy must be `sha256:<64 hex>`".into());
        }
        match (self.kind, self.reviews, self.countersigns) {
            (RecordType::Review, Some(s), None) | (RecordType::Countersign, None, Some(s)) => {
                if s >= self.seq {
                    return Err(
                        "a review or countersignature must point to an earlier record".into(),
                    );
                }
            }
            (RecordType::Review, _, _) => {
                return Err(
                    "a review names the record it reviews (`reviews: <seq>`) and nothing else"
                        .into(),
                );
            }
            (RecordType::Countersign, _, _) => {
                return Err(
                    "a countersignature names its record (`countersigns: <seq>`) and nothing else"
                        .into(),
                );
            }
            (_, None, None) => {}
            _ => {
                return Err(
                    "`reviews`/`countersigns` belong to review and countersign records only".into(),
                );
            }
        }
        match (&self.provision, self.kind) {
            (Some(p), RecordType::Provision) => {
                if p.provides == 0
                    || p.provides >= self.seq
                    || p.corrects.is_some_and(|c| c == 0 || c >= self.seq)
                {
                    return Err(
                        "a provision must point to earlier records (`provides`, `corrects`)".into(),
                    );
                }
                if !is_sha256_link(&p.provides_sha256) {
                    return Err("provides_sha256 must be `sha256:<64 hex>`".into());
                }
            }
            (None, RecordType::Provision) => {
                return Err("a provision record needs its `provision:` block".into());
            }
            (Some(_), _) => {
                return Err("`provision` belongs to provision records only".into());
            }
            (None, _) if !self.fees.is_empty() => {
                return Err("`fees` belong to provision records only".into());
            }
            (None, _) => {}
        }
        Ok(())
    }

    /// True for records that settle a case (a decision, or a review of one).
    pub fn is_final(&self) -> bool {
        matches!(self.kind, RecordType::Decision | RecordType::Review)
    }
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
