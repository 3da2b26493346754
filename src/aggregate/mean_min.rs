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
//! fast the penalty grows with the imbalance. Compind's `ci_mean_min`
//! standardises inside with the wrong column statistics (its bug B2, METHODS
//! 8.10); here the standardisation is the pipeline's normalisation step, as
//! the paper defines it. A child with weight zero takes no part; positive
//! weights are otherwise ignored, as in the paper.

/// The Mean-Min Function of every unit (see the [module docs](self)).
/// Units without a present child get NaN.
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
}
