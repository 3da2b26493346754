//! The audit toolkit (issue 5): every statistic against values worked out by hand on
//! small fixtures (each derivation in a comment), the algebraic identities of
//! Cronbach's alpha and PCA, property tests, and the whole toolkit on COINr's ASEM
//! data (case A), which skips without `../shared/reference` and fails under `CI=true`.

mod common;

use std::collections::BTreeMap;

use approx::assert_relative_eq;
use composite_index::audit::*;
use composite_index::prelude::*;
use nalgebra::DMatrix;
use proptest::prelude::*;

const NAN: f64 = f64::NAN;
/// Tolerance for closed-form values computed in floating point.
const TOL: f64 = 1e-12;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// A table from columns (one `Vec` per column).
fn table(units: &[&str], cols: &[(&str, Vec<f64>)]) -> (Vec<String>, Vec<String>, DMatrix<f64>) {
    let n = units.len();
    let flat: Vec<f64> = cols.iter().flat_map(|(_, v)| v.clone()).collect();
    (
        s(units),
        cols.iter().map(|(c, _)| c.to_string()).collect(),
        DMatrix::from_vec(n, cols.len(), flat),
    )
}

/// Index -> P1 (a, b), P2 (c); aggregation by arithmetic mean only, four units.
///
/// a = 4 3 2 1, b = 1 4 2 3, c = 2 4 1 3
/// P1 = (a + b)/2 = 2.5 3.5 2 2; P2 = c; Index = (P1 + P2)/2 = 2.25 3.75 1.5 2.5,
/// ranks 3 1 4 2.
fn small_pipeline() -> Pipeline {
    let data = Dataset::from_columns(
        s(&["U1", "U2", "U3", "U4"]),
        vec![
            ("a".into(), vec![4.0, 3.0, 2.0, 1.0]),
            ("b".into(), vec![1.0, 4.0, 2.0, 3.0]),
            ("c".into(), vec![2.0, 4.0, 1.0, 3.0]),
        ],
    )
    .unwrap();
    let mut set = BTreeMap::new();
    set.insert("P2".to_string(), 1.0);
    let framework = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("P1", Some("Index")),
        NodeSpec::new("P2", Some("Index")),
        NodeSpec::new("a", Some("P1")),
        NodeSpec::new("b", Some("P1")),
        NodeSpec::new("c", Some("P2")),
    ])
    .with_weight_set("alt", set);
    // The per-node override and the weight set both name P2: leaving P2 out must
    // clean them, or the reduced pipeline would not validate.
    let agg = AggregateSpec::new(AggregateMethod::ArithmeticMean {})
        .with_node("P2", AggregateMethod::ArithmeticMean {});
    Pipeline::new(IndexSpec::new(framework, vec![Step::Aggregate(agg)]), data).unwrap()
}

// ------------------------------------------------------------ statistics table

#[test]
fn statistics_table_by_hand() {
    let (u, c, m) = table(
        &["1", "2", "3", "4", "5", "6", "7", "8"],
        &[
            ("x", vec![0.0, 0.0, 1.0, 2.0, 3.0, 10.0, NAN, NAN]),
            ("spike", vec![0.0, 0.0, 0.0, 0.0, 0.0, 5.0, NAN, NAN]),
            ("sparse", vec![1.0, NAN, NAN, NAN, 2.0, NAN, 3.0, NAN]),
            ("const", vec![4.0; 8]),
        ],
    );
    let view = DataView::new(&u, &c, &m).unwrap();
    let t = indicator_stats(view, &StatsThresholds::default()).unwrap();
    assert_eq!(t.len(), 4);

    // x: present 0 0 1 2 3 10 (n = 6 of 8): availability 0.75, min 0, max 10,
    // mean 16/6 = 8/3, median (1 + 2)/2 = 1.5. Deviations from 8/3, in thirds:
    // -8 -8 -5 -2 1 22, so sum d^2 = 642/9, sum d^3 = 9492/27, sum d^4 = 254706/81
    // (8^4 = 4096 twice, 625, 16, 1, 22^4 = 234256 -> 243090; over 81).
    let x = &t[0];
    assert_eq!((x.n_units, x.n_present), (8, 6));
    assert_eq!(x.availability, 0.75);
    assert_eq!((x.min, x.max), (Some(0.0), Some(10.0)));
    assert_relative_eq!(x.mean.unwrap(), 8.0 / 3.0, max_relative = TOL);
    assert_eq!(x.median, Some(1.5));
    let (s2, s3, s4) = (642.0 / 9.0, 9492.0 / 27.0, 243_090.0 / 81.0);
    assert_relative_eq!(x.sd.unwrap(), (s2 / 5.0_f64).sqrt(), max_relative = TOL);
    // G = sqrt(n) s3 / s2^1.5 * sqrt(n(n-1))/(n-2), n = 6
    let g = 6f64.sqrt() * s3 / s2.powf(1.5) * 30f64.sqrt() / 4.0;
    assert_relative_eq!(x.skewness.unwrap(), g, max_relative = 1e-12);
    // K = ((n+1)(r-3)+6)(n-1)/((n-2)(n-3)), r = n s4 / s2^2
    let r = 6.0 * s4 / (s2 * s2);
    let k = ((7.0) * (r - 3.0) + 6.0) * 5.0 / (4.0 * 3.0);
    assert_relative_eq!(x.kurtosis.unwrap(), k, max_relative = 1e-12);
    // zeros 2 of 6; unique values 0 1 2 3 10
    assert_relative_eq!(x.share_zeros.unwrap(), 1.0 / 3.0, max_relative = TOL);
    assert_eq!(x.n_unique, 5);
    // G = 1.759 < 2: not an outlier; availability 0.75 >= 0.65; zeros 1/3 <= 0.5.
    assert!(g < 2.0);
    assert!(!x.outlier_flag && !x.low_availability && !x.many_zeros);

    // spike: 0 0 0 0 0 5. Mean 5/6, d = -5/6 (x5), 25/6: sum d^2 = 750/36,
    // sum d^3 = 15000/216, sum d^4 = 393750/1296; G = sqrt(6) (15000/216)/(750/36)^1.5
    // * sqrt(30)/4 = 2.4495 > 2 and r = 6 (393750/1296)/(750/36)^2 = 4.2, so
    // K = (7 * 1.2 + 6) * 5 / 12 = 6 > 3.5: flagged. Zeros 5/6 > 0.5: flagged.
    let sp = &t[1];
    assert_relative_eq!(sp.kurtosis.unwrap(), 6.0, max_relative = 1e-12);
    assert!(sp.skewness.unwrap() > 2.0);
    assert!(sp.outlier_flag && sp.many_zeros && !sp.low_availability);
    assert_relative_eq!(sp.share_zeros.unwrap(), 5.0 / 6.0, max_relative = TOL);
    assert_eq!(sp.n_unique, 2);

    // sparse: 3 of 8 present = 0.375 < 0.65; kurtosis needs 4 values.
    let sa = &t[2];
    assert_eq!(sa.availability, 0.375);
    assert!(sa.low_availability);
    assert_eq!(sa.kurtosis, None);
    assert_eq!(sa.median, Some(2.0));

    // const: sd 0, skewness and kurtosis undefined, one unique value, not flagged.
    let co = &t[3];
    assert_eq!(co.sd, Some(0.0));
    assert_eq!((co.skewness, co.kurtosis), (None, None));
    assert_eq!(co.n_unique, 1);
    assert!(!co.outlier_flag);

    // all missing: everything undefined, no panic.
    let e = column_stats("e", &[NAN, NAN], &StatsThresholds::default());
    assert_eq!(
        (e.min, e.mean, e.share_zeros, e.n_unique),
        (None, None, None, 0)
    );
    assert!(e.low_availability);

    let bad = StatsThresholds {
        availability: 1.5,
        ..StatsThresholds::default()
    };
    assert!(matches!(
        indicator_stats(view, &bad),
        Err(Error::InvalidParameter { .. })
    ));
}

// ------------------------------------------------------------ availability

#[test]
fn availability_by_hand() {
    let p = small_pipeline();
    // U1: a missing; U2 complete; U3: b = 0 and c missing.
    let (u, c, m) = table(
        &["U1", "U2", "U3"],
        &[
            ("a", vec![NAN, 1.0, 2.0]),
            ("b", vec![1.0, 2.0, 0.0]),
            ("c", vec![1.0, 2.0, NAN]),
        ],
    );
    let view = DataView::new(&u, &c, &m).unwrap();
    let t = data_availability(view, p.framework(), 2).unwrap();
    assert_eq!(t.groups, s(&["P1", "P2"]));
    assert_eq!(t.group_indicators, vec![s(&["a", "b"]), s(&["c"])]);
    // overall: 2/3, 3/3, 2/3; P1 (a, b): 1/2, 1, 1; P2 (c): 1, 1, 0.
    let got: Vec<(f64, Vec<f64>, f64)> = t
        .units
        .iter()
        .map(|r| (r.availability, r.by_group.clone(), r.min_group))
        .collect();
    assert_eq!(
        got,
        vec![
            (2.0 / 3.0, vec![0.5, 1.0], 0.5),
            (1.0, vec![1.0, 1.0], 1.0),
            (2.0 / 3.0, vec![1.0, 0.0], 0.0),
        ]
    );
    // zeros among present values: U3 has b = 0 of {a, b} -> 1/2.
    assert_eq!(t.units[2].share_zeros, Some(0.5));
    assert_eq!(t.units[0].share_zeros, Some(0.0));
    // level 3 = the index: one group holding every indicator.
    let t3 = data_availability(view, p.framework(), 3).unwrap();
    assert_eq!(t3.units[0].by_group, vec![2.0 / 3.0]);
    assert!(matches!(
        data_availability(view, p.framework(), 1),
        Err(Error::InvalidParameter { .. })
    ));
}

// ------------------------------------------------------------ correlations

/// Student's t with 3 degrees of freedom in closed form:
/// F(t) = 1/2 + (t/sqrt3 / (1 + t^2/3) + atan(t/sqrt3)) / pi.
fn t3_cdf(t: f64) -> f64 {
    let a = t / 3f64.sqrt();
    0.5 + (a / (1.0 + t * t / 3.0) + a.atan()) / std::f64::consts::PI
}

#[test]
fn pearson_and_spearman_by_hand() {
    // x = 1..5, y = 2 1 4 3 5, plus one row missing x and one missing y.
    // dx = -2 -1 0 1 2, dy = -1 -2 1 0 2: sum dxdy = 8, sum dx^2 = sum dy^2 = 10 -> r = 0.8.
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, NAN, 7.0];
    let y = [2.0, 1.0, 4.0, 3.0, 5.0, 9.0, NAN];
    let c = correlation(&x, &y, CorrelationMethod::Pearson).unwrap();
    assert_eq!(c.n, 5);
    assert_relative_eq!(c.r.unwrap(), 0.8, max_relative = TOL);
    // t = 0.8 sqrt(3 / 0.36), df = 3: p = 2 (1 - F3(t)).
    let t = 0.8 * (3.0f64 / 0.36).sqrt();
    assert_relative_eq!(
        c.p_value.unwrap(),
        2.0 * (1.0 - t3_cdf(t)),
        max_relative = 1e-9
    );
    // y holds ranks already and x too: Spearman = Pearson here.
    let sp = correlation(&x, &y, CorrelationMethod::Spearman).unwrap();
    assert_relative_eq!(sp.r.unwrap(), 0.8, max_relative = TOL);

    // Ties take the average rank: x = 1 2 2 3 -> 1 2.5 2.5 4; y = 1 3 2 4.
    // d = -1.5 0 0 1.5 and -1.5 0.5 -0.5 1.5: 4.5 / sqrt(4.5 * 5) = sqrt(0.9).
    let sp = correlation(
        &[1.0, 2.0, 2.0, 3.0],
        &[1.0, 3.0, 2.0, 4.0],
        CorrelationMethod::Spearman,
    )
    .unwrap();
    assert_relative_eq!(sp.r.unwrap(), 0.9f64.sqrt(), max_relative = TOL);
    // df = 2: F2(t) = 1/2 + t / (2 sqrt(2 + t^2)), t = r sqrt(2/(1 - r^2)) = sqrt(18),
    // p = 1 - t/sqrt(2 + t^2) = 1 - sqrt(18/20).
    assert_relative_eq!(
        sp.p_value.unwrap(),
        1.0 - 0.9f64.sqrt(),
        max_relative = 1e-9
    );

    // Undefined cases: a constant column, two pairs (r defined, p not), lengths.
    let k = correlation(
        &[1.0, 1.0, 1.0],
        &[1.0, 2.0, 3.0],
        CorrelationMethod::Pearson,
    )
    .unwrap();
    assert_eq!((k.r, k.p_value, k.n), (None, None, 3));
    let two = correlation(&[1.0, 2.0], &[3.0, 1.0], CorrelationMethod::Pearson).unwrap();
    assert_eq!((two.r, two.p_value), (Some(-1.0), None));
    assert!(matches!(
        correlation(&[1.0], &[1.0, 2.0], CorrelationMethod::Pearson),
        Err(Error::DimensionMismatch { .. })
    ));
}

#[test]
fn framework_correlations_by_hand() {
    let p = small_pipeline();
    let res = p.run().unwrap();
    let agg = res.aggregated().unwrap();
    let fw = p.framework();

    // a with P1 = 2.5 3.5 2 2: da = 1.5 .5 -.5 -1.5, dP1 = 0 1 -.5 -.5:
    // 1.5 / sqrt(5 * 1.5) = 0.5477. a with Index = 2.25 3.75 1.5 2.5:
    // dI = -.25 1.25 -1 0, sum da dI = .75, sum dI^2 = 2.625: .75/sqrt(13.125) = 0.2070 (weak).
    let anc = ancestor_correlations(agg, fw, 1, CorrelationMethod::Pearson, 0.3).unwrap();
    let find = |code: &str, a: &str| {
        anc.iter()
            .find(|r| r.code == code && r.ancestor == a)
            .unwrap()
            .clone()
    };
    let a_p1 = find("a", "P1");
    assert!(a_p1.is_parent && !a_p1.weak);
    assert_relative_eq!(
        a_p1.correlation.r.unwrap(),
        1.5 / 7.5f64.sqrt(),
        max_relative = TOL
    );
    let a_idx = find("a", "Index");
    assert!(!a_idx.is_parent && a_idx.weak);
    assert_eq!(a_idx.ancestor_level, 3);
    assert_relative_eq!(
        a_idx.correlation.r.unwrap(),
        0.75 / 13.125f64.sqrt(),
        max_relative = TOL
    );
    // c equals its parent P2: r = 1.
    assert_relative_eq!(
        find("c", "P2").correlation.r.unwrap(),
        1.0,
        max_relative = TOL
    );
    // 3 indicators x 2 ancestors
    assert_eq!(anc.len(), 6);

    // Within P1: r(a, b): da.db = -2.25 + .75 + .25 - .75 = -2 over 5 -> -0.4.
    let g = group_correlations(agg, fw, "P1", CorrelationMethod::Pearson).unwrap();
    assert_eq!(g.rows, s(&["a", "b"]));
    assert_relative_eq!(
        g.get("a", "b").unwrap().r.unwrap(),
        -0.4,
        max_relative = TOL
    );
    assert_relative_eq!(g.r[(0, 0)], 1.0, max_relative = TOL);
    // A single-member group is a 1 x 1 matrix; an indicator has no group.
    assert_eq!(
        group_correlations(agg, fw, "P2", CorrelationMethod::Pearson)
            .unwrap()
            .r
            .len(),
        1
    );
    assert!(matches!(
        group_correlations(agg, fw, "a", CorrelationMethod::Pearson),
        Err(Error::DegenerateColumn { .. })
    ));

    // Siblings P1, P2: dP1 = 0 1 -.5 -.5, dc = -.5 1.5 -1.5 .5: 2 / sqrt(1.5 * 5) = 0.7303.
    assert!(
        collinear_pairs(agg, fw, 2, CorrelationMethod::Pearson, 0.9)
            .unwrap()
            .is_empty()
    );
    let pairs = collinear_pairs(agg, fw, 2, CorrelationMethod::Pearson, 0.7).unwrap();
    assert_eq!(pairs.len(), 1);
    assert_eq!(
        (
            pairs[0].a.as_str(),
            pairs[0].b.as_str(),
            pairs[0].parent.as_str()
        ),
        ("P1", "P2", "Index")
    );
    assert_relative_eq!(
        pairs[0].correlation.r.unwrap(),
        2.0 / 7.5f64.sqrt(),
        max_relative = TOL
    );
    assert!(matches!(
        collinear_pairs(agg, fw, 3, CorrelationMethod::Pearson, 0.9),
        Err(Error::InvalidParameter { .. })
    ));

    // Normalised data has no aggregates: a clear error naming the column.
    let raw = res.dataset("raw").unwrap();
    assert!(matches!(
        ancestor_correlations(raw, fw, 1, CorrelationMethod::Pearson, 0.3),
        Err(Error::UnknownCode { code, .. }) if code == "P1"
    ));
}

#[test]
fn denominator_correlations_by_hand() {
    // indicator = 1..5, denominator = 2 1 4 3 5: r = 0.8 (see pearson_and_spearman_by_hand);
    // the data view lists the units in another order: matching is by code.
    let d = Dataset::from_columns(
        s(&["A", "B", "C", "D", "E"]),
        vec![("x".into(), vec![1.0, 2.0, 3.0, 4.0, 5.0])],
    )
    .unwrap()
    .with_denominator("GDP", vec![2.0, 1.0, 4.0, 3.0, 5.0])
    .unwrap();
    let (u, c, m) = table(
        &["E", "D", "C", "B", "A"],
        &[("x", vec![5.0, 4.0, 3.0, 2.0, 1.0])],
    );
    let view = DataView::new(&u, &c, &m).unwrap();
    let t = denominator_correlations(view, &d, CorrelationMethod::Pearson).unwrap();
    assert_eq!(t.columns, s(&["GDP"]));
    assert_relative_eq!(
        t.get("x", "GDP").unwrap().r.unwrap(),
        0.8,
        max_relative = TOL
    );
    let (u, c, m) = table(&["Z"], &[("x", vec![1.0])]);
    assert!(matches!(
        denominator_correlations(
            DataView::new(&u, &c, &m).unwrap(),
            &d,
            CorrelationMethod::Pearson
        ),
        Err(Error::UnknownCode { kind: "unit", .. })
    ));
    // Correlation matrix of the data set's own columns, from a Dataset.
    let cm = correlation_matrix(&d, &["x"], CorrelationMethod::Spearman).unwrap();
    assert_eq!(cm.n[(0, 0)], 5);
}

// ------------------------------------------------------------ Cronbach's alpha

#[test]
fn cronbach_alpha_by_hand_and_its_three_forms() {
    // a = 1 2 3 4, b = 2 3 3 5, c = 1 1 2 3 (complete).
    // Variances: 5/3, 4.75/3, 2.75/3; covariances ab 4.5/3, ac 3.5/3, bc 3.25/3.
    // trace = 12.5/3, sum(C) = (12.5 + 2 * 11.25)/3 = 35/3,
    // alpha = 3/2 (1 - 12.5/35) = 33.75/35.
    let (u, c, m) = table(
        &["1", "2", "3", "4"],
        &[
            ("a", vec![1.0, 2.0, 3.0, 4.0]),
            ("b", vec![2.0, 3.0, 3.0, 5.0]),
            ("c", vec![1.0, 1.0, 2.0, 3.0]),
        ],
    );
    let view = DataView::new(&u, &c, &m).unwrap();
    let a = cronbach_alpha(view, &["a", "b", "c"]).unwrap();
    assert_relative_eq!(a.alpha, 33.75 / 35.0, max_relative = TOL);
    assert_eq!((a.k, a.n_complete, a.min_pairs), (3, 4, 4));
    // Form 2: total = 4 6 8 12, var = 35/3: 3/2 (1 - (12.5/3)/(35/3)).
    assert_relative_eq!(a.alpha, 1.5 * (1.0 - 12.5 / 35.0), max_relative = TOL);
    // Form 3: mean variance v = 12.5/9, mean covariance c = 11.25/9: 3c/(v + 2c).
    let (v, cv) = (12.5 / 9.0, 11.25 / 9.0);
    assert_relative_eq!(a.alpha, 3.0 * cv / (v + 2.0 * cv), max_relative = TOL);

    // Pairwise-complete covariances: a = 1 2 3 -, b = 1 3 2 4.
    // var a = 1 (rows 1-3), var b = 5/3 (all rows), cov = 1/2 (rows 1-3:
    // d = -1 0 1 and -1 1 0). alpha = 2 (1 - (8/3)/(11/3)) = 6/11.
    let (u, c, m) = table(
        &["1", "2", "3", "4"],
        &[
            ("a", vec![1.0, 2.0, 3.0, NAN]),
            ("b", vec![1.0, 3.0, 2.0, 4.0]),
        ],
    );
    let a = cronbach_alpha(DataView::new(&u, &c, &m).unwrap(), &["a", "b"]).unwrap();
    assert_relative_eq!(a.alpha, 6.0 / 11.0, max_relative = TOL);
    assert_eq!((a.n_complete, a.min_pairs), (3, 3));
}

#[test]
fn cronbach_alpha_degenerate_groups() {
    let p = small_pipeline();
    let res = p.run().unwrap();
    let agg = res.aggregated().unwrap();
    // P2 has a single member: a typed error from group_alpha, a skip by level.
    assert!(matches!(
        group_alpha(agg, p.framework(), "P2"),
        Err(Error::DegenerateColumn { indicator, .. }) if indicator == "P2"
    ));
    let by = alpha_by_level(agg, p.framework(), 2).unwrap();
    assert_eq!(by.len(), 2);
    // P1: a, b with r = -0.4 and equal variances 5/3: sum(C) = 2 (5/3) - 2 (2/3) = 2,
    // trace 10/3, alpha = 2 (1 - 5/3) = -4/3 (negative: a and b disagree).
    assert_relative_eq!(
        by[0].outcome.computed().unwrap().alpha,
        -4.0 / 3.0,
        max_relative = TOL
    );
    assert!(by[1].outcome.skipped().unwrap().contains("P2"));
    // Constant columns: zero total variance.
    let (u, c, m) = table(&["1", "2"], &[("x", vec![1.0, 1.0]), ("y", vec![2.0, 2.0])]);
    assert!(matches!(
        cronbach_alpha(DataView::new(&u, &c, &m).unwrap(), &["x", "y"]),
        Err(Error::DegenerateColumn { .. })
    ));
}

// ------------------------------------------------------------ PCA

#[test]
fn pca_by_hand() {
    // x, y as above (r = 0.8) and z = 0 6 6 0 3, whose deviations -3 3 3 -3 0 are
    // orthogonal to those of x and y: R = [[1, .8, 0], [.8, 1, 0], [0, 0, 1]],
    // eigenvalues 1.8, 1, 0.2 with vectors (1, 1, 0)/sqrt2, (0, 0, 1), (1, -1, 0)/sqrt2.
    // A sixth row with a missing value is dropped.
    let (u, c, m) = table(
        &["1", "2", "3", "4", "5", "6"],
        &[
            ("x", vec![1.0, 2.0, 3.0, 4.0, 5.0, 1.0]),
            ("y", vec![2.0, 1.0, 4.0, 3.0, 5.0, NAN]),
            ("z", vec![0.0, 6.0, 6.0, 0.0, 3.0, 2.0]),
        ],
    );
    let view = DataView::new(&u, &c, &m).unwrap();
    let a = pca(view, &["x", "y", "z"]).unwrap();
    assert_eq!(a.units_dropped, s(&["6"]));
    assert_eq!(a.units_used.len(), 5);
    for (got, want) in a.eigenvalues.iter().zip([1.8, 1.0, 0.2]) {
        assert_relative_eq!(*got, want, epsilon = 1e-12);
    }
    for (got, want) in a.variance_shares.iter().zip([0.6, 1.0 / 3.0, 0.2 / 3.0]) {
        assert_relative_eq!(*got, want, epsilon = 1e-12);
    }
    assert_relative_eq!(a.cumulative_shares[2], 1.0, epsilon = 1e-12);
    let h = 0.5f64.sqrt();
    let want = [[h, 0.0, h], [h, 0.0, -h], [0.0, 1.0, 0.0]];
    for (i, row) in want.iter().enumerate() {
        for (j, w) in row.iter().enumerate() {
            assert_relative_eq!(a.loadings[(i, j)], *w, epsilon = 1e-9);
        }
    }
    // Squared normalised loadings of PC1: 1/2, 1/2, 0.
    for (got, want) in a.weights.iter().zip([0.5, 0.5, 0.0]) {
        assert_relative_eq!(*got, want, epsilon = 1e-12);
    }
    assert_eq!(a.weights_from(1).unwrap()[2], 1.0);
    assert_eq!(a.component(3), None);

    // One column: eigenvalue 1, loading 1, weight 1.
    let one = pca(view, &["x"]).unwrap();
    assert_eq!(
        (one.eigenvalues.clone(), one.weights.clone()),
        (vec![1.0], vec![1.0])
    );
    // Constant on the complete rows / too few rows / empty / unknown.
    let (u2, c2, m2) = table(
        &["1", "2", "3"],
        &[("k", vec![1.0, 1.0, 1.0]), ("v", vec![1.0, 2.0, NAN])],
    );
    let v2 = DataView::new(&u2, &c2, &m2).unwrap();
    assert!(
        matches!(pca(v2, &["k", "v"]), Err(Error::DegenerateColumn { indicator, .. }) if indicator == "k")
    );
    assert!(pca(v2, &["v"]).is_ok());
    let (u3, c3, m3) = table(&["1", "2"], &[("v", vec![1.0, NAN])]);
    assert!(matches!(
        pca(DataView::new(&u3, &c3, &m3).unwrap(), &["v"]),
        Err(Error::DegenerateColumn { .. })
    ));
    assert!(matches!(
        pca(view, &[] as &[&str]),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(pca(view, &["w"]), Err(Error::UnknownCode { .. })));
}

// ------------------------------------------------------------ weights

#[test]
fn weight_tables_by_hand() {
    // Index -> P1 (weight 2: a 1, b 3), P2 (weight 1: c).
    let fw = Framework::new(
        FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("P1", Some("Index")).weight(2.0),
            NodeSpec::new("P2", Some("Index")),
            NodeSpec::new("a", Some("P1")),
            NodeSpec::new("b", Some("P1")).weight(3.0),
            NodeSpec::new("c", Some("P2")),
        ]),
        None,
    )
    .unwrap();
    // Equal: a = b = 1/2, P1 = P2 = 1/2; effective a = b = 1/4, c = 1/2.
    let e = equal_weights(&fw);
    assert_eq!(e.weight("a"), Some(0.5));
    assert_eq!(
        (e.effective("a"), e.effective("c")),
        (Some(0.25), Some(0.5))
    );
    // Framework: P1 2/3, a 1/4, b 3/4 -> effective a 1/6, b 1/2, c 1/3.
    let f = framework_weights(&fw, None).unwrap();
    assert_relative_eq!(f.effective("a").unwrap(), 1.0 / 6.0, max_relative = TOL);
    assert_relative_eq!(f.effective("b").unwrap(), 0.5, max_relative = TOL);
    assert_relative_eq!(f.effective("c").unwrap(), 1.0 / 3.0, max_relative = TOL);
    let eff = fw.effective_weights(None).unwrap();
    for (i, n) in f.nodes.iter().enumerate() {
        assert_relative_eq!(n.effective, eff[i], max_relative = TOL);
    }
    // Manual: a = b -> a, b 1/2 within P1; effective 1/3 each.
    let mut m = BTreeMap::new();
    m.insert("a".to_string(), 1.0);
    m.insert("b".to_string(), 1.0);
    let mw = manual_weights(&fw, &m).unwrap();
    assert_relative_eq!(mw.effective("a").unwrap(), 1.0 / 3.0, max_relative = TOL);
    assert_eq!(mw.to_weight_set()["b"], 0.5);
    m.insert("zz".to_string(), 1.0);
    assert!(matches!(
        manual_weights(&fw, &m),
        Err(Error::UnknownCode { .. })
    ));
    m.remove("zz");
    m.insert("a".to_string(), -1.0);
    assert!(matches!(
        manual_weights(&fw, &m),
        Err(Error::InvalidParameter { .. })
    ));
    m.insert("a".to_string(), 0.0);
    m.insert("b".to_string(), 0.0);
    assert!(matches!(
        manual_weights(&fw, &m),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        framework_weights(&fw, Some("nope")),
        Err(Error::UnknownCode { .. })
    ));
}

#[test]
fn pca_weights_on_a_framework() {
    // Index -> G (x, y, z) and H (w). x, y, z as in pca_by_hand: PC1 weights 1/2 1/2 0.
    // H has one child: weight 1. G and H at the top: any two columns give 1/2 and 1/2
    // (R = [[1, r], [r, 1]] has eigenvectors (1, 1) and (1, -1), both weights 1/2).
    let fw = Framework::new(
        FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("G", Some("Index")),
            NodeSpec::new("H", Some("Index")),
            NodeSpec::new("x", Some("G")),
            NodeSpec::new("y", Some("G")),
            NodeSpec::new("z", Some("G")),
            NodeSpec::new("w", Some("H")),
        ]),
        None,
    )
    .unwrap();
    let (u, c, m) = table(
        &["1", "2", "3", "4", "5"],
        &[
            ("x", vec![1.0, 2.0, 3.0, 4.0, 5.0]),
            ("y", vec![2.0, 1.0, 4.0, 3.0, 5.0]),
            ("z", vec![0.0, 6.0, 6.0, 0.0, 3.0]),
            ("w", vec![3.0, 1.0, 2.0, 5.0, 4.0]),
            ("G", vec![1.0, 3.0, 4.0, 2.0, 5.0]),
            ("H", vec![3.0, 1.0, 2.0, 5.0, 4.0]),
            ("Index", vec![2.0, 2.0, 3.0, 3.5, 4.5]),
        ],
    );
    let t = pca_weights(DataView::new(&u, &c, &m).unwrap(), &fw).unwrap();
    for (code, want) in [
        ("x", 0.5),
        ("y", 0.5),
        ("z", 0.0),
        ("w", 1.0),
        ("G", 0.5),
        ("H", 0.5),
    ] {
        assert_relative_eq!(t.weight(code).unwrap(), want, epsilon = 1e-12);
    }
    // Effective weights: x = 1/2 * 1/2.
    assert_relative_eq!(t.effective("x").unwrap(), 0.25, epsilon = 1e-12);
}

#[test]
fn optimised_weights_recover_the_weights_that_made_the_targets() {
    // Index = w1 x1 + w2 x2 + w3 x3 with w* = (0.2, 0.3, 0.5); the target
    // correlations are corr(x_i, Index*) computed here directly (no missing data, so
    // the weighted arithmetic mean is the weighted sum). Starting from equal weights,
    // the optimiser must find w* back (the correlations, scale-free, identify the
    // two free weight ratios) with a cost near zero.
    let x1 = vec![1.0, 4.0, 2.0, 8.0, 5.0, 7.0, 3.0, 6.0];
    let x2 = vec![2.0, 1.0, 6.0, 3.0, 8.0, 4.0, 7.0, 5.0];
    let x3 = vec![5.0, 3.0, 1.0, 2.0, 7.0, 8.0, 6.0, 4.0];
    let w = [0.2, 0.3, 0.5];
    let idx: Vec<f64> = (0..8)
        .map(|i| w[0] * x1[i] + w[1] * x2[i] + w[2] * x3[i])
        .collect();
    let targets: Vec<f64> = [&x1, &x2, &x3]
        .iter()
        .map(|x| {
            correlation(x, &idx, CorrelationMethod::Pearson)
                .unwrap()
                .r
                .unwrap()
        })
        .collect();
    let data = Dataset::from_columns(
        s(&["1", "2", "3", "4", "5", "6", "7", "8"]),
        vec![("x1".into(), x1), ("x2".into(), x2), ("x3".into(), x3)],
    )
    .unwrap();
    let fw = FrameworkSpec::new(vec![
        NodeSpec::new("Index", None),
        NodeSpec::new("x1", Some("Index")),
        NodeSpec::new("x2", Some("Index")),
        NodeSpec::new("x3", Some("Index")),
    ]);
    let p = Pipeline::new(
        IndexSpec::new(
            fw,
            vec![Step::Aggregate(AggregateSpec::new(
                AggregateMethod::ArithmeticMean {},
            ))],
        ),
        data,
    )
    .unwrap();
    let opts = OptimiseOptions {
        tolerance: 1e-14,
        max_iters: 5000,
        ..OptimiseOptions::default()
    };
    let o = optimise_weights(&p, "Index", None, &targets, &opts).unwrap();
    assert!(o.converged, "{}", o.termination);
    assert!(o.cost < 1e-10, "cost {}", o.cost);
    assert!(o.cost <= o.initial_cost);
    assert_eq!(o.initial_weights, vec![1.0 / 3.0; 3]);
    for (got, want) in o.weights.iter().zip(w) {
        assert!((got - want).abs() < 1e-4, "{:?}", o.weights);
    }
    assert_relative_eq!(o.weights.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
    // Argument checks.
    assert!(matches!(
        optimise_weights(&p, "Index", None, &[0.5, 0.5], &opts),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        optimise_weights(&p, "Index", None, &[0.5, 0.5, 2.0], &opts),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        optimise_weights(&p, "x1", None, &[0.5], &opts),
        Err(Error::InvalidParameter { .. })
    ));
    // A node with a single child has nothing to weigh.
    assert!(matches!(
        optimise_weights(&small_pipeline(), "P2", None, &[1.0], &opts),
        Err(Error::DegenerateColumn { .. })
    ));
    // Relative (balance) targets on the small pipeline: equal shares for P1 and P2.
    let rel = OptimiseOptions {
        relative: true,
        ..OptimiseOptions::default()
    };
    let b = optimise_weights(&small_pipeline(), "Index", None, &[1.0, 1.0], &rel).unwrap();
    assert!(b.cost <= b.initial_cost);
    assert_relative_eq!(b.weights.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
}

// ------------------------------------------------------------ importance

#[test]
fn main_effect_by_hand() {
    // x = 0 1 2, y = 0 1 0, Gaussian kernel, h = 1. With e1 = exp(-1/2), e2 = exp(-2):
    // at x0 = 0 (d = 0 1 2): S0 = 1 + e1 + e2, S1 = e1 + 2 e2, S2 = e1 + 4 e2,
    // T0 = T1 = e1, m = (S2 T0 - S1 T1)/(S0 S2 - S1^2) = e1 (2 e2)/(S0 S2 - S1^2);
    // at x0 = 2 the same by symmetry; at x0 = 1 (d = -1 0 1) S1 = 0 so
    // m = T0/S0 = 1/(1 + 2 e1). S = var(m)/var(y), var(y) = 1/3.
    let (e1, e2) = ((-0.5f64).exp(), (-2.0f64).exp());
    let (s0, s1, s2) = (1.0 + e1 + e2, e1 + 2.0 * e2, e1 + 4.0 * e2);
    let m0 = e1 * 2.0 * e2 / (s0 * s2 - s1 * s1);
    let m1 = 1.0 / (1.0 + 2.0 * e1);
    let mean = (2.0 * m0 + m1) / 3.0;
    let var_m = (2.0 * (m0 - mean).powi(2) + (m1 - mean).powi(2)) / 2.0;
    let got = main_effect(&[0.0, 1.0, 2.0], &[0.0, 1.0, 0.0], Bandwidth::Fixed(1.0)).unwrap();
    assert_relative_eq!(got.main_effect, var_m / (1.0 / 3.0), max_relative = 1e-12);
    assert_eq!((got.bandwidth, got.n), (1.0, 3));

    // A linear relation: S = 1 whatever the bandwidth.
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, NAN];
    let lin: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
    for bw in [
        Bandwidth::CrossValidated,
        Bandwidth::Rule,
        Bandwidth::Fixed(0.7),
    ] {
        assert_relative_eq!(
            main_effect(&x, &lin, bw).unwrap().main_effect,
            1.0,
            max_relative = 1e-9
        );
    }
    // A huge bandwidth makes the fit the least-squares line: S = r^2 = 0.64.
    let y = [2.0, 1.0, 4.0, 3.0, 5.0, 0.0];
    let big = main_effect(&x, &y, Bandwidth::Fixed(1e6)).unwrap();
    assert_relative_eq!(big.main_effect, 0.64, max_relative = 1e-6);
    assert_eq!(big.n, 5);
    // Rule of thumb: 1.06 sd(x) n^(-1/5), sd(1..5) = sqrt(2.5).
    let rule = main_effect(&x, &y, Bandwidth::Rule).unwrap();
    assert_relative_eq!(
        rule.bandwidth,
        1.06 * 2.5f64.sqrt() * 5f64.powf(-0.2),
        max_relative = TOL
    );
    // Degenerate inputs.
    assert!(matches!(
        main_effect(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], Bandwidth::Rule),
        Err(Error::DegenerateColumn { .. })
    ));
    assert!(matches!(
        main_effect(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0], Bandwidth::Rule),
        Err(Error::DegenerateColumn { .. })
    ));
    assert!(matches!(
        main_effect(&[1.0, 2.0], &[1.0, 2.0], Bandwidth::Rule),
        Err(Error::DegenerateColumn { .. })
    ));
    assert!(matches!(
        main_effect(&x, &y, Bandwidth::Fixed(0.0)),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn main_effects_beside_weights() {
    let p = small_pipeline();
    let res = p.run().unwrap();
    let agg = res.aggregated().unwrap();
    let me = main_effects(agg, p.framework(), "Index", 1, None, Bandwidth::Fixed(1e6)).unwrap();
    let codes: Vec<&str> = me.effects.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(codes, vec!["a", "b", "c"]);
    // Nominal: a 1/2, b 1/2 (in P1), c 1 (in P2); effective: 1/4, 1/4, 1/2.
    let nominal: Vec<f64> = me.effects.iter().map(|e| e.nominal_weight).collect();
    let effective: Vec<f64> = me.effects.iter().map(|e| e.effective_weight).collect();
    assert_eq!(nominal, vec![0.5, 0.5, 1.0]);
    assert_eq!(effective, vec![0.25, 0.25, 0.5]);
    // With a huge bandwidth S = r^2: a with the index, r = .75/sqrt(13.125).
    let a = &me.effects[0];
    assert_relative_eq!(
        a.main_effect.unwrap(),
        0.75 * 0.75 / 13.125,
        max_relative = 1e-6
    );
    assert_relative_eq!(
        a.pearson_squared.unwrap(),
        0.75 * 0.75 / 13.125,
        max_relative = TOL
    );
    let total: f64 = me.effects.iter().filter_map(|e| e.normalised).sum();
    assert_relative_eq!(total, 1.0, max_relative = TOL);
    // Level 2 within P1 only: the target's own subtree.
    let me = main_effects(agg, p.framework(), "P1", 1, None, Bandwidth::Rule).unwrap();
    assert_eq!(me.effects.len(), 2);
    assert_eq!(me.effects[0].effective_weight, 0.5);
    assert!(matches!(
        main_effects(agg, p.framework(), "P1", 2, None, Bandwidth::Rule),
        Err(Error::InvalidParameter { .. })
    ));
}

// ------------------------------------------------------------ leave-one-out

#[test]
fn leave_one_out_by_hand() {
    let p = small_pipeline();
    let loo = leave_one_out(&p, &["a", "b", "c", "P2", "Index"], None).unwrap();
    assert_eq!(loo.target, "Index");
    // Nominal Index 2.25 3.75 1.5 2.5 -> ranks 3 1 4 2.
    assert_eq!(loo.nominal_ranks, vec![Some(3), Some(1), Some(4), Some(2)]);
    let get = |code: &str| loo.removals.iter().find(|r| r.node == code).unwrap();
    // Without a: P1 = b, Index = (b + c)/2 = 1.5 4 1.5 3 -> ranks 3 1 3 2, shifts 0 0 -1 0.
    let a = get("a").outcome.computed().unwrap();
    assert_eq!(a.ranks, vec![Some(3), Some(1), Some(3), Some(2)]);
    assert_eq!(a.shifts, vec![Some(0), Some(0), Some(-1), Some(0)]);
    assert_eq!((a.mean_abs_shift, a.max_abs_shift), (Some(0.25), Some(1)));
    // Without b: Index = (a + c)/2 = 3 3.5 1.5 2 -> ranks 2 1 4 3, shifts -1 0 0 1.
    let b = get("b").outcome.computed().unwrap();
    assert_eq!(b.shifts, vec![Some(-1), Some(0), Some(0), Some(1)]);
    assert_eq!(b.mean_abs_shift, Some(0.5));
    // c is the only child of P2: skipped with the reason.
    assert!(get("c").outcome.skipped().unwrap().contains("only child"));
    // Without P2 (its by_node override and weight-set entry cleaned): Index = P1 =
    // 2.5 3.5 2 2 -> ranks 2 1 3 3, shifts -1 0 -1 1, mean 3/4.
    let p2 = get("P2").outcome.computed().unwrap();
    assert_eq!(p2.shifts, vec![Some(-1), Some(0), Some(-1), Some(1)]);
    assert_eq!(p2.mean_abs_shift, Some(0.75));
    assert_eq!(get("P2").level, 2);
    // The target itself.
    assert!(get("Index").outcome.skipped().is_some());
    // leave_out directly: typed errors.
    assert!(matches!(
        leave_out(&p, "Index"),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        leave_out(&p, "c"),
        Err(Error::DegenerateColumn { .. })
    ));
    assert!(matches!(
        leave_out(&p, "zz"),
        Err(Error::UnknownCode { .. })
    ));
    let reduced = leave_out(&p, "a").unwrap();
    assert_eq!(reduced.framework().indicator_codes(), s(&["b", "c"]));
    // Another target: P1 without a is b = 1 4 2 3 -> ranks 4 1 3 2.
    let loo = leave_one_out(&p, &["a"], Some("P1")).unwrap();
    assert_eq!(
        loo.removals[0].outcome.computed().unwrap().ranks,
        vec![Some(4), Some(1), Some(3), Some(2)]
    );
    assert!(matches!(
        leave_one_out(&p, &["zz"], None),
        Err(Error::UnknownCode { .. })
    ));
}

// ------------------------------------------------------------ profiles

#[test]
fn unit_profile_by_hand() {
    let p = small_pipeline();
    let res = p.run().unwrap();
    let agg = res.aggregated().unwrap();
    // U1: a = 4 (rank 1 of 4), b = 1 (rank 4), c = 2 (rank 3), P1 = 2.5 (rank 2; U2 has
    // 3.5), P2 = 2 (rank 3), Index = 2.25 (rank 3).
    let opt = ProfileOptions {
        n: 1,
        ..ProfileOptions::default()
    };
    let pr = unit_profile(agg, p.framework(), "U1", &opt).unwrap();
    let ranks: Vec<(&str, Option<u32>)> =
        pr.nodes.iter().map(|n| (n.code.as_str(), n.rank)).collect();
    assert_eq!(
        ranks,
        vec![
            ("Index", Some(3)),
            ("P1", Some(2)),
            ("P2", Some(3)),
            ("a", Some(1)),
            ("b", Some(4)),
            ("c", Some(3)),
        ]
    );
    assert_eq!(pr.nodes[0].score, Some(2.25));
    assert_eq!(pr.nodes[0].n_ranked, 4);
    assert_eq!(pr.strengths[0].code, "a");
    assert_eq!(pr.weaknesses[0].code, "b");
    // n = 2: strengths a, c; only b is left for weaknesses (never both).
    let pr = unit_profile(agg, p.framework(), "U1", &ProfileOptions { n: 2, ..opt }).unwrap();
    let st: Vec<&str> = pr.strengths.iter().map(|n| n.code.as_str()).collect();
    let wk: Vec<&str> = pr.weaknesses.iter().map(|n| n.code.as_str()).collect();
    assert_eq!((st, wk), (vec!["a", "c"], vec!["b"]));
    // Pillars: P1 rank 2 is the strength, P2 rank 3 the weakness.
    let pr = unit_profile(
        agg,
        p.framework(),
        "U1",
        &ProfileOptions { level: 2, ..opt },
    )
    .unwrap();
    assert_eq!(
        (
            pr.strengths[0].code.as_str(),
            pr.weaknesses[0].code.as_str()
        ),
        ("P1", "P2")
    );
    // Every unit at once: U2 leads the index.
    let all = unit_profiles(agg, p.framework(), &opt).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[1].nodes[0].rank, Some(1));
    assert!(matches!(
        unit_profile(agg, p.framework(), "ZZ", &opt),
        Err(Error::UnknownCode { .. })
    ));
    assert!(matches!(
        unit_profile(
            agg,
            p.framework(),
            "U1",
            &ProfileOptions { level: 9, ..opt }
        ),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn unit_profile_with_directions() {
    // x is "bad": on raw data, the smallest value ranks first when directions apply.
    let fw = Framework::new(
        FrameworkSpec::new(vec![
            NodeSpec::new("Index", None),
            NodeSpec::new("x", Some("Index")).direction(-1.0),
            NodeSpec::new("y", Some("Index")),
        ]),
        None,
    )
    .unwrap();
    let (u, c, m) = table(&["A", "B"], &[("x", vec![1.0, 2.0]), ("y", vec![1.0, 2.0])]);
    let view = DataView::new(&u, &c, &m).unwrap();
    let opt = ProfileOptions {
        use_directions: true,
        ..ProfileOptions::default()
    };
    let pr = unit_profile(view, &fw, "A", &opt).unwrap();
    let x = pr.nodes.iter().find(|n| n.code == "x").unwrap();
    assert_eq!((x.score, x.rank), (Some(1.0), Some(1)));
    // The index is not a column here: left out of the profile.
    assert!(pr.nodes.iter().all(|n| n.code != "Index"));
}

// ------------------------------------------------------------ properties

fn matrix_strategy(rows: usize, cols: usize) -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(-100.0f64..100.0, rows * cols)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On complete data alpha from the covariance matrix equals
    /// k/(k-1) (1 - sum var_i / var(total)) and k c / (v + (k-1) c).
    #[test]
    fn alpha_equals_its_algebraic_forms(v in matrix_strategy(12, 4)) {
        let units: Vec<String> = (0..12).map(|i| i.to_string()).collect();
        let cols = s(&["a", "b", "c", "d"]);
        let m = DMatrix::from_vec(12, 4, v);
        let view = DataView::new(&units, &cols, &m).unwrap();
        let a = cronbach_alpha(view, &cols).unwrap().alpha;
        let var = |x: &[f64]| composite_index::stats::var(x).unwrap();
        let colv: Vec<Vec<f64>> = (0..4).map(|j| m.column(j).iter().copied().collect()).collect();
        let total: Vec<f64> = (0..12).map(|i| m.row(i).sum()).collect();
        let sum_var: f64 = colv.iter().map(|c| var(c)).sum();
        let form2 = 4.0 / 3.0 * (1.0 - sum_var / var(&total));
        prop_assert!((a - form2).abs() < 1e-9 * (1.0 + a.abs()));
        let cov = |x: &[f64], y: &[f64]| {
            let (mx, my) = (x.iter().sum::<f64>() / 12.0, y.iter().sum::<f64>() / 12.0);
            x.iter().zip(y).map(|(p, q)| (p - mx) * (q - my)).sum::<f64>() / 11.0
        };
        let mut off = 0.0;
        for i in 0..4 { for j in 0..4 { if i != j { off += cov(&colv[i], &colv[j]); } } }
        let (vbar, cbar) = (sum_var / 4.0, off / 12.0);
        let form3 = 4.0 * cbar / (vbar + 3.0 * cbar);
        prop_assert!((a - form3).abs() < 1e-8 * (1.0 + a.abs()));
    }

    /// PCA: loadings are orthonormal unit vectors, eigenvalues sum to k and
    /// decrease, weights sum to one, and every component's loadings sum to >= 0.
    #[test]
    fn pca_identities(v in matrix_strategy(10, 4)) {
        let units: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        let cols = s(&["a", "b", "c", "d"]);
        let m = DMatrix::from_vec(10, 4, v);
        let a = pca(DataView::new(&units, &cols, &m).unwrap(), &cols).unwrap();
        prop_assert!((a.eigenvalues.iter().sum::<f64>() - 4.0).abs() < 1e-9);
        prop_assert!(a.eigenvalues.windows(2).all(|w| w[0] >= w[1]));
        let gram = a.loadings.transpose() * &a.loadings;
        prop_assert!((gram - DMatrix::<f64>::identity(4, 4)).abs().max() < 1e-9);
        prop_assert!((a.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        for c in 0..4 {
            prop_assert!(a.loadings.column(c).sum() >= -1e-9);
        }
    }

    /// Correlations are symmetric, within [-1, 1], and Spearman's is unchanged by
    /// increasing transforms.
    #[test]
    fn correlation_properties(x in proptest::collection::vec(-5.0f64..5.0, 8), y in proptest::collection::vec(-5.0f64..5.0, 8)) {
        let p = correlation(&x, &y, CorrelationMethod::Pearson).unwrap();
        let q = correlation(&y, &x, CorrelationMethod::Pearson).unwrap();
        prop_assert_eq!(p.r, q.r);
        if let Some(r) = p.r { prop_assert!((-1.0..=1.0).contains(&r)); }
        let s1 = correlation(&x, &y, CorrelationMethod::Spearman).unwrap();
        let ex: Vec<f64> = x.iter().map(|v| v.exp()).collect();
        let s2 = correlation(&ex, &y, CorrelationMethod::Spearman).unwrap();
        match (s1.r, s2.r) {
            (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12),
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    /// Weights sum to one among the children of every node, and effective weights to
    /// one over the nodes of every level below the root.
    #[test]
    fn weights_sum_to_one(w in proptest::collection::vec(0.01f64..10.0, 6)) {
        let fw = Framework::new(FrameworkSpec::new(vec![
            NodeSpec::new("I", None),
            NodeSpec::new("P", Some("I")).weight(w[0]),
            NodeSpec::new("Q", Some("I")).weight(w[1]),
            NodeSpec::new("a", Some("P")).weight(w[2]),
            NodeSpec::new("b", Some("P")).weight(w[3]),
            NodeSpec::new("c", Some("Q")).weight(w[4]),
            NodeSpec::new("d", Some("Q")).weight(w[5]),
        ]), None).unwrap();
        let t = framework_weights(&fw, None).unwrap();
        for (p, kids) in [("I", ["P", "Q"]), ("P", ["a", "b"]), ("Q", ["c", "d"])] {
            let sum: f64 = kids.iter().map(|k| t.weight(k).unwrap()).sum();
            prop_assert!((sum - 1.0).abs() < 1e-12, "{}", p);
        }
        for level in [&["P", "Q"][..], &["a", "b", "c", "d"][..]] {
            let sum: f64 = level.iter().map(|k| t.effective(k).unwrap()).sum();
            prop_assert!((sum - 1.0).abs() < 1e-12);
        }
    }
}

// ------------------------------------------------------------ ASEM, case A

#[cfg(all(feature = "serde", feature = "csv"))]
#[test]
fn whole_toolkit_on_asem_case_a() {
    let Some(dir) = common::asem_dir() else {
        return;
    };
    let (framework, data) = common::asem(&dir);
    let pipeline = Pipeline::new(
        IndexSpec::new(framework, common::case_a_steps()),
        data.clone(),
    )
    .unwrap();
    let results = pipeline.run().unwrap();
    let fw = pipeline.framework();
    let top = fw.n_levels();
    let agg = results.aggregated().unwrap();
    let raw = results.dataset("raw").unwrap();
    let norm = results.dataset("normalised").unwrap();
    assert_eq!(top, 4);

    // Statistics on three data sets.
    for set in [raw, norm, agg] {
        let t = indicator_stats(set, &StatsThresholds::default()).unwrap();
        assert_eq!(t.len(), set.columns().len());
    }
    // Normalised min-max columns span [0, 100].
    let t = indicator_stats(norm, &StatsThresholds::default()).unwrap();
    assert!(
        t.iter()
            .all(|r| r.min == Some(0.0) && (r.max.unwrap() - 100.0).abs() < 1e-9)
    );
    // Raw data has missing values, so some availability below 1.
    let t = indicator_stats(raw, &StatsThresholds::default()).unwrap();
    assert!(t.iter().any(|r| r.availability < 1.0));

    // Availability at every aggregate level; after imputation it is complete.
    for level in 2..=top {
        let a = data_availability(raw, fw, level).unwrap();
        assert_eq!(a.groups.len(), fw.nodes_at_level(level).len());
        assert_eq!(a.units.len(), 51);
    }
    let a = data_availability(norm, fw, 2).unwrap();
    assert!(a.units.iter().all(|u| u.availability == 1.0));

    // Correlations at every level, both methods.
    for method in [CorrelationMethod::Pearson, CorrelationMethod::Spearman] {
        let m = correlation_matrix(norm, norm.columns(), method).unwrap();
        assert_eq!(m.r.nrows(), 49);
        for i in 0..49 {
            assert!((m.r[(i, i)] - 1.0).abs() < 1e-12);
            for j in 0..49 {
                assert!((m.r[(i, j)] - m.r[(j, i)]).abs() < 1e-12);
            }
        }
        for level in 1..top {
            let anc = ancestor_correlations(agg, fw, level, method, 0.3).unwrap();
            let expect: usize = fw
                .nodes_at_level(level)
                .iter()
                .map(|&i| fw.ancestors(i).count())
                .sum();
            assert_eq!(anc.len(), expect);
            collinear_pairs(agg, fw, level, method, 0.9).unwrap();
        }
        for level in 2..=top {
            for &g in fw.nodes_at_level(level) {
                group_correlations(agg, fw, fw.code(g), method).unwrap();
            }
        }
        let d = denominator_correlations(raw, &data, method).unwrap();
        assert_eq!(d.columns.len(), 4);
    }
    // Aggregates of an arithmetic mean correlate positively with their parents.
    let anc = ancestor_correlations(agg, fw, 2, CorrelationMethod::Pearson, 0.3).unwrap();
    assert!(
        anc.iter()
            .filter(|r| r.is_parent)
            .all(|r| r.correlation.r.unwrap() > 0.0)
    );

    // Cronbach's alpha per group, and its covariance form against the total-variance form.
    for level in 2..=top {
        for g in alpha_by_level(agg, fw, level).unwrap() {
            let Some(a) = g.outcome.computed() else {
                continue;
            };
            let cols: Vec<&[f64]> = a.codes.iter().map(|c| agg.column(c).unwrap()).collect();
            let total: Vec<f64> = (0..agg.unit_codes().len())
                .map(|u| cols.iter().map(|c| c[u]).sum())
                .collect();
            let sv: f64 = cols
                .iter()
                .map(|c| composite_index::stats::var(c).unwrap())
                .sum();
            let k = a.k as f64;
            let form2 = k / (k - 1.0) * (1.0 - sv / composite_index::stats::var(&total).unwrap());
            assert!((a.alpha - form2).abs() < 1e-9, "{}", g.node);
        }
    }

    // PCA per group: unit loadings, eigenvalues summing to k, weights summing to one.
    for level in 2..=top {
        for g in pca_by_level(agg, fw, level).unwrap() {
            let a = g.outcome.computed().unwrap();
            let k = a.codes.len() as f64;
            assert!(
                (a.eigenvalues.iter().sum::<f64>() - k).abs() < 1e-9,
                "{}",
                g.node
            );
            for c in 0..a.codes.len() {
                assert!((a.loadings.column(c).norm() - 1.0).abs() < 1e-9);
            }
            assert!((a.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            assert!(a.units_dropped.is_empty());
        }
    }

    // Weight tables: within every group they sum to one.
    let mut manual = BTreeMap::new();
    manual.insert(fw.code(fw.nodes_at_level(2)[0]).to_string(), 2.0);
    for t in [
        equal_weights(fw),
        framework_weights(fw, None).unwrap(),
        manual_weights(fw, &manual).unwrap(),
        pca_weights(agg, fw).unwrap(),
    ] {
        for level in 2..=top {
            for &p in fw.nodes_at_level(level) {
                let sum: f64 = fw
                    .children(p)
                    .iter()
                    .map(|&c| t.weight(fw.code(c)).unwrap())
                    .sum();
                assert!((sum - 1.0).abs() < 1e-12, "{} {}", t.name, fw.code(p));
            }
        }
        let eff: f64 = fw
            .indicators()
            .iter()
            .map(|&i| t.effective(fw.code(i)).unwrap())
            .sum();
        assert!((eff - 1.0).abs() < 1e-12);
    }

    // Correlation-optimised weights of the pillars of the first sub-index.
    let sub = fw.nodes_at_level(3)[0];
    let k = fw.children(sub).len();
    let o = optimise_weights(
        &pipeline,
        fw.code(sub),
        None,
        &vec![0.7; k],
        &OptimiseOptions::default(),
    )
    .unwrap();
    assert!(o.cost <= o.initial_cost);
    assert!((o.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(o.weights.iter().all(|&w| w >= 0.0));

    // Importance of pillars and indicators in the index.
    for level in [1, 2] {
        let me = main_effects(
            agg,
            fw,
            fw.code(fw.root()),
            level,
            None,
            Bandwidth::CrossValidated,
        )
        .unwrap();
        assert_eq!(me.effects.len(), fw.nodes_at_level(level).len());
        assert!(me.effects.iter().all(|e| e.main_effect.is_some()));
        let eff: f64 = me.effects.iter().map(|e| e.effective_weight).sum();
        assert!((eff - 1.0).abs() < 1e-12);
    }

    // Leave each pillar and each indicator out.
    let pillars: Vec<String> = fw
        .nodes_at_level(2)
        .iter()
        .map(|&i| fw.code(i).to_string())
        .collect();
    let loo = leave_one_out(&pipeline, &pillars, None).unwrap();
    assert_eq!(loo.removals.len(), 8);
    assert!(loo.removals.iter().all(|r| r.outcome.computed().is_some()));
    let loo = leave_one_out(&pipeline, &fw.indicator_codes(), None).unwrap();
    assert_eq!(loo.removals.len(), 49);
    let computed = loo
        .removals
        .iter()
        .filter(|r| r.outcome.computed().is_some())
        .count();
    assert!(computed > 40, "{computed} of 49");

    // Profiles of every unit, and the ranks agree with the results.
    let profiles = unit_profiles(agg, fw, &ProfileOptions::default()).unwrap();
    assert_eq!(profiles.len(), 51);
    let ranks = results.ranks("Index").unwrap();
    for (p, r) in profiles.iter().zip(&ranks) {
        assert_eq!(p.nodes[0].code, "Index");
        assert_eq!(p.nodes[0].rank, *r);
        assert_eq!(p.strengths.len(), 5);
        assert_eq!(p.weaknesses.len(), 5);
    }
}
