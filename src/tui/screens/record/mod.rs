//! The record view: one signed record as a reader checks it (`audit::signed`): its
//! verification state, who signed it and when, its files and the `ssh-keygen -Y verify`
//! command, the exact bytes that were signed, the written notice of a denial, and the
//! signature. Opened with `v` from a decided case (the record in force), offered right
//! after signing, and by Enter on the audit screen (any record). Esc goes back to where
//! it was opened from (the root keeps where that is).

pub mod view;

use crate::audit::signed::{SignedRecord, Which};
use crate::text::{sanitize, sanitize_line};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::scroll::{self, Scroll, Styled};
use crate::tui::step::Step;
use crate::tui::theme::Role;

type PaneLine = Styled;

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
}

impl RecordView {
    /// The view on `which`, while the worker reads and verifies it.
    pub fn reading(which: Which) -> RecordView {
        let title = match &which {
            Which::Seq(seq) => format!("Record {seq}"),
            Which::InForce(case) => format!("The record in force on {}", sanitize_line(case)),
        };
        RecordView {
            which,
            title,
            lines: None,
            scroll: Scroll::default(),
        }
    }
}

/// The worker's answer: the view's lines (or why the record cannot be shown).
pub fn arrived(
    v: &mut RecordView,
    which: Which,
    result: Result<Box<SignedRecord>, String>,
) -> Step {
    if v.which != which {
        return Step::unchanged();
    }
    match result {
        Ok(r) => {
            v.title = title(&r);
            v.lines = Some(lines(&r));
        }
        Err(e) => {
            v.lines = Some(vec![vec![(
                Role::Error,
                format!("cannot show the record: {}", sanitize_line(&e)),
            )]]);
        }
    }
    Step::changed()
}

/// Back to where the view was opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Back;

/// Keys on the record view: scroll, and back.
pub fn action(v: &mut RecordView, size: (u16, u16), action: Action) -> Step<Back> {
    match action {
        a if scroll::is_scroll(a) => {
            let lines = v.lines.as_deref().unwrap_or_default();
            let (total, height) = layout::measure(lines, layout::page(size));
            Step::changed_if(v.scroll.act(a, total, height))
        }
        Action::Back | Action::Quit => Step::ask(Back),
        _ => Step::unchanged(),
    }
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
    let role = crate::tui::labels::mark_role(r.verification);
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
