//! Cases: the model (schema v1), loading one file with precise errors, validation. The
//! directory as a whole (cases with their rulebook) and the deadlines are the rules'
//! ([`crate::rules::library`], [`crate::rules::deadline`]).

mod access;
pub mod answer;
pub mod arrival;
mod concern;
pub mod describe;
pub mod evaluation;
pub mod intake;
pub mod load;
mod load_options;
pub mod model;
mod outcome;
mod part2;
pub mod problem;
pub mod schema;
pub mod settings;
pub(crate) mod strict_date;
pub mod validate;

pub use load::{InvalidCase, LoadOptions, LoadedCase};
pub use model::*;
pub use problem::Problem;
