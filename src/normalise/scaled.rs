//! Scaling by fixed bounds.

/// Scaling with fixed bounds `p1`, `p2` and factor `f`: `y = (x - p1)/(p2 - p1) * f`.
/// Unlike min-max, the bounds do not depend on the data, so the scale is stable
/// across editions. Parameters are checked by
/// [`NormaliseMethod::validate`](super::NormaliseMethod::validate).
///
/// Reference: COINr `n_scaled`.
pub fn scaled(x: &mut [f64], p1: f64, p2: f64, f: f64) {
    let k = f / (p2 - p1);
    for v in x.iter_mut() {
        *v = (*v - p1) * k;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn by_hand() {
        let mut x = [0.0, 5.0, 20.0];
        super::scaled(&mut x, 0.0, 10.0, 100.0);
        assert_eq!(x, [0.0, 50.0, 200.0]);
    }
}
