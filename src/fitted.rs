//! Fitted (frozen) pipelines: fit a specification on reference data once, keep
//! every parameter it learned, and score new data with them without refitting.
//!
//! The crate follows linfa's shape: an [`IndexSpec`] (what the user writes)
//! becomes a [`Pipeline`] (validated against data), and
//! [`Pipeline::fit`] returns a [`FittedPipeline`] that remembers what it learned:
//!
//! | step | what is fitted |
//! |---|---|
//! | impute | each indicator's mean, median or group values; the EM model |
//! | treat | winsorisation limits (a clamp), whether the log transform ran, and its minimum and maximum |
//! | normalise | each indicator's minimum and maximum, mean and sd, sorted reference values, reference unit value |
//! | aggregate | the weights of every node |
//! | denominate, screen | nothing: they act unit by unit |
//!
//! A plain [`Pipeline::run`] *is* fit-then-apply on its own data: each step fits
//! its parameters on its input and applies them with the same code that
//! [`FittedPipeline::apply`] uses. So a fitted pipeline applied to its reference
//! data gives bit-identical data sets, and because every fitted step and every
//! aggregation method it accepts acts on each unit alone, applying it to the
//! data in chunks of any size gives the same scores as one pass. This is how a
//! province scores itself against last year's published reference, and how data
//! too large for one pass are scored in chunks.
//!
//! Methods that compare units with each other at aggregation (Copeland, custom
//! aggregators) and custom normalisers (which have no fitted form) cannot be
//! frozen: [`Pipeline::fit`] refuses them with an error naming the method.
//!
//! ```
//! use composite_index::prelude::*;
//!
//! # fn main() -> composite_index::Result<()> {
//! let framework = FrameworkSpec::new(vec![
//!     NodeSpec::new("Index", None),
//!     NodeSpec::new("a", Some("Index")),
//!     NodeSpec::new("b", Some("Index")),
//! ]);
//! let spec = IndexSpec::new(
//!     framework,
//!     vec![
//!         Step::Normalise(NormaliseSpec::new(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 })),
//!         Step::Aggregate(AggregateSpec::new(AggregateMethod::ArithmeticMean {})),
//!     ],
//! );
//! let reference = Dataset::from_columns(
//!     vec!["A".into(), "B".into(), "C".into()],
//!     vec![("a".into(), vec![0.0, 5.0, 10.0]), ("b".into(), vec![2.0, 4.0, 6.0])],
//! )?;
//! let fitted = Pipeline::new(spec, reference)?.fit()?;
//! // A new unit, scored against the reference's minima and maxima.
//! let new = Dataset::from_columns(
//!     vec!["D".into()],
//!     vec![("a".into(), vec![5.0]), ("b".into(), vec![6.0])],
//! )?;
//! let results = fitted.apply(new)?;
//! assert_eq!(results.scores("Index").unwrap(), &[75.0]);
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use crate::data::Dataset;
use crate::error::{Error, Result};
use crate::normalise::FittedNormaliser;
use crate::pipeline::Pipeline;
use crate::prepare::{FittedImpute, FittedTreatment};
use crate::results::Results;
use crate::spec::{IndexSpec, Step};

/// What one pipeline step learned from the data it was fitted on (serde:
/// internally tagged by `stage`). Column entries follow the framework's
/// indicator order.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "stage", rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum FittedStep {
    /// Denomination learns nothing.
    Denominate {},
    /// Imputation values per indicator and the EM model.
    Impute(FittedImpute),
    /// Screening learns nothing (each unit is judged on its own data).
    Screen {},
    /// Winsorisation limits and transforms, one per indicator.
    Treat {
        /// One entry per indicator.
        columns: Vec<FittedTreatment>,
    },
    /// Normalisation parameters, one per indicator (`None` for a custom method,
    /// which has no fitted form).
    Normalise {
        /// One entry per indicator.
        columns: Vec<Option<FittedNormaliser>>,
    },
    /// The weight of every framework node (node order of the framework).
    Aggregate {
        /// One weight per framework node.
        weights: Vec<f64>,
    },
}

impl FittedStep {
    /// The stage name (`"normalise"`, ...).
    pub fn stage(&self) -> &'static str {
        match self {
            Self::Denominate {} => "denominate",
            Self::Impute(_) => "impute",
            Self::Screen {} => "screen",
            Self::Treat { .. } => "treat",
            Self::Normalise { .. } => "normalise",
            Self::Aggregate { .. } => "aggregate",
        }
    }
}

/// A pipeline with every learned parameter frozen; see the [module docs](self).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
pub struct FittedPipeline {
    /// The specification it was fitted with.
    spec: IndexSpec,
    /// One fitted step per step of the specification.
    steps: Vec<FittedStep>,
    /// Codes of the reference units the parameters were fitted on.
    reference_units: Arc<[String]>,
}

impl FittedPipeline {
    /// Builds a fitted pipeline from its parts, checking that there is one fitted
    /// step per step of `spec`, of the same stage, and that every parameter is
    /// valid (this is what reading one from a file does).
    ///
    /// # Errors
    /// [`Error::Pipeline`] for a step count or stage mismatch, a custom
    /// normaliser without fitted form, or Copeland/custom aggregation;
    /// [`Error::InvalidParameter`] for invalid parameters.
    pub fn new(
        spec: IndexSpec,
        steps: Vec<FittedStep>,
        reference_units: Vec<String>,
    ) -> Result<Self> {
        let f = Self {
            spec,
            steps,
            reference_units: reference_units.into(),
        };
        f.validate()?;
        Ok(f)
    }

    pub(crate) fn from_parts(
        spec: IndexSpec,
        steps: Vec<FittedStep>,
        units: Arc<[String]>,
    ) -> Self {
        Self {
            spec,
            steps,
            reference_units: units,
        }
    }

    /// Checks the structure and the parameters.
    ///
    /// # Errors
    /// As [`FittedPipeline::new`].
    pub fn validate(&self) -> Result<()> {
        self.spec.check_version()?;
        if self.steps.len() != self.spec.steps.len() {
            return Err(Error::Pipeline {
                step: self.steps.len().min(self.spec.steps.len()),
                stage: "fitted".into(),
                message: format!(
                    "the specification has {} steps but {} fitted steps are given",
                    self.spec.steps.len(),
                    self.steps.len()
                ),
            });
        }
        for (i, (step, fitted)) in self.spec.steps.iter().zip(&self.steps).enumerate() {
            if step.stage() != fitted.stage() {
                return Err(Error::Pipeline {
                    step: i,
                    stage: step.stage().into(),
                    message: format!("the fitted step is a {} step", fitted.stage()),
                });
            }
            freezable(i, step, fitted)?;
            match fitted {
                FittedStep::Treat { columns } => {
                    for c in columns {
                        c.validate(&format!("step {i}"))?;
                    }
                }
                FittedStep::Normalise { columns } => {
                    for c in columns.iter().flatten() {
                        c.validate(&format!("step {i}"))?;
                    }
                }
                FittedStep::Aggregate { weights } => {
                    if let Some(w) = weights.iter().find(|w| !w.is_finite() || **w < 0.0) {
                        return Err(Error::invalid(
                            "aggregate",
                            "weights",
                            None,
                            format!("step {i}: weight {w} is negative or not finite"),
                        ));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The specification.
    pub fn spec(&self) -> &IndexSpec {
        &self.spec
    }

    /// The fitted steps, one per step of the specification.
    pub fn steps(&self) -> &[FittedStep] {
        &self.steps
    }

    /// Codes of the reference units.
    pub fn reference_units(&self) -> &[String] {
        &self.reference_units
    }

    /// Validates the specification against `data` and applies the frozen
    /// parameters to it: every step runs with the reference's parameters, so each
    /// unit's scores do not depend on which other units are in `data`. Screening
    /// force lists naming units absent from `data` are ignored.
    ///
    /// # Errors
    /// The validation errors of [`Pipeline::new`] (indicators missing from
    /// `data`...); [`Error::Pipeline`] when the fitted parameters do not match the
    /// framework; [`Error::Domain`] for a value outside the domain of a fitted
    /// transform (naming unit and indicator); the aggregation errors of a run.
    pub fn apply(&self, data: impl Into<Arc<Dataset>>) -> Result<Results> {
        self.pipeline_for(data.into())?.run_fitted(&self.steps)
    }

    /// As [`FittedPipeline::apply`], keeping only the final data set (see
    /// [`Pipeline::run_final_only`]); for very large data.
    ///
    /// # Errors
    /// As [`FittedPipeline::apply`].
    pub fn apply_final_only(&self, data: impl Into<Arc<Dataset>>) -> Result<Results> {
        self.pipeline_for(data.into())?
            .run_fitted_final_only(&self.steps)
    }

    /// The pipeline of the specification on `data`, with screening force lists
    /// restricted to the units present.
    pub(crate) fn pipeline_for(&self, data: Arc<Dataset>) -> Result<Pipeline> {
        let mut spec = self.spec.clone();
        for step in &mut spec.steps {
            if let Step::Screen(s) = step {
                s.force_include.retain(|u| data.unit_index(u).is_some());
                s.force_exclude.retain(|u| data.unit_index(u).is_some());
            }
        }
        Pipeline::new(spec, data)
    }

    /// Writes the fitted pipeline as pretty JSON (numbers round-trip exactly).
    ///
    /// # Errors
    /// [`Error::SpecParse`] if serialisation fails.
    #[cfg(feature = "serde")]
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::SpecParse {
            message: e.to_string(),
        })
    }

    /// Reads a fitted pipeline from JSON and validates it.
    ///
    /// # Errors
    /// [`Error::SpecParse`] for malformed JSON or unknown keys; the errors of
    /// [`FittedPipeline::validate`].
    #[cfg(feature = "serde")]
    pub fn from_json(text: &str) -> Result<Self> {
        let f: Self = serde_json::from_str(text).map_err(|e| Error::SpecParse {
            message: format!("fitted pipeline: {e}"),
        })?;
        f.validate()?;
        Ok(f)
    }
}

/// An error unless step `i` can be applied frozen.
pub(crate) fn freezable(i: usize, step: &Step, fitted: &FittedStep) -> Result<()> {
    use crate::aggregate::AggregateMethod;
    if let (Step::Normalise(_), FittedStep::Normalise { columns }) = (step, fitted)
        && columns.iter().any(Option::is_none)
    {
        return Err(Error::Pipeline {
            step: i,
            stage: "normalise".into(),
            message: "a custom normaliser has no fitted form: it cannot be frozen or fitted on other data".into(),
        });
    }
    if let Step::Aggregate(a) = step {
        let row_wise = |m: &AggregateMethod| {
            matches!(
                m,
                AggregateMethod::ArithmeticMean {}
                    | AggregateMethod::GeometricMean {}
                    | AggregateMethod::HarmonicMean {}
                    | AggregateMethod::GeneralisedMean { .. }
                    | AggregateMethod::MazziottaPareto { .. }
                    | AggregateMethod::Owa { .. }
                    | AggregateMethod::AdjustedMazziottaPareto {
                        reference: Some(_),
                        min: Some(_),
                        max: Some(_),
                        ..
                    }
            )
        };
        let all = std::iter::once(&a.default)
            .chain(a.by_level.values())
            .chain(a.by_node.values());
        if let Some(m) = all.into_iter().find(|m| !row_wise(m)) {
            return Err(Error::Pipeline {
                step: i,
                stage: "aggregate".into(),
                message: format!(
                    "{} aggregation compares units with each other (or is a custom method): a frozen pipeline scores each unit alone, so it cannot use it",
                    m.name()
                ),
            });
        }
    }
    Ok(())
}
