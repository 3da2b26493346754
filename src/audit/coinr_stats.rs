//! The indicator statistics table in COINr's columns and flag vocabulary
//! (COINr 1.1.14 `get_stats`, file `R/stats.R`), for users whose scripts and
//! eyes expect `N.Same`, `Frc.Unique` or `Flag.SkewKurt`.
//!
//! For a column `x` of a table with `n` rows, over its `n_avail` non-missing
//! values:
//!
//! | column | definition |
//! |---|---|
//! | `Min`, `Max`, `Mean`, `Median` | of the non-missing values |
//! | `Std` | sample standard deviation (denominator `n_avail - 1`) |
//! | `Skew`, `Kurt` | Excel's `SKEW` and `KURT` ([`stats::skewness`], [`stats::kurtosis`]) |
//! | `N.Avail` | `n_avail` |
//! | `N.NonZero` | number of non-missing values other than 0 |
//! | `N.Unique` | number of distinct non-missing values |
//! | `N.Same` | the largest number of values sharing one value (R's `max(table(x))`) |
//! | `Frc.Avail` | `n_avail / n` |
//! | `Frc.NonZero`, `Frc.Unique`, `Frc.Same` | `N.NonZero`, `N.Unique`, `N.Same` divided by `n_avail` |
//! | `Flag.Avail` | `LOW` when `n_avail / n < t_avail`, else `ok` |
//! | `Flag.NonZero` | `LOW` when `N.NonZero / n < t_zero`, else `ok` |
//! | `Flag.Unique` | `LOW` when `N.Unique / n < t_unq`, else `ok` |
//! | `Flag.SkewKurt` | `OUT` when `abs(Skew) > t_skew` and `Kurt > t_kurt`, else `ok` |
//!
//! Defaults: `t_skew = 2`, `t_kurt = 3.5`, `t_avail = 0.65`, `t_zero = 0.5`,
//! `t_unq = 0.5` ([`CoinrThresholds`]). As in COINr's code (its documentation
//! says otherwise), the non-zero and unique flags divide by the number of rows
//! `n`, while `Frc.NonZero` and `Frc.Unique` divide by `n_avail`. `N.Same`
//! counts values equal to 15 significant digits, because R's `table()` groups
//! the values by their text (`as.character`); `N.Unique` compares exactly, as
//! R's `unique()`. `Flag.SkewKurt` follows R's logic with missing values: it is
//! `ok` when either condition is known to be false, and undefined (`None`) when
//! neither is false but one cannot be computed (fewer than 3 or 4 values, or a
//! constant column).
//!
//! Unlike COINr, which rounds the table to 3 significant figures by default
//! (`nsignif = 3`), the values are kept at full precision; an all-missing
//! column has undefined (`None`) statistics where COINr returns `Inf`, `-Inf`
//! or `NA` with warnings.

use std::collections::HashMap;

use super::DataView;
use crate::error::{Error, Result};
use crate::stats;

/// Thresholds of COINr's flags (COINr's argument names).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoinrThresholds {
    /// Absolute skewness threshold (default 2).
    pub t_skew: f64,
    /// Kurtosis threshold (default 3.5).
    pub t_kurt: f64,
    /// Availability threshold (default 0.65).
    pub t_avail: f64,
    /// Non-zero threshold (default 0.5).
    pub t_zero: f64,
    /// Unique-value threshold (default 0.5).
    pub t_unq: f64,
}

impl Default for CoinrThresholds {
    fn default() -> Self {
        Self {
            t_skew: 2.0,
            t_kurt: 3.5,
            t_avail: 0.65,
            t_zero: 0.5,
            t_unq: 0.5,
        }
    }
}

/// A flag of COINr's statistics table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum CoinrFlag {
    /// `ok`: nothing to report.
    #[cfg_attr(feature = "serde", serde(rename = "ok"))]
    Ok,
    /// `LOW`: below a threshold (availability, non-zeros, unique values).
    #[cfg_attr(feature = "serde", serde(rename = "LOW"))]
    Low,
    /// `OUT`: possible outliers (skewness and kurtosis).
    #[cfg_attr(feature = "serde", serde(rename = "OUT"))]
    Out,
}

impl CoinrFlag {
    /// COINr's text: `ok`, `LOW` or `OUT`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Low => "LOW",
            Self::Out => "OUT",
        }
    }

    /// Whether the flag is raised (`LOW` or `OUT`).
    pub fn is_raised(self) -> bool {
        self != Self::Ok
    }

    fn low_if(low: bool) -> Self {
        if low { Self::Low } else { Self::Ok }
    }
}

/// One row of COINr's statistics table; see the [module docs](self). `None`
/// where COINr would give `NA`, `NaN` or an infinity.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CoinrStats {
    /// `iCode`.
    pub code: String,
    /// `Min`.
    pub min: Option<f64>,
    /// `Max`.
    pub max: Option<f64>,
    /// `Mean`.
    pub mean: Option<f64>,
    /// `Median`.
    pub median: Option<f64>,
    /// `Std`.
    pub std: Option<f64>,
    /// `Skew`.
    pub skew: Option<f64>,
    /// `Kurt`.
    pub kurt: Option<f64>,
    /// `N.Avail`.
    pub n_avail: usize,
    /// `N.NonZero`.
    pub n_nonzero: usize,
    /// `N.Unique`.
    pub n_unique: usize,
    /// `N.Same` (`None` when every value is missing).
    pub n_same: Option<usize>,
    /// `Frc.Avail` (`None` for a table without rows).
    pub frc_avail: Option<f64>,
    /// `Frc.NonZero`.
    pub frc_nonzero: Option<f64>,
    /// `Frc.Unique`.
    pub frc_unique: Option<f64>,
    /// `Frc.Same`.
    pub frc_same: Option<f64>,
    /// `Flag.Avail`.
    pub flag_avail: CoinrFlag,
    /// `Flag.NonZero`.
    pub flag_nonzero: CoinrFlag,
    /// `Flag.Unique`.
    pub flag_unique: CoinrFlag,
    /// `Flag.SkewKurt` (`None` when undefined, see the [module docs](self)).
    pub flag_skew_kurt: Option<CoinrFlag>,
}

/// The headers of COINr's table, in its order.
pub const COINR_STATS_COLUMNS: [&str; 20] = [
    "iCode",
    "Min",
    "Max",
    "Mean",
    "Median",
    "Std",
    "Skew",
    "Kurt",
    "N.Avail",
    "N.NonZero",
    "N.Unique",
    "N.Same",
    "Frc.Avail",
    "Frc.NonZero",
    "Frc.Unique",
    "Frc.Same",
    "Flag.Avail",
    "Flag.NonZero",
    "Flag.Unique",
    "Flag.SkewKurt",
];

/// The key R's `table()` groups a double by: its value to 15 significant
/// digits (`as.character`), with -0 read as 0.
fn r_table_key(v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v:.14e}")
}

/// COINr's statistics of one column; see the [module docs](self).
pub fn coinr_column_stats(code: &str, x: &[f64], t: &CoinrThresholds) -> CoinrStats {
    let n = x.len();
    let n_avail = stats::count(x);
    let n_nonzero = stats::present(x).filter(|&v| v != 0.0).count();
    let mut vals: Vec<f64> = stats::present(x).collect();
    vals.sort_by(f64::total_cmp);
    vals.dedup_by(|a, b| a == b);
    let n_unique = vals.len();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for v in stats::present(x) {
        *counts.entry(r_table_key(v)).or_insert(0) += 1;
    }
    let n_same = counts.values().copied().max();
    let per_avail = |k: usize| (n_avail > 0).then(|| k as f64 / n_avail as f64);
    // Share of the rows at least `t`; with no rows nothing is available (LOW).
    let enough = |k: usize, t: f64| n > 0 && k as f64 / n as f64 >= t;
    let skew = stats::skewness(x);
    let kurt = stats::kurtosis(x);
    let flag_skew_kurt = match (skew.map(|s| s.abs() > t.t_skew), kurt.map(|k| k > t.t_kurt)) {
        (Some(true), Some(true)) => Some(CoinrFlag::Out),
        (Some(false), _) | (_, Some(false)) => Some(CoinrFlag::Ok),
        _ => None,
    };
    let mm = stats::min_max(x);
    CoinrStats {
        code: code.to_owned(),
        min: mm.map(|m| m.0),
        max: mm.map(|m| m.1),
        mean: stats::mean(x),
        median: stats::median(x),
        std: stats::sd(x),
        skew,
        kurt,
        n_avail,
        n_nonzero,
        n_unique,
        n_same,
        frc_avail: (n > 0).then(|| n_avail as f64 / n as f64),
        frc_nonzero: per_avail(n_nonzero),
        frc_unique: per_avail(n_unique),
        frc_same: n_same.and_then(per_avail),
        flag_avail: CoinrFlag::low_if(!enough(n_avail, t.t_avail)),
        flag_nonzero: CoinrFlag::low_if(!enough(n_nonzero, t.t_zero)),
        flag_unique: CoinrFlag::low_if(!enough(n_unique, t.t_unq)),
        flag_skew_kurt,
    }
}

/// COINr's statistics table: one [`CoinrStats`] per column of `data`, in column
/// order.
///
/// # Errors
/// [`Error::InvalidParameter`] for a NaN threshold, or an availability, zero or
/// unique threshold outside `[0, 1]`.
pub fn coinr_stats<'a>(
    data: impl Into<DataView<'a>>,
    thresholds: &CoinrThresholds,
) -> Result<Vec<CoinrStats>> {
    let t = thresholds;
    for (name, v) in [("t_skew", t.t_skew), ("t_kurt", t.t_kurt)] {
        if v.is_nan() {
            return Err(Error::invalid(
                "coinr_stats",
                name,
                None,
                "threshold is NaN",
            ));
        }
    }
    for (name, v) in [
        ("t_avail", t.t_avail),
        ("t_zero", t.t_zero),
        ("t_unq", t.t_unq),
    ] {
        if !(0.0..=1.0).contains(&v) {
            return Err(Error::invalid(
                "coinr_stats",
                name,
                None,
                format!("{v} is outside [0, 1]"),
            ));
        }
    }
    let data = data.into();
    Ok(data
        .columns()
        .iter()
        .enumerate()
        .map(|(j, c)| coinr_column_stats(c, data.column_at(j), thresholds))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    #[test]
    fn counts_fractions_and_flags_by_hand() {
        // n = 8 rows, 6 present: 0, 0, 1, 2, 2, 2.
        let x = [0.0, NAN, 0.0, 1.0, 2.0, 2.0, NAN, 2.0];
        let s = coinr_column_stats("x", &x, &CoinrThresholds::default());
        assert_eq!((s.n_avail, s.n_nonzero, s.n_unique), (6, 4, 3));
        assert_eq!(s.n_same, Some(3));
        assert_eq!(s.frc_avail, Some(0.75));
        assert_eq!(s.frc_nonzero, Some(4.0 / 6.0));
        assert_eq!(s.frc_unique, Some(0.5));
        assert_eq!(s.frc_same, Some(0.5));
        assert_eq!(s.flag_avail, CoinrFlag::Ok); // 0.75 >= 0.65
        assert_eq!(s.flag_nonzero, CoinrFlag::Ok); // 4/8 >= 0.5
        assert_eq!(s.flag_unique, CoinrFlag::Low); // 3/8 < 0.5
        assert_eq!(s.flag_skew_kurt, Some(CoinrFlag::Ok)); // |skew| small
        assert_eq!((s.min, s.max, s.median), (Some(0.0), Some(2.0), Some(1.5)));
    }

    #[test]
    fn same_counts_values_equal_to_15_digits_unique_counts_exactly() {
        let x = [0.1 + 0.2, 0.3, 0.3, 1.0];
        let s = coinr_column_stats("x", &x, &CoinrThresholds::default());
        assert_eq!(s.n_unique, 3);
        assert_eq!(s.n_same, Some(3));
        let s = coinr_column_stats("z", &[-0.0, 0.0, 5.0], &CoinrThresholds::default());
        assert_eq!((s.n_unique, s.n_same), (2, Some(2)));
    }

    #[test]
    fn outliers_and_undefined_skew_follow_r_logic() {
        let mut x = vec![1.0; 30];
        x.push(100.0);
        let s = coinr_column_stats("x", &x, &CoinrThresholds::default());
        assert_eq!(s.flag_skew_kurt, Some(CoinrFlag::Out));
        assert_eq!(s.flag_skew_kurt.map(CoinrFlag::as_str), Some("OUT"));
        // Constant: skew and kurtosis undefined, so is the flag.
        let s = coinr_column_stats("c", &[3.0; 5], &CoinrThresholds::default());
        assert_eq!(s.flag_skew_kurt, None);
        assert_eq!(s.n_same, Some(5));
        // All missing.
        let s = coinr_column_stats("m", &[NAN, NAN], &CoinrThresholds::default());
        assert_eq!((s.n_same, s.frc_same, s.min), (None, None, None));
        assert_eq!(s.flag_avail, CoinrFlag::Low);
    }

    #[test]
    fn bad_thresholds_are_refused() {
        let d =
            crate::Dataset::from_columns(vec!["A".into()], vec![("x".into(), vec![1.0])]).unwrap();
        let t = CoinrThresholds {
            t_unq: 1.5,
            ..CoinrThresholds::default()
        };
        assert!(matches!(
            coinr_stats(&d, &t),
            Err(Error::InvalidParameter { .. })
        ));
        assert_eq!(
            coinr_stats(&d, &CoinrThresholds::default()).unwrap().len(),
            1
        );
    }
}
