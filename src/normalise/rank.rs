//! Rank-based normalisations: rank, Borda score, percentile rank.
//!
//! Ranks are ascending "sport" ranks: the smallest value has rank 1 and tied values
//! share the minimum rank (R's `rank(ties.method = "min")`). They are unchanged by
//! any increasing transformation of the data.

use crate::error::{Error, Result};
use crate::stats;

/// The fitted part of the rank methods: the non-missing values of the reference
/// column, sorted ascending. A value's rank is then one plus the number of
/// reference values strictly below it, which on the reference column itself is
/// its rank with ties at the minimum, and for any other value its rank among the
/// reference values.
pub(crate) fn fit_ranks(x: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = stats::present(x).collect();
    sorted.sort_by(f64::total_cmp);
    sorted
}

/// The applied part of [`rank`]: `y = 1 + #{reference values < x}` (missing stays missing).
pub(crate) fn apply_rank(x: &mut [f64], sorted: &[f64]) {
    for v in x.iter_mut().filter(|v| !v.is_nan()) {
        *v = (sorted.partition_point(|r| r < v) + 1) as f64;
    }
}

/// Ascending ranks, ties at the minimum: `y = rank(x)`. COINr `n_rank`.
pub fn rank(x: &mut [f64]) {
    apply_rank(x, &fit_ranks(x));
}

/// The applied part of [`borda`]: `y = #{reference values < x}`.
pub(crate) fn apply_borda(x: &mut [f64], sorted: &[f64]) {
    apply_rank(x, sorted);
    x.iter_mut().for_each(|v| *v -= 1.0);
}

/// Borda scores: `y = rank(x) - 1` (the number of units strictly below). COINr `n_borda`.
pub fn borda(x: &mut [f64]) {
    apply_borda(x, &fit_ranks(x));
}

/// The fitted part of [`percentile_rank`]: as [`fit_ranks`], with at least two values.
///
/// # Errors
/// As [`percentile_rank`].
pub(crate) fn fit_percentile_rank(x: &[f64], indicator: &str) -> Result<Vec<f64>> {
    let sorted = fit_ranks(x);
    if sorted.len() < 2 {
        return Err(Error::degenerate(
            indicator,
            "percentile_rank",
            "fewer than two non-missing values",
        ));
    }
    Ok(sorted)
}

/// The applied part of [`percentile_rank`]: `y = (rank - 1)/(n - 1)` with ranks
/// and `n` taken from the (at least two) sorted reference values.
pub(crate) fn apply_percentile_rank(x: &mut [f64], sorted: &[f64]) {
    apply_rank(x, sorted);
    let d = (sorted.len() - 1) as f64;
    x.iter_mut().for_each(|v| *v = (*v - 1.0) / d);
}

/// Percentile ranks: `y = (rank(x) - 1)/(n - 1)` with `n` the number of non-missing
/// values, so the lowest value gets 0 and the highest 1. COINr `n_prank`.
///
/// # Errors
/// [`Error::DegenerateColumn`] for fewer than two non-missing values.
pub fn percentile_rank(x: &mut [f64], indicator: &str) -> Result<()> {
    let sorted = fit_percentile_rank(x, indicator)?;
    apply_percentile_rank(x, &sorted);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let mut x = [10.0, 30.0, 20.0, 30.0, f64::NAN];
        rank(&mut x);
        assert_eq!(&x[..4], &[1.0, 3.0, 2.0, 3.0]);
        let mut x = [10.0, 30.0, 20.0, 30.0];
        borda(&mut x);
        assert_eq!(x, [0.0, 2.0, 1.0, 2.0]);
        let mut x = [10.0, 30.0, 20.0, 30.0, f64::NAN];
        percentile_rank(&mut x, "x").unwrap();
        assert_eq!(&x[..4], &[0.0, 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0]);
        assert!(x[4].is_nan());
        assert!(percentile_rank(&mut [1.0, f64::NAN], "x").is_err());
    }
}
