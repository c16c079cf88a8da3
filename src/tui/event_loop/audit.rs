//! The audit screen's worker: builds the report, signs a checkpoint,
//! off the event loop's thread; each answer comes back as a `Msg::Audit`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Sender;

use crate::audit::report::{AuditReport, record_text};
use crate::rules::CaseSet;
use crate::tui::Options;
use crate::tui::app::Msg;
use crate::tui::effect::AuditEffect;
use crate::tui::screens::audit::{AuditMsg, CheckpointDone};

/// Carries out an audit effect on a worker thread; the answer comes back as a message.
pub fn run_effect(
    options: &Options,
    set: Option<Arc<CaseSet>>,
    effect: AuditEffect,
    tx: Sender<Msg>,
) {
    let cases = options.cases.clone();
    let key = options.key.clone();
    let reviewer = options.reviewer.clone();
    let work = move || {
        let msg = match effect {
            AuditEffect::Load => {
                let empty;
                let set: &CaseSet = match set.as_deref() {
                    Some(s) => s,
                    None => {
                        empty = CaseSet {
                            dir: cases.clone(),
                            cases: Vec::new(),
                            invalid: Vec::new(),
                            ..CaseSet::default()
                        };
                        &empty
                    }
                };
                AuditMsg::Loaded(
                    AuditReport::build(&cases, set)
                        .map(Box::new)
                        .map_err(|e| e.to_string()),
                )
            }
            AuditEffect::Checkpoint => {
                AuditMsg::Checkpoint(checkpoint(&cases, key, reviewer.as_deref()))
            }
            AuditEffect::LoadSites(dir) => {
                AuditMsg::Loaded(crate::audit::sites::build_sites(&dir).map(|a| Box::new(a.report)))
            }
            AuditEffect::SiteRecord { dir, site, seq } => AuditMsg::SiteRecord {
                result: record_text(&dir.join(&site), seq),
                site,
                seq,
            },
        };
        let _ = tx.send(Msg::Audit(msg));
    };
    if let Err(e) = std::thread::Builder::new().name("audit".into()).spawn(work) {
        eprintln!("casebench: cannot start the audit worker: {e}");
    }
}

/// Signs a checkpoint with the officer's key (`--reviewer`, `--key` or the agent). The
/// terminal belongs to the workbench, so an encrypted key file cannot be unlocked here.
fn checkpoint(
    cases: &Path,
    key: Option<PathBuf>,
    reviewer: Option<&str>,
) -> Result<CheckpointDone, String> {
    use crate::record::checkpoint::{covering_head, write_checkpoint};
    use crate::record::model::{NS_AUDIT, format_time};
    use crate::record::signer::resolve_with;
    if let Some((file, cp)) = covering_head(cases)? {
        return Ok(CheckpointDone::Unchanged(format!(
            "nothing written: the log head (record {}) is unchanged since checkpoint {}, signed by {} at {}",
            cp.seq,
            file.display(),
            cp.signer,
            format_time(&cp.time)
        )));
    }
    let time = chrono::Utc::now();
    let mut no_prompt = |_: &str| -> Result<String, String> {
        Err("the key is encrypted: add it to ssh-agent (ssh-add) or run `casebench checkpoint` outside the workbench".into())
    };
    let (principal, mut signer) = resolve_with(
        cases,
        key.as_deref(),
        reviewer,
        NS_AUDIT,
        time,
        &mut no_prompt,
    )?;
    let (path, cp) = write_checkpoint(cases, &principal, &mut signer, time)?;
    Ok(CheckpointDone::Written(format!(
        "checkpoint of record {} ({}) signed by {} with {}, written to {} and {}.sig; keep a \
         copy of both outside this directory{}",
        cp.seq,
        cp.head,
        cp.signer,
        signer.describe(),
        path.display(),
        path.display(),
        signer.warning_note()
    )))
}
