//! Reading a record's bytes: the fast reader for canonical records, the YAML reader for
//! everything else, and canonical form required of both. Its own file so that the model
//! does not read the fast reader, which reads the model.

use super::model::{Record, RecordFormatError};

impl Record {
    /// Parses record bytes, checks the fields' shapes, and requires canonical form.
    pub fn from_bytes(bytes: &[u8]) -> Result<Record, RecordFormatError> {
        let src = std::str::from_utf8(bytes).map_err(|_| RecordFormatError::Utf8)?;
        // Fast path: canonical records, recognised by being written back identically.
        if let Some(rec) = super::fastread::read(src)
            && rec.check_fields().is_ok()
            && rec.to_bytes() == bytes
        {
            return Ok(rec);
        }
        Record::from_bytes_yaml(bytes)
    }

    /// The general path of [`Record::from_bytes`]: the YAML reader, then the checks.
    pub fn from_bytes_yaml(bytes: &[u8]) -> Result<Record, RecordFormatError> {
        let src = std::str::from_utf8(bytes).map_err(|_| RecordFormatError::Utf8)?;
        let rec: Record = crate::yaml::from_str(src).map_err(|e| RecordFormatError::Yaml {
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        rec.check_fields().map_err(RecordFormatError::Field)?;
        let again = rec.to_bytes();
        if again != bytes {
            let line = first_difference_line(bytes, &again);
            return Err(RecordFormatError::NotCanonical(line));
        }
        Ok(rec)
    }
}

/// The line of `a` where it first differs from `b`.
fn first_difference_line(a: &[u8], b: &[u8]) -> usize {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    a[..at.min(a.len())].iter().filter(|&&c| c == b'\n').count() + 1
}
