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

use std::collections::HashMap;
use std::sync::Arc;

use nalgebra::DMatrix;

use crate::aggregate::{AggregateMethod, Aggregator, NodeContext, NodeWeights};
use crate::data::{Dataset, col, col_mut, map_columns_mut};
use crate::error::{Error, Result};
use crate::framework::Framework;
use crate::normalise::{ColumnContext, NormaliseMethod, Normaliser};
use crate::prepare;
use crate::results::{Results, StageData, StepReport};
use crate::spec::{AggregateSpec, IndexSpec, NormaliseSpec, Step};

/// Builder for a [`Pipeline`], to register custom methods before validation.
#[derive(Debug)]
pub struct PipelineBuilder {
    spec: IndexSpec,
    data: Arc<Dataset>,
    normalisers: HashMap<String, Arc<dyn Normaliser>>,
    aggregators: HashMap<String, Arc<dyn Aggregator>>,
}

impl PipelineBuilder {
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
            spec,
            data,
            normalisers,
            aggregators,
        } = self;
        spec.check_version()?;
        let framework = Framework::new(spec.framework.clone(), Some(data.indicator_codes()))?;
        let ind_cols = framework
            .indicators()
            .iter()
            .map(|&i| {
                data.indicator_index(framework.code(i))
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let mut p = Pipeline {
            spec: IndexSpec {
                steps: Vec::new(),
                ..spec.clone()
            },
            framework,
            data,
            ind_cols,
            steps: Vec::new(),
            normalisers,
            aggregators,
            agg_codes: Arc::from(Vec::new()),
            ind_codes: Arc::from(Vec::new()),
        };
        p.agg_codes = p.aggregated_codes().into();
        p.ind_codes = p.framework.indicator_codes().into();
        let n_steps = spec.steps.len();
        for (i, step) in spec.steps.into_iter().enumerate() {
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
}

/// A step resolved against the framework and data: indices and method objects.
#[derive(Debug, Clone)]
pub(crate) enum Resolved {
    Denominate(Vec<Option<(usize, f64)>>),
    /// The spec and the group columns it uses, encoded as ids for every data row.
    Impute(
        prepare::ImputeSpec,
        HashMap<String, (Vec<Option<usize>>, usize)>,
    ),
    Screen(prepare::ScreenSpec),
    Treat(prepare::TreatSpec),
    Normalise(ResolvedNormalise),
    Aggregate(ResolvedAggregate),
}

#[derive(Debug, Clone)]
pub(crate) struct ResolvedNormalise {
    methods: Vec<Arc<dyn Normaliser>>,
    directions: Vec<f64>,
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
                return Err(Error::UnknownCode {
                    kind: "indicator",
                    code: code.clone(),
                    context: context.into(),
                });
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
                                .ok_or_else(|| Error::UnknownCode {
                                    kind: "denominator column",
                                    code: d.clone(),
                                    context: format!("{} for indicator {code:?}", ctx("")),
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
                    let g = self
                        .data
                        .group(group)
                        .ok_or_else(|| prepare::group_missing(group, &ctx("")))?;
                    ids.insert(group.to_owned(), prepare::impute::group_ids(&g.values));
                }
                Resolved::Impute(s.clone(), ids)
            }
            Step::Screen(s) => {
                s.validate()?;
                for code in s.force_include.iter().chain(&s.force_exclude) {
                    if self.data.unit_index(code).is_none() {
                        return Err(Error::UnknownCode {
                            kind: "unit",
                            code: code.clone(),
                            context: ctx("force lists"),
                        });
                    }
                }
                Resolved::Screen(s.clone())
            }
            Step::Treat(s) => {
                s.validate()?;
                self.check_indicator_codes(s.overrides.keys(), &ctx("overrides"))?;
                Resolved::Treat(s.clone())
            }
            Step::Normalise(s) => {
                Resolved::Normalise(self.resolve_normalise(s, &ctx("overrides"))?)
            }
            Step::Aggregate(s) => Resolved::Aggregate(self.resolve_aggregate(s, &ctx(""))?),
        })
    }

    fn normaliser(&self, m: &NormaliseMethod, target: &str) -> Result<Arc<dyn Normaliser>> {
        m.validate(Some(target))?;
        if let NormaliseMethod::Custom { name } = m {
            return self
                .normalisers
                .get(name)
                .cloned()
                .ok_or_else(|| Error::UnknownCode {
                    kind: "custom normaliser",
                    code: name.clone(),
                    context: format!(
                        "normalisation of {target:?} (register it with Pipeline::builder)"
                    ),
                });
        }
        Ok(Arc::new(m.clone()))
    }

    fn resolve_normalise(&self, s: &NormaliseSpec, context: &str) -> Result<ResolvedNormalise> {
        self.check_indicator_codes(s.overrides.keys(), context)?;
        let default = self.normaliser(&s.default, "all indicators")?;
        let mut methods = Vec::with_capacity(self.ind_cols.len());
        let mut directions = Vec::with_capacity(self.ind_cols.len());
        for &node in self.framework.indicators() {
            let code = self.framework.code(node);
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
            return self
                .aggregators
                .get(name)
                .cloned()
                .ok_or_else(|| Error::UnknownCode {
                    kind: "custom aggregator",
                    code: name.clone(),
                    context: format!(
                        "aggregation of {target:?} (register it with Pipeline::builder)"
                    ),
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
                    return Err(Error::UnknownCode {
                        kind: "aggregate node",
                        code: code.clone(),
                        context: format!("{context} by_node"),
                    });
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
        let mut results = Results::new(self.agg_codes.clone(), self.raw_stage());
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
        let mut stage = self.raw_stage();
        let mut reports = Vec::with_capacity(self.steps.len());
        for (s, step) in self.steps.iter().enumerate() {
            if matches!(step, Resolved::Aggregate(_)) {
                // Grows the allocation in place where the allocator can (mremap).
                let values = std::mem::replace(&mut stage.values, DMatrix::zeros(0, 0));
                stage.values = values.resize_horizontally(self.agg_codes.len(), f64::NAN);
                stage.columns.clone_from(&self.agg_codes);
            }
            stage.name = self.spec.steps[s].output_name().into();
            reports.push(self.apply(s, step, &mut stage, None)?);
        }
        let mut results = Results::new(self.agg_codes.clone(), stage);
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
            let name = self.spec.steps[s].output_name();
            if results.stages.len() == s + 1 {
                let fresh = results.stages[s].renamed(name);
                results.stages.push(fresh);
            }
            let (before, after) = results.stages.split_at_mut(s + 1);
            if matches!(step, Some(Resolved::Aggregate(_))) {
                after[0].copy_widened(&before[s], name, &self.agg_codes);
            } else {
                after[0].copy_from(&before[s], name);
            }
            let report = match step {
                Some(step) => self.apply(s, step, &mut results.stages[s + 1], weights)?,
                None => StepReport::Skipped,
            };
            results.reports.push(report);
        }
        results.stages.truncate(self.steps.len() + 1);
        Ok(())
    }

    fn raw_stage(&self) -> StageData {
        let n = self.data.n_units();
        let m = self.data.values().select_columns(&self.ind_cols);
        StageData {
            name: "raw".into(),
            units: (0..n).collect(),
            unit_codes: Arc::clone(self.data.unit_codes_shared()),
            columns: Arc::clone(&self.ind_codes),
            values: m,
        }
    }

    /// Codes of the aggregated data set's columns: indicators, then aggregates level by level.
    fn aggregated_codes(&self) -> Vec<String> {
        let fw = &self.framework;
        (1..=fw.n_levels())
            .flat_map(|l| fw.nodes_at_level(l).iter().map(|&i| fw.code(i).to_owned()))
            .collect()
    }

    fn apply(
        &self,
        s: usize,
        step: &Resolved,
        out: &mut StageData,
        weights: Option<&[f64]>,
    ) -> Result<StepReport> {
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
                        let rows =
                            prepare::denominate_column(col_mut(&mut out.values, j), den, scale);
                        made_missing.extend(
                            rows.into_iter()
                                .map(|r| (out.unit_codes[r].clone(), out.columns[j].clone())),
                        );
                    }
                }
                Ok(StepReport::Denominate { made_missing })
            }
            Resolved::Impute(spec, ids) => {
                // Group ids (encoded once, at validation) of the rows still present.
                let units = &out.units;
                let groups = |name: &str| -> Result<(Vec<Option<usize>>, usize)> {
                    let (g, k) = ids
                        .get(name)
                        .ok_or_else(|| prepare::group_missing(name, "impute"))?;
                    Ok((units.iter().map(|&r| g[r]).collect(), *k))
                };
                let report = prepare::impute::impute_matrix_with_ids(
                    &mut out.values,
                    spec,
                    &out.columns,
                    groups,
                )?;
                Ok(StepReport::Impute(report))
            }
            Resolved::Screen(spec) => {
                let report = prepare::screen_units(&out.values, &out.unit_codes, spec)?;
                out.keep_rows(&report.kept);
                Ok(StepReport::Screen(report))
            }
            Resolved::Treat(spec) => {
                let log =
                    prepare::treat_matrix(&mut out.values, spec, &out.columns, &out.unit_codes)?;
                Ok(StepReport::Treat(log))
            }
            Resolved::Normalise(r) => {
                let (columns, units) = (&out.columns, &out.unit_codes);
                // Independent columns: in parallel on large data; first error in column order.
                map_columns_mut(&mut out.values, |j, x| {
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
                    m.normalise(x, &ctx)?;
                    match x.iter().position(|v| v.is_infinite()) {
                        Some(u) => Err(Error::Custom {
                            method: m.name().into(),
                            target: columns[j].clone(),
                            message: format!("produced an infinite value for unit {:?}", units[u]),
                        }),
                        None => Ok(()),
                    }
                })
                .into_iter()
                .collect::<Result<Vec<()>>>()?;
                Ok(StepReport::Normalise)
            }
            Resolved::Aggregate(r) => {
                let nodes = self.aggregate(s, r, out, weights)?;
                Ok(if nodes.is_empty() {
                    StepReport::Aggregate
                } else {
                    StepReport::AggregateWeights(nodes)
                })
            }
        }
    }

    fn aggregate(
        &self,
        s: usize,
        r: &ResolvedAggregate,
        out: &mut StageData,
        weights: Option<&[f64]>,
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
        let mut buf = vec![0.0; n];
        let mut child_codes: Vec<&str> = Vec::new();
        let mut wbuf: Vec<f64> = Vec::new();
        let mut chosen = Vec::new();
        for node in &r.nodes {
            let w: &[f64] = match weights {
                Some(all) => {
                    wbuf.clear();
                    wbuf.extend(node.child_nodes.iter().map(|&c| all[c]));
                    &wbuf
                }
                None => &node.weights,
            };
            {
                let children: Vec<&[f64]> =
                    node.children.iter().map(|&c| col(&values, c)).collect();
                child_codes.clear();
                child_codes.extend(node.children.iter().map(|&c| codes[c].as_str()));
                let ctx = NodeContext {
                    node: &codes[node.column],
                    children: &child_codes,
                    units: &out.unit_codes,
                };
                if let Some(nw) = node
                    .method
                    .aggregate_with_weights(&children, w, &ctx, &mut buf)?
                {
                    chosen.push(nw);
                }
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
            }
            col_mut(&mut values, node.column).copy_from_slice(&buf);
        }
        out.values = values;
        Ok(chosen)
    }
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
