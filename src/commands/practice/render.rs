//! Plain-text rendering of practice results. Every marker is a word or a sign, never a
//! colour alone; every string from a case file or a record is sanitised.

use std::io::{Result, Write};

use crate::practice::Feedback;
use crate::practice::progress::{Attempts, TraineeProgress, TraineeRow};
use crate::text::sanitize_line;

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "none".to_string()
    } else {
        sanitize_line(&v.join(", "))
    }
}

/// The comparison of one signed attempt with the reference, and the score: the
/// presenter's sections (`crate::present::practice`), as text.
pub fn write_feedback(out: &mut dyn Write, f: &Feedback) -> Result<()> {
    let text = crate::present::text::render(&crate::present::practice::sections(f));
    out.write_all(text.as_bytes())
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
