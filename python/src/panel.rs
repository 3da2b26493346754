//! Panel data (editions over time): reading, running a spec over every edition
//! (per year, pooled or on a reference year), stacked data sets, rank changes,
//! histories, streaks, movers and trends.

use std::sync::Arc;

use composite_index::io::{self, CsvRoles, LongRoles};
use composite_index::panel::{
    Comparison, Condition, Editions, Panel, PanelPipeline, PanelResults, PanelSpec, RankChange,
    TrendMetric, TrendOptions, UnitStatus,
};
use composite_index::{Error, IndexSpec, Pipeline};
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{flat, py_value};
use crate::data::PyDataset;
use crate::errors::OrRaise;
use crate::pipeline::{PyPipeline, PyResults};
use crate::spec::{PyFrameworkSpec, PyIndexSpec};

fn invalid_in(method: &str, parameter: &str, message: String) -> Error {
    Error::InvalidParameter {
        method: method.into(),
        parameter: parameter.into(),
        target: None,
        message,
    }
}

fn invalid(parameter: &str, message: String) -> Error {
    invalid_in("panel", parameter, message)
}

/// One data set per edition (`Panel` in Rust).
#[pyclass(name = "Panel", module = "composite_index._core", frozen)]
#[derive(Clone)]
pub(crate) struct PyPanel(pub(crate) Arc<Panel>);

#[pymethods]
impl PyPanel {
    /// A panel from `(time, data set)` pairs, in any order.
    #[new]
    fn new(editions: Vec<(f64, PyRef<'_, PyDataset>)>) -> PyResult<Self> {
        let e = editions.iter().map(|(t, d)| (*t, d.0.clone())).collect();
        Ok(Self(Arc::new(Panel::from_shared(e).or_raise()?)))
    }

    /// The editions' times, increasing.
    #[getter]
    fn times(&self) -> Vec<f64> {
        self.0.times().to_vec()
    }

    /// Every unit code of any edition, sorted.
    fn units(&self) -> Vec<String> {
        self.0.units()
    }

    /// The data set of one edition.
    fn edition(&self, time: f64) -> Option<PyDataset> {
        self.0.edition(time).map(|d| PyDataset(Arc::new(d.clone())))
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __repr__(&self) -> String {
        let t = self.0.times();
        format!(
            "Panel({} editions {}-{}, {} units)",
            t.len(),
            t.first().copied().unwrap_or(f64::NAN),
            t.last().copied().unwrap_or(f64::NAN),
            self.0.units().len()
        )
    }
}

/// A wide panel table (CSV text, one row per unit and edition) with the crate's
/// reader (`io::read_panel`).
#[pyfunction]
#[pyo3(signature = (text, unit_code="uCode".to_owned(), unit_name=Some("uName".to_owned()), time="Time".to_owned(), groups=Vec::new(), denominators=Vec::new(), indicators=None, ignore=Vec::new(), context="panel table"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_panel(
    py: Python<'_>,
    text: &str,
    unit_code: String,
    unit_name: Option<String>,
    time: String,
    groups: Vec<String>,
    denominators: Vec<String>,
    indicators: Option<Vec<String>>,
    ignore: Vec<String>,
    context: &str,
) -> PyResult<PyPanel> {
    let roles = CsvRoles {
        unit_code,
        unit_name,
        time: Some(time),
        groups,
        denominators,
        indicators,
        ignore,
    };
    let p = py
        .detach(|| io::read_panel(text.as_bytes(), &roles, context))
        .or_raise()?;
    Ok(PyPanel(Arc::new(p)))
}

/// COINr's iMeta and a panel iData (CSV text, with a `Time` column).
#[pyfunction]
#[pyo3(signature = (imeta, idata, context="COINr tables"))]
pub(crate) fn read_coinr_panel(
    py: Python<'_>,
    imeta: &str,
    idata: &str,
    context: &str,
) -> PyResult<(PyFrameworkSpec, PyPanel)> {
    let (fw, p) = py
        .detach(|| io::read_coinr_panel(imeta.as_bytes(), idata.as_bytes(), context))
        .or_raise()?;
    Ok((PyFrameworkSpec(fw), PyPanel(Arc::new(p))))
}

/// A long panel table (CSV text: one row per unit, time and variable) with the
/// crate's reader (`io::read_long_panel`).
#[pyfunction]
#[pyo3(signature = (text, unit_code="uCode".to_owned(), unit_name=Some("uName".to_owned()), time="Time".to_owned(), variable="iCode".to_owned(), value="Value".to_owned(), groups=Vec::new(), denominators=Vec::new(), context="long panel table"))]
#[allow(clippy::too_many_arguments)]
pub(crate) fn read_long_panel(
    py: Python<'_>,
    text: &str,
    unit_code: String,
    unit_name: Option<String>,
    time: String,
    variable: String,
    value: String,
    groups: Vec<String>,
    denominators: Vec<String>,
    context: &str,
) -> PyResult<PyPanel> {
    let roles = LongRoles {
        unit_code,
        unit_name,
        time,
        variable,
        value,
        groups,
        denominators,
    };
    let p = py
        .detach(|| io::read_long_panel(text.as_bytes(), &roles, context))
        .or_raise()?;
    Ok(PyPanel(Arc::new(p)))
}

fn panel_options(json: &str) -> composite_index::Result<PanelSpec> {
    serde_json::from_str(json).map_err(|e| Error::SpecParse {
        message: format!("panel options: {e}"),
    })
}

/// A specification over every edition of a panel (`PanelPipeline` in Rust).
#[pyclass(name = "PanelPipeline", module = "composite_index._core", frozen)]
pub(crate) struct PyPanelPipeline(Arc<PanelPipeline>);

#[pymethods]
impl PyPanelPipeline {
    /// One spec for every edition, or one per edition (`specs`: `(time, spec)`
    /// pairs); `options` (JSON of a `[panel]` table) overrides the spec's.
    #[new]
    #[pyo3(signature = (panel, spec=None, specs=None, options=None))]
    fn new(
        py: Python<'_>,
        panel: &PyPanel,
        spec: Option<PyRef<'_, PyIndexSpec>>,
        specs: Option<Vec<(f64, PyRef<'_, PyIndexSpec>)>>,
        options: Option<&str>,
    ) -> PyResult<Self> {
        let spec: Option<IndexSpec> = spec.map(|s| s.0.clone());
        let specs: Option<Vec<(f64, IndexSpec)>> =
            specs.map(|v| v.iter().map(|(t, s)| (*t, s.0.clone())).collect());
        let panel = panel.0.clone();
        let p = py
            .detach(|| {
                let mut p = match (spec, specs) {
                    (Some(s), None) => PanelPipeline::new(s, &panel)?,
                    (None, Some(v)) => PanelPipeline::per_edition(v, &panel)?,
                    _ => {
                        return Err(invalid(
                            "spec",
                            "give either one spec or one spec per edition".into(),
                        ));
                    }
                };
                if let Some(o) = options {
                    p = p.with_options(panel_options(o)?)?;
                }
                Ok(p)
            })
            .or_raise()?;
        Ok(Self(Arc::new(p)))
    }

    /// Runs every step over every edition (GIL released).
    fn run(&self, py: Python<'_>) -> PyResult<PyPanelResults> {
        let p = &self.0;
        let results = py.detach(|| p.run()).or_raise()?;
        let pipelines = p
            .times()
            .iter()
            .map(|&t| p.pipeline(t).map(|x| Arc::new(x.clone())))
            .collect::<Option<Vec<Arc<Pipeline>>>>()
            .ok_or_else(|| invalid("times", "an edition has no pipeline".into()))
            .or_raise()?;
        Ok(PyPanelResults {
            results: Arc::new(results),
            pipelines,
        })
    }

    /// The editions' times.
    #[getter]
    fn times(&self) -> Vec<f64> {
        self.0.times().to_vec()
    }

    /// Where the learning steps are fitted (the `[panel]` table as a dict).
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, self.0.options())
    }

    /// The pipeline of one edition.
    fn pipeline(&self, time: f64) -> Option<PyPipeline> {
        self.0
            .pipeline(time)
            .map(|p| PyPipeline(Arc::new(p.clone())))
    }

    fn __repr__(&self) -> String {
        format!("PanelPipeline({} editions)", self.0.times().len())
    }
}

type StackedParts<'py> = (
    Vec<String>,
    Vec<f64>,
    Vec<String>,
    Bound<'py, PyArray1<f64>>,
);

/// Step, stage and scope (plain objects) of one step of a panel run.
type StepScopeParts<'py> = (usize, String, Option<Bound<'py, PyAny>>);

/// Everything a panel run computed (`PanelResults` in Rust).
#[pyclass(name = "PanelResults", module = "composite_index._core", frozen)]
pub(crate) struct PyPanelResults {
    results: Arc<PanelResults>,
    pipelines: Vec<Arc<Pipeline>>,
}

#[pymethods]
impl PyPanelResults {
    /// The editions' times.
    #[getter]
    fn times(&self) -> Vec<f64> {
        self.results.times().to_vec()
    }

    /// Names of the data sets, in step order.
    #[getter]
    fn dataset_names(&self) -> Vec<String> {
        self.results.dataset_names()
    }

    /// A data set stacked over the editions: (unit codes, times, columns,
    /// column-major values), rows sorted by time then unit code.
    fn dataset<'py>(&self, py: Python<'py>, name: &str) -> Option<StackedParts<'py>> {
        self.results.dataset(name).map(|d| {
            (
                d.unit_codes.clone(),
                d.time.clone(),
                d.columns.clone(),
                flat(py, &d.values),
            )
        })
    }

    /// The results of one edition.
    fn edition(&self, time: f64) -> Option<PyResults> {
        let k = self.results.times().iter().position(|&t| t == time)?;
        let r = self.results.edition(time)?;
        Some(PyResults {
            results: r.clone(),
            pipeline: self.pipelines.get(k)?.clone(),
        })
    }

    /// One sentence per step saying where it was fitted.
    fn describe_scopes(&self) -> Vec<String> {
        self.results.describe_scopes()
    }

    /// Where each step was fitted: (step, stage, scope as a dict or None).
    fn scopes<'py>(&self, py: Python<'py>) -> PyResult<Vec<StepScopeParts<'py>>> {
        self.results
            .scopes()
            .iter()
            .map(|s| {
                let scope = s.scope.as_ref().map(|x| py_value(py, x)).transpose()?;
                Ok((s.step, s.stage.clone(), scope))
            })
            .collect()
    }

    /// Reports of the panel imputation steps: (step, report as plain objects).
    fn panel_imputation<'py>(&self, py: Python<'py>) -> PyResult<Vec<(usize, Bound<'py, PyAny>)>> {
        self.results
            .panel_imputation()
            .iter()
            .map(|(s, r)| Ok((*s, py_value(py, r)?)))
            .collect()
    }

    /// Writes every data set as one long CSV (`uCode`, `Time`, then the columns).
    fn write_csv_dir(&self, dir: std::path::PathBuf) -> PyResult<()> {
        self.results.write_csv_dir(dir).or_raise()
    }

    /// The editions' scores and ranks at every node, for comparisons.
    fn editions(&self) -> PyEditions {
        PyEditions(Arc::new(self.results.to_editions()))
    }

    /// Trends of `columns` of a stacked data set, one dict per (unit, column):
    /// `metric` is "cagr" or "prc_change".
    #[pyo3(signature = (dataset, columns, metric="cagr", units=None, use_latest=None, times=None, interp_at=None))]
    #[allow(clippy::too_many_arguments)]
    fn trends<'py>(
        &self,
        py: Python<'py>,
        dataset: &str,
        columns: Vec<String>,
        metric: &str,
        units: Option<Vec<String>>,
        use_latest: Option<usize>,
        times: Option<Vec<f64>>,
        interp_at: Option<Vec<f64>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let metric = match metric.to_ascii_lowercase().as_str() {
            "cagr" => TrendMetric::Cagr,
            "prc_change" => TrendMetric::PrcChange,
            other => {
                return Err(invalid_in(
                    "trends",
                    "metric",
                    format!("unknown metric \"{other}\": use \"cagr\" or \"prc_change\""),
                ))
                .or_raise();
            }
        };
        let data = self
            .results
            .dataset(dataset)
            .ok_or_else(|| Error::UnknownCode {
                kind: "data set",
                code: dataset.into(),
                context: "the panel results".into(),
            })
            .or_raise()?;
        let mut options = TrendOptions::new(metric);
        if let Some(n) = use_latest {
            options = options.use_latest(n);
        }
        if let Some(t) = times {
            options = options.times(t);
        }
        if let Some(t) = interp_at {
            options = options.interp_at(t);
        }
        let rows = py
            .detach(|| composite_index::panel::trends(&data, &columns, units.as_deref(), &options))
            .or_raise()?;
        py_value(py, &rows)
    }

    fn __repr__(&self) -> String {
        format!(
            "PanelResults({} editions, data sets: {})",
            self.results.times().len(),
            self.results.dataset_names().join(", ")
        )
    }
}

/// Ranks and scores by edition (`Editions` in Rust).
#[pyclass(name = "Editions", module = "composite_index._core", frozen)]
pub(crate) struct PyEditions(Arc<Editions>);

fn status(s: &UnitStatus) -> String {
    match s {
        UnitStatus::Same => "same".to_owned(),
        UnitStatus::Entered => "entered".into(),
        UnitStatus::Left => "left".into(),
        UnitStatus::NotReported => "not reported".into(),
        UnitStatus::Recoded { from } => format!("recoded from {from}"),
        UnitStatus::Merged { from } => format!("merged from {}", from.join(" ")),
        UnitStatus::Split { from } => format!("split from {from}"),
        _ => "changed".into(),
    }
}

/// One row of a comparison, with the change in rank and score and the status
/// as the command line writes them.
fn change_row<'py>(py: Python<'py>, r: &RankChange) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("uCode", &r.unit)?;
    d.set_item("uName", &r.name)?;
    d.set_item("rank_from", r.rank_from)?;
    d.set_item("rank_to", r.rank_to)?;
    d.set_item("change", r.change())?;
    d.set_item("score_from", r.score_from)?;
    d.set_item("score_to", r.score_to)?;
    d.set_item("score_change", r.score_change())?;
    d.set_item("ranked_from", r.ranked_from)?;
    d.set_item("ranked_to", r.ranked_to)?;
    d.set_item("status", status(&r.status))?;
    d.set_item("flagged", r.is_flagged())?;
    Ok(d)
}

fn rows<'py>(py: Python<'py>, rs: &[RankChange]) -> PyResult<Vec<Bound<'py, PyDict>>> {
    rs.iter().map(|r| change_row(py, r)).collect()
}

type ComparisonParts<'py> = (Vec<Bound<'py, PyDict>>, String);

fn comparison<'py>(py: Python<'py>, c: &Comparison) -> PyResult<ComparisonParts<'py>> {
    Ok((rows(py, &c.rows)?, c.note()))
}

#[pymethods]
impl PyEditions {
    /// The editions' times.
    #[getter]
    fn times(&self) -> Vec<f64> {
        self.0.times()
    }

    /// Rank changes of `node` from edition `from_` to `to`: (rows, note).
    fn compare<'py>(
        &self,
        py: Python<'py>,
        node: &str,
        from_: f64,
        to: f64,
    ) -> PyResult<ComparisonParts<'py>> {
        let c = self.0.compare(node, from_, to).or_raise()?;
        comparison(py, &c)
    }

    /// One unit's rank and score at `node` in every edition.
    fn history<'py>(&self, py: Python<'py>, unit: &str, node: &str) -> PyResult<Bound<'py, PyAny>> {
        py_value(py, &self.0.history(unit, node))
    }

    /// The units that moved most: dict of climbers, fallers, not_compared
    /// (lists of rows) and groups ((label, climbers, fallers) triples).
    #[pyo3(signature = (node, from_, to, group=None))]
    fn movers<'py>(
        &self,
        py: Python<'py>,
        node: &str,
        from_: f64,
        to: f64,
        group: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let m = self.0.movers(node, from_, to, group).or_raise()?;
        let d = PyDict::new(py);
        d.set_item("climbers", rows(py, &m.climbers)?)?;
        d.set_item("fallers", rows(py, &m.fallers)?)?;
        d.set_item("not_compared", rows(py, &m.not_compared)?)?;
        let groups = m
            .groups
            .iter()
            .map(|(label, up, down)| Ok((label.clone(), rows(py, up)?, rows(py, down)?)))
            .collect::<PyResult<Vec<_>>>()?;
        d.set_item("groups", groups)?;
        d.set_item("basis", m.basis.describe())?;
        Ok(d)
    }

    /// The run of consecutive editions, ending at `until` (default: the last),
    /// in which `unit` ranks at most `rank_at_most` or scores at least
    /// `score_at_least` at `node`; None when it does not hold at `until`.
    #[pyo3(signature = (unit, node, rank_at_most=None, score_at_least=None, until=None))]
    fn streak<'py>(
        &self,
        py: Python<'py>,
        unit: &str,
        node: &str,
        rank_at_most: Option<u32>,
        score_at_least: Option<f64>,
        until: Option<f64>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let condition = match (rank_at_most, score_at_least) {
            (Some(k), None) => Condition::RankAtMost(k),
            (None, Some(x)) => Condition::ScoreAtLeast(x),
            _ => {
                return Err(invalid_in(
                    "streak",
                    "condition",
                    "give exactly one of rank_at_most and score_at_least".into(),
                ))
                .or_raise();
            }
        };
        let Some(s) = self.0.streak(unit, node, &condition, until).or_raise()? else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        d.set_item("unit", &s.unit)?;
        d.set_item("node", &s.node)?;
        d.set_item("condition", &s.condition)?;
        d.set_item("length", s.length)?;
        d.set_item("since", s.since)?;
        d.set_item("until", s.until)?;
        d.set_item("through_recode", s.through_recode)?;
        d.set_item("stopped_by", &s.stopped_by)?;
        d.set_item("description", s.describe())?;
        Ok(Some(d))
    }

    fn __repr__(&self) -> String {
        format!("Editions({:?})", self.0.times())
    }
}

/// Registers the panel classes and readers.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPanel>()?;
    m.add_class::<PyPanelPipeline>()?;
    m.add_class::<PyPanelResults>()?;
    m.add_class::<PyEditions>()?;
    m.add_function(wrap_pyfunction!(read_panel, m)?)?;
    m.add_function(wrap_pyfunction!(read_coinr_panel, m)?)?;
    m.add_function(wrap_pyfunction!(read_long_panel, m)?)?;
    Ok(())
}
