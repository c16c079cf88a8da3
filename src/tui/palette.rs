//! What the terminal can draw, from the environment, decided before the terminal is
//! touched: `TERM=dumb` cannot show the workbench at all, and a `#rrggbb` theme colour
//! is sent as 24-bit colour only when `COLORTERM` says the terminal takes it
//! (`truecolor` or `24bit`). Otherwise it becomes the nearest colour of the 256-colour
//! palette (`TERM` ending in `256color`) or of the 16 ANSI colours. `COLORTERM` does not
//! cross SSH by default, so over SSH the fallback is the usual case.

use ratatui::style::{Color, Style};

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorDepth {
    Ansi16,
    Indexed256,
    TrueColor,
}

/// Why the workbench cannot run on this terminal, or `None` when it can.
pub fn unusable_terminal(term: Option<&str>) -> Option<String> {
    match term {
        Some("dumb") => Some(
            "TERM=dumb: this terminal cannot show the workbench (it moves the cursor, uses an \
             alternate screen and draws boxes). Use a full terminal (TERM=xterm-256color, for \
             example), or the text commands: casebench list, casebench show ID, casebench \
             decide ID ..."
                .to_string(),
        ),
        _ => None,
    }
}

impl ColorDepth {
    /// From the values of `TERM` and `COLORTERM`.
    pub fn detect(term: Option<&str>, colorterm: Option<&str>) -> ColorDepth {
        let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" {
            ColorDepth::TrueColor
        } else if term.is_some_and(|t| t.ends_with("256color") || t.ends_with("256")) {
            ColorDepth::Indexed256
        } else {
            ColorDepth::Ansi16
        }
    }

    /// From the process environment.
    pub fn from_env() -> ColorDepth {
        let var = |k: &str| std::env::var(k).ok();
        ColorDepth::detect(var("TERM").as_deref(), var("COLORTERM").as_deref())
    }

    /// `c` as this terminal can show it (only 24-bit colours change).
    pub fn color(self, c: Color) -> Color {
        match (self, c) {
            (ColorDepth::TrueColor, c) => c,
            (ColorDepth::Indexed256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
            (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
            (_, c) => c,
        }
    }

    /// Every colour of `s` as this terminal can show it.
    pub fn style(self, mut s: Style) -> Style {
        s.fg = s.fg.map(|c| self.color(c));
        s.bg = s.bg.map(|c| self.color(c));
        s.underline_color = s.underline_color.map(|c| self.color(c));
        s
    }
}

fn dist((r, g, b): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2) as u32;
    d(r, r2) + d(g, g2) + d(b, b2)
}

/// The nearest entry of the xterm 256-colour palette's colour cube (16-231) or grey ramp
/// (232-255); the first 16 are left out because terminals redefine them.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let level = |v: u8| {
        (0..6)
            .min_by_key(|&i| (i32::from(LEVELS[i]) - i32::from(v)).abs())
            .unwrap_or(0)
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (LEVELS[ri], LEVELS[gi], LEVELS[bi]);
    let cube_index = 16 + 36 * ri as u8 + 6 * gi as u8 + bi as u8;
    let avg = ((u32::from(r) + u32::from(g) + u32::from(b)) / 3) as u8;
    let grey_step = (avg.saturating_sub(3) / 10).min(23);
    let grey = 8 + 10 * grey_step;
    if dist((r, g, b), (grey, grey, grey)) < dist((r, g, b), cube) {
        232 + grey_step
    } else {
        cube_index
    }
}

/// The nearest of the 16 ANSI colours, by their usual xterm values.
fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    const ANSI: [(Color, (u8, u8, u8)); 16] = [
        (Color::Black, (0, 0, 0)),
        (Color::Red, (205, 0, 0)),
        (Color::Green, (0, 205, 0)),
        (Color::Yellow, (205, 205, 0)),
        (Color::Blue, (0, 0, 238)),
        (Color::Magenta, (205, 0, 205)),
        (Color::Cyan, (0, 205, 205)),
        (Color::Gray, (229, 229, 229)),
        (Color::DarkGray, (127, 127, 127)),
        (Color::LightRed, (255, 0, 0)),
        (Color::LightGreen, (0, 255, 0)),
        (Color::LightYellow, (255, 255, 0)),
        (Color::LightBlue, (92, 92, 255)),
        (Color::LightMagenta, (255, 0, 255)),
        (Color::LightCyan, (0, 255, 255)),
        (Color::White, (255, 255, 255)),
    ];
    ANSI.iter()
        .min_by_key(|(_, rgb)| dist((r, g, b), *rgb))
        .map_or(Color::Reset, |(c, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_from_the_environment() {
        use ColorDepth::*;
        assert_eq!(ColorDepth::detect(Some("xterm-256color"), None), Indexed256);
        assert_eq!(
            ColorDepth::detect(Some("xterm-256color"), Some("truecolor")),
            TrueColor
        );
        assert_eq!(ColorDepth::detect(Some("xterm"), Some("24bit")), TrueColor);
        assert_eq!(
            ColorDepth::detect(Some("screen-256color"), Some("yes")),
            Indexed256
        );
        assert_eq!(ColorDepth::detect(Some("xterm"), None), Ansi16);
        assert_eq!(ColorDepth::detect(Some("linux"), Some("")), Ansi16);
        assert_eq!(ColorDepth::detect(None, None), Ansi16);
    }

    #[test]
    fn dumb_terminals_are_refused() {
        assert!(unusable_terminal(Some("dumb")).is_some());
        assert!(unusable_terminal(Some("xterm")).is_none());
        assert!(unusable_terminal(None).is_none());
    }

    #[test]
    fn rgb_falls_back_to_the_nearest_palette_colour() {
        let d = ColorDepth::Indexed256;
        assert_eq!(d.color(Color::Rgb(255, 0, 0)), Color::Indexed(196));
        assert_eq!(d.color(Color::Rgb(0, 0, 0)), Color::Indexed(16));
        assert_eq!(d.color(Color::Rgb(0x6c, 0x6c, 0x6c)), Color::Indexed(242));
        assert_eq!(d.color(Color::Rgb(0x00, 0x64, 0x00)), Color::Indexed(22));
        assert_eq!(d.color(Color::Red), Color::Red);
        let d = ColorDepth::Ansi16;
        assert_eq!(d.color(Color::Rgb(0xb0, 0, 0)), Color::Red);
        assert_eq!(d.color(Color::Rgb(0x6c, 0x6c, 0x6c)), Color::DarkGray);
        assert_eq!(d.color(Color::Rgb(250, 250, 250)), Color::White);
        assert_eq!(
            ColorDepth::TrueColor.color(Color::Rgb(1, 2, 3)),
            Color::Rgb(1, 2, 3)
        );
        let s = Style::new().fg(Color::Rgb(255, 0, 0)).bg(Color::Blue);
        let s = ColorDepth::Indexed256.style(s);
        assert_eq!((s.fg, s.bg), (Some(Color::Indexed(196)), Some(Color::Blue)));
    }
}
