//! Loading a case directory: every `*.yaml` beside `casebench.yaml`, in parallel, one
//! result per file, so one bad file never stops the others.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::model::Case;
use super::problem::Problem;
use super::validate;
use crate::store::safe_open::{ReadError, SafeDir};

pub use super::load_options::LoadOptions;
pub use super::settings::SETTINGS_FILE;

/// A case that parsed and validated, with the exact bytes it came from.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    pub case: Case,
    pub path: PathBuf,
    /// SHA-256 of the file's bytes: what a decision record binds to.
    pub sha256: [u8; 32],
}

impl LoadedCase {
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

/// A file that could not be loaded, with every problem found in it.
#[derive(Debug, Clone)]
pub struct InvalidCase {
    pub path: PathBuf,
    pub problems: Vec<Problem>,
}

/// Why a directory could not be loaded at all (not: why a file in it is invalid).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot open the case directory: {source}", path.display())]
    Dir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The case file names in `dir`: every `*.yaml` entry except the settings file, whatever
/// its type (symlinks and FIFOs are listed so that they can be reported).
pub fn case_file_names(dir: &Path) -> Result<Vec<String>, LoadError> {
    let err = |source| LoadError::Dir {
        path: dir.to_path_buf(),
        source,
    };
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let entry = entry.map_err(err)?;
        let Ok(name) = entry.file_name().into_string() else {
            continue; // not UTF-8: cannot be a valid case id anyway
        };
        if name.ends_with(".yaml") && name != SETTINGS_FILE && !name.starts_with('.') {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Loads one case file `name` from `dir`.
pub fn load_one(dir: &SafeDir, name: &str, opts: &LoadOptions) -> Result<LoadedCase, InvalidCase> {
    let path = dir.path().join(name);
    let invalid = |problems| InvalidCase {
        path: path.clone(),
        problems,
    };
    let bytes = dir.read_input(name, opts.max_file_bytes).map_err(|e| {
        let msg = match e {
            ReadError::Io(io) => format!("cannot read: {io}"),
            other => other.to_string(),
        };
        invalid(vec![Problem::file_level(path.clone(), msg)])
    })?;
    let case = parse(&path, &bytes, name, dir.path(), opts).map_err(invalid)?;
    Ok(LoadedCase {
        case,
        sha256: Sha256::digest(&bytes).into(),
        path,
    })
}

/// Parses and validates the bytes of a case file named `name` in `dir`.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    name: &str,
    dir: &Path,
    opts: &LoadOptions,
) -> Result<Case, Vec<Problem>> {
    let src = utf8(path, bytes)?;
    let stem = name.strip_suffix(".yaml").unwrap_or(name);
    let at =
        |v: validate::Violation| Problem::at(path.to_path_buf(), src, v.line, v.column, v.message);
    let case: Case = match crate::yaml::from_str(src) {
        Ok(case) => case,
        Err(e) => {
            return Err(every_problem(src, stem, dir, opts, e)
                .into_iter()
                .map(at)
                .collect());
        }
    };
    let problems = validate::validate(&case, src, stem, dir, opts);
    if problems.is_empty() {
        Ok(case)
    } else {
        Err(problems.into_iter().map(at).collect())
    }
}

/// Every problem of a file that did not load (issue 22): the schema walk over its tree
/// (`schema::walk`), and, where what passed still reads as a case, the other rules of
/// `validate`. Never fewer than the one error the loader met (`first`).
fn every_problem(
    src: &str,
    stem: &str,
    dir: &Path,
    opts: &LoadOptions,
    first: crate::yaml::YamlError,
) -> Vec<validate::Violation> {
    let first = validate::Violation {
        line: first.line,
        column: first.column,
        message: first.message,
    };
    let tree = match crate::yaml::tree::parse(src) {
        Ok(t) => t,
        Err(e) => {
            return vec![validate::Violation {
                line: e.line,
                column: e.column,
                message: e.message,
            }];
        }
    };
    let walked = super::schema::walk::check(src, &tree);
    let mut found = walked.problems;
    if found.is_empty() {
        return vec![first];
    }
    if let Ok(case) = serde_json::from_value::<Case>(walked.passed) {
        let speaks_of_dropped = |v: &validate::Violation| {
            walked
                .dropped
                .iter()
                .any(|k| v.message.contains(&format!("`{k}`")))
        };
        found.extend(
            validate::validate(&case, src, stem, dir, opts)
                .into_iter()
                .filter(|v| !speaks_of_dropped(v)),
        );
        found.sort_by_key(|v| (v.line, v.column));
        found.dedup();
    }
    found
}

/// Checks UTF-8 ourselves so that the error can say where the bad byte is.
fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Vec<Problem>> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        // Column in characters, counting the valid prefix of the line.
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        let bad = bytes[e.valid_up_to()];
        vec![
            Problem::file_level(
                path.to_path_buf(),
                format!("invalid UTF-8 (byte 0x{bad:02X}); case files must be UTF-8 text"),
            )
            .with_position(line as u32, column as u32),
        ]
    })
}

impl Problem {
    fn with_position(mut self, line: u32, column: u32) -> Problem {
        self.line = line;
        self.column = column;
        self
    }
}
