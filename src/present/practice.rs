//! A trainee's signed practice record compared with the reference: the score, the
//! outcome, the grounds found, missed and wrong, the record items, the notice's
//! elements, the reference's grounds, why (the reference explanation) and the rules it
//! cites. `casebench practice` prints them; the workbench's comparison screen draws the
//! same rows.

use super::{Row, Section, Tone, s};
use crate::practice::{Feedback, ItemComparison};

pub const GROUNDS: &str = "Grounds";
pub const ITEMS: &str = "Record items (withhold map)";
pub const NOTICE: &str = "The written notice must carry";
pub const REFERENCE: &str = "Reference grounds";
pub const WHY: &str = "Why (the reference explanation)";
/// The heading of the comparison's list of the rules its explanation cites.
pub const RULES_HEADING: &str = "The rules cited above (R1, R2 ... of the rulebook)";

/// The comparison screen's title: `Practice · case · title · record N by trainee`.
pub fn title(f: &Feedback) -> String {
    format!(
        "Practice · {} · {} · record {} by {}",
        s(&f.case),
        s(&f.title),
        f.seq,
        s(&f.trainee)
    )
}

/// "45 CFR 164.501" stays on one line when wrapped (no-break spaces around `CFR`), so a
/// line never ends with a stray "[45".
fn whole_citations(t: &str) -> String {
    t.replace(" CFR ", "\u{a0}CFR\u{a0}")
}

/// `text  [citation]`, without empty brackets when the rulebook has no citation.
fn cited(text: &str, citation: &str) -> String {
    let (t, c) = (s(text), s(citation));
    if c.is_empty() {
        t
    } else {
        format!("{t}  [{}]", whole_citations(&c))
    }
}

fn on_or_release(g: &Option<String>) -> String {
    match g {
        Some(g) => format!("withhold on {}", s(g)),
        None => "release".into(),
    }
}

fn item(i: &ItemComparison) -> Row {
    Row::marked(
        i.right,
        format!(
            "{}: reference {} · yours {}",
            s(&i.id),
            on_or_release(&i.expected),
            on_or_release(&i.given)
        ),
    )
}

/// The comparison as sections, every string from the case, the record or the rulebook
/// sanitised.
pub fn sections(f: &Feedback) -> Vec<Section> {
    let c = &f.comparison;
    let mut head = Section::new("");
    head.push(Row::fact(
        "Practice case",
        format!("{}: {}", s(&f.case), s(&f.title)),
    ));
    head.push(Row::fact(
        "Attempt",
        format!("record {} by {} at {}", f.seq, s(&f.trainee), s(&f.time)),
    ));
    head.push(Row::fact(
        "Score",
        format!(
            "{}/100  (outcome {:.0} + grounds {:.0} + record items {:.0} - penalties {:.0})",
            c.score, c.points_outcome, c.points_grounds, c.points_items, c.penalties
        ),
    ));
    let outcome = if c.outcome_right {
        format!("right ({})", c.outcome_given)
    } else {
        format!(
            "WRONG (you: {}; reference: {})",
            c.outcome_given, c.outcome_expected
        )
    };
    head.push(Row {
        shape: super::Shape::Marked,
        right: Some(c.outcome_right),
        ..Row::fact("Outcome", outcome).tone(if c.outcome_right {
            Tone::Good
        } else {
            Tone::Error
        })
    });
    let mut grounds = Section::new(GROUNDS);
    if c.grounds_found.is_empty() && c.grounds_missed.is_empty() && c.grounds_wrong.is_empty() {
        grounds.push(Row::line("(none expected, none cited)").tone(Tone::Muted));
    }
    for g in &c.grounds_found {
        grounds.push(Row::marked(true, format!("found {}", s(g))));
    }
    for g in &c.grounds_missed {
        grounds.push(Row::marked(false, format!("missed {}", s(g))));
    }
    for g in &f.wrong_grounds {
        let never = if c.never_valid_used.contains(&g.code) {
            " (never valid)"
        } else {
            ""
        };
        grounds.push(Row::marked(
            false,
            format!(
                "wrong {}{never}: {}",
                s(&g.code),
                cited(&g.text, &g.citation)
            ),
        ));
    }
    let mut out = vec![head, grounds];
    if !c.items.is_empty() {
        let mut items = Section::new(ITEMS);
        items.rows.extend(c.items.iter().map(item));
        out.push(items);
    }
    if !f.notice_needed.is_empty() {
        let mut notice = Section::new(NOTICE);
        let given = &f.notice_given;
        for n in &f.notice_needed {
            let has = match n.code.as_str() {
                "basis" => Some(given.basis),
                "review_rights" => Some(given.review_rights),
                "complaint_routes" => Some(given.complaint_routes),
                _ => None,
            };
            let text = format!("{}  [{}]", s(&n.text), whole_citations(&s(&n.citation)));
            notice.push(match has {
                Some(h) => Row::marked(h, text),
                None => Row::item(text),
            });
        }
        out.push(notice);
    }
    let mut reference = Section::new(REFERENCE);
    reference.push(Row::fact("outcome", c.outcome_expected.to_string()));
    for g in &f.reference_grounds {
        reference.push(Row::item(format!(
            "{}: {}",
            s(&g.code),
            cited(&g.text, &g.citation)
        )));
    }
    out.push(reference);
    let mut why = Section::new(WHY);
    why.push(Row::prose(&whole_citations(&c.explanation)));
    out.push(why);
    // The explanation cites the rulebook's rules by number: each is explained here.
    let rules = crate::rules::references::RuleRefs::builtin().cited_in(&c.explanation);
    if !rules.is_empty() {
        let mut cited_rules = Section::new(RULES_HEADING);
        for r in rules {
            cited_rules.push(Row::line(format!(
                "{} {}: {}",
                s(&r.id),
                s(&r.title),
                cited(&r.says, &r.citation)
            )));
        }
        out.push(cited_rules);
    }
    if !f.topics.is_empty() {
        let topics: Vec<String> = f.topics.iter().map(|t| s(t)).collect();
        out.push(Section {
            title: String::new(),
            rows: vec![Row::fact("Topics", topics.join(", ")).tone(Tone::Muted)],
        });
    }
    out
}
