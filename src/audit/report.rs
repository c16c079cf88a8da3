//! The audit report: one row per decision record, joined with its verification state
//! (the same [`verify_log`] that `casebench verify` runs), the case it decides (patient
//! reference, receipt date, record descriptions) and the reviewer's display name.
//!
//! Shared by `casebench audit` and the workbench's audit view: build an [`AuditReport`]
//! once, then filter its rows with a [`Filter`] as often as the user changes it.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::record::model::{Action, Record, RecordType};
use crate::record::reviewers::{self, Reviewers};
use crate::record::verify::{LogIssue, LogReport, Severity, State, verify_log};
use crate::rules::CaseSet;

/// A record's verification state as the audit shows it: always a word, never a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Intact, properly signed by an allowed signer, case file unchanged.
    Ok,
    /// Intact and signed, but the case file changed (or vanished) after the decision.
    CaseChanged,
    /// Intact and signed, but the signer is allowed only by an archived policy.
    SupersededPolicy,
    /// Not intact, not properly signed, or out of place in the chain.
    Failed,
    /// The log has a gap here: the record file is gone (or only its signature is left).
    Missing,
}

impl Verification {
    pub fn from_state(s: State) -> Verification {
        match s {
            State::Ok => Verification::Ok,
            State::CaseChanged => Verification::CaseChanged,
            State::SupersededPolicy => Verification::SupersededPolicy,
            State::Invalid => Verification::Failed,
        }
    }

    /// The text mark shown beside a record (tables, the workbench).
    pub fn mark(self) -> &'static str {
        match self {
            Verification::Ok => "ok",
            Verification::CaseChanged => "CASE CHANGED",
            Verification::SupersededPolicy => "OLD POLICY",
            Verification::Failed => "FAILED",
            Verification::Missing => "MISSING",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Ok => "ok",
            Verification::CaseChanged => "case_changed",
            Verification::SupersededPolicy => "superseded_policy",
            Verification::Failed => "failed",
            Verification::Missing => "missing",
        }
    }

    /// Failed or missing: the record itself cannot be trusted.
    pub fn is_broken(self) -> bool {
        matches!(self, Verification::Failed | Verification::Missing)
    }
}

/// One withheld record item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WithheldRow {
    pub id: String,
    /// From the case file, when the case is there and names the item.
    pub description: Option<String>,
    pub grounds: Vec<String>,
}

/// One overridden advisor finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverrideRow {
    pub code: String,
    pub justification: String,
}

/// One row of the audit: a record of the log (or a gap in it).
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// The site whose log holds the record (a `--sites` mirror); none on a single site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub seq: u64,
    pub file: String,
    /// The signing time, UTC, RFC 3339.
    pub time: Option<String>,
    /// The record's date (UTC): what `--since`/`--until` filter on.
    pub date: Option<NaiveDate>,
    #[serde(rename = "type")]
    pub kind: Option<RecordType>,
    pub case: Option<String>,
    /// From the case file (records name the case, not the patient).
    pub patient_ref: Option<String>,
    /// The case's receipt date.
    pub received: Option<NaiveDate>,
    /// The allowed_signers principal that signed.
    pub reviewer: Option<String>,
    /// From reviewers.yaml.
    pub reviewer_name: Option<String>,
    pub outcome: Option<String>,
    pub grounds: Vec<String>,
    pub withheld: Vec<WithheldRow>,
    /// Ids of the items released.
    pub released: Vec<String>,
    /// How many accounting-of-disclosures entries the record carries.
    pub disclosures: usize,
    /// The record's `deadline.due` (none for disclosure concerns).
    pub deadline_due: Option<NaiveDate>,
    /// The record's `deadline.decided_on_time`.
    pub decided_on_time: Option<bool>,
    /// The case's status given the whole verified log (`rules::queue::standing`), for a
    /// case with a record in force; what `list` says of it.
    pub case_status: Option<crate::rules::Status>,
    /// The case's on-time (provided on time, for an access request) from the same
    /// function.
    pub case_on_time: Option<bool>,
    /// Calendar days from the case's receipt to the record's date.
    pub days_to_decision: Option<i64>,
    /// The signing date is after the due date although the record says "on time"
    /// (the decision was signed with a `--today` earlier than the clock's date).
    pub signed_after_due: bool,
    pub overrides: Vec<OverrideRow>,
    pub verification: Verification,
    /// What verification found, most important first (empty when `ok`).
    pub problems: Vec<String>,
    /// The parsed record, for the detail view.
    #[serde(skip)]
    pub record: Option<Record>,
}

impl AuditReport {
    /// The day of the newest record that can be read (UTC, as [`AuditRow::date`]).
    pub fn newest_day(&self) -> Option<NaiveDate> {
        self.rows.iter().filter_map(|r| r.date).max()
    }
}

impl AuditRow {
    /// The first problem, or "" when there is none.
    pub fn reason(&self) -> &str {
        self.problems.first().map_or("", String::as_str)
    }

    /// A decision or review: a record that settles a case.
    pub fn is_final(&self) -> bool {
        matches!(self.kind, Some(RecordType::Decision | RecordType::Review))
    }

    /// On time or not: for a decision or review of a case with a record in force, the
    /// case's (provided on time, `rules::queue::standing`); for any other record, what
    /// it says itself. `None`: nothing to miss, or not done yet.
    pub fn on_time(&self) -> Option<bool> {
        if self.is_final() && self.case_status.is_some() {
            return self.case_on_time;
        }
        self.deadline_due.and(self.decided_on_time)
    }
}

/// The whole audit: rows in log order, plus warnings about the log directory.
#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub rows: Vec<AuditRow>,
    /// Log-level warnings (leftovers of interrupted writes, stray files).
    pub warnings: Vec<String>,
    pub head: u64,
    /// True when every record verifies (what `casebench verify` exits 0 on).
    pub ok: bool,
    /// The first thing wrong, as `casebench verify` names it (a record, a missing
    /// record, or a checkpoint the log no longer matches).
    pub first_bad: Option<FirstBad>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FirstBad {
    /// None for a problem at no record (an unreadable checkpoint file).
    pub seq: Option<u64>,
    pub message: String,
}

/// Why the audit could not be built at all.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{0}")]
    Verify(String),
    #[error("{0}")]
    Reviewers(String),
}

impl AuditReport {
    /// Verifies the log of `cases` and builds the report against the loaded `set`.
    pub fn build(cases: &Path, set: &CaseSet) -> Result<AuditReport, AuditError> {
        let log = verify_log(cases, None).map_err(AuditError::Verify)?;
        let people = reviewers::load(cases).map_err(AuditError::Reviewers)?;
        Ok(AuditReport::from_log(log, set, &people))
    }

    /// The report from an existing verification (pure).
    pub fn from_parts(log: &LogReport, set: &CaseSet, people: &Reviewers) -> AuditReport {
        AuditReport::from_log(log.clone(), set, people)
    }

    /// Like [`AuditReport::from_parts`], consuming the verification (no copies).
    pub fn from_log(log: LogReport, set: &CaseSet, people: &Reviewers) -> AuditReport {
        let ok = log.ok();
        let first_bad = log
            .first_bad()
            .map(|(seq, message)| FirstBad { seq, message });
        let mut rows: Vec<AuditRow> = log
            .records
            .into_iter()
            .map(|r| {
                let mut row = AuditRow {
                    site: None,
                    seq: r.seq,
                    file: r.file,
                    time: r.time,
                    date: None,
                    kind: r.kind,
                    case: r.case,
                    patient_ref: None,
                    received: None,
                    reviewer: r.reviewer,
                    reviewer_name: None,
                    outcome: r.outcome,
                    grounds: Vec::new(),
                    withheld: Vec::new(),
                    released: Vec::new(),
                    disclosures: 0,
                    deadline_due: None,
                    decided_on_time: None,
                    case_status: None,
                    case_on_time: None,
                    days_to_decision: None,
                    signed_after_due: false,
                    overrides: Vec::new(),
                    verification: Verification::from_state(r.state),
                    problems: r.problems,
                    record: r.record,
                };
                if let Some(rec) = row.record.take() {
                    fill_from_record(&mut row, &rec, set, people);
                    row.record = Some(rec);
                }
                row
            })
            .collect();
        let mut warnings = Vec::new();
        for issue in &log.issues {
            match (issue.severity, issue.seq) {
                (Severity::Error, Some(seq)) => add_gap(&mut rows, seq, issue),
                _ => warnings.push(issue.message.clone()),
            }
        }
        rows.sort_by_key(|r| r.seq);
        standings(&mut rows, set);
        AuditReport {
            rows,
            warnings,
            head: log.head,
            ok,
            first_bad,
        }
    }

    /// The rows `filter` keeps, in log order.
    pub fn filtered<'a>(&'a self, filter: &Filter) -> Vec<&'a AuditRow> {
        self.rows.iter().filter(|r| filter.matches(r)).collect()
    }

    /// The row of record `seq`.
    pub fn row(&self, seq: u64) -> Option<&AuditRow> {
        self.rows.iter().find(|r| r.seq == seq)
    }

    /// Distinct reviewers (principal, display name) in log order: the TUI's filter choices.
    pub fn reviewers(&self) -> Vec<(String, Option<String>)> {
        let mut seen = Vec::<(String, Option<String>)>::new();
        for r in &self.rows {
            if let Some(p) = &r.reviewer
                && !seen.iter().any(|(q, _)| q == p)
            {
                seen.push((p.clone(), r.reviewer_name.clone()));
            }
        }
        seen
    }
}

fn fill_from_record(row: &mut AuditRow, rec: &Record, set: &CaseSet, people: &Reviewers) {
    let date = rec.time.date_naive();
    row.date = Some(date);
    row.grounds = rec.grounds.clone();
    row.disclosures = rec.disclosures.len();
    row.deadline_due = rec.deadline.due;
    row.decided_on_time = Some(rec.deadline.decided_on_time);
    row.signed_after_due =
        rec.deadline.decided_on_time && rec.deadline.due.is_some_and(|d| date > d);
    row.overrides = rec
        .findings_overridden
        .iter()
        .map(|f| OverrideRow {
            code: f.code.clone(),
            justification: f.justification.clone(),
        })
        .collect();
    row.reviewer_name = people.get(&rec.reviewer).map(|p| p.name.clone());
    let case = set.get(&rec.case).map(|lc| &lc.case);
    if let Some(c) = case {
        row.patient_ref = Some(c.patient.reference.clone());
        row.received = Some(c.received);
        row.days_to_decision = Some((date - c.received).num_days());
    }
    let describe = |id: &str| {
        case.and_then(|c| c.records().iter().find(|i| i.id == id))
            .map(|i| i.description.clone())
    };
    for a in &rec.records {
        match a.action {
            Action::Withhold => row.withheld.push(WithheldRow {
                id: a.id.clone(),
                description: describe(&a.id),
                grounds: a.grounds.clone(),
            }),
            Action::Release => row.released.push(a.id.clone()),
        }
    }
}

/// A gap in the log (a missing record, an orphaned signature) becomes a row of its own,
/// so a deleted record is as visible as a tampered one.
fn add_gap(rows: &mut Vec<AuditRow>, seq: u64, issue: &LogIssue) {
    if let Some(row) = rows.iter_mut().find(|r| r.seq == seq) {
        row.problems.push(issue.message.clone());
        if row.verification != Verification::Missing {
            row.verification = Verification::Failed;
        }
        return;
    }
    rows.push(AuditRow {
        site: None,
        seq,
        file: issue.file.clone().unwrap_or_default(),
        time: None,
        date: None,
        kind: None,
        case: None,
        patient_ref: None,
        received: None,
        reviewer: None,
        reviewer_name: None,
        outcome: None,
        grounds: Vec::new(),
        withheld: Vec::new(),
        released: Vec::new(),
        disclosures: 0,
        deadline_due: None,
        decided_on_time: None,
        case_status: None,
        case_on_time: None,
        days_to_decision: None,
        signed_after_due: false,
        overrides: Vec::new(),
        verification: Verification::Missing,
        problems: vec![issue.message.clone()],
        record: None,
    });
}

/// Which rows to show. The default shows everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Filter {
    /// Records dated on or after this day (UTC date of signing).
    pub since: Option<NaiveDate>,
    /// Records dated on or before this day.
    pub until: Option<NaiveDate>,
    /// A principal, or a display name from reviewers.yaml (exact).
    pub reviewer: Option<String>,
    /// An outcome (`deny`, `release_partial`, ...).
    pub outcome: Option<String>,
    /// Only records that do not verify cleanly (any state but `ok`).
    pub problems_only: bool,
    /// Only records that override an advisor finding.
    pub overridden_only: bool,
    /// Only this site's records (a `--sites` mirror).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

impl Filter {
    /// Does `row` pass? A record whose date cannot be read (failed, missing) passes the
    /// date range: an unreadable record must never be hidden by a date filter.
    pub fn matches(&self, row: &AuditRow) -> bool {
        if let Some(d) = row.date
            && (self.since.is_some_and(|s| d < s) || self.until.is_some_and(|u| d > u))
        {
            return false;
        }
        if let Some(who) = &self.reviewer {
            let principal = row.reviewer.as_deref() == Some(who.as_str());
            let name = row.reviewer_name.as_deref() == Some(who.as_str());
            if !principal && !name {
                return false;
            }
        }
        if let Some(o) = &self.outcome
            && row.outcome.as_deref() != Some(o.as_str())
        {
            return false;
        }
        if self.problems_only && row.verification == Verification::Ok {
            return false;
        }
        if self.overridden_only && row.overrides.is_empty() {
            return false;
        }
        if let Some(site) = &self.site
            && row.site.as_deref() != Some(site.as_str())
        {
            return false;
        }
        true
    }
}

/// Each case's standing from the verified records (broken ones are not believed), the
/// one status function `list` calls, on every row of a case with a record in force.
fn standings(rows: &mut [AuditRow], set: &CaseSet) {
    let mut histories: HashMap<String, crate::record::log::CaseHistory> = HashMap::new();
    for r in rows.iter().filter(|r| !r.verification.is_broken()) {
        if let Some(rec) = &r.record {
            let link = crate::record::model::sha256_link(&rec.to_bytes());
            histories
                .entry(rec.case.clone())
                .or_default()
                .add(crate::record::log::Entry::of(rec, link));
        }
    }
    let mut by_case: HashMap<String, crate::rules::queue::Standing> = HashMap::new();
    for (id, h) in &histories {
        let (Some(f), Some(lc)) = (h.final_record(), set.get(id)) else {
            continue;
        };
        // Decided statuses do not depend on the day; the deadline's day is the decision's.
        let dl = crate::rules::deadline::for_case(&lc.case, &set.rules, f.time.date_naive());
        let facts = crate::decision::standing::of_history(Some(h), false);
        by_case.insert(
            id.clone(),
            crate::rules::queue::standing(&lc.case, &dl, &facts),
        );
    }
    for r in rows.iter_mut() {
        if let Some(st) = r.case.as_ref().and_then(|c| by_case.get(c)) {
            r.case_status = Some(st.status);
            r.case_on_time = st.on_time;
        }
    }
}

/// Case id -> does the log hold a final record (decision or review) for it, whatever
/// the filter: a case decided outside the window is still decided.
pub fn decided_cases(report: &AuditReport) -> HashMap<String, u64> {
    let mut m = HashMap::new();
    for r in report.rows.iter().filter(|r| r.is_final()) {
        if let Some(c) = &r.case {
            m.insert(c.clone(), r.seq);
        }
    }
    m
}

/// The exact bytes of record `seq` as text (sanitised for a terminal), for the detail
/// view, and its signature file, if readable.
pub fn record_text(cases: &Path, seq: u64) -> Result<(String, Option<String>), String> {
    use crate::record::log::{MAX_RECORD_BYTES, Paths, record_name, sig_name};
    use crate::store::safe_open::SafeDir;
    let p = Paths::new(cases);
    let dir = SafeDir::open(&p.log).map_err(|e| format!("{}: {e}", p.log.display()))?;
    let bytes = dir
        .read_file(&record_name(seq), MAX_RECORD_BYTES)
        .map_err(|e| format!("{}: {e}", record_name(seq)))?;
    let text = crate::text::sanitize(&String::from_utf8_lossy(&bytes));
    let sig = dir
        .read_file(&sig_name(seq), 64 * 1024)
        .ok()
        .map(|b| crate::text::sanitize(&String::from_utf8_lossy(&b)));
    Ok((text, sig))
}
