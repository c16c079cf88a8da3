//! The record view: one signed record as a reader checks it (`audit::signed`): its
//! verification state, who signed it and when, its files and the `ssh-keygen -Y verify`
//! command, the exact bytes that were signed, the written notice of a denial, and the
//! signature. Opened with `v` from a decided case (the record in force), offered right
//! after signing, and by Enter on the audit screen (any record). Esc goes back to where
//! it was opened from.

use super::app::{Effect, Msg, PaneLine, Screen, State};
use super::keymap::Action;
use super::scroll::Scroll;
use super::theme::Role;
use crate::audit::signed::{SignedRecord, Which};
use crate::case::CaseSet;
use crate::text::{sanitize, sanitize_line};

/// Headings of the view's sections (tests find the record's bytes between them).
pub const BYTES_HEADING: &str = "The record: the exact bytes that were signed";
pub const NOTICE_HEADING: &str = "The written notice this decision must send";
pub const SIGNATURE_HEADING: &str = "Signature";

#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    pub which: Which,
    pub title: String,
    /// `None` while the worker reads and verifies it.
    pub lines: Option<Vec<PaneLine>>,
    pub scroll: Scroll,
    /// The screen Esc returns to.
    pub back: Screen,
    /// The record whose letter `w` writes (a denial or a review's result), once read.
    pub letter: Option<u64>,
}

/// Opens the view on `which`; the worker reads and verifies it.
pub fn open(state: &mut State, which: Which) -> Vec<Effect> {
    let title = match &which {
        Which::Seq(seq) => format!("Record {seq}"),
        Which::InForce(case) => format!("The record in force on {}", sanitize_line(case)),
    };
    state.record = Some(RecordView {
        which: which.clone(),
        title,
        lines: None,
        scroll: Scroll::default(),
        back: state.screen,
        letter: None,
    });
    state.screen = Screen::Record;
    vec![Effect::ShowRecord(which)]
}

/// `v` on a case: the record in force, once the case is decided.
pub fn open_in_force(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.case.as_ref().map(|v| v.case_id.clone()) else {
        return Vec::new();
    };
    if !state.decided.contains(&id) {
        state.message = Some((
            Role::Muted,
            "no signed decision on this case yet: the record view opens once it is decided".into(),
        ));
        return Vec::new();
    }
    open(state, Which::InForce(id))
}

/// Reads and verifies `which` (on the caller's thread: the event loop runs it on a
/// worker), as the answer message.
pub fn read(cases: &std::path::Path, set: &CaseSet, which: Which, today: chrono::NaiveDate) -> Msg {
    let result = crate::audit::signed::load(cases, set, &which, today).map(Box::new);
    Msg::SignedRecord { which, result }
}

/// The worker's answer: the view's lines (or why the record cannot be shown).
pub fn arrived(state: &mut State, which: Which, result: Result<Box<SignedRecord>, String>) {
    let Some(v) = state.record.as_mut().filter(|v| v.which == which) else {
        state.needs_draw = false;
        return;
    };
    match result {
        Ok(r) => {
            v.title = title(&r);
            v.lines = Some(lines(&r));
            v.letter = matches!(r.notice, Some(Ok(_))).then_some(r.seq);
        }
        Err(e) => {
            v.lines = Some(vec![vec![(
                Role::Error,
                format!("cannot show the record: {}", sanitize_line(&e)),
            )]]);
        }
    }
}

/// Keys on the record view: scroll, and back.
pub fn action(state: &mut State, action: Action) -> Vec<Effect> {
    let area = super::layout::page(state.size);
    let Some(v) = state.record.as_mut() else {
        state.screen = Screen::Queue;
        return Vec::new();
    };
    match action {
        a if super::scroll::is_scroll(a) => {
            let lines = v.lines.clone().unwrap_or_default();
            let (total, height) = super::layout::measure(&lines, area);
            state.needs_draw = v.scroll.act(a, total, height);
        }
        Action::Back | Action::Quit => {
            state.screen = v.back;
            state.record = None;
        }
        Action::WriteLetter => match v.letter {
            Some(seq) => {
                state.message = Some((
                    Role::Muted,
                    format!("writing the letter of record {seq}..."),
                ));
                return vec![Effect::WriteLetter(seq)];
            }
            None => {
                state.message = Some((
                    Role::Muted,
                    "this record sends no letter (only a denial, a partial denial or a review's result does)"
                        .into(),
                ));
            }
        },
        _ => state.needs_draw = false,
    }
    Vec::new()
}

/// Writes the letter of record `seq` as a PDF on Letter paper, in a new file of `dir`
/// (the workbench's current folder: `notice-<case>-<seq>.pdf`, never replacing one):
/// the same letter as `casebench notice SEQ --format pdf`. Runs on a worker; the answer
/// is a message.
pub fn write_letter(
    cases: &std::path::Path,
    set: &CaseSet,
    seq: u64,
    today: chrono::NaiveDate,
    dir: &std::path::Path,
) -> Msg {
    use crate::audit::letters::{PaperFormat, fresh_name, write_file};
    let result = (|| {
        let report = crate::audit::AuditReport::build(cases, set).map_err(|e| e.to_string())?;
        let row = report
            .row(seq)
            .ok_or_else(|| format!("no record {seq} in the log"))?;
        let bytes = crate::audit::signed::letter_bytes(
            cases,
            set,
            row,
            today,
            PaperFormat::Pdf,
            crate::audit::pdf::Paper::Letter,
        )
        .map_err(|e| e.to_string())?;
        let case = row.case.clone().unwrap_or_default();
        let path = fresh_name(dir, &format!("notice-{case}-{seq}"), PaperFormat::Pdf);
        write_file(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
    })();
    Msg::LetterWritten(result)
}

/// The worker's answer to `w`.
pub fn letter_written(state: &mut State, result: Result<std::path::PathBuf, String>) {
    state.message = Some(match result {
        Ok(path) => (
            Role::Normal,
            format!(
                "letter written to {}",
                sanitize_line(&path.display().to_string())
            ),
        ),
        Err(e) => (
            Role::Error,
            format!("the letter was not written: {}", sanitize_line(&e)),
        ),
    });
}

fn title(r: &SignedRecord) -> String {
    let opt = |s: &Option<String>| s.as_deref().map_or("-".into(), sanitize_line);
    format!(
        "Record {} · {} · case {} · {}",
        r.seq,
        r.kind.map_or("record", |k| k.as_str()),
        opt(&r.case),
        opt(&r.outcome)
    )
}

fn line(role: Role, text: impl Into<String>) -> PaneLine {
    vec![(role, text.into())]
}

/// The view's text, every string from the log or a case sanitised.
pub fn lines(r: &SignedRecord) -> Vec<PaneLine> {
    let mut out: Vec<PaneLine> = Vec::new();
    let role = super::audit::mark_role(r.verification);
    out.push(vec![
        (Role::Muted, "verification: ".into()),
        (role, r.verification.mark().to_string()),
        (
            Role::Muted,
            if r.problems.is_empty() {
                "  (signature, signer and namespace, chain and case binding checked, as \
                 casebench verify does)"
                    .to_string()
            } else {
                String::new()
            },
        ),
    ]);
    for p in &r.problems {
        out.push(line(
            Role::Error,
            format!("  problem: {}", sanitize_line(p)),
        ));
    }
    let who = match (&r.reviewer, &r.reviewer_name) {
        (Some(p), Some(n)) => format!("{} ({})", sanitize_line(p), sanitize_line(n)),
        (Some(p), None) => sanitize_line(p),
        (None, _) => "-".into(),
    };
    out.push(vec![
        (Role::Muted, "signed by: ".into()),
        (Role::Normal, who),
    ]);
    out.push(vec![
        (Role::Muted, "at: ".into()),
        (
            Role::Normal,
            r.time.as_deref().map_or("-".into(), sanitize_line),
        ),
    ]);
    out.push(vec![
        (Role::Muted, "file: ".into()),
        (Role::Normal, sanitize_line(&r.file.display().to_string())),
    ]);
    out.push(vec![
        (Role::Muted, "signature file: ".into()),
        (
            Role::Normal,
            sanitize_line(&r.sig_file.display().to_string()),
        ),
    ]);
    if let Some(cmd) = &r.verify_command {
        out.push(line(Role::Muted, "check it with OpenSSH alone:"));
        out.push(line(Role::Key, sanitize_line(cmd)));
    }
    out.push(Vec::new());
    out.push(line(Role::Header, BYTES_HEADING));
    match &r.bytes {
        Ok(b) => {
            let text = sanitize(&String::from_utf8_lossy(b));
            out.extend(text.lines().map(|l| line(Role::Normal, l)));
        }
        Err(e) => out.push(line(
            Role::Error,
            format!("cannot read: {}", sanitize_line(e)),
        )),
    }
    if let Some(n) = &r.notice {
        out.push(Vec::new());
        out.push(line(Role::Header, NOTICE_HEADING));
        match n {
            Ok(text) => out.extend(sanitize(text).lines().map(|l| line(Role::Normal, l))),
            Err(e) => out.push(line(
                Role::Error,
                format!("no notice can be written: {}", sanitize_line(e)),
            )),
        }
    }
    out.push(Vec::new());
    out.push(line(Role::Header, SIGNATURE_HEADING));
    match &r.signature {
        Some(s) => out.extend(sanitize(s).lines().map(|l| line(Role::Muted, l))),
        None => out.push(line(Role::Error, "MISSING: no readable signature file")),
    }
    out
}
