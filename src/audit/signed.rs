//! One signed record as a reader checks it: its exact bytes, its verification state (from
//! the same [`verify_log`](crate::record::verify::verify_log) pass that `casebench verify`
//! and the audit run, through [`AuditReport`]), who signed it and when, its files, the
//! `ssh-keygen -Y verify` command that checks it without casebench, and, for a denial or
//! partial release, the written notice (the function `casebench notice SEQ` calls).
//!
//! The workbench's record view (from a decided case, after signing, and from the audit
//! screen) shows exactly this.

use std::path::{Path, PathBuf};

use super::document::{Document, to_text};
use super::letters::{self, PaperFormat, with_logo};
use super::notice::{NoticeFormat, compose};
use super::notice_input;
use super::pdf::Paper;
use super::report::{AuditReport, AuditRow, Verification};
use super::review_notice::{ReviewInfo, compose_review};
use crate::case::Outcome;
use crate::case::settings::{Settings, load_settings};
use crate::record::StateDir;
use crate::record::log::{MAX_RECORD_BYTES, Paths, record_name, sig_name};
use crate::record::model::{Record, RecordType};
use crate::rules::CaseSet;
use crate::rules::Rulebook;
use crate::store::safe_open::SafeDir;

/// Which record to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// Record `seq` of the log.
    Seq(u64),
    /// The record in force on a case (the log index's final record: what "decided by X
    /// at T" names).
    InForce(String),
}

/// A record, read and verified.
#[derive(Debug, Clone)]
pub struct SignedRecord {
    pub seq: u64,
    /// The record file and its detached signature.
    pub file: PathBuf,
    pub sig_file: PathBuf,
    /// The exact bytes that were signed (the record file), or why they cannot be read.
    pub bytes: Result<Vec<u8>, String>,
    /// The signature file's text, when readable.
    pub signature: Option<String>,
    pub verification: Verification,
    /// What verification found, most important first (empty when `ok`).
    pub problems: Vec<String>,
    pub kind: Option<RecordType>,
    pub case: Option<String>,
    pub outcome: Option<String>,
    /// The principal that signed, and its display name from reviewers.yaml.
    pub reviewer: Option<String>,
    pub reviewer_name: Option<String>,
    /// The signing time, UTC, RFC 3339.
    pub time: Option<String>,
    /// `ssh-keygen -Y verify ...`: checks the signature with OpenSSH alone.
    pub verify_command: Option<String>,
    /// For a denial or partial release: the written notice, or why none can be written.
    pub notice: Option<Result<String, String>>,
}

/// Reads and verifies record `which` of the log of `cases` (loaded as `set`), with its
/// notice (dated the record's day); the record in force on a case is the one this user's memory of
/// the log (`state`) holds.
pub fn load(
    cases: &Path,
    state: &StateDir,
    set: &CaseSet,
    which: &Which,
) -> Result<SignedRecord, String> {
    let seq = match which {
        Which::Seq(s) => *s,
        Which::InForce(case) => in_force(cases, state, case)?,
    };
    let report = AuditReport::build(cases, set).map_err(|e| e.to_string())?;
    let row = report
        .row(seq)
        .ok_or_else(|| format!("no record {seq} in the log (head is {})", report.head))?;
    let paths = Paths::new(cases);
    let (bytes, signature) = read_files(&paths.log, seq);
    let notice = denial(row)
        .then(|| notice_of(cases, set, row, NoticeFormat::Text).map_err(|e| e.to_string()));
    let verify_command = row.record.as_ref().map(|r| {
        verify_command(
            &paths.log.join(record_name(seq)),
            &policy_file(cases, &paths, row.verification, r),
            r,
        )
    });
    Ok(SignedRecord {
        seq,
        file: paths.log.join(record_name(seq)),
        sig_file: paths.log.join(sig_name(seq)),
        bytes,
        signature,
        verification: row.verification,
        problems: row.problems.clone(),
        kind: row.kind,
        case: row.case.clone(),
        outcome: row.outcome.clone(),
        reviewer: row.reviewer.clone(),
        reviewer_name: row.reviewer_name.clone(),
        time: row.time.clone(),
        verify_command,
        notice,
    })
}

/// The seq of the record in force on `case`, from this user's memory of the log.
pub fn in_force(cases: &Path, state: &StateDir, case: &str) -> Result<u64, String> {
    let index = crate::record::memory::recall(cases, state).unwrap_or_default();
    index
        .cases
        .get(case)
        .and_then(|h| h.final_record())
        .map(|e| e.seq)
        .ok_or_else(|| {
            format!(
                "case {} has no decision in force in the log",
                crate::text::sanitize_line(case)
            )
        })
}

/// The record file's exact bytes and the signature's text.
pub(crate) fn read_files(log: &Path, seq: u64) -> (Result<Vec<u8>, String>, Option<String>) {
    let dir = match SafeDir::open(log) {
        Ok(d) => d,
        Err(e) => return (Err(format!("{}: {e}", log.display())), None),
    };
    let bytes = dir
        .read_file(&record_name(seq), MAX_RECORD_BYTES)
        .map_err(|e| format!("{}: {e}", record_name(seq)));
    let sig = dir
        .read_file(&sig_name(seq), 64 * 1024)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    (bytes, sig)
}

/// A decision or review whose outcome withholds something: it sends a written notice.
fn denial(row: &AuditRow) -> bool {
    matches!(row.kind, Some(RecordType::Decision | RecordType::Review))
        && row
            .outcome
            .as_deref()
            .and_then(Outcome::parse)
            .is_some_and(Outcome::is_denial)
}

/// The allowed_signers file that allows the record's signer: the current one, or for a
/// record signed under a policy since replaced (`OLD POLICY`), the archived copy the
/// record names (`decisions/policies/<hex>.allowed_signers`, kept by the writer).
fn policy_file(cases: &Path, paths: &Paths, v: Verification, rec: &Record) -> PathBuf {
    let current = cases.join("reviewers/allowed_signers");
    if v != Verification::SupersededPolicy {
        return current;
    }
    rec.policy
        .strip_prefix("sha256:")
        .filter(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|hex| paths.policies.join(format!("{hex}.allowed_signers")))
        .filter(|p| p.is_file())
        .unwrap_or(current)
}

/// `ssh-keygen -Y verify -f ALLOWED -I PRINCIPAL -n NAMESPACE -s FILE.sig < FILE`, each
/// argument quoted for a POSIX shell.
pub fn verify_command(file: &Path, allowed_signers: &Path, rec: &Record) -> String {
    let f = file.display().to_string();
    format!(
        "ssh-keygen -Y verify -f {} -I {} -n {} -s {} < {}",
        shell_quote(&allowed_signers.display().to_string()),
        shell_quote(&rec.reviewer),
        rec.kind.namespace(),
        shell_quote(&format!("{f}.sig")),
        shell_quote(&f)
    )
}

/// Quotes `s` for a POSIX shell when it holds anything but plain path characters.
fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Why no notice is written for a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeFailure {
    /// casebench.yaml is missing, unreadable or incomplete: a usage problem.
    #[error("{0}")]
    Settings(String),
    /// The record fails verification: no notice is written from it.
    #[error("record {seq} does not verify ({mark}): {reason}")]
    DoesNotVerify {
        seq: u64,
        mark: &'static str,
        reason: String,
    },
    /// The case it decides is not loaded (or invalid).
    #[error("{0}")]
    Case(String),
    #[error("{0}")]
    Rulebook(String),
    #[error(transparent)]
    Notice(#[from] notice_input::NoticeError),
    /// The PDF or HTML could not be made (a logo that cannot be drawn).
    #[error("{0}")]
    Render(String),
}

/// The directory's settings as a notice needs them: the entity and a complete privacy
/// contact.
pub fn notice_settings(cases: &Path) -> Result<Settings, NoticeFailure> {
    let settings = load_settings(cases)
        .map_err(|p| NoticeFailure::Settings(format!("casebench.yaml: {}", p.headline())))?
        .ok_or_else(|| {
            NoticeFailure::Settings(format!(
                "{}/casebench.yaml is missing: a notice must name the entity and its privacy contact (title and telephone); see docs/AUDIT.md",
                cases.display()
            ))
        })?;
    if !settings.privacy_contact.is_complete() {
        return Err(NoticeFailure::Settings(
            "casebench.yaml: privacy_contact needs a title and a phone: the notice must say how to complain to the entity (164.524(d)(2)(iii))".into(),
        ));
    }
    Ok(settings)
}

/// The written notice for the record of `row` (a denial letter, or a review's result),
/// dated the day the record was signed (the local calendar day of its `time`, the one
/// clock's [`crate::clock::Clock::day_of`]; never a pinned `--today` or `as_of`), so that
/// printing it again gives the same letter: what `casebench notice SEQ` prints.
pub fn notice_of(
    cases: &Path,
    set: &CaseSet,
    row: &AuditRow,
    format: NoticeFormat,
) -> Result<String, NoticeFailure> {
    let settings = notice_settings(cases)?;
    notice_with(cases, &settings, set, row, format)
}

/// [`notice_of`] with the settings already read.
pub fn notice_with(
    cases: &Path,
    settings: &Settings,
    set: &CaseSet,
    row: &AuditRow,
    format: NoticeFormat,
) -> Result<String, NoticeFailure> {
    let letter = letter_with(cases, settings, set, row)?;
    Ok(to_text(&letter, format == NoticeFormat::Markdown))
}

/// The letter for the record of `row` (a denial, or a review's result), composed once:
/// the text notice and the PDF and HTML letters are renderings of it.
pub fn letter_with(
    cases: &Path,
    settings: &Settings,
    set: &CaseSet,
    row: &AuditRow,
) -> Result<Document, NoticeFailure> {
    let Some(rec) = row
        .record
        .as_ref()
        .filter(|_| !row.verification.is_broken())
    else {
        return Err(NoticeFailure::DoesNotVerify {
            seq: row.seq,
            mark: row.verification.mark(),
            reason: crate::text::sanitize_line(row.reason()),
        });
    };
    let case = set.get(&rec.case).ok_or_else(|| {
        NoticeFailure::Case(format!(
            "case {} (decided by record {}) is not among the valid case files",
            crate::text::sanitize_line(&rec.case),
            rec.seq
        ))
    })?;
    let rb = Rulebook::for_case_dir(cases).map_err(|e| NoticeFailure::Rulebook(e.to_string()))?;
    let input = notice_input::from_record(
        rec,
        &case.case,
        settings,
        &rb,
        crate::clock::Clock::day_of(rec.time),
    )?;
    Ok(match rec.reviews {
        Some(reviewed_seq) if rec.kind == RecordType::Review => {
            let reviewer = row
                .reviewer_name
                .clone()
                .unwrap_or_else(|| rec.reviewer.clone());
            let info = ReviewInfo {
                reviewer,
                reviewed_seq,
            };
            compose_review(&input, &info)
        }
        _ => compose(&input),
    })
}

/// The letter for the record of `row` on paper: composed, with the letterhead's logo,
/// rendered as PDF or HTML (the workbench's "write the letter to a file").
pub fn letter_bytes(
    cases: &Path,
    set: &CaseSet,
    row: &AuditRow,
    format: PaperFormat,
    paper: Paper,
) -> Result<Vec<u8>, NoticeFailure> {
    let settings = notice_settings(cases)?;
    let letter = letter_with(cases, &settings, set, row)?;
    let letter = with_logo(letter, cases, &settings).map_err(NoticeFailure::Settings)?;
    letters::render(&letter, format, paper).map_err(NoticeFailure::Render)
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quotes_only_what_a_shell_would_split() {
        assert_eq!(
            shell_quote("cases/decisions/log/00000001.yaml"),
            "cases/decisions/log/00000001.yaml"
        );
        assert_eq!(
            shell_quote("a.rivera@clinic.example"),
            "a.rivera@clinic.example"
        );
        assert_eq!(shell_quote("/srv/my cases/x"), "'/srv/my cases/x'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
