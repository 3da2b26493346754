//! Output tables as typed cells: the one source of the CSV files and of the
//! workbook sheets, so that both always hold the same cells.
//!
//! A [`Table`] has a name (the CSV file stem and the sheet name), a header and
//! rows of [`Cell`]s: numbers stay numbers (missing values are empty cells),
//! texts stay texts and flags stay booleans. The builders of this module make
//! the tables the command line writes:
//!
//! | builder | table |
//! |---|---|
//! | [`run_tables`] | all of the run's tables below except the data sets |
//! | [`dataset`] | one data set of the pipeline in COINr's layout (`uCode`, one column per indicator or aggregate) |
//! | [`results`] | scores and ranks of every node, units in the order of the index's rank |
//! | [`ranks`] | ranks of every aggregate, and of the index within each group |
//! | [`framework`] | the indicator tree with weights and effective weights |
//! | [`treatment_log`] | the outlier treatment log in COINr's layout |
//! | [`step_reports`] | cells made missing by denominators, imputed cells, screened units |
//! | [`statistics`], [`coinr_statistics`] | the indicator statistics table, in the crate's or COINr's columns |
//! | [`ancestor_correlations`], [`collinear_pairs`], [`correlation_matrix`] | correlation tables |
//! | [`cronbach`], [`pca`], [`pca_loadings`] | Cronbach's alpha and principal components |
//! | [`rank_intervals`], [`failed_runs`], [`sobol()`] | uncertainty and sensitivity analyses |
//! | [`profiles()`] | economy profiles: a summary per unit, and every unit's standing on every node |
//!
//! With the `csv` feature [`Table::to_csv`] writes a table as CSV; with the
//! `workbook` feature [`Workbook`](crate::workbook::Workbook) writes tables as
//! the sheets of one `.xlsx` file.
//!
//! ```
//! use composite_index::tables::{Cell, Table};
//!
//! let mut t = Table::new("scores", ["uCode", "score", "passes"]);
//! t.push(vec![Cell::text("AUT"), Cell::num(71.25), Cell::Bool(true)]);
//! t.push(vec![Cell::text("BEL"), Cell::num(f64::NAN), Cell::Bool(false)]);
//! assert_eq!(t.rows[1][1], Cell::Empty); // a missing number is an empty cell
//! # #[cfg(feature = "csv")]
//! assert_eq!(t.to_csv().unwrap(), "uCode,score,passes\nAUT,71.25,true\nBEL,,false\n");
//! ```

mod analysis;
mod profiles;
mod run;

pub use analysis::{
    FlagStyle, ancestor_correlations, coinr_statistics, collinear_pairs, correlation_matrix,
    cronbach, failed_runs, pca, pca_loadings, rank_intervals, sobol, statistics,
};
pub use profiles::profiles;
#[cfg(feature = "report")]
pub(crate) use run::aggregation_weight_set;
pub use run::{dataset, framework, ranks, results, run_tables, step_reports, treatment_log};

#[cfg(feature = "csv")]
use crate::error::{Error, Result};

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value (a missing number, an empty text).
    Empty,
    /// A text.
    Text(String),
    /// A finite number.
    Number(f64),
    /// A flag.
    Bool(bool),
}

impl Cell {
    /// A number; NaN and infinities (missing) give [`Cell::Empty`].
    pub fn num(v: f64) -> Self {
        if v.is_finite() {
            Self::Number(v)
        } else {
            Self::Empty
        }
    }

    /// An optional number; `None` gives [`Cell::Empty`].
    pub fn opt(v: Option<f64>) -> Self {
        v.map_or(Self::Empty, Self::num)
    }

    /// A count or a rank, as a number.
    pub fn count(n: usize) -> Self {
        Self::Number(n as f64)
    }

    /// An optional rank; `None` gives [`Cell::Empty`].
    pub fn rank(r: Option<u32>) -> Self {
        r.map_or(Self::Empty, |r| Self::Number(f64::from(r)))
    }

    /// A text; an empty text gives [`Cell::Empty`].
    pub fn text(s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            Self::Empty
        } else {
            Self::Text(s)
        }
    }

    /// The cell as CSV text: numbers in the shortest form that reads back to the
    /// same `f64`, flags as `bools` says, empty cells as empty text.
    pub fn csv_text(&self, bools: BoolText) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => s.clone(),
            Self::Number(v) => v.to_string(),
            Self::Bool(b) => bools.text(*b).to_owned(),
        }
    }
}

/// How a CSV file writes flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoolText {
    /// `true` / `false`.
    #[default]
    Lower,
    /// `TRUE` / `FALSE`, as R writes them (COINr's tables).
    Upper,
}

impl BoolText {
    /// The text of a flag.
    pub fn text(self, b: bool) -> &'static str {
        match (self, b) {
            (Self::Lower, true) => "true",
            (Self::Lower, false) => "false",
            (Self::Upper, true) => "TRUE",
            (Self::Upper, false) => "FALSE",
        }
    }
}

/// A table of typed cells; see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Name: the CSV file stem and the sheet name (`"results"`, `"normalised"`...).
    pub name: String,
    /// One line saying what the table holds (shown on the workbook's contents sheet).
    pub description: String,
    /// Column headers.
    pub header: Vec<String>,
    /// Rows of cells (as many cells as headers, or fewer: missing cells are empty).
    pub rows: Vec<Vec<Cell>>,
    /// Number of leading columns that label a row (unit or indicator codes and
    /// names); the workbook keeps them in view when scrolling right.
    pub key_columns: usize,
    /// Columns holding scores; the workbook colours each with a colour scale.
    pub score_columns: Vec<usize>,
    /// How the CSV file writes flags.
    pub bools: BoolText,
}

impl Table {
    /// An empty table with these headers and one key column.
    #[must_use]
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        header: impl IntoIterator<Item = S>,
    ) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
            key_columns: 1,
            score_columns: Vec::new(),
            bools: BoolText::Lower,
        }
    }

    /// Sets the description.
    #[must_use]
    pub fn describe(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the number of key columns.
    #[must_use]
    pub fn keys(mut self, n: usize) -> Self {
        self.key_columns = n;
        self
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// Position of a column by header.
    pub fn column(&self, header: &str) -> Option<usize> {
        self.header.iter().position(|h| h == header)
    }

    /// The cell at `(row, column)`; [`Cell::Empty`] past the end of a short row.
    pub fn cell(&self, row: usize, column: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .unwrap_or(&Cell::Empty)
    }

    /// The table as CSV text: the header, then one line per row, fields quoted
    /// only where needed, `\n` line ends.
    ///
    /// # Errors
    /// [`Error::Csv`] if the CSV writer fails.
    #[cfg(feature = "csv")]
    pub fn to_csv(&self) -> Result<String> {
        let fail = |e: &dyn std::fmt::Display| Error::Csv {
            context: format!("table {:?}", self.name),
            line: None,
            message: e.to_string(),
        };
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(&self.header).map_err(|e| fail(&e))?;
        let width = self.header.len();
        for row in &self.rows {
            let cells: Vec<String> = (0..width.max(row.len()))
                .map(|j| row.get(j).unwrap_or(&Cell::Empty).csv_text(self.bools))
                .collect();
            w.write_record(&cells).map_err(|e| fail(&e))?;
        }
        let bytes = w.into_inner().map_err(|e| fail(&e))?;
        String::from_utf8(bytes).map_err(|e| fail(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_from_values() {
        assert_eq!(Cell::num(f64::INFINITY), Cell::Empty);
        assert_eq!(Cell::opt(Some(2.5)), Cell::Number(2.5));
        assert_eq!(Cell::rank(None), Cell::Empty);
        assert_eq!(Cell::rank(Some(3)).csv_text(BoolText::Lower), "3");
        assert_eq!(Cell::text(""), Cell::Empty);
        assert_eq!(Cell::Bool(true).csv_text(BoolText::Upper), "TRUE");
        assert_eq!(
            Cell::num(0.1 + 0.2).csv_text(BoolText::Lower),
            "0.30000000000000004"
        );
    }

    #[cfg(feature = "csv")]
    #[test]
    fn csv_quotes_only_where_needed_and_pads_short_rows() {
        let mut t = Table::new("t", ["a", "b, c"]);
        t.push(vec![Cell::text("say \"hi\"")]);
        assert_eq!(t.to_csv().unwrap(), "a,\"b, c\"\n\"say \"\"hi\"\"\",\n");
        assert_eq!(t.cell(0, 1), &Cell::Empty);
    }
}
