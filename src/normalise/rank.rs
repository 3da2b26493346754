//! Rank-based normalisations: rank, Borda score, percentile rank.
//!
//! Ranks are ascending "sport" ranks: the smallest value has rank 1 and tied values
//! share the minimum rank (R's `rank(ties.method = "min")`). They are unchanged by
//! any increasing transformation of the data.

use crate::error::{Error, Result};
use crate::stats;

fn rank_in_place(x: &mut [f64]) {
    let r = stats::rank_min(x);
    x.copy_from_slice(&r);
}

/// Ascending ranks, ties at the minimum: `y = rank(x)`. COINr `n_rank`.
pub fn rank(x: &mut [f64]) {
    rank_in_place(x);
}

/// Borda scores: `y = rank(x) - 1` (the number of units strictly below). COINr `n_borda`.
pub fn borda(x: &mut [f64]) {
    rank_in_place(x);
    x.iter_mut().for_each(|v| *v -= 1.0);
}

/// Percentile ranks: `y = (rank(x) - 1)/(n - 1)` with `n` the number of non-missing
/// values, so the lowest value gets 0 and the highest 1. COINr `n_prank`.
///
/// # Errors
/// [`Error::DegenerateColumn`] for fewer than two non-missing values.
pub fn percentile_rank(x: &mut [f64], indicator: &str) -> Result<()> {
    let n = stats::count(x);
    if n < 2 {
        return Err(Error::degenerate(
            indicator,
            "percentile_rank",
            "fewer than two non-missing values",
        ));
    }
    rank_in_place(x);
    let d = (n - 1) as f64;
    x.iter_mut().for_each(|v| *v = (*v - 1.0) / d);
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
