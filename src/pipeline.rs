//! The validated pipeline: spec + framework + data, resolved once, run many times.
//!
//! [`Pipeline::new`] validates the specification against the data (framework tree,
//! indicator columns, method parameters, override codes, custom method names) and
//! resolves everything a run needs into plain indices and method objects: which
//! data column feeds each indicator, each indicator's direction and normaliser,
//! each aggregate's children, weights, method and threshold. A run then does no
//! parsing, no lookups by name and no re-validation.
//!
//! [`Pipeline::run`] returns [`Results`] holding every data
//! set computed. [`Pipeline::rerun_from`] recomputes from a given step onwards,
//! reusing the upstream data sets and the downstream buffers of an earlier run:
//! this is the entry point for Monte Carlo analyses, which change one step
//! ([`Pipeline::set_step`]) and re-run from there.
//!
//! # Example
//!
//! ```
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![("x".into(), vec![1.0, f64::NAN, 3.0]), ("y".into(), vec![30.0, 10.0, 20.0])],
//! )?;
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("x", Some("Index")),
//!     NodeSpec::new("y", Some("Index")),
//! ]);
//! let steps = vec![
//!     Step::Impute(ImputeSpec::new(ImputeMethod::Median {})),
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
//! ];
//! let mut pipeline = Pipeline::new(IndexSpec::new(framework, steps), data)?;
//! let mut results = pipeline.run()?;
//! // B's missing x is imputed as the median, 2; then x -> 0, 50, 100 and y -> 100, 0, 50.
//! assert_eq!(results.scores("Index").unwrap(), [50.0, 25.0, 75.0]);
//! // Change the normalisation and recompute from that step on (imputation is reused).
//! let rescale = NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 10.0 });
//! pipeline.set_step(1, Step::Normalise(rescale))?;
//! pipeline.rerun_from(1, &mut results)?;
//! assert_eq!(results.scores("Index").unwrap(), [5.0, 2.5, 7.5]);
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use nalgebra::DMatrix;

use crate::aggregate::{AggregateMethod, Aggregator, NodeContext, NodeWeights};
use crate::data::{Dataset, col, col_mut, map_columns_mut};
use crate::error::{Error, Result};
use crate::fitted::{FittedPipeline, FittedStep, freezable};
use crate::framework::{Framework, FrameworkSpec};
use crate::normalise::{ColumnContext, FittedNormaliser, NormaliseMethod, Normaliser};
use crate::prepare;
use crate::results::{MadeMissing, Results, StageData, StepReport};
use crate::spec::{AggregateSpec, IndexSpec, NormaliseSpec, Step};
use crate::suggest;

/// Builder for a [`Pipeline`], to register custom methods before validation.
#[derive(Debug)]
pub struct PipelineBuilder {
    spec: IndexSpec,
    data: Arc<Dataset>,
    normalisers: HashMap<String, Arc<dyn Normaliser>>,
    aggregators: HashMap<String, Arc<dyn Aggregator>>,
    /// Accept steps that work across editions (for a panel run).
    panel_steps: bool,
}

impl PipelineBuilder {
    /// Accepts steps that only a panel run can execute (`impute_panel`).
    #[must_use]
    pub(crate) fn panel_steps(mut self) -> Self {
        self.panel_steps = true;
        self
    }

    /// Registers a custom normaliser, usable in specs as `{ method = "custom", name = ... }`.
    #[must_use]
    pub fn normaliser(mut self, n: Arc<dyn Normaliser>) -> Self {
        self.normalisers.insert(n.name().to_owned(), n);
        self
    }

    /// Registers a custom aggregator, usable in specs as `{ method = "custom", name = ... }`.
    #[must_use]
    pub fn aggregator(mut self, a: Arc<dyn Aggregator>) -> Self {
        self.aggregators.insert(a.name().to_owned(), a);
        self
    }

    /// Validates and resolves the pipeline.
    ///
    /// # Errors
    /// See [`Pipeline::new`].
    pub fn build(self) -> Result<Pipeline> {
        let Self {
            mut spec,
            data,
            normalisers,
            aggregators,
            panel_steps,
        } = self;
        spec.check_version()?;
        if data.n_units() == 0 {
            return Err(Error::NoData {
                context: "the data set".into(),
                message: "it has no units (a table with a header only?)".into(),
            });
        }
        let framework = Framework::new(spec.framework.clone(), Some(data.indicator_codes()))?;
        let ind_cols = framework
            .indicators()
            .iter()
            .map(|&i| {
                data.indicator_index(framework.code(i))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let data_rows = data.n_units();
        let steps = std::mem::take(&mut spec.steps);
        let mut p = Pipeline {
            spec,
            framework,
            data,
            ind_cols,
            steps: Vec::new(),
            normalisers,
            aggregators,
            agg_codes: Arc::from(Vec::new()),
            ind_codes: Arc::from(Vec::new()),
            rows: (0..data_rows).collect(),
            coverage: None,
            record: Arc::new(IndexSpec::new(FrameworkSpec::default(), Vec::new())),
            panel_steps,
        };
        p.agg_codes = p.aggregated_codes().into();
        p.ind_codes = p.framework.indicator_codes().into();
        p.check_reporting()?;
        if let Some(rule) = &p.spec.coverage {
            let report = crate::coverage::coverage(&p.framework, &p.data, rule)?;
            if rule.exclude {
                let below = report.below();
                p.rows = (0..p.data.n_units())
                    .filter(|&r| !below.contains(&p.data.unit_codes()[r]))
                    .collect();
            }
            p.coverage = Some(Arc::new(report));
        }
        let n_steps = steps.len();
        p.spec.steps.reserve(n_steps);
        for (i, step) in steps.into_iter().enumerate() {
            if matches!(step, Step::Aggregate(_)) && i + 1 != n_steps {
                return Err(Error::Pipeline {
                    step: i,
                    stage: "aggregate".into(),
                    message: "aggregation must be the last step: later steps would see aggregates as indicators".into(),
                });
            }
            let r = p.resolve(i, &step)?;
            p.spec.steps.push(step);
            p.steps.push(r);
        }
        p.update_record();
        Ok(p)
    }
}

/// A validated, resolved pipeline. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Pipeline {
    spec: IndexSpec,
    framework: Framework,
    data: Arc<Dataset>,
    /// Data column of each framework indicator (framework indicator order).
    ind_cols: Vec<usize>,
    steps: Vec<Resolved>,
    normalisers: HashMap<String, Arc<dyn Normaliser>>,
    aggregators: HashMap<String, Arc<dyn Aggregator>>,
    /// Columns of the aggregated data set: indicators, then aggregates by level.
    agg_codes: Arc<[String]>,
    /// Codes of the indicators (the columns before aggregation).
    ind_codes: Arc<[String]>,
    /// Data rows entering the computation (all, unless the coverage rule excludes some).
    rows: Vec<usize>,
    /// Coverage of every unit of the data, when the spec has a coverage rule.
    coverage: Option<Arc<crate::coverage::CoverageReport>>,
    /// The spec as run, framework written out: what results record.
    record: Arc<IndexSpec>,
    /// Whether steps that work across editions were accepted (a panel run).
    panel_steps: bool,
}

/// What a run does with the parameters each step fits.
enum Fits<'a> {
    /// Fit on the step's input, apply, and drop the parameters (a plain run).
    Discard,
    /// Fit, apply, and keep the parameters.
    Keep(&'a mut Vec<FittedStep>),
    /// Apply these parameters (one per step) without fitting.
    Given(&'a [FittedStep]),
}

/// What one step does with its parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StepFit<'a> {
    /// Fit on the step's input and apply; the parameters are not kept.
    Discard,
    /// Fit, apply, and return the parameters.
    Keep,
    /// Apply these parameters without fitting.
    Given(&'a FittedStep),
}

impl<'a> StepFit<'a> {
    fn given(self) -> Option<&'a FittedStep> {
        match self {
            Self::Given(g) => Some(g),
            _ => None,
        }
    }

    fn keep(self) -> bool {
        matches!(self, Self::Keep)
    }
}

/// A step resolved against the framework and data: indices and method objects.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    Denominate(Vec<Option<(usize, f64)>>),
    /// The spec and the group columns it uses, encoded as ids for every data row.
    Impute(
        prepare::ImputeSpec,
        HashMap<String, prepare::impute::GroupIds>,
    ),
    Screen(prepare::ScreenSpec),
    /// The spec and each indicator's parameters (`None`: left untouched).
    Treat(prepare::TreatSpec, Vec<Option<prepare::TreatParams>>),
    Normalise(ResolvedNormalise),
    Aggregate(ResolvedAggregate),
    /// Panel imputation: run across editions by the panel runner.
    ImputePanel(crate::panel::PanelImputeSpec),
}

#[derive(Debug, Clone)]
pub(crate) struct ResolvedNormalise {
    methods: Vec<ColumnNormaliser>,
    directions: Vec<f64>,
}

/// A column's normaliser: a built-in method (fitted, then applied) or a custom one.
#[derive(Debug, Clone)]
enum ColumnNormaliser {
    Builtin(Arc<NormaliseMethod>),
    Custom(Arc<dyn Normaliser>),
}

impl ColumnNormaliser {
    fn name(&self) -> &str {
        match self {
            Self::Builtin(m) => m.name(),
            Self::Custom(c) => c.name(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct ResolvedAggregate {
    /// Aggregate nodes in computation order (level by level, upwards).
    nodes: Vec<ResolvedNode>,
}

#[derive(Debug, Clone)]
struct ResolvedNode {
    /// Column of this node in the aggregated matrix.
    column: usize,
    /// Columns of its children in the aggregated matrix.
    children: Vec<usize>,
    /// Framework node indices of its children (for weight overrides).
    child_nodes: Vec<usize>,
    weights: Vec<f64>,
    method: Arc<dyn Aggregator>,
    /// Whether the method is built in.
    builtin: bool,
    dat_thresh: Option<f64>,
}

impl Pipeline {
    /// Validates `spec` against `data` and resolves it. Use [`Pipeline::builder`] to
    /// register custom methods first.
    ///
    /// # Errors
    /// [`Error::UnsupportedSpecVersion`]; [`Error::Framework`] with every problem of
    /// the tree (including indicators absent from the data); for each step,
    /// [`Error::InvalidParameter`] for bad parameters and [`Error::UnknownCode`] for
    /// overrides naming unknown indicators or nodes, unknown weight sets, denominator
    /// or group columns and unregistered custom methods.
    pub fn new(spec: IndexSpec, data: impl Into<Arc<Dataset>>) -> Result<Self> {
        Self::builder(spec, data).build()
    }

    /// A builder, to register custom normalisers and aggregators.
    pub fn builder(spec: IndexSpec, data: impl Into<Arc<Dataset>>) -> PipelineBuilder {
        PipelineBuilder {
            spec,
            data: data.into(),
            normalisers: HashMap::new(),
            aggregators: HashMap::new(),
            panel_steps: false,
        }
    }

    /// The specification (with the steps as currently set).
    pub fn spec(&self) -> &IndexSpec {
        &self.spec
    }

    /// The validated framework.
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// The input data.
    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// Replaces step `i`, validating only that step. Runs made afterwards use it;
    /// [`Pipeline::rerun_from`]`(i, ..)` recomputes an earlier result from it.
    ///
    /// # Errors
    /// As [`Pipeline::new`] for that step; [`Error::Pipeline`] for an index out of
    /// range or a step of another stage.
    pub fn set_step(&mut self, i: usize, step: Step) -> Result<()> {
        let Some(old) = self.spec.steps.get(i) else {
            return Err(Error::Pipeline {
                step: i,
                stage: step.stage().into(),
                message: format!("the pipeline has only {} steps", self.steps.len()),
            });
        };
        if old.stage() != step.stage() {
            return Err(Error::Pipeline {
                step: i,
                stage: step.stage().into(),
                message: format!(
                    "step {i} is a {} step; it cannot become a {} step",
                    old.stage(),
                    step.stage()
                ),
            });
        }
        let r = self.resolve(i, &step)?;
        self.steps[i] = r;
        self.spec.steps[i] = step;
        self.update_record();
        Ok(())
    }

    // ----------------------------------------------------------------- resolve

    fn indicator_pos(&self, code: &str) -> Option<usize> {
        let node = self.framework.index_of(code)?;
        self.framework.indicators().iter().position(|&i| i == node)
    }

    fn check_indicator_codes<'a>(
        &self,
        codes: impl IntoIterator<Item = &'a String>,
        context: &str,
    ) -> Result<()> {
        for code in codes {
            if self.indicator_pos(code).is_none() {
                return Err(suggest::unknown_code(
                    "indicator",
                    code,
                    context,
                    self.ind_codes.iter().map(String::as_str),
                ));
            }
        }
        Ok(())
    }

    /// Validates one step against the framework and data and resolves it.
    pub(crate) fn resolve(&self, i: usize, step: &Step) -> Result<Resolved> {
        let ctx = |what: &str| format!("step {i} ({}) {what}", step.stage());
        Ok(match step {
            Step::Denominate(s) => {
                s.validate()?;
                self.check_indicator_codes(s.denominators.keys(), &ctx("denominators"))?;
                self.check_indicator_codes(s.scale_by.keys(), &ctx("scale_by"))?;
                let mut out = Vec::with_capacity(self.ind_cols.len());
                for &node in self.framework.indicators() {
                    let code = self.framework.code(node);
                    let den = if s.denominators.is_empty() {
                        self.framework.node(node).denominator.clone()
                    } else {
                        s.denominators.get(code).cloned()
                    };
                    out.push(match den.filter(|d| !d.trim().is_empty()) {
                        None => None,
                        Some(d) => {
                            let pos = self
                                .data
                                .denominators()
                                .iter()
                                .position(|c| c.name == d)
                                .ok_or_else(|| {
                                    suggest::unknown_code(
                                        "denominator column",
                                        &d,
                                        format!("{} for indicator {code:?}", ctx("")),
                                        self.data.denominators().iter().map(|c| c.name.as_str()),
                                    )
                                })?;
                            Some((pos, s.scale_for(code)))
                        }
                    });
                }
                Resolved::Denominate(out)
            }
            Step::Impute(s) => {
                s.validate()?;
                self.check_indicator_codes(s.overrides.keys(), &ctx("overrides"))?;
                let mut ids = HashMap::new();
                for group in s.group_columns() {
                    let g = self.data.group(group).ok_or_else(|| {
                        suggest::unknown_code(
                            "group column",
                            group,
                            ctx(""),
                            self.data.groups().iter().map(|g| g.name.as_str()),
                        )
                    })?;
                    ids.insert(
                        group.to_owned(),
                        prepare::impute::group_ids_labelled(&g.values),
                    );
                }
                Resolved::Impute(s.clone(), ids)
            }
            Step::Screen(s) => {
                s.validate()?;
                for code in s.force_include.iter().chain(&s.force_exclude) {
                    if self.data.unit_index(code).is_none() {
                        return Err(suggest::unknown_code(
                            "unit",
                            code,
                            ctx("force lists"),
                            self.data.unit_codes().iter().map(String::as_str),
                        ));
                    }
                }
                Resolved::Screen(s.clone())
            }
            Step::Treat(s) => {
                s.validate()?;
                self.check_indicator_codes(s.overrides.keys(), &ctx("overrides"))?;
                let params = self
                    .ind_codes
                    .iter()
                    .map(|code| s.params_for(code))
                    .collect();
                Resolved::Treat(s.clone(), params)
            }
            Step::Normalise(s) => {
                Resolved::Normalise(self.resolve_normalise(s, &ctx("overrides"))?)
            }
            Step::Aggregate(s) => Resolved::Aggregate(self.resolve_aggregate(s, &ctx(""))?),
            Step::ImputePanel(s) => {
                if !self.panel_steps {
                    return Err(Error::Pipeline {
                        step: i,
                        stage: "impute_panel".into(),
                        message: "panel imputation fills gaps from a unit's other editions: run the specification on panel data (a Time column with several editions; see composite_index::panel)".into(),
                    });
                }
                s.validate()?;
                self.check_indicator_codes(&s.columns, &ctx("columns"))?;
                Resolved::ImputePanel(s.clone())
            }
        })
    }

    fn normaliser(&self, m: &NormaliseMethod, target: &str) -> Result<ColumnNormaliser> {
        m.validate(Some(target))?;
        if let NormaliseMethod::Custom { name } = m {
            return self
                .normalisers
                .get(name)
                .cloned()
                .map(ColumnNormaliser::Custom)
                .ok_or_else(|| {
                    suggest::unknown_code(
                        "custom normaliser",
                        name,
                        format!("normalisation of {target:?} (register it with Pipeline::builder)"),
                        self.normalisers.keys().map(String::as_str),
                    )
                });
        }
        Ok(ColumnNormaliser::Builtin(Arc::new(m.clone())))
    }

    fn resolve_normalise(&self, s: &NormaliseSpec, context: &str) -> Result<ResolvedNormalise> {
        self.check_indicator_codes(s.overrides.keys(), context)?;
        let default = self.normaliser(&s.default, "all indicators")?;
        let mut methods = Vec::with_capacity(self.ind_cols.len());
        let mut builtin = Vec::with_capacity(self.ind_cols.len());
        let mut directions = Vec::with_capacity(self.ind_cols.len());
        for &node in self.framework.indicators() {
            let code = self.framework.code(node);
            let method = s.overrides.get(code).unwrap_or(&s.default);
            builtin.push(!matches!(method, NormaliseMethod::Custom { .. }));
            methods.push(match s.overrides.get(code) {
                Some(m) => self.normaliser(m, code)?,
                None => default.clone(),
            });
            directions.push(if s.use_directions {
                self.framework.node(node).direction
            } else {
                1.0
            });
        }
        Ok(ResolvedNormalise {
            methods,
            directions,
        })
    }

    fn aggregator(&self, m: &AggregateMethod, target: &str) -> Result<Arc<dyn Aggregator>> {
        m.validate(Some(target))?;
        if let AggregateMethod::Custom { name } = m {
            return self.aggregators.get(name).cloned().ok_or_else(|| {
                suggest::unknown_code(
                    "custom aggregator",
                    name,
                    format!("aggregation of {target:?} (register it with Pipeline::builder)"),
                    self.aggregators.keys().map(String::as_str),
                )
            });
        }
        Ok(Arc::new(m.clone()))
    }

    fn resolve_aggregate(&self, s: &AggregateSpec, context: &str) -> Result<ResolvedAggregate> {
        let fw = &self.framework;
        let top = fw.n_levels();
        for code in s.by_node.keys() {
            match fw.index_of(code) {
                Some(i) if fw.level(i) > 1 => {}
                _ => {
                    return Err(suggest::unknown_code(
                        "aggregate node",
                        code,
                        format!("{context} by_node"),
                        fw.spec()
                            .nodes
                            .iter()
                            .enumerate()
                            .filter(|&(i, _)| fw.level(i) > 1)
                            .map(|(_, n)| n.code.as_str()),
                    ));
                }
            }
        }
        for &level in s.by_level.keys().chain(s.dat_thresh_by_level.keys()) {
            if level < 2 || level > top {
                return Err(Error::invalid(
                    "aggregate",
                    "by_level",
                    None,
                    format!("level {level} does not exist: aggregate levels run from 2 to {top}"),
                ));
            }
        }
        for t in s.dat_thresh.iter().chain(s.dat_thresh_by_level.values()) {
            if !(0.0..=1.0).contains(t) {
                return Err(Error::invalid(
                    "aggregate",
                    "dat_thresh",
                    None,
                    format!("{t} is outside [0, 1]"),
                ));
            }
        }
        let weights = fw.weights(s.weights.as_deref())?;
        let default = self.aggregator(&s.default, "all nodes")?;
        let by_level: HashMap<u32, Arc<dyn Aggregator>> = s
            .by_level
            .iter()
            .map(|(&l, m)| Ok((l, self.aggregator(m, &format!("level {l}"))?)))
            .collect::<Result<_>>()?;
        let columns = node_columns(fw);
        let mut nodes = Vec::new();
        for level in 2..=top {
            for &node in fw.nodes_at_level(level) {
                let code = fw.code(node);
                let spec_method = s
                    .by_node
                    .get(code)
                    .or_else(|| s.by_level.get(&level))
                    .unwrap_or(&s.default);
                let builtin = !matches!(spec_method, AggregateMethod::Custom { .. });
                let method = match s.by_node.get(code) {
                    Some(m) => self.aggregator(m, code)?,
                    None => by_level
                        .get(&level)
                        .cloned()
                        .unwrap_or_else(|| default.clone()),
                };
                let children = fw.children(node);
                nodes.push(ResolvedNode {
                    column: columns[node],
                    children: children.iter().map(|&c| columns[c]).collect(),
                    child_nodes: children.to_vec(),
                    weights: children.iter().map(|&c| weights[c]).collect(),
                    method,
                    builtin,
                    dat_thresh: s.dat_thresh_by_level.get(&level).copied().or(s.dat_thresh),
                });
            }
        }
        Ok(ResolvedAggregate { nodes })
    }

    // --------------------------------------------------------------------- run

    /// Runs every step on the pipeline's data.
    ///
    /// # Errors
    /// Any error of a step: degenerate columns, domain errors of aggregation or
    /// transforms, naming the indicator, node and unit concerned.
    pub fn run(&self) -> Result<Results> {
        let mut results = self.new_results(self.raw_stage());
        self.rerun_from(0, &mut results)?;
        Ok(results)
    }

    /// Runs every step keeping only the final data set (and the step reports): one
    /// working copy of the data is transformed in place, so peak memory stays near
    /// the input plus one copy (widened by the aggregates). Use it for very large
    /// data; the results cannot be re-run from a step.
    ///
    /// # Errors
    /// As [`Pipeline::run`].
    pub fn run_final_only(&self) -> Result<Results> {
        self.final_only(None)
    }

    /// [`Pipeline::run_final_only`], consuming the pipeline so that the run can
    /// work in the data set's own matrix instead of a copy. When the pipeline
    /// holds the only reference to its data set (it was built from a
    /// [`Dataset`], not from an `Arc` still held elsewhere), uses every data
    /// column as an indicator in the data's order and keeps every unit (no
    /// coverage exclusion), the matrix is moved, not copied, and widened for the
    /// aggregates in place where the allocator can: peak memory is then about the
    /// matrix with its aggregate columns, instead of the input plus a widened
    /// copy. Otherwise the data are copied as [`Pipeline::run_final_only`] copies
    /// them. Either way the results are the same bits as
    /// [`Pipeline::run_final_only`]'s.
    ///
    /// # Errors
    /// As [`Pipeline::run`].
    pub fn into_final_only(mut self) -> Result<Results> {
        let whole = self.rows.len() == self.data.n_units()
            && self
                .ind_cols
                .iter()
                .copied()
                .eq(0..self.data.values().ncols());
        let stage = match Arc::get_mut(&mut self.data) {
            Some(data) if whole => StageData {
                name: "raw".into(),
                units: self.rows.clone(),
                unit_codes: Arc::clone(data.unit_codes_shared()),
                columns: Arc::clone(&self.ind_codes),
                values: data.take_values(),
            },
            _ => self.raw_stage(),
        };
        self.final_only_from(stage, None)
    }

    fn final_only(&self, given: Option<&[FittedStep]>) -> Result<Results> {
        self.check_fitted(given)?;
        self.final_only_from(self.raw_stage(), given)
    }

    /// The final-only run of the steps from the raw data set `stage`.
    fn final_only_from(
        &self,
        mut stage: StageData,
        given: Option<&[FittedStep]>,
    ) -> Result<Results> {
        let mut reports = Vec::with_capacity(self.steps.len());
        for (s, step) in self.steps.iter().enumerate() {
            if matches!(step, Resolved::Aggregate(_)) {
                // Grows the allocation in place where the allocator can (mremap).
                let values = std::mem::replace(&mut stage.values, DMatrix::zeros(0, 0));
                stage.values = values.resize_horizontally(self.agg_codes.len(), f64::NAN);
                stage.columns.clone_from(&self.agg_codes);
            }
            stage.name = self.spec.steps[s].output_name().into();
            let fit = given.map_or(StepFit::Discard, |g| StepFit::Given(&g[s]));
            reports.push(self.apply(s, step, &mut stage, None, fit)?.0);
        }
        let mut results = self.new_results(stage);
        results.reports = reports;
        results.final_only = true;
        Ok(results)
    }

    /// Recomputes steps `from..` of an earlier result in place, reusing the data
    /// sets upstream of step `from` and the buffers downstream of it.
    ///
    /// # Errors
    /// [`Error::Pipeline`] if `results` does not hold the input of step `from` (it
    /// must come from a run of this pipeline); otherwise as [`Pipeline::run`].
    pub fn rerun_from(&self, from: usize, results: &mut Results) -> Result<()> {
        let steps: Vec<Option<&Resolved>> = self.steps.iter().map(Some).collect();
        self.run_with_options(from, results, &steps, None)
    }

    /// Runs every step and returns the fitted pipeline: every parameter the steps
    /// learned from this pipeline's data, to apply to other data without
    /// refitting (see [`crate::fitted`]). The run is the same as [`Pipeline::run`].
    ///
    /// # Errors
    /// As [`Pipeline::run`]; [`Error::Pipeline`] for a step that cannot be frozen
    /// (a custom normaliser, Copeland or custom aggregation).
    pub fn fit(&self) -> Result<FittedPipeline> {
        self.run_and_fit().map(|(_, f)| f)
    }

    /// [`Pipeline::run`] and [`Pipeline::fit`] in one pass.
    ///
    /// # Errors
    /// As [`Pipeline::fit`].
    pub fn run_and_fit(&self) -> Result<(Results, FittedPipeline)> {
        let mut results = self.new_results(self.raw_stage());
        let steps: Vec<Option<&Resolved>> = self.steps.iter().map(Some).collect();
        let mut fitted = Vec::with_capacity(self.steps.len());
        self.run_steps(0, &mut results, &steps, None, Fits::Keep(&mut fitted))?;
        for (i, (step, f)) in self.spec.steps.iter().zip(&fitted).enumerate() {
            freezable(i, step, f)?;
        }
        let units = Arc::clone(self.data.unit_codes_shared());
        Ok((
            results,
            FittedPipeline::from_parts(self.spec.clone(), fitted, units),
        ))
    }

    /// Runs every step with the given fitted parameters (one per step) instead of
    /// fitting them on this pipeline's data.
    pub(crate) fn run_fitted(&self, fitted: &[FittedStep]) -> Result<Results> {
        self.check_fitted(Some(fitted))?;
        let mut results = self.new_results(self.raw_stage());
        let steps: Vec<Option<&Resolved>> = self.steps.iter().map(Some).collect();
        self.run_steps(0, &mut results, &steps, None, Fits::Given(fitted))?;
        Ok(results)
    }

    /// [`Pipeline::run_final_only`] with the given fitted parameters.
    pub(crate) fn run_fitted_final_only(&self, fitted: &[FittedStep]) -> Result<Results> {
        self.final_only(Some(fitted))
    }

    /// An error unless `given` has one fitted step per step, of the same stage and
    /// of the framework's shape.
    fn check_fitted(&self, given: Option<&[FittedStep]>) -> Result<()> {
        let Some(given) = given else {
            return Ok(());
        };
        let mismatch = |step: usize, message: String| Error::Pipeline {
            step,
            stage: self.spec.steps.get(step).map_or("none", Step::stage).into(),
            message,
        };
        if given.len() != self.steps.len() {
            return Err(mismatch(
                0,
                format!(
                    "{} fitted steps for {} pipeline steps",
                    given.len(),
                    self.steps.len()
                ),
            ));
        }
        let n_ind = self.ind_cols.len();
        for (s, (step, f)) in self.spec.steps.iter().zip(given).enumerate() {
            if step.stage() != f.stage() {
                return Err(mismatch(
                    s,
                    format!("the fitted step is a {} step", f.stage()),
                ));
            }
            freezable(s, step, f)?;
            let n = match f {
                FittedStep::Impute(g) => g.columns.len(),
                FittedStep::Treat { columns } => columns.len(),
                FittedStep::Normalise { columns } => columns.len(),
                FittedStep::Aggregate { weights } => {
                    if weights.len() != self.framework.len() {
                        return Err(mismatch(
                            s,
                            format!(
                                "{} fitted weights for a framework of {} nodes",
                                weights.len(),
                                self.framework.len()
                            ),
                        ));
                    }
                    n_ind
                }
                _ => n_ind,
            };
            if n != n_ind {
                return Err(mismatch(
                    s,
                    format!("{n} fitted columns for {n_ind} indicators"),
                ));
            }
        }
        Ok(())
    }

    /// Number of steps.
    pub fn n_steps(&self) -> usize {
        self.steps.len()
    }

    /// The resolved steps as set in the pipeline.
    pub(crate) fn resolved_steps(&self) -> &[Resolved] {
        &self.steps
    }

    /// Runs steps `from..` with the given resolved steps (one per pipeline step;
    /// `None` skips the step, passing its input through) and, optionally, node
    /// weights replacing the aggregation step's (indexed like the framework's nodes;
    /// a weight of zero removes a child from its parent).
    pub(crate) fn run_with_options(
        &self,
        from: usize,
        results: &mut Results,
        steps: &[Option<&Resolved>],
        weights: Option<&[f64]>,
    ) -> Result<()> {
        self.run_steps(from, results, steps, weights, Fits::Discard)
    }

    fn run_steps(
        &self,
        from: usize,
        results: &mut Results,
        steps: &[Option<&Resolved>],
        weights: Option<&[f64]>,
        mut fits: Fits<'_>,
    ) -> Result<()> {
        if from > self.steps.len() || results.stages.len() <= from || results.final_only {
            return Err(Error::Pipeline {
                step: from,
                stage: self.spec.steps.get(from).map_or("none", Step::stage).into(),
                message:
                    "the results do not hold the input of this step; run the whole pipeline first"
                        .into(),
            });
        }
        results.reports.truncate(from);
        for (s, &step) in steps.iter().enumerate().skip(from) {
            self.open_stage(s, results, step);
            let fit = match &fits {
                Fits::Given(g) => g.get(s).map_or(StepFit::Discard, StepFit::Given),
                Fits::Keep(_) => StepFit::Keep,
                Fits::Discard => StepFit::Discard,
            };
            let report = match step {
                Some(step) => {
                    let (report, fitted) =
                        self.apply(s, step, &mut results.stages[s + 1], weights, fit)?;
                    if let (Fits::Keep(keep), Some(f)) = (&mut fits, fitted) {
                        keep.push(f);
                    }
                    report
                }
                None => StepReport::Skipped,
            };
            results.reports.push(report);
        }
        results.stages.truncate(self.steps.len() + 1);
        Ok(())
    }

    /// Makes data set `s + 1` of `results` (the output of step `s`) a copy of data
    /// set `s`, widened for an aggregation step, reusing its buffer when it exists.
    fn open_stage(&self, s: usize, results: &mut Results, step: Option<&Resolved>) {
        let name = self.spec.steps[s].output_name();
        let widen = matches!(step, Some(Resolved::Aggregate(_)));
        if results.stages.len() == s + 1 {
            // A fresh data set: made as a copy (widened) of its input, at once.
            let fresh = if widen {
                results.stages[s].widened(name, &self.agg_codes)
            } else {
                results.stages[s].renamed(name)
            };
            results.stages.push(fresh);
            return;
        }
        let (before, after) = results.stages.split_at_mut(s + 1);
        if widen {
            after[0].copy_widened(&before[s], name, &self.agg_codes);
        } else {
            after[0].copy_from(&before[s], name);
        }
    }

    /// Runs step `s` of a run in progress (`results` holds data sets `0..=s`):
    /// opens data set `s + 1`, fits the step there and applies it, or applies
    /// `given`, and records the report. Returns the parameters when fitted here.
    pub(crate) fn advance(
        &self,
        s: usize,
        results: &mut Results,
        fit: StepFit<'_>,
    ) -> Result<Option<FittedStep>> {
        let step = &self.steps[s];
        self.open_stage(s, results, Some(step));
        let (report, fitted) = self.apply(s, step, &mut results.stages[s + 1], None, fit)?;
        results.reports.push(report);
        Ok(fitted)
    }

    /// Opens data set `s + 1` for a step the caller runs itself (panel
    /// imputation) and returns it.
    pub(crate) fn open<'r>(&self, s: usize, results: &'r mut Results) -> &'r mut StageData {
        self.open_stage(s, results, Some(&self.steps[s]));
        &mut results.stages[s + 1]
    }

    /// A fresh run: the results holding the raw data set only.
    pub(crate) fn start(&self) -> Results {
        self.new_results(self.raw_stage())
    }

    /// Fits step `s` on `stage` (applying it there too) and returns the
    /// parameters: the pooled fit of a panel run.
    pub(crate) fn fit_on(&self, s: usize, stage: &mut StageData) -> Result<FittedStep> {
        let (_, fitted) = self.apply(s, &self.steps[s], stage, None, StepFit::Keep)?;
        fitted.ok_or_else(|| Error::Pipeline {
            step: s,
            stage: self.spec.steps[s].stage().into(),
            message: "internal: the step returned no fitted parameters".into(),
        })
    }

    /// The resolved panel imputation of step `s`, if it is one.
    pub(crate) fn panel_impute(&self, s: usize) -> Option<&crate::panel::PanelImputeSpec> {
        match self.steps.get(s) {
            Some(Resolved::ImputePanel(spec)) => Some(spec),
            _ => None,
        }
    }

    fn raw_stage(&self) -> StageData {
        let mut m = self.data.values().select_columns(&self.ind_cols);
        let unit_codes = if self.rows.len() == self.data.n_units() {
            Arc::clone(self.data.unit_codes_shared())
        } else {
            m = m.select_rows(&self.rows);
            self.rows
                .iter()
                .map(|&r| self.data.unit_codes()[r].clone())
                .collect()
        };
        StageData {
            name: "raw".into(),
            units: self.rows.clone(),
            unit_codes,
            columns: Arc::clone(&self.ind_codes),
            values: m,
        }
    }

    fn update_record(&mut self) {
        // The spec's own framework is not copied: the record writes it out.
        let own = std::mem::take(&mut self.spec.framework);
        self.record = Arc::new(IndexSpec {
            framework: self.framework.spec().clone(),
            ..self.spec.clone()
        });
        self.spec.framework = own;
    }

    /// Coverage of every unit of the data, when the spec has a coverage rule.
    pub fn coverage(&self) -> Option<&crate::coverage::CoverageReport> {
        self.coverage.as_deref()
    }

    fn new_results(&self, stage: StageData) -> Results {
        Results::new(
            self.agg_codes.clone(),
            stage,
            Arc::clone(&self.record),
            self.coverage.clone(),
        )
    }

    /// Checks what the spec asks of the results: ratios name nodes, group
    /// columns exist in the data.
    fn check_reporting(&self) -> Result<()> {
        for (name, r) in &self.spec.ratios {
            for code in [&r.numerator, &r.denominator] {
                if self.framework.index_of(code).is_none() {
                    return Err(Error::UnknownCode {
                        kind: "node",
                        code: code.clone(),
                        context: format!("ratio {name:?} of the spec"),
                    });
                }
            }
        }
        for column in self.spec.groups.keys() {
            if self.data.group(column).is_none() {
                return Err(Error::UnknownCode {
                    kind: "group column",
                    code: column.clone(),
                    context: "the spec's groups (not a group column of the data)".into(),
                });
            }
        }
        Ok(())
    }

    /// Codes of the aggregated data set's columns: indicators, then aggregates level by level.
    fn aggregated_codes(&self) -> Vec<String> {
        let fw = &self.framework;
        (1..=fw.n_levels())
            .flat_map(|l| fw.nodes_at_level(l).iter().map(|&i| fw.code(i).to_owned()))
            .collect()
    }

    /// Runs one step on `out` in place: fits its parameters on `out` and applies
    /// them (a plain run), or applies `given` (a fitted pipeline, a panel fitted on
    /// a reference year or on the pooled panel). Returns the report and, when
    /// fitted here, the parameters.
    fn apply(
        &self,
        s: usize,
        step: &Resolved,
        out: &mut StageData,
        weights: Option<&[f64]>,
        fit: StepFit<'_>,
    ) -> Result<(StepReport, Option<FittedStep>)> {
        let (given, keep) = (fit.given(), fit.keep());
        let wrong = |what: &str| Error::Pipeline {
            step: s,
            stage: self.spec.steps[s].stage().into(),
            message: format!("the fitted parameters are for a {what} step"),
        };
        match step {
            Resolved::Denominate(pairs) => {
                let mut made_missing = Vec::new();
                // Screening keeps rows in order, so equal lengths mean every row is there.
                let all_rows = out.units.len() == self.data.n_units();
                let mut den_rows = Vec::new();
                for (j, pair) in pairs.iter().enumerate() {
                    if let Some((d, scale)) = *pair {
                        let den = &self.data.denominators()[d].values;
                        let den: &[f64] = if all_rows {
                            den
                        } else {
                            den_rows.clear();
                            den_rows.extend(out.units.iter().map(|&r| den[r]));
                            &den_rows
                        };
                        let rows = prepare::denominate::denominate_column(
                            col_mut(&mut out.values, j),
                            den,
                            scale,
                        );
                        let name = &self.data.denominators()[d].name;
                        made_missing.extend(rows.into_iter().map(|r| MadeMissing {
                            unit: out.unit_codes[r].clone(),
                            indicator: out.columns[j].clone(),
                            denominator: name.clone(),
                            denominator_value: den.get(r).copied().unwrap_or(f64::NAN),
                        }));
                    }
                }
                Ok((
                    StepReport::Denominate { made_missing },
                    keep.then_some(FittedStep::Denominate {}),
                ))
            }
            Resolved::Impute(spec, ids) => {
                // Group ids (encoded once, at validation) of the rows still present.
                let units = &out.units;
                let groups = |name: &str| -> Result<prepare::impute::GroupIds> {
                    let g = ids
                        .get(name)
                        .ok_or_else(|| prepare::impute::group_missing(name, "impute"))?;
                    Ok(prepare::impute::GroupIds {
                        ids: units.iter().map(|&r| g.ids[r]).collect(),
                        labels: Arc::clone(&g.labels),
                    })
                };
                let missing = missing_counts(&out.values);
                let given = match given {
                    None => None,
                    Some(FittedStep::Impute(g)) => Some(g),
                    Some(other) => return Err(wrong(other.stage())),
                };
                let (report, fitted) = prepare::impute::impute_matrix_with_ids(
                    &mut out.values,
                    spec,
                    &out.columns,
                    groups,
                    given,
                    keep,
                )?;
                check_finite_output(out, &missing, |_| "impute".to_owned())?;
                Ok((StepReport::Impute(report), fitted.map(FittedStep::Impute)))
            }
            Resolved::Screen(spec) => {
                let report = prepare::screen_units(&out.values, &out.unit_codes, spec)?;
                if report.kept.is_empty() && !out.unit_codes.is_empty() {
                    return Err(Error::Pipeline {
                        step: s,
                        stage: "screen".into(),
                        message: format!(
                            "screening removes every one of the {} units ({}), so nothing is left to compute; lower the threshold or force units in with force_include",
                            out.unit_codes.len(),
                            screen_rule(spec)
                        ),
                    });
                }
                out.keep_rows(&report.kept);
                Ok((
                    StepReport::Screen(report),
                    keep.then_some(FittedStep::Screen {}),
                ))
            }
            Resolved::Treat(spec, _) => {
                let missing = missing_counts(&out.values);
                let given = match given {
                    None => None,
                    Some(FittedStep::Treat { columns }) => Some(columns.as_slice()),
                    Some(other) => return Err(wrong(other.stage())),
                };
                let (log, columns) = prepare::treat::treat_matrix_with(
                    &mut out.values,
                    spec,
                    &out.columns,
                    &out.unit_codes,
                    given,
                    keep,
                )?;
                check_finite_output(out, &missing, |j| {
                    log.get(j)
                        .and_then(|r| r.second_stage.clone())
                        .map_or_else(|| "treat".to_owned(), |m| format!("treat ({m})"))
                })?;
                Ok((
                    StepReport::Treat(log),
                    keep.then_some(FittedStep::Treat { columns }),
                ))
            }
            Resolved::Normalise(r) => {
                let given = match given {
                    None => None,
                    Some(FittedStep::Normalise { columns }) => Some(columns.as_slice()),
                    Some(other) => return Err(wrong(other.stage())),
                };
                let (columns, units) = (&out.columns, &out.unit_codes);
                // Independent columns: in parallel on large data; first error in column order.
                let fitted = map_columns_mut(&mut out.values, |j, x| {
                    self.normalise_column(s, r, given, columns, units, j, x, &mut Vec::new())
                })
                .into_iter()
                .collect::<Result<Vec<_>>>()?;
                let fitted = keep.then(|| FittedStep::Normalise {
                    columns: fitted.into_iter().flatten().collect(),
                });
                Ok((StepReport::Normalise, fitted))
            }
            Resolved::ImputePanel(_) => Err(Error::Pipeline {
                step: s,
                stage: "impute_panel".into(),
                message:
                    "panel imputation runs across editions: run the specification on panel data"
                        .into(),
            }),
            Resolved::Aggregate(r) => {
                let w = match given {
                    None => weights,
                    Some(FittedStep::Aggregate { weights }) => Some(weights.as_slice()),
                    Some(other) => return Err(wrong(other.stage())),
                };
                let nodes = self.aggregate(s, r, out, w, &mut Workspace::default(), None)?;
                let fitted = keep.then(|| FittedStep::Aggregate {
                    weights: match weights {
                        Some(w) => w.to_vec(),
                        None => self.node_weights(r),
                    },
                });
                let report = if nodes.is_empty() {
                    StepReport::Aggregate
                } else {
                    StepReport::AggregateWeights(nodes)
                };
                Ok((report, fitted))
            }
        }
    }

    /// Normalises column `j` of a normalisation step in place: fits then applies
    /// its method, or applies the given parameters. `missing` is scratch space
    /// (the rows missing before). Returns the fitted parameters when fitted here
    /// (`Some(None)` for a custom method).
    #[allow(clippy::too_many_arguments)]
    fn normalise_column(
        &self,
        s: usize,
        r: &ResolvedNormalise,
        given: Option<&[Option<FittedNormaliser>]>,
        columns: &[String],
        units: &[String],
        j: usize,
        x: &mut [f64],
        missing: &mut Vec<usize>,
    ) -> Result<Option<Option<FittedNormaliser>>> {
        let (m, dir) = (&r.methods[j], r.directions[j]);
        if dir != 1.0 {
            x.iter_mut().for_each(|v| *v *= dir);
        }
        let node = self.framework.indicators()[j];
        let ctx = ColumnContext {
            indicator: &columns[j],
            units,
            direction: dir,
            target: self.framework.node(node).target,
        };
        missing_rows_into(x, missing);
        // Fit on this column then apply, or apply the given parameters.
        let fitted = match (given, m) {
            (Some(g), _) => match g.get(j) {
                Some(Some(f)) => {
                    f.apply(x);
                    None
                }
                _ => {
                    return Err(Error::Pipeline {
                        step: s,
                        stage: "normalise".into(),
                        message: format!("no fitted normalisation for indicator {:?}", columns[j]),
                    });
                }
            },
            (None, ColumnNormaliser::Builtin(m)) => {
                let f = m.fit(x, &ctx)?;
                f.apply(x);
                Some(Some(f))
            }
            (None, ColumnNormaliser::Custom(c)) => {
                c.normalise(x, &ctx)?;
                Some(None)
            }
        };
        match first_non_finite(x, missing) {
            // A built-in method (or fitted parameters) failing is the
            // data's extreme values, not the user's code.
            Some(u) if given.is_some() || matches!(m, ColumnNormaliser::Builtin(_)) => {
                Err(Error::NonFinite {
                    method: m.name().into(),
                    target: columns[j].clone(),
                    unit: units[u].clone(),
                    value: x[u],
                    reason: "the result is not a finite number (values near the limits of f64 overflow); rescale the indicator or use another method".into(),
                })
            }
            Some(u) => Err(Error::Custom {
                method: m.name().into(),
                target: columns[j].clone(),
                message: format!(
                    "produced a non-finite value ({}) for unit {:?}",
                    x[u], units[u]
                ),
            }),
            None => Ok(fitted),
        }
    }

    /// The weight of every framework node as resolved for an aggregation step
    /// (the root, which is no one's child, weighs 1).
    fn node_weights(&self, r: &ResolvedAggregate) -> Vec<f64> {
        let mut w = vec![1.0; self.framework.len()];
        for node in &r.nodes {
            for (&c, &x) in node.child_nodes.iter().zip(&node.weights) {
                w[c] = x;
            }
        }
        w
    }

    /// Aggregates `out` (the widened data set) node by node. `logs`, when given,
    /// holds the natural logarithms of the indicator columns of `out` (as
    /// [`log_matrix`] makes them), which geometric means of indicators then read
    /// instead of computing them (the same bits).
    fn aggregate(
        &self,
        s: usize,
        r: &ResolvedAggregate,
        out: &mut StageData,
        weights: Option<&[f64]>,
        ws: &mut Workspace,
        logs: Option<&DMatrix<f64>>,
    ) -> Result<Vec<NodeWeights>> {
        let n_ind = self.ind_cols.len();
        if out.values.ncols() != self.agg_codes.len() || n_ind > self.agg_codes.len() {
            return Err(Error::Pipeline {
                step: s,
                stage: "aggregate".into(),
                message: "internal: the aggregate buffer has the wrong width".into(),
            });
        }
        let codes = &self.agg_codes;
        let n = out.values.nrows();
        let mut values = std::mem::replace(&mut out.values, DMatrix::zeros(0, 0));
        let Workspace {
            buf,
            wbuf,
            slices,
            log_slices,
            names,
            ..
        } = ws;
        let logs = logs.filter(|l| l.nrows() == n && l.ncols() <= n_ind);
        buf.clear();
        buf.resize(n, 0.0);
        let mut chosen = Vec::new();
        for node in &r.nodes {
            let w: &[f64] = match weights {
                Some(all) => {
                    wbuf.clear();
                    wbuf.extend(node.child_nodes.iter().map(|&c| all[c]));
                    wbuf
                }
                None => &node.weights,
            };
            {
                // The buffers of slices are reused from node to node (and run to run).
                let mut children = recycle(std::mem::take(slices));
                children.extend(node.children.iter().map(|&c| col(&values, c)));
                let mut child_codes = recycle(std::mem::take(names));
                child_codes.extend(node.children.iter().map(|&c| codes[c].as_str()));
                let ctx = NodeContext {
                    node: &codes[node.column],
                    children: &child_codes,
                    units: &out.unit_codes,
                };
                let geometric_logs = logs.filter(|l| {
                    node.builtin
                        && node.method.name() == "geometric_mean"
                        && node.children.iter().all(|&c| c < l.ncols())
                });
                if let Some(l) = geometric_logs {
                    let mut lc = recycle(std::mem::take(log_slices));
                    lc.extend(node.children.iter().map(|&c| col(l, c)));
                    crate::aggregate::means::geometric_mean_with_logs(
                        &children, &lc, w, &ctx, buf,
                    )?;
                    *log_slices = recycle(lc);
                } else if let Some(nw) = node
                    .method
                    .aggregate_with_weights(&children, w, &ctx, buf)?
                {
                    chosen.push(nw);
                }
                check_aggregate(buf, &children, w, &ctx, node, n)?;
                if let Some(t) = node.dat_thresh {
                    // Share of present children among those taking part (weight > 0).
                    let k = w.iter().filter(|&&x| x > 0.0).count() as f64;
                    for (u, b) in buf.iter_mut().enumerate() {
                        let present = children
                            .iter()
                            .zip(w)
                            .filter(|(c, x)| **x > 0.0 && !c[u].is_nan())
                            .count() as f64;
                        if k == 0.0 || present / k < t {
                            *b = f64::NAN;
                        }
                    }
                }
                *slices = recycle(children);
                *names = recycle(child_codes);
            }
            col_mut(&mut values, node.column).copy_from_slice(buf);
        }
        out.values = values;
        Ok(chosen)
    }

    // ------------------------------------------------------------ lean runs

    /// Runs steps `from..` of an earlier result in place as
    /// [`Pipeline::run_with_options`] does, but for a Monte Carlo run: the step
    /// reports are not rebuilt (`results.reports` keeps those of the earlier run)
    /// and the treatment, normalisation and aggregation of small data use the
    /// buffers of `ws`, so that a run in the steady state allocates nothing.
    /// `step(s)` is the resolved step `s` to run (`None` skips it). The data sets
    /// are bit-identical to those of [`Pipeline::run_with_options`].
    pub(crate) fn run_lean<'a>(
        &'a self,
        from: usize,
        results: &mut Results,
        step: impl Fn(usize) -> Option<&'a Resolved>,
        weights: Option<&[f64]>,
        ws: &mut Workspace,
    ) -> Result<()> {
        self.run_lean_until(from, self.steps.len(), results, step, weights, ws, None)
    }

    /// [`Pipeline::run_lean`] of steps `from..until` only (`until` at most the
    /// number of steps): data set `until` is then that of a full run, and the
    /// data sets after it are left as they were. `logs`, when given, are the
    /// logarithms ([`log_matrix`]) of data set `from`, the input of an
    /// aggregation step `from`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn run_lean_until<'a>(
        &'a self,
        from: usize,
        until: usize,
        results: &mut Results,
        step: impl Fn(usize) -> Option<&'a Resolved>,
        weights: Option<&[f64]>,
        ws: &mut Workspace,
        logs: Option<&DMatrix<f64>>,
    ) -> Result<()> {
        if from > until
            || until > self.steps.len()
            || results.stages.len() <= from
            || results.final_only
        {
            return Err(Error::Pipeline {
                step: from,
                stage: self.spec.steps.get(from).map_or("none", Step::stage).into(),
                message:
                    "the results do not hold the input of this step; run the whole pipeline first"
                        .into(),
            });
        }
        for s in from..until {
            let resolved = step(s);
            self.open_stage(s, results, resolved);
            let Some(resolved) = resolved else {
                continue;
            };
            let out = &mut results.stages[s + 1];
            let small = out.values.len() < crate::data::PARALLEL_CELLS;
            match resolved {
                Resolved::Treat(_, params) if small => self.treat_lean(params, out, ws)?,
                Resolved::Normalise(r) if small => {
                    let (columns, units) = (&out.columns, &out.unit_codes);
                    let n = out.values.nrows();
                    for (j, x) in out.values.as_mut_slice().chunks_mut(n.max(1)).enumerate() {
                        self.normalise_column(
                            s,
                            r,
                            None,
                            columns,
                            units,
                            j,
                            x,
                            &mut ws.missing_one,
                        )?;
                    }
                }
                Resolved::Aggregate(r) => {
                    let logs = logs.filter(|_| s == from);
                    self.aggregate(s, r, out, weights, ws, logs)?;
                }
                other => {
                    self.apply(s, other, out, weights, StepFit::Discard)?;
                }
            }
        }
        results.stages.truncate(self.steps.len() + 1);
        Ok(())
    }

    /// The treatment step of a lean run: as [`prepare::treat::treat_matrix_with`]
    /// without records, then the same check of the output.
    fn treat_lean(
        &self,
        params: &[Option<prepare::TreatParams>],
        out: &mut StageData,
        ws: &mut Workspace,
    ) -> Result<()> {
        let p = out.values.ncols();
        ws.missing.resize_with(p, Vec::new);
        ws.stages.clear();
        let n = out.values.nrows();
        for (j, x) in out.values.as_mut_slice().chunks_mut(n.max(1)).enumerate() {
            missing_rows_into(x, &mut ws.missing[j]);
            let name = match params.get(j) {
                Some(Some(params)) => prepare::treat::treat_lean(
                    x,
                    params,
                    &out.columns[j],
                    &out.unit_codes,
                    &mut ws.column,
                )?,
                _ => None,
            };
            ws.stages.push(name);
        }
        let stages = &ws.stages;
        check_finite_output(out, &ws.missing[..p], |j| {
            stages
                .get(j)
                .copied()
                .flatten()
                .map_or_else(|| "treat".to_owned(), |m| format!("treat ({m})"))
        })
    }
}

/// Buffers that the steps of Monte Carlo runs reuse from one run to the next
/// (see [`Pipeline::run_lean`]).
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// Rows of the missing values of each column before treatment.
    missing: Vec<Vec<usize>>,
    /// Rows of the missing values of one column before normalisation.
    missing_one: Vec<usize>,
    /// The name of the second stage each column's treatment ran.
    stages: Vec<Option<&'static str>>,
    /// A winsorised copy of a column.
    column: Vec<f64>,
    /// An aggregate being computed.
    buf: Vec<f64>,
    /// The weights of a node's children.
    wbuf: Vec<f64>,
    /// The allocation of a node's children's columns (kept empty between uses).
    slices: Vec<&'static [f64]>,
    /// The allocation of a node's children's codes (kept empty between uses).
    names: Vec<&'static str>,
    /// The allocation of a node's children's logarithms (kept empty between uses).
    log_slices: Vec<&'static [f64]>,
}

/// The natural logarithm of every positive value of `m` (NaN elsewhere): what
/// [`Pipeline::run_lean_until`] reads for geometric means of indicators.
pub(crate) fn log_matrix(m: &DMatrix<f64>) -> DMatrix<f64> {
    m.map(|v| if v > 0.0 { v.ln() } else { f64::NAN })
}

/// An empty vector of references of any lifetime holding the allocation of `v`:
/// references are of one size and alignment whatever they point to, so the
/// standard library collects in place and no allocation is made.
fn recycle<'a, 'b, T: ?Sized>(mut v: Vec<&'a T>) -> Vec<&'b T> {
    v.clear();
    v.into_iter().map(|_| -> &'b T { unreachable!() }).collect()
}

/// The screening rule in words, for messages.
fn screen_rule(spec: &prepare::ScreenSpec) -> String {
    let (dat, nz) = spec.by.thresholds();
    let mut parts = Vec::new();
    if let Some(t) = dat {
        parts.push(format!(
            "dat_thresh = {t}: a unit needs at least {:.0}% of its indicators present",
            t * 100.0
        ));
    }
    if let Some(t) = nz {
        parts.push(format!(
            "nonzero_thresh = {t}: a unit needs at least {:.0}% of its values non-zero",
            t * 100.0
        ));
    }
    if !spec.force_exclude.is_empty() {
        parts.push(format!(
            "force_exclude lists {} unit(s)",
            spec.force_exclude.len()
        ));
    }
    parts.join("; ")
}

/// Rows of the missing values of a column.
fn missing_rows(x: &[f64]) -> Vec<usize> {
    let mut rows = Vec::new();
    missing_rows_into(x, &mut rows);
    rows
}

/// Writes the rows of the missing values of a column into `rows`.
fn missing_rows_into(x: &[f64], rows: &mut Vec<usize>) {
    rows.clear();
    rows.extend((0..x.len()).filter(|&i| x[i].is_nan()));
}

/// The first row of `x` that is infinite, or missing though it was not before
/// (`missing`: the rows missing before, in order).
fn first_non_finite(x: &[f64], missing: &[usize]) -> Option<usize> {
    x.iter().position(|v| v.is_infinite()).or_else(|| {
        let now = x.iter().filter(|v| v.is_nan()).count();
        if now <= missing.len() {
            return None;
        }
        (0..x.len()).find(|&i| x[i].is_nan() && missing.binary_search(&i).is_err())
    })
}

/// Rows of the missing values, per column.
fn missing_counts(m: &DMatrix<f64>) -> Vec<Vec<usize>> {
    (0..m.ncols()).map(|j| missing_rows(col(m, j))).collect()
}

/// Errors if a step left an infinite value, or a missing value where the column
/// had a value before (`missing`: the rows missing before), naming the column and
/// the unit.
fn check_finite_output(
    out: &StageData,
    missing: &[Vec<usize>],
    method: impl Fn(usize) -> String,
) -> Result<()> {
    for j in 0..out.values.ncols() {
        let x = col(&out.values, j);
        let before = missing.get(j).map_or(&[][..], Vec::as_slice);
        if let Some(u) = first_non_finite(x, before) {
            return Err(Error::NonFinite {
                method: method(j),
                target: out.columns[j].clone(),
                unit: out.unit_codes[u].clone(),
                value: x[u],
                reason: "the result is not a finite number (values near the limits of f64 overflow); rescale the indicator or choose another method".into(),
            });
        }
    }
    Ok(())
}

/// Errors if an aggregate is infinite, or (for built-in methods) missing although
/// a child of positive weight is present, naming the node and the unit.
fn check_aggregate(
    buf: &[f64],
    children: &[&[f64]],
    w: &[f64],
    ctx: &NodeContext<'_>,
    node: &ResolvedNode,
    n: usize,
) -> Result<()> {
    // Nearly always every aggregate is finite: one pass without branches first.
    if buf[..n].iter().fold(true, |all, v| all & v.is_finite()) {
        return Ok(());
    }
    for u in 0..n {
        let v = buf[u];
        if v.is_finite() {
            continue;
        }
        let present = children
            .iter()
            .zip(w)
            .any(|(c, &x)| x > 0.0 && !c[u].is_nan());
        if v.is_nan() && !(present && node.builtin) {
            continue;
        }
        let unit = ctx.units.get(u).cloned().unwrap_or_default();
        return Err(if node.builtin {
            Error::NonFinite {
                method: node.method.name().into(),
                target: ctx.node.into(),
                unit,
                value: v,
                reason: "the aggregate is not a finite number (children near the limits of f64 overflow)".into(),
            }
        } else {
            Error::Custom {
                method: node.method.name().into(),
                target: ctx.node.into(),
                message: format!("produced a non-finite value ({v}) for unit {unit:?}"),
            }
        });
    }
    Ok(())
}

/// Column of every framework node in the aggregated matrix: indicators first, then
/// aggregates level by level (the order of [`Pipeline`]'s aggregated data set).
fn node_columns(fw: &Framework) -> Vec<usize> {
    let mut cols = vec![0; fw.len()];
    let mut k = 0;
    for l in 1..=fw.n_levels() {
        for &i in fw.nodes_at_level(l) {
            cols[i] = k;
            k += 1;
        }
    }
    cols
}
