//! Compliance: written notices, reports over the decision log, the accounting of
//! disclosures.

pub mod notice;
