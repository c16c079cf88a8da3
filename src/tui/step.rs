//! How a screen's update talks to the rest of the workbench. A screen's update gets its
//! own state and a [`Ctx`] (what every screen may read, and the two lines it may write:
//! the message line and the outcome box), never the whole workbench; it hands back a
//! [`Step`]: whether anything on screen changed, the effects it needs done, and what it
//! asks of the root (open another screen, say), which composes the screens.

use std::sync::Arc;

use chrono::NaiveDate;

use super::effect::Effect;
use super::keymap::Keymap;
use super::theme::Role;
use crate::rules::CaseSet;

/// What a screen may read besides its own state, and where it may say something.
pub struct Ctx<'a> {
    /// The day deadlines are computed against.
    pub today: NaiveDate,
    /// The one clock (the real day periods run to).
    pub clock: crate::clock::Clock,
    /// The terminal's size, from the last resize (the layout functions take it).
    pub size: (u16, u16),
    pub keymap: &'a Keymap,
    /// The cases, once loaded.
    pub set: Option<&'a Arc<CaseSet>>,
    /// The message line (one line, replaced by the next).
    pub message: &'a mut Option<(Role, String)>,
    /// The outcome box (stays until Enter or Esc closes it).
    pub banner: &'a mut Option<Banner>,
}

impl Ctx<'_> {
    /// Puts `text` on the message line.
    pub fn say(&mut self, role: Role, text: impl Into<String>) {
        *self.message = Some((role, text.into()));
    }

    /// Shows an outcome in its box.
    pub fn announce(&mut self, banner: Banner) {
        *self.banner = Some(banner);
    }
}

/// An outcome message (signed, refused, conflict, checkpoint, draft discarded): shown
/// whole, in a box over the screen where the key was pressed, until Enter or Esc closes
/// it or another replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Banner {
    pub role: Role,
    pub title: String,
    pub text: String,
}

impl Banner {
    pub fn new(role: Role, title: &str, text: impl Into<String>) -> Banner {
        Banner {
            role,
            title: title.to_string(),
            text: text.into(),
        }
    }
}

/// What an update hands back: whether the screen must be drawn again, the effects for
/// the event loop, and what it asks of the root (`Ask`: each screen names its own).
#[must_use]
#[derive(Debug, PartialEq)]
pub struct Step<Ask = ()> {
    pub changed: bool,
    pub effects: Vec<Effect>,
    pub ask: Option<Ask>,
}

impl<Ask> Step<Ask> {
    /// Nothing on screen changed (an unbound key, a move past the end).
    pub fn unchanged() -> Self {
        Step {
            changed: false,
            effects: Vec::new(),
            ask: None,
        }
    }

    /// Something on screen changed: draw again.
    pub fn changed() -> Self {
        Step {
            changed: true,
            ..Step::unchanged()
        }
    }

    /// Changed or not, as `changed` says.
    pub fn changed_if(changed: bool) -> Self {
        Step {
            changed,
            ..Step::unchanged()
        }
    }

    /// Changed, with `effects` to carry out.
    pub fn effects(effects: Vec<Effect>) -> Self {
        Step {
            effects,
            ..Step::changed()
        }
    }

    /// Changed, with one effect.
    pub fn effect(effect: Effect) -> Self {
        Step::effects(vec![effect])
    }

    /// Asks the root for `ask` (the root decides what is drawn).
    pub fn ask(ask: Ask) -> Self {
        Step {
            ask: Some(ask),
            ..Step::unchanged()
        }
    }

    /// The same step, with the root's answer to its ask folded in: `Step<()>`.
    pub fn then<Other>(self, next: Step<Other>) -> Step<Other> {
        let mut effects = self.effects;
        effects.extend(next.effects);
        Step {
            changed: self.changed || next.changed,
            effects,
            ask: next.ask,
        }
    }

    /// Splits off the ask, keeping the rest as a plain step.
    pub fn take_ask(self) -> (Step, Option<Ask>) {
        (
            Step {
                changed: self.changed,
                effects: self.effects,
                ask: None,
            },
            self.ask,
        )
    }
}

impl<Ask> Default for Step<Ask> {
    fn default() -> Self {
        Step::unchanged()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_and_the_root_s_answer_to_its_ask_fold_into_one() {
        let asked: Step<&str> = Step {
            effects: vec![Effect::DraftEdited],
            ..Step::ask("open")
        };
        let (step, ask) = asked.take_ask();
        assert_eq!(ask, Some("open"));
        assert!(!step.changed);
        let folded = step.then(Step::<()>::effect(Effect::ListDrafts));
        assert!(folded.changed, "the answer changed the screen");
        assert_eq!(folded.effects, [Effect::DraftEdited, Effect::ListDrafts]);
        assert_eq!(folded.ask, None);
        assert!(
            !Step::<()>::unchanged()
                .then(Step::<()>::unchanged())
                .changed
        );
    }
}
