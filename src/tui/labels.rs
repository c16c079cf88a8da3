//! The words the screens show for a case's kind, status and days left: text that
//! carries the meaning without colour, each with the role it is drawn in.

use super::theme::Role;
use crate::audit::report::Verification;
use crate::case::CaseKind;
use crate::rules::Status;

/// Days left as text that carries the meaning without colour: `!! -12d`, `! 3d`, `14d`.
pub fn days_left_text(status: Status, days_left: Option<i64>) -> (String, Role) {
    match (status, days_left) {
        (Status::Decided | Status::ProvidedOnTime, _) => ("done".into(), Role::Muted),
        (Status::ProvidedLate, _) => ("late".into(), Role::Warning),
        (Status::AwaitingProvision, Some(d)) if d < 0 => (format!("!! {d}d"), Role::Overdue),
        (Status::AwaitingProvision, Some(d)) if d <= crate::rules::deadline::DUE_SOON_DAYS => {
            (format!("! {d}d"), Role::DueSoon)
        }
        (Status::UnderReview, _) => ("review".into(), Role::Muted),
        (Status::Overdue, Some(d)) => (format!("!! {d}d"), Role::Overdue),
        (Status::DueSoon, Some(d)) => (format!("! {d}d"), Role::DueSoon),
        (Status::WaitingOnClinician, Some(d)) if d <= crate::rules::deadline::DUE_SOON_DAYS => {
            (format!("! {d}d"), Role::DueSoon)
        }
        (_, Some(d)) => (format!("{d}d"), Role::Ok),
        (_, None) => ("! now".into(), Role::DueSoon),
    }
}

pub fn status_text(s: Status) -> (&'static str, Role) {
    match s {
        Status::Overdue => ("OVERDUE", Role::Overdue),
        Status::DueSoon => ("due soon", Role::DueSoon),
        Status::Open => ("open", Role::Normal),
        // "waiting on clinician", in the 8 columns the queue gives a status.
        Status::WaitingOnClinician => ("waiting", Role::Normal),
        Status::UnderReview => ("review", Role::Muted),
        Status::Decided => ("decided", Role::Muted),
        // "decided, awaiting provision", in the queue's 8 columns.
        Status::AwaitingProvision => ("awaiting", Role::Normal),
        Status::ProvidedOnTime => ("provided", Role::Muted),
        Status::ProvidedLate => ("late", Role::Warning),
    }
}

pub fn kind_text(k: CaseKind) -> &'static str {
    match k {
        CaseKind::AccessRequest => "access",
        CaseKind::DisclosureConcern => "concern",
    }
}

/// The role a record's verification mark is drawn in (the mark itself is a word:
/// `Verification::mark`).
pub fn mark_role(v: Verification) -> Role {
    match v {
        Verification::Ok => Role::Ok,
        Verification::CaseChanged | Verification::SupersededPolicy => Role::Warning,
        Verification::Failed | Verification::Missing => Role::Error,
    }
}
