//! Uncertainty and sensitivity analyses: the GIL is released, runs go in
//! parallel (rayon), and a Python progress callback is called from the calling
//! thread while the analysis runs on a worker thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use composite_index::uncertainty::{
    Execution, Progress, SensitivityResults, UncertaintyResults, sensitivity_analysis,
    uncertainty_analysis,
};
use composite_index::{Error, Result};
use pyo3::prelude::*;

use crate::convert::py_value;
use crate::errors::OrRaise;
use crate::pipeline::PyPipeline;
use crate::spec::{PySensitivitySpec, PyUncertaintySpec};

/// `None`: all cores; 1: serial; n: a pool of n threads. Results are identical.
fn execution(threads: Option<usize>) -> Result<Execution> {
    match threads {
        None => Ok(Execution::Parallel),
        Some(0) => Err(Error::InvalidParameter {
            method: "uncertainty".into(),
            parameter: "threads".into(),
            target: None,
            message: "at least one thread is needed".into(),
        }),
        Some(1) => Ok(Execution::Serial),
        Some(n) => Ok(Execution::Threads(n)),
    }
}

/// Runs `analysis` on a worker thread without the GIL; meanwhile calls
/// `progress(done, total)` every 0.1 s and once at the end.
fn with_progress<T: Send>(
    py: Python<'_>,
    progress: Option<&Bound<'_, PyAny>>,
    analysis: impl FnOnce(Option<&(dyn Fn(Progress) + Sync)>) -> Result<T> + Send,
) -> PyResult<T> {
    let Some(callback) = progress else {
        return py.detach(|| analysis(None)).or_raise();
    };
    let done = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    let tick = |p: Progress| {
        done.fetch_max(p.done, Ordering::Relaxed);
        total.store(p.total, Ordering::Relaxed);
    };
    let callback = callback.clone().unbind();
    let (result, callback_error) = py.detach(|| {
        std::thread::scope(|s| {
            let worker = s.spawn(|| analysis(Some(&tick)));
            let mut error = None;
            let mut report = || {
                let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                Python::attach(|py| {
                    if error.is_none()
                        && let Err(e) = callback.bind(py).call1((d, t))
                    {
                        error = Some(e);
                    }
                });
            };
            while !worker.is_finished() {
                std::thread::sleep(Duration::from_millis(100));
                report();
            }
            report();
            let result = worker.join().unwrap_or_else(|_| {
                Err(Error::Custom {
                    method: "analysis".into(),
                    target: "worker thread".into(),
                    message: "the analysis stopped unexpectedly".into(),
                })
            });
            (result, error)
        })
    });
    let value = result.or_raise()?;
    match callback_error {
        Some(e) => Err(e),
        None => Ok(value),
    }
}

/// Results of an uncertainty analysis (`UncertaintyResults` in Rust).
#[pyclass(name = "UncertaintyResults", module = "composite_index._core", frozen)]
pub(crate) struct PyUncertaintyResults(pub(crate) UncertaintyResults);

#[pymethods]
impl PyUncertaintyResults {
    /// The results as plain Python objects (as the command line's JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, &self.0)
    }

    /// The results as JSON (the command line's `uncertainty.json`).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.0)
            .map_err(|e| Error::SpecParse {
                message: e.to_string(),
            })
            .or_raise()
    }
}

/// Results of a sensitivity analysis (`SensitivityResults` in Rust).
#[pyclass(name = "SensitivityResults", module = "composite_index._core", frozen)]
pub(crate) struct PySensitivityResults(pub(crate) SensitivityResults);

#[pymethods]
impl PySensitivityResults {
    /// The results as plain Python objects (as the command line's JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, &self.0)
    }

    /// The results as JSON (the command line's `sensitivity.json`).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string_pretty(&self.0)
            .map_err(|e| Error::SpecParse {
                message: e.to_string(),
            })
            .or_raise()
    }
}

/// Monte Carlo uncertainty analysis (`uncertainty::uncertainty_analysis`).
#[pyfunction]
#[pyo3(signature = (pipeline, spec, threads=None, progress=None))]
pub(crate) fn uncertainty_analysis_raw<'py>(
    py: Python<'py>,
    pipeline: &PyPipeline,
    spec: &PyUncertaintySpec,
    threads: Option<usize>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<PyUncertaintyResults> {
    let execution = execution(threads).or_raise()?;
    let (p, s) = (&pipeline.0, &spec.0);
    let r = with_progress(py, progress, |tick| {
        uncertainty_analysis(p, s, execution, tick)
    })?;
    Ok(PyUncertaintyResults(r))
}

/// Sobol sensitivity analysis (`uncertainty::sensitivity_analysis`).
#[pyfunction]
#[pyo3(signature = (pipeline, spec, threads=None, progress=None))]
pub(crate) fn sensitivity_analysis_raw<'py>(
    py: Python<'py>,
    pipeline: &PyPipeline,
    spec: &PySensitivitySpec,
    threads: Option<usize>,
    progress: Option<&Bound<'py, PyAny>>,
) -> PyResult<PySensitivityResults> {
    let execution = execution(threads).or_raise()?;
    let (p, s) = (&pipeline.0, &spec.0);
    let r = with_progress(py, progress, |tick| {
        sensitivity_analysis(p, s, execution, tick)
    })?;
    Ok(PySensitivityResults(r))
}
