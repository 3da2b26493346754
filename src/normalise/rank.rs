//! Rank-based normalisations: rank, Borda score, percentile rank.
//!
//! Ranks are ascending "sport" ranks: the smallest value has rank 1 and tied values
//! share the minimum rank (R's `rank(ties.method = "min")`). They are unchanged by
//! any increasing transformation of the data. [`rank_with`] can instead give tied
//! values the average of their ranks ([`Ties::Average`], R's default and what
//! Compind's `normalise_ci` always does, METHODS 8.10 B5).

use super::Ties;
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

/// The applied part of [`rank_with`] with [`Ties::Average`]: with `b` the number
/// of reference values strictly below `x` and `e` the number equal to it,
/// `y = b + (e + 1)/2`, the average of the ranks `b + 1, ..., b + e` of the `e`
/// reference values equal to `x`, or `b + 1` (as [`Ties::Min`]) when no
/// reference value equals `x` (missing stays missing).
pub(crate) fn apply_rank_average(x: &mut [f64], sorted: &[f64]) {
    for v in x.iter_mut().filter(|v| !v.is_nan()) {
        let below = sorted.partition_point(|r| r < v);
        let equal = sorted[below..].partition_point(|r| r <= v);
        *v = if equal == 0 {
            (below + 1) as f64
        } else {
            below as f64 + (equal as f64 + 1.0) / 2.0
        };
    }
}

/// The applied part of [`rank_with`].
pub(crate) fn apply_rank_with(x: &mut [f64], sorted: &[f64], ties: Ties) {
    match ties {
        Ties::Min => apply_rank(x, sorted),
        Ties::Average => apply_rank_average(x, sorted),
    }
}

/// Ascending ranks with the given rule for ties: [`Ties::Min`] is [`rank`];
/// [`Ties::Average`] gives the `e` values tied after `b` smaller ones the rank
/// `b + (e + 1)/2` (R's `rank(x, ties.method = "average", na.last = "keep")`,
/// Compind `normalise_ci(method = 3)`). Missing stays missing.
///
/// ```
/// use composite_index::normalise::{Ties, rank::rank_with};
/// let mut x = [10.0, 30.0, 20.0, 30.0, f64::NAN];
/// rank_with(&mut x, Ties::Average);
/// assert_eq!(&x[..4], &[1.0, 3.5, 2.0, 3.5]);
/// assert!(x[4].is_nan());
/// ```
pub fn rank_with(x: &mut [f64], ties: Ties) {
    apply_rank_with(x, &fit_ranks(x), ties);
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

    #[test]
    fn average_ties_by_hand() {
        // R: rank(c(1, 2, 2, 3)) = 1, 2.5, 2.5, 4 (METHODS 8.10 B5).
        let mut x = [1.0, 2.0, 2.0, 3.0];
        rank_with(&mut x, Ties::Average);
        assert_eq!(x, [1.0, 2.5, 2.5, 4.0]);
        // Three tied at the top, missing kept: rank(c(5, NA, 7, 7, 7), na.last = "keep").
        let mut x = [5.0, f64::NAN, 7.0, 7.0, 7.0];
        rank_with(&mut x, Ties::Average);
        assert_eq!(x[0], 1.0);
        assert!(x[1].is_nan());
        assert_eq!(&x[2..], &[3.0, 3.0, 3.0]);
        // No ties: both rules agree with `rank`.
        let base = [4.0, -1.0, 2.5, 9.0];
        let (mut a, mut b, mut c) = (base, base, base);
        rank(&mut a);
        rank_with(&mut b, Ties::Min);
        rank_with(&mut c, Ties::Average);
        assert_eq!(a, [3.0, 1.0, 2.0, 4.0]);
        assert_eq!(a, b);
        assert_eq!(a, c);
        // Ties::Min is `rank`.
        let mut m = [1.0, 2.0, 2.0, 3.0];
        rank_with(&mut m, Ties::Min);
        assert_eq!(m, [1.0, 2.0, 2.0, 4.0]);
    }

    #[test]
    fn average_ties_on_new_values() {
        // Reference 1, 2, 2, 3: a value equal to the two 2s gets their average
        // rank 2.5; a value between reference values keeps 1 + #{below}.
        let sorted = fit_ranks(&[3.0, 2.0, 1.0, 2.0]);
        let mut y = [2.0, 2.5, 0.0, 3.0, 10.0, f64::NAN];
        apply_rank_average(&mut y, &sorted);
        assert_eq!(&y[..5], &[2.5, 4.0, 1.0, 4.0, 5.0]);
        assert!(y[5].is_nan());
    }
}
