//! The indicator statistics table (COINr `get_stats`; METHODS.md section 3).
//!
//! One row per column: minimum, maximum, mean, median, standard deviation,
//! skewness, excess kurtosis, availability, share of zeros and number of unique
//! values, with three flags: outliers (`|skew| > 2 AND kurtosis > 3.5`), low
//! availability (`< 0.65`) and many zeros (`> 0.5`). The thresholds are parameters
//! ([`StatsThresholds`]) with these defaults.
//!
//! Reference: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
//! step 4 (multivariate analysis) and step 3 (outliers); Joanes and Gill (1998)
//! for the skewness and kurtosis estimators.

use super::DataView;
use crate::error::{Error, Result};
use crate::stats;

/// Thresholds of the flags of the statistics table.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct StatsThresholds {
    /// Absolute skewness above which (together with `kurt`) a column is flagged (default 2).
    pub skew: f64,
    /// Excess kurtosis above which (together with `skew`) a column is flagged (default 3.5).
    pub kurt: f64,
    /// Availability below which a column is flagged (default 0.65).
    pub availability: f64,
    /// Share of zeros above which a column is flagged (default 0.5).
    pub zeros: f64,
}

impl Default for StatsThresholds {
    fn default() -> Self {
        Self {
            skew: 2.0,
            kurt: 3.5,
            availability: 0.65,
            zeros: 0.5,
        }
    }
}

impl StatsThresholds {
    fn validate(&self) -> Result<()> {
        for (name, v) in [("skew", self.skew), ("kurt", self.kurt)] {
            if v.is_nan() {
                return Err(Error::invalid(
                    "indicator_stats",
                    name,
                    None,
                    "threshold is NaN",
                ));
            }
        }
        for (name, v) in [("availability", self.availability), ("zeros", self.zeros)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::invalid(
                    "indicator_stats",
                    name,
                    None,
                    format!("{v} is outside [0, 1]"),
                ));
            }
        }
        Ok(())
    }
}

/// One row of the statistics table. Statistics over the non-missing values; `None`
/// where undefined.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct IndicatorStats {
    /// Column code.
    pub code: String,
    /// Number of units (rows), missing included.
    pub n_units: usize,
    /// Number of non-missing values.
    pub n_present: usize,
    /// `n_present / n_units` (0 for a table without rows).
    pub availability: f64,
    /// Minimum (`None` when all values are missing).
    pub min: Option<f64>,
    /// Maximum.
    pub max: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Median (mean of the two middle values for an even count).
    pub median: Option<f64>,
    /// Sample standard deviation, denominator `n - 1` (`None` for fewer than 2 values).
    pub sd: Option<f64>,
    /// Skewness, Excel `SKEW` ([`stats::skewness`]; `None` for fewer than 3 values or a constant column).
    pub skewness: Option<f64>,
    /// Excess kurtosis, Excel `KURT` ([`stats::kurtosis`]; `None` for fewer than 4 values or a constant column).
    pub kurtosis: Option<f64>,
    /// Share of zeros among the non-missing values (`None` when all are missing).
    pub share_zeros: Option<f64>,
    /// Number of distinct non-missing values.
    pub n_unique: usize,
    /// `|skewness| > skew AND kurtosis > kurt` (false when either is undefined).
    pub outlier_flag: bool,
    /// `availability < availability threshold`.
    pub low_availability: bool,
    /// `share_zeros > zeros threshold`.
    pub many_zeros: bool,
}

/// Statistics of one column (see [`IndicatorStats`] for each field's definition).
///
/// Missing values (NaN) are skipped; availability counts them. Never fails: an
/// all-missing or constant column gives `None` for what is undefined.
pub fn column_stats(code: &str, x: &[f64], thresholds: &StatsThresholds) -> IndicatorStats {
    let n_units = x.len();
    let n_present = stats::count(x);
    let availability = if n_units == 0 {
        0.0
    } else {
        n_present as f64 / n_units as f64
    };
    let mm = stats::min_max(x);
    let skewness = stats::skewness(x);
    let kurtosis = stats::kurtosis(x);
    let share_zeros = (n_present > 0)
        .then(|| stats::present(x).filter(|&v| v == 0.0).count() as f64 / n_present as f64);
    let mut vals: Vec<f64> = stats::present(x).collect();
    vals.sort_by(f64::total_cmp);
    vals.dedup_by(|a, b| a == b);
    let outlier_flag = matches!((skewness, kurtosis), (Some(s), Some(k)) if s.abs() > thresholds.skew && k > thresholds.kurt);
    IndicatorStats {
        code: code.to_owned(),
        n_units,
        n_present,
        availability,
        min: mm.map(|m| m.0),
        max: mm.map(|m| m.1),
        mean: stats::mean(x),
        median: stats::median(x),
        sd: stats::sd(x),
        skewness,
        kurtosis,
        share_zeros,
        n_unique: vals.len(),
        outlier_flag,
        low_availability: availability < thresholds.availability,
        many_zeros: share_zeros.is_some_and(|z| z > thresholds.zeros),
    }
}

/// The statistics table: one [`IndicatorStats`] per column of `data`, in column order.
///
/// Works on any data set (raw, treated, normalised, aggregated); select rows of the
/// result by code for one group of the framework.
///
/// # Errors
/// [`Error::InvalidParameter`] for a NaN skew or kurtosis threshold, or an
/// availability or zeros threshold outside `[0, 1]`.
pub fn indicator_stats<'a>(
    data: impl Into<DataView<'a>>,
    thresholds: &StatsThresholds,
) -> Result<Vec<IndicatorStats>> {
    thresholds.validate()?;
    let data = data.into();
    Ok(data
        .columns()
        .iter()
        .enumerate()
        .map(|(j, c)| column_stats(c, data.column_at(j), thresholds))
        .collect())
}
