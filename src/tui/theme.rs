//! Themes: a style per role, where roles are named by meaning (overdue, muted, focus...)
//! and never by widget. Built-in themes are compiled in from `themes/*.yaml`; users add
//! their own as `<config dir>/themes/NAME.yaml` (same format, see docs/WORKBENCH.md).

use std::path::Path;

use crate::config::{StyleSpec, ThemeFile};
use ratatui::style::{Color, Modifier, Style};

/// What a piece of screen means. The view picks a role; the theme picks the style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Normal,
    Title,
    Header,
    Muted,
    Focus,
    Selection,
    Marker,
    Overdue,
    DueSoon,
    Ok,
    Warning,
    Error,
    Key,
    Border,
}

impl Role {
    pub const ALL: [Role; 14] = [
        Role::Normal,
        Role::Title,
        Role::Header,
        Role::Muted,
        Role::Focus,
        Role::Selection,
        Role::Marker,
        Role::Overdue,
        Role::DueSoon,
        Role::Ok,
        Role::Warning,
        Role::Error,
        Role::Key,
        Role::Border,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Normal => "normal",
            Role::Title => "title",
            Role::Header => "header",
            Role::Muted => "muted",
            Role::Focus => "focus",
            Role::Selection => "selection",
            Role::Marker => "marker",
            Role::Overdue => "overdue",
            Role::DueSoon => "due_soon",
            Role::Ok => "ok",
            Role::Warning => "warning",
            Role::Error => "error",
            Role::Key => "key",
            Role::Border => "border",
        }
    }
}

impl Role {
    /// The role a presenter's tone is drawn in (`crate::present::Tone`).
    pub fn of(tone: crate::present::Tone) -> Role {
        use crate::present::Tone;
        match tone {
            Tone::Normal => Role::Normal,
            Tone::Muted => Role::Muted,
            Tone::Good => Role::Ok,
            Tone::Warning => Role::Warning,
            Tone::Error => Role::Error,
        }
    }
}

impl Role {
    /// The role a deadline's tone is drawn in (the queue's status and days left): the
    /// themes' own overdue and due-soon styles.
    pub fn of_deadline(tone: crate::present::Tone) -> Role {
        use crate::present::Tone;
        match tone {
            Tone::Error => Role::Overdue,
            Tone::Warning => Role::DueSoon,
            Tone::Muted => Role::Muted,
            Tone::Good => Role::Ok,
            Tone::Normal => Role::Normal,
        }
    }
}

/// The built-in themes, in the order `--theme` lists them.
pub const BUILTIN: [(&str, &str); 4] = [
    ("default", include_str!("../../themes/default.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.yaml"),
    ),
    ("monochrome", include_str!("../../themes/monochrome.yaml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: [Style; Role::ALL.len()],
}

impl Theme {
    pub fn style(&self, role: Role) -> Style {
        self.styles[role as usize]
    }

    /// The selected row's style: always reverse video on top of the theme's choice, so
    /// that selection never depends on colour alone.
    pub fn selected(&self) -> Style {
        self.style(Role::Selection).add_modifier(Modifier::REVERSED)
    }

    /// A built-in theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        let (_, src) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        parse(src).ok()
    }

    /// The default theme (the 16-colour palette); monochrome when parsing ever failed.
    pub fn default_theme() -> Theme {
        Theme::builtin("default").unwrap_or_else(Theme::plain)
    }

    /// The theme with every `#rrggbb` colour as a terminal of `depth` can show it.
    pub fn for_depth(mut self, depth: super::palette::ColorDepth) -> Theme {
        for s in &mut self.styles {
            *s = depth.style(*s);
        }
        self
    }

    /// A theme with no styling at all: the last resort, never fails.
    pub fn plain() -> Theme {
        Theme {
            name: "plain".into(),
            styles: [Style::new(); Role::ALL.len()],
        }
    }
}

/// Picks the theme: an explicit `--theme` name (a user theme in `config_dir/themes/`
/// first, then a built-in); otherwise monochrome when `NO_COLOR` is set, else default.
/// (Under `NO_COLOR` crossterm sends no colour codes at all, whatever the theme.)
pub fn select(
    requested: Option<&str>,
    no_color: bool,
    config_dir: Option<&Path>,
) -> Result<Theme, String> {
    let Some(name) = requested else {
        let name = if no_color { "monochrome" } else { "default" };
        return Ok(Theme::builtin(name).unwrap_or_else(Theme::plain));
    };
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(format!(
            "`{}` is not a theme name",
            crate::text::sanitize_line(name)
        ));
    }
    if let Some((path, file)) = crate::config::read_theme(config_dir, name)? {
        return from_file(file).map_err(|e| format!("{}: {e}", path.display()));
    }
    Theme::builtin(name).ok_or_else(|| {
        let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
        format!("no theme `{name}`; built in: {}", names.join(", "))
    })
}

/// Parses a theme file. Unknown roles, colours and modifiers are errors; a role left out
/// inherits `normal`.
pub fn parse(src: &str) -> Result<Theme, String> {
    from_file(crate::config::parse_theme(src)?)
}

/// A theme from its file's data (`crate::config`).
fn from_file(file: ThemeFile) -> Result<Theme, String> {
    for key in file.roles.keys() {
        if !Role::ALL.iter().any(|r| r.name() == key) {
            return Err(format!(
                "unknown role `{}`",
                crate::text::sanitize_line(key)
            ));
        }
    }
    let normal = match file.roles.get("normal") {
        Some(s) => to_style(s)?,
        None => Style::new(),
    };
    let mut styles = [normal; Role::ALL.len()];
    for role in Role::ALL {
        if let Some(spec) = file.roles.get(role.name()) {
            styles[role as usize] = normal.patch(to_style(spec)?);
        }
    }
    Ok(Theme {
        name: file.name,
        styles,
    })
}

fn to_style(spec: &StyleSpec) -> Result<Style, String> {
    let mut s = Style::new();
    if let Some(c) = &spec.fg {
        s = s.fg(color(c)?);
    }
    if let Some(c) = &spec.bg {
        s = s.bg(color(c)?);
    }
    for m in &spec.modifiers {
        s = s.add_modifier(match m.as_str() {
            "bold" => Modifier::BOLD,
            "dim" => Modifier::DIM,
            "italic" => Modifier::ITALIC,
            "underlined" => Modifier::UNDERLINED,
            "reversed" => Modifier::REVERSED,
            "crossed_out" => Modifier::CROSSED_OUT,
            other => {
                return Err(format!(
                    "unknown modifier `{}`",
                    crate::text::sanitize_line(other)
                ));
            }
        });
    }
    Ok(s)
}

fn color(name: &str) -> Result<Color, String> {
    if let Some(hex) = name.strip_prefix('#')
        && hex.len() == 6
        && let Ok(v) = u32::from_str_radix(hex, 16)
    {
        return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
    }
    Ok(match name {
        "reset" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "white" => Color::Gray,
        "bright_black" => Color::DarkGray,
        "bright_red" => Color::LightRed,
        "bright_green" => Color::LightGreen,
        "bright_yellow" => Color::LightYellow,
        "bright_blue" => Color::LightBlue,
        "bright_magenta" => Color::LightMagenta,
        "bright_cyan" => Color::LightCyan,
        "bright_white" => Color::White,
        other => {
            return Err(format!(
                "unknown colour `{}` (a palette name or #rrggbb)",
                crate::text::sanitize_line(other)
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses() {
        for (name, src) in BUILTIN {
            let t = parse(src).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(t.name, name);
        }
    }

    #[test]
    fn monochrome_has_no_colour_and_default_uses_only_the_palette() {
        let mono = Theme::builtin("monochrome").unwrap();
        let def = Theme::builtin("default").unwrap();
        for role in Role::ALL {
            let s = mono.style(role);
            assert!(s.fg.is_none() && s.bg.is_none(), "{role:?}");
            assert!(!matches!(def.style(role).fg, Some(Color::Rgb(..))));
        }
    }

    #[test]
    fn selection_is_reverse_video_in_every_theme() {
        for (name, _) in BUILTIN {
            let t = Theme::builtin(name).unwrap();
            assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
        }
    }

    #[test]
    fn no_color_picks_monochrome_unless_a_theme_is_asked_for() {
        assert_eq!(select(None, true, None).unwrap().name, "monochrome");
        assert_eq!(select(None, false, None).unwrap().name, "default");
        assert_eq!(select(Some("light"), true, None).unwrap().name, "light");
        assert!(select(Some("nope"), false, None).is_err());
        assert!(select(Some("../x"), false, None).is_err());
    }

    #[test]
    fn user_themes_and_errors() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join("themes")).unwrap();
        std::fs::write(
            tmp.path().join("themes/mine.yaml"),
            "name: mine\nroles:\n  overdue: { fg: '#ff0000' }\n",
        )
        .unwrap();
        let t = select(Some("mine"), false, Some(tmp.path())).unwrap();
        assert_eq!(t.style(Role::Overdue).fg, Some(Color::Rgb(255, 0, 0)));
        assert!(parse("name: x\nroles:\n  overdu: {}\n").is_err());
        assert!(parse("name: x\nroles:\n  ok: { fg: mauve }\n").is_err());
    }
}
