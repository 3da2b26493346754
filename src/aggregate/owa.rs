//! The ordered weighted average (OWA): weights attached to ranks, not to children.
//!
//! Yager (1988), *IEEE Trans. Systems, Man and Cybernetics* 18(1):183-190. For
//! unit `k`, sort its present values in descending order `b_1 >= ... >= b_m`;
//! with position weights `w` (non-negative, summing to one),
//!
//! ```text
//! OWA_k = sum_l w_l b_l,      orness(w) = sum_l (m - l) / (m - 1) w_l
//! ```
//!
//! Orness 1 is the maximum, 0 the minimum, 1/2 with equal weights the mean.
//! Either give the position `weights` (one per child, normalised to sum to one)
//! or an `orness` level, which picks the maximum-entropy weights of that orness
//! (O'Hagan 1988; they form a geometric sequence `w_l ∝ q^(l-1)`, Fullér and
//! Majlender 2001, *Fuzzy Sets and Systems* 124:53-57; `q` is found by
//! bisection to machine precision). With an orness level, a unit with missing
//! children uses the weights for the number of values it has; given weights
//! need every child present.
//!
//! Compind's `ci_owa(atleastjp = j)` is given weights: `CI_OWA_p` (the mean of
//! the `j` largest) is `weights = [1/j, ..., 1/j, 0, ..., 0]` and `CI_OWA_n`
//! (the `j` smallest) is `[0, ..., 0, 1/j, ..., 1/j]` (METHODS 8.7).
//! A child with weight zero takes no part; positive node weights are otherwise
//! ignored (OWA weights belong to positions).

use super::NodeContext;
use crate::error::{Error, Result};

/// The maximum-entropy OWA weights of `m` positions with the given orness in
/// `[0, 1]` (see the [module docs](self)).
pub fn weights_from_orness(m: usize, orness: f64) -> Vec<f64> {
    if m <= 1 {
        return vec![1.0; m];
    }
    let geometric = |t: f64| -> Vec<f64> {
        // w_l ∝ exp((l-1) t), scaled by the largest term to avoid overflow.
        let top = if t > 0.0 { (m - 1) as f64 * t } else { 0.0 };
        let mut w: Vec<f64> = (0..m).map(|l| (l as f64 * t - top).exp()).collect();
        let s: f64 = w.iter().sum();
        w.iter_mut().for_each(|x| *x /= s);
        w
    };
    if orness >= 1.0 {
        let mut w = vec![0.0; m];
        w[0] = 1.0;
        return w;
    }
    if orness <= 0.0 {
        let mut w = vec![0.0; m];
        w[m - 1] = 1.0;
        return w;
    }
    // orness decreases in t; bisection on t.
    let (mut lo, mut hi) = (-700.0, 700.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if orness_of(&geometric(mid)) > orness {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= f64::EPSILON * mid.abs().max(1.0) {
            break;
        }
    }
    geometric(0.5 * (lo + hi))
}

/// Yager's orness of position weights (summing to one).
pub fn orness_of(w: &[f64]) -> f64 {
    let m = w.len();
    if m <= 1 {
        return 0.5;
    }
    w.iter()
        .enumerate()
        .map(|(l, x)| (m - 1 - l) as f64 / (m - 1) as f64 * x)
        .sum()
}

/// The OWA of every unit: position weights given, or from an orness level.
///
/// # Errors
/// [`Error::InvalidParameter`] when the number of given weights differs from
/// the number of participating children; [`Error::Domain`] for a unit with a
/// missing child when weights are given.
pub fn owa(
    children: &[&[f64]],
    weights: &[f64],
    orness: Option<f64>,
    position_weights: Option<&[f64]>,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    let part: Vec<usize> = (0..children.len())
        .filter(|&j| weights.get(j).is_some_and(|&w| w > 0.0))
        .collect();
    let given = match position_weights {
        Some(w) if w.len() != part.len() => {
            return Err(Error::invalid(
                "owa",
                "weights",
                Some(ctx.node),
                format!(
                    "{} position weights for {} participating children",
                    w.len(),
                    part.len()
                ),
            ));
        }
        Some(w) => {
            let s: f64 = w.iter().sum();
            Some(w.iter().map(|x| x / s).collect::<Vec<f64>>())
        }
        None => None,
    };
    let orness = orness.unwrap_or(0.5);
    let mut cache: Vec<Option<Vec<f64>>> = vec![None; part.len() + 1];
    let mut vals = Vec::with_capacity(part.len());
    for (u, o) in out.iter_mut().enumerate() {
        vals.clear();
        for &j in &part {
            let v = children[j][u];
            if v.is_nan() {
                if given.is_some() {
                    return Err(Error::Domain {
                        method: "owa",
                        unit: ctx.units.get(u).cloned().unwrap_or_default(),
                        node: ctx.node.into(),
                        child: ctx.children.get(j).map(|s| s.to_string()).unwrap_or_default(),
                        value: v,
                        reason: "OWA with given position weights needs every child present (impute first, or give an orness level)".into(),
                    });
                }
                continue;
            }
            vals.push(v);
        }
        if vals.is_empty() {
            *o = f64::NAN;
            continue;
        }
        vals.sort_by(|a, b| b.total_cmp(a));
        let w: &[f64] = match &given {
            Some(w) => w,
            None => {
                cache[vals.len()].get_or_insert_with(|| weights_from_orness(vals.len(), orness))
            }
        };
        *o = vals.iter().zip(w).map(|(v, w)| v * w).sum();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn orness_weights() {
        for m in [2, 3, 7, 11] {
            for o in [0.0, 0.1, 0.3, 0.5, 0.77, 0.95, 1.0] {
                let w = weights_from_orness(m, o);
                assert_relative_eq!(w.iter().sum::<f64>(), 1.0, max_relative = 1e-14);
                assert!((orness_of(&w) - o).abs() < 1e-12, "m {m} orness {o}: {w:?}");
                assert!(w.iter().all(|x| *x >= 0.0));
            }
        }
        let w = weights_from_orness(4, 0.5);
        for x in w {
            assert_relative_eq!(x, 0.25, max_relative = 1e-12);
        }
    }

    #[test]
    fn compind_at_least_j() {
        let u = vec!["A".to_string()];
        let ch = ["a", "b", "c"];
        let ctx = NodeContext {
            node: "P",
            children: &ch,
            units: &u,
        };
        let mut out = [0.0];
        let c: [&[f64]; 3] = [&[3.0], &[9.0], &[6.0]];
        owa(&c, &[1.0; 3], None, Some(&[0.5, 0.5, 0.0]), &ctx, &mut out).unwrap();
        assert_eq!(out[0], 7.5);
        owa(&c, &[1.0; 3], None, Some(&[0.0, 1.0, 1.0]), &ctx, &mut out).unwrap();
        assert_eq!(out[0], 4.5);
        owa(&c, &[1.0; 3], Some(1.0), None, &ctx, &mut out).unwrap();
        assert_eq!(out[0], 9.0);
        owa(&c, &[1.0; 3], Some(0.0), None, &ctx, &mut out).unwrap();
        assert_eq!(out[0], 3.0);
        assert!(owa(&c, &[1.0; 3], None, Some(&[1.0, 0.0]), &ctx, &mut out).is_err());
    }
}
