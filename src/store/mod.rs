//! Directory access: safe reads of untrusted files (and, with the decision log, atomic
//! publishing, locks and drafts).

pub mod access;
pub mod drafts;
pub mod lock;
pub mod publish;
pub mod safe_open;
