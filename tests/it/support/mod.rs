//! Helpers shared by the integration tests. Not every binary uses every helper.
#![allow(dead_code)]

pub mod advisor;
pub mod audit;
pub mod common;
pub mod practice;
pub mod record;
pub mod sites;
pub mod tui;
