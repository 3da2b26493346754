//! The Copeland outranking rule.

/// Copeland scores from an outranking matrix.
///
/// With weights `w` normalised to sum to one, unit `i` outranks unit `j` by
/// `o_ij = sum of w over children where x_i > x_j + half the sum of w where x_i = x_j`.
/// Unit `i` scores the number of units `j` with `o_ij > 0.5` minus the number with
/// `o_ij < 0.5`. The comparison `o_ij > 0.5` is evaluated exactly as "weighted wins
/// exceed weighted losses", which avoids rounding at the half.
///
/// Missing data: a pair is compared on the children present for both units (their
/// weights renormalised); pairs with no such child are not counted; a unit with no
/// present child gets a missing score.
///
/// Reference: Munda and Nardo (2009), Applied Economics 41(12), 1513-1523; COINr
/// `outrankMatrix` and `a_copeland`.
pub fn copeland(children: &[&[f64]], weights: &[f64], out: &mut [f64]) {
    let n = out.len();
    for i in 0..n {
        if children.iter().all(|c| c[i].is_nan()) {
            out[i] = f64::NAN;
            continue;
        }
        let mut score = 0i64;
        for j in 0..n {
            if i == j {
                continue;
            }
            let (mut wins, mut losses) = (0.0, 0.0);
            for (c, &w) in children.iter().zip(weights) {
                let (a, b) = (c[i], c[j]);
                if a.is_nan() || b.is_nan() {
                    continue;
                }
                if a > b {
                    wins += w;
                } else if a < b {
                    losses += w;
                }
            }
            if wins > losses {
                score += 1;
            } else if wins < losses {
                score -= 1;
            }
        }
        out[i] = score as f64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // three units, two equally weighted children
        // A: (3, 1), B: (2, 2), C: (1, 3)
        // A vs B: wins 1 (c1), loses 1 (c2) -> 0.5 -> neither
        // A vs C: same; B vs C: same => all zero
        let c1 = [3.0, 2.0, 1.0];
        let c2 = [1.0, 2.0, 3.0];
        let mut out = [9.0; 3];
        copeland(&[&c1, &c2], &[1.0, 1.0], &mut out);
        assert_eq!(out, [0.0, 0.0, 0.0]);
        // with weights 2:1, c1 decides: A beats B and C, B beats C
        copeland(&[&c1, &c2], &[2.0, 1.0], &mut out);
        assert_eq!(out, [2.0, 0.0, -2.0]);
    }

    #[test]
    fn missing_children() {
        let c1 = [3.0, f64::NAN, 1.0];
        let c2 = [1.0, f64::NAN, 3.0];
        let mut out = [0.0; 3];
        copeland(&[&c1, &c2], &[2.0, 1.0], &mut out);
        assert_eq!(out[0], 1.0);
        assert!(out[1].is_nan());
        assert_eq!(out[2], -1.0);
    }
}
