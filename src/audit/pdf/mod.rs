//! PDF rendering of a [`Document`] with `krilla` (docs/LETTERS.md says why this engine):
//! a small layout of our own (greedy line breaking on the font's advance widths,
//! page breaks that keep a heading with what follows and repeat a table's header) over
//! krilla's text, paths and images. The fonts are DejaVu Sans, embedded in the binary
//! and subset into each PDF; nothing is read from the machine and nothing is fetched.
//!
//! Every string is passed through [`sanitize_line`] before it is measured or drawn:
//! control, bidi and invisible characters from a case or a record show as visible
//! markers on paper as on a terminal.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

mod layout;

use layout::{Face, Item, Layout, MARGIN, MUTED};

use super::document::printable as sanitize_line;
use super::document::{Block, Document};
use super::letterhead::{Logo, LogoKind};

/// DejaVu Sans (Bitstream Vera licence; assets/fonts/README.md).
pub const REGULAR_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub const BOLD_FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// The paper a PDF is laid out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    /// US Letter, 8.5 × 11 in: the default (a US clinic's paper).
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

impl Paper {
    /// Width and height in PostScript points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::Letter => (612.0, 792.0),
            Paper::A4 => (595.28, 841.89),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Paper::Letter => "letter",
            Paper::A4 => "a4",
        }
    }
}

/// Why no PDF could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the logo cannot be drawn: {0}")]
    Logo(String),
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Renders `doc` on `paper`: the letterhead (with the logo, when there is one) on the
/// first page, the footer and "page N of M" on every page.
pub fn render(doc: &Document, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let regular = Face::new(REGULAR_FONT)?;
    let bold = Face::new(BOLD_FONT)?;
    let (width, height) = paper.size();
    let logo = doc.letterhead.logo.as_ref().map(logo_image).transpose()?;
    // The logo's box: at most 48 pt high and 160 pt wide, its proportions kept.
    let logo_box = logo.as_ref().map(|l| {
        let (w, h) = l.size();
        let scale = (48.0 / h.max(1.0)).min(160.0 / w.max(1.0));
        (w * scale, h * scale)
    });
    let mut layout = Layout {
        regular: &regular,
        bold: &bold,
        width,
        height,
        y: MARGIN,
        pages: Vec::new(),
    };
    layout.new_page();
    layout.letterhead(doc, logo_box);
    for (i, b) in doc.blocks.iter().enumerate() {
        let next_is_content = doc
            .blocks
            .get(i + 1)
            .is_some_and(|n| !matches!(n, Block::Heading(_)));
        layout.block(b, next_is_content);
    }
    let pages = std::mem::take(&mut layout.pages);
    let total = pages.len();

    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(sanitize_line(&doc.title))
            .language("en-US".into())
            .creator(format!("casebench {}", env!("CARGO_PKG_VERSION")))
            .authors(vec![sanitize_line(&doc.letterhead.entity)]),
    );
    let settings = PageSettings::from_wh(width, height)
        .ok_or_else(|| PdfError::Write("invalid paper size".into()))?;
    let footer = sanitize_line(&doc.footer);
    for (n, items) in pages.into_iter().enumerate() {
        let mut page = pdf.start_page_with(settings.clone());
        let mut s = page.surface();
        for item in &items {
            draw(&mut s, item, &regular, &bold, logo.as_ref());
        }
        let base = height - MARGIN + 6.0;
        let mark = format!("page {} of {total}", n + 1);
        let mw = regular.width(&mark, 7.5);
        let avail = width - 2.0 * MARGIN - mw - 12.0;
        let foot = layout_line(&regular, &footer, 7.5, avail);
        for (x, t) in [
            (MARGIN, foot.as_str()),
            (width - MARGIN - mw, mark.as_str()),
        ] {
            draw(
                &mut s,
                &Item::Text {
                    x,
                    y: base,
                    bold: false,
                    size: 7.5,
                    color: MUTED,
                    text: t.to_string(),
                },
                &regular,
                &bold,
                None,
            );
        }
        s.finish();
        page.finish();
    }
    pdf.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

/// `text` cut with "…" to fit `width`.
fn layout_line(face: &Face, text: &str, size: f32, width: f32) -> String {
    if face.width(text, size) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        out.push(c);
        if face.width(&out, size) + face.width("…", size) > width {
            out.pop();
            break;
        }
    }
    out + "…"
}

/// The logo as a krilla image (PNG or JPEG); an SVG is drawn from its tree.
enum LogoImage {
    Raster(Image),
    Svg(Box<usvg::Tree>),
}

impl LogoImage {
    fn size(&self) -> (f32, f32) {
        match self {
            LogoImage::Raster(i) => {
                let (w, h) = i.size();
                (w as f32, h as f32)
            }
            LogoImage::Svg(t) => (t.size().width(), t.size().height()),
        }
    }
}

fn logo_image(logo: &Logo) -> Result<LogoImage, PdfError> {
    let data: krilla::Data = logo.bytes.clone().into();
    match logo.kind {
        LogoKind::Png => Image::from_png(data, true)
            .map(LogoImage::Raster)
            .map_err(PdfError::Logo),
        LogoKind::Jpeg => Image::from_jpeg(data, true)
            .map(LogoImage::Raster)
            .map_err(PdfError::Logo),
        LogoKind::Svg => {
            // No file, font or network is ever loaded for the logo: only what it holds.
            let mut opts = usvg::Options {
                resources_dir: None,
                ..usvg::Options::default()
            };
            // Text in the logo is set in the embedded fonts (no system font is read).
            opts.fontdb_mut().load_font_data(REGULAR_FONT.to_vec());
            opts.fontdb_mut().load_font_data(BOLD_FONT.to_vec());
            opts.font_family = "DejaVu Sans".into();
            // Any family the logo names falls back to the embedded one.
            let db = opts.fontdb_mut();
            db.set_serif_family("DejaVu Sans");
            db.set_sans_serif_family("DejaVu Sans");
            db.set_monospace_family("DejaVu Sans");
            db.set_cursive_family("DejaVu Sans");
            db.set_fantasy_family("DejaVu Sans");
            opts.image_href_resolver = usvg::ImageHrefResolver {
                resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
                resolve_string: Box::new(|_, _| None),
            };
            usvg::Tree::from_data(&logo.bytes, &opts)
                .map(|t| LogoImage::Svg(Box::new(t)))
                .map_err(|e| PdfError::Logo(format!("the SVG cannot be read: {e}")))
        }
    }
}

fn fill(color: (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        ..Fill::default()
    }
}

fn draw(s: &mut Surface, item: &Item, regular: &Face, bold: &Face, logo: Option<&LogoImage>) {
    match item {
        Item::Text {
            x,
            y,
            bold: b,
            size,
            color,
            text,
        } => {
            s.set_fill(Some(fill(*color)));
            let font = if *b { &bold.font } else { &regular.font };
            s.draw_text(
                Point::from_xy(*x, *y),
                font.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Item::Rect { x, y, w, h, color } => {
            if let Some(r) = Rect::from_xywh(*x, *y, *w, *h) {
                let mut pb = PathBuilder::new();
                pb.push_rect(r);
                if let Some(path) = pb.finish() {
                    s.set_fill(Some(fill(*color)));
                    s.set_stroke(None::<Stroke>);
                    s.draw_path(&path);
                }
            }
        }
        Item::Logo { x, y, w, h } => {
            let Some(logo) = logo else { return };
            let Some(size) = Size::from_wh(*w, *h) else {
                return;
            };
            s.push_transform(&Transform::from_translate(*x, *y));
            match logo {
                LogoImage::Raster(img) => s.draw_image(img.clone(), size),
                LogoImage::Svg(tree) => {
                    use krilla_svg::SurfaceExt;
                    let _ = s.draw_svg(tree, size, krilla_svg::SvgSettings::default());
                }
            }
            s.pop();
        }
    }
}
