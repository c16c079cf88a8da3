//! The letterhead's logo (`entity.logo` in `casebench.yaml`): read from inside the case
//! directory only, at most [`MAX_LOGO_BYTES`], and only when its bytes are what its name
//! says (a PNG, a JPEG or an SVG image).
//!
//! The path itself is checked when the settings are read ([`LogoPath`]: relative, no
//! `..`, no hidden component); here the directories it passes through must resolve
//! inside the case directory (a symlinked folder pointing elsewhere is refused), the
//! file must be a regular file with one link and no symlink (as every input is read,
//! `store::safe_open`), and its content must match its kind.

use std::path::Path;

use crate::case::settings::LogoPath;
use crate::store::safe_open::SafeDir;

/// A logo larger than this is refused: a letterhead needs a few kilobytes.
pub const MAX_LOGO_BYTES: u64 = 512 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogoKind {
    Png,
    Jpeg,
    Svg,
}

impl LogoKind {
    pub fn mime(self) -> &'static str {
        match self {
            LogoKind::Png => "image/png",
            LogoKind::Jpeg => "image/jpeg",
            LogoKind::Svg => "image/svg+xml",
        }
    }

    fn name(self) -> &'static str {
        match self {
            LogoKind::Png => "a PNG image",
            LogoKind::Jpeg => "a JPEG image",
            LogoKind::Svg => "an SVG image",
        }
    }

    /// What the file name promises.
    fn of_name(name: &str) -> Option<LogoKind> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".png") {
            Some(LogoKind::Png)
        } else if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
            Some(LogoKind::Jpeg)
        } else if lower.ends_with(".svg") {
            Some(LogoKind::Svg)
        } else {
            None
        }
    }

    /// Do the bytes start as this kind of file does?
    fn matches(self, bytes: &[u8]) -> bool {
        match self {
            LogoKind::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            LogoKind::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            LogoKind::Svg => {
                let Ok(text) = std::str::from_utf8(bytes) else {
                    return false;
                };
                let head: String = text.chars().take(4096).collect();
                let t = head.trim_start_matches('\u{feff}').trim_start();
                (t.starts_with("<?xml") || t.starts_with("<svg") || t.starts_with("<!--"))
                    && head.contains("<svg")
            }
        }
    }
}

/// A logo read and checked: ready for a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub kind: LogoKind,
    pub bytes: Vec<u8>,
}

/// Reads the logo `path` of the case directory `cases`. The error says what is wrong in
/// the words of `casebench check` (the path as written, and what was expected).
pub fn load_logo(cases: &Path, path: &LogoPath) -> Result<Logo, String> {
    let what = |why: String| {
        format!(
            "casebench.yaml: entity.logo `{}`: {why}",
            crate::text::sanitize_line(path.as_str())
        )
    };
    let parts: Vec<&str> = path.components().collect();
    let Some((name, dirs)) = parts.split_last() else {
        return Err(what("empty".into()));
    };
    let kind = LogoKind::of_name(name)
        .ok_or_else(|| what("expected a .png, .jpg, .jpeg or .svg file".into()))?;
    let root = cases
        .canonicalize()
        .map_err(|e| what(format!("cannot open the case directory: {e}")))?;
    let parent = dirs.iter().fold(cases.to_path_buf(), |p, d| p.join(d));
    let parent = parent
        .canonicalize()
        .map_err(|e| what(format!("cannot open its folder: {e}")))?;
    if !parent.starts_with(&root) {
        return Err(what(
            "its folder leads outside the case directory (a symbolic link?); keep the logo \
             inside it"
                .into(),
        ));
    }
    let dir = SafeDir::open(&parent).map_err(|e| what(format!("cannot open its folder: {e}")))?;
    let bytes = dir
        .read_input(name, MAX_LOGO_BYTES)
        .map_err(|e| what(e.to_string()))?;
    if !kind.matches(&bytes) {
        return Err(what(format!(
            "the file is not {} (its first bytes say otherwise)",
            kind.name()
        )));
    }
    Ok(Logo { kind, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logo(p: &str) -> LogoPath {
        LogoPath::try_from(p.to_string()).unwrap()
    }

    #[test]
    fn reads_only_what_it_claims_to_be_inside_the_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let cases = tmp.path().join("cases");
        std::fs::create_dir_all(cases.join("letterhead")).unwrap();
        std::fs::write(cases.join("letterhead/logo.png"), b"\x89PNG\r\n\x1a\n0000").unwrap();
        std::fs::write(cases.join("letterhead/fake.png"), b"GIF89a").unwrap();
        std::fs::write(
            cases.join("letterhead/l.svg"),
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap();
        std::fs::write(
            cases.join("big.jpg"),
            vec![0xFFu8; MAX_LOGO_BYTES as usize + 1],
        )
        .unwrap();
        let l = load_logo(&cases, &logo("letterhead/logo.png")).unwrap();
        assert_eq!(l.kind, LogoKind::Png);
        assert_eq!(
            load_logo(&cases, &logo("letterhead/l.svg")).unwrap().kind,
            LogoKind::Svg
        );
        let e = load_logo(&cases, &logo("letterhead/fake.png")).unwrap_err();
        assert!(e.contains("not a PNG image"), "{e}");
        let e = load_logo(&cases, &logo("big.jpg")).unwrap_err();
        assert!(e.contains("entity.logo `big.jpg`"), "{e}");
        let e = load_logo(&cases, &logo("missing.png")).unwrap_err();
        assert!(e.contains("missing.png"), "{e}");
        // A folder that is a symlink out of the directory.
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
        std::os::unix::fs::symlink(&outside, cases.join("out")).unwrap();
        let e = load_logo(&cases, &logo("out/logo.png")).unwrap_err();
        assert!(e.contains("outside the case directory"), "{e}");
        // A symlinked file is refused too.
        std::os::unix::fs::symlink(outside.join("logo.png"), cases.join("link.png")).unwrap();
        assert!(load_logo(&cases, &logo("link.png")).is_err());
    }
}
