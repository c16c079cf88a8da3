//! What every audit command shares at its end: the exit status from the log's
//! verification, and JSON text through the one encoder. A leaf, so that `audit`,
//! `audit_export` and `audit_sites` all read it without reading each other.

use super::{CommandError, Exit};
use crate::audit::AuditReport;

/// A pretty JSON document and its newline, through the one JSON encoder.
pub(super) fn json_text(v: &serde_json::Value) -> Result<String, CommandError> {
    super::output::json_string(v, true).map(|s| s + "\n")
}

/// Exit 1, with a warning naming the first problem, when the log (or a site's) does
/// not verify cleanly.
pub(super) fn exit_for(report: &AuditReport) -> Exit {
    if !report.ok {
        let what = match &report.first_bad {
            Some(b) => match b.seq {
                Some(seq) => format!(
                    " (first at record {seq}: {})",
                    crate::text::sanitize_line(&b.message)
                ),
                None => format!(" ({})", crate::text::sanitize_line(&b.message)),
            },
            None => String::new(),
        };
        crate::text::warn(&format!(
            "the log does not verify cleanly{what}; see `casebench verify`"
        ));
        return Exit::Problems;
    }
    Exit::Ok
}
