//! Uncertainty and sensitivity analysis, in parallel and reproducible.
//!
//! An analysis varies the assumptions of an index (alternative methods or
//! parameters of any pipeline step, skipping a step, weight noise per level,
//! exclusion of indicators or pillars) and measures how ranks and scores move:
//!
//! - [`uncertainty_analysis`]: Monte Carlo runs; per unit the nominal rank, mean,
//!   median, 5th and 95th percentiles of rank and score, the share of runs within
//!   `k` ranks of the nominal, and optionally the full rank distribution.
//! - [`sensitivity_analysis`]: Saltelli design (Sobol or plain Monte Carlo
//!   sampling), first-order and total Sobol indices of the mean absolute rank shift
//!   (and of each unit's rank), bootstrap intervals, convergence report.
//!
//! Inputs are validated against the pipeline before any run (an input that
//! perturbs a step the pipeline does not have is an error naming it; COINr silently
//! does nothing, its issue #60). Every alternative is resolved once; each run then
//! re-runs the pipeline only from the earliest perturbed step, reusing the
//! upstream data sets and its own buffers. Runs draw from their own ChaCha8 stream,
//! so results are bit-identical serially and on any number of threads (feature
//! `rayon`). Failed runs are counted with their reason, never turned into missing
//! values.
//!
//! ```
//! use composite_index::prelude::*;
//! use composite_index::uncertainty::{Execution, StepRef, UncertainInput, UncertaintySpec, uncertainty_analysis};
//!
//! # fn main() -> composite_index::Result<()> {
//! let data = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![("x".into(), vec![1.0, 2.0, 3.0]), ("y".into(), vec![3.0, 1.0, 2.0])],
//! )?;
//! let fw = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("x", Some("Index")),
//!     NodeSpec::new("y", Some("Index")),
//! ]);
//! let steps = vec![
//!     Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 1.0, hi: 100.0 })),
//!     Step::Aggregate(AggregateSpec::default()),
//! ];
//! let pipeline = Pipeline::new(IndexSpec::new(fw, steps), data)?;
//! let ua = UncertaintySpec::new(vec![
//!     UncertainInput::WeightNoise { label: None, level: 1, factor: 0.25, noise: Default::default(), replicates: None },
//!     UncertainInput::Alternatives {
//!         label: Some("aggregation".into()),
//!         step: StepRef::Stage("aggregate".into()),
//!         alternatives: vec![
//!             Step::Aggregate(AggregateSpec::default()),
//!             Step::Aggregate(AggregateSpec::new(AggregateMethod::GeometricMean {})),
//!         ],
//!         skip: false,
//!         probabilities: vec![],
//!     },
//! ])
//! .runs(200)
//! .seed(42);
//! let results = uncertainty_analysis(&pipeline, &ua, Execution::Parallel, None)?;
//! let index = results.node("Index").unwrap();
//! assert_eq!(index.units.len(), 3);
//! assert!(results.failed.is_empty());
//! # Ok(())
//! # }
//! ```

mod analysis;
mod engine;
mod sensitivity;
mod spec;

pub use analysis::{NodeUncertainty, UncertaintyResults, UnitSummary, uncertainty_analysis};
pub use engine::{Execution, FailedRun, MonteCarloRunner, Progress, ProgressFn};
pub use sensitivity::{
    ConvergenceStep, Design, Sampling, SensitivityResults, SensitivitySpec, SobolIndex,
    SobolResult, saltelli_design, sensitivity_analysis, sobol_from_outputs, sobol_indices_of,
};
pub use spec::{Noise, StepRef, UncertainInput, UncertaintySpec};
