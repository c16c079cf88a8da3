//! Cases: the model (schema v1), loading with precise errors, validation, deadlines.

mod access;
pub mod answer;
pub mod arrival;
mod concern;
pub mod deadline;
pub mod describe;
pub mod evaluation;
pub mod intake;
pub mod load;
pub mod model;
mod outcome;
mod part2;
pub mod problem;
pub mod queue;
pub mod schema;
pub mod settings;
pub(crate) mod strict_date;
pub mod validate;

pub use deadline::{Deadline, Status};
pub use load::{CaseSet, InvalidCase, LoadOptions, LoadedCase, load_dir};
pub use model::*;
pub use problem::Problem;
