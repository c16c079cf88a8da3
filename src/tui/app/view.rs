//! Pure drawing: `draw(state, frame)` draws the screen on top with its own view, then the
//! overlays (the countersign screen, the outcome box, help). No I/O, no parsing, no
//! sanitising (the state is sanitised when built), no panics at any size.

use ratatui::Frame;

use super::decision::outside_of;
use super::navigate::pending_for_case;
use super::state::{Screen, State};
use super::too_small;
use crate::tui::keymap::Action;
use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::screens::{
    audit, case, countersign, form, help, intake, invalid, practice, queue, record,
};
use crate::tui::widgets::{self, Look};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small::draw(&state.theme, frame, area);
        return;
    }
    let look = Look {
        theme: &state.theme,
        keymap: &state.keymap,
        message: state.message.as_ref(),
    };
    match state.screen {
        Screen::Queue => {
            let heading = queue::Heading {
                cases_dir: &state.cases_dir,
                library_note: state.library_note.as_deref(),
                load: &state.load,
                log: &state.log,
                invalid: state.invalid.len(),
                reminders: &state.reminders,
            };
            queue::view::draw(look, &heading, &state.queue, &state.rows, frame, area)
        }
        Screen::Invalid => {
            invalid::view::draw(look, &state.invalid, state.invalid_scroll, frame, area)
        }
        Screen::Case => {
            if let Some(v) = &state.case {
                let hint = countersign_hint(state);
                case::view::draw(look, v, state.size, hint.as_deref(), frame, area);
            }
        }
        Screen::Form => {
            if let Some(f) = &state.form {
                let outside = outside_of(
                    state.case.as_ref(),
                    Some(f),
                    &state.practice,
                    state.set.as_deref(),
                    &state.signer,
                );
                form::view::draw(look, f, &outside, state.size, frame, area);
            }
        }
        Screen::Practice => {
            practice::view::draw(look, state.practice.comparison.as_ref(), frame, area)
        }
        Screen::Audit => audit::view::draw(look, state.audit.as_ref(), frame, area),
        Screen::Record => record::view::draw(look, state.record.as_ref(), frame, area),
        Screen::Intake => {
            if let Some(v) = &state.intake {
                intake::view::draw(look, v, frame, area);
            }
        }
    }
    if let Some(f) = &state.provide {
        crate::tui::screens::provide::view::draw(look, f, frame, area);
    }
    if let Some(v) = &state.countersign.open {
        countersign::view::draw(look, v, frame, area);
    }
    if let Some(b) = &state.banner {
        widgets::banner(&state.theme, b, frame, area);
    }
    if state.help {
        help::draw(look, state.context(), state.help_scroll, frame, area);
    }
}

/// For the case view's footer, right-aligned: the key, when a proposal awaits this signer.
fn countersign_hint(state: &State) -> Option<String> {
    let p = pending_for_case(state).filter(|_| state.message.is_none())?;
    let key = state.keymap.first_key(state.context(), Action::Countersign);
    Some(format!("{key} countersign {}'s proposal", p.trainee))
}
