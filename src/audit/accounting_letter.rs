//! The accounting of disclosures as a letter to the patient (45 CFR 164.528(c);
//! RULEBOOK R20): every disclosure the accounting includes for one patient in the
//! window, with the four elements of 164.528(b)(2) (date; recipient and address;
//! what was disclosed; why), on the entity's letterhead.
//!
//! The entries are exactly those of [`accounting::accounting`] (the function behind
//! `audit --accounting`); disclosures the rule excludes are not listed to the patient
//! (the officer sees them, with the reason, in the table and JSON).

use chrono::NaiveDate;

use super::accounting::Accounting;
use super::document::{Block, Document, Letterhead, Table};
use super::notice::complaint_route;
use crate::case::Relationship;
use crate::case::settings::Settings;
use crate::rules::CaseSet;

/// Why no accounting letter is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountingLetterError {
    #[error("an accounting letter goes to one patient: add --patient REF")]
    NoPatient,
    #[error(
        "record(s) {0} do not verify: an accounting letter is not written from records that cannot be trusted; check those entries against your other documentation (casebench audit --accounting lists them, marked FAILED)"
    )]
    Unverified(String),
}

/// To whom the letter is addressed: the name the patient gave in their own request,
/// when a case of theirs holds one (the latest), else "the patient".
pub fn patient_name(set: &CaseSet, patient_ref: &str) -> Option<String> {
    set.cases
        .iter()
        .map(|lc| &lc.case)
        .filter(|c| c.patient.reference == patient_ref)
        .filter_map(|c| {
            let r = c.request.as_ref()?;
            (r.requester.relationship == Relationship::SelfPatient)
                .then(|| (c.received, r.requester.name.clone()))
        })
        .max_by_key(|(received, _)| *received)
        .map(|(_, name)| name)
}

/// The letter for the accounting `a` (which must name one patient), dated `date`.
pub fn compose(
    a: &Accounting,
    settings: &Settings,
    name: Option<String>,
    date: NaiveDate,
) -> Result<Document, AccountingLetterError> {
    let patient = a.patient.clone().ok_or(AccountingLetterError::NoPatient)?;
    let broken: Vec<String> = a
        .entries
        .iter()
        .filter(|e| e.verification.is_broken())
        .map(|e| e.seq)
        .collect::<std::collections::BTreeSet<u64>>()
        .iter()
        .map(u64::to_string)
        .collect();
    if !broken.is_empty() {
        return Err(AccountingLetterError::Unverified(broken.join(", ")));
    }
    let contact = format!(
        "{}, {}, telephone {}",
        settings.privacy_contact.title, settings.entity.name, settings.privacy_contact.phone
    );
    let mut b = vec![Block::Fields(vec![
        ("Date".into(), date.to_string()),
        (
            "To".into(),
            name.unwrap_or_else(|| format!("the patient (our reference {patient})")),
        ),
        (
            "Regarding".into(),
            format!(
                "disclosures of the health information of patient {patient}, {} to {}",
                a.from, a.to
            ),
        ),
    ])];
    b.push(Block::Para(format!(
        "You have the right to know when we disclosed your health information to others \
         (45 CFR 164.528). This letter lists each disclosure we must account for that we made \
         from {} to {}: its date, who received the information and their address if we know \
         it, a brief description of what was disclosed, and why.",
        a.from, a.to
    )));
    b.push(Block::Para(
        "The law does not require us to list some disclosures: for example those made to you, \
         those you authorized in writing, and those for your treatment, for payment or for our \
         health care operations (45 CFR 164.528(a)(1))."
            .into(),
    ));
    b.push(Block::Heading("Disclosures we made".into()));
    if a.entries.is_empty() {
        b.push(Block::Para(format!(
            "We made no disclosure of your health information from {} to {} that the law \
             requires us to list.",
            a.from, a.to
        )));
    } else {
        b.push(Block::Table(Table {
            header: vec![
                "Date".into(),
                "Who received it".into(),
                "Their address".into(),
                "What was disclosed".into(),
                "Why".into(),
            ],
            rows: a
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        e.recipient.clone(),
                        if e.address.trim().is_empty() {
                            "not known".into()
                        } else {
                            e.address.clone()
                        },
                        e.description.clone(),
                        e.purpose.clone(),
                    ]
                })
                .collect(),
            widths: vec![2, 3, 3, 4, 4],
        }));
        b.push(Block::Para(format!(
            "{} disclosure(s) in all.",
            a.entries.len()
        )));
    }
    b.push(Block::Heading("About this accounting".into()));
    b.push(Block::Para(format!(
        "The first accounting you ask for in any 12 months is free (45 CFR 164.528(c)(2)). If \
         you have a question about this list, contact the {contact}."
    )));
    b.extend(complaint_route(
        "your rights",
        &contact,
        "45 CFR 164.530(d), 160.306",
    ));
    Ok(Document {
        title: "Accounting of disclosures of your health information".into(),
        letterhead: Letterhead {
            entity: settings.entity.name.clone(),
            address: settings.entity.address.clone(),
            contact: Some(format!(
                "{}, telephone {}",
                settings.privacy_contact.title, settings.privacy_contact.phone
            )),
            logo: None,
        },
        blocks: b,
        footer: format!(
            "{} · {date} · accounting of disclosures for patient {patient}, {} to {}",
            settings.entity.name, a.from, a.to
        ),
    })
}
