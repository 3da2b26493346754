//! Outlier treatment per indicator: skewness/kurtosis check, Winsorisation, then
//! a nonlinear transform (COINr's `Treat()` with its defaults).
//!
//! # Procedure
//!
//! For each indicator, on its non-missing values:
//!
//! 1. **Check** ([`check_skew_kurt`]): with Excel/e1071-type-2 skewness `G` and
//!    excess kurtosis `K` ([`stats::skewness`], [`stats::kurtosis`]), the
//!    indicator *passes* when `|G| < skew_thresh` **or** `K < kurt_thresh`; it
//!    needs treatment only when both limits are exceeded. With fewer than 4
//!    non-missing values, or a constant column, the check is undefined: the
//!    indicator is left untouched and its record has `before = None`.
//! 2. **Winsorisation**, repeated while the indicator fails (or always, when
//!    forced) and fewer than `winmax` points have been winsorised: if the current
//!    skewness is `>= 0`, every value equal to the current maximum is set to the
//!    largest value strictly below it; otherwise every value equal to the minimum
//!    is set to the smallest value strictly above it. Statistics are recomputed
//!    after each step. As in COINr, the count of winsorised points is the number
//!    of distinct units moved, tied extremes all counting (so the count can
//!    overshoot `winmax`). The loop also stops when no step is possible: when
//!    the step would leave the column constant (COINr fails with an error there).
//! 3. **Second stage**, if the indicator still fails: a transform
//!    ([`SecondStage`]) applied to the *original* column (COINr's default) or to
//!    the winsorised one ([`SecondStageOn::Winsorised`], COINr's
//!    `combine_treat = TRUE`). Its result is kept even if it still fails; the
//!    record says so (`passes = Some(false)`). When the second stage runs on the
//!    original column, the winsorisation is discarded from the data, but the
//!    record still lists the points it moved (COINr's `winhi+log_CT`).
//!
//! Transforms, with `m`, `M` the minimum and maximum of the non-missing values of
//! the column they are applied to and `R = M - m`:
//!
//! | transform | formula |
//! |---|---|
//! | [`log_ct`] | `ln(x - m + 0.01 R)` |
//! | [`log_ct_orig`] | `ln(x - m + 1)` |
//! | [`log_ct_plus`] | `log_ct` if skewness > 0, else `-ln(M + 0.01 R - x)` |
//! | [`gii_log`] | `ln((M - 1)(x - m)/R + 1)` |
//! | [`box_cox`] | optional shift `x - m + 1`, then `(x^l - 1)/l`, or `ln x` for `l = 0` |
//!
//! Missing values stay missing throughout. Differences from COINr 1.1.14, by
//! design: `gii_log` refuses a maximum below (or equal to) 1 instead of returning
//! its input unchanged (COINr's `log_GII` bug); a forced winsorisation
//! ([`IndicatorTreatment::ForceWinsorise`]) also applies to indicators that pass
//! the initial check (COINr's `force_win` only acts on failing ones, since
//! `Treat()` skips passing indicators).
//!
//! References: OECD/JRC (2008), *Handbook on Constructing Composite Indicators:
//! Methodology and User Guide* (outliers and transformations); Joanes and Gill
//! (1998), *Comparing measures of sample skewness and kurtosis*, The
//! Statistician 47(1) (the estimators); Box and Cox (1964), *An analysis of
//! transformations*, JRSS B 26(2); COINr 1.1.14 `Treat()`, `winsorise()`,
//! `check_SkewKurt()`, `log_CT()` (the procedure and its defaults, which are the
//! JRC's rule of thumb: treat when skewness > 2 and kurtosis > 3.5).

use std::collections::BTreeMap;

use nalgebra::DMatrix;

use crate::data::map_columns_mut;
use crate::error::{Error, Result};
use crate::stats;

/// Skewness and excess kurtosis of a column and whether it passes the check.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SkewKurt {
    /// Sample skewness `G` (Excel `SKEW`).
    pub skew: f64,
    /// Sample excess kurtosis `K` (Excel `KURT`).
    pub kurt: f64,
    /// `|skew| < skew_thresh || kurt < kurt_thresh`.
    pub pass: bool,
}

/// Checks skewness and kurtosis: the column passes when
/// `|G| < skew_thresh` **or** `K < kurt_thresh` (it fails only when both limits
/// are exceeded).
///
/// `G` and `K` are [`stats::skewness`] and [`stats::kurtosis`] (Excel `SKEW` and
/// `KURT`, e1071 type 2) over the non-missing values. Returns `None` when they
/// are undefined: fewer than 4 non-missing values, a constant column, or
/// non-finite values.
pub fn check_skew_kurt(x: &[f64], skew_thresh: f64, kurt_thresh: f64) -> Option<SkewKurt> {
    check_skew_kurt_from(x, skew_thresh, kurt_thresh, stats::summary(x))
}

/// [`check_skew_kurt`] with the first pass over `x` ([`stats::summary`]) already made.
fn check_skew_kurt_from(
    x: &[f64],
    skew_thresh: f64,
    kurt_thresh: f64,
    sum: stats::Summary,
) -> Option<SkewKurt> {
    let (skew, kurt) = stats::skewness_kurtosis_from(x, sum);
    let (skew, kurt) = (skew?, kurt?);
    if !(skew.is_finite() && kurt.is_finite()) {
        return None;
    }
    Some(SkewKurt {
        skew,
        kurt,
        pass: skew.abs() < skew_thresh || kurt < kurt_thresh,
    })
}

/// Second-stage transform (closed set; serde tag `method`).
///
/// ```toml
/// method = "box_cox"
/// lambda = 0.5
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        remote = "Self",
        tag = "method",
        rename_all = "snake_case",
        deny_unknown_fields
    )
)]
#[non_exhaustive]
pub enum SecondStage {
    /// [`log_ct`]: `ln(x - m + 0.01 R)` (COINr's default `log_CT`).
    LogCt {},
    /// [`log_ct_orig`]: `ln(x - m + 1)` (COINr's `log_CT_orig`).
    LogCtOrig {},
    /// [`log_ct_plus`]: `log_ct`, mirrored for negative skew.
    LogCtPlus {},
    /// [`gii_log`]: `ln((M - 1)(x - m)/R + 1)` (the GII's log; needs `M > 1`).
    ///
    /// `gii_log` is undefined on a column whose maximum `M` is not above 1 (it
    /// would reverse or collapse the order of units). With a `fallback`, that
    /// transform is applied to such a column instead, and the treatment log says
    /// so ([`TreatmentRecord::fallback_for`]); without one, the step fails with
    /// [`Error::DegenerateColumn`] naming the indicator.
    ///
    /// ```toml
    /// second_stage = { method = "gii_log", fallback = "log_ct" }
    /// ```
    GiiLog {
        /// Transform for columns whose maximum is not above 1 (not `gii_log`).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        fallback: Option<Box<SecondStage>>,
    },
    /// [`box_cox`] with a fixed `lambda`.
    BoxCox {
        /// The Box-Cox exponent `l`.
        lambda: f64,
        /// Shift to `x - m + 1` first (default `true`, COINr's `makepos`).
        #[cfg_attr(feature = "serde", serde(default = "default_true"))]
        shift: bool,
    },
    /// No second stage: a column still failing after winsorisation is kept as is.
    None {},
}

#[cfg(feature = "serde")]
crate::shorthand::string_or_table!(SecondStage, "method");

#[cfg_attr(not(feature = "serde"), allow(dead_code))]
fn default_true() -> bool {
    true
}

impl Default for SecondStage {
    /// [`SecondStage::LogCt`], COINr's default.
    fn default() -> Self {
        Self::LogCt {}
    }
}

impl SecondStage {
    /// The transform's name as written in a specification (`"log_ct"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Self::LogCt {} => "log_ct",
            Self::LogCtOrig {} => "log_ct_orig",
            Self::LogCtPlus {} => "log_ct_plus",
            Self::GiiLog { .. } => "gii_log",
            Self::BoxCox { .. } => "box_cox",
            Self::None {} => "none",
        }
    }

    /// `gii_log` without a fallback.
    #[must_use]
    pub fn gii_log() -> Self {
        Self::GiiLog { fallback: None }
    }

    /// The transform that [`apply`](Self::apply) uses on `x`: the fallback of
    /// `gii_log` when the maximum of `x` (non-missing values) is not above 1,
    /// otherwise `self`.
    pub fn resolve(&self, x: &[f64]) -> &Self {
        match self {
            Self::GiiLog {
                fallback: Some(f), ..
            } if stats::min_max(x).is_some_and(|(_, hi)| hi <= 1.0) => f,
            _ => self,
        }
    }

    /// Applies the transform to `x` in place (`None {}` does nothing); `gii_log`
    /// gives way to its fallback where it is undefined (see [`resolve`](Self::resolve)).
    ///
    /// `indicator` and `unit_codes` (one per element of `x`) name the column and
    /// units in errors.
    ///
    /// # Errors
    /// As the individual transforms: [`log_ct`], [`log_ct_plus`], [`gii_log`],
    /// [`box_cox`]. On error `x` is unchanged. This is [`SecondStage::fit`]
    /// followed by [`FittedTransform::apply`].
    pub fn apply(&self, x: &mut [f64], indicator: &str, unit_codes: &[String]) -> Result<()> {
        let stage = self.resolve(x);
        match stage.fit(x, indicator)? {
            Some(f) => f.apply(x, indicator, unit_codes),
            None => Ok(()),
        }
    }

    fn validate(&self, target: Option<&str>) -> Result<()> {
        match self {
            Self::BoxCox { lambda, .. } if !lambda.is_finite() => Err(Error::invalid(
                "box_cox",
                "lambda",
                target,
                format!("lambda must be finite, got {lambda}"),
            )),
            Self::GiiLog {
                fallback: Some(f), ..
            } => {
                if matches!(**f, Self::GiiLog { .. }) {
                    return Err(Error::invalid(
                        "gii_log",
                        "fallback",
                        target,
                        "the fallback of gii_log cannot be gii_log (it is undefined on the same columns); use log_ct, for instance",
                    ));
                }
                f.validate(target)
            }
            _ => Ok(()),
        }
    }
}

/// Which column the second stage transforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum SecondStageOn {
    /// The original, untreated column (COINr's default).
    #[default]
    Original,
    /// The winsorised column (COINr's `combine_treat = TRUE`).
    Winsorised,
}

/// The effective treatment parameters of one indicator.
///
/// Defaults are COINr's: `winmax = 5`, `skew_thresh = 2`, `kurt_thresh = 3.5`,
/// second stage [`log_ct`] on the original column, no forcing.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct TreatParams {
    /// Maximum number of winsorised points (the count may overshoot with ties).
    pub winmax: usize,
    /// Threshold on absolute skewness.
    pub skew_thresh: f64,
    /// Threshold on excess kurtosis.
    pub kurt_thresh: f64,
    /// Transform applied when winsorisation is not enough.
    pub second_stage: SecondStage,
    /// Column the second stage applies to.
    pub second_stage_on: SecondStageOn,
    /// Winsorise up to `winmax` points whatever the check says.
    pub force_winsorise: bool,
}

impl Default for TreatParams {
    fn default() -> Self {
        Self {
            winmax: 5,
            skew_thresh: 2.0,
            kurt_thresh: 3.5,
            second_stage: SecondStage::LogCt {},
            second_stage_on: SecondStageOn::Original,
            force_winsorise: false,
        }
    }
}

impl TreatParams {
    /// Checks the parameters; `target` (the indicator) is named in errors.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a negative or non-finite `skew_thresh`, a
    /// non-finite `kurt_thresh`, or a non-finite Box-Cox `lambda`.
    pub fn validate(&self, target: Option<&str>) -> Result<()> {
        if !(self.skew_thresh.is_finite() && self.skew_thresh >= 0.0) {
            return Err(Error::invalid(
                "treat",
                "skew_thresh",
                target,
                format!(
                    "must be a finite non-negative number, got {}",
                    self.skew_thresh
                ),
            ));
        }
        if !self.kurt_thresh.is_finite() {
            return Err(Error::invalid(
                "treat",
                "kurt_thresh",
                target,
                format!("must be finite, got {}", self.kurt_thresh),
            ));
        }
        self.second_stage.validate(target)
    }
}

/// Per-indicator treatment override (closed set; serde tag `treatment`).
///
/// ```toml
/// [overrides.Flights]
/// treatment = "custom"
/// winmax = 10
/// second_stage = { method = "box_cox", lambda = 0.5 }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        remote = "Self",
        tag = "treatment",
        rename_all = "snake_case",
        deny_unknown_fields
    )
)]
#[non_exhaustive]
pub enum IndicatorTreatment {
    /// Leave the indicator untouched (COINr's `indiv_specs = list(x = "none")`).
    None {},
    /// Winsorise up to `winmax` points whatever the check says (then the second
    /// stage if the result fails).
    ForceWinsorise {
        /// Maximum number of winsorised points; default: the specification's `winmax`.
        #[cfg_attr(feature = "serde", serde(default))]
        winmax: Option<usize>,
    },
    /// Own parameters; each absent field falls back to the specification's value.
    Custom {
        /// Maximum number of winsorised points.
        #[cfg_attr(feature = "serde", serde(default))]
        winmax: Option<usize>,
        /// Threshold on absolute skewness.
        #[cfg_attr(feature = "serde", serde(default))]
        skew_thresh: Option<f64>,
        /// Threshold on excess kurtosis.
        #[cfg_attr(feature = "serde", serde(default))]
        kurt_thresh: Option<f64>,
        /// Second-stage transform.
        #[cfg_attr(feature = "serde", serde(default))]
        second_stage: Option<SecondStage>,
        /// Column the second stage applies to.
        #[cfg_attr(feature = "serde", serde(default))]
        second_stage_on: Option<SecondStageOn>,
    },
}

#[cfg(feature = "serde")]
crate::shorthand::string_or_table!(IndicatorTreatment, "treatment");

/// Parameters of the treatment stage: defaults for all indicators plus overrides.
///
/// All fields have COINr's defaults, so an empty specification (`{}`) is COINr's
/// default treatment.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default, deny_unknown_fields)
)]
#[non_exhaustive]
pub struct TreatSpec {
    /// Maximum number of winsorised points (default 5).
    pub winmax: usize,
    /// Threshold on absolute skewness (default 2; the GII uses 2.25).
    pub skew_thresh: f64,
    /// Threshold on excess kurtosis (default 3.5).
    pub kurt_thresh: f64,
    /// Second-stage transform (default [`SecondStage::LogCt`]).
    pub second_stage: SecondStage,
    /// Column the second stage applies to (default the original).
    pub second_stage_on: SecondStageOn,
    /// Indicator code -> override.
    pub overrides: BTreeMap<String, IndicatorTreatment>,
}

impl Default for TreatSpec {
    fn default() -> Self {
        let p = TreatParams::default();
        Self {
            winmax: p.winmax,
            skew_thresh: p.skew_thresh,
            kurt_thresh: p.kurt_thresh,
            second_stage: p.second_stage,
            second_stage_on: p.second_stage_on,
            overrides: BTreeMap::new(),
        }
    }
}

impl TreatSpec {
    /// Adds a per-indicator override.
    #[must_use]
    pub fn with_override(
        mut self,
        indicator: impl Into<String>,
        treatment: IndicatorTreatment,
    ) -> Self {
        self.overrides.insert(indicator.into(), treatment);
        self
    }

    /// The parameters for indicators without an override.
    pub fn defaults(&self) -> TreatParams {
        TreatParams {
            winmax: self.winmax,
            skew_thresh: self.skew_thresh,
            kurt_thresh: self.kurt_thresh,
            second_stage: self.second_stage.clone(),
            second_stage_on: self.second_stage_on,
            force_winsorise: false,
        }
    }

    /// The effective parameters for `indicator`, `None` when its override says
    /// to leave it untouched.
    pub fn params_for(&self, indicator: &str) -> Option<TreatParams> {
        let mut p = self.defaults();
        match self.overrides.get(indicator) {
            None => {}
            Some(IndicatorTreatment::None {}) => return None,
            Some(IndicatorTreatment::ForceWinsorise { winmax }) => {
                p.force_winsorise = true;
                p.winmax = winmax.unwrap_or(p.winmax);
            }
            Some(IndicatorTreatment::Custom {
                winmax,
                skew_thresh,
                kurt_thresh,
                second_stage,
                second_stage_on,
            }) => {
                p.winmax = winmax.unwrap_or(p.winmax);
                p.skew_thresh = skew_thresh.unwrap_or(p.skew_thresh);
                p.kurt_thresh = kurt_thresh.unwrap_or(p.kurt_thresh);
                if let Some(s) = second_stage {
                    p.second_stage = s.clone();
                }
                p.second_stage_on = second_stage_on.unwrap_or(p.second_stage_on);
            }
        }
        Some(p)
    }

    /// How `indicator` is treated (which parameters apply).
    pub fn mode_for(&self, indicator: &str) -> TreatmentMode {
        match self.overrides.get(indicator) {
            None => TreatmentMode::Default,
            Some(IndicatorTreatment::None {}) => TreatmentMode::Skipped,
            Some(IndicatorTreatment::ForceWinsorise { .. }) => TreatmentMode::ForcedWinsorisation,
            Some(IndicatorTreatment::Custom { .. }) => TreatmentMode::Custom,
        }
    }

    /// Checks the default parameters and every override.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] as [`TreatParams::validate`], naming the
    /// indicator for an override.
    pub fn validate(&self) -> Result<()> {
        self.defaults().validate(None)?;
        for code in self.overrides.keys() {
            if let Some(p) = self.params_for(code) {
                p.validate(Some(code))?;
            }
        }
        Ok(())
    }
}

/// End of the distribution a winsorised point was moved from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Side {
    /// A high value pulled down (COINr's `winhi`).
    High,
    /// A low value pulled up (COINr's `winlo`).
    Low,
}

/// A unit whose value was changed by winsorisation.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WinsorisedPoint {
    /// Row of the unit.
    pub row: usize,
    /// Unit code.
    pub unit: String,
    /// Which end it was moved from.
    pub side: Side,
    /// Its value before winsorisation.
    pub original: f64,
    /// Its value after winsorisation.
    pub winsorised: f64,
}

/// Which parameters were used for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum TreatmentMode {
    /// The specification's defaults.
    Default,
    /// A [`IndicatorTreatment::Custom`] override.
    Custom,
    /// A [`IndicatorTreatment::ForceWinsorise`] override.
    ForcedWinsorisation,
    /// Left untouched by a [`IndicatorTreatment::None`] override.
    Skipped,
}

/// The treatment log of one indicator.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TreatmentRecord {
    /// Indicator code.
    pub indicator: String,
    /// Which parameters applied.
    pub mode: TreatmentMode,
    /// The parameters used (`None` when skipped).
    pub params: Option<TreatParams>,
    /// Check of the original column; `None` when undefined (fewer than 4 values or
    /// constant), in which case the column is left untouched.
    pub before: Option<SkewKurt>,
    /// Units moved by winsorisation, in row order.
    pub winsorised: Vec<WinsorisedPoint>,
    /// COINr's `nwin`: number of distinct units moved (equals `winsorised.len()`).
    pub n_winsorised: usize,
    /// Check after winsorisation (`None` when winsorisation did not run).
    pub after_winsorisation: Option<SkewKurt>,
    /// Name of the second-stage transform, when it ran.
    pub second_stage: Option<String>,
    /// When `second_stage` ran as the fallback of the transform the parameters
    /// name (`gii_log` on a column whose maximum is not above 1): that transform.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub fallback_for: Option<String>,
    /// Check after the second stage (`None` when it did not run).
    pub after_second_stage: Option<SkewKurt>,
    /// Whether the final column passes; `None` when the check is undefined.
    pub passes: Option<bool>,
}

impl TreatmentRecord {
    fn new(indicator: &str, mode: TreatmentMode, params: Option<TreatParams>) -> Self {
        Self {
            indicator: indicator.to_owned(),
            mode,
            params,
            before: None,
            winsorised: Vec::new(),
            n_winsorised: 0,
            after_winsorisation: None,
            second_stage: None,
            fallback_for: None,
            after_second_stage: None,
            passes: None,
        }
    }

    /// Whether the column was changed.
    pub fn changed(&self) -> bool {
        self.n_winsorised > 0 || self.second_stage.is_some()
    }
}

/// Treats one indicator column in place; see the [module docs](self) for the procedure.
///
/// `indicator` names the column and `unit_codes` its units (one per element of
/// `x`), for the record and for errors. This is [`fit_treatment`] followed by
/// [`FittedTreatment::apply`] on the same column.
///
/// # Errors
/// - [`Error::InvalidParameter`] from [`TreatParams::validate`];
/// - [`Error::DimensionMismatch`] when `unit_codes` and `x` differ in length;
/// - the second stage's errors: [`Error::DegenerateColumn`] from [`gii_log`]
///   (maximum not above 1), [`Error::Domain`] from [`box_cox`] without shift
///   (non-positive value, naming the unit).
///
/// On error `x` is unchanged.
pub fn treat_column(
    x: &mut [f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
) -> Result<TreatmentRecord> {
    let mode = if params.force_winsorise {
        TreatmentMode::ForcedWinsorisation
    } else {
        TreatmentMode::Default
    };
    let mut rec = TreatmentRecord::new(indicator, mode, Some(params.clone()));
    treat_into(x, params, indicator, unit_codes, &mut rec)?;
    Ok(rec)
}

/// Fit then apply, completing the fit's record with the check after the second stage.
fn treat_into(
    x: &mut [f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
    rec: &mut TreatmentRecord,
) -> Result<FittedTreatment> {
    let fitted = fit_into(x, params, indicator, unit_codes, rec)?;
    fitted.apply(x, indicator, unit_codes)?;
    if fitted.transform.is_some() {
        rec.after_second_stage = check_skew_kurt(x, params.skew_thresh, params.kurt_thresh);
        rec.passes = rec.after_second_stage.map(|s| s.pass);
    }
    Ok(fitted)
}

/// What outlier treatment learned from a reference column, to apply to it or to
/// new data without refitting (serde: a table).
///
/// Winsorisation moves the values beyond the final extremes onto them, so on the
/// reference column it is exactly a clamp to `[floor, ceiling]` (each side present
/// only when that side was winsorised); the second stage is a transform with the
/// minimum and maximum of the column it was fitted on. Applied to new data, values
/// beyond the reference's winsorisation limits are clamped to them and the
/// transform keeps the reference's parameters.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(deny_unknown_fields)
)]
#[non_exhaustive]
pub struct FittedTreatment {
    /// Lower winsorisation limit: smaller values are raised to it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub floor: Option<f64>,
    /// Upper winsorisation limit: larger values are lowered to it.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub ceiling: Option<f64>,
    /// The second-stage transform, applied after the clamp.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub transform: Option<FittedTransform>,
}

impl FittedTreatment {
    /// Whether the treatment leaves every column unchanged.
    pub fn is_identity(&self) -> bool {
        self.floor.is_none() && self.ceiling.is_none() && self.transform.is_none()
    }

    /// `v` raised to the floor and lowered to the ceiling; missing stays missing,
    /// and a value equal to a limit is left as it is (as winsorisation leaves it).
    fn clamp(&self, mut v: f64) -> f64 {
        if let Some(f) = self.floor
            && v < f
        {
            v = f;
        }
        if let Some(c) = self.ceiling
            && v > c
        {
            v = c;
        }
        v
    }

    /// Applies the treatment to `x` in place: clamp to the winsorisation limits,
    /// then the transform. Missing values stay missing.
    ///
    /// # Errors
    /// [`Error::Domain`] naming the unit when the transform is undefined for a
    /// value (a value far below the reference minimum under a log, a
    /// non-positive value under Box-Cox without shift). On error `x` is unchanged.
    pub fn apply(&self, x: &mut [f64], indicator: &str, unit_codes: &[String]) -> Result<()> {
        if let Some(t) = &self.transform {
            for (i, &v) in x.iter().enumerate() {
                if !v.is_nan() {
                    t.check(self.clamp(v), i, indicator, unit_codes)?;
                }
            }
        }
        // Comparisons with NaN are false: missing values stay missing.
        match (self.floor, self.ceiling) {
            (None, None) => {}
            (Some(f), None) => x.iter_mut().filter(|v| **v < f).for_each(|v| *v = f),
            (None, Some(c)) => x.iter_mut().filter(|v| **v > c).for_each(|v| *v = c),
            (Some(f), Some(c)) => {
                for v in x.iter_mut() {
                    if *v < f {
                        *v = f;
                    } else if *v > c {
                        *v = c;
                    }
                }
            }
        }
        if let Some(t) = &self.transform {
            t.write(x);
        }
        Ok(())
    }

    /// Checks parameters read from a file.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for non-finite limits, a floor above the
    /// ceiling, or bad transform parameters.
    pub fn validate(&self, indicator: &str) -> Result<()> {
        for (p, v) in [("floor", self.floor), ("ceiling", self.ceiling)] {
            if let Some(v) = v
                && !v.is_finite()
            {
                return Err(Error::invalid(
                    "treatment",
                    p,
                    Some(indicator),
                    format!("{v} is not finite"),
                ));
            }
        }
        if let (Some(f), Some(c)) = (self.floor, self.ceiling)
            && f > c
        {
            return Err(Error::invalid(
                "treatment",
                "floor",
                Some(indicator),
                format!("floor {f} is above ceiling {c}"),
            ));
        }
        self.transform
            .as_ref()
            .map_or(Ok(()), |t| t.validate(indicator))
    }
}

/// A second-stage transform with the parameters it took from its reference
/// column (serde: internally tagged by `method`). `min` and `max` are that
/// column's minimum and maximum (`R = max - min`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum FittedTransform {
    /// `ln(x - min + 0.01 R)` ([`log_ct`]).
    LogCt {
        /// Reference minimum.
        min: f64,
        /// Reference maximum.
        max: f64,
    },
    /// `ln(x - min + 1)` ([`log_ct_orig`]).
    LogCtOrig {
        /// Reference minimum.
        min: f64,
    },
    /// [`log_ct_plus`]: `ln(x - min + 0.01 R)`, or `-ln(max + 0.01 R - x)` when
    /// the reference skew was not positive (`mirror`).
    LogCtPlus {
        /// Reference minimum.
        min: f64,
        /// Reference maximum.
        max: f64,
        /// The mirrored branch (negative reference skew).
        mirror: bool,
    },
    /// `ln((max - 1)(x - min)/R + 1)` ([`gii_log`]).
    GiiLog {
        /// Reference minimum.
        min: f64,
        /// Reference maximum (`> 1`).
        max: f64,
    },
    /// Box-Cox ([`box_cox`]), shifting by the reference minimum when `shift`.
    BoxCox {
        /// The exponent.
        lambda: f64,
        /// Shift to `x - min + 1` first.
        shift: bool,
        /// Reference minimum.
        min: f64,
    },
}

impl FittedTransform {
    /// Name of the transform, as in specifications.
    pub fn name(&self) -> &'static str {
        match self {
            Self::LogCt { .. } => "log_ct",
            Self::LogCtOrig { .. } => "log_ct_orig",
            Self::LogCtPlus { .. } => "log_ct_plus",
            Self::GiiLog { .. } => "gii_log",
            Self::BoxCox { .. } => "box_cox",
        }
    }

    /// The transformed value (NaN or infinite outside the domain).
    fn value(&self, v: f64) -> f64 {
        match *self {
            Self::LogCt { min, max }
            | Self::LogCtPlus {
                min,
                max,
                mirror: false,
            } => ((v - min) + 0.01 * (max - min)).ln(),
            Self::LogCtPlus {
                min,
                max,
                mirror: true,
            } => -((max - v) + 0.01 * (max - min)).ln(),
            Self::LogCtOrig { min } => ((v - min) + 1.0).ln(),
            Self::GiiLog { min, max } => ((max - 1.0) * (v - min) / (max - min) + 1.0).ln(),
            Self::BoxCox { lambda, shift, min } => {
                let y = if shift { v - min + 1.0 } else { v };
                if lambda == 0.0 {
                    y.ln()
                } else {
                    (y.powf(lambda) - 1.0) / lambda
                }
            }
        }
    }

    /// Whether the transform of `v` is defined and finite (for the logs: whether
    /// the argument of the logarithm is positive, without computing it).
    fn defined(&self, v: f64) -> bool {
        match *self {
            Self::LogCt { min, max }
            | Self::LogCtPlus {
                min,
                max,
                mirror: false,
            } => (v - min) + 0.01 * (max - min) > 0.0,
            Self::LogCtPlus {
                min,
                max,
                mirror: true,
            } => (max - v) + 0.01 * (max - min) > 0.0,
            Self::LogCtOrig { min } => (v - min) + 1.0 > 0.0,
            Self::GiiLog { min, max } => (max - 1.0) * (v - min) / (max - min) + 1.0 > 0.0,
            Self::BoxCox { .. } => self.value(v).is_finite(),
        }
    }

    /// An error unless the transform of `v` (row `i`) is defined.
    fn check(&self, v: f64, i: usize, indicator: &str, unit_codes: &[String]) -> Result<()> {
        let reason = match *self {
            Self::BoxCox { shift: false, .. } if v <= 0.0 => {
                "Box-Cox without shift needs positive values"
            }
            _ if self.defined(v) => return Ok(()),
            Self::BoxCox { .. } => "the transformed value is not finite",
            _ => "the value is outside the domain of the transform fitted on the reference data",
        };
        Err(Error::Domain {
            method: self.name(),
            unit: unit_codes
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("row {i}")),
            node: indicator.to_owned(),
            child: indicator.to_owned(),
            value: v,
            reason: reason.to_owned(),
        })
    }

    /// Writes the transform of every non-missing value (the domain already checked).
    fn write(&self, x: &mut [f64]) {
        for v in x.iter_mut().filter(|v| !v.is_nan()) {
            *v = self.value(*v);
        }
    }

    /// Applies the transform to `x` in place.
    ///
    /// # Errors
    /// [`Error::Domain`] naming the unit for a value outside the transform's
    /// domain. On error `x` is unchanged.
    pub fn apply(&self, x: &mut [f64], indicator: &str, unit_codes: &[String]) -> Result<()> {
        for (i, &v) in x.iter().enumerate() {
            if !v.is_nan() {
                self.check(v, i, indicator, unit_codes)?;
            }
        }
        self.write(x);
        Ok(())
    }

    /// Checks parameters read from a file.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the parameter.
    pub fn validate(&self, indicator: &str) -> Result<()> {
        let m = self.name();
        let (min, max) = match *self {
            Self::LogCt { min, max }
            | Self::LogCtPlus { min, max, .. }
            | Self::GiiLog { min, max } => (min, Some(max)),
            Self::LogCtOrig { min } => (min, None),
            Self::BoxCox { lambda, min, .. } => {
                SecondStage::BoxCox {
                    lambda,
                    shift: true,
                }
                .validate(Some(indicator))?;
                (min, None)
            }
        };
        let bad = |p: &str, msg: String| Err(Error::invalid(m, p, Some(indicator), msg));
        if !min.is_finite() {
            return bad("min", format!("{min} is not finite"));
        }
        if let Some(max) = max {
            if !(max.is_finite() && max > min) {
                return bad(
                    "max",
                    format!("max ({max}) must be finite and exceed min ({min})"),
                );
            }
            if matches!(self, Self::GiiLog { .. }) && max <= 1.0 {
                return bad("max", format!("max ({max}) must exceed 1"));
            }
        }
        Ok(())
    }
}

impl SecondStage {
    /// Fits the transform on a reference column: its minimum and maximum (and,
    /// for `log_ct_plus`, the sign of its skew). `None` for [`SecondStage::None`]
    /// and for a column with no value.
    ///
    /// # Errors
    /// [`Error::DegenerateColumn`] for a zero range (`log_ct`, `log_ct_plus`,
    /// `gii_log`) or a maximum not above 1 (`gii_log`); [`Error::InvalidParameter`]
    /// for a non-finite Box-Cox `lambda`.
    pub fn fit(&self, x: &[f64], indicator: &str) -> Result<Option<FittedTransform>> {
        Ok(match *self {
            Self::LogCt {} => positive_range(x, indicator, "log_ct")?
                .map(|(min, max)| FittedTransform::LogCt { min, max }),
            Self::LogCtOrig {} => {
                stats::min_max(x).map(|(min, _)| FittedTransform::LogCtOrig { min })
            }
            Self::LogCtPlus {} => positive_range(x, indicator, "log_ct_plus")?.map(|(min, max)| {
                FittedTransform::LogCtPlus {
                    min,
                    max,
                    mirror: !stats::skewness(x).is_none_or(|s| s > 0.0),
                }
            }),
            Self::GiiLog { .. } => match positive_range(x, indicator, "gii_log")? {
                None => None,
                Some((_, hi)) if hi <= 1.0 => {
                    return Err(Error::degenerate(
                        indicator,
                        "gii_log",
                        format!(
                            "the maximum {hi} is not above 1: the transform would reverse or collapse the order of units"
                        ),
                    ));
                }
                Some((min, max)) => Some(FittedTransform::GiiLog { min, max }),
            },
            Self::BoxCox { lambda, shift } => {
                SecondStage::BoxCox { lambda, shift }.validate(Some(indicator))?;
                stats::min_max(x).map(|(min, _)| FittedTransform::BoxCox { lambda, shift, min })
            }
            Self::None {} => None,
        })
    }
}

/// Fits the treatment of one column without changing it: the check, the
/// winsorisation (on a copy) and the second stage's parameters, with the record
/// of what a plain treatment does up to the second stage.
fn fit_into(
    x: &[f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
    rec: &mut TreatmentRecord,
) -> Result<FittedTreatment> {
    fit_with(x, params, indicator, unit_codes, Some(rec), &mut Vec::new())
}

/// [`fit_into`] with the record optional (a Monte Carlo run keeps none) and the
/// winsorised copy of the column made in `scratch` (reused from run to run).
fn fit_with(
    x: &[f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
    mut rec: Option<&mut TreatmentRecord>,
    scratch: &mut Vec<f64>,
) -> Result<FittedTreatment> {
    params.validate(Some(indicator))?;
    if unit_codes.len() != x.len() {
        return Err(Error::DimensionMismatch {
            what: format!("unit codes for indicator {indicator:?}"),
            expected: x.len(),
            found: unit_codes.len(),
        });
    }
    let (st, kt) = (params.skew_thresh, params.kurt_thresh);
    let Some(before) = check_skew_kurt(x, st, kt) else {
        return Ok(FittedTreatment::default());
    };
    if let Some(rec) = rec.as_deref_mut() {
        rec.before = Some(before);
        rec.passes = Some(before.pass);
    }
    if before.pass && !params.force_winsorise {
        return Ok(FittedTreatment::default());
    }
    scratch.clear();
    scratch.extend_from_slice(x);
    let winsorised = &mut scratch[..];
    let (n_win, after) = winsorise(winsorised, params, before);
    let mut fitted = FittedTreatment::default();
    for (i, (&o, &w)) in x.iter().zip(winsorised.iter()).enumerate() {
        if !o.is_nan() && o != w {
            let side = if w < o { Side::High } else { Side::Low };
            // The winsorised values sit at the final extremes: the clamp limits.
            match side {
                Side::High => fitted.ceiling = Some(w),
                Side::Low => fitted.floor = Some(w),
            }
            if let Some(rec) = rec.as_deref_mut() {
                rec.winsorised.push(WinsorisedPoint {
                    row: i,
                    unit: unit_codes[i].clone(),
                    side,
                    original: o,
                    winsorised: w,
                });
            }
        }
    }
    if let Some(rec) = rec.as_deref_mut() {
        rec.n_winsorised = n_win;
        rec.after_winsorisation = after;
        rec.passes = after.map(|s| s.pass);
    }
    let failing = after.is_some_and(|s| !s.pass);
    if !failing || matches!(params.second_stage, SecondStage::None {}) {
        return Ok(fitted);
    }
    let on_original = params.second_stage_on == SecondStageOn::Original;
    if on_original {
        // The winsorisation is discarded from the data (still in the record).
        fitted.floor = None;
        fitted.ceiling = None;
    }
    let base: &[f64] = if on_original { x } else { winsorised };
    // gii_log gives way to its fallback where it is undefined (maximum not above 1).
    let stage = params.second_stage.resolve(base);
    fitted.transform = stage.fit(base, indicator)?;
    if fitted.transform.is_some()
        && let Some(rec) = rec
    {
        rec.second_stage = Some(stage.name().to_owned());
        if !std::ptr::eq(stage, &params.second_stage) {
            rec.fallback_for = Some(params.second_stage.name().to_owned());
        }
    }
    Ok(fitted)
}

/// Treats one column in place as [`treat_column`] does, keeping no record: the
/// path of a Monte Carlo run, which reads only the treated values. `scratch` holds
/// the winsorised copy (reused from run to run). Returns the name of the second
/// stage when it ran (for error messages).
///
/// # Errors
/// As [`treat_column`].
pub(crate) fn treat_lean(
    x: &mut [f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
    scratch: &mut Vec<f64>,
) -> Result<Option<&'static str>> {
    let fitted = fit_with(x, params, indicator, unit_codes, None, scratch)?;
    fitted.apply(x, indicator, unit_codes)?;
    Ok(fitted.transform.as_ref().map(FittedTransform::name))
}

/// Fits the treatment of one column (see the [module docs](self)) without
/// changing it: the parameters to apply to it or to new data, and the record of
/// the fit (its `after_second_stage` is filled by applying).
///
/// # Errors
/// As [`treat_column`].
pub fn fit_treatment(
    x: &[f64],
    params: &TreatParams,
    indicator: &str,
    unit_codes: &[String],
) -> Result<(FittedTreatment, TreatmentRecord)> {
    let mut rec = TreatmentRecord::new(indicator, TreatmentMode::Default, Some(params.clone()));
    if params.force_winsorise {
        rec.mode = TreatmentMode::ForcedWinsorisation;
    }
    let fitted = fit_into(x, params, indicator, unit_codes, &mut rec)?;
    Ok((fitted, rec))
}

/// Applies a treatment fitted elsewhere to a column and records what it did:
/// the check before, the cells clamped (as winsorised points), the check after the
/// clamp when there was one, the transform and the check after it. The checks use
/// `params`' thresholds (none when `params` is `None`).
///
/// # Errors
/// As [`FittedTreatment::apply`]; on error `x` is unchanged.
pub(crate) fn apply_treatment(
    x: &mut [f64],
    fitted: &FittedTreatment,
    params: Option<&TreatParams>,
    mode: TreatmentMode,
    indicator: &str,
    unit_codes: &[String],
) -> Result<TreatmentRecord> {
    let mut rec = TreatmentRecord::new(indicator, mode, params.cloned());
    let check = |x: &[f64]| params.and_then(|p| check_skew_kurt(x, p.skew_thresh, p.kurt_thresh));
    rec.before = check(x);
    rec.passes = rec.before.map(|s| s.pass);
    if fitted.is_identity() {
        return Ok(rec);
    }
    for (i, &o) in x.iter().enumerate() {
        let w = fitted.clamp(o);
        if !o.is_nan() && w != o {
            rec.winsorised.push(WinsorisedPoint {
                row: i,
                unit: unit_codes
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("row {i}")),
                side: if w < o { Side::High } else { Side::Low },
                original: o,
                winsorised: w,
            });
        }
    }
    rec.n_winsorised = rec.winsorised.len();
    if fitted.floor.is_some() || fitted.ceiling.is_some() {
        let clamped: Vec<f64> = x.iter().map(|&v| fitted.clamp(v)).collect();
        rec.after_winsorisation = check(&clamped);
        rec.passes = rec.after_winsorisation.map(|s| s.pass);
    }
    fitted.apply(x, indicator, unit_codes)?;
    if let Some(t) = &fitted.transform {
        rec.second_stage = Some(t.name().to_owned());
        if let Some(p) = params
            && matches!(p.second_stage, SecondStage::GiiLog { fallback: Some(_) })
            && t.name() != p.second_stage.name()
        {
            rec.fallback_for = Some(p.second_stage.name().to_owned());
        }
        rec.after_second_stage = check(x);
        rec.passes = rec.after_second_stage.map(|s| s.pass);
    }
    Ok(rec)
}

/// COINr's winsorisation loop. Returns `(nwin, check after)`.
fn winsorise(x: &mut [f64], params: &TreatParams, start: SkewKurt) -> (usize, Option<SkewKurt>) {
    let (mut n_high, mut n_low) = (0usize, 0usize);
    let mut cur = start;
    // The extremes of the column, found by the step before (the first step finds them).
    let mut ext = None;
    while (params.force_winsorise || !cur.pass) && n_high + n_low < params.winmax {
        let high = cur.skew >= 0.0;
        let Some((moved, sum, next)) = winsorise_step(x, high, ext) else {
            break;
        };
        ext = Some(next);
        // Units moved earlier on this side sit at the current extreme, so the
        // count at the extreme is the number of distinct units moved on this side
        // (COINr's `length(imax)` / `length(imin)`).
        if high {
            n_high = moved;
        } else {
            n_low = moved;
        }
        match check_skew_kurt_from(x, params.skew_thresh, params.kurt_thresh, sum) {
            Some(s) => cur = s,
            None => return (n_high + n_low, None),
        }
    }
    (n_high + n_low, Some(cur))
}

/// The two largest and two smallest distinct present values of a column:
/// `(lo, lo2, hi, hi2)` (infinite when there are none).
type Extremes = (f64, f64, f64, f64);

/// Folds the present value `v` into the extremes `e` (in the order of the column).
#[inline]
fn extremes_push(e: &mut Extremes, v: f64) {
    let (lo, lo2, hi, hi2) = e;
    if v > *hi {
        *hi2 = *hi;
        *hi = v;
    } else if v < *hi && v > *hi2 {
        *hi2 = v;
    }
    if v < *lo {
        *lo2 = *lo;
        *lo = v;
    } else if v > *lo && v < *lo2 {
        *lo2 = v;
    }
}

const NO_EXTREMES: Extremes = (
    f64::INFINITY,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NEG_INFINITY,
);

/// One winsorisation step at the top (`high`) or bottom; returns the number of
/// values moved, the [`stats::summary`] of the column after the step and its
/// extremes after the step (both made in the same pass), or `None` when no step
/// is possible (fewer than three distinct values: the step would make the column
/// constant). `ext` are the extremes of `x` when known (from the step before),
/// which saves a pass; they are the same whichever pass finds them (the same
/// values in the same order).
fn winsorise_step(
    x: &mut [f64],
    high: bool,
    ext: Option<Extremes>,
) -> Option<(usize, stats::Summary, Extremes)> {
    let (lo, lo2, hi, hi2) = ext.unwrap_or_else(|| {
        let mut e = NO_EXTREMES;
        for &v in x.iter() {
            if !v.is_nan() {
                extremes_push(&mut e, v);
            }
        }
        e
    });
    let (from, to) = if high {
        // Largest value below the maximum must exist and differ from the minimum.
        (hi2 > lo).then_some((hi, hi2))?
    } else {
        (lo2 < hi).then_some((lo, lo2))?
    };
    let mut moved = 0;
    let (mut n, mut s, mut lo, mut hi) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    let mut next = NO_EXTREMES;
    for v in x.iter_mut() {
        if *v == from {
            *v = to;
            moved += 1;
        }
        // As stats::summary: the present values in order.
        let w = *v;
        if !w.is_nan() {
            n += 1;
            s += w;
            lo = lo.min(w);
            hi = hi.max(w);
            extremes_push(&mut next, w);
        }
    }
    Some((moved, (n, s, lo, hi), next))
}

/// Treats every indicator (column) of `m` in place following `spec`, returning
/// one record per indicator in column order.
///
/// Indicators with an [`IndicatorTreatment::None`] override are left untouched
/// (their record has the check of the column and mode
/// [`TreatmentMode::Skipped`]).
///
/// # Errors
/// - [`Error::InvalidParameter`] from [`TreatSpec::validate`];
/// - [`Error::UnknownCode`] (kind `"indicator"`) for an override naming an unknown indicator;
/// - [`Error::DimensionMismatch`] when the codes do not match the shape of `m`;
/// - the errors of [`treat_column`]. Columns before the failing one are then
///   already treated (the failing column is unchanged); work on a copy if that
///   matters.
pub fn treat_matrix(
    m: &mut DMatrix<f64>,
    spec: &TreatSpec,
    indicator_codes: &[String],
    unit_codes: &[String],
) -> Result<Vec<TreatmentRecord>> {
    Ok(treat_matrix_with(m, spec, indicator_codes, unit_codes, None, false)?.0)
}

/// [`treat_matrix`] fitting each column and applying the fit, or, with `given`
/// (one per column), applying those parameters without fitting. Returns the
/// records and, with `keep` (and no `given`), the fitted parameters (else empty).
pub(crate) fn treat_matrix_with(
    m: &mut DMatrix<f64>,
    spec: &TreatSpec,
    indicator_codes: &[String],
    unit_codes: &[String],
    given: Option<&[FittedTreatment]>,
    keep: bool,
) -> Result<(Vec<TreatmentRecord>, Vec<FittedTreatment>)> {
    spec.validate()?;
    let (n, p) = m.shape();
    super::check_codes_and_overrides(
        p,
        indicator_codes,
        spec.overrides.keys(),
        "the treatment overrides",
    )?;
    if unit_codes.len() != n {
        return Err(Error::DimensionMismatch {
            what: "unit codes (one per row)".into(),
            expected: n,
            found: unit_codes.len(),
        });
    }
    if let Some(g) = given
        && g.len() != m.ncols()
    {
        return Err(Error::DimensionMismatch {
            what: "fitted treatments (one per indicator)".into(),
            expected: m.ncols(),
            found: g.len(),
        });
    }
    // Columns are independent: treated in parallel on large data (feature `rayon`),
    // with the first error in column order reported.
    let columns = map_columns_mut(m, |j, x| {
        let code = &indicator_codes[j];
        let mode = spec.mode_for(code);
        let params = spec.params_for(code);
        if let Some(g) = given {
            let check = params.clone().unwrap_or_else(|| spec.defaults());
            let rec = apply_treatment(x, &g[j], Some(&check), mode, code, unit_codes)?;
            return Ok((rec, FittedTreatment::default()));
        }
        let mut rec = TreatmentRecord::new(code, mode, params.clone());
        let fitted = match params {
            None => {
                let d = spec.defaults();
                rec.before = check_skew_kurt(x, d.skew_thresh, d.kurt_thresh);
                rec.passes = rec.before.map(|s| s.pass);
                FittedTreatment::default()
            }
            Some(params) => treat_into(x, &params, code, unit_codes, &mut rec)?,
        };
        Ok((rec, fitted))
    });
    let keep = keep && given.is_none();
    let mut log = Vec::with_capacity(columns.len());
    let mut fitted = Vec::with_capacity(if keep { columns.len() } else { 0 });
    for c in columns {
        let (rec, f) = c?;
        log.push(rec);
        if keep {
            fitted.push(f);
        }
    }
    Ok((log, fitted))
}

/// Range `(m, M)` of the non-missing values with `R = M - m > 0`.
fn positive_range(x: &[f64], indicator: &str, method: &str) -> Result<Option<(f64, f64)>> {
    let Some((lo, hi)) = stats::min_max(x) else {
        return Ok(None);
    };
    if !(hi - lo > 0.0 && (hi - lo).is_finite()) {
        return Err(Error::degenerate(
            indicator,
            method,
            format!("the column has zero or non-finite range (min {lo}, max {hi})"),
        ));
    }
    Ok(Some((lo, hi)))
}

/// COINr's `log_CT`: `x <- ln(x - m + 0.01 R)`, with `m`, `M` the minimum and
/// maximum of the non-missing values and `R = M - m`.
///
/// The minimum maps to `ln(0.01 R)`. Missing values stay missing; an all-missing
/// column is left as it is.
///
/// # Errors
/// [`Error::DegenerateColumn`] when `R = 0` (the minimum would map to `ln 0`). On
/// error `x` is unchanged.
pub fn log_ct(x: &mut [f64], indicator: &str) -> Result<()> {
    SecondStage::LogCt {}.apply(x, indicator, &[])
}

/// COINr's `log_CT_orig`: `x <- ln(x - m + 1)`, with `m` the minimum of the
/// non-missing values (maps the minimum to 0). Missing values stay missing.
pub fn log_ct_orig(x: &mut [f64]) {
    if let Some((min, _)) = stats::min_max(x) {
        // On its own reference column every argument is at least 1.
        FittedTransform::LogCtOrig { min }.write(x);
    }
}

/// [`log_ct`] for positive skew, and its mirror image for negative skew:
/// `x <- -ln(M + 0.01 R - x)`, so that a long left tail is compressed and the
/// order of units is preserved.
///
/// The skewness is [`stats::skewness`] of `x`; when it is undefined (fewer than 3
/// values) the positive branch is used.
///
/// # Errors
/// [`Error::DegenerateColumn`] when `R = 0`. On error `x` is unchanged.
pub fn log_ct_plus(x: &mut [f64], indicator: &str) -> Result<()> {
    SecondStage::LogCtPlus {}.apply(x, indicator, &[])
}

/// The GII log transform: `x <- ln((M - 1)(x - m)/R + 1)`, which maps `[m, M]`
/// onto `[0, ln M]` preserving order.
///
/// Refuses `M <= 1`: for `M < 1` the transform reverses the order of units, and
/// for `M = 1` it maps every value to 0. (COINr 1.1.14's `log_GII` computes the
/// transform but returns its input unchanged; this function does transform.)
///
/// Reference: the GII 2020 calculation spreadsheet (WIPO), as encoded in COINr.
///
/// # Errors
/// [`Error::DegenerateColumn`] naming the indicator when `M <= 1` or `R = 0`. On
/// error `x` is unchanged.
pub fn gii_log(x: &mut [f64], indicator: &str) -> Result<()> {
    SecondStage::gii_log().apply(x, indicator, &[])
}

/// Box-Cox transform with a fixed `lambda` (COINr's `boxcox`):
/// optionally shift `x <- x - m + 1` (so the minimum becomes 1), then
/// `x <- (x^lambda - 1)/lambda`, or `ln x` when `lambda = 0`.
///
/// Missing values stay missing. `unit_codes` (one per element) names units in errors.
///
/// Reference: Box and Cox (1964), *An analysis of transformations*, JRSS B 26(2).
///
/// # Errors
/// - [`Error::InvalidParameter`] for a non-finite `lambda`;
/// - [`Error::Domain`] naming the unit when, without shift, a value is not
///   positive, or when a result is not finite (overflow).
///
/// On error `x` is unchanged.
pub fn box_cox(
    x: &mut [f64],
    lambda: f64,
    shift: bool,
    indicator: &str,
    unit_codes: &[String],
) -> Result<()> {
    SecondStage::BoxCox { lambda, shift }.apply(x, indicator, unit_codes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::col;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    const NAN: f64 = f64::NAN;

    fn units(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("U{i}")).collect()
    }

    #[test]
    fn check_thresholds_are_or() {
        // 1,2,3,10: skew 1.7636, kurt 3.228
        let x = [1.0, 2.0, 3.0, 10.0];
        assert!(check_skew_kurt(&x, 2.0, 3.5).unwrap().pass);
        assert!(check_skew_kurt(&x, 1.0, 3.5).unwrap().pass);
        assert!(check_skew_kurt(&x, 2.0, 3.0).unwrap().pass);
        assert!(!check_skew_kurt(&x, 1.0, 3.0).unwrap().pass);
        assert!(check_skew_kurt(&[1.0, 2.0, 3.0], 2.0, 3.5).is_none());
        assert!(check_skew_kurt(&[2.0; 6], 2.0, 3.5).is_none());
        assert!(check_skew_kurt(&[1.0, NAN, 2.0, 3.0, 10.0], 1.0, 3.0).is_some());
    }

    #[test]
    fn log_ct_formula() {
        // m = 1, M = 11, R = 10, a = 0.1
        let mut x = [1.0, 6.0, NAN, 11.0];
        log_ct(&mut x, "i").unwrap();
        assert_relative_eq!(x[0], 0.1f64.ln(), max_relative = 1e-15);
        assert_relative_eq!(x[1], 5.1f64.ln(), max_relative = 1e-15);
        assert!(x[2].is_nan());
        assert_relative_eq!(x[3], 10.1f64.ln(), max_relative = 1e-15);
        assert!(matches!(
            log_ct(&mut [3.0, 3.0], "i"),
            Err(Error::DegenerateColumn { .. })
        ));
    }

    #[test]
    fn log_ct_orig_formula() {
        let mut x = [-2.0, 0.0, NAN, 5.0];
        log_ct_orig(&mut x);
        assert_eq!(x[0], 0.0);
        assert_relative_eq!(x[1], 3.0f64.ln(), max_relative = 1e-15);
        assert_relative_eq!(x[3], 8.0f64.ln(), max_relative = 1e-15);
    }

    #[test]
    fn log_ct_plus_formula() {
        // Positive skew: same as log_ct.
        let mut a = [1.0, 2.0, 3.0, 30.0];
        let mut b = a;
        log_ct_plus(&mut a, "i").unwrap();
        log_ct(&mut b, "i").unwrap();
        assert_eq!(a, b);
        // Negative skew: m = -30, M = 3, R = 33, a = 0.33; -ln(3 + 0.33 - x).
        let mut x = [-30.0, 1.0, 2.0, 3.0];
        log_ct_plus(&mut x, "i").unwrap();
        assert_relative_eq!(x[0], -(33.33f64).ln(), max_relative = 1e-14);
        assert_relative_eq!(x[1], -(2.33f64).ln(), max_relative = 1e-14);
        assert_relative_eq!(x[3], -(0.33f64).ln(), max_relative = 1e-14);
        assert!(x.windows(2).all(|w| w[0] < w[1]), "order preserved");
    }

    #[test]
    fn gii_log_formula_and_refusal() {
        // m = 2, M = 10, R = 8: ln(9 (x - 2)/8 + 1)
        let mut x = [2.0, 6.0, 10.0, NAN];
        gii_log(&mut x, "i").unwrap();
        assert_eq!(x[0], 0.0);
        assert_relative_eq!(x[1], 5.5f64.ln(), max_relative = 1e-15);
        assert_relative_eq!(x[2], 10.0f64.ln(), max_relative = 1e-15);
        let orig = [0.1, 0.5, 0.9];
        let mut y = orig;
        match gii_log(&mut y, "Tariff") {
            Err(Error::DegenerateColumn { indicator, .. }) => assert_eq!(indicator, "Tariff"),
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(y, orig);
        assert!(gii_log(&mut [0.0, 1.0], "i").is_err());
        assert!(gii_log(&mut [5.0, 5.0], "i").is_err());
    }

    #[test]
    fn box_cox_formula() {
        // shift: y = x - m + 1 with m = 2 -> 1, 2, 5; lambda 0.5: (sqrt(y) - 1)/0.5
        let u = units(3);
        let mut x = [2.0, 3.0, 6.0];
        box_cox(&mut x, 0.5, true, "i", &u).unwrap();
        assert_eq!(x[0], 0.0);
        assert_relative_eq!(x[1], (2f64.sqrt() - 1.0) * 2.0, max_relative = 1e-15);
        assert_relative_eq!(x[2], (5f64.sqrt() - 1.0) * 2.0, max_relative = 1e-15);
        // lambda 0 without shift: ln x
        let mut x = [1.0, NAN, std::f64::consts::E];
        box_cox(&mut x, 0.0, false, "i", &u).unwrap();
        assert_eq!(x[0], 0.0);
        assert_relative_eq!(x[2], 1.0, max_relative = 1e-15);
        // lambda 2 without shift: (x^2 - 1)/2
        let mut x = [3.0, 1.0, 2.0];
        box_cox(&mut x, 2.0, false, "i", &u).unwrap();
        assert_eq!(x, [4.0, 0.0, 1.5]);
        // non-positive without shift: Domain error naming the unit
        let mut x = [3.0, 0.0, 2.0];
        match box_cox(&mut x, 0.5, false, "i", &u) {
            Err(Error::Domain { unit, value, .. }) => {
                assert_eq!(unit, "U1");
                assert_eq!(value, 0.0);
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(x, [3.0, 0.0, 2.0]);
        assert!(box_cox(&mut x, f64::NAN, true, "i", &u).is_err());
    }

    /// Tied extremes move together and all count: 3 units tied at the top, then
    /// 2 tied at the bottom.
    #[test]
    fn winsorisation_with_tied_extremes_on_both_sides() {
        let mut x = vec![
            100.0, 100.0, 100.0, 5.0, 4.0, 3.0, 2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 2.0, -80.0,
            -80.0, 3.0,
        ];
        let orig = x.clone();
        let u = units(x.len());
        // Thresholds that never pass: winsorisation runs until winmax is reached.
        let params = TreatParams {
            winmax: 5,
            second_stage: SecondStage::None {},
            skew_thresh: 0.0,
            kurt_thresh: -10.0,
            ..TreatParams::default()
        };
        let rec = treat_column(&mut x, &params, "i", &u).unwrap();
        assert!(!rec.before.unwrap().pass);
        // First step: skew >= 0 -> the three 100s become 5.
        assert_eq!(&x[..3], &[5.0, 5.0, 5.0]);
        // Then the -80s (now the outliers) become 1.
        assert_eq!(x[14], 1.0);
        assert_eq!(x[15], 1.0);
        let high: Vec<usize> = rec
            .winsorised
            .iter()
            .filter(|p| p.side == Side::High)
            .map(|p| p.row)
            .collect();
        let low: Vec<usize> = rec
            .winsorised
            .iter()
            .filter(|p| p.side == Side::Low)
            .map(|p| p.row)
            .collect();
        assert_eq!(high, vec![0, 1, 2]);
        assert_eq!(low, vec![14, 15]);
        assert_eq!(rec.n_winsorised, 5);
        assert_eq!(rec.n_winsorised, rec.winsorised.len());
        for p in &rec.winsorised {
            assert_eq!(p.original, orig[p.row]);
            assert_eq!(p.winsorised, x[p.row]);
        }
        assert_eq!(rec.second_stage, None);
    }

    /// COINr counting: a unit moved twice counts once; ties can overshoot winmax.
    #[test]
    fn winsorisation_counts_distinct_units() {
        // 500, 400 then 1..10, thresholds that never pass: two steps at the
        // top: 500 -> 400 (1 unit), then 400, 400 -> 10 (2 units): nwin = 2.
        let mut x: Vec<f64> = (1..=10).map(f64::from).collect();
        x.extend([500.0, 400.0]);
        let u = units(x.len());
        let params = TreatParams {
            winmax: 2,
            skew_thresh: 0.0,
            kurt_thresh: -10.0,
            second_stage: SecondStage::None {},
            ..TreatParams::default()
        };
        let rec = treat_column(&mut x, &params, "i", &u).unwrap();
        assert_eq!(rec.n_winsorised, 2);
        assert_eq!(rec.winsorised.len(), 2);
        assert_eq!((x[10], x[11]), (10.0, 10.0));
        // Overshoot: three tied maxima with winmax 1.
        let mut y: Vec<f64> = (1..=20).map(f64::from).collect();
        y.extend([500.0, 500.0, 500.0]);
        let u = units(y.len());
        let params = TreatParams {
            winmax: 1,
            skew_thresh: 0.0,
            kurt_thresh: -10.0,
            second_stage: SecondStage::None {},
            ..TreatParams::default()
        };
        let rec = treat_column(&mut y, &params, "i", &u).unwrap();
        assert_eq!(rec.n_winsorised, 3);
        assert_eq!(&y[20..], &[20.0, 20.0, 20.0]);
    }

    #[test]
    fn second_stage_on_original_or_winsorised() {
        let mut base: Vec<f64> = (1..=20).map(f64::from).collect();
        base.extend([1000.0, 2000.0, 4000.0, 8000.0]);
        let u = units(base.len());
        // winmax 1 cannot fix it: log_ct on the original.
        let params = TreatParams {
            winmax: 1,
            ..TreatParams::default()
        };
        let mut x = base.clone();
        let rec = treat_column(&mut x, &params, "i", &u).unwrap();
        assert_eq!(rec.second_stage.as_deref(), Some("log_ct"));
        let mut expected = base.clone();
        log_ct(&mut expected, "i").unwrap();
        assert_eq!(x, expected);
        assert_eq!(rec.passes, rec.after_second_stage.map(|s| s.pass));
        // On the winsorised column.
        let params = TreatParams {
            winmax: 1,
            second_stage_on: SecondStageOn::Winsorised,
            ..TreatParams::default()
        };
        let mut x = base.clone();
        treat_column(&mut x, &params, "i", &u).unwrap();
        let mut expected = base.clone();
        expected[23] = 4000.0;
        log_ct(&mut expected, "i").unwrap();
        assert_eq!(x, expected);
        // gii_log refusal leaves the column unchanged and names the indicator.
        let mut small: Vec<f64> = base.iter().map(|v| v / 1e5).collect();
        let before = small.clone();
        let params = TreatParams {
            winmax: 1,
            second_stage: SecondStage::gii_log(),
            ..TreatParams::default()
        };
        let e = treat_column(&mut small, &params, "Small", &u).unwrap_err();
        assert!(matches!(e, Error::DegenerateColumn { ref indicator, .. } if indicator == "Small"));
        assert_eq!(small, before);
        // With a fallback, the fallback transforms it, and the record says so.
        let params = TreatParams {
            winmax: 1,
            second_stage: SecondStage::GiiLog {
                fallback: Some(Box::new(SecondStage::LogCt {})),
            },
            ..TreatParams::default()
        };
        let rec = treat_column(&mut small, &params, "Small", &u).unwrap();
        let mut expected = before.clone();
        log_ct(&mut expected, "Small").unwrap();
        assert_eq!(small, expected);
        assert_eq!(rec.second_stage.as_deref(), Some("log_ct"));
        assert_eq!(rec.fallback_for.as_deref(), Some("gii_log"));
        // A column whose maximum is above 1 still gets gii_log, with no fallback noted.
        let mut big = base.clone();
        let rec = treat_column(&mut big, &params, "Big", &u).unwrap();
        let mut expected = base.clone();
        gii_log(&mut expected, "Big").unwrap();
        assert_eq!(big, expected);
        assert_eq!(rec.second_stage.as_deref(), Some("gii_log"));
        assert_eq!(rec.fallback_for, None);
        // gii_log cannot be its own fallback.
        let params = TreatParams {
            second_stage: SecondStage::GiiLog {
                fallback: Some(Box::new(SecondStage::gii_log())),
            },
            ..TreatParams::default()
        };
        assert!(params.validate(None).is_err());
    }

    #[test]
    fn not_checkable_and_forced() {
        let u = units(4);
        let mut x = [1.0, NAN, 2.0, 100.0];
        let rec = treat_column(&mut x, &TreatParams::default(), "i", &u).unwrap();
        assert_eq!(rec.before, None);
        assert_eq!(rec.passes, None);
        assert!(!rec.changed());

        // A passing indicator is winsorised when forced.
        let mut y: Vec<f64> = (1..=10).map(f64::from).collect();
        let u = units(10);
        let params = TreatParams {
            winmax: 2,
            force_winsorise: true,
            ..TreatParams::default()
        };
        let rec = treat_column(&mut y, &params, "i", &u).unwrap();
        assert_eq!(rec.mode, TreatmentMode::ForcedWinsorisation);
        assert!(rec.before.unwrap().pass);
        assert_eq!(rec.n_winsorised, 2);
    }

    #[test]
    fn spec_overrides_and_matrix() {
        let spec = TreatSpec::default()
            .with_override("a", IndicatorTreatment::None {})
            .with_override(
                "b",
                IndicatorTreatment::Custom {
                    winmax: Some(1),
                    skew_thresh: None,
                    kurt_thresh: None,
                    second_stage: Some(SecondStage::None {}),
                    second_stage_on: None,
                },
            );
        assert_eq!(spec.params_for("a"), None);
        let pb = spec.params_for("b").unwrap();
        assert_eq!((pb.winmax, pb.skew_thresh), (1, 2.0));
        assert_eq!(spec.params_for("c"), Some(TreatParams::default()));

        let mut colv: Vec<f64> = (1..=20).map(f64::from).collect();
        colv.extend([1000.0, 2000.0, 4000.0, 8000.0]);
        let n = colv.len();
        let mut flat = colv.clone();
        flat.extend(&colv);
        flat.extend(&colv);
        let mut m = DMatrix::from_vec(n, 3, flat);
        let codes: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let recs = treat_matrix(&mut m, &spec, &codes, &units(n)).unwrap();
        assert_eq!(recs[0].mode, TreatmentMode::Skipped);
        assert_eq!(col(&m, 0), &colv[..]);
        assert_eq!(recs[1].mode, TreatmentMode::Custom);
        assert_eq!(recs[1].n_winsorised, 1);
        assert_eq!(recs[1].passes, Some(false));
        // Default winmax 5 is enough for column c.
        assert_eq!(recs[2].mode, TreatmentMode::Default);
        assert_eq!(recs[2].second_stage, None);
        assert!(recs[2].n_winsorised >= 1);
        assert_eq!(recs[2].passes, Some(true));

        let bad = TreatSpec::default().with_override("zz", IndicatorTreatment::None {});
        assert!(matches!(
            treat_matrix(&mut m, &bad, &codes, &units(n)),
            Err(Error::UnknownCode {
                kind: "indicator",
                ..
            })
        ));
        let bad = TreatSpec {
            skew_thresh: -1.0,
            ..TreatSpec::default()
        };
        assert!(bad.validate().is_err());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_shapes() {
        let s: TreatSpec = serde_json::from_str("{}").unwrap();
        assert_eq!(s, TreatSpec::default());
        let s: TreatSpec = serde_json::from_str(
            r#"{"skew_thresh": 2.25, "second_stage": {"method": "box_cox", "lambda": 0.5},
                "second_stage_on": "winsorised",
                "overrides": {"x": {"treatment": "none"}, "y": {"treatment": "force_winsorise", "winmax": 3},
                              "z": {"treatment": "custom", "second_stage": {"method": "gii_log"}}}}"#,
        )
        .unwrap();
        assert_eq!(
            s.second_stage,
            SecondStage::BoxCox {
                lambda: 0.5,
                shift: true
            }
        );
        assert_eq!(s.second_stage_on, SecondStageOn::Winsorised);
        assert_eq!(s.params_for("x"), None);
        assert_eq!(s.params_for("y").unwrap().winmax, 3);
        assert_eq!(
            s.params_for("z").unwrap().second_stage,
            SecondStage::gii_log()
        );
        let s: SecondStage =
            serde_json::from_str(r#"{"method": "gii_log", "fallback": "log_ct"}"#).unwrap();
        let fallback = Some(Box::new(SecondStage::LogCt {}));
        assert_eq!(s, SecondStage::GiiLog { fallback });
        assert_eq!(
            serde_json::to_string(&s).unwrap(),
            r#"{"method":"gii_log","fallback":"log_ct"}"#
        );
        assert_eq!(
            serde_json::to_string(&SecondStage::gii_log()).unwrap(),
            r#""gii_log""#
        );
        assert!(serde_json::from_str::<SecondStage>(r#"{"method": "log_ct", "a": 1}"#).is_err());
        assert!(serde_json::from_str::<TreatSpec>(r#"{"winmax": 5, "typo": 1}"#).is_err());
        let rec = TreatmentRecord::new("i", TreatmentMode::Default, None);
        assert!(serde_json::to_string(&rec).is_ok());
    }

    // The COINr case A check of the treatment alone (COINr's screened data in,
    // its treated data and log out) is in tests/coinr_case_a.rs, where it uses the
    // shared ../shared skip rule.

    // ---- properties ------------------------------------------------------------

    /// Columns with heavy right or left tails, ties and some missing values.
    fn column() -> impl Strategy<Value = Vec<f64>> {
        let value = prop_oneof![
            6 => (-50i32..50).prop_map(f64::from),
            3 => -10.0f64..10.0,
            1 => (0.0f64..0.999).prop_map(|u| 1.0 / (1.0 - u)),
            1 => (0.0f64..0.999).prop_map(|u| -1.0 / (1.0 - u) * 7.0),
            1 => Just(f64::NAN),
        ];
        proptest::collection::vec(value, 4..60)
    }

    fn any_params() -> impl Strategy<Value = TreatParams> {
        (0usize..12, 0.5f64..3.0, 0.0f64..5.0, any::<bool>()).prop_map(|(w, s, k, f)| TreatParams {
            winmax: w,
            skew_thresh: s,
            kurt_thresh: k,
            force_winsorise: f,
            second_stage: SecondStage::None {},
            ..TreatParams::default()
        })
    }

    proptest! {
        #[test]
        fn passing_indicator_is_never_changed(x in column(), s in 0.5f64..3.0, k in 0.0f64..5.0) {
            let params = TreatParams { skew_thresh: s, kurt_thresh: k, ..TreatParams::default() };
            let passes = check_skew_kurt(&x, s, k).is_none_or(|c| c.pass);
            let mut y = x.clone();
            let rec = treat_column(&mut y, &params, "i", &units(x.len())).unwrap();
            if passes {
                prop_assert!(x.iter().zip(&y).all(|(a, b)| a.to_bits() == b.to_bits()));
                prop_assert!(!rec.changed());
            }
        }

        #[test]
        fn winsorised_values_stay_in_range_and_order(x in column(), params in any_params()) {
            let mut y = x.clone();
            let rec = treat_column(&mut y, &params, "i", &units(x.len())).unwrap();
            prop_assert_eq!(rec.n_winsorised, rec.winsorised.len());
            if let Some((lo, hi)) = stats::min_max(&x) {
                for (a, b) in x.iter().zip(&y) {
                    prop_assert_eq!(a.is_nan(), b.is_nan());
                    if !b.is_nan() {
                        prop_assert!(lo <= *b && *b <= hi);
                    }
                }
            }
            for i in 0..x.len() {
                for j in 0..x.len() {
                    if x[i] < x[j] {
                        prop_assert!(y[i] <= y[j], "order broken: {} < {} became {} > {}", x[i], x[j], y[i], y[j]);
                    }
                }
            }
            if !params.force_winsorise && rec.before.is_some_and(|b| !b.pass) && rec.winsorised.len() < params.winmax {
                // Stopped early: either it passes now or no further step was possible.
                let after = rec.after_winsorisation.unwrap();
                let distinct = {
                    let mut v: Vec<f64> = y.iter().copied().filter(|v| !v.is_nan()).collect();
                    v.sort_by(f64::total_cmp);
                    v.dedup();
                    v.len()
                };
                prop_assert!(after.pass || distinct <= 2);
            }
        }
    }
}
