//! A trainee's progress, from the verified log: attempts over time, the latest and best
//! score per practice case, the average per topic, and what to study next; and, for a
//! supervisor, every trainee at a glance.
//!
//! Only practice records on cases with a reference are attempts (a practice record on a
//! real case is a proposal, see `countersign`). Records that fail verification are not
//! scored: they are listed in `skipped`, so a forged or damaged record can neither raise
//! nor lower anyone's scores unnoticed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::feedback::{Feedback, feedback};
use super::topics::TopicMap;
use crate::record::model::RecordType;
use crate::record::reviewers::{Reviewers, Role};
use crate::record::verify::{LogReport, State};
use crate::rules::CaseSet;
use crate::rules::{Related, Rulebook};

/// A topic's average below this is worth studying again.
pub const MASTERY: f64 = 80.0;
/// How many topics "study next" suggests.
pub const STUDY_NEXT: usize = 3;

/// One scored attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredAttempt {
    pub seq: u64,
    pub time: String,
    pub case: String,
    pub score: u32,
    pub outcome_right: bool,
    /// `ok`, or `case_changed` (the case file changed since: scored against today's
    /// reference) or `superseded_policy`.
    pub state: State,
    #[serde(skip)]
    pub feedback: Box<Feedback>,
}

/// A practice record that was not scored, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub seq: u64,
    pub trainee: Option<String>,
    pub case: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseScore {
    pub case: String,
    pub title: String,
    pub attempts: usize,
    pub latest: u32,
    pub best: u32,
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicScore {
    pub topic: String,
    pub title: String,
    /// Practice cases in this topic.
    pub cases: usize,
    pub attempted: usize,
    /// The mean of the latest scores of the attempted cases; `None` before any attempt.
    pub average: Option<f64>,
}

/// A topic to study next, and the cases to try in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyNext {
    pub topic: String,
    pub title: String,
    pub average: Option<f64>,
    pub reason: String,
    /// Not yet attempted first, then the lowest latest scores.
    pub cases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeProgress {
    pub trainee: String,
    pub name: Option<String>,
    /// Oldest first.
    pub attempts: Vec<ScoredAttempt>,
    pub cases: Vec<CaseScore>,
    pub topics: Vec<TopicScore>,
    pub study_next: Vec<StudyNext>,
    pub not_attempted: Vec<String>,
    /// The mean of the latest score per attempted case.
    pub average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraineeRow {
    pub trainee: String,
    pub name: Option<String>,
    pub attempts: usize,
    pub cases_attempted: usize,
    pub average_latest: Option<f64>,
    pub average_best: Option<f64>,
    pub last_attempt: Option<String>,
    /// The weakest topic (lowest average), if any was attempted.
    pub weakest_topic: Option<String>,
}

/// Every scored attempt of the log, by trainee, plus what was skipped.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    pub by_trainee: BTreeMap<String, Vec<ScoredAttempt>>,
    pub skipped: Vec<Skipped>,
    /// Practice cases of the directory (with a reference), by id.
    pub practice_cases: Vec<String>,
}

/// Scores every practice record of `log` on a practice case of `set`.
pub fn collect(set: &CaseSet, log: &LogReport, rb: &Rulebook) -> Attempts {
    let mut out = Attempts {
        practice_cases: set
            .cases
            .iter()
            .filter(|c| c.case.practice.is_some())
            .map(|c| c.case.id.clone())
            .collect(),
        ..Attempts::default()
    };
    for r in &log.records {
        let practice = r.kind == Some(RecordType::Practice);
        let Some(case) = r.case.as_deref().and_then(|id| set.get(id)) else {
            if practice {
                let why = if r.state == State::Invalid {
                    "failed verification"
                } else {
                    "its case file is missing or invalid (run `casebench check`)"
                };
                out.skipped.push(skip(r, why));
            }
            continue;
        };
        if !practice || case.case.practice.is_none() {
            continue;
        }
        let rec = match (&r.record, r.state) {
            (Some(rec), State::Ok | State::CaseChanged | State::SupersededPolicy) => rec,
            _ => {
                let why = r.problems.first().cloned().unwrap_or_default();
                out.skipped
                    .push(skip(r, &format!("failed verification: {why}")));
                continue;
            }
        };
        let related = Related::from_cases(&case.case, set.cases.iter().map(|c| &c.case));
        match feedback(rb, &case.case, related, rec) {
            Ok(f) => out
                .by_trainee
                .entry(rec.reviewer.clone())
                .or_default()
                .push(ScoredAttempt {
                    seq: rec.seq,
                    time: f.time.clone(),
                    case: f.case.clone(),
                    score: f.comparison.score,
                    outcome_right: f.comparison.outcome_right,
                    state: r.state,
                    feedback: Box::new(f),
                }),
            Err(e) => out.skipped.push(skip(r, &e.to_string())),
        }
    }
    out
}

fn skip(r: &crate::record::verify::RecordReport, reason: &str) -> Skipped {
    Skipped {
        seq: r.seq,
        trainee: r.reviewer.clone(),
        case: r.case.clone(),
        reason: reason.to_string(),
    }
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, sum) = v.fold((0usize, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| sum / n as f64)
}

/// One trainee's progress (an empty history for someone with no attempts).
pub fn trainee_progress(
    set: &CaseSet,
    attempts: &Attempts,
    trainee: &str,
    people: &Reviewers,
) -> TraineeProgress {
    let map = TopicMap::builtin();
    let mine: Vec<ScoredAttempt> = attempts
        .by_trainee
        .get(trainee)
        .cloned()
        .unwrap_or_default();
    let mut per_case: BTreeMap<&str, Vec<&ScoredAttempt>> = BTreeMap::new();
    for a in &mine {
        per_case.entry(a.case.as_str()).or_default().push(a);
    }
    let cases: Vec<CaseScore> = per_case
        .iter()
        .filter_map(|(id, list)| {
            let last = list.last()?;
            Some(CaseScore {
                case: id.to_string(),
                title: last.feedback.title.clone(),
                attempts: list.len(),
                latest: last.score,
                best: list.iter().map(|a| a.score).max().unwrap_or(0),
                topics: last.feedback.topics.clone(),
            })
        })
        .collect();
    // Topics of every practice case, attempted or not.
    let case_topics: Vec<(String, Vec<String>)> = set
        .cases
        .iter()
        .filter_map(|c| {
            let r = &c.case.practice.as_ref()?.reference;
            Some((c.case.id.clone(), map.topics_of(&c.case, r)))
        })
        .collect();
    let latest = |id: &str| cases.iter().find(|c| c.case == id).map(|c| c.latest);
    let topics: Vec<TopicScore> = map
        .topics
        .iter()
        .map(|t| {
            let in_topic: Vec<&str> = case_topics
                .iter()
                .filter(|(_, ts)| ts.contains(&t.id))
                .map(|(id, _)| id.as_str())
                .collect();
            let scores: Vec<u32> = in_topic.iter().filter_map(|id| latest(id)).collect();
            TopicScore {
                topic: t.id.clone(),
                title: t.title.clone(),
                cases: in_topic.len(),
                attempted: scores.len(),
                average: mean(scores.iter().map(|&s| f64::from(s))),
            }
        })
        .collect();
    let not_attempted: Vec<String> = case_topics
        .iter()
        .filter(|(id, _)| latest(id).is_none())
        .map(|(id, _)| id.clone())
        .collect();
    let study_next = study_next(&topics, &case_topics, &latest);
    TraineeProgress {
        trainee: trainee.to_string(),
        name: people.get(trainee).map(|r| r.name.clone()),
        average: mean(cases.iter().map(|c| f64::from(c.latest))),
        attempts: mine,
        cases,
        topics,
        study_next,
        not_attempted,
    }
}

/// Weakest topics first (average below [`MASTERY`]), then topics not yet tried.
fn study_next(
    topics: &[TopicScore],
    case_topics: &[(String, Vec<String>)],
    latest: &dyn Fn(&str) -> Option<u32>,
) -> Vec<StudyNext> {
    let mut weak: Vec<&TopicScore> = topics
        .iter()
        .filter(|t| t.average.is_some_and(|a| a < MASTERY))
        .collect();
    weak.sort_by(|a, b| {
        a.average
            .partial_cmp(&b.average)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.topic.cmp(&b.topic))
    });
    let untried = topics.iter().filter(|t| t.cases > 0 && t.attempted == 0);
    weak.into_iter()
        .chain(untried)
        .take(STUDY_NEXT)
        .map(|t| {
            let mut cases: Vec<(Option<u32>, String)> = case_topics
                .iter()
                .filter(|(_, ts)| ts.contains(&t.topic))
                .map(|(id, _)| (latest(id), id.clone()))
                .filter(|(s, _)| s.is_none_or(|s| f64::from(s) < MASTERY))
                .collect();
            cases.sort();
            StudyNext {
                topic: t.topic.clone(),
                title: t.title.clone(),
                average: t.average,
                reason: match t.average {
                    Some(a) => format!("average {a:.0} over {} case(s)", t.attempted),
                    None => format!("not attempted yet ({} case(s))", t.cases),
                },
                cases: cases.into_iter().map(|(_, id)| id).collect(),
            }
        })
        .collect()
}

/// The supervisor's view: everyone with attempts, plus every trainee of reviewers.yaml.
pub fn overview(set: &CaseSet, attempts: &Attempts, people: &Reviewers) -> Vec<TraineeRow> {
    let mut names: Vec<String> = attempts.by_trainee.keys().cloned().collect();
    for r in &people.reviewers {
        if r.role == Role::Trainee && !names.contains(&r.principal) {
            names.push(r.principal.clone());
        }
    }
    names.sort();
    names
        .into_iter()
        .map(|t| {
            let p = trainee_progress(set, attempts, &t, people);
            let weakest = p
                .topics
                .iter()
                .filter_map(|x| x.average.map(|a| (a, x.topic.clone())))
                .min_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
                .map(|(_, id)| id);
            TraineeRow {
                name: p.name.clone(),
                attempts: p.attempts.len(),
                cases_attempted: p.cases.len(),
                average_latest: p.average,
                average_best: mean(p.cases.iter().map(|c| f64::from(c.best))),
                last_attempt: p.attempts.last().map(|a| a.time.clone()),
                weakest_topic: weakest,
                trainee: t,
            }
        })
        .collect()
}
