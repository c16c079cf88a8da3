//! What a signed practice record leads to: on a practice case, the comparison with the
//! reference (read only now that the record is signed); on a real case, a proposal for a
//! supervisor to countersign, unless the case is already decided.

use std::path::Path;

use crate::case::LoadedCase;

use crate::practice::{Feedback, feedback};
use crate::record::Appended;
use crate::rules::CaseSet;
use crate::rules::{Related, Rulebook};

/// What follows a signed practice record.
#[derive(Debug)]
pub enum AfterPractice {
    /// A practice case: the comparison with its reference.
    Scored(Box<Feedback>),
    /// A real case: a proposal for a supervisor to countersign.
    Proposal { seq: u64, case: String },
    /// A real case already decided: practice only, nothing to countersign.
    AlreadyDecided {
        case: String,
        by: String,
        at: String,
    },
    /// Signed, but the comparison failed (e.g. the rulebook override is invalid).
    Unscored(String),
}

/// What the practice record just appended to the log of `cases` leads to (the case's
/// history after it comes from the appender's verified memory).
pub fn after_practice(
    cases: &Path,
    set: &CaseSet,
    case: &LoadedCase,
    appended: &Appended,
) -> AfterPractice {
    let rec = &appended.record;
    if case.case.practice.is_none() {
        let decided = appended.history.final_record().cloned();
        if let Some(f) = decided {
            return AfterPractice::AlreadyDecided {
                case: case.case.id.clone(),
                by: f.reviewer,
                at: crate::record::model::format_time(&f.time),
            };
        }
        return AfterPractice::Proposal {
            seq: rec.seq,
            case: case.case.id.clone(),
        };
    }
    let rb = match Rulebook::for_case_dir(cases) {
        Ok(rb) => rb,
        Err(e) => return AfterPractice::Unscored(e.to_string()),
    };
    let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
    match feedback(&rb, &case.case, related, rec) {
        Ok(f) => AfterPractice::Scored(Box::new(f)),
        Err(e) => AfterPractice::Unscored(e.to_string()),
    }
}
