//! The layout of a document on pages: where each line of text, each rule, bar and the
//! logo go (a list of [`Item`]s per page), with greedy line breaking on the font's
//! advance widths, headings kept with what follows, and a table's header repeated after
//! a page break. Drawing them is [`super::render`]'s.

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size as FontSize};

use crate::audit::document::printable as sanitize_line;
use crate::audit::document::{Block, Chart, Document, Table};

pub(super) const MARGIN: f32 = 56.0;
pub(super) const FOOTER: f32 = 28.0;
pub(super) const BODY: f32 = 10.0;
pub(super) const LEAD: f32 = 1.38;
pub(super) const INK: (u8, u8, u8) = (20, 20, 20);
pub(super) const MUTED: (u8, u8, u8) = (90, 90, 90);
pub(super) const RULE: (u8, u8, u8) = (170, 170, 170);
pub(super) const SHADE: (u8, u8, u8) = (232, 236, 240);
/// Series colours of a chart (each bar also carries its number: never colour alone).
pub(super) const SERIES: [(u8, u8, u8); 3] = [(31, 78, 121), (197, 90, 17), (110, 110, 110)];

pub(super) struct Face {
    pub(super) font: krilla::text::Font,
    metrics: skrifa::FontRef<'static>,
}

impl Face {
    pub(super) fn new(bytes: &'static [u8]) -> Result<Face, super::PdfError> {
        let bad = || super::PdfError::Write("the embedded font cannot be read".into());
        Ok(Face {
            font: krilla::text::Font::new(bytes.into(), 0).ok_or_else(bad)?,
            metrics: skrifa::FontRef::new(bytes).map_err(|_| bad())?,
        })
    }

    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
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
pub(super) enum Item {
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

/// Lays out documents: the pages' items.
pub(super) struct Layout<'a> {
    pub(super) regular: &'a Face,
    pub(super) bold: &'a Face,
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) y: f32,
    pub(super) pages: Vec<Vec<Item>>,
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

    pub(super) fn new_page(&mut self) {
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

    pub(super) fn letterhead(&mut self, doc: &Document, logo: Option<(f32, f32)>) {
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

    pub(super) fn block(&mut self, b: &Block, next_is_content: bool) {
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
