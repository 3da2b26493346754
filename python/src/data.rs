//! Data sets: built from numpy arrays and lists, or read with the crate's readers.

use std::sync::Arc;

use composite_index::Dataset;
use composite_index::io::{self, CsvRoles};
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::convert::{flat, matrix, vector};
use crate::errors::OrRaise;
use crate::spec::PyFrameworkSpec;

/// A validated units x indicators data set (`Dataset` in Rust).
#[pyclass(name = "Dataset", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyDataset(pub(crate) Arc<Dataset>);

#[pymethods]
impl PyDataset {
    /// Builds and checks a data set: unique non-empty unit codes, unique column
    /// names, no infinite value (errors name the row, unit and column).
    #[new]
    #[pyo3(signature = (unit_codes, indicator_codes, values, unit_names=None, groups=Vec::new(), denominators=Vec::new(), time=None))]
    fn new(
        unit_codes: Vec<String>,
        indicator_codes: Vec<String>,
        values: PyReadonlyArray2<'_, f64>,
        unit_names: Option<Vec<String>>,
        groups: Vec<(String, Vec<Option<String>>)>,
        denominators: Vec<(String, PyReadonlyArray1<'_, f64>)>,
        time: Option<PyReadonlyArray1<'_, f64>>,
    ) -> PyResult<Self> {
        let mut d = Dataset::new(unit_codes, indicator_codes, matrix(&values)).or_raise()?;
        if let Some(names) = unit_names {
            d = d.with_unit_names(names).or_raise()?;
        }
        for (name, values) in groups {
            d = d.with_group(name, values).or_raise()?;
        }
        for (name, values) in denominators {
            d = d.with_denominator(name, vector(&values)).or_raise()?;
        }
        if let Some(t) = time {
            d = d.with_time(vector(&t)).or_raise()?;
        }
        Ok(Self(Arc::new(d)))
    }

    /// Unit codes, in row order.
    #[getter]
    fn unit_codes(&self) -> Vec<String> {
        self.0.unit_codes().to_vec()
    }

    /// Unit names, in row order.
    #[getter]
    fn unit_names(&self) -> Vec<String> {
        self.0.unit_names().to_vec()
    }

    /// Indicator codes, in column order.
    #[getter]
    fn indicator_codes(&self) -> Vec<String> {
        self.0.indicator_codes().to_vec()
    }

    /// The indicator values, column-major (reshape with `(k, n)` then transpose).
    fn values_flat<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        flat(py, self.0.values())
    }

    /// Group columns as `(name, labels)` pairs.
    #[getter]
    fn groups(&self) -> Vec<(String, Vec<Option<String>>)> {
        self.0
            .groups()
            .iter()
            .map(|g| (g.name.clone(), g.values.clone()))
            .collect()
    }

    /// Denominator columns as `(name, values)` pairs.
    #[getter]
    fn denominators(&self) -> Vec<(String, Vec<f64>)> {
        self.0
            .denominators()
            .iter()
            .map(|d| (d.name.clone(), d.values.clone()))
            .collect()
    }

    /// The time column, if any.
    #[getter]
    fn time(&self) -> Option<Vec<f64>> {
        self.0.time().map(<[f64]>::to_vec)
    }

    /// Number of units and of indicators.
    #[getter]
    fn shape(&self) -> (usize, usize) {
        (self.0.n_units(), self.0.n_indicators())
    }

    fn __repr__(&self) -> String {
        format!(
            "Dataset({} units x {} indicators, {} group and {} denominator columns)",
            self.0.n_units(),
            self.0.n_indicators(),
            self.0.groups().len(),
            self.0.denominators().len()
        )
    }
}

/// COINr's iMeta and iData tables (CSV text) into a framework and a data set,
/// with the crate's reader (`io::read_coinr`).
#[pyfunction]
#[pyo3(signature = (imeta, idata, context="COINr tables"))]
pub(crate) fn read_coinr(
    py: Python<'_>,
    imeta: &str,
    idata: &str,
    context: &str,
) -> PyResult<(PyFrameworkSpec, PyDataset)> {
    let (fw, data) = py
        .detach(|| io::read_coinr(imeta.as_bytes(), idata.as_bytes(), context))
        .or_raise()?;
    Ok((PyFrameworkSpec(fw), PyDataset(Arc::new(data))))
}

/// A units x columns table (CSV text) into a data set with the crate's reader
/// (`io::read_dataset`); `indicators=None` takes every column without another role.
#[pyfunction]
#[pyo3(signature = (text, unit_code="uCode".to_owned(), unit_name=Some("uName".to_owned()), time=Some("Time".to_owned()), groups=Vec::new(), denominators=Vec::new(), indicators=None, ignore=Vec::new(), context="data table"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_dataset(
    py: Python<'_>,
    text: &str,
    unit_code: String,
    unit_name: Option<String>,
    time: Option<String>,
    groups: Vec<String>,
    denominators: Vec<String>,
    indicators: Option<Vec<String>>,
    ignore: Vec<String>,
    context: &str,
) -> PyResult<PyDataset> {
    let roles = CsvRoles {
        unit_code,
        unit_name,
        time,
        groups,
        denominators,
        indicators,
        ignore,
    };
    let d = py
        .detach(|| io::read_dataset(text.as_bytes(), &roles, context))
        .or_raise()?;
    Ok(PyDataset(Arc::new(d)))
}

/// Parses cells of text with the readers' rules (`io::parse_cell`): missing
/// tokens and NaN are missing, anything else must be a finite number. `rows`
/// are the 1-based rows and `units` the unit codes, named in errors.
#[pyfunction]
pub(crate) fn parse_cells<'py>(
    py: Python<'py>,
    cells: Vec<Option<String>>,
    column: &str,
    units: Vec<String>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let out = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let unit = units.get(i).map_or("", String::as_str);
            io::parse_cell(c.as_deref().unwrap_or(""), i + 1, unit, column)
        })
        .collect::<composite_index::Result<Vec<f64>>>()
        .or_raise()?;
    Ok(PyArray1::from_vec(py, out))
}
