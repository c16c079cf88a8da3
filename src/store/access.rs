//! Saying why a file of a shared directory cannot be read. On a clinic server the log
//! is written by several Unix users; "Permission denied" alone does not tell a sysadmin
//! which bit is missing, so errors name the owner, the mode and what this user lacks.

use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Whether `e` is a permission error (EACCES or EPERM).
pub fn is_denied(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::PermissionDenied
}

/// `path: permission denied (owner arivera (uid 1001), group clinic (gid 1002), mode
/// 0600: you are in its group but the group lacks read permission)`: what is missing for this user to `need`
/// (`'r'` read, `'x'` enter a directory, `'w'` write).
pub fn denied_message(path: &Path, need: char) -> String {
    let shown = crate::text::sanitize_line(&path.display().to_string());
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        // Not even its metadata: a directory above it is closed to this user.
        Err(_) => {
            return format!(
                "{shown}: permission denied (a directory above it cannot be entered by this user: check the group and its x bit)"
            );
        }
    };
    let (uid, gid, mode) = (meta.uid(), meta.gid(), meta.mode() & 0o7777);
    // SAFETY: getuid/getgid never fail.
    let me = unsafe { libc::getuid() };
    let bit = match need {
        'w' => 0o2,
        'x' => 0o1,
        _ => 0o4,
    };
    let what = match need {
        'w' => "write",
        'x' => "search (x)",
        _ => "read",
    };
    let why = if uid == me {
        if mode & (bit << 6) == 0 {
            format!("you own it but its owner lacks {what} permission")
        } else {
            "its mode allows you; a directory above it may be closed".to_string()
        }
    } else if in_group(gid) {
        if mode & (bit << 3) == 0 {
            format!("you are in its group but the group lacks {what} permission")
        } else {
            "its mode allows your group; a directory above it may be closed".to_string()
        }
    } else {
        format!(
            "you are neither its owner nor in its group (gid {gid}), and others lack {what} permission"
        )
    };
    format!(
        "{shown}: permission denied (owner {}, group {}, mode {mode:04o}: {why})",
        user_name(uid),
        group_name(gid)
    )
}

/// `path: error`, or for a permission error [`denied_message`]: every read of a shared
/// file says what is missing, not only "Permission denied".
pub fn io_message(path: &Path, e: &io::Error, need: char) -> String {
    if is_denied(e) {
        denied_message(path, need)
    } else {
        format!(
            "{}: {e}",
            crate::text::sanitize_line(&path.display().to_string())
        )
    }
}

/// `root (uid 0)`, or `uid 1001` when the account has no name here.
fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 1024];
    // SAFETY: `pwd` and `buf` outlive the call; `found` is set to null or to `&pwd`.
    let name = unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found);
        (rc == 0 && !found.is_null() && !pwd.pw_name.is_null()).then(|| {
            std::ffi::CStr::from_ptr(pwd.pw_name)
                .to_string_lossy()
                .into_owned()
        })
    };
    match name {
        Some(n) => format!("{} (uid {uid})", crate::text::sanitize_line(&n)),
        None => format!("uid {uid}"),
    }
}

/// `clinic (gid 1002)`, or `gid 1002` when the group has no name here.
fn group_name(gid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 4096];
    // SAFETY: `grp` and `buf` outlive the call; `found` is set to null or to `&grp`.
    let name = unsafe {
        let mut grp: libc::group = std::mem::zeroed();
        let mut found: *mut libc::group = std::ptr::null_mut();
        let rc = libc::getgrgid_r(gid, &mut grp, buf.as_mut_ptr(), buf.len(), &mut found);
        (rc == 0 && !found.is_null() && !grp.gr_name.is_null()).then(|| {
            std::ffi::CStr::from_ptr(grp.gr_name)
                .to_string_lossy()
                .into_owned()
        })
    };
    match name {
        Some(n) => format!("{} (gid {gid})", crate::text::sanitize_line(&n)),
        None => format!("gid {gid}"),
    }
}

/// Whether this process has `gid` as its group or a supplementary group.
fn in_group(gid: u32) -> bool {
    // SAFETY: getgid never fails.
    if unsafe { libc::getgid() } == gid {
        return true;
    }
    // SAFETY: with size 0 getgroups only returns the count.
    let n = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    let Ok(len) = usize::try_from(n) else {
        return false;
    };
    let mut groups = vec![0 as libc::gid_t; len];
    // SAFETY: `groups` has room for `n` entries.
    let got = unsafe { libc::getgroups(n, groups.as_mut_ptr()) };
    let got = usize::try_from(got).unwrap_or(0).min(len);
    groups[..got].contains(&gid)
}

/// `Some(true)` when `path` exists, `Some(false)` when it does not; a permission error
/// on the way is an error, never "absent" (an unreadable log is not an empty log).
pub fn exists(path: &Path) -> Result<bool, String> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) if is_denied(&e) => Err(denied_message(path, 'x')),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_is_absent_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(exists(&dir.path().join("nope")), Ok(false));
        assert_eq!(exists(dir.path()), Ok(true));
    }

    #[test]
    fn message_names_owner_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, b"x").unwrap();
        let m = denied_message(&f, 'r');
        assert!(m.contains("permission denied (owner "), "{m}");
        assert!(m.contains("(uid ") && m.contains("(gid "), "{m}");
        assert!(m.contains("mode 0"), "{m}");
    }
}
