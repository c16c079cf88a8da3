//! The workbench's configuration files, read as plain data: `<config dir>/keys.yaml`
//! (key bindings) and `<config dir>/themes/NAME.yaml` (colours). Parsing lives here, in
//! the library, so that the TUI only turns this data into key codes and styles and never
//! parses a file format itself. The formats are documented in docs/WORKBENCH.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// keys.yaml: `context: { action: [key, ...] }`; a listed action's keys replace its
/// defaults in that context.
pub type KeysFile = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// A theme file: its name and a style per role (a role left out inherits `normal`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFile {
    pub name: String,
    #[serde(default)]
    pub roles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    #[serde(default)]
    pub fg: Option<String>,
    #[serde(default)]
    pub bg: Option<String>,
    #[serde(default)]
    pub modifiers: Vec<String>,
}

/// Parses keys.yaml text; errors read `line:column: message`.
pub fn parse_keys(src: &str) -> Result<KeysFile, String> {
    crate::yaml::from_str(src).map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
}

/// Parses a theme file's text; errors read `line:column: message`.
pub fn parse_theme(src: &str) -> Result<ThemeFile, String> {
    crate::yaml::from_str(src).map_err(|e| format!("{}:{}: {}", e.line, e.column, e.message))
}

/// `<config dir>/keys.yaml` and its path, if there is a config dir and the file exists.
/// Errors name the file.
pub fn read_keys(config_dir: Option<&Path>) -> Result<Option<(PathBuf, KeysFile)>, String> {
    let Some(dir) = config_dir else {
        return Ok(None);
    };
    read_optional(&dir.join("keys.yaml"), parse_keys)
}

/// `<config dir>/themes/NAME.yaml` and its path, if it exists (`name` must already be a
/// plain name). Errors name the file.
pub fn read_theme(
    config_dir: Option<&Path>,
    name: &str,
) -> Result<Option<(PathBuf, ThemeFile)>, String> {
    let Some(dir) = config_dir else {
        return Ok(None);
    };
    read_optional(
        &dir.join("themes").join(format!("{name}.yaml")),
        parse_theme,
    )
}

fn read_optional<T>(
    path: &Path,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<(PathBuf, T)>, String> {
    match std::fs::read_to_string(path) {
        Ok(src) => parse(&src)
            .map(|data| Some((path.to_path_buf(), data)))
            .map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_files_and_names_the_file_in_errors() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(read_keys(Some(tmp.path())).unwrap().is_none());
        assert!(read_keys(None).unwrap().is_none());
        std::fs::write(tmp.path().join("keys.yaml"), "queue:\n  down: [n]\n").unwrap();
        let (path, keys) = read_keys(Some(tmp.path())).unwrap().unwrap();
        assert_eq!(path, tmp.path().join("keys.yaml"));
        assert_eq!(keys["queue"]["down"], ["n"]);
        std::fs::write(tmp.path().join("keys.yaml"), "queue: [n]\n").unwrap();
        let err = read_keys(Some(tmp.path())).unwrap_err();
        assert!(err.contains("keys.yaml: 1:"), "{err}");

        std::fs::create_dir(tmp.path().join("themes")).unwrap();
        std::fs::write(
            tmp.path().join("themes/mine.yaml"),
            "name: mine\nroles:\n  normal: { fg: white }\n",
        )
        .unwrap();
        let (_, theme) = read_theme(Some(tmp.path()), "mine").unwrap().unwrap();
        assert_eq!(theme.roles["normal"].fg.as_deref(), Some("white"));
        assert!(read_theme(Some(tmp.path()), "other").unwrap().is_none());
        let err = parse_theme("name: x\ncolours: {}\n").unwrap_err();
        assert!(err.starts_with("2:1: unknown key `colours`"), "{err}");
    }
}
