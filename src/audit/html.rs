//! HTML rendering of a [`Document`] (templates in `maud`: checked by the compiler,
//! every string escaped): one self-contained file. Styles are inline, the logo is a
//! `data:` URI, charts are inline SVG, there is no script, and a Content-Security-Policy
//! forbids the page any request at all, so opening it reaches no network.
//!
//! Strings pass through [`sanitize_line`] (control, bidi and invisible characters made
//! visible) and are HTML-escaped by maud.

use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::document::{Block, Chart, Document, Table};

use super::document::printable as s;
use super::pdf::Paper;

/// No request of any kind: images only from `data:` URIs, styles only inline.
pub const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; \
                       base-uri 'none'; form-action 'none'";

/// Series colours (as in the PDF); every bar carries its number too.
const SERIES: [&str; 3] = ["#1f4e79", "#c55a11", "#6e6e6e"];

fn style(paper: Paper) -> String {
    let size = match paper {
        Paper::Letter => "letter",
        Paper::A4 => "A4",
    };
    format!(
        "@page {{ size: {size}; margin: 18mm 16mm 20mm 16mm; }}
body {{ font-family: 'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif;
  font-size: 10.5pt; line-height: 1.4; color: #141414; max-width: 46em; margin: 1.5em auto;
  padding: 0 1em; }}
header.letterhead {{ display: flex; align-items: center; gap: 14px;
  border-bottom: 1px solid #aaa; padding-bottom: 8px; margin-bottom: 14px; }}
header.letterhead img {{ max-height: 64px; max-width: 200px; }}
.entity {{ font-weight: bold; font-size: 14pt; }}
.muted {{ color: #5a5a5a; font-size: 9pt; }}
h1 {{ font-size: 15pt; margin: 0.4em 0 0.6em; }}
h2 {{ font-size: 12pt; margin: 1.2em 0 0.3em; break-after: avoid; page-break-after: avoid; }}
dl.fields {{ display: grid; grid-template-columns: max-content 1fr; gap: 0 0.8em; }}
dl.fields dt {{ font-weight: bold; }} dl.fields dd {{ margin: 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
th {{ background: #e8ecf0; text-align: left; }}
th, td {{ border-bottom: 1px solid #aaa; padding: 3px 4px; vertical-align: top;
  overflow-wrap: anywhere; }}
thead {{ display: table-header-group; }} tr {{ break-inside: avoid; page-break-inside: avoid; }}
figure {{ margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }}
figure svg {{ width: 100%; height: auto; }}
figcaption {{ font-size: 8.5pt; color: #5a5a5a; }}
h3 {{ font-size: 10.5pt; margin: 0 0 0.3em; break-after: avoid; page-break-after: avoid; }}
.figures {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 0.8em; }}
.figures .n {{ font-weight: bold; text-align: right; }}
footer {{ margin-top: 2em; border-top: 1px solid #aaa; padding-top: 4px; font-size: 8pt;
  color: #5a5a5a; }}
@media print {{ body {{ margin: 0; max-width: none; padding: 0; }} }}
"
    )
}

/// The whole page.
pub fn render(doc: &Document, paper: Paper) -> String {
    let lh = &doc.letterhead;
    let logo = lh.logo.as_ref().map(|l| {
        format!(
            "data:{};base64,{}",
            l.kind.mime(),
            base64::engine::general_purpose::STANDARD.encode(&l.bytes)
        )
    });
    let page: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("casebench {}", env!("CARGO_PKG_VERSION")));
                title { (s(&doc.title)) " · " (s(&lh.entity)) }
                style { (PreEscaped(style(paper))) }
            }
            body {
                header.letterhead {
                    @if let Some(src) = &logo {
                        img src=(src) alt=(format!("{} logo", s(&lh.entity)));
                    }
                    div {
                        div.entity { (s(&lh.entity)) }
                        @if !lh.address.is_empty() { div.muted { (s(&lh.address)) } }
                        @if let Some(c) = &lh.contact { div.muted { (s(c)) } }
                    }
                }
                main {
                    h1 { (s(&doc.title)) }
                    @for b in &doc.blocks { (block(b)) }
                }
                footer { (s(&doc.footer)) }
            }
        }
    };
    page.into_string()
}

fn block(b: &Block) -> Markup {
    match b {
        Block::Heading(t) => html! { h2 { (s(t)) } },
        Block::Para(t) => html! { p { (s(t)) } },
        Block::Bullets(items) => html! { ul { @for i in items { li { (s(i)) } } } },
        Block::Fields(fields) => html! {
            dl.fields { @for (k, v) in fields { dt { (s(k)) ":" } dd { (s(v)) } } }
        },
        Block::Figures(figures) => html! {
            div.figures { @for (label, n) in figures { span.n { (s(n)) } span { (s(label)) } } }
        },
        Block::Table(t) => table(t),
        Block::Chart(c) => chart(c),
    }
}

fn table(t: &Table) -> Markup {
    html! {
        table {
            thead { tr { @for h in &t.header { th scope="col" { (s(h)) } } } }
            tbody {
                @for row in &t.rows { tr { @for c in row { td { (s(c)) } } } }
            }
        }
    }
}

/// A horizontal bar chart as inline SVG, with a title, a legend, each bar's number, and
/// the chart's summary in words (its caption, and the SVG's description).
pub fn chart(c: &Chart) -> Markup {
    let width = 640.0_f32;
    let label_w = 200.0_f32;
    let bars_w = width - label_w - 40.0;
    let bar = 12.0_f32;
    let legend_h = if c.series.len() > 1 { 22.0 } else { 0.0 };
    let group = c.series.len().max(1) as f32 * (bar + 2.0) + 8.0;
    let height = legend_h + group * c.bars.len() as f32 + 4.0;
    let max = c.max().max(1) as f32;
    let title = s(&c.title);
    html! {
        figure {
            h3 { (title) }
            svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox=(format!("0 0 {width} {height}"))
                width=(width) height=(height) font-family="DejaVu Sans, Arial, sans-serif" font-size="11" {
                title { (title) }
                desc { (s(&c.summary)) }
                @if c.series.len() > 1 {
                    @for (i, name) in c.series.iter().enumerate() {
                        rect x=(label_w + i as f32 * 110.0) y="4" width="10" height="10" fill=(SERIES[i % SERIES.len()]) {}
                        text x=(label_w + i as f32 * 110.0 + 14.0) y="13" { (s(name)) }
                    }
                }
                @for (g, (label, values)) in c.bars.iter().enumerate() {
                    @let top = legend_h + g as f32 * group;
                    text x="0" y=(top + bar - 2.0) { (s(label)) }
                    @for (i, v) in values.iter().enumerate() {
                        @let y = top + i as f32 * (bar + 2.0);
                        @let w = bars_w * (*v as f32) / max;
                        rect x=(label_w) y=(y) width=(w) height=(bar) fill=(SERIES[i % SERIES.len()]) {
                            title { (format!("{}: {v}", c.series.get(i).map_or("", String::as_str))) }
                        }
                        text x=(label_w + w + 4.0) y=(y + bar - 2.0) { (v) }
                    }
                }
            }
            figcaption { (s(&c.summary)) }
        }
    }
}
