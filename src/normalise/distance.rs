//! Distance-based normalisations: to a target, to a reference unit, to the maximum,
//! and the fraction of the maximum.
//!
//! All work on the direction-adjusted column (`x * direction`), so "higher is better".

use crate::error::{Error, Result};

/// Distance to target `t` (direction-adjusted): `y = (x - m)/(t - m)`, with `m` the
/// column minimum, optionally capped at 1. For a bad indicator this equals
/// `(M - x)/(M - t)` on the raw values. COINr reads `t` from iMeta's `Target`
/// column, multiplied by the direction, as here.
///
/// Reference: COINr `n_dist2targ`.
///
/// # Errors
/// [`Error::DegenerateColumn`] when the column is empty or `t` equals its minimum.
pub fn distance_to_target(x: &mut [f64], t: f64, cap: bool, indicator: &str) -> Result<()> {
    let m = fit_distance_to_target(x, t, indicator)?;
    apply_distance_to_target(x, m, t, cap);
    Ok(())
}

/// The fitted part of [`distance_to_target`]: the column minimum `m` (`!= t`).
///
/// # Errors
/// As [`distance_to_target`].
pub(crate) fn fit_distance_to_target(x: &[f64], t: f64, indicator: &str) -> Result<f64> {
    let (m, _) = super::range_or_err(x, indicator, "distance_to_target")?;
    if t == m {
        return Err(Error::degenerate(
            indicator,
            "distance_to_target",
            format!("target {t} equals the column minimum"),
        ));
    }
    Ok(m)
}

/// The applied part of [`distance_to_target`] with a fitted minimum `m`.
pub(crate) fn apply_distance_to_target(x: &mut [f64], m: f64, t: f64, cap: bool) {
    let d = t - m;
    for v in x.iter_mut() {
        let y = (*v - m) / d;
        *v = if cap { y.min(1.0) } else { y };
    }
}

/// Distance to a reference unit `r`: `y = 1 - (x_r - x)/(x_r - m)`, so the reference
/// unit scores 1 and the minimum 0.
///
/// Reference: COINr `n_dist2ref`.
///
/// # Errors
/// [`Error::DegenerateColumn`] when the reference unit's value is missing or equals
/// the column minimum.
pub fn distance_to_reference(x: &mut [f64], r: usize, indicator: &str, unit: &str) -> Result<()> {
    let (m, xr) = fit_distance_to_reference(x, r, indicator, unit)?;
    apply_distance_to_reference(x, m, xr);
    Ok(())
}

/// The fitted part of [`distance_to_reference`]: the column minimum `m` and the
/// reference unit's value `x_r` (`!= m`).
///
/// # Errors
/// As [`distance_to_reference`].
pub(crate) fn fit_distance_to_reference(
    x: &[f64],
    r: usize,
    indicator: &str,
    unit: &str,
) -> Result<(f64, f64)> {
    let (m, _) = super::range_or_err(x, indicator, "distance_to_reference")?;
    let xr = x[r];
    if xr.is_nan() {
        return Err(Error::degenerate(
            indicator,
            "distance_to_reference",
            format!("reference unit {unit:?} has a missing value"),
        ));
    }
    if xr == m {
        return Err(Error::degenerate(
            indicator,
            "distance_to_reference",
            format!("reference unit {unit:?} holds the column minimum"),
        ));
    }
    Ok((m, xr))
}

/// The applied part of [`distance_to_reference`]: `y = 1 - (x_r - x)/(x_r - m)`.
pub(crate) fn apply_distance_to_reference(x: &mut [f64], m: f64, xr: f64) {
    let d = xr - m;
    for v in x.iter_mut() {
        *v = 1.0 - (xr - *v) / d;
    }
}

/// Distance to the maximum: `y = 1 - (M - x)/(M - m)`.
///
/// Reference: COINr `n_dist2max`.
///
/// # Errors
/// [`Error::DegenerateColumn`] for an empty column, a single value or a range
/// negligible against the magnitude ([`crate::stats::is_constant`]).
pub fn distance_to_max(x: &mut [f64], indicator: &str) -> Result<()> {
    let (m, mx) = fit_distance_to_max(x, indicator)?;
    apply_distance_to_max(x, m, mx);
    Ok(())
}

/// The fitted part of [`distance_to_max`]: minimum and maximum (`m < M`).
///
/// # Errors
/// As [`distance_to_max`].
pub(crate) fn fit_distance_to_max(x: &[f64], indicator: &str) -> Result<(f64, f64)> {
    let (m, mx) = super::range_or_err(x, indicator, "distance_to_max")?;
    super::check_spread(x, m, mx, indicator, "distance_to_max", "range")?;
    Ok((m, mx))
}

/// The applied part of [`distance_to_max`]: `y = 1 - (M - x)/(M - m)` (the column
/// and the bounds scaled first by an exact power of two when they lie beyond
/// `2^±200`, which leaves the result unchanged).
pub(crate) fn apply_distance_to_max(x: &mut [f64], m: f64, mx: f64) {
    let (m, mx) = match crate::stats::rescale_exponent(m.abs().max(mx.abs())) {
        0 => (m, mx),
        k => {
            x.iter_mut().for_each(|v| *v = crate::stats::ldexp(*v, k));
            (crate::stats::ldexp(m, k), crate::stats::ldexp(mx, k))
        }
    };
    let d = mx - m;
    for v in x.iter_mut() {
        *v = 1.0 - (mx - *v) / d;
    }
}

/// Fraction of the maximum: `y = x / M`.
///
/// Reference: COINr `n_fracmax`.
///
/// # Errors
/// [`Error::DegenerateColumn`] for an empty column or a zero maximum.
pub fn fraction_of_max(x: &mut [f64], indicator: &str) -> Result<()> {
    let mx = fit_fraction_of_max(x, indicator)?;
    apply_fraction_of_max(x, mx);
    Ok(())
}

/// The fitted part of [`fraction_of_max`]: the (non-zero) maximum.
///
/// # Errors
/// As [`fraction_of_max`].
pub(crate) fn fit_fraction_of_max(x: &[f64], indicator: &str) -> Result<f64> {
    let (_, mx) = super::range_or_err(x, indicator, "fraction_of_max")?;
    if mx == 0.0 {
        return Err(Error::degenerate(
            indicator,
            "fraction_of_max",
            "the maximum is zero",
        ));
    }
    Ok(mx)
}

/// The applied part of [`fraction_of_max`]: `y = x / M`.
pub(crate) fn apply_fraction_of_max(x: &mut [f64], mx: f64) {
    for v in x.iter_mut() {
        *v /= mx;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_by_hand() {
        let mut x = [2.0, 4.0, 12.0, f64::NAN];
        distance_to_target(&mut x, 10.0, false, "x").unwrap();
        assert_eq!(&x[..3], &[0.0, 0.25, 1.25]);
        let mut x = [2.0, 4.0, 12.0];
        distance_to_target(&mut x, 10.0, true, "x").unwrap();
        assert_eq!(x, [0.0, 0.25, 1.0]);
        // bad indicator: raw 2, 4, 12, target 3 -> (M - x)/(M - t) = 10/9, 8/9, 0
        let mut x = [-2.0, -4.0, -12.0];
        distance_to_target(&mut x, -3.0, false, "x").unwrap();
        assert!(
            (x[0] - 10.0 / 9.0).abs() < 1e-15 && (x[1] - 8.0 / 9.0).abs() < 1e-15 && x[2] == 0.0
        );
        assert!(distance_to_target(&mut [1.0, 2.0], 1.0, false, "x").is_err());
    }

    #[test]
    fn reference_max_fraction_by_hand() {
        let mut x = [0.0, 5.0, 10.0];
        distance_to_reference(&mut x, 1, "x", "B").unwrap();
        assert_eq!(x, [0.0, 1.0, 2.0]);
        let mut x = [0.0, 5.0, 10.0];
        distance_to_max(&mut x, "x").unwrap();
        assert_eq!(x, [0.0, 0.5, 1.0]);
        let mut x = [2.0, 5.0, 10.0];
        fraction_of_max(&mut x, "x").unwrap();
        assert_eq!(x, [0.2, 0.5, 1.0]);
        assert!(fraction_of_max(&mut [0.0, -1.0], "x").is_err());
        assert!(distance_to_reference(&mut [0.0, f64::NAN], 1, "x", "B").is_err());
    }
}
