//! The workbench's screens, one folder each: its state (`mod.rs`), its update (keys and
//! answers on its own state plus a small `step::Ctx`, returning a `step::Step`) and its
//! view (pure drawing with a `widgets::Look`). A screen never imports the root (`app`)
//! or another screen's update; what reaches beyond it (opening another screen, signing,
//! leaving) it asks of the root through its `Ask`, and the root composes the screens.

pub mod audit;
pub mod case;
pub mod countersign;
pub mod form;
pub mod help;
pub mod intake;
pub mod invalid;
pub mod practice;
pub mod provide;
pub mod queue;
pub mod record;
