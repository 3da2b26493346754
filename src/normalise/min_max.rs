//! Min-max normalisation.

use crate::error::{Error, Result};

/// Min-max normalisation to `[lo, hi]`:
/// `y = (x - m)/(M - m) * (hi - lo) + lo`, with `m`, `M` the column's minimum and
/// maximum over non-missing values. The minimum maps to `lo`, the maximum to `hi`.
///
/// Reference: OECD/JRC Handbook (2008), section 5, "min-max"; COINr `n_minmax`.
///
/// # Errors
/// [`Error::DegenerateColumn`] when the column has no values or a zero range
/// (COINr returns NaN there with a warning).
pub fn min_max(x: &mut [f64], lo: f64, hi: f64, indicator: &str) -> Result<()> {
    let (m, mx) = fit_min_max(x, indicator)?;
    apply_min_max(x, m, mx, lo, hi);
    Ok(())
}

/// The fitted part of [`min_max`]: the column's minimum and maximum over
/// non-missing values.
///
/// # Errors
/// As [`min_max`].
pub fn fit_min_max(x: &[f64], indicator: &str) -> Result<(f64, f64)> {
    let (m, mx) = super::range_or_err(x, indicator, "min_max")?;
    if mx - m == 0.0 {
        return Err(Error::degenerate(
            indicator,
            "min_max",
            format!("all values equal {m}: zero range"),
        ));
    }
    Ok((m, mx))
}

/// The applied part of [`min_max`] with a fitted minimum `m` and maximum `mx`
/// (`m < mx`): `y = (x - m) * (hi - lo)/(mx - m) + lo`. Values outside `[m, mx]`
/// map outside `[lo, hi]`.
pub fn apply_min_max(x: &mut [f64], m: f64, mx: f64, lo: f64, hi: f64) {
    let s = (hi - lo) / (mx - m);
    for v in x.iter_mut() {
        *v = (*v - m) * s + lo;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let mut x = [2.0, 4.0, f64::NAN, 6.0];
        min_max(&mut x, 0.0, 100.0, "x").unwrap();
        assert_eq!(x[0], 0.0);
        assert_eq!(x[1], 50.0);
        assert!(x[2].is_nan());
        assert_eq!(x[3], 100.0);
        let mut x = [1.0, 3.0];
        min_max(&mut x, 1.0, 2.0, "x").unwrap();
        assert_eq!(x, [1.0, 2.0]);
    }

    #[test]
    fn zero_range_is_an_error() {
        let mut x = [3.0, 3.0, f64::NAN];
        assert!(
            matches!(min_max(&mut x, 0.0, 1.0, "k"), Err(Error::DegenerateColumn { indicator, .. }) if indicator == "k")
        );
        let mut x = [f64::NAN];
        assert!(min_max(&mut x, 0.0, 1.0, "k").is_err());
    }
}
