//! FHIR R4 export for an audit record repository (`audit --format fhir`): a Bundle of
//! type `collection` in which
//! - each disclosure is an AuditEvent conforming to IHE Basic Audit Log Patterns'
//!   "Privacy Disclosure at Source" profile ([`BALP_SOURCE`]): type DICOM 110106 Export,
//!   subtype ISO 21089 `disclose`, the source, recipient and custodian agents, the
//!   reviewer who decided it, the patient entity and the disclosed data;
//! - each signed record is a Provenance whose `signature` carries the record's SSHSIG,
//!   whose `target` points to a Binary holding the record's exact bytes (so the bundle
//!   alone lets `ssh-keygen -Y verify` check the signature), and whose `agent` is the
//!   signer.
//!
//! Only what the records hold is mapped; docs/AUDIT.md lists where each field comes
//! from. Records that fail verification are left out (their count is returned so the
//! command can say so): an audit repository must not receive what cannot be trusted.

use base64::Engine as _;
use chrono::NaiveDate;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::accounting::Accounting;
use super::report::{AuditReport, AuditRow};
use crate::record::model::{Disclosure, Record, RecordType};

pub const BALP_SOURCE: &str =
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PrivacyDisclosure.Source";
const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const SCT: &str = "http://snomed.info/sct";
/// Identifier systems for what casebench names: the patient reference of a case file, a
/// case, a record of a site's log, an allowed_signers principal.
pub const PATIENT_SYSTEM: &str = "urn:casebench:patient-ref";
pub const CASE_SYSTEM: &str = "urn:casebench:case";
pub const RECORD_SYSTEM: &str = "urn:casebench:record";
pub const PRINCIPAL_SYSTEM: &str = "urn:casebench:principal";

/// Who exports: the entity (custodian of the records) and the site whose log it is.
#[derive(Debug, Clone)]
pub struct Exporter {
    /// `entity.name` of casebench.yaml (or the site id when there is none).
    pub entity: String,
    /// `site` of casebench.yaml, or the site id of a mirror; may be empty.
    pub site: String,
}

/// One record's files as signed: its exact bytes and its signature file.
pub struct SignedFiles {
    pub bytes: Vec<u8>,
    pub signature: Vec<u8>,
}

/// The bundle and what was left out.
pub struct Export {
    pub bundle: Value,
    /// Records left out because they do not verify (failed or missing).
    pub skipped_unverified: Vec<u64>,
}

/// A stable `urn:uuid:` for `what` (the same export gives the same ids): SHA-256 of the
/// name, shaped as an RFC 9562 version 8 UUID.
fn uuid(what: &str) -> String {
    let h = Sha256::digest(what.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "system": system, "code": code, "display": display })
}

/// "The records do not say": FHIR's data-absent-reason extension.
fn absent() -> Value {
    json!({ "extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": "unknown"
    }] })
}

/// `site/seq`: a record's identifier (a log is named by its site).
fn record_id(ex: &Exporter, row: &AuditRow, seq: u64) -> String {
    let site = row.site.as_deref().unwrap_or(ex.site.as_str());
    if site.is_empty() {
        seq.to_string()
    } else {
        format!("{site}/{seq}")
    }
}

fn reviewer_ref(row: &AuditRow, rec: &Record) -> Value {
    let mut v = json!({
        "identifier": { "system": PRINCIPAL_SYSTEM, "value": rec.reviewer },
    });
    if let Some(name) = &row.reviewer_name {
        v["display"] = json!(name);
    }
    v
}

fn instant(rec: &Record) -> String {
    rec.time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One disclosure as a BALP Privacy Disclosure (Source) AuditEvent.
fn audit_event(ex: &Exporter, row: &AuditRow, rec: &Record, i: usize, d: &Disclosure) -> Value {
    let rid = record_id(ex, row, rec.seq);
    let observer = json!({ "display": format!("casebench at {}", if ex.site.is_empty() { &ex.entity } else { &ex.site }) });
    let recipient_network = if d.address.trim().is_empty() {
        absent()
    } else {
        json!({ "address": d.address })
    };
    let patient = match &row.patient_ref {
        Some(p) => json!({
            "type": "Patient",
            "identifier": { "system": PATIENT_SYSTEM, "value": p },
        }),
        None => json!({
            "type": "Patient",
            "display": format!("the patient of case {} (case file not available here)", rec.case),
        }),
    };
    let date = d.date.to_string();
    json!({
        "resourceType": "AuditEvent",
        "id": uuid(&format!("auditevent:{rid}:{i}")),
        "meta": { "profile": [BALP_SOURCE] },
        "type": coding(DCM, "110106", "Export"),
        "subtype": [coding(
            "http://terminology.hl7.org/CodeSystem/iso-21089-lifecycle",
            "disclose",
            "Disclose Record Lifecycle Event",
        )],
        "action": "R",
        "period": { "start": date, "end": date },
        "recorded": instant(rec),
        "outcome": "0",
        "outcomeDesc": format!(
            "Disclosed under {} record {} (outcome {}) of case {}",
            rec.kind.as_str(), rec.seq, rec.outcome, rec.case
        ),
        "purposeOfEvent": [{ "text": d.purpose }],
        "agent": [
            {
                "type": { "coding": [coding(DCM, "110153", "Source Role ID")] },
                "who": observer,
                "requestor": false,
                "network": absent(),
            },
            {
                "type": { "coding": [coding(DCM, "110152", "Destination Role ID")] },
                "who": { "display": d.recipient },
                "name": d.recipient,
                "requestor": false,
                "network": recipient_network,
            },
            {
                "type": { "coding": [coding(SCT, "159541003", "Record keeping/library clerk")] },
                "who": { "display": ex.entity },
                "requestor": false,
            },
            {
                "type": { "coding": [coding(
                    "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                    "RESP",
                    "responsible party",
                )] },
                "who": reviewer_ref(row, rec),
                "requestor": false,
            },
        ],
        "source": {
            "site": if ex.site.is_empty() { &ex.entity } else { &ex.site },
            "observer": observer,
            "type": [coding(
                "http://terminology.hl7.org/CodeSystem/security-source-type",
                "4",
                "Application Server",
            )],
        },
        "entity": [
            {
                "what": patient,
                "type": coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"),
                "role": coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"),
            },
            {
                "what": {
                    "identifier": { "system": RECORD_SYSTEM, "value": rid },
                    "display": format!("decision record {} of case {}", rec.seq, rec.case),
                },
                "type": coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"),
                "role": coding("http://terminology.hl7.org/CodeSystem/object-role", "3", "Report"),
                "name": "the information disclosed",
                "description": d.description,
            },
        ],
    })
}

/// A signed record as a Binary (its exact bytes) and a Provenance carrying its SSHSIG.
fn provenance(ex: &Exporter, row: &AuditRow, rec: &Record, files: &SignedFiles) -> [Value; 2] {
    let rid = record_id(ex, row, rec.seq);
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let binary_id = uuid(&format!("binary:{rid}"));
    let binary = json!({
        "resourceType": "Binary",
        "id": binary_id,
        "contentType": "application/yaml",
        "data": b64(&files.bytes),
    });
    let who = reviewer_ref(row, rec);
    let mut entities = vec![json!({
        "role": "source",
        "what": {
            "identifier": { "system": CASE_SYSTEM, "value": rec.case },
            "display": format!("case file {} (sha256 {}), as the reviewer saw it", rec.case, rec.case_sha256),
        },
    })];
    if let Some(prev) = rec.reviews.or(rec.countersigns) {
        entities.push(json!({
            "role": "revision",
            "what": {
                "identifier": { "system": RECORD_SYSTEM, "value": record_id(ex, row, prev) },
                "display": format!("record {prev}, which this {} answers", rec.kind.as_str()),
            },
        }));
    }
    let prov = json!({
        "resourceType": "Provenance",
        "id": uuid(&format!("provenance:{rid}")),
        "target": [{
            "reference": format!("urn:uuid:{binary_id}"),
            "type": "Binary",
            "identifier": { "system": RECORD_SYSTEM, "value": rid },
            "display": format!("{} record {} of case {}: outcome {}", rec.kind.as_str(), rec.seq, rec.case, rec.outcome),
        }],
        "recorded": instant(rec),
        "policy": [format!("urn:casebench:allowed-signers:{}", rec.policy)],
        "agent": [{
            "type": { "coding": [coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type",
                "author",
                "Author",
            )] },
            "who": who,
        }],
        "entity": entities,
        "signature": [{
            "type": [coding("urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.1", "Author's Signature")],
            "when": instant(rec),
            "who": reviewer_ref(row, rec),
            "targetFormat": "application/yaml",
            "sigFormat": "application/x-ssh-signature",
            "data": b64(&files.signature),
        }],
    });
    [binary, prov]
}

/// What to export.
pub enum Scope<'a> {
    /// Every disclosure and every signed record of these rows (the audit's date filter
    /// applied): `audit --format fhir`.
    Log(&'a [&'a AuditRow]),
    /// The accounting's entries (164.528), and the records they come from:
    /// `audit --accounting --format fhir`.
    Accounting(&'a Accounting),
}

/// Builds the bundle. `files` reads a record's exact bytes and signature (by row); a
/// record whose files cannot be read is left out like one that does not verify.
pub fn export(
    ex: &Exporter,
    report: &AuditReport,
    scope: Scope<'_>,
    timestamp: NaiveDate,
    files: &dyn Fn(&AuditRow) -> Option<SignedFiles>,
) -> Export {
    let mut entries: Vec<Value> = Vec::new();
    let mut skipped = Vec::new();
    let provided = super::accounting::provided_on(report);
    let mut push = |v: Value| {
        let id = v["id"].as_str().unwrap_or_default().to_string();
        entries.push(json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": v }));
    };
    // (row, disclosures to export) in log order.
    let selected: Vec<(&AuditRow, Vec<usize>)> = match scope {
        Scope::Log(rows) => rows
            .iter()
            .map(|r| {
                // A countersignature's disclosures are the countersigned record's own.
                let n = r
                    .record
                    .as_ref()
                    .filter(|rec| matches!(rec.kind, RecordType::Decision | RecordType::Review))
                    .map_or(0, |rec| rec.disclosures.len());
                (*r, (0..n).collect())
            })
            .collect(),
        Scope::Accounting(a) => {
            let mut by_seq: Vec<(&AuditRow, Vec<usize>)> = Vec::new();
            for e in &a.entries {
                let Some(row) = report.row(e.seq) else {
                    continue;
                };
                match by_seq.iter_mut().find(|(r, _)| r.seq == row.seq) {
                    Some((_, v)) => v.push(e.disclosure),
                    None => by_seq.push((row, vec![e.disclosure])),
                }
            }
            by_seq
        }
    };
    for (row, disclosures) in selected {
        let Some(rec) = row.record.as_ref() else {
            skipped.push(row.seq);
            continue;
        };
        if row.verification.is_broken() || rec.kind == RecordType::Practice {
            if row.verification.is_broken() {
                skipped.push(row.seq);
            }
            continue;
        }
        let Some(f) = files(row) else {
            skipped.push(row.seq);
            continue;
        };
        for i in disclosures {
            if let Some(d) = rec.disclosures.get(i) {
                // Dated by the disclosure made (its provision), as the accounting is.
                let mut d = d.clone();
                if let Some(day) = provided.get(&rec.seq) {
                    d.date = *day;
                }
                push(audit_event(ex, row, rec, i, &d));
            }
        }
        for v in provenance(ex, row, rec, &f) {
            push(v);
        }
    }
    let bundle = json!({
        "resourceType": "Bundle",
        "id": uuid(&format!("bundle:{}:{}:{}", ex.entity, ex.site, timestamp)),
        "meta": { "lastUpdated": format!("{timestamp}T00:00:00Z") },
        "type": "collection",
        "timestamp": format!("{timestamp}T00:00:00Z"),
        "entry": entries,
    });
    Export {
        bundle,
        skipped_unverified: skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::uuid;

    #[test]
    fn ids_are_stable_version_8_uuids() {
        let a = uuid("x");
        assert_eq!(a, uuid("x"));
        assert_ne!(a, uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
