//! To whom a letter is written, and the words that change with it (issue 23: "Every
//! notice must be written for its addressee: the patient, a parent, a representative, or
//! an executor").
//!
//! [`Addressee::of`] is the one function that derives the addressee from a case's facts
//! (the requester's relationship, the patient's age and death). The text notice, the
//! review-result letter and the PDF and HTML letters all take their wording from it.

use serde::Serialize;

use crate::case::{Case, RecordCategory, Relationship};

/// Who receives the letter, in the capacity the law gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    /// The patient, asking for their own records.
    Patient,
    /// The parent of an unemancipated minor: the minor's personal representative
    /// (45 CFR 164.502(g)(3)).
    Parent,
    /// A personal representative of the patient (45 CFR 164.502(g)(2)).
    Representative,
    /// The executor or administrator of a deceased patient's estate (164.502(g)(4)).
    Executor,
    /// Anyone else: the records are the patient's, and the letter says so.
    ThirdParty,
}

impl Addressee {
    /// Every addressee, in the order the tests and docs list them.
    pub const ALL: [Addressee; 5] = [
        Addressee::Patient,
        Addressee::Parent,
        Addressee::Representative,
        Addressee::Executor,
        Addressee::ThirdParty,
    ];

    /// The addressee of a letter answering `case`: the requester, in the capacity the
    /// case's facts give them. A parent of an adult, or an "executor" of a living
    /// patient, is not treated as the patient (164.502(g)) and is written to as a third
    /// party.
    pub fn of(case: &Case) -> Addressee {
        let rel = case.request.as_ref().map(|r| r.requester.relationship);
        match rel {
            Some(Relationship::SelfPatient) => Addressee::Patient,
            Some(Relationship::Parent) if case.requester_is_representative() => Addressee::Parent,
            Some(Relationship::Executor) if case.requester_is_representative() => {
                Addressee::Executor
            }
            Some(Relationship::PersonalRepresentative) => Addressee::Representative,
            _ => Addressee::ThirdParty,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Addressee::Patient => "patient",
            Addressee::Parent => "parent",
            Addressee::Representative => "personal_representative",
            Addressee::Executor => "executor",
            Addressee::ThirdParty => "third_party",
        }
    }

    /// Whose records they are, as the addressee reads it: "your", "your child's"...
    pub fn whose(self) -> &'static str {
        match self {
            Addressee::Patient => "your",
            Addressee::Parent => "your child's",
            Addressee::Representative => "the patient's",
            Addressee::Executor => "the deceased patient's",
            Addressee::ThirdParty => "the patient's",
        }
    }

    /// The capacity in which the letter answers them (none for the patient).
    pub fn standing(self) -> Option<&'static str> {
        match self {
            Addressee::Patient => None,
            Addressee::Parent => Some(
                "You asked as the parent of a minor patient, who acts for your child in these \
                 matters (45 CFR 164.502(g)(3)).",
            ),
            Addressee::Representative => Some(
                "You asked as the patient's personal representative, who has the patient's \
                 rights to these records (45 CFR 164.502(g)(2)).",
            ),
            Addressee::Executor => Some(
                "You asked as the executor or administrator of the deceased patient's estate, \
                 who has the patient's rights to these records (45 CFR 164.502(g)(4)).",
            ),
            Addressee::ThirdParty => Some(
                "You asked for the patient's records as someone other than the patient or the \
                 patient's personal representative.",
            ),
        }
    }

    /// Whose rights the complaint section speaks of.
    pub fn rights(self) -> &'static str {
        match self {
            Addressee::Patient => "your rights",
            Addressee::Parent => "your rights or your child's",
            Addressee::Representative => "your rights or the patient's",
            Addressee::Executor => "your rights or the deceased patient's",
            Addressee::ThirdParty => "your rights or the patient's",
        }
    }

    /// How a withheld item of `category` is named to this addressee: the category's
    /// neutral label (RULEBOOK R31), with the clinical record named as theirs, their
    /// child's or the patient's.
    pub fn item_label(self, category: Option<RecordCategory>) -> String {
        match category {
            Some(RecordCategory::Chart) => format!("part of {} clinical record", self.whose()),
            Some(other) => other.neutral_label().to_string(),
            None => format!("part of {} record", self.whose()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_addressee() {
        assert_eq!(
            Addressee::Parent.item_label(Some(RecordCategory::Chart)),
            "part of your child's clinical record"
        );
        assert_eq!(
            Addressee::Patient.item_label(Some(RecordCategory::Chart)),
            "part of your clinical record"
        );
        assert_eq!(
            Addressee::Executor.item_label(None),
            "part of the deceased patient's record"
        );
        assert_eq!(
            Addressee::Representative.item_label(Some(RecordCategory::PsychotherapyNotes)),
            "psychotherapy notes"
        );
        for a in Addressee::ALL {
            assert_eq!(a == Addressee::Patient, a.standing().is_none());
        }
    }
}
