//! The audit toolkit (`composite_index::audit`): each function converts its
//! arguments, calls the crate's function of the same name and returns the
//! result as plain Python objects (matrices as column-major numpy arrays).
//!
//! A table argument is `(unit codes, column codes, units x columns array)`.

use std::collections::BTreeMap;

use composite_index::audit::{
    self, Bandwidth, CorrelationMatrix, CorrelationMethod, DataView, Grouped, OptimiseOptions,
    Outcome, Pca, ProfileOptions, StatsThresholds,
};
use composite_index::{Error, Result};
use nalgebra::DMatrix;
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{flat, matrix, py_value, vector};
use crate::data::PyDataset;
use crate::errors::OrRaise;
use crate::pipeline::{PyFramework, PyPipeline};

type TableArg<'py> = (Vec<String>, Vec<String>, PyReadonlyArray2<'py, f64>);

/// An owned units x columns table, viewed as the crate's `DataView`.
struct Table {
    units: Vec<String>,
    columns: Vec<String>,
    values: DMatrix<f64>,
}

impl Table {
    fn new(t: TableArg<'_>) -> Self {
        Self {
            units: t.0,
            columns: t.1,
            values: matrix(&t.2),
        }
    }

    fn view(&self) -> PyResult<DataView<'_>> {
        DataView::new(&self.units, &self.columns, &self.values).or_raise()
    }
}

fn method(name: &str) -> PyResult<CorrelationMethod> {
    match name.to_ascii_lowercase().as_str() {
        "pearson" => Ok(CorrelationMethod::Pearson),
        "spearman" => Ok(CorrelationMethod::Spearman),
        _ => Err(Error::InvalidParameter {
            method: "correlation".into(),
            parameter: "method".into(),
            target: None,
            message: format!("unknown method {name:?} (expected \"pearson\" or \"spearman\")"),
        })
        .or_raise(),
    }
}

fn bandwidth(b: &Bound<'_, PyAny>) -> PyResult<Bandwidth> {
    if let Ok(x) = b.extract::<f64>() {
        return Ok(Bandwidth::Fixed(x));
    }
    match b.extract::<String>()?.as_str() {
        "cross_validated" => Ok(Bandwidth::CrossValidated),
        "rule" => Ok(Bandwidth::Rule),
        other => Err(Error::InvalidParameter {
            method: "main_effect".into(),
            parameter: "bandwidth".into(),
            target: None,
            message: format!(
                "unknown bandwidth {other:?} (expected \"cross_validated\", \"rule\" or a number)"
            ),
        })
        .or_raise(),
    }
}

/// A correlation matrix: method, rows, columns and the r, p-value and n
/// matrices (column-major).
fn correlation_matrix_py<'py>(
    py: Python<'py>,
    m: &CorrelationMatrix,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("method", py_value(py, &m.method)?)?;
    d.set_item("rows", m.rows.clone())?;
    d.set_item("columns", m.columns.clone())?;
    d.set_item("r", flat(py, &m.r))?;
    d.set_item("p_value", flat(py, &m.p_value))?;
    let n: Vec<f64> = m.n.iter().map(|&x| x as f64).collect();
    d.set_item("n", PyArray1::from_vec(py, n))?;
    Ok(d)
}

fn pca_py<'py>(py: Python<'py>, p: &Pca) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("codes", p.codes.clone())?;
    d.set_item("eigenvalues", p.eigenvalues.clone())?;
    d.set_item("variance_shares", p.variance_shares.clone())?;
    d.set_item("cumulative_shares", p.cumulative_shares.clone())?;
    d.set_item("loadings", flat(py, &p.loadings))?;
    d.set_item("loadings_shape", (p.loadings.nrows(), p.loadings.ncols()))?;
    d.set_item("weights", p.weights.clone())?;
    d.set_item("units_used", p.units_used.clone())?;
    d.set_item("units_dropped", p.units_dropped.clone())?;
    Ok(d)
}

/// Per-group outcomes as dicts `{node, level, result | skipped}`.
fn grouped<'py, T>(
    py: Python<'py>,
    groups: &[Grouped<T>],
    f: impl Fn(&T) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    groups
        .iter()
        .map(|g| {
            let d = PyDict::new(py);
            d.set_item("node", &g.node)?;
            d.set_item("level", g.level)?;
            match &g.outcome {
                Outcome::Computed(t) => d.set_item("result", f(t)?)?,
                Outcome::Skipped { reason } => d.set_item("skipped", reason)?,
            }
            Ok(d)
        })
        .collect()
}

fn ok<T>(r: Result<T>) -> PyResult<T> {
    r.or_raise()
}

#[pyfunction]
#[pyo3(signature = (data, skew=None, kurt=None, availability=None, zeros=None))]
fn indicator_stats<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    skew: Option<f64>,
    kurt: Option<f64>,
    availability: Option<f64>,
    zeros: Option<f64>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut t = StatsThresholds::default();
    t.skew = skew.unwrap_or(t.skew);
    t.kurt = kurt.unwrap_or(t.kurt);
    t.availability = availability.unwrap_or(t.availability);
    t.zeros = zeros.unwrap_or(t.zeros);
    let table = Table::new(data);
    py_value(py, &ok(audit::indicator_stats(table.view()?, &t))?)
}

#[pyfunction]
fn data_availability<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    py_value(
        py,
        &ok(audit::data_availability(table.view()?, &framework.0, level))?,
    )
}

#[pyfunction]
#[pyo3(signature = (x, y, method="pearson"))]
fn correlation<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    method: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let m = self::method(method)?;
    py_value(py, &ok(audit::correlation(&vector(&x), &vector(&y), m))?)
}

#[pyfunction]
#[pyo3(signature = (data, codes, method="pearson"))]
fn correlation_matrix<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    codes: Vec<String>,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    let m = ok(audit::correlation_matrix(
        table.view()?,
        &codes,
        self::method(method)?,
    ))?;
    correlation_matrix_py(py, &m)
}

#[pyfunction]
#[pyo3(signature = (data, rows, columns, method="pearson"))]
fn cross_correlation<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    rows: Vec<String>,
    columns: Vec<String>,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    let m = ok(audit::cross_correlation(
        table.view()?,
        &rows,
        &columns,
        self::method(method)?,
    ))?;
    correlation_matrix_py(py, &m)
}

#[pyfunction]
#[pyo3(signature = (data, framework, node, method="pearson"))]
fn group_correlations<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    node: &str,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    let m = ok(audit::group_correlations(
        table.view()?,
        &framework.0,
        node,
        self::method(method)?,
    ))?;
    correlation_matrix_py(py, &m)
}

#[pyfunction]
#[pyo3(signature = (data, framework, level, method="pearson", weak_threshold=0.2))]
fn ancestor_correlations<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: u32,
    method: &str,
    weak_threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    let r = ok(audit::ancestor_correlations(
        table.view()?,
        &framework.0,
        level,
        self::method(method)?,
        weak_threshold,
    ))?;
    py_value(py, &r)
}

#[pyfunction]
#[pyo3(signature = (data, framework, level, method="pearson", threshold=0.9))]
fn collinear_pairs<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: u32,
    method: &str,
    threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    let r = ok(audit::collinear_pairs(
        table.view()?,
        &framework.0,
        level,
        self::method(method)?,
        threshold,
    ))?;
    py_value(py, &r)
}

#[pyfunction]
#[pyo3(signature = (data, dataset, method="pearson"))]
fn denominator_correlations<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    dataset: &PyDataset,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    let m = ok(audit::denominator_correlations(
        table.view()?,
        &dataset.0,
        self::method(method)?,
    ))?;
    correlation_matrix_py(py, &m)
}

#[pyfunction]
fn cronbach_alpha<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    codes: Vec<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    py_value(py, &ok(audit::cronbach_alpha(table.view()?, &codes))?)
}

#[pyfunction]
fn group_alpha<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    node: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    py_value(
        py,
        &ok(audit::group_alpha(table.view()?, &framework.0, node))?,
    )
}

#[pyfunction]
fn alpha_by_level<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: u32,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let table = Table::new(data);
    let g = ok(audit::alpha_by_level(table.view()?, &framework.0, level))?;
    grouped(py, &g, |a| py_value(py, a))
}

#[pyfunction]
fn pca<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    codes: Vec<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    pca_py(py, &ok(audit::pca(table.view()?, &codes))?)
}

#[pyfunction]
fn group_pca<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    node: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let table = Table::new(data);
    pca_py(
        py,
        &ok(audit::group_pca(table.view()?, &framework.0, node))?,
    )
}

#[pyfunction]
fn pca_by_level<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: u32,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let table = Table::new(data);
    let g = ok(audit::pca_by_level(table.view()?, &framework.0, level))?;
    grouped(py, &g, |p| Ok(pca_py(py, p)?.into_any()))
}

#[pyfunction]
fn equal_weights<'py>(py: Python<'py>, framework: &PyFramework) -> PyResult<Bound<'py, PyAny>> {
    py_value(py, &audit::equal_weights(&framework.0))
}

#[pyfunction]
#[pyo3(signature = (framework, set=None))]
fn framework_weights<'py>(
    py: Python<'py>,
    framework: &PyFramework,
    set: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    py_value(py, &ok(audit::framework_weights(&framework.0, set))?)
}

#[pyfunction]
fn manual_weights<'py>(
    py: Python<'py>,
    framework: &PyFramework,
    weights: BTreeMap<String, f64>,
) -> PyResult<Bound<'py, PyAny>> {
    py_value(py, &ok(audit::manual_weights(&framework.0, &weights))?)
}

#[pyfunction]
fn pca_weights<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    py_value(py, &ok(audit::pca_weights(table.view()?, &framework.0))?)
}

#[pyfunction]
#[pyo3(signature = (pipeline, node, targets, target=None, method="pearson", relative=None, tolerance=None, max_iters=None))]
#[allow(clippy::too_many_arguments)]
fn optimise_weights<'py>(
    py: Python<'py>,
    pipeline: &PyPipeline,
    node: &str,
    targets: Vec<f64>,
    target: Option<&str>,
    method: &str,
    relative: Option<bool>,
    tolerance: Option<f64>,
    max_iters: Option<u64>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut o = OptimiseOptions::default();
    o.method = self::method(method)?;
    o.relative = relative.unwrap_or(o.relative);
    o.tolerance = tolerance.unwrap_or(o.tolerance);
    o.max_iters = max_iters.unwrap_or(o.max_iters);
    let p = &pipeline.0;
    let r = py
        .detach(|| audit::optimise_weights(p, node, target, &targets, &o))
        .or_raise()?;
    py_value(py, &r)
}

#[pyfunction]
#[pyo3(signature = (x, y, bandwidth=None))]
fn main_effect<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    y: PyReadonlyArray1<'py, f64>,
    bandwidth: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let b = bandwidth
        .map(self::bandwidth)
        .transpose()?
        .unwrap_or_default();
    py_value(py, &ok(audit::main_effect(&vector(&x), &vector(&y), b))?)
}

#[pyfunction]
#[pyo3(signature = (data, framework, target, level, weight_set=None, bandwidth=None))]
fn main_effects<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    target: &str,
    level: u32,
    weight_set: Option<&str>,
    bandwidth: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let b = bandwidth
        .map(self::bandwidth)
        .transpose()?
        .unwrap_or_default();
    let table = Table::new(data);
    let r = ok(audit::main_effects(
        table.view()?,
        &framework.0,
        target,
        level,
        weight_set,
        b,
    ))?;
    py_value(py, &r)
}

#[pyfunction]
#[pyo3(signature = (pipeline, nodes, target=None))]
fn leave_one_out<'py>(
    py: Python<'py>,
    pipeline: &PyPipeline,
    nodes: Vec<String>,
    target: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = &pipeline.0;
    let r = py
        .detach(|| audit::leave_one_out(p, &nodes, target))
        .or_raise()?;
    py_value(py, &r)
}

#[pyfunction]
fn leave_out(pipeline: &PyPipeline, node: &str) -> PyResult<PyPipeline> {
    Ok(PyPipeline(std::sync::Arc::new(
        audit::leave_out(&pipeline.0, node).or_raise()?,
    )))
}

fn profile_options(
    level: Option<u32>,
    n: Option<usize>,
    use_directions: Option<bool>,
) -> ProfileOptions {
    let mut o = ProfileOptions::default();
    o.level = level.unwrap_or(o.level);
    o.n = n.unwrap_or(o.n);
    o.use_directions = use_directions.unwrap_or(o.use_directions);
    o
}

#[pyfunction]
#[pyo3(signature = (data, framework, unit, level=None, n=None, use_directions=None))]
#[allow(clippy::too_many_arguments)]
fn unit_profile<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    unit: &str,
    level: Option<u32>,
    n: Option<usize>,
    use_directions: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    let o = profile_options(level, n, use_directions);
    py_value(
        py,
        &ok(audit::unit_profile(table.view()?, &framework.0, unit, &o))?,
    )
}

#[pyfunction]
#[pyo3(signature = (data, framework, level=None, n=None, use_directions=None))]
fn unit_profiles<'py>(
    py: Python<'py>,
    data: TableArg<'py>,
    framework: &PyFramework,
    level: Option<u32>,
    n: Option<usize>,
    use_directions: Option<bool>,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::new(data);
    let o = profile_options(level, n, use_directions);
    py_value(
        py,
        &ok(audit::unit_profiles(table.view()?, &framework.0, &o))?,
    )
}

/// Registers the audit functions in a submodule `_core.audit`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let a = PyModule::new(m.py(), "audit")?;
    a.add_function(wrap_pyfunction!(indicator_stats, &a)?)?;
    a.add_function(wrap_pyfunction!(data_availability, &a)?)?;
    a.add_function(wrap_pyfunction!(correlation, &a)?)?;
    a.add_function(wrap_pyfunction!(correlation_matrix, &a)?)?;
    a.add_function(wrap_pyfunction!(cross_correlation, &a)?)?;
    a.add_function(wrap_pyfunction!(group_correlations, &a)?)?;
    a.add_function(wrap_pyfunction!(ancestor_correlations, &a)?)?;
    a.add_function(wrap_pyfunction!(collinear_pairs, &a)?)?;
    a.add_function(wrap_pyfunction!(denominator_correlations, &a)?)?;
    a.add_function(wrap_pyfunction!(cronbach_alpha, &a)?)?;
    a.add_function(wrap_pyfunction!(group_alpha, &a)?)?;
    a.add_function(wrap_pyfunction!(alpha_by_level, &a)?)?;
    a.add_function(wrap_pyfunction!(pca, &a)?)?;
    a.add_function(wrap_pyfunction!(group_pca, &a)?)?;
    a.add_function(wrap_pyfunction!(pca_by_level, &a)?)?;
    a.add_function(wrap_pyfunction!(equal_weights, &a)?)?;
    a.add_function(wrap_pyfunction!(framework_weights, &a)?)?;
    a.add_function(wrap_pyfunction!(manual_weights, &a)?)?;
    a.add_function(wrap_pyfunction!(pca_weights, &a)?)?;
    a.add_function(wrap_pyfunction!(optimise_weights, &a)?)?;
    a.add_function(wrap_pyfunction!(main_effect, &a)?)?;
    a.add_function(wrap_pyfunction!(main_effects, &a)?)?;
    a.add_function(wrap_pyfunction!(leave_one_out, &a)?)?;
    a.add_function(wrap_pyfunction!(leave_out, &a)?)?;
    a.add_function(wrap_pyfunction!(unit_profile, &a)?)?;
    a.add_function(wrap_pyfunction!(unit_profiles, &a)?)?;
    m.add_submodule(&a)?;
    Ok(())
}
