//! Fitted (frozen) pipelines: `Pipeline.fit()`, applying the frozen parameters
//! to new data, and their JSON form.

use std::sync::Arc;

use composite_index::fitted::FittedPipeline;
use composite_index::spec::Step;
use composite_index::{Dataset, Pipeline};
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::convert::py_value;
use crate::data::PyDataset;
use crate::errors::OrRaise;
use crate::pipeline::{PyPipeline, PyResults};
use crate::spec::PyIndexSpec;

/// A pipeline with every learned parameter frozen (`FittedPipeline` in Rust).
#[pyclass(name = "FittedPipeline", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyFittedPipeline(pub(crate) Arc<FittedPipeline>);

impl PyFittedPipeline {
    /// The pipeline of the spec on `data` that the results of an application
    /// keep (for unit names, reports and audits), with screening force lists
    /// restricted to the units present, as `FittedPipeline::apply` does.
    fn pipeline_on(&self, data: Arc<Dataset>) -> composite_index::Result<Pipeline> {
        let mut spec = self.0.spec().clone();
        for step in &mut spec.steps {
            if let Step::Screen(s) = step {
                s.force_include.retain(|u| data.unit_index(u).is_some());
                s.force_exclude.retain(|u| data.unit_index(u).is_some());
            }
        }
        Pipeline::new(spec, data)
    }

    fn apply_with(
        &self,
        py: Python<'_>,
        data: &PyDataset,
        final_only: bool,
    ) -> PyResult<PyResults> {
        let data = data.0.clone();
        let f = &self.0;
        let (results, pipeline) = py
            .detach(|| {
                let r = if final_only {
                    f.apply_final_only(Arc::clone(&data))?
                } else {
                    f.apply(Arc::clone(&data))?
                };
                Ok((r, self.pipeline_on(data)?))
            })
            .or_raise()?;
        Ok(PyResults {
            results,
            pipeline: Arc::new(pipeline),
        })
    }
}

#[pymethods]
impl PyFittedPipeline {
    /// Applies the frozen parameters to `data` (GIL released).
    fn apply(&self, py: Python<'_>, data: &PyDataset) -> PyResult<PyResults> {
        self.apply_with(py, data, false)
    }

    /// As `apply`, keeping only the final data set.
    fn apply_final_only(&self, py: Python<'_>, data: &PyDataset) -> PyResult<PyResults> {
        self.apply_with(py, data, true)
    }

    /// The fitted pipeline as pretty JSON (numbers round-trip exactly).
    fn to_json(&self) -> PyResult<String> {
        self.0.to_json().or_raise()
    }

    /// Reads a fitted pipeline from JSON, checking its structure and parameters.
    #[classmethod]
    fn from_json(_cls: &Bound<'_, PyType>, text: &str) -> PyResult<Self> {
        Ok(Self(Arc::new(FittedPipeline::from_json(text).or_raise()?)))
    }

    /// Checks the structure and the parameters.
    fn validate(&self) -> PyResult<()> {
        self.0.validate().or_raise()
    }

    /// The specification it was fitted with.
    #[getter]
    fn spec(&self) -> PyIndexSpec {
        PyIndexSpec(self.0.spec().clone())
    }

    /// Codes of the reference units.
    #[getter]
    fn reference_units(&self) -> Vec<String> {
        self.0.reference_units().to_vec()
    }

    /// The fitted steps as plain objects (one dict per step, tagged by `stage`).
    fn steps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, self.0.steps())
    }

    fn __eq__(&self, other: &Self) -> bool {
        self.0 == other.0
    }

    fn __repr__(&self) -> String {
        let stages: Vec<&str> = self.0.steps().iter().map(|s| s.stage()).collect();
        format!(
            "FittedPipeline({} reference units, steps [{}])",
            self.0.reference_units().len(),
            stages.join(", ")
        )
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let json = slf.borrow().to_json()?;
        Ok((slf.get_type().getattr("from_json")?, (json,)))
    }
}

#[pymethods]
impl PyPipeline {
    /// Fits every step on the pipeline's data (GIL released).
    fn fit(&self, py: Python<'_>) -> PyResult<PyFittedPipeline> {
        let p = &self.0;
        let f = py.detach(|| p.fit()).or_raise()?;
        Ok(PyFittedPipeline(Arc::new(f)))
    }

    /// Runs and fits in one pass: (results, fitted pipeline).
    fn run_and_fit(&self, py: Python<'_>) -> PyResult<(PyResults, PyFittedPipeline)> {
        let p = &self.0;
        let (r, f) = py.detach(|| p.run_and_fit()).or_raise()?;
        Ok((
            PyResults {
                results: r,
                pipeline: self.0.clone(),
            },
            PyFittedPipeline(Arc::new(f)),
        ))
    }
}
