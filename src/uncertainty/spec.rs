//! What an uncertainty or sensitivity analysis varies: the serde specification.

use crate::spec::Step;

/// Which pipeline step an input perturbs: its 0-based index, or its stage name
/// (`"treat"`, `"normalise"`...), which must then occur exactly once.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(untagged)
)]
pub enum StepRef {
    /// 0-based index in the pipeline's steps.
    Index(usize),
    /// Stage name.
    Stage(String),
}

impl std::fmt::Display for StepRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Index(i) => write!(f, "step {i}"),
            Self::Stage(s) => write!(f, "step {s:?}"),
        }
    }
}

/// Distribution of the multiplicative weight noise `w * (1 + f * e)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum Noise {
    /// `e ~ U(-1, 1)`, as COINr's `noise_weights`: `w * (1 + f * U(-1, 1))`, `0 <= f < 1`.
    Uniform {},
    /// `e` triangular on (-1, 1) with mode 0 (small changes more likely), `0 <= f < 1`.
    Triangular {},
    /// Log-normal: `w * exp(f * Z)`, `Z ~ N(0, 1)`; always positive, any `f >= 0`.
    LogNormal {},
}

impl Default for Noise {
    fn default() -> Self {
        Self::Uniform {}
    }
}

/// One uncertain input of the analysis. Each input is one dimension of the
/// sensitivity analysis: a uniform draw `u` in `[0, 1)` selects one of its options
/// according to the probabilities.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum UncertainInput {
    /// Alternative versions of one step (another method or other parameters),
    /// optionally also skipping the step (e.g. imputation on or off).
    Alternatives {
        /// Label in the outputs (default: derived from the step).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        label: Option<String>,
        /// The step perturbed.
        step: StepRef,
        /// The alternatives, each a step of the same stage.
        alternatives: Vec<Step>,
        /// Also allow skipping the step (its input passes through unchanged), as
        /// the last option.
        #[cfg_attr(feature = "serde", serde(default))]
        skip: bool,
        /// Probability of each option (alternatives, then skip); empty = equal.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        probabilities: Vec<f64>,
    },
    /// The maximum number of winsorised points of a treat step (e.g. 1 to 5).
    Winmax {
        /// Label in the outputs (default `"winmax"`).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        label: Option<String>,
        /// The treat step perturbed.
        step: StepRef,
        /// The values of `winmax`.
        values: Vec<usize>,
        /// Probability of each value; empty = equal.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        probabilities: Vec<f64>,
    },
    /// Multiplicative noise on the weights of every node at one level.
    WeightNoise {
        /// Label in the outputs (default `"weights level L"`).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        label: Option<String>,
        /// Level whose nodes' weights are perturbed (1 = indicators).
        level: u32,
        /// Noise factor `f`.
        factor: f64,
        /// Distribution of the noise.
        #[cfg_attr(feature = "serde", serde(default))]
        noise: Noise,
        /// Number of noisy weight vectors drawn in advance, among which `u` chooses
        /// (COINr's design); default 1,000.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        replicates: Option<usize>,
    },
    /// Exclusion of nodes (indicators, pillars...): each option is a set of node
    /// codes removed from aggregation (weight zero); an empty set keeps everything.
    Exclude {
        /// Label in the outputs (default `"exclusion"`).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        label: Option<String>,
        /// The options.
        options: Vec<Vec<String>>,
        /// Probability of each option; empty = equal.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Vec::is_empty")
        )]
        probabilities: Vec<f64>,
    },
}

#[cfg(feature = "serde")]
fn default_runs() -> usize {
    1000
}

#[cfg(feature = "serde")]
fn default_within() -> u32 {
    3
}

/// An uncertainty analysis: inputs, number of runs, seed, and what to report.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct UncertaintySpec {
    /// Number of Monte Carlo runs (default 1,000).
    #[cfg_attr(feature = "serde", serde(default = "default_runs"))]
    pub runs: usize,
    /// Seed of the random streams (one ChaCha8 stream per run).
    #[cfg_attr(feature = "serde", serde(default))]
    pub seed: u64,
    /// The uncertain inputs.
    #[cfg_attr(feature = "serde", serde(default))]
    pub inputs: Vec<UncertainInput>,
    /// Nodes to report (default: the index).
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub targets: Vec<String>,
    /// Report the share of runs whose rank is within this many ranks of the nominal (default 3).
    #[cfg_attr(feature = "serde", serde(default = "default_within"))]
    pub within: u32,
    /// Keep every run's ranks (the full rank distribution).
    #[cfg_attr(feature = "serde", serde(default))]
    pub keep_distribution: bool,
}

impl UncertaintySpec {
    /// A spec with the given inputs, 1,000 runs, seed 0, the index as target.
    #[must_use]
    pub fn new(inputs: Vec<UncertainInput>) -> Self {
        Self {
            runs: 1000,
            seed: 0,
            inputs,
            targets: Vec::new(),
            within: 3,
            keep_distribution: false,
        }
    }

    /// Sets the number of runs.
    #[must_use]
    pub fn runs(mut self, runs: usize) -> Self {
        self.runs = runs;
        self
    }

    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sets the reported nodes.
    #[must_use]
    pub fn targets(mut self, targets: Vec<String>) -> Self {
        self.targets = targets;
        self
    }

    /// Keeps every run's ranks.
    #[must_use]
    pub fn keep_distribution(mut self, keep: bool) -> Self {
        self.keep_distribution = keep;
        self
    }
}
