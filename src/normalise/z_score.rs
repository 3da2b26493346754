//! Z-score standardisation.

use crate::error::{Error, Result};
use crate::stats;

/// Z-scores rescaled to mean `a` and standard deviation `s`:
/// `y = (x - mean(x))/sd(x) * s + a`, with the sample standard deviation
/// (denominator `n - 1`, as R's `sd`).
///
/// Reference: OECD/JRC Handbook (2008), section 5, "standardisation"; COINr `n_zscore`.
///
/// # Errors
/// [`Error::DegenerateColumn`] for fewer than two values or a zero standard deviation.
pub fn z_score(x: &mut [f64], a: f64, s: f64, indicator: &str) -> Result<()> {
    let (mean, sd) = fit_z_score(x, indicator)?;
    apply_z_score(x, mean, sd, a, s);
    Ok(())
}

/// The fitted part of [`z_score`]: the column's mean and sample standard deviation.
///
/// # Errors
/// As [`z_score`].
pub fn fit_z_score(x: &[f64], indicator: &str) -> Result<(f64, f64)> {
    let (Some(mean), Some(sd)) = (stats::mean(x), stats::sd(x)) else {
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
    Ok((mean, sd))
}

/// The applied part of [`z_score`] with a fitted `mean` and `sd` (> 0):
/// `y = (x - mean) * s/sd + a`.
pub fn apply_z_score(x: &mut [f64], mean: f64, sd: f64, a: f64, s: f64) {
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
    }
}
