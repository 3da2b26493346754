//! Reading and writing tables: data sets from CSV, COINr's `iData`/`iMeta` tables,
//! the JRC COIN Tool's workbook ([`read_coin_tool`], feature `xlsx`).
//!
//! Cells are parsed strictly: an empty cell, `NA`, `NaN` or `#N/A` is missing;
//! anything else must be a finite number, or the reader fails with an error naming
//! the row, the unit and the column.

#[cfg(feature = "xlsx")]
mod coin_tool;
mod coinr;
mod nodes;
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
/// [`Error::NonNumeric`] for text, [`Error::InfiniteValue`] for an infinity.
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

pub(crate) fn csv_error(context: &str, e: csv::Error) -> Error {
    let line = e.position().map(csv::Position::line);
    Error::Csv {
        context: context.into(),
        line,
        message: e.to_string(),
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
