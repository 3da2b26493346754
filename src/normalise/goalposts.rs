//! Goalpost normalisation.

/// Goalposts: `y = a * clip((x - l)/(u - l), 0, 1)` (clipping only when `truncate`).
///
/// `l` and `u` are given in the indicator's own orientation. The column arrives
/// already multiplied by its `direction`, so the posts are multiplied too; for a
/// bad indicator (direction -1) they swap roles and `y = a * (u - x)/(u - l)`.
///
/// Reference: COINr `n_goalposts`; UNDP Human Development Index technical notes.
pub fn goalposts(x: &mut [f64], l: f64, u: f64, a: f64, truncate: bool, direction: f64) {
    let (p, q) = if direction < 0.0 { (-u, -l) } else { (l, u) };
    let d = q - p;
    for v in x.iter_mut() {
        let mut y = (*v - p) / d;
        if truncate {
            y = y.clamp(0.0, 1.0);
        }
        *v = y * a;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let mut x = [0.0, 5.0, 20.0, f64::NAN];
        goalposts(&mut x, 0.0, 10.0, 100.0, true, 1.0);
        assert_eq!(&x[..3], &[0.0, 50.0, 100.0]);
        assert!(x[3].is_nan());
        // a bad indicator: raw 2 with posts 0..10 -> (10 - 2)/10
        let mut x = [-2.0, 5.0];
        goalposts(&mut x, 0.0, 10.0, 1.0, false, -1.0);
        assert_eq!(x, [0.8, 1.5]); // raw -5 lies beyond the lower post
    }
}
