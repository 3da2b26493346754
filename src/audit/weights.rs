//! Weights: equal, manual, named sets, PCA-derived and correlation-optimised, each
//! with its effective weights.
//!
//! A [`WeightTable`] holds, for every node, its raw weight, its weight normalised
//! among its siblings `w_i / sum_{j in siblings} w_j` (what an aggregate uses,
//! METHODS.md 2.6) and its *effective* weight in the index, the product of the
//! normalised weights down the path from the root (the root has 1). Effective
//! weights of the nodes of any level sum to one.
//!
//! [`optimise_weights`] finds weights of the children of a node that bring their
//! correlations with the index (or another ancestor) as close as possible to given
//! targets, re-aggregating with the pipeline's own aggregation step at every trial
//! (COINr `get_opt_weights`; Becker, Paruolo, Saisana and Saltelli 2017,
//! *Weights and importance in composite indicators: closing the gap*, Ecological
//! Indicators 80). The minimisation is argmin's Nelder-Mead simplex.
//!
//! Reference for the weighting schemes: OECD/JRC *Handbook on Constructing
//! Composite Indicators* (2008), section 6.

use std::collections::BTreeMap;
use std::sync::Arc;

use argmin::core::{CostFunction, Executor, State, TerminationReason};
use argmin::solver::neldermead::NelderMead;

use super::correlation::corr;
use super::{CorrelationMethod, DataView, check_aggregate_level, in_subtree, node_index};
use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::framework::{Framework, FrameworkSpec};
use crate::pipeline::Pipeline;
use crate::spec::{AggregateSpec, IndexSpec, Step};

/// Weights of one node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NodeWeight {
    /// Node code.
    pub code: String,
    /// Parent code (`None` for the root).
    pub parent: Option<String>,
    /// Level (1 = indicator).
    pub level: u32,
    /// The weight as given (relative among siblings).
    pub raw: f64,
    /// The weight normalised among its siblings (sums to one in each group; 1 for the root).
    pub weight: f64,
    /// Effective weight in the index: product of normalised weights from the root.
    pub effective: f64,
}

/// A weight for every node of a framework. See the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WeightTable {
    /// Name of the scheme (`"equal"`, `"framework"`, a weight set's name, `"pca"`...).
    pub name: String,
    /// One entry per node, in framework order.
    pub nodes: Vec<NodeWeight>,
}

impl WeightTable {
    /// The entry of a node.
    pub fn get(&self, code: &str) -> Option<&NodeWeight> {
        self.nodes.iter().find(|n| n.code == code)
    }

    /// Normalised weight of a node among its siblings.
    pub fn weight(&self, code: &str) -> Option<f64> {
        self.get(code).map(|n| n.weight)
    }

    /// Effective weight of a node in the index.
    pub fn effective(&self, code: &str) -> Option<f64> {
        self.get(code).map(|n| n.effective)
    }

    /// The normalised weights as a weight set (node code -> weight), ready for
    /// [`FrameworkSpec::with_weight_set`].
    pub fn to_weight_set(&self) -> BTreeMap<String, f64> {
        self.nodes
            .iter()
            .map(|n| (n.code.clone(), n.weight))
            .collect()
    }
}

/// Builds a table from raw weights indexed like the framework's nodes, after
/// checking them.
fn table_from_raw(fw: &Framework, name: &str, raw: Vec<f64>) -> Result<WeightTable> {
    for (i, &w) in raw.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(Error::invalid(
                "weights",
                "weight",
                Some(fw.code(i)),
                format!("{w} is not a finite non-negative number"),
            ));
        }
    }
    for p in 0..fw.len() {
        let ch = fw.children(p);
        if !ch.is_empty() && ch.iter().map(|&c| raw[c]).sum::<f64>() <= 0.0 {
            return Err(Error::invalid(
                "weights",
                "weight",
                Some(fw.code(p)),
                "all children have weight zero",
            ));
        }
    }
    Ok(build_table(fw, name, raw))
}

/// Builds a table from checked raw weights: finite, non-negative, a positive sum
/// among the children of every node.
fn build_table(fw: &Framework, name: &str, raw: Vec<f64>) -> WeightTable {
    let n = fw.len();
    let mut weight = vec![1.0; n];
    for p in 0..n {
        let ch = fw.children(p);
        let total: f64 = ch.iter().map(|&c| raw[c]).sum();
        for &c in ch {
            weight[c] = raw[c] / total;
        }
    }
    let mut effective = vec![1.0; n];
    for level in (1..fw.n_levels()).rev() {
        for &i in fw.nodes_at_level(level) {
            if let Some(p) = fw.parent(i) {
                effective[i] = effective[p] * weight[i];
            }
        }
    }
    WeightTable {
        name: name.to_owned(),
        nodes: (0..n)
            .map(|i| NodeWeight {
                code: fw.code(i).to_owned(),
                parent: fw.parent(i).map(|p| fw.code(p).to_owned()),
                level: fw.level(i),
                raw: raw[i],
                weight: weight[i],
                effective: effective[i],
            })
            .collect(),
    }
}

/// Equal weights: every child of a node gets `1 / (number of children)`.
pub fn equal_weights(framework: &Framework) -> WeightTable {
    build_table(framework, "equal", vec![1.0; framework.len()])
}

/// The framework's own weights (`set = None`) or a named weight set of the
/// framework, normalised, with effective weights (equal to
/// [`Framework::effective_weights`]).
///
/// # Errors
/// [`Error::UnknownCode`] for an unknown set name.
pub fn framework_weights(framework: &Framework, set: Option<&str>) -> Result<WeightTable> {
    let raw = framework.weights(set)?;
    table_from_raw(framework, set.unwrap_or("framework"), raw)
}

/// Manual weights: `weights` (node code -> weight, relative among siblings)
/// overriding the framework's own; nodes not listed keep theirs.
///
/// # Errors
/// [`Error::UnknownCode`] for a code not in the framework; [`Error::InvalidParameter`]
/// for a negative or non-finite weight, or a node whose children all weigh zero.
pub fn manual_weights(
    framework: &Framework,
    weights: &BTreeMap<String, f64>,
) -> Result<WeightTable> {
    let mut raw = framework.weights(None)?;
    for (code, &w) in weights {
        let i = node_index(framework, code, "manual weights")?;
        raw[i] = w;
    }
    table_from_raw(framework, "manual", raw)
}

/// Weights from principal components: the children of every aggregate node get the
/// squared normalised loadings of the first component of their PCA ([`super::pca()`],
/// complete rows); a node with a single child gives it weight 1. Within each
/// group the weights sum to one.
///
/// `data` must hold every node below the root: use the aggregated data set.
///
/// # Errors
/// [`Error::UnknownCode`] for a node absent from `data`; [`Error::DegenerateColumn`]
/// for a group that PCA cannot analyse (fewer than 2 complete rows, a constant child).
pub fn pca_weights<'a>(
    data: impl Into<DataView<'a>>,
    framework: &Framework,
) -> Result<WeightTable> {
    let data = data.into();
    let mut raw = vec![1.0; framework.len()];
    for level in 2..=framework.n_levels() {
        for &p in framework.nodes_at_level(level) {
            let ch = framework.children(p);
            if ch.len() < 2 {
                continue;
            }
            let a = super::pca(data, &super::codes_of(framework, ch))?;
            for (&c, &w) in ch.iter().zip(&a.weights) {
                raw[c] = w;
            }
        }
    }
    table_from_raw(framework, "pca", raw)
}

/// Options of [`optimise_weights`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptimiseOptions {
    /// Correlation coefficient (default Pearson, as COINr).
    pub method: CorrelationMethod,
    /// Compare shares rather than levels: minimise
    /// `sum_i (r_i / sum_j r_j - t_i / sum_j t_j)^2` (COINr's `optype = "balance"`)
    /// instead of `sum_i (r_i - t_i)^2` (default false).
    pub relative: bool,
    /// Nelder-Mead stops when the standard deviation of the cost over the simplex
    /// falls below this (default 1e-10).
    pub tolerance: f64,
    /// Maximum number of Nelder-Mead iterations (default 2000).
    pub max_iters: u64,
}

impl Default for OptimiseOptions {
    fn default() -> Self {
        Self {
            method: CorrelationMethod::Pearson,
            relative: false,
            tolerance: 1e-10,
            max_iters: 2000,
        }
    }
}

/// The result of [`optimise_weights`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct OptimisedWeights {
    /// The node whose children were weighted.
    pub node: String,
    /// The node whose scores the children were correlated with.
    pub target: String,
    /// The children, in framework order.
    pub children: Vec<String>,
    /// Target correlations, aligned with `children`.
    pub targets: Vec<f64>,
    /// Starting weights (the pipeline's, normalised).
    pub initial_weights: Vec<f64>,
    /// Correlations of the children with the target under the starting weights.
    pub initial_correlations: Vec<Option<f64>>,
    /// Cost under the starting weights.
    pub initial_cost: f64,
    /// Optimised weights, non-negative, summing to one.
    pub weights: Vec<f64>,
    /// Correlations under the optimised weights.
    pub correlations: Vec<Option<f64>>,
    /// Cost under the optimised weights (never above `initial_cost`).
    pub cost: f64,
    /// Nelder-Mead iterations done, over all restarts.
    pub iterations: u64,
    /// Whether the last run's simplex met the tolerance (false: the iteration limit
    /// was reached).
    pub converged: bool,
    /// Number of restarts from the best point (at most 20).
    pub restarts: usize,
    /// argmin's termination message.
    pub termination: String,
    /// The tolerance used.
    pub tolerance: f64,
}

impl OptimisedWeights {
    /// The optimised weights as a weight set (child code -> weight).
    pub fn to_weight_set(&self) -> BTreeMap<String, f64> {
        self.children
            .iter()
            .cloned()
            .zip(self.weights.iter().copied())
            .collect()
    }
}

/// Cost assigned to a trial whose correlations are undefined (a constant score).
const FAILED_TRIAL_COST: f64 = 1e6;

struct WeightProblem {
    framework: FrameworkSpec,
    aggregate: AggregateSpec,
    input: Arc<Dataset>,
    children: Vec<String>,
    target: String,
    targets: Vec<f64>,
    options: OptimiseOptions,
}

impl WeightProblem {
    /// Weights from the free parameters: `w = softmax(0, theta_1, ..., theta_{k-1})`.
    fn weights(theta: &[f64]) -> Vec<f64> {
        let z: Vec<f64> = std::iter::once(0.0).chain(theta.iter().copied()).collect();
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
        let s: f64 = e.iter().sum();
        e.iter().map(|v| v / s).collect()
    }

    /// Correlations of the children with the target when the children weigh `w`.
    fn correlations(&self, w: &[f64]) -> Result<Vec<Option<f64>>> {
        let mut fw = self.framework.clone();
        match &self.aggregate.weights {
            Some(set) => {
                let ws = fw.weight_sets.entry(set.clone()).or_default();
                for (c, &v) in self.children.iter().zip(w) {
                    ws.insert(c.clone(), v);
                }
            }
            None => {
                for node in &mut fw.nodes {
                    if let Some(k) = self.children.iter().position(|c| *c == node.code) {
                        node.weight = w[k];
                    }
                }
            }
        }
        let spec = IndexSpec::new(fw, vec![Step::Aggregate(self.aggregate.clone())]);
        let results = Pipeline::new(spec, Arc::clone(&self.input))?.run()?;
        let out = results.last();
        let y = out.column(&self.target).ok_or_else(|| Error::UnknownCode {
            kind: "node",
            code: self.target.clone(),
            context: "optimise_weights (aggregated data)".into(),
        })?;
        self.children
            .iter()
            .map(|c| {
                let x = out.column(c).ok_or_else(|| Error::UnknownCode {
                    kind: "node",
                    code: c.clone(),
                    context: "optimise_weights (aggregated data)".into(),
                })?;
                Ok(corr(x, y, self.options.method).r)
            })
            .collect()
    }

    fn cost_of(&self, r: &[Option<f64>]) -> f64 {
        let Some(r) = r.iter().copied().collect::<Option<Vec<f64>>>() else {
            return FAILED_TRIAL_COST;
        };
        if self.options.relative {
            let sr: f64 = r.iter().sum();
            let st: f64 = self.targets.iter().sum();
            if sr == 0.0 {
                return FAILED_TRIAL_COST;
            }
            r.iter()
                .zip(&self.targets)
                .map(|(a, t)| (a / sr - t / st).powi(2))
                .sum()
        } else {
            r.iter()
                .zip(&self.targets)
                .map(|(a, t)| (a - t).powi(2))
                .sum()
        }
    }
}

impl CostFunction for WeightProblem {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, theta: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        let r = self
            .correlations(&Self::weights(theta))
            .map_err(|e| argmin::core::Error::msg(e.to_string()))?;
        Ok(self.cost_of(&r))
    }
}

/// Correlation-optimised weights of the children of `node`: the weights (non-negative,
/// summing to one) that bring the correlations `r_i` of the children with `target`
/// (default: the index) closest to `targets` (one per child, in framework order).
///
/// Each trial re-runs the pipeline's aggregation step (its methods per level and
/// node, thresholds and weight set) on the input of that step, with the children's
/// weights replaced, and correlates on pairwise-complete data. The cost is
/// `sum_i (r_i - t_i)^2`, or the relative form of [`OptimiseOptions::relative`];
/// a trial with an undefined correlation costs 1e6. Weights are parametrised as
/// `w = softmax(0, theta)`, so they stay positive and sum to one, and `theta` is
/// minimised by argmin's Nelder-Mead from the pipeline's weights (initial simplex
/// steps of 1 in `theta`), stopping when the standard deviation of the costs on the
/// simplex is below [`OptimiseOptions::tolerance`]; it is then restarted from its
/// best point with a fresh simplex (at most 20 times) while a run lowers the cost
/// by more than the tolerance, within [`OptimiseOptions::max_iters`] iterations in
/// all ([`OptimisedWeights::converged`] tells whether the last run met the
/// tolerance). Nelder-Mead finds a local minimum; the result is never worse than
/// the starting weights. Some weights can end up near zero when that brings the
/// other correlations closer to their targets.
///
/// Custom aggregators registered with [`Pipeline::builder`] are not available to
/// the trials; a pipeline using one fails with [`Error::UnknownCode`].
///
/// # Errors
/// [`Error::InvalidParameter`] if the pipeline's last step is not an aggregation,
/// `node` is an indicator, `target` is not `node` or one of its ancestors,
/// `targets` has values outside `[-1, 1]` (relative: negative values or a zero
/// sum), or a tolerance or iteration limit is invalid;
/// [`Error::DimensionMismatch`] if `targets` does not have one value per child;
/// [`Error::UnknownCode`] for unknown nodes; [`Error::DegenerateColumn`] for a node with fewer than 2 children;
/// any error of running the pipeline; [`Error::Custom`] if the optimiser fails.
pub fn optimise_weights(
    pipeline: &Pipeline,
    node: &str,
    target: Option<&str>,
    targets: &[f64],
    options: &OptimiseOptions,
) -> Result<OptimisedWeights> {
    const METHOD: &str = "optimise_weights";
    let fw = pipeline.framework();
    let Some(Step::Aggregate(aggregate)) = pipeline.spec().steps.last() else {
        return Err(Error::invalid(
            METHOD,
            "pipeline",
            None,
            "the pipeline's last step must be an aggregation",
        ));
    };
    let ni = node_index(fw, node, METHOD)?;
    check_aggregate_level(fw, fw.level(ni), METHOD)?;
    let target = target.unwrap_or(fw.code(fw.root()));
    let ti = node_index(fw, target, METHOD)?;
    if !in_subtree(fw, ni, ti) {
        return Err(Error::invalid(
            METHOD,
            "target",
            Some(target),
            format!("{target:?} is neither {node:?} nor one of its ancestors"),
        ));
    }
    let ch = fw.children(ni);
    if ch.len() < 2 {
        return Err(Error::degenerate(
            node,
            METHOD,
            "a node with a single child has nothing to weigh",
        ));
    }
    if targets.len() != ch.len() {
        return Err(Error::DimensionMismatch {
            what: format!("target correlations (one per child of {node:?})"),
            expected: ch.len(),
            found: targets.len(),
        });
    }
    if options.relative {
        if targets.iter().any(|t| !t.is_finite() || *t < 0.0) || targets.iter().sum::<f64>() <= 0.0
        {
            return Err(Error::invalid(
                METHOD,
                "targets",
                Some(node),
                "relative targets must be non-negative with a positive sum",
            ));
        }
    } else if targets.iter().any(|t| !(-1.0..=1.0).contains(t)) {
        return Err(Error::invalid(
            METHOD,
            "targets",
            Some(node),
            "target correlations must lie in [-1, 1]",
        ));
    }
    if options.tolerance.is_nan() || options.tolerance < 0.0 || options.max_iters == 0 {
        return Err(Error::invalid(
            METHOD,
            "tolerance",
            Some(node),
            "the tolerance must be non-negative and max_iters positive",
        ));
    }
    // The input of the aggregation step.
    let results = pipeline.run()?;
    let sets = results.datasets();
    let input = &sets[sets.len().saturating_sub(2)];
    let input = Arc::new(Dataset::new(
        input.unit_codes.to_vec(),
        input.columns.to_vec(),
        input.values.clone(),
    )?);
    let raw = fw.weights(aggregate.weights.as_deref())?;
    let total: f64 = ch.iter().map(|&c| raw[c]).sum();
    let initial_weights: Vec<f64> = ch.iter().map(|&c| raw[c] / total).collect();
    let problem = WeightProblem {
        framework: pipeline.spec().framework.clone(),
        aggregate: aggregate.clone(),
        input,
        children: super::codes_of(fw, ch),
        target: target.to_owned(),
        targets: targets.to_vec(),
        options: options.clone(),
    };
    let initial_correlations = problem.correlations(&initial_weights)?;
    let initial_cost = problem.cost_of(&initial_correlations);
    // Starting point: theta_i = ln(w_i / w_0), weights floored at 1e-6.
    let floor: Vec<f64> = initial_weights.iter().map(|w| w.max(1e-6)).collect();
    let mut best: Vec<f64> = floor[1..].iter().map(|w| (w / floor[0]).ln()).collect();
    let mut best_cost = initial_cost;
    let (mut iterations, mut converged, mut termination, mut restarts) =
        (0u64, false, String::new(), 0usize);
    // Nelder-Mead, restarted from its best point with a fresh simplex while a run
    // improves the cost by more than the tolerance (a collapsed simplex is the usual
    // way the method stalls).
    while iterations < options.max_iters {
        let run = nelder_mead(
            &problem,
            &best,
            options.max_iters - iterations,
            options.tolerance,
        )
        .map_err(|e| Error::Custom {
            method: METHOD.into(),
            target: node.into(),
            message: e.to_string(),
        })?;
        iterations += run.iterations;
        converged = run.converged;
        termination = run.termination;
        let improved = run.cost < best_cost - options.tolerance.max(f64::EPSILON * best_cost);
        if run.cost < best_cost {
            best = run.param;
            best_cost = run.cost;
        }
        if !improved || restarts >= MAX_RESTARTS {
            break;
        }
        restarts += 1;
    }
    let mut weights = WeightProblem::weights(&best);
    let mut correlations = problem.correlations(&weights)?;
    let mut cost = problem.cost_of(&correlations);
    if cost > initial_cost {
        weights.clone_from(&initial_weights);
        correlations.clone_from(&initial_correlations);
        cost = initial_cost;
    }
    Ok(OptimisedWeights {
        node: node.to_owned(),
        target: target.to_owned(),
        children: problem.children.clone(),
        targets: targets.to_vec(),
        initial_weights,
        initial_correlations,
        initial_cost,
        weights,
        correlations,
        cost,
        iterations,
        converged,
        termination,
        restarts,
        tolerance: options.tolerance,
    })
}

/// Most restarts of Nelder-Mead in [`optimise_weights`].
const MAX_RESTARTS: usize = 20;

struct Run {
    param: Vec<f64>,
    cost: f64,
    iterations: u64,
    converged: bool,
    termination: String,
}

/// The cost function borrowed, so that restarts share one problem.
struct Trial<'p>(&'p WeightProblem);

impl CostFunction for Trial<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, theta: &Self::Param) -> std::result::Result<f64, argmin::core::Error> {
        self.0.cost(theta)
    }
}

/// One Nelder-Mead run from `start`, initial simplex steps of 1 along each axis.
fn nelder_mead(
    problem: &WeightProblem,
    start: &[f64],
    max_iters: u64,
    tolerance: f64,
) -> std::result::Result<Run, argmin::core::Error> {
    let mut simplex = vec![start.to_vec()];
    for j in 0..start.len() {
        let mut v = start.to_vec();
        v[j] += 1.0;
        simplex.push(v);
    }
    let solver = NelderMead::new(simplex).with_sd_tolerance(tolerance)?;
    let res = Executor::new(Trial(problem), solver)
        .configure(|s| s.max_iters(max_iters))
        .run()?;
    let state = res.state();
    Ok(Run {
        param: state
            .get_best_param()
            .cloned()
            .unwrap_or_else(|| start.to_vec()),
        cost: state.get_best_cost(),
        iterations: state.get_iter(),
        converged: matches!(
            state.get_termination_reason(),
            Some(TerminationReason::SolverConverged)
        ),
        termination: state.get_termination_status().to_string(),
    })
}
