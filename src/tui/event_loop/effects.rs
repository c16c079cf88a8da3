//! Every effect is carried out here, in one place: the work `update` asked for, on a
//! worker thread or (when it is quick, or needs the terminal) on the loop's own thread.
//! Answers come back as messages: at once (`pending`) or through the channel (`tx`).

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use super::answers::Answers;
use super::frame::draw_frame;
use super::input::InputGate;
use super::loader::{LogReader, spawn_loader, spawn_log_refresh};
use super::signals;
use super::terminal::{self, Term};
use crate::decision::draft as drafts;
use crate::tui::Options;
use crate::tui::app::{Effect, Msg, State};

/// Pause after the last edit before the draft is written.
pub const DRAFT_PAUSE: Duration = Duration::from_secs(1);

/// Whether the loop goes on after an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Go,
    Quit,
}

/// What the effects need beyond the state: the options, the rulebook once read, the
/// log's reader, the channel, the input thread's gate, and the draft's typing pause.
pub(super) struct Effects<'a> {
    options: &'a Options,
    answers: Answers<'a>,
    log_reader: Arc<LogReader>,
    tx: Sender<Msg>,
    gate: Arc<InputGate>,
    /// When the typing pause after the last edit ends (the draft is then saved).
    pub draft_due: Option<Instant>,
    /// Where an unfinished intake's answers were kept on leaving (or why not), to say
    /// once the terminal is given back.
    pub kept_intake: Option<Result<std::path::PathBuf, String>>,
}

impl<'a> Effects<'a> {
    pub(super) fn new(options: &'a Options, tx: Sender<Msg>, gate: Arc<InputGate>) -> Self {
        Effects {
            options,
            answers: Answers::new(options),
            log_reader: Arc::default(),
            tx,
            gate,
            draft_due: None,
            kept_intake: None,
        }
    }

    /// Carries out `effect`. Answers known at once go to `pending`, ahead of the channel.
    pub(super) fn run(
        &mut self,
        effect: Effect,
        state: &State,
        terminal: &mut Term,
        pending: &mut VecDeque<Msg>,
    ) -> Flow {
        let options = self.options;
        match effect {
            Effect::Quit => return Flow::Quit,
            Effect::LoadCases => spawn_loader(options, self.tx.clone()),
            e @ (Effect::Advise { .. } | Effect::Preview { .. }) => {
                if let Some(m) = self.answers.answer(state, &e) {
                    pending.push_back(m);
                }
            }
            Effect::LoadDraft(case) => {
                let result = drafts::load(&case).map_err(|e| e.to_string());
                pending.push_back(Msg::DraftLoaded { case, result });
            }
            Effect::DraftEdited => self.draft_due = Some(Instant::now() + DRAFT_PAUSE),
            Effect::SaveDraft(d) => {
                self.draft_due = None;
                pending.push_back(Msg::DraftSaved(save(d)));
            }
            Effect::ListDrafts => {
                let result = drafts::list().map_err(|e| e.to_string());
                pending.push_back(Msg::Drafts(result));
            }
            Effect::RemoveDraft(case) => {
                if let Err(e) = drafts::remove(&case) {
                    pending.push_back(Msg::Error(format!("removing the draft: {e}")));
                }
            }
            Effect::Sign(d) => {
                // Saved first: whatever happens next, the decision is on disk.
                pending.push_back(Msg::DraftSaved(save(d.clone())));
                // The "signing" box is on screen before a passphrase may be asked for.
                let _ = draw_frame(terminal, state);
                self.answers.forget_log();
                let result = match state.set.as_ref() {
                    Some(set) => outside(&self.gate, terminal, || {
                        super::sign::sign(options, set, &d, state.practice.record_kind())
                    }),
                    None => Err("the cases are not loaded yet".into()),
                };
                let (result, feedback) = match result {
                    Ok((m, f)) => (Ok(m), f),
                    Err(e) => (Err(e), None),
                };
                pending.push_back(Msg::Signed(result));
                if let Some(f) = feedback {
                    pending.push_back(Msg::Feedback(f));
                }
            }
            Effect::Countersign {
                case,
                seq,
                rationale,
            } => {
                let _ = draw_frame(terminal, state);
                self.answers.forget_log();
                let result = match state.set.as_ref() {
                    Some(set) => outside(&self.gate, terminal, || {
                        super::sign::countersign(options, set, &case, seq, &rationale)
                    }),
                    None => Err("the cases are not loaded yet".into()),
                };
                pending.push_back(Msg::Countersigned { case, result });
            }
            Effect::Provide { case, fields } => {
                let _ = draw_frame(terminal, state);
                self.answers.forget_log();
                let result = match state.set.as_ref() {
                    Some(set) => outside(&self.gate, terminal, || {
                        super::sign::provide(options, set, &case, &fields)
                    }),
                    None => Err("the cases are not loaded yet".into()),
                };
                pending.push_back(Msg::Provided { case, result });
            }
            Effect::Audit(a) => {
                super::audit::run_effect(options, state.set.clone(), a, self.tx.clone())
            }
            Effect::RefreshLog => {
                self.answers.forget_log();
                if let Some(set) = state.set.clone() {
                    spawn_log_refresh(options, &self.log_reader, set, self.tx.clone());
                }
            }
            Effect::WriteLetter(seq) => {
                if let Some(set) = state.set.clone() {
                    let (cases, tx) = (options.cases.clone(), self.tx.clone());
                    let spawned =
                        std::thread::Builder::new()
                            .name("letter".into())
                            .spawn(move || {
                                let msg = match std::env::current_dir() {
                                    Ok(dir) => super::loader::write_letter(&cases, &set, seq, &dir),
                                    Err(e) => {
                                        Msg::LetterWritten(Err(format!("the current folder: {e}")))
                                    }
                                };
                                let _ = tx.send(msg);
                            });
                    if let Err(e) = spawned {
                        pending.push_back(Msg::Error(format!("cannot write the letter: {e}")));
                    }
                }
            }
            Effect::KeepIntake(intake) => {
                self.kept_intake = Some(crate::intake::new_case::keep_answers(&intake));
            }
            Effect::BeginIntake => pending.push_back(super::intake::begin_intake(options)),
            Effect::WriteCase(intake) => {
                // The "writing" box first; the answer is next in line, ahead of any key.
                let _ = draw_frame(terminal, state);
                pending.push_back(super::intake::write_intake(options, &intake));
            }
            Effect::EditCase(id) => {
                let gate = &self.gate;
                let msg = super::intake::edit_case(options, &id, &mut |copy| {
                    with_program(gate, terminal, || crate::intake::edit::run_editor(copy))
                });
                // The terminal may have been resized while the editor had it.
                if let Ok(size) = terminal.size() {
                    pending.push_back(Msg::Resize(size.width, size.height));
                }
                pending.push_back(msg);
            }
            Effect::ShowRecord(which) => {
                if let Some(set) = state.set.clone() {
                    let (cases, tx) = (options.cases.clone(), self.tx.clone());
                    let memory = options.state();
                    let spawned =
                        std::thread::Builder::new()
                            .name("record".into())
                            .spawn(move || {
                                let msg = match memory {
                                    Ok(memory) => {
                                        super::loader::read_record(&cases, &memory, &set, which)
                                    }
                                    Err(e) => Msg::SignedRecord {
                                        which,
                                        result: Err(e),
                                    },
                                };
                                let _ = tx.send(msg);
                            });
                    if let Err(e) = spawned {
                        pending.push_back(Msg::Error(format!("cannot read the record: {e}")));
                    }
                }
            }
        }
        Flow::Go
    }
}

/// Saves a draft, stamped with the time.
pub(super) fn save(mut d: drafts::Draft) -> Result<String, String> {
    d.saved = signals::now();
    drafts::save(&d)
        .map(|p| p.display().to_string())
        .map_err(|e| e.to_string())
}

/// Runs `f` (a program that takes the whole terminal: the editor) with the workbench's
/// screen left and the terminal's modes put back, the input thread held off, then takes
/// the terminal back and draws everything again.
fn with_program<T>(
    gate: &InputGate,
    term: &mut Term,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    gate.set(true);
    let away = terminal::suspend_for_program();
    let result = match away {
        Ok(()) => f(),
        Err(e) => Err(format!("cannot hand the terminal to the editor: {e}")),
    };
    let back = terminal::resume_after_program(term);
    gate.set(false);
    back.map_err(|e| format!("terminal: {e}"))?;
    result
}

/// Runs `f` with the terminal in line mode (a key's passphrase may be asked for on it,
/// with the input thread held off), then takes it back. The workbench's own screen stays
/// (the "signing" box drawn by the caller, the prompt on its last line), so nothing is
/// left behind in the shell.
fn outside<T>(
    gate: &InputGate,
    term: &mut Term,
    f: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    gate.set(true);
    let row = term.size().map_or(0, |s| s.height.saturating_sub(1));
    let _ = terminal::suspend_for_prompt(row);
    let result = f();
    let back = terminal::resume_after_prompt(term);
    gate.set(false);
    back.map_err(|e| format!("terminal: {e}"))?;
    result
}
