//! Reading and writing tables: data sets from CSV, COINr's `iData`/`iMeta` tables,
//! panel tables over several editions.
//!
//! Cells are parsed strictly: an empty cell, `NA`, `NaN` or `#N/A` is missing;
//! anything else must be a finite number, or the reader fails with an error naming
//! the row, the unit and the column.

mod coinr;
mod panel;
mod table;
mod wipo;

pub use coinr::{IMeta, read_coinr, read_coinr_files, read_imeta};
pub use panel::{
    LongRoles, read_coinr_panel, read_coinr_panel_files, read_long_panel, read_long_panel_file,
    read_panel, read_panel_file,
};
pub use table::{CsvRoles, read_dataset, read_dataset_file};
#[cfg(feature = "xlsx")]
pub use wipo::read_wipo_xlsx;
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

pub(crate) fn open(path: &std::path::Path) -> Result<std::fs::File> {
    std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })
}
