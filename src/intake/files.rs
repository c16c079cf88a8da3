//! Where the intake's files go and how they are made: a leaf that `new_case` and `edit`
//! both read, so that neither reads the other.

use std::path::PathBuf;

/// Mode of a new case file: group-readable, like every file casebench writes
/// (docs/DEPLOY.md).
pub const CASE_FILE_MODE: u32 = 0o640;

/// Where this user's edit copies (and an unfinished intake's answers) live:
/// `<data>/edits`, beside the drafts, private to the user.
pub fn edits_dir() -> Result<PathBuf, String> {
    crate::store::drafts::drafts_dir()
        .map(|d| d.with_file_name("edits"))
        .map_err(|e| e.to_string())
}
