//! Decision records (DESIGN.md section 4): the record format, SSHSIG signing through a
//! key file or ssh-agent, who may sign (allowed_signers, reviewers.yaml), the
//! append-only log and its rules, each user's memory of it, verification, checkpoints
//! and rewind notices.

pub mod allowed_signers;
pub mod append;
mod append_error;
pub mod checkpoint;
pub mod dirs;
pub mod fastread;
pub mod log;
pub mod log_rules;
pub mod memory;
pub mod model;
mod parse;
mod preflight;
pub mod reviewers;
pub mod rewind;
pub mod signer;
pub mod sshsig;
pub mod verify;
pub mod yamlout;

pub use append::{AppendError, Appended, Log, Stamp, Unsigned, sign_and_append};
pub use memory::StateDir;
pub use model::{OverriddenFinding, Record, RecordType};
pub use signer::Signer;
