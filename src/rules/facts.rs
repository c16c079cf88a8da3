//! The fact view: what the rulebook's conditions can ask about a case, by name.
//!
//! Case facts come straight from the case file (plus a few derived ones, documented
//! here and in docs/RULES.md); record facts are evaluated per record item; state facts
//! come from the jurisdiction's overlay; `patient.abuse_concern_on_file` comes from the
//! other cases of the same patient ([`Related`]).

use serde::Serialize;

use super::model::Cond;
use super::overlay::StateOverlay;
use crate::case::model::{
    Case, ConcernKind, Expiry, InstrumentKind, Part2ConsentKind, RecordCategory, RecordItem,
    Relationship, RequestPurpose,
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
        let he = &c.harm_evaluation;
        let rel = req.map(|r| r.requester.relationship);
        let b = |f: &dyn Fn(&crate::case::model::Instrument) -> bool| Bool(ins.is_some_and(f));
        Some(match name {
            "case.kind" => Value::s(c.kind.as_str()),
            "case.jurisdiction" => Value::Str(c.jurisdiction.clone()),
            "entity.federal_agency" => Bool(c.entity.federal_agency),
            "entity.correctional" => Bool(c.entity.correctional),
            "entity.part2_program" => Bool(c.entity.part2_program),
            "patient.age" => Int(i64::from(c.patient.age)),
            "patient.minor" => Bool(c.patient_is_minor()),
            "patient.incarcerated" => Bool(c.patient.incarcerated),
            "patient.research_suspension_agreed" => Bool(c.patient.research_suspension_agreed),
            "patient.abuse_concern_on_file" => Bool(self.related.abuse_concern_on_file),
            "patient.deceased" => Bool(c.patient_is_deceased()),
            "patient.deceased_over_50_years" => Bool(c.deceased_over_50_years()),
            "patient.objected_to_family_disclosure" => {
                Bool(c.patient.objected_to_family_disclosure)
            }
            "requester.relationship" => match rel {
                Some(r) => Value::Str(snake(&r)),
                None => Value::s("other"),
            },
            "requester.identity_verified" => {
                Bool(req.is_some_and(|r| r.requester.identity_verified))
            }
            "requester.third_party" => Bool(rel.is_some() && !self.patient_side()),
            "requester.representative" => Bool(self.representative()),
            "requester.involved_in_care" => Bool(req.is_some_and(|r| r.requester.involved_in_care)),
            "requester.endangerment_documented" => {
                Bool(req.is_some_and(|r| r.requester.endangerment.is_some()))
            }
            "requester.agreement" => Bool(req.is_some_and(|r| r.requester.agreement)),
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
            "request.patient_objects" => Bool(req.is_some_and(|r| r.patient_objects)),
            "request.form" => Value::s(
                req.and_then(|r| r.form.as_ref())
                    .map_or("none", |f| f.requested.as_str()),
            ),
            "request.maintained_electronically" => Bool(
                req.and_then(|r| r.form.as_ref())
                    .is_some_and(|f| f.maintained_electronically),
            ),
            "instrument.type" => Value::Str(ins.map_or("none".into(), |i| snake(&i.kind))),
            "instrument.signed" => b(&|i| i.signed),
            "instrument.dated" => b(&|i| i.dated.is_some()),
            "instrument.has_expiry" => b(&|i| i.expires.is_some()),
            "instrument.expired" => Bool(self.expired()),
            "instrument.judge_signed" => b(&|i| i.judge_signed),
            "instrument.patient_notified" => b(&|i| i.patient_notified),
            "instrument.protective_order" => b(&|i| i.protective_order),
            "instrument.covers_psychotherapy_notes" => b(&|i| i.covers_psychotherapy_notes),
            "instrument.part2_court_order" => {
                b(&|i| i.part2_court_order || i.part2_order.is_some())
            }
            "instrument.part2_order" => Value::s(self.part2_order()),
            "instrument.covers_sud_counseling_notes" => b(&|i| i.covers_sud_counseling_notes),
            "instrument.compound" => Bool(self.compound()),
            "instrument.authorization_valid" => Bool(self.authorization_valid()),
            "instrument.order" => Bool(self.is_order()),
            "instrument.law_enforcement_process" => b(&|i| {
                matches!(
                    i.kind,
                    InstrumentKind::Warrant
                        | InstrumentKind::AdministrativeRequest
                        | InstrumentKind::Statute
                ) || (matches!(
                    i.kind,
                    InstrumentKind::Subpoena | InstrumentKind::CourtOrder
                ) && i.judge_signed)
            }),
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
            "concern.identifiable_victim" => Bool(con.is_some_and(|k| k.identifiable_victim)),
            "concern.means" => Bool(con.is_some_and(|k| k.means)),
            "concern.imminent" => Bool(con.is_some_and(|k| k.imminent)),
            "concern.patient_agrees_to_report" => {
                Bool(con.is_some_and(|k| k.patient_agrees_to_report))
            }
            "concern.recipient" => Value::Str(
                con.and_then(|k| k.recipient)
                    .map_or("none".into(), |r| snake(&r)),
            ),
            "concern.part2_records" => Bool(
                con.is_some() && (c.entity.part2_program || con.is_some_and(|k| k.part2_records)),
            ),
            "concern.part2_consent" => Bool(con.is_some_and(|k| k.part2_consent)),
            "concern.agreement" => Bool(con.is_some_and(|k| k.agreement)),
            "harm.licensed" => Bool(he.assessed_by.licensed),
            "harm.treating" => Bool(he.assessed_by.treating),
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
            "record.kept_separately" => Bool(rec?.kept_separately),
            "record.minor_consented_alone" => Bool(rec?.minor_consented_alone),
            "record.court_ordered_care" => Bool(rec?.court_ordered_care),
            "record.parent_agreed_confidentiality" => Bool(rec?.parent_agreed_confidentiality),
            "record.minor_controls" => Bool(rec?.minor_controls()),
            "record.evaluated" => {
                let id = &rec?.id;
                Bool(he.records.iter().any(|r| r == id))
            }
            "record.named_in_scope" => Bool(self.named_in_scope(rec?)),
            "record.covered" => Bool(self.covered(rec?)),
            "record.separate_notes" => Bool(rec?.separate_notes()),
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
        self.case.requester_is_representative()
    }

    /// The patient or someone treated as the patient.
    fn patient_side(&self) -> bool {
        self.case.requester_is_individual()
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
            && i.signed
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
            None if i.part2_court_order => "unspecified",
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
            RecordCategory::PsychotherapyNotes => i.covers_psychotherapy_notes,
            RecordCategory::SudCounselingNotes => i.covers_sud_counseling_notes,
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
        if rec.separate_notes() {
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
                i.covers_psychotherapy_notes,
            ),
            (
                RecordCategory::SudCounselingNotes,
                i.covers_sud_counseling_notes,
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
                            .map(|r| (r.category, r.separate_notes()))
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
                    r.separate_notes() && !self.separate_instrument(r) && self.instrument_names(r)
                });
                let other = records.iter().any(|r| !r.separate_notes())
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
            || (self.is_order() && (i.covers_psychotherapy_notes || self.instrument_names(rec)))
    }

    /// A court order signed by a judge, or a subpoena a judge signed (a court's order).
    fn is_order(&self) -> bool {
        self.case.request.as_ref().is_some_and(|r| {
            matches!(
                r.instrument.kind,
                InstrumentKind::CourtOrder | InstrumentKind::Subpoena
            ) && r.instrument.judge_signed
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
