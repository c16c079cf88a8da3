//! The case directory as a whole: every case file (valid and invalid) with the
//! directory's rulebook, whose state overlays set the deadlines. It sits with the rules
//! because it holds them; the case room loads one file at a time ([`crate::case::load`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::Rulebook;
use crate::case::load::{self, InvalidCase, LoadOptions, LoadedCase, case_file_names, load_one};
use crate::case::problem::Problem;
use crate::store::safe_open::SafeDir;

/// Everything a directory holds, valid and invalid, sorted by file name, with the
/// directory's rulebook.
#[derive(Debug, Clone)]
pub struct CaseSet {
    pub dir: PathBuf,
    pub cases: Vec<LoadedCase>,
    pub invalid: Vec<InvalidCase>,
    /// Position of each case by id, built on the first lookup. `cases` is public, so a
    /// lookup checks the position it finds and falls back to a scan if the vector was
    /// changed since (never a wrong answer, only a slower one).
    pub by_id: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// The directory's rulebook (`rules/rulebook.yaml`, else the built-in one). Its state
    /// overlays set the deadlines ([`super::deadline::for_case`]), so the queue, `list`,
    /// `show` and the records all see the same one the advisor applies.
    pub rules: Arc<Rulebook>,
}

impl Default for CaseSet {
    fn default() -> CaseSet {
        CaseSet {
            dir: PathBuf::new(),
            cases: Vec::new(),
            invalid: Vec::new(),
            rules: Arc::new(Rulebook::builtin().clone()),
            by_id: Default::default(),
        }
    }
}

impl CaseSet {
    /// The case with this id: O(1) (the log's records look cases up one by one).
    pub fn get(&self, id: &str) -> Option<&LoadedCase> {
        let index = self.by_id.get_or_init(|| {
            self.cases
                .iter()
                .enumerate()
                .map(|(i, c)| (c.case.id.clone(), i))
                .collect()
        });
        match index.get(id).and_then(|&i| self.cases.get(i)) {
            Some(c) if c.case.id == id => Some(c),
            _ if index.len() == self.cases.len() && !index.contains_key(id) => None,
            _ => self.cases.iter().find(|c| c.case.id == id),
        }
    }

    /// Every problem of every invalid file, in file order.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.invalid.iter().flat_map(|i| i.problems.iter())
    }
}

/// Why a directory could not be loaded at all (not: why a file in it is invalid).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Dir(#[from] load::LoadError),
    /// The directory's override rulebook is broken: never a silent fallback.
    #[error("{0}")]
    Rules(#[from] super::RulebookError),
}

/// Loads every case in `dir`. `progress(done, total)` is called as files finish, from
/// worker threads.
pub fn load_dir(
    dir: &Path,
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<CaseSet, LoadError> {
    let names = case_file_names(dir)?;
    let safe = SafeDir::open(dir).map_err(|source| load::LoadError::Dir {
        path: dir.to_path_buf(),
        source,
    })?;
    let rules = Arc::new(Rulebook::for_case_dir(dir)?);
    // The directory's after-hours rule (`casebench.yaml` `intake:`), for `received`.
    let own;
    let opts = if opts.intake.is_none() {
        own = LoadOptions {
            intake: crate::case::settings::load_settings(dir)
                .ok()
                .flatten()
                .and_then(|s| s.intake),
            ..opts.clone()
        };
        &own
    } else {
        opts
    };
    let total = names.len();
    let done = AtomicUsize::new(0);
    let results: Vec<Result<LoadedCase, InvalidCase>> = names
        .par_iter()
        .map(|name| {
            let r = load_one(&safe, name, opts);
            progress(done.fetch_add(1, Ordering::Relaxed) + 1, total);
            r
        })
        .collect();
    let mut set = CaseSet {
        dir: dir.to_path_buf(),
        cases: Vec::new(),
        invalid: Vec::new(),
        rules,
        by_id: Default::default(),
    };
    for r in results {
        match r {
            Ok(c) => set.cases.push(c),
            Err(i) => set.invalid.push(i),
        }
    }
    Ok(set)
}
