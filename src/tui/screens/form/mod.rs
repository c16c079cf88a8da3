//! The decision form: outcome, per-record actions and grounds, disclosures, rationale (a
//! `ratatui-textarea` editor), overrides, the preview of the record and its findings,
//! the grounds picker. The state here (and how it becomes a draft); its keys in
//! `update.rs`, its drawing in `view.rs`.

pub mod field;
pub mod layout;
pub mod pick;
pub mod picker;
pub mod preview;
pub mod update;
pub mod view;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use crate::case::{Case, Outcome};
use crate::decision::draft::{Draft, DraftDisclosure, DraftOverride, DraftRecord};
use crate::text::{sanitize, sanitize_line};
use crate::tui::keymap::Action;
use crate::tui::scroll::Scroll;
use crate::tui::theme::Role;
use preview::PreviewView;

pub use field::{Field, grounds};

/// What the form asks of the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// The decision changed: save the draft after the typing pause, preview it now.
    Edited,
    /// Enter on `[ Sign ]`: sign the decision.
    Sign,
    /// Esc or `q`: back to the case (saving the draft).
    Back,
}

/// What the form shows from outside itself: the case's id and title, the advisor's
/// answer (the picker's marks, the findings panel), a trainee's note above the preview,
/// and who signs.
#[derive(Debug, Clone, Default)]
pub struct Outside<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub advisor: Option<&'a crate::tui::advisor::AdvisorView>,
    pub note: Option<&'a str>,
    /// After `[ Sign ]`: `as principal, key ...` (a practice record, for a trainee).
    pub sign_label: String,
}

pub const DISCLOSURE_PARTS: [&str; 4] = ["recipient", "address", "description", "purpose"];
pub const OVERRIDE_PARTS: [&str; 2] = ["finding", "because"];

#[derive(Debug, Clone)]
pub struct FormRecord {
    /// As in the case file, for the draft and the record.
    pub id: String,
    /// Sanitised id, for display.
    pub shown_id: String,
    /// Sanitised description, for display.
    pub label: String,
    pub withhold: bool,
    pub grounds: String,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub case_id: String,
    pub case_sha256: String,
    pub outcome: Option<Outcome>,
    /// Case-level ground codes as typed.
    pub grounds: String,
    pub records: Vec<FormRecord>,
    pub disclosures: Vec<[String; 4]>,
    /// Advisor findings overridden: code, justification.
    pub overrides: Vec<[String; 2]>,
    pub rationale: TextArea<'static>,
    pub focus: usize,
    pub editing: bool,
    /// Changed since the last save.
    pub dirty: bool,
    pub note: Option<(Role, String)>,
    /// The outcomes that fit the case (`decision::stated::outcomes_for`).
    pub offered: Vec<Outcome>,
    /// The decision as it would be recorded, with the findings on it (from the loop).
    pub preview: Option<PreviewView>,
    pub preview_scroll: Scroll,
    /// Every finding and the advisor's recommendation, in place of the fields.
    pub findings_open: bool,
    pub findings_scroll: Scroll,
    /// The grounds picker, while open (`g` on a grounds field).
    pub picker: Option<picker::Picker>,
}

impl Form {
    pub fn new(case: &Case, sha256: &str) -> Form {
        Form {
            case_id: case.id.clone(),
            case_sha256: sha256.to_string(),
            outcome: None,
            grounds: String::new(),
            records: case
                .records()
                .iter()
                .map(|r| FormRecord {
                    id: r.id.clone(),
                    shown_id: sanitize_line(&r.id),
                    label: sanitize_line(&r.description),
                    withhold: false,
                    grounds: String::new(),
                })
                .collect(),
            disclosures: Vec::new(),
            overrides: Vec::new(),
            rationale: wrapping(TextArea::default()),
            focus: 0,
            editing: false,
            dirty: false,
            note: None,
            offered: crate::decision::proposal::outcomes_for(case),
            preview: None,
            preview_scroll: Scroll::default(),
            findings_open: false,
            findings_scroll: Scroll::default(),
            picker: None,
        }
    }

    /// The form for `case`, filled from a saved draft. Records the case no longer has
    /// are dropped; a changed case file is pointed out.
    pub fn from_draft(case: &Case, sha256: &str, d: &Draft) -> Form {
        let mut f = Form::new(case, sha256);
        f.outcome = d.outcome;
        f.grounds = sanitize_line(&d.grounds);
        for r in &mut f.records {
            if let Some(saved) = d.records.iter().find(|s| s.id == r.id) {
                r.withhold = saved.withhold;
                r.grounds = sanitize_line(&saved.grounds);
            }
        }
        f.disclosures = d
            .disclosures
            .iter()
            .map(|x| {
                // A draft is a file: what comes back from it is sanitised like case text.
                [
                    sanitize_line(&x.recipient),
                    sanitize_line(&x.address),
                    sanitize_line(&x.description),
                    sanitize_line(&x.purpose),
                ]
            })
            .collect();
        f.overrides = d
            .overrides
            .iter()
            .map(|o| [sanitize_line(&o.code), sanitize_line(&o.justification)])
            .collect();
        f.rationale = wrapping(TextArea::new(
            sanitize(&d.rationale)
                .split('\n')
                .map(str::to_string)
                .collect(),
        ));
        f.note = Some(if d.case_sha256.is_empty() || d.case_sha256 == sha256 {
            (
                Role::Ok,
                format!("resumed the draft saved {}", sanitize_line(&d.saved)),
            )
        } else {
            (
                Role::Warning,
                "resumed a draft made against a different version of this case file: check it"
                    .into(),
            )
        });
        f
    }

    pub fn to_draft(&self) -> Draft {
        Draft {
            case: self.case_id.clone(),
            case_sha256: self.case_sha256.clone(),
            saved: String::new(),
            outcome: self.outcome,
            grounds: self.grounds.clone(),
            records: self
                .records
                .iter()
                .map(|r| DraftRecord {
                    id: r.id.clone(),
                    withhold: r.withhold,
                    grounds: r.grounds.clone(),
                })
                .collect(),
            disclosures: self
                .disclosures
                .iter()
                .map(
                    |[recipient, address, description, purpose]| DraftDisclosure {
                        recipient: recipient.clone(),
                        address: address.clone(),
                        description: description.clone(),
                        purpose: purpose.clone(),
                    },
                )
                .collect(),
            overrides: self
                .overrides
                .iter()
                .map(|[code, justification]| DraftOverride {
                    code: code.clone(),
                    justification: justification.clone(),
                })
                .collect(),
            rationale: self.rationale.lines().join("\n"),
        }
    }

    /// What the record will do with item `i` under the chosen outcome (`Some(true)`:
    /// withhold): a denial withholds every item, a full release releases every item,
    /// a partial release follows the toggles; other outcomes record no items (`None`).
    /// The toggles are kept whatever the outcome, for when it changes back.
    pub fn action_of(&self, i: usize) -> Option<bool> {
        let r = self.records.get(i)?;
        match self.outcome {
            Some(Outcome::Deny) => Some(true),
            Some(Outcome::ReleaseFull) => Some(false),
            Some(Outcome::ReleasePartial) | None => Some(r.withhold),
            Some(_) => None,
        }
    }

    /// The fields in order, top to bottom.
    pub fn fields(&self) -> Vec<Field> {
        let mut v = vec![Field::Outcome, Field::CaseGrounds];
        for i in 0..self.records.len() {
            v.push(Field::Action(i));
            v.push(Field::Grounds(i));
        }
        for i in 0..self.disclosures.len() {
            v.extend((0..4).map(|p| Field::Disclosure(i, p)));
        }
        v.push(Field::AddDisclosure);
        for i in 0..self.overrides.len() {
            v.extend((0..2).map(|p| Field::Override(i, p)));
        }
        v.extend([Field::AddOverride, Field::Rationale, Field::Sign]);
        v
    }

    pub fn field(&self) -> Field {
        let f = self.fields();
        f.get(self.focus.min(f.len() - 1))
            .copied()
            .unwrap_or(Field::Outcome)
    }

    fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        match field {
            Field::CaseGrounds => Some(&mut self.grounds),
            Field::Grounds(i) => self.records.get_mut(i).map(|r| &mut r.grounds),
            Field::Disclosure(i, p) => self.disclosures.get_mut(i).and_then(|d| d.get_mut(p)),
            Field::Override(i, p) => self.overrides.get_mut(i).and_then(|o| o.get_mut(p)),
            _ => None,
        }
    }

    /// A key typed while a text field is being edited. Returns true if the content changed.
    pub fn edit_key(&mut self, key: KeyEvent) -> bool {
        let field = self.field();
        if key.code == KeyCode::Esc || (key.code == KeyCode::Enter && field != Field::Rationale) {
            self.editing = false;
            return false;
        }
        if field == Field::Rationale {
            // Invisible or bidi characters typed in are stored as their visible markers.
            if let KeyCode::Char(c) = key.code {
                let shown = sanitize_line(c.encode_utf8(&mut [0; 4]));
                if shown.chars().count() != 1 {
                    return self.rationale.insert_str(shown);
                }
            }
            return self.rationale.input(ratatui_textarea::Input::from(key));
        }
        let Some(s) = self.text_mut(field) else {
            self.editing = false;
            return false;
        };
        match key.code {
            KeyCode::Backspace => s.pop().is_some(),
            KeyCode::Char(c)
                if !c.is_control() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                s.push_str(&sanitize_line(c.encode_utf8(&mut [0; 4])));
                true
            }
            _ => false,
        }
    }

    /// Pasted text into the field being edited (newlines only in the rationale).
    pub fn paste(&mut self, text: &str) -> bool {
        if !self.editing {
            return false;
        }
        let field = self.field();
        if field == Field::Rationale {
            return self
                .rationale
                .insert_str(sanitize(&text.replace("\r\n", "\n")));
        }
        let Some(s) = self.text_mut(field) else {
            return false;
        };
        s.push_str(&sanitize_line(text.trim_end_matches(['\r', '\n'])));
        true
    }

    /// A form action outside editing. Returns true if the content changed; sets `editing`.
    pub fn act(&mut self, action: Action) -> bool {
        let n = self.fields().len();
        let field = self.field();
        match action {
            Action::Down => self.focus = (self.focus + 1).min(n - 1),
            Action::Up => self.focus = self.focus.saturating_sub(1),
            Action::Left | Action::Right if field == Field::Outcome => {
                self.outcome = cycle(&self.offered, self.outcome, action == Action::Right);
                return true;
            }
            Action::Left | Action::Right | Action::Toggle => {
                if let Field::Action(i) = field
                    && let Some(r) = self.records.get_mut(i)
                {
                    r.withhold = !r.withhold;
                    return true;
                }
                if action == Action::Toggle && field == Field::Outcome {
                    self.outcome = cycle(&self.offered, self.outcome, true);
                    return true;
                }
            }
            Action::Edit => match field {
                f if f.is_text() => self.editing = true,
                Field::AddDisclosure => return self.add_disclosure(),
                Field::AddOverride => return self.add_override(),
                Field::Action(_) => return self.act(Action::Toggle),
                Field::Outcome => return self.act(Action::Right),
                _ => {}
            },
            Action::AddDisclosure => return self.add_disclosure(),
            Action::AddOverride => return self.add_override(),
            Action::Delete => {
                match field {
                    Field::Disclosure(i, _) => {
                        self.disclosures.remove(i);
                    }
                    Field::Override(i, _) => {
                        self.overrides.remove(i);
                    }
                    _ => return false,
                }
                self.focus = self.focus.min(self.fields().len() - 1);
                return true;
            }
            _ => {}
        }
        false
    }

    /// A new disclosure row: the first starts from the entry the case gives (when the
    /// decision is accountable), for the reviewer to correct; the others start empty.
    fn add_disclosure(&mut self) -> bool {
        let built = self
            .disclosures
            .is_empty()
            .then(|| self.preview.as_ref().and_then(|p| p.built_entry.clone()))
            .flatten();
        self.disclosures.push(built.unwrap_or_default());
        self.edit_new(Field::Disclosure(self.disclosures.len() - 1, 0))
    }

    fn add_override(&mut self) -> bool {
        self.overrides.push(Default::default());
        self.edit_new(Field::Override(self.overrides.len() - 1, 0))
    }

    /// Moves the focus to a field just added and starts editing it.
    fn edit_new(&mut self, field: Field) -> bool {
        self.focus = self
            .fields()
            .iter()
            .position(|f| *f == field)
            .unwrap_or(self.focus);
        self.editing = true;
        true
    }
}

/// The next (or previous) of the outcomes `offered`. An outcome not offered (from an
/// older draft) moves to the first or last one offered.
fn cycle(offered: &[Outcome], o: Option<Outcome>, forward: bool) -> Option<Outcome> {
    let all: &[Outcome] = if offered.is_empty() {
        &Outcome::ALL
    } else {
        offered
    };
    let pos = o.and_then(|o| all.iter().position(|x| *x == o));
    let next = match (pos, forward) {
        (None, true) => 0,
        (None, false) => all.len() - 1,
        (Some(p), true) => (p + 1) % all.len(),
        (Some(p), false) => (p + all.len() - 1) % all.len(),
    };
    Some(all[next])
}

/// The rationale editor wraps its lines at word boundaries (long words at any
/// character), so a long sentence stays readable at 80 columns.
fn wrapping(mut t: TextArea<'static>) -> TextArea<'static> {
    t.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    t
}
