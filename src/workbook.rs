//! Runs, audits and analyses as one Excel workbook (feature `workbook`).
//!
//! A [`Workbook`] is a list of [`Table`]s, each written as one sheet: the
//! header in bold in the first row, kept in view when scrolling (frozen, with
//! the key columns such as unit codes and names), numbers as numbers (at full
//! precision; a missing value is an empty cell), flags as Excel booleans, an
//! autofilter on the header, and a red-yellow-green colour scale on the columns
//! holding scores, which show two decimals (the cells hold every digit). A first sheet, `contents`, lists the sheets with what each
//! holds; a `spec` sheet holds the specification that produced the run, line by
//! line, in TOML.
//!
//! [`Workbook::run`] makes the workbook of a pipeline run (framework with
//! effective weights, every data set, results, rank tables, treatment log and
//! the other step reports); [`Workbook::audit`], [`Workbook::uncertainty`],
//! [`Workbook::sensitivity`] and [`Workbook::push`] add the sheets of analyses.
//! Sheet names are the table names (the command line's CSV file stems), cut to
//! Excel's 31 characters and made unique where needed. The file opens in Excel,
//! LibreOffice and pandas (`pandas.read_excel(path, sheet_name=None)`), and
//! reads back, cell for cell, as the CSV files of the same tables.
//!
//! COINr's `export_to_excel` and the JRC COIN Tool are the comparison: like
//! them, one sheet per data set with units as rows.
//!
//! ```
//! use composite_index::prelude::*;
//! use composite_index::workbook::Workbook;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![("x".into(), vec![1.0, 2.0, 3.0]), ("y".into(), vec![3.0, 1.0, 2.0])],
//! )?;
//! let fw = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("x", Some("Index")),
//!     NodeSpec::new("y", Some("Index")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::default()),
//! ];
//! let pipeline = Pipeline::new(IndexSpec::new(fw, steps), data)?;
//! let results = pipeline.run()?;
//! let book = Workbook::run(&pipeline, &results)?;
//! assert!(book.sheet_names().contains(&"aggregated".to_owned()));
//! let bytes = book.to_bytes()?; // or book.save("index.xlsx")
//! assert_eq!(&bytes[..2], b"PK"); // an .xlsx file is a zip archive
//! # Ok(())
//! # }
//! ```

use std::collections::HashSet;

use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, DocProperties, Format, FormatBorder, Worksheet, XlsxError,
};

use crate::audit::StandardAudit;
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::results::Results;
use crate::tables::{self, Cell, FlagStyle, Table};
use crate::uncertainty::{SensitivityResults, UncertaintyResults};

/// Excel's limit on the length of a sheet name.
const SHEET_NAME_MAX: usize = 31;

/// Which statistics table an audit workbook holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsLayout {
    /// The crate's columns ([`tables::statistics`]).
    #[default]
    Crate,
    /// COINr's columns ([`tables::coinr_statistics`]) with flags as given.
    Coinr(FlagStyle),
}

/// The tables of a standard audit, in the order the workbook and the command
/// line write them: statistics (in `layout`), correlations with ancestors,
/// collinear pairs, Cronbach's alpha, principal components, their loadings and
/// the full correlation matrix.
pub fn audit_tables(audit: &StandardAudit, layout: StatsLayout) -> Vec<Table> {
    vec![
        match layout {
            StatsLayout::Crate => tables::statistics(&audit.statistics),
            StatsLayout::Coinr(style) => tables::coinr_statistics(&audit.coinr_statistics, style),
        }
        .describe(format!(
            "Indicator statistics of the {} data set{}.",
            audit.options.dataset,
            match layout {
                StatsLayout::Crate => "",
                StatsLayout::Coinr(_) => ", in COINr's columns (get_stats)",
            }
        )),
        tables::ancestor_correlations(&audit.ancestors),
        tables::collinear_pairs(&audit.collinear),
        tables::cronbach(&audit.cronbach),
        tables::pca(&audit.pca),
        tables::pca_loadings(&audit.pca),
        tables::correlation_matrix(&audit.correlations),
    ]
}

/// A workbook being assembled; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workbook {
    /// Title, on the contents sheet and in the file's properties.
    pub title: String,
    /// The specification as TOML, written on the `spec` sheet (none when `None`).
    pub spec: Option<String>,
    /// The tables, one sheet each, in order.
    pub tables: Vec<Table>,
}

impl Workbook {
    /// An empty workbook.
    #[must_use]
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            spec: None,
            tables: Vec::new(),
        }
    }

    /// The workbook of a run of `pipeline`: the specification, the results and
    /// rank tables, the framework with effective weights, the treatment log and
    /// the other step reports ([`tables::run_tables`]), then every data set
    /// ([`tables::dataset`]).
    ///
    /// # Errors
    /// [`Error::SpecParse`] if the specification cannot be written as TOML;
    /// the errors of the table builders.
    pub fn run(pipeline: &Pipeline, results: &Results) -> Result<Self> {
        let fw = pipeline.framework();
        // The spec as run, its framework written out node by node: the sheet
        // says how the results were made without the files the spec named.
        let spec = results.spec();
        let mut book = Self::new(
            spec.name
                .clone()
                .unwrap_or_else(|| fw.name(fw.root()).to_owned()),
        );
        book.spec = Some(spec.to_toml()?);
        book.tables = tables::run_tables(pipeline, results)?;
        for s in results.datasets() {
            book.push(tables::dataset(s));
        }
        Ok(book)
    }

    /// Adds a table as a sheet.
    pub fn push(&mut self, table: Table) {
        self.tables.push(table);
    }

    /// Adds the tables of a standard audit ([`audit_tables`]).
    #[must_use]
    pub fn audit(mut self, audit: &StandardAudit, layout: StatsLayout) -> Self {
        self.tables.extend(audit_tables(audit, layout));
        self
    }

    /// Adds the rank intervals (and failed runs) of an uncertainty analysis;
    /// unit names from `data`.
    #[must_use]
    pub fn uncertainty(mut self, ua: &UncertaintyResults, data: &Dataset) -> Self {
        self.push(tables::rank_intervals(ua, data));
        if !ua.failed.is_empty() {
            self.push(tables::failed_runs(ua));
        }
        self
    }

    /// Adds the Sobol indices of a sensitivity analysis.
    #[must_use]
    pub fn sensitivity(mut self, sa: &SensitivityResults) -> Self {
        self.push(tables::sobol(sa));
        self
    }

    /// The sheet names, in order (`contents` first, `spec` second when present,
    /// then one per table).
    pub fn sheet_names(&self) -> Vec<String> {
        let mut taken = HashSet::new();
        let mut names = vec![unique_name("contents", &mut taken)];
        if self.spec.is_some() {
            names.push(unique_name("spec", &mut taken));
        }
        names.extend(self.tables.iter().map(|t| unique_name(&t.name, &mut taken)));
        names
    }

    /// The workbook as the bytes of an `.xlsx` file.
    ///
    /// # Errors
    /// [`Error::Table`] naming the sheet when a table does not fit Excel's
    /// limits (1,048,576 rows, 16,384 columns, 32,767 characters in a cell).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let names = self.sheet_names();
        let mut book = rust_xlsxwriter::Workbook::new();
        book.set_properties(
            &DocProperties::new()
                .set_title(&self.title)
                .set_comment("Made with composite-index"),
        );
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x00F2_F2F2))
            .set_border_bottom(FormatBorder::Thin);
        let mut k = 0;
        let mut next = || {
            k += 1;
            names[k - 1].clone()
        };
        book.push_worksheet(self.contents_sheet(&next(), &names, &header)?);
        if let Some(spec) = &self.spec {
            book.push_worksheet(spec_sheet(&next(), spec, &header)?);
        }
        for t in &self.tables {
            book.push_worksheet(table_sheet(&next(), t, &header)?);
        }
        book.save_to_buffer()
            .map_err(|e| xlsx_error("the workbook", &e))
    }

    /// Writes the workbook to a file, atomically (a temporary file beside it,
    /// renamed over it once complete).
    ///
    /// # Errors
    /// As [`Workbook::to_bytes`]; [`Error::Io`] when the file cannot be written.
    pub fn save(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = self.to_bytes()?;
        crate::atomic::write_file(path, &bytes)
    }

    fn contents_sheet(&self, name: &str, names: &[String], header: &Format) -> Result<Worksheet> {
        let fail = |e: XlsxError| xlsx_error(&format!("sheet {name:?}"), &e);
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(fail)?;
        ws.write_string_with_format(
            0,
            0,
            &self.title,
            &Format::new().set_bold().set_font_size(14),
        )
        .map_err(fail)?;
        ws.write_string(
            1,
            0,
            format!(
                "Made with composite-index {}. One sheet per table; numbers are stored at full precision.",
                env!("CARGO_PKG_VERSION")
            ),
        )
        .map_err(fail)?;
        for (j, h) in ["sheet", "holds", "rows", "columns"].iter().enumerate() {
            ws.write_string_with_format(3, j as u16, *h, header)
                .map_err(fail)?;
        }
        let mut row = 4;
        let mut sheets = names.iter().skip(1);
        if self.spec.is_some()
            && let Some(n) = sheets.next()
        {
            ws.write_string(row, 0, n).map_err(fail)?;
            ws.write_string(
                row,
                1,
                "The specification that produced these results (TOML).",
            )
            .map_err(fail)?;
            row += 1;
        }
        for (t, n) in self.tables.iter().zip(sheets) {
            ws.write_string(row, 0, n).map_err(fail)?;
            ws.write_string(row, 1, &t.description).map_err(fail)?;
            ws.write_number(row, 2, t.rows.len() as f64).map_err(fail)?;
            ws.write_number(row, 3, t.header.len() as f64)
                .map_err(fail)?;
            row += 1;
        }
        ws.set_column_width(0, 24).map_err(fail)?;
        ws.set_column_width(1, 100).map_err(fail)?;
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        Ok(ws)
    }
}

/// `name` made a valid, unused sheet name: characters Excel refuses replaced
/// by `_`, cut to 31 characters, and numbered when taken (case-insensitively).
fn unique_name(name: &str, taken: &mut HashSet<String>) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim_matches('\'');
    let clean = if clean.is_empty() { "sheet" } else { clean };
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    let mut candidate = cut(clean, SHEET_NAME_MAX);
    let mut k = 1;
    while !taken.insert(candidate.to_lowercase()) {
        k += 1;
        let suffix = format!("_{k}");
        candidate = format!(
            "{}{suffix}",
            cut(clean, SHEET_NAME_MAX - suffix.chars().count())
        );
    }
    candidate
}

fn xlsx_error(context: &str, e: &XlsxError) -> Error {
    let message = match e {
        XlsxError::RowColumnLimitError => {
            "too many rows or columns for a sheet (Excel's limits: 1,048,576 rows, 16,384 columns)"
                .to_owned()
        }
        XlsxError::MaxStringLengthExceeded => {
            "a cell holds more than 32,767 characters (Excel's limit)".to_owned()
        }
        other => other.to_string(),
    };
    Error::Table {
        context: format!("{context} of the workbook"),
        row: None,
        column: None,
        message,
    }
}

fn spec_sheet(name: &str, spec: &str, header: &Format) -> Result<Worksheet> {
    let fail = |e: XlsxError| xlsx_error(&format!("sheet {name:?}"), &e);
    let mut ws = Worksheet::new();
    ws.set_name(name).map_err(fail)?;
    ws.write_string_with_format(0, 0, "specification (TOML)", header)
        .map_err(fail)?;
    let mono = Format::new().set_font_name("Consolas");
    for (i, line) in spec.lines().enumerate() {
        if !line.is_empty() {
            ws.write_string_with_format(i as u32 + 1, 0, line, &mono)
                .map_err(fail)?;
        }
    }
    ws.set_column_width(0, 100).map_err(fail)?;
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    Ok(ws)
}

fn table_sheet(name: &str, t: &Table, header: &Format) -> Result<Worksheet> {
    let fail = |e: XlsxError| xlsx_error(&format!("sheet {name:?}"), &e);
    let mut ws = Worksheet::new();
    ws.set_name(name).map_err(fail)?;
    let width = t
        .header
        .len()
        .max(t.rows.iter().map(Vec::len).max().unwrap_or(0));
    let col = |j: usize| -> Result<u16> {
        u16::try_from(j).map_err(|_| fail(XlsxError::RowColumnLimitError))
    };
    let row_of = |i: usize| -> Result<u32> {
        u32::try_from(i).map_err(|_| fail(XlsxError::RowColumnLimitError))
    };
    for (j, h) in t.header.iter().enumerate() {
        ws.write_string_with_format(0, col(j)?, h, header)
            .map_err(fail)?;
    }
    // Scores are shown with two decimals; the cells hold every digit.
    let score = Format::new().set_num_format("0.00");
    let is_score: Vec<bool> = (0..width).map(|j| t.score_columns.contains(&j)).collect();
    for (i, cells) in t.rows.iter().enumerate() {
        let r = row_of(i + 1)?;
        for (j, c) in cells.iter().enumerate() {
            let c_ = col(j)?;
            match c {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string(r, c_, s).map_err(fail)?;
                }
                Cell::Number(v) if is_score.get(j).copied().unwrap_or(false) => {
                    ws.write_number_with_format(r, c_, *v, &score)
                        .map_err(fail)?;
                }
                Cell::Number(v) => {
                    ws.write_number(r, c_, *v).map_err(fail)?;
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, c_, *b).map_err(fail)?;
                }
            }
        }
    }
    let last_row = row_of(t.rows.len())?;
    if width > 0 {
        let last_col = col(width - 1)?;
        ws.autofilter(0, 0, last_row, last_col).map_err(fail)?;
        ws.set_freeze_panes(1, col(t.key_columns.min(width))?)
            .map_err(fail)?;
        // Printed: the header on every page.
        ws.set_repeat_rows(0, 0).map_err(fail)?;
    }
    if !t.rows.is_empty() {
        let scale = ConditionalFormat3ColorScale::new();
        for &j in t.score_columns.iter().filter(|&&j| j < width) {
            let c_ = col(j)?;
            ws.add_conditional_format(1, c_, last_row, c_, &scale)
                .map_err(fail)?;
        }
    }
    // Widths from the content, but not wider than 60 characters (long texts).
    ws.set_autofit_max_width(420);
    ws.autofit();
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(unique_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(unique_name("A_B_C", &mut taken), "A_B_C_2");
        let long = "x".repeat(40);
        let first = unique_name(&long, &mut taken);
        let second = unique_name(&long, &mut taken);
        assert_eq!(first.chars().count(), 31);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("_2") && first != second);
        assert_eq!(unique_name("''", &mut taken), "sheet");
    }

    #[test]
    fn a_table_becomes_a_sheet() {
        let mut t = Table::new("scores", ["uCode", "score", "ok"]);
        t.push(vec![Cell::text("A"), Cell::num(1.5), Cell::Bool(true)]);
        t.push(vec![Cell::text("B"), Cell::Empty, Cell::Bool(false)]);
        t.score_columns = vec![1];
        let mut book = Workbook::new("Test");
        book.push(t);
        assert_eq!(book.sheet_names(), ["contents", "scores"]);
        let bytes = book.to_bytes().unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn too_long_a_cell_is_a_typed_error_naming_the_sheet() {
        let mut t = Table::new("notes", ["note"]);
        t.push(vec![Cell::text("x".repeat(40_000))]);
        let mut book = Workbook::new("Test");
        book.push(t);
        match book.to_bytes() {
            Err(Error::Table {
                context, message, ..
            }) => {
                assert!(context.contains("\"notes\""), "{context}");
                assert!(message.contains("32,767"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
}
