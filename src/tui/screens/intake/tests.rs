//! The intake screen's state machine alone: answers, back, a refusal asked again, the
//! records, the summary, leaving.
