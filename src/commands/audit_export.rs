//! The audit's outputs for outside the terminal: the board's report (`--report FILE`),
//! the accounting as a letter (`--accounting --patient REF --format pdf|html`), and the
//! FHIR R4 bundle (`--format fhir`). docs/AUDIT.md describes each.

use std::io::Write;

use super::audit_outcome::{exit_for, json_text};
use super::{CommandError, CommandResult, Exit, io_out, load_cases};
use crate::audit::accounting::Accounting;
use crate::audit::accounting_letter::{self, patient_name};
use crate::audit::board;
use crate::audit::document::Letterhead;
use crate::audit::fhir::{self, Exporter, Scope, SignedFiles};
use crate::audit::letters::{self, PaperFormat, with_logo, write_file};
use crate::audit::report::AuditRow;
use crate::audit::sites::build_sites;
use crate::audit::{AuditReport, Filter};
use crate::case::settings::{Settings, load_settings};
use crate::cli::{AuditArgs, AuditFormat, Global};
use crate::record::log::Paths;
use crate::rules::CaseSet;
use crate::text::sanitize_line;

fn usage(s: &str) -> CommandError {
    CommandError::Usage(s.into())
}

/// Refuses the combinations of options that make no sense, before any work.
pub(super) fn check_format(args: &AuditArgs, format: AuditFormat) -> Result<(), CommandError> {
    match format {
        AuditFormat::Pdf | AuditFormat::Html if !(args.accounting && args.patient.is_some()) => {
            Err(usage(
                "--format pdf|html writes the accounting of disclosures as a letter to one \
                 patient: use it with --accounting --patient REF (the board's report is \
                 --report FILE.html|FILE.pdf)",
            ))
        }
        AuditFormat::Fhir if args.summary => Err(usage(
            "--format fhir exports records and disclosures; --summary has figures only (use \
             --summary --format json)",
        )),
        AuditFormat::Fhir | AuditFormat::Pdf | AuditFormat::Html if args.sites.is_some() => {
            Err(usage(
                "--sites with --format fhir, pdf or html: export from each site's own case \
                 directory (a mirror holds no case file, so no patient); the board's report of \
                 a mirror is --sites DIR --report FILE",
            ))
        }
        _ => Ok(()),
    }
}

/// The settings a letter or an export names the entity from.
fn entity_settings(global: &Global) -> Result<Settings, CommandError> {
    load_settings(&global.cases)
        .map_err(|p| CommandError::Usage(format!("casebench.yaml: {}", p.headline())))?
        .ok_or_else(|| {
            CommandError::Usage(format!(
                "{}/casebench.yaml is missing: letters, reports and exports name the entity \
                 (see docs/AUDIT.md)",
                global.cases.display()
            ))
        })
}

/// `audit --report FILE`: the board's report, HTML or PDF by the file's extension.
pub(super) fn report(global: &Global, args: &AuditArgs, format: AuditFormat) -> CommandResult {
    let Some(path) = &args.report else {
        return Ok(Exit::Ok);
    };
    if args.output.is_some() || args.accounting || args.summary || format != AuditFormat::Table {
        return Err(usage(
            "--report FILE writes the whole report to FILE (HTML or PDF by its extension); \
             leave out --output, --accounting, --summary and --format/--json",
        ));
    }
    let paper_format = PaperFormat::of_path(path).ok_or_else(|| {
        usage("--report FILE: name a .html or .pdf file (the extension chooses the format)")
    })?;
    let filter = Filter {
        since: args.since,
        until: args.until,
        ..Filter::default()
    };
    let today = global.today();
    let (report, set, sites, letterhead) = match &args.sites {
        Some(dir) => {
            let audit = build_sites(dir).map_err(|e| CommandError::Io(sanitize_line(&e)))?;
            let names: Vec<&str> = audit.sites.iter().map(|s| s.site.as_str()).collect();
            let letterhead = Letterhead {
                entity: "Compliance office".into(),
                address: format!("{} site(s): {}", names.len(), names.join(", ")),
                ..Letterhead::default()
            };
            (audit.report, CaseSet::default(), audit.sites, letterhead)
        }
        None => {
            let set = load_cases(global)?;
            let log =
                crate::record::verify::verify_log(&global.cases, None).map_err(CommandError::Io)?;
            // As `audit`: the log must still extend what this user verified before.
            if let Err(e) = super::trusted::remember(global, &log)? {
                return super::trusted::refuse(&mut std::io::sink(), &e, false);
            }
            let people = crate::record::reviewers::load(&global.cases).map_err(CommandError::Io)?;
            let report = AuditReport::from_log(log, &set, &people);
            let letterhead = match load_settings(&global.cases).ok().flatten() {
                Some(st) => Letterhead {
                    entity: st.entity.name.clone(),
                    address: st.entity.address.clone(),
                    contact: (!st.site.is_empty()).then(|| st.site.clone()),
                    logo: letters::logo(&global.cases, &st).map_err(CommandError::Usage)?,
                },
                None => Letterhead {
                    entity: global.cases.display().to_string(),
                    ..Letterhead::default()
                },
            };
            (report, set, Vec::new(), letterhead)
        }
    };
    let b = board::build(&report, &set, &filter, today, &sites);
    let doc = board::compose(&b, letterhead);
    let bytes =
        letters::render(&doc, paper_format, args.paper.paper()).map_err(CommandError::Io)?;
    write_file(path, &bytes)
        .map_err(|e| CommandError::Io(format!("writing {}: {e}", path.display())))?;
    crate::text::warn(&format!("wrote {}", path.display()));
    Ok(exit_for(&report))
}

/// `audit --accounting --patient REF --format pdf|html`: the accounting as a letter.
pub(super) fn accounting_letter(
    global: &Global,
    set: &CaseSet,
    a: &Accounting,
    format: AuditFormat,
    args: &AuditArgs,
    out: &mut dyn Write,
) -> CommandResult {
    let settings = entity_settings(global)?;
    if !settings.privacy_contact.is_complete() {
        return Err(usage(
            "casebench.yaml: privacy_contact needs a title and a phone: the letter must say \
             whom to ask and how to complain",
        ));
    }
    let name = a.patient.as_deref().and_then(|p| patient_name(set, p));
    let doc = match accounting_letter::compose(a, &settings, name, global.today()) {
        Ok(d) => d,
        Err(e @ accounting_letter::AccountingLetterError::Unverified(_)) => {
            crate::text::warn(&e.to_string());
            return Ok(Exit::Problems);
        }
        Err(e) => return Err(usage(&e.to_string())),
    };
    let doc = with_logo(doc, &global.cases, &settings).map_err(CommandError::Usage)?;
    let paper_format = if format == AuditFormat::Pdf {
        PaperFormat::Pdf
    } else {
        PaperFormat::Html
    };
    let bytes =
        letters::render(&doc, paper_format, args.paper.paper()).map_err(CommandError::Io)?;
    if paper_format == PaperFormat::Pdf && args.output.is_none() {
        super::write_binary_stdout(out, &bytes)?;
    } else {
        out.write_all(&bytes).map_err(io_out)?;
    }
    Ok(Exit::Ok)
}

/// `audit --format fhir` (and with `--accounting`): the FHIR R4 bundle.
pub(super) fn fhir(
    global: &Global,
    report: &AuditReport,
    scope: Scope<'_>,
    out: &mut dyn Write,
) -> CommandResult {
    let st = entity_settings(global)?;
    let ex = Exporter {
        entity: st.entity.name.clone(),
        site: st
            .sync
            .as_ref()
            .map(|s| s.site.to_string())
            .unwrap_or_else(|| st.site.clone()),
    };
    let log = Paths::new(&global.cases).log;
    let files = |row: &AuditRow| {
        let (bytes, sig) = crate::audit::signed::read_files(&log, row.seq);
        Some(SignedFiles {
            bytes: bytes.ok()?,
            signature: sig?.into_bytes(),
        })
    };
    let export = fhir::export(&ex, report, scope, global.today(), &files);
    out.write_all(json_text(&export.bundle)?.as_bytes())
        .map_err(io_out)?;
    if !export.skipped_unverified.is_empty() {
        let seqs: Vec<String> = export
            .skipped_unverified
            .iter()
            .map(u64::to_string)
            .collect();
        crate::text::warn(&format!(
            "left out of the FHIR bundle: record(s) {} do not verify (see `casebench verify`)",
            seqs.join(", ")
        ));
    }
    Ok(exit_for(report))
}
