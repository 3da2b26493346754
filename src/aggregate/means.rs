//! Weighted arithmetic, geometric, harmonic and generalised means, skipping
//! missing children and renormalising the weights of those present.

use super::NodeContext;
use crate::error::{Error, Result};

/// Applies `term` to (unit, child, weight, value) of the present children of each
/// unit with a positive weight (a zero-weight child takes no part, not even in the
/// domain checks) and
/// finishes with `fin(sum_w, acc)`; units with no weighted present child get NaN.
#[inline]
fn fold_rows(
    children: &[&[f64]],
    weights: &[f64],
    out: &mut [f64],
    mut term: impl FnMut(usize, usize, f64, f64) -> Result<f64>,
    fin: impl Fn(f64, f64) -> f64,
) -> Result<()> {
    for (u, o) in out.iter_mut().enumerate() {
        let (mut sw, mut acc) = (0.0, 0.0);
        for (k, (c, &w)) in children.iter().zip(weights).enumerate() {
            let v = c[u];
            if !v.is_nan() && w > 0.0 {
                sw += w;
                acc += term(u, k, w, v)?;
            }
        }
        *o = if sw > 0.0 { fin(sw, acc) } else { f64::NAN };
    }
    Ok(())
}

/// Units per block of [`fold_columns`]: the block's sums stay in L1 cache.
const BLOCK: usize = 64;

/// [`fold_rows`] for an infallible `term(w, value, aux)` (`aux` the same cell of
/// `aux`, a matrix of the children's shape), computed child by child over blocks
/// of units, so that the inner loop runs over contiguous values without branches.
/// Each unit still adds its children's terms in child order, from `+0.0`, so the
/// sums have the bits of [`fold_rows`]'s: a missing child adds `+0.0` (its term
/// masked to zero bits) instead of nothing, which leaves a sum started at `+0.0`
/// unchanged (such a sum is never `-0.0`, and `x + 0.0 == x` for every other `x`,
/// NaN and infinities included). `term` is also evaluated, and discarded, for
/// missing children. Returns whether a child taking part has a present value
/// that is zero or negative (outside the domain of the geometric and harmonic
/// means, whose callers then fall back to [`fold_rows`] for the error).
#[inline]
fn fold_columns(
    children: &[&[f64]],
    aux: &[&[f64]],
    weights: &[f64],
    out: &mut [f64],
    term: impl Fn(f64, f64, f64) -> f64,
    fin: impl Fn(f64, f64) -> f64,
) -> bool {
    let n = out.len();
    let mut not_positive = false;
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        let (mut sw, mut acc) = ([0.0_f64; BLOCK], [0.0_f64; BLOCK]);
        let (sw, acc) = (&mut sw[..end - start], &mut acc[..end - start]);
        let taking_part = children.iter().zip(aux).zip(weights);
        for ((c, a), &w) in taking_part.filter(|(_, w)| **w > 0.0) {
            let (c, a) = (&c[start..end], &a[start..end]);
            let mut bad = false;
            for (((s, t), &v), &x) in sw.iter_mut().zip(acc.iter_mut()).zip(c).zip(a) {
                // All ones where the value is present, zero where it is missing.
                let keep = 0_u64.wrapping_sub(u64::from(!v.is_nan()));
                *s += f64::from_bits(w.to_bits() & keep);
                *t += f64::from_bits(term(w, v, x).to_bits() & keep);
                bad |= v <= 0.0;
            }
            not_positive |= bad;
        }
        for ((o, &s), &t) in out[start..end].iter_mut().zip(&*sw).zip(&*acc) {
            *o = if s > 0.0 { fin(s, t) } else { f64::NAN };
        }
        start = end;
    }
    not_positive
}

fn domain(
    ctx: &NodeContext<'_>,
    method: &'static str,
    u: usize,
    k: usize,
    v: f64,
    reason: &str,
) -> Error {
    Error::Domain {
        method,
        unit: ctx.units.get(u).cloned().unwrap_or_default(),
        node: ctx.node.into(),
        child: ctx
            .children
            .get(k)
            .map(|s| s.to_string())
            .unwrap_or_default(),
        value: v,
        reason: reason.into(),
    }
}

/// Weighted arithmetic mean over the present children: `sum(w x)/sum(w)`.
///
/// The mean of finite values is finite: a unit whose sum `sum(w x)` overflows
/// (values near the limits of `f64`) is recomputed with weights and values scaled
/// by powers of two.
///
/// Reference: OECD/JRC Handbook (2008), section 6.1 (linear aggregation).
pub fn arithmetic_mean(children: &[&[f64]], weights: &[f64], out: &mut [f64]) {
    fold_columns(
        children,
        children,
        weights,
        out,
        |w, v, _| w * v,
        |sw, acc| acc / sw,
    );
    for (u, o) in out.iter_mut().enumerate() {
        if o.is_infinite() || (o.is_nan() && has_weighted_child(children, weights, u)) {
            *o = scaled_arithmetic_mean(children, weights, u);
        }
    }
}

fn has_weighted_child(children: &[&[f64]], weights: &[f64], u: usize) -> bool {
    children
        .iter()
        .zip(weights)
        .any(|(c, &w)| w > 0.0 && !c[u].is_nan())
}

/// The arithmetic mean of one unit with weights divided by the largest and values
/// by `2^64`, so that no product or sum overflows.
fn scaled_arithmetic_mean(children: &[&[f64]], weights: &[f64], u: usize) -> f64 {
    let present = || {
        children
            .iter()
            .zip(weights)
            .filter(move |(c, w)| **w > 0.0 && !c[u].is_nan())
            .map(move |(c, &w)| (w, c[u]))
    };
    let wmax = present().fold(0.0_f64, |m, (w, _)| m.max(w));
    if wmax == 0.0 || !wmax.is_finite() {
        return f64::NAN;
    }
    let (mut sw, mut acc) = (0.0, 0.0);
    for (w, v) in present() {
        let w = w / wmax;
        sw += w;
        acc += w * crate::stats::ldexp(v, -64);
    }
    crate::stats::ldexp(acc / sw, 64)
}

/// Weighted geometric mean over the present children: `exp(sum(w ln x)/sum(w))`.
///
/// Reference: OECD/JRC Handbook (2008), section 6.1 (geometric aggregation).
///
/// # Errors
/// [`Error::Domain`] for a present value `x <= 0`, naming the unit, node and child.
pub fn geometric_mean(
    children: &[&[f64]],
    weights: &[f64],
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    let not_positive = fold_columns(
        children,
        children,
        weights,
        out,
        |w, v, _| w * v.ln(),
        |sw, acc| (acc / sw).exp(),
    );
    if not_positive {
        return geometric_fold(children, weights, ctx, out, |_, _, v| v.ln());
    }
    Ok(())
}

/// The weighted geometric mean with the logarithm of a positive value given by
/// `ln(u, k, value)`; the domain check of [`geometric_mean`].
fn geometric_fold(
    children: &[&[f64]],
    weights: &[f64],
    ctx: &NodeContext<'_>,
    out: &mut [f64],
    ln: impl Fn(usize, usize, f64) -> f64,
) -> Result<()> {
    fold_rows(
        children,
        weights,
        out,
        |u, k, w, v| {
            if v > 0.0 {
                Ok(w * ln(u, k, v))
            } else {
                Err(domain(
                    ctx,
                    "geometric_mean",
                    u,
                    k,
                    v,
                    "the geometric mean needs positive values",
                ))
            }
        },
        |sw, acc| (acc / sw).exp(),
    )
}

/// [`geometric_mean`] with the natural logarithms of the children's values
/// given: `logs[k][u]` is `children[k][u].ln()` wherever that value is present and
/// positive (read nowhere else). The same bits as [`geometric_mean`], without
/// computing the logarithms again: Monte Carlo runs that aggregate the same
/// normalised data many times compute them once.
///
/// # Errors
/// As [`geometric_mean`].
pub(crate) fn geometric_mean_with_logs(
    children: &[&[f64]],
    logs: &[&[f64]],
    weights: &[f64],
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    let aligned = logs.len() == children.len() && logs.iter().all(|l| l.len() >= out.len());
    if aligned
        && !fold_columns(
            children,
            logs,
            weights,
            out,
            |w, _, l| w * l,
            |sw, acc| (acc / sw).exp(),
        )
    {
        return Ok(());
    }
    geometric_fold(children, weights, ctx, out, |u, k, _| logs[k][u])
}

/// Weighted harmonic mean over the present children: `sum(w)/sum(w/x)`.
///
/// Defined here, as the geometric mean, for positive values only: with values of
/// both signs `sum(w/x)` can be near zero and the "mean" lie far outside the
/// children's range (after z-scores, for example).
///
/// # Errors
/// [`Error::Domain`] for a present value that is zero or negative, naming the
/// unit, node and child.
pub fn harmonic_mean(
    children: &[&[f64]],
    weights: &[f64],
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    if !fold_columns(
        children,
        children,
        weights,
        out,
        |w, v, _| w / v,
        |sw, acc| sw / acc,
    ) {
        return Ok(());
    }
    fold_rows(
        children,
        weights,
        out,
        |u, k, w, v| {
            if v > 0.0 {
                Ok(w / v)
            } else {
                Err(domain(
                    ctx,
                    "harmonic_mean",
                    u,
                    k,
                    v,
                    "the harmonic mean needs positive values (normalise to a positive range first, e.g. min-max from 1)",
                ))
            }
        },
        |sw, acc| sw / acc,
    )
}

/// Weighted generalised (power) mean of order `p != 0` over the present children:
/// `(sum(w x^p)/sum(w))^(1/p)`. `p = 1` is the arithmetic mean, `p = -1` the
/// harmonic mean; the limit `p -> 0` is the geometric mean. Unlike COINr, which
/// returns missing as soon as one child is missing, missing children are skipped.
///
/// # Errors
/// [`Error::Domain`] for a negative value (the power mean is defined on `x >= 0`),
/// or a zero value when `p < 0`.
pub fn generalised_mean(
    children: &[&[f64]],
    weights: &[f64],
    p: f64,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    fold_rows(
        children,
        weights,
        out,
        |u, k, w, v| {
            if v < 0.0 {
                Err(domain(
                    ctx,
                    "generalised_mean",
                    u,
                    k,
                    v,
                    "the generalised mean needs non-negative values",
                ))
            } else if v == 0.0 && p < 0.0 {
                Err(domain(
                    ctx,
                    "generalised_mean",
                    u,
                    k,
                    v,
                    "a negative order needs positive values",
                ))
            } else {
                Ok(w * v.powf(p))
            }
        },
        |sw, acc| (acc / sw).powf(1.0 / p),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    const NAN: f64 = f64::NAN;

    fn ctx<'a>(units: &'a [String], children: &'a [&'a str]) -> NodeContext<'a> {
        NodeContext {
            node: "P",
            children,
            units,
        }
    }

    #[test]
    fn arithmetic_skips_missing_and_renormalises() {
        let a = [1.0, 2.0, NAN];
        let b = [3.0, NAN, NAN];
        let mut out = [0.0; 3];
        arithmetic_mean(&[&a, &b], &[1.0, 3.0], &mut out);
        assert_relative_eq!(out[0], (1.0 + 9.0) / 4.0);
        assert_eq!(out[1], 2.0);
        assert!(out[2].is_nan());
    }

    #[test]
    fn geometric_and_harmonic_by_hand() {
        let units = vec!["U".to_string()];
        let ch = ["a", "b"];
        let mut out = [0.0];
        geometric_mean(&[&[2.0], &[8.0]], &[1.0, 1.0], &ctx(&units, &ch), &mut out).unwrap();
        assert_relative_eq!(out[0], 4.0, max_relative = 1e-15);
        geometric_mean(&[&[2.0], &[8.0]], &[1.0, 3.0], &ctx(&units, &ch), &mut out).unwrap();
        assert_relative_eq!(
            out[0],
            (2f64.ln() / 4.0 + 3.0 * 8f64.ln() / 4.0).exp(),
            max_relative = 1e-15
        );
        harmonic_mean(&[&[2.0], &[6.0]], &[1.0, 1.0], &ctx(&units, &ch), &mut out).unwrap();
        assert_relative_eq!(out[0], 3.0, max_relative = 1e-15);
        generalised_mean(
            &[&[2.0], &[6.0]],
            &[1.0, 1.0],
            2.0,
            &ctx(&units, &ch),
            &mut out,
        )
        .unwrap();
        assert_relative_eq!(out[0], 20f64.sqrt(), max_relative = 1e-15);
        generalised_mean(
            &[&[2.0], &[NAN]],
            &[1.0, 1.0],
            2.0,
            &ctx(&units, &ch),
            &mut out,
        )
        .unwrap();
        assert_relative_eq!(out[0], 2.0, max_relative = 1e-15);
    }

    #[test]
    fn arithmetic_mean_of_huge_values_is_finite() {
        let mut out = [0.0];
        arithmetic_mean(&[&[1.5e308], &[1.7e308]], &[1.0, 1.0], &mut out);
        assert_relative_eq!(out[0], 1.6e308, max_relative = 1e-15);
        arithmetic_mean(&[&[1e300], &[3e300]], &[1e10, 1e10], &mut out);
        assert_relative_eq!(out[0], 2e300, max_relative = 1e-15);
    }

    #[test]
    fn domain_errors_name_unit_node_and_child() {
        let units = vec!["U1".to_string(), "U2".to_string()];
        let ch = ["a", "b"];
        let mut out = [0.0; 2];
        let e = geometric_mean(
            &[&[1.0, 2.0], &[1.0, 0.0]],
            &[1.0, 1.0],
            &ctx(&units, &ch),
            &mut out,
        )
        .unwrap_err();
        match e {
            Error::Domain {
                unit,
                node,
                child,
                value,
                ..
            } => {
                assert_eq!(
                    (unit.as_str(), node.as_str(), child.as_str(), value),
                    ("U2", "P", "b", 0.0)
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(harmonic_mean(&[&[1.0, 0.0]], &[1.0], &ctx(&units, &ch), &mut out).is_err());
        // Mixed signs (z-scores): sum(w/x) = 1/2 - 1/1 + ... would put the mean
        // outside the children's range; refused, naming unit and node.
        let e = harmonic_mean(
            &[&[1.0, 2.0], &[1.0, -1.0]],
            &[1.0, 1.0],
            &ctx(&units, &ch),
            &mut out,
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Domain { unit, node, child, .. } if unit == "U2" && node == "P" && child == "b"),
            "{e}"
        );
        assert!(
            generalised_mean(&[&[1.0, -1.0]], &[1.0], 0.5, &ctx(&units, &ch), &mut out).is_err()
        );
    }

    /// A value of a child: ordinary, missing, a signed zero, tiny, huge or
    /// infinite (`positive` keeps the domain of the geometric and harmonic means).
    fn cell(positive: bool) -> impl Strategy<Value = f64> {
        let any = prop_oneof![
            6 => -1e3..1e3_f64,
            1 => Just(NAN),
            1 => Just(0.0),
            1 => Just(-0.0),
            1 => Just(1e-310),
            1 => prop_oneof![Just(1.5e308), Just(-1.7e308), Just(f64::INFINITY)],
        ];
        any.prop_map(move |v| {
            if positive && v <= 0.0 {
                v.abs() + 0.5
            } else {
                v
            }
        })
    }

    /// Children (column-major, `n` units, block boundaries included), their
    /// weights (zero, negative and NaN among them) and whether values are kept
    /// positive.
    fn case() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>, bool)> {
        (prop_oneof![0..6_usize, 250..262_usize, 511..514_usize], 1..5_usize, any::<bool>())
            .prop_flat_map(|(n, k, positive)| {
                let w = prop_oneof![4 => 0.01..3.0_f64, 1 => Just(0.0), 1 => Just(-1.0), 1 => Just(NAN)];
                (
                    proptest::collection::vec(proptest::collection::vec(cell(positive), n), k),
                    proptest::collection::vec(w, k),
                    Just(positive),
                )
            })
    }

    fn bits(x: &[f64]) -> Vec<u64> {
        x.iter().map(|v| v.to_bits()).collect()
    }

    proptest! {
        /// The column-blocked fold gives the bits of the unit-by-unit fold for
        /// every mean that uses it (and the same errors where the domain check
        /// fails).
        #[test]
        fn column_fold_matches_row_fold((cols, w, _positive) in case()) {
            let children: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
            let n = cols.first().map_or(0, Vec::len);
            let units: Vec<String> = (0..n).map(|u| format!("U{u}")).collect();
            let names: Vec<&str> = (0..cols.len()).map(|_| "c").collect();
            let cx = ctx(&units, &names);
            let (mut fast, mut slow) = (vec![0.0; n], vec![0.0; n]);
            fold_columns(&children, &children, &w, &mut fast, |w, v, _| w * v, |s, a| a / s);
            fold_rows(&children, &w, &mut slow, |_, _, w, v| Ok(w * v), |s, a| a / s).unwrap();
            prop_assert_eq!(bits(&fast), bits(&slow));

            let logs: Vec<Vec<f64>> = cols.iter().map(|c| c.iter().map(|v| v.ln()).collect()).collect();
            let logs: Vec<&[f64]> = logs.iter().map(Vec::as_slice).collect();
            let a = geometric_mean(&children, &w, &cx, &mut fast);
            let b = geometric_fold(&children, &w, &cx, &mut slow, |_, _, v| v.ln());
            prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            if a.is_ok() {
                prop_assert_eq!(bits(&fast), bits(&slow));
            }
            let a = geometric_mean_with_logs(&children, &logs, &w, &cx, &mut fast);
            prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
            if a.is_ok() {
                prop_assert_eq!(bits(&fast), bits(&slow));
            }
            let a = harmonic_mean(&children, &w, &cx, &mut fast);
            let b = fold_rows(&children, &w, &mut slow, |u, k, w, v| {
                if v > 0.0 { Ok(w / v) } else { Err(domain(&cx, "harmonic_mean", u, k, v, "x")) }
            }, |s, a| s / a);
            prop_assert_eq!(a.is_ok(), b.is_ok());
            if a.is_ok() {
                prop_assert_eq!(bits(&fast), bits(&slow));
            }
        }
    }
}
