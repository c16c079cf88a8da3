//! The root of the workbench. Its state is the screens' states side by side with what
//! they share (the day, the size, the keys, the cases, the log's facts, the message line
//! and the outcome box). `update` routes each message and key to the screen it concerns
//! and does what crosses screens (opening a case, its form, the record view; a
//! signature's outcome); `view` draws the screen on top and the overlays. The screens
//! never import this module: it composes them.
//!
//! Everything shown is in here, already sanitised: views only lay it out. Strings from
//! case files pass through `crate::text::sanitize*` when the state is built from a
//! `CaseSet`, never later.

mod decision;
mod drafts;
mod intake;
mod msg;
mod navigate;
mod reload;
mod rows;
mod state;
mod too_small;
mod update;
mod view;

pub use msg::{EditOutcome, EditReport, Msg};
pub use navigate::{open_sites, pending_for_case, startup};
pub use state::{Screen, State, library_note};
pub use update::update;
pub use view::draw;

// The root's vocabulary for its callers (the event loop, tests): what `update` returns
// and what the queue's loading lines hold.
pub use crate::tui::effect::Effect;
pub use crate::tui::screens::queue::{Load, LogLoad};
pub use crate::tui::step::Banner;
