//! Z-score standardisation.

use crate::error::{Error, Result};
use crate::stats;

/// Z-scores rescaled to mean `a` and standard deviation `s`:
/// `y = (x - mean(x))/sd(x) * s + a`, with the sample standard deviation
/// (denominator `n - 1`, as R's `sd`).
///
/// Reference: OECD/JRC Handbook (2008), section 5, "standardisation"; COINr `n_zscore`.
///
/// Values beyond `2^±200` are first scaled by an exact power of two (z-scores are
/// unchanged by it), so that neither the sum of squares nor a difference overflows.
///
/// # Errors
/// [`Error::DegenerateColumn`] for fewer than two values, or a constant column:
/// one whose range is negligible against its magnitude
/// ([`stats::is_constant`], relative tolerance 1e-12).
pub fn z_score(x: &mut [f64], a: f64, s: f64, indicator: &str) -> Result<()> {
    let (m, mx) = super::range_or_err(x, indicator, "z_score")?;
    super::check_spread(x, m, mx, indicator, "z_score", "standard deviation")?;
    stats::rescale_in_place(x);
    let mean = stats::mean(x);
    let sd = stats::sd(x);
    let (Some(mean), Some(sd)) = (mean, sd) else {
        return Err(Error::degenerate(
            indicator,
            "z_score",
            "fewer than two non-missing values",
        ));
    };
    if sd == 0.0 {
        return Err(Error::degenerate(
            indicator,
            "z_score",
            format!("all values equal {mean}: zero standard deviation"),
        ));
    }
    let k = s / sd;
    for v in x.iter_mut() {
        *v = (*v - mean) * k + a;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn by_hand() {
        // mean 2, sd 1
        let mut x = [1.0, 2.0, 3.0, f64::NAN];
        z_score(&mut x, 10.0, 2.0, "x").unwrap();
        assert_relative_eq!(x[0], 8.0);
        assert_relative_eq!(x[1], 10.0);
        assert_relative_eq!(x[2], 12.0);
        assert!(x[3].is_nan());
    }

    #[test]
    fn constant_is_an_error() {
        assert!(z_score(&mut [1.0, 1.0], 0.0, 1.0, "c").is_err());
        assert!(z_score(&mut [1.0, f64::NAN], 0.0, 1.0, "c").is_err());
        // The mean of [0.1; 7] is not exactly 0.1: the range test still sees a constant.
        assert!(z_score(&mut [0.1; 7], 0.0, 1.0, "c").is_err());
    }

    #[test]
    fn extreme_magnitudes() {
        let mut x = [-1.5e308, 1.5e308, 0.0];
        z_score(&mut x, 0.0, 1.0, "big").unwrap();
        assert_relative_eq!(x[0], -1.0, max_relative = 1e-12);
        assert_relative_eq!(x[1], 1.0, max_relative = 1e-12);
        assert_eq!(x[2], 0.0);
        let mut y = [1e-310, 3e-310, 2e-310];
        z_score(&mut y, 0.0, 1.0, "tiny").unwrap();
        assert_relative_eq!(y[0], -1.0, max_relative = 1e-9);
    }
}
