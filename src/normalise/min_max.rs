//! Min-max normalisation.

use crate::error::{Error, Result};

/// Min-max normalisation to `[lo, hi]`:
/// `y = (x - m)/(M - m) * (hi - lo) + lo`, with `m`, `M` the column's minimum and
/// maximum over non-missing values. The minimum maps to `lo`, the maximum to `hi`.
///
/// Reference: OECD/JRC Handbook (2008), section 5, "min-max"; COINr `n_minmax`.
///
/// Values of any finite magnitude are accepted: when they lie beyond `2^±200` the
/// column is first scaled by an exact power of two (which leaves the result
/// unchanged), so that `M - m` cannot overflow, even for values near `±1.8e308`.
///
/// # Errors
/// [`Error::DegenerateColumn`] when the column has no values, a single value, or a
/// range negligible against its magnitude ([`stats::is_constant`](crate::stats::is_constant),
/// relative tolerance 1e-12; COINr returns NaN there with a warning);
/// [`Error::InvalidParameter`] when `hi - lo` is not finite.
pub fn min_max(x: &mut [f64], lo: f64, hi: f64, indicator: &str) -> Result<()> {
    if !(hi - lo).is_finite() {
        return Err(Error::invalid(
            "min_max",
            "hi",
            Some(indicator),
            format!("hi - lo ({hi} - {lo}) is not a finite number"),
        ));
    }
    let (m, mx) = fit_min_max(x, indicator)?;
    apply_min_max(x, m, mx, lo, hi);
    Ok(())
}

/// The fitted part of [`min_max`]: the column's minimum and maximum over
/// non-missing values.
///
/// # Errors
/// As [`min_max`], for the column.
pub(crate) fn fit_min_max(x: &[f64], indicator: &str) -> Result<(f64, f64)> {
    let (m, mx) = super::range_or_err(x, indicator, "min_max")?;
    super::check_spread(x, m, mx, indicator, "min_max", "range")?;
    Ok((m, mx))
}

/// The applied part of [`min_max`] with a fitted minimum `m` and maximum `mx`
/// (`m < mx`): `y = (x - m) * (hi - lo)/(mx - m) + lo`. Values outside `[m, mx]`
/// map outside `[lo, hi]`. When `m` or `mx` lie beyond `2^±200`, the column and
/// the bounds are first scaled by the same exact power of two, which leaves the
/// result unchanged and keeps `mx - m` finite.
pub(crate) fn apply_min_max(x: &mut [f64], m: f64, mx: f64, lo: f64, hi: f64) {
    let (m, mx) = match crate::stats::rescale_exponent(m.abs().max(mx.abs())) {
        0 => (m, mx),
        k => {
            x.iter_mut().for_each(|v| *v = crate::stats::ldexp(*v, k));
            (crate::stats::ldexp(m, k), crate::stats::ldexp(mx, k))
        }
    };
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
        // Constant up to rounding, relative to the magnitude.
        let mut x = [1e300, 1e300 * (1.0 + 1e-15), 1e300];
        assert!(min_max(&mut x, 0.0, 1.0, "k").is_err());
        let e = min_max(&mut [7.0, f64::NAN], 0.0, 1.0, "k").unwrap_err();
        assert!(e.to_string().contains("only one unit"), "{e}");
    }

    #[test]
    fn extreme_magnitudes_do_not_overflow() {
        let mut x = [-1.7e308, 0.0, 1.7e308, f64::NAN];
        min_max(&mut x, 0.0, 100.0, "big").unwrap();
        assert_eq!(&x[..3], &[0.0, 50.0, 100.0]);
        assert!(x[3].is_nan());
        let mut x = [1e-320, 2e-320, 3e-320];
        min_max(&mut x, 0.0, 1.0, "tiny").unwrap();
        for (a, b) in x.iter().zip([0.0, 0.5, 1.0]) {
            assert!((a - b).abs() < 1e-15, "{x:?}");
        }
        assert!(min_max(&mut [1.0, 2.0], -1e308, 1e308, "k").is_err());
    }
}
