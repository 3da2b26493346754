//! The Mean-Min Function: the mean penalised by the distance to the minimum.
//!
//! Casadio Tarabusi and Guarini (2013), *Social Indicators Research*
//! 112(1):19-45. The children should be standardised first (z-scores with
//! mean 100 and sd 10: the normaliser `{ method = "z_score", mean = 100, sd = 10 }`).
//! For unit `k` with present values `z_kj`, `M_k` their mean and `mu_k` their
//! minimum,
//!
//! ```text
//! MMF_k = M_k - alpha ( sqrt((M_k - mu_k)^2 + beta^2) - beta ),   0 <= alpha <= 1, beta >= 0
//! ```
//!
//! `alpha = 0` is the mean; `alpha = 1, beta = 0` the minimum; `beta` sets how
//! fast the penalty grows with the imbalance. A child with weight zero takes no
//! part; positive weights are otherwise ignored, as in the paper.
//!
//! **Standardisation** ([`MeanMinStandardise`], spec key `standardise`). By
//! default (`"none"`) the children are used as they come, so the
//! standardisation is the pipeline's normalisation step, as the paper defines
//! it. `"z_score"` standardises inside, as the paper and Compind's
//! `ci_mean_min` intend (METHODS 8.8): with `mu_j` and `sigma_j` the mean and
//! sample standard deviation (`n - 1`) of child `j` over the units where it is
//! present,
//!
//! ```text
//! z_kj = (y_kj - mu_j) / sigma_j * 10 + 100
//! ```
//!
//! `"compind"` reproduces Compind 3.4's `ci_mean_min` as it is (its bug B2,
//! METHODS 8.10): R recycles the vectors of column statistics down the columns
//! of the data frame, so with `n` units and `m` children element `(k, j)`
//! (1-based) is standardised with the statistics of child
//! `c = ((j - 1) n + (k - 1)) mod m + 1`:
//!
//! ```text
//! z_kj = (y_kj - mu_c) / sigma_c * 10 + 100
//! ```
//!
//! On Compind's help example (EU_NUTS1 min-max normalised, roads "NEG" and
//! trains "POS", `alpha = 0.5`, `beta = 1`) DE1 scores 83.53 with `"compind"`
//! and 99.85 with `"z_score"`. The children counted in `m` and `j` are those
//! taking part (positive weight), in their order; missing values are left out
//! of the statistics (Compind would return NaN for the whole column).

use crate::aggregate::NodeContext;
use crate::error::{Error, Result};
use crate::stats;

/// How the Mean-Min Function standardises its children (see the
/// [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum MeanMinStandardise {
    /// Use the children as they are (the pipeline's normalised values; the
    /// paper's method when they are z-scores with mean 100 and sd 10).
    #[default]
    None,
    /// `z = (y - mu)/sigma * 10 + 100` with each child's own mean and sample
    /// standard deviation (the paper; what Compind's `ci_mean_min` intends).
    ZScore,
    /// Compind 3.4's `ci_mean_min` as it is: column statistics recycled down
    /// the columns (its bug B2).
    Compind,
}

/// The Mean-Min Function of every unit after standardising the children as
/// `standardise` says (see the [module docs](self)). Units without a present
/// child get NaN.
///
/// # Errors
/// [`Error::DegenerateColumn`] when standardising a child that has fewer than
/// two present values or is constant.
pub fn mean_min_standardised(
    children: &[&[f64]],
    weights: &[f64],
    alpha: f64,
    beta: f64,
    standardise: MeanMinStandardise,
    ctx: &NodeContext<'_>,
    out: &mut [f64],
) -> Result<()> {
    if standardise == MeanMinStandardise::None {
        mean_min(children, weights, alpha, beta, out);
        return Ok(());
    }
    // The children taking part, with their statistics.
    let taking: Vec<usize> = (0..children.len())
        .filter(|&j| weights.get(j).is_some_and(|&w| w > 0.0))
        .collect();
    let mut moments = Vec::with_capacity(taking.len());
    for &j in &taking {
        let c = children[j];
        let name = ctx.children.get(j).copied().unwrap_or(ctx.node);
        let degenerate = |why: &str| Error::degenerate(name, "mean_min", why);
        let (Some(mu), Some(sd)) = (stats::mean(c), stats::sd(c)) else {
            return Err(degenerate(
                "fewer than two present values to standardise (standardise = z_score or compind)",
            ));
        };
        if stats::is_constant(c) || !(sd > 0.0 && sd.is_finite()) {
            return Err(degenerate(
                "constant: no standard deviation to standardise by (standardise = z_score or compind)",
            ));
        }
        moments.push((mu, sd));
    }
    let (n, m) = (out.len(), taking.len());
    let z: Vec<Vec<f64>> = taking
        .iter()
        .enumerate()
        .map(|(jj, &j)| {
            (0..n)
                .map(|k| {
                    let c = match standardise {
                        MeanMinStandardise::Compind => (jj * n + k) % m,
                        _ => jj,
                    };
                    let (mu, sd) = moments[c];
                    (children[j][k] - mu) / sd * 10.0 + 100.0
                })
                .collect()
        })
        .collect();
    let cols: Vec<&[f64]> = z.iter().map(Vec::as_slice).collect();
    mean_min(&cols, &vec![1.0; m], alpha, beta, out);
    Ok(())
}

/// The Mean-Min Function of every unit (see the [module docs](self)), on the
/// children as they are. Units without a present child get NaN.
pub fn mean_min(children: &[&[f64]], weights: &[f64], alpha: f64, beta: f64, out: &mut [f64]) {
    for (u, o) in out.iter_mut().enumerate() {
        let (mut sum, mut n, mut min) = (0.0, 0usize, f64::INFINITY);
        for (c, &w) in children.iter().zip(weights) {
            let v = c[u];
            if w > 0.0 && !v.is_nan() {
                sum += v;
                n += 1;
                min = min.min(v);
            }
        }
        *o = if n == 0 {
            f64::NAN
        } else {
            let m = sum / n as f64;
            let d = m - min;
            m - alpha * ((d * d + beta * beta).sqrt() - beta)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn limits_and_by_hand() {
        let a = [90.0, 100.0];
        let b = [110.0, f64::NAN];
        let mut out = [0.0; 2];
        mean_min(&[&a, &b], &[1.0, 1.0], 0.0, 1.0, &mut out);
        assert_eq!(out, [100.0, 100.0]);
        mean_min(&[&a, &b], &[1.0, 1.0], 1.0, 0.0, &mut out);
        assert_eq!(out[0], 90.0);
        mean_min(&[&a, &b], &[1.0, 1.0], 0.5, 1.0, &mut out);
        assert_relative_eq!(
            out[0],
            100.0 - 0.5 * (101f64.sqrt() - 1.0),
            max_relative = 1e-15
        );
    }

    #[test]
    fn standardised_by_hand_and_constant_children() {
        // Three units, two children; sample sd of a = 1, of b = 2.
        let a = [1.0, 2.0, 3.0];
        let b = [0.0, 4.0, 2.0];
        let units: Vec<String> = ["U1", "U2", "U3"].map(String::from).to_vec();
        let ctx = NodeContext {
            node: "I",
            children: &["a", "b"],
            units: &units,
        };
        let mut out = [0.0; 3];
        let w = [1.0, 1.0];
        mean_min_standardised(
            &[&a, &b],
            &w,
            0.0,
            0.0,
            MeanMinStandardise::ZScore,
            &ctx,
            &mut out,
        )
        .unwrap();
        // z(a) = 90, 100, 110; z(b) = 90, 110, 100: means 90, 105, 105.
        for (o, want) in out.iter().zip([90.0, 105.0, 105.0]) {
            assert_relative_eq!(*o, want, max_relative = 1e-15);
        }
        // Compind: element (k, j) uses the statistics of child ((j n + k) mod 2):
        // a1 (a), a2 (b), a3 (a); b1 (b), b2 (a), b3 (b).
        mean_min_standardised(
            &[&a, &b],
            &w,
            0.0,
            0.0,
            MeanMinStandardise::Compind,
            &ctx,
            &mut out,
        )
        .unwrap();
        let z = |x: f64, (mu, sd): (f64, f64)| (x - mu) / sd * 10.0 + 100.0;
        let (sa, sb) = ((2.0, 1.0), (2.0, 2.0));
        let want = [
            (z(1.0, sa) + z(0.0, sb)) / 2.0,
            (z(2.0, sb) + z(4.0, sa)) / 2.0,
            (z(3.0, sa) + z(2.0, sb)) / 2.0,
        ];
        for (o, want) in out.iter().zip(want) {
            assert_relative_eq!(*o, want, max_relative = 1e-15);
        }
        let flat = [5.0, 5.0, 5.0];
        let e = mean_min_standardised(
            &[&a, &flat],
            &w,
            0.5,
            1.0,
            MeanMinStandardise::ZScore,
            &ctx,
            &mut out,
        )
        .unwrap_err();
        assert!(
            matches!(e, Error::DegenerateColumn { ref indicator, .. } if indicator == "b"),
            "{e}"
        );
        // Without standardisation a constant child is fine.
        mean_min_standardised(
            &[&a, &flat],
            &w,
            0.5,
            1.0,
            MeanMinStandardise::None,
            &ctx,
            &mut out,
        )
        .unwrap();
    }
}
