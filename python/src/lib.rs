//! `composite_index._core`: the Python binding of the `composite-index` crate.
//!
//! A thin layer, as py-polars and pydantic-core are: it converts types (numpy
//! arrays, lists, dicts) and errors (the crate's `Error` into the exceptions of
//! `composite_index.errors`) and holds no method logic, so the same numbers come
//! out of Rust, the command line and Python. The user-facing API (pandas in and
//! out, docstrings, type stubs) is the Python package `composite_index`.
//!
//! Each file binds one area of the crate, so that a rename there is a change
//! here in one place: `spec` (IndexSpec, FrameworkSpec, analysis specs), `data`
//! (Dataset, readers), `pipeline` (Framework, Pipeline, Results), `audit`,
//! `uncertainty`, `instances` (GII, PII), `report` (SVG charts, HTML), `fitted`
//! (frozen pipelines) and `panel` (editions over time).
#![forbid(unsafe_code)]

mod audit;
mod convert;
mod data;
mod errors;
mod fitted;
mod instances;
mod panel;
mod pipeline;
mod report;
mod spec;
mod uncertainty;
mod validate;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<spec::PyIndexSpec>()?;
    m.add_class::<spec::PyFrameworkSpec>()?;
    m.add_class::<spec::PyUncertaintySpec>()?;
    m.add_class::<spec::PySensitivitySpec>()?;
    m.add_class::<data::PyDataset>()?;
    m.add_class::<pipeline::PyFramework>()?;
    m.add_class::<pipeline::PyPipeline>()?;
    m.add_class::<pipeline::PyResults>()?;
    m.add_class::<fitted::PyFittedPipeline>()?;
    m.add_function(wrap_pyfunction!(data::read_coinr, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::_bench_run, m)?)?;
    m.add_function(wrap_pyfunction!(data::read_dataset, m)?)?;
    m.add_function(wrap_pyfunction!(data::parse_cells, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty::uncertainty_analysis_raw, m)?)?;
    m.add_function(wrap_pyfunction!(uncertainty::sensitivity_analysis_raw, m)?)?;
    m.add_function(wrap_pyfunction!(validate::validate_raw, m)?)?;
    m.add_function(wrap_pyfunction!(validate::cell_problems, m)?)?;
    m.add_class::<uncertainty::PyUncertaintyResults>()?;
    m.add_class::<uncertainty::PySensitivityResults>()?;
    audit::register(m)?;
    instances::register(m)?;
    report::register(m)?;
    panel::register(m)?;
    Ok(())
}
