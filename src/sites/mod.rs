//! Several sites (DESIGN.md section 9): each site's log travels through git to the
//! compliance office's remote, one branch per site, fast-forward only.
//!
//! - [`sync`]: publish this site's records, signatures, checkpoints, policy snapshots
//!   and allowed_signers; refuse a fork or a rollback.
//! - [`fetch`]: mirror every site's branch into `DIR/<site>/` (compliance office).
//! - [`verify`]: verify each mirrored site on its own.
//! - [`witness`]: cosign each mirrored site's head; [`witness_branch`] publishes those
//!   checkpoints on `casebench/witness/<principal>`, and [`pickup`] places a site's own
//!   in its `decisions/checkpoints/` during `sync`.
//!
//! Case files never travel: they hold the clinical text and stay on site.

pub mod failure;
pub mod fetch;
pub mod git;
pub mod mirror;
pub mod officer;
pub mod pickup;
pub mod sync;
pub mod verify;
pub mod witness;
pub mod witness_branch;

use std::path::{Path, PathBuf};

use crate::case::settings::{Remote, SiteId};

/// The branch prefix of the sites' logs on the remote.
pub const SITES_PREFIX: &str = "refs/heads/casebench/sites/";

/// `refs/heads/casebench/sites/<site>`.
pub fn site_branch(site: &SiteId) -> String {
    format!("{SITES_PREFIX}{site}")
}

/// The remote as git is given it: a relative path is taken from `base` (for `sync`, the
/// case directory where `casebench.yaml` is), whatever the current directory. `base`
/// is absolute (see [`git::absolute`]), so the result does not depend on where git runs.
pub fn remote_arg(remote: &Remote, base: &Path) -> std::ffi::OsString {
    let s = remote.as_str();
    if s.starts_with("file://") || s.starts_with("ssh://") || s.starts_with('/') {
        s.into()
    } else {
        let p: PathBuf = base.join(s);
        p.into_os_string()
    }
}

/// Writes through a temporary file in the same directory, fsynced, then renamed: a
/// reader sees the old bytes or the new, never half of them.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".tmp.{}.{name}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    f.write_all(bytes).map_err(err)?;
    f.sync_all().map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}
