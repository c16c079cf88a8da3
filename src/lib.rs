//! casebench: review disclosure cases, get the legal grounds that apply, sign decisions.
//!
//! The domain (case, rules, record, store, decision) knows nothing of terminals; the TUI and the
//! headless commands in [`cli`] call the same functions.

pub mod audit;
pub mod case;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod decision;
pub mod intake;
pub mod practice;
pub mod present;
pub mod record;
pub mod rules;
pub mod sites;
pub mod store;
pub mod text;
pub mod tui;
pub mod yaml;
