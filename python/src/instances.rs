//! The GII and PII instances (`composite_index::instances`).

use std::sync::Arc;

use composite_index::coverage::CoverageRule;
use composite_index::instances::gii::{self, GiiRun};
use composite_index::instances::{self, pii};
use composite_index::io;
use composite_index::prelude::IndexSpec;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::py_value;
use crate::data::PyDataset;
use crate::errors::OrRaise;
use crate::pipeline::{PyPipeline, PyResults};
use crate::spec::{PyFrameworkSpec, PyIndexSpec};

/// A run of the GII or PII method (`GiiRun` in Rust).
#[pyclass(name = "GiiRun", module = "composite_index._core", frozen)]
pub(crate) struct PyGiiRun(GiiRun);

#[pymethods]
impl PyGiiRun {
    /// The pipeline that was run.
    #[getter]
    fn pipeline(&self) -> PyPipeline {
        PyPipeline(Arc::new(self.0.pipeline.clone()))
    }

    /// Its results.
    #[getter]
    fn results(&self) -> PyResults {
        PyResults {
            results: self.0.results.clone(),
            pipeline: Arc::new(self.0.pipeline.clone()),
        }
    }

    /// The coverage report (units meeting the data-coverage rule), or None.
    #[getter]
    fn coverage<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, &self.0.coverage())
    }

    /// Units left out for too little data (when exclusion was asked).
    #[getter]
    fn excluded(&self) -> Vec<String> {
        self.0.excluded()
    }

    /// Indicators whose GII log transform fell back to another transform.
    #[getter]
    fn log_fallbacks(&self) -> Vec<String> {
        self.0.log_fallbacks()
    }

    /// Codes of the index, input and output sub-indices.
    #[getter]
    fn codes(&self) -> (String, String, String) {
        (
            self.0.index_code().to_owned(),
            self.0.input_code().to_owned(),
            self.0.output_code().to_owned(),
        )
    }

    /// The publication table: one dict per unit (rank, score, input and output
    /// sub-indices with ranks, efficiency ratio, coverage), sorted by rank.
    fn table<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.0
            .table()
            .or_raise()?
            .into_iter()
            .map(|r| {
                let d = PyDict::new(py);
                d.set_item("uCode", r.unit)?;
                d.set_item("uName", r.name)?;
                d.set_item("rank", r.rank)?;
                d.set_item("score", r.score)?;
                d.set_item("input", r.input)?;
                d.set_item("input_rank", r.input_rank)?;
                d.set_item("output", r.output)?;
                d.set_item("output_rank", r.output_rank)?;
                d.set_item("efficiency", r.efficiency)?;
                d.set_item("coverage_ok", r.coverage.meets())?;
                d.set_item("coverage", format!("{:?}", r.coverage).to_lowercase())?;
                d.set_item("excluded", r.excluded)?;
                Ok(d)
            })
            .collect()
    }
}

/// `spec` with the coverage rule replaced (when given) and exclusion set.
fn with_coverage(
    mut spec: IndexSpec,
    exclude_below_coverage: bool,
    coverage: Option<&Bound<'_, PyAny>>,
) -> PyResult<IndexSpec> {
    if let Some(c) = coverage {
        let v: serde_json::Value = pythonize::depythonize(c)?;
        let rule: CoverageRule = serde_json::from_value(v)
            .map_err(|e| composite_index::Error::SpecParse {
                message: format!("coverage rule: {e}"),
            })
            .or_raise()?;
        spec.coverage = Some(rule);
    }
    if exclude_below_coverage {
        spec.coverage.get_or_insert_with(CoverageRule::gii).exclude = true;
    }
    Ok(spec)
}

/// Names of the specifications shipped with the crate (``"gii-2025"``, ...).
#[pyfunction]
fn names() -> Vec<String> {
    instances::names().into_iter().map(str::to_owned).collect()
}

/// A shipped specification by name (``"gii-2025"``, ``"pii-2025"``).
#[pyfunction]
fn spec(name: &str) -> PyResult<PyIndexSpec> {
    Ok(PyIndexSpec(instances::spec(name).or_raise()?))
}

/// The GII's specification for an edition year (2024, 2025).
#[pyfunction]
fn gii_spec(year: u16) -> PyResult<PyIndexSpec> {
    Ok(PyIndexSpec(gii::spec(year).or_raise()?))
}

/// The GII's framework for an edition year.
#[pyfunction]
fn gii_framework(year: u16) -> PyResult<PyFrameworkSpec> {
    Ok(PyFrameworkSpec(
        gii::framework(year).or_raise()?.spec().clone(),
    ))
}

/// Runs the GII method of an edition on a data set.
#[pyfunction]
#[pyo3(signature = (data, year, exclude_below_coverage=false, coverage=None))]
fn gii_run(
    py: Python<'_>,
    data: &PyDataset,
    year: u16,
    exclude_below_coverage: bool,
    coverage: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyGiiRun> {
    let spec = with_coverage(
        gii::spec(year).or_raise()?,
        exclude_below_coverage,
        coverage,
    )?;
    let d = (*data.0).clone();
    Ok(PyGiiRun(py.detach(|| gii::run_spec(spec, d)).or_raise()?))
}

/// Reads WIPO's official GII workbook (.xlsx): its data set.
#[pyfunction]
fn read_wipo_xlsx(py: Python<'_>, path: std::path::PathBuf, year: u16) -> PyResult<PyDataset> {
    let w = py.detach(|| io::read_wipo_xlsx(&path, year)).or_raise()?;
    Ok(PyDataset(Arc::new(w.data)))
}

/// The PII's specification for an edition year (2025).
#[pyfunction]
#[pyo3(signature = (year=2025))]
fn pii_spec(year: u16) -> PyResult<PyIndexSpec> {
    Ok(PyIndexSpec(pii::spec(year).or_raise()?))
}

/// The PII's framework for an edition year (2025).
#[pyfunction]
#[pyo3(signature = (year=2025))]
fn pii_framework(year: u16) -> PyResult<PyFrameworkSpec> {
    Ok(PyFrameworkSpec(
        pii::framework(year).or_raise()?.spec().clone(),
    ))
}

/// Runs the PII method on a data set.
#[pyfunction]
#[pyo3(signature = (data, year=2025, exclude_below_coverage=false, coverage=None))]
fn pii_run(
    py: Python<'_>,
    data: &PyDataset,
    year: u16,
    exclude_below_coverage: bool,
    coverage: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyGiiRun> {
    let spec = with_coverage(
        pii::spec(year).or_raise()?,
        exclude_below_coverage,
        coverage,
    )?;
    let d = (*data.0).clone();
    Ok(PyGiiRun(py.detach(|| gii::run_spec(spec, d)).or_raise()?))
}

/// Registers the instance functions in `_core.instances`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let i = PyModule::new(m.py(), "instances")?;
    i.add_class::<PyGiiRun>()?;
    i.add_function(wrap_pyfunction!(names, &i)?)?;
    i.add_function(wrap_pyfunction!(spec, &i)?)?;
    i.add_function(wrap_pyfunction!(gii_spec, &i)?)?;
    i.add_function(wrap_pyfunction!(gii_framework, &i)?)?;
    i.add_function(wrap_pyfunction!(gii_run, &i)?)?;
    i.add_function(wrap_pyfunction!(read_wipo_xlsx, &i)?)?;
    i.add_function(wrap_pyfunction!(pii_spec, &i)?)?;
    i.add_function(wrap_pyfunction!(pii_framework, &i)?)?;
    i.add_function(wrap_pyfunction!(pii_run, &i)?)?;
    m.add_submodule(&i)?;
    Ok(())
}
