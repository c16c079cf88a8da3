//! Practice: trainees' decisions compared with reference decisions, and scored.

pub mod score;

pub use score::{Attempt, Comparison, ItemComparison, compare};
