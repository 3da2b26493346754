//! Panel tables: data over several editions (see [`crate::panel`]).
//!
//! Three layouts are read:
//!
//! - a wide table with a time column ([`read_panel`]): one row per unit and
//!   edition, the columns of [`read_dataset`](super::read_dataset);
//! - COINr's `iMeta` and an `iData` with a `Time` column ([`read_coinr_panel`]);
//! - a long table ([`read_long_panel`]): one row per unit, time and variable,
//!   with the value in one column.
//!
//! Each edition gets the rows of its time, in file order. A unit has at most
//! one row per edition (an error names both rows otherwise); units may enter
//! or leave the panel.

use std::collections::HashMap;
use std::path::Path;

use super::table::{Table, read_table};
use super::{CsvRoles, MISSING_TOKENS, csv_error, open, parse_cell};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::FrameworkSpec;
use crate::panel::Panel;

/// Splits a table with a time column into editions.
fn panel_from_table(table: Table, time_column: &str, context: &str) -> Result<Panel> {
    let Some(time) = table.time.clone() else {
        return Err(Error::MissingColumn {
            column: time_column.into(),
            context: format!("{context} (a panel needs a time column)"),
        });
    };
    let mut seen: HashMap<(String, u64), usize> = HashMap::new();
    for (i, (u, t)) in table.codes.iter().zip(&time).enumerate() {
        if t.is_nan() {
            return Err(Error::Table {
                context: context.into(),
                row: Some(i as u64 + 1),
                column: Some(time_column.into()),
                message: format!("unit {u:?} has no time"),
            });
        }
        if let Some(first) = seen.insert((u.clone(), t.to_bits()), i) {
            return Err(Error::Table {
                context: context.into(),
                row: Some(i as u64 + 1),
                column: Some(time_column.into()),
                message: format!(
                    "unit {u:?} has two rows for time {t} (data rows {} and {})",
                    first + 1,
                    i + 1
                ),
            });
        }
    }
    Panel::split(&time, |rows, t| {
        let pick = |v: &[f64]| rows.iter().map(|&r| v[r]).collect::<Vec<f64>>();
        let part = Table {
            codes: rows.iter().map(|&r| table.codes[r].clone()).collect(),
            names: table
                .names
                .as_ref()
                .map(|n| rows.iter().map(|&r| n[r].clone()).collect()),
            time: Some(vec![t; rows.len()]),
            groups: table
                .groups
                .iter()
                .map(|(name, g)| (name.clone(), rows.iter().map(|&r| g[r].clone()).collect()))
                .collect(),
            denominators: table
                .denominators
                .iter()
                .map(|(name, v)| (name.clone(), pick(v)))
                .collect(),
            columns: table
                .columns
                .iter()
                .map(|(name, v)| (name.clone(), pick(v)))
                .collect(),
        };
        part.into_dataset().map_err(|e| Error::InEdition {
            time: t,
            source: Box::new(e),
        })
    })
}

/// Reads a panel from CSV text: the layout of [`read_dataset`](super::read_dataset)
/// with a time column (`roles.time`, default `Time`) and one row per unit and
/// edition.
///
/// # Errors
/// The errors of [`read_dataset`](super::read_dataset); [`Error::MissingColumn`]
/// without a time column; [`Error::Table`] for a row without a time or a unit
/// with two rows for one time (naming both rows).
pub fn read_panel<R: std::io::Read>(reader: R, roles: &CsvRoles, context: &str) -> Result<Panel> {
    let table = read_table(reader, roles, context)?;
    panel_from_table(table, roles.time.as_deref().unwrap_or("Time"), context)
}

/// Reads a panel from a CSV file; see [`read_panel`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_panel`].
pub fn read_panel_file(path: impl AsRef<Path>, roles: &CsvRoles) -> Result<Panel> {
    let path = path.as_ref();
    read_panel(open(path)?, roles, &path.display().to_string())
}

/// Reads COINr's `iMeta` and a panel `iData` (with a `Time` column) into the
/// framework and the panel.
///
/// # Errors
/// The errors of [`read_imeta`](super::read_imeta) and [`read_panel`].
pub fn read_coinr_panel<R1: std::io::Read, R2: std::io::Read>(
    imeta: R1,
    idata: R2,
    context: &str,
) -> Result<(FrameworkSpec, Panel)> {
    let meta = super::read_imeta(imeta, &format!("{context} iMeta"))?;
    let roles = meta.roles();
    let panel = read_panel(idata, &roles, &format!("{context} iData"))?;
    Ok((meta.framework, panel))
}

/// Reads `iMeta.csv` and a panel `iData.csv`; see [`read_coinr_panel`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_coinr_panel`].
pub fn read_coinr_panel_files(
    imeta: impl AsRef<Path>,
    idata: impl AsRef<Path>,
) -> Result<(FrameworkSpec, Panel)> {
    let (m, d) = (imeta.as_ref(), idata.as_ref());
    read_coinr_panel(open(m)?, open(d)?, &d.display().to_string())
}

/// The columns of a long panel table.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRoles {
    /// Unit code column (default `uCode`).
    pub unit_code: String,
    /// Unit name column, used when present (default `uName`).
    pub unit_name: Option<String>,
    /// Time column (default `Time`).
    pub time: String,
    /// Variable (indicator) code column (default `iCode`).
    pub variable: String,
    /// Value column (default `Value`).
    pub value: String,
    /// Variables holding group labels (text) rather than numbers.
    pub groups: Vec<String>,
    /// Variables that are denominators rather than indicators.
    pub denominators: Vec<String>,
}

impl Default for LongRoles {
    fn default() -> Self {
        Self {
            unit_code: "uCode".into(),
            unit_name: Some("uName".into()),
            time: "Time".into(),
            variable: "iCode".into(),
            value: "Value".into(),
            groups: Vec::new(),
            denominators: Vec::new(),
        }
    }
}

/// Reads a long panel table: one row per unit, time and variable (COINr's
/// long format). A variable with no row for a unit and time is missing.
///
/// # Errors
/// [`Error::Csv`], [`Error::MissingColumn`], [`Error::NonNumeric`] and
/// [`Error::InfiniteValue`] naming the row; [`Error::Table`] for a row without
/// time or unit, or two rows for one unit, time and variable (naming both).
pub fn read_long_panel<R: std::io::Read>(
    reader: R,
    roles: &LongRoles,
    context: &str,
) -> Result<Panel> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(reader);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_error(context, e))?
        .iter()
        .map(str::to_owned)
        .collect();
    let need = |c: &str| {
        header
            .iter()
            .position(|h| h == c)
            .ok_or_else(|| Error::MissingColumn {
                column: c.into(),
                context: context.into(),
            })
    };
    let (cu, ct, cv, cx) = (
        need(&roles.unit_code)?,
        need(&roles.time)?,
        need(&roles.variable)?,
        need(&roles.value)?,
    );
    let cn = roles
        .unit_name
        .as_deref()
        .and_then(|c| header.iter().position(|h| h == c));
    // (time bits) -> (units in order, unit -> row)
    let mut times: Vec<f64> = Vec::new();
    let mut units: Vec<Vec<String>> = Vec::new();
    let mut names: Vec<Vec<String>> = Vec::new();
    let mut rows: Vec<HashMap<String, usize>> = Vec::new();
    let mut variables: Vec<String> = Vec::new();
    let mut cells: HashMap<(usize, usize, usize), (usize, String)> = HashMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| csv_error(context, e))?;
        let row = i + 1;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let unit = get(cu).to_owned();
        let bad = |message: String| Error::Table {
            context: context.into(),
            row: Some(row as u64),
            column: None,
            message,
        };
        if unit.is_empty() {
            return Err(bad("empty unit code".into()));
        }
        let t = parse_cell(get(ct), row, &unit, &roles.time)?;
        if t.is_nan() {
            return Err(bad(format!("unit {unit:?} has no time")));
        }
        let k = match times.iter().position(|&x| x == t) {
            Some(k) => k,
            None => {
                times.push(t);
                units.push(Vec::new());
                names.push(Vec::new());
                rows.push(HashMap::new());
                times.len() - 1
            }
        };
        let r = match rows[k].get(&unit) {
            Some(&r) => r,
            None => {
                rows[k].insert(unit.clone(), units[k].len());
                units[k].push(unit.clone());
                names[k].push(cn.map_or_else(String::new, |c| get(c).to_owned()));
                units[k].len() - 1
            }
        };
        let var = get(cv).to_owned();
        if var.is_empty() {
            return Err(bad(format!("empty variable code for unit {unit:?}")));
        }
        let v = match variables.iter().position(|x| *x == var) {
            Some(v) => v,
            None => {
                variables.push(var.clone());
                variables.len() - 1
            }
        };
        let value = get(cx).to_owned();
        if !roles.groups.contains(&var) {
            // Checked now so that the error names the row.
            parse_cell(&value, row, &unit, &var)?;
        }
        if let Some((first, _)) = cells.insert((k, r, v), (row, value)) {
            return Err(bad(format!(
                "unit {unit:?} has two values of {var:?} for time {t} (data rows {first} and {row})"
            )));
        }
    }
    let mut editions = Vec::with_capacity(times.len());
    for (k, &t) in times.iter().enumerate() {
        let n = units[k].len();
        let column = |v: usize| -> Vec<String> {
            (0..n)
                .map(|r| {
                    cells
                        .get(&(k, r, v))
                        .map(|c| c.1.clone())
                        .unwrap_or_default()
                })
                .collect()
        };
        let numeric = |v: usize| -> Result<Vec<f64>> {
            column(v)
                .iter()
                .enumerate()
                .map(|(r, s)| parse_cell(s, r + 1, &units[k][r], &variables[v]))
                .collect()
        };
        let mut indicators = Vec::new();
        for (v, var) in variables.iter().enumerate() {
            if !roles.groups.contains(var) && !roles.denominators.contains(var) {
                indicators.push((var.clone(), numeric(v)?));
            }
        }
        let wrap = |e: Error| Error::InEdition {
            time: t,
            source: Box::new(e),
        };
        let mut d = Dataset::from_columns(units[k].clone(), indicators).map_err(wrap)?;
        if cn.is_some() {
            d = d.with_unit_names(names[k].clone()).map_err(wrap)?;
        }
        d = d.with_time(vec![t; n]).map_err(wrap)?;
        for (v, var) in variables.iter().enumerate() {
            if roles.groups.contains(var) {
                let labels = column(v)
                    .into_iter()
                    .map(|s| (!MISSING_TOKENS.contains(&s.trim())).then_some(s))
                    .collect();
                d = d.with_group(var.clone(), labels).map_err(wrap)?;
            } else if roles.denominators.contains(var) {
                d = d.with_denominator(var.clone(), numeric(v)?).map_err(wrap)?;
            }
        }
        editions.push((t, d));
    }
    Panel::new(editions)
}

/// Reads a long panel table from a file; see [`read_long_panel`].
///
/// # Errors
/// [`Error::Io`] and the errors of [`read_long_panel`].
pub fn read_long_panel_file(path: impl AsRef<Path>, roles: &LongRoles) -> Result<Panel> {
    let path = path.as_ref();
    read_long_panel(open(path)?, roles, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_panel_splits_by_time_and_names_duplicate_rows() {
        let text = "uCode,Time,G,x\nA,2020,g,1\nB,2020,h,2\nA,2021,g,3\n";
        let roles = CsvRoles {
            groups: vec!["G".into()],
            ..CsvRoles::default()
        };
        let p = read_panel(text.as_bytes(), &roles, "t").unwrap();
        assert_eq!(p.times(), &[2020.0, 2021.0]);
        assert_eq!(p.edition(2021.0).unwrap().unit_codes(), ["A"]);
        assert_eq!(
            p.edition(2020.0).unwrap().group("G").unwrap().values[1].as_deref(),
            Some("h")
        );
        let dup = "uCode,Time,x\nA,2020,1\nA,2020,2\n";
        let e = read_panel(dup.as_bytes(), &CsvRoles::default(), "t").unwrap_err();
        assert!(matches!(&e, Error::Table { row: Some(2), .. }), "{e}");
        assert!(e.to_string().contains("rows 1 and 2"), "{e}");
        let no_time = "uCode,x\nA,1\n";
        assert!(matches!(
            read_panel(no_time.as_bytes(), &CsvRoles::default(), "t"),
            Err(Error::MissingColumn { .. })
        ));
        let blank = "uCode,Time,x\nA,,1\n";
        assert!(matches!(
            read_panel(blank.as_bytes(), &CsvRoles::default(), "t"),
            Err(Error::Table { .. })
        ));
    }

    #[test]
    fn long_panel_pivots_and_refuses_duplicates() {
        let text = "uCode,Time,iCode,Value\nA,1,x,1\nA,1,y,2\nB,1,x,3\nA,2,x,4\nA,2,R,north\n";
        let roles = LongRoles {
            groups: vec!["R".into()],
            ..LongRoles::default()
        };
        let p = read_long_panel(text.as_bytes(), &roles, "t").unwrap();
        let e1 = p.edition(1.0).unwrap();
        assert_eq!(e1.indicator_codes(), ["x", "y"]);
        assert!(e1.indicator("y").unwrap()[1].is_nan());
        assert_eq!(
            p.edition(2.0).unwrap().group("R").unwrap().values[0].as_deref(),
            Some("north")
        );
        let dup = "uCode,Time,iCode,Value\nA,1,x,1\nA,1,x,2\n";
        let e = read_long_panel(dup.as_bytes(), &LongRoles::default(), "t").unwrap_err();
        assert!(e.to_string().contains("rows 1 and 2"), "{e}");
        let bad = "uCode,Time,iCode,Value\nA,1,x,abc\n";
        assert!(matches!(
            read_long_panel(bad.as_bytes(), &LongRoles::default(), "t"),
            Err(Error::NonNumeric { row: 1, .. })
        ));
    }
}
