//! Normalisation: bring indicators onto a common scale.
//!
//! Every method first multiplies the column by the indicator's direction (so that
//! higher is always better), then transforms it; missing values stay missing.
//! One file per method family:
//!
//! | method | file | formula |
//! |---|---|---|
//! | [`min_max`](min_max::min_max) | `min_max.rs` | `(x - m)/(M - m) * (u - l) + l` |
//! | [`z_score`](z_score::z_score) | `z_score.rs` | `(x - mean)/sd * s + a` |
//! | [`scaled`](scaled::scaled) | `scaled.rs` | `(x - p1)/(p2 - p1) * f` |
//! | [`rank`](rank::rank) (ties at the minimum, or [average](rank::rank_with)), [`borda`](rank::borda), [`percentile_rank`](rank::percentile_rank) | `rank.rs` | `rank(x)`, `rank(x) - 1`, `(rank - 1)/(n - 1)` |
//! | [`goalposts`](goalposts::goalposts) | `goalposts.rs` | `(x - l)/(u - l)`, optionally clipped, times `a` |
//! | [`distance_to_target`](distance::distance_to_target), [`distance_to_reference`](distance::distance_to_reference), [`distance_to_max`](distance::distance_to_max), [`fraction_of_max`](distance::fraction_of_max) | `distance.rs` | see each function |
//!
//! The built-in methods form the serde enum [`NormaliseMethod`]; a user can plug in
//! any other method by implementing the [`Normaliser`] trait and registering it
//! with the pipeline under a name (see [`NormaliseMethod::Custom`]).
//!
//! Each built-in method is a fit (what it learns from the reference column) and an
//! apply ([`fitted`]): a plain run is fit-then-apply, and a fitted
//! ([`FittedNormaliser`]) can score new data against the reference.
//!
//! Reference: OECD/JRC (2008), *Handbook on Constructing Composite Indicators*,
//! section 5; COINr 1.1.14 `Normalise()` and its `n_*` functions.
//!
//! # Example
//!
//! ```
//! use composite_index::normalise::{ColumnContext, min_max::min_max};
//! use composite_index::NormaliseMethod;
//!
//! # fn main() -> composite_index::Result<()> {
//! let mut x = [2.0, 4.0, f64::NAN, 10.0];
//! min_max(&mut x, 0.0, 100.0, "x")?;
//! assert_eq!(x[..2], [0.0, 25.0]);
//! assert!(x[2].is_nan()); // missing stays missing
//! assert_eq!(x[3], 100.0);
//! // Fit on a reference column, then score other data on the same scale.
//! let units = ["A".to_string(), "B".into(), "C".into()];
//! let ctx = ColumnContext { indicator: "x", units: &units, direction: 1.0, target: None };
//! let fitted = NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 }.fit(&[2.0, 4.0, 10.0], &ctx)?;
//! let mut new = [6.0, 12.0];
//! fitted.apply(&mut new);
//! assert_eq!(new, [50.0, 125.0]); // beyond the reference maximum: above 100
//! # Ok(())
//! # }
//! ```

pub mod distance;
pub mod fitted;
pub mod goalposts;
pub mod min_max;
pub mod rank;
pub mod scaled;
pub mod z_score;

use std::fmt::Debug;

pub use fitted::FittedNormaliser;

use crate::error::{Error, Result};

/// What a normaliser knows about the column it transforms.
#[derive(Debug, Clone, Copy)]
pub struct ColumnContext<'a> {
    /// Indicator code.
    pub indicator: &'a str,
    /// Unit codes, one per entry of the column.
    pub units: &'a [String],
    /// The indicator's direction (+1 or -1), already applied to the column.
    pub direction: f64,
    /// The indicator's target from the framework, if any (not direction-adjusted).
    pub target: Option<f64>,
}

/// A normalisation method: transforms one direction-adjusted column in place.
///
/// Implement it to plug a custom method into the pipeline:
///
/// ```
/// use composite_index::normalise::{ColumnContext, Normaliser};
/// use composite_index::Result;
///
/// /// Divides by the column's sum (a "share of total" normalisation).
/// #[derive(Debug)]
/// struct ShareOfTotal;
///
/// impl Normaliser for ShareOfTotal {
///     fn name(&self) -> &str { "share_of_total" }
///     fn normalise(&self, x: &mut [f64], _ctx: &ColumnContext<'_>) -> Result<()> {
///         let total: f64 = x.iter().filter(|v| !v.is_nan()).sum();
///         x.iter_mut().for_each(|v| *v /= total);
///         Ok(())
///     }
/// }
/// ```
pub trait Normaliser: Send + Sync + Debug {
    /// Name used in specifications and messages.
    fn name(&self) -> &str;

    /// Transforms `x` (already multiplied by the direction) in place; NaN is missing
    /// and must stay missing.
    ///
    /// # Errors
    /// Whatever the method finds wrong with the column, naming `ctx.indicator`.
    fn normalise(&self, x: &mut [f64], ctx: &ColumnContext<'_>) -> Result<()>;
}

/// How [`NormaliseMethod::Rank`] ranks tied values (spec key `ties`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum Ties {
    /// Tied values share the minimum of their ranks, `1 + #{values below}`
    /// (R's `ties.method = "min"`, COINr's `n_rank`). The default.
    #[default]
    Min,
    /// The `e` values tied after `b` smaller ones share the average of their
    /// ranks, `b + (e + 1)/2` (R's default `"average"`). This is what Compind's
    /// `normalise_ci(method = 3)` always gives, whatever its `ties.method`
    /// (METHODS 8.10 B5): choose it to reproduce Compind.
    Average,
}

impl Ties {
    /// Whether this is the default rule, [`Ties::Min`].
    pub fn is_min(&self) -> bool {
        *self == Self::Min
    }
}

/// The built-in normalisation methods (serde: internally tagged by `method`).
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
pub enum NormaliseMethod {
    /// Min-max to `[lo, hi]` (default `[0, 100]`). See [`min_max::min_max`].
    MinMax {
        /// Lower bound of the output.
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::zero"))]
        lo: f64,
        /// Upper bound of the output.
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::hundred"))]
        hi: f64,
    },
    /// Z-score rescaled to the given mean and sd (default 0 and 1). See [`z_score::z_score`].
    ZScore {
        /// Mean of the output.
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::zero"))]
        mean: f64,
        /// Standard deviation of the output.
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::one"))]
        sd: f64,
    },
    /// Scaling by fixed bounds. See [`scaled::scaled`].
    Scaled {
        /// `p1`, the value mapped to 0.
        lo: f64,
        /// `p2`, the value mapped to `factor`.
        hi: f64,
        /// `f`, the scale factor (default 100).
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::hundred"))]
        factor: f64,
    },
    /// Ascending ranks; tied values share the minimum rank (default) or the
    /// average of their ranks (`ties = "average"`, Compind's rule). See
    /// [`rank::rank`] and [`rank::rank_with`].
    Rank {
        /// How tied values are ranked (default [`Ties::Min`]).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Ties::is_min")
        )]
        ties: Ties,
    },
    /// Borda scores `rank - 1`. See [`rank::borda`].
    Borda {},
    /// Percentile ranks `(rank - 1)/(n - 1)`. See [`rank::percentile_rank`].
    PercentileRank {},
    /// Goalposts. See [`goalposts::goalposts`].
    Goalposts {
        /// Lower goalpost (in the indicator's own orientation).
        lo: f64,
        /// Upper goalpost.
        hi: f64,
        /// Scale factor `a` (default 1).
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::one"))]
        scale: f64,
        /// Clip to `[0, 1]` before scaling (default true).
        #[cfg_attr(feature = "serde", serde(default = "crate::defaults::yes"))]
        truncate: bool,
    },
    /// Distance to a target. See [`distance::distance_to_target`].
    DistanceToTarget {
        /// Target for every indicator this method applies to; `None` reads the
        /// framework's per-indicator `target`.
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Option::is_none")
        )]
        target: Option<f64>,
        /// Cap the result at 1 (default false).
        #[cfg_attr(feature = "serde", serde(default))]
        cap: bool,
    },
    /// Distance to a reference unit. See [`distance::distance_to_reference`].
    DistanceToReference {
        /// Code of the reference unit.
        unit: String,
    },
    /// Distance to the maximum. See [`distance::distance_to_max`].
    DistanceToMax {},
    /// Fraction of the maximum. See [`distance::fraction_of_max`].
    FractionOfMax {},
    /// No transformation (the direction is still applied).
    None {},
    /// A method registered with the pipeline under `name` (a [`Normaliser`]).
    Custom {
        /// The registered name.
        name: String,
    },
}

#[cfg(feature = "serde")]
crate::shorthand::string_or_table!(NormaliseMethod, "method");

impl Default for NormaliseMethod {
    fn default() -> Self {
        Self::MinMax { lo: 0.0, hi: 100.0 }
    }
}

impl NormaliseMethod {
    /// Short name, as in specifications.
    pub fn name(&self) -> &str {
        match self {
            Self::MinMax { .. } => "min_max",
            Self::ZScore { .. } => "z_score",
            Self::Scaled { .. } => "scaled",
            Self::Rank { .. } => "rank",
            Self::Borda {} => "borda",
            Self::PercentileRank {} => "percentile_rank",
            Self::Goalposts { .. } => "goalposts",
            Self::DistanceToTarget { .. } => "distance_to_target",
            Self::DistanceToReference { .. } => "distance_to_reference",
            Self::DistanceToMax {} => "distance_to_max",
            Self::FractionOfMax {} => "fraction_of_max",
            Self::None {} => "none",
            Self::Custom { name } => name,
        }
    }

    /// Checks the parameters (finite, bounds in order, sd positive...).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the method, the parameter and `target`.
    pub fn validate(&self, target: Option<&str>) -> Result<()> {
        let m = self.name();
        let finite = |p: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(Error::invalid(m, p, target, format!("{v} is not finite")))
            }
        };
        match *self {
            Self::MinMax { lo, hi } => {
                finite("lo", lo)?;
                finite("hi", hi)?;
                if lo >= hi {
                    return Err(Error::invalid(
                        m,
                        "hi",
                        target,
                        format!("hi ({hi}) must exceed lo ({lo})"),
                    ));
                }
            }
            Self::ZScore { mean, sd } => {
                finite("mean", mean)?;
                finite("sd", sd)?;
                if sd <= 0.0 {
                    return Err(Error::invalid(
                        m,
                        "sd",
                        target,
                        format!("sd ({sd}) must be positive"),
                    ));
                }
            }
            Self::Scaled { lo, hi, factor } => {
                finite("lo", lo)?;
                finite("hi", hi)?;
                finite("factor", factor)?;
                if lo == hi {
                    return Err(Error::invalid(m, "hi", target, "lo and hi must differ"));
                }
            }
            Self::Goalposts { lo, hi, scale, .. } => {
                finite("lo", lo)?;
                finite("hi", hi)?;
                finite("scale", scale)?;
                if lo >= hi {
                    return Err(Error::invalid(
                        m,
                        "hi",
                        target,
                        format!("hi ({hi}) must exceed lo ({lo})"),
                    ));
                }
            }
            Self::DistanceToTarget {
                target: Some(t), ..
            } => finite("target", t)?,
            Self::DistanceToReference { ref unit } if unit.trim().is_empty() => {
                return Err(Error::invalid(m, "unit", target, "empty unit code"));
            }
            _ => {}
        }
        Ok(())
    }
}

impl Normaliser for NormaliseMethod {
    fn name(&self) -> &str {
        NormaliseMethod::name(self)
    }

    /// Fits the method on `x` and applies it ([`NormaliseMethod::fit`] then
    /// [`FittedNormaliser::apply`]): one implementation for plain runs and
    /// fitted pipelines.
    fn normalise(&self, x: &mut [f64], ctx: &ColumnContext<'_>) -> Result<()> {
        if let Self::Custom { name } = self {
            return Err(Error::UnknownCode {
                kind: "custom normaliser",
                code: name.clone(),
                context: format!(
                    "normalisation of {:?} (register it with the pipeline)",
                    ctx.indicator
                ),
            });
        }
        self.fit(x, ctx)?.apply(x);
        Ok(())
    }
}

/// Minimum and maximum of the non-missing values, or a degenerate-column error.
pub(crate) fn range_or_err(x: &[f64], indicator: &str, method: &str) -> Result<(f64, f64)> {
    crate::stats::min_max(x)
        .ok_or_else(|| Error::degenerate(indicator, method, "no non-missing values"))
}

/// A degenerate-column error when the values `x` with range `[m, mx]` have no
/// spread to divide by: a single value, or a range negligible against the
/// magnitude ([`stats::negligible_range`](crate::stats::negligible_range)).
/// `what` names the spread in the message ("range", "standard deviation").
pub(crate) fn check_spread(
    x: &[f64],
    m: f64,
    mx: f64,
    indicator: &str,
    method: &str,
    what: &str,
) -> Result<()> {
    let n = crate::stats::count(x);
    if n == 1 {
        return Err(Error::degenerate(
            indicator,
            method,
            format!("only one unit has a value ({m}), so there is no {what} to divide by"),
        ));
    }
    if crate::stats::negligible_range(m, mx) {
        let detail = if m == mx {
            format!("all {n} values equal {m}")
        } else {
            format!(
                "the {n} values span [{m}, {mx}], a range below {} of their magnitude",
                crate::stats::CONSTANT_RTOL
            )
        };
        return Err(Error::degenerate(
            indicator,
            method,
            format!("{detail}: zero {what} (a constant column)"),
        ));
    }
    Ok(())
}
