//! Validation beyond types: the rules of DESIGN.md section 2 that serde cannot express.
//! Every violation is located in the source so that it prints as `path:line:col`.

use std::collections::HashSet;
use std::path::{Component, Path};

use chrono::NaiveDate;

use super::model::{Case, CaseKind, InstrumentKind, Relationship, Request};
use crate::yaml::{Seg, locate};

mod arrival;
mod instrument_and_access;

/// A rule broken at a position in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_ID_LEN: usize = 64;

/// USPS codes of the states, DC and the territories that HIPAA covers.
const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP",
];

/// `^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`
pub fn is_valid_case_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && id.len() <= MAX_ID_LEN
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// `^[a-z0-9_-]+$`
pub fn is_valid_record_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// "US" or "US-" followed by a USPS state or territory code.
pub fn is_valid_jurisdiction(j: &str) -> bool {
    j == "US" || j.strip_prefix("US-").is_some_and(|s| STATES.contains(&s))
}

pub(super) struct Checker<'a> {
    src: &'a str,
    out: Vec<Violation>,
}

impl Checker<'_> {
    pub(super) fn at(&mut self, path: &[Seg], message: impl Into<String>) {
        let (line, column) = locate(self.src, path);
        self.out.push(Violation {
            line,
            column,
            message: message.into(),
        });
    }

    pub(super) fn not_future(&mut self, path: &[Seg], date: Option<NaiveDate>, today: NaiveDate) {
        if let Some(d) = date.filter(|d| *d > today) {
            self.at(
                path,
                format!(
                    "date {d} is in the future (today is {today}); expected a past or present date"
                ),
            );
        }
    }

    pub(super) fn not_empty(&mut self, path: &[Seg], value: &str, what: &str) {
        if value.trim().is_empty() {
            self.at(path, format!("{what} is empty; expected text"));
        }
    }
}

/// Checks `case` (parsed from `src`, file stem `stem`, in directory `dir`) as of
/// `opts.today`.
pub fn validate(
    case: &Case,
    src: &str,
    stem: &str,
    dir: &Path,
    opts: &super::load_options::LoadOptions,
) -> Vec<Violation> {
    use Seg::{Index, Key};
    let today = opts.latest_day();
    let mut c = Checker {
        src,
        out: Vec::new(),
    };
    arrival::check(&mut c, case, opts);

    if !is_valid_case_id(&case.id) {
        c.at(
            &[Key("id")],
            format!(
                "invalid id `{}`; expected a letter or digit, then up to 63 letters, digits, `_` or `-`",
                crate::text::sanitize_line(&case.id)
            ),
        );
    } else if case.id != stem {
        c.at(
            &[Key("id")],
            format!(
                "id `{}` does not match the file name `{}.yaml`; expected `id: {}`",
                case.id,
                crate::text::sanitize_line(stem),
                crate::text::sanitize_line(stem)
            ),
        );
    }

    let title_chars = case.title.chars().count();
    if case.title.contains(['\n', '\r']) {
        c.at(
            &[Key("title")],
            "title spans several lines; expected one line",
        );
    } else if title_chars > MAX_TITLE_CHARS {
        c.at(
            &[Key("title")],
            format!("title is {title_chars} characters; expected at most {MAX_TITLE_CHARS}"),
        );
    }
    c.not_empty(&[Key("title")], &case.title, "title");

    if !is_valid_jurisdiction(&case.jurisdiction) {
        c.at(
            &[Key("jurisdiction")],
            format!(
                "unknown jurisdiction `{}`; expected `US` or `US-` and a state code such as `US-CA`",
                crate::text::sanitize_line(&case.jurisdiction)
            ),
        );
    }

    // A request that arrived after hours may count from the next business day, which
    // can be ahead: then the day it arrived (`arrival.on`) is the one never in the future
    // (validate/arrival.rs holds the two together).
    if case.arrival.as_ref().and_then(|a| a.on).is_none() {
        c.not_future(&[Key("received")], Some(case.received), today);
    }
    c.not_empty(
        &[Key("patient"), Key("ref")],
        &case.patient.reference,
        "patient.ref",
    );
    if case.patient.age > 130 {
        c.at(
            &[Key("patient"), Key("age")],
            format!(
                "age {} is not plausible; expected 0 to 130",
                case.patient.age
            ),
        );
    }

    check_deceased(&mut c, case, today);

    match case.kind {
        CaseKind::AccessRequest => {
            if case.request.is_none() {
                c.at(
                    &[Key("kind")],
                    "`kind: access_request` needs a `request:` section (requester, instrument, records)",
                );
            }
            if case.concern.is_some() {
                c.at(
                    &[Key("concern")],
                    "`concern:` is only for `kind: disclosure_concern`; an access request has `request:`",
                );
            }
        }
        CaseKind::DisclosureConcern => {
            if case.concern.is_none() {
                c.at(
                    &[Key("kind")],
                    "`kind: disclosure_concern` needs a `concern:` section (type, statement, ...)",
                );
            }
            if case.request.is_some() {
                c.at(
                    &[Key("request")],
                    "`request:` is only for `kind: access_request`; a disclosure concern has `concern:`",
                );
            }
        }
    }

    let mut ids = HashSet::new();
    if let Some(req) = &case.request {
        c.not_empty(
            &[Key("request"), Key("requester"), Key("name")],
            &req.requester.name,
            "requester name",
        );
        c.not_future(
            &[Key("request"), Key("instrument"), Key("dated")],
            req.instrument.dated,
            today,
        );
        if req.records.is_empty() {
            c.at(
                &[Key("request"), Key("records")],
                "no record items; expected at least one entry under `records:`",
            );
        }
        for (i, rec) in req.records.iter().enumerate() {
            let path = [Key("request"), Key("records"), Index(i), Key("id")];
            if !is_valid_record_id(&rec.id) {
                c.at(
                    &path,
                    format!(
                        "invalid record id `{}`; expected lower-case letters, digits, `_` or `-`",
                        crate::text::sanitize_line(&rec.id)
                    ),
                );
            } else if !ids.insert(rec.id.as_str()) {
                c.at(
                    &path,
                    format!(
                        "duplicate record id `{}`; record ids must be unique in a case",
                        rec.id
                    ),
                );
            }
        }
        if let Some(ext) = &req.extension {
            c.not_future(
                &[Key("request"), Key("extension"), Key("notice_sent")],
                Some(ext.notice_sent),
                today,
            );
            if !case.is_own_access() {
                c.at(
                    &[Key("request"), Key("extension")],
                    "an extension belongs to the individual's own access (164.524(b)(2)): the patient, a personal representative or the patient's direction; this request has no access clock to extend (use `instrument.return_date` for a date the instrument sets)",
                );
            }
        }
        check_requester(&mut c, case, req, today);
        instrument_and_access::check_request(&mut c, case, req, &ids, today);
    }

    if let Some(con) = &case.concern {
        c.not_empty(
            &[Key("concern"), Key("statement")],
            &con.statement,
            "concern statement",
        );
        instrument_and_access::check_concern(&mut c, case, con);
    }

    let he = &case.harm_evaluation;
    c.not_future(
        &[Key("harm_evaluation"), Key("assessed_on")],
        he.done().map(|e| e.assessed_on),
        today,
    );
    c.not_future(
        &[Key("harm_evaluation"), Key("assigned_on")],
        match he {
            crate::case::model::HarmEvaluation::Pending(p) => p.assigned_on,
            crate::case::model::HarmEvaluation::Done(e) => e.assigned_on,
        },
        today,
    );
    if let Some(p) = he.pending() {
        c.not_empty(
            &[Key("harm_evaluation"), Key("assigned_to")],
            &p.assigned_to,
            "assigned_to",
        );
    }
    for (i, rec) in he.records().iter().enumerate() {
        if !ids.contains(rec.as_str()) {
            let known = known_ids(&ids);
            c.at(
                &[Key("harm_evaluation"), Key("records"), Index(i)],
                format!(
                    "harm_evaluation names record `{}`, which the case does not have; expected one of: {known}",
                    crate::text::sanitize_line(rec)
                ),
            );
        }
    }

    for (i, con) in case.consultations.iter().enumerate() {
        c.not_future(
            &[Key("consultations"), Index(i), Key("on")],
            Some(con.on),
            today,
        );
    }
    for (i, doc) in case.documentation.iter().enumerate() {
        c.not_future(
            &[Key("documentation"), Index(i), Key("dated")],
            doc.dated,
            today,
        );
        if let Some(file) = &doc.file
            && let Err(msg) = check_attachment(dir, file)
        {
            c.at(&[Key("documentation"), Index(i), Key("file")], msg);
        }
    }

    if let Some(p) = &case.practice {
        for rec in p.reference.withhold.keys() {
            if !ids.contains(rec.as_str()) {
                let known = known_ids(&ids);
                c.at(
                    &[Key("practice"), Key("reference"), Key("withhold")],
                    format!(
                        "reference withholds record `{}`, which the case does not have; expected one of: {known}",
                        crate::text::sanitize_line(rec)
                    ),
                );
            }
        }
    }
    c.out.sort_by_key(|v| (v.line, v.column));
    c.out
}

/// A date of death, and the facts that only make sense with one (R28).
fn check_deceased(c: &mut Checker, case: &Case, today: NaiveDate) {
    use Seg::Key;
    let p = &case.patient;
    c.not_future(
        &[Key("patient"), Key("date_of_death")],
        p.date_of_death,
        today,
    );
    if p.date_of_death.is_none() && !p.objected_to_family_disclosure.is_no() {
        c.at(
            &[Key("patient"), Key("objected_to_family_disclosure")],
            "`objected_to_family_disclosure` is about a deceased patient (164.510(b)(5)); give `date_of_death`, or leave it out for a living patient",
        );
    }
}

fn check_requester(c: &mut Checker, case: &Case, req: &Request, today: NaiveDate) {
    use Seg::Key;
    let at = |k: &'static str| [Key("request"), Key("requester"), Key(k)];
    let rel = req.requester.relationship;
    match (rel, case.patient.date_of_death) {
        (Relationship::Executor, None) => c.at(
            &at("relationship"),
            "`executor` acts for a deceased patient's estate (164.502(g)(4)); this patient has no `date_of_death`. For a living patient use `personal_representative` (a guardian or health-care agent)",
        ),
        (Relationship::SelfPatient, Some(died)) if died < case.received => c.at(
            &at("relationship"),
            format!(
                "the patient died on {died}, before the request was received on {}; a request after death comes from an `executor`, a `personal_representative` or `family`",
                case.received
            ),
        ),
        _ => {}
    }
    if !req.requester.involved_in_care.is_no() && case.patient.date_of_death.is_none() {
        c.at(
            &at("involved_in_care"),
            "`involved_in_care` is about a deceased patient's family or friends (164.510(b)(5)); give `patient.date_of_death`, or leave it out for a living patient (a living patient's own agreement governs, 164.510(b)(1)-(3))",
        );
    }
    if let Some(e) = &req.requester.endangerment {
        if !matches!(
            rel,
            Relationship::PersonalRepresentative | Relationship::Parent | Relationship::Executor
        ) {
            c.at(
                &at("endangerment"),
                format!(
                    "`endangerment` records the belief that a personal representative abuses, neglects or endangers the patient (164.502(g)(5)); the requester is `{}`, not a parent, personal representative or executor",
                    crate::case::model::snake(&rel)
                ),
            );
        }
        c.not_future(
            &[
                Key("request"),
                Key("requester"),
                Key("endangerment"),
                Key("documented_on"),
            ],
            Some(e.documented_on),
            today,
        );
        c.not_empty(
            &[
                Key("request"),
                Key("requester"),
                Key("endangerment"),
                Key("documented_by"),
            ],
            &e.documented_by,
            "endangerment.documented_by",
        );
    }
    if req.instrument.return_date.is_some()
        && !matches!(
            req.instrument.kind,
            InstrumentKind::Subpoena
                | InstrumentKind::CourtOrder
                | InstrumentKind::Warrant
                | InstrumentKind::AdministrativeRequest
        )
    {
        c.at(
            &[Key("request"), Key("instrument"), Key("return_date")],
            format!(
                "`return_date` is the date a subpoena, court order, warrant or administrative request sets for production; the instrument is `{}`",
                crate::case::model::snake(&req.instrument.kind)
            ),
        );
    }
}

fn known_ids(ids: &HashSet<&str>) -> String {
    let mut v: Vec<&str> = ids.iter().copied().collect();
    v.sort_unstable();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

/// An attachment path must be relative, stay inside the case directory, and exist.
fn check_attachment(dir: &Path, file: &str) -> Result<(), String> {
    let shown = crate::text::sanitize_line(file);
    let p = Path::new(file);
    let mut depth = 0i32;
    for comp in p.components() {
        match comp {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "file `{shown}` is an absolute path; expected a path inside the case directory"
                ));
            }
        }
        if depth < 0 {
            return Err(format!(
                "file `{shown}` points outside the case directory; expected a path inside it"
            ));
        }
    }
    let full = dir.join(p);
    // Resolve links too: a link inside the directory must not lead out of it.
    match (full.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) => Ok(()),
        (Ok(_), Ok(_)) => Err(format!(
            "file `{shown}` resolves outside the case directory; expected a path inside it"
        )),
        _ => Err(format!(
            "file `{shown}` does not exist in the case directory"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_patterns() {
        assert!(is_valid_case_id("AR-2026-0101"));
        assert!(is_valid_case_id("a"));
        assert!(!is_valid_case_id("../x"));
        assert!(!is_valid_case_id("-x"));
        assert!(!is_valid_case_id(""));
        assert!(!is_valid_case_id(&"a".repeat(65)));
        assert!(is_valid_case_id(&"a".repeat(64)));
        assert!(is_valid_record_id("chart_2024-a"));
        assert!(!is_valid_record_id("Chart"));
    }

    #[test]
    fn jurisdictions() {
        assert!(is_valid_jurisdiction("US"));
        assert!(is_valid_jurisdiction("US-CA"));
        assert!(!is_valid_jurisdiction("US-XX"));
        assert!(!is_valid_jurisdiction("CA"));
    }
}
