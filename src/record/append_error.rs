//! Why a record was not written: the one error of the log's append, and of the checks
//! before it (`preflight`). Its own leaf so that both read it without reading each other.

use super::log::ReadLogError;
use super::log_rules::Broken;
use super::memory::TrustError;

/// Why a record was not written. Everything but `Io` is a refusal the user can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppendError {
    #[error("case {case} already decided by {by} at {at}")]
    AlreadyDecided {
        case: String,
        by: String,
        at: String,
    },
    #[error(
        "the case file {path} changed since it was opened; reload it and check the decision again"
    )]
    CaseChanged { path: String },
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Damaged(String),
    #[error("{0}")]
    Io(String),
}

impl From<ReadLogError> for AppendError {
    fn from(e: ReadLogError) -> Self {
        match e {
            ReadLogError::Io { .. } => AppendError::Io(e.to_string()),
            ReadLogError::Damaged { .. } => AppendError::Damaged(e.to_string()),
        }
    }
}

impl From<TrustError> for AppendError {
    fn from(e: TrustError) -> Self {
        match e {
            TrustError::Io(m) => AppendError::Io(m),
            e => AppendError::Damaged(e.to_string()),
        }
    }
}

impl From<Broken> for AppendError {
    fn from(b: Broken) -> Self {
        match b {
            Broken::AlreadyDecided { case, by, at, .. } => {
                AppendError::AlreadyDecided { case, by, at }
            }
            b if b.is_about_the_signer() => AppendError::NotAllowed(b.to_string()),
            b => AppendError::Refused(b.to_string()),
        }
    }
}
