//! A case's standing in the decision log (the record in force, or a proposal awaiting
//! countersignature) and one signed record as a reader checks it. `show` prints the
//! standing under the deadline; the workbench's record view draws [`signed`].

use super::{Row, Section, Tone, s};
use crate::audit::report::Verification;
use crate::audit::signed::SignedRecord;
use crate::record::log::Entry;
use crate::rules::Status;

/// Headings of the record view's sections (tests find the record's bytes between them).
pub const BYTES_HEADING: &str = "The record: the exact bytes that were signed";
pub const NOTICE_HEADING: &str = "The written notice this decision must send";
pub const SIGNATURE_HEADING: &str = "Signature";

/// Where a case stands in this user's verified memory of the log: its status (from the
/// one status function, `rules::queue`), the record in force, or the proposal awaiting a
/// supervisor's countersignature.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub status: Status,
    /// Provided (or, with nothing to provide, decided) on time; `None` while nothing is
    /// done, and without a clock (`rules::queue::standing`).
    pub on_time: Option<bool>,
    pub decision: Option<Entry>,
    pub proposal: Option<u64>,
}

impl Standing {
    /// A case the log says nothing of: the deadline's own status.
    pub fn open(status: Status) -> Standing {
        Standing {
            status,
            on_time: None,
            decision: None,
            proposal: None,
        }
    }

    /// `decision: record N (decision by X at T): outcome`, or the proposal's line.
    pub fn row(&self) -> Option<Row> {
        match (&self.decision, self.proposal) {
            (Some(e), _) => Some(Row::fact("decision", decided(e)).tone(Tone::Good)),
            (None, Some(seq)) => Some(
                Row::fact(
                    "proposal",
                    format!("record {seq} awaits a supervisor's countersignature"),
                )
                .tone(Tone::Warning),
            ),
            _ => None,
        }
    }
}

/// `record N (decision by X at T): outcome`.
pub fn decided(e: &Entry) -> String {
    format!(
        "record {} ({} by {} at {}): {}",
        e.seq,
        e.kind.as_str(),
        s(&e.reviewer),
        crate::record::model::format_time(&e.time),
        s(&e.outcome)
    )
}

/// A verification state's word and its tone.
pub fn verification(v: Verification) -> (&'static str, Tone) {
    let tone = match v {
        Verification::Ok => Tone::Good,
        Verification::CaseChanged | Verification::SupersededPolicy => Tone::Warning,
        Verification::Failed | Verification::Missing => Tone::Error,
    };
    (v.mark(), tone)
}

/// The record view's title: `Record N · type · case ID · outcome`.
pub fn title(r: &SignedRecord) -> String {
    let opt = |v: &Option<String>| v.as_deref().map_or("-".into(), s);
    format!(
        "Record {} · {} · case {} · {}",
        r.seq,
        r.kind.map_or("record", |k| k.as_str()),
        opt(&r.case),
        opt(&r.outcome)
    )
}

/// One signed record as sections: who signed it, when, its files and the OpenSSH
/// command that checks it; its exact bytes; the written notice of a denial; the
/// signature.
pub fn signed(r: &SignedRecord) -> Vec<Section> {
    let mut head = Section::new("");
    let (mark, tone) = verification(r.verification);
    head.push(Row::fact("verification", mark).tone(tone));
    if r.problems.is_empty() {
        head.push(
            Row::line(
                "signature, signer and namespace, chain and case binding checked, as casebench \
                 verify does",
            )
            .tone(Tone::Muted),
        );
    }
    for p in &r.problems {
        head.push(Row::fact("problem", s(p)).tone(Tone::Error));
    }
    let who = match (&r.reviewer, &r.reviewer_name) {
        (Some(p), Some(n)) => format!("{} ({})", s(p), s(n)),
        (Some(p), None) => s(p),
        (None, _) => "-".into(),
    };
    head.push(Row::fact("signed by", who));
    head.push(Row::fact("at", r.time.as_deref().map_or("-".into(), s)));
    head.push(Row::fact("file", s(&r.file.display().to_string())));
    head.push(Row::fact(
        "signature file",
        s(&r.sig_file.display().to_string()),
    ));
    if let Some(cmd) = &r.verify_command {
        head.push(Row::line("check it with OpenSSH alone:").tone(Tone::Muted));
        head.push(Row::line(s(cmd)));
    }
    let mut bytes = Section::new(BYTES_HEADING);
    bytes.push(match &r.bytes {
        Ok(b) => Row::verbatim(&String::from_utf8_lossy(b)),
        Err(e) => Row::fact("cannot read", s(e)).tone(Tone::Error),
    });
    let mut out = vec![head, bytes];
    if let Some(n) = &r.notice {
        let mut notice = Section::new(NOTICE_HEADING);
        notice.push(match n {
            Ok(text) => Row::verbatim(text),
            Err(e) => Row::fact("no notice can be written", s(e)).tone(Tone::Error),
        });
        out.push(notice);
    }
    let mut sig = Section::new(SIGNATURE_HEADING);
    sig.push(match &r.signature {
        Some(text) => Row::verbatim(text).tone(Tone::Muted),
        None => Row::line("MISSING: no readable signature file").tone(Tone::Error),
    });
    out.push(sig);
    out
}
