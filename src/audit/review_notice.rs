//! The written notice of the result of a review of a denial (45 CFR 164.524(a)(4),
//! (d)(4); RULEBOOK R8): what the reviewing professional decided, what is now provided,
//! what stays withheld and why, that the entity is bound by the result, and the
//! complaint routes (which remain open after a review).

use std::fmt::Write as _;

use super::notice::{Layout, NoticeFormat, NoticeInput, OCR_COMPLAINT_ROUTE, contact_line};
use crate::text::sanitize_line;

/// Who reviewed, and which decision.
#[derive(Debug, Clone)]
pub struct ReviewInfo {
    /// The reviewing professional's display name (or principal).
    pub reviewer: String,
    /// The seq of the decision reviewed.
    pub reviewed_seq: u64,
}

/// Renders the review-result letter. `n` is built like a denial notice's input from the
/// review record; its `withheld` items are those the review upholds.
pub fn render_review(n: &NoticeInput, review: &ReviewInfo, format: NoticeFormat) -> String {
    let s = sanitize_line;
    let layout = Layout::new(format);
    let heading = |o: &mut String, t: &str| layout.heading(o, t);
    let bullet = layout.bullet();
    let contact = contact_line(n);
    let mut o = String::new();
    layout.letterhead(&mut o, n, "Result of the review you asked for");
    let _ = writeln!(
        o,
        "Regarding: records of patient {} (our reference {}, review record {} of decision record {})",
        s(&n.patient_ref),
        s(&n.case_id),
        n.record_seq,
        review.reviewed_seq
    );
    let _ = writeln!(
        o,
        "\nYou asked us to review our decision to withhold part of the records you requested \
         on {}. {}, a licensed health care professional who did not take part in the original \
         decision, has reviewed it (45 CFR 164.524(a)(4)). We are bound by the result \
         (45 CFR 164.524(d)(4)).",
        n.request_received,
        s(&review.reviewer)
    );
    if !n.released.is_empty() {
        heading(&mut o, "What we are providing");
        for r in &n.released {
            let _ = writeln!(o, "{bullet}{}", s(r));
        }
    }
    if n.withheld.is_empty() {
        let _ = writeln!(
            o,
            "\nThe reviewer decided that nothing needs to be withheld: we are providing \
             everything you asked for."
        );
    } else {
        heading(
            &mut o,
            "What the reviewer decided we may still withhold, and why",
        );
        for w in &n.withheld {
            let _ = writeln!(
                o,
                "{bullet}{}: {} ({}).",
                s(&w.description),
                s(&w.basis).trim_end_matches('.'),
                s(&w.citation)
            );
        }
        let _ = writeln!(
            o,
            "\nThis review is the last step of the review process: the law does not provide a \
             further review of this decision."
        );
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
