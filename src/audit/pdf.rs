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
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};

use super::document::{Block, Chart, Document, Table};
use super::letterhead::{Logo, LogoKind};
use crate::text::sanitize_line;

/// DejaVu Sans (Bitstream Vera licence; assets/fonts/README.md).
pub const REGULAR_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub const BOLD_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

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

const MARGIN: f32 = 56.0;
const FOOTER: f32 = 28.0;
const BODY: f32 = 10.0;
const LEAD: f32 = 1.38;
const INK: (u8, u8, u8) = (20, 20, 20);
const MUTED: (u8, u8, u8) = (90, 90, 90);
const RULE: (u8, u8, u8) = (170, 170, 170);
const SHADE: (u8, u8, u8) = (232, 236, 240);
/// Series colours of a chart (each bar also carries its number: never colour alone).
const SERIES: [(u8, u8, u8); 3] = [(31, 78, 121), (197, 90, 17), (110, 110, 110)];

struct Face {
    font: Font,
    metrics: skrifa::FontRef<'static>,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Result<Face, PdfError> {
        let bad = || PdfError::Write("the embedded font cannot be read".into());
        Ok(Face {
            font: Font::new(bytes.into(), 0).ok_or_else(bad)?,
            metrics: skrifa::FontRef::new(bytes).map_err(|_| bad())?,
        })
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let map = self.metrics.charmap();
        let gm = self
            .metrics
            .glyph_metrics(FontSize::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                map.map(c)
                    .and_then(|g| gm.advance_width(g))
                    .unwrap_or(size * 0.6)
            })
            .sum()
    }
}

/// One thing drawn on a page.
enum Item {
    Text {
        x: f32,
        y: f32,
        bold: bool,
        size: f32,
        color: (u8, u8, u8),
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    Logo {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// Lays out and draws documents.
struct Layout<'a> {
    regular: &'a Face,
    bold: &'a Face,
    width: f32,
    height: f32,
    y: f32,
    pages: Vec<Vec<Item>>,
}

impl<'a> Layout<'a> {
    fn left(&self) -> f32 {
        MARGIN
    }

    fn content_width(&self) -> f32 {
        self.width - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.height - MARGIN - FOOTER
    }

    fn face(&self, bold: bool) -> &'a Face {
        if bold { self.bold } else { self.regular }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > MARGIN + 1.0 {
            self.new_page();
        }
    }

    fn push(&mut self, item: Item) {
        if let Some(p) = self.pages.last_mut() {
            p.push(item);
        }
    }

    /// `text` broken into lines no wider than `width` (a word longer than a line is cut
    /// between characters).
    fn wrap(&self, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
        let face = self.face(bold);
        let mut lines = Vec::new();
        let mut cur = String::new();
        for word in text.split(' ') {
            let candidate = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if face.width(&candidate, size) <= width {
                cur = candidate;
                continue;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            // The word alone: cut it where it overflows.
            for c in word.chars() {
                let mut next = cur.clone();
                next.push(c);
                if face.width(&next, size) > width && !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                    cur.push(c);
                } else {
                    cur = next;
                }
            }
        }
        if !cur.is_empty() || lines.is_empty() {
            lines.push(cur);
        }
        lines
    }

    fn text(&mut self, x: f32, baseline: f32, size: f32, bold: bool, color: (u8, u8, u8), t: &str) {
        self.push(Item::Text {
            x,
            y: baseline,
            bold,
            size,
            color,
            text: t.to_string(),
        });
    }

    /// A wrapped paragraph at `x`, `width` wide; lines flow onto new pages.
    fn paragraph(
        &mut self,
        t: &str,
        x: f32,
        width: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
    ) {
        let lh = size * LEAD;
        for line in self.wrap(&sanitize_line(t), size, bold, width) {
            self.ensure(lh);
            let base = self.y + size;
            self.text(x, base, size, bold, color, &line);
            self.y += lh;
        }
    }

    fn rule(&mut self, thickness: f32) {
        let (x, w, y) = (self.left(), self.content_width(), self.y);
        self.push(Item::Rect {
            x,
            y,
            w,
            h: thickness,
            color: RULE,
        });
    }

    fn letterhead(&mut self, doc: &Document, logo: Option<(f32, f32)>) {
        let lh = &doc.letterhead;
        let mut x = self.left();
        let top = self.y;
        let mut logo_bottom = top;
        if let Some((w, h)) = logo {
            self.push(Item::Logo { x, y: top, w, h });
            x += w + 14.0;
            logo_bottom = top + h;
        }
        let width = self.width - MARGIN - x;
        self.y = top;
        self.paragraph(&lh.entity, x, width, 14.0, true, INK);
        if !lh.address.is_empty() {
            self.paragraph(&lh.address, x, width, 9.0, false, MUTED);
        }
        if let Some(c) = &lh.contact {
            self.paragraph(c, x, width, 9.0, false, MUTED);
        }
        self.y = self.y.max(logo_bottom) + 8.0;
        self.rule(0.8);
        self.y += 14.0;
        let cw = self.content_width();
        self.paragraph(&doc.title, self.left(), cw, 15.0, true, INK);
        self.y += 4.0;
    }

    fn block(&mut self, b: &Block, next_is_content: bool) {
        let cw = self.content_width();
        let left = self.left();
        let lh = BODY * LEAD;
        match b {
            Block::Heading(t) => {
                self.y += 10.0;
                // Keep a heading with at least two lines of what follows.
                self.ensure(12.0 * LEAD + if next_is_content { 2.0 * lh } else { 0.0 });
                self.paragraph(t, left, cw, 12.0, true, INK);
                self.y += 2.0;
            }
            Block::Para(t) => {
                self.y += 5.0;
                self.paragraph(t, left, cw, BODY, false, INK);
            }
            Block::Bullets(items) => {
                self.y += 3.0;
                for i in items {
                    let indent = 14.0;
                    self.ensure(lh);
                    let base = self.y + BODY;
                    self.text(left + 3.0, base, BODY, false, INK, "•");
                    self.paragraph(i, left + indent, cw - indent, BODY, false, INK);
                    self.y += 2.0;
                }
            }
            Block::Fields(fields) => {
                self.y += 6.0;
                let labels: Vec<String> =
                    fields.iter().map(|(k, _)| sanitize_line(k) + ":").collect();
                let lw = labels
                    .iter()
                    .map(|l| self.bold.width(l, BODY))
                    .fold(0.0, f32::max)
                    + 8.0;
                for (label, (_, v)) in labels.iter().zip(fields) {
                    self.ensure(lh);
                    let base = self.y + BODY;
                    self.text(left, base, BODY, true, INK, label);
                    self.paragraph(v, left + lw, cw - lw, BODY, false, INK);
                }
            }
            Block::Figures(figures) => {
                self.y += 6.0;
                for (label, value) in figures {
                    self.ensure(lh);
                    let base = self.y + BODY;
                    let v = sanitize_line(value);
                    let vw = self.bold.width(&v, BODY);
                    self.text(left + 60.0 - vw, base, BODY, true, INK, &v);
                    self.paragraph(label, left + 70.0, cw - 70.0, BODY, false, INK);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Chart(c) => self.chart(c),
        }
    }

    fn table(&mut self, t: &Table) {
        let cw = self.content_width();
        let total: f32 = t.widths.iter().map(|w| f32::from(*w)).sum::<f32>().max(1.0);
        let widths: Vec<f32> = (0..t.header.len())
            .map(|i| cw * f32::from(t.widths.get(i).copied().unwrap_or(1)) / total)
            .collect();
        let size = 8.5;
        let lh = size * LEAD;
        let pad = 3.0;
        self.y += 6.0;
        let header_h = self.row_height(&t.header, &widths, size, true) + 2.0 * pad;
        let mut draw_header = true;
        for row in &t.rows {
            let h = self.row_height(row, &widths, size, false) + 2.0 * pad;
            self.ensure(h + if draw_header { header_h } else { 0.0 });
            if draw_header || self.y <= MARGIN + 0.5 {
                self.table_row(&t.header, &widths, size, true, header_h, pad, lh);
                draw_header = false;
            }
            let before = self.pages.len();
            self.ensure(h);
            if self.pages.len() != before {
                self.table_row(&t.header, &widths, size, true, header_h, pad, lh);
            }
            self.table_row(row, &widths, size, false, h, pad, lh);
        }
        if t.rows.is_empty() {
            self.table_row(&t.header, &widths, size, true, header_h, pad, lh);
        }
    }

    fn row_height(&self, cells: &[String], widths: &[f32], size: f32, bold: bool) -> f32 {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.wrap(&sanitize_line(c), size, bold, w - 6.0).len())
            .max()
            .unwrap_or(1) as f32
            * size
            * LEAD
    }

    #[allow(clippy::too_many_arguments)]
    fn table_row(
        &mut self,
        cells: &[String],
        widths: &[f32],
        size: f32,
        bold: bool,
        h: f32,
        pad: f32,
        lh: f32,
    ) {
        let (left, cw, top) = (self.left(), self.content_width(), self.y);
        if bold {
            self.push(Item::Rect {
                x: left,
                y: top,
                w: cw,
                h,
                color: SHADE,
            });
        }
        let mut x = left;
        for (c, w) in cells.iter().zip(widths) {
            let lines = self.wrap(&sanitize_line(c), size, bold, w - 2.0 * pad);
            for (i, line) in lines.iter().enumerate() {
                let base = top + pad + size + i as f32 * lh;
                self.text(x + pad, base, size, bold, INK, line);
            }
            x += w;
        }
        self.y = top + h;
        self.push(Item::Rect {
            x: left,
            y: self.y - 0.4,
            w: cw,
            h: 0.4,
            color: RULE,
        });
    }

    /// A horizontal bar chart: a label column, one bar per series, the number beside
    /// each bar; a legend when there are several series; the summary in words below.
    fn chart(&mut self, c: &Chart) {
        let (left, cw) = (self.left(), self.content_width());
        let size = 8.5;
        let bar = 7.0;
        let gap = 5.0;
        let group_h = |n: usize| n as f32 * (bar + 1.5) + gap;
        self.y += 10.0;
        self.ensure(12.0 * LEAD + group_h(c.series.len()) * c.bars.len().min(3) as f32);
        self.paragraph(&c.title, left, cw, 10.5, true, INK);
        if c.series.len() > 1 {
            let mut x = left;
            let base = self.y + size + 2.0;
            for (i, s) in c.series.iter().enumerate() {
                let color = SERIES[i % SERIES.len()];
                self.push(Item::Rect {
                    x,
                    y: base - 7.0,
                    w: 8.0,
                    h: 8.0,
                    color,
                });
                let s = sanitize_line(s);
                self.text(x + 11.0, base, size, false, INK, &s);
                x += 11.0 + self.regular.width(&s, size) + 14.0;
            }
            self.y += size * LEAD + 4.0;
        }
        let label_w = cw * 0.32;
        let bars_w = cw - label_w - 36.0;
        let max = c.max().max(1) as f32;
        for (label, values) in &c.bars {
            let h = group_h(values.len());
            self.ensure(h);
            let top = self.y;
            let label = self
                .wrap(&sanitize_line(label), size, false, label_w - 6.0)
                .into_iter()
                .next()
                .unwrap_or_default();
            self.text(left, top + size, size, false, INK, &label);
            for (i, v) in values.iter().enumerate() {
                let y = top + i as f32 * (bar + 1.5);
                let w = bars_w * (*v as f32) / max;
                if w > 0.0 {
                    self.push(Item::Rect {
                        x: left + label_w,
                        y,
                        w,
                        h: bar,
                        color: SERIES[i % SERIES.len()],
                    });
                }
                let n = v.to_string();
                self.text(left + label_w + w + 3.0, y + bar - 0.5, 7.5, false, INK, &n);
            }
            self.y = top + h;
        }
        self.y += 2.0;
        self.paragraph(&c.summary, left, cw, 8.5, false, MUTED);
    }
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
