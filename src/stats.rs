//! Descriptive statistics on columns with missing values (NaN).
//!
//! Every function here skips NaN (missing) values and documents what it returns
//! when too few values remain. These are the building blocks of normalisation,
//! outlier treatment and the audit tables.

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

/// Arithmetic mean of the non-missing values, `None` when all are missing.
pub fn mean(x: &[f64]) -> Option<f64> {
    let (s, n) = present(x).fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| s / n as f64)
}

/// Sample variance (denominator `n - 1`) of the non-missing values, `None` for fewer than 2.
///
/// Computed in two passes around the mean for accuracy.
pub fn var(x: &[f64]) -> Option<f64> {
    let m = mean(x)?;
    let (ss, n) = present(x).fold((0.0, 0usize), |(s, n), v| (s + (v - m) * (v - m), n + 1));
    (n > 1).then(|| ss / (n - 1) as f64)
}

/// Sample standard deviation (denominator `n - 1`), `None` for fewer than 2 values.
pub fn sd(x: &[f64]) -> Option<f64> {
    var(x).map(f64::sqrt)
}

/// Median of the non-missing values (mean of the two middle values for an even
/// count, as R's `median`), `None` when all are missing.
pub fn median(x: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = present(x).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Central moment sums of the non-missing values: `(n, sum d^2, sum d^3, sum d^4)`
/// with `d = x - mean(x)`, in two passes.
fn central_sums(x: &[f64]) -> Option<(usize, f64, f64, f64)> {
    let m = mean(x)?;
    let (mut s2, mut s3, mut s4, mut n) = (0.0, 0.0, 0.0, 0usize);
    for v in present(x) {
        let d = v - m;
        let d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
        n += 1;
    }
    Some((n, s2, s3, s4))
}

fn skew_from(n: usize, s2: f64, s3: f64) -> Option<f64> {
    if n < 3 || s2 == 0.0 {
        return None;
    }
    let nf = n as f64;
    let g = nf.sqrt() * s3 / s2.powf(1.5);
    Some(g * (nf * (nf - 1.0)).sqrt() / (nf - 2.0))
}

fn kurt_from(n: usize, s2: f64, s4: f64) -> Option<f64> {
    if n < 4 || s2 == 0.0 {
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
/// Returns `None` for `n < 3` or a constant column (zero variance).
///
/// Reference: Joanes and Gill (1998), *Comparing measures of sample skewness and
/// kurtosis*, The Statistician 47(1), estimator G1.
pub fn skewness(x: &[f64]) -> Option<f64> {
    let (n, s2, s3, _) = central_sums(x)?;
    skew_from(n, s2, s3)
}

/// Sample excess kurtosis as Excel's `KURT` (e1071 type 2, COINr `kurt`).
///
/// With `d = x - mean(x)` over the `n` non-missing values,
/// `r = n * sum(d^4) / sum(d^2)^2` and
/// `K = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3))`.
/// Returns `None` for `n < 4` or a constant column.
///
/// Reference: Joanes and Gill (1998), estimator G2.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let (n, s2, _, s4) = central_sums(x)?;
    kurt_from(n, s2, s4)
}

/// [`skewness`] and [`kurtosis`] together, in two passes over the data.
pub fn skewness_kurtosis(x: &[f64]) -> (Option<f64>, Option<f64>) {
    match central_sums(x) {
        Some((n, s2, s3, s4)) => (skew_from(n, s2, s3), kurt_from(n, s2, s4)),
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
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
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

/// Quantile (type 7) of the non-missing values of `x`; see [`quantile_sorted`].
pub fn quantile(x: &[f64], p: f64) -> Option<f64> {
    let mut v: Vec<f64> = present(x).collect();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, p)
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
