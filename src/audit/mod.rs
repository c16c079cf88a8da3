//! Compliance: reports over the decision log, the accounting of disclosures, summary
//! figures for charts, and written notices.
//!
//! The API the workbench's audit view calls (the headless `casebench audit` calls the
//! same functions):
//! - [`AuditReport::build`] verifies the log and returns one [`AuditRow`] per record
//!   (with its [`Verification`] mark); [`AuditReport::filtered`] applies a [`Filter`]
//!   (date range, reviewer, outcome, problems only, overridden only);
//! - [`sites::build_sites`] the same report over a `--sites` mirror, rows labelled
//!   with their site, one [`sites::SiteState`] per site;
//! - [`summary::summarize`] the chart figures over filtered rows;
//! - [`accounting::accounting`] the accounting of disclosures (164.528);
//! - [`report::record_text`] a record's exact text and signature for the detail view;
//! - [`notice_input::from_record`] then [`notice::render`] the written notice (or
//!   [`review_notice::render_review`] for a review's result); [`notice_input::from_decision`]
//!   for the decision form's preview.

pub mod accounting;
pub mod accounting_letter;
pub mod addressee;
pub mod board;
pub mod csv;
pub mod document;
pub mod fhir;
pub mod html;
pub mod ics;
pub mod letterhead;
pub mod letters;
pub mod notice;
pub mod notice_input;
pub mod pdf;
pub mod render;
pub mod report;
pub mod review_notice;
pub mod signed;
pub mod sites;
pub mod summary;

pub use report::{AuditError, AuditReport, AuditRow, Filter, Verification};
