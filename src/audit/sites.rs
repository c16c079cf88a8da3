//! The audit of a `--sites` mirror (docs/SITES.md): every site's records in one
//! [`AuditReport`], each row labelled with its site, and one [`SiteState`] per site.
//!
//! Each site is verified on its own by [`crate::sites::verify::verify_sites`] (the
//! function behind `verify --sites`, witness memory included), then turned into rows by
//! [`AuditReport::from_log`] like a single site's log. Case files never leave their
//! site: the rows carry no patient or receipt date, case binding is "not checkable
//! here", and no case is ever counted overdue from a mirror.

use std::path::Path;

use serde::Serialize;

use super::report::{AuditReport, FirstBad};
use crate::record::reviewers;
use crate::rules::CaseSet;
use crate::sites::verify::{SiteResult, verify_sites};

/// What a mirror says in place of the case-binding check, in the reports' own words.
pub const CASE_BINDING: &str = "not checkable here";

/// One site's verification, as `verify --sites` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteState {
    pub site: String,
    pub ok: bool,
    /// The site's log head; none when its log could not be read at all.
    pub head: Option<u64>,
    /// Rows of this site in the report (records and gaps).
    pub records: usize,
    pub first_bad: Option<FirstBad>,
    pub case_binding: &'static str,
}

/// A mirror's audit: the rows of every site (ordered by site, then seq) and each site's
/// state. `report.ok` is true only when every site verifies; `report.head` is the
/// number of records across sites; `report.first_bad` is the first failing site's,
/// its message prefixed with `site <id>:`.
#[derive(Debug, Clone)]
pub struct SitesAudit {
    pub report: AuditReport,
    pub sites: Vec<SiteState>,
}

impl SitesAudit {
    /// The site ids, in order: the workbench's site filter choices.
    pub fn site_ids(&self) -> Vec<String> {
        self.sites.iter().map(|s| s.site.clone()).collect()
    }
}

/// Verifies every site mirrored in `dir` and builds the audit, keeping each row's
/// parsed record (the workbench's detail view shows it). An error only when `dir`
/// holds no site (an empty mirror must not pass as an audited one) or cannot be read.
pub fn build_sites(dir: &Path) -> Result<SitesAudit, String> {
    build_sites_with(dir, true)
}

/// [`build_sites`]; `keep_records: false` drops each row's parsed record once its
/// columns are filled (the headless reports print only the columns). Sites are
/// verified one at a time (see [`each_site`]): what stays is the rows.
pub fn build_sites_with(dir: &Path, keep_records: bool) -> Result<SitesAudit, String> {
    let mut rows = Vec::new();
    let mut audit = each_site(dir, keep_records, |mut site_rows| {
        rows.append(&mut site_rows);
        Ok::<(), String>(())
    })??;
    audit.report.rows = rows;
    Ok(audit)
}

/// Verifies each site mirrored in `dir` in turn and hands its rows (labelled with the
/// site; parsed records kept only with `keep_records`) to `each` before the next site
/// is read: a report written as it goes holds one site at a time. Returns the audit
/// without rows (every site's state, the warnings, the verdict), or `each`'s error.
pub fn each_site<E>(
    dir: &Path,
    keep_records: bool,
    mut each: impl FnMut(Vec<super::AuditRow>) -> Result<(), E>,
) -> Result<Result<SitesAudit, E>, String> {
    let results = verify_sites(dir)?;
    let empty = CaseSet::default();
    let mut all = AuditReport {
        rows: Vec::new(),
        warnings: Vec::new(),
        head: 0,
        ok: true,
        first_bad: None,
    };
    let mut sites = Vec::new();
    for SiteResult { site, report } in results {
        let one = report.map(|log| {
            // reviewers.yaml does not travel: display names only if a mirror has one.
            let people = reviewers::load(&dir.join(&site)).unwrap_or_default();
            AuditReport::from_log(log, &empty, &people)
        });
        let state = match one {
            Ok(mut rep) => {
                for row in &mut rep.rows {
                    row.site = Some(site.clone());
                    if !keep_records {
                        row.record = None;
                    }
                }
                let state = SiteState {
                    site: site.clone(),
                    ok: rep.ok,
                    head: Some(rep.head),
                    records: rep.rows.len(),
                    first_bad: rep.first_bad.clone(),
                    case_binding: CASE_BINDING,
                };
                all.head += rep.head;
                all.warnings
                    .extend(rep.warnings.iter().map(|w| format!("site {site}: {w}")));
                if let Err(e) = each(rep.rows) {
                    return Ok(Err(e));
                }
                state
            }
            Err(message) => SiteState {
                site: site.clone(),
                ok: false,
                head: None,
                records: 0,
                first_bad: Some(FirstBad { seq: None, message }),
                case_binding: CASE_BINDING,
            },
        };
        if !state.ok {
            all.ok = false;
            if all.first_bad.is_none() {
                all.first_bad = state.first_bad.as_ref().map(|b| FirstBad {
                    seq: b.seq,
                    message: format!("site {site}: {}", b.message),
                });
            }
        }
        sites.push(state);
    }
    Ok(Ok(SitesAudit { report: all, sites }))
}
