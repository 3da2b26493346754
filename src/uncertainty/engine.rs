//! The Monte Carlo engine: validation of the inputs against a pipeline, and
//! evaluation of runs from a matrix of uniform draws, serially or in parallel.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::spec::{Noise, StepRef, UncertainInput};
use crate::error::{Error, Result};
use crate::pipeline::{Pipeline, Resolved};
use crate::prepare::TreatSpec;
use crate::results::Results;
use crate::spec::Step;
use crate::stats;

/// How runs are executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Execution {
    /// One run after another on the calling thread.
    Serial,
    /// In parallel with rayon on its global pool (feature `rayon`; serial without
    /// it). Results are bit-identical to [`Execution::Serial`].
    #[default]
    Parallel,
    /// In parallel on a dedicated pool of this many threads (feature `rayon`;
    /// serial without it).
    Threads(usize),
}

/// Progress of a long analysis, passed to the callback after every run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Runs finished.
    pub done: usize,
    /// Runs in all.
    pub total: usize,
}

/// A progress callback (called from worker threads).
pub type ProgressFn<'a> = &'a (dyn Fn(Progress) + Sync);

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    /// Options for one step (`None` = skip the step).
    Step {
        step: usize,
        options: Vec<Option<Resolved>>,
    },
    /// Noise replicates: multipliers for the nodes at one level.
    Noise {
        nodes: Vec<usize>,
        replicates: Vec<Vec<f64>>,
    },
    /// Sets of excluded nodes.
    Exclude { options: Vec<Vec<usize>> },
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedInput {
    pub(crate) label: String,
    /// Cumulative probabilities of the options (last = 1).
    cumulative: Vec<f64>,
    pub(crate) kind: Kind,
}

impl PlannedInput {
    /// Index of the option selected by the uniform draw `u` in [0, 1).
    pub(crate) fn choose(&self, u: f64) -> usize {
        let last = self.cumulative.len() - 1;
        self.cumulative.iter().position(|&c| u < c).unwrap_or(last)
    }
}

/// The inputs validated against a pipeline and resolved: everything a run needs.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) inputs: Vec<PlannedInput>,
    /// Earliest step any input affects (runs start there).
    pub(crate) from: usize,
    /// Weights of the aggregation step when weights are perturbed.
    base_weights: Option<Vec<f64>>,
    /// Framework node of each target, and its column code.
    pub(crate) targets: Vec<String>,
}

fn step_index(p: &Pipeline, r: &StepRef, input: &str) -> Result<usize> {
    let steps = &p.spec().steps;
    match r {
        StepRef::Index(i) if *i < steps.len() => Ok(*i),
        StepRef::Index(i) => Err(Error::Pipeline {
            step: *i,
            stage: "none".into(),
            message: format!(
                "{input} perturbs step {i}, but the pipeline has only {} steps",
                steps.len()
            ),
        }),
        StepRef::Stage(name) => {
            let hits: Vec<usize> = (0..steps.len())
                .filter(|&i| steps[i].stage() == name)
                .collect();
            match hits.as_slice() {
                [i] => Ok(*i),
                [] => Err(Error::Pipeline {
                    step: steps.len(),
                    stage: name.clone(),
                    message: format!(
                        "{input} perturbs a {name:?} step, but the pipeline has none (COINr would silently do nothing: its issue #60)"
                    ),
                }),
                _ => Err(Error::Pipeline {
                    step: hits[0],
                    stage: name.clone(),
                    message: format!(
                        "{input}: the pipeline has {} {name:?} steps; name one by index",
                        hits.len()
                    ),
                }),
            }
        }
    }
}

fn cumulative(probs: &[f64], n: usize, input: &str) -> Result<Vec<f64>> {
    if n == 0 {
        return Err(Error::invalid(
            "uncertainty",
            "options",
            Some(input),
            "no options given",
        ));
    }
    let p: Vec<f64> = if probs.is_empty() {
        vec![1.0 / n as f64; n]
    } else {
        probs.to_vec()
    };
    if p.len() != n {
        return Err(Error::invalid(
            "uncertainty",
            "probabilities",
            Some(input),
            format!("{} probabilities for {n} options", p.len()),
        ));
    }
    if p.iter().any(|&x| !x.is_finite() || x < 0.0) {
        return Err(Error::invalid(
            "uncertainty",
            "probabilities",
            Some(input),
            "probabilities must be finite and non-negative",
        ));
    }
    let total: f64 = p.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(Error::invalid(
            "uncertainty",
            "probabilities",
            Some(input),
            format!("probabilities sum to {total}, not 1"),
        ));
    }
    let mut acc = 0.0;
    let mut c: Vec<f64> = p
        .iter()
        .map(|x| {
            acc += x;
            acc / total
        })
        .collect();
    if let Some(last) = c.last_mut() {
        *last = 1.0;
    }
    Ok(c)
}

/// The index of the aggregation step, or an error naming the input that needs it.
fn aggregate_step(p: &Pipeline, input: &str) -> Result<usize> {
    p.spec()
        .steps
        .iter()
        .position(|s| matches!(s, Step::Aggregate(_)))
        .ok_or_else(|| Error::Pipeline {
            step: p.spec().steps.len(),
            stage: "aggregate".into(),
            message: format!(
                "{input} perturbs aggregation weights, but the pipeline has no aggregate step"
            ),
        })
}

impl Plan {
    /// Validates the inputs against the pipeline before any run.
    pub(crate) fn new(
        p: &Pipeline,
        inputs: &[UncertainInput],
        targets: &[String],
        seed: u64,
    ) -> Result<Self> {
        let fw = p.framework();
        let mut planned = Vec::with_capacity(inputs.len());
        let mut from = p.n_steps();
        let mut perturbed_steps: Vec<(usize, String)> = Vec::new();
        let mut base_weights = None;
        for input in inputs {
            let (label, cum, kind) = match input {
                UncertainInput::Alternatives {
                    label,
                    step,
                    alternatives,
                    skip,
                    probabilities,
                } => {
                    let name = label.clone().unwrap_or_else(|| format!("{step}"));
                    let s = step_index(p, step, &format!("input {name:?}"))?;
                    let stage = p.spec().steps[s].stage();
                    let mut options = Vec::with_capacity(alternatives.len() + 1);
                    for (a, alt) in alternatives.iter().enumerate() {
                        if alt.stage() != stage {
                            return Err(Error::Pipeline {
                                step: s,
                                stage: stage.into(),
                                message: format!(
                                    "input {name:?}: alternative {a} is a {} step, but step {s} is a {stage} step",
                                    alt.stage()
                                ),
                            });
                        }
                        options.push(Some(p.resolve(s, alt)?));
                    }
                    if *skip {
                        if stage == "aggregate" {
                            return Err(Error::Pipeline {
                                step: s,
                                stage: stage.into(),
                                message: format!(
                                    "input {name:?}: the aggregation step cannot be skipped"
                                ),
                            });
                        }
                        options.push(None);
                    }
                    from = from.min(s);
                    perturbed_steps.push((s, name.clone()));
                    let cum = cumulative(probabilities, options.len(), &name)?;
                    (name, cum, Kind::Step { step: s, options })
                }
                UncertainInput::Winmax {
                    label,
                    step,
                    values,
                    probabilities,
                } => {
                    let name = label.clone().unwrap_or_else(|| "winmax".into());
                    let s = step_index(p, step, &format!("input {name:?}"))?;
                    let Step::Treat(base) = &p.spec().steps[s] else {
                        return Err(Error::Pipeline {
                            step: s,
                            stage: p.spec().steps[s].stage().into(),
                            message: format!(
                                "input {name:?} varies winmax, which only a treat step has"
                            ),
                        });
                    };
                    let mut options = Vec::with_capacity(values.len());
                    for &v in values {
                        if v == 0 {
                            return Err(Error::invalid(
                                "uncertainty",
                                "values",
                                Some(&name),
                                "winmax must be at least 1",
                            ));
                        }
                        let mut t: TreatSpec = base.clone();
                        t.winmax = v;
                        options.push(Some(p.resolve(s, &Step::Treat(t))?));
                    }
                    from = from.min(s);
                    perturbed_steps.push((s, name.clone()));
                    let cum = cumulative(probabilities, options.len(), &name)?;
                    (name, cum, Kind::Step { step: s, options })
                }
                UncertainInput::WeightNoise {
                    label,
                    level,
                    factor,
                    noise,
                    replicates,
                } => {
                    let name = label
                        .clone()
                        .unwrap_or_else(|| format!("weights level {level}"));
                    let s = aggregate_step(p, &format!("input {name:?}"))?;
                    if *level < 1 || *level >= fw.n_levels() {
                        return Err(Error::invalid(
                            "weight_noise",
                            "level",
                            Some(&name),
                            format!(
                                "level {level} has no siblings to weigh: levels 1 to {} can be perturbed",
                                fw.n_levels() - 1
                            ),
                        ));
                    }
                    let bounded = !matches!(noise, Noise::LogNormal {});
                    if !factor.is_finite() || *factor < 0.0 || (bounded && *factor >= 1.0) {
                        return Err(Error::invalid(
                            "weight_noise",
                            "factor",
                            Some(&name),
                            format!(
                                "factor {factor} must be in [0, 1) ({}) so that weights stay positive",
                                if bounded {
                                    "uniform and triangular noise"
                                } else {
                                    "or >= 0 for log-normal noise"
                                }
                            ),
                        ));
                    }
                    let k = replicates.unwrap_or(1000);
                    if k == 0 {
                        return Err(Error::invalid(
                            "weight_noise",
                            "replicates",
                            Some(&name),
                            "at least one replicate is needed",
                        ));
                    }
                    let nodes = fw.nodes_at_level(*level).to_vec();
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    rng.set_stream(
                        u64::MAX - k as u64 - (*level as u64) * 7919 - planned.len() as u64,
                    );
                    let reps: Vec<Vec<f64>> = (0..k)
                        .map(|_| {
                            nodes
                                .iter()
                                .map(|_| multiplier(&mut rng, *noise, *factor))
                                .collect()
                        })
                        .collect();
                    from = from.min(s);
                    base_weights = Some(base_weights_of(p, s)?);
                    let cum = cumulative(&[], k, &name)?;
                    (
                        name,
                        cum,
                        Kind::Noise {
                            nodes,
                            replicates: reps,
                        },
                    )
                }
                UncertainInput::Exclude {
                    label,
                    options,
                    probabilities,
                } => {
                    let name = label.clone().unwrap_or_else(|| "exclusion".into());
                    let s = aggregate_step(p, &format!("input {name:?}"))?;
                    let base = base_weights_of(p, s)?;
                    let mut opts = Vec::with_capacity(options.len());
                    for (o, set) in options.iter().enumerate() {
                        let mut idx = Vec::with_capacity(set.len());
                        let mut w = base.clone();
                        for code in set {
                            let i = fw.index_of(code).filter(|&i| i != fw.root()).ok_or_else(|| Error::UnknownCode {
                                kind: "node",
                                code: code.clone(),
                                context: format!("option {o} of input {name:?} (the index itself cannot be excluded)"),
                            })?;
                            w[i] = 0.0;
                            idx.push(i);
                        }
                        for level in 2..=fw.n_levels() {
                            for &node in fw.nodes_at_level(level) {
                                if fw.children(node).iter().all(|&c| w[c] == 0.0) {
                                    return Err(Error::invalid(
                                        "exclude",
                                        "options",
                                        Some(&name),
                                        format!(
                                            "option {o} removes every child of {:?}",
                                            fw.code(node)
                                        ),
                                    ));
                                }
                            }
                        }
                        opts.push(idx);
                    }
                    from = from.min(s);
                    base_weights = Some(base);
                    let cum = cumulative(probabilities, opts.len(), &name)?;
                    (name, cum, Kind::Exclude { options: opts })
                }
            };
            planned.push(PlannedInput {
                label,
                cumulative: cum,
                kind,
            });
        }
        perturbed_steps.sort();
        for w in perturbed_steps.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(Error::Pipeline {
                    step: w[0].0,
                    stage: p.spec().steps[w[0].0].stage().into(),
                    message: format!(
                        "inputs {:?} and {:?} both perturb this step; combine them into one input",
                        w[0].1, w[1].1
                    ),
                });
            }
        }
        let targets = if targets.is_empty() {
            vec![fw.code(fw.root()).to_owned()]
        } else {
            targets.to_vec()
        };
        for t in &targets {
            if fw.index_of(t).is_none() {
                return Err(Error::UnknownCode {
                    kind: "node",
                    code: t.clone(),
                    context: "uncertainty targets".into(),
                });
            }
        }
        Ok(Self {
            inputs: planned,
            from,
            base_weights,
            targets,
        })
    }

    /// Evaluates one run: `u[k]` selects the option of input `k`. Writes the target
    /// scores into `out` (targets x units, concatenated).
    pub(crate) fn run(
        &self,
        p: &Pipeline,
        u: &[f64],
        buf: &mut Results,
        out: &mut [f64],
    ) -> Result<()> {
        let resolved = p.resolved_steps();
        let mut steps: Vec<Option<&Resolved>> = resolved.iter().map(Some).collect();
        let mut weights = self.base_weights.clone();
        for (input, &ui) in self.inputs.iter().zip(u) {
            let c = input.choose(ui);
            match &input.kind {
                Kind::Step { step, options } => steps[*step] = options[c].as_ref(),
                Kind::Noise { nodes, replicates } => {
                    if let Some(w) = weights.as_mut() {
                        for (&node, &m) in nodes.iter().zip(&replicates[c]) {
                            w[node] *= m;
                        }
                    }
                }
                Kind::Exclude { options } => {
                    if let Some(w) = weights.as_mut() {
                        for &node in &options[c] {
                            w[node] = 0.0;
                        }
                    }
                }
            }
        }
        p.run_with_options(self.from, buf, &steps, weights.as_deref())?;
        let n = buf.unit_codes().len();
        for (t, code) in self.targets.iter().enumerate() {
            let s = buf.scores(code).ok_or_else(|| Error::UnknownCode {
                kind: "node",
                code: code.clone(),
                context: "the results of a run (is there an aggregate step?)".into(),
            })?;
            if s.len() != n || out.len() < (t + 1) * n {
                return Err(Error::DimensionMismatch {
                    what: format!("scores of {code:?} in a run (units screened differently?)"),
                    expected: out.len() / self.targets.len().max(1),
                    found: s.len(),
                });
            }
            out[t * n..(t + 1) * n].copy_from_slice(s);
        }
        Ok(())
    }
}

fn base_weights_of(p: &Pipeline, s: usize) -> Result<Vec<f64>> {
    let set = match &p.spec().steps[s] {
        Step::Aggregate(a) => a.weights.as_deref(),
        _ => None,
    };
    p.framework().weights(set)
}

fn multiplier(rng: &mut ChaCha8Rng, noise: Noise, f: f64) -> f64 {
    match noise {
        Noise::Uniform {} => 1.0 + f * (2.0 * rng.random::<f64>() - 1.0),
        Noise::Triangular {} => 1.0 + f * (rng.random::<f64>() - rng.random::<f64>()),
        Noise::LogNormal {} => {
            // Box-Muller
            let u1: f64 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random::<f64>();
            (f * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()).exp()
        }
    }
}

/// One failed run and why.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FailedRun {
    /// 0-based run index.
    pub run: usize,
    /// The error's message.
    pub reason: String,
}

/// Evaluates every row of `design` (runs x inputs) and returns the target scores
/// (one row of `targets x units` values per run; NaN rows for failed runs) and the
/// failures.
pub(crate) fn evaluate(
    p: &Pipeline,
    plan: &Plan,
    nominal: &Results,
    design: &[Vec<f64>],
    execution: Execution,
    progress: Option<ProgressFn<'_>>,
) -> (Vec<Vec<f64>>, Vec<FailedRun>) {
    let width = plan.targets.len() * nominal.unit_codes().len();
    let total = design.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let one = |buf: &mut Results, (run, u): (usize, &Vec<f64>)| -> (Vec<f64>, Option<FailedRun>) {
        let mut out = vec![f64::NAN; width];
        let r = plan.run(p, u, buf, &mut out);
        if let Some(cb) = progress {
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            cb(Progress { done: d, total });
        }
        match r {
            Ok(()) => (out, None),
            Err(e) => (
                vec![f64::NAN; width],
                Some(FailedRun {
                    run,
                    reason: e.to_string(),
                }),
            ),
        }
    };
    let rows: Vec<(Vec<f64>, Option<FailedRun>)> = run_all(design, nominal, execution, one);
    let mut failed = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    for (row, f) in rows {
        out.push(row);
        failed.extend(f);
    }
    (out, failed)
}

#[cfg(feature = "rayon")]
fn run_all<T: Send>(
    design: &[Vec<f64>],
    nominal: &Results,
    execution: Execution,
    one: impl Fn(&mut Results, (usize, &Vec<f64>)) -> T + Sync + Send,
) -> Vec<T> {
    use rayon::prelude::*;
    let par = || {
        design
            .par_iter()
            .enumerate()
            .map_init(|| nominal.clone(), &one)
            .collect::<Vec<T>>()
    };
    match execution {
        Execution::Serial => serial(design, nominal, &one),
        Execution::Parallel => par(),
        Execution::Threads(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(par),
            Err(_) => serial(design, nominal, &one),
        },
    }
}

#[cfg(not(feature = "rayon"))]
fn run_all<T: Send>(
    design: &[Vec<f64>],
    nominal: &Results,
    _execution: Execution,
    one: impl Fn(&mut Results, (usize, &Vec<f64>)) -> T + Sync + Send,
) -> Vec<T> {
    serial(design, nominal, &one)
}

fn serial<T>(
    design: &[Vec<f64>],
    nominal: &Results,
    one: &impl Fn(&mut Results, (usize, &Vec<f64>)) -> T,
) -> Vec<T> {
    let mut buf = nominal.clone();
    design
        .iter()
        .enumerate()
        .map(|r| one(&mut buf, r))
        .collect()
}

/// Uniform draws for `runs` runs and `d` inputs: run `r` uses ChaCha8 stream `r` of
/// `seed`, so the draws do not depend on how runs are spread over threads.
pub(crate) fn monte_carlo_design(runs: usize, d: usize, seed: u64) -> Vec<Vec<f64>> {
    (0..runs)
        .map(|r| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(r as u64);
            (0..d).map(|_| rng.random::<f64>()).collect()
        })
        .collect()
}

/// Ranks (descending, ties at the minimum) of each target block of a score row.
pub(crate) fn ranks_of(row: &[f64], n_units: usize) -> Vec<f64> {
    row.chunks(n_units.max(1))
        .flat_map(|block| {
            stats::rank_desc(block)
                .into_iter()
                .map(|r| r.map_or(f64::NAN, f64::from))
        })
        .collect()
}
