//! Normalisation split into what is learned from data and what is applied.
//!
//! Every built-in method is two functions: a *fit* that reads the reference
//! column (its minimum and maximum, mean and standard deviation, sorted values,
//! the reference unit's value...) and an *apply* that transforms any column with
//! those parameters. [`NormaliseMethod::fit`] returns the parameters as a
//! [`FittedNormaliser`]; [`FittedNormaliser::apply`] applies them. A plain run is
//! exactly fit-then-apply on the same column (that is how
//! [`Normaliser::normalise`] is implemented for the built-in methods), so applying
//! the parameters fitted on a reference column to that column gives the same bits
//! as normalising it, and applying them to new data scores it against the
//! reference without refitting.
//!
//! Outside the reference range the formulas extrapolate: a value above the
//! reference maximum gets a min-max score above `hi`, a rank counts the reference
//! values strictly below it, and so on.

#[cfg(doc)]
use super::Normaliser;
use super::{
    ColumnContext, NormaliseMethod, Ties, distance, goalposts, min_max, rank, scaled, z_score,
};
use crate::error::{Error, Result};

/// The parameters of one indicator's normalisation, fitted on reference data
/// (serde: internally tagged by `method`). Column parameters are on the
/// direction-adjusted scale (the column times the indicator's direction).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)
)]
#[non_exhaustive]
pub enum FittedNormaliser {
    /// Min-max: `(x - min) * (hi - lo)/(max - min) + lo`.
    MinMax {
        /// Lower bound of the output.
        lo: f64,
        /// Upper bound of the output.
        hi: f64,
        /// Fitted minimum.
        min: f64,
        /// Fitted maximum (`> min`).
        max: f64,
    },
    /// Z-score: `(x - centre) * sd/scale + mean`.
    ZScore {
        /// Mean of the output.
        mean: f64,
        /// Standard deviation of the output.
        sd: f64,
        /// Fitted mean of the column.
        centre: f64,
        /// Fitted sample standard deviation of the column (`> 0`).
        scale: f64,
    },
    /// Fixed bounds (nothing fitted).
    Scaled {
        /// `p1`.
        lo: f64,
        /// `p2`.
        hi: f64,
        /// Scale factor.
        factor: f64,
    },
    /// Rank among the reference values: `1 + #{reference < x}`; with
    /// [`Ties::Average`], `b + (e + 1)/2` for a value equal to `e >= 1`
    /// reference values with `b` below it.
    Rank {
        /// Non-missing reference values, sorted ascending.
        reference: Vec<f64>,
        /// How tied values are ranked (default [`Ties::Min`]).
        #[cfg_attr(
            feature = "serde",
            serde(default, skip_serializing_if = "Ties::is_min")
        )]
        ties: Ties,
    },
    /// Borda score: `#{reference < x}`.
    Borda {
        /// Non-missing reference values, sorted ascending.
        reference: Vec<f64>,
    },
    /// Percentile rank: `#{reference < x}/(n - 1)`.
    PercentileRank {
        /// Non-missing reference values (at least two), sorted ascending.
        reference: Vec<f64>,
    },
    /// Goalposts (nothing fitted).
    Goalposts {
        /// Lower goalpost.
        lo: f64,
        /// Upper goalpost.
        hi: f64,
        /// Scale factor.
        scale: f64,
        /// Clip to `[0, 1]` before scaling.
        truncate: bool,
        /// The indicator's direction (the posts swap roles for -1).
        direction: f64,
    },
    /// Distance to a target: `(x - min)/(target - min)`, optionally capped at 1.
    DistanceToTarget {
        /// Direction-adjusted target.
        target: f64,
        /// Fitted minimum.
        min: f64,
        /// Cap at 1.
        cap: bool,
    },
    /// Distance to a reference unit: `1 - (reference - x)/(reference - min)`.
    DistanceToReference {
        /// Fitted value of the reference unit.
        reference: f64,
        /// Fitted minimum.
        min: f64,
    },
    /// Distance to the maximum: `1 - (max - x)/(max - min)`.
    DistanceToMax {
        /// Fitted minimum.
        min: f64,
        /// Fitted maximum.
        max: f64,
    },
    /// Fraction of the maximum: `x / max`.
    FractionOfMax {
        /// Fitted (non-zero) maximum.
        max: f64,
    },
    /// No transformation.
    None {},
}

impl FittedNormaliser {
    /// Name of the method, as in specifications.
    pub fn name(&self) -> &'static str {
        match self {
            Self::MinMax { .. } => "min_max",
            Self::ZScore { .. } => "z_score",
            Self::Scaled { .. } => "scaled",
            Self::Rank { .. } => "rank",
            Self::Borda { .. } => "borda",
            Self::PercentileRank { .. } => "percentile_rank",
            Self::Goalposts { .. } => "goalposts",
            Self::DistanceToTarget { .. } => "distance_to_target",
            Self::DistanceToReference { .. } => "distance_to_reference",
            Self::DistanceToMax { .. } => "distance_to_max",
            Self::FractionOfMax { .. } => "fraction_of_max",
            Self::None {} => "none",
        }
    }

    /// Applies the fitted parameters to a direction-adjusted column in place
    /// (missing stays missing).
    pub fn apply(&self, x: &mut [f64]) {
        match self {
            Self::MinMax { lo, hi, min, max } => min_max::apply_min_max(x, *min, *max, *lo, *hi),
            Self::ZScore {
                mean,
                sd,
                centre,
                scale,
            } => z_score::apply_z_score(x, *centre, *scale, *mean, *sd),
            Self::Scaled { lo, hi, factor } => scaled::scaled(x, *lo, *hi, *factor),
            Self::Rank { reference, ties } => rank::apply_rank_with(x, reference, *ties),
            Self::Borda { reference } => rank::apply_borda(x, reference),
            Self::PercentileRank { reference } => rank::apply_percentile_rank(x, reference),
            Self::Goalposts {
                lo,
                hi,
                scale,
                truncate,
                direction,
            } => goalposts::goalposts(x, *lo, *hi, *scale, *truncate, *direction),
            Self::DistanceToTarget { target, min, cap } => {
                distance::apply_distance_to_target(x, *min, *target, *cap);
            }
            Self::DistanceToReference { reference, min } => {
                distance::apply_distance_to_reference(x, *min, *reference);
            }
            Self::DistanceToMax { min, max } => distance::apply_distance_to_max(x, *min, *max),
            Self::FractionOfMax { max } => distance::apply_fraction_of_max(x, *max),
            Self::None {} => {}
        }
    }

    /// Checks parameters read from a file: finite, bounds in order, reference
    /// values sorted and finite. `indicator` is named in errors.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the method, the parameter and the indicator.
    pub fn validate(&self, indicator: &str) -> Result<()> {
        let m = self.name();
        let bad = |p: &str, msg: String| Err(Error::invalid(m, p, Some(indicator), msg));
        let finite = |p: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                bad(p, format!("{v} is not finite"))
            }
        };
        match self {
            Self::MinMax { lo, hi, min, max } => {
                for (p, v) in [("lo", *lo), ("hi", *hi), ("min", *min), ("max", *max)] {
                    finite(p, v)?;
                }
                if min >= max {
                    return bad("max", format!("max ({max}) must exceed min ({min})"));
                }
            }
            Self::ZScore {
                mean,
                sd,
                centre,
                scale,
            } => {
                for (p, v) in [
                    ("mean", *mean),
                    ("sd", *sd),
                    ("centre", *centre),
                    ("scale", *scale),
                ] {
                    finite(p, v)?;
                }
                if *scale <= 0.0 {
                    return bad("scale", format!("scale ({scale}) must be positive"));
                }
            }
            Self::Rank { reference, .. } | Self::Borda { reference } => {
                check_sorted(reference, 1, m, indicator)?
            }
            Self::PercentileRank { reference } => check_sorted(reference, 2, m, indicator)?,
            Self::DistanceToTarget { target, min, .. } => {
                finite("target", *target)?;
                finite("min", *min)?;
                if target == min {
                    return bad("target", "the target equals the fitted minimum".into());
                }
            }
            Self::DistanceToReference { reference, min } => {
                finite("reference", *reference)?;
                finite("min", *min)?;
                if reference == min {
                    return bad(
                        "reference",
                        "the reference value equals the fitted minimum".into(),
                    );
                }
            }
            Self::DistanceToMax { min, max } => {
                finite("min", *min)?;
                finite("max", *max)?;
                if min >= max {
                    return bad("max", format!("max ({max}) must exceed min ({min})"));
                }
            }
            Self::FractionOfMax { max } => {
                finite("max", *max)?;
                if *max == 0.0 {
                    return bad("max", "the maximum is zero".into());
                }
            }
            Self::Scaled { lo, hi, factor } => {
                for (p, v) in [("lo", *lo), ("hi", *hi), ("factor", *factor)] {
                    finite(p, v)?;
                }
                if lo == hi {
                    return bad("hi", "lo and hi must differ".into());
                }
            }
            Self::Goalposts {
                lo,
                hi,
                scale,
                direction,
                ..
            } => {
                for (p, v) in [
                    ("lo", *lo),
                    ("hi", *hi),
                    ("scale", *scale),
                    ("direction", *direction),
                ] {
                    finite(p, v)?;
                }
                if lo >= hi {
                    return bad("hi", format!("hi ({hi}) must exceed lo ({lo})"));
                }
            }
            Self::None {} => {}
        }
        Ok(())
    }
}

fn check_sorted(reference: &[f64], min_len: usize, method: &str, indicator: &str) -> Result<()> {
    if reference.len() < min_len {
        return Err(Error::invalid(
            method,
            "reference",
            Some(indicator),
            format!(
                "needs at least {min_len} reference values, found {}",
                reference.len()
            ),
        ));
    }
    if reference.iter().any(|v| !v.is_finite()) || reference.windows(2).any(|w| w[0] > w[1]) {
        return Err(Error::invalid(
            method,
            "reference",
            Some(indicator),
            "reference values must be finite and sorted ascending",
        ));
    }
    Ok(())
}

impl NormaliseMethod {
    /// Fits the method on a direction-adjusted reference column: what it learns
    /// from the data, ready to [`apply`](FittedNormaliser::apply) to this or any
    /// other column. Normalising is fitting then applying (see the [module
    /// docs](self)).
    ///
    /// # Errors
    /// The method's degenerate-column errors (empty column, zero range, zero
    /// standard deviation, target at the minimum...), [`Error::UnknownCode`] for a
    /// reference unit not in `ctx.units` or a [`NormaliseMethod::Custom`] method
    /// (custom methods have no fitted form), and [`Error::InvalidParameter`] for a
    /// distance to target without a target.
    pub fn fit(&self, x: &[f64], ctx: &ColumnContext<'_>) -> Result<FittedNormaliser> {
        let ind = ctx.indicator;
        Ok(match self {
            Self::MinMax { lo, hi } => {
                let (min, max) = min_max::fit_min_max(x, ind)?;
                FittedNormaliser::MinMax {
                    lo: *lo,
                    hi: *hi,
                    min,
                    max,
                }
            }
            Self::ZScore { mean, sd } => {
                let (centre, scale) = z_score::fit_z_score(x, ind)?;
                FittedNormaliser::ZScore {
                    mean: *mean,
                    sd: *sd,
                    centre,
                    scale,
                }
            }
            Self::Scaled { lo, hi, factor } => FittedNormaliser::Scaled {
                lo: *lo,
                hi: *hi,
                factor: *factor,
            },
            Self::Rank { ties } => FittedNormaliser::Rank {
                reference: rank::fit_ranks(x),
                ties: *ties,
            },
            Self::Borda {} => FittedNormaliser::Borda {
                reference: rank::fit_ranks(x),
            },
            Self::PercentileRank {} => FittedNormaliser::PercentileRank {
                reference: rank::fit_percentile_rank(x, ind)?,
            },
            Self::Goalposts {
                lo,
                hi,
                scale,
                truncate,
            } => FittedNormaliser::Goalposts {
                lo: *lo,
                hi: *hi,
                scale: *scale,
                truncate: *truncate,
                direction: ctx.direction,
            },
            Self::DistanceToTarget { target, cap } => {
                let t = target.or(ctx.target).ok_or_else(|| {
                    Error::invalid(
                        "distance_to_target",
                        "target",
                        Some(ind),
                        "no target given and none in the framework",
                    )
                })? * ctx.direction;
                FittedNormaliser::DistanceToTarget {
                    target: t,
                    min: distance::fit_distance_to_target(x, t, ind)?,
                    cap: *cap,
                }
            }
            Self::DistanceToReference { unit } => {
                let r =
                    ctx.units
                        .iter()
                        .position(|u| u == unit)
                        .ok_or_else(|| Error::UnknownCode {
                            kind: "unit",
                            code: unit.clone(),
                            context: format!("distance_to_reference for {ind:?}"),
                        })?;
                let (min, reference) = distance::fit_distance_to_reference(x, r, ind, unit)?;
                FittedNormaliser::DistanceToReference { reference, min }
            }
            Self::DistanceToMax {} => {
                let (min, max) = distance::fit_distance_to_max(x, ind)?;
                FittedNormaliser::DistanceToMax { min, max }
            }
            Self::FractionOfMax {} => FittedNormaliser::FractionOfMax {
                max: distance::fit_fraction_of_max(x, ind)?,
            },
            Self::None {} => FittedNormaliser::None {},
            Self::Custom { name } => {
                return Err(Error::UnknownCode {
                    kind: "custom normaliser",
                    code: name.clone(),
                    context: format!(
                        "normalisation of {ind:?} (a custom method has no fitted form; register it with the pipeline for plain runs)"
                    ),
                });
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(units: &'a [String], direction: f64) -> ColumnContext<'a> {
        ColumnContext {
            indicator: "x",
            units,
            direction,
            target: Some(9.0),
        }
    }

    /// Fitting on a column and applying to it equals normalising it, bit for bit;
    /// applying to other values extrapolates with the reference parameters.
    #[test]
    fn fit_apply_equals_normalise_and_scores_new_values() {
        let units: Vec<String> = ["A", "B", "C", "D", "E"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let x = [3.0, 1.5, f64::NAN, 7.25, 1.5];
        let methods = [
            NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 },
            NormaliseMethod::ZScore {
                mean: 10.0,
                sd: 2.0,
            },
            NormaliseMethod::Scaled {
                lo: 1.0,
                hi: 4.0,
                factor: 100.0,
            },
            NormaliseMethod::Rank { ties: Ties::Min },
            NormaliseMethod::Rank {
                ties: Ties::Average,
            },
            NormaliseMethod::Borda {},
            NormaliseMethod::PercentileRank {},
            NormaliseMethod::Goalposts {
                lo: 0.0,
                hi: 10.0,
                scale: 100.0,
                truncate: true,
            },
            NormaliseMethod::DistanceToTarget {
                target: None,
                cap: false,
            },
            NormaliseMethod::DistanceToReference { unit: "A".into() },
            NormaliseMethod::DistanceToMax {},
            NormaliseMethod::FractionOfMax {},
            NormaliseMethod::None {},
        ];
        for m in &methods {
            let c = ctx(&units, 1.0);
            let mut plain = x;
            crate::normalise::Normaliser::normalise(m, &mut plain, &c).unwrap();
            let f = m.fit(&x, &c).unwrap();
            f.validate("x").unwrap();
            let mut applied = x;
            f.apply(&mut applied);
            for (a, b) in plain.iter().zip(&applied) {
                assert!(a.to_bits() == b.to_bits(), "{}: {a} vs {b}", m.name());
            }
            assert_eq!(f.name(), m.name());
        }
        // New values against the reference: min-max extrapolates, ranks count below.
        let c = ctx(&units, 1.0);
        let mut y = [8.5, 1.0, 3.0];
        NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 }
            .fit(&x, &c)
            .unwrap()
            .apply(&mut y);
        let s = 100.0 / 5.75;
        assert_eq!(y, [(8.5 - 1.5) * s, (1.0 - 1.5) * s, (3.0 - 1.5) * s]);
        let mut y = [8.5, 1.0, 3.0, 1.5];
        NormaliseMethod::Rank { ties: Ties::Min }
            .fit(&x, &c)
            .unwrap()
            .apply(&mut y);
        assert_eq!(y, [5.0, 1.0, 3.0, 1.0]);
        // Average ties: 1.5 equals the two reference values ranked 1 and 2.
        let mut y = [8.5, 1.0, 3.0, 1.5];
        NormaliseMethod::Rank {
            ties: Ties::Average,
        }
        .fit(&x, &c)
        .unwrap()
        .apply(&mut y);
        assert_eq!(y, [5.0, 1.0, 3.0, 1.5]);
    }

    /// A fitted rank keeps its tie rule through serde; one saved without the
    /// `ties` key (before the option existed) reads as the minimum rule.
    #[cfg(feature = "serde")]
    #[test]
    fn fitted_rank_ties_round_trip() {
        let f = FittedNormaliser::Rank {
            reference: vec![1.0, 2.0, 2.0],
            ties: Ties::Average,
        };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(
            json,
            r#"{"method":"rank","reference":[1.0,2.0,2.0],"ties":"average"}"#
        );
        assert_eq!(serde_json::from_str::<FittedNormaliser>(&json).unwrap(), f);
        let old = r#"{"method":"rank","reference":[1.0,2.0,2.0]}"#;
        let back: FittedNormaliser = serde_json::from_str(old).unwrap();
        assert_eq!(
            back,
            FittedNormaliser::Rank {
                reference: vec![1.0, 2.0, 2.0],
                ties: Ties::Min,
            }
        );
        assert_eq!(serde_json::to_string(&back).unwrap(), old);
    }

    #[test]
    fn custom_has_no_fitted_form_and_bad_parameters_are_caught() {
        let units = vec!["A".to_string()];
        let c = ctx(&units, 1.0);
        assert!(
            NormaliseMethod::Custom {
                name: "mine".into()
            }
            .fit(&[1.0], &c)
            .is_err()
        );
        let bad = FittedNormaliser::MinMax {
            lo: 0.0,
            hi: 1.0,
            min: 2.0,
            max: 2.0,
        };
        assert!(bad.validate("x").is_err());
        let unsorted = FittedNormaliser::Rank {
            reference: vec![2.0, 1.0],
            ties: Ties::Average,
        };
        assert!(unsorted.validate("x").is_err());
    }
}
