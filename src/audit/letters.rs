//! Letters and reports on paper: a composed [`Document`] with the letterhead's logo,
//! rendered as PDF or HTML, and written to a file so that it appears whole or not at all.
//!
//! `casebench notice --format pdf|html`, `audit --accounting --format pdf|html`,
//! `audit --report` and the workbench's record view all go through [`render`] and
//! [`write_file`].

use std::path::{Path, PathBuf};

use super::document::Document;
use super::letterhead::load_logo;
use super::pdf::{self, Paper};
use crate::case::settings::Settings;

/// The two paper formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaperFormat {
    Pdf,
    Html,
}

impl PaperFormat {
    pub fn extension(self) -> &'static str {
        match self {
            PaperFormat::Pdf => "pdf",
            PaperFormat::Html => "html",
        }
    }

    /// From a file name's extension (`.pdf`, `.html`, `.htm`), for `--report FILE`.
    pub fn of_path(path: &Path) -> Option<PaperFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(PaperFormat::Pdf),
            "html" | "htm" => Some(PaperFormat::Html),
            _ => None,
        }
    }
}

/// Puts the logo of `casebench.yaml` (if it names one) on the document's letterhead.
pub fn with_logo(mut doc: Document, cases: &Path, settings: &Settings) -> Result<Document, String> {
    doc.letterhead.logo = logo(cases, settings)?;
    Ok(doc)
}

/// The logo `casebench.yaml` names, read and checked; none when it names none.
pub fn logo(cases: &Path, settings: &Settings) -> Result<Option<super::letterhead::Logo>, String> {
    settings
        .entity
        .logo
        .as_ref()
        .map(|path| load_logo(cases, path))
        .transpose()
}

/// The document as PDF or HTML bytes.
pub fn render(doc: &Document, format: PaperFormat, paper: Paper) -> Result<Vec<u8>, String> {
    match format {
        PaperFormat::Pdf => pdf::render(doc, paper).map_err(|e| e.to_string()),
        PaperFormat::Html => Ok(super::html::render(doc, paper).into_bytes()),
    }
}

/// Writes `bytes` to `path`: a temporary file beside it (created exclusively, mode
/// 0600 as a letter about a patient deserves), fsynced, renamed over `path`, the folder
/// fsynced. A reader sees the old file or the new one, never half of one; a failure
/// leaves no temporary behind.
pub fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use crate::store::publish::{TEMP_PREFIX, create_exclusive, fsync_dir};
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| std::io::Error::other(format!("{}: not a file name", path.display())))?;
    let tmp_name = format!("{TEMP_PREFIX}{}.{name}", std::process::id());
    let _ = std::fs::remove_file(dir.join(&tmp_name));
    let (tmp, file) = create_exclusive(&dir, &tmp_name, bytes, 0o600)?;
    let done = file
        .sync_all()
        .and_then(|()| std::fs::rename(&tmp, path))
        .and_then(|()| fsync_dir(&dir));
    if let Err(e) = done {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(path.to_path_buf())
}

/// A file name for a letter nobody named: `notice-<case>-<seq>.<ext>` in `dir`, with
/// `-2`, `-3`... when the name is taken (the workbench never replaces a file).
pub fn fresh_name(dir: &Path, stem: &str, format: PaperFormat) -> PathBuf {
    let clean: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ext = format.extension();
    let mut path = dir.join(format!("{clean}.{ext}"));
    let mut n = 2;
    while path.symlink_metadata().is_ok() {
        path = dir.join(format!("{clean}-{n}.{ext}"));
        n += 1;
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_names_fresh_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("letter.pdf");
        write_file(&p, b"one").unwrap();
        write_file(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary left");
        assert!(write_file(&tmp.path().join("no/such/dir.pdf"), b"x").is_err());
        let f = fresh_name(tmp.path(), "letter", PaperFormat::Pdf);
        assert_eq!(f, tmp.path().join("letter-2.pdf"));
        let f = fresh_name(tmp.path(), "notice-AR/../x 1", PaperFormat::Html);
        assert_eq!(f, tmp.path().join("notice-AR____x_1.html"));
        assert_eq!(
            PaperFormat::of_path(Path::new("r.HTM")),
            Some(PaperFormat::Html)
        );
        assert_eq!(PaperFormat::of_path(Path::new("r.txt")), None);
    }
}
