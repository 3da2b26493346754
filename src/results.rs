//! Results of a pipeline run: every data set computed, scores and ranks at every
//! node, efficiency ratios, reports of each step, and exports.
//!
//! Data sets are named as in COINr: `raw`, then each step's output (`denominated`,
//! `imputed`, `screened`, `treated`, `normalised`, `aggregated`). The aggregated
//! data set has one column per framework node: indicators first, then aggregates
//! level by level.
//!
//! # Example
//!
//! ```
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![("x".into(), vec![1.0, 2.0, 3.0]), ("y".into(), vec![30.0, 10.0, 20.0])],
//! )?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("Input", Some("Index")),
//!     NodeSpec::new("Output", Some("Index")),
//!     NodeSpec::new("x", Some("Input")),
//!     NodeSpec::new("y", Some("Output")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::default()),
//! ];
//! let results = Pipeline::new(IndexSpec::new(framework, steps), data)?.run()?;
//! let names: Vec<&str> = results.datasets().iter().map(|d| d.name()).collect();
//! assert_eq!(names, ["raw", "normalised", "aggregated"]);
//! assert_eq!(results.aggregated().unwrap().columns(), ["x", "y", "Input", "Output", "Index"]);
//! let ranking = results.ranking("Index").unwrap();
//! assert_eq!(ranking[0], ("C".to_string(), 75.0, Some(1)));
//! // Output over input: missing where the input score is zero (unit A).
//! assert_eq!(results.efficiency_ratio("Output", "Input")?, [None, Some(0.0), Some(0.5)]);
//! let mut csv = Vec::new();
//! results.aggregated().unwrap().write_csv(&mut csv)?;
//! let csv = String::from_utf8(csv).unwrap();
//! assert!(csv.starts_with("uCode,x,y,Input,Output,Index\nA,0,100,0,100,50\n"));
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use nalgebra::DMatrix;

use crate::aggregate::NodeWeights;
use crate::coverage::CoverageReport;
use crate::data::col;
use crate::error::{Error, Result};
use crate::prepare::{ImputeReport, ScreenReport, TreatmentRecord};
use crate::spec::IndexSpec;
use crate::stats;

/// One data set of the pipeline: units (rows) x columns, NaN = missing.
#[derive(Debug, Clone, PartialEq)]
pub struct StageData {
    /// Data set name (`"raw"`, `"normalised"`, ...).
    pub(crate) name: String,
    /// Row of each unit in the input [`Dataset`](crate::data::Dataset).
    pub(crate) units: Vec<usize>,
    /// Unit codes, one per row (shared between data sets with the same units).
    pub(crate) unit_codes: Arc<[String]>,
    /// Column codes (shared between data sets with the same columns).
    pub(crate) columns: Arc<[String]>,
    /// Values, units x columns (column-major).
    pub(crate) values: DMatrix<f64>,
}

impl StageData {
    /// Data set name (`"raw"`, `"normalised"`, ...).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Row of each unit in the input [`Dataset`](crate::data::Dataset).
    pub fn units(&self) -> &[usize] {
        &self.units
    }

    /// Unit codes, one per row.
    pub fn unit_codes(&self) -> &[String] {
        &self.unit_codes
    }

    /// Column codes: indicators, then (in the aggregated data set) aggregates.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Values, units x columns (column-major), NaN = missing.
    pub fn values(&self) -> &DMatrix<f64> {
        &self.values
    }

    /// The number of units (rows) and columns.
    pub fn shape(&self) -> (usize, usize) {
        self.values.shape()
    }

    /// The values of one column, `None` for an unknown code.
    pub fn column(&self, code: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .position(|c| c == code)
            .map(|j| col(&self.values, j))
    }

    /// A copy under another name.
    pub(crate) fn renamed(&self, name: &str) -> Self {
        let mut s = self.clone();
        s.name = name.into();
        s
    }

    /// Overwrites `self` with `other`, reusing the allocation when shapes match.
    pub(crate) fn copy_from(&mut self, other: &Self, name: &str) {
        if self.values.shape() == other.values.shape() {
            self.values.copy_from(&other.values);
        } else {
            self.values = other.values.clone();
        }
        if self.units != other.units {
            self.units.clone_from(&other.units);
            self.unit_codes.clone_from(&other.unit_codes);
        }
        if self.columns != other.columns {
            self.columns.clone_from(&other.columns);
        }
        if self.name != name {
            self.name = name.into();
        }
    }

    /// A copy of `self` named `name` and widened to `columns` (the first columns
    /// of which are `self`'s; the rest are missing): a fresh aggregated data set.
    pub(crate) fn widened(&self, name: &str, columns: &Arc<[String]>) -> Self {
        let mut s = Self {
            name: name.into(),
            units: self.units.clone(),
            unit_codes: Arc::clone(&self.unit_codes),
            columns: Arc::clone(columns),
            values: DMatrix::zeros(0, 0),
        };
        s.copy_widened(self, name, columns);
        s
    }

    /// Overwrites `self` with `other` widened to `columns` (the first columns of which
    /// are `other`'s; the rest are set to missing), reusing the allocation when the
    /// shape matches. Used for the aggregated data set.
    pub(crate) fn copy_widened(&mut self, other: &Self, name: &str, columns: &Arc<[String]>) {
        let (n, k) = (other.values.nrows(), columns.len());
        if self.values.shape() != (n, k) {
            self.values = DMatrix::from_element(n, k, f64::NAN);
        }
        let m = other.values.len();
        self.values.as_mut_slice()[..m].copy_from_slice(other.values.as_slice());
        self.values.as_mut_slice()[m..].fill(f64::NAN);
        if self.units != other.units {
            self.units.clone_from(&other.units);
            self.unit_codes.clone_from(&other.unit_codes);
        }
        if !Arc::ptr_eq(&self.columns, columns) {
            self.columns = Arc::clone(columns);
        }
        if self.name != name {
            self.name = name.into();
        }
    }

    /// Keeps only the given rows (in the given order).
    pub(crate) fn keep_rows(&mut self, rows: &[usize]) {
        if rows.len() == self.units.len() {
            return;
        }
        self.values = self.values.select_rows(rows);
        self.units = rows.iter().map(|&r| self.units[r]).collect();
        self.unit_codes = rows.iter().map(|&r| self.unit_codes[r].clone()).collect();
    }

    /// Writes the data set as CSV in COINr's layout: `uCode` then one column per
    /// indicator or aggregate; missing values are empty cells; numbers are written
    /// with the shortest representation that reads back to the same `f64`.
    ///
    /// # Errors
    /// [`Error::Io`] on a write failure.
    pub fn write_csv<W: std::io::Write>(&self, mut w: W) -> Result<()> {
        let io = |source| Error::Io {
            path: format!("CSV output of {}", self.name),
            source,
        };
        let mut line = String::from("uCode");
        for c in self.columns.iter() {
            line.push(',');
            line.push_str(&csv_field(c));
        }
        writeln!(w, "{line}").map_err(io)?;
        for (i, u) in self.unit_codes.iter().enumerate() {
            line.clear();
            line.push_str(&csv_field(u));
            for j in 0..self.columns.len() {
                line.push(',');
                let v = self.values[(i, j)];
                if !v.is_nan() {
                    line.push_str(&v.to_string());
                }
            }
            writeln!(w, "{line}").map_err(io)?;
        }
        Ok(())
    }
}

pub(crate) fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A present value that denomination set to missing: the rule keeps a zero or
/// missing denominator from turning into an infinity or NaN, and this records it.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MadeMissing {
    /// The unit.
    pub unit: String,
    /// The indicator.
    pub indicator: String,
    /// The denominator column.
    pub denominator: String,
    /// The unit's denominator (0 or NaN; finite and non-zero when the quotient
    /// overflowed).
    pub denominator_value: f64,
}

impl std::fmt::Display for MadeMissing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = if self.denominator_value.is_nan() {
            "is missing".to_owned()
        } else if self.denominator_value == 0.0 {
            "is 0".to_owned()
        } else {
            format!("is {}, and the quotient overflows", self.denominator_value)
        };
        write!(
            f,
            "unit {:?}, indicator {:?}: the denominator {:?} {why}, so the value was set to missing",
            self.unit, self.indicator, self.denominator
        )
    }
}

/// What a step reports besides its data set.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StepReport {
    /// Present values made missing because their denominator is zero or missing
    /// (or the quotient overflows).
    Denominate {
        /// The cells, in column then row order.
        made_missing: Vec<MadeMissing>,
    },
    /// Imputed cells and, for EM, convergence.
    Impute(ImputeReport),
    /// Units kept and removed, with reasons.
    Screen(ScreenReport),
    /// The treatment log, one record per indicator.
    Treat(Vec<TreatmentRecord>),
    /// Normalisation has nothing to report.
    Normalise,
    /// Aggregation has nothing to report.
    Aggregate,
    /// Aggregation where some nodes chose each unit's weights (Benefit of the
    /// Doubt): those weights, one entry per such node.
    AggregateWeights(Vec<NodeWeights>),
    /// The step was skipped (an uncertainty analysis switched it off); its data set
    /// is a copy of its input.
    Skipped,
}

/// Everything a pipeline run computed. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub(crate) stages: Vec<StageData>,
    pub(crate) reports: Vec<StepReport>,
    node_codes: Arc<[String]>,
    /// Only the final data set was kept ([`Pipeline::run_final_only`](crate::Pipeline::run_final_only)).
    pub(crate) final_only: bool,
    spec: Arc<IndexSpec>,
    coverage: Option<Arc<CoverageReport>>,
}

/// Name and version of the program that computes results: `"composite-index 0.1.0"`.
pub const MADE_BY: &str = concat!("composite-index ", env!("CARGO_PKG_VERSION"));

impl Results {
    pub(crate) fn new(
        node_codes: Arc<[String]>,
        raw: StageData,
        spec: Arc<IndexSpec>,
        coverage: Option<Arc<CoverageReport>>,
    ) -> Self {
        Self {
            stages: vec![raw],
            reports: Vec::new(),
            node_codes,
            final_only: false,
            spec,
            coverage,
        }
    }

    /// The specification that produced these results, with its framework written
    /// out node by node (so it is complete without the files it named).
    pub fn spec(&self) -> &IndexSpec {
        &self.spec
    }

    /// The program and version that computed the results ([`MADE_BY`]).
    pub fn made_by(&self) -> &'static str {
        MADE_BY
    }

    /// Coverage of every unit of the input data, when the spec has a coverage
    /// rule (units excluded by it are absent from the data sets).
    pub fn coverage(&self) -> Option<&CoverageReport> {
        self.coverage.as_deref()
    }

    /// The ratio named `name` in the spec's `ratios`, per unit of the final data
    /// set (see [`Results::efficiency_ratio`]).
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a name the spec does not define, or a node not
    /// in the final data set.
    pub fn ratio(&self, name: &str) -> Result<Vec<Option<f64>>> {
        let r = self
            .spec
            .ratios
            .get(name)
            .ok_or_else(|| Error::UnknownCode {
                kind: "ratio",
                code: name.into(),
                context: "the spec's ratios".into(),
            })?;
        self.efficiency_ratio(&r.numerator, &r.denominator)
    }

    /// Whether only the final data set was kept.
    pub fn is_final_only(&self) -> bool {
        self.final_only
    }

    /// All data sets, `raw` first, then one per step (only the final one after
    /// [`Pipeline::run_final_only`](crate::Pipeline::run_final_only)).
    pub fn datasets(&self) -> &[StageData] {
        &self.stages
    }

    /// The last data set with this name (`"raw"`, `"treated"`, `"normalised"`...).
    pub fn dataset(&self, name: &str) -> Option<&StageData> {
        self.stages.iter().rev().find(|s| s.name == name)
    }

    /// The final data set (the last step's output).
    pub fn last(&self) -> &StageData {
        // `stages` always holds at least the raw data set.
        &self.stages[self.stages.len() - 1]
    }

    /// Reports of the steps, in step order.
    pub fn reports(&self) -> &[StepReport] {
        &self.reports
    }

    /// The treatment log of the last treat step, if any.
    pub fn treatment_log(&self) -> Option<&[TreatmentRecord]> {
        self.reports.iter().rev().find_map(|r| match r {
            StepReport::Treat(log) => Some(log.as_slice()),
            _ => None,
        })
    }

    /// The weights a frontier method (Benefit of the Doubt) chose for each unit
    /// at `node`, from the last aggregation step; `None` for a node aggregated
    /// by another method.
    pub fn optimal_weights(&self, node: &str) -> Option<&NodeWeights> {
        self.reports.iter().rev().find_map(|r| match r {
            StepReport::AggregateWeights(nodes) => nodes.iter().find(|w| w.node == node),
            _ => None,
        })
    }

    /// The aggregated data set, if the pipeline has an aggregate step.
    pub fn aggregated(&self) -> Option<&StageData> {
        self.dataset("aggregated")
    }

    /// Unit codes of the final data set.
    pub fn unit_codes(&self) -> &[String] {
        &self.last().unit_codes
    }

    /// Codes of all framework nodes: indicators then aggregates, level by level.
    pub fn node_codes(&self) -> &[String] {
        &self.node_codes
    }

    /// Scores of a node (an indicator's normalised value, or an aggregate) for every
    /// unit of the final data set, from the last data set that holds that column.
    pub fn scores(&self, node: &str) -> Option<&[f64]> {
        self.last().column(node)
    }

    /// Ranks of a node: descending scores, ties sharing the minimum rank, `None`
    /// for a missing score.
    pub fn ranks(&self, node: &str) -> Option<Vec<Option<u32>>> {
        self.scores(node).map(stats::rank_desc)
    }

    /// Efficiency ratio `numerator / denominator` per unit (GII: output sub-index over
    /// input sub-index). `None` where either score is missing or the denominator is zero.
    ///
    /// # Errors
    /// [`Error::UnknownCode`] for a node not in the final data set.
    pub fn efficiency_ratio(&self, numerator: &str, denominator: &str) -> Result<Vec<Option<f64>>> {
        let get = |code: &str| {
            self.scores(code).ok_or_else(|| Error::UnknownCode {
                kind: "node",
                code: code.into(),
                context: "efficiency ratio (not in the final data set)".into(),
            })
        };
        let (a, b) = (get(numerator)?, get(denominator)?);
        Ok(a.iter()
            .zip(b)
            .map(|(&x, &y)| (!x.is_nan() && !y.is_nan() && y != 0.0).then(|| x / y))
            .collect())
    }

    /// A ranking table of one node: `(unit code, score, rank)` sorted by rank, units
    /// with a missing score last.
    pub fn ranking(&self, node: &str) -> Option<Vec<(String, f64, Option<u32>)>> {
        let scores = self.scores(node)?;
        let ranks = stats::rank_desc(scores);
        let mut rows: Vec<_> = self
            .unit_codes()
            .iter()
            .zip(scores)
            .zip(ranks)
            .map(|((u, &s), r)| (u.clone(), s, r))
            .collect();
        rows.sort_by_key(|r| r.2.unwrap_or(u32::MAX));
        Some(rows)
    }

    /// Writes every data set as `<name>.csv` in COINr's layout into a directory
    /// (created if needed).
    ///
    /// The files are written atomically, as a set: each goes to a temporary file
    /// in `dir` and all are renamed over their targets only once every one is
    /// complete, so a failure leaves the folder's existing files untouched.
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::Csv`] if a value cannot be written.
    pub fn write_csv_dir(&self, dir: impl AsRef<std::path::Path>) -> Result<()> {
        let dir = dir.as_ref();
        crate::atomic::create_dir(dir)?;
        let mut staged = crate::atomic::Staged::new();
        for s in &self.stages {
            staged.file(&dir.join(format!("{}.csv", s.name)), |w| s.write_csv(w))?;
        }
        staged.commit()
    }

    /// The results as JSON: units, and per node its scores and ranks (missing as
    /// `null`), plus every data set as columns and rows.
    ///
    /// # Errors
    /// [`Error::SpecParse`] if serialisation fails.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<String> {
        use serde_json::{Map, Value, json};
        let num = |v: f64| if v.is_nan() { Value::Null } else { json!(v) };
        let mut nodes = Map::new();
        for code in self.node_codes.iter() {
            if let Some(s) = self.scores(code) {
                let ranks = stats::rank_desc(s);
                nodes.insert(
                    code.clone(),
                    json!({
                        "scores": s.iter().map(|&v| num(v)).collect::<Vec<_>>(),
                        "ranks": ranks,
                    }),
                );
            }
        }
        let mut sets = Map::new();
        for st in &self.stages {
            let rows: Vec<Value> = (0..st.values.nrows())
                .map(|i| {
                    Value::Array(
                        (0..st.values.ncols())
                            .map(|j| num(st.values[(i, j)]))
                            .collect(),
                    )
                })
                .collect();
            sets.insert(
                st.name.clone(),
                json!({ "units": st.unit_codes, "columns": st.columns, "rows": rows }),
            );
        }
        let mut ratios = Map::new();
        for name in self.spec.ratios.keys() {
            if let Ok(r) = self.ratio(name) {
                ratios.insert(name.clone(), json!(r));
            }
        }
        let v = json!({
            "made_by": MADE_BY,
            "spec": serde_json::to_value(&*self.spec).map_err(|e| Error::SpecParse {
                message: e.to_string(),
            })?,
            "units": self.unit_codes(),
            "nodes": nodes,
            "ratios": ratios,
            "datasets": sets,
        });
        serde_json::to_string_pretty(&v).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })
    }
}
