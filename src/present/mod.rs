//! One presenter (DESIGN.md section 7): a case, an advice, a practice comparison and a
//! signed record become **sections of labelled rows with a tone**. The command line
//! prints them as text ([`text`]), `--json` serialises the same model where a json form
//! exists, and the workbench maps each [`Tone`] to a theme role and draws the same rows
//! (`tui::sections`). No fact is worded anywhere else.
//!
//! Every string from a case file, a record or a rulebook is sanitised here, once
//! (`crate::text`): the printers never see raw input.
//!
//! This room sits above the domain and below `commands` and `tui`: it may import
//! `case`, `rules`, `record`, `audit`, `practice` and `decision`, never `commands`,
//! `cli` or `tui` (`tests/it/layering.rs`).

pub mod advice;
pub mod case;
pub mod practice;
pub mod record;
pub mod text;
pub mod words;

use serde::Serialize;

/// How a row reads: the workbench maps each tone to a theme role (`tui::theme`); the
/// text printer carries the meaning in words, never in colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    #[default]
    Normal,
    /// Secondary: notes, empty lists, labels.
    Muted,
    /// Right, on time, verified.
    Good,
    /// Needs attention soon: due soon, a warning finding, a fact not known.
    Warning,
    /// Wrong, overdue, failed, an error finding.
    Error,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Normal => "normal",
            Tone::Muted => "muted",
            Tone::Good => "good",
            Tone::Warning => "warning",
            Tone::Error => "error",
        }
    }
}

/// One labelled fact: `label: value` (a fact without a label is the value alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub value: String,
}

/// What kind of line a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Facts on one line (`label: value   label: value`); the workbench gives each fact
    /// its own line.
    #[default]
    Facts,
    /// An item of a list (`- value` as text, `• value` on screen).
    Item,
    /// Free text from a file: kept as paragraphs (text indents it; the workbench
    /// reflows it to the pane's width).
    Prose,
    /// A right/wrong mark (`✓`, `✗`) and facts: `right` says which.
    Marked,
    /// Text shown exactly as it is, line for line (a record's bytes, a signature, a
    /// letter): never reflowed.
    Verbatim,
}

/// One row of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub facts: Vec<Fact>,
    pub tone: Tone,
    pub shape: Shape,
    /// For [`Shape::Marked`]: the mark (`✓`/`✗` on screen, `ok`/`WRONG` in text), and
    /// whether it says right.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<bool>,
}

impl Row {
    /// One labelled fact.
    pub fn fact(label: &str, value: impl Into<String>) -> Row {
        Row {
            facts: vec![Fact {
                label: label.to_string(),
                value: value.into(),
            }],
            tone: Tone::Normal,
            shape: Shape::Facts,
            right: None,
        }
    }

    /// Several labelled facts on one line.
    pub fn facts<L: Into<String>>(facts: impl IntoIterator<Item = (L, String)>) -> Row {
        Row {
            facts: facts
                .into_iter()
                .map(|(label, value)| Fact {
                    label: label.into(),
                    value,
                })
                .collect(),
            tone: Tone::Normal,
            shape: Shape::Facts,
            right: None,
        }
    }

    /// A line without a label.
    pub fn line(value: impl Into<String>) -> Row {
        Row::fact("", value)
    }

    /// An item of a list.
    pub fn item(value: impl Into<String>) -> Row {
        Row {
            shape: Shape::Item,
            ..Row::line(value)
        }
    }

    /// Free text from a file, sanitised (line breaks kept).
    pub fn prose(raw: &str) -> Row {
        Row {
            shape: Shape::Prose,
            ..Row::line(crate::text::sanitize(raw.trim_end()))
        }
    }

    /// Text shown line for line, sanitised.
    pub fn verbatim(raw: &str) -> Row {
        Row {
            shape: Shape::Verbatim,
            ..Row::line(crate::text::sanitize(raw.trim_end_matches('\n')))
        }
    }

    /// A right/wrong mark before a line.
    pub fn marked(right: bool, value: impl Into<String>) -> Row {
        Row {
            shape: Shape::Marked,
            right: Some(right),
            tone: if right { Tone::Normal } else { Tone::Error },
            ..Row::line(value)
        }
    }

    pub fn tone(mut self, tone: Tone) -> Row {
        self.tone = tone;
        self
    }

    /// The row's facts as one line of text (`label: value   label: value`).
    pub fn joined(&self, between: &str) -> String {
        self.facts
            .iter()
            .map(|f| {
                if f.label.is_empty() {
                    f.value.clone()
                } else if f.value.is_empty() {
                    format!("{}:", f.label)
                } else {
                    format!("{}: {}", f.label, f.value)
                }
            })
            .collect::<Vec<_>>()
            .join(between)
    }

    /// The value of the fact labelled `label`, if the row has one.
    pub fn value(&self, label: &str) -> Option<&str> {
        self.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.as_str())
    }
}

/// A titled group of rows. The first section of a case or an advice has no title: its
/// head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: String,
    pub rows: Vec<Row>,
}

impl Section {
    pub fn new(title: impl Into<String>) -> Section {
        Section {
            title: title.into(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }
}

/// The section titled `title`, if present.
pub fn find<'a>(sections: &'a [Section], title: &str) -> Option<&'a Section> {
    sections.iter().find(|s| s.title == title)
}

/// A string from a file, on one line, sanitised.
pub(crate) fn s(t: &str) -> String {
    crate::text::sanitize_line(t)
}
