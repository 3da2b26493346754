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
    let (mean, sd) = fit_z_score(x, indicator)?;
    apply_z_score(x, mean, sd, a, s);
    Ok(())
}

/// The fitted part of [`z_score`]: the column's mean and sample standard deviation
/// (computed on a copy scaled by an exact power of two when the values lie beyond
/// `2^±200`, then scaled back).
///
/// # Errors
/// As [`z_score`], for the column.
pub(crate) fn fit_z_score(x: &[f64], indicator: &str) -> Result<(f64, f64)> {
    let (m, mx) = super::range_or_err(x, indicator, "z_score")?;
    super::check_spread(x, m, mx, indicator, "z_score", "standard deviation")?;
    let k = stats::rescale_exponent(m.abs().max(mx.abs()));
    let scaled;
    let y: &[f64] = if k == 0 {
        x
    } else {
        scaled = x.iter().map(|&v| stats::ldexp(v, k)).collect::<Vec<f64>>();
        &scaled
    };
    let (Some(mean), Some(sd)) = (stats::mean(y), stats::sd(y)) else {
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
    Ok((stats::ldexp(mean, -k), stats::ldexp(sd, -k)))
}

/// The applied part of [`z_score`] with a fitted `mean` and `sd` (> 0):
/// `y = (x - mean) * s/sd + a`. When `mean` or `sd` lie beyond `2^±200`, the
/// column and both are first scaled by the same exact power of two, which leaves
/// the result unchanged and keeps the differences finite.
pub(crate) fn apply_z_score(x: &mut [f64], mean: f64, sd: f64, a: f64, s: f64) {
    let (mean, sd) = match stats::rescale_exponent(mean.abs().max(sd)) {
        0 => (mean, sd),
        k => {
            x.iter_mut().for_each(|v| *v = stats::ldexp(*v, k));
            (stats::ldexp(mean, k), stats::ldexp(sd, k))
        }
    };
    let k = s / sd;
    for v in x.iter_mut() {
        *v = (*v - mean) * k + a;
    }
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
