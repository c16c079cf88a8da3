//! Helpers shared by the integration tests. Not every binary uses every helper.
#![allow(dead_code, unused_imports)]

pub mod advisor;
pub mod audit;
pub mod cli;
pub mod common;
pub mod practice;
pub mod pty;
pub mod record;
pub mod sites;
pub mod sshd;
pub mod tui;
pub mod unix;
