//! The Monte Carlo engine: validation of the inputs against a pipeline, and
//! evaluation of runs from a matrix of uniform draws, serially or in parallel.

use rand::RngExt;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::spec::{Noise, StepRef, UncertainInput};
use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::pipeline::{Pipeline, Resolved, Workspace, log_matrix};
use crate::prepare::TreatSpec;
use crate::results::{Results, StageData};
use crate::spec::Step;
use crate::stats;
use nalgebra::DMatrix;

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
        choose_option(&self.cumulative, u)
    }
}

/// The first option whose cumulative probability exceeds `u` (the last when
/// none does, or `u` is NaN), by bisection: the cumulative probabilities do not
/// decrease, so this is the first index a linear scan would find (weight noise
/// has 1,000 options by default).
fn choose_option(cumulative: &[f64], u: f64) -> usize {
    let last = cumulative.len().saturating_sub(1);
    if u.is_nan() {
        return last;
    }
    cumulative.partition_point(|&c| c <= u).min(last)
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
    /// For each pipeline step, the input (index into `inputs`) choosing its options.
    step_input: Vec<Option<usize>>,
    /// The step whose input data set runs cache (the aggregation step), when
    /// steps before it are perturbed: its input depends only on their options.
    cached_step: Option<usize>,
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
        let mut step_input = vec![None; p.n_steps()];
        for (k, input) in planned.iter().enumerate() {
            if let Kind::Step { step, .. } = input.kind {
                step_input[step] = Some(k);
            }
        }
        let cached_step = p
            .spec()
            .steps
            .iter()
            .position(|s| matches!(s, Step::Aggregate(_)))
            .filter(|&a| a > from);
        Ok(Self {
            inputs: planned,
            from,
            base_weights,
            targets,
            step_input,
            cached_step,
        })
    }

    /// The option chosen by each input for the draws `u`, into `chosen`.
    fn choose_into(&self, u: &[f64], chosen: &mut Vec<usize>) {
        chosen.clear();
        chosen.extend(
            self.inputs
                .iter()
                .zip(u)
                .map(|(input, &ui)| input.choose(ui)),
        );
    }

    /// The resolved step `s` of a run whose inputs chose `chosen` (`None`: skipped).
    fn step_of<'a>(
        &'a self,
        p: &'a Pipeline,
        chosen: &'a [usize],
    ) -> impl Fn(usize) -> Option<&'a Resolved> + 'a {
        let resolved = p.resolved_steps();
        move |s: usize| match self.step_input[s].map(|k| (k, &self.inputs[k].kind)) {
            Some((k, Kind::Step { options, .. })) => options[chosen[k]].as_ref(),
            _ => Some(&resolved[s]),
        }
    }

    /// The cache key of a run: the options of the inputs of the steps before the
    /// cached step `a`.
    fn key_into(&self, a: usize, chosen: &[usize], key: &mut Vec<usize>) {
        key.clear();
        key.extend(self.step_input[..a].iter().flatten().map(|&k| chosen[k]));
    }

    /// The input data sets of the aggregation step for the distinct combinations
    /// of options met in `design` (in order of first appearance, within the cache
    /// bounds), computed once before the runs, in parallel when `parallel`: the
    /// workers then share them read-only instead of each filling a cache of its
    /// own. Each is the data set a run computes for that combination (it depends
    /// on nothing else), so results do not change. A combination whose steps fail
    /// is left out (its runs fail as they would have).
    pub(crate) fn prefill(
        &self,
        p: &Pipeline,
        nominal: &Results,
        design: &[Vec<f64>],
        parallel: bool,
    ) -> SharedCache {
        let Some(a) = self.cached_step else {
            return SharedCache::new();
        };
        let cells = 2 * nominal.stages.get(a).map_or(0, |s| s.values.len()).max(1);
        let most = CACHE_ENTRIES.min(CACHE_CELLS / cells);
        let mut firsts: Vec<(Vec<usize>, usize)> = Vec::new();
        let (mut chosen, mut key) = (Vec::new(), Vec::new());
        for (r, u) in design.iter().enumerate() {
            if firsts.len() >= most {
                break;
            }
            self.choose_into(u, &mut chosen);
            self.key_into(a, &chosen, &mut key);
            if !firsts.iter().any(|(k, _)| *k == key) {
                firsts.push((key.clone(), r));
            }
        }
        let compute = |state: &mut RunState, r: usize| -> Option<CachedStage> {
            let mut chosen = Vec::new();
            self.choose_into(&design[r], &mut chosen);
            let step = self.step_of(p, &chosen);
            p.run_lean_until(
                self.from,
                a,
                &mut state.results,
                step,
                None,
                &mut state.ws,
                None,
            )
            .ok()?;
            state.results.stages.get(a).cloned().map(CachedStage::new)
        };
        let stages: Vec<Option<CachedStage>> = {
            #[cfg(feature = "rayon")]
            {
                use rayon::prelude::*;
                if parallel {
                    firsts
                        .par_iter()
                        .map_init(|| RunState::new(nominal), |st, (_, r)| compute(st, *r))
                        .collect()
                } else {
                    let mut st = RunState::new(nominal);
                    firsts.iter().map(|(_, r)| compute(&mut st, *r)).collect()
                }
            }
            #[cfg(not(feature = "rayon"))]
            {
                let _ = parallel;
                let mut st = RunState::new(nominal);
                firsts.iter().map(|(_, r)| compute(&mut st, *r)).collect()
            }
        };
        let mut cache = SharedCache::new();
        let mut total = 0;
        for ((key, _), stage) in firsts.into_iter().zip(stages) {
            if let Some(stage) = stage {
                total += stage.cells();
                if total > CACHE_CELLS {
                    break;
                }
                cache.insert(key, stage);
            }
        }
        cache
    }

    /// Evaluates one run: `u[k]` selects the option of input `k`. Writes the target
    /// scores into `out` (targets x units, concatenated). The buffers of `state`
    /// are reused, so that a run in the steady state allocates nothing. Data sets
    /// of `shared` (see [`Plan::prefill`]) are used before those `state` caches.
    pub(crate) fn run(
        &self,
        p: &Pipeline,
        u: &[f64],
        state: &mut RunState,
        shared: &SharedCache,
        out: &mut [f64],
    ) -> Result<()> {
        let RunState {
            results: buf,
            ws,
            chosen,
            weights,
            key,
            cache,
            cached_cells,
        } = state;
        self.choose_into(u, chosen);
        let weights = match &self.base_weights {
            Some(base) => {
                weights.clone_from(base);
                for (input, &c) in self.inputs.iter().zip(chosen.iter()) {
                    match &input.kind {
                        Kind::Step { .. } => {}
                        Kind::Noise { nodes, replicates } => {
                            for (&node, &m) in nodes.iter().zip(&replicates[c]) {
                                weights[node] *= m;
                            }
                        }
                        Kind::Exclude { options } => {
                            for &node in &options[c] {
                                weights[node] = 0.0;
                            }
                        }
                    }
                }
                Some(weights.as_slice())
            }
            None => None,
        };
        let chosen = &*chosen;
        let step = self.step_of(p, chosen);
        match self.cached_step {
            Some(a) => {
                // The input of step `a` depends only on the options of the steps
                // before it: computed once per combination, then copied.
                self.key_into(a, chosen, key);
                let hit = shared
                    .get(key.as_slice())
                    .or_else(|| cache.get(key.as_slice()));
                match hit {
                    Some(c) if buf.stages.len() > a => {
                        buf.stages[a].copy_from(&c.stage, &c.stage.name);
                        let n = p.n_steps();
                        p.run_lean_until(a, n, buf, step, weights, ws, Some(&c.logs))?;
                    }
                    _ => {
                        p.run_lean(self.from, buf, step, weights, ws)?;
                        let stage = &buf.stages[a];
                        let cells = 2 * stage.values.len();
                        if cache.len() < CACHE_ENTRIES && *cached_cells + cells <= CACHE_CELLS {
                            *cached_cells += cells;
                            cache.insert(key.clone(), CachedStage::new(stage.clone()));
                        }
                    }
                }
            }
            None => p.run_lean(self.from, buf, step, weights, ws)?,
        }
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

/// A cached input of the aggregation step, with the logarithms of its values
/// (read by geometric means of indicators instead of computing them each run).
#[derive(Debug, Clone)]
pub(crate) struct CachedStage {
    stage: StageData,
    logs: DMatrix<f64>,
}

impl CachedStage {
    fn new(stage: StageData) -> Self {
        let logs = log_matrix(&stage.values);
        Self { stage, logs }
    }

    /// Cells held (values and logarithms).
    fn cells(&self) -> usize {
        2 * self.stage.values.len()
    }
}

/// The input data sets of the aggregation step computed before the runs, by
/// combination of the options of the steps before it (see [`Plan::prefill`]).
pub(crate) type SharedCache = HashMap<Vec<usize>, CachedStage>;

/// Most data sets a worker caches (one per combination of the options of the
/// steps before aggregation).
const CACHE_ENTRIES: usize = 256;
/// Most cells a worker caches in all (32 MiB of values).
const CACHE_CELLS: usize = 1 << 22;

/// What a worker keeps from one Monte Carlo run to the next: the data sets of the
/// last run (re-run in place), the steps' buffers, and the cached inputs of the
/// aggregation step.
#[derive(Debug)]
pub(crate) struct RunState {
    results: Results,
    ws: Workspace,
    /// The option chosen for each input.
    chosen: Vec<usize>,
    /// The aggregation weights of the run.
    weights: Vec<f64>,
    /// The options of the steps before aggregation (the cache key).
    key: Vec<usize>,
    cache: HashMap<Vec<usize>, CachedStage>,
    cached_cells: usize,
}

impl RunState {
    pub(crate) fn new(nominal: &Results) -> Self {
        Self {
            results: nominal.clone(),
            ws: Workspace::default(),
            chosen: Vec::new(),
            weights: Vec::new(),
            key: Vec::new(),
            cache: HashMap::new(),
            cached_cells: 0,
        }
    }
}

/// Monte Carlo runs one at a time, with every buffer reused from run to run: the
/// engine of [`uncertainty_analysis`](super::uncertainty_analysis), for designs of
/// your own or for streaming the scores of many runs without keeping them.
///
/// After the first runs (once every combination of the options of the steps
/// before aggregation has been met), a run makes no heap allocation for data of
/// fewer than about a million cells.
///
/// ```
/// use composite_index::prelude::*;
/// use composite_index::uncertainty::*;
/// # fn main() -> composite_index::Result<()> {
/// # let data = Dataset::from_columns(
/// #     vec!["A".into(), "B".into(), "C".into()],
/// #     vec![("x".into(), vec![1.0, 2.0, 3.0]), ("y".into(), vec![3.0, 1.0, 2.0])],
/// # )?;
/// # let framework = FrameworkSpec::new(vec![
/// #     NodeSpec::new("Index", None),
/// #     NodeSpec::new("x", Some("Index")),
/// #     NodeSpec::new("y", Some("Index")),
/// # ]);
/// let steps = vec![
///     Step::Normalise(NormaliseSpec::default()),
///     Step::Aggregate(AggregateSpec::default()),
/// ];
/// let pipeline = Pipeline::new(IndexSpec::new(framework, steps), data)?;
/// let spec = UncertaintySpec::new(vec![UncertainInput::WeightNoise {
///     label: None,
///     level: 1,
///     factor: 0.25,
///     noise: Noise::Uniform {},
///     replicates: None,
/// }]);
/// let mut runner = MonteCarloRunner::new(&pipeline, &spec)?;
/// let (mut u, mut scores) = (vec![0.0; runner.n_inputs()], vec![0.0; runner.width()]);
/// for run in 0..100 {
///     runner.draws(run, &mut u);
///     runner.run(&u, &mut scores)?;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct MonteCarloRunner<'p> {
    pipeline: &'p Pipeline,
    plan: Plan,
    seed: u64,
    state: RunState,
    width: usize,
}

impl<'p> MonteCarloRunner<'p> {
    /// Validates the inputs of `spec` against `pipeline` (as
    /// [`uncertainty_analysis`](super::uncertainty_analysis) does) and runs the
    /// nominal pipeline once. `spec.runs` is not used: call [`Self::run`] as often
    /// as needed.
    ///
    /// # Errors
    /// As [`uncertainty_analysis`](super::uncertainty_analysis) before its runs.
    pub fn new(pipeline: &'p Pipeline, spec: &super::UncertaintySpec) -> Result<Self> {
        let plan = Plan::new(pipeline, &spec.inputs, &spec.targets, spec.seed)?;
        let nominal = pipeline.run()?;
        let width = plan.targets.len() * nominal.unit_codes().len();
        Ok(Self {
            pipeline,
            plan,
            seed: spec.seed,
            state: RunState::new(&nominal),
            width,
        })
    }

    /// Number of uncertain inputs: the length of a run's draws.
    pub fn n_inputs(&self) -> usize {
        self.plan.inputs.len()
    }

    /// Number of scores a run writes: targets x units (the targets' scores
    /// concatenated, units in the nominal run's order).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Writes into `u` the uniform draws of run `run` of the analysis (ChaCha8
    /// stream `run` of the spec's seed): the draws
    /// [`uncertainty_analysis`](super::uncertainty_analysis) uses for that run.
    /// Writes at most [`Self::n_inputs`] values.
    pub fn draws(&self, run: usize, u: &mut [f64]) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(run as u64);
        for x in u.iter_mut().take(self.n_inputs()) {
            *x = rng.random::<f64>();
        }
    }

    /// Evaluates one run: `u[k]`, uniform in `[0, 1)`, selects the option of input
    /// `k`; the scores of the targets are written into `out`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `u` has fewer than [`Self::n_inputs`]
    /// values or `out` fewer than [`Self::width`]; the errors of the run (a
    /// geometric mean meeting a zero, say).
    pub fn run(&mut self, u: &[f64], out: &mut [f64]) -> Result<()> {
        if u.len() < self.n_inputs() || out.len() < self.width {
            return Err(Error::DimensionMismatch {
                what: "draws (one per input) or scores (targets x units) of a Monte Carlo run"
                    .into(),
                expected: if u.len() < self.n_inputs() {
                    self.n_inputs()
                } else {
                    self.width
                },
                found: if u.len() < self.n_inputs() {
                    u.len()
                } else {
                    out.len()
                },
            });
        }
        self.plan.run(
            self.pipeline,
            u,
            &mut self.state,
            &SharedCache::new(),
            &mut out[..self.width],
        )
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
/// (runs x `targets x units`, one row per run, row after row; NaN rows for failed
/// runs) and the failures.
pub(crate) fn evaluate(
    p: &Pipeline,
    plan: &Plan,
    nominal: &Results,
    design: &[Vec<f64>],
    execution: Execution,
    progress: Option<ProgressFn<'_>>,
) -> (Vec<f64>, Vec<FailedRun>) {
    let width = plan.targets.len() * nominal.unit_codes().len();
    let total = design.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut scores = vec![f64::NAN; total * width];
    let mut failures: Vec<Option<FailedRun>> = vec![None; total];
    // The aggregation step's inputs, computed once for every worker.
    let prefill = |parallel: bool| plan.prefill(p, nominal, design, parallel);
    // Runs `first..` of the design, writing their rows and failures, on one state.
    let block =
        |shared: &SharedCache, first: usize, rows: &mut [f64], fails: &mut [Option<FailedRun>]| {
            let mut state = RunState::new(nominal);
            for (i, f) in fails.iter_mut().enumerate() {
                let run = first + i;
                let out = &mut rows[i * width..(i + 1) * width];
                let r = plan.run(p, &design[run], &mut state, shared, out);
                if let Some(cb) = progress {
                    let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    cb(Progress { done: d, total });
                }
                if let Err(e) = r {
                    out.fill(f64::NAN);
                    *f = Some(FailedRun {
                        run,
                        reason: e.to_string(),
                    });
                }
            }
        };
    run_blocks(
        &mut scores,
        &mut failures,
        width,
        execution,
        prefill,
        &block,
    );
    (scores, failures.into_iter().flatten().collect())
}

/// Block of runs: `block(shared, first, rows, failures)` runs `first..` on one
/// state, with the shared data sets.
type Block<'b> = dyn Fn(&SharedCache, usize, &mut [f64], &mut [Option<FailedRun>]) + Sync + 'b;

/// Fills the shared data sets (`prefill(parallel)`), then splits the runs into
/// blocks of consecutive runs (one state each: in parallel, a few per thread) and
/// runs `block` on each.
fn run_blocks(
    scores: &mut [f64],
    failures: &mut [Option<FailedRun>],
    width: usize,
    execution: Execution,
    prefill: impl Fn(bool) -> SharedCache + Sync,
    block: &Block<'_>,
) {
    install(execution, |parallel| {
        #[cfg(feature = "rayon")]
        if parallel {
            use rayon::prelude::*;
            let shared = prefill(true);
            let size = failures
                .len()
                .div_ceil(4 * rayon::current_num_threads())
                .max(1);
            scores
                .par_chunks_mut(size * width.max(1))
                .zip(failures.par_chunks_mut(size))
                .enumerate()
                .for_each(|(c, (rows, fails))| block(&shared, c * size, rows, fails));
            return;
        }
        let _ = (parallel, width);
        block(&prefill(false), 0, scores, failures);
    });
}

/// Runs `f(parallel)` as `execution` says: `f(false)` on the calling thread for
/// [`Execution::Serial`] (and without the `rayon` feature), `f(true)` on rayon's
/// global pool for [`Execution::Parallel`] or inside a dedicated pool for
/// [`Execution::Threads`] (serially if that pool cannot be built).
pub(crate) fn install<R: Send>(execution: Execution, f: impl FnOnce(bool) -> R + Send) -> R {
    #[cfg(feature = "rayon")]
    match execution {
        Execution::Serial => f(false),
        Execution::Parallel => f(true),
        Execution::Threads(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| f(true)),
            Err(_) => f(false),
        },
    }
    #[cfg(not(feature = "rayon"))]
    {
        let _ = execution;
        f(false)
    }
}

/// `f(i)` for every `i` in `0..n`, in order; in parallel (on the current pool,
/// see [`install`]) when `parallel`. Each result depends only on `i` and data
/// shared read-only, so the output is the same on any number of threads.
pub(crate) fn map_range<T: Send>(
    parallel: bool,
    n: usize,
    f: impl Fn(usize) -> T + Sync + Send,
) -> Vec<T> {
    #[cfg(feature = "rayon")]
    if parallel {
        use rayon::prelude::*;
        return (0..n).into_par_iter().map(f).collect();
    }
    let _ = parallel;
    (0..n).map(f).collect()
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

/// Ranks (descending, ties at the minimum) of each target block of a score row;
/// missing scores get NaN ranks.
pub(crate) fn ranks_of(row: &[f64], n_units: usize) -> Vec<f64> {
    let n = n_units.max(1);
    let mut out = vec![f64::NAN; row.len()];
    let mut neg = Vec::with_capacity(n);
    for (block, ranks) in row.chunks(n).zip(out.chunks_mut(n)) {
        neg.clear();
        neg.extend(block.iter().map(|v| -v));
        stats::rank_min_into(&neg, ranks);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Bisection picks the option a linear scan picks, with repeated
        /// cumulative probabilities (options of probability zero) and draws at
        /// and beyond the ends.
        #[test]
        fn bisection_chooses_as_a_scan(
            p in proptest::collection::vec(prop_oneof![3 => 0.0..1.0_f64, 1 => Just(0.0)], 1..40),
            u in prop_oneof![8 => 0.0..1.0_f64, 1 => Just(0.0), 1 => Just(1.0), 1 => Just(f64::NAN)],
        ) {
            let total: f64 = p.iter().sum::<f64>().max(1e-9);
            let mut acc = 0.0;
            let mut cumulative: Vec<f64> = p.iter().map(|x| { acc += x / total; acc }).collect();
            *cumulative.last_mut().unwrap() = 1.0;
            let last = cumulative.len() - 1;
            let scan = cumulative.iter().position(|&c| u < c).unwrap_or(last);
            prop_assert_eq!(choose_option(&cumulative, u), scan);
        }
    }
}
