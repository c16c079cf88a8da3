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

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::case::settings::Settings;
use crate::text::sanitize_line;

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

/// The layout shared by the letters: headings, bullets, letterhead and contact line.
pub(crate) struct Layout {
    pub md: bool,
}

impl Layout {
    pub fn new(format: NoticeFormat) -> Layout {
        Layout {
            md: format == NoticeFormat::Markdown,
        }
    }

    pub fn heading(&self, o: &mut String, t: &str) {
        if self.md {
            let _ = writeln!(o, "\n## {t}\n");
        } else {
            let _ = writeln!(o, "\n{t}\n{}", "-".repeat(t.chars().count()));
        }
    }

    pub fn bullet(&self) -> &'static str {
        if self.md { "- " } else { "  * " }
    }

    /// Title, entity and address, date and addressee.
    pub fn letterhead(&self, o: &mut String, n: &NoticeInput, title: &str) {
        let s = sanitize_line;
        if self.md {
            let _ = writeln!(o, "# {title}");
        } else {
            let _ = writeln!(o, "{}", title.to_uppercase());
        }
        let _ = writeln!(o, "\n{}", s(&n.settings.entity.name));
        if !n.settings.entity.address.is_empty() {
            let _ = writeln!(o, "{}", s(&n.settings.entity.address));
        }
        let _ = writeln!(o, "\nDate: {}", n.date);
        let _ = writeln!(o, "To: {}", s(&n.recipient));
    }
}

/// "Privacy Officer, Lakeside Behavioral Health, telephone 555-0100".
pub(crate) fn contact_line(n: &NoticeInput) -> String {
    let s = sanitize_line;
    format!(
        "{}, {}, telephone {}",
        s(&n.settings.privacy_contact.title),
        s(&n.settings.entity.name),
        s(&n.settings.privacy_contact.phone)
    )
}

/// Renders the notice. Strings from case files pass through the sanitiser.
pub fn render(n: &NoticeInput, format: NoticeFormat) -> String {
    let s = sanitize_line;
    let layout = Layout::new(format);
    let heading = |o: &mut String, t: &str| layout.heading(o, t);
    let bullet = layout.bullet();
    let contact = contact_line(n);
    let mut o = String::new();
    layout.letterhead(&mut o, n, "Response to your request for records");
    let _ = writeln!(
        o,
        "Regarding: records of patient {} (our reference {}, decision record {})",
        s(&n.patient_ref),
        s(&n.case_id),
        n.record_seq
    );
    let _ = writeln!(
        o,
        "\nWe received your request on {}. This letter tells you what we are providing, what \
         we are not providing and why, and what you can do if you disagree.",
        n.request_received
    );

    if let Some((reason, new_date)) = &n.extension {
        heading(&mut o, "Time we need");
        let _ = writeln!(
            o,
            "We need more time to act on part of your request because {}. We will complete our \
             response by {new_date}.",
            s(reason).trim_end_matches('.')
        );
    }

    if !n.released.is_empty() {
        heading(&mut o, "What we are providing");
        for r in &n.released {
            let _ = writeln!(o, "{bullet}{}", s(r));
        }
        if !n.withheld.is_empty() {
            let _ = writeln!(
                o,
                "\nWe are giving you everything you asked for except the items listed below \
                 (45 CFR 164.524(d)(1))."
            );
        }
    }

    if !n.withheld.is_empty() {
        heading(&mut o, "What we are not providing, and why");
        for w in &n.withheld {
            let _ = writeln!(
                o,
                "{bullet}{}: {} ({}).",
                s(&w.description),
                s(&w.basis).trim_end_matches('.'),
                s(&w.citation)
            );
        }

        heading(&mut o, "Your right to have this decision reviewed");
        let reviewable = n.withheld.iter().any(|w| w.reviewable);
        let unreviewable = n.withheld.iter().any(|w| !w.reviewable);
        if reviewable {
            let _ = writeln!(
                o,
                "You may ask us to have the decision to withhold {} reviewed. A licensed health \
                 care professional chosen by us, who did not take part in the original decision, \
                 will review it, and we will follow that professional's decision (45 CFR \
                 164.524(a)(4), (d)(4)). To ask for a review, write to the {contact}. We will \
                 refer your request promptly and tell you the result in writing.",
                if unreviewable {
                    "the items marked as reviewable below"
                } else {
                    "these items"
                }
            );
            if unreviewable {
                for w in n.withheld.iter().filter(|w| w.reviewable) {
                    let _ = writeln!(o, "{bullet}reviewable: {}", s(&w.description));
                }
            }
        }
        if unreviewable {
            let items: Vec<String> = n
                .withheld
                .iter()
                .filter(|w| !w.reviewable)
                .map(|w| s(&w.description))
                .collect();
            let _ = writeln!(
                o,
                "{}The law does not give a right to have the decision reviewed for: {} \
                 (45 CFR 164.524(a)(1)-(2)).",
                if reviewable { "\n" } else { "" },
                items
                    .iter()
                    .map(|i| i.trim_end_matches('.'))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }

        if let Some((state, reviews)) = &n.state_review {
            heading(&mut o, &format!("Your rights under {} law", s(state)));
            for (describe, citation) in reviews {
                let _ = writeln!(
                    o,
                    "{bullet}{} ({}).",
                    s(describe).trim_end_matches('.'),
                    s(citation)
                );
            }
        }

        if let Some(holder) = &n.held_elsewhere {
            heading(&mut o, "Records we do not hold");
            let _ = writeln!(
                o,
                "Some of the information you asked for is held by {}. You can send your request \
                 to them (45 CFR 164.524(d)(3)).",
                s(holder)
            );
        }
    }

    heading(&mut o, "How to complain");
    let _ = writeln!(
        o,
        "If you believe your rights have been violated, you may complain to us: contact the \
         {contact}. You may also complain to {OCR_COMPLAINT_ROUTE}. We will not retaliate \
         against you for filing a complaint (45 CFR 164.524(d)(2)(iii), 164.530(d))."
    );
    o
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
