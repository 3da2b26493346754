//! A self-contained HTML page: sections of text, tables and inline SVG charts.

use std::fmt::Write as _;

use super::style::xml_escape;
use crate::error::Result;

/// A table of text cells. Columns whose cells all read as numbers (or are empty
/// or `n/a`) are right-aligned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Optional caption above the table.
    pub caption: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows of cells (plain text; escaped when written).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers and no rows.
    #[must_use]
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Self {
            caption: None,
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Sets the caption.
    #[must_use]
    pub fn caption(mut self, caption: impl Into<String>) -> Self {
        self.caption = Some(caption.into());
        self
    }

    /// Adds a row.
    pub fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }

    fn numeric_columns(&self) -> Vec<bool> {
        (0..self.headers.len())
            .map(|j| {
                let mut any = false;
                let all = self.rows.iter().all(|r| {
                    let c = r.get(j).map_or("", |s| s.trim());
                    let is_num = c.trim_end_matches('%').parse::<f64>().is_ok();
                    any |= is_num;
                    c.is_empty() || c == "n/a" || c == "–" || is_num
                });
                all && any
            })
            .collect()
    }

    /// The table as HTML.
    pub fn to_html(&self) -> String {
        let numeric = self.numeric_columns();
        let mut s = String::from("<div class=\"table\"><table>\n");
        if let Some(c) = &self.caption {
            let _ = writeln!(s, "<caption>{}</caption>", xml_escape(c));
        }
        s.push_str("<thead><tr>");
        for (j, h) in self.headers.iter().enumerate() {
            let class = if numeric.get(j).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(s, "<th{class}>{}</th>", xml_escape(h));
        }
        s.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            s.push_str("<tr>");
            for (j, c) in row.iter().enumerate() {
                let class = if numeric.get(j).copied().unwrap_or(false) {
                    " class=\"num\""
                } else {
                    ""
                };
                let _ = write!(s, "<td{class}>{}</td>", xml_escape(c));
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table></div>\n");
        s
    }
}

/// One block of a [`Section`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Block {
    /// A paragraph of plain text (escaped).
    Text(String),
    /// A bulleted list of plain-text items (escaped).
    List(Vec<String>),
    /// A table.
    Table(Table),
    /// An SVG chart, inlined as it is (it must be trusted SVG, such as the
    /// charts of this module).
    Svg(String),
    /// Preformatted text (escaped), for specifications and logs.
    Code(String),
    /// HTML inlined as it is (links, the what-if panel and its script): it must
    /// be trusted HTML, such as this module makes.
    Html(String),
}

/// A section of an [`HtmlReport`]: a heading and its blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Anchor id (letters, digits and dashes).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Content, in order.
    pub blocks: Vec<Block>,
}

impl Section {
    /// An empty section; the id is made from the title.
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        let title = title.into();
        let id = title
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        Self {
            id,
            title,
            blocks: Vec::new(),
        }
    }

    /// Adds a block.
    #[must_use]
    pub fn with(mut self, block: Block) -> Self {
        self.blocks.push(block);
        self
    }

    /// Adds a block in place.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }
}

/// A self-contained HTML page: a title, a table of contents and sections. The
/// page loads nothing: styles are inline and charts are inline SVG, so the one
/// file can be mailed or archived as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlReport {
    /// Page title and top heading.
    pub title: String,
    /// Line under the heading.
    pub subtitle: Option<String>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

const CSS: &str = "body{font-family:-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;\
color:#222;max-width:1100px;margin:2em auto;padding:0 1.5em;line-height:1.45}\
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}\
.subtitle{color:#666;margin-top:0}nav ol{columns:2;color:#444}\
.table{overflow-x:auto;margin:1em 0}table{border-collapse:collapse;font-size:.88em}\
caption{text-align:left;font-weight:600;padding:.3em 0}\
th,td{border-bottom:1px solid #e4e4e4;padding:.25em .6em;text-align:left;white-space:nowrap}\
th{background:#f4f4f4;position:sticky;top:0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\
tbody tr:nth-child(even){background:#fafafa}\
figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}\
pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}\
footer{margin-top:3em;color:#888;font-size:.85em}\
@media print{nav{display:none}h2{page-break-before:auto}figure,table{page-break-inside:avoid}}";

impl HtmlReport {
    /// An empty report.
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            subtitle: None,
            sections: Vec::new(),
        }
    }

    /// Sets the line under the heading.
    #[must_use]
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Self {
        self.subtitle = Some(subtitle.into());
        self
    }

    /// Adds a section.
    #[must_use]
    pub fn section(mut self, section: Section) -> Self {
        self.sections.push(section);
        self
    }

    /// The page as HTML.
    pub fn to_html(&self) -> String {
        let mut s = String::with_capacity(64 * 1024);
        s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(s, "<title>{}</title>", xml_escape(&self.title));
        let _ = writeln!(s, "<style>{CSS}</style>\n</head>\n<body>");
        let _ = writeln!(s, "<h1>{}</h1>", xml_escape(&self.title));
        if let Some(sub) = &self.subtitle {
            let _ = writeln!(s, "<p class=\"subtitle\">{}</p>", xml_escape(sub));
        }
        if self.sections.len() > 1 {
            s.push_str("<nav><ol>\n");
            for sec in &self.sections {
                let _ = writeln!(
                    s,
                    "<li><a href=\"#{}\">{}</a></li>",
                    xml_escape(&sec.id),
                    xml_escape(&sec.title)
                );
            }
            s.push_str("</ol></nav>\n");
        }
        for sec in &self.sections {
            let _ = writeln!(
                s,
                "<section id=\"{}\">\n<h2>{}</h2>",
                xml_escape(&sec.id),
                xml_escape(&sec.title)
            );
            for b in &sec.blocks {
                match b {
                    Block::Text(t) => {
                        let _ = writeln!(s, "<p>{}</p>", xml_escape(t));
                    }
                    Block::List(items) => {
                        s.push_str("<ul>\n");
                        for i in items {
                            let _ = writeln!(s, "<li>{}</li>", xml_escape(i));
                        }
                        s.push_str("</ul>\n");
                    }
                    Block::Table(t) => s.push_str(&t.to_html()),
                    Block::Svg(svg) => {
                        let _ = writeln!(s, "<figure>\n{}\n</figure>", svg.trim());
                    }
                    Block::Code(c) => {
                        let _ = writeln!(s, "<pre>{}</pre>", xml_escape(c));
                    }
                    Block::Html(h) => {
                        s.push_str(h);
                        s.push('\n');
                    }
                }
            }
            s.push_str("</section>\n");
        }
        let _ = writeln!(
            s,
            "<footer>Made with composite-index {}. This file is self-contained: it loads nothing from the network.</footer>\n</body>\n</html>",
            env!("CARGO_PKG_VERSION")
        );
        s
    }

    /// Writes the page to a file, atomically (a temporary file beside it,
    /// renamed over it once complete).
    ///
    /// # Errors
    /// [`Error::Io`](crate::error::Error::Io).
    pub fn write(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        crate::atomic::write_file(path, self.to_html().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_aligns() {
        let mut t = Table::new(["unit", "score"]);
        t.push(["A<B", "1.5"]);
        t.push(["C", "n/a"]);
        let html = HtmlReport::new("T & U")
            .section(Section::new("Ranking & scores").with(Block::Table(t)))
            .to_html();
        assert!(html.contains("<title>T &amp; U</title>"));
        assert!(html.contains("<td>A&lt;B</td>"));
        assert!(html.contains("<td class=\"num\">1.5</td>"));
        assert!(html.contains("id=\"ranking-scores\""));
    }
}
