//! Where a memory check reads the log from: the files (with their listing), or a
//! verification that read them all.

use super::{TrustError, io_error};
use crate::record::log::{self, MAX_RECORD_BYTES, Paths};
use crate::record::model::sha256_link;
use crate::record::verify::{LogDir, LogReport, Name};

/// Reads record `seq`'s bytes; `None` when there is no such file.
pub(super) fn read_opt(dir: &LogDir, seq: u64) -> Result<Option<Vec<u8>>, TrustError> {
    read_file_opt(dir, &Name::new(seq, false), MAX_RECORD_BYTES)
}

fn read_file_opt(dir: &LogDir, name: &Name, limit: u64) -> Result<Option<Vec<u8>>, TrustError> {
    let mut buf = Vec::new();
    match dir.read_into(name, limit, &mut buf) {
        Ok(()) => Ok(Some(buf)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) if crate::store::access::is_denied(&e) => {
            Err(io_error(&dir.path().join(name.as_str()), &e))
        }
        Err(e) => Err(TrustError::Damaged {
            seq: None,
            message: format!("{}: cannot read: {e}", name.as_str()),
        }),
    }
}

/// Where a session reads the log from: the files, or a verification that read them all.
pub(super) enum Source<'a> {
    Files(Option<LogDir>),
    Report(&'a LogReport),
}

impl Source<'_> {
    /// (record link, signature link) of record `seq`, if there is one.
    pub(super) fn links(&self, seq: u64) -> Result<Option<(String, String)>, TrustError> {
        match self {
            Source::Files(None) => Ok(None),
            Source::Files(Some(dir)) => {
                let Some(rec) = read_opt(dir, seq)? else {
                    return Ok(None);
                };
                let sig = read_file_opt(dir, &Name::new(seq, true), 64 * 1024)?;
                Ok(Some((
                    sha256_link(&rec),
                    sig.map_or_else(String::new, |s| sha256_link(&s)),
                )))
            }
            Source::Report(r) => Ok(r
                .records
                .iter()
                .find(|x| x.seq == seq)
                .filter(|x| !x.link.is_empty())
                .map(|x| (x.link.clone(), x.sig_link.clone()))),
        }
    }

    /// The highest seq of a record in the log.
    pub(super) fn ends_at(&self, p: &Paths) -> Result<u64, TrustError> {
        match self {
            Source::Files(None) => Ok(0),
            Source::Files(Some(_)) => Ok(listing(p)?.max),
            Source::Report(r) => Ok(r.head),
        }
    }
}

/// What `decisions/log/` holds, by name: every record up to the highest, each with its
/// signature (a signature after the last record is an append in flight or interrupted).
pub(super) struct Listing {
    pub(super) max: u64,
    pub(super) problem: Option<(u64, String)>,
    pub(super) warning: Option<String>,
    /// Temporaries of older versions, left in the log itself.
    pub(super) temps: bool,
}

pub(super) fn listing(p: &Paths) -> Result<Listing, TrustError> {
    let rd = match std::fs::read_dir(&p.log) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Listing {
                max: 0,
                problem: None,
                warning: None,
                temps: false,
            });
        }
        Err(e) => return Err(io_error(&p.log, &e)),
    };
    let (mut records, mut sigs) = (Vec::new(), Vec::new());
    let mut temps = false;
    for entry in rd {
        let entry = entry.map_err(|e| io_error(&p.log, &e))?;
        let name = entry.file_name();
        temps |= name
            .as_encoded_bytes()
            .starts_with(crate::store::publish::TEMP_PREFIX.as_bytes());
        let parsed = crate::record::verify::usual_name(name.as_encoded_bytes())
            .or_else(|| log::parse_name(&name.to_string_lossy()));
        if let Some((seq, sig)) = parsed {
            if sig { &mut sigs } else { &mut records }.push(seq);
        }
    }
    records.sort_unstable();
    sigs.sort_unstable();
    let max = records.last().copied().unwrap_or(0);
    let mut out = Listing {
        max,
        problem: None,
        warning: None,
        temps,
    };
    if let Some(missing) = records
        .iter()
        .enumerate()
        .find(|&(i, &s)| s != i as u64 + 1)
        .map(|(i, _)| i as u64 + 1)
    {
        out.problem = Some((
            missing,
            format!(
                "record {missing} is missing ({} deleted?)",
                log::record_name(missing)
            ),
        ));
        return Ok(out);
    }
    if let Some(&s) = records.iter().find(|s| sigs.binary_search(s).is_err()) {
        out.problem = Some((
            s,
            format!(
                "{}: no signature ({} missing)",
                log::record_name(s),
                log::sig_name(s)
            ),
        ));
        return Ok(out);
    }
    for &s in sigs.iter().filter(|s| records.binary_search(s).is_err()) {
        if s == max + 1 {
            out.warning = Some(format!(
                "{}: signature of an interrupted (or running) append, without its record",
                log::sig_name(s)
            ));
        } else {
            out.problem = Some((
                s,
                format!(
                    "{}: orphaned signature: its record {s} is missing",
                    log::sig_name(s)
                ),
            ));
            return Ok(out);
        }
    }
    Ok(out)
}
