//! The advisor: RULEBOOK.md as data (`rulebook.yaml`, compiled in) and a pure engine that
//! applies it to a case.
//!
//! - [`Rulebook::builtin`] / [`Rulebook::for_case_dir`]: the rules, each with its citation.
//!   A clinic's counsel may replace the built-in file with `rules/rulebook.yaml` in the
//!   case directory.
//! - [`advise`]: per record item the valid grounds, the recommended decision, required
//!   actions, notice elements, the deadline, and the findings on the recommendation.
//! - [`check`]: the findings against a proposed decision.
//! - [`gate`]: which error findings a decision still needs overridden.
//!
//! No I/O except [`Rulebook::for_case_dir`], which reads the override file.

pub mod access_checks;
mod actions;
mod condition;
pub mod deadline;
mod disclosure_checks;
pub mod engine;
pub mod facts;
pub mod findings;
pub mod library;
pub mod model;
pub mod overlay;
pub mod queue;
mod recommendation;
pub mod references;
mod release_checks;
pub mod review;
pub mod unknowns;
pub mod vocabulary;
mod wording;

use std::path::Path;
use std::sync::OnceLock;

pub use actions::notice_elements;
pub use deadline::{Deadline, Status};
pub use engine::{
    Action, Advice, DeadlineInfo, GroundRef, NoticeElement, Recommended, RecordGrounds, StateInfo,
    advise,
};
pub use facts::Related;
pub use findings::{
    Finding, NoticeStatement, OverriddenFinding, Proposal, ReviewerFacts, check, gate,
    generated_notice,
};
pub use library::{CaseSet, load_dir};
pub use model::{Accounting, GroundKind, GroundRule, Review, Severity};
pub use overlay::{AccessPeriod, DayUnit, StateOverlay};

use condition::Cond;
use model::RulebookFile;

/// The file name of the override, inside `<case dir>/rules/`.
pub const OVERRIDE_DIR: &str = "rules";
pub const OVERRIDE_FILE: &str = "rulebook.yaml";

const BUILTIN: &str = include_str!("rulebook.yaml");

/// Ground codes the engine's recommendation logic names; a rulebook must define them.
pub const ENGINE_GROUNDS: &[&str] = &[
    "right-of-access",
    "serious-threat",
    "state-duty-to-warn",
    "child-abuse-report",
    "adult-abuse-report",
    "no-valid-authorization",
    "lack-of-consent",
    "facts-unknown",
];

/// Finding codes the engine emits; a rulebook must define each (severity, citation).
pub const ENGINE_FINDINGS: &[&str] = &[
    "invalid-ground",
    "whole-record-denial",
    "harm-not-licensed",
    "reviewer-participated",
    "notice-incomplete",
    "deadline-missed",
    "deadline-near",
    "extension-invalid",
    "information-blocking-risk",
    "accounting-required",
    "mandatory-report",
    "duty-to-warn",
    "minimum-necessary",
    "part2-restriction",
    "state-law-unchecked",
    "release-not-permitted",
    "release-against-advice",
    "question-open",
    "decided-on-unknown",
    "evaluation-pending",
];

/// A checked rulebook: the file's rules plus their compiled conditions.
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub file: RulebookFile,
    conds: Vec<Cond>,
    /// Compiled `forbidden_when` of each release limit, parallel to `file.release_limits`.
    limit_conds: Vec<Cond>,
    /// Compiled `when` of each state's conditional access periods, by state code.
    period_conds: Vec<(String, Vec<Cond>)>,
    /// Where it came from: "built-in" or the override's path.
    pub origin: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RulebookError {
    #[error("{origin}:{line}:{column}: {message}")]
    Parse {
        origin: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{origin}: {message}")]
    Invalid { origin: String, message: String },
    #[error("{origin}: {message}")]
    Io { origin: String, message: String },
}

impl Rulebook {
    /// The rulebook compiled into the program (checked by the test suite).
    pub fn builtin() -> &'static Rulebook {
        static BOOK: OnceLock<Rulebook> = OnceLock::new();
        BOOK.get_or_init(|| {
            Rulebook::from_yaml(BUILTIN, "built-in")
                .unwrap_or_else(|e| panic!("the built-in rulebook is invalid: {e}"))
        })
    }

    /// The built-in rulebook's source text, for `docs` and for counsel to start from.
    pub fn builtin_source() -> &'static str {
        BUILTIN
    }

    /// Parses and checks a rulebook. `origin` names it in errors.
    pub fn from_yaml(src: &str, origin: &str) -> Result<Rulebook, RulebookError> {
        let file: RulebookFile = crate::yaml::from_str(src).map_err(|e| RulebookError::Parse {
            origin: origin.to_string(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let invalid = |message: String| RulebookError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let compiled = check_file(&file).map_err(invalid)?;
        Ok(Rulebook {
            file,
            conds: compiled.conds,
            limit_conds: compiled.limit_conds,
            period_conds: compiled.period_conds,
            origin: origin.to_string(),
        })
    }

    /// The rulebook for a case directory: `DIR/rules/rulebook.yaml` if it exists (it
    /// replaces the built-in one entirely), else the built-in one.
    pub fn for_case_dir(dir: &Path) -> Result<Rulebook, RulebookError> {
        use crate::store::safe_open::{DEFAULT_MAX_FILE_BYTES, ReadError, SafeDir};
        let rules_dir = dir.join(OVERRIDE_DIR);
        let origin = rules_dir.join(OVERRIDE_FILE).display().to_string();
        let io = |message: String| RulebookError::Io {
            origin: origin.clone(),
            message,
        };
        let safe = match SafeDir::open(&rules_dir) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Rulebook::builtin().clone());
            }
            Err(e) => return Err(io(format!("cannot open directory: {e}"))),
        };
        let bytes = match safe.read_input(OVERRIDE_FILE, DEFAULT_MAX_FILE_BYTES) {
            Ok(b) => b,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Rulebook::builtin().clone());
            }
            Err(e) => return Err(io(e.to_string())),
        };
        let src = std::str::from_utf8(&bytes)
            .map_err(|_| io("invalid UTF-8; expected UTF-8 text".into()))?;
        Rulebook::from_yaml(src, &origin)
    }

    pub fn grounds(&self) -> &[model::GroundRule] {
        &self.file.grounds
    }

    pub fn ground(&self, code: &str) -> Option<&model::GroundRule> {
        self.file.grounds.iter().find(|g| g.code == code)
    }

    /// Whether disclosures on `code` enter the accounting of disclosures (164.528).
    pub fn accounted(&self, code: &str) -> bool {
        self.ground(code).and_then(|g| g.accounting()) == Some(Accounting::Included)
    }

    /// Whether a decision discloses under 164.512 (so it is accounted for, and the
    /// minimum necessary applies): a report or a warning, or a release resting on a
    /// ground whose disclosures the rulebook accounts for. One function for the
    /// `accounting-required` finding and the actions.
    pub fn discloses_under_512(&self, outcome: crate::case::Outcome, grounds: &[String]) -> bool {
        use crate::case::Outcome::*;
        match outcome {
            Report | WarnAndProtect => true,
            Deny | RequestInformation | MaintainConfidentiality => false,
            ReleaseFull | ReleasePartial => grounds.iter().any(|g| self.accounted(g)),
        }
    }

    pub(crate) fn cond(&self, code: &str) -> Option<&Cond> {
        let i = self.file.grounds.iter().position(|g| g.code == code)?;
        self.conds.get(i)
    }

    /// The release limits with their compiled conditions.
    pub(crate) fn release_limits(&self) -> impl Iterator<Item = (&model::ReleaseLimit, &Cond)> {
        self.file.release_limits.iter().zip(self.limit_conds.iter())
    }

    pub fn finding(&self, code: &str) -> Option<&model::FindingRule> {
        self.file.findings.iter().find(|f| f.code == code)
    }

    /// The state's own period for this case's access request: the shortest of the
    /// overlay's `access_days` (every request) and of its conditional `access_periods`
    /// whose condition holds. The deadline takes whichever of it and the federal 30 days
    /// ends first ([`crate::rules::deadline::for_case`]).
    pub fn access_period(&self, case: &crate::case::Case) -> Option<AccessPeriod> {
        let state = self.state(&case.jurisdiction);
        let view = facts::FactView {
            case,
            state: &state,
            related: Related::default(),
            assumed: crate::case::model::Assumed::none(),
        };
        let conds = self
            .period_conds
            .iter()
            .find(|(code, _)| *code == state.code)
            .map(|(_, c)| c.as_slice())
            .unwrap_or(&[]);
        let conditional = state
            .access_periods
            .iter()
            .zip(conds)
            .filter(|(_, cond)| view.holds(cond, None))
            .map(|(p, _)| AccessPeriod {
                days: p.days,
                unit: p.unit,
                extension_days: p.extension_days,
                citation: p.citation.clone(),
            });
        state
            .state_access_period()
            .into_iter()
            .chain(conditional)
            .min_by_key(|p| crate::rules::deadline::add_days(case.received, p.days, p.unit))
    }

    /// Was the state's own access period for this case researched: a period applies, or
    /// the overlay says the state sets none shorter?
    pub fn access_period_checked(&self, case: &crate::case::Case) -> bool {
        self.state(&case.jurisdiction).access_period_checked() || self.access_period(case).is_some()
    }

    /// The overlay for a jurisdiction, completed from `US`; `US` itself when unlisted.
    pub fn state(&self, jurisdiction: &str) -> StateOverlay {
        let base = self.file.states.iter().find(|s| s.code == "US");
        let own = self.file.states.iter().find(|s| s.code == jurisdiction);
        match (own, base) {
            (Some(own), Some(base)) => own.merged_with(base),
            (Some(own), None) => own.clone(),
            (None, Some(base)) => base.clone(),
            (None, None) => StateOverlay {
                code: "US".into(),
                name: "United States".into(),
                checked: false,
                access_days: None,
                access_days_citation: None,
                access_day_unit: Default::default(),
                access_extension_days: None,
                access_checked: false,
                duty_to_warn: None,
                emergency_disclosure_citation: None,
                adult_abuse_reporting: None,
                minor_consent: None,
                access_periods: Vec::new(),
                access_who: None,
                denial_review: Vec::new(),
                access_research_note: None,
                mandated_report: None,
                minor_objection: None,
            },
        }
    }
}

/// The compiled conditions of a checked rulebook.
struct Compiled {
    /// Parallel to `file.grounds`.
    conds: Vec<Cond>,
    /// Parallel to `file.release_limits`.
    limit_conds: Vec<Cond>,
    /// Each state's conditional access periods.
    period_conds: Vec<(String, Vec<Cond>)>,
}

/// Checks what serde cannot: citations everywhere, unique codes, known facts, the codes
/// the engine relies on, and compiles the conditions.
fn check_file(file: &RulebookFile) -> Result<Compiled, String> {
    if file.version != 1 {
        return Err(format!(
            "rulebook version {} is not supported; expected `version: 1`",
            file.version
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut conds = Vec::new();
    for g in &file.grounds {
        let at = format!("ground `{}`", g.code);
        if !crate::case::validate::is_valid_record_id(&g.code) {
            return Err(format!(
                "{at}: a code is lower-case letters, digits and `-`"
            ));
        }
        if !seen.insert(g.code.as_str()) {
            return Err(format!("{at}: defined twice"));
        }
        for (what, v) in [
            ("citation", &g.citation),
            ("describe", &g.describe),
            ("invalid_reason", &g.invalid_reason),
        ] {
            if v.trim().is_empty() {
                return Err(format!("{at}: `{what}` is empty; every rule needs one"));
            }
        }
        if g.meaning.contains('\n') {
            return Err(format!(
                "{at}: `meaning` is one line; the full text goes in `describe`"
            ));
        }
        match (&g.accounting, g.kind) {
            (Some(_), k) if k != GroundKind::Disclosure => {
                return Err(format!(
                    "{at}: `accounting` is for disclosure grounds only (nothing is disclosed on a withholding ground)"
                ));
            }
            (Some(Accounting::Excluded(why)), _) if why.trim().is_empty() => {
                return Err(format!(
                    "{at}: `accounting: {{ excluded: ... }}` needs the reason, with its citation in 164.528(a)(1)"
                ));
            }
            _ => {}
        }
        conds.push(g.valid_when.compile(&at)?);
    }
    let fees = &file.fees;
    if fees.citation.trim().is_empty() || fees.flat_fee_citation.trim().is_empty() {
        return Err("fees: `citation` and `flat_fee_citation` are required".into());
    }
    if fees.flat_fee_cap_cents < 0 {
        return Err("fees: `flat_fee_cap_cents` is an amount in cents, 0 or more".into());
    }
    for code in ENGINE_GROUNDS {
        if !seen.contains(code) {
            return Err(format!("ground `{code}` is missing; the engine needs it"));
        }
    }
    let mut fseen = std::collections::HashSet::new();
    for f in &file.findings {
        if !fseen.insert(f.code.as_str()) {
            return Err(format!("finding `{}`: defined twice", f.code));
        }
        if f.citation.trim().is_empty() || f.describe.trim().is_empty() {
            return Err(format!(
                "finding `{}`: `citation` and `describe` are required",
                f.code
            ));
        }
    }
    for code in ENGINE_FINDINGS {
        if !fseen.contains(code) {
            return Err(format!("finding `{code}` is missing; the engine emits it"));
        }
    }
    let mut sseen = std::collections::HashSet::new();
    let mut period_conds = Vec::new();
    for s in &file.states {
        let at = format!("state `{}`", s.code);
        if !crate::case::validate::is_valid_jurisdiction(&s.code) {
            return Err(format!("{at}: expected `US` or `US-` and a state code"));
        }
        if !sseen.insert(s.code.as_str()) {
            return Err(format!("{at}: defined twice"));
        }
        if let Some(days) = s.access_days
            && !(1..=crate::rules::deadline::ACCESS_DAYS).contains(&days)
        {
            return Err(format!(
                "{at}: access_days {days}; expected 1 to 30 (a state may only shorten the federal 30)"
            ));
        }
        if let Some(n) = s.access_extension_days {
            if s.access_days.is_none() {
                return Err(format!(
                    "{at}: access_extension_days without access_days; the extension belongs to a state period"
                ));
            }
            if !(1..=crate::rules::deadline::EXTENSION_DAYS).contains(&n) {
                return Err(format!("{at}: access_extension_days {n}; expected 1 to 30"));
            }
        }
        for (what, c) in s.citations() {
            if c.trim().is_empty() {
                return Err(format!("{at}: `{what}` has no citation"));
            }
        }
        for (i, p) in s.access_periods.iter().enumerate() {
            if !(1..=crate::rules::deadline::ACCESS_DAYS).contains(&p.days) {
                return Err(format!(
                    "{at}: access period {}: days {}; expected 1 to 30 (a state may only shorten the federal 30)",
                    i + 1,
                    p.days
                ));
            }
            if let Some(n) = p.extension_days
                && !(1..=crate::rules::deadline::EXTENSION_DAYS).contains(&n)
            {
                return Err(format!(
                    "{at}: access period {}: extension_days {n}; expected 1 to 30",
                    i + 1
                ));
            }
        }
        period_conds.push((s.code.clone(), s.compile_periods()?));
    }
    if !sseen.contains("US") {
        return Err("state `US` (the default for unlisted jurisdictions) is missing".into());
    }
    if file.release_limits.is_empty() {
        return Err(
            "`release_limits` is empty; without them every release would pass (RULEBOOK R27)"
                .into(),
        );
    }
    let mut lseen = std::collections::HashSet::new();
    let mut limit_conds = Vec::new();
    for l in &file.release_limits {
        let at = format!("release limit `{}`", l.code);
        if !lseen.insert(l.code.as_str()) {
            return Err(format!("{at}: defined twice"));
        }
        if l.citation.trim().is_empty() || l.describe.trim().is_empty() {
            return Err(format!("{at}: `citation` and `describe` are required"));
        }
        if !fseen.contains(l.finding.as_str()) {
            return Err(format!(
                "{at}: finding `{}` is not defined under `findings`{}",
                l.finding,
                facts::did_you_mean(&l.finding, fseen.iter().copied())
            ));
        }
        limit_conds.push(l.forbidden_when.compile(&at)?);
    }
    Ok(Compiled {
        conds,
        limit_conds,
        period_conds,
    })
}
