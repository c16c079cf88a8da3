//! The written notice of a denial or partial denial of access: 45 CFR 164.524(d)(2)
//! (RULEBOOK R9, R10), in plain language.
//!
//! Elements, each always present when it applies:
//! - what is released and what is withheld (a partial denial gives access to the rest);
//! - (d)(2)(i) the basis for withholding each item;
//! - (d)(2)(ii) review rights and how to use them where a ground is reviewable, and a
//!   plain statement that there is no review where it is not;
//! - (d)(2)(iii) how to complain to the entity (contact title and telephone) and to the
//!   Secretary of HHS (Office for Civil Rights);
//! - for an extension (164.524(b)(2)(ii)), the reason for the delay and the new date;
//! - where the entity knows another holder of the record, where to send the request
//!   (164.524(d)(3)).

use chrono::NaiveDate;

use super::addressee::Addressee;
use super::document::{Block, Document, Letterhead, to_text};
use crate::case::settings::Settings;

/// How HHS's Office for Civil Rights takes complaints (45 CFR 160.306).
pub const OCR_COMPLAINT_ROUTE: &str = "the U.S. Department of Health and Human Services, \
Office for Civil Rights, 200 Independence Avenue SW, Washington, DC 20201; telephone \
1-800-368-1019; online at www.hhs.gov/ocr/complaints";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFormat {
    Text,
    Markdown,
}

/// One withheld record item and the ground it is withheld on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithheldItem {
    pub description: String,
    /// Plain-language statement of the ground, e.g. "psychotherapy notes kept separately".
    pub basis: String,
    pub citation: String,
    /// 164.524(a)(3) grounds give a right to review; (a)(1)-(2) grounds do not.
    pub reviewable: bool,
}

/// Everything a notice says, gathered from the decision record, the case and the rulebook.
#[derive(Debug, Clone)]
pub struct NoticeInput<'a> {
    pub settings: &'a Settings,
    /// To whom: the requester's name.
    pub recipient: String,
    /// In what capacity: the wording follows it ([`Addressee::of`]).
    pub addressee: Addressee,
    pub patient_ref: String,
    pub case_id: String,
    pub record_seq: u64,
    pub request_received: NaiveDate,
    pub date: NaiveDate,
    /// Items released (descriptions).
    pub released: Vec<String>,
    pub withheld: Vec<WithheldItem>,
    /// An extension: reason and new date.
    pub extension: Option<(String, NaiveDate)>,
    /// Who else holds the record, if the entity knows (164.524(d)(3)).
    pub held_elsewhere: Option<String>,
    /// The state's own review of a denial (the rulebook's overlay): the state's name, and
    /// each review with its citation. The notice names it beside the federal rights.
    pub state_review: Option<(String, Vec<(String, String)>)>,
}

/// The letterhead of a letter from the settings: the entity, its address and the
/// privacy contact (the logo is added by the caller that read it).
pub(crate) fn letterhead(n: &NoticeInput) -> Letterhead {
    Letterhead {
        entity: n.settings.entity.name.clone(),
        address: n.settings.entity.address.clone(),
        contact: Some(format!(
            "{}, telephone {}",
            n.settings.privacy_contact.title, n.settings.privacy_contact.phone
        )),
        logo: None,
    }
}

/// "Privacy Officer, Lakeside Behavioral Health, telephone 555-0100".
pub(crate) fn contact_line(n: &NoticeInput) -> String {
    format!(
        "{}, {}, telephone {}",
        n.settings.privacy_contact.title, n.settings.entity.name, n.settings.privacy_contact.phone
    )
}

/// Date, addressee and reference lines of a letter.
pub(crate) fn address_fields(n: &NoticeInput, regarding: String) -> Block {
    Block::Fields(vec![
        ("Date".into(), n.date.to_string()),
        ("To".into(), n.recipient.clone()),
        ("Regarding".into(), regarding),
    ])
}

/// The complaint routes (164.524(d)(2)(iii)), in every letter about access.
pub(crate) fn complaint_blocks(n: &NoticeInput) -> [Block; 2] {
    complaint_route(
        n.addressee.rights(),
        &contact_line(n),
        "45 CFR 164.524(d)(2)(iii), 164.530(d)",
    )
}

/// "How to complain": to the entity's `contact` and to HHS OCR (164.530(d), 160.306),
/// for whoever's `rights` the letter speaks of.
pub(crate) fn complaint_route(rights: &str, contact: &str, citation: &str) -> [Block; 2] {
    [
        Block::Heading("How to complain".into()),
        Block::Para(format!(
            "If you believe {rights} have been violated, you may complain to us: contact the \
             {contact}. You may also complain to {OCR_COMPLAINT_ROUTE}. We will not retaliate \
             against you for filing a complaint ({citation})."
        )),
    ]
}

/// "psychotherapy notes: <basis> (<citation>)."
pub(crate) fn withheld_line(w: &WithheldItem) -> String {
    format!(
        "{}: {} ({}).",
        w.description,
        w.basis.trim_end_matches('.'),
        w.citation
    )
}

/// The footer of every page of a letter: the reference.
pub(crate) fn footer(n: &NoticeInput, what: &str) -> String {
    format!(
        "{} · {} · case {} · {what} {}",
        n.settings.entity.name,
        n.date,
        n.case_id,
        seq_text(n.record_seq)
    )
}

/// A record's number in a letter; a preview before signing (seq 0) has none yet, and
/// never says "record 0".
pub(crate) fn seq_text(seq: u64) -> String {
    if seq == 0 {
        "(numbered when signed)".to_string()
    } else {
        seq.to_string()
    }
}

/// The denial letter as a document: every element of 164.524(d)(2), for its addressee.
pub fn compose(n: &NoticeInput) -> Document {
    let mut b = vec![address_fields(
        n,
        format!(
            "records of patient {} (our reference {}, decision record {})",
            n.patient_ref,
            n.case_id,
            seq_text(n.record_seq)
        ),
    )];
    let intro = match n.addressee {
        Addressee::Patient => format!("We received your request on {}.", n.request_received),
        a => format!(
            "We received your request for {} records on {}.",
            a.whose(),
            n.request_received
        ),
    };
    b.push(Block::Para(format!(
        "{intro} This letter tells you what we are providing, what we are not providing and \
         why, and what you can do if you disagree."
    )));
    if let Some(standing) = n.addressee.standing() {
        b.push(Block::Para(standing.into()));
    }

    if let Some((reason, new_date)) = &n.extension {
        b.push(Block::Heading("Time we need".into()));
        b.push(Block::Para(format!(
            "We need more time to act on part of your request because {}. We will complete our \
             response by {new_date}.",
            reason.trim_end_matches('.')
        )));
    }

    if !n.released.is_empty() {
        b.push(Block::Heading("What we are providing".into()));
        b.push(Block::Bullets(n.released.clone()));
        if !n.withheld.is_empty() {
            b.push(Block::Para(
                "We are giving you everything you asked for except the items listed below \
                 (45 CFR 164.524(d)(1))."
                    .into(),
            ));
        }
    }

    if !n.withheld.is_empty() {
        b.push(Block::Heading("What we are not providing, and why".into()));
        b.push(Block::Bullets(
            n.withheld.iter().map(withheld_line).collect(),
        ));

        b.push(Block::Heading(
            "Your right to have this decision reviewed".into(),
        ));
        let reviewable = n.withheld.iter().any(|w| w.reviewable);
        let unreviewable = n.withheld.iter().any(|w| !w.reviewable);
        if reviewable {
            b.push(Block::Para(format!(
                "You may ask us to have the decision to withhold {} reviewed. A licensed health \
                 care professional chosen by us, who did not take part in the original decision, \
                 will review it, and we will follow that professional's decision (45 CFR \
                 164.524(a)(4), (d)(4)). To ask for a review, write to the {}. We will refer \
                 your request promptly and tell you the result in writing.",
                if unreviewable {
                    "the items marked as reviewable below"
                } else {
                    "these items"
                },
                contact_line(n)
            )));
            if unreviewable {
                b.push(Block::Bullets(
                    n.withheld
                        .iter()
                        .filter(|w| w.reviewable)
                        .map(|w| format!("reviewable: {}", w.description))
                        .collect(),
                ));
            }
        }
        if unreviewable {
            let items: Vec<&str> = n
                .withheld
                .iter()
                .filter(|w| !w.reviewable)
                .map(|w| w.description.trim_end_matches('.'))
                .collect();
            b.push(Block::Para(format!(
                "The law does not give a right to have the decision reviewed for: {} \
                 (45 CFR 164.524(a)(1)-(2)).",
                items.join("; ")
            )));
        }

        if let Some((state, reviews)) = &n.state_review {
            b.push(Block::Heading(format!("Your rights under {state} law")));
            b.push(Block::Bullets(
                reviews
                    .iter()
                    .map(|(describe, citation)| {
                        format!("{} ({citation}).", describe.trim_end_matches('.'))
                    })
                    .collect(),
            ));
        }

        if let Some(holder) = &n.held_elsewhere {
            b.push(Block::Heading("Records we do not hold".into()));
            b.push(Block::Para(format!(
                "Some of the information you asked for is held by {holder}. You can send your \
                 request to them (45 CFR 164.524(d)(3))."
            )));
        }
    }

    b.extend(complaint_blocks(n));
    Document {
        title: "Response to your request for records".into(),
        letterhead: letterhead(n),
        blocks: b,
        footer: footer(n, "decision record"),
    }
}

/// Renders the notice as text or markdown. Strings from case files pass through the
/// sanitiser.
pub fn render(n: &NoticeInput, format: NoticeFormat) -> String {
    to_text(&compose(n), format == NoticeFormat::Markdown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::settings::{PrivacyContact, SettingsEntity};

    fn settings() -> Settings {
        Settings {
            entity: SettingsEntity {
                name: "Lakeside Behavioral Health".into(),
                address: "1 Harbor Road".into(),
                state: "US-OH".into(),
                logo: None,
            },
            privacy_contact: PrivacyContact {
                title: "Privacy Officer".into(),
                phone: "555-0100".into(),
            },
            site: String::new(),
            sync: None,
            library: Default::default(),
            as_of: None,
            intake: None,
        }
    }

    fn input(settings: &Settings, withheld: Vec<WithheldItem>) -> NoticeInput<'_> {
        NoticeInput {
            settings,
            recipient: "M. Reyes".into(),
            addressee: Addressee::Patient,
            patient_ref: "P-10442".into(),
            case_id: "AR-2026-0101".into(),
            record_seq: 7,
            request_received: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            date: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            released: vec!["Outpatient chart 2024-2026".into()],
            withheld,
            extension: None,
            held_elsewhere: None,
            state_review: None,
        }
    }

    fn notes() -> WithheldItem {
        WithheldItem {
            description: "Process notes of weekly sessions".into(),
            basis: "psychotherapy notes kept separately from your medical record".into(),
            citation: "45 CFR 164.524(a)(1)(i)".into(),
            reviewable: false,
        }
    }

    fn danger() -> WithheldItem {
        WithheldItem {
            description: "Progress note of 2026-03-07".into(),
            basis: "a licensed professional determined that access is reasonably likely to \
                    endanger your life or physical safety"
                .into(),
            citation: "45 CFR 164.524(a)(3)(i)".into(),
            reviewable: true,
        }
    }

    /// Issue 21 (RULEBOOK R36): the state's own review of a denial is named.
    #[test]
    fn a_states_own_review_is_named() {
        let st = settings();
        let mut n = input(&st, vec![danger()]);
        n.state_review = Some((
            "Texas".into(),
            vec![(
                "another professional the patient selects may examine and copy the record".into(),
                "Tex. Health & Safety Code 611.0045(c), (e)".into(),
            )],
        ));
        let t = render(&n, NoticeFormat::Text);
        assert!(t.contains("Your rights under Texas law"), "{t}");
        assert!(
            t.contains("another professional the patient selects may examine and copy the record (Tex. Health & Safety Code 611.0045(c), (e))."),
            "{t}"
        );
        let t = render(&input(&st, vec![danger()]), NoticeFormat::Text);
        assert!(
            !t.contains("Your rights under"),
            "no state section without one"
        );
    }

    #[test]
    fn unreviewable_denial_says_there_is_no_review() {
        let st = settings();
        let t = render(&input(&st, vec![notes()]), NoticeFormat::Text);
        assert!(t.contains("The law does not give a right to have the decision reviewed for: Process notes of weekly sessions (45 CFR 164.524(a)(1)-(2))."), "{t}");
        assert!(!t.contains("You may ask us to have the decision"), "{t}");
        assert!(t.contains("45 CFR 164.524(a)(1)(i)"));
        assert!(t.contains("We are giving you everything you asked for except"));
    }

    #[test]
    fn reviewable_denial_explains_review_rights() {
        let st = settings();
        let t = render(&input(&st, vec![danger()]), NoticeFormat::Text);
        assert!(
            t.contains("You may ask us to have the decision to withhold these items reviewed"),
            "{t}"
        );
        assert!(t.contains("did not take part in the original decision"));
        assert!(t.contains(
            "write to the Privacy Officer, Lakeside Behavioral Health, telephone 555-0100"
        ));
        assert!(!t.contains("does not give a right"));
    }

    #[test]
    fn mixed_denial_marks_what_is_reviewable() {
        let st = settings();
        let t = render(&input(&st, vec![notes(), danger()]), NoticeFormat::Markdown);
        assert!(
            t.contains("- reviewable: Progress note of 2026-03-07"),
            "{t}"
        );
        assert!(
            t.contains("does not give a right to have the decision reviewed for: Process notes")
        );
        assert!(t.starts_with("# Response to your request for records"));
    }

    #[test]
    fn every_notice_has_both_complaint_routes() {
        let st = settings();
        for w in [vec![notes()], vec![danger()], vec![notes(), danger()]] {
            let t = render(&input(&st, w), NoticeFormat::Text);
            assert!(t.contains("complain to us: contact the Privacy Officer, Lakeside Behavioral Health, telephone 555-0100"), "{t}");
            assert!(t.contains("Office for Civil Rights"));
            assert!(t.contains("1-800-368-1019"));
        }
    }

    #[test]
    fn extension_gives_reason_and_date() {
        let st = settings();
        let mut i = input(&st, vec![]);
        i.extension = Some((
            "the records are archived off site.".into(),
            NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        ));
        let t = render(&i, NoticeFormat::Text);
        assert!(t.contains("because the records are archived off site. We will complete our response by 2026-05-01."), "{t}");
    }

    #[test]
    fn case_text_is_sanitised() {
        let st = settings();
        let mut i = input(&st, vec![notes()]);
        i.recipient = "X\u{1b}[2J".into();
        let t = render(&i, NoticeFormat::Text);
        assert!(t.contains("To: X^[[2J"));
        assert!(!t.contains('\u{1b}'));
    }
}
