//! A data set stacked over editions: the long table of a panel.

use nalgebra::DMatrix;

use crate::data::col;
use crate::error::{Error, Result};
use crate::results::{StageData, csv_field};

/// One data set over every edition: one row per (unit, time), sorted by time
/// then unit code, with the union of the editions' columns (missing where an
/// edition lacks a column). COINr's `get_dset` on a purse.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedData {
    /// Data set name (`"raw"`, `"normalised"`, ...).
    pub name: String,
    /// Time of each row.
    pub time: Vec<f64>,
    /// Unit code of each row.
    pub unit_codes: Vec<String>,
    /// Column codes.
    pub columns: Vec<String>,
    /// Values, rows x columns (NaN = missing).
    pub values: DMatrix<f64>,
}

impl StackedData {
    /// Stacks one data set of several editions (`(time, data set)` in time order).
    pub(crate) fn stack(name: &str, parts: &[(f64, &StageData)]) -> Self {
        let mut columns: Vec<String> = Vec::new();
        for (_, d) in parts {
            for c in d.columns.iter() {
                if !columns.contains(c) {
                    columns.push(c.clone());
                }
            }
        }
        let n: usize = parts.iter().map(|(_, d)| d.unit_codes.len()).sum();
        let mut values = DMatrix::from_element(n, columns.len(), f64::NAN);
        let mut time = Vec::with_capacity(n);
        let mut unit_codes = Vec::with_capacity(n);
        let mut row = 0;
        for (t, d) in parts {
            let mut order: Vec<usize> = (0..d.unit_codes.len()).collect();
            order.sort_by(|&a, &b| d.unit_codes[a].cmp(&d.unit_codes[b]));
            let targets: Vec<usize> = d
                .columns
                .iter()
                .map(|c| columns.iter().position(|x| x == c).unwrap_or(0))
                .collect();
            for &i in &order {
                for (j, &to) in targets.iter().enumerate() {
                    values[(row, to)] = col(&d.values, j)[i];
                }
                time.push(*t);
                unit_codes.push(d.unit_codes[i].clone());
                row += 1;
            }
        }
        Self {
            name: name.to_owned(),
            time,
            unit_codes,
            columns,
            values,
        }
    }

    /// The values of one column, `None` for an unknown code.
    pub fn column(&self, code: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .position(|c| c == code)
            .map(|j| col(&self.values, j))
    }

    /// The `(time, value)` series of one unit in one column, in time order
    /// (editions where the unit has no row are absent).
    pub fn series(&self, unit: &str, column: &str) -> Vec<(f64, f64)> {
        let Some(x) = self.column(column) else {
            return Vec::new();
        };
        self.unit_codes
            .iter()
            .zip(&self.time)
            .zip(x)
            .filter(|((u, _), _)| *u == unit)
            .map(|((_, &t), &v)| (t, v))
            .collect()
    }

    /// Distinct unit codes, sorted.
    pub fn units(&self) -> Vec<String> {
        let mut u = self.unit_codes.clone();
        u.sort();
        u.dedup();
        u
    }

    /// Distinct times, increasing.
    pub fn times(&self) -> Vec<f64> {
        let mut t = self.time.clone();
        t.dedup();
        t
    }

    /// Writes the table as CSV: `uCode`, `Time`, then one column per indicator or
    /// aggregate; missing values are empty cells; numbers in their shortest
    /// round-trip form.
    ///
    /// # Errors
    /// [`Error::Io`] on a write failure.
    pub fn write_csv<W: std::io::Write>(&self, mut w: W) -> Result<()> {
        let io = |source| Error::Io {
            path: format!("CSV output of {}", self.name),
            source,
        };
        let mut line = String::from("uCode,Time");
        for c in &self.columns {
            line.push(',');
            line.push_str(&csv_field(c));
        }
        writeln!(w, "{line}").map_err(io)?;
        for i in 0..self.unit_codes.len() {
            line.clear();
            line.push_str(&csv_field(&self.unit_codes[i]));
            line.push(',');
            line.push_str(&self.time[i].to_string());
            for j in 0..self.columns.len() {
                line.push(',');
                let v = self.values[(i, j)];
                if !v.is_nan() {
                    line.push_str(&v.to_string());
                }
            }
            writeln!(w, "{line}").map_err(io)?;
        }
        w.flush().map_err(io)
    }
}
