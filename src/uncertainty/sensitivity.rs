//! Variance-based sensitivity analysis: Saltelli design, first-order and total
//! Sobol indices with bootstrap confidence intervals and a convergence report.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sobol::Sobol;
use sobol::params::JoeKuoD6;

use super::engine::{self, Execution, FailedRun, Plan, ProgressFn};
use super::spec::UncertainInput;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::stats;

/// How the base matrices A and B of the Saltelli design are sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Sampling {
    /// Quasi-random Sobol sequence of dimension `2d` (Joe and Kuo direction numbers,
    /// first point skipped): A takes the first `d` coordinates, B the last `d`.
    #[default]
    Sobol,
    /// Plain Monte Carlo: ChaCha8 stream `row` of the seed for each row.
    MonteCarlo,
}

#[cfg(feature = "serde")]
fn default_n() -> usize {
    1000
}
#[cfg(feature = "serde")]
fn default_bootstrap() -> usize {
    1000
}
#[cfg(feature = "serde")]
fn default_confidence() -> f64 {
    0.9
}

/// A sensitivity analysis of an index to its uncertain inputs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct SensitivitySpec {
    /// Base sample size `N`; the analysis makes `N (d + 2)` runs (default 1,000).
    #[cfg_attr(feature = "serde", serde(default = "default_n"))]
    pub n: usize,
    /// Seed for Monte Carlo sampling, weight-noise replicates and the bootstrap.
    #[cfg_attr(feature = "serde", serde(default))]
    pub seed: u64,
    /// Sampling of the design.
    #[cfg_attr(feature = "serde", serde(default))]
    pub sampling: Sampling,
    /// The uncertain inputs (the `d` dimensions).
    pub inputs: Vec<UncertainInput>,
    /// Node whose ranks are the output (default: the index).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub target: Option<String>,
    /// Bootstrap resamples for the confidence intervals (default 1,000; 0 = none).
    #[cfg_attr(feature = "serde", serde(default = "default_bootstrap"))]
    pub bootstrap: usize,
    /// Confidence level of the intervals (default 0.9).
    #[cfg_attr(feature = "serde", serde(default = "default_confidence"))]
    pub confidence: f64,
    /// Also compute indices for each unit's rank.
    #[cfg_attr(feature = "serde", serde(default))]
    pub per_unit: bool,
}

impl SensitivitySpec {
    /// A spec over the given inputs with the defaults.
    #[must_use]
    pub fn new(inputs: Vec<UncertainInput>) -> Self {
        Self {
            n: 1000,
            seed: 0,
            sampling: Sampling::Sobol,
            inputs,
            target: None,
            bootstrap: 1000,
            confidence: 0.9,
            per_unit: false,
        }
    }

    /// Sets `N`.
    #[must_use]
    pub fn n(mut self, n: usize) -> Self {
        self.n = n;
        self
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the sampling.
    #[must_use]
    pub fn sampling(mut self, sampling: Sampling) -> Self {
        self.sampling = sampling;
        self
    }
}

/// First-order and total indices of one input, with bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SobolIndex {
    /// Input label.
    pub input: String,
    /// First-order index `S_i` (Saltelli et al. 2010).
    pub first: f64,
    /// Bootstrap interval of `S_i` (NaN without bootstrap).
    pub first_interval: (f64, f64),
    /// Total index `ST_i` (Jansen 1999).
    pub total: f64,
    /// Bootstrap interval of `ST_i`.
    pub total_interval: (f64, f64),
}

/// The indices at a smaller sample size, to judge convergence.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConvergenceStep {
    /// Rows of A and B used (the first `n`).
    pub n: usize,
    /// `S_i` per input.
    pub first: Vec<f64>,
    /// `ST_i` per input.
    pub total: Vec<f64>,
}

/// Sobol indices of one scalar output.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SobolResult {
    /// Rows of A (and B) used after dropping rows with a failed or missing output.
    pub n: usize,
    /// Variance of the output over A and B.
    pub variance: f64,
    /// One entry per input.
    pub indices: Vec<SobolIndex>,
    /// The indices at `N/8`, `N/4`, `N/2` and `N` rows.
    pub convergence: Vec<ConvergenceStep>,
}

/// Results of a sensitivity analysis of an index.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SensitivityResults {
    /// Runs made: `N (d + 2)`.
    pub runs: usize,
    /// Runs that failed, with the reason (their rows are dropped from the estimates).
    pub failed: Vec<FailedRun>,
    /// The node whose ranks are the output.
    pub target: String,
    /// Indices of the mean absolute rank shift `mean over units |rank - nominal rank|`
    /// (COINr's scalar output).
    pub mean_rank_shift: SobolResult,
    /// Indices of each unit's rank, when requested: (unit, result).
    pub per_unit: Vec<(String, SobolResult)>,
}

/// A design: one row of uniform draws in [0, 1) per run, one column per input.
pub type Design = Vec<Vec<f64>>;

/// The Saltelli base matrices A and B (`n` rows, `d` columns, values in [0, 1)).
///
/// # Errors
/// [`Error::InvalidParameter`] for `n = 0`, `d = 0` or, with Sobol sampling, more
/// than 500 inputs (1,000 dimensions of direction numbers).
pub(crate) fn saltelli_base(
    n: usize,
    d: usize,
    sampling: Sampling,
    seed: u64,
) -> Result<(Design, Design)> {
    if n == 0 || d == 0 {
        return Err(Error::invalid(
            "sensitivity",
            "n",
            None,
            "the design needs N >= 1 and at least one input",
        ));
    }
    match sampling {
        Sampling::Sobol => {
            if 2 * d > 1000 {
                return Err(Error::invalid(
                    "sensitivity",
                    "inputs",
                    None,
                    format!("{d} inputs: Sobol sampling supports at most 500"),
                ));
            }
            let params = if 2 * d < 100 {
                JoeKuoD6::minimal()
            } else {
                JoeKuoD6::standard()
            };
            let seq = Sobol::<f64>::new(2 * d, &params);
            let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for p in seq.skip(1).take(n) {
                a.push(p[..d].to_vec());
                b.push(p[d..].to_vec());
            }
            if a.len() < n {
                return Err(Error::invalid(
                    "sensitivity",
                    "n",
                    None,
                    format!("the Sobol sequence ended after {} points", a.len()),
                ));
            }
            Ok((a, b))
        }
        Sampling::MonteCarlo => {
            let rows = engine::monte_carlo_design(n, 2 * d, seed);
            Ok(rows
                .into_iter()
                .map(|r| (r[..d].to_vec(), r[d..].to_vec()))
                .unzip())
        }
    }
}

/// The full Saltelli design: A, B, then `A_B^i` for each input `i` (A with column
/// `i` taken from B): `n (d + 2)` rows.
///
/// # Errors
/// [`Error::InvalidParameter`] for `n = 0`, `d = 0` or, with Sobol sampling, more
/// than 500 inputs (1,000 dimensions of direction numbers).
pub fn saltelli_design(n: usize, d: usize, sampling: Sampling, seed: u64) -> Result<Vec<Vec<f64>>> {
    let (a, b) = saltelli_base(n, d, sampling, seed)?;
    let mut rows = Vec::with_capacity(n * (d + 2));
    rows.extend(a.iter().cloned());
    rows.extend(b.iter().cloned());
    for i in 0..d {
        for (ra, rb) in a.iter().zip(&b) {
            let mut r = ra.clone();
            r[i] = rb[i];
            rows.push(r);
        }
    }
    Ok(rows)
}

/// First-order and total indices from the outputs of a Saltelli design, on the
/// rows `rows` (indices into A/B):
/// `V = var(y_A ++ y_B)`, `S_i = mean(y_B (y_ABi - y_A)) / V` (Saltelli et al. 2010),
/// `ST_i = mean((y_A - y_ABi)^2) / (2 V)` (Jansen 1999).
///
/// Returns NaN indices when the variance is zero (the output does not vary).
pub(crate) fn sobol_estimates(
    ya: &[f64],
    yb: &[f64],
    yab: &[Vec<f64>],
    rows: &[usize],
) -> (Vec<f64>, Vec<f64>, f64) {
    let pooled: Vec<f64> = rows
        .iter()
        .map(|&j| ya[j])
        .chain(rows.iter().map(|&j| yb[j]))
        .collect();
    let v = stats::var(&pooled).unwrap_or(f64::NAN);
    let m = rows.len() as f64;
    let mut first = Vec::with_capacity(yab.len());
    let mut total = Vec::with_capacity(yab.len());
    for y in yab {
        let (mut s, mut t) = (0.0, 0.0);
        for &j in rows {
            s += yb[j] * (y[j] - ya[j]);
            t += (ya[j] - y[j]) * (ya[j] - y[j]);
        }
        if v > 0.0 {
            first.push(s / m / v);
            total.push(t / m / (2.0 * v));
        } else {
            first.push(f64::NAN);
            total.push(f64::NAN);
        }
    }
    (first, total, v)
}

/// Indices with bootstrap intervals and convergence steps from a design's outputs
/// `y` (ordered as [`saltelli_design`]: A, B, `A_B^1`, ...). Rows with a non-finite
/// output anywhere are dropped.
///
/// # Errors
/// [`Error::DimensionMismatch`] if `y` has the wrong length; [`Error::InvalidParameter`]
/// when fewer than two rows remain or the confidence is not in (0, 1).
pub fn sobol_from_outputs(
    y: &[f64],
    n: usize,
    labels: &[String],
    bootstrap: usize,
    confidence: f64,
    seed: u64,
) -> Result<SobolResult> {
    let d = labels.len();
    if y.len() != n * (d + 2) {
        return Err(Error::DimensionMismatch {
            what: "outputs of the Saltelli design".into(),
            expected: n * (d + 2),
            found: y.len(),
        });
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(Error::invalid(
            "sensitivity",
            "confidence",
            None,
            format!("{confidence} is not in (0, 1)"),
        ));
    }
    let ya = &y[..n];
    let yb = &y[n..2 * n];
    let yab: Vec<Vec<f64>> = (0..d)
        .map(|i| y[(2 + i) * n..(3 + i) * n].to_vec())
        .collect();
    let rows: Vec<usize> = (0..n)
        .filter(|&j| ya[j].is_finite() && yb[j].is_finite() && yab.iter().all(|v| v[j].is_finite()))
        .collect();
    if rows.len() < 2 {
        return Err(Error::invalid(
            "sensitivity",
            "n",
            None,
            format!("only {} usable rows of the design", rows.len()),
        ));
    }
    let (first, total, variance) = sobol_estimates(ya, yb, &yab, &rows);
    let alpha = (1.0 - confidence) / 2.0;
    let mut fb = vec![Vec::with_capacity(bootstrap); d];
    let mut tb = vec![Vec::with_capacity(bootstrap); d];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::MAX / 2);
    let mut sample = vec![0usize; rows.len()];
    for _ in 0..bootstrap {
        for s in sample.iter_mut() {
            *s = rows[rng.random_range(0..rows.len())];
        }
        let (f, t, _) = sobol_estimates(ya, yb, &yab, &sample);
        for i in 0..d {
            fb[i].push(f[i]);
            tb[i].push(t[i]);
        }
    }
    let interval = |v: &[f64]| match (stats::quantile(v, alpha), stats::quantile(v, 1.0 - alpha)) {
        (Some(lo), Some(hi)) => (lo, hi),
        _ => (f64::NAN, f64::NAN),
    };
    let indices = (0..d)
        .map(|i| SobolIndex {
            input: labels[i].clone(),
            first: first[i],
            first_interval: interval(&fb[i]),
            total: total[i],
            total_interval: interval(&tb[i]),
        })
        .collect();
    let mut convergence = Vec::new();
    for k in [8, 4, 2, 1] {
        let m = rows.len() / k;
        if m >= 2 {
            let (f, t, _) = sobol_estimates(ya, yb, &yab, &rows[..m]);
            convergence.push(ConvergenceStep {
                n: m,
                first: f,
                total: t,
            });
        }
    }
    Ok(SobolResult {
        n: rows.len(),
        variance,
        indices,
        convergence,
    })
}

/// Sobol indices of any function of `d` uniform inputs on [0, 1), e.g. to check
/// the estimators on a test function with known indices.
///
/// # Errors
/// As [`saltelli_design`] and [`sobol_from_outputs`].
pub fn sobol_indices_of<F: Fn(&[f64]) -> f64>(
    f: F,
    d: usize,
    n: usize,
    sampling: Sampling,
    seed: u64,
    bootstrap: usize,
) -> Result<SobolResult> {
    let design = saltelli_design(n, d, sampling, seed)?;
    let y: Vec<f64> = design.iter().map(|u| f(u)).collect();
    let labels: Vec<String> = (1..=d).map(|i| format!("x{i}")).collect();
    sobol_from_outputs(&y, n, &labels, bootstrap, 0.9, seed)
}

/// Runs a variance-based sensitivity analysis of the pipeline's ranks.
///
/// Builds the Saltelli design (`N (d + 2)` runs), evaluates every run (re-running
/// from the earliest perturbed step, in parallel with the `rayon` feature, with
/// bit-identical results in any execution mode), and estimates first-order
/// (Saltelli 2010) and total (Jansen 1999) indices of the mean absolute rank shift
/// and, on request, of each unit's rank, with bootstrap intervals and a
/// convergence report.
///
/// References: Saltelli, Annoni, Azzini, Campolongo, Ratto and Tarantola (2010),
/// *Variance based sensitivity analysis of model output*, Computer Physics
/// Communications 181(2); Jansen (1999), Computer Physics Communications 117;
/// Saisana, Saltelli and Tarantola (2005); COINr `get_sensitivity(SA_type = "SA")`.
///
/// # Errors
/// The validation errors of [`uncertainty_analysis`](super::uncertainty_analysis),
/// and [`Error::InvalidParameter`] for `N < 2` or a confidence outside (0, 1), all
/// before any run; then those of the nominal run and of [`sobol_from_outputs`].
pub fn sensitivity_analysis(
    pipeline: &Pipeline,
    spec: &SensitivitySpec,
    execution: Execution,
    progress: Option<ProgressFn<'_>>,
) -> Result<SensitivityResults> {
    let targets: Vec<String> = spec.target.iter().cloned().collect();
    let plan = Plan::new(pipeline, &spec.inputs, &targets, spec.seed)?;
    let d = plan.inputs.len();
    // Every parameter is checked before the first run.
    if spec.n < 2 {
        return Err(Error::invalid(
            "sensitivity",
            "n",
            None,
            format!(
                "N = {}: the indices need a base sample of at least 2 (N (d + 2) runs in all)",
                spec.n
            ),
        ));
    }
    if !(spec.confidence > 0.0 && spec.confidence < 1.0) {
        return Err(Error::invalid(
            "sensitivity",
            "confidence",
            None,
            format!("{} is not in (0, 1)", spec.confidence),
        ));
    }
    let design = saltelli_design(spec.n, d, spec.sampling, spec.seed)?;
    let nominal = pipeline.run()?;
    let (rows, failed) = engine::evaluate(pipeline, &plan, &nominal, &design, execution, progress);
    let target = plan.targets[0].clone();
    let units = nominal.unit_codes().to_vec();
    let nominal_ranks: Vec<f64> = nominal
        .ranks(&target)
        .ok_or_else(|| Error::UnknownCode {
            kind: "node",
            code: target.clone(),
            context: "the nominal results".into(),
        })?
        .into_iter()
        .map(|r| r.map_or(f64::NAN, f64::from))
        .collect();
    let width = plan.targets.len() * units.len();
    // Each run's ranks depend on its row alone: the same bits on any thread count.
    let ranks: Vec<Vec<f64>> = engine::install(execution, |par| {
        engine::map_range(par, rows.len() / width.max(1), |r| {
            engine::ranks_of(&rows[r * width..(r + 1) * width], units.len())
        })
    });
    let shift: Vec<f64> = ranks
        .iter()
        .map(|r| {
            let d: Vec<f64> = r
                .iter()
                .zip(&nominal_ranks)
                .map(|(a, b)| (a - b).abs())
                .collect();
            stats::mean(&d).unwrap_or(f64::NAN)
        })
        .collect();
    let labels: Vec<String> = plan.inputs.iter().map(|i| i.label.clone()).collect();
    let mean_rank_shift = sobol_from_outputs(
        &shift,
        spec.n,
        &labels,
        spec.bootstrap,
        spec.confidence,
        spec.seed,
    )?;
    let mut per_unit = Vec::new();
    if spec.per_unit {
        for (u, code) in units.iter().enumerate() {
            let y: Vec<f64> = ranks.iter().map(|r| r[u]).collect();
            per_unit.push((
                code.clone(),
                sobol_from_outputs(
                    &y,
                    spec.n,
                    &labels,
                    spec.bootstrap,
                    spec.confidence,
                    spec.seed,
                )?,
            ));
        }
    }
    Ok(SensitivityResults {
        runs: design.len(),
        failed,
        target,
        mean_rank_shift,
        per_unit,
    })
}
