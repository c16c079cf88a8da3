//! Case builders for the advisor's tests: a minimal valid case of each kind, changed by a
//! closure, so each test states only the facts it is about.

use casebench::case::model::*;
use casebench::rules::engine::Engine;
use casebench::rules::{Finding, Proposal, Related, ReviewerFacts, Rulebook, check};
use chrono::NaiveDate;

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The day the tests look at cases from: well inside the 30 days of `access`.
pub fn today() -> NaiveDate {
    day("2026-03-10")
}

const ACCESS: &str = r#"
id: T-ACCESS
title: test access request
kind: access_request
received: 2026-03-02
jurisdiction: US-OH
patient: { ref: P-1, age: 34 }
request:
  requester: { name: The patient, relationship: self, identity_verified: true }
  instrument: { type: written_request, signed: true, dated: 2026-03-01, scope: "my whole record" }
  records:
    - { id: chart, description: Outpatient chart, category: chart }
    - { id: notes, description: Process notes, category: psychotherapy_notes, kept_separately: true }
harm_evaluation:
  assessed_by: { name: Dr. A. Rivera, credential: MD, licensed: true, treating: true }
  assessed_on: 2026-03-05
  at_risk: none
  harm_type: none
  likelihood: remote
  imminence: none
consultations:
  - with: { name: Dr. M. Halvorsen, role: supervisor }
    on: 2026-03-06
"#;

const CONCERN: &str = r#"
id: T-CONCERN
title: test concern
kind: disclosure_concern
received: 2026-03-02
jurisdiction: US-OH
patient: { ref: P-2, age: 34 }
concern:
  type: threat_to_others
  statement: "I will hurt him."
  identifiable_victim: true
  means: true
  imminent: true
harm_evaluation:
  assessed_by: { name: S. Lee, credential: LCSW, licensed: true, treating: true }
  assessed_on: 2026-03-02
  at_risk: other_person
  harm_type: life_or_physical_safety
  likelihood: near_certain
  imminence: immediate
"#;

pub fn access(f: impl FnOnce(&mut Case)) -> Case {
    let mut c: Case = casebench::yaml::from_str(ACCESS).unwrap();
    f(&mut c);
    c
}

pub fn concern(f: impl FnOnce(&mut Case)) -> Case {
    let mut c: Case = casebench::yaml::from_str(CONCERN).unwrap();
    f(&mut c);
    c
}

pub fn req(c: &mut Case) -> &mut Request {
    c.request.as_mut().unwrap()
}

pub fn con(c: &mut Case) -> &mut Concern {
    c.concern.as_mut().unwrap()
}

pub fn item(id: &str, category: RecordCategory) -> RecordItem {
    RecordItem {
        id: id.into(),
        description: format!("{id} item"),
        category,
        kept_separately: Answer::No,
        minor_consented_alone: Answer::No,
        court_ordered_care: Answer::No,
        parent_agreed_confidentiality: Answer::No,
        received_from_part2: None,
    }
}

/// Does ground `code` hold for `case` (for item `rec`, or the whole case)?
pub fn holds_with(case: &Case, code: &str, rec: Option<&str>, related: Related) -> bool {
    let rb = Rulebook::builtin();
    let state = rb.state(&case.jurisdiction);
    let eng = Engine::new(rb, case, &state, related);
    let g = rb
        .ground(code)
        .unwrap_or_else(|| panic!("no ground {code}"));
    let r = rec.map(|id| case.records().iter().find(|r| r.id == id).unwrap());
    eng.holds(g, r)
}

pub fn holds(case: &Case, code: &str, rec: Option<&str>) -> bool {
    holds_with(case, code, rec, Related::default())
}

pub fn proposal(outcome: Outcome, grounds: &[&str], withhold: &[(&str, &str)]) -> Proposal {
    Proposal {
        outcome,
        grounds: grounds.iter().map(|g| g.to_string()).collect(),
        withhold: casebench::decision::proposal::withhold_map(
            withhold.iter().map(|(r, g)| (r.to_string(), g.to_string())),
        ),
        notice: None,
    }
}

pub fn findings(case: &Case, p: &Proposal) -> Vec<Finding> {
    findings_as(case, p, &ReviewerFacts::default(), today())
}

pub fn findings_as(case: &Case, p: &Proposal, who: &ReviewerFacts, on: NaiveDate) -> Vec<Finding> {
    check(Rulebook::builtin(), case, Related::default(), p, who, on)
}

pub fn codes(fs: &[Finding]) -> Vec<&str> {
    fs.iter().map(|f| f.code.as_str()).collect()
}

pub fn has(fs: &[Finding], code: &str) -> bool {
    fs.iter().any(|f| f.code == code)
}

pub fn get<'a>(fs: &'a [Finding], code: &str) -> &'a Finding {
    fs.iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} finding in {:#?}", fs))
}
