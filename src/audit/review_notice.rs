//! The written notice of the result of a review of a denial (45 CFR 164.524(a)(4),
//! (d)(4); RULEBOOK R8): what the reviewing professional decided, what is now provided,
//! what stays withheld and why, that the entity is bound by the result, and the
//! complaint routes (which remain open after a review).

use super::document::{Block, Document, to_text};
use super::notice::{
    NoticeFormat, NoticeInput, address_fields, complaint_blocks, footer, letterhead, withheld_line,
};

/// Who reviewed, and which decision.
#[derive(Debug, Clone)]
pub struct ReviewInfo {
    /// The reviewing professional's display name (or principal).
    pub reviewer: String,
    /// The seq of the decision reviewed.
    pub reviewed_seq: u64,
}

/// The review-result letter as a document. `n` is built like a denial notice's input
/// from the review record; its `withheld` items are those the review upholds.
pub fn compose_review(n: &NoticeInput, review: &ReviewInfo) -> Document {
    let mut b = vec![address_fields(
        n,
        format!(
            "records of patient {} (our reference {}, review record {} of decision record {})",
            n.patient_ref, n.case_id, n.record_seq, review.reviewed_seq
        ),
    )];
    b.push(Block::Para(format!(
        "You asked us to review our decision to withhold part of the records you requested \
         on {}. {}, a licensed health care professional who did not take part in the original \
         decision, has reviewed it (45 CFR 164.524(a)(4)). We are bound by the result \
         (45 CFR 164.524(d)(4)).",
        n.request_received, review.reviewer
    )));
    if let Some(standing) = n.addressee.standing() {
        b.push(Block::Para(standing.into()));
    }
    if !n.released.is_empty() {
        b.push(Block::Heading("What we are providing".into()));
        b.push(Block::Bullets(n.released.clone()));
    }
    if n.withheld.is_empty() {
        b.push(Block::Para(
            "The reviewer decided that nothing needs to be withheld: we are providing \
             everything you asked for."
                .into(),
        ));
    } else {
        b.push(Block::Heading(
            "What the reviewer decided we may still withhold, and why".into(),
        ));
        b.push(Block::Bullets(
            n.withheld.iter().map(withheld_line).collect(),
        ));
        b.push(Block::Para(
            "This review is the last step of the review process: the law does not provide a \
             further review of this decision."
                .into(),
        ));
    }
    b.extend(complaint_blocks(n));
    Document {
        title: "Result of the review you asked for".into(),
        letterhead: letterhead(n),
        blocks: b,
        footer: footer(n, "review record"),
    }
}

/// Renders the review-result letter as text or markdown.
pub fn render_review(n: &NoticeInput, review: &ReviewInfo, format: NoticeFormat) -> String {
    to_text(&compose_review(n, review), format == NoticeFormat::Markdown)
}
