//! Practice: trainees' decisions compared with reference decisions, and scored; their
//! progress over time and per topic; and the countersignature that makes a trainee's
//! proposal on a real case final.
//!
//! For the workbench: [`feedback::feedback`] (the comparison screen, after signing),
//! [`progress::progress`] (scores), [`countersign::pending`] and
//! [`countersign::countersign`] (a supervisor's review of trainees' proposals),
//! [`hints::advisor_visible`] (whether the advisor is shown on a practice case).

pub mod countersign;
pub mod feedback;
pub mod hints;
pub mod progress;
pub mod score;
pub mod topics;

pub use feedback::{Feedback, FeedbackError, GroundNote, feedback};
pub use score::{Attempt, Comparison, ItemComparison, compare};
pub use topics::{Topic, TopicMap};
