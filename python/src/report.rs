//! SVG charts and the HTML report (`composite_index::report`, feature `report`).

use composite_index::report::{RankingChart, RunReport, SobolChart, UncertaintyChart};
use pyo3::prelude::*;

use crate::errors::OrRaise;
use crate::pipeline::PyResults;
use crate::uncertainty::{PySensitivityResults, PyUncertaintyResults};

fn run_report<'a>(
    results: &'a PyResults,
    node: Option<String>,
    uncertainty: Option<&'a PyUncertaintyResults>,
    sensitivity: Option<&'a PySensitivityResults>,
    all_distributions: bool,
) -> RunReport<'a> {
    let mut r =
        RunReport::new(&results.pipeline, &results.results).all_distributions(all_distributions);
    if let Some(n) = node {
        r = r.node(n);
    }
    if let Some(u) = uncertainty {
        r = r.uncertainty(&u.0);
    }
    if let Some(s) = sensitivity {
        r = r.sensitivity(&s.0);
    }
    r
}

/// Every chart that applies to a run, as `(name, title, svg)`.
#[pyfunction]
#[pyo3(signature = (results, node=None, uncertainty=None, sensitivity=None, all_distributions=false))]
fn charts(
    results: &PyResults,
    node: Option<String>,
    uncertainty: Option<&PyUncertaintyResults>,
    sensitivity: Option<&PySensitivityResults>,
    all_distributions: bool,
) -> PyResult<Vec<(String, String, String)>> {
    let r = run_report(results, node, uncertainty, sensitivity, all_distributions);
    Ok(r.charts()
        .or_raise()?
        .into_iter()
        .map(|c| (c.name, c.title, c.svg))
        .collect())
}

/// The self-contained HTML report of a run (inline SVG, loads nothing).
#[pyfunction]
#[pyo3(signature = (results, node=None, uncertainty=None, sensitivity=None, all_distributions=false))]
fn html_report(
    results: &PyResults,
    node: Option<String>,
    uncertainty: Option<&PyUncertaintyResults>,
    sensitivity: Option<&PySensitivityResults>,
    all_distributions: bool,
) -> PyResult<String> {
    let r = run_report(results, node, uncertainty, sensitivity, all_distributions);
    let charts = r.charts().or_raise()?;
    Ok(r.html(&charts).or_raise()?.to_html())
}

/// The ranking chart of a node (bars split into the children's contributions).
#[pyfunction]
#[pyo3(signature = (results, node, top=None))]
fn ranking_chart(results: &PyResults, node: &str, top: Option<usize>) -> PyResult<String> {
    let mut c = RankingChart::from_results(&results.pipeline, &results.results, node).or_raise()?;
    if let Some(n) = top {
        c = c.top(n);
    }
    c.to_svg().or_raise()
}

/// The rank intervals of a node of an uncertainty analysis.
#[pyfunction]
#[pyo3(signature = (uncertainty, node=None, results=None))]
fn uncertainty_chart(
    uncertainty: &PyUncertaintyResults,
    node: Option<&str>,
    results: Option<&PyResults>,
) -> PyResult<Option<String>> {
    let u = &uncertainty.0;
    let Some(n) = (match node {
        Some(code) => u.node(code),
        None => u.nodes.first(),
    }) else {
        return Ok(None);
    };
    let name = |code: &str| {
        results
            .and_then(|r| {
                let d = r.pipeline.data();
                d.unit_index(code).map(|i| d.unit_names()[i].clone())
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let chart = UncertaintyChart::from_node(n, u.runs - u.failed.len(), name);
    chart.to_svg().or_raise().map(Some)
}

/// The Sobol indices of the mean rank shift.
#[pyfunction]
fn sobol_chart(sensitivity: &PySensitivityResults) -> PyResult<String> {
    let s = &sensitivity.0;
    SobolChart::from_result(&s.mean_rank_shift, &format!("the ranks of {}", s.target))
        .to_svg()
        .or_raise()
}

/// Registers the report functions in `_core.report`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let r = PyModule::new(m.py(), "report")?;
    r.add_function(wrap_pyfunction!(charts, &r)?)?;
    r.add_function(wrap_pyfunction!(html_report, &r)?)?;
    r.add_function(wrap_pyfunction!(ranking_chart, &r)?)?;
    r.add_function(wrap_pyfunction!(uncertainty_chart, &r)?)?;
    r.add_function(wrap_pyfunction!(sobol_chart, &r)?)?;
    m.add_submodule(&r)?;
    Ok(())
}
