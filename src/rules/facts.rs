//! The fact view: what the rulebook's conditions can ask about a case, by name.
//!
//! Case facts come straight from the case file (plus a few derived ones, documented
//! here and in docs/RULES.md); record facts are evaluated per record item; state facts
//! come from the jurisdiction's overlay; `patient.abuse_concern_on_file` comes from the
//! other cases of the same patient ([`Related`]).

use serde::Serialize;

use super::condition::Cond;
use super::overlay::StateOverlay;
use crate::case::model::{
    Answer, Assessor, Assumed, AtRisk, Case, ConcernKind, Evaluation, Expiry, HarmEvaluation,
    HarmType, Imminence, InstrumentKind, Likelihood, Part2ConsentKind, RecordCategory, RecordItem,
    Relationship, RequestPurpose, Slot,
};

pub use super::vocabulary::{FACTS, FactSpec, FactType, Value, did_you_mean};
use super::wording::{
    category_named, has_blanket, item_names, scope_names, scope_reaches_other_records, separates,
};

/// Facts that come from other cases of the directory, not from this case's file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Related {
    pub abuse_concern_on_file: bool,
}

impl Related {
    /// Looks for abuse concerns about the same patient (same `patient.ref`), raised no
    /// later than `case` was received: the 164.502(g)(5) carve-out.
    pub fn from_cases<'a>(case: &Case, others: impl IntoIterator<Item = &'a Case>) -> Related {
        let abuse = others.into_iter().any(|o| {
            o.id != case.id
                && o.patient.reference == case.patient.reference
                && o.received <= case.received
                && o.concern.as_ref().is_some_and(|c| {
                    matches!(
                        c.kind,
                        ConcernKind::ChildAbuse
                            | ConcernKind::ElderAbuse
                            | ConcernKind::VulnerableAdultAbuse
                    )
                })
        });
        Related {
            abuse_concern_on_file: abuse,
        }
    }
}

/// A case seen through the rulebook's fact names.
pub struct FactView<'a> {
    pub case: &'a Case,
    pub state: &'a StateOverlay,
    pub related: Related,
    /// How unknown answers are read in this view: "no" unless assumed "yes" (the
    /// advisor tries every combination: `engine::Engine::worlds`).
    pub assumed: Assumed,
}

/// What a pending evaluation is read as: no harm found ...
static NO_HARM_FOUND: std::sync::LazyLock<Evaluation> =
    std::sync::LazyLock::new(|| assumed_evaluation(false));
/// ... or, in the worlds that assume it, the gravest harm a licensed professional could
/// find. The harm conditions grow with severity, so the two bound every answer.
static GRAVE_HARM_FOUND: std::sync::LazyLock<Evaluation> =
    std::sync::LazyLock::new(|| assumed_evaluation(true));

fn assumed_evaluation(grave: bool) -> Evaluation {
    Evaluation {
        assessed_by: Assessor {
            name: "(pending)".into(),
            credential: String::new(),
            licensed: Answer::Yes,
            treating: Answer::Yes,
        },
        assessed_on: chrono::NaiveDate::MIN,
        at_risk: if grave { AtRisk::Both } else { AtRisk::None },
        harm_type: if grave {
            HarmType::LifeOrPhysicalSafety
        } else {
            HarmType::None
        },
        likelihood: if grave {
            Likelihood::NearCertain
        } else {
            Likelihood::Remote
        },
        imminence: if grave {
            Imminence::Immediate
        } else {
            Imminence::None
        },
        records: Vec::new(),
        factors: Vec::new(),
        summary: String::new(),
        assigned_to: None,
        assigned_on: None,
    }
}

fn snake<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

impl FactView<'_> {
    /// The value of fact `name`, for record item `rec` where the fact is about an item.
    /// `None`: the fact does not apply (a record fact without an item).
    pub fn get(&self, name: &str, rec: Option<&RecordItem>) -> Option<Value> {
        use Value::{Bool, Int};
        let c = self.case;
        let req = c.request.as_ref();
        let ins = req.map(|r| &r.instrument);
        let con = c.concern.as_ref();
        let he = self.evaluation();
        let rel = req.map(|r| r.requester.relationship);
        let a = &self.assumed;
        let yes = |x: Answer, fact: &'static str| x.under(a, Slot::case(fact));
        let b = |f: &dyn Fn(&crate::case::model::Instrument) -> Answer, fact: &'static str| {
            Bool(ins.is_some_and(|i| yes(f(i), fact)))
        };
        let k = |f: &dyn Fn(&crate::case::model::Concern) -> Answer, fact: &'static str| {
            Bool(con.is_some_and(|x| yes(f(x), fact)))
        };
        Some(match name {
            "case.kind" => Value::s(c.kind.as_str()),
            "case.jurisdiction" => Value::Str(c.jurisdiction.clone()),
            "case.facts_unknown" => Bool(!super::unknowns::unknown_facts(c).is_empty()),
            "requester.authority_shown" => Bool(req.is_none_or(|r| {
                r.requester
                    .authority
                    .as_ref()
                    .is_none_or(|x| yes(x.shown, "requester.authority_shown"))
            })),
            "entity.federal_agency" => Bool(c.entity.federal_agency),
            "entity.correctional" => Bool(c.entity.correctional),
            "entity.part2_program" => Bool(c.entity.part2_program),
            "patient.age" => Int(i64::from(c.patient.age)),
            "patient.minor" => Bool(c.patient_is_minor_under(a)),
            "patient.incarcerated" => Bool(yes(c.patient.incarcerated, name_of(name))),
            "patient.research_suspension_agreed" => {
                Bool(yes(c.patient.research_suspension_agreed, name_of(name)))
            }
            "patient.abuse_concern_on_file" => Bool(self.related.abuse_concern_on_file),
            "patient.deceased" => Bool(c.patient_is_deceased()),
            "patient.deceased_over_50_years" => Bool(c.deceased_over_50_years()),
            "patient.objected_to_family_disclosure" => {
                Bool(yes(c.patient.objected_to_family_disclosure, name_of(name)))
            }
            "requester.relationship" => match rel {
                Some(r) => Value::Str(snake(&r)),
                None => Value::s("other"),
            },
            // `unknown` is not verified: verifying is knowing who asks (164.514(h)).
            "requester.identity_verified" => {
                Bool(req.is_some_and(|r| r.requester.identity_verified.is_yes()))
            }
            "requester.third_party" => Bool(rel.is_some() && !self.patient_side()),
            "requester.representative" => Bool(self.representative()),
            "requester.involved_in_care" => {
                Bool(req.is_some_and(|r| yes(r.requester.involved_in_care, name_of(name))))
            }
            "requester.endangerment_documented" => {
                Bool(req.is_some_and(|r| r.requester.endangerment.is_some()))
            }
            "requester.agreement" => {
                Bool(req.is_some_and(|r| yes(r.requester.agreement, name_of(name))))
            }
            "requester.declined_as_representative" => Bool(req.is_some_and(|r| {
                r.requester
                    .endangerment
                    .as_ref()
                    .is_some_and(|e| e.not_in_best_interest)
            })),
            // The records list names what is wanted as much as a free-text scope does:
            // "incomplete" is never about the words a requester chose (issue 13, point 2).
            "request.scope_stated" => Bool(req.is_some_and(|r| {
                !r.records.is_empty()
                    || r.instrument
                        .scope
                        .as_deref()
                        .is_some_and(|s| !s.trim().is_empty())
            })),
            "request.includes_psychotherapy_notes" => Bool(self.includes_psychotherapy_notes()),
            "request.purpose" => Value::s(self.purpose().map_or("none", purpose_name)),
            "request.purpose_stated" => Bool(req.is_some_and(|r| r.purpose.is_some())),
            "request.legal_process" => Bool(self.legal_process()),
            "request.patient_objects" => {
                Bool(req.is_some_and(|r| yes(r.patient_objects, name_of(name))))
            }
            "request.form" => Value::s(
                req.and_then(|r| r.form.as_ref())
                    .map_or("none", |f| f.requested.as_str()),
            ),
            "request.maintained_electronically" => Bool(
                req.and_then(|r| r.form.as_ref())
                    .is_some_and(|f| f.maintained_electronically),
            ),
            "instrument.type" => Value::Str(ins.map_or("none".into(), |i| snake(&i.kind))),
            "instrument.signed" => b(&|i| i.signed, "instrument.signed"),
            "instrument.dated" => Bool(ins.is_some_and(|i| i.dated.is_some())),
            "instrument.has_expiry" => Bool(ins.is_some_and(|i| i.expires.is_some())),
            "instrument.expired" => Bool(self.expired()),
            "instrument.judge_signed" => b(&|i| i.judge_signed, "instrument.judge_signed"),
            "instrument.patient_notified" => {
                b(&|i| i.patient_notified, "instrument.patient_notified")
            }
            "instrument.protective_order" => {
                b(&|i| i.protective_order, "instrument.protective_order")
            }
            "instrument.covers_psychotherapy_notes" => b(
                &|i| i.covers_psychotherapy_notes,
                "instrument.covers_psychotherapy_notes",
            ),
            "instrument.part2_court_order" => Bool(self.part2_court_order()),
            "instrument.part2_order" => Value::s(self.part2_order()),
            "instrument.covers_sud_counseling_notes" => b(
                &|i| i.covers_sud_counseling_notes,
                "instrument.covers_sud_counseling_notes",
            ),
            "instrument.compound" => Bool(self.compound()),
            "instrument.authorization_valid" => Bool(self.authorization_valid()),
            "instrument.order" => Bool(self.is_order()),
            "instrument.law_enforcement_process" => Bool(ins.is_some_and(|i| {
                matches!(
                    i.kind,
                    InstrumentKind::Warrant
                        | InstrumentKind::AdministrativeRequest
                        | InstrumentKind::Statute
                ) || (matches!(
                    i.kind,
                    InstrumentKind::Subpoena | InstrumentKind::CourtOrder
                ) && yes(i.judge_signed, "instrument.judge_signed"))
            })),
            "instrument.releases_psychotherapy_notes" => Bool(match rec {
                Some(r) => self.releases_notes(r),
                None => self
                    .case
                    .records()
                    .iter()
                    .filter(|r| r.category == RecordCategory::PsychotherapyNotes)
                    .any(|r| self.releases_notes(r)),
            }),
            "concern.type" => Value::Str(con.map_or("none".into(), |k| snake(&k.kind))),
            "concern.identifiable_victim" => {
                k(&|x| x.identifiable_victim, "concern.identifiable_victim")
            }
            "concern.means" => k(&|x| x.means, "concern.means"),
            "concern.imminent" => k(&|x| x.imminent, "concern.imminent"),
            "concern.patient_agrees_to_report" => k(
                &|x| x.patient_agrees_to_report,
                "concern.patient_agrees_to_report",
            ),
            "concern.recipient" => Value::Str(
                con.and_then(|k| k.recipient)
                    .map_or("none".into(), |r| snake(&r)),
            ),
            "concern.part2_records" => Bool(
                con.is_some()
                    && (c.entity.part2_program
                        || con.is_some_and(|x| yes(x.part2_records, "concern.part2_records"))),
            ),
            "concern.part2_consent" => k(&|x| x.part2_consent, "concern.part2_consent"),
            "concern.agreement" => k(&|x| x.agreement, "concern.agreement"),
            "harm.licensed" => Bool(yes(he.assessed_by.licensed, "harm.licensed")),
            "harm.treating" => Bool(yes(he.assessed_by.treating, "harm.treating")),
            "harm.type" => Value::Str(snake(&he.harm_type)),
            "harm.likelihood" => Value::Str(snake(&he.likelihood)),
            "harm.imminence" => Value::Str(snake(&he.imminence)),
            "harm.at_risk" => Value::Str(snake(&he.at_risk)),
            "state.checked" => Bool(self.state.checked),
            "state.duty_to_warn" => Value::s(self.state.duty_category()),
            "state.warn_victim_allowed" => Bool(self.state.victim_allowed()),
            "state.adult_abuse_reporting" => Value::s(self.state.adult_reporting()),
            "state.minor_consent_parent_access" => Value::s(self.state.parent_access()),
            "state.mandated_report" => Value::s(self.state.mandated_category()),
            "state.minor_objection_applies" => Bool(
                self.state
                    .minor_objection
                    .as_ref()
                    .is_some_and(|m| c.patient_is_minor() && c.patient.age >= m.from_age),
            ),
            "state.minor_objection_stops_access" => Bool(
                self.state
                    .minor_objection
                    .as_ref()
                    .is_some_and(|m| m.stops_access()),
            ),
            "record.id" => Value::Str(rec?.id.clone()),
            "record.category" => Value::Str(snake(&rec?.category)),
            "record.kept_separately" => Bool(rec?.kept_separately(a)),
            "record.minor_consented_alone" => {
                let r = rec?;
                Bool(
                    r.minor_consented_alone
                        .under(a, Slot::record(name_of(name), &r.id)),
                )
            }
            "record.court_ordered_care" => {
                let r = rec?;
                Bool(
                    r.court_ordered_care
                        .under(a, Slot::record(name_of(name), &r.id)),
                )
            }
            "record.parent_agreed_confidentiality" => {
                let r = rec?;
                Bool(
                    r.parent_agreed_confidentiality
                        .under(a, Slot::record(name_of(name), &r.id)),
                )
            }
            "record.minor_controls" => Bool(rec?.minor_controls(a)),
            // A pending evaluation, read as no harm or as the gravest, covers every item.
            "record.evaluated" => {
                let id = &rec?.id;
                Bool(c.harm_evaluation.is_pending() || he.records.iter().any(|r| r == id))
            }
            "record.named_in_scope" => Bool(self.named_in_scope(rec?)),
            "record.covered" => Bool(self.covered(rec?)),
            "record.separate_notes" => Bool(rec?.separate_notes(a)),
            "record.part2" => Bool(rec?.part2()),
            "record.part2_consent" => {
                let r = rec?;
                Bool(self.authorization_valid() && self.covered(r))
            }
            "record.part2_hipaa_redisclosure" => Bool(
                !c.entity.part2_program
                    && rec?
                        .received_from_part2
                        .as_ref()
                        .is_some_and(|s| s.consent == Part2ConsentKind::Tpo),
            ),
            _ => return None,
        })
    }

    /// The evaluation the harm facts read: the clinician's, or for a pending one the
    /// assumed extreme of this view (no harm found, or the gravest).
    fn evaluation(&self) -> &Evaluation {
        match &self.case.harm_evaluation {
            HarmEvaluation::Done(e) => e,
            HarmEvaluation::Pending(_) if self.assumed.grave_harm => &GRAVE_HARM_FOUND,
            HarmEvaluation::Pending(_) => &NO_HARM_FOUND,
        }
    }

    /// An answer of the case as yes or no in this view.
    fn yes(&self, answer: Answer, fact: &'static str) -> bool {
        answer.under(&self.assumed, Slot::case(fact))
    }

    /// A Part 2 court order was made (its section given or not).
    fn part2_court_order(&self) -> bool {
        self.case.request.as_ref().is_some_and(|r| {
            self.yes(
                r.instrument.part2_court_order,
                "instrument.part2_court_order",
            ) || r.instrument.part2_order.is_some()
        })
    }

    /// Evaluates a compiled condition for record item `rec` (or the case as a whole).
    pub fn holds(&self, cond: &Cond, rec: Option<&RecordItem>) -> bool {
        match cond {
            Cond::All(cs) => cs.iter().all(|c| self.holds(c, rec)),
            Cond::Any(cs) => cs.iter().any(|c| self.holds(c, rec)),
            Cond::Not(c) => !self.holds(c, rec),
            Cond::Is(f, v) => self.get(f, rec).is_some_and(|x| x == *v),
            Cond::In(f, vs) => self.get(f, rec).is_some_and(|x| vs.contains(&x)),
            Cond::AtLeast(f, v) | Cond::Below(f, v) => {
                let Some(spec) = FACTS.iter().find(|s| s.name == f) else {
                    return false;
                };
                let (Some(x), Some(y)) =
                    (self.get(f, rec).and_then(|x| spec.rank(&x)), spec.rank(v))
                else {
                    return false;
                };
                if matches!(cond, Cond::AtLeast(..)) {
                    x >= y
                } else {
                    x < y
                }
            }
        }
    }

    /// A personal representative, a parent of a minor (164.502(g)(3)) or the executor of a
    /// deceased patient ((g)(4)): the case model's one definition.
    fn representative(&self) -> bool {
        self.case.requester_is_representative_under(&self.assumed)
    }

    /// The patient or someone treated as the patient.
    fn patient_side(&self) -> bool {
        self.case.requester_is_individual_under(&self.assumed)
    }

    fn includes_psychotherapy_notes(&self) -> bool {
        self.case
            .records()
            .iter()
            .any(|r| r.category == RecordCategory::PsychotherapyNotes)
    }

    fn expired(&self) -> bool {
        let ins = self.case.request.as_ref().map(|r| &r.instrument);
        matches!(ins.and_then(|i| i.expires.as_ref()), Some(Expiry::Date(d)) if *d < self.case.received)
    }

    /// 164.508(c): core elements we can see; 164.508(b)(3)(ii): a separate authorization
    /// for psychotherapy notes.
    fn authorization_valid(&self) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        i.kind == InstrumentKind::Authorization
            && self.yes(i.signed, "instrument.signed")
            && i.dated.is_some()
            && i.expires.is_some()
            && !self.expired()
            && !self.compound()
    }

    /// Why the records are asked for: as the case states it; for law enforcement that
    /// states none, to investigate or prosecute the patient (docs/RULES.md).
    fn purpose(&self) -> Option<RequestPurpose> {
        let req = self.case.request.as_ref()?;
        req.purpose
            .or((req.requester.relationship == Relationship::LawEnforcement)
                .then_some(RequestPurpose::InvestigateOrProsecutePatient))
    }

    /// Legal process, or a purpose of a proceeding or an investigation (the Part 2
    /// court-order rules, 42 CFR 2.61-2.67).
    fn legal_process(&self) -> bool {
        let Some(req) = self.case.request.as_ref() else {
            return false;
        };
        matches!(
            req.instrument.kind,
            InstrumentKind::Subpoena
                | InstrumentKind::CourtOrder
                | InstrumentKind::Warrant
                | InstrumentKind::AdministrativeRequest
        ) || matches!(
            req.requester.relationship,
            Relationship::Court | Relationship::LawEnforcement
        ) || matches!(
            self.purpose(),
            Some(
                RequestPurpose::Proceeding
                    | RequestPurpose::InvestigateOrProsecutePatient
                    | RequestPurpose::InvestigateProgram
            )
        )
    }

    /// The section of the Part 2 court order: `none` without one, `unspecified` for
    /// `part2_court_order: true` without `part2_order` (taken as 2.64 where the purpose
    /// is stated, as fitting it where not: docs/RULES.md).
    fn part2_order(&self) -> &'static str {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return "none";
        };
        match i.part2_order {
            Some(s) => s.as_str(),
            None if self.yes(i.part2_court_order, "instrument.part2_court_order") => "unspecified",
            None => "none",
        }
    }

    /// The separate instrument a kind of notes needs was presented: a psychotherapy-notes
    /// authorization (164.508(b)(3)(ii)) or a SUD counseling notes consent (2.31(b)).
    fn separate_instrument(&self, rec: &RecordItem) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        match rec.category {
            RecordCategory::PsychotherapyNotes => self.yes(
                i.covers_psychotherapy_notes,
                "instrument.covers_psychotherapy_notes",
            ),
            RecordCategory::SudCounselingNotes => self.yes(
                i.covers_sud_counseling_notes,
                "instrument.covers_sud_counseling_notes",
            ),
            _ => false,
        }
    }

    /// Does the instrument itself name this item: in its `covers` list (by id or
    /// category), or, without one, in its scope text (not after "excluding", "except"...)?
    fn instrument_names(&self, rec: &RecordItem) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        match &i.covers {
            Some(list) => {
                let cat = snake(&rec.category);
                list.iter().any(|e| *e == rec.id || *e == cat)
            }
            None => i
                .scope
                .as_deref()
                .is_some_and(|scope| scope_names(scope, &item_names(rec))),
        }
    }

    /// Does the instrument cover this item? With a `covers` list: the items it names.
    /// Without one: every item asked for, except separately kept notes (psychotherapy
    /// notes, SUD counseling notes) its scope does not name. Notes are always covered by
    /// their own separate authorization or consent.
    fn covered(&self, rec: &RecordItem) -> bool {
        if self.case.request.is_none() {
            return false;
        }
        if rec.separate_notes(&self.assumed) {
            return self.separate_instrument(rec) || self.instrument_names(rec);
        }
        let has_list = self
            .case
            .request
            .as_ref()
            .is_some_and(|r| r.instrument.covers.is_some());
        !has_list || self.instrument_names(rec)
    }

    /// 164.508(b)(3)(ii), 42 CFR 2.31(b): an authorization that joins psychotherapy notes
    /// (or SUD counseling notes) with other records, with no separate authorization for
    /// the notes, is defective.
    fn compound(&self) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        if i.kind != InstrumentKind::Authorization {
            return false;
        }
        let records = self.case.records();
        let notes_kinds = [
            (
                RecordCategory::PsychotherapyNotes,
                self.yes(
                    i.covers_psychotherapy_notes,
                    "instrument.covers_psychotherapy_notes",
                ),
            ),
            (
                RecordCategory::SudCounselingNotes,
                self.yes(
                    i.covers_sud_counseling_notes,
                    "instrument.covers_sud_counseling_notes",
                ),
            ),
        ];
        // What the instrument itself covers, by category: its list, or its scope.
        let (joins_notes, joins_other) = match &i.covers {
            Some(list) => {
                let cats: Vec<(RecordCategory, bool)> = list
                    .iter()
                    .filter_map(|e| {
                        records
                            .iter()
                            .find(|r| r.id == *e)
                            .map(|r| (r.category, r.separate_notes(&self.assumed)))
                            .or_else(|| category_named(e).map(|c| (c, separates(c))))
                    })
                    .collect();
                let notes = notes_kinds
                    .iter()
                    .any(|(k, separate)| !separate && cats.iter().any(|(c, n)| c == k && *n));
                (notes, cats.iter().any(|(_, n)| !n))
            }
            None => {
                let notes = records.iter().any(|r| {
                    r.separate_notes(&self.assumed)
                        && !self.separate_instrument(r)
                        && self.instrument_names(r)
                });
                let other = records.iter().any(|r| !r.separate_notes(&self.assumed))
                    || i.scope.as_deref().is_some_and(scope_reaches_other_records);
                (notes, other)
            }
        };
        joins_notes && joins_other
    }

    /// May the instrument release this psychotherapy-notes item? A valid authorization
    /// that covers it (its own, or one for the notes alone), or an order that expressly
    /// covers psychotherapy notes.
    fn releases_notes(&self, rec: &RecordItem) -> bool {
        let Some(i) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        (self.authorization_valid() && self.covered(rec))
            || (self.is_order()
                && (self.yes(
                    i.covers_psychotherapy_notes,
                    "instrument.covers_psychotherapy_notes",
                ) || self.instrument_names(rec)))
    }

    /// A court order signed by a judge, or a subpoena a judge signed (a court's order).
    fn is_order(&self) -> bool {
        self.case.request.as_ref().is_some_and(|r| {
            matches!(
                r.instrument.kind,
                InstrumentKind::CourtOrder | InstrumentKind::Subpoena
            ) && self.yes(r.instrument.judge_signed, "instrument.judge_signed")
        })
    }

    /// Does the instrument's scope name this item? Matched on whole words: the item's id,
    /// the first three words of its description, or its category's name or a common name
    /// for it ("mental health records" names a chart, "substance use" SUD-program
    /// records). "All records" names every item except psychotherapy notes and
    /// SUD-program records, which an order must name expressly.
    fn named_in_scope(&self, rec: &RecordItem) -> bool {
        let Some(ins) = self.case.request.as_ref().map(|r| &r.instrument) else {
            return false;
        };
        if ins.covers.is_some() {
            return self.instrument_names(rec);
        }
        let Some(scope) = ins.scope.as_deref() else {
            return false;
        };
        let named = scope_names(scope, &item_names(rec));
        let special = matches!(
            rec.category,
            RecordCategory::PsychotherapyNotes
                | RecordCategory::SudProgram
                | RecordCategory::SudCounselingNotes
        );
        named || (has_blanket(scope) && !special)
    }
}

fn purpose_name(p: RequestPurpose) -> &'static str {
    match p {
        RequestPurpose::Treatment => "treatment",
        RequestPurpose::Proceeding => "proceeding",
        RequestPurpose::InvestigateOrProsecutePatient => "investigate_or_prosecute_patient",
        RequestPurpose::InvestigateProgram => "investigate_program",
        RequestPurpose::MedicalEmergency => "medical_emergency",
        RequestPurpose::Other => "other",
    }
}

/// The `&'static` spelling of a fact name the vocabulary defines (slots are keyed by it).
fn name_of(name: &str) -> &'static str {
    FACTS
        .iter()
        .find(|f| f.name == name)
        .map_or("unknown-fact", |f| f.name)
}
