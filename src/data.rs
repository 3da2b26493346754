//! The units x indicators data set.
//!
//! A [`Dataset`] holds one row per *unit* (economy, province...) and one column per
//! *indicator*, as an nalgebra [`DMatrix<f64>`] in which NaN means missing. Beside
//! the indicator matrix it keeps unit names, categorical *group* columns (income
//! group, region), *denominator* columns (GDP, population) and an optional time
//! column. Construction checks the data once: unit codes unique and non-empty,
//! column names unique, no infinite values. Later stages can then rely on it.
//!
//! # Example
//!
//! ```
//! use composite_index::{Dataset, Error};
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["AT".into(), "BG".into(), "CY".into()],
//!     vec![
//!         ("patents".into(), vec![12.5, f64::NAN, 3.0]),
//!         ("exports".into(), vec![150.0, 30.0, 4.0]),
//!     ],
//! )?
//! .with_group("income", vec![Some("High".into()), Some("Upper middle".into()), None])?
//! .with_denominator("gdp", vec![480.0, 90.0, 27.0])?;
//! assert_eq!((data.n_units(), data.n_indicators()), (3, 2));
//! assert_eq!(data.values()[(2, 1)], 4.0); // unit CY, indicator exports
//! assert!(data.indicator("patents").unwrap()[1].is_nan()); // missing
//! assert_eq!(data.unit_index("CY"), Some(2));
//! assert_eq!(data.group("income").unwrap().values[0].as_deref(), Some("High"));
//! assert_eq!(data.denominator("gdp"), Some(&[480.0, 90.0, 27.0][..]));
//! // Checked once, at construction: an infinite value is an error naming unit and column.
//! let bad = Dataset::from_columns(vec!["AT".into()], vec![("x".into(), vec![f64::INFINITY])]);
//! assert!(matches!(bad, Err(Error::InfiniteValue { unit, column, .. })
//!     if unit == "AT" && column == "x"));
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use nalgebra::DMatrix;

use crate::error::{Error, Result};

/// A categorical column (for group imputation, group ranks...). `None` is missing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GroupColumn {
    /// Column name, e.g. `"Income"`.
    pub name: String,
    /// One label per unit.
    pub values: Vec<Option<String>>,
}

/// A numeric non-indicator column (denominators such as GDP or population). NaN is missing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct NumericColumn {
    /// Column name, e.g. `"GDP"`.
    pub name: String,
    /// One value per unit.
    pub values: Vec<f64>,
}

/// A validated units x indicators data set. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Dataset {
    unit_codes: Arc<[String]>,
    unit_names: Vec<String>,
    indicator_codes: Vec<String>,
    values: DMatrix<f64>,
    groups: Vec<GroupColumn>,
    denominators: Vec<NumericColumn>,
    time: Option<Vec<f64>>,
    #[cfg_attr(feature = "serde", serde(skip))]
    unit_lookup: HashMap<String, usize>,
    #[cfg_attr(feature = "serde", serde(skip))]
    indicator_lookup: HashMap<String, usize>,
}

impl Dataset {
    /// Builds a data set from unit codes, indicator codes and a units x indicators
    /// matrix (NaN = missing). Unit names default to the codes.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] if the matrix shape disagrees with the codes,
    /// [`Error::EmptyUnitCode`], [`Error::DuplicateUnit`], [`Error::DuplicateColumn`]
    /// and [`Error::InfiniteValue`] (naming unit and column).
    pub fn new(
        unit_codes: Vec<String>,
        indicator_codes: Vec<String>,
        values: DMatrix<f64>,
    ) -> Result<Self> {
        if values.nrows() != unit_codes.len() {
            return Err(Error::DimensionMismatch {
                what: "rows of the data matrix (one per unit)".into(),
                expected: unit_codes.len(),
                found: values.nrows(),
            });
        }
        if values.ncols() != indicator_codes.len() {
            return Err(Error::DimensionMismatch {
                what: "columns of the data matrix (one per indicator)".into(),
                expected: indicator_codes.len(),
                found: values.ncols(),
            });
        }
        let unit_lookup = unique_units(&unit_codes)?;
        let indicator_lookup = unique_columns(&indicator_codes, "the indicator columns")?;
        for (j, code) in indicator_codes.iter().enumerate() {
            check_finite(col(&values, j), code, &unit_codes)?;
        }
        Ok(Self {
            unit_names: unit_codes.clone(),
            unit_codes: unit_codes.into(),
            indicator_codes,
            values,
            groups: Vec::new(),
            denominators: Vec::new(),
            time: None,
            unit_lookup,
            indicator_lookup,
        })
    }

    /// Builds a data set from columns: `(code, values)` pairs, one value per unit.
    ///
    /// # Errors
    /// As [`Dataset::new`]; also [`Error::DimensionMismatch`] for a column of the wrong length.
    pub fn from_columns(unit_codes: Vec<String>, columns: Vec<(String, Vec<f64>)>) -> Result<Self> {
        let n = unit_codes.len();
        let mut flat = Vec::with_capacity(n * columns.len());
        let mut codes = Vec::with_capacity(columns.len());
        for (code, col) in columns {
            if col.len() != n {
                return Err(Error::DimensionMismatch {
                    what: format!("length of column {code:?}"),
                    expected: n,
                    found: col.len(),
                });
            }
            flat.extend_from_slice(&col);
            codes.push(code);
        }
        let m = DMatrix::from_vec(n, codes.len(), flat);
        Self::new(unit_codes, codes, m)
    }

    /// Sets the unit names (one per unit).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length.
    pub fn with_unit_names(mut self, names: Vec<String>) -> Result<Self> {
        self.check_len("unit names", names.len())?;
        self.unit_names = names;
        Ok(self)
    }

    /// Adds a group (categorical) column.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong length, [`Error::DuplicateColumn`]
    /// if the name is already used by any column.
    pub fn with_group(
        mut self,
        name: impl Into<String>,
        values: Vec<Option<String>>,
    ) -> Result<Self> {
        let name = name.into();
        self.check_len(&format!("group column {name:?}"), values.len())?;
        self.check_new_name(&name)?;
        self.groups.push(GroupColumn { name, values });
        Ok(self)
    }

    /// Adds a denominator column (NaN = missing).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`], [`Error::DuplicateColumn`], and
    /// [`Error::InfiniteValue`] for an infinite entry.
    pub fn with_denominator(mut self, name: impl Into<String>, values: Vec<f64>) -> Result<Self> {
        let name = name.into();
        self.check_len(&format!("denominator column {name:?}"), values.len())?;
        self.check_new_name(&name)?;
        check_finite(&values, &name, &self.unit_codes)?;
        self.denominators.push(NumericColumn { name, values });
        Ok(self)
    }

    /// Sets the time column (e.g. the year of each row), NaN = missing.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] and [`Error::InfiniteValue`].
    pub fn with_time(mut self, values: Vec<f64>) -> Result<Self> {
        self.check_len("time column", values.len())?;
        check_finite(&values, "Time", &self.unit_codes)?;
        self.time = Some(values);
        Ok(self)
    }

    fn check_len(&self, what: &str, found: usize) -> Result<()> {
        if found != self.n_units() {
            return Err(Error::DimensionMismatch {
                what: what.into(),
                expected: self.n_units(),
                found,
            });
        }
        Ok(())
    }

    fn check_new_name(&self, name: &str) -> Result<()> {
        let taken = self.indicator_lookup.contains_key(name)
            || self.groups.iter().any(|g| g.name == name)
            || self.denominators.iter().any(|d| d.name == name);
        if taken {
            return Err(Error::DuplicateColumn {
                column: name.into(),
                context: "the data set".into(),
            });
        }
        Ok(())
    }

    /// Number of units (rows).
    pub fn n_units(&self) -> usize {
        self.unit_codes.len()
    }

    /// Number of indicator columns.
    pub fn n_indicators(&self) -> usize {
        self.indicator_codes.len()
    }

    /// Unit codes, in row order.
    pub fn unit_codes(&self) -> &[String] {
        &self.unit_codes
    }

    /// Unit codes as a shared slice (cheap to clone).
    pub(crate) fn unit_codes_shared(&self) -> &Arc<[String]> {
        &self.unit_codes
    }

    /// Unit names, in row order.
    pub fn unit_names(&self) -> &[String] {
        &self.unit_names
    }

    /// Indicator codes, in column order.
    pub fn indicator_codes(&self) -> &[String] {
        &self.indicator_codes
    }

    /// The units x indicators matrix (NaN = missing).
    pub fn values(&self) -> &DMatrix<f64> {
        &self.values
    }

    /// Moves the matrix out, leaving one with no column (for a consuming run
    /// that drops the data set afterwards).
    pub(crate) fn take_values(&mut self) -> DMatrix<f64> {
        let n = self.values.nrows();
        std::mem::replace(&mut self.values, DMatrix::zeros(n, 0))
    }

    /// Row of a unit code.
    pub fn unit_index(&self, code: &str) -> Option<usize> {
        self.unit_lookup.get(code).copied()
    }

    /// Column of an indicator code.
    pub fn indicator_index(&self, code: &str) -> Option<usize> {
        self.indicator_lookup.get(code).copied()
    }

    /// The values of one indicator, `None` for an unknown code.
    pub fn indicator(&self, code: &str) -> Option<&[f64]> {
        self.indicator_index(code).map(|j| col(&self.values, j))
    }

    /// Group columns.
    pub fn groups(&self) -> &[GroupColumn] {
        &self.groups
    }

    /// A group column by name.
    pub fn group(&self, name: &str) -> Option<&GroupColumn> {
        self.groups.iter().find(|g| g.name == name)
    }

    /// Denominator columns.
    pub fn denominators(&self) -> &[NumericColumn] {
        &self.denominators
    }

    /// A denominator column by name.
    pub fn denominator(&self, name: &str) -> Option<&[f64]> {
        self.denominators
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.values.as_slice())
    }

    /// The time column, if any.
    pub fn time(&self) -> Option<&[f64]> {
        self.time.as_deref()
    }

    /// Rebuilds the lookup tables after deserialisation and re-checks the invariants.
    ///
    /// # Errors
    /// As [`Dataset::new`].
    pub fn revalidate(self) -> Result<Self> {
        let Self {
            unit_codes,
            unit_names,
            indicator_codes,
            values,
            groups,
            denominators,
            time,
            ..
        } = self;
        let mut d =
            Self::new(unit_codes.to_vec(), indicator_codes, values)?.with_unit_names(unit_names)?;
        for g in groups {
            d = d.with_group(g.name, g.values)?;
        }
        for c in denominators {
            d = d.with_denominator(c.name, c.values)?;
        }
        if let Some(t) = time {
            d = d.with_time(t)?;
        }
        Ok(d)
    }
}

/// Column `j` of a column-major matrix as a slice.
pub(crate) fn col(m: &DMatrix<f64>, j: usize) -> &[f64] {
    let n = m.nrows();
    &m.as_slice()[j * n..(j + 1) * n]
}

/// Column `j` of a column-major matrix as a mutable slice.
pub(crate) fn col_mut(m: &mut DMatrix<f64>, j: usize) -> &mut [f64] {
    let n = m.nrows();
    &mut m.as_mut_slice()[j * n..(j + 1) * n]
}

/// Cells from which column-wise work is spread over threads (feature `rayon`);
/// below it the thread hand-off costs more than it saves. Monte Carlo runs use
/// their reusable buffers below it (with or without `rayon`).
pub(crate) const PARALLEL_CELLS: usize = 1 << 20;

/// Applies `f(j, column_j)` to every column of `m`, returning the results in column
/// order. With the `rayon` feature and a large matrix the columns are processed in
/// parallel; each column's result does not depend on the others, so the output is
/// identical either way.
pub(crate) fn map_columns_mut<T: Send>(
    m: &mut DMatrix<f64>,
    f: impl Fn(usize, &mut [f64]) -> T + Sync + Send,
) -> Vec<T> {
    let n = m.nrows();
    if n == 0 {
        return (0..m.ncols()).map(|j| f(j, &mut [])).collect();
    }
    #[cfg(feature = "rayon")]
    if m.len() >= PARALLEL_CELLS {
        use rayon::prelude::*;
        return m
            .as_mut_slice()
            .par_chunks_mut(n)
            .enumerate()
            .map(|(j, c)| f(j, c))
            .collect();
    }
    m.as_mut_slice()
        .chunks_mut(n)
        .enumerate()
        .map(|(j, c)| f(j, c))
        .collect()
}

fn unique_units(codes: &[String]) -> Result<HashMap<String, usize>> {
    let mut map = HashMap::with_capacity(codes.len());
    for (i, c) in codes.iter().enumerate() {
        if c.trim().is_empty() {
            return Err(Error::EmptyUnitCode { row: i + 1 });
        }
        if let Some(&first) = map.get(c) {
            return Err(Error::DuplicateUnit {
                code: c.clone(),
                first_row: first + 1,
                second_row: i + 1,
            });
        }
        map.insert(c.clone(), i);
    }
    Ok(map)
}

pub(crate) fn unique_columns(codes: &[String], context: &str) -> Result<HashMap<String, usize>> {
    let mut map = HashMap::with_capacity(codes.len());
    for (j, c) in codes.iter().enumerate() {
        if map.insert(c.clone(), j).is_some() {
            return Err(Error::DuplicateColumn {
                column: c.clone(),
                context: context.into(),
            });
        }
    }
    Ok(map)
}

fn check_finite(values: &[f64], column: &str, units: &[String]) -> Result<()> {
    if let Some(i) = values.iter().position(|v| v.is_infinite()) {
        return Err(Error::InfiniteValue {
            row: i + 1,
            unit: units[i].clone(),
            column: column.into(),
            value: values[i],
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn builds_and_looks_up() {
        let d = Dataset::from_columns(
            codes(&["A", "B"]),
            vec![
                ("x".into(), vec![1.0, f64::NAN]),
                ("y".into(), vec![3.0, 4.0]),
            ],
        )
        .unwrap();
        assert_eq!(d.n_units(), 2);
        assert_eq!(d.indicator("y"), Some(&[3.0, 4.0][..]));
        assert_eq!(d.unit_index("B"), Some(1));
        assert!(d.indicator("x").unwrap()[1].is_nan());
    }

    #[test]
    fn rejects_infinity_naming_unit_and_column() {
        let e = Dataset::from_columns(
            codes(&["A", "B"]),
            vec![("x".into(), vec![1.0, f64::INFINITY])],
        )
        .unwrap_err();
        match e {
            Error::InfiniteValue {
                unit, column, row, ..
            } => {
                assert_eq!((unit.as_str(), column.as_str(), row), ("B", "x", 2));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rejects_duplicate_units_and_columns() {
        let e = Dataset::from_columns(codes(&["A", "A"]), vec![("x".into(), vec![1.0, 2.0])])
            .unwrap_err();
        assert!(matches!(
            e,
            Error::DuplicateUnit {
                first_row: 1,
                second_row: 2,
                ..
            }
        ));
        let e = Dataset::from_columns(
            codes(&["A"]),
            vec![("x".into(), vec![1.0]), ("x".into(), vec![2.0])],
        )
        .unwrap_err();
        assert!(matches!(e, Error::DuplicateColumn { .. }));
        let d = Dataset::from_columns(codes(&["A"]), vec![("x".into(), vec![1.0])]).unwrap();
        assert!(matches!(
            d.with_group("x", vec![None]),
            Err(Error::DuplicateColumn { .. })
        ));
    }

    #[test]
    fn rejects_empty_unit_code_and_bad_lengths() {
        let e = Dataset::from_columns(codes(&["A", " "]), vec![("x".into(), vec![1.0, 2.0])])
            .unwrap_err();
        assert!(matches!(e, Error::EmptyUnitCode { row: 2 }));
        let e =
            Dataset::from_columns(codes(&["A", "B"]), vec![("x".into(), vec![1.0])]).unwrap_err();
        assert!(matches!(e, Error::DimensionMismatch { .. }));
    }
}
