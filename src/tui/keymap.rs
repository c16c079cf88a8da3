//! Keys: what each key does on each screen. Defaults are vim-ish and arrows both, with no
//! Shift or Ctrl chords for the common actions; `<config dir>/keys.yaml` rebinds them
//! (format in docs/WORKBENCH.md). The help overlay lists exactly these bindings.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The screens that have their own keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Queue,
    Case,
    Form,
    Invalid,
    Audit,
    /// The practice comparison (a trainee's signed answer against the reference).
    Practice,
    /// A signed record: its bytes, verification and notice.
    Record,
    /// The intake (`N`): a question, its answer typed (every printable key is text).
    Intake,
    /// The intake's summary of the answers, before the case file is written.
    IntakeSummary,
}

impl Context {
    pub const ALL: [Context; 9] = [
        Context::Queue,
        Context::Case,
        Context::Form,
        Context::Invalid,
        Context::Audit,
        Context::Practice,
        Context::Record,
        Context::Intake,
        Context::IntakeSummary,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Queue => "queue",
            Context::Case => "case",
            Context::Form => "form",
            Context::Invalid => "invalid",
            Context::Audit => "audit",
            Context::Practice => "practice",
            Context::Record => "record",
            Context::Intake => "intake",
            Context::IntakeSummary => "intake_summary",
        }
    }
}

macro_rules! actions {
    ($($v:ident => $name:literal, $help:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($v),* }
        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$v),*];
            /// The name used in keys.yaml.
            pub fn name(self) -> &'static str { match self { $(Action::$v => $name),* } }
            /// What the help overlay says it does.
            pub fn help(self) -> &'static str { match self { $(Action::$v => $help),* } }
        }
    };
}

actions! {
    Up => "up", "move up / scroll up";
    Down => "down", "move down / scroll down";
    PageUp => "page_up", "one page up";
    PageDown => "page_down", "one page down";
    Top => "top", "first line";
    Bottom => "bottom", "last line";
    Left => "left", "previous choice";
    Right => "right", "next choice";
    NextPane => "next_pane", "next pane";
    PrevPane => "prev_pane", "previous pane";
    Pane1 => "pane_1", "Evaluation of harm";
    Pane2 => "pane_2", "Consultation notes";
    Pane3 => "pane_3", "Documentation";
    Open => "open", "open the selected case";
    Back => "back", "back / clear filter";
    Quit => "quit", "quit (drafts are saved)";
    Help => "help", "this help";
    Filter => "filter", "fuzzy filter (Enter keeps it, Esc clears)";
    StatusFilter => "status_filter", "cycle the status filter";
    PracticeOnly => "practice_only", "only practice cases (P); again shows all";
    ShowInvalid => "show_invalid", "list invalid case files and their errors";
    Decide => "decide", "decision form (resumes the draft)";
    DiscardDraft => "discard_draft", "discard the saved draft (asks first: y discards)";
    Advisor => "advisor", "show or hide the advisor panel";
    Countersign => "countersign", "countersign the trainee's proposal on this case";
    Provide => "provide", "record what was provided for the decision (records, notice)";
    Toggle => "toggle", "release / withhold the record";
    Edit => "edit", "edit the field (Esc ends editing)";
    AddDisclosure => "add_disclosure", "add a disclosure";
    AddOverride => "add_override", "override an advisor finding (with why)";
    Delete => "delete", "delete the disclosure or override";
    Sign => "sign", "sign and record the decision (on [ Sign ])";
    Findings => "findings", "every finding on the decision, and the advisor's recommendation";
    PickGround => "pick_ground", "pick a ground from the rulebook (on a grounds field or a record)";
    Search => "search", "search the panes and the advisor (Enter keeps, Esc clears)";
    NextMatch => "next_match", "next match of the search";
    PrevMatch => "prev_match", "previous match of the search";
    Audit => "audit", "audit view: the decision log, verified";
    ReviewerFilter => "reviewer_filter", "cycle the reviewer filter";
    OutcomeFilter => "outcome_filter", "cycle the outcome filter";
    Since => "since", "show records since a date (YYYY-MM-DD, Enter)";
    Until => "until", "show records until a date (YYYY-MM-DD, Enter)";
    ProblemsOnly => "problems_only", "only records that do not verify cleanly";
    OverriddenOnly => "overridden_only", "only records overriding a finding";
    ClearFilters => "clear_filters", "clear every filter";
    Checkpoint => "checkpoint", "sign a checkpoint of the log with your key";
    Reload => "reload", "verify the log again";
    SiteFilter => "site_filter", "cycle the site filter (audit of a --sites mirror)";
    ReloadCases => "reload_cases", "read the case files again (after an edit)";
    Record => "record", "the signed record in force: exact bytes, verification, notice";
    WriteLetter => "write_letter", "write the record's letter as a PDF in the current folder";
    NewCase => "new_case", "a new case: the intake's questions, then the case file";
    EditCase => "edit_case", "edit the case file in $VISUAL/$EDITOR (checked before it replaces the file)";
    Answer => "answer", "give the answer typed (empty: skip, take the default, or end the records)";
    PrevQuestion => "previous_question", "the previous question (answers are kept)";
    LeaveIntake => "leave_intake", "leave the intake (asks first: y discards the answers)";
    WriteCase => "write_case", "write the case file under the next free id";
}

/// One key, as written in keys.yaml and shown in help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    pub fn matches(&self, ev: &KeyEvent) -> bool {
        // Shift is part of the character itself (`?`, `G`), so it is not compared;
        // BackTab arrives as its own code.
        self.code == ev.code
            && self.ctrl == ev.modifiers.contains(KeyModifiers::CONTROL)
            && self.alt == ev.modifiers.contains(KeyModifiers::ALT)
    }

    pub fn parse(s: &str) -> Option<Key> {
        let (mut ctrl, mut alt, mut rest) = (false, false, s);
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-").filter(|r| !r.is_empty()) {
                (ctrl, rest) = (true, r);
            } else if let Some(r) = rest.strip_prefix("Alt-").filter(|r| !r.is_empty()) {
                (alt, rest) = (true, r);
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest {
                "Up" => KeyCode::Up,
                "Down" => KeyCode::Down,
                "Left" => KeyCode::Left,
                "Right" => KeyCode::Right,
                "Enter" => KeyCode::Enter,
                "Esc" => KeyCode::Esc,
                "Tab" => KeyCode::Tab,
                "BackTab" => KeyCode::BackTab,
                "Space" => KeyCode::Char(' '),
                "Backspace" => KeyCode::Backspace,
                "Delete" => KeyCode::Delete,
                "Insert" => KeyCode::Insert,
                "Home" => KeyCode::Home,
                "End" => KeyCode::End,
                "PageUp" => KeyCode::PageUp,
                "PageDown" => KeyCode::PageDown,
                f => KeyCode::F(
                    f.strip_prefix('F')?
                        .parse()
                        .ok()
                        .filter(|n| (1..=24).contains(n))?,
                ),
            },
        };
        Some(Key { code, ctrl, alt })
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::BackTab => "BackTab".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("Ctrl-");
        }
        if self.alt {
            s.push_str("Alt-");
        }
        s + &base
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    /// Per context, in help order: the action and its keys.
    bindings: BTreeMap<&'static str, Vec<(Action, Vec<Key>)>>,
}

fn k(s: &str) -> Key {
    Key::parse(s).unwrap_or(Key::plain(KeyCode::Null))
}

fn defaults(ctx: Context) -> Vec<(Action, Vec<Key>)> {
    use Action::*;
    let list: &[(Action, &[&str])] = match ctx {
        Context::Queue => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (Open, &["Enter", "l", "Right"]),
            (Filter, &["/"]),
            (StatusFilter, &["s"]),
            (PracticeOnly, &["p"]),
            (ShowInvalid, &["i"]),
            (ReloadCases, &["R"]),
            (NewCase, &["N"]),
            (EditCase, &["e"]),
            (Audit, &["A"]),
            (Back, &["Esc"]),
            (Help, &["?", "F1"]),
            (Quit, &["q"]),
        ],
        Context::Case => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (NextPane, &["l", "Right", "Tab"]),
            (PrevPane, &["h", "Left", "BackTab"]),
            (Pane1, &["1"]),
            (Pane2, &["2"]),
            (Pane3, &["3"]),
            (Decide, &["d"]),
            (DiscardDraft, &["x"]),
            (Advisor, &["a"]),
            (Countersign, &["C"]),
            (Provide, &["p"]),
            (Search, &["/"]),
            (NextMatch, &["n"]),
            (PrevMatch, &["N"]),
            (Record, &["v"]),
            (EditCase, &["e"]),
            (Back, &["Esc", "q"]),
            (Help, &["?", "F1"]),
        ],
        Context::Form => &[
            (Down, &["j", "Down", "Tab"]),
            (Up, &["k", "Up", "BackTab"]),
            (Left, &["h", "Left"]),
            (Right, &["l", "Right"]),
            (Toggle, &["Space"]),
            (Edit, &["Enter", "e"]),
            (PickGround, &["g"]),
            (AddDisclosure, &["a"]),
            (AddOverride, &["o"]),
            (Delete, &["x"]),
            (Sign, &["Enter"]),
            (Findings, &["f"]),
            (PageDown, &["PageDown"]),
            (PageUp, &["PageUp"]),
            (Top, &["Home"]),
            (Bottom, &["End"]),
            (Back, &["Esc", "q"]),
            (Help, &["?", "F1"]),
        ],
        Context::Invalid => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (Back, &["Esc", "q", "i"]),
            (Help, &["?", "F1"]),
        ],
        Context::Audit => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (Open, &["Enter", "l", "Right"]),
            (ReviewerFilter, &["r"]),
            (OutcomeFilter, &["o"]),
            (Since, &["f"]),
            (Until, &["t"]),
            (ProblemsOnly, &["p"]),
            (OverriddenOnly, &["v"]),
            (ClearFilters, &["x"]),
            (Checkpoint, &["c"]),
            (Reload, &["R"]),
            (SiteFilter, &["s"]),
            (Back, &["Esc", "q", "h", "Left"]),
            (Help, &["?", "F1"]),
        ],
        Context::Record => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (WriteLetter, &["w"]),
            (Back, &["Esc", "q"]),
            (Help, &["?", "F1"]),
        ],
        // Every printable key is the answer's text: only keys that type nothing.
        Context::Intake => &[
            (Answer, &["Enter"]),
            (PrevQuestion, &["Esc", "Up"]),
            (LeaveIntake, &["F10"]),
            (Help, &["F1"]),
        ],
        Context::IntakeSummary => &[
            (WriteCase, &["y"]),
            (PrevQuestion, &["Esc", "Left", "h"]),
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (LeaveIntake, &["q"]),
            (Help, &["?", "F1"]),
        ],
        // Scroll and back, like the invalid-files list, each with its own help.
        Context::Practice => &[
            (Down, &["j", "Down"]),
            (Up, &["k", "Up"]),
            (PageDown, &["PageDown", "Space"]),
            (PageUp, &["PageUp", "b"]),
            (Top, &["g", "Home"]),
            (Bottom, &["G", "End"]),
            (Back, &["Esc", "q"]),
            (Help, &["?", "F1"]),
        ],
    };
    list.iter()
        .map(|(a, keys)| (*a, keys.iter().map(|s| k(s)).collect()))
        .collect()
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: Context::ALL
                .iter()
                .map(|c| (c.name(), defaults(*c)))
                .collect(),
        }
    }
}

pub use crate::config::KeysFile;

impl Keymap {
    /// The action `ev` means on `ctx`, if any.
    pub fn action(&self, ctx: Context, ev: &KeyEvent) -> Option<Action> {
        self.bindings
            .get(ctx.name())?
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| k.matches(ev)))
            .map(|(a, _)| *a)
    }

    /// The bindings of `ctx`, for the help overlay and the footer.
    pub fn bindings(&self, ctx: Context) -> &[(Action, Vec<Key>)] {
        self.bindings.get(ctx.name()).map_or(&[], |v| v.as_slice())
    }

    /// The first key of `action` on `ctx`, as a label (for hints like "? help").
    pub fn first_key(&self, ctx: Context, action: Action) -> String {
        self.bindings(ctx)
            .iter()
            .find(|(a, _)| *a == action)
            .and_then(|(_, keys)| keys.first())
            .map_or_else(|| "-".into(), Key::label)
    }

    /// Parses keys.yaml text (`crate::config`) and applies it over the defaults.
    pub fn from_yaml(src: &str) -> Result<Keymap, String> {
        Keymap::default().apply(&crate::config::parse_keys(src)?)
    }

    pub fn apply(mut self, file: &KeysFile) -> Result<Keymap, String> {
        let clean = crate::text::sanitize_line;
        for (ctx_name, actions) in file {
            let ctx = Context::ALL
                .into_iter()
                .find(|c| c.name() == ctx_name)
                .ok_or_else(|| format!("unknown screen `{}`", clean(ctx_name)))?;
            let list = self.bindings.entry(ctx.name()).or_default();
            for (action_name, keys) in actions {
                let action = Action::ALL
                    .iter()
                    .find(|a| a.name() == action_name)
                    .copied()
                    .ok_or_else(|| format!("unknown action `{}`", clean(action_name)))?;
                let parsed = keys
                    .iter()
                    .map(|s| Key::parse(s).ok_or_else(|| format!("unknown key `{}`", clean(s))))
                    .collect::<Result<Vec<Key>, String>>()?;
                match list.iter_mut().find(|(a, _)| *a == action) {
                    Some(entry) => entry.1 = parsed,
                    None => list.push((action, parsed)),
                }
            }
        }
        Ok(self)
    }

    /// Loads `<config dir>/keys.yaml` if it exists.
    pub fn load(config_dir: Option<&std::path::Path>) -> Result<Keymap, String> {
        match crate::config::read_keys(config_dir)? {
            Some((path, file)) => Keymap::default()
                .apply(&file)
                .map_err(|e| format!("{}: {e}", path.display())),
            None => Ok(Keymap::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_have_vim_keys_and_arrows() {
        let km = Keymap::default();
        assert_eq!(
            km.action(Context::Queue, &ev(KeyCode::Char('j'))),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(Context::Queue, &ev(KeyCode::Down)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(Context::Case, &ev(KeyCode::Tab)),
            Some(Action::NextPane)
        );
        let shifted = KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(km.action(Context::Form, &shifted), Some(Action::Help));
        let ctrl_j = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL);
        assert_eq!(km.action(Context::Queue, &ctrl_j), None);
    }

    #[test]
    fn no_default_needs_ctrl_or_alt() {
        let km = Keymap::default();
        for ctx in Context::ALL {
            for (a, keys) in km.bindings(ctx) {
                assert!(!keys.is_empty(), "{a:?}");
                assert!(keys.iter().all(|k| !k.ctrl && !k.alt), "{a:?}");
            }
        }
    }

    #[test]
    fn keys_yaml_rebinds_and_rejects_typos() {
        let km = Keymap::from_yaml("queue:\n  down: [n, Ctrl-n]\n").unwrap();
        assert_eq!(
            km.action(Context::Queue, &ev(KeyCode::Char('n'))),
            Some(Action::Down)
        );
        assert_eq!(km.action(Context::Queue, &ev(KeyCode::Char('j'))), None);
        let ctrl_n = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL);
        assert_eq!(km.action(Context::Queue, &ctrl_n), Some(Action::Down));
        assert!(Keymap::from_yaml("queue:\n  dwn: [n]\n").is_err());
        assert!(Keymap::from_yaml("qeue:\n  down: [n]\n").is_err());
        assert!(Keymap::from_yaml("queue:\n  down: [Hyper-n]\n").is_err());
    }

    #[test]
    fn key_names_round_trip() {
        for s in ["j", "Enter", "PageDown", "F5", "Ctrl-x", "Space", "BackTab"] {
            let key = Key::parse(s).unwrap();
            assert_eq!(
                Key::parse(&key.label().replace("PgDn", "PageDown")),
                Some(key)
            );
        }
        assert_eq!(Key::parse("F99"), None);
        assert_eq!(Key::parse(""), None);
    }
}
