//! WIPO's official GII data: the edition workbook (`...-tech1.xlsx`) or its
//! `Data` sheet saved as CSV.
//!
//! # Layout read
//!
//! - Sheet **`Data`**, long format, one row per economy and framework node,
//!   with a header row naming the columns (any order; other columns ignored):
//!   `ISO3` (economy code), `ECONOMY_NAME`, `NUM` (WIPO's code: `IN.1.1.1`,
//!   `OUT.6.1.2`, `IN.1.1` for a sub-pillar, `IN.1` for a pillar, `IN`/`OUT`
//!   for the sub-indices), `NAME` (the index row is named "Global Innovation
//!   Index"), `DATAYR`, `VALUE_SCREEN` (the screened raw value), `SCORE`
//!   (0-100), `RANK`, `SW_OVERALL`, `SW_INCGRP`, `OUTDATED`, `DMC`. Required:
//!   `ISO3`, `NUM`, `VALUE_SCREEN`; `SCORE` and `RANK` are read when present.
//! - Sheet **`Index Structure`** (optional): `NUM`, `NAME`, `LEVEL`, `TYPE`.
//! - Sheet **`Economies`** (optional): `ISO3`, `ECONOMY_NAME`, `INCOME`,
//!   `REG_UN`, `POP`, `PPPGDP`, `PPPPC`.
//!
//! # Mapping onto the framework
//!
//! `NUM` codes become framework codes with
//! [`gii::code_from_wipo`](crate::instances::gii::code_from_wipo)
//! (`IN.1.1.1` -> `1.1.1`); the row named "Global Innovation Index" is the
//! index `GII`. Indicator rows give the raw data (`VALUE_SCREEN`), one column
//! per indicator of the edition (all 78, missing where the file has no row);
//! every row with a `SCORE` or `RANK` gives a published value for
//! [`reproduction_report`](crate::insights::reproduction_report). From
//! `Economies`, `INCOME` and `REG_UN` become group columns and `POP`,
//! `PPPGDP`, `PPPPC` numeric (denominator) columns of the data set.
//!
//! Cells: an empty cell, `NA`, `NaN`, `#N/A`, `n/a` or `..` is missing; any
//! other value of a numeric column must be a finite number; `RANK` must be a
//! positive whole number. Errors name the sheet (or file), the row as the
//! spreadsheet numbers it (the header being on its own row), and the column by
//! name and letter (xlsx) or number (CSV).
//!
//! Reference: WIPO, Global Innovation Index 2024 and 2025, "GII technical
//! workbook" downloads (layout as described in the project's METHODS.md,
//! section 5).

use std::collections::HashMap;
use std::path::Path;

use crate::data::Dataset;
use crate::error::{Clip, Error, Result};
use crate::insights::{PublishedScores, PublishedValue, ReproductionReport, reproduction_report};
use crate::instances::gii::{self, GiiRun};

/// Name of the long-format data sheet.
pub const DATA_SHEET: &str = "Data";
/// Name of the structure sheet.
pub const STRUCTURE_SHEET: &str = "Index Structure";
/// Name of the economies sheet.
pub const ECONOMIES_SHEET: &str = "Economies";
/// Group columns taken from the `Economies` sheet.
pub const ECONOMY_GROUPS: [&str; 2] = ["INCOME", "REG_UN"];
/// Numeric columns taken from the `Economies` sheet (population, GDP and GDP
/// per capita in PPP$).
pub const ECONOMY_NUMBERS: [&str; 3] = ["POP", "PPPGDP", "PPPPC"];

const MISSING: [&str; 7] = ["", "NA", "NaN", "#N/A", "n/a", "N/A", ".."];

/// One row of the `Index Structure` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct StructureRow {
    /// Spreadsheet row number.
    pub row: usize,
    /// WIPO's code.
    pub num: String,
    /// Framework code, when the code belongs to the edition.
    pub code: Option<String>,
    /// Name.
    pub name: String,
    /// Level as written.
    pub level: String,
    /// Type as written.
    pub kind: String,
}

/// What was read from a WIPO workbook or `Data` CSV.
#[derive(Debug, Clone)]
pub struct WipoWorkbook {
    /// The edition (year) whose framework the codes were mapped onto (a shipped
    /// GII specification, see [`gii::editions`]).
    pub edition: u16,
    /// Raw data: one row per economy (ISO3 code, name), one column per
    /// indicator of the edition, plus the `Economies` columns when present.
    pub data: Dataset,
    /// Published SCORE and RANK by framework code and ISO3.
    pub published: PublishedScores,
    /// The `Index Structure` sheet (empty for a CSV).
    pub structure: Vec<StructureRow>,
    /// The file read.
    pub source: String,
}

impl WipoWorkbook {
    /// Whether the file carries WIPO's scores (a `SCORE` column with values).
    pub fn has_scores(&self) -> bool {
        self.published.has_scores()
    }

    /// Compares a computed GII with the published scores and ranks, level by
    /// level (indicator, sub-pillar, pillar, sub-index, index: the spec's
    /// `level_names`).
    pub fn reproduction_report(&self, run: &GiiRun) -> ReproductionReport {
        let labels: Vec<&str> = run
            .pipeline
            .spec()
            .level_names
            .iter()
            .map(String::as_str)
            .collect();
        reproduction_report(
            &run.results,
            run.pipeline.framework(),
            &self.published,
            &labels,
        )
    }
}

// ------------------------------------------------------------------ tables

/// A cell of a sheet or CSV table (numbers and errors come only from xlsx sheets).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
enum Cell {
    Empty,
    Number(f64),
    Text(String),
    Error(String),
}

/// A sheet or CSV as a header and numbered rows.
struct Table {
    context: String,
    /// Whether columns are named by spreadsheet letters (xlsx) or numbers (CSV).
    letters: bool,
    /// Absolute index of the first column (for letters).
    first_col: usize,
    header: Vec<String>,
    /// Rows after the header: (spreadsheet row number, cells).
    rows: Vec<(usize, Vec<Cell>)>,
}

pub(super) fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl Table {
    /// Splits raw rows into header and data: the header is the first row, among
    /// the first 20, holding `key`.
    fn new(
        context: String,
        letters: bool,
        first_col: usize,
        raw: Vec<(usize, Vec<Cell>)>,
        key: &str,
    ) -> Result<Self> {
        let pos = raw
            .iter()
            .take(20)
            .position(|(_, cells)| cells.iter().any(|c| text_of(c).eq_ignore_ascii_case(key)))
            .ok_or_else(|| Error::MissingColumn {
                column: key.into(),
                context: format!("{context} (no header row naming it among the first 20 rows)"),
            })?;
        let mut rows = raw;
        let rest = rows.split_off(pos + 1);
        let (_, header_cells) = rows.pop().unwrap_or_default();
        let header = header_cells
            .iter()
            .map(|c| text_of(c).trim().to_owned())
            .collect();
        Ok(Self {
            context,
            letters,
            first_col,
            header,
            rows: rest,
        })
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    fn need(&self, name: &str) -> Result<usize> {
        self.find(name).ok_or_else(|| Error::MissingColumn {
            column: name.into(),
            context: self.context.clone(),
        })
    }

    fn column_label(&self, j: usize) -> String {
        let name = self.header.get(j).map_or("", String::as_str);
        if self.letters {
            format!("{name} ({})", column_letters(self.first_col + j))
        } else {
            format!("{name} (column {})", j + 1)
        }
    }

    fn error(&self, row: usize, j: usize, message: impl std::fmt::Display) -> Error {
        Error::Table {
            context: self.context.clone(),
            row: Some(row as u64),
            column: Some(self.column_label(j)),
            message: message.to_string(),
        }
    }
}

fn text_of(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Number(v) => v.to_string(),
        Cell::Text(s) | Cell::Error(s) => s.clone(),
    }
}

fn cell(cells: &[Cell], j: usize) -> &Cell {
    cells.get(j).unwrap_or(&Cell::Empty)
}

fn text_cell(cells: &[Cell], j: Option<usize>) -> String {
    j.map(|j| text_of(cell(cells, j)).trim().to_owned())
        .unwrap_or_default()
}

/// A numeric cell: NaN for missing, an error naming row and column otherwise.
fn number(t: &Table, row: usize, cells: &[Cell], j: usize, who: &str) -> Result<f64> {
    match cell(cells, j) {
        Cell::Empty => Ok(f64::NAN),
        Cell::Number(v) if v.is_finite() => Ok(*v),
        Cell::Number(v) => Err(t.error(row, j, format_args!("non-finite value {v} {who}"))),
        Cell::Error(e) => Err(t.error(row, j, format_args!("spreadsheet error {e} {who}"))),
        Cell::Text(s) => {
            let s = s.trim();
            if MISSING.contains(&s) {
                return Ok(f64::NAN);
            }
            match s.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                Ok(v) => Err(t.error(row, j, format_args!("non-finite value {v} {who}"))),
                Err(_) => Err(t.error(row, j, format_args!("non-numeric value {} {who}", Clip(s)))),
            }
        }
    }
}

fn rank(t: &Table, row: usize, cells: &[Cell], j: usize, who: &str) -> Result<Option<u32>> {
    let v = number(t, row, cells, j, who)?;
    if v.is_nan() {
        return Ok(None);
    }
    if v < 1.0 || v.fract() != 0.0 || v > f64::from(u32::MAX) {
        return Err(t.error(
            row,
            j,
            format_args!("rank {v} {who} is not a positive whole number"),
        ));
    }
    Ok(Some(v as u32))
}

// ------------------------------------------------------------------ parsing

fn parse_data(t: &Table, edition: u16) -> Result<(Dataset, PublishedScores)> {
    let c_iso = t.need("ISO3")?;
    let c_num = t.need("NUM")?;
    let c_val = t.need("VALUE_SCREEN")?;
    let c_name = t.find("ECONOMY_NAME");
    let c_node_name = t.find("NAME");
    let c_score = t.find("SCORE");
    let c_rank = t.find("RANK");

    let indicators = gii::framework(edition)?.indicator_codes();
    let ind_pos: HashMap<&str, usize> = indicators
        .iter()
        .enumerate()
        .map(|(k, c)| (c.as_str(), k))
        .collect();
    let mut units: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut unit_pos: HashMap<String, usize> = HashMap::new();
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); indicators.len()];
    let mut seen: HashMap<(usize, String), usize> = HashMap::new();
    let mut published = PublishedScores::new();

    for (row, cells) in &t.rows {
        let row = *row;
        if cells.iter().all(|c| text_of(c).trim().is_empty()) {
            continue;
        }
        let iso = text_cell(cells, Some(c_iso));
        if iso.is_empty() {
            return Err(t.error(row, c_iso, "empty economy code"));
        }
        let num = text_cell(cells, Some(c_num));
        let node_name = text_cell(cells, c_node_name);
        let code = match gii::code_from_wipo(edition, &num) {
            Some(c) => c,
            None if node_name.eq_ignore_ascii_case("Global Innovation Index") => "GII".to_owned(),
            None => {
                return Err(Error::UnknownCode {
                    kind: "WIPO code",
                    code: num.clone(),
                    context: format!(
                        "{}, row {row}, column {} (not a node of the GII {edition} framework; expected codes such as IN.1.1.1 or OUT.6.1)",
                        t.context,
                        t.column_label(c_num)
                    ),
                });
            }
        };
        let u = match unit_pos.get(&iso) {
            Some(&u) => u,
            None => {
                let u = units.len();
                unit_pos.insert(iso.clone(), u);
                units.push(iso.clone());
                names.push(String::new());
                for c in &mut cols {
                    c.push(f64::NAN);
                }
                u
            }
        };
        if names[u].is_empty() {
            names[u] = text_cell(cells, c_name);
        }
        if let Some(first) = seen.insert((u, code.clone()), row) {
            return Err(t.error(
                row,
                c_num,
                format_args!(
                    "second row for economy {} and code {} (first in row {first})",
                    Clip(&iso),
                    Clip(&num)
                ),
            ));
        }
        let who = format!("for economy {}, code {}", Clip(&iso), Clip(&num));
        if let Some(&k) = ind_pos.get(code.as_str()) {
            cols[k][u] = number(t, row, cells, c_val, &who)?;
        }
        let score = match c_score {
            Some(j) => Some(number(t, row, cells, j, &who)?).filter(|v| !v.is_nan()),
            None => None,
        };
        let rk = match c_rank {
            Some(j) => rank(t, row, cells, j, &who)?,
            None => None,
        };
        if score.is_some() || rk.is_some() {
            published.insert(code, iso, PublishedValue { score, rank: rk });
        }
    }
    if units.is_empty() {
        return Err(Error::Table {
            context: t.context.clone(),
            row: None,
            column: None,
            message: "no data rows".into(),
        });
    }
    let names: Vec<String> = names
        .into_iter()
        .zip(&units)
        .map(|(n, u)| if n.is_empty() { u.clone() } else { n })
        .collect();
    let data = Dataset::from_columns(
        units,
        indicators
            .iter()
            .map(|c| (*c).to_owned())
            .zip(cols)
            .collect(),
    )?
    .with_unit_names(names)?;
    Ok((data, published))
}

#[cfg(feature = "xlsx")]
fn add_economies(t: &Table, mut data: Dataset) -> Result<Dataset> {
    let c_iso = t.need("ISO3")?;
    let n = data.n_units();
    let mut rows: HashMap<String, (usize, &Vec<Cell>)> = HashMap::new();
    for (row, cells) in &t.rows {
        let iso = text_cell(cells, Some(c_iso));
        if !iso.is_empty() {
            rows.insert(iso, (*row, cells));
        }
    }
    for g in ECONOMY_GROUPS {
        let Some(j) = t.find(g) else { continue };
        let values = data
            .unit_codes()
            .iter()
            .map(|u| {
                rows.get(u)
                    .map(|(_, cells)| text_cell(cells, Some(j)))
                    .filter(|s| !MISSING.contains(&s.as_str()))
            })
            .collect();
        data = data.with_group(g, values)?;
    }
    for name in ECONOMY_NUMBERS {
        let Some(j) = t.find(name) else { continue };
        let mut values = Vec::with_capacity(n);
        for u in data.unit_codes() {
            values.push(match rows.get(u) {
                Some((row, cells)) => {
                    number(t, *row, cells, j, &format!("for economy {}", Clip(u)))?
                }
                None => f64::NAN,
            });
        }
        data = data.with_denominator(name, values)?;
    }
    Ok(data)
}

#[cfg(feature = "xlsx")]
fn parse_structure(t: &Table, edition: u16) -> Result<Vec<StructureRow>> {
    let c_num = t.need("NUM")?;
    let (c_name, c_level, c_type) = (t.find("NAME"), t.find("LEVEL"), t.find("TYPE"));
    Ok(t.rows
        .iter()
        .filter(|(_, cells)| !text_cell(cells, Some(c_num)).is_empty())
        .map(|(row, cells)| {
            let num = text_cell(cells, Some(c_num));
            let name = text_cell(cells, c_name);
            let code = gii::code_from_wipo(edition, &num).or_else(|| {
                name.eq_ignore_ascii_case("Global Innovation Index")
                    .then(|| "GII".to_owned())
            });
            StructureRow {
                row: *row,
                num,
                code,
                name,
                level: text_cell(cells, c_level),
                kind: text_cell(cells, c_type),
            }
        })
        .collect())
}

// ------------------------------------------------------------------ CSV

/// Reads WIPO's `Data` table saved as CSV (header row, then one row per
/// economy and node); see the [`io`](crate::io) module docs of this reader for the layout. `context` names the source
/// in errors.
///
/// # Errors
/// [`Error::Csv`] for malformed CSV and [`Error::Table`] for bad cells (naming the row, the
/// column and the economy); [`Error::MissingColumn`] for a required column
/// absent; [`Error::UnknownCode`] for a `NUM` that is not a node of the
/// edition (naming the line), or an edition that is not shipped; the errors of
/// [`Dataset`] construction.
pub fn read_wipo_data<R: std::io::Read>(
    reader: R,
    edition: u16,
    context: &str,
) -> Result<WipoWorkbook> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut raw = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| super::csv_error(context, e))?;
        let line = rec.position().map_or(raw.len() + 1, |p| p.line() as usize);
        let cells = rec
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_owned())
                }
            })
            .collect();
        raw.push((line, cells));
    }
    let t = Table::new(context.to_owned(), false, 0, raw, "ISO3")?;
    let (data, published) = parse_data(&t, edition)?;
    Ok(WipoWorkbook {
        edition,
        data,
        published,
        structure: Vec::new(),
        source: context.to_owned(),
    })
}

/// Reads WIPO's `Data` table saved as a CSV file. See [`read_wipo_data`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_wipo_data`].
pub fn read_wipo_data_csv(path: impl AsRef<Path>, edition: u16) -> Result<WipoWorkbook> {
    let path = path.as_ref();
    read_wipo_data(super::open(path)?, edition, &path.display().to_string())
}

// ------------------------------------------------------------------ xlsx

/// Rows and columns a sheet can have (Excel's grid: 1,048,576 x 16,384).
#[cfg(feature = "xlsx")]
const SHEET_ROWS: u32 = 1 << 20;
#[cfg(feature = "xlsx")]
const SHEET_COLS: u32 = 1 << 14;

/// Reads one sheet cell by cell (a cell placed beyond Excel's grid, as a
/// malformed file can claim, is an error rather than a gigantic allocation).
#[cfg(feature = "xlsx")]
fn sheet_table(
    wb: &mut calamine::Xlsx<std::io::BufReader<std::fs::File>>,
    path: &Path,
    sheet: &str,
    key: &str,
) -> Result<Option<Table>> {
    use calamine::{DataRef, Reader};
    let Some(name) = wb
        .sheet_names()
        .into_iter()
        .find(|s| s.trim().eq_ignore_ascii_case(sheet))
    else {
        return Ok(None);
    };
    let context = format!("sheet {name:?} of {}", path.display());
    let problem = |row: Option<u32>, message: String| Error::Table {
        context: context.clone(),
        row: row.map(|r| u64::from(r) + 1),
        column: None,
        message,
    };
    let mut reader = wb
        .worksheet_cells_reader(&name)
        .map_err(|e| problem(None, e.to_string()))?;
    let mut cells: std::collections::BTreeMap<u32, Vec<(u32, Cell)>> = Default::default();
    let mut first_col = u32::MAX;
    while let Some(c) = reader
        .next_cell()
        .map_err(|e| problem(None, e.to_string()))?
    {
        let (r, col) = c.get_position();
        if r >= SHEET_ROWS || col >= SHEET_COLS {
            return Err(problem(
                Some(r.min(SHEET_ROWS)),
                format!(
                    "a cell lies at row {}, column {}, beyond the {SHEET_ROWS} rows and {SHEET_COLS} columns a sheet can have (a damaged file?)",
                    u64::from(r) + 1,
                    u64::from(col) + 1
                ),
            ));
        }
        let cell = match c.get_value() {
            DataRef::Empty => Cell::Empty,
            DataRef::Int(v) => Cell::Number(*v as f64),
            DataRef::Float(v) => Cell::Number(*v),
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.clone())
                }
            }
            DataRef::SharedString(s) => {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*s).to_owned())
                }
            }
            DataRef::Bool(b) => Cell::Text(b.to_string().to_uppercase()),
            DataRef::DateTime(d) => Cell::Number(d.as_f64()),
            DataRef::Error(calamine::CellErrorType::NA) => Cell::Empty,
            DataRef::Error(e) => Cell::Error(e.to_string()),
        };
        if cell == Cell::Empty {
            continue;
        }
        first_col = first_col.min(col);
        cells.entry(r).or_default().push((col, cell));
    }
    let c0 = if first_col == u32::MAX { 0 } else { first_col };
    let raw = cells
        .into_iter()
        .map(|(r, row)| {
            let width = row.iter().map(|(c, _)| c - c0 + 1).max().unwrap_or(0) as usize;
            let mut dense = vec![Cell::Empty; width];
            for (c, cell) in row {
                dense[(c - c0) as usize] = cell;
            }
            (r as usize + 1, dense)
        })
        .collect();
    Table::new(context, true, c0 as usize, raw, key).map(Some)
}

/// Reads WIPO's GII workbook (`.xlsx`): sheet `Data` (required), `Index
/// Structure` and `Economies` (read when present), in the layout of [`read_wipo_data`].
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened; [`Error::Table`] for a file that
/// is not a readable workbook, a missing `Data` sheet, and bad cells (the
/// context names the sheet, the line is the spreadsheet row, the message names
/// the column by name and letter, and the economy); [`Error::MissingColumn`]
/// and [`Error::UnknownCode`] as [`read_wipo_data`].
#[cfg(feature = "xlsx")]
pub fn read_wipo_xlsx(path: impl AsRef<Path>, edition: u16) -> Result<WipoWorkbook> {
    let path = path.as_ref();
    drop(super::open(path)?);
    // The xlsx reader (calamine 0.38) can panic on a malformed cell reference
    // (unchecked arithmetic, its issues #694 and #709): such a file is reported as
    // unreadable, like any other damaged workbook.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_xlsx(path, edition)))
        .unwrap_or_else(|_| {
            Err(Error::Table {
                context: path.display().to_string(),
                row: None,
                column: None,
                message: "not a readable workbook: the xlsx reader failed on it (a damaged file, or a cell reference beyond the sheet's limits)".into(),
            })
        })
}

#[cfg(feature = "xlsx")]
fn read_xlsx(path: &Path, edition: u16) -> Result<WipoWorkbook> {
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).map_err(|e| match e {
        calamine::XlsxError::Io(source) => Error::Io {
            path: path.display().to_string(),
            source,
        },
        other => Error::Table {
            context: path.display().to_string(),
            row: None,
            column: None,
            message: format!("not a readable workbook: {other}"),
        },
    })?;
    let data_table =
        sheet_table(&mut wb, path, DATA_SHEET, "ISO3")?.ok_or_else(|| Error::Table {
            context: path.display().to_string(),
            row: None,
            column: None,
            message: format!(
                "no sheet named {DATA_SHEET:?} (sheets: {})",
                wb.sheet_names().join(", ")
            ),
        })?;
    let (mut data, published) = parse_data(&data_table, edition)?;
    if let Some(t) = sheet_table(&mut wb, path, ECONOMIES_SHEET, "ISO3")? {
        data = add_economies(&t, data)?;
    }
    let structure = match sheet_table(&mut wb, path, STRUCTURE_SHEET, "NUM")? {
        Some(t) => parse_structure(&t, edition)?,
        None => Vec::new(),
    };
    Ok(WipoWorkbook {
        edition,
        data,
        published,
        structure,
        source: path.display().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        let got: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(got, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn csv_mapping_and_errors() {
        let text = "ISO3,ECONOMY_NAME,NUM,NAME,VALUE_SCREEN,SCORE,RANK\n\
                    AAA,Aland,IN.1.1.1,Operational stability,3.5,50,2\n\
                    AAA,Aland,IN.1,Institutions,,40.5,1\n\
                    AAA,Aland,GII,Global Innovation Index,,30,1\n\
                    BBB,Bland,OUT.7.3.3,Mobile apps,n/a,,\n";
        let wb = read_wipo_data(text.as_bytes(), 2025, "t.csv").unwrap();
        assert_eq!(wb.data.n_units(), 2);
        assert_eq!(wb.data.n_indicators(), 78);
        assert_eq!(wb.data.indicator("1.1.1").unwrap()[0], 3.5);
        assert!(wb.data.indicator("7.3.3").unwrap()[1].is_nan());
        assert_eq!(wb.data.unit_names()[1], "Bland");
        assert_eq!(
            wb.published.get("1", "AAA"),
            Some(PublishedValue {
                score: Some(40.5),
                rank: Some(1)
            })
        );
        assert_eq!(wb.published.get("GII", "AAA").unwrap().score, Some(30.0));
        assert!(wb.has_scores());

        let bad = text.replace("3.5,50", "x3,50");
        let e = read_wipo_data(bad.as_bytes(), 2025, "t.csv").unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("row 2") && msg.contains("VALUE_SCREEN (column 5)"),
            "{msg}"
        );
        let bad = text.replace("IN.1.1.1", "OUT.1.1.1");
        assert!(matches!(
            read_wipo_data(bad.as_bytes(), 2025, "t.csv"),
            Err(Error::UnknownCode { .. })
        ));
        let bad = text.replace("40.5,1", "40.5,1.5");
        assert!(read_wipo_data(bad.as_bytes(), 2025, "t.csv").is_err());
        let bad = text.replace("AAA,Aland,GII", "AAA,Aland,IN.1.1.1");
        let msg = read_wipo_data(bad.as_bytes(), 2025, "t.csv")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("first in row 2"), "{msg}");
        let bad = text.replace("VALUE_SCREEN", "VALUE");
        assert!(matches!(
            read_wipo_data(bad.as_bytes(), 2025, "t.csv"),
            Err(Error::MissingColumn { .. })
        ));
    }
}
