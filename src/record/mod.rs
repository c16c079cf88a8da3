//! Decision records (DESIGN.md section 4): the record format, SSHSIG signing through a
//! key file or ssh-agent, who may sign (allowed_signers, reviewers.yaml), the
//! append-only log, verification and checkpoints.

pub mod allowed_signers;
pub mod append;
pub mod checkpoint;
pub mod fastread;
mod gate;
pub(crate) mod index_file;
pub mod log;
pub mod model;
pub mod proposal;
pub mod reviewers;
pub mod signer;
pub mod sshsig;
pub mod verify;
pub mod witness;
pub mod yamlout;

pub use append::{AppendError, Appended, Draft, Log, Stamp, sign_and_append};
pub use model::{OverriddenFinding, Record, RecordType};
pub use signer::Signer;
