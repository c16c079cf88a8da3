//! The directories of the log are the administrator's. The owner of a sticky directory
//! may delete any file in it, so a member who created `decisions/log/` could erase
//! anyone's records. In a case directory the clinic's group shares, casebench therefore
//! never creates `decisions/` or anything in it as a member: it refuses, with the exact
//! command for the administrator (docs/DEPLOY.md's set-up makes them all). A single-user
//! directory (the developer's sample library, tests): `decisions/` belongs to this user
//! and neither group nor others may write in it, and casebench makes what is missing,
//! 0750. Root makes them as the set-up does: root's, the directory's group, 3770 (2770
//! for `staging/`).
//!
//! `verify` reports a shared log directory that a member owns ([`member_owned`]).

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::log::{DIR_MODE, Paths, SHARED_DIR_MODE};

/// What a single user's directories get: theirs to write, the group's to read.
const PRIVATE_DIR_MODE: u32 = 0o750;

/// A directory of the log a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Log,
    Policies,
    Staging,
    Checkpoints,
}

impl Need {
    fn path(self, p: &Paths) -> &Path {
        match self {
            Need::Log => &p.log,
            Need::Policies => &p.policies,
            Need::Staging => &p.staging,
            Need::Checkpoints => &p.checkpoints,
        }
    }

    fn shared_mode(self) -> u32 {
        match self {
            Need::Staging => SHARED_DIR_MODE,
            _ => DIR_MODE,
        }
    }
}

fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// Whether `dir` is shared: group- or other-writable, or not this user's.
fn shared(meta: &std::fs::Metadata) -> bool {
    meta.mode() & 0o022 != 0 || meta.uid() != euid()
}

/// The name of group `gid` (or the number).
fn group_name(gid: u32) -> String {
    // SAFETY: getgrgid returns a static entry or null; it is read at once.
    unsafe {
        let g = libc::getgrgid(gid);
        if g.is_null() {
            return gid.to_string();
        }
        std::ffi::CStr::from_ptr((*g).gr_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// The name of user `uid`, if it has one.
fn user_name(uid: u32) -> Option<String> {
    // SAFETY: getpwuid returns a static entry or null; it is read at once.
    unsafe {
        let u = libc::getpwuid(uid);
        if u.is_null() {
            return None;
        }
        Some(
            std::ffi::CStr::from_ptr((*u).pw_name)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// Makes sure the directories `needs` (and `decisions/`) exist, creating what is missing
/// only where this user may (see the module): otherwise an error with the command that
/// creates them.
pub fn ensure(p: &Paths, needs: &[Need]) -> Result<(), String> {
    let mut missing: Vec<(PathBuf, u32)> = Vec::new();
    let decisions = match std::fs::symlink_metadata(&p.decisions) {
        Ok(m) if m.is_dir() => Some(m),
        Ok(_) => return Err(format!("{} is not a directory", p.decisions.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            missing.push((p.decisions.clone(), DIR_MODE));
            None
        }
        Err(e) => return Err(describe(&p.decisions, &e)),
    };
    for n in needs {
        let d = n.path(p);
        match std::fs::symlink_metadata(d) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(format!("{} is not a directory", d.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                missing.push((d.to_path_buf(), n.shared_mode()));
            }
            Err(e) => return Err(describe(d, &e)),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    // Who owns what the new directories would go in.
    let parent = match &decisions {
        Some(m) => m.clone(),
        None => std::fs::symlink_metadata(&p.cases).map_err(|e| describe(&p.cases, &e))?,
    };
    if !shared(&parent) {
        for (d, _) in &missing {
            create(d, PRIVATE_DIR_MODE, None)?;
        }
        return Ok(());
    }
    if euid() == 0 {
        for (d, mode) in &missing {
            create(d, *mode, Some(parent.gid()))?;
        }
        return Ok(());
    }
    let group = group_name(parent.gid());
    let commands: Vec<String> = missing
        .iter()
        .map(|(d, mode)| format!("install -d -o root -g {group} -m {mode:o} {}", d.display()))
        .collect();
    let names: Vec<String> = missing
        .iter()
        .map(|(d, _)| d.display().to_string())
        .collect();
    Err(format!(
        "{} does not exist, and casebench does not create the log's directories in a case directory the group shares: whoever creates one owns it, and the owner of a sticky directory can delete anyone's records. Ask the administrator to run (as root; docs/DEPLOY.md, section 1):\n  {}",
        names.join(", "),
        commands.join("\n  ")
    ))
}

fn describe(path: &Path, e: &std::io::Error) -> String {
    if crate::store::access::is_denied(e) {
        crate::store::access::denied_message(path, 'x')
    } else {
        format!("{}: {e}", path.display())
    }
}

/// Creates `dir` with exactly `mode` (setgid and sticky bits included), in group `gid`
/// when given. Another process creating it first is fine.
fn create(dir: &Path, mode: u32, gid: Option<u32>) -> Result<(), String> {
    use std::os::unix::fs::DirBuilderExt;
    let err = |e: std::io::Error| describe(dir, &e);
    match std::fs::DirBuilder::new().mode(mode & 0o777).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(err(e)),
    }
    if let Some(g) = gid {
        std::os::unix::fs::chown(dir, Some(0), Some(g)).map_err(err)?;
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).map_err(err)
}

/// The log's directories that the group may write in and a member (not root) owns: each
/// with what it means and the fix. `verify` reports them as errors.
pub fn member_owned(p: &Paths) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for d in [
        &p.decisions,
        &p.log,
        &p.policies,
        &p.checkpoints,
        &p.staging,
    ] {
        let Ok(m) = std::fs::symlink_metadata(d) else {
            continue;
        };
        if !m.is_dir() || m.mode() & 0o022 == 0 || m.uid() == 0 {
            continue;
        }
        let who = user_name(m.uid()).map_or_else(
            || format!("uid {}", m.uid()),
            |n| format!("{n} (uid {})", m.uid()),
        );
        out.push((
            d.clone(),
            format!(
                "{} is owned by {who}, a member, and the group may write in it: its owner can delete anyone's records. The administrator should run: chown root {}",
                d.display(),
                d.display()
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_users_directory_gets_what_is_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        std::fs::create_dir(&cases).unwrap();
        std::fs::set_permissions(&cases, std::fs::Permissions::from_mode(0o755)).unwrap();
        let p = Paths::new(&cases);
        ensure(&p, &[Need::Log, Need::Staging]).unwrap();
        for d in [&p.decisions, &p.log, &p.staging] {
            let m = std::fs::metadata(d).unwrap();
            assert_eq!(m.mode() & 0o7777, PRIVATE_DIR_MODE, "{}", d.display());
        }
        assert!(member_owned(&p).is_empty());
    }
}
