//! `verify --sites DIR`: each mirrored site's log verified on its own, with the same
//! function as a single site's `verify` ([`crate::record::verify::verify_with`]), except
//! case binding: case files never leave their site, so it is "not checkable here".

use std::path::Path;

use super::fetch::mirrored_sites;
use crate::record::verify::{LogIssue, LogReport, Options, Severity, verify_with};

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

/// The sites mirrored in `dir` (see [`super::fetch`]), each verified only when the
/// iterator reaches it: a caller that handles one result before taking the next holds
/// one site's report at a time, whatever the number of sites. An error when `dir`
/// holds no site at all: an empty mirror must not pass as a verified one.
pub fn verify_sites(dir: &Path) -> Result<SiteResults, String> {
    let sites = mirrored_sites(dir)?;
    if sites.is_empty() {
        return Err(super::mirror::no_site_message(dir));
    }
    Ok(SiteResults {
        dir: dir.to_path_buf(),
        sites: sites.into_iter(),
    })
}

/// The iterator of [`verify_sites`].
#[derive(Debug)]
pub struct SiteResults {
    dir: std::path::PathBuf,
    sites: std::vec::IntoIter<crate::case::settings::SiteId>,
}

impl SiteResults {
    /// How many sites are left to verify.
    pub fn remaining(&self) -> usize {
        self.sites.len()
    }
}

impl Iterator for SiteResults {
    type Item = SiteResult;

    fn next(&mut self) -> Option<SiteResult> {
        let site = self.sites.next()?;
        let opts = Options {
            no_case_binding: true,
            ..Options::default()
        };
        Some(SiteResult {
            report: verify_with(&self.dir.join(site.as_str()), &opts)
                .map(|r| against_witness(&self.dir, site.as_str(), r)),
            site: site.to_string(),
        })
    }
}

/// A mirror that a witness cosigned before: a head that does not extend the cosigned
/// one (a branch rewound on the server) is an error of that site, at that seq.
fn against_witness(dir: &Path, site: &str, mut report: LogReport) -> LogReport {
    let issue = match super::witness::remembered(dir, site) {
        Ok(None) => None,
        Ok(Some(rem)) => super::witness::extends(&report, &rem)
            .err()
            .map(|(seq, why)| {
                (
                    Some(seq),
                    format!("does not extend the head the witness cosigned: {why}"),
                )
            }),
        Err(e) => Some((None, format!("witness memory unreadable: {e}"))),
    };
    if let Some((seq, message)) = issue {
        report.issues.push(LogIssue {
            severity: Severity::Error,
            seq,
            file: None,
            message,
        });
    }
    report
}
