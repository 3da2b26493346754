//! Descriptive statistics on columns with missing values (NaN).
//!
//! Every function here skips NaN (missing) values and documents what it returns
//! when too few values remain. These are the building blocks of normalisation,
//! outlier treatment and the audit tables.
//!
//! # Constant columns and extreme magnitudes
//!
//! A column is *constant* when the spread of its non-missing values is negligible
//! against their magnitude: `max - min <= CONSTANT_RTOL * max(|min|, |max|)`, with
//! [`CONSTANT_RTOL`] `= 1e-12` (see [`is_constant`]). Rounding makes the mean of
//! `[0.1; 7]` differ from `0.1` by a few units in the last place, so a test on the
//! deviations from the mean would see a tiny spread where there is none; the range
//! test does not. Every method that divides by a spread (skewness and kurtosis,
//! z-scores, min-max, PCA, correlations, Cronbach's alpha) uses this test, so a
//! constant column is reported as such whatever its value.
//!
//! Values far from 1 (beyond `2^±200`, about `1.6e60` and `6e-61`) are scaled by an
//! exact power of two before moments are taken, so that sums of squares and fourth
//! powers neither overflow nor underflow; scaling by a power of two is exact, so
//! the results are those of exact-range arithmetic. Data of ordinary magnitude are
//! never scaled.
//!
//! # Example
//!
//! ```
//! use composite_index::stats;
//!
//! let x = [1.0, f64::NAN, 3.0, 4.0, 8.0];
//! assert_eq!(stats::count(&x), 4);
//! assert_eq!(stats::mean(&x), Some(4.0));
//! assert_eq!(stats::median(&x), Some(3.5));
//! // R's type 7: h = (4 - 1) * 0.25 = 0.75, so 1 + 0.75 * (3 - 1).
//! assert_eq!(stats::quantile(&x, 0.25), Some(2.5));
//! // Ranks for results: highest first, missing unranked.
//! assert_eq!(stats::rank_desc(&x), [Some(4), None, Some(3), Some(2), Some(1)]);
//! // Sample standard deviation: sqrt(((2-3)^2 + (4-3)^2) / (2 - 1)).
//! assert_eq!(stats::sd(&[2.0, f64::NAN, 4.0]), Some(2f64.sqrt()));
//! assert_eq!(stats::sd(&[2.0, f64::NAN]), None); // too few values
//! assert!(stats::is_constant(&[0.1; 7]));
//! ```

/// Iterator over the non-missing values of a slice.
pub fn present(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().filter(|v| !v.is_nan())
}

/// Number of non-missing values.
pub fn count(x: &[f64]) -> usize {
    present(x).count()
}

/// Minimum and maximum of the non-missing values, `None` when all are missing.
pub fn min_max(x: &[f64]) -> Option<(f64, f64)> {
    let mut it = present(x);
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), v| (lo.min(v), hi.max(v))))
}

/// Relative tolerance of the constant-column test ([`is_constant`]): a column
/// whose non-missing values span at most `CONSTANT_RTOL` times their largest
/// magnitude is constant.
pub const CONSTANT_RTOL: f64 = 1e-12;

/// Whether a range `[lo, hi]` is negligible against its magnitude:
/// `hi - lo <= CONSTANT_RTOL * max(|lo|, |hi|)` (so `[0, 0]` is, `[0, 1e-300]` is not).
pub fn negligible_range(lo: f64, hi: f64) -> bool {
    // `hi - lo` may overflow to infinity, which is (rightly) not negligible.
    hi - lo <= CONSTANT_RTOL * lo.abs().max(hi.abs())
}

/// Whether the non-missing values are constant: their range is negligible against
/// their magnitude ([`negligible_range`]). A column with a single value is
/// constant; one with none is not (it has no values at all).
pub fn is_constant(x: &[f64]) -> bool {
    min_max(x).is_some_and(|(lo, hi)| negligible_range(lo, hi))
}

/// Exponents beyond this (in powers of two) are scaled before moments are taken.
const SAFE_EXPONENT: i32 = 200;

/// `2^k` for `-1022 <= k <= 1023`.
fn pow2(k: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&k));
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `v * 2^k`, exact whenever the result is a normal number.
pub(crate) fn ldexp(mut v: f64, mut k: i32) -> f64 {
    while k > 1000 {
        v *= pow2(1000);
        k -= 1000;
    }
    while k < -1000 {
        v *= pow2(-1000);
        k += 1000;
    }
    v * pow2(k)
}

/// The binary exponent of a finite non-zero `v`: `floor(log2(|v|))`.
fn exponent(v: f64) -> i32 {
    let bits = v.abs().to_bits();
    let e = ((bits >> 52) & 0x7ff) as i32;
    if e == 0 {
        // Subnormal: bring it into the normal range first.
        exponent(v * pow2(64)) - 64
    } else {
        e - 1023
    }
}

/// The power of two `k` such that `maxabs * 2^k` lies in `[1, 2)` when `maxabs` is
/// outside the safe range `[2^-200, 2^200]`, and 0 inside it (or for 0, NaN, inf).
pub(crate) fn rescale_exponent(maxabs: f64) -> i32 {
    if maxabs == 0.0 || !maxabs.is_finite() {
        return 0;
    }
    let e = exponent(maxabs);
    if e.abs() <= SAFE_EXPONENT { 0 } else { -e }
}

/// Scales the values in place by an exact power of two when their magnitude is
/// outside the safe range (see the [module docs](self)), so that differences,
/// squares and fourth powers of them are finite and do not underflow. Returns the
/// exponent used (0: unchanged). Methods invariant under a positive scale factor
/// (z-scores, min-max, skewness, correlations) give the same result on the scaled
/// values.
pub(crate) fn rescale_in_place(x: &mut [f64]) -> i32 {
    let maxabs = present(x).fold(0.0_f64, |m, v| m.max(v.abs()));
    let k = rescale_exponent(maxabs);
    if k != 0 {
        x.iter_mut().for_each(|v| *v = ldexp(*v, k));
    }
    k
}

/// Count, sum, minimum and maximum of the non-missing values of a column, as
/// one pass over it computes them (in order).
pub(crate) type Summary = (usize, f64, f64, f64);

/// One pass: count, sum, minimum and maximum of the non-missing values.
pub(crate) fn summary(x: &[f64]) -> Summary {
    let (mut n, mut s, mut lo, mut hi) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    for v in present(x) {
        n += 1;
        s += v;
        lo = lo.min(v);
        hi = hi.max(v);
    }
    (n, s, lo, hi)
}

/// Mean of `n` present values with sum `s`, recomputed on scaled values when the
/// sum overflowed (the mean of finite values is always finite).
fn mean_from(x: &[f64], n: usize, s: f64) -> f64 {
    let m = s / n as f64;
    if m.is_finite() {
        return m;
    }
    let scaled: f64 = present(x).map(|v| v * pow2(-64)).sum();
    ldexp(scaled / n as f64, 64)
}

/// Arithmetic mean of the non-missing values, `None` when all are missing.
///
/// Finite for any finite values: a sum that overflows is recomputed on values
/// scaled by `2^-64`. The mean of a column whose values are all equal is that value.
pub fn mean(x: &[f64]) -> Option<f64> {
    let (n, s, lo, hi) = summary(x);
    if n == 0 {
        return None;
    }
    if lo == hi {
        return Some(lo);
    }
    Some(mean_from(x, n, s))
}

/// Sums of powers of deviations from the mean, on values scaled by `2^k`.
#[derive(Debug, Clone, Copy)]
struct Central {
    n: usize,
    /// Scale exponent `k` of the sums below (0 for unscaled values).
    k: i32,
    s2: f64,
    s3: f64,
    s4: f64,
    constant: bool,
}

/// Central moment sums of the non-missing values, in two passes: `(n, sum d^2,
/// sum d^3, sum d^4)` with `d = x - mean(x)`, on values scaled by an exact power of
/// two when their magnitude calls for it. The sums are 0 for a constant column.
fn central_sums(x: &[f64], higher: bool) -> Option<Central> {
    central_sums_from(x, higher, summary(x))
}

/// [`central_sums`] with the first pass, [`summary`], already made.
fn central_sums_from(x: &[f64], higher: bool, sum: Summary) -> Option<Central> {
    let (n, s, lo, hi) = sum;
    if n == 0 {
        return None;
    }
    let constant = negligible_range(lo, hi);
    let k = rescale_exponent(lo.abs().max(hi.abs()));
    let mut c = Central {
        n,
        k,
        s2: 0.0,
        s3: 0.0,
        s4: 0.0,
        constant,
    };
    if constant {
        return Some(c);
    }
    let m = if k == 0 {
        mean_from(x, n, s)
    } else {
        present(x).map(|v| ldexp(v, k)).sum::<f64>() / n as f64
    };
    let scale = |v: f64| if k == 0 { v } else { ldexp(v, k) };
    if higher {
        for v in present(x) {
            let d = scale(v) - m;
            let d2 = d * d;
            c.s2 += d2;
            c.s3 += d2 * d;
            c.s4 += d2 * d2;
        }
    } else {
        for v in present(x) {
            let d = scale(v) - m;
            c.s2 += d * d;
        }
    }
    Some(c)
}

/// Sample variance (denominator `n - 1`) of the non-missing values, `None` for fewer than 2.
///
/// Computed in two passes around the mean for accuracy; exactly 0 for a constant
/// column ([`is_constant`]). The variance of values beyond about `1e154` exceeds
/// the largest `f64` (infinite) and that of values below about `1e-154` underflows
/// to 0; [`sd`] is accurate for any finite values.
pub fn var(x: &[f64]) -> Option<f64> {
    let c = central_sums(x, false)?;
    (c.n > 1).then(|| ldexp(c.s2 / (c.n - 1) as f64, -2 * c.k))
}

/// Sample standard deviation (denominator `n - 1`), `None` for fewer than 2 values;
/// exactly 0 for a constant column ([`is_constant`]).
pub fn sd(x: &[f64]) -> Option<f64> {
    let c = central_sums(x, false)?;
    (c.n > 1).then(|| ldexp((c.s2 / (c.n - 1) as f64).sqrt(), -c.k))
}

/// Median of the non-missing values (mean of the two middle values for an even
/// count, as R's `median`), `None` when all are missing.
pub fn median(x: &[f64]) -> Option<f64> {
    let v = sorted_present(x);
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn skew_from(c: &Central) -> Option<f64> {
    let (n, s2, s3) = (c.n, c.s2, c.s3);
    if n < 3 || c.constant || s2 == 0.0 {
        return None;
    }
    let nf = n as f64;
    let g = nf.sqrt() * s3 / s2.powf(1.5);
    Some(g * (nf * (nf - 1.0)).sqrt() / (nf - 2.0))
}

fn kurt_from(c: &Central) -> Option<f64> {
    let (n, s2, s4) = (c.n, c.s2, c.s4);
    if n < 4 || c.constant || s2 == 0.0 {
        return None;
    }
    let nf = n as f64;
    let r = nf * s4 / (s2 * s2);
    Some(((nf + 1.0) * (r - 3.0) + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0)))
}

/// Sample skewness as Excel's `SKEW` (e1071 type 2, COINr `skew`).
///
/// With `d = x - mean(x)` over the `n` non-missing values,
/// `g = sqrt(n) * sum(d^3) / sum(d^2)^(3/2)` and `G = g * sqrt(n (n - 1)) / (n - 2)`.
/// Returns `None` for `n < 3` or a constant column ([`is_constant`]).
///
/// Reference: Joanes and Gill (1998), *Comparing measures of sample skewness and
/// kurtosis*, The Statistician 47(1), estimator G1.
pub fn skewness(x: &[f64]) -> Option<f64> {
    skew_from(&central_sums(x, true)?)
}

/// Sample excess kurtosis as Excel's `KURT` (e1071 type 2, COINr `kurt`).
///
/// With `d = x - mean(x)` over the `n` non-missing values,
/// `r = n * sum(d^4) / sum(d^2)^2` and
/// `K = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3))`.
/// Returns `None` for `n < 4` or a constant column ([`is_constant`]).
///
/// Reference: Joanes and Gill (1998), estimator G2.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    kurt_from(&central_sums(x, true)?)
}

/// [`skewness`] and [`kurtosis`] together, in two passes over the data.
pub fn skewness_kurtosis(x: &[f64]) -> (Option<f64>, Option<f64>) {
    skewness_kurtosis_from(x, summary(x))
}

/// [`skewness_kurtosis`] with the first pass, [`summary`]`(x)`, already made
/// (bit-identical results).
pub(crate) fn skewness_kurtosis_from(x: &[f64], sum: Summary) -> (Option<f64>, Option<f64>) {
    match central_sums_from(x, true, sum) {
        Some(c) => (skew_from(&c), kurt_from(&c)),
        None => (None, None),
    }
}

/// Ascending "sport" ranks with ties taking the minimum rank (R's
/// `rank(ties.method = "min")`), written into `out`; missing values get NaN ranks.
///
/// Rank 1 is the smallest value. `out` must have the length of `x`.
pub fn rank_min_into(x: &[f64], out: &mut [f64]) {
    debug_assert_eq!(x.len(), out.len());
    let mut idx: Vec<usize> = (0..x.len()).filter(|&i| !x[i].is_nan()).collect();
    // The order within a tie does not change the ranks: no need for a stable sort.
    idx.sort_unstable_by(|&a, &b| x[a].total_cmp(&x[b]));
    out.iter_mut().for_each(|o| *o = f64::NAN);
    let mut r = 0;
    while r < idx.len() {
        let v = x[idx[r]];
        let mut e = r;
        while e < idx.len() && x[idx[e]] == v {
            out[idx[e]] = (r + 1) as f64;
            e += 1;
        }
        r = e;
    }
}

/// Ascending ranks with ties at the minimum rank; see [`rank_min_into`].
pub fn rank_min(x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    rank_min_into(x, &mut out);
    out
}

/// Descending ranks (rank 1 = highest) with ties at the minimum rank, as used for
/// index results; missing values get `None`.
pub fn rank_desc(x: &[f64]) -> Vec<Option<u32>> {
    let neg: Vec<f64> = x.iter().map(|v| -v).collect();
    rank_min(&neg)
        .into_iter()
        .map(|r| (!r.is_nan()).then_some(r as u32))
        .collect()
}

/// Quantile of sorted, non-missing values with R's default definition (type 7):
/// with `h = (n - 1) p`, `q = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)])`.
/// Returns `None` for an empty slice or `p` outside `[0, 1]`.
///
/// Reference: Hyndman and Fan (1996), *Sample quantiles in statistical packages*,
/// The American Statistician 50(4), definition 7.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The present values of `x` in ascending order, as `sort_by(f64::total_cmp)`
/// gives them: sorted as integer keys that order as `total_cmp` does (the sign
/// bit flipped for positive values, every bit for negative ones), which is
/// faster than comparing floats; equal keys are equal bits, so the slice is
/// the same.
pub(crate) fn sorted_present(x: &[f64]) -> Vec<f64> {
    const SIGN: u64 = 1 << 63;
    let mut keys: Vec<u64> = present(x)
        .map(|v| {
            let b = v.to_bits();
            if b & SIGN == 0 { b | SIGN } else { !b }
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|k| f64::from_bits(if k & SIGN != 0 { k & !SIGN } else { !k }))
        .collect()
}

/// Quantile (type 7) of the non-missing values of `x`; see [`quantile_sorted`].
pub fn quantile(x: &[f64], p: f64) -> Option<f64> {
    quantile_sorted(&sorted_present(x), p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    const NAN: f64 = f64::NAN;

    #[test]
    fn basic_moments_skip_missing() {
        let x = [1.0, NAN, 2.0, 3.0, 4.0];
        assert_eq!(count(&x), 4);
        assert_eq!(mean(&x), Some(2.5));
        // var of 1..4 = 5/3
        assert_relative_eq!(var(&x).unwrap(), 5.0 / 3.0, max_relative = 1e-15);
        assert_eq!(median(&x), Some(2.5));
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(min_max(&x), Some((1.0, 4.0)));
        assert_eq!(mean(&[NAN]), None);
        assert_eq!(var(&[1.0]), None);
    }

    #[test]
    fn skewness_by_hand() {
        // x = 1, 2, 3, 10: mean 4, d = -3, -2, -1, 6
        // sum d^2 = 50, sum d^3 = -27 - 8 - 1 + 216 = 180
        // g = 2 * 180 / 50^1.5 = 360 / 353.5533905932738 = 1.0182337649086284
        // G = g * sqrt(12) / 2
        let g = 2.0 * 180.0 / 50f64.powf(1.5);
        let expected = g * 12f64.sqrt() / 2.0;
        assert_relative_eq!(
            skewness(&[1.0, 2.0, 3.0, 10.0]).unwrap(),
            expected,
            max_relative = 1e-14
        );
        // Excel SKEW(1,2,3,10) = 1.763633...
        assert_relative_eq!(
            skewness(&[1.0, 2.0, 3.0, 10.0]).unwrap(),
            1.763_632_614_803_3,
            max_relative = 1e-10
        );
        assert_eq!(skewness(&[1.0, 2.0]), None);
        assert_eq!(skewness(&[2.0, 2.0, 2.0]), None);
    }

    #[test]
    fn kurtosis_by_hand() {
        // x = 1, 2, 3, 10: sum d^4 = 81 + 16 + 1 + 1296 = 1394, r = 4 * 1394 / 2500 = 2.2304
        // K = ((5)(2.2304 - 3) + 6)(3) / (2 * 1) = (-3.848 + 6) * 3 / 2 = 3.228
        assert_relative_eq!(
            kurtosis(&[1.0, 2.0, 3.0, 10.0]).unwrap(),
            3.228,
            max_relative = 1e-12
        );
        assert_eq!(kurtosis(&[1.0, 2.0, 3.0]), None);
    }

    #[test]
    fn quantiles_type_7_by_hand() {
        // R: quantile(c(1, 2, 4, 10), c(0.05, 0.5, 0.95)) = 1.15, 3, 9.1
        let x = [10.0, 2.0, NAN, 1.0, 4.0];
        assert_relative_eq!(quantile(&x, 0.05).unwrap(), 1.15, max_relative = 1e-12);
        assert_relative_eq!(quantile(&x, 0.5).unwrap(), 3.0);
        assert_relative_eq!(quantile(&x, 0.95).unwrap(), 9.1, max_relative = 1e-12);
        assert_eq!(quantile(&x, 1.0), Some(10.0));
        assert_eq!(quantile(&[NAN], 0.5), None);
        assert_eq!(quantile(&x, 1.5), None);
    }

    #[test]
    fn ranks_ties_take_minimum() {
        let x = [3.0, 1.0, 3.0, NAN, 2.0];
        let r = rank_min(&x);
        assert_eq!(&r[..3], &[3.0, 1.0, 3.0]);
        assert!(r[3].is_nan());
        assert_eq!(r[4], 2.0);
        assert_eq!(
            rank_desc(&x),
            vec![Some(1), Some(4), Some(1), None, Some(3)]
        );
    }
}
