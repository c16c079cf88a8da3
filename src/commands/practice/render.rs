//! Plain-text rendering of practice results. Every marker is a word or a sign, never a
//! colour alone; every string from a case file or a record is sanitised.

use std::io::{Result, Write};

use crate::practice::Feedback;
use crate::practice::progress::{Attempts, TraineeProgress, TraineeRow};
use crate::text::{sanitize, sanitize_line};

fn indented(s: &str, pad: &str) -> String {
    sanitize(s.trim_end())
        .lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        sanitize_line(&v.join(", "))
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "NO" }
}

/// The comparison of one signed attempt with the reference, and the score.
pub fn write_feedback(out: &mut dyn Write, f: &Feedback) -> Result<()> {
    let c = &f.comparison;
    writeln!(
        out,
        "Practice case {}: {}",
        sanitize_line(&f.case),
        sanitize_line(&f.title)
    )?;
    writeln!(
        out,
        "Attempt: record {} by {} at {}",
        f.seq,
        sanitize_line(&f.trainee),
        f.time
    )?;
    writeln!(
        out,
        "Score: {}/100  (outcome {:.0} + grounds {:.0} + record items {:.0} - penalties {:.0})",
        c.score, c.points_outcome, c.points_grounds, c.points_items, c.penalties
    )?;
    if c.outcome_right {
        writeln!(out, "Outcome: RIGHT ({})", c.outcome_given)?;
    } else {
        writeln!(
            out,
            "Outcome: WRONG (you: {}; reference: {})",
            c.outcome_given, c.outcome_expected
        )?;
    }
    writeln!(out, "Grounds found:  {}", list(&c.grounds_found))?;
    writeln!(out, "Grounds missed: {}", list(&c.grounds_missed))?;
    writeln!(out, "Grounds wrong:  {}", list(&c.grounds_wrong))?;
    if !c.never_valid_used.is_empty() {
        writeln!(
            out,
            "  NEVER VALID: {} (each costs more than a missed ground)",
            list(&c.never_valid_used)
        )?;
    }
    for w in &f.wrong_grounds {
        writeln!(
            out,
            "  - {}: {}{}",
            sanitize_line(&w.code),
            sanitize_line(&w.text),
            if w.citation.is_empty() {
                String::new()
            } else {
                format!(" [{}]", sanitize_line(&w.citation))
            }
        )?;
    }
    if !c.items.is_empty() {
        writeln!(out, "Record items (withhold map):")?;
        let show = |g: &Option<String>| match g {
            Some(g) => format!("withhold: {}", sanitize_line(g)),
            None => "release".to_string(),
        };
        for i in &c.items {
            writeln!(
                out,
                "  {} {:<20} you: {:<36} reference: {}",
                if i.right { "ok   " } else { "WRONG" },
                sanitize_line(&i.id),
                show(&i.given),
                show(&i.expected)
            )?;
        }
    }
    if !f.notice_needed.is_empty() {
        writeln!(out, "Notice elements the denial needs (in your record?):")?;
        for n in &f.notice_needed {
            let given = match n.code.as_str() {
                "basis" => f.notice_given.basis,
                "review_rights" => f.notice_given.review_rights,
                "complaint_routes" => f.notice_given.complaint_routes,
                _ => false,
            };
            writeln!(
                out,
                "  {:<3} {} [{}]",
                yes(given),
                sanitize_line(&n.text),
                sanitize_line(&n.citation)
            )?;
        }
    }
    writeln!(out, "Reference: {}", c.outcome_expected)?;
    for g in &f.reference_grounds {
        writeln!(
            out,
            "  - {}: {} [{}]",
            sanitize_line(&g.code),
            sanitize_line(&g.text),
            sanitize_line(&g.citation)
        )?;
    }
    if !c.explanation.trim().is_empty() {
        writeln!(out, "Explanation:")?;
        writeln!(out, "{}", indented(&c.explanation, "  "))?;
    }
    writeln!(out, "Topics: {}", list(&f.topics))
}

fn avg(a: Option<f64>) -> String {
    a.map_or_else(|| "-".to_string(), |a| format!("{a:.0}"))
}

/// One trainee's progress.
pub fn write_progress(out: &mut dyn Write, p: &TraineeProgress) -> Result<()> {
    writeln!(
        out,
        "Trainee {}{}: {} attempt(s), {} case(s), average {}",
        sanitize_line(&p.trainee),
        p.name
            .as_deref()
            .map_or(String::new(), |n| format!(" ({})", sanitize_line(n))),
        p.attempts.len(),
        p.cases.len(),
        avg(p.average)
    )?;
    if !p.attempts.is_empty() {
        writeln!(out, "\nAttempts (oldest first):")?;
        writeln!(
            out,
            "  {:>6}  {:<20}  {:<16}  {:>5}  OUTCOME",
            "SEQ", "TIME", "CASE", "SCORE"
        )?;
        for a in &p.attempts {
            writeln!(
                out,
                "  {:>6}  {:<20}  {:<16}  {:>5}  {}{}",
                a.seq,
                a.time,
                sanitize_line(&a.case),
                a.score,
                if a.outcome_right { "right" } else { "WRONG" },
                match a.state {
                    crate::record::verify::State::Ok => "",
                    crate::record::verify::State::CaseChanged => "  (case file changed since)",
                    _ => "  (signer allowed only by an archived policy)",
                }
            )?;
        }
        writeln!(out, "\nPer case:")?;
        writeln!(
            out,
            "  {:<16}  {:>6}  {:>4}  {:>8}  TITLE",
            "CASE", "LATEST", "BEST", "ATTEMPTS"
        )?;
        for c in &p.cases {
            writeln!(
                out,
                "  {:<16}  {:>6}  {:>4}  {:>8}  {}",
                sanitize_line(&c.case),
                c.latest,
                c.best,
                c.attempts,
                sanitize_line(&c.title)
            )?;
        }
    }
    writeln!(out, "\nPer topic:")?;
    writeln!(
        out,
        "  {:<20}  {:>7}  {:>5}  TITLE",
        "TOPIC", "AVERAGE", "TRIED"
    )?;
    for t in p.topics.iter().filter(|t| t.cases > 0) {
        writeln!(
            out,
            "  {:<20}  {:>7}  {:>5}  {}",
            t.topic,
            avg(t.average),
            format!("{}/{}", t.attempted, t.cases),
            sanitize_line(&t.title)
        )?;
    }
    writeln!(out, "\nStudy next:")?;
    if p.study_next.is_empty() {
        writeln!(out, "  nothing below {:.0}: well done", progress_mastery())?;
    }
    for s in &p.study_next {
        writeln!(
            out,
            "  - {}: {}; try {}",
            sanitize_line(&s.title),
            s.reason,
            list(&s.cases)
        )?;
    }
    if !p.not_attempted.is_empty() {
        writeln!(out, "Not attempted yet: {}", list(&p.not_attempted))?;
    }
    Ok(())
}

fn progress_mastery() -> f64 {
    crate::practice::progress::MASTERY
}

/// The supervisor's view.
pub fn write_overview(out: &mut dyn Write, rows: &[TraineeRow], cases: usize) -> Result<()> {
    writeln!(out, "{cases} practice case(s); {} trainee(s)", rows.len())?;
    writeln!(
        out,
        "{:<32}  {:>8}  {:>5}  {:>6}  {:>4}  {:<20}  {:<20}  NAME",
        "TRAINEE", "ATTEMPTS", "CASES", "LATEST", "BEST", "LAST ATTEMPT", "WEAKEST TOPIC"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:<32}  {:>8}  {:>5}  {:>6}  {:>4}  {:<20}  {:<20}  {}",
            sanitize_line(&r.trainee),
            r.attempts,
            r.cases_attempted,
            avg(r.average_latest),
            avg(r.average_best),
            r.last_attempt.as_deref().unwrap_or("-"),
            r.weakest_topic.as_deref().unwrap_or("-"),
            r.name.as_deref().map(sanitize_line).unwrap_or_default()
        )?;
    }
    Ok(())
}

/// Practice records that were not scored (failed verification, unreadable outcome).
pub fn write_skipped(out: &mut dyn Write, a: &Attempts) -> Result<()> {
    if a.skipped.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n{} practice record(s) NOT scored (run `casebench verify`):",
        a.skipped.len()
    )?;
    for s in &a.skipped {
        writeln!(
            out,
            "  record {} ({} on {}): {}",
            s.seq,
            s.trainee
                .as_deref()
                .map(sanitize_line)
                .unwrap_or_else(|| "?".into()),
            s.case
                .as_deref()
                .map(sanitize_line)
                .unwrap_or_else(|| "?".into()),
            sanitize_line(&s.reason)
        )?;
    }
    Ok(())
}
