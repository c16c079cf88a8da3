//! The record view: one signed record as a reader checks it (`audit::signed`): its
//! verification state, who signed it and when, its files and the `ssh-keygen -Y verify`
//! command, the exact bytes that were signed, the written notice of a denial, and the
//! signature. Opened with `v` from a decided case (the record in force), offered right
//! after signing, and by Enter on the audit screen (any record). Esc goes back to where
//! it was opened from (the root keeps where that is).

pub mod view;

use crate::audit::signed::{SignedRecord, Which};
use crate::text::sanitize_line;
use crate::tui::effect::Effect;
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::scroll::{self, Scroll, Styled};
use crate::tui::step::{Ctx, Step};
use crate::tui::theme::Role;

type PaneLine = Styled;

/// Headings of the view's sections (tests find the record's bytes between them).
pub use crate::present::record::{BYTES_HEADING, NOTICE_HEADING, SIGNATURE_HEADING};

#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    pub which: Which,
    pub title: String,
    /// `None` while the worker reads and verifies it.
    pub lines: Option<Vec<PaneLine>>,
    pub scroll: Scroll,
    /// The record whose letter `w` writes (a denial or a review's result), once read.
    pub letter: Option<u64>,
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
            letter: None,
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
            v.title = crate::present::record::title(&r);
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
    Step::changed()
}

/// Back to where the view was opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Back;

/// Keys on the record view: scroll, write the letter, and back.
pub fn action(v: &mut RecordView, ctx: &mut Ctx, action: Action) -> Step<Back> {
    match action {
        a if scroll::is_scroll(a) => {
            let lines = v.lines.as_deref().unwrap_or_default();
            let (total, height) = layout::measure(lines, layout::page(ctx.size));
            Step::changed_if(v.scroll.act(a, total, height))
        }
        Action::WriteLetter => match v.letter {
            Some(seq) => {
                ctx.say(
                    Role::Muted,
                    format!("writing the letter of record {seq}..."),
                );
                Step::effect(Effect::WriteLetter(seq))
            }
            None => {
                ctx.say(
                    Role::Muted,
                    "this record sends no letter (only a denial, a partial denial or a \
                     review's result does)",
                );
                Step::changed()
            }
        },
        Action::Back | Action::Quit => Step::ask(Back),
        _ => Step::unchanged(),
    }
}

/// The worker's answer to `w`, on the message line.
pub fn letter_written(ctx: &mut Ctx, result: Result<std::path::PathBuf, String>) -> Step {
    match result {
        Ok(path) => ctx.say(
            Role::Normal,
            format!(
                "letter written to {}",
                sanitize_line(&path.display().to_string())
            ),
        ),
        Err(e) => ctx.say(
            Role::Error,
            format!("the letter was not written: {}", sanitize_line(&e)),
        ),
    }
    Step::changed()
}

/// The view's lines: the presenter's sections (`crate::present::record::signed`).
pub fn lines(r: &SignedRecord) -> Vec<PaneLine> {
    crate::tui::sections::lines(&crate::present::record::signed(r))
}
