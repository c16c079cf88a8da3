//! `verify --sites DIR`: each mirrored site's log verified on its own, with the same
//! function as a single site's `verify` ([`crate::record::verify::verify_with`]), except
//! case binding: case files never leave their site, so it is "not checkable here".

use std::path::Path;

use super::fetch::mirrored_sites;
use crate::record::verify::{LogReport, Options, verify_with};

/// What a mirror reports in place of the case-binding check.
pub const CASE_BINDING_HERE: &str = "not checkable here (case files stay on site)";

/// One site's result: its report, or why its log could not be read at all.
#[derive(Debug)]
pub struct SiteResult {
    pub site: String,
    pub report: Result<LogReport, String>,
}

impl SiteResult {
    /// The first problem of this site, `None` when its log verifies.
    pub fn first_bad(&self) -> Option<(Option<u64>, String)> {
        match &self.report {
            Ok(r) => r.first_bad(),
            Err(e) => Some((None, e.clone())),
        }
    }
}

/// Verifies every site mirrored in `dir` (see [`super::fetch`]). An error when `dir`
/// holds no site at all: an empty mirror must not pass as a verified one.
pub fn verify_sites(dir: &Path) -> Result<Vec<SiteResult>, String> {
    let sites = mirrored_sites(dir)?;
    if sites.is_empty() {
        return Err(format!(
            "{}: no mirrored site; run `casebench sites fetch --remote URL --into {}` first",
            dir.display(),
            dir.display()
        ));
    }
    let opts = Options {
        no_case_binding: true,
        ..Options::default()
    };
    Ok(sites
        .into_iter()
        .map(|site| SiteResult {
            report: verify_with(&dir.join(site.as_str()), &opts),
            site: site.to_string(),
        })
        .collect())
}
