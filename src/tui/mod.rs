//! The workbench (DESIGN.md section 6): queue, case view, decision form, audit, help.
//!
//! Rooms, from the top (docs/ARCHITECTURE.md, "The workbench (src/tui)"):
//! - `start`: opening the workbench (`start::run`), then the loop;
//! - `event_loop/`: the threads, the terminal, the workers, and `effects`, the one place
//!   where each effect is carried out; it calls the root's `update` and `draw`;
//! - `app/`: the root. Its state holds the screens' states side by side; `update` routes
//!   messages and keys to the screens and does what crosses them; `view` draws;
//! - `screens/`: one folder per screen (state, update, view); a screen never imports
//!   the root;
//! - below them, shared by all: `step` (a screen's `Ctx` and `Step`), `effect`,
//!   `widgets`, `layout`, `scroll`, `fit`, `labels`, `prose`, `advisor`, `theme`,
//!   `palette`, `keymap`, `options`.
//!
//! The TUI parses no file format itself: themes and keys go through `crate::yaml` in
//! their loaders, cases through `crate::case`, drafts through `crate::store::drafts`. It
//! reads no command-line option: the command layer builds its [`Options`].

pub mod advisor;
pub mod app;
pub mod effect;
pub mod event_loop;
pub mod fit;
pub mod keymap;
pub mod layout;
mod options;
pub mod palette;
pub mod prose;
pub mod screens;
pub mod scroll;
pub mod sections;
pub mod start;
pub mod step;
pub mod theme;
pub mod widgets;

pub use options::Options;
