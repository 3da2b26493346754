//! Reading and writing tables: data sets from CSV, COINr's `iData`/`iMeta` tables,
//! the JRC COIN Tool's workbook ([`read_coin_tool`], feature `xlsx`).
//! Panel tables over several editions: [`read_panel`], [`read_coinr_panel`],
//! [`read_long_panel`].
//!
//! Cells are parsed strictly: an empty cell, `NA`, `NaN` or `#N/A` is missing;
//! anything else must be a finite number, or the reader fails with an error naming
//! the row, the unit and the column.
//!
//! # Example
//!
//! ```
//! use composite_index::Error;
//! use composite_index::io::{CsvRoles, read_dataset};
//!
//! # fn main() -> composite_index::Result<()> {
//! let csv = "uCode,uName,income,gdp,patents\n\
//!            AT,Austria,High,480,12.5\n\
//!            BG,Bulgaria,Upper middle,90,NA\n";
//! let roles = CsvRoles {
//!     groups: vec!["income".into()],
//!     denominators: vec!["gdp".into()],
//!     ..CsvRoles::default()
//! };
//! let data = read_dataset(csv.as_bytes(), &roles, "data.csv")?;
//! assert_eq!(data.unit_names(), ["Austria", "Bulgaria"]);
//! assert_eq!(data.indicator_codes(), ["patents"]);
//! assert_eq!(data.indicator("patents").unwrap()[0], 12.5);
//! assert!(data.indicator("patents").unwrap()[1].is_nan()); // NA is missing
//! assert_eq!(data.denominator("gdp"), Some(&[480.0, 90.0][..]));
//! // Anything else that is not a number is an error naming row, unit and column.
//! let bad = "uCode,patents\nAT,twelve\n";
//! let err = read_dataset(bad.as_bytes(), &CsvRoles::default(), "data.csv");
//! assert!(matches!(err, Err(Error::NonNumeric { row: 1, unit, column, .. })
//!     if unit == "AT" && column == "patents"));
//! # Ok(())
//! # }
//! ```

#[cfg(feature = "xlsx")]
mod coin_tool;
mod coinr;
mod nodes;
mod panel;
mod table;
#[cfg(feature = "serde")]
mod wipo;

#[cfg(feature = "xlsx")]
pub use coin_tool::{
    COIN_TOOL_DATABASE, COIN_TOOL_FRAMEWORK, CoinTool, CoinToolOptions, names_to_codes,
    read_coin_tool,
};
pub use coinr::{IMeta, read_coinr, read_coinr_files, read_imeta};
pub use nodes::{NODE_COLUMNS, read_nodes};
pub use panel::{
    LongRoles, read_coinr_panel, read_coinr_panel_files, read_long_panel, read_long_panel_file,
    read_panel, read_panel_file,
};
pub use table::{CsvRoles, read_dataset, read_dataset_file};
#[cfg(feature = "xlsx")]
pub use wipo::read_wipo_xlsx;
#[cfg(feature = "serde")]
pub use wipo::{
    DATA_SHEET, ECONOMIES_SHEET, ECONOMY_GROUPS, ECONOMY_NUMBERS, STRUCTURE_SHEET, StructureRow,
    WipoWorkbook, read_wipo_data, read_wipo_data_csv,
};

use crate::error::{Error, Result};

/// Texts read as a missing value.
pub const MISSING_TOKENS: [&str; 4] = ["", "NA", "NaN", "#N/A"];

/// Parses one numeric cell with the readers' rules: a [`MISSING_TOKENS`] entry
/// (after trimming) or a `NaN` is missing (`Ok(NaN)`); anything else must be a
/// finite number. `row`, `unit` and `column` only name the cell in errors.
///
/// # Errors
/// [`Error::NonNumeric`] for text, including a number too large for an `f64`
/// (`1e400`), and [`Error::InfiniteValue`] for an infinity written as such (`inf`).
pub fn parse_cell(text: &str, row: usize, unit: &str, column: &str) -> Result<f64> {
    let t = text.trim();
    if MISSING_TOKENS.contains(&t) {
        return Ok(f64::NAN);
    }
    let v: f64 = t.parse().map_err(|_| Error::NonNumeric {
        row,
        unit: unit.into(),
        column: column.into(),
        value: text.into(),
    })?;
    if v.is_infinite()
        && !t
            .trim_start_matches(['+', '-'])
            .to_ascii_lowercase()
            .starts_with("inf")
    {
        // A number beyond the range of f64: not the infinity it would parse to.
        return Err(Error::NonNumeric {
            row,
            unit: unit.into(),
            column: column.into(),
            value: text.into(),
        });
    }
    if v.is_infinite() {
        return Err(Error::InfiniteValue {
            row,
            unit: unit.into(),
            column: column.into(),
            value: v,
        });
    }
    if v.is_nan() {
        return Ok(f64::NAN);
    }
    Ok(v)
}

/// The crate's error for a CSV reading error of the `csv` crate in `context` (a
/// file or table name): [`Error::Csv`] with the line, and for text that is not
/// UTF-8 a message saying which field and how to fix the file.
pub fn csv_error(context: &str, e: csv::Error) -> Error {
    // The reader's line count lags by one for some errors and with CRLF line
    // ends; the record number (the header is record 0) gives the line when no
    // quoted field spans lines. The larger of the two is right in both cases.
    let line = |p: &csv::Position| p.line().max(p.record() + 1);
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => Error::Csv {
            context: context.into(),
            line: pos.as_ref().map(line),
            message: format!(
                "field {} is not UTF-8 text; save the file with the UTF-8 encoding (in Excel: \"CSV UTF-8\")",
                err.field() + 1
            ),
        },
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::Csv {
            context: context.into(),
            line: pos.as_ref().map(line),
            message: format!(
                "the line has {len} fields but the header has {expected_len} (a missing or extra comma, or an unquoted comma in a text)"
            ),
        },
        _ => Error::Csv {
            context: context.into(),
            line: e.position().map(line),
            message: e.to_string(),
        },
    }
}

/// Opens a spreadsheet (xlsx, xls, ods) with calamine; a file that cannot be
/// opened is [`Error::Io`], one that is not a readable workbook [`Error::Table`].
#[cfg(feature = "xlsx")]
pub(crate) fn open_workbook(
    path: &std::path::Path,
) -> Result<calamine::Sheets<std::io::BufReader<std::fs::File>>> {
    drop(open(path)?);
    calamine::open_workbook_auto(path).map_err(|e| match e {
        calamine::Error::Io(source) => Error::Io {
            path: path.display().to_string(),
            source,
        },
        other => Error::Table {
            context: path.display().to_string(),
            row: None,
            column: None,
            message: format!("not a readable workbook: {other}"),
        },
    })
}

pub(crate) fn open(path: &std::path::Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}
