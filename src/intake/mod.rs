//! Opening and editing case files (issue 22): the file an intake writes (the next free id,
//! created exclusively and atomically), `edit` (a copy checked before it replaces the
//! case file), and the one question they ask the decision log: does it bind this case?
//!
//! The intake's questions themselves are the case model's (`case::intake`): a screen and
//! the command line ask the same ones. This room sits above `case`, `store` and `record`.

pub mod bound;
pub mod edit;
mod files;
pub mod new_case;
