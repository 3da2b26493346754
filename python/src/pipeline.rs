//! The validated framework, the pipeline and its results.

use std::sync::Arc;

use composite_index::results::StepReport;
use composite_index::spec::Step;
use composite_index::{Error, Framework, Pipeline, Results};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{flat, py_value};
use crate::data::PyDataset;
use crate::errors::OrRaise;
use crate::spec::{PyFrameworkSpec, PyIndexSpec};

/// A validated indicator tree (`Framework` in Rust).
#[pyclass(name = "Framework", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyFramework(pub(crate) Arc<Framework>);

impl PyFramework {
    fn index(&self, code: &str) -> PyResult<usize> {
        self.0
            .index_of(code)
            .ok_or_else(|| Error::UnknownCode {
                kind: "node",
                code: code.into(),
                context: "the framework".into(),
            })
            .or_raise()
    }
}

#[pymethods]
impl PyFramework {
    /// Validates a framework spec, listing every problem; with `data_columns`,
    /// every indicator must be one of them.
    #[new]
    #[pyo3(signature = (spec, data_columns=None))]
    fn new(spec: &PyFrameworkSpec, data_columns: Option<Vec<String>>) -> PyResult<Self> {
        Ok(Self(Arc::new(
            Framework::new(spec.0.clone(), data_columns.as_deref()).or_raise()?,
        )))
    }

    /// Every node: code, name, parent, level, weight, direction, in spec order.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        (0..self.0.len())
            .map(|i| {
                let n = self.0.node(i);
                let d = PyDict::new(py);
                d.set_item("code", self.0.code(i))?;
                d.set_item("name", self.0.name(i))?;
                d.set_item("parent", self.0.parent(i).map(|p| self.0.code(p)))?;
                d.set_item("level", self.0.level(i))?;
                d.set_item("weight", n.weight)?;
                d.set_item("direction", n.direction)?;
                Ok(d)
            })
            .collect()
    }

    /// Codes of the indicators (leaves), in framework order.
    #[getter]
    fn indicator_codes(&self) -> Vec<String> {
        self.0.indicator_codes()
    }

    /// Code of the root (the index).
    #[getter]
    fn root(&self) -> String {
        self.0.code(self.0.root()).to_owned()
    }

    /// Number of levels (1 = indicators).
    #[getter]
    fn n_levels(&self) -> u32 {
        self.0.n_levels()
    }

    /// Codes of the nodes at a level.
    fn nodes_at_level(&self, level: u32) -> Vec<String> {
        if level == 0 || level > self.0.n_levels() {
            return Vec::new();
        }
        self.0
            .nodes_at_level(level)
            .iter()
            .map(|&i| self.0.code(i).to_owned())
            .collect()
    }

    /// Level of a node.
    fn level(&self, code: &str) -> PyResult<u32> {
        Ok(self.0.level(self.index(code)?))
    }

    /// Parent of a node (`None` for the root).
    fn parent(&self, code: &str) -> PyResult<Option<String>> {
        let i = self.index(code)?;
        Ok(self.0.parent(i).map(|p| self.0.code(p).to_owned()))
    }

    /// Children of a node.
    fn children(&self, code: &str) -> PyResult<Vec<String>> {
        let i = self.index(code)?;
        Ok(self
            .0
            .children(i)
            .iter()
            .map(|&c| self.0.code(c).to_owned())
            .collect())
    }

    /// Effective weight of every node in the index (`set`: a named weight set).
    #[pyo3(signature = (set=None))]
    fn effective_weights(&self, set: Option<&str>) -> PyResult<Vec<(String, f64)>> {
        let w = self.0.effective_weights(set).or_raise()?;
        Ok((0..self.0.len())
            .map(|i| (self.0.code(i).to_owned(), w[i]))
            .collect())
    }

    /// The spec it was built from.
    #[getter]
    fn spec(&self) -> PyFrameworkSpec {
        PyFrameworkSpec(self.0.spec().clone())
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Framework({} nodes, {} indicators, {} levels, root {:?})",
            self.0.len(),
            self.0.indicators().len(),
            self.0.n_levels(),
            self.0.code(self.0.root())
        )
    }
}

/// A spec validated against its data (`Pipeline` in Rust).
#[pyclass(name = "Pipeline", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyPipeline(pub(crate) Arc<Pipeline>);

#[pymethods]
impl PyPipeline {
    /// Validates `spec` against `data` (every framework problem at once).
    #[new]
    fn new(py: Python<'_>, spec: &PyIndexSpec, data: &PyDataset) -> PyResult<Self> {
        let (spec, data) = (spec.0.clone(), data.0.clone());
        let p = py.detach(|| Pipeline::new(spec, data)).or_raise()?;
        Ok(Self(Arc::new(p)))
    }

    /// Runs every step (the GIL is released meanwhile).
    fn run(&self, py: Python<'_>) -> PyResult<PyResults> {
        let p = &self.0;
        let r = py.detach(|| p.run()).or_raise()?;
        Ok(PyResults {
            results: r,
            pipeline: self.0.clone(),
        })
    }

    /// Runs every step but keeps only the final data set (less memory).
    fn run_final_only(&self, py: Python<'_>) -> PyResult<PyResults> {
        let p = &self.0;
        let r = py.detach(|| p.run_final_only()).or_raise()?;
        Ok(PyResults {
            results: r,
            pipeline: self.0.clone(),
        })
    }

    /// A copy with step `i` replaced (JSON text of one step, with its `stage`).
    fn with_step(&self, i: usize, step_json: &str) -> PyResult<Self> {
        let step: Step = serde_json::from_str(step_json)
            .map_err(|e| Error::SpecParse {
                message: e.to_string(),
            })
            .or_raise()?;
        let mut p = (*self.0).clone();
        p.set_step(i, step).or_raise()?;
        Ok(Self(Arc::new(p)))
    }

    /// The spec (with the steps as set).
    #[getter]
    fn spec(&self) -> PyIndexSpec {
        PyIndexSpec(self.0.spec().clone())
    }

    /// The validated framework.
    #[getter]
    fn framework(&self) -> PyFramework {
        PyFramework(Arc::new(self.0.framework().clone()))
    }

    /// The input data.
    #[getter]
    fn data(&self) -> PyDataset {
        PyDataset(Arc::new(self.0.data().clone()))
    }

    fn __repr__(&self) -> String {
        let stages: Vec<&str> = self.0.spec().steps.iter().map(|s| s.stage()).collect();
        format!(
            "Pipeline({} units, {} indicators, steps [{}])",
            self.0.data().n_units(),
            self.0.framework().indicators().len(),
            stages.join(", ")
        )
    }
}

/// Everything a run computed (`Results` in Rust), with its pipeline.
#[pyclass(name = "Results", module = "composite_index._core", frozen)]
pub(crate) struct PyResults {
    pub(crate) results: Results,
    pub(crate) pipeline: Arc<Pipeline>,
}

type DatasetParts<'py> = (
    Vec<String>,
    Vec<String>,
    Vec<usize>,
    Bound<'py, PyArray1<f64>>,
);

#[pymethods]
impl PyResults {
    /// Names of the data sets, `raw` first.
    #[getter]
    fn dataset_names(&self) -> Vec<String> {
        self.results
            .datasets()
            .iter()
            .map(|s| s.name().to_string())
            .collect()
    }

    /// One data set as (unit codes, column codes, input rows, column-major values).
    fn dataset<'py>(&self, py: Python<'py>, name: &str) -> Option<DatasetParts<'py>> {
        self.results.dataset(name).map(|s| {
            (
                s.unit_codes().to_vec(),
                s.columns().to_vec(),
                s.units().to_vec(),
                flat(py, s.values()),
            )
        })
    }

    /// Unit codes of the final data set.
    #[getter]
    fn unit_codes(&self) -> Vec<String> {
        self.results.unit_codes().to_vec()
    }

    /// Unit names of the final data set.
    #[getter]
    fn unit_names(&self) -> Vec<String> {
        let names = self.pipeline.data().unit_names();
        self.results
            .last()
            .units()
            .iter()
            .map(|&r| names[r].clone())
            .collect()
    }

    /// Codes of every framework node: indicators, then aggregates level by level.
    #[getter]
    fn node_codes(&self) -> Vec<String> {
        self.results.node_codes().to_vec()
    }

    /// Scores of a node for every unit of the final data set.
    fn scores<'py>(&self, py: Python<'py>, node: &str) -> Option<Bound<'py, PyArray1<f64>>> {
        self.results
            .scores(node)
            .map(|s| PyArray1::from_slice(py, s))
    }

    /// Ranks of a node (descending scores, ties share the best rank; None = missing).
    fn ranks(&self, node: &str) -> Option<Vec<Option<u32>>> {
        self.results.ranks(node)
    }

    /// `numerator / denominator` per unit (None where undefined).
    fn efficiency_ratio(&self, numerator: &str, denominator: &str) -> PyResult<Vec<Option<f64>>> {
        self.results
            .efficiency_ratio(numerator, denominator)
            .or_raise()
    }

    /// The reports of the steps: (stage, report as plain objects or None).
    fn reports<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        let steps = &self.pipeline.spec().steps;
        self.results
            .reports()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let stage = steps.get(i).map_or("", |s| s.stage()).to_owned();
                let value = match r {
                    StepReport::Denominate { made_missing } => {
                        let d = PyDict::new(py);
                        d.set_item("made_missing", py_value(py, made_missing)?)?;
                        d.into_any()
                    }
                    StepReport::Impute(x) => py_value(py, x)?,
                    StepReport::Screen(x) => py_value(py, x)?,
                    StepReport::Treat(x) => py_value(py, x)?,
                    StepReport::Skipped => "skipped".into_pyobject(py)?.into_any(),
                    _ => py.None().into_bound(py),
                };
                Ok((stage, value))
            })
            .collect()
    }

    /// The treatment log of the last treat step (records as dicts), if any.
    fn treatment_log<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.results
            .treatment_log()
            .map(|log| py_value(py, log))
            .transpose()
    }

    /// The results as JSON (units; per node scores and ranks; every data set).
    fn to_json(&self) -> PyResult<String> {
        self.results.to_json().or_raise()
    }

    /// Writes every data set as `<name>.csv` in COINr's layout into a directory.
    fn write_csv_dir(&self, dir: std::path::PathBuf) -> PyResult<()> {
        self.results.write_csv_dir(dir).or_raise()
    }

    /// The pipeline that computed these results.
    #[getter]
    fn pipeline(&self) -> PyPipeline {
        PyPipeline(self.pipeline.clone())
    }
}

/// Mean seconds of one `Pipeline::run` over `iterations` runs made in Rust
/// (GIL released), the yardstick of the binding's overhead benchmark.
#[pyfunction]
pub(crate) fn _bench_run(
    py: Python<'_>,
    pipeline: &PyPipeline,
    iterations: usize,
) -> PyResult<f64> {
    let p = &pipeline.0;
    py.detach(|| {
        let start = std::time::Instant::now();
        for _ in 0..iterations {
            std::hint::black_box(p.run()?);
        }
        Ok(start.elapsed().as_secs_f64() / iterations.max(1) as f64)
    })
    .or_raise()
}
