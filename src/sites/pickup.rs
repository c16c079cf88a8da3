//! During `sync`, a site picks up the checkpoints witnesses cosigned for it: it fetches
//! every `casebench/witness/*` branch and places each `<site>/…` checkpoint that checks
//! into `decisions/checkpoints/`, where plain `verify`, `audit` and the append gate
//! already use the newest valid one. A truncation of this log after a witnessed head is
//! then reported on site, by the site's own tools.
//!
//! A checkpoint is placed only if its signature is a `casebench-audit` signature by a
//! key the site's current `reviewers/allowed_signers` allows at its time, its bytes
//! name this site (`site:`), and its file name is the one its content gives. Anything
//! else is reported as a warning and not placed: a forged or foreign checkpoint changes
//! nothing. A file already there is never replaced.

use std::ffi::OsString;
use std::path::Path;

use super::git::{Git, nul_fields};
use crate::case::settings::SiteId;
use crate::record::allowed_signers::AllowedSigners;
use crate::record::checkpoint::{parse_file_name, verify_bytes};
use crate::record::log::{FILE_MODE, Paths};
use crate::store::publish;

/// Where the witness branches are fetched to in the site's work area.
const WITNESS_REFS: &str = "refs/casebench/witness/";
/// A checkpoint is ~300 bytes: a bigger blob is not read.
const MAX_BLOB: u64 = 64 * 1024;

/// What the pick-up did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pickup {
    /// Checkpoint file names placed into `decisions/checkpoints/` by this run.
    pub placed: Vec<String>,
    /// Checkpoints not placed, and why (already sanitised for display).
    pub warnings: Vec<String>,
}

/// Fetches the witness branches of `remote` into the work area `g` and places this
/// site's checkpoints. Must run under the log's lock (the caller, `sync`, holds it).
/// Never fails: what cannot be done is a warning, and the sync goes on.
pub fn pick_up(g: &Git, remote: &OsString, cases: &Path, site: &SiteId) -> Pickup {
    let mut out = Pickup::default();
    let refspec = format!(
        "+{}*:{WITNESS_REFS}*",
        super::witness_branch::WITNESS_PREFIX
    );
    if let Err(e) = g.fetch(remote, &[&refspec], true) {
        out.warn(format!("witness checkpoints not fetched: {e}"));
        return out;
    }
    let policy = match crate::record::reviewers::read_allowed_signers(cases)
        .and_then(|b| AllowedSigners::parse(&b).map_err(|e| format!("reviewers/{e}")))
    {
        Ok(p) => p,
        Err(e) => {
            out.warn(format!("witness checkpoints not placed: {e}"));
            return out;
        }
    };
    let refs = match g.run(
        "for-each-ref",
        ["for-each-ref", "--format=%(refname)", WITNESS_REFS],
        None,
    ) {
        Ok(o) => o.stdout,
        Err(e) => {
            out.warn(format!("witness checkpoints not read: {e}"));
            return out;
        }
    };
    for refname in String::from_utf8_lossy(&refs).lines() {
        let witness = refname.strip_prefix(WITNESS_REFS).unwrap_or(refname);
        if let Err(e) = pick_from(g, refname, cases, site, &policy, &mut out) {
            out.warn(format!("witness branch {witness}: {e}"));
        }
    }
    out
}

impl Pickup {
    fn warn(&mut self, message: String) {
        self.warnings.push(crate::text::sanitize_line(&message));
    }
}

/// One entry of `ls-tree -l`: blob id and size.
struct Blob {
    id: String,
    size: u64,
}

fn pick_from(
    g: &Git,
    refname: &str,
    cases: &Path,
    site: &SiteId,
    policy: &AllowedSigners,
    out: &mut Pickup,
) -> Result<(), String> {
    let witness = refname.strip_prefix(WITNESS_REFS).unwrap_or(refname);
    let listed = g
        .run(
            "ls-tree",
            [
                "ls-tree",
                "-r",
                "-z",
                "-l",
                "--full-tree",
                "--end-of-options",
                refname,
            ],
            None,
        )
        .map_err(|e| e.to_string())?;
    let prefix = format!("{site}/");
    let mut blobs = std::collections::BTreeMap::new();
    for entry in nul_fields(&listed.stdout) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let Some(name) = path.strip_prefix(&prefix) else {
            continue;
        };
        let mut meta = meta.split_whitespace();
        let (Some(_mode), Some("blob"), Some(id), Some(size)) =
            (meta.next(), meta.next(), meta.next(), meta.next())
        else {
            continue;
        };
        let size = size.parse().unwrap_or(u64::MAX);
        blobs.insert(
            name.to_string(),
            Blob {
                id: id.into(),
                size,
            },
        );
    }
    let p = Paths::new(cases);
    for (name, blob) in &blobs {
        if parse_file_name(name).is_none() {
            continue;
        }
        let shown = format!("witness branch {witness}: {site}/{name}");
        let Some(sig) = blobs.get(&format!("{name}.sig")) else {
            out.warn(format!("{shown}: no signature beside it: not placed"));
            continue;
        };
        match check_one(g, name, blob, sig, site, policy) {
            Ok((bytes, pem)) => match place(&p, name, &bytes, &pem) {
                Ok(true) => out.placed.push(name.clone()),
                Ok(false) => {}
                Err(e) => out.warn(format!("{shown}: {e}")),
            },
            Err(e) => out.warn(format!("{shown}: {e}: not placed")),
        }
    }
    Ok(())
}

/// The checkpoint's bytes and signature, if they check for this site.
fn check_one(
    g: &Git,
    name: &str,
    blob: &Blob,
    sig: &Blob,
    site: &SiteId,
    policy: &AllowedSigners,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    let read = |b: &Blob| -> Result<Vec<u8>, String> {
        if b.size > MAX_BLOB {
            return Err("too large to be a checkpoint".into());
        }
        g.run("cat-file", ["cat-file", "blob", b.id.as_str()], None)
            .map(|o| o.stdout)
            .map_err(|e| e.to_string())
    };
    let bytes = read(blob)?;
    let pem = read(sig)?;
    let cp = verify_bytes(&bytes, &pem, policy)?;
    if cp.site.as_deref() != Some(site.as_str()) {
        return Err(format!(
            "cosigned for {}, not for this site",
            cp.site
                .as_deref()
                .map_or("no site".into(), |s| format!("site {s}"))
        ));
    }
    if cp.file_name() != name {
        return Err(format!("its content names the file {}", cp.file_name()));
    }
    Ok((bytes, pem))
}

/// Places a checked checkpoint (signature first, as `checkpoint` writes them): `false`
/// when the very same file is already there; another file of that name is kept.
fn place(p: &Paths, name: &str, bytes: &[u8], pem: &[u8]) -> Result<bool, String> {
    let existing = p.checkpoints.join(name);
    match std::fs::read(&existing) {
        Ok(b) if b == bytes => return Ok(false),
        Ok(_) => {
            return Err(format!(
                "decisions/checkpoints/{name} exists with other bytes: kept, not replaced"
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", existing.display())),
    }
    // The directories are the administrator's in a shared case directory (issue 20).
    crate::record::dirs::ensure(
        p,
        &[
            crate::record::dirs::Need::Checkpoints,
            crate::record::dirs::Need::Staging,
        ],
    )?;
    let err = |e: std::io::Error| format!("{}: {e}", existing.display());
    publish::publish_bytes(
        &p.staging,
        &p.checkpoints,
        &format!("{name}.sig"),
        pem,
        FILE_MODE,
    )
    .map_err(err)?;
    publish::publish_bytes(&p.staging, &p.checkpoints, name, bytes, FILE_MODE).map_err(err)?;
    Ok(true)
}
