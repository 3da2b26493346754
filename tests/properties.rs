//! Property tests of the normalisers and aggregators (STYLE.md invariants).

use composite_index::aggregate::{Aggregator, NodeContext, means};
use composite_index::normalise::{ColumnContext, Normaliser, Ties};
use composite_index::prelude::*;
use proptest::prelude::*;

/// Tolerance for invariants that hold up to rounding.
const TOL: f64 = 1e-9;

fn ctx<'a>(units: &'a [String]) -> ColumnContext<'a> {
    ColumnContext {
        indicator: "x",
        units,
        direction: 1.0,
        target: None,
    }
}

fn units(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("U{i}")).collect()
}

/// Columns of 3..40 values in a sane range, with at least two distinct values.
fn column() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1e6..1e6f64, 3..40)
        .prop_filter("two distinct values", |v| v.iter().any(|&a| a != v[0]))
}

/// Failures found are saved in `proptest-regressions/` (committed) and replayed first.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::Direct(
                "proptest-regressions/properties.txt",
            ),
        )),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn min_max_in_range_with_extremes_attained(x in column(), lo in -10.0..10.0f64, w in 0.1..100.0f64) {
        let hi = lo + w;
        let mut y = x.clone();
        let u = units(x.len());
        NormaliseMethod::MinMax { lo, hi }.normalise(&mut y, &ctx(&u)).unwrap();
        for &v in &y {
            prop_assert!(v >= lo - TOL && v <= hi + TOL);
        }
        let (mn, mx) = composite_index::stats::min_max(&y).unwrap();
        prop_assert!((mn - lo).abs() < TOL && (mx - hi).abs() < TOL * hi.abs().max(1.0));
    }

    #[test]
    fn z_scores_have_mean_a_and_sd_s(x in column(), a in -10.0..10.0f64, s in 0.1..10.0f64) {
        let mut y = x.clone();
        let u = units(x.len());
        NormaliseMethod::ZScore { mean: a, sd: s }.normalise(&mut y, &ctx(&u)).unwrap();
        let m = composite_index::stats::mean(&y).unwrap();
        let sd = composite_index::stats::sd(&y).unwrap();
        prop_assert!((m - a).abs() < 1e-7 * s.max(1.0));
        prop_assert!((sd - s).abs() < 1e-7 * s);
    }

    #[test]
    fn negative_direction_reverses_order(x in column()) {
        // Normalising -x (direction -1) reverses the order of every pair.
        let u = units(x.len());
        let mut up = x.clone();
        NormaliseMethod::MinMax { lo: 0.0, hi: 1.0 }.normalise(&mut up, &ctx(&u)).unwrap();
        let mut down: Vec<f64> = x.iter().map(|v| -v).collect();
        NormaliseMethod::MinMax { lo: 0.0, hi: 1.0 }.normalise(&mut down, &ctx(&u)).unwrap();
        for i in 0..x.len() {
            for j in 0..x.len() {
                if x[i] < x[j] {
                    prop_assert!(up[i] < up[j] && down[i] > down[j]);
                }
            }
        }
    }

    #[test]
    fn rank_methods_unchanged_by_increasing_transform(x in column()) {
        let u = units(x.len());
        // exp(x / 1e6) is strictly increasing and keeps distinct values distinct here
        let tx: Vec<f64> = x.iter().map(|v| (v / 1e6).exp() * 3.0 + 1.0).collect();
        for m in [NormaliseMethod::Rank { ties: Ties::Min }, NormaliseMethod::Borda {}, NormaliseMethod::PercentileRank {}] {
            let mut a = x.clone();
            let mut b = tx.clone();
            m.normalise(&mut a, &ctx(&u)).unwrap();
            m.normalise(&mut b, &ctx(&u)).unwrap();
            // ties in x may be broken by rounding in tx only if x had no ties there
            let ties = (0..x.len()).any(|i| (0..x.len()).any(|j| i != j && (x[i] == x[j]) != (tx[i] == tx[j])));
            if !ties {
                prop_assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn permuting_units_permutes_results(x in column(), seed in any::<u64>()) {
        let n = x.len();
        let mut perm: Vec<usize> = (0..n).collect();
        // deterministic shuffle from the seed
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let u = units(n);
        for m in [NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 }, NormaliseMethod::Rank { ties: Ties::Min }, NormaliseMethod::ZScore { mean: 0.0, sd: 1.0 }] {
            let mut a = x.clone();
            m.normalise(&mut a, &ctx(&u)).unwrap();
            let mut b: Vec<f64> = perm.iter().map(|&p| x[p]).collect();
            m.normalise(&mut b, &ctx(&u)).unwrap();
            for (k, &p) in perm.iter().enumerate() {
                prop_assert!((b[k] - a[p]).abs() <= TOL * a[p].abs().max(1.0));
            }
        }
    }

    #[test]
    fn means_of_equal_values_return_that_value(v in 0.001..1e4f64, k in 1usize..8, w in prop::collection::vec(0.01..10.0f64, 8)) {
        let cols: Vec<Vec<f64>> = (0..k).map(|_| vec![v]).collect();
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let u = units(1);
        let names: Vec<&str> = (0..k).map(|_| "c").collect();
        let c = NodeContext { node: "P", children: &names, units: &u };
        for m in [AggregateMethod::ArithmeticMean {}, AggregateMethod::GeometricMean {}, AggregateMethod::HarmonicMean {}, AggregateMethod::GeneralisedMean { p: 2.5 }] {
            let mut out = [0.0];
            m.aggregate(&refs, &w[..k], &c, &mut out).unwrap();
            prop_assert!((out[0] - v).abs() <= 1e-12 * v.max(1.0), "{} gave {} for {}", m.name(), out[0], v);
        }
    }

    #[test]
    fn arithmetic_ge_geometric_ge_harmonic(vals in prop::collection::vec(0.001..1e3f64, 1..10), w in prop::collection::vec(0.01..10.0f64, 10)) {
        let k = vals.len();
        let cols: Vec<[f64; 1]> = vals.iter().map(|&v| [v]).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
        let u = units(1);
        let names: Vec<&str> = (0..k).map(|_| "c").collect();
        let c = NodeContext { node: "P", children: &names, units: &u };
        let (mut a, mut g, mut h) = ([0.0], [0.0], [0.0]);
        means::arithmetic_mean(&refs, &w[..k], &mut a);
        means::geometric_mean(&refs, &w[..k], &c, &mut g).unwrap();
        means::harmonic_mean(&refs, &w[..k], &c, &mut h).unwrap();
        prop_assert!(a[0] >= g[0] * (1.0 - 1e-12) && g[0] >= h[0] * (1.0 - 1e-12));
    }

    #[test]
    fn aggregation_lies_between_min_and_max_child(vals in prop::collection::vec(prop::option::of(0.001..1e3f64), 1..10), w in prop::collection::vec(0.01..10.0f64, 10)) {
        let k = vals.len();
        let cols: Vec<[f64; 1]> = vals.iter().map(|v| [v.unwrap_or(f64::NAN)]).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| &c[..]).collect();
        let u = units(1);
        let names: Vec<&str> = (0..k).map(|_| "c").collect();
        let c = NodeContext { node: "P", children: &names, units: &u };
        let present: Vec<f64> = vals.iter().flatten().copied().collect();
        for m in [AggregateMethod::ArithmeticMean {}, AggregateMethod::GeometricMean {}, AggregateMethod::HarmonicMean {}, AggregateMethod::GeneralisedMean { p: -1.5 }] {
            let mut out = [0.0];
            m.aggregate(&refs, &w[..k], &c, &mut out).unwrap();
            if present.is_empty() {
                prop_assert!(out[0].is_nan());
            } else {
                let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(out[0] >= lo * (1.0 - 1e-12) && out[0] <= hi * (1.0 + 1e-12));
            }
        }
    }
}

/// Methods whose output increases with the direction-adjusted value.
fn increasing_method(x: &[f64], dir: f64) -> impl Strategy<Value = NormaliseMethod> + use<> {
    let adj: Vec<f64> = x.iter().map(|v| v * dir).collect();
    let (lo, hi) = composite_index::stats::min_max(&adj).unwrap();
    // Goalposts and target in the indicator's own orientation: the pipeline
    // multiplies them by the direction (posts swap roles for a bad indicator).
    let (gl, gu) = if dir > 0.0 { (lo, hi) } else { (-hi, -lo) };
    let target = (hi + 1.0) * dir;
    prop_oneof![
        Just(NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 }),
        Just(NormaliseMethod::ZScore { mean: 0.0, sd: 1.0 }),
        Just(NormaliseMethod::Rank { ties: Ties::Min }),
        Just(NormaliseMethod::Borda {}),
        Just(NormaliseMethod::PercentileRank {}),
        Just(NormaliseMethod::Goalposts {
            lo: gl,
            hi: gu,
            scale: 1.0,
            truncate: false
        }),
        Just(NormaliseMethod::DistanceToTarget {
            target: Some(target),
            cap: false
        }),
        Just(NormaliseMethod::DistanceToMax {}),
    ]
}

fn direction() -> impl Strategy<Value = f64> {
    prop_oneof![Just(1.0), Just(-1.0)]
}

proptest! {
    #![proptest_config(config())]

    /// Through the pipeline, with the direction drawn: a "bad" indicator (-1) is
    /// normalised so that its lowest raw value scores best, for every method.
    #[test]
    fn normalised_order_follows_the_direction(
        (x, dir, m) in (column(), direction())
            .prop_flat_map(|(x, d)| {
                let m = increasing_method(&x, d);
                (Just(x), Just(d), m)
            })
    ) {
        let framework = FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("x", Some("Index")).direction(dir),
            NodeSpec::new("y", Some("Index")),
        ]);
        let n = x.len();
        let data = Dataset::from_columns(units(n), vec![
            ("x".into(), x.clone()),
            ("y".into(), (0..n).map(|i| i as f64).collect()),
        ]).unwrap();
        let spec = IndexSpec::new(framework, vec![Step::Normalise(NormaliseSpec::new(m.clone()))]);
        let results = Pipeline::new(spec, data).unwrap().run().unwrap();
        let y = results.dataset("normalised").unwrap().column("x").unwrap();
        for i in 0..n {
            for j in 0..n {
                if x[i] * dir < x[j] * dir {
                    prop_assert!(y[i] < y[j], "{}: direction {dir}: x {} < {} but y {} >= {}", m.name(), x[i] * dir, x[j] * dir, y[i], y[j]);
                }
            }
        }
    }

    /// A constant column, whatever its value (from subnormal to near the largest
    /// f64, either sign) and however rounding treats its mean, is reported as
    /// constant by every method that divides by a spread.
    #[test]
    fn constant_columns_of_any_value_are_degenerate(
        c in any::<f64>().prop_filter("finite", |v| v.is_finite()),
        n in 2usize..60,
        holes in prop::collection::vec(any::<bool>(), 60),
    ) {
        use composite_index::audit;
        let x: Vec<f64> = (0..n).map(|i| if holes[i] && i > 1 { f64::NAN } else { c }).collect();
        let u = units(n);
        prop_assert!(composite_index::stats::is_constant(&x));
        prop_assert_eq!(composite_index::stats::skewness(&x), None);
        prop_assert_eq!(composite_index::stats::kurtosis(&x), None);
        prop_assert_eq!(composite_index::stats::sd(&x), Some(0.0));
        for m in [NormaliseMethod::MinMax { lo: 0.0, hi: 100.0 }, NormaliseMethod::ZScore { mean: 0.0, sd: 1.0 }, NormaliseMethod::DistanceToMax {}] {
            let mut y = x.clone();
            let e = m.normalise(&mut y, &ctx(&u));
            prop_assert!(matches!(e, Err(Error::DegenerateColumn { .. })), "{} accepted [{c}; {n}]: {y:?}", m.name());
        }
        let other: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let r = audit::correlation(&x, &other, audit::CorrelationMethod::Pearson).unwrap();
        prop_assert_eq!(r.r, None);
        let data = Dataset::from_columns(u.clone(), vec![("c".into(), x.clone()), ("d".into(), x.clone()), ("o".into(), other)]).unwrap();
        prop_assert!(audit::pca(&data, &["c", "o"]).is_err());
        prop_assert!(audit::cronbach_alpha(&data, &["c", "d"]).is_err());
    }
}
