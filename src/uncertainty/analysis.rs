//! Uncertainty analysis: Monte Carlo runs and per-unit rank and score intervals.

use super::engine::{self, Execution, FailedRun, Plan, ProgressFn};
use super::spec::UncertaintySpec;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::stats;

/// Summary of one unit's ranks and scores over the successful runs.
///
/// Quantiles use R's default definition (type 7, [`stats::quantile_sorted`]).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UnitSummary {
    /// Unit code.
    pub unit: String,
    /// Rank in the deterministic (nominal) run.
    pub nominal_rank: Option<u32>,
    /// Score in the nominal run.
    pub nominal_score: f64,
    /// Mean rank over the runs in which the unit has a score.
    pub mean_rank: f64,
    /// Median rank.
    pub median_rank: f64,
    /// 5th percentile of the rank.
    pub q05_rank: f64,
    /// 95th percentile of the rank.
    pub q95_rank: f64,
    /// Mean score.
    pub mean_score: f64,
    /// Median score.
    pub median_score: f64,
    /// 5th percentile of the score.
    pub q05_score: f64,
    /// 95th percentile of the score.
    pub q95_score: f64,
    /// Share of runs whose rank is within `within` ranks of the nominal rank.
    pub share_within: f64,
    /// Runs in which the unit had a score.
    pub runs: usize,
}

/// Results for one reported node.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct NodeUncertainty {
    /// Node code.
    pub node: String,
    /// One summary per unit, in the pipeline's unit order.
    pub units: Vec<UnitSummary>,
    /// Every successful run's ranks (runs x units; NaN for a missing rank), when
    /// requested with `keep_distribution`.
    pub distribution: Option<Vec<Vec<f64>>>,
}

/// Results of an uncertainty analysis.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UncertaintyResults {
    /// Runs attempted.
    pub runs: usize,
    /// Runs that failed, with the reason; they are left out of every summary.
    pub failed: Vec<FailedRun>,
    /// The `within` used for [`UnitSummary::share_within`].
    pub within: u32,
    /// Labels of the inputs, in order.
    pub inputs: Vec<String>,
    /// The option each input took in each run (runs x inputs).
    pub choices: Vec<Vec<usize>>,
    /// One entry per reported node.
    pub nodes: Vec<NodeUncertainty>,
}

impl UncertaintyResults {
    /// The results of one node.
    pub fn node(&self, code: &str) -> Option<&NodeUncertainty> {
        self.nodes.iter().find(|n| n.node == code)
    }
}

/// Runs an uncertainty analysis: `spec.runs` Monte Carlo runs of the pipeline, each
/// drawing one option of every uncertain input from its own ChaCha8 stream
/// (`seed`, stream = run index), recomputed from the earliest perturbed step.
///
/// Same spec and seed give bit-identical results whatever the execution mode and
/// number of threads. A run that fails (say, a geometric mean meeting a zero) is
/// counted in [`UncertaintyResults::failed`] with its reason and left out of the
/// summaries, never turned into missing values.
///
/// Reference: Saisana, Saltelli and Tarantola (2005), *Uncertainty and sensitivity
/// analysis techniques as tools for the quality assessment of composite
/// indicators*, J. R. Stat. Soc. A 168(2); COINr `get_sensitivity(SA_type = "UA")`.
///
/// # Errors
/// Before any run: [`Error::Pipeline`] for an input that perturbs a step the
/// pipeline does not have (naming it), [`Error::InvalidParameter`] for impossible
/// alternatives or probabilities, [`Error::UnknownCode`] for unknown nodes; and
/// the errors of the nominal run.
pub fn uncertainty_analysis(
    pipeline: &Pipeline,
    spec: &UncertaintySpec,
    execution: Execution,
    progress: Option<ProgressFn<'_>>,
) -> Result<UncertaintyResults> {
    if spec.runs == 0 {
        return Err(Error::invalid(
            "uncertainty",
            "runs",
            None,
            "at least one run is needed",
        ));
    }
    let plan = Plan::new(pipeline, &spec.inputs, &spec.targets, spec.seed)?;
    let nominal = pipeline.run()?;
    let design = engine::monte_carlo_design(spec.runs, plan.inputs.len(), spec.seed);
    let (rows, failed) = engine::evaluate(pipeline, &plan, &nominal, &design, execution, progress);
    let choices = design
        .iter()
        .map(|u| {
            plan.inputs
                .iter()
                .zip(u)
                .map(|(i, &x)| i.choose(x))
                .collect()
        })
        .collect();
    let units = nominal.unit_codes().to_vec();
    let n = units.len();
    let width = plan.targets.len() * n;
    let mut succeeded = vec![true; design.len()];
    for f in &failed {
        succeeded[f.run] = false;
    }
    let ok: Vec<&[f64]> = rows
        .chunks(width.max(1))
        .zip(&succeeded)
        .filter(|(_, s)| **s)
        .map(|(row, _)| row)
        .collect();
    // Ranks per run and summaries per unit: each depends only on its run or unit,
    // so computing them in parallel changes no bit.
    let nodes = engine::install(execution, |par| {
        plan.targets
            .iter()
            .enumerate()
            .map(|(t, code)| {
                let nominal_scores = nominal.scores(code).ok_or_else(|| Error::UnknownCode {
                    kind: "node",
                    code: code.clone(),
                    context: "the nominal results".into(),
                })?;
                let nominal_ranks = stats::rank_desc(nominal_scores);
                let ranks: Vec<Vec<f64>> = engine::map_range(par, ok.len(), |i| {
                    engine::ranks_of(&ok[i][t * n..(t + 1) * n], n)
                });
                let summaries = engine::map_range(par, n, |u| {
                    let r: Vec<f64> = ranks.iter().map(|rk| rk[u]).collect();
                    let s: Vec<f64> = ok.iter().map(|row| row[t * n + u]).collect();
                    summarise(
                        &units[u],
                        nominal_ranks[u],
                        nominal_scores[u],
                        &r,
                        &s,
                        n,
                        spec.within,
                    )
                });
                Ok(NodeUncertainty {
                    node: code.clone(),
                    units: summaries,
                    distribution: spec.keep_distribution.then_some(ranks),
                })
            })
            .collect::<Result<Vec<_>>>()
    })?;
    Ok(UncertaintyResults {
        runs: spec.runs,
        failed,
        within: spec.within,
        inputs: plan.inputs.iter().map(|i| i.label.clone()).collect(),
        choices,
        nodes,
    })
}

fn summarise(
    unit: &str,
    nominal_rank: Option<u32>,
    nominal_score: f64,
    ranks: &[f64],
    scores: &[f64],
    n_units: usize,
    within: u32,
) -> UnitSummary {
    let r = sorted_ranks(ranks, n_units);
    let s = stats::sorted_present(scores);
    let q = |v: &[f64], p| stats::quantile_sorted(v, p).unwrap_or(f64::NAN);
    let mean = |v: &[f64]| stats::mean(v).unwrap_or(f64::NAN);
    let share_within = match nominal_rank {
        Some(nr) if !r.is_empty() => {
            r.iter()
                .filter(|&&x| (x - f64::from(nr)).abs() <= f64::from(within))
                .count() as f64
                / r.len() as f64
        }
        _ => f64::NAN,
    };
    UnitSummary {
        unit: unit.to_owned(),
        nominal_rank,
        nominal_score,
        mean_rank: mean(&r),
        median_rank: q(&r, 0.5),
        q05_rank: q(&r, 0.05),
        q95_rank: q(&r, 0.95),
        mean_score: mean(&s),
        median_score: q(&s, 0.5),
        q05_score: q(&s, 0.05),
        q95_score: q(&s, 0.95),
        share_within,
        runs: r.len(),
    }
}

/// The present ranks in ascending order. Ranks of `n` units are whole numbers
/// from 1 to `n`, so they are counted rather than compared; this gives the slice
/// a sort would (any other value makes it sort).
fn sorted_ranks(ranks: &[f64], n: usize) -> Vec<f64> {
    let mut counts = vec![0_usize; n + 1];
    for &r in ranks {
        if r.is_nan() {
            continue;
        }
        if !(r >= 1.0 && r <= n as f64 && r.fract() == 0.0) {
            return stats::sorted_present(ranks);
        }
        counts[r as usize] += 1;
    }
    let mut v = Vec::with_capacity(ranks.len());
    for (rank, &c) in counts.iter().enumerate() {
        v.extend(std::iter::repeat_n(rank as f64, c));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Counting the ranks gives the bits of sorting them, with missing and
        /// out-of-range values too.
        #[test]
        fn counted_ranks_are_sorted_ranks(
            n in 1..40_usize,
            raw in proptest::collection::vec(prop_oneof![
                20 => 1..40_u32,
                1 => Just(0_u32),
                1 => Just(u32::MAX),
            ], 0..300),
            odd in any::<bool>(),
        ) {
            let mut ranks: Vec<f64> = raw
                .iter()
                .map(|&r| match r {
                    u32::MAX => f64::NAN,
                    r => f64::from(r),
                })
                .collect();
            if odd && !ranks.is_empty() {
                ranks[0] = 1.5;
            }
            let mut want: Vec<f64> = stats::present(&ranks).collect();
            want.sort_by(f64::total_cmp);
            let got = sorted_ranks(&ranks, n);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&got), bits(&want));
        }

        /// Sorting as integer keys gives the bits of sorting by `total_cmp`,
        /// signed zeros, infinities and missing values included.
        #[test]
        fn keyed_sort_is_total_cmp_sort(x in proptest::collection::vec(prop_oneof![
            8 => -1e6..1e6_f64,
            1 => Just(0.0),
            1 => Just(-0.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
            1 => Just(-5e-324),
        ], 0..200)) {
            let mut want: Vec<f64> = stats::present(&x).collect();
            want.sort_by(f64::total_cmp);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&stats::sorted_present(&x)), bits(&want));
        }
    }
}
